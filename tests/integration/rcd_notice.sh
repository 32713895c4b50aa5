#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# RFC 9795 Rich Call Data at the SIP -> ISUP border, on this host's
# loopback: an INVITE whose PASSporT holds "rcd" and "crn" claims.  stiwfd
# logs at NOTICE that the Rich Call Data is not carried into ISUP and is
# dropped at the border, and its call-log shows that no PASSporT went into
# the IAM's token.  A PASSporT without them gets no such line.  (No M3UA
# here: the calls end in 503; the x5u is refused by the default fetch ACL,
# so that the verdict is a failure, which the policy lets continue.)
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs sipp
. "${srcdir:-.}/tests/integration/lib.sh"
. "${srcdir:-.}/tests/integration/lib-bg.sh"

dir=$(mktemp -d "$top_builddir/tests/integration/rcd_notice.XXXXXX") || exit 1
base=$(stiwf_port_base)
sip_port=$base vty_port=$((base + 1)) sipp_port=$((base + 2))
SC=${srcdir:-.}/tests/integration/sipp
fail() { echo "FAIL: $*"; echo "--- stiwfd log:"; cat "$dir/stiwfd.log"; exit 1; }

echo "transport: SIP over UDP on host loopback; M3UA configured but not reachable (no SS7 in this test)"
"${srcdir:-.}/contrib/gen-test-pki.sh" "$dir/pki" >/dev/null || fail "test PKI"

cat >"$dir/stiwfd.conf" <<CONF
log stderr
 logging level set-all notice
line vty
 bind 127.0.0.1 $vty_port
sip
 local 127.0.0.1 $sip_port
 transport udp
stir
 trust-dir $dir/pki/shaken/trust
sip-peer carrier
 remote 127.0.0.1 $((base + 3))
 on-stir-failure continue
 country-code 1
ss7-peer exchange
 cs7-instance 0
 point-code 100
 cic 1 8
route 1 ss7-peer exchange
cs7 instance 0
 point-code format 24
 point-code 200
 asp asp-b 2905 $((base + 4)) m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
  role asp
  sctp-role client
 as as-b m3ua
  asp asp-b
  routing-key 20 200
CONF
stiwfd_start "$dir" "$dir/stiwfd.conf" || fail "stiwfd did not start"

b64u() { basenc --base64url -w0 | tr -d '='; }
x5u=https://127.0.0.1:9/sp-a-chain.pem
hdr=$(printf '{"alg":"ES256","ppt":"shaken","typ":"passport","x5u":"%s"}' "$x5u" | b64u)
sig=$(head -c 64 /dev/urandom | b64u)
# token CLAIMS-EXTRA-BEFORE-DEST CLAIMS-EXTRA-AFTER-ORIGID
token() {
	printf '{"attest":"A"%s,"dest":{"tn":["12025550199"]},"iat":%s,"orig":{"tn":"12025550100"},"origid":"4437a2d6-3a8e-4c39-9a6d-2f5e0d3b1a7c"%s}' \
		"$1" "$(date +%s)" "$2" | b64u
}
call() { # NAME CLAIMS...: one call whose PASSporT has these claims
	printf 'SEQUENTIAL\n12025550100;12025550199;%s.%s.%s;%s\n' "$hdr" "$(token "$2" "$3")" "$sig" "$x5u" >"$dir/$1.csv"
	sipp_run "$1" "$SC/uac_identity_expect_503.xml" "127.0.0.1:$sip_port" "$sipp_port" 1 -inf "$dir/$1.csv" ||
		fail "SIPp $1: $(cat "$dir/$1.err" 2>/dev/null)"
}

call plain '' ''
wait_log "$dir/stiwfd.log" 'call-log \{' 1 20 || fail "no call-log line for the call without Rich Call Data"
grep -q 'Rich Call Data' "$dir/stiwfd.log" && fail "a NOTICE for a PASSporT without Rich Call Data"
echo "ok: a PASSporT without Rich Call Data: no NOTICE"

call rcd ',"crn":"Your parcel"' ',"rcd":{"nam":"Example Parcels"}'
wait_log "$dir/stiwfd.log" 'call-log \{' 2 20 || fail "no call-log line for the call with Rich Call Data"
line=$(grep 'Rich Call Data' "$dir/stiwfd.log")
case $line in
*'NOTICE'*'PASSporT carries Rich Call Data (rcd, crn): not carried into ISUP, dropped at this border; only the verdict goes on'*) ;;
*) fail "no NOTICE naming rcd and crn: '$line'" ;;
esac
echo "  $line" | sed 's/IWF_CALL([0-9]*)\[0x[0-9a-f]*\]/IWF_CALL/'
grep 'call-log {' "$dir/stiwfd.log" | tail -n 1 | grep -q '"isup_out":{"hop":false,"passport":false' ||
	fail "the call-log says a PASSporT went into the token: $(grep 'call-log {' "$dir/stiwfd.log" | tail -n 1)"
echo "ok: rcd and crn claims: NOTICE that they are not carried into ISUP; no PASSporT in the token"

stiwfd_stop || fail "stiwfd did not stop cleanly"
rm -rf "$dir"
echo "2 passed, 0 failed"
