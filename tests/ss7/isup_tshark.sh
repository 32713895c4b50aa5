#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tshark as the independent judge of the ISUP encoder: each message printed
# by tests/ss7/isup_vectors is wrapped in an M3UA DATA message (RFC 4666
# §3.3.1: Protocol Data with OPC 100, DPC 200, SI 5 = ISUP, NI 0, MP 0,
# SLS 1), put in SCTP with PPID 3 by text2pcap, decoded by tshark, and the
# fields tshark prints are compared with what was encoded.  Any "Malformed"
# or expert error fails the test.
set -u

top_builddir=${top_builddir:-.}
vectors=$top_builddir/tests/ss7/isup_vectors

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

# m3ua_hex ISUP_HEX: the M3UA DATA message around it, as hex
m3ua_hex() {
	n=$(( ${#1} / 2 ))
	pad=$(( (4 - n % 4) % 4 ))
	plen=$(( 16 + n ))
	tot=$(( 8 + plen + pad ))
	printf '01000101%08x0210%04x%08x%08x05000001%s' $tot $plen 100 200 "$1"
	i=0
	while [ $i -lt $pad ]; do
		printf '00'
		i=$((i + 1))
	done
}

# expect NAME FILE TEXT...: each TEXT must appear in tshark's verbose output
expect() {
	name=$1
	file=$2
	shift 2
	for text in "$@"; do
		if ! grep -qF -- "$text" "$file"; then
			echo "FAIL: $name: tshark does not show \"$text\""
			fail=1
		fi
	done
}

# field NAME FIELD WANT: a field of the ISUP message as tshark reads it
field() {
	got=$(tshark -r "$work/$1.pcap" -T fields -e "$2" 2>/dev/null | head -n 1)
	if [ "$got" != "$3" ]; then
		echo "FAIL: $1: $2 is \"$got\", encoded \"$3\""
		fail=1
	fi
}

if ! "$vectors" >"$work/vectors.txt"; then
	echo "FAIL: $vectors did not run"
	exit 1
fi

while read -r name hex; do
	m3ua_hex "$hex" | sed 's/../& /g; s/^/000000 /' >"$work/$name.txt"
	if ! text2pcap -q -S 2905,2905,3 "$work/$name.txt" "$work/$name.pcap" >/dev/null 2>&1; then
		echo "FAIL: $name: text2pcap"
		fail=1
		continue
	fi
	tshark -V -r "$work/$name.pcap" >"$work/$name.out" 2>/dev/null
	if grep -q -e "Malformed" -e "Severity level: Error" "$work/$name.out"; then
		echo "FAIL: $name: tshark reports a malformed packet or an expert error:"
		grep -e "Malformed" -e "Severity level: Error" -B3 "$work/$name.out"
		fail=1
	fi
	if ! grep -q "^ISDN User Part" "$work/$name.out"; then
		echo "FAIL: $name: tshark did not decode ISUP"
		fail=1
	fi

	case $name in
	IAM)
		field IAM isup.cic 21
		field IAM isup.message_type 1
		field IAM isup.called 4930123456
		field IAM isup.calling 4921987654
		expect IAM "$work/IAM.out" \
			"Echo Control Device Indicator: Echo control device included" \
			"National/international call indicator: Call to be treated as international call" \
			"ISDN user part indicator: ISDN user part used all the way" \
			"ISDN access indicator: originating access ISDN" \
			"Calling Party's category: ordinary calling subscriber (0x0a)" \
			"Transmission medium requirement: speech (0)" \
			"Nature of address indicator: international number (4)" \
			"Numbering plan indicator: ISDN (Telephony) numbering plan ITU-T E.164 (1)" \
			"Address presentation restricted indicator: presentation restricted (1)" \
			"Screening indicator: network provided (3)" \
			"Number qualifier indicator: additional calling party number (0x06)" \
			"Generic Number: 15550001" \
			"Hop counter: 20" \
			"Application context identifier: Unknown (90)" \
			"Send notification indicator (SNI): do not send notification" \
			"Release call indicator (RCI): do not release call" \
			"Sequence indicator (SI): new sequence" \
			"APM segmentation indicator: final segment (0)" \
			"Optional Parameter: Parameter compatibility information (57)" \
			"End of optional parameters (0)"
		;;
	ACM)
		field ACM isup.cic 21
		field ACM isup.message_type 6
		expect ACM "$work/ACM.out" \
			"Charge indicator: Charge (0x2)" \
			"Called party's status indicator: Subscriber free (0x1)" \
			"Called party's category indicator: Ordinary subscriber (0x1)" \
			"ISDN user part indicator: ISDN user part used all the way" \
			"ISDN access indicator: terminating access ISDN" \
			"In-band information indicator: in-band information or an appropriate pattern is now available" \
			"Simple segmentation indicator: no additional information will be sent"
		;;
	ANM)
		field ANM isup.cic 21
		field ANM isup.message_type 9
		expect ANM "$work/ANM.out" "No optional parameter present (Pointer: 0)"
		;;
	REL)
		field REL isup.cic 21
		field REL isup.message_type 12
		field REL isup.cause_indicator 16
		expect REL "$work/REL.out" \
			"Cause location: Public network serving the remote user (RLN) (4)" \
			"Coding standard: ITU-T standardized coding (0x0)" \
			"Cause indicator: Normal call clearing (16)"
		;;
	RLC)
		field RLC isup.cic 21
		field RLC isup.message_type 16
		;;
	CPG)
		field CPG isup.cic 21
		field CPG isup.message_type 44
		expect CPG "$work/CPG.out" "Event indicator: ALERTING (1)"
		;;
	GRS)
		field GRS isup.cic 100
		field GRS isup.message_type 23
		# tshark shows the number of circuits, range + 1
		expect GRS "$work/GRS.out" "Range: 30"
		;;
	CON)
		field CON isup.message_type 7
		expect CON "$work/CON.out" \
			"Called party's status indicator: Subscriber free (0x1)" \
			"Interworking indicator: interworking encountered"
		;;
	RSC | BLO | BLA | UBL | UBA | UCIC | CCR | LPA)
		field $name isup.cic 30
		case $name in
		RSC) want=18 ;; BLO) want=19 ;; BLA) want=21 ;; UBL) want=20 ;; UBA) want=22 ;;
		UCIC) want=46 ;; CCR) want=17 ;; LPA) want=36 ;;
		esac
		field $name isup.message_type $want
		;;
	GRA)
		field GRA isup.cic 100
		field GRA isup.message_type 41
		expect GRA "$work/GRA.out" "Range: 30" "Parameter Length: 5"
		# the status octets as encoded: circuits 0 and 7 locally blocked
		tshark -r "$work/GRA.pcap" -T pdml >"$work/GRA.pdml" 2>/dev/null
		expect GRA "$work/GRA.pdml" 'show="Status subfield" size="4" pos="92" value="81000000"'
		;;
	CGB | CGBA | CGU | CGUA)
		field $name isup.cic 100
		case $name in
		CGB) want=24 ;; CGBA) want=26 ;; CGU) want=25 ;; CGUA) want=27 ;;
		esac
		field $name isup.message_type $want
		case $name in
		CGB | CGBA) expect $name "$work/$name.out" \
			"Circuit group supervision message type: hardware failure oriented (1)" ;;
		*) expect $name "$work/$name.out" \
			"Circuit group supervision message type: maintenance oriented (0)" ;;
		esac
		expect $name "$work/$name.out" "Range: 10" "Parameter Length: 3"
		;;
	CFN)
		field CFN isup.message_type 47
		field CFN isup.cause_indicator 99
		expect CFN "$work/CFN.out" \
			"Cause location: Transit network (TN) (3)" \
			"Information element: Unknown (0xF4)" \
			"Information element: Unknown (0xFE)"
		;;
	RLCCAUSE)
		field RLCCAUSE isup.message_type 16
		field RLCCAUSE isup.cause_indicator 99
		expect RLCCAUSE "$work/RLCCAUSE.out" \
			"Optional Parameter: Cause indicators (18)" \
			"Information element: Unknown (0xF4)"
		;;
	RELDIAG)
		field RELDIAG isup.message_type 12
		field RELDIAG isup.cause_indicator 97
		expect RELDIAG "$work/RELDIAG.out" "Message type: Unknown (0x99)"
		;;
	INR)
		field INR isup.message_type 3
		field INR isup.calling_party_address_request_indicator 1
		field INR isup.calling_partys_category_request_indicator 1
		field INR isup.info_req_holding_indicator 0
		field INR isup.call_identity 805240
		expect INR "$work/INR.out" "Call ID = 805240, SPC = 2121"
		;;
	INF)
		field INF isup.message_type 4
		field INF isup.calling_party_address_response_indicator 0x0003
		field INF isup.calling_partys_category_response_indicator 1
		field INF isup.solicited_indicator 0
		field INF isup.calling 4930123456
		expect INF "$work/INF.out" \
			"Screening indicator: network provided (3)" \
			"Calling Party's category: ordinary calling subscriber (0x0a)"
		;;
	INFNA)
		field INFNA isup.message_type 4
		field INFNA isup.calling_party_address_response_indicator 0x0001
		field INFNA isup.calling_partys_category_response_indicator 0
		expect INFNA "$work/INFNA.out" "No optional parameter present (Pointer: 0)"
		;;
	COT)
		field COT isup.message_type 5
		field COT isup.continuity_indicator 1
		;;
	SAM)
		field SAM isup.message_type 2
		field SAM isup.cic 21
		expect SAM "$work/SAM.out" "Subsequent Number: 0001"
		;;
	SUS|RES)
		field $name isup.cic 21
		expect $name "$work/$name.out" "Suspend/Resume indicator: network initiated"
		;;
	CQM)
		field CQM isup.message_type 42
		expect CQM "$work/CQM.out" "Range: 4" "Parameter Length: 1"
		;;
	CQR)
		field CQR isup.message_type 43
		expect CQR "$work/CQR.out" "Range: 4" "Parameter Length: 4"
		got=$(tshark -r "$work/CQR.pcap" -T fields -e isup.call_processing_state 2>/dev/null)
		[ "$got" = "3,1,2" ] || { echo "FAIL: CQR: call processing states $got, encoded 3,1,2"; fail=1; }
		got=$(tshark -r "$work/CQR.pcap" -T fields -e isup.mtc_blocking_state 2>/dev/null)
		[ "$got" = "0,1,0,0" ] || { echo "FAIL: CQR: maintenance blocking $got, encoded 0,1,0,0"; fail=1; }
		got=$(tshark -r "$work/CQR.pcap" -T fields -e isup.hw_blocking_state 2>/dev/null)
		[ "$got" = "0,0,2" ] || { echo "FAIL: CQR: hardware blocking $got, encoded 0,0,2"; fail=1; }
		expect CQR "$work/CQR.out" "Circuit# CIC+3 state: transient"
		;;
	FAC)
		field FAC isup.message_type 51
		expect FAC "$work/FAC.out" \
			"Release call indicator: release call" \
			"Send notification indicator: send notification" \
			"Discard message indicator: Do not discard message (pass on)" \
			"Call Transfer Number: 3806338"
		;;
	IDR)
		field IDR isup.message_type 54
		field IDR isup.mcid_request_indicators 0x01
		expect IDR "$work/IDR.out" \
			"Discard message indicator: Discard message" \
			"Pass on not possible indicator: discard information"
		;;
	IRS)
		field IRS isup.message_type 55
		field IRS isup.mcid_response_indicators 0x01
		field IRS isup.calling 30123456
		;;
	IAMFWD)
		field IAMFWD isup.cic 24
		field IAMFWD isup.called 4930222
		field IAMFWD isup.calling 4921987654
		field IAMFWD isup.original_called_number 4930111
		field IAMFWD isup.redirecting 30111
		field IAMFWD isup.redirecting_ind 3
		field IAMFWD isup.original_redirection_reason 1
		field IAMFWD isup.redirection_counter 1
		field IAMFWD isup.redirection_reason 1
		expect IAMFWD "$work/IAMFWD.out" \
			"Original Called Number" \
			"Redirecting Number" \
			"Address presentation restricted indicator: presentation restricted (1)"
		;;
	IAMTOK)
		# a signalling token (ARCHITECTURE §2.1): APP with ACI 90, SNI = RCI = 0,
		# new sequence, empty Q.765 addresses, then version 1 and the HOP
		# TLV (01 4d, alg 01); the PCI asks to pass it on
		field IAMTOK isup.cic 22
		field IAMTOK isup.message_type 1
		field IAMTOK isup.called 12025550100
		field IAMTOK isup.calling 4930123456
		expect IAMTOK "$work/IAMTOK.out" \
			"Application context identifier: Unknown (90)" \
			"Send notification indicator (SNI): do not send notification" \
			"Release call indicator (RCI): do not release call" \
			"Sequence indicator (SI): new sequence" \
			"APM segmentation indicator: final segment (0)" \
			"Originating Address length: 0" \
			"Destination Address length: 0" \
			"APM-user information field: 01014d01" \
			"Upgraded parameter no: 1 = Application transport" \
			"Release call indicator: do not release call" \
			"Discard message indicator: Do not discard message (pass on)" \
			"Discard parameter indicator: Do not discard parameter (pass on)" \
			"Pass on not possible indicator: Discard parameter"
		;;
	IAMTOKSEG)
		# the longest x5u: two APP segments, the first moved to an SGM
		field IAMTOKSEG isup.cic 22
		field IAMTOKSEG isup.message_type 1
		expect IAMTOKSEG "$work/IAMTOKSEG.out" \
			"Simple segmentation indicator: additional information will be sent in a segmentation message" \
			"Application context identifier: Unknown (90)" \
			"Sequence indicator (SI): subsequent segment to first segment" \
			"APM segmentation indicator: final segment (0)" \
			"Segmentation local reference (SLR): 1" \
			"Pass on not possible indicator: Discard parameter"
		;;
	SGMTOK)
		field SGMTOK isup.cic 22
		field SGMTOK isup.message_type 56
		expect SGMTOK "$work/SGMTOK.out" \
			"Application context identifier: Unknown (90)" \
			"Sequence indicator (SI): new sequence" \
			"APM segmentation indicator: number of following segments (1)" \
			"Segmentation local reference (SLR): 1" \
			"Originating Address length: 0" \
			"APM-user information field: 01014d01"
		;;
	IAME2E)
		# as "stiwf isup iam --passport" builds it: HOP, then the PASSPORT
		# TLV (02, attest 'B' = 42, iat 1700000000 = 6553f100, the origid,
		# then the x5u) and the VERDICT (03 03, passed, reason 0)
		field IAME2E isup.cic 23
		field IAME2E isup.message_type 1
		field IAME2E isup.called 12025550100
		field IAME2E isup.calling 4930123456
		expect IAME2E "$work/IAME2E.out" \
			"Application context identifier: Unknown (90)" \
			"Release call indicator (RCI): do not release call" \
			"APM-user information field: 01014d01" \
			"Discard parameter indicator: Do not discard parameter (pass on)"
		# the whole token as tshark extracts it (-V truncates it)
		x5u_hex=$(printf '%s' "https://cert.example.org/sp-a-chain.pem" | od -An -tx1 | tr -d ' \n')
		info=$(tshark -r "$work/IAME2E.pcap" -T fields -e isup.apm_user_info_field 2>/dev/null | tr -d ':')
		case $info in
		01014d01*02*426553f1008f4e1a2b0c3d4e5f9a6b7c8d9e0f1a2b27"$x5u_hex"*0303010000) ;;
		*)
			echo "FAIL: IAME2E: APM-user information is not HOP, PASSPORT, VERDICT: $info"
			fail=1
			;;
		esac
		;;
	*)
		echo "FAIL: $name: no expectations for this vector"
		fail=1
		;;
	esac
	checked="$checked $name"
done <"$work/vectors.txt"

echo "tshark checked:$checked"
for want in IAM IAMFWD ACM ANM REL RLC CPG GRS IAMTOK IAMTOKSEG SGMTOK IAME2E CON GRA CGB CGBA CGU CGUA RSC BLO \
	BLA UBL UBA UCIC CCR LPA CFN RLCCAUSE RELDIAG INR INF INFNA COT SAM SUS RES CQM CQR FAC IDR IRS; do
	case " $checked " in
	*" $want "*) ;;
	*) echo "FAIL: vector $want missing"; fail=1 ;;
	esac
done
exit $fail
