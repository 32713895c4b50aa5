# SPDX-License-Identifier: GPL-3.0-or-later
# needs WHAT...: source this file and call it at the top of a test script,
# before the test does anything.  When one of the programs a test runs is
# missing, the test reports SKIP (automake's exit 77) with a line naming
# each missing one, instead of failing somewhere in the middle.  WHAT is a
# program name (sipp, osmo-stp, kamailio, tshark, redis-server, valgrind,
# ...) or "guest": SCTP on this host or a User-Mode-Linux guest
# (tests/integration/uml/run.sh).
#
# contrib/test.sh fails on any SKIP, so a machine that lacks a dependency
# never passes the full run.  The one deliberate skip: "guest" tests report
# SKIP when configure ran with --disable-guest-tests (STIWF_GUEST_TESTS=no
# in the test environment), which "make distcheck" passes: the tarball's
# build runs the unit and host tests, and tests/dist_complete.sh proves
# that the tarball holds every file the guest tests use.
needs() {
	local w missing=""
	for w in "$@"; do
		case $w in
		guest)
			if [ "${STIWF_GUEST_TESTS:-yes}" = no ]; then
				echo "SKIP: guest tests are off (configure --disable-guest-tests, as make distcheck runs it)"
				exit 77
			fi
			grep -q '^SCTP ' /proc/net/protocols 2>/dev/null ||
				command -v linux.uml >/dev/null 2>&1 ||
				missing="$missing linux.uml (package user-mode-linux; this kernel has no SCTP)"
			;;
		*)
			command -v "$w" >/dev/null 2>&1 || missing="$missing $w"
			;;
		esac
	done
	if [ -n "$missing" ]; then
		echo "SKIP: not installed:$missing (contrib/install-deps.sh installs the Debian packages)"
		exit 77
	fi
}
