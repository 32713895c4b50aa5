#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# stiwfd with the whole IWF configured (both trust domains, credentials,
# a sip-peer, an ss7-peer on a cs7 instance, the MAP border on its SCCP)
# under valgrind, on the host:
# - a key file open to group or others is refused at start;
# - an INVITE from an address that is no sip-peer gets 403;
# - a signed INVITE whose x5u is not found (436, policy continue) goes
#   through the STI-VS, a HOP signature on the worker pool, and ends in 503
#   with the cause of the missing ISUP user part (38): no SCTP here, so the
#   M3UA association never comes up;
# - a signed INVITE whose x5u server never answers is still being verified
#   when stiwfd stops: "show calls" lists it, SIGTERM ends it with 503
#   (cause 41) and cancels the fetch;
# - "show calls summary" counts all that, "show map-peers" and "show map
#   dialogues" the MAP border's;
# - a sip-peer whose keepalive finds nobody goes down, its OPTIONS still
#   going at the stop; the metrics endpoint is scraped, and a connection
#   to it is left open at the stop;
# - no memory error, no definite or indirect leak.
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs sipp valgrind
. "${srcdir:-.}/tests/integration/lib.sh"
. "${srcdir:-.}/tests/integration/lib-bg.sh"
SC=${srcdir:-.}/tests/integration/sipp

dir=$(mktemp -d "$top_builddir/tests/integration/valgrind_iwf.XXXXXX") || exit 1
base=$(stiwf_port_base)
sip_port=$base vty_port=$((base + 1)) uac_port=$((base + 2)) uac2_port=$((base + 3))
m_port=$((base + 5)) dead_port=$((base + 6))
fail() { echo "FAIL: $*"; echo "--- stiwfd log:"; tail -n 60 "$dir/stiwfd.log"; exit 1; }

echo "transport: SIP over UDP on host loopback; M3UA configured but never up"
"${srcdir:-.}/contrib/gen-test-pki.sh" "$dir/pki" >"$dir/pki.log" 2>&1 || fail "test PKI"
. "$dir/pki/pki.env"
mkdir -p "$dir/tls"
httpsd_start "$dir/tls" "$dir/pki/shaken" || fail "x5u server (httpsd)"
x5u_b=https://127.0.0.1:$HTTPSD_PORT/pem/sp-b-chain.pem
x5u=https://127.0.0.1:$HTTPSD_PORT/pem/no-such-chain.pem
x5u_hang=https://127.0.0.1:$HTTPSD_PORT/hang

conf() {	# conf TSCA-KEY
	cat <<EOF
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging print level 1
 logging level set-all notice
 logging level main info
 logging level iwf info
line vty
 bind 127.0.0.1 $vty_port
metrics listen 127.0.0.1 $m_port
sip
 local 127.0.0.1 $sip_port
 transport udp
stir
 trust-dir $PKI_SHAKEN_TRUST_DIR
 crl-file $PKI_SHAKEN_CRL_DIR/sti-ca.crl.pem
 x5u-ca-file $HTTPSD_CA
 x5u-port $HTTPSD_PORT
 x5u-acl permit 127.0.0.0/8
 x5u-timeout 60000
 credential key $PKI_SHAKEN_SP_B_KEY chain $PKI_SHAKEN_SP_B_CHAIN x5u $x5u_b
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 credential key $1 chain $PKI_TSCA_OP1_FULL_CHAIN
sip-peer uac
 remote 127.0.0.1 $uac_port
 country-code 1
sip-peer nobody
 remote 127.0.0.1 $dead_port
 keepalive interval 1
 keepalive failures 1
ss7-peer exchange
 point-code 200
 cic 1 31
 country-code 1
route 1 ss7-peer exchange
EOF
	cat "${srcdir:-.}/contrib/ss7/iwf-a.cs7.cfg"
	cat <<EOF
sccp
 local-gt 4930000000
 route gt 4930 pc 200 strip-signature
 route default pc 200
map-peer home
 calling-gt 4930
 sign
map-peer others
 calling-gt default
 policy reject
 block-action tc-abort
EOF
}

