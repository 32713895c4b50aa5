#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Check contrib/gen-test-pki.sh: what it makes verifies (or fails) the way
# contrib/README.pki.md says, the keys are private, TNAuthList is the
# RFC 8226 encoding, and a second run works.
set -eu
top_srcdir=${top_srcdir:-.}
gen="$top_srcdir/contrib/gen-test-pki.sh"
work=$(mktemp -d "$PWD/gen_test_pki.XXXXXX")
trap 'rm -rf "$work"' EXIT
fails=0

ok()
{
	echo "ok: $1"
}
fail()
{
	echo "FAIL: $1"
	fails=$((fails + 1))
}

# expect_verify WANT(ok|errNN) NAME ARGS...: run openssl verify.
expect_verify()
{
	want=$1 name=$2
	shift 2
	out=$(openssl verify "$@" 2>&1) && got=ok || got=$(echo "$out" | sed -n 's/^error \([0-9]*\) at.*/err\1/p' | head -n 1)
	if [ "$got" = "$want" ]; then
		ok "verify $name: $want"
	else
		fail "verify $name: want $want, got '$got': $out"
	fi
}

start=$(date +%s)
sh "$gen" "$work/pki" >/dev/null
sh "$gen" "$work/pki" >"$work/out.txt"
end=$(date +%s)
# speed is not asserted here (a shared machine's load decides it): printed
echo "note: two runs took $((end - start)) s"
if grep -q 'PRIVATE KEY' "$work/out.txt"; then
	fail "generator printed a key"
else
	ok "no key on stdout"
fi

. "$work/pki/pki.env"
S=$work/pki/shaken
T=$work/pki/tsca

