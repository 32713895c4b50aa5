#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A forwarded call through two IWFs and a real STP (docs/FORWARDING.md):
# SIPp UAC -> stiwfd A (PC 100) -> osmo-stp -> stiwfd B (PC 200) -> SIPp UAS,
# with the test PKI and an HTTPS x5u server.  Runs in a User-Mode-Linux
# guest when this kernel has no SCTP (uml/run.sh prints which transport it
# used); tshark judges the ISUP capture here afterwards.
set -u
srcdir=${srcdir:-.}
. "${srcdir:-.}/tests/lib-needs.sh"; needs guest sipp osmo-stp tshark
top_builddir=${top_builddir:-.}
out=$(mktemp -d "$top_builddir/tests/integration/iwf_forward.XXXXXX") || exit 1
export srcdir top_builddir
fail() { echo "FAIL: $*"; echo "logs kept in $out"; exit 1; }

# the test PKI is made here: openssl is much slower inside the guest
"$srcdir/contrib/gen-test-pki.sh" "$out/pki" >"$out/pki.log" 2>&1 || fail "test PKI"
bash "$srcdir/tests/integration/uml/run.sh" "$srcdir/tests/integration/iwf_forward.guest.sh" "$out" 150 ||
	fail "the forwarded calls through the two IWFs failed"

tshark -n -r "$out/capture.pcapng" -V -o 'isup.variant:ITU Standard' >"$out/decode.txt" 2>&1 ||
	fail "tshark cannot read the capture"
# Wireshark adds Notes to every GRS and GRA (remarks on the message type),
# and cannot dissect our token ("Warning/Undecoded" on the APM-user
# information); any other warning or error fails, and so does anything
grep -E 'Malformed|\[Expert Info \((Warning|Error)' "$out/decode.txt" |
	grep -v 'Warning/Undecoded): No further dissection of APM-user information' | grep -q . &&
	fail "tshark reports malformed packets or expert warnings/errors"
# Each message crosses the STP: two M3UA DATA per ISUP message.
n=$(grep -c "Message Type: Initial address (" "$out/decode.txt")
[ "$n" -eq 6 ] || fail "tshark saw $n IAM, want 6 (3 calls, 2 hops)"
# the forwarded call's IAM, both hops: Q.763 §3.38, §3.44, §3.45
fields=$(tshark -n -r "$out/capture.pcapng" -o 'isup.variant:ITU Standard' -Y 'isup.message_type == 1' -T fields \
	-e isup.redirecting -e isup.original_called_number -e isup.redirection_reason -e isup.redirection_counter 2>/dev/null |
	LC_ALL=C sort | uniq -c | sed 's/^ *//')
want=$(printf '2 \t\t\t\n4 12025550100\t12025550100\t1\t1')
[ "$fields" = "$want" ] || fail "IAM redirection as tshark reads it: '$fields'"
echo "ok: tshark: the forwarded calls' IAMs carry Redirecting and Original Called Number 12025550100, reason user busy, counter 1; the other IAM none"
# the signed forwarded call's token, as tshark cuts it out of the APP
# parameters (ARCHITECTURE §2.2): a DIV TLV (0x06, length, iat, div-len 11,
# "12025550100"), on both hops
apm=$(tshark -n -r "$out/capture.pcapng" -o 'isup.variant:ITU Standard' -T fields -e isup.apm_user_info_field \
	2>/dev/null | tr -d ',:')
n=$(grep -c -E '06[0-9a-f]{2}[0-9a-f]{8}0b3132303235353530313030' <<<"$apm")
[ "$n" -eq 2 ] || fail "tshark found the DIV TLV in $n APM user information fields, want 2 (one call, 2 hops)"
echo "ok: tshark: the signed forwarded call's token carries the DIV TLV (div 12025550100) on both hops"
rm -rf "$out"
echo "1 passed, 0 failed"