# A TSCA key that group and others may read: refused before anything binds.
cp "$PKI_TSCA_OP1_FULL_KEY" "$dir/open.key"
chmod 0644 "$dir/open.key"
conf "$dir/open.key" >"$dir/open.conf"
"$STIWFD" -c "$dir/open.conf" >"$dir/open.out" 2>&1 && fail "a key file open to others must stop stiwfd"
grep -q "group or others may access it" "$dir/open.out" || fail "the refusal does not say why: $(tail -n 3 "$dir/open.out")"
echo "ok: a TSCA key file with mode 0644 is refused at start"

conf "$PKI_TSCA_OP1_FULL_KEY" >"$dir/stiwfd.conf"
wrapper="valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --error-exitcode=99 --log-file=$dir/valgrind.log"
# shellcheck disable=SC2086
stiwfd_start "$dir" "$dir/stiwfd.conf" $wrapper || fail "stiwfd did not start"

printf 'SEQUENTIAL\n12025550003;12025550001\n' >"$dir/plain.csv"
timeout 30 sipp -sf "$SC/uac_expect_403.xml" "127.0.0.1:$sip_port" -i 127.0.0.2 -p "$uac_port" -inf "$dir/plain.csv" \
	-m 1 -nostdin -timeout 20s -timeout_error -trace_err -error_file "$dir/403.err" >/dev/null 2>&1 ||
	fail "no 403 for an INVITE from 127.0.0.2"
echo "ok: INVITE from an address that is no sip-peer: 403"

value=$("$STIWF" passport sign --key "$PKI_SHAKEN_SP_A_KEY" --x5u "$x5u" --attest A \
	--orig 12025550002 --dest 12025550001) || fail "stiwf passport sign"
printf 'SEQUENTIAL\n12025550002;12025550001;%s;%s\n' "${value%%;*}" "$x5u" >"$dir/signed.csv"
sed 's|<recv response="200" rtd="true" rrs="true"/>|<recv response="503"/>|' "${srcdir:-.}/contrib/sipp/uac_call_identity.xml" |
	sed '/<pause milliseconds/,$d' >"$dir/uac_signed_503.xml"
cat >>"$dir/uac_signed_503.xml" <<'EOF'
</scenario>
EOF
timeout 40 sipp -sf "$dir/uac_signed_503.xml" "127.0.0.1:$sip_port" -i 127.0.0.1 -p "$uac_port" -inf "$dir/signed.csv" \
	-m 1 -nostdin -timeout 30s -timeout_error -trace_msg -message_file "$dir/503.msgs" \
	-trace_err -error_file "$dir/503.err" >/dev/null 2>&1 || fail "the signed call did not end in 503"
grep -q '^Reason: Q.850;cause=38' "$dir/503.msgs" || fail "503 without Reason: Q.850;cause=38"
# the log line follows the 503; valgrind makes stiwfd slow
wait_log "$dir/stiwfd.log" 'call-log \{.*"code":436.*"hop":true.*"cause":38' 1 20 ||
	fail "the call-log line does not show 436, a HOP and cause 38"
echo "ok: signed INVITE, x5u not found (436), continue: HOP signed, no user part: 503 with Reason cause 38"

# SIGHUP reads the CRL files again: the STI-CA publishes a new CRL
(cd "$dir/pki/shaken" && openssl ca -gencrl -config .ca/sti-ca/ca.cnf -crldays 60 \
	-out "$PKI_SHAKEN_CRL_DIR/sti-ca.crl.pem") >/dev/null 2>&1 || fail "a new CRL"
