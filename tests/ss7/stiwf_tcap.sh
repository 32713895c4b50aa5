#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# "stiwf tcap decode/sign/verify" on the test PKI: the fields decode shows
# (SCCP addresses, TCAP, MAP operation and subscriber fields, the token),
# signing bare TCAP and SCCP UDTs, verification verdicts against one
# certificate and the TSCA directory (full, provisional, revoked), what
# survives (GT translation) and what does not (a changed IMSI), the OID
# option, exit codes and usage errors.
set -eu
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
stiwf="$top_builddir/stiwf"
work=$(mktemp -d "$PWD/stiwf_tcap.XXXXXX")
trap 'rm -rf "$work"' EXIT
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

# the messages of tests/ss7/tcap_vectors (our encoder; tshark judges them)
"$top_builddir/tests/ss7/tcap_vectors" >"$work/vectors"
vec()
{
	sed -n "s/^$1 [0-9]* [0-9]* //p" "$work/vectors"
}
BEGIN_UL=$(vec BEGIN_UL)
END_UL=$(vec END_UL_RESULT)
END_NO_DLG=$(vec END_ERROR_REJECT)
check "vectors" "$([ -n "$BEGIN_UL" ] && [ -n "$END_UL" ] && [ -n "$END_NO_DLG" ] && echo yes)" yes

