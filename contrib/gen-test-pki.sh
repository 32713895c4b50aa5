#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# gen-test-pki.sh OUTDIR
#
# Build a throw-away PKI for tests and demos of stiwf, with the openssl CLI
# only: the SHAKEN trust domain (STI-PA root -> STI-CA -> SP certificates,
# ATIS-1000080 profile, RFC 8226 TNAuthList) and the TSCA trust domain (TSCA
# root -> national CA -> operator CA -> operator signing certificates).
# All keys are ECDSA P-256, all signatures ecdsa-with-SHA256.  See
# contrib/README.pki.md for the layout and pki.env for the names.
#
# Every run starts afresh (new keys, new serials) and leaves the same layout,
# so it can be run again at any time.  Private keys are written with mode
# 0600 and are never printed.
#
# Environment (optional):
#   TSCA_FULL_OID   policy OID of "full" operator certificates
#   TSCA_PROV_OID   policy OID of "provisional" operator certificates
#   OPENSSL         the openssl binary (default: openssl)
set -eu

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: $0 OUTDIR" >&2
	exit 2
fi

OPENSSL=${OPENSSL:-openssl}
# SHAKEN certificate policy, CP v1.3 (ATIS-1000080 §6.4.1, docs/STANDARDS.md §2.6)
SHAKEN_CP_OID=2.16.840.1.114569.1.1.3
# Private OIDs under the UUID arc (ITU-T X.667): 2.25.<UUID as an integer>.
# 7d3b5a8e-2c41-4f6e-9a0b-5e8d1c3f2a71 and ...2a72.
TSCA_FULL_OID=${TSCA_FULL_OID:-2.25.166461681668727740336541473751334595185}
TSCA_PROV_OID=${TSCA_PROV_OID:-2.25.166461681668727740336541473751334595186}
# id-pe-TNAuthList, RFC 8226 §9
TNAUTH_OID=1.3.6.1.5.5.7.1.26

mkdir -p "$1"
OUT=$(cd "$1" && pwd)
umask 077
rm -rf "$OUT/shaken" "$OUT/tsca" "$OUT/pki.env"
mkdir -p "$OUT/shaken/trust" "$OUT/shaken/crl" "$OUT/shaken/.ca" \
	"$OUT/tsca/trust" "$OUT/tsca/crl" "$OUT/tsca/.ca"
LOG="$OUT/.gen-test-pki.log"
: >"$LOG"

# Run openssl quietly; on failure show its messages (it never prints a key:
# keys only go to files) and stop.
ossl()
{
	if ! "$OPENSSL" "$@" >>"$LOG" 2>&1; then
		echo "gen-test-pki: openssl $1 failed:" >&2
		tail -n 20 "$LOG" >&2
		exit 1
	fi
}

# newkey FILE: a P-256 key with named-curve parameters, mode 0600.
newkey()
{
	ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-pkeyopt ec_param_enc:named_curve -out "$1"
	chmod 600 "$1"
}

# spki CERT: SHA-256 over the SubjectPublicKeyInfo DER, in hex (what a
# domain map entry pins, certs/map.h "spki-sha256").
spki()
{
	"$OPENSSL" x509 -in "$1" -noout -pubkey |
		"$OPENSSL" pkey -pubin -outform DER |
		"$OPENSSL" dgst -sha256 -binary | od -An -tx1 -v | tr -d ' \n'
}

# keyid CERT: first 8 octets of SHA-256 over the SubjectPublicKeyInfo DER,
# in hex (ARCHITECTURE §2.2, certs/keyid.h).
keyid()
{
	"$OPENSSL" x509 -in "$1" -noout -pubkey |
		"$OPENSSL" pkey -pubin -outform DER |
		"$OPENSSL" dgst -sha256 -binary | od -An -tx1 -N8 | tr -d ' \n'
}