kill -HUP "$STIWFD_PID"
wait_log "$dir/stiwfd.log" 'CRLs: 1 read again' 1 20 || fail "SIGHUP did not read the new CRL"
kill -0 "$STIWFD_PID" || fail "stiwfd did not survive SIGHUP"
echo "ok: SIGHUP read the new CRL file; stiwfd goes on"

# A call whose x5u fetch hangs is still in VERIFY when stiwfd stops.
value=$("$STIWF" passport sign --key "$PKI_SHAKEN_SP_A_KEY" --x5u "$x5u_hang" --attest A \
	--orig 12025550002 --dest 12025550001) || fail "stiwf passport sign"
printf 'SEQUENTIAL\n12025550002;12025550001;%s;%s\n' "${value%%;*}" "$x5u_hang" >"$dir/hang.csv"
sipp_bg UAC2 -sf "$dir/uac_signed_503.xml" "127.0.0.1:$sip_port" -i 127.0.0.1 -p "$uac2_port" \
	-inf "$dir/hang.csv" -m 1 -timeout 60s -trace_msg -message_file "$dir/hang.msgs" \
	-trace_err -error_file "$dir/hang.err" || fail "SIPp UAC"
wait_log "$dir/tls/httpsd.log" '^REQ /hang' 1 20 || fail "the x5u of the second call was not asked for"

out=$("$STIWF" vty --port "$vty_port" 'show calls' 'show calls summary') || fail "VTY: $out"
echo "$out" | sed 's/^/  vty| /'
echo "$out" | grep -Eq '^3 +sip-isup +VERIFY +12025550002 +12025550001 +uac +exchange' ||
	fail "show calls does not list the call being verified"
echo "$out" | grep -q '^1 call(s)' || fail "show calls: not one call"
echo "$out" | grep -Eq 'call:sip_in +3 ' || fail "show calls summary does not count 3 INVITEs"
echo "$out" | grep -Eq 'stir:failed +1 ' || fail "show calls summary does not count the failed PASSporT"
grep -q "MAP border: 2 map-peer(s), TSCA trust on, signing on" "$dir/stiwfd.log" || fail "no MAP border"
out=$("$STIWF" vty --port "$vty_port" 'show map-peers' 'show map dialogues' 'show map categories') ||
	fail "VTY: $out"
echo "$out" | grep -Eq '^others +0 +0 ' || fail "show map-peers: no counters of the map-peer others"
echo "$out" | grep -q '^0 dialogue(s) of at most 65536, timer 120 s' || fail "show map dialogues"
echo "$out" | grep -Eq '^71 +anyTimeInterrogation +cat1' || fail "show map categories"
echo "ok: the MAP border is up: show map-peers, show map dialogues, show map categories"

wait_log "$dir/stiwfd.log" 'sip-peer nobody: down after 1 failed OPTIONS' 1 30 || fail "sip-peer nobody not down"
curl -s "http://127.0.0.1:$m_port/metrics" | grep -q '^stiwf_sip_peer_calls_in_total{index="0",name="uac"} ' ||
	fail "the metrics endpoint does not answer under valgrind"
exec {idle}<>"/dev/tcp/127.0.0.1/$m_port" || fail "metrics connection"
echo "ok: keepalive down, metrics scraped, a metrics connection left open"

stiwfd_stop TERM
rc=$?
exec {idle}<&-
[ $rc -eq 0 ] || fail "stiwfd exit status $rc (99: valgrind found errors)"
grep -q "ERROR SUMMARY: 0 errors" "$dir/valgrind.log" || { cat "$dir/valgrind.log"; fail "valgrind errors"; }
wait_exit "$UAC2" 20 || fail "the caller of the hanging call did not finish"
grep -q '^Reason: Q.850;cause=41' "$dir/hang.msgs" || fail "the call being verified did not end in 503 with cause 41"
echo "ok: SIGTERM during verification: 503 with Reason cause 41, fetch cancelled; valgrind clean"
rm -rf "$dir"
echo "1 passed, 0 failed"
