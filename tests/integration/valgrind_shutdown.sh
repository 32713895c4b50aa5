#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The same exchange as options_vty.sh with stiwfd under valgrind: no memory
# errors, no definite or indirect leaks after SIGINT.
. "${srcdir:-.}/tests/lib-needs.sh"; needs sipp valgrind
STIWF_VALGRIND=1 STIWF_STOP_SIGNAL=INT exec bash "${srcdir:-.}/tests/integration/options_vty.sh"
