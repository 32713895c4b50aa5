#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Third-party ISUP messages (tests/ss7/isup-real/, SOURCES.md says where
# each comes from) decoded by the build's "stiwf isup decode" and by tshark,
# compared field by field by isup-real/check.sh: all 44 must agree.
# Skipped only without tshark.  Under STIWF_VALGRIND=1 each stiwf run is
# under valgrind as well (not for --enable-sanitize builds).
set -u

srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
export top_builddir
want="isup-real: 44/44 messages decoded in agreement with tshark"

if ! command -v tshark >/dev/null 2>&1; then
	echo "SKIP: tshark not installed"
	exit 77
fi
opt=--no-valgrind
[ "${STIWF_VALGRIND:-0}" = 1 ] && opt=
out=$(mktemp)
trap 'rm -f "$out"' EXIT
bash "$srcdir/tests/ss7/isup-real/check.sh" "$top_builddir/stiwf" $opt >"$out"
rc=$?
cat "$out"
last=$(tail -n 1 "$out")
if [ $rc -ne 0 ] || [ "$last" != "$want" ]; then
	echo "FAIL: want \"$want\" (check.sh exit $rc)"
	exit 1
fi
exit 0
