#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# "stiwf passport verify": its JSON and exit codes for a pass and each
# failure class, with the x5u fetched over HTTPS from tests/certs/httpsd
# (or given with --cert): stale/future iat 403, wrong orig/dest and bad
# signature 438, info != x5u, unreachable, hanging, garbage, 404, oversized
# and redirect-to-http repositories 436, a loopback x5u (the test server
# itself) refused without --fetch-permit and one with a query string,
# untrusted/expired/revoked 437, usage errors 2; a forwarded call's div
# PASSporT (RFC 8946, "passport sign --div").  And "stiwf bench passport" runs and prints its fields.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
stiwf="$top_builddir/stiwf"
httpsd="$top_builddir/tests/certs/httpsd"
work=$(mktemp -d "$PWD/stiwf_passport_verify.XXXXXX")
srv_pid=""
cat_pid=""
cleanup()
{
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null
	[ -n "$cat_pid" ] && wait "$cat_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
fails=0
passes=0

ok()
{
	echo "ok: $1"
	passes=$((passes + 1))
}
bad()
{
	echo "FAIL: $1"
	fails=$((fails + 1))
}

sh "$top_srcdir/contrib/gen-test-pki.sh" "$work/pki" >/dev/null || { echo "FAIL: test PKI"; exit 1; }
. "$work/pki/pki.env"
trust="$work/pki/shaken/trust"

# The repository: a throw-away TLS CA and server certificate for 127.0.0.1.
mkdir "$work/tls"
(
	cd "$work/tls" || exit 1
	umask 077
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
		-subj '/CN=stiwf verify test CA' -days 2 -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign &&
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout srv.key -out srv.csr \
		-subj /CN=localhost &&
	printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >srv.ext &&
	openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile srv.ext \
		-out srv.pem
) >/dev/null 2>&1 || { echo "FAIL: TLS test CA"; exit 1; }
ca="$work/tls/ca.pem"

# Start httpsd and read its READY line from a fifo: no sleeping.
mkfifo "$work/srv.fifo"
"$httpsd" "$work/tls/srv.pem" "$work/tls/srv.key" "$work/pki/shaken" >"$work/srv.fifo" &
srv_pid=$!
exec 8<"$work/srv.fifo"
read -r -t 30 ready port raw_port <&8
if [ "${ready:-}" != READY ]; then
	echo "FAIL: httpsd did not start"
	exit 1
fi
cat <&8 >"$work/srv.log" &
cat_pid=$!
exec 8<&-
base="https://127.0.0.1:$port"
echo "repository: HTTPS on 127.0.0.1:$port (test CA), unanswering TCP on :$raw_port"

orig=12025550002
dest=12025550001
now=$(date +%s)

# sign NAME X5U [ORIG] [IAT]: an Identity header value signed with NAME's key
sign()
{
	local key
	eval "key=\$PKI_SHAKEN_${1}_KEY"
	"$stiwf" passport sign --key "$key" --x5u "$2" --attest A --orig "${3:-$orig}" --dest "$dest" \
		--origid 123e4567-e89b-42d3-a456-426655440000 --iat "${4:-$now}"
}

# expect WHAT EXIT CODE VERSTAT -- verify arguments...
expect()
{
	local what=$1 want_rc=$2 want_code=$3 want_verstat=$4 rc=0 out
	shift 5
	out=$("$stiwf" passport verify "$@" 2>"$work/err") || rc=$?
	if [ "$rc" != "$want_rc" ]; then
		bad "$what: exit $rc, want $want_rc; $out $(cat "$work/err")"
		return
	fi
	if [ "$want_rc" = 2 ]; then
		ok "$what: exit 2"
		return
	fi
	case $out in
	"{\"verstat\":\"$want_verstat\",\"code\":$want_code,\"reason\":\""*) ;;
	*) bad "$what: $out, want verstat $want_verstat code $want_code"; return ;;
	esac
	ok "$what: exit $rc, code $want_code"
	LAST=$out
}

# reason phrases of ATIS-1000074 §5.3.2
reason_of()
{
	printf '%s\n' "$LAST" | sed -n 's/.*"reason":"\([^"]*\)".*/\1/p'
}

