#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/installcheck.sh PREFIX DIR... -- FILE-OR-DIRECTORY...
# "make installcheck": no installed file may name a path of the trees it
# was built from (each DIR: the build tree and the source tree), since an
# installed program outlives them.  Programs are judged without their
# debug sections: those record where the objects were compiled, for a
# debugger, and packages strip them (Debian maps them away with
# -ffile-prefix-map).  A path below PREFIX is an installed path, allowed
# even when the install went inside a build tree (as "make distcheck" does).
set -u
prefix=$1; shift
dirs=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	dirs+=("$(readlink -f "$1")"); shift
done
[ $# -gt 0 ] && shift
[ ${#dirs[@]} -gt 0 ] && [ $# -gt 0 ] || { echo "usage: $0 PREFIX DIR... -- FILE..." >&2; exit 2; }

tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT
fail=0 n=0
# the text of FILE: its strings, without the debug sections of an ELF file
text() {
	if [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; then
		objcopy --strip-debug "$1" "$tmp" && strings -a "$tmp"
	else
		strings -a "$1"
	fi
}
# PATH... as an extended regular expression matching it literally
ere() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'; }

while IFS= read -r -d '' f; do
	n=$((n + 1))
	for d in "${dirs[@]}"; do
		# every path that starts with d, up to a quote, blank or colon
		hits=$(text "$f" | grep -a -o -E "$(ere "$d")(/[^[:space:]\"':]*)?" | sort -u)
		[ -n "$hits" ] || continue
		while IFS= read -r h; do
			case $prefix in "$d"/*)
				case $h in "$prefix" | "$prefix"/*) continue ;; esac ;;
			esac
			echo "FAIL: $f names $h (from $d)"
			fail=$((fail + 1))
		done <<<"$hits"
	done
done < <(find "$@" -type f -print0)
[ $n -gt 0 ] || { echo "FAIL: no installed file found in $*"; exit 1; }
if [ $fail -gt 0 ]; then
	echo "installcheck: $fail build-tree paths in $n installed files"
	exit 1
fi
echo "installcheck: $n installed files name no path of ${dirs[*]}"
