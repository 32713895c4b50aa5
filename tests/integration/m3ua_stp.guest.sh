#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs where SCTP works (see uml/run.sh): osmo-stp with the two-ASP test
# configuration (contrib/ss7/), endpoint B (PC 200) echoing, endpoint A
# (PC 100) sending an IAM, ACM, ANM, REL and RLC and an IAM signed with a
# HOP token and carrying a PASSporT (made by m3ua_stp.sh on the host) to B
# through the STP; both sides must get all six byte for byte; tshark captures the M3UA and judges the ISUP.
set -u
. ./env
. "$srcdir/tests/integration/lib-bg.sh"
EP=$top_builddir/tests/ss7/mtp_endpoint
fail() {
	echo "FAIL: $*"
	for f in stp.log b.log a.log dumpcap.log; do echo "--- $f"; cat "$f" 2>/dev/null; done
	exit 1
}

# Hand-made Q.763 messages on CIC 1: tshark, not our codec, judges them.
IAM=0100010060010a00020a0884102120550500010a08841321205505000200
ACM=010006161400
ANM=01000900
REL=01000c0200028090
RLC=01001000
SIGNED=$(cat signed_iam.hex)

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
echo "ok: osmo-stp up, endpoint B (PC 200) active (${SECONDS}s)"

"$EP" -c iwf-a.cfg -d 200 -s $IAM -s $ACM -s $ANM -s $REL -s $RLC -s "$SIGNED" -n 6 -t 20000 >a.log 2>&1 ||
	fail "endpoint A (PC 100) did not get its 6 messages back"
kill -TERM "$(bg_pid b)"
wait "$(bg_pid b)" || fail "endpoint B failed"
for m in $IAM $ACM $ANM $REL $RLC $SIGNED; do
	grep -q "^rx opc=100 dpc=200 .* $m\$" b.log || fail "B did not receive $m from PC 100"
	grep -q "^rx opc=200 dpc=100 .* $m\$" a.log || fail "A did not receive the echo of $m from PC 200"
done
# what B received of the signed IAM, for the host to verify
sed -n "s/^rx opc=100 dpc=200 .* \($SIGNED\)\$/\1/p" b.log | head -n 1 >signed_iam.rx
echo "ok: 6 ISUP messages (one signed IAM) PC 100 -> STP -> PC 200 and 6 back, byte-exact (${SECONDS}s)"

kill -INT "$(bg_pid dumpcap)"
wait "$(bg_pid dumpcap)"
kill -TERM "$(bg_pid stp)"
wait "$(bg_pid stp)" 2>/dev/null
exit 0
