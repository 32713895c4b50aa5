#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# contrib/build.sh DIR [CONFIGURE-ARGS...]
# Configure (once) and build stiwf out of tree in DIR, relative to the
# source tree.  Shared by demo.sh and test.sh.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$1; shift
cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ]; then
	autoreconf -fi
fi
mkdir -p "$dir"
cd "$dir"
# Reconfigure when the arguments changed since the last run.
if [ ! -f Makefile ] || [ "$(cat .configure-args 2>/dev/null)" != "$*" ]; then
	"$top/configure" "$@"
	echo "$*" >.configure-args
fi
make -j"$(nproc)"
