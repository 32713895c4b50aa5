#!/bin/bash
# ISUP through a real osmo-stp over M3UA/SCTP, between two endpoints built on
# stiwf's ss7/ transport.  Runs in a User-Mode-Linux guest when this kernel
# has no SCTP (uml/run.sh prints which).
set -u
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
out=$(mktemp -d "$top_builddir/tests/integration/m3ua_stp.XXXXXX")
export srcdir top_builddir
fail() { echo "FAIL: $*"; echo "logs kept in $out"; exit 1; }

bash "$srcdir/tests/integration/uml/run.sh" "$srcdir/tests/integration/m3ua_stp.guest.sh" "$out" 90 ||
	fail "the exchange through osmo-stp failed"

# tshark, a decoder we did not write, judges what crossed the STP.
tshark -n -r "$out/capture.pcapng" -V -o 'isup.variant:ITU Standard' >"$out/decode.txt" 2>&1 ||
	fail "tshark cannot read the capture"
grep -Eq 'Malformed|\[Expert Info' "$out/decode.txt" && fail "tshark reports malformed packets or expert errors"
for t in "Initial address" "Address complete" "Answer" "Release" "Release complete"; do
	n=$(grep -c "Message Type: $t (" "$out/decode.txt")
	# A->STP, STP->B, and the echo B->STP, STP->A
	[ "$n" -eq 4 ] || fail "tshark saw '$t' $n times, want 4 (two hops there and back)"
done
grep -q 'Called Party Number: 12025550001' "$out/decode.txt" || fail "tshark: called number"
grep -q 'Calling Party Number: 12025550002' "$out/decode.txt" || fail "tshark: calling number"
grep -q 'OPC: 100' "$out/decode.txt" || fail "tshark: no M3UA OPC 100"
grep -q 'DPC: 200' "$out/decode.txt" || fail "tshark: no M3UA DPC 200"
echo "ok: tshark decodes 20 M3UA DATA (IAM/ACM/ANM/REL/RLC, 2 hops each way), no malformed packet"
rm -rf "$out"
echo "1 passed, 0 failed"
