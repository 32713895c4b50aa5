#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# "stiwf isup iam/decode" and "stiwf bench isup" on the test PKI: output
# fields, HOP verification verdicts, exit codes; the PASSporT carried end to
# end (stiwf passport sign -> isup iam --passport -> isup decode --verify
# verifies with the original signer's certificate); HOP signers found by
# key-id in the TSCA directory (local directory, CRLs, repository served by
# tests/certs/httpsd).
set -eu
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
stiwf="$top_builddir/stiwf"
work=$(mktemp -d "$PWD/stiwf_isup.XXXXXX")
httpsd_pid=
cleanup()
{
	[ -n "$httpsd_pid" ] && kill "$httpsd_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
. "$top_srcdir/tests/lib-check.sh"

# run EXPECTED-EXIT NAME ARGS...: output in $work/out
run()
{
	want=$1 name=$2
	shift 2
	rc=0
	"$stiwf" "$@" >"$work/out" 2>"$work/err" || rc=$?
	check "$name: exit" "$rc" "$want"
}

sh "$top_srcdir/contrib/gen-test-pki.sh" "$work/pki" >/dev/null
. "$work/pki/pki.env"
SIGN="--sign-key $PKI_TSCA_OP1_FULL_KEY --sign-cert $PKI_TSCA_OP1_FULL_CHAIN"

# an unsigned IAM: CIC 7 = 07 00, type 01, international numbers
run 0 "iam" isup iam --called +12025550100 --calling 4930123456 --cic 7
plain=$(cat "$work/out")
case $plain in
0700010021000a00*) echo "ok: iam prefix" ;;
*) echo "FAIL: iam: $plain"; fails=$((fails + 1)) ;;
esac
run 0 "decode unsigned" isup decode "$plain"
has "decode type" '"message_type": "IAM"'
has "decode cic" '"cic": 7'
has "decode called" '"digits": "12025550100"'
has "decode calling" '"digits": "4930123456"'
has "decode apri" '"apri_name": "presentation allowed"'
if grep -q '"token"' "$work/out"; then echo "FAIL: token in an unsigned IAM"; fails=$((fails + 1)); fi
run 1 "verify unsigned" isup decode --verify --cert "$PKI_TSCA_OP1_FULL_CERT" "$plain"
has "verify unsigned reason" '"reason": "no token"'

# signed
run 0 "iam signed" isup iam --called 12025550100 --calling 4930123456 --presentation restricted \
	--iat 1700000000 $SIGN
signed=$(cat "$work/out")
run 0 "decode signed" isup decode "$signed"
has "token HOP" '"HOP"'
has "token alg" '"alg": 1'
has "token iat" '"iat": 1700000000'
has "token key-id" "\"key_id\": \"$PKI_TSCA_OP1_FULL_KEYID\""
has "APP ACI" '"aci": 90'
has "APP SNI" '"sni": 0'
has "APP RCI" '"rci": 0'
has "PCI entry" '"name": "application transport"'
has "restricted" '"apri_name": "presentation restricted"'
run 0 "verify" isup decode --verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000030 "$signed"
has "verify valid" '"valid": true'
has "verify key_id" "\"key_id\": \"$PKI_TSCA_OP1_FULL_KEYID\""
run 1 "verify other operator" isup decode --verify --cert "$PKI_TSCA_OP2_FULL_CERT" --now 1700000030 "$signed"
has "other operator" '"reason": "no certificate for this key-id"'
run 1 "verify expired" isup decode --verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000061 "$signed"
has "expired" '"reason": "iat older than the window"'
run 0 "verify with skew" isup decode --verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000061 --skew 1 "$signed"
run 1 "verify future" isup decode --verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1699999999 "$signed"
has "future" '"reason": "iat in the future"'