# ca_init DOMAIN NAME: the openssl-ca state of one CA in DOMAIN/.ca/NAME.
ca_init()
{
	d="$OUT/$1/.ca/$2"
	mkdir -p "$d/newcerts"
	: >"$d/index.txt"
	echo 1000 >"$d/crlnumber"
	cat >"$d/ca.cnf" <<EOF
[ ca ]
default_ca = this_ca
[ this_ca ]
database = $d/index.txt
new_certs_dir = $d/newcerts
certificate = $OUT/$1/$2.pem
private_key = $OUT/$1/$2.key
crlnumber = $d/crlnumber
default_md = sha256
default_crl_days = 30
policy = any_dn
unique_subject = no
copy_extensions = none
email_in_dn = no
rand_serial = yes
[ any_dn ]
countryName = optional
organizationName = optional
commonName = supplied
[ req ]
distinguished_name = req_dn
[ req_dn ]
EOF
}

# issue DOMAIN ISSUER NAME SUBJECT EXTFILE [extra openssl-ca options...]
# Makes DOMAIN/NAME.key and DOMAIN/NAME.pem; ISSUER = NAME self-signs.
issue()
{
	dom=$1 issuer=$2 name=$3 subj=$4 ext=$5
	shift 5
	newkey "$OUT/$dom/$name.key"
	[ "$issuer" = "$name" ] && ca_init "$dom" "$name"
	icnf="$OUT/$dom/.ca/$issuer/ca.cnf"
	ossl req -new -config "$icnf" -key "$OUT/$dom/$name.key" -subj "$subj" \
		-out "$OUT/$dom/.ca/$name.csr"
	if [ "$issuer" = "$name" ]; then
		set -- -selfsign "$@"
	fi
	ossl ca -batch -notext -config "$icnf" -in "$OUT/$dom/.ca/$name.csr" \
		-out "$OUT/$dom/$name.pem" -extfile "$ext" -extensions ext "$@"
	chmod 644 "$OUT/$dom/$name.pem"
}

# ext FILE CONTENT...: an extension file with section [ext] (and any others).
ext()
{
	f=$1
	shift
	printf '%s\n' "$@" >"$f"
}

# chain DOMAIN NAME CERT...: DOMAIN/NAME-chain.pem = leaf then intermediates,
# as served at an x5u (RFC 8224 §7.2, ATIS-1000074: application/pem-certificate-chain).
chain()
{
	dom=$1 name=$2
	shift 2
	for c in "$name" "$@"; do
		cat "$OUT/$dom/$c.pem"
	done >"$OUT/$dom/$name-chain.pem"
	chmod 644 "$OUT/$dom/$name-chain.pem"
}

# crl DOMAIN CA [CERT-TO-REVOKE...]: PEM and DER CRLs in DOMAIN/crl/.
crl()
{
	dom=$1 ca=$2
	shift 2
	for c in "$@"; do
		ossl ca -config "$OUT/$dom/.ca/$ca/ca.cnf" -revoke "$OUT/$dom/$c.pem" \
			-crl_reason keyCompromise
	done
	ossl ca -gencrl -config "$OUT/$dom/.ca/$ca/ca.cnf" -out "$OUT/$dom/crl/$ca.crl.pem"
	ossl crl -in "$OUT/$dom/crl/$ca.crl.pem" -outform DER -out "$OUT/$dom/crl/$ca.crl.der"
	chmod 644 "$OUT/$dom/crl/$ca.crl.pem" "$OUT/$dom/crl/$ca.crl.der"
}

X=$OUT/shaken/.ca
T=$OUT/tsca/.ca

# ---------------------------------------------------------------- SHAKEN
# CA profile: ATIS-1000080 §6.4.1 asks for keyCertSign only; cRLSign is
# added because these CAs also sign their own CRLs and OpenSSL checks it.
ext "$X/root.ext" "[ext]" \
	"basicConstraints = critical,CA:TRUE" \
	"keyUsage = critical,keyCertSign,cRLSign" \
	"subjectKeyIdentifier = hash"
ext "$X/ca.ext" "[ext]" \
	"basicConstraints = critical,CA:TRUE" \
	"keyUsage = critical,keyCertSign,cRLSign" \
	"certificatePolicies = $SHAKEN_CP_OID" \
	"subjectKeyIdentifier = hash" \
	"authorityKeyIdentifier = keyid:always"

