#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The shared replay store in the ISUP->SIP call flow (docs/SCALING.md),
# one stiwfd B on Redis behind osmo-stp: an IAM refused with a re-routable
# cause (the callee's 503: REL 41) forgets its HOP in Redis, so that the
# exchange's second try is taken; with Redis gone, OPTIONS turns 503 and
# a signed IAM is released (REL 21, call-log hop_reason replay-store)
# under "replay-store on-failure reject"; a B with "on-failure local"
# takes it.  Runs in a User-Mode-Linux guest when this kernel has no SCTP
# (uml/run.sh prints which transport it used).
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs guest sipp osmo-stp redis-server
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
mkdir -p "$top_builddir/tests/integration"
out=$(mktemp -d "$top_builddir/tests/integration/scale_store.XXXXXX") || exit 1
export srcdir top_builddir
fail() { echo "FAIL: $*"; echo "logs kept in $out"; exit 1; }

command -v redis-server >/dev/null ||
	fail "redis-server not found: install the Debian package redis-server (contrib/install-deps.sh)"
"$srcdir/contrib/gen-test-pki.sh" "$out/pki" >"$out/pki.log" 2>&1 || fail "test PKI"
bash "$srcdir/tests/integration/uml/run.sh" "$srcdir/tests/integration/scale_store.guest.sh" "$out" 120 ||
	fail "the replay store in the call flow failed"
rm -rf "$out"
echo "5 passed, 0 failed"
