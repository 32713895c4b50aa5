#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# sip_call.sh with stiwfd under valgrind: after answered, cancelled, refused
# and outgoing calls, no memory errors and no definite or indirect leaks.
. "${srcdir:-.}/tests/lib-needs.sh"; needs sipp valgrind
STIWF_VALGRIND=1 exec bash "${srcdir:-.}/tests/integration/sip_call.sh"
