#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs where SCTP works (see uml/run.sh): osmo-stp with the two-ASP test
# configuration (contrib/ss7/), SCCP endpoint B (PC 200) echoing, SCCP
# endpoint A (PC 100) sending 120 octets (one UDT) and 900 octets (XUDT
# segments for the 272-octet SIF) to B through the STP, which routes on the
# DPC only; B reassembles and echoes (segmenting again), A reassembles.
# tshark captures the M3UA.
set -u
. ./env
. "$srcdir/tests/integration/lib-bg.sh"
EP=$top_builddir/tests/ss7/sccp_endpoint
fail() {
	echo "FAIL: $*"
	for f in stp.log b.log a.log dumpcap.log; do echo "--- $f"; cut -c1-300 "$f" 2>/dev/null; done
	exit 1
}

mk_conf() {	# mk_conf NAME: log settings + the IWF's cs7 node
	{
		printf 'log stderr\n logging level set-all notice\n logging level lss7 info\n'
		cat "$srcdir/contrib/ss7/iwf-$1.cs7.cfg"
	} >"iwf-$1.cfg"
}
mk_conf a
mk_conf b

bg_start dumpcap "Capturing on" dumpcap.log \
	dumpcap -n -i lo -B 64 -f "sctp port 2905" -w capture.pcapng || fail "dumpcap did not start"
bg_start stp "Available via telnet" stp.log osmo-stp -c "$srcdir/contrib/ss7/osmo-stp.cfg" ||
	fail "osmo-stp did not start"
bg_start b "^state available" b.log "$EP" -c iwf-b.cfg -e -t 60000 ||
	fail "endpoint B (PC 200) never became available"
echo "ok: osmo-stp up, SCCP endpoint B (PC 200) active (${SECONDS}s)"

"$EP" -c iwf-a.cfg -d 200 -s 120 -s 900 -n 2 -t 20000 >a.log 2>&1 ||
	fail "endpoint A (PC 100) did not get both messages back"
kill -TERM "$(bg_pid b)"
wait "$(bg_pid b)" || fail "endpoint B failed"

n=0
grep '^tx ' a.log >tx.txt
while read -r _ len hex; do
	n=$((n + 1))
	# B got it from PC 100, reassembled when it was segmented ...
	seg=no
	[ "$len" -gt 200 ] && seg=yes
	grep -q "^rx [A-Z]* opc=100 dpc=200 .* segments=$seg called=4920000000 calling=4910000000 $len $hex\$" b.log ||
		fail "B did not receive the $len octets from PC 100 byte for byte"
	# ... and A got B's echo from PC 200, addresses swapped
	grep -q "^rx [A-Z]* opc=200 dpc=100 .* segments=$seg called=4910000000 calling=4920000000 $len $hex\$" a.log ||
		fail "A did not receive the echo of the $len octets from PC 200 byte for byte"
done <tx.txt
[ "$n" -eq 2 ] || fail "A sent $n messages, want 2"
grep -h '^sccp_endpoint:' a.log b.log | sed 's/^/  /'
grep -q 'rx:reassembled 1, tx:segment 4' a.log || fail "A: not 4 segments sent and 1 message reassembled"
grep -q 'rx:reassembled 1, tx:segment 4' b.log || fail "B: not 4 segments sent and 1 message reassembled"
echo "ok: 120 octets as UDT and 900 octets in 4 XUDT segments PC 100 -> STP -> PC 200 and back, reassembled byte-exact (${SECONDS}s)"

kill -INT "$(bg_pid dumpcap)"
wait "$(bg_pid dumpcap)"
kill -TERM "$(bg_pid stp)"
wait "$(bg_pid stp)" 2>/dev/null
exit 0
