#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# STIR/SHAKEN interop with a real peer, Kamailio 5.6 with secsipid:
#   stiwf signs (stiwf passport sign) and Kamailio's secsipid_check_identity()
#   verifies with the signer's certificate: the call goes through; a token
#   with a tampered signature is refused with 438 and a Reason header.
#   The other direction: Kamailio signs (secsipid_add_identity(), x5u on
#   tests/certs/httpsd serving SP A's chain), the SIPp callee captures the
#   Identity header, and stiwf passport verify -- the STI-VS, fetching the
#   x5u over HTTPS -- passes it with attest A, and fails it with 438 when
#   the request's calling number is not the signed "orig".
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs sipp kamailio
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
. "$srcdir/tests/integration/lib.sh"
. "$srcdir/tests/integration/lib-bg.sh"
dir=$(mktemp -d "$top_builddir/tests/integration/kamailio_interop.XXXXXX") || exit 1
fail() {
	echo "FAIL: $*"
	for f in "$dir"/*.log "$dir"/*.err; do [ -f "$f" ] && { echo "--- $f"; tail -n 40 "$f"; }; done
	exit 1
}
base=$(stiwf_port_base)
kam_port=$base uas_port=$((base + 1)) uac_port=$((base + 2))
echo "transport: SIP over UDP on host loopback; Kamailio $(kamailio -v | sed -n 's/^version: kamailio \([^ ]*\).*/\1/p') with secsipid"

"$srcdir/contrib/gen-test-pki.sh" "$dir/pki" >"$dir/pki.log" 2>&1 || fail "test PKI"
. "$dir/pki/pki.env"
x5u=https://127.0.0.1:8443/sp-a-chain.pem

# --- stiwf signs, Kamailio verifies
bg_start kam "kamailio ready" "$dir/kamailio.log" \
	kamailio -f "$srcdir/contrib/kamailio/secsipid.cfg" -DD -E -Y "$dir" \
	-A WITH_VERIFY -A "LISTEN=udp:127.0.0.1:$kam_port" \
	-A "NEXT_HOP=\"sip:127.0.0.1:$uas_port\"" -A "VERIFY_CERT=\"$PKI_SHAKEN_SP_A_CERT\"" ||
	fail "Kamailio did not start"

value=$("$STIWF" passport sign --key "$PKI_SHAKEN_SP_A_KEY" --x5u "$x5u" --attest A \
	--orig 12025550002 --dest 12025550001) || fail "stiwf passport sign"
token=${value%%;*}
case $value in
*";info=<$x5u>;alg=ES256;ppt=shaken") ;;
*) fail "Identity value without ;info=<x5u>;alg=ES256;ppt=shaken: $value" ;;
esac
# the same token with a signature character changed; not the last one,
# whose low bits are padding that lenient base64url decoders ignore
pos=$((${#token} - 10))
c=${token:$pos:1}
if [ "$c" = A ]; then repl=B; else repl=A; fi
bad=${token:0:$pos}$repl${token:$((pos + 1))}
printf 'SEQUENTIAL\n12025550002;12025550001;%s;%s\n' "$token" "$x5u" >"$dir/good.csv"
printf 'SEQUENTIAL\n12025550002;12025550001;%s;%s\n' "$bad" "$x5u" >"$dir/bad.csv"

sipp_bg uas -sf "$srcdir/contrib/sipp/uas_answer.xml" -i 127.0.0.1 -p "$uas_port" -m 1 \
	-trace_msg -message_file "$dir/uas.msgs" || fail "SIPp UAS"
timeout 30 sipp -sf "$srcdir/contrib/sipp/uac_call_identity.xml" -inf "$dir/good.csv" \
	"127.0.0.1:$kam_port" -i 127.0.0.1 -p "$uac_port" -m 1 -nostdin -timeout 20s -timeout_error \
	-trace_err -error_file "$dir/good.err" >/dev/null 2>&1 || fail "signed call did not complete"
wait_exit "$uas" 20 || fail "SIPp UAS did not finish"
grep -q '^X-Secsipid-Verified: yes' "$dir/uas.msgs" || fail "Kamailio did not mark the call verified"
grep -q "^Identity: $token;info=<$x5u>;alg=ES256;ppt=shaken" "$dir/uas.msgs" ||
	fail "the Identity header did not arrive unchanged"
echo "ok: stiwf signed, Kamailio secsipid verified with SP A's certificate, call answered"

timeout 30 sipp -sf "$srcdir/contrib/sipp/uac_call_rejected.xml" -inf "$dir/bad.csv" \
	"127.0.0.1:$kam_port" -i 127.0.0.1 -p "$uac_port" -m 1 -nostdin -timeout 20s -timeout_error \
	-trace_err -error_file "$dir/bad.err" >/dev/null 2>&1 || fail "tampered call was not refused with 438"
wait_log "$dir/kamailio.log" 'Identity of 12025550002 -> 12025550001 invalid' 1 10 ||
	fail "Kamailio did not log the invalid Identity"
echo "ok: a tampered signature is refused by Kamailio with 438 and Reason cause=438"

# --- Kamailio signs, stiwf verifies
kam2_port=$((base + 3)) uas2_port=$((base + 4))
mkdir "$dir/tls"
httpsd_start "$dir/tls" "$dir/pki/shaken" || fail "x5u repository (httpsd)"
x5u2="https://127.0.0.1:$HTTPSD_PORT/pem/sp-a-chain.pem"
echo "transport: SIP over UDP on host loopback; x5u over HTTPS (test CA) from 127.0.0.1:$HTTPSD_PORT"
bg_start kam2 "kamailio ready" "$dir/kamailio-sign.log" \
	kamailio -f "$srcdir/contrib/kamailio/secsipid.cfg" -DD -E -Y "$dir" \
	-A WITH_SIGN -A "LISTEN=udp:127.0.0.1:$kam2_port" \
	-A "NEXT_HOP=\"sip:127.0.0.1:$uas2_port\"" -A "X5U=\"$x5u2\"" \
	-A "SIGN_KEY=\"$PKI_SHAKEN_SP_A_KEY\"" ||
	fail "signing Kamailio did not start"
printf 'SEQUENTIAL\n12025550002;12025550001;\n' >"$dir/plain.csv"
sipp_bg uas2 -sf "$srcdir/contrib/sipp/uas_answer.xml" -i 127.0.0.1 -p "$uas2_port" -m 1 \
	-trace_msg -message_file "$dir/uas2.msgs" || fail "SIPp UAS"
timeout 30 sipp -sf "$srcdir/contrib/sipp/uac_call.xml" -inf "$dir/plain.csv" \
	"127.0.0.1:$kam2_port" -i 127.0.0.1 -p "$((base + 5))" -m 1 -nostdin -timeout 20s -timeout_error \
	-trace_err -error_file "$dir/plain.err" >/dev/null 2>&1 || fail "call through the signing Kamailio"
wait_exit "$uas2" 20 || fail "SIPp UAS did not finish"
kid=$(sed -n 's/^Identity: *//p' "$dir/uas2.msgs" | head -n 1 | tr -d '\r')
[ -n "$kid" ] || fail "no Identity header reached the callee"
case $kid in
*"info=<$x5u2>"*) ;;
*) fail "Kamailio's Identity header does not point at the repository: $kid" ;;
esac
out=$("$STIWF" passport verify --identity "$kid" --orig 12025550002 --dest 12025550001 \
	--trust "$dir/pki/shaken/trust" --x5u-ca "$HTTPSD_CA" --fetch-permit 127.0.0.0/8 2>"$dir/verify.err") ||
	fail "stiwf passport verify refused Kamailio's PASSporT: $out $(cat "$dir/verify.err")"
case $out in
'{"verstat":"TN-Validation-Passed","code":0,"reason":"OK","attest":"A",'*'"spc":"1234"}') ;;
*) fail "unexpected verdict on Kamailio's PASSporT: $out" ;;
esac
grep -q '^REQ /pem/sp-a-chain.pem' "$dir/tls/httpsd.log" || fail "the x5u was not fetched from the repository"
echo "ok: Kamailio secsipid signed, stiwf verified (x5u fetched over HTTPS): $out"

rc=0
out=$("$STIWF" passport verify --identity "$kid" --orig 12025550003 --dest 12025550001 \
	--trust "$dir/pki/shaken/trust" --x5u-ca "$HTTPSD_CA" --fetch-permit 127.0.0.0/8 2>"$dir/verify.err") || rc=$?
case $rc:$out in
1:'{"verstat":"TN-Validation-Failed","code":438,"reason":"Invalid Identity Header",'*) ;;
*) fail "Kamailio's PASSporT with a wrong orig: exit $rc, $out" ;;
esac
echo "ok: Kamailio's PASSporT against another calling number fails with 438"

rm -rf "$dir"
echo "2 passed, 0 failed"