# the called number 12025550100 (21 20 55 05 01 00) becomes 12025550101
tampered=$(echo "$signed" | sed 's/212055050100/212055050101/')
check "tampered differs" "$([ "$tampered" != "$signed" ] && echo yes)" yes
run 1 "verify tampered number" isup decode --verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000030 "$tampered"
has "tampered number" '"reason": "signature does not verify"'
has "tampered number valid" '"valid": false'
# a changed CIC is what a transit exchange may do: still valid
run 0 "verify other CIC" isup decode --verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000030 \
	"0900${signed#0100}"
has "other CIC" '"cic": 9'
# version 2 of the token: malformed, even without --verify
broken=$(echo "$signed" | sed 's/da80c000000101/da80c000000201/')
check "broken differs" "$([ "$broken" != "$signed" ] && echo yes)" yes
run 1 "decode malformed token" isup decode "$broken"
has "malformed token" '"error": "malformed token"'

# another ACI
run 0 "iam aci 100" isup iam --called 12025550100 --calling 4930123456 --aci 100 --iat 1700000000 $SIGN
aci100=$(cat "$work/out")
run 1 "verify aci 90 finds none" isup decode --verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000000 "$aci100"
run 0 "verify aci 100" isup decode --verify --aci 100 --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000000 "$aci100"

# ---------------------------------------------------------------- PASSporT end to end
# The certificates were made a moment ago: sign and verify at the real time.
now=$(date +%s)
later=$((now + 10))
X5U=https://cert.example.org/sp-a-chain.pem
ID=$("$stiwf" passport sign --key "$PKI_SHAKEN_SP_A_KEY" --x5u "$X5U" --attest B \
	--orig +4930123456 --dest +12025550100 --iat "$now")
run 0 "iam --passport" isup iam --called 12025550100 --calling 4930123456 --iat "$now" $SIGN \
	--passport "$ID" --verstat passed
e2e=$(cat "$work/out")
run 0 "decode --passport" isup decode "$e2e"
has "PASSPORT TLV" '"PASSPORT"'
has "PASSPORT attest" '"attest": "B"'
has "PASSPORT x5u" "\"x5u\": \"$X5U\""
has "VERDICT TLV" '"verstat_name": "TN-Validation-Passed"'
has "HOP with PASSPORT" '"HOP"'

