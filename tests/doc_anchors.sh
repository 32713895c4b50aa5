#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The anchors of docs/ARCHITECTURE.md still point at code: every
# `DIR/FILE.c:function` (or .h) names a file that exists and defines that
# function (a line that starts with its return type and has "function("),
# and every `DIR/FILE` path of the tree it names exists.  A rename or a
# move that forgets the document fails here, naming the anchor.
#
# usage: tests/doc_anchors.sh [SRCDIR] [DOCUMENT...]   (make check passes $srcdir)
set -u
top=${1:-${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}}
shift || true
cd "$top" || exit 2
docs=("$@")
[ ${#docs[@]} -gt 0 ] || docs=(docs/ARCHITECTURE.md)

rooms='(src|sip|ss7|iwf|certs|tests|contrib|docs|debian)'
fail=0
anchors=0
paths=0
for doc in "${docs[@]}"; do
	if [ ! -f "$doc" ]; then
		echo "doc_anchors: no $doc in $top" >&2
		exit 2
	fi
	# file:function anchors
	while IFS= read -r a; do
		file=${a%%:*}
		fn=${a#*:}
		anchors=$((anchors + 1))
		if [ ! -f "$file" ]; then
			echo "doc_anchors: $doc: $a: no file $file"
			fail=1
		elif ! grep -qE "^[A-Za-z_].*[ *]$fn\(" "$file"; then
			echo "doc_anchors: $doc: $a: $file defines no $fn()"
			fail=1
		fi
	done < <(grep -oE "\b$rooms/[A-Za-z0-9_/.-]+\.[ch]:[A-Za-z_][A-Za-z0-9_]*" "$doc" | sort -u)
	# plain paths of the tree (a trailing "." or "," ends a sentence)
	while IFS= read -r p; do
		p=${p%[.,]}
		paths=$((paths + 1))
		if [ ! -e "$p" ]; then
			echo "doc_anchors: $doc: $p: no such file"
			fail=1
		fi
	done < <(grep -oE "\b$rooms/[A-Za-z0-9_/.-]+\.(c|h|sh|md|inc|py|cfg|conf|[158])\b" "$doc" | sort -u)
done

if [ "$anchors" -eq 0 ]; then
	echo "doc_anchors: no file:function anchors in ${docs[*]}" >&2
	exit 2
fi
if [ "$fail" -ne 0 ]; then
	echo "doc_anchors: FAIL"
	exit 1
fi
echo "doc_anchors: ok ($anchors anchors, $paths paths)"
exit 0
