#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# make check: "stiwf bench e2e --quick" runs tests/bench/e2e.sh --quick, the
# end-to-end benchmark
# through every path and holds 1,000 calls; its one JSON object must be
# valid and complete, with sane values.  No timing or speed is asserted:
# the figures depend on the machine.
set -u
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
export srcdir top_builddir
log=$top_builddir/tests/bench/e2e_quick.out
mkdir -p "$top_builddir/tests/bench"
fail() { echo "FAIL: $*"; echo "its output: $log.json, progress: $log.err"; exit 1; }
command -v jq >/dev/null || fail "jq is missing (contrib/install-deps.sh installs it)"

# through "stiwf bench e2e", which finds the script of this build tree
"$top_builddir/stiwf" bench e2e --quick --json >"$log.all" 2>"$log.err"
rc=$?
grep -E '^(transport|e2e: )' "$log.err"
[ $rc = 0 ] || fail "stiwf bench e2e --quick exited $rc"
jq -e '.run.cores > 0 and (.e2e | type == "object")' "$log.all" >/dev/null ||
	fail "stdout is not one JSON object with run and e2e"
jq '.e2e' "$log.all" >"$log.json"
echo "transport used: $(jq -r .transport "$log.json")"

check() {	# check DESCRIPTION JQ-EXPRESSION
	jq -e "$2" "$log.json" >/dev/null || fail "$1 ($2)"
}
check "transport is uml or host-sctp" '.transport == "uml" or .transport == "host-sctp"'
for p in pair kamailio kam_vs kam_chain direct; do
	check "$p: steps" ".$p.steps | length >= 1"
	check "$p: every step reports its calls" \
		"[.$p.steps[] | (.target_cps > 0) and (.calls >= 0) and (.successful >= 0)
		 and (.failed >= 0) and (.achieved_cps >= 0) and (.ok | type == \"boolean\")] | all"
	check "$p: a rate without failure" ".$p.max_cps_no_failure > 0"
	check "$p: successful + failed = calls" "[.$p.steps[] | .successful + .failed == .calls] | all"
	check "$p: INVITE->180 figures" \
		".$p.rtd_180_ms.n > 0 and .$p.rtd_180_ms.median >= 0 and .$p.rtd_180_ms.p99 >= .$p.rtd_180_ms.median"
done
check "pair: the IWFs' transit times" \
	'[.pair.transit_a_ms, .pair.transit_b_ms][] | (.n > 0 and .median > 0 and .p99 >= .median)'
check "pair: transit times of every step" '[.pair.steps[] | .transit_a_ms.n > 0] | all'
check "ratio" '.ratio_pair_to_kamailio > 0'
check "rate ratios against Kamailio verify+sign" '.ratio_pair_to_kam_vs > 0 and .ratio_pair_to_kam_chain > 0'
# CPU per call per node, per step and pooled over the steps that held
check "CPU per call of each node, per step" \
	'[.pair.steps[] | .cpu_ms_per_call_a >= 0 and .cpu_ms_per_call_b >= 0]
	 + [.kam_chain.steps[] | .cpu_ms_per_call_hop1 >= 0 and .cpu_ms_per_call_hop2 >= 0] | all'
check "CPU per call of each node, pooled" \
	'.pair.cpu_ms_per_call_a > 0 and .pair.cpu_ms_per_call_b > 0 and .pair.cpu_ms_per_call > 0
	 and .kamailio.cpu_ms_per_call > 0 and .kam_vs.cpu_ms_per_call > 0
	 and .kam_chain.cpu_ms_per_call_hop1 > 0 and .kam_chain.cpu_ms_per_call_hop2 > 0'
check "CPU ratios against Kamailio verify+sign" \
	'.cpu_ratio_a_to_kam_vs > 0 and .cpu_ratio_b_to_kam_vs > 0 and .cpu_ratio_pair_to_kam_chain > 0
	 and (.cpu_ratio_method | type == "string")'
check "added delays of every path" '[.added_delay_ms | .pair, .kamailio, .kam_vs, .kam_chain | has("median")] | all'
check "added delays" '.added_delay_ms.pair | has("median") and has("p99")'
check "memory: calls held" '.memory.held_calls > 0 and .memory.target_calls == 1000'
check "memory: A's RSS" '.memory.a.rss_kb_idle > 0 and .memory.a.rss_kb_held > 0 and (.memory.a.kb_per_call | type == "number")'
check "memory: A's RSS at the target" \
	'.memory.a.rss_kb_at_target >= .memory.a.rss_kb_idle and (.memory.a.at_target_extrapolated | type == "boolean")'
check "memory: the B's RSS" \
	'(.memory.b | length) == .memory.trunks and ([.memory.b[] | .rss_kb_idle > 0 and .rss_kb_held > 0] | all)'
check "CPU per call" '[(.pair.steps + .kamailio.steps + .kam_vs.steps + .kam_chain.steps)[] | .cpu_ms_per_call >= 0] | all'
echo "ok: pair $(jq -c '[.pair.steps[] | [.target_cps, .achieved_cps, .failed]]' "$log.json") max $(jq .pair.max_cps_no_failure "$log.json") cps, Kamailio max $(jq .kamailio.max_cps_no_failure "$log.json") cps, verify+sign $(jq .kam_vs.max_cps_no_failure "$log.json"), two chained $(jq .kam_chain.max_cps_no_failure "$log.json"), A $(jq .memory.a.kb_per_call "$log.json") kB per held call"
rm -f "$log.all" "$log.json" "$log.err"
echo "1 passed, 0 failed"
