#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# "stiwf bench": every in-process section runs and reports, as one JSON
# object, the figures docs/BENCHMARKS.md documents (short rounds: this checks
# that the benchmarks work and what they report, not how fast anything is).
set -eu
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
stiwf="$top_builddir/stiwf"
work=$(mktemp -d "$PWD/bench_json.XXXXXX")
trap 'rm -rf "$work"' EXIT
# the pipeline's TSCA directory goes here, not in /tmp
TMPDIR=$work
export TMPDIR
. "$top_srcdir/tests/lib-check.sh"

# a number > 0 at a jq path
positive()
{
	check "$1 > 0" "$(jq -r "$1 | if type == \"number\" and . > 0 then \"yes\" else . end" \
		"$work/all.json")" yes
}

rc=0
"$stiwf" bench all --no-e2e --rounds 1 --ms 20 --json --json-out "$work/copy.json" >"$work/all.json" \
	2>"$work/err" || rc=$?
check "bench all exit" "$rc" 0
check "one JSON object" "$(jq -r 'type' "$work/all.json")" object
check "--json-out holds the same" "$(jq -S . "$work/copy.json" | cksum)" "$(jq -S . "$work/all.json" | cksum)"
check "sections" "$(jq -r '[keys[]] | join(",")' "$work/all.json")" \
	"aims,derived,isup,memory,passport,pipeline,run,scaling,tcap"
positive .run.cores
for f in iam_encode_sign_per_s evp_es256_sign_per_s iam_decode_verify_per_s evp_es256_verify_per_s \
	iam_decode_verify_hop_passport_per_s evp_es256_verify_x2_per_s sign_ratio verify_ratio \
	verify_hop_passport_ratio; do
	positive ".isup.$f"
done
for f in message_octets signed_octets signed_input_octets tcap_encode_sign_per_s evp_es256_sign_per_s \
	evp_pkey_sign_prepared_per_s tcap_decode_verify_per_s evp_es256_verify_per_s evp_pkey_verify_prepared_per_s \
	sign_ratio verify_ratio sign_ratio_prepared verify_ratio_prepared; do
	positive ".tcap.$f"
done
check "tcap: the signature adds octets" "$(jq '.tcap.signed_octets > .tcap.message_octets' "$work/all.json")" true
for f in passport_sign_per_s passport_verify_per_s sign_ratio verify_ratio; do
	positive ".passport.$f"
done
for d in sip_to_isup isup_to_sip_rebuild isup_to_sip_resign; do
	for f in calls_per_s floor_per_s ratio; do
		positive ".pipeline.$d.$f"
	done
done
for d in sip_to_isup isup_to_sip_rebuild isup_to_sip_resign; do
	for f in calls_per_s_1_worker calls_per_s_n_workers speedup calls_per_s_one_core speedup_over_one_core; do
		positive ".scaling.$d.$f"
	done
done
# the pool on the cores over the one-core pipeline, from the same run (the
# JSON keeps 6 digits)
for d in sip_to_isup isup_to_sip_rebuild isup_to_sip_resign; do
	check "derived cores_over_inline_$d" \
		"$(jq --arg d "$d" '(.derived["cores_over_inline_" + $d] - .scaling[$d].calls_per_s_n_workers / .pipeline[$d].calls_per_s) | fabs < 0.001' "$work/all.json")" true
done
check "no e2e, no derived memory figure" "$(jq '.derived | has("rss_kb_10k_calls_full_caches")' "$work/all.json")" false
check "scaling: a worker per core" "$(jq '.scaling.workers == .run.cores' "$work/all.json")" true
positive .scaling.in_flight
# the caches really filled: both bounds reached, one shared CA each
check "cache entries" "$(jq '.memory.cert_cache.entries_per_cache' "$work/all.json")" 1024
check "shared CAs" "$(jq '.memory.cert_cache.shared_cas' "$work/all.json")" 2
check "cache memory counted" \
	"$(jq '.memory.cert_cache.rss_full_kb > .memory.cert_cache.rss_before_kb' "$work/all.json")" true
# every aim listed; without e2e its figures are "not measured", not invented
check "aims" "$(jq '.aims | length' "$work/all.json")" 16
# like for like: the pair against Kamailio doing one IWF node's crypto
check "aims against Kamailio verify+sign" \
	"$(jq -r '[.aims[] | select(.figure | test("kam_")) | "\(.figure) \(.aim) \(.value)"] | join(", ")' \
		"$work/all.json")" \
	"e2e.ratio_pair_to_kam_chain >= 1, e2e.cpu_ratio_a_to_kam_vs <= 1, e2e.cpu_ratio_b_to_kam_vs <= 1"
check "pipeline aim judged" "$(jq -r '.aims[0].met | type' "$work/all.json")" boolean
for f in tcap.verify_ratio tcap.sign_ratio; do
	check "aim $f: ratio >= 0.9, judged" \
		"$(jq -r --arg f "$f" '.aims[] | select(.figure == $f) | "\(.aim) \(.value) \(.met | type)"' "$work/all.json")" \
		">= 0.9 boolean"
done
check "e2e aims not measured" \
	"$(jq -r '[.aims[] | select(.figure | startswith("e2e.")) | .met] | unique | tostring' "$work/all.json")" \
	"[null]"

rc=0
"$stiwf" bench scaling --rounds 1 --ms 20 --threads 3 --json >"$work/scaling3.json" 2>"$work/err" || rc=$?
check "scaling --threads 3 exit" "$rc" 0
check "--threads 3 gives 3 workers" "$(jq '.scaling.workers' "$work/scaling3.json")" 3
check "only the section asked for" "$(jq -r '[keys[]] | join(",")' "$work/scaling3.json")" "run,scaling"

# without --json: text for a reader, no JSON
rc=0; "$stiwf" bench pipeline --rounds 1 --ms 5 >"$work/out" 2>"$work/err" || rc=$?
check "text exit" "$rc" 0
has "text: a line per direction" "^sip_to_isup  *[0-9]"
hasnt "text: no JSON" "{"
# nothing of the pipeline's own left behind
check "the pipeline's TSCA directory is removed" "$(find "$work" -name 'stiwf-bench-*' | wc -l)" 0

rc=0; "$stiwf" bench nosuch >/dev/null 2>"$work/err" || rc=$?
check "unknown section exit" "$rc" 2
has_err "unknown section named" "no section .nosuch."
for bad in "isup --rounds 4" "pipeline --threads 0" "scaling --threads 257" "pipeline --ms 0" \
	"pipeline extra" "memory --sign-key /dev/null"; do
	rc=0; "$stiwf" bench $bad >/dev/null 2>&1 || rc=$?
	check "usage error: $bad" "$rc" 2
done
rc=0; "$stiwf" bench e2e --e2e-script "$work/none.sh" >/dev/null 2>"$work/err" || rc=$?
check "missing e2e script exit" "$rc" 1
has_err "missing e2e script named" "none.sh"

checks_done