# sp_ext FILE TNAUTH-SECTION...: an ATIS-1000080 end-entity profile with the
# TNAuthList built by openssl's ASN1 generator.  RFC 8226 Appendix A declares
# its module with EXPLICIT TAGS, so each TNEntry alternative is a constructed
# [0]/[1]/[2] (A0/A1/A2) around the universal IA5String / SEQUENCE.
sp_ext()
{
	f=$1
	shift
	ext "$f" "[ext]" \
		"basicConstraints = critical,CA:FALSE" \
		"keyUsage = critical,digitalSignature" \
		"certificatePolicies = $SHAKEN_CP_OID" \
		"subjectKeyIdentifier = hash" \
		"authorityKeyIdentifier = keyid:always" \
		"crlDistributionPoints = URI:http://sti-pa.example.invalid/crl" \
		"$TNAUTH_OID = ASN1:SEQUENCE:tnauth" \
		"[tnauth]" "$@"
}

issue shaken sti-pa-root sti-pa-root "/C=US/O=Test STI-PA/CN=SHAKEN Test ROOT" \
	"$X/root.ext" -days 7300
issue shaken sti-pa-root sti-ca "/C=US/O=Test STI-CA/CN=SHAKEN Test STI-CA" \
	"$X/ca.ext" -days 3650
ca_init shaken sti-ca

sp_ext "$X/sp-a.ext" "spc = EXPLICIT:0,IA5STRING:1234"
issue shaken sti-ca sp-a "/C=US/O=SP A/CN=SHAKEN 1234" "$X/sp-a.ext" -days 365
chain shaken sp-a sti-ca

sp_ext "$X/sp-b.ext" "spc = EXPLICIT:0,IA5STRING:5678"
issue shaken sti-ca sp-b "/C=US/O=SP B/CN=SHAKEN 5678" "$X/sp-b.ext" -days 365
chain shaken sp-b sti-ca

sp_ext "$X/sp-revoked.ext" "spc = EXPLICIT:0,IA5STRING:1111"
issue shaken sti-ca sp-revoked "/C=US/O=SP Revoked/CN=SHAKEN 1111" "$X/sp-revoked.ext" -days 365
chain shaken sp-revoked sti-ca

# Expired: valid only during 2020.
sp_ext "$X/sp-expired.ext" "spc = EXPLICIT:0,IA5STRING:3333"
issue shaken sti-ca sp-expired "/C=US/O=SP Expired/CN=SHAKEN 3333" "$X/sp-expired.ext" \
	-startdate 20200101000000Z -enddate 20201231235959Z
chain shaken sp-expired sti-ca

# RFC 9060 delegation: SP A's own CA (TNAuthList SPC 1234) issues a delegate
# certificate whose TNAuthList holds a range and a single TN.  The range
# entry is TelephoneNumberRange ::= SEQUENCE { start, count } (RFC 8226 §9).
ext "$X/deleg-ca.ext" "[ext]" \
	"basicConstraints = critical,CA:TRUE,pathlen:0" \
	"keyUsage = critical,keyCertSign,cRLSign" \
	"certificatePolicies = $SHAKEN_CP_OID" \
	"subjectKeyIdentifier = hash" \
	"authorityKeyIdentifier = keyid:always" \
	"$TNAUTH_OID = ASN1:SEQUENCE:tnauth" \
	"[tnauth]" "spc = EXPLICIT:0,IA5STRING:1234"
issue shaken sti-ca sp-a-deleg-ca "/C=US/O=SP A/CN=SHAKEN 1234 Delegation CA" \
	"$X/deleg-ca.ext" -days 730
ca_init shaken sp-a-deleg-ca
sp_ext "$X/deleg.ext" \
	"range = EXPLICIT:1,SEQUENCE:tnrange" \
	"one = EXPLICIT:2,IA5STRING:12025559999" \
	"[tnrange]" "start = IA5STRING:12025550100" "count = INTEGER:100"
issue shaken sp-a-deleg-ca delegate "/C=US/O=SP A Customer/CN=Delegate of SHAKEN 1234" \
	"$X/deleg.ext" -days 90
chain shaken delegate sp-a-deleg-ca sti-ca

# A root nobody trusts, and an SP certificate under it.
issue shaken untrusted-root untrusted-root "/C=US/O=Rogue/CN=SHAKEN Rogue ROOT" \
	"$X/root.ext" -days 3650
sp_ext "$X/sp-untrusted.ext" "spc = EXPLICIT:0,IA5STRING:9999"
issue shaken untrusted-root sp-untrusted "/C=US/O=Rogue SP/CN=SHAKEN 9999" \
	"$X/sp-untrusted.ext" -days 365
