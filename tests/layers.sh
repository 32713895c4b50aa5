#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The include rules between the rooms of the tree (docs/ARCHITECTURE.md §7):
#
#   src/stiwfd/   src/stiwf/   the entry points: the daemon, the tool
#          \        /
#            iwf/              call FSMs, mapping, policy
#           /    \
#       sip/    ss7/           the two legs, blind to each other
#           \    /
#           certs/             trust stores, fetch and cache, key store
#             |
#         src/core/            logging, event loop, worker pool, VTY node ids
#
# A room may include the rooms below it only.  This test fails, naming
# file, line and rule, when
#   * sip/ includes ss7/ or ss7/ includes sip/;
#   * sip/, ss7/ or certs/ include iwf/;
#   * sip/, ss7/, certs/ or iwf/ include an entry point (src/stiwfd/,
#     src/stiwf/);
#   * certs/ includes a leg (sip/ or ss7/);
#   * src/core/ includes anything of the tree outside src/core/;
#   * one entry point includes the other (what both need is core).
# Every file of src/ sits in one of its three folders.  A rule broken here
# shows up later as a link cycle (an archive listed twice in STIWF_LIBS).
#
# usage: tests/layers.sh [SRCDIR]   (make check passes $srcdir)
set -u
top=${1:-${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}}
cd "$top" || exit 2
for d in sip ss7 certs iwf src/core src/stiwfd src/stiwf; do
	if [ ! -d "$d" ]; then
		echo "layers: no $d/ in $top" >&2
		exit 2
	fi
done

fail=0
# src/ holds its three folders and nothing else of code
while IFS= read -r f; do
	echo "layers: $f: src/ keeps its code in src/core/, src/stiwfd/ or src/stiwf/"
	fail=1
done < <(find src -name '*.[ch]' ! -path 'src/core/*' ! -path 'src/stiwfd/*' ! -path 'src/stiwf/*')

# the room of a path: its first folder, or its first two under src/
room() {
	case $1 in
	src/*/*) local r=${1#src/}; echo "src/${r%%/*}" ;;
	*/*) echo "${1%%/*}" ;;
	*) echo "" ;;
	esac
}

checked=0
# every quoted include of a room, as FILE:LINE:TARGET with "../" dropped
while IFS= read -r hit; do
	file=${hit%%:*}
	rest=${hit#*:}
	line=${rest%%:*}
	target=$(printf '%s\n' "${rest#*:}" | sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\(\.\.\/\)*\([^"]*\)".*/\2/p')
	[ -n "$target" ] || continue
	checked=$((checked + 1))
	from=$(room "$file")
	to=$(room "$target")
	[ -n "$to" ] || continue	# same folder or a system path
	[ "$from" = "$to" ] && continue
	why=
	case "$from:$to" in
	sip:ss7 | ss7:sip)
		why="the legs sip/ and ss7/ do not include each other" ;;
	sip:iwf | ss7:iwf | certs:iwf)
		why="$from/ sits below iwf/" ;;
	certs:sip | certs:ss7)
		why="certs/ sits below the legs" ;;
	sip:src/stiwfd | ss7:src/stiwfd | certs:src/stiwfd | iwf:src/stiwfd | \
	sip:src/stiwf | ss7:src/stiwf | certs:src/stiwf | iwf:src/stiwf)
		why="$to/ is an entry point: only src/core/ sits below every room" ;;
	src/stiwfd:src/stiwf | src/stiwf:src/stiwfd)
		why="the entry points do not include each other: what both need goes to src/core/" ;;
	src/core:*)
		why="src/core/ is the floor: it includes no room" ;;
	esac
	if [ -n "$why" ]; then
		echo "layers: $file:$line includes $target: $why"
		fail=1
	fi
done < <(grep -rnE --include='*.c' --include='*.h' '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' \
	sip ss7 certs iwf src)

if [ "$checked" -eq 0 ]; then
	echo "layers: no includes found under sip/ ss7/ certs/ iwf/ src/" >&2
	exit 2
fi
if [ "$fail" -ne 0 ]; then
	echo "layers: FAIL (move the code to the room above, or the shared part to the room below)"
	exit 1
fi
echo "layers: ok ($checked includes of sip/ ss7/ certs/ iwf/ src/ checked)"
exit 0
