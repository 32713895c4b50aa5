#!/bin/sh
# The second of the README's two commands: install what is missing, build,
# and pass every test.  Exits non-zero on any failure.
#
#   1. gcc, -Werror: unit tests, integration tests (stiwfd under valgrind
#      too), then every unit test program under valgrind
#   2. gcc with AddressSanitizer + UndefinedBehaviorSanitizer: the same tests
#   3. clang with libFuzzer: each fuzz harness runs for FUZZ_SECONDS (10)
#   4. make distcheck: the release tarball builds and passes its tests
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
contrib/install-deps.sh

passed=0
failed=0
summary() {
	# automake's summary of one build: "# PASS:  N" / "# FAIL:  N" / "# ERROR: N"
	for n in $(sed -n 's/^# PASS: *//p' "$1/test-suite.log.summary"); do
		passed=$((passed + n))
	done
	for n in $(sed -n 's/^# \(FAIL\|ERROR\|XPASS\): *//p' "$1/test-suite.log.summary"); do
		failed=$((failed + n))
	done
}

run_check() {
	name=$1; dir=$2; shift 2
	echo "=== $name"
	rc=0
	make -C "$dir" check "$@" >"$dir/check.out" 2>&1 || rc=$?
	grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP):' "$dir/check.out" || true
	grep -E '^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):' "$dir/check.out" >"$dir/test-suite.log.summary" || true
	summary "$dir"
	if [ $rc -ne 0 ]; then
		echo "--- $name failed; the failing logs:"
		for log in $(find "$dir/tests" -name '*.log' 2>/dev/null); do
			if grep -q '^FAIL\|^ERROR' "${log%.log}.trs" 2>/dev/null; then
				echo "----- $log"
				tail -n 80 "$log"
			fi
		done
		echo "tests: $passed passed, $((failed > 0 ? failed : 1)) failed"
		exit 1
	fi
}

contrib/build.sh build --enable-werror
run_check "gcc -Werror, valgrind" build
echo "=== unit tests under valgrind"
if ! make -C build check-valgrind >build/check-valgrind.out 2>&1; then
	grep -E '^(PASS|FAIL)' build/check-valgrind.out
	tail -n 40 build/check-valgrind.out
	echo "tests: $passed passed, 1 failed"
	exit 1
fi
grep -E '^(PASS|FAIL|check-valgrind)' build/check-valgrind.out
passed=$((passed + $(grep -c '^PASS: valgrind' build/check-valgrind.out)))

contrib/build.sh build-asan --enable-werror --enable-sanitize
run_check "gcc ASAN+UBSAN" build-asan

contrib/build.sh build-fuzz --enable-fuzz --enable-sanitize CC=clang
run_check "clang libFuzzer (${FUZZ_SECONDS:-10} s per harness)" build-fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-10}"

echo "=== make distcheck"
make -C build distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror >build/distcheck.out 2>&1 || {
	tail -n 60 build/distcheck.out
	echo "tests: $passed passed, 1 failed"
	exit 1
}
grep -E 'archives ready for distribution|^stiwf-.*tar.gz' build/distcheck.out | head -n 3

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
