#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tshark as the independent judge of stiwf's SCCP: each message printed by
# tests/ss7/sccp_vectors (as the SCCP user sends it) is wrapped in an M3UA
# DATA message (RFC 4666 §3.3.1: OPC 100, DPC 200, SI 3 = SCCP, NI 0, MP 0,
# SLS 1), put in SCTP with PPID 3 by text2pcap and decoded by tshark; the
# fields tshark reads must be the ones encoded, and tshark must report no
# expert information and no malformed packet.  The XUDT segments go in one
# capture, where tshark must reassemble them.
set -u

top_builddir=${top_builddir:-.}
vectors=$top_builddir/tests/ss7/sccp_vectors

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

# fields NAME FIELD...: what tshark reads, tab-separated, one line per frame
fields() {
	name=$1
	shift
	args=""
	for f in "$@"; do
		args="$args -e $f"
	done
	# shellcheck disable=SC2086
	tshark -r "$work/$name.pcap" -T fields -E separator="|" $args 2>/dev/null | tr "|" /
}

# expect NAME WANT FIELD...: the fields of the (first) frame, joined by /
expect() {
	name=$1
	want=$2
	shift 2
	got=$(fields "$name" "$@" | head -n 1)
	if [ "$got" != "$want" ]; then
		echo "FAIL: $name: $* is \"$got\", encoded \"$want\""
		fail=1
	fi
}

# clean NAME: no expert information, nothing malformed
clean() {
	name=$1
	ex=$(fields "$name" _ws.expert _ws.malformed | tr -d '/\n')
	if [ -n "$ex" ] || tshark -r "$work/$name.pcap" -V 2>/dev/null | grep -q -e "Malformed" -e "Expert Info"; then
		echo "FAIL: $name: tshark reports expert information or a malformed packet:"
		tshark -r "$work/$name.pcap" -V 2>/dev/null | grep -e "Malformed" -e "Expert Info" -B3
		fail=1
	fi
	if ! tshark -r "$work/$name.pcap" -V 2>/dev/null | grep -q "^Signalling Connection Control Part"; then
		echo "FAIL: $name: tshark did not decode SCCP"
		fail=1
	fi
}

if ! "$vectors" >"$work/vectors.txt"; then
	echo "FAIL: $vectors did not run"
	exit 1
fi

: >"$work/XSEG.txt"
while read -r name hex; do
	case $name in
	XSEG*)
		# the segments go in one capture, in order
		m3ua_hex "$hex" | sed 's/../& /g; s/^/000000 /' >>"$work/XSEG.txt"
		echo "$hex" >>"$work/XSEG.hex"
		continue
		;;
	esac
	m3ua_hex "$hex" | sed 's/../& /g; s/^/000000 /' >"$work/$name.txt"
	if ! text2pcap -q -S 2905,2905,3 "$work/$name.txt" "$work/$name.pcap" >/dev/null 2>&1; then
		echo "FAIL: $name: text2pcap"
		fail=1
		continue
	fi
	clean "$name"
	# message type, called/calling digits, SSNs, class, handling
	case $name in
	UDT_GTI0)
		expect $name "0x09/250/250/200/100/0x00/0x00/0x00/0x00" sccp.message_type sccp.called.ssn sccp.calling.ssn \
			sccp.called.pc sccp.calling.pc sccp.class sccp.handling sccp.called.gti sccp.calling.gti
		expect $name "0x01/0x01" sccp.called.ri sccp.calling.ri
		;;
	UDT_GTI1)
		expect $name "0x09/4930123/301234/250/250/0x01/0x08/0x01/0x01" sccp.message_type sccp.called.digits \
			sccp.calling.digits sccp.called.ssn sccp.calling.ssn sccp.class sccp.handling sccp.called.gti \
			sccp.calling.gti
		expect $name "0x04/0x03/0x01/0x00" sccp.called.nai sccp.calling.nai sccp.called.oe sccp.calling.oe
		;;
	UDT_GTI2)
		expect $name "0x09/12345678/8765/250/250/100/0x02/0x02/0x09/0x09" sccp.message_type sccp.called.digits \
			sccp.calling.digits sccp.called.ssn sccp.calling.ssn sccp.calling.pc sccp.called.gti \
			sccp.calling.gti sccp.called.tt sccp.calling.tt
		;;
	UDT_GTI3)
		expect $name "0x09/491720012345678/4930000000/0x03/0x03/0x07/0x01/0x01/0x02" sccp.message_type \
			sccp.called.digits sccp.calling.digits sccp.called.gti sccp.calling.gti sccp.called.np \
			sccp.calling.np sccp.called.es sccp.calling.es
		;;
	UDT_GTI4)
		expect $name "0x09/491720000001/4930000000123/6/7/0x04/0x04/0x02/0x01/0x04" sccp.message_type \
			sccp.called.digits sccp.calling.digits sccp.called.ssn sccp.calling.ssn sccp.called.gti \
			sccp.calling.gti sccp.called.es sccp.calling.es sccp.called.nai
		# the MAP inside, decoded by tshark's TCAP and MAP dissectors
		expect $name "7" gsm_old.localValue
		;;
	UDTS)
		# the return of UDT_GTI4: addresses swapped, cause unequipped user
		expect $name "0x0a/4930000000123/491720000001/7/6/0x04" sccp.message_type sccp.called.digits \
			sccp.calling.digits sccp.called.ssn sccp.calling.ssn sccp.return_cause
		;;
	XUDT)
		expect $name "0x11/491720000001/4930000000123/6/7/0x0c/0x04/0x01/0x08" sccp.message_type \
			sccp.called.digits sccp.calling.digits sccp.called.ssn sccp.calling.ssn sccp.hops \
			sccp.importance sccp.class sccp.handling
		;;
	XUDTS)
		expect $name "0x12/4930000000123/491720000001/0x0c/0x0f/0x04" sccp.message_type sccp.called.digits \
			sccp.calling.digits sccp.return_cause sccp.hops sccp.importance
		;;
	*)
		echo "FAIL: $name: no expectations for this vector"
		fail=1
		;;
	esac
	checked="$checked $name"
