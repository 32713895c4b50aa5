#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Install the Debian 12 packages that stiwf needs to build, test and run its
# demo topology.  Idempotent: when everything is present it only checks.
#
#   contrib/install-deps.sh            build + test + demo packages
#   contrib/install-deps.sh --build    only what "./configure && make" needs,
#                                      and CUnit, which the unit tests need
set -eu

BUILD_PKGS="
	build-essential autoconf automake libtool pkg-config
	libsofia-sip-ua-dev libsofia-sip-ua-glib-dev libglib2.0-dev
	libssl-dev libjansson-dev libcurl4-openssl-dev
	libosmocore-dev libosmo-sigtran-dev libosmo-netif-dev
	libcunit1-dev libhiredis-dev
"
# Peers and tools used by the integration tests, the fuzzers and the demo.
TEST_PKGS="
	openssl ca-certificates sip-tester osmo-stp
	kamailio kamailio-secsipid-modules
	tshark user-mode-linux kmod
	clang libclang-rt-14-dev valgrind
	procps iproute2 netcat-openbsd xxd jq
	redis-server faketime
"

pkgs="$BUILD_PKGS"
if [ "${1:-}" != "--build" ]; then
	pkgs="$pkgs $TEST_PKGS"
fi

missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	if [ "$st" != "installed" ]; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi

echo "install-deps: installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer once, no prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	$SUDO debconf-set-selections 2>/dev/null || true
# One "apt-get update" when the package lists are missing or older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
	$SUDO apt-get update -q
fi
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