# the operators' local directory: file names say nothing, CAs in files of their own
opdir="$work/operators"
mkdir "$opdir"
cp "$PKI_TSCA_OP1_FULL_CERT" "$opdir/a"
cp "$PKI_TSCA_OP1_CA_CERT" "$opdir/b"
cp "$PKI_TSCA_NATIONAL_CA_CERT" "$opdir/c"
cp "$PKI_TSCA_OP1_PROV_CHAIN" "$opdir/provisional.crt"
cp "$PKI_TSCA_ROGUE_CHAIN" "$opdir/x.pem"
CRLS=
for c in "$PKI_TSCA_CRL_DIR"/*.crl.pem; do
	CRLS="$CRLS --crl $c"
done
TRUST="--trust $PKI_TSCA_TRUST_DIR --cert-dir $opdir $CRLS"
PPTRUST="--passport-trust $PKI_SHAKEN_TRUST_DIR"

run 0 "round trip" isup decode --verify $TRUST --now "$later" $PPTRUST \
	--passport-cert "$PKI_SHAKEN_SP_A_CHAIN" "$e2e"
has "round trip hop valid" '"valid": true,'
has "round trip hop policy" '"policy": "full"'
has "round trip hop signer" '"signer": "CN=Operator One signing,O=Operator One,C=ZZ"'
has "round trip hop source" '"source": "local"'
has "round trip passport" '"reason": "signature valid"'
hasnt "round trip nothing invalid" '"valid": false'
rebuilt=$(sed -n 's/^ *"identity": "\(.*\)",$/\1/p' "$work/out")
check "rebuilt Identity is the original" "$rebuilt" "$ID"
# the same with the single --cert of before
run 0 "round trip with --cert" isup decode --verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now "$later" \
	$PPTRUST --passport-cert "$PKI_SHAKEN_SP_A_CHAIN" "$e2e"
# another signer's certificate does not verify the rebuilt PASSporT
run 1 "round trip other signer" isup decode --verify $TRUST --now "$later" $PPTRUST \
	--passport-cert "$PKI_SHAKEN_SP_B_CHAIN" "$e2e"
has "other signer" '"reason": "PASSporT signature does not verify"'
# a revoked SHAKEN signer (no CRL given: the chain is what is checked here)
run 1 "round trip untrusted cert" isup decode --verify $TRUST --now "$later" $PPTRUST \
	--passport-cert "$PKI_SHAKEN_SP_UNTRUSTED_CHAIN" "$e2e"
has "untrusted PASSporT cert" '"reason": "certificate untrusted'
# without --passport-trust: rebuilt, not judged
run 0 "passport not verified" isup decode --verify $TRUST --now "$later" "$e2e"
has "passport not verified" '"reason": "not verified (no --passport-trust)"'
# a PASSporT of another day is stale
run 1 "passport stale" isup decode --verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now "$later" $PPTRUST \
	--passport-cert "$PKI_SHAKEN_SP_A_CHAIN" \
	"$("$stiwf" isup iam --called 12025550100 --calling 4930123456 --iat "$now" $SIGN --passport \
	"$("$stiwf" passport sign --key "$PKI_SHAKEN_SP_A_KEY" --x5u "$X5U" --attest A \
		--orig 4930123456 --dest 12025550100 --iat $((now - 3600)))")"
has "passport stale" '"reason": "PASSporT iat outside the window"'
has "passport stale, hop fine" '"reason": "signature valid"'

# what cannot travel is refused, with its reason
b64url()
{
	printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='
}
hdr_nc=$(b64url "{\"alg\": \"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"$X5U\"}")
noncanon="$hdr_nc.${ID#*.}"
run 1 "non-canonical refused" isup iam --called 12025550100 --calling 4930123456 $SIGN \
	--passport "$noncanon"
has_err "non-canonical reason" "canonical JSON"
check "non-canonical prints no IAM" "$(cat "$work/out")" ""
run 1 "other numbers refused" isup iam --called 12025550199 --calling 4930123456 $SIGN --passport "$ID"
has_err "other numbers reason" "differ from the IAM's numbers"
ID2=$("$stiwf" passport sign --key "$PKI_SHAKEN_SP_A_KEY" --x5u "$X5U" --attest A \
	--orig 4930123456 --dest 12025550100 --dest 12025550101 --iat "$now")
run 1 "two dest refused" isup iam --called 12025550100 --calling 4930123456 --passport "$ID2"
has_err "two dest reason" "several dest tn"
run 1 "not an Identity" isup iam --called 12025550100 --calling 4930123456 --passport "x.y"
# a VERDICT alone, unsigned
run 0 "verdict failed" isup iam --called 12025550100 --calling 4930123456 --verstat failed --reason 438
run 0 "decode verdict" isup decode "$(cat "$work/out")"
has "verdict failed" '"verstat_name": "TN-Validation-Failed"'
has "verdict reason" '"reason": 438'
hasnt "verdict alone: no HOP" '"HOP"'
run 2 "reason without failed" isup iam --called 1 --calling 2 --verstat passed --reason 438
run 2 "bad reason" isup iam --called 1 --calling 2 --verstat failed --reason 404
run 2 "bad verstat" isup iam --called 1 --calling 2 --verstat maybe

# ---------------------------------------------------------------- TSCA directory
iam_by()
{
	"$stiwf" isup iam --called 12025550100 --calling 4930123456 --iat "$now" \
		--sign-key "$1" --sign-cert "$2"
}
prov=$(iam_by "$PKI_TSCA_OP1_PROV_KEY" "$PKI_TSCA_OP1_PROV_CHAIN")
run 0 "provisional" isup decode --verify $TRUST --now "$later" "$prov"
has "provisional valid" '"valid": true'
has "provisional policy" '"policy": "provisional"'
rogue=$(iam_by "$PKI_TSCA_ROGUE_KEY" "$PKI_TSCA_ROGUE_CHAIN")
run 1 "revoked operator" isup decode --verify $TRUST --now "$later" "$rogue"
has "revoked" '"reason": "revoked"'
has "revoked valid" '"valid": false'
hasnt "revoked no policy" '"policy"'
# without the national CA's CRL nobody has said so yet (soft fail)
run 0 "rogue without CRL" isup decode --verify --trust "$PKI_TSCA_TRUST_DIR" --cert-dir "$opdir" \
	--now "$later" "$rogue"
op2=$(iam_by "$PKI_TSCA_OP2_FULL_KEY" "$PKI_TSCA_OP2_FULL_CHAIN")
run 1 "unknown key-id, no repository" isup decode --verify $TRUST --now "$later" "$op2"
has "unknown key-id" '"reason": "unknown key-id"'
# op1-full lives 730 days; no CRLs here, which would have run out first
far=$((now + 800 * 86400))
run 1 "expired" isup decode --verify --trust "$PKI_TSCA_TRUST_DIR" --cert-dir "$opdir" --now $((far + 1)) \
	"$("$stiwf" isup iam --called 12025550100 --calling 4930123456 --iat "$far" $SIGN)"
has "expired" '"reason": "expired"'

# the repository: tests/certs/httpsd with a certificate for 127.0.0.1
repo="$work/repo"
mkdir -p "$repo/docroot"
(
	cd "$repo"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
		-subj '/CN=stiwf_isup test CA' -days 2 -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign 2>/dev/null
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key \
		-out server.csr -subj /CN=localhost 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
		-extfile server.ext -out server.pem 2>/dev/null
)
cp "$PKI_TSCA_OP2_FULL_CHAIN" "$repo/docroot/$PKI_TSCA_OP2_FULL_KEYID.pem"
mkfifo "$repo/out"
"$top_builddir/tests/certs/httpsd" "$repo/server.pem" "$repo/server.key" "$repo/docroot" >"$repo/out" &
httpsd_pid=$!
exec 3<"$repo/out"
read -r ready port _ <&3 || true
check "httpsd ready" "$ready" READY
# the server is on loopback, which fetches refuse unless permitted
run 1 "repository on loopback, not permitted" isup decode --verify $TRUST \
	--repo "https://127.0.0.1:$port/pem/{key-id}.pem" --repo-ca "$repo/ca.pem" --now "$later" "$op2"
has "loopback refused" '127.0.0.1 refused: loopback'
REPO="--repo https://127.0.0.1:$port/pem/{key-id}.pem --repo-ca $repo/ca.pem --fetch-permit 127.0.0.0/8"
run 0 "repository" isup decode --verify $TRUST $REPO --now "$later" "$op2"
has "repository valid" '"valid": true'
has "repository source" '"source": "repository"'
has "repository policy" '"policy": "full"'
has "repository signer" '"signer": "CN=Operator Two signing,O=Operator Two,C=YY"'
# the local directory answers first: no request for op1
run 0 "local before repository" isup decode --verify $TRUST $REPO --now "$later" "$prov"
has "local before repository" '"source": "local"'
# unknown to the repository too (its 404)
other=$(iam_by "$PKI_SHAKEN_SP_B_KEY" "$PKI_SHAKEN_SP_B_CHAIN")
run 1 "unknown key-id, repository" isup decode --verify $TRUST $REPO --now "$later" "$other"
has "unknown key-id at the repository" '"reason": "unknown key-id"'
has "404 detail" 'HTTP status 404'
# a repository serving another operator's certificate
cp "$PKI_TSCA_OP2_FULL_CHAIN" "$repo/docroot/$PKI_SHAKEN_SP_B_KEYID.pem"
run 1 "key-id mismatch" isup decode --verify $TRUST $REPO --now "$later" "$other"
has "key-id mismatch" '"reason": "key-id mismatch"'
# a PASSporT whose x5u is on the same server: fetched, checked with the
# ATIS-1000080 profile against the SHAKEN roots, verified
cp "$PKI_SHAKEN_SP_A_CHAIN" "$repo/docroot/sp-a-chain.pem"
X5U_LIVE="https://127.0.0.1:$port/pem/sp-a-chain.pem"
live=$("$stiwf" isup iam --called 12025550100 --calling 4930123456 --iat "$now" $SIGN --verstat passed \
	--passport "$("$stiwf" passport sign --key "$PKI_SHAKEN_SP_A_KEY" --x5u "$X5U_LIVE" --attest A \
		--orig 4930123456 --dest 12025550100 --iat "$now")")
run 0 "x5u fetched" isup decode --verify $TRUST --now "$later" $PPTRUST --x5u-ca "$repo/ca.pem" \
	--fetch-permit 127.0.0.0/8 "$live"
has "x5u fetched passport" '"reason": "signature valid"'
hasnt "x5u fetched nothing invalid" '"valid": false'
run 1 "x5u untrusted TLS" isup decode --verify $TRUST --now "$later" $PPTRUST --fetch-permit 127.0.0.0/8 "$live"
has "x5u untrusted TLS" '"reason": "x5u cannot fetch'
# what the server saw: one request per repository lookup and one for the
# x5u, none for local signers nor over a TLS session that was refused
kill "$httpsd_pid"
wait "$httpsd_pid" 2>/dev/null || true
httpsd_pid=
reqs=$(grep -c "^REQ /pem/" <&3 || true)
check "repository requests" "$reqs" 4
run 2 "bad --fetch-permit" isup decode --verify $TRUST --fetch-permit 10.0.0.1/8 "$e2e"
run 2 "--cert and --trust" isup decode --verify --cert "$PKI_TSCA_OP1_FULL_CERT" --trust "$PKI_TSCA_TRUST_DIR" "$e2e"
run 2 "--cert-dir without --trust" isup decode --verify --cert "$PKI_TSCA_OP1_FULL_CERT" --cert-dir "$opdir" "$e2e"
run 2 "--passport-cert without --passport-trust" isup decode --verify --cert "$PKI_TSCA_OP1_FULL_CERT" \
	--passport-cert "$PKI_SHAKEN_SP_A_CHAIN" "$e2e"

# usage errors
run 2 "no called" isup iam --calling 4930123456
run 2 "bad cic" isup iam --called 1 --calling 2 --cic 4096
run 2 "bad tn" isup iam --called 12a --calling 2
run 2 "bad presentation" isup iam --called 1 --calling 2 --presentation hidden
run 2 "key without cert" isup iam --called 1 --calling 2 --sign-key "$PKI_TSCA_OP1_FULL_KEY"
run 2 "aci 128" isup iam --called 1 --calling 2 --aci 128
run 2 "verify without cert" isup decode --verify "$signed"
run 2 "odd hex" isup decode 123
run 2 "not hex" isup decode zz
run 2 "no subcommand" isup
run 1 "not ISUP" isup decode 0000ff

# bench: runs and prints its fields (no timing is judged here)
run 0 "bench" bench isup --rounds 1 --ms 10
for f in iam_encode_sign_per_s evp_es256_sign_per_s iam_decode_verify_per_s evp_es256_verify_per_s \
	iam_decode_verify_hop_passport_per_s evp_es256_verify_x2_per_s verify_hop_passport_ratio \
	sign_ratio verify_ratio; do
	has "bench $f" "^$f  *[0-9]"
done
run 2 "bench bad rounds" bench isup --rounds 2

checks_done