# an SCCP UDT (Q.713 §4.10) around a TCAP message: class 0, both addresses
# routed on GT (GTI 4, TT 0, E.164, international) with an SSN
CALLED_GT=262019876543210
CALLING_GT=491700000002
bcd()
{
	d=$1
	[ $(( ${#d} % 2 )) -eq 1 ] && d="${d}0"
	out=""
	while [ -n "$d" ]; do
		a=$(printf '%s' "$d" | cut -c1)
		b=$(printf '%s' "$d" | cut -c2)
		out="$out$b$a"
		d=$(printf '%s' "$d" | cut -c3-)
	done
	printf '%s' "$out"
}
sccp_addr()
{
	es=2
	[ $(( ${#2} % 2 )) -eq 1 ] && es=1
	a=$(printf '12%02x00%02x04%s' "$1" $(( 0x10 + es )) "$(bcd "$2")")
	printf '%02x%s' $(( ${#a} / 2 )) "$a"
}
# udt CALLED_SSN CALLED_GT CALLING_SSN CALLING_GT TCAP_HEX
udt()
{
	cd_=$(sccp_addr "$1" "$2")
	cg_=$(sccp_addr "$3" "$4")
	l1=$(( ${#cd_} / 2 ))
	l2=$(( ${#cg_} / 2 ))
	printf '0900%02x%02x%02x%s%s%02x%s' 3 $(( 2 + l1 )) $(( 1 + l1 + l2 )) "$cd_" "$cg_" $(( ${#5} / 2 )) "$5"
}

# ---------------------------------------------------------------- decode
run 0 "decode bare" tcap decode "$BEGIN_UL"
has "type" '"message_type": "Begin"'
has "otid" '"otid": "10203040"'
has "AARQ" '"pdu": "AARQ"'
has "AC" '"application_context": "0.4.0.0.1.0.1.3"'
has "AC name" '"ac_name": "networkLocUpContext"'
has "AC version" '"ac_version": 3'
has "operation" '"operation": "updateLocation"'
has "opcode" '"opcode": 2'
has "IMSI" '"imsi": "262019876543210"'
has "VLR" '"vlr-number": "4912345"'
has "MSC" '"msc-number": "4912345"'
hasnt "no SCCP" '"sccp"'
hasnt "no signature" '"signature"'

UDT=$(udt 6 "$CALLED_GT" 7 "$CALLING_GT" "$BEGIN_UL")
run 0 "decode UDT" tcap decode "$UDT"
has "UDT" '"message_type": "UDT"'
has "called GT" "\"digits\": \"$CALLED_GT\""
has "calling GT" "\"digits\": \"$CALLING_GT\""
has "called SSN" '"ssn": 6'
has "routing" '"routing": "GT"'
has "np" '"np": "E.164'
has "UDT IMSI" '"imsi": "262019876543210"'
run 0 "decode --sccp" tcap decode --sccp "$UDT"
run 1 "decode bare as --sccp" tcap decode --sccp "$BEGIN_UL"
run 0 "decode End" tcap decode "$END_UL"
has "End" '"message_type": "End"'
has "AARE" '"pdu": "AARE"'
has "AARE result" '"result": 0'
has "HLR" '"hlr-number": "493000"'
run 0 "decode no dialogue" tcap decode "$END_NO_DLG"
has "ReturnError" '"type": "ReturnError"'
has "Reject" '"type": "Reject"'
run 1 "not TCAP" tcap decode 6203480500
run 1 "not SCCP" tcap decode 0aff

# ---------------------------------------------------------------- sign, verify
run 0 "sign bare" tcap sign $SIGN --orig +491700000002 --iat 1700000000 "$BEGIN_UL"
signed=$(cat "$work/out")
check "signed is longer" "$([ ${#signed} -gt ${#BEGIN_UL} ] && echo yes)" yes
run 0 "decode signed" tcap decode "$signed"
has "signature" '"signature"'
has "signature oid" '"oid": "2.999.3057.1"'
has "signature key-id" "\"key_id\": \"$PKI_TSCA_OP1_FULL_KEYID\""
has "signature iat" '"iat": 1700000000'
has "signature orig" '"orig": "491700000002"'
has "signed still MAP" '"imsi": "262019876543210"'
run 0 "verify" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000030 "$signed"
has "valid" '"valid": true'
has "reason" '"reason": "signature valid"'
has "verify key-id" "\"key_id\": \"$PKI_TSCA_OP1_FULL_KEYID\""
has "verify orig" '"orig": "491700000002"'
# what the next hop gets when it does not want the token: the input, as it was
check "stripped is the input" "$(sed -n 's/^ *"stripped": "\(.*\)"$/\1/p' "$work/out")" "$BEGIN_UL"
run 1 "verify other operator" tcap verify --cert "$PKI_TSCA_OP2_FULL_CERT" --now 1700000030 "$signed"
has "other operator" '"reason": "no certificate for this key-id"'
has "other operator invalid" '"valid": false'
run 1 "verify expired" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000061 "$signed"
has "expired" '"reason": "iat older than the window"'
run 0 "verify with skew" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000061 --skew 1 "$signed"
run 0 "verify with window" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000100 --window 100 "$signed"
run 1 "verify future" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1699999999 "$signed"
has "future" '"reason": "iat in the future"'
run 1 "verify unsigned" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000000 "$BEGIN_UL"
has "unsigned" '"reason": "no signature"'
# the IMSI 262019876543210 (62 02 91 78 56 34 12 f0) becomes ...211
tampered=$(echo "$signed" | sed 's/62029178563412f0/62029178563412f1/')
check "tampered differs" "$([ "$tampered" != "$signed" ] && echo yes)" yes
run 1 "verify tampered IMSI" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000030 "$tampered"
has "tampered IMSI" '"reason": "signature does not verify"'
# ORIG 491700000002 (ASCII ...3032) claims ...03
torig=$(echo "$signed" | sed 's/3439313730303030303030326c/3439313730303030303030336c/')
check "tampered ORIG differs" "$([ "$torig" != "$signed" ] && echo yes)" yes
run 1 "verify tampered ORIG" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000030 "$torig"
has "tampered ORIG" '"reason": "signature does not verify"'
# the token's version 2: malformed
broken=$(echo "$signed" | sed 's/815e01014d01/815e02014d01/')
check "broken differs" "$([ "$broken" != "$signed" ] && echo yes)" yes
run 1 "decode malformed signature" tcap decode "$broken"
has "malformed" '"error": "malformed signature"'
run 1 "verify malformed" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000030 "$broken"
has "malformed reason" '"reason": "malformed message or signature"'

# the End with AARE
run 0 "sign End" tcap sign $SIGN --orig 4930000 --iat 1700000000 "$END_UL"
run 0 "verify End" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000000 "$(cat "$work/out")"
has "End orig" '"orig": "4930000"'
# what cannot carry it, and what carries it already
run 1 "sign without dialogue" tcap sign $SIGN --orig 4930000 "$END_NO_DLG"
has_err "cannot carry" "cannot carry a signature"
run 1 "sign twice" tcap sign $SIGN --orig 4930000 "$signed"
has_err "signed already" "signed already"

# ---------------------------------------------------------------- SCCP
now=$(date +%s)
run 0 "sign UDT" tcap sign $SIGN --iat "$now" "$UDT"
sudt=$(cat "$work/out")
case $sudt in
09*) echo "ok: signed UDT is a UDT" ;;
*) echo "FAIL: signed UDT: $sudt"; fails=$((fails + 1)) ;;
esac
run 0 "verify UDT" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" "$sudt"
has "UDT valid" '"valid": true'
has "UDT orig from the calling GT" "\"orig\": \"$CALLING_GT\""
has "UDT calling_gt" "\"calling_gt\": \"$CALLING_GT\""
has "UDT orig matches" '"orig_matches_calling_gt": true'
# a gateway translates the called GT and changes the SSNs: still valid
inner=$(sed -n 's/^ *"stripped": "\(.*\)"$/\1/p' "$work/out")
check "UDT stripped" "$inner" "$BEGIN_UL"
tcap_in_udt=${sudt#*"$(sccp_addr 7 "$CALLING_GT")"}
tcap_in_udt=${tcap_in_udt#??}
moved=$(udt 149 26201999000001 8 "$CALLING_GT" "$tcap_in_udt")
check "moved differs" "$([ "$moved" != "$sudt" ] && echo yes)" yes
run 0 "verify after GT translation" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" "$moved"
has "GT translation valid" '"valid": true'
run 0 "decode after GT translation" tcap decode "$moved"
has "translated called GT" '"digits": "26201999000001"'
has "translated SSN" '"ssn": 149'
# another calling GT: the signature holds, ORIG says who signed for what
other=$(udt 6 "$CALLED_GT" 7 4930000 "$tcap_in_udt")
run 0 "verify other calling GT" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" "$other"
has "other calling GT" '"orig_matches_calling_gt": false'
# a Continue that fits a UDT but not once signed (the sendAuthenticationInfo
# result of tests/ss7/tcap_map_vectors.md, 167 octets): refused, not cut
SAI=6581a44804840001ff4904a50500016b2a2828060700118605010101a01d611b80020780a109060704000001000e03a2\
03020100a305a1030201006c6aa2680201013063020138a35ea15c305a04104b9d6191107536658cfe59880cd2ac2704104b\
8c43a2542050120467f333c00f42d804108c43a2542050120467f333c00f42d84b041043a2542050120467f333c00f42d84b\
8c0410a2551a058cdb00004b8d79f7caff5012
run 0 "decode long UDT" tcap decode "$(udt 7 "$CALLED_GT" 6 "$CALLING_GT" "$SAI")"
has "long UDT is a Continue" '"message_type": "Continue"'
run 1 "sign too long for a UDT" tcap sign $SIGN "$(udt 7 "$CALLED_GT" 6 "$CALLING_GT" "$SAI")"
has_err "too long for a UDT" "does not fit one SCCP UDT"
check "too long: no output" "$(cat "$work/out")" ""
run 0 "the same bare" tcap sign $SIGN --orig "$CALLING_GT" "$SAI"
# and signed bare, carried in a UDT: the same
run 0 "bare signature in a UDT" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000000 \
	"$(udt 6 "$CALLED_GT" 7 "$CALLING_GT" "$signed")"

# ---------------------------------------------------------------- OID
run 0 "sign --oid" tcap sign $SIGN --orig 4930000 --iat 1700000000 --oid 1.3.6.1.4.1.99999.1 "$BEGIN_UL"
oidsig=$(cat "$work/out")
run 1 "verify default OID finds none" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" --now 1700000000 "$oidsig"
has "other OID: no signature" '"reason": "no signature"'
run 0 "verify --oid" tcap verify --oid 1.3.6.1.4.1.99999.1 --cert "$PKI_TSCA_OP1_FULL_CERT" \
	--now 1700000000 "$oidsig"
run 0 "decode --oid" tcap decode --oid 1.3.6.1.4.1.99999.1 "$oidsig"
has "decode other OID" '"oid": "1.3.6.1.4.1.99999.1"'

# ---------------------------------------------------------------- TSCA directory
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
later=$((now + 10))
run 0 "directory full" tcap verify $TRUST --now "$later" "$sudt"
has "full valid" '"valid": true'
has "full policy" '"policy": "full"'
has "full signer" '"signer": "CN=Operator One signing,O=Operator One,C=ZZ"'
has "full source" '"source": "local"'
sign_by()
{
	"$stiwf" tcap sign --sign-key "$1" --sign-cert "$2" --iat "$now" "$UDT"
}
run 0 "directory provisional" tcap verify $TRUST --now "$later" \
	"$(sign_by "$PKI_TSCA_OP1_PROV_KEY" "$PKI_TSCA_OP1_PROV_CHAIN")"
has "provisional policy" '"policy": "provisional"'
run 1 "directory revoked" tcap verify $TRUST --now "$later" \
	"$(sign_by "$PKI_TSCA_ROGUE_KEY" "$PKI_TSCA_ROGUE_CHAIN")"
has "revoked" '"reason": "revoked"'
hasnt "revoked no policy" '"policy"'
run 1 "directory unknown" tcap verify $TRUST --now "$later" \
	"$(sign_by "$PKI_TSCA_OP2_FULL_KEY" "$PKI_TSCA_OP2_FULL_CHAIN")"
has "unknown key-id" '"reason": "unknown key-id"'
# the repository is not allowed on loopback without --fetch-permit
run 1 "repository refused" tcap verify $TRUST --repo 'https://127.0.0.1:1/{key-id}.pem' --now "$later" \
	"$(sign_by "$PKI_TSCA_OP2_FULL_KEY" "$PKI_TSCA_OP2_FULL_CHAIN")"
has "repository refused" '127.0.0.1 refused: loopback'

# ---------------------------------------------------------------- refusals
cp "$PKI_TSCA_OP1_FULL_KEY" "$work/open.key"
chmod 644 "$work/open.key"
run 1 "key readable by others" tcap sign --sign-key "$work/open.key" --sign-cert "$PKI_TSCA_OP1_FULL_CHAIN" \
	--orig 1 "$BEGIN_UL"
check "no output with an open key" "$(cat "$work/out")" ""
# the first of two XUDT segments (Q.713 §4.18, §3.17: F set, one to follow)
cd_=$(sccp_addr 6 "$CALLED_GT")
cg_=$(sccp_addr 7 "$CALLING_GT")
l1=$(( ${#cd_} / 2 ))
l2=$(( ${#cg_} / 2 ))
seg=$(printf '11010f%02x%02x%02x%02x%s%s%s%s00' 4 $(( 3 + l1 )) $(( 2 + l1 + l2 )) $(( 1 + l1 + l2 + 6 )) \
	"$cd_" "$cg_" 05624a481004 1004810000 01)
run 1 "segment" tcap decode "$seg"
has_err "segment: reassemble" "reassemble"
run 2 "no subcommand" tcap
run 2 "other subcommand" tcap nosuch
run 2 "sign without key" tcap sign --orig 1 "$BEGIN_UL"
run 2 "sign bare without orig" tcap sign $SIGN "$BEGIN_UL"
run 2 "bad orig" tcap sign $SIGN --orig 12a "$BEGIN_UL"
run 2 "long orig" tcap sign $SIGN --orig 1234567890123456 "$BEGIN_UL"
run 2 "bad iat" tcap sign $SIGN --orig 1 --iat -1 "$BEGIN_UL"
run 2 "bad oid" tcap sign $SIGN --orig 1 --oid 1.x "$BEGIN_UL"
run 2 "verify without cert" tcap verify "$signed"
run 2 "--cert and --trust" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" --trust "$PKI_TSCA_TRUST_DIR" "$signed"
run 2 "--cert-dir without --trust" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" --cert-dir "$opdir" "$signed"
run 2 "bad --fetch-permit" tcap verify $TRUST --fetch-permit 10.0.0.1/8 "$signed"
run 2 "bad window" tcap verify --cert "$PKI_TSCA_OP1_FULL_CERT" --window 86401 "$signed"
run 2 "odd hex" tcap decode 123
run 2 "not hex" tcap decode zz
run 2 "two HEX" tcap decode "$BEGIN_UL" "$BEGIN_UL"
run 0 "help" tcap --help
has "help names sign" "stiwf tcap sign"

# bench: runs and prints its fields (no timing is judged here)
run 0 "bench" bench tcap --rounds 1 --ms 10
for f in tcap_encode_sign_per_s evp_es256_sign_per_s evp_pkey_sign_prepared_per_s tcap_decode_verify_per_s \
	evp_es256_verify_per_s evp_pkey_verify_prepared_per_s sign_ratio verify_ratio; do
	has "bench $f" "^$f  *[0-9]"
done

checks_done
