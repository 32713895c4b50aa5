#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tshark as the independent judge of what the MAP border sends when it
# blocks a message (src/stiwfd/map_relay.h): tests/src/stiwfd/map_relay_test writes the
# SCCP of each TC-ABORT, UDTS and XUDTS it saw leave; each is wrapped in an
# M3UA DATA message (RFC 4666 §3.3.1: OPC 100, DPC 200, SI 3 = SCCP) and
# SCTP with PPID 3 by text2pcap.  tshark must decode it with no expert
# note, no malformed packet, and read the fields that were meant:
# - a refused Begin: a U-Abort whose AARE says reject-permanent,
#   dialogue-service-user no-reason-given, with MAP-RefuseInfo noReasonGiven;
# - a blocked Continue of a known dialogue: U-Abort, ABRT from the
#   dialogue-service-user, MAP-UserAbortInfo userSpecificReason;
# - a Continue of an unknown dialogue: P-Abort unrecognizedTransactionID;
# - the DTID of each is the OTID of the message refused;
# - a blocked Begin that asked for return: UDTS "no translation for this
#   specific address" carrying it; an XUDT at the end of its hops: XUDTS
#   "hop counter violation".
set -u

top_builddir=${top_builddir:-.}
prog=$top_builddir/tests/src/stiwfd/map_relay_test

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
	echo
}

# expect NAME WANT FIELD...: the fields of the frame, joined by |
expect() {
	name=$1
	want=$2
	shift 2
	args=""
	for f in "$@"; do
		args="$args -e $f"
	done
	# shellcheck disable=SC2086
	got=$(tshark -r "$work/$name.pcap" -T fields -E separator='|' $args 2>/dev/null | head -n 1)
	if [ "$got" != "$want" ]; then
		echo "FAIL: $name: $* is \"$got\", meant \"$want\""
		fail=1
	fi
}

if ! MAP_RELAY_VECTORS="$work/vectors.txt" "$prog" >"$work/test.log" 2>&1; then
	echo "FAIL: $prog failed"
	tail -n 20 "$work/test.log"
	exit 1
fi

while read -r name hex; do
	m3ua_hex "$hex" | sed 's/../& /g; s/^/000000 /' >"$work/$name.txt"
	if ! text2pcap -q -S 2905,2905,3 "$work/$name.txt" "$work/$name.pcap" >/dev/null 2>&1; then
		echo "FAIL: $name: text2pcap"
		fail=1
		continue
	fi
	ex=$(tshark -r "$work/$name.pcap" -T fields -e _ws.expert -e _ws.malformed 2>/dev/null | tr -d '\t\n')
	if [ -n "$ex" ] || tshark -r "$work/$name.pcap" -V 2>/dev/null | grep -q -e "Malformed" -e "Expert Info"; then
		echo "FAIL: $name: tshark reports expert information or a malformed packet:"
		tshark -r "$work/$name.pcap" -V 2>/dev/null | grep -e "Malformed" -e "Expert Info" -B3
		fail=1
	fi
	case $name in
	TC_ABORT_DIALOGUE_REFUSED)
		expect "$name" "0x09|3360000001|4930000001|0b0b0c02|1|1|0|0.4.0.0.1.0.29.3" sccp.message_type \
			sccp.called.digits sccp.calling.digits tcap.dtid tcap.result tcap.dialogue_service_user \
			gsm_map.dialogue.reason tcap.application_context_name
		;;
	TC_ABORT_USER)
		expect "$name" "0x09|3360000001|0b0b0c02|0|0" sccp.message_type sccp.called.digits tcap.dtid \
			tcap.abort_source gsm_map.dialogue.map_UserAbortChoice
		;;
	TC_ABORT_UNKNOWN_TID)
		expect "$name" "0x09|7900000001|0b0b0c02|1" sccp.message_type sccp.called.digits tcap.dtid \
			tcap.p_abortCause
		;;
	UDTS_ATI_BLOCKED)
		# the refused anyTimeInterrogation comes back inside
		expect "$name" "0x0a|0x01|44700000001|4930000001|71|0a0b0c01" sccp.message_type sccp.return_cause \
			sccp.called.digits sccp.calling.digits gsm_old.localValue tcap.otid
		;;
	XUDTS_HOP_COUNTER)
		expect "$name" "0x12|0x0c|0x0f|3360000001|45" sccp.message_type sccp.return_cause sccp.hops \
			sccp.called.digits gsm_old.localValue
		;;
	*)
		echo "FAIL: $name: no expectations for this vector"
		fail=1
		;;
	esac
	checked="$checked $name"
done <"$work/vectors.txt"

echo "tshark checked:$checked"
for want in TC_ABORT_DIALOGUE_REFUSED TC_ABORT_USER TC_ABORT_UNKNOWN_TID UDTS_ATI_BLOCKED XUDTS_HOP_COUNTER; do
	case " $checked " in
	*" $want "*) ;;
	*) echo "FAIL: vector $want missing"; fail=1 ;;
	esac
done
exit $fail