good=$(sign SP_A "$base/pem/sp-a-chain.pem") || { echo "FAIL: sign"; exit 1; }
expect "pass, x5u over HTTPS" 0 0 TN-Validation-Passed -- --identity "$good" --orig "$orig" --dest "$dest" \
	--trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8
want='{"verstat":"TN-Validation-Passed","code":0,"reason":"OK","attest":"A","origid":"123e4567-e89b-42d3-a456-426655440000","spc":"1234"}'
if [ "$LAST" = "$want" ]; then ok "pass: whole JSON object"; else bad "pass JSON: $LAST"; fi
n=$(grep -c '^REQ /pem/sp-a-chain.pem$' "$work/srv.log")
[ "$n" = 1 ] && ok "pass: one request to the repository" || bad "pass: $n requests"

expect "pass, --cert, tel and sip URIs" 0 0 TN-Validation-Passed -- --identity "$good" \
	--orig "tel:+1-202-555-0002" --dest "sip:+12025550001@example.com;user=phone" --trust "$trust" \
	--cert "$PKI_SHAKEN_SP_A_CHAIN"

old=$(sign SP_A "$base/pem/sp-a-chain.pem" "$orig" $((now - 100)))
expect "stale iat" 1 403 TN-Validation-Failed -- --identity "$old" --orig "$orig" --dest "$dest" \
	--trust "$trust" --cert "$PKI_SHAKEN_SP_A_CHAIN" --now "$now"
[ "$(reason_of)" = "Stale Date" ] && ok "stale: reason Stale Date" || bad "stale reason: $LAST"
expect "stale iat within --max-age 120" 0 0 TN-Validation-Passed -- --identity "$old" --orig "$orig" \
	--dest "$dest" --trust "$trust" --cert "$PKI_SHAKEN_SP_A_CHAIN" --now "$now" --max-age 120
expect "future iat (--now earlier)" 1 403 TN-Validation-Failed -- --identity "$good" --orig "$orig" \
	--dest "$dest" --trust "$trust" --cert "$PKI_SHAKEN_SP_A_CHAIN" --now $((now - 61))

expect "wrong orig" 1 438 TN-Validation-Failed -- --identity "$good" --orig 12025550003 --dest "$dest" \
	--trust "$trust" --cert "$PKI_SHAKEN_SP_A_CHAIN"
[ "$(reason_of)" = "Invalid Identity Header" ] && ok "438 reason" || bad "438 reason: $LAST"
expect "wrong dest" 1 438 TN-Validation-Failed -- --identity "$good" --orig "$orig" --dest 12025550009 \
	--trust "$trust" --cert "$PKI_SHAKEN_SP_A_CHAIN"
