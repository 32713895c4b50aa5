#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Calls from ISUP fail over between sip-peers by their OPTIONS keepalive
# (sip/sip_keepalive.h), through the reference topology of two IWFs and a
# real STP: SIPp UAC -> stiwfd A -> osmo-stp -> stiwfd B -> SIPp p1 or p2.
# Runs in a User-Mode-Linux guest when this kernel has no SCTP (uml/run.sh
# prints which transport it used).
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs guest sipp osmo-stp
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
out=$(mktemp -d "$top_builddir/tests/integration/sip_failover.XXXXXX") || exit 1
export srcdir top_builddir
fail() { echo "FAIL: $*"; echo "logs kept in $out"; exit 1; }

# no PKI: the calls go unsigned, what matters here is where they go
mkdir -p "$out/pki"
echo "# no test PKI: unsigned calls" >"$out/pki/pki.env"
bash "$srcdir/tests/integration/uml/run.sh" "$srcdir/tests/integration/sip_failover.guest.sh" "$out" 200 ||
	fail "the failover between sip-peers failed"
rm -rf "$out"
echo "1 passed, 0 failed"
