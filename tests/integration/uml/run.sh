#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/integration/uml/run.sh SCRIPT OUTDIR [TIMEOUT]
# Run SCRIPT (bash) where SCTP works: on this host when its kernel has SCTP,
# otherwise inside a User-Mode-Linux guest that sees the host's filesystem.
# Prints the transport used, SCRIPT's output, and returns its exit status.
# STIWF_UML_MEM sets the guest's memory (default 512M; a load test that
# holds thousands of calls in SIPp and the IWFs needs more).
set -u
script=$(readlink -f "$1")
out=$(readlink -f "$2")
limit=${3:-120}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
# What the script needs to find the build, whichever side it runs on.
{
	echo "top_builddir=$(readlink -f "${top_builddir:-.}")"
	echo "srcdir=$(readlink -f "${srcdir:-.}")"
} >"$out/env"
rm -f "$out/guest.rc" "$out/guest.log" "$out/guest-init.log"

host_has_sctp() {
	grep -q '^SCTP ' /proc/net/protocols 2>/dev/null && return 0
	modprobe -q sctp 2>/dev/null && grep -q '^SCTP ' /proc/net/protocols 2>/dev/null
}

if [ "${STIWF_FORCE_UML:-0}" != 1 ] && host_has_sctp; then
	echo "transport: M3UA over host SCTP"
	(cd "$out" && TMPDIR="$out" timeout "$limit" bash "$script") >"$out/guest.log" 2>&1
	rc=$?
	cat "$out/guest.log"
	exit $rc
fi

if ! command -v linux.uml >/dev/null; then
	echo "transport: none: no SCTP in this kernel and no linux.uml (apt-get install user-mode-linux)"
	exit 1
fi
echo "transport: M3UA over SCTP inside a User-Mode-Linux guest ($(linux.uml --version 2>/dev/null | head -n 1 || echo linux.uml))"
# Words of the form NAME=VALUE on the kernel command line reach init as
# environment variables.  stdin from /dev/null: the guest console must not
# read the test's terminal.
timeout $((limit + 30)) linux.uml mem="${STIWF_UML_MEM:-512M}" rootfstype=hostfs rootflags=/ rw \
	init="$here/guest-init.sh" con=null con0=fd:0,fd:1 \
	STIWF_GUEST_SCRIPT="$script" STIWF_GUEST_OUT="$out" STIWF_GUEST_TIMEOUT="$limit" \
	</dev/null >"$out/uml-console.log" 2>&1
uml_rc=$?
cat "$out/guest-init.log" 2>/dev/null | sed 's/^/  /'
cat "$out/guest.log" 2>/dev/null
if [ ! -f "$out/guest.rc" ]; then
	echo "uml: the guest did not finish (linux.uml exit $uml_rc); console:"
	tail -n 30 "$out/uml-console.log"
	exit 1
fi
exit "$(cat "$out/guest.rc")"
