/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "show sip calls" and "clear sip call": the live legs of the agent. */

#include <inttypes.h>
#include <time.h>

#include <osmocom/vty/command.h>
#include <osmocom/vty/vty.h>

#include "sip/sip_call_internal.h"

DEFUN(show_sip_calls, show_sip_calls_cmd,
      "show sip calls",
      SHOW_STR "SIP user agent\n" "Live call legs: Call-ID, direction, state, numbers, age\n")
{
	struct sip_call *call;
	time_t now = time(NULL);
	unsigned int n = 0;

	if (!g_sip_agent) {
		vty_out(vty, "SIP agent not running%s", VTY_NEWLINE);
		return CMD_SUCCESS;
	}
	llist_for_each_entry(call, &g_sip_agent->calls, entry) {
		vty_out(vty, "%s %-3s %-10s %s -> %s age %lds%s%s%s", call->call_id,
			get_value_string(sip_call_dir_names, call->dir),
			get_value_string(sip_call_state_names, call->state),
			call->calling[0] ? call->calling : "-", call->called[0] ? call->called : "-",
			(long)(now - call->start), call->identity_summary[0] ? " identity " : "",
			call->identity_summary, VTY_NEWLINE);
		n++;
	}
	vty_out(vty, "%u call leg(s)%s", n, VTY_NEWLINE);
	return CMD_SUCCESS;
}

DEFUN(clear_sip_call, clear_sip_call_cmd,
      "clear sip call CALLID",
      CLEAR_STR "SIP user agent\n" "End one call leg (BYE, CANCEL or 480) and tell its owner\n"
      "Call-ID of the leg (see show sip calls)\n")
{
	struct sip_call *call = sip_call_find(g_sip_agent, argv[0]);

	if (!call) {
		vty_out(vty, "%% no call leg with Call-ID %s%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	if (sip_call_clear(call) < 0) {
		vty_out(vty, "%% call leg %s is already being released%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

void sip_call_vty_init(void)
{
	install_element_ve(&show_sip_calls_cmd);
	install_element(ENABLE_NODE, &clear_sip_call_cmd);
}
