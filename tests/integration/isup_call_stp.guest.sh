#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs where SCTP works (see uml/run.sh): osmo-stp with the two-ASP test
# configuration (contrib/ss7/), the simulated exchange B (PC 200) and the
# caller A (PC 100), both on stiwf's ISUP call control; tshark captures.
set -u
. ./env
. "$srcdir/tests/integration/lib-bg.sh"
PEER=$top_builddir/tests/ss7/isup_peer
fail() {
	echo "FAIL: $*"
	for f in stp.log b.log a.log dumpcap.log; do echo "--- $f"; cat "$f" 2>/dev/null; done
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
# T22 1 s: the exchange's first GRS is lost while the caller is not yet up
bg_start b "^state available" b.log "$PEER" -c iwf-b.cfg -r exchange -d 100 -T22 1 ||
	fail "exchange B (PC 200) never became available"
echo "ok: osmo-stp up, exchange B (PC 200) active (${SECONDS}s)"

"$PEER" -c iwf-a.cfg -r caller -d 200 -T22 1 -t 30000 >a.log 2>&1 || fail "caller A (PC 100) failed"
kill -TERM "$(bg_pid b)"
wait "$(bg_pid b)" || fail "exchange B failed"
for l in "circuits reset both ways" "call 12025550001: answered" "call 12025550001: released by us" \
	"call 12025550017: released by the exchange, cause 17" "call 12025550099: answered" \
	"call 12025550099: released by the exchange, cause 16" "all calls done" "CIC 5 unblocked"; do
	grep -q "$l" a.log || fail "caller: no '$l'"
done
for l in "IAM for 12025550001" "12025550017 busy, REL 17" "releasing CIC" "released by the caller, cause 16"; do
	grep -q "$l" b.log || fail "exchange: no '$l'"
done
grep -E '^(call|circuits|all|exchange|CIC)' a.log b.log | sed 's/^/  /'
echo "ok: GRS/GRA, answered call released by the caller, busy call, call released by the exchange, BLO/UBL (${SECONDS}s)"

kill -INT "$(bg_pid dumpcap)"
wait "$(bg_pid dumpcap)"
kill -TERM "$(bg_pid stp)"
wait "$(bg_pid stp)" 2>/dev/null
exit 0
