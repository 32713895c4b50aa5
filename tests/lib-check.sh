# SPDX-License-Identifier: GPL-3.0-or-later
# tests/lib-check.sh: what the shell tests of the tools share.  Source it
# after setting $work (a scratch directory); each check prints "ok: WHAT" or
# "FAIL: WHAT ..." and counts failures; checks_done ends the test.
fails=0

# check WHAT GOT WANT
check()
{
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		echo "FAIL: $1: got '$2', want '$3'"
		fails=$((fails + 1))
	fi
}
# has WHAT PATTERN [FILE]: a line of FILE ($work/out) matches
has()
{
	if grep -q -- "$2" "${3:-$work/out}"; then
		echo "ok: $1"
	else
		echo "FAIL: $1: no '$2' in:"
		cat "${3:-$work/out}"
		fails=$((fails + 1))
	fi
}
# hasnt WHAT PATTERN [FILE]: no line of FILE ($work/out) matches
hasnt()
{
	if grep -q -- "$2" "${3:-$work/out}"; then
		echo "FAIL: $1: '$2' in:"
		cat "${3:-$work/out}"
		fails=$((fails + 1))
	else
		echo "ok: $1"
	fi
}
# has_err WHAT PATTERN: a line of $work/err matches
has_err()
{
	has "$1" "$2" "$work/err"
}
checks_done()
{
	if [ "$fails" -ne 0 ]; then
		echo "$fails check(s) failed"
		exit 1
	fi
	echo "all checks passed"
}