token=${good%%;*}
pos=$((${#token} - 10))
c=${token:$pos:1}
if [ "$c" = A ]; then r=B; else r=A; fi
tampered=${token:0:$pos}$r${token:$((pos + 1))}${good#"$token"}
expect "bad signature" 1 438 TN-Validation-Failed -- --identity "$tampered" --orig "$orig" --dest "$dest" \
	--trust "$trust" --cert "$PKI_SHAKEN_SP_A_CHAIN"
wrongkey=$(sign SP_B "$base/pem/sp-a-chain.pem")
expect "signed by another key" 1 438 TN-Validation-Failed -- --identity "$wrongkey" --orig "$orig" \
	--dest "$dest" --trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8
expect "not an Identity value" 1 438 TN-Validation-Failed -- --identity "garbage" --orig "$orig" \
	--dest "$dest" --trust "$trust"

otherinfo="$token;info=<$base/pem/sp-b-chain.pem>;alg=ES256;ppt=shaken"
expect "info differs from x5u" 1 436 TN-Validation-Failed -- --identity "$otherinfo" --orig "$orig" \
	--dest "$dest" --trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8
[ "$(reason_of)" = "Bad Identity Info" ] && ok "436 reason" || bad "436 reason: $LAST"

for p in /pem/nonexistent.pem /garbage /big "/redirect;to=http://127.0.0.1:$port/pem/sp-a-chain.pem"; do
	v=$(sign SP_A "$base$p")
	expect "repository $p" 1 436 TN-Validation-Failed -- --identity "$v" --orig "$orig" --dest "$dest" \
		--trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8
done
v=$(sign SP_A "https://127.0.0.1:$raw_port/pem/sp-a-chain.pem")
expect "repository that accepts and never answers" 1 436 TN-Validation-Failed -- --identity "$v" \
	--orig "$orig" --dest "$dest" --trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8
v=$(sign SP_A "$base/hang")
t0=$(date +%s)
expect "repository that hangs after the request" 1 436 TN-Validation-Failed -- --identity "$v" \
	--orig "$orig" --dest "$dest" --trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8
t=$(($(date +%s) - t0))
# the fetch gives up after 2 s (certs/fetch.h); allow for a slow machine
[ "$t" -le 10 ] && ok "hang: answered in ${t} s" || bad "hang: took ${t} s"
v=$(sign SP_A "http://127.0.0.1:$port/pem/sp-a-chain.pem")
expect "http x5u without --allow-http-x5u" 1 436 TN-Validation-Failed -- --identity "$v" --orig "$orig" \
	--dest "$dest" --trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8
# loopback is refused unless permitted: the repository is not asked
n0=$(grep -c '^REQ /pem/sp-a-chain.pem$' "$work/srv.log")
expect "loopback x5u without --fetch-permit" 1 436 TN-Validation-Failed -- --identity "$good" --orig "$orig" \
	--dest "$dest" --trust "$trust" --x5u-ca "$ca"
grep -q "127.0.0.1 refused: loopback" "$work/err" && ok "loopback: the refusal names the address" ||
	bad "loopback: $(cat "$work/err")"
[ "$(grep -c '^REQ /pem/sp-a-chain.pem$' "$work/srv.log")" = "$n0" ] && ok "loopback: no request" ||
	bad "loopback: the repository was asked"
v=$(sign SP_A "$base/pem/sp-a-chain.pem?v=1")
expect "x5u with a query string" 1 436 TN-Validation-Failed -- --identity "$v" --orig "$orig" --dest "$dest" \
	--trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8
grep -q "query string" "$work/err" && ok "query string: said why" || bad "query string: $(cat "$work/err")"
expect "usage: bad --fetch-permit" 2 0 x -- --identity "$good" --orig "$orig" --dest "$dest" --trust "$trust" \
	--fetch-permit 127.0.0.1/8
# without --x5u-ca neither the test CA nor the repository's port is allowed
expect "no --x5u-ca" 1 436 TN-Validation-Failed -- --identity "$good" --orig "$orig" --dest "$dest" \
	--trust "$trust"

v=$(sign SP_UNTRUSTED "$base/pem/sp-untrusted-chain.pem")
expect "untrusted root" 1 437 TN-Validation-Failed -- --identity "$v" --orig "$orig" --dest "$dest" \
	--trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8
[ "$(reason_of)" = "Unsupported Credential" ] && ok "437 reason" || bad "437 reason: $LAST"
v=$(sign SP_EXPIRED "$base/pem/sp-expired-chain.pem")
expect "expired certificate" 1 437 TN-Validation-Failed -- --identity "$v" --orig "$orig" --dest "$dest" \
	--trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8
expect "expired certificate, --cert" 1 437 TN-Validation-Failed -- --identity "$v" --orig "$orig" \
	--dest "$dest" --trust "$trust" --cert "$PKI_SHAKEN_SP_EXPIRED_CHAIN"
v=$(sign SP_REVOKED "$base/pem/sp-revoked-chain.pem")
expect "revoked, without the CRL" 0 0 TN-Validation-Passed -- --identity "$v" --orig "$orig" --dest "$dest" \
	--trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8
expect "revoked, --crl" 1 437 TN-Validation-Failed -- --identity "$v" --orig "$orig" --dest "$dest" \
	--trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8 --crl "$work/pki/shaken/crl/sti-ca.crl.pem"
v=$(sign DELEGATE "$base/pem/delegate-chain.pem" 12025550150)
expect "delegate certificate covering orig" 0 0 TN-Validation-Passed -- --identity "$v" --orig 12025550150 \
	--dest "$dest" --trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8
v=$(sign DELEGATE "$base/pem/delegate-chain.pem")
expect "delegate certificate not covering orig" 1 438 TN-Validation-Failed -- --identity "$v" --orig "$orig" \
	--dest "$dest" --trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8

# a forwarded call (RFC 8946): SP A's SHAKEN PASSporT for the number first
# called, SP B's div PASSporT on to $dest ("passport sign --div")
fwd=$("$stiwf" passport sign --key "$PKI_SHAKEN_SP_A_KEY" --x5u "$base/pem/sp-a-chain.pem" --attest A \
	--orig "$orig" --dest 12025550300 --origid 123e4567-e89b-42d3-a456-426655440000) || bad "sign for 12025550300"
div=$("$stiwf" passport sign --key "$PKI_SHAKEN_SP_B_KEY" --x5u "$base/pem/sp-b-chain.pem" --div 12025550300 \
	--orig "$orig" --dest "$dest") || bad "sign --div"
case $div in *';alg=ES256;ppt=div') ok "sign --div: ppt=div" ;; *) bad "sign --div: $div" ;; esac
expect "forwarded: div PASSporT extends the SHAKEN one" 0 0 TN-Validation-Passed -- --identity "$fwd" \
	--identity "$div" --orig "$orig" --dest "$dest" --trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8
case $LAST in
*'"div":"passed","judged_dest":"12025550300"}') ok "forwarded: div passed, judged against 12025550300" ;;
*) bad "forwarded JSON: $LAST" ;;
esac
expect "forwarded without the div PASSporT" 1 438 TN-Validation-Failed -- --identity "$fwd" --orig "$orig" \
	--dest "$dest" --trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8