chain shaken sp-untrusted

crl shaken sti-pa-root
crl shaken sti-ca sp-revoked
crl shaken sp-a-deleg-ca
cp "$OUT/shaken/sti-pa-root.pem" "$OUT/shaken/trust/sti-pa-root.pem"

# ---------------------------------------------------------------- TSCA
ext "$T/root.ext" "[ext]" \
	"basicConstraints = critical,CA:TRUE" \
	"keyUsage = critical,keyCertSign,cRLSign" \
	"subjectKeyIdentifier = hash"
# RFC 5280 §6.1: a signer's class counts only when its policy OID is valid
# for the whole path, so every CA below the root names the policies it may
# pass on: the national CA any policy (2.5.29.32.0), an operator CA the
# classes it was granted.  The root, the trust anchor, takes no part.
ANY_POLICY_OID=2.5.29.32.0
ext "$T/ca.ext" "[ext]" \
	"basicConstraints = critical,CA:TRUE" \
	"keyUsage = critical,keyCertSign,cRLSign" \
	"certificatePolicies = $ANY_POLICY_OID" \
	"subjectKeyIdentifier = hash" \
	"authorityKeyIdentifier = keyid:always"

# opca_ext FILE POLICY-OIDS [TNAuthList section lines...]: an operator CA
# (pathlen 0) with the policy classes it may grant (comma-separated) and,
# when given, the numbers it holds (RFC 9060: its signing certificates'
# TNAuthList must be encompassed by it).
opca_ext()
{
	f=$1 oids=$2
	shift 2
	if [ $# -gt 0 ]; then
		set -- "$TNAUTH_OID = ASN1:SEQUENCE:tnauth" "[tnauth]" "$@"
	fi
	ext "$f" "[ext]" \
		"basicConstraints = critical,CA:TRUE,pathlen:0" \
		"keyUsage = critical,keyCertSign,cRLSign" \
		"certificatePolicies = $oids" \
		"subjectKeyIdentifier = hash" \
		"authorityKeyIdentifier = keyid:always" "$@"
}
# Operator One holds 4930123400..4930123499; Operator Two's CA holds no
# numbers (its signers' numbers come from the domain map only).
opca_ext "$T/op1-ca.ext" "$TSCA_FULL_OID,$TSCA_PROV_OID" \
	"range = EXPLICIT:1,SEQUENCE:tnrange" "[tnrange]" \
	"start = IA5STRING:4930123400" "count = INTEGER:100"
opca_ext "$T/opca.ext" "$TSCA_FULL_OID,$TSCA_PROV_OID"
# Attack material (a trusted operator CA overreaching, ARCHITECTURE §3): one
# granted the provisional class only, holding 4950000000..4950000099, and
# one granted both classes, holding 4950100000..4950100099.
opca_ext "$T/provop-ca.ext" "$TSCA_PROV_OID" \
	"range = EXPLICIT:1,SEQUENCE:tnrange" "[tnrange]" \
	"start = IA5STRING:4950000000" "count = INTEGER:100"
opca_ext "$T/tnop-ca.ext" "$TSCA_FULL_OID,$TSCA_PROV_OID" \
	"range = EXPLICIT:1,SEQUENCE:tnrange" "[tnrange]" \
	"start = IA5STRING:4950100000" "count = INTEGER:100"

# op_ext FILE POLICY-OID [TNAuthList section lines...]
op_ext()
{
	f=$1 oid=$2
	shift 2
	if [ $# -gt 0 ]; then
		set -- "$TNAUTH_OID = ASN1:SEQUENCE:tnauth" "[tnauth]" "$@"
	fi
	ext "$f" "[ext]" \
		"basicConstraints = critical,CA:FALSE" \
		"keyUsage = critical,digitalSignature" \
		"certificatePolicies = $oid" \
		"subjectKeyIdentifier = hash" \
		"authorityKeyIdentifier = keyid:always" "$@"
}

issue tsca tsca-root tsca-root "/C=ZZ/O=Test TSCA/CN=TSCA Test Root" "$T/root.ext" -days 7300
issue tsca tsca-root national-ca "/C=ZZ/O=Test National CA/CN=TSCA National CA ZZ" \
	"$T/ca.ext" -days 3650
ca_init tsca national-ca
issue tsca national-ca op1-ca "/C=ZZ/O=Operator One/CN=Operator One CA" "$T/op1-ca.ext" -days 1825
ca_init tsca op1-ca
issue tsca national-ca rogue-ca "/C=ZZ/O=Rogue Operator/CN=Rogue Operator CA" "$T/opca.ext" -days 1825
ca_init tsca rogue-ca
# The national level is optional: this operator CA hangs off the root.
issue tsca tsca-root op2-ca "/C=YY/O=Operator Two/CN=Operator Two CA" "$T/opca.ext" -days 1825
ca_init tsca op2-ca
issue tsca national-ca provop-ca "/C=ZZ/O=Provisional Operator/CN=Provisional Operator CA" \
	"$T/provop-ca.ext" -days 1825
ca_init tsca provop-ca
issue tsca national-ca tnop-ca "/C=ZZ/O=Number Operator/CN=Number Operator CA" \
	"$T/tnop-ca.ext" -days 1825
ca_init tsca tnop-ca

# Full certificates live 2 years, provisional ones 6 months.
op_ext "$T/op1-full.ext" "$TSCA_FULL_OID" \
	"range = EXPLICIT:1,SEQUENCE:tnrange" "[tnrange]" \
	"start = IA5STRING:4930123400" "count = INTEGER:100"
issue tsca op1-ca op1-full "/C=ZZ/O=Operator One/CN=Operator One signing" \
	"$T/op1-full.ext" -days 730
chain tsca op1-full op1-ca national-ca

op_ext "$T/op1-prov.ext" "$TSCA_PROV_OID"
issue tsca op1-ca op1-prov "/C=ZZ/O=Operator One/CN=Operator One signing (provisional)" \
	"$T/op1-prov.ext" -days 182
chain tsca op1-prov op1-ca national-ca

# Issued for longer than their class allows (stiwfd refuses them by their
# validity period, not by the time left): a provisional certificate of
# 185 days (> 184) and a full one of 732 days (> 731).
issue tsca op1-ca op1-prov-long "/C=ZZ/O=Operator One/CN=Operator One signing (provisional, too long)" \
	"$T/op1-prov.ext" -days 185
chain tsca op1-prov-long op1-ca national-ca
issue tsca op1-ca op1-full-long "/C=ZZ/O=Operator One/CN=Operator One signing (too long)" \
	"$T/op1-full.ext" -days 732
chain tsca op1-full-long op1-ca national-ca

op_ext "$T/rogue.ext" "$TSCA_FULL_OID"
issue tsca rogue-ca rogue "/C=ZZ/O=Rogue Operator/CN=Rogue Operator signing" \
	"$T/rogue.ext" -days 730
chain tsca rogue rogue-ca national-ca

op_ext "$T/op2-full.ext" "$TSCA_FULL_OID"
issue tsca op2-ca op2-full "/C=YY/O=Operator Two/CN=Operator Two signing" \
	"$T/op2-full.ext" -days 730
chain tsca op2-full op2-ca

# The attacks: each CA issues itself a signing certificate with the full
# policy OID.  provop-spoof stays inside its CA's numbers but claims a class
# its CA was not granted; tnop-spoof and op2-spoof claim Operator One's
# numbers, beyond their CA's numbers (tnop) or under a CA that holds none
# (op2).
op_ext "$T/provop-spoof.ext" "$TSCA_FULL_OID" \
	"range = EXPLICIT:1,SEQUENCE:tnrange" "[tnrange]" \
	"start = IA5STRING:4950000000" "count = INTEGER:100"
issue tsca provop-ca provop-spoof "/C=ZZ/O=Provisional Operator/CN=Provisional Operator signing" \
	"$T/provop-spoof.ext" -days 730
chain tsca provop-spoof provop-ca national-ca
op_ext "$T/tnop-spoof.ext" "$TSCA_FULL_OID" \
	"range = EXPLICIT:1,SEQUENCE:tnrange" "[tnrange]" \
	"start = IA5STRING:4930123400" "count = INTEGER:100"
issue tsca tnop-ca tnop-spoof "/C=ZZ/O=Number Operator/CN=Number Operator signing" \
	"$T/tnop-spoof.ext" -days 730
chain tsca tnop-spoof tnop-ca national-ca
op_ext "$T/op2-spoof.ext" "$TSCA_FULL_OID" \
	"range = EXPLICIT:1,SEQUENCE:tnrange" "[tnrange]" \
	"start = IA5STRING:4930123400" "count = INTEGER:100"
issue tsca op2-ca op2-spoof "/C=YY/O=Operator Two/CN=Operator Two signing (spoof)" \
	"$T/op2-spoof.ext" -days 730
chain tsca op2-spoof op2-ca

# The national CA revokes the rogue operator's CA: its whole branch is out.
crl tsca tsca-root
crl tsca national-ca rogue-ca
crl tsca op1-ca
crl tsca rogue-ca
crl tsca op2-ca
crl tsca provop-ca
crl tsca tnop-ca
cp "$OUT/tsca/tsca-root.pem" "$OUT/tsca/trust/tsca-root.pem"

chmod 644 "$OUT/shaken/trust/"*.pem "$OUT/tsca/trust/"*.pem
ossl rehash "$OUT/shaken/trust" "$OUT/tsca/trust"
chmod 755 "$OUT/shaken" "$OUT/tsca" "$OUT/shaken/trust" "$OUT/tsca/trust" \
	"$OUT/shaken/crl" "$OUT/tsca/crl"

# ---------------------------------------------------------------- pki.env
# Shell-sourceable; names are PKI_<DOMAIN>_<NAME>_{CERT,KEY,CHAIN,KEYID}.
envline()
{
	printf "%s='%s'\n" "$1" "$2" >>"$OUT/pki.env"
}
envcert()
{
	dom=$1 name=$2
	v=$(printf '%s_%s' "$dom" "$name" | tr 'a-z-' 'A-Z_')
	envline "PKI_${v}_CERT" "$OUT/$dom/$name.pem"
	envline "PKI_${v}_KEY" "$OUT/$dom/$name.key"
	[ -f "$OUT/$dom/$name-chain.pem" ] && envline "PKI_${v}_CHAIN" "$OUT/$dom/$name-chain.pem"
	envline "PKI_${v}_KEYID" "$(keyid "$OUT/$dom/$name.pem")"
	envline "PKI_${v}_SPKI" "$(spki "$OUT/$dom/$name.pem")"
}

{
	echo "# stiwf test PKI, made by contrib/gen-test-pki.sh; read it into sh with '. ./pki.env'."
	echo "# Test material only: never use these keys for anything real."
} >"$OUT/pki.env"
envline PKI_DIR "$OUT"
envline PKI_SHAKEN_TRUST_DIR "$OUT/shaken/trust"
envline PKI_SHAKEN_CRL_DIR "$OUT/shaken/crl"
envline PKI_SHAKEN_CP_OID "$SHAKEN_CP_OID"
envline PKI_TSCA_TRUST_DIR "$OUT/tsca/trust"
envline PKI_TSCA_CRL_DIR "$OUT/tsca/crl"
envline PKI_TSCA_FULL_OID "$TSCA_FULL_OID"
envline PKI_TSCA_PROV_OID "$TSCA_PROV_OID"
envline PKI_SHAKEN_SP_A_SPC 1234
envline PKI_SHAKEN_SP_B_SPC 5678
envline PKI_SHAKEN_SP_REVOKED_SPC 1111
envline PKI_SHAKEN_SP_EXPIRED_SPC 3333
envline PKI_SHAKEN_SP_UNTRUSTED_SPC 9999
envline PKI_SHAKEN_DELEGATE_RANGE "12025550100+100"
envline PKI_SHAKEN_DELEGATE_TN 12025559999
envline PKI_TSCA_OP1_FULL_RANGE "4930123400+100"
for n in sti-pa-root sti-ca sp-a sp-b sp-revoked sp-expired sp-a-deleg-ca delegate \
	untrusted-root sp-untrusted; do
	envcert shaken "$n"
done
for n in tsca-root national-ca op1-ca rogue-ca op2-ca op1-full op1-prov op1-prov-long \
	op1-full-long rogue op2-full provop-ca tnop-ca provop-spoof tnop-spoof op2-spoof; do
	envcert tsca "$n"
done
chmod 644 "$OUT/pki.env"
echo "gen-test-pki: wrote $OUT (see $OUT/pki.env)"