# Keys are 0600, certificates readable.
for k in "$S"/*.key "$T"/*.key; do
	m=$(stat -c %a "$k")
	[ "$m" = 600 ] || fail "$k has mode $m"
done
ok "keys are mode 0600"
[ -f "$PKI_SHAKEN_SP_A_CERT" ] && [ -f "$PKI_TSCA_OP1_FULL_CHAIN" ] && ok "pki.env paths exist" ||
	fail "pki.env paths"
[ "$PKI_SHAKEN_SP_A_SPC" = 1234 ] && [ "$PKI_SHAKEN_SP_B_SPC" = 5678 ] && ok "pki.env SPCs" ||
	fail "pki.env SPCs"
kid=$(openssl x509 -in "$PKI_SHAKEN_SP_A_CERT" -noout -pubkey | openssl pkey -pubin -outform DER |
	openssl dgst -sha256 -binary | od -An -tx1 -N8 | tr -d ' \n')
[ "$kid" = "$PKI_SHAKEN_SP_A_KEYID" ] && [ ${#kid} -eq 16 ] && ok "key-id of sp-a" || fail "key-id $kid"

SCRL="-CRLfile $S/crl/sti-pa-root.crl.pem -CRLfile $S/crl/sti-ca.crl.pem"
expect_verify ok sp-a -CApath "$S/trust" -untrusted "$S/sp-a-chain.pem" $SCRL -crl_check_all "$S/sp-a.pem"
expect_verify ok sp-b -CApath "$S/trust" -untrusted "$S/sp-b-chain.pem" $SCRL -crl_check_all "$S/sp-b.pem"
expect_verify ok delegate -CApath "$S/trust" -untrusted "$S/delegate-chain.pem" \
	$SCRL -CRLfile "$S/crl/sp-a-deleg-ca.crl.pem" -crl_check_all "$S/delegate.pem"
expect_verify ok "sp-revoked without CRL" -CApath "$S/trust" -untrusted "$S/sp-revoked-chain.pem" \
	"$S/sp-revoked.pem"
expect_verify err23 sp-revoked -CApath "$S/trust" -untrusted "$S/sp-revoked-chain.pem" $SCRL \
	-crl_check_all "$S/sp-revoked.pem"
expect_verify err10 sp-expired -CApath "$S/trust" -untrusted "$S/sp-expired-chain.pem" "$S/sp-expired.pem"
expect_verify err20 sp-untrusted -CApath "$S/trust" -untrusted "$S/sp-untrusted-chain.pem" \
	"$S/sp-untrusted.pem"
# The DER CRL is the same CRL.
openssl crl -in "$S/crl/sti-ca.crl.pem" -outform DER -out "$work/crl.der"
cmp -s "$S/crl/sti-ca.crl.der" "$work/crl.der" && ok "DER CRL matches PEM" || fail "DER CRL"

TCRL="-CRLfile $T/crl/tsca-root.crl.pem -CRLfile $T/crl/national-ca.crl.pem"
expect_verify ok op1-full -CApath "$T/trust" -untrusted "$T/op1-full-chain.pem" $TCRL \
	-CRLfile "$T/crl/op1-ca.crl.pem" -crl_check_all "$T/op1-full.pem"
expect_verify ok op1-prov -CApath "$T/trust" -untrusted "$T/op1-prov-chain.pem" $TCRL \
	-CRLfile "$T/crl/op1-ca.crl.pem" -crl_check_all "$T/op1-prov.pem"
expect_verify ok "op2-full (no national CA)" -CApath "$T/trust" -untrusted "$T/op2-full-chain.pem" \
	-CRLfile "$T/crl/tsca-root.crl.pem" -CRLfile "$T/crl/op2-ca.crl.pem" -crl_check_all "$T/op2-full.pem"
expect_verify err23 rogue -CApath "$T/trust" -untrusted "$T/rogue-chain.pem" $TCRL \
	-CRLfile "$T/crl/rogue-ca.crl.pem" -crl_check_all "$T/rogue.pem"
expect_verify err20 "sp-a against TSCA roots" -CApath "$T/trust" -untrusted "$S/sp-a-chain.pem" "$S/sp-a.pem"
[ "$(wc -l <"$T/op2-full-chain.pem")" -lt "$(wc -l <"$T/op1-full-chain.pem")" ] &&
	ok "op2 chain is shorter" || fail "op2 chain"

# RFC 5280 §6.1 policy processing (ARCHITECTURE §3): the legitimate operators'
# classes are valid for their whole paths; the provisional-only CA cannot
# grant the full class it wrote into its signer's certificate.
POL="-policy_check -explicit_policy"
expect_verify ok "op1-full full policy for the path" -CApath "$T/trust" -untrusted "$T/op1-full-chain.pem" \
	$POL -policy "$PKI_TSCA_FULL_OID" "$T/op1-full.pem"
expect_verify ok "op1-prov provisional policy for the path" -CApath "$T/trust" \
	-untrusted "$T/op1-prov-chain.pem" $POL -policy "$PKI_TSCA_PROV_OID" "$T/op1-prov.pem"
expect_verify ok "op2-full full policy for the path" -CApath "$T/trust" -untrusted "$T/op2-full-chain.pem" \
	$POL -policy "$PKI_TSCA_FULL_OID" "$T/op2-full.pem"
expect_verify err43 "provop-spoof: full policy not valid for the path" -CApath "$T/trust" \
	-untrusted "$T/provop-spoof-chain.pem" $POL -policy "$PKI_TSCA_FULL_OID" "$T/provop-spoof.pem"
expect_verify ok "tnop-spoof chain" -CApath "$T/trust" -untrusted "$T/tnop-spoof-chain.pem" \
	$POL -policy "$PKI_TSCA_FULL_OID" "$T/tnop-spoof.pem"
spki=$(openssl x509 -in "$PKI_TSCA_OP1_FULL_CERT" -noout -pubkey | openssl pkey -pubin -outform DER |
	openssl dgst -sha256 -binary | od -An -tx1 -v | tr -d ' \n')
[ "$spki" = "$PKI_TSCA_OP1_FULL_SPKI" ] && [ ${#spki} -eq 64 ] &&
	[ "${spki#"$PKI_TSCA_OP1_FULL_KEYID"}" != "$spki" ] && ok "spki-sha256 of op1-full" || fail "spki $spki"

# Validity: full 730 days, provisional 182 days.
days()
{
	nb=$(date -d "$(openssl x509 -in "$1" -noout -startdate | cut -d= -f2)" +%s)
	na=$(date -d "$(openssl x509 -in "$1" -noout -enddate | cut -d= -f2)" +%s)
	echo $(((na - nb) / 86400))
}
[ "$(days "$T/op1-full.pem")" = 730 ] && ok "full lives 730 days" || fail "full validity"
[ "$(days "$T/op1-prov.pem")" = 182 ] && ok "provisional lives 182 days" || fail "provisional validity"
[ "$(days "$T/op1-prov-long.pem")" = 185 ] && [ -n "$PKI_TSCA_OP1_PROV_LONG_KEYID" ] &&
	ok "op1-prov-long lives 185 days" || fail "op1-prov-long validity"
[ "$(days "$T/op1-full-long.pem")" = 732 ] && [ -n "$PKI_TSCA_OP1_FULL_LONG_CHAIN" ] &&
	ok "op1-full-long lives 732 days" || fail "op1-full-long validity"
openssl x509 -in "$T/op1-full.pem" -noout -ext certificatePolicies | grep -q "$PKI_TSCA_FULL_OID" &&
	ok "full policy OID" || fail "full policy OID"
openssl x509 -in "$T/op1-prov.pem" -noout -ext certificatePolicies | grep -q "$PKI_TSCA_PROV_OID" &&
	ok "provisional policy OID" || fail "provisional policy OID"

# TNAuthList DER, RFC 8226 explicit tagging.
tnauth()
{
	openssl x509 -in "$1" -outform DER -out "$work/c.der"
	off=$(openssl asn1parse -inform DER -in "$work/c.der" |
		sed -n '/:1.3.6.1.5.5.7.1.26/{n;p;}' | cut -d: -f1 | tr -d ' ')
	openssl asn1parse -inform DER -in "$work/c.der" -strparse "$off" -noout -out "$work/t.der"
	od -An -tx1 "$work/t.der" | tr -d ' \n'
}
[ "$(tnauth "$S/sp-a.pem")" = 3008a006160431323334 ] && ok "sp-a TNAuthList DER" ||
	fail "sp-a TNAuthList DER: $(tnauth "$S/sp-a.pem")"
want=3023a1123010160b3132303235353530313030020164a20d160b3132303235353539393939
[ "$(tnauth "$S/delegate.pem")" = "$want" ] && ok "delegate TNAuthList DER" ||
	fail "delegate TNAuthList DER: $(tnauth "$S/delegate.pem")"

# Profile bits of an SP certificate.
e=$(openssl x509 -in "$S/sp-a.pem" -noout -ext basicConstraints,keyUsage,certificatePolicies)
echo "$e" | grep -q 'Basic Constraints: critical' && echo "$e" | grep -q 'CA:FALSE' &&
	echo "$e" | grep -q 'Key Usage: critical' && echo "$e" | grep -q '2.16.840.1.114569.1.1.3' &&
	ok "sp-a profile extensions" || fail "sp-a profile extensions: $e"
openssl x509 -in "$S/sp-a.pem" -noout -text | grep -q 'ecdsa-with-SHA256' &&
	openssl x509 -in "$S/sp-a.pem" -noout -text | grep -q 'NIST CURVE: P-256' &&
	ok "sp-a ES256" || fail "sp-a algorithms"

if [ $fails -ne 0 ]; then
	echo "$fails check(s) failed"
	exit 1
fi
echo "all checks passed"
