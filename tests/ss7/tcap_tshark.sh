#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tshark as the independent judge of the TCAP encoder, of the signature
# EXTERNAL insert and of messages signed by tcap_sig_sign(): each message printed by tests/ss7/tcap_vectors is put in
# an SCCP UDT (Q.713 §4.10: class 0, called and calling party addresses
# routed on the global title, GT indicator 4, translation type 0, numbering
# plan E.164, nature of address international, SSN as printed), that in an
# M3UA DATA message (RFC 4666 §3.3.1: OPC 100, DPC 200, SI 3 = SCCP), then
# in SCTP with PPID 3 by text2pcap.  tshark must decode it with no expert
# note at all and show the fields that were encoded.
set -u

top_builddir=${top_builddir:-.}
vectors=$top_builddir/tests/ss7/tcap_vectors

for tool in tshark text2pcap; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "SKIP: $tool not installed"
		exit 77
	fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
checked=""

CALLED_GT=491700000001
CALLING_GT=49170000002
SIG_OID=2.999.3057.1

# bcd DIGITS: the digits as BCD octets, the first digit in the low nibble
bcd() {
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

# sccp_addr SSN DIGITS: a called/calling party address with its length octet
sccp_addr() {
	es=2
	[ $(( ${#2} % 2 )) -eq 1 ] && es=1
	# AI 0x12: route on GT, GT indicator 4, SSN present; TT 0; NP 1 + ES; NAI 4
	a=$(printf '12%02x00%02x04%s' "$1" $(( 0x10 + es )) "$(bcd "$2")")
	printf '%02x%s' $(( ${#a} / 2 )) "$a"
}

# udt CALLED_SSN CALLING_SSN TCAP_HEX: the SCCP UDT around the TCAP message
udt() {
	cd_=$(sccp_addr "$1" "$CALLED_GT")
	cg_=$(sccp_addr "$2" "$CALLING_GT")
	n=$(( ${#3} / 2 ))
	if [ $n -gt 255 ]; then
		echo "FAIL: a UDT carries at most 255 octets, not $n" >&2
		return 1
	fi
	l1=$(( ${#cd_} / 2 ))
	l2=$(( ${#cg_} / 2 ))
	# message type 09, class 0, pointers to the three variable parts
	printf '0900%02x%02x%02x%s%s%02x%s' 3 $(( 2 + l1 )) $(( 1 + l1 + l2 )) "$cd_" "$cg_" $n "$3"
}

# m3ua_hex SCCP_HEX: the M3UA DATA message around it, as hex
m3ua_hex() {
	n=$(( ${#1} / 2 ))
	pad=$(( (4 - n % 4) % 4 ))
	plen=$(( 16 + n ))
	tot=$(( 8 + plen + pad ))
	printf '01000101%08x0210%04x%08x%08x03000001%s' $tot $plen 100 200 "$1"
	i=0
	while [ $i -lt $pad ]; do
		printf '00'
		i=$((i + 1))
	done
}

# field NAME FIELD WANT: all values tshark shows for a field, comma separated
field() {
	got=$(tshark -r "$work/$1.pcap" -T fields -E occurrence=a -E aggregator=, -e "$2" 2>/dev/null | head -n 1)
	if [ "$got" != "$3" ]; then
		echo "FAIL: $1: $2 is \"$got\", encoded \"$3\""
		fail=1
	fi
}

# has NAME FIELD WANT: one of the values tshark shows for a field is WANT
has() {
	got=$(tshark -r "$work/$1.pcap" -T fields -E occurrence=a -E aggregator=, -e "$2" 2>/dev/null | head -n 1)
	case ",$got," in
	*",$3,"*) ;;
	*)
		echo "FAIL: $1: $2 is \"$got\", without \"$3\""
		fail=1
		;;
	esac
}

if ! "$vectors" >"$work/vectors.txt"; then
	echo "FAIL: $vectors did not run"
	exit 1
fi

while read -r name called calling hex; do
	sccp=$(udt "$called" "$calling" "$hex") || { fail=1; continue; }
	m3ua_hex "$sccp" | sed 's/../& /g; s/^/000000 /' >"$work/$name.txt"
	if ! text2pcap -q -S 2905,2905,3 "$work/$name.txt" "$work/$name.pcap" >/dev/null 2>&1; then
		echo "FAIL: $name: text2pcap"
		fail=1
		continue
	fi
	tshark -V -r "$work/$name.pcap" >"$work/$name.out" 2>/dev/null
	expert=$(tshark -r "$work/$name.pcap" -T fields -e _ws.expert 2>/dev/null)
	if [ -n "$expert" ] || grep -q "Malformed" "$work/$name.out"; then
		echo "FAIL: $name: tshark has an expert note or a malformed packet:"
		grep -e "Malformed" -e "Expert Info" -A2 "$work/$name.out" | head -n 20
		fail=1
	fi
	if ! grep -q "^Transaction Capabilities Application Part" "$work/$name.out"; then
		echo "FAIL: $name: tshark did not decode TCAP"
		fail=1
	fi
	field "$name" sccp.called.digits "$CALLED_GT"
	field "$name" sccp.calling.digits "$CALLING_GT"
	field "$name" sccp.called.ssn "$called"

	case $name in
	BEGIN_UL | BEGIN_UL_SIG)
		field "$name" tcap.otid 10203040
		field "$name" tcap.application_context_name 0.4.0.0.1.0.1.3
		field "$name" gsm_old.localValue 2
		field "$name" e212.imsi 262019876543210
		;;
	BEGIN_USSD_SIG)
		field "$name" tcap.application_context_name 0.4.0.0.1.0.19.2
		field "$name" gsm_old.localValue 59
		# the sender's MAP-OpenInfo is still read as such
		has "$name" ber.direct_reference 0.4.0.0.1.1.1.1
		has "$name" e212.imsi 262019876543210
		;;
	BEGIN_SAI_INDEF_SIG)
		field "$name" tcap.application_context_name 0.4.0.0.1.0.14.3
		field "$name" gsm_old.localValue 56
		field "$name" e212.imsi 262019876543210
		;;
	BEGIN_SRISM)
		field "$name" tcap.application_context_name 0.4.0.0.1.0.20.3
		field "$name" gsm_old.localValue 45
		;;
	BEGIN_PURGE)
		field "$name" tcap.application_context_name 0.4.0.0.1.0.27.3
		field "$name" gsm_old.localValue 67
		field "$name" e212.imsi 262019876543210
		;;
	BEGIN_MTFSM_SIG)
		field "$name" tcap.application_context_name 0.4.0.0.1.0.25.3
		field "$name" gsm_old.localValue 44
		field "$name" e212.imsi 262019876543210
		;;
	CONTINUE_ISD | CONTINUE_ISD_SIG)
		field "$name" tcap.otid 10203040
		field "$name" tcap.dtid 50607080
		field "$name" tcap.application_context_name 0.4.0.0.1.0.1.3
		field "$name" gsm_old.localValue 7
		field "$name" e212.imsi 262019876543210
		;;
	END_UL_RESULT | END_UL_RESULT_SIG | SIGNED_END_UL)
		field "$name" tcap.dtid 50607080
		field "$name" tcap.application_context_name 0.4.0.0.1.0.1.3
		field "$name" gsm_old.localValue 2
		;;
	SIGNED_BEGIN_UL)
		field "$name" tcap.otid 10203040
		field "$name" tcap.application_context_name 0.4.0.0.1.0.1.3
		field "$name" gsm_old.localValue 2
		# the MAP-OpenInfo before the signature is still read as such
		has "$name" ber.direct_reference 0.4.0.0.1.1.1.1
		has "$name" e212.imsi 262019876543210
		;;
	END_ERROR_REJECT)
		field "$name" tcap.dtid 50607080
		field "$name" gsm_map.old.Component 3,4
		field "$name" gsm_old.localValue 1
		field "$name" gsm_old.derivable 2
		field "$name" gsm_old.invokeProblem 2
		;;
	ABORT_P)
		field "$name" tcap.dtid 50607080
		field "$name" tcap.p_abortCause 1
		;;
	ABORT_U)
		field "$name" tcap.dtid 50607080
		field "$name" tcap.abort_source 0
		;;
	UNI)
		field "$name" tcap.application_context_name 0.4.0.0.1.0.23.1
		field "$name" gsm_old.localValue 49
		;;
	*)
		echo "FAIL: $name: no expectations for this vector"
		fail=1
		;;
	esac
	# after insert: the signature EXTERNAL, its OID and its octets
	case $name in
	SIGNED_*)
		# tcap_sig_sign(): version 1, HOP (0x01, 77 octets, alg 1 ES256),
		# then at the end ORIG (0x05, 11 digits) with the calling GT
		has "$name" ber.direct_reference "$SIG_OID"
		orig_hex=$(printf '%s' "$CALLING_GT" | od -An -tx1 | tr -d ' \n')
		tok=$(tshark -r "$work/$name.pcap" -T fields -e ber.octet_aligned 2>/dev/null | head -n 1)
		if ! printf '%s\n' "$tok" | grep -Eq "^01014d01[0-9a-f]{152}050b$orig_hex\$"; then
			echo "FAIL: $name: tshark does not show the signed token (version, HOP, ORIG $CALLING_GT): $tok"
			fail=1
		fi
		;;
	*_SIG)
		has "$name" ber.direct_reference "$SIG_OID"
		if ! grep -q "octet-aligned: 01010d0111223344556677886553f100" "$work/$name.out"; then
			echo "FAIL: $name: tshark does not show the signature's octets"
			fail=1
		fi
		;;
	esac
	checked="$checked $name"
done <"$work/vectors.txt"

echo "tshark checked:$checked"
for want in BEGIN_UL BEGIN_UL_SIG BEGIN_USSD_SIG BEGIN_SAI_INDEF_SIG BEGIN_SRISM BEGIN_PURGE \
	BEGIN_MTFSM_SIG CONTINUE_ISD CONTINUE_ISD_SIG END_UL_RESULT END_UL_RESULT_SIG \
	END_ERROR_REJECT ABORT_P ABORT_U UNI SIGNED_BEGIN_UL SIGNED_END_UL; do
	case " $checked " in
	*" $want "*) ;;
	*) echo "FAIL: vector $want missing"; fail=1 ;;
	esac
done
exit $fail
