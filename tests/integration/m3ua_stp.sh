#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ISUP through a real osmo-stp over M3UA/SCTP, between two endpoints built on
# stiwf's ss7/ transport.  Runs in a User-Mode-Linux guest when this kernel
# has no SCTP (uml/run.sh prints which).
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs guest osmo-stp tshark
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
out=$(mktemp -d "$top_builddir/tests/integration/m3ua_stp.XXXXXX") || exit 1
export srcdir top_builddir
fail() { echo "FAIL: $*"; echo "logs kept in $out"; exit 1; }
STIWF=$top_builddir/stiwf

# A signed IAM: HOP by TSCA operator 1, PASSporT of SHAKEN SP A carried end
# to end, VERDICT passed (ARCHITECTURE §2.2).
"$srcdir/contrib/gen-test-pki.sh" "$out/pki" >"$out/pki.log" 2>&1 || fail "test PKI"
. "$out/pki/pki.env"
identity=$("$STIWF" passport sign --key "$PKI_SHAKEN_SP_A_KEY" --x5u https://127.0.0.1:8443/sp-a.pem \
	--attest A --orig 12025550002 --dest 12025550001) || fail "stiwf passport sign"
"$STIWF" isup iam --called 12025550001 --calling 12025550002 --cic 2 \
	--sign-key "$PKI_TSCA_OP1_FULL_KEY" --sign-cert "$PKI_TSCA_OP1_FULL_CHAIN" \
	--passport "$identity" --verstat passed >"$out/signed_iam.hex" || fail "stiwf isup iam"

bash "$srcdir/tests/integration/uml/run.sh" "$srcdir/tests/integration/m3ua_stp.guest.sh" "$out" 90 ||
	fail "the exchange through osmo-stp failed"

# tshark, a decoder we did not write, judges what crossed the STP.
tshark -n -r "$out/capture.pcapng" -V -o 'isup.variant:ITU Standard' >"$out/decode.txt" 2>&1 ||
	fail "tshark cannot read the capture"
# tshark cannot dissect our token: "Warning/Undecoded" on the APM-user
# information is expected; anything else is a fault.
grep -E 'Malformed|\[Expert Info' "$out/decode.txt" | grep -v 'Warning/Undecoded): No further dissection of APM-user information' |
	grep -q . && fail "tshark reports malformed packets or expert errors"
for t in "Initial address" "Address complete" "Answer" "Release" "Release complete"; do
	n=$(grep -c "Message Type: $t (" "$out/decode.txt")
	# A->STP, STP->B, and the echo B->STP, STP->A; two IAMs
	want=4
	[ "$t" = "Initial address" ] && want=8
	[ "$n" -eq $want ] || fail "tshark saw '$t' $n times, want $want (two hops there and back)"
done
grep -q 'Application context identifier: Unknown (90)\|Application context identifier: 90\|(90)' "$out/decode.txt" ||
	fail "tshark: no APP parameter with ACI 90"
grep -q 'Called Party Number: 12025550001' "$out/decode.txt" || fail "tshark: called number"
grep -q 'Calling Party Number: 12025550002' "$out/decode.txt" || fail "tshark: calling number"
grep -q 'OPC: 100' "$out/decode.txt" || fail "tshark: no M3UA OPC 100"
grep -q 'DPC: 200' "$out/decode.txt" || fail "tshark: no M3UA DPC 200"
echo "ok: tshark decodes 24 M3UA DATA (IAM/ACM/ANM/REL/RLC and a signed IAM, 2 hops each way), no malformed packet"

# The signed IAM as it arrived at PC 200 verifies: HOP against the TSCA
# trust store, the carried PASSporT against the original signer (SP A).
[ -s "$out/signed_iam.rx" ] || fail "B did not log the signed IAM"
"$STIWF" isup decode --verify --trust "$PKI_TSCA_TRUST_DIR" --cert-dir "$out/pki/tsca" \
	--passport-trust "$PKI_SHAKEN_TRUST_DIR" --passport-cert "$PKI_SHAKEN_SP_A_CHAIN" \
	"$(cat "$out/signed_iam.rx")" >"$out/verify.json" 2>"$out/verify.err" ||
	fail "the signed IAM received through the STP does not verify: $(cat "$out/verify.json")"
grep -q '"valid": true' "$out/verify.json" || fail "no valid HOP in $(cat "$out/verify.json")"
grep -q '"policy": "full"' "$out/verify.json" || fail "HOP signer not a full operator"
echo "ok: the signed IAM received at PC 200 verifies: HOP (TSCA operator 1, full) and the PASSporT of SP A"
rm -rf "$out"
echo "1 passed, 0 failed"
