#!/bin/bash
# "make check": the short fault run (F0 baseline, F1 kill -9 of the active
# stiwfd under load, F4 Redis down, quick F7 (HOP
# clock skew within and beyond hop-skew) and F5 (x5u server stopped)); see
# tests/faults/run.sh and docs/RELIABILITY.md.
set -u
srcdir=${srcdir:-.}
bash "$srcdir/tests/faults/run.sh" --short || exit 1
echo "5 passed, 0 failed"
