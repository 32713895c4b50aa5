# jq -r -f contrib/bench-table.jq build-bench/bench.json
# The figures of "stiwf bench all --json" as the Markdown tables of
# docs/BENCHMARKS.md.  A part that did not run shows as "-".
def n(f): if f == null then "-" elif (f | type) == "number" then
	(if f >= 100 then (f | round | tostring) else ((f * 1000 | round) / 1000 | tostring) end)
	else (f | tostring) end;
def steps(p): [p.steps[]? | "\(.target_cps): \(n(.achieved_cps)), \(.failed)"] | join("; ");
def ms(o): if o == null then "-" else "\(n(o.median)) / \(n(o.p99))" end;
"Measured \(.run.date) on \(.run.cores) cores (\(.run.cpu)), \(.run.openssl), stiwf \(.run.stiwf_version); medians of \(.run.rounds) rounds of \(.run.ms) ms.",
"",
"| per call, one core | calls/s | crypto floor /s | ratio |",
"|---|---|---|---|",
(.pipeline // {} | to_entries[] | select(.value | type == "object") |
	"| \(.key) | \(n(.value.calls_per_s)) | \(n(.value.floor_per_s)) | \(n(.value.ratio)) |"),
"",
"| worker pool (\(n(.scaling.workers)) workers, \(n(.scaling.in_flight)) calls in flight) | 1 worker calls/s | \(n(.scaling.workers)) workers calls/s | speed-up | \(n(.scaling.workers)) workers on one CPU calls/s | cores' speed-up |",
"|---|---|---|---|---|---|",
(.scaling // {} | to_entries[] | select(.value | type == "object") |
	"| \(.key) | \(n(.value.calls_per_s_1_worker)) | \(n(.value.calls_per_s_n_workers)) | \(n(.value.speedup)) | \(n(.value.calls_per_s_one_core)) | \(n(.value.speedup_over_one_core)) |"),
"",
"| component | stiwf /s | raw OpenSSL /s | ratio |",
"|---|---|---|---|",
"| IAM encode + HOP sign | \(n(.isup.iam_encode_sign_per_s)) | \(n(.isup.evp_es256_sign_per_s)) | \(n(.isup.sign_ratio)) |",
"| IAM decode + HOP verify | \(n(.isup.iam_decode_verify_per_s)) | \(n(.isup.evp_es256_verify_per_s)) | \(n(.isup.verify_ratio)) |",
"| IAM decode + HOP + PASSporT verify | \(n(.isup.iam_decode_verify_hop_passport_per_s)) | \(n(.isup.evp_es256_verify_x2_per_s)) | \(n(.isup.verify_hop_passport_ratio)) |",
"| STI-AS sign | \(n(.passport.passport_sign_per_s)) | \(n(.passport.evp_es256_sign_per_s)) | \(n(.passport.sign_ratio)) |",
"| STI-VS verify (cache hit) | \(n(.passport.passport_verify_per_s)) | \(n(.passport.evp_es256_verify_per_s)) | \(n(.passport.verify_ratio)) |",
"",
"| end to end (\(.e2e.transport // "-")) | stiwf pair | Kamailio signing | Kamailio verify+sign | two Kamailio verify+sign chained | SIPp direct |",
"|---|---|---|---|---|---|",
"| highest calls/s without failure | \(n(.e2e.pair.max_cps_no_failure)) | \(n(.e2e.kamailio.max_cps_no_failure)) | \(n(.e2e.kam_vs.max_cps_no_failure)) | \(n(.e2e.kam_chain.max_cps_no_failure)) | \(n(.e2e.direct.max_cps_no_failure)) |",
"| steps (target: achieved, failed) | \(steps(.e2e.pair)) | \(steps(.e2e.kamailio)) | \(steps(.e2e.kam_vs)) | \(steps(.e2e.kam_chain)) | \(steps(.e2e.direct)) |",
"| INVITE→180 median / p99 ms | \(ms(.e2e.pair.rtd_180_ms)) | \(ms(.e2e.kamailio.rtd_180_ms)) | \(ms(.e2e.kam_vs.rtd_180_ms)) | \(ms(.e2e.kam_chain.rtd_180_ms)) | \(ms(.e2e.direct.rtd_180_ms)) |",
"| added over direct, median / p99 ms | \(ms(.e2e.added_delay_ms.pair)) | \(ms(.e2e.added_delay_ms.kamailio)) | \(ms(.e2e.added_delay_ms.kam_vs)) | \(ms(.e2e.added_delay_ms.kam_chain)) | |",
"| CPU ms per call, all nodes (ok steps) | \(n(.e2e.pair.cpu_ms_per_call)) | \(n(.e2e.kamailio.cpu_ms_per_call)) | \(n(.e2e.kam_vs.cpu_ms_per_call)) | \(n(.e2e.kam_chain.cpu_ms_per_call)) | |",
"| CPU ms per call, per node (ok steps) | A \(n(.e2e.pair.cpu_ms_per_call_a)), B0 \(n(.e2e.pair.cpu_ms_per_call_b)) | | | first \(n(.e2e.kam_chain.cpu_ms_per_call_hop1)), second \(n(.e2e.kam_chain.cpu_ms_per_call_hop2)) | |",
"",
"stiwf pair's highest rate over Kamailio signing: \(n(.e2e.ratio_pair_to_kamailio)), over Kamailio verify+sign: \(n(.e2e.ratio_pair_to_kam_vs)), over two chained: \(n(.e2e.ratio_pair_to_kam_chain)). CPU per call over Kamailio verify+sign's (pooled over the rates both held): stiwfd A \(n(.e2e.cpu_ratio_a_to_kam_vs)), B0 \(n(.e2e.cpu_ratio_b_to_kam_vs)); A + B0 over the two chained: \(n(.e2e.cpu_ratio_pair_to_kam_chain)). Delay inside the IWFs (call-log `transit_us`), median / p99 ms: A \(ms(.e2e.pair.transit_a_ms)), B \(ms(.e2e.pair.transit_b_ms)).",
"",
"| memory | kB |",
"|---|---|",
"| stiwfd A idle | \(n(.e2e.memory.a.rss_kb_idle)) |",
"| stiwfd A with \(n(.e2e.memory.held_calls)) of \(n(.e2e.memory.target_calls)) calls held | \(n(.e2e.memory.a.rss_kb_held)) (\(n(.e2e.memory.a.kb_per_call)) per call) |",
"| stiwfd A with \(n(.e2e.memory.target_calls)) calls\(if .e2e.memory.a.at_target_extrapolated then " (extrapolated)" else "" end) | \(n(.e2e.memory.a.rss_kb_at_target)) |",
"| stiwfd B (each of \(n(.e2e.memory.trunks))) with its share | \([.e2e.memory.b[]?.rss_kb_held | tostring] | join(", ")) |",
"| two certificate caches full (\(n(.memory.cert_cache.entries_per_cache)) chains each), added | \(n(.memory.cert_cache.added_kb)) (\(n(.memory.cert_cache.kb_per_entry)) per chain) |",
"| A with the calls + full caches | \(n(.derived.rss_kb_10k_calls_full_caches)) |",
"",
"| aim | measured | met |",
"|---|---|---|",
(.aims[]? | "| \(.what) \(.aim) \(.value) | \(n(.measured)) | \(if .met == null then "not measured" elif .met then "yes" else "**no**" end) |")
