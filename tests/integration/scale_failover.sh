#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Scale-out (docs/SCALING.md): one point code served by an active stiwfd B
# and a hot standby B' (two ASPs of one AS in traffic-mode override at
# osmo-stp), sharing one Redis replay store.  A signed IAM taken by B,
# replayed after B died to B', is refused there (REL 21, call-log
# "replay"); B' sends no GRS while standby, becomes active when B is
# killed (SIGKILL), resets its circuits with GRS at once, and OPTIONS
# turns from 503 to 200.  Runs in a User-Mode-Linux guest when this kernel
# has no SCTP (uml/run.sh prints which transport it used).
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs guest sipp osmo-stp redis-server
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
mkdir -p "$top_builddir/tests/integration"
out=$(mktemp -d "$top_builddir/tests/integration/scale_failover.XXXXXX") || exit 1
export srcdir top_builddir
fail() { echo "FAIL: $*"; echo "logs kept in $out"; exit 1; }

command -v redis-server >/dev/null ||
	fail "redis-server not found: install the Debian package redis-server (contrib/install-deps.sh)"
"$srcdir/contrib/gen-test-pki.sh" "$out/pki" >"$out/pki.log" 2>&1 || fail "test PKI"
bash "$srcdir/tests/integration/uml/run.sh" "$srcdir/tests/integration/scale_failover.guest.sh" "$out" 120 ||
	fail "the failover topology failed"
rm -rf "$out"
echo "6 passed, 0 failed"