done <"$work/vectors.txt"

# The segments: first/class/remaining/local reference as encoded, and
# tshark puts the 700 octets back together in the last frame.
name=XSEG
if text2pcap -q -S 2905,2905,3 "$work/XSEG.txt" "$work/XSEG.pcap" >/dev/null 2>&1; then
	clean XSEG
	n=$(wc -l <"$work/XSEG.hex")
	[ "$n" -eq 4 ] || { echo "FAIL: XSEG: $n segments, want 4"; fail=1; }
	i=0
	while read -r hex; do
		i=$((i + 1))
		# the optional part ends "10 04 FCRR L0 L1 L2 00"
		seg=$(echo "$hex" | sed 's/.*1004\(..\)\(..\)\(..\)\(..\)00$/\1 \4\3\2/')
		ind=${seg% *}
		ref=${seg#* }
		want=$(printf '0x11/0x%02x/0x%02x/0x%02x' $(( 0x$ind >> 7 )) $(( (0x$ind >> 6) & 1 )) $(( 0x$ind & 15 )))
		want="$want/0x$ref/491720000001/4930000000/0x01"
		got=$(fields XSEG sccp.message_type sccp.segmentation.first sccp.segmentation.class \
			sccp.segmentation.remaining sccp.segmentation.slr sccp.called.digits sccp.calling.digits \
			sccp.class | sed -n "${i}p")
		if [ "$got" != "$want" ]; then
			echo "FAIL: XSEG segment $i: tshark reads \"$got\", encoded \"$want\""
			fail=1
		fi
	done <"$work/XSEG.hex"
	got=$(fields XSEG sccp.msg.reassembled.length sccp.msg.fragment.count | sed -n 4p)
	if [ "$got" != "700/4" ]; then
		echo "FAIL: XSEG: tshark did not reassemble 700 octets from 4 segments: \"$got\""
		fail=1
	fi
	checked="$checked XSEG"
else
	echo "FAIL: XSEG: text2pcap"
	fail=1
fi

echo "tshark checked:$checked"
for want in UDT_GTI0 UDT_GTI1 UDT_GTI2 UDT_GTI3 UDT_GTI4 UDTS XUDT XUDTS XSEG; do
	case " $checked " in
	*" $want "*) ;;
	*) echo "FAIL: vector $want missing"; fail=1 ;;
	esac
done
exit $fail
