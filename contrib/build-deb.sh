#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# contrib/build-deb.sh [OUTDIR]
# Build the Debian package of stiwf (Debian 12) from this source tree and
# check it with lintian.  Installs what it needs: the packaging tools and
# the Build-Depends of debian/control.  The tree is copied to
# OUTDIR/stiwf-VERSION (default: build-deb/ at the top of the tree) and
# built there, so the source tree stays as it is; the .deb, .buildinfo and
# .changes land in OUTDIR.  The package build runs the unit tests
# ("make check-unit"); DEB_BUILD_OPTIONS=nocheck skips them.
#
#   sudo dpkg -i build-deb/stiwf_VERSION_ARCH.deb   (or apt install ./...)
#   edit /etc/stiwf/stiwfd.conf, then: systemctl enable --now stiwfd
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build-deb}
case $out in /*) ;; *) out=$(pwd)/$out ;; esac

SUDO=""
if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
APT="$SUDO apt-get -o DPkg::Lock::Timeout=600"
tools="dpkg-dev debhelper devscripts lintian"
missing=""
for p in $tools; do
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" = installed ] ||
		missing="$missing $p"
done
if [ -n "$missing" ] &&
	[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
	$APT update -q
fi
if [ -n "$missing" ]; then
	echo "build-deb: installing:$missing"
	# shellcheck disable=SC2086
	$APT install -y -q --no-install-recommends $missing
fi
# the Build-Depends of debian/control (the build profiles of
# DEB_BUILD_PROFILES apply), from the Debian archive
(cd "$top" && $APT build-dep -y -q ./)

ver=$(cd "$top" && dpkg-parsechangelog -S Version)
src=$out/stiwf-$ver
rm -rf "$src"
mkdir -p "$src"
# the tracked and new files of a git checkout, else the whole tree but
# for build directories
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z -c -o --exclude-standard |
		tar --null --no-recursion -cf - -T -) | tar -C "$src" -xf -
else
	tar -C "$top" --exclude='./build*' --exclude=./autom4te.cache -cf - . | tar -C "$src" -xf -
fi

cd "$src"
dpkg-buildpackage -us -uc -b
changes=$(ls "$out"/stiwf_"$ver"_*.changes)
echo "build-deb: $(ls "$out"/stiwf_"$ver"_*.deb)"
# every error and warning fails; info and pedantic tags are shown
lintian --display-info --pedantic --fail-on error,warning "$changes"
echo "build-deb: lintian passed (no error or warning)"
