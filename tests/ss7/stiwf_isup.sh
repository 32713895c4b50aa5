#!/bin/sh
# "stiwf isup iam/decode" and "stiwf bench isup" on the test PKI: output
# fields, HOP verification verdicts, exit codes.
set -eu
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
stiwf="$top_builddir/stiwf"
work=$(mktemp -d "$PWD/stiwf_isup.XXXXXX")
trap 'rm -rf "$work"' EXIT
fails=0

check()
{
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		echo "FAIL: $1: got '$2', want '$3'"
		fails=$((fails + 1))
	fi
}
has()
{
	if grep -q -- "$2" "$work/out"; then
		echo "ok: $1"
	else
		echo "FAIL: $1: no '$2' in:"
		cat "$work/out"
		fails=$((fails + 1))
	fi
}
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
	sign_ratio verify_ratio; do
	has "bench $f" "^$f  *[0-9]"
done
run 2 "bench bad rounds" bench isup --rounds 2

echo "$fails failures"
[ "$fails" -eq 0 ]
