#!/bin/sh
# "stiwf bench pipeline" and "stiwf bench scaling" with --json: each prints
# exactly one JSON object on stdout with the documented fields
# (docs/BENCHMARKS.md), every figure a positive number; bad options are
# usage errors.  No timing is judged here.
set -eu
top_builddir=${top_builddir:-.}
stiwf="$top_builddir/stiwf"
work=$(mktemp -d "$PWD/stiwf_bench_pipeline.XXXXXX")
trap 'rm -rf "$work"' EXIT
# the bench's TSCA directory goes here, not in /tmp
TMPDIR=$work
export TMPDIR
fails=0

# check_json FILE FIELD...: one JSON object; each FIELD ("a.b" for a
# member of an object) a number > 0
check_json()
{
	file=$1
	shift
	if python3 - "$file" "$@" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
obj, end = json.JSONDecoder().raw_decode(text)
if text[end:].strip():
    sys.exit("more than one JSON value on stdout")
if not isinstance(obj, dict):
    sys.exit("not a JSON object")
for path in sys.argv[2:]:
    v = obj
    for part in path.split("."):
        if not isinstance(v, dict) or part not in v:
            sys.exit("no field " + path)
        v = v[part]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not v > 0:
        sys.exit("field %s is not a positive number: %r" % (path, v))
PY
	then
		echo "ok: $file"
	else
		echo "FAIL: $file"
		fails=$((fails + 1))
	fi
}

run_json()
{
	name=$1
	shift
	if "$stiwf" bench "$@" >"$work/$name.json" 2>"$work/$name.err"; then
		echo "ok: bench $* exits 0"
	else
		echo "FAIL: bench $* exits $?"
		cat "$work/$name.err"
		fails=$((fails + 1))
	fi
}

expect_usage()
{
	rc=0
	"$stiwf" bench "$@" >/dev/null 2>&1 || rc=$?
	if [ "$rc" = 2 ]; then
		echo "ok: bench $* is a usage error"
	else
		echo "FAIL: bench $*: exit $rc, want 2"
		fails=$((fails + 1))
	fi
}

run_json pipeline pipeline --rounds 1 --ms 20 --json
check_json "$work/pipeline.json" rounds ms \
	sip_to_isup.calls_per_s sip_to_isup.floor_per_s sip_to_isup.ratio \
	isup_to_sip_rebuild.calls_per_s isup_to_sip_rebuild.floor_per_s isup_to_sip_rebuild.ratio \
	isup_to_sip_resign.calls_per_s isup_to_sip_resign.floor_per_s isup_to_sip_resign.ratio

run_json scaling scaling --rounds 1 --ms 20 --json
check_json "$work/scaling.json" rounds ms workers cores in_flight \
	sip_to_isup.calls_per_s_1_worker sip_to_isup.calls_per_s_n_workers sip_to_isup.speedup \
	isup_to_sip_rebuild.calls_per_s_1_worker isup_to_sip_rebuild.calls_per_s_n_workers \
	isup_to_sip_rebuild.speedup \
	isup_to_sip_resign.calls_per_s_1_worker isup_to_sip_resign.calls_per_s_n_workers \
	isup_to_sip_resign.speedup

run_json scaling3 scaling --rounds 1 --ms 20 --threads 3 --json
check_json "$work/scaling3.json" workers sip_to_isup.speedup
if python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1]))["workers"] != 3)' \
	"$work/scaling3.json"; then
	echo "ok: --threads 3 gives 3 workers"
else
	echo "FAIL: --threads 3"
	fails=$((fails + 1))
fi

# without --json: text for a reader, no JSON
run_json text pipeline --rounds 1 --ms 5
if grep -q '^sip_to_isup  *[0-9]' "$work/text.json" && ! grep -q '{' "$work/text.json"; then
	echo "ok: text output"
else
	echo "FAIL: text output"
	fails=$((fails + 1))
fi

expect_usage pipeline --threads 0
expect_usage scaling --threads 65
expect_usage pipeline --rounds 2
expect_usage isup --json
expect_usage passport --threads 2
expect_usage pipeline extra

# nothing of the bench's own left behind
if [ -z "$(find "$work" -name 'stiwf-bench-*')" ]; then
	echo "ok: the bench's TSCA directory is removed"
else
	echo "FAIL: the bench left its TSCA directory"
	fails=$((fails + 1))
fi

[ "$fails" = 0 ]
