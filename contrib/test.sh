#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The second of the README's two commands: install what is missing, build,
# and pass every test.  Exits non-zero on any failure, and on any test that
# reports SKIP (a missing dependency must not let a run pass), apart from
# the deliberate skips of stage 4.
#
#   1. gcc, -Werror: "make check": unit tests, host integration tests
#      (stiwfd under valgrind too) and the tests that boot a User-Mode-
#      Linux guest for SCTP; then "make check-valgrind": every unit test
#      program under valgrind
#   2. gcc with AddressSanitizer + UndefinedBehaviorSanitizer: "make check"
#      again (the guest tests, where ASan cannot run, are not in it)
#   3. clang with libFuzzer: "make check-fuzz", each fuzz harness under
#      libFuzzer for FUZZ_SECONDS (10); the other tests ran in 1 and 2
#   4. "make distcheck": the release tarball holds every tracked file
#      (tests/dist_complete.sh), builds, installs, and passes "make check"
#      except the guest tests, which stage 1 ran and which report SKIP there
#      (configure --disable-guest-tests)
#
# "make check" and distcheck run STIWF_TEST_JOBS tests at a time (default:
# one more than the cores): most integration tests wait on protocol timers,
# and each reserves its own ports (stiwf_port_base) and boots its own
# guest, so they run side by side.  valgrind and libFuzzer keep a core
# busy each: one per core.  STIWF_TEST_JOBS=1 runs everything one at a
# time.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
contrib/install-deps.sh
cores=$(nproc)
jobs=${STIWF_TEST_JOBS:-$((cores + 1))}
cpu_jobs=$(( jobs < cores ? jobs : cores ))

passed=0
failed=0
skipped=0
# count OUT: add automake's summary ("# PASS:  N", ...) of make's output OUT
count() {
	for n in $(sed -n 's/^# PASS: *//p' "$1"); do
		passed=$((passed + n))
	done
	for n in $(sed -n 's/^# \(FAIL\|ERROR\|XPASS\): *//p' "$1"); do
		failed=$((failed + n))
	done
	for n in $(sed -n 's/^# SKIP: *//p' "$1"); do
		skipped=$((skipped + n))
	done
}
stage_time() {
	echo "--- $1: $(($(date +%s) - $2)) s"
}
give_up() {
	echo "tests: $passed passed, $((failed > 0 ? failed : 1)) failed"
	exit 1
}

# run_check NAME DIR TARGET [MAKE-ARGS...]: "make TARGET" in DIR; fails on
# a failed or skipped test.
run_check() {
	name=$1; dir=$2; target=$3; shift 3
	echo "=== $name"
	t0=$(date +%s)
	rc=0
	make -j"$jobs" -C "$dir" "$target" "$@" >"$dir/check.out" 2>&1 || rc=$?
	grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP):' "$dir/check.out" || true
	before=$skipped
	count "$dir/check.out"
	stage_time "$name" "$t0"
	if [ $rc -ne 0 ]; then
		echo "--- $name failed; the failing logs:"
		for log in $(find "$dir/tests" -name '*.log' 2>/dev/null); do
			if grep -q '^:test-result: \(FAIL\|ERROR\)' "${log%.log}.trs" 2>/dev/null; then
				echo "----- $log"
				tail -n 80 "$log"
			fi
		done
		give_up
	fi
	if [ "$skipped" -ne "$before" ]; then
		echo "--- $name: $((skipped - before)) test(s) skipped, which a full run does not allow:"
		for log in $(find "$dir/tests" -name '*.log' 2>/dev/null); do
			if grep -q '^:test-result: SKIP' "${log%.log}.trs" 2>/dev/null; then
				echo "----- $log"
				grep -i 'skip' "$log" | tail -n 5
			fi
		done
		failed=$((failed + skipped - before))
		give_up
	fi
}

contrib/build.sh build --enable-werror
run_check "gcc -Werror, valgrind" build check
echo "=== unit tests under valgrind"
t0=$(date +%s)
if ! make -C build check-valgrind VALGRIND_JOBS="$cpu_jobs" >build/check-valgrind.out 2>&1; then
	grep -E '^(PASS|FAIL)' build/check-valgrind.out
	tail -n 40 build/check-valgrind.out
	give_up
fi
grep -E '^(PASS|FAIL|check-valgrind)' build/check-valgrind.out
passed=$((passed + $(grep -c '^PASS: valgrind' build/check-valgrind.out)))
stage_time "unit tests under valgrind" "$t0"

contrib/build.sh build-asan --enable-werror --enable-sanitize
run_check "gcc ASAN+UBSAN" build-asan check

contrib/build.sh build-fuzz --enable-fuzz --enable-sanitize CC=clang
jobs_check=$jobs jobs=$cpu_jobs
run_check "clang libFuzzer (${FUZZ_SECONDS:-10} s per harness)" build-fuzz check-fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-10}"
jobs=$jobs_check

echo "=== make distcheck (no guest tests)"
t0=$(date +%s)
make -j"$jobs" -C build distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror >build/distcheck.out 2>&1 || {
	tail -n 60 build/distcheck.out
	give_up
}
grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP):|^dist_complete:' build/distcheck.out || true
count build/distcheck.out
# The only skips allowed here: the tests that need the guest ("needs ...
# guest", tests/lib-needs.sh).
guest=$(grep -l '^\. .*lib-needs\.sh"; needs .*\<guest\>' tests/*/*.sh)
for t in $(sed -n 's/^SKIP: //p' build/distcheck.out); do
	if echo "$guest" | grep -qx "$t"; then
		skipped=$((skipped - 1))
	else
		echo "--- make distcheck skipped $t, which is not a guest test"
		failed=$((failed + 1))
	fi
done
grep -E 'archives ready for distribution|^stiwf-.*tar.gz' build/distcheck.out | head -n 3
stage_time "make distcheck" "$t0"
[ "$failed" -eq 0 ] || give_up

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