div=$("$stiwf" passport sign --key "$PKI_SHAKEN_SP_B_KEY" --x5u "$base/pem/sp-b-chain.pem" --div 12025550399 \
	--orig "$orig" --dest "$dest") || bad "sign --div"
expect "forwarded, 'div' not the SHAKEN 'dest'" 1 438 TN-Validation-Failed -- --identity "$fwd" \
	--identity "$div" --orig "$orig" --dest "$dest" --trust "$trust" --x5u-ca "$ca" --fetch-permit 127.0.0.0/8
case $LAST in
*'"div":"failed","div_detail":"chain (RFC 8946 §4.2): '"'div'"' claim is not a '"'dest'"' of the SHAKEN PASSporT"'*) ok "forwarded: the failing div check named" ;;
*) bad "forwarded, wrong div JSON: $LAST" ;;
esac
rc=0
"$stiwf" passport sign --key "$PKI_SHAKEN_SP_B_KEY" --x5u "$base/pem/sp-b-chain.pem" --div 12025550300 --attest A \
	--orig "$orig" --dest "$dest" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] && ok "sign --div with --attest: usage error" || bad "sign --div --attest: exit $rc"

expect "usage: no --trust" 2 0 x -- --identity "$good" --orig "$orig" --dest "$dest"
expect "usage: bad --now" 2 0 x -- --identity "$good" --orig "$orig" --dest "$dest" --trust "$trust" --now x
expect "usage: bad --orig" 2 0 x -- --identity "$good" --orig abc --dest "$dest" --trust "$trust"
mkdir "$work/empty"
expect "usage: empty --trust" 2 0 x -- --identity "$good" --orig "$orig" --dest "$dest" --trust "$work/empty"
expect "usage: unreadable --cert" 2 0 x -- --identity "$good" --orig "$orig" --dest "$dest" --trust "$trust" \
	--cert "$work/none.pem"

# bench passport: runs and prints its fields (no timing is judged here)
rc=0
out=$("$stiwf" bench passport --rounds 1 --ms 10 2>&1) || rc=$?
[ "$rc" = 0 ] && ok "bench passport runs" || bad "bench passport: exit $rc: $out"
for f in passport_sign_per_s evp_es256_sign_per_s passport_verify_per_s evp_es256_verify_per_s \
	sign_ratio verify_ratio; do
	if printf '%s\n' "$out" | grep -q "^$f  *[0-9]"; then ok "bench field $f"; else bad "bench field $f: $out"; fi
done
rc=0
"$stiwf" bench passport --rounds 2 >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] && ok "bench passport: even --rounds is a usage error" || bad "bench --rounds 2: exit $rc"

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
