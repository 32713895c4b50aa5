#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The first of the README's two commands: install what is missing, build,
# and run the main job, the reference topology of ARCHITECTURE §6:
#
#   SIPp UAC -> Kamailio+secsipid (signs) -> stiwfd A (SIP->ISUP) -> osmo-stp
#     -> stiwfd B (ISUP->SIP) -> Kamailio+secsipid (verifies) -> SIPp UAS
#
# It places a handful of calls covering what the IWF does, prints per call
# what each side verified and signed, and one line
#   demo: N calls, M verified end to end, K rejected as expected, 0 unexpected
# then sends the SigPloit MAP attack set and a roaming partner's signed
# dialogues at stiwfd as the MAP border of an HLR's network, and ends with
#   demo: M MAP attacks blocked, L legitimate dialogues passed
# M3UA needs SCTP: on kernels without it the topology runs inside a
# User-Mode-Linux guest, which the demo says.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
contrib/install-deps.sh
contrib/build.sh build --enable-werror >build.log 2>&1 || {
	tail -n 40 build.log
	echo "demo: build failed (full log in build.log)"
	exit 1
}
# the test programs the topology uses (x5u server, SCCP endpoints)
make -C build -j"$(nproc)" tests/certs/httpsd tests/ss7/sccp_endpoint >>build.log 2>&1 || {
	tail -n 20 build.log
	echo "demo: build failed (full log in build.log)"
	exit 1
}
echo "demo: built stiwfd $(build/stiwfd -V | head -n 1 | cut -d" " -f2)"

out=$(mktemp -d "$top/build/demo.XXXXXX")
echo "demo: test PKI (SHAKEN and TSCA) in $out/pki"
contrib/gen-test-pki.sh "$out/pki" >"$out/pki.log" 2>&1 || {
	cat "$out/pki.log"
	exit 1
}
rc=0
srcdir=$top top_builddir=$top/build \
	bash tests/integration/uml/run.sh contrib/demo/topology.guest.sh "$out" 360 || rc=$?
echo "demo: logs in $out"
exit $rc
