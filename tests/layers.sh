#!/bin/bash
# The include rules between the rooms of the tree (docs/ARCHITECTURE.md §7):
#
#   src/ entry points (stiwfd, stiwf, cfg.c, ...)
#        |
#       iwf/                 call FSMs, mapping, policy
#      /    \
#   sip/    ss7/             the two legs, blind to each other
#      \    /
#      certs/                trust stores, fetch and cache, key store
#        |
#   src/ core                logging, event loop, worker pool, VTY node ids
#
# A room may include the rooms below it only.  This test fails, naming
# file, line and rule, when
#   * sip/ includes ss7/ or ss7/ includes sip/;
#   * sip/, ss7/ or certs/ include iwf/ or an entry point of src/;
#   * certs/ includes a leg (sip/ or ss7/).
# "src/ core" is what libstiwf_core.a is built from (src/Makefile.inc) and
# the src/ headers without a .c of their own; every other src/ header
# belongs to an entry point.  A rule broken here shows up later as a link
# cycle (an archive listed twice in STIWF_LIBS).
#
# usage: tests/layers.sh [SRCDIR]   (make check passes $srcdir)
set -u
top=${1:-${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}}
cd "$top" || exit 2
for d in sip ss7 certs iwf src; do
	if [ ! -d "$d" ]; then
		echo "layers: no $d/ in $top" >&2
		exit 2
	fi
done

# the .c files of libstiwf_core.a, from its _SOURCES list
core=$(sed -n '/^libstiwf_core_a_SOURCES *=/,/\$(NULL)/p' src/Makefile.inc |
	grep -o 'src/[A-Za-z0-9_]*\.c')
if [ -z "$core" ]; then
	echo "layers: no libstiwf_core_a_SOURCES in src/Makefile.inc" >&2
	exit 2
fi

# is src/NAME.h part of the core? (its .c is in libstiwf_core.a, or it has none)
is_core() {
	local c=${1%.h}.c
	[ ! -e "$c" ] && return 0
	printf '%s\n' "$core" | grep -qx "$c"
}

fail=0
checked=0
# every quoted include of a room, as FILE:LINE:TARGET with "../" dropped
while IFS= read -r hit; do
	file=${hit%%:*}
	rest=${hit#*:}
	line=${rest%%:*}
	target=$(printf '%s\n' "${rest#*:}" | sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\(\.\.\/\)*\([^"]*\)".*/\2/p')
	[ -n "$target" ] || continue
	checked=$((checked + 1))
	from=${file%%/*}
	to=${target%%/*}
	[ "$to" = "$target" ] && continue	# same folder or a system path
	why=
	case "$from:$to" in
	sip:ss7 | ss7:sip)
		why="the legs sip/ and ss7/ do not include each other" ;;
	sip:iwf | ss7:iwf | certs:iwf)
		why="$from/ sits below iwf/" ;;
	certs:sip | certs:ss7)
		why="certs/ sits below the legs" ;;
	sip:src | ss7:src | certs:src)
		is_core "$target" || why="$target belongs to an entry point, not to libstiwf_core.a" ;;
	esac
	if [ -n "$why" ]; then
		echo "layers: $file:$line includes $target: $why"
		fail=1
	fi
done < <(grep -rnE --include='*.c' --include='*.h' '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' sip ss7 certs)

if [ "$checked" -eq 0 ]; then
	echo "layers: no includes found under sip/ ss7/ certs/" >&2
	exit 2
fi
if [ "$fail" -ne 0 ]; then
	echo "layers: FAIL (move the code to the room above, or the shared part to the room below)"
	exit 1
fi
echo "layers: ok ($checked includes of sip/ ss7/ certs/ checked)"
exit 0
