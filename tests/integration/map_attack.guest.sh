#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs where SCTP works (see uml/run.sh): the SigPloit attack set against
# the border of an HLR's network, through a real osmo-stp, once per policy
# of that border (tests/integration/lib-map-attack.sh draws the topology:
# stiwfd A signs the roaming partner's traffic, stiwfd B screens what
# enters our network, an attacker at PC 300, our HLR/VLR at PC 400).
#   reject: every attack is blocked; the partner's three signed dialogues
#           reach our nodes byte-exact, the token stripped;
#   screen: anyTimeInterrogation and sendIMSI (cat1), provideSubscriberInfo
#           and cancelLocation for IMSIs not the attacker's (cat2), the
#           spoofed updateLocation and purgeMS (cat3, `screen cat3 block`)
#           are blocked; sendRoutingInfoForSM and the mt-forwardSM that
#           spoofs the partner's SMSC (sms) pass: a category cannot tell a
#           forged SMSC from the real one, a signature can;
#   tag:    everything passes, each dialogue with one map-log line saying
#           it was unsigned.
set -u
. ./env
. "$srcdir/tests/integration/lib-bg.sh"
. "$srcdir/tests/integration/lib-map-attack.sh"
STIWFD=$top_builddir/stiwfd
EP=$top_builddir/tests/ss7/sccp_endpoint
. pki/pki.env
fail() {
	echo "FAIL: $*"
	ma_logs dumpcap.log ma-a.log ma-*-b.log ma-*-x.log ma-*-v.log
	exit 1
}

bg_start dumpcap "Capturing on" dumpcap.log \
	dumpcap -n -i lo -B 64 -f "sctp port 2905" -w capture.pcapng || fail "dumpcap did not start"
ma_start || fail "osmo-stp, our HLR/VLR or stiwfd A did not come up"
echo "ok: osmo-stp with five ASPs (PC 100 A, 200 B, 300 attacker, 400 our HLR/VLR, 500 partner), A up (${SECONDS}s)"

# expect POLICY NAME OUTCOME MAPLOG: the result of one message
expect() {
	[ "${MA_RESULT[$2]:-none}" = "$3 $4" ] || fail "$1: $2: expected '$3 $4', got '${MA_RESULT[$2]:-none}'"
}

# reject: only a valid signature opens a dialogue
ma_phase reject || fail "reject: $MA_ERR"
[ "$MA_BLOCKED" -eq 8 ] && [ "$MA_PASSED" -eq 0 ] && [ "$MA_LEGIT" -eq 3 ] ||
	fail "reject: $MA_BLOCKED blocked, $MA_PASSED passed, $MA_LEGIT legitimate arrived"
for e in "${MA_ATTACKS[@]}"; do
	expect reject "${e%% *}" blocked unsigned/blocked/not-signed
done
expect reject legit:updateLocation passed valid/forwarded/valid
expect reject legit:sendRoutingInfoForSM passed valid/forwarded/valid
expect reject legit:provideSubscriberInfo passed valid/forwarded/cat2-home
echo "ok: reject: 8 of 8 attacks blocked, 0 reached our HLR/VLR; 3 signed dialogues arrived byte-exact (${SECONDS}s)"

# screen: by FS.11 category
ma_phase screen || fail "screen: $MA_ERR"
[ "$MA_BLOCKED" -eq 6 ] && [ "$MA_PASSED" -eq 2 ] && [ "$MA_LEGIT" -eq 3 ] ||
	fail "screen: $MA_BLOCKED blocked, $MA_PASSED passed, $MA_LEGIT legitimate arrived"
for e in "${MA_ATTACKS[@]}"; do
	case ${e##* } in
	blocked:*) expect screen "${e%% *}" blocked "unsigned/blocked/${e##* blocked:}" ;;
	passes:*) expect screen "${e%% *}" passed unsigned/forwarded/pass ;;
	esac
done
expect screen legit:updateLocation passed valid/forwarded/valid
expect screen legit:sendRoutingInfoForSM passed valid/forwarded/valid
expect screen legit:provideSubscriberInfo passed valid/forwarded/cat2-home
echo "ok: screen: ATI and sendIMSI (cat1), PSI and cancelLocation (cat2, not the IMSI's home), spoofed UL and purgeMS (cat3) blocked; SRI-SM and the spoofed mt-forwardSM (sms) passed; 3 signed dialogues arrived (${SECONDS}s)"

# tag: everything passes, the verdict is logged
ma_phase tag || fail "tag: $MA_ERR"
[ "$MA_BLOCKED" -eq 0 ] && [ "$MA_PASSED" -eq 8 ] && [ "$MA_LEGIT" -eq 3 ] ||
	fail "tag: $MA_BLOCKED blocked, $MA_PASSED passed, $MA_LEGIT legitimate arrived"
for e in "${MA_ATTACKS[@]}"; do
	expect tag "${e%% *}" passed unsigned/forwarded/tag
done
expect tag legit:updateLocation passed valid/forwarded/tag
echo "ok: tag: 8 of 8 attacks passed, each with one map-log line (verdict unsigned) (${SECONDS}s)"

ma_stop || fail "stiwfd A did not stop cleanly"
kill -INT "$(bg_pid dumpcap)"
wait "$(bg_pid dumpcap)"
echo "ok: MAP attack set done (${SECONDS}s in the guest)"
exit 0
