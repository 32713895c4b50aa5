#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/layers.sh must fail on each rule it states: plant one violation at
# a time in a copy of the tree's rooms and check that layers.sh exits 1
# naming the planted file and the rule; the unchanged copy must pass.
#
# usage: tests/layers_selftest.sh [SRCDIR]   (make check passes $srcdir)
set -u
top=${1:-${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}}
top=$(cd "$top" && pwd) || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/layers_selftest.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

copy() {
	rm -rf "$work/tree"
	mkdir "$work/tree" &&
		(cd "$top" && tar cf - sip ss7 certs iwf src) | tar xf - -C "$work/tree"
}

fail=0
copy || exit 2
if ! out=$(bash "$top/tests/layers.sh" "$work/tree" 2>&1); then
	echo "layers_selftest: the unchanged tree fails: $out"
	exit 1
fi
echo "clean tree: $out"

# FILE|INCLUDE|words of the rule layers.sh must print
while IFS='|' read -r file inc rule; do
	copy || exit 2
	printf '#include "%s"\n' "$inc" >"$work/tree/$file"
	out=$(bash "$top/tests/layers.sh" "$work/tree" 2>&1)
	rc=$?
	if [ "$rc" -ne 1 ] || ! grep -qF "$file" <<<"$out" || ! grep -qF "$rule" <<<"$out"; then
		echo "layers_selftest: FAIL: $file including $inc: exit $rc, wanted 1 and \"$rule\": $out"
		fail=1
	else
		echo "caught: $file includes $inc: $rule"
	fi
done <<'PLANTS'
sip/planted.c|ss7/isup.h|the legs sip/ and ss7/ do not include each other
ss7/planted.c|sip/sip_call.h|the legs sip/ and ss7/ do not include each other
certs/planted.c|iwf/call.h|certs/ sits below iwf/
certs/planted.h|sip/passport.h|certs/ sits below the legs
sip/planted.c|src/stiwfd/cfg.h|src/stiwfd/ is an entry point
iwf/planted.c|src/stiwf/stiwf_tool.h|src/stiwf/ is an entry point
ss7/planted.c|src/stiwfd/map_relay.h|src/stiwfd/ is an entry point
src/core/planted.c|certs/keyid.h|src/core/ is the floor
src/core/planted.h|iwf/peer.h|src/core/ is the floor
src/stiwf/planted.c|src/stiwfd/cfg.h|the entry points do not include each other
src/stiwfd/planted.c|src/stiwf/vty_client.h|the entry points do not include each other
src/planted.c|src/core/logging.h|src/ keeps its code in
PLANTS

if [ "$fail" -ne 0 ]; then
	echo "layers_selftest: FAIL"
	exit 1
fi
echo "layers_selftest: ok (every rule caught)"
exit 0
