/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VTY of the ISUP trunks: "show isup trunk [NAME]".  Their timers are the
 * "isup" group of ss7/ss7.c ("timer isup T7 25", "show timer isup"). */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <osmocom/core/fsm.h>
#include <osmocom/core/tdef.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/tdef_vty.h>
#include <osmocom/vty/vty.h>

#include "ss7/isup_internal.h"
#include "ss7/isup_trunk.h"

static const char *blocking_str(unsigned int b)
{
	static char buf[32];

	if (!b)
		return "-";
	snprintf(buf, sizeof(buf), "%s%s%s%s", b & ISUP_BLK_LOCAL_MAINT ? "L" : "",
		 b & ISUP_BLK_REMOTE_MAINT ? "R" : "", b & ISUP_BLK_LOCAL_HW ? "l" : "",
		 b & ISUP_BLK_REMOTE_HW ? "r" : "");
	return buf;
}

static void vty_dump_trunk(struct vty *vty, const struct isup_trunk *t)
{
	unsigned int i;

	vty_out(vty, "ISUP trunk %s: OPC %u DPC %u NI %u, MTP %s, max SIF %zu, %u circuits, %u free%s",
		t->name, t->opc, t->dpc, t->ni, t->available ? "available" : "unavailable", t->max_sif_len,
		t->num_cics, isup_trunk_cics_free(t), VTY_NEWLINE);
	vty_out(vty, " calls out %" PRIu64 " in %" PRIu64 " answered %" PRIu64 " repeat %" PRIu64
		" dual-seizure %" PRIu64 " unexpected %" PRIu64 " unrecognized %" PRIu64 " malformed %" PRIu64 "%s",
		isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_CALL_OUT), isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_CALL_IN),
		isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_CALL_ANSWERED),
		isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_CALL_REPEAT),
		isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_DUAL_SEIZURE),
		isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_UNEXPECTED),
		isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_UNRECOGNIZED),
		isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_MALFORMED), VTY_NEWLINE);
	vty_out(vty, " (ctl *: this side controls the CIC on dual seizure; blocking: L/R local/remote "
		"maintenance, l/r local/remote hardware)%s", VTY_NEWLINE);
	vty_out(vty, "  CIC  ctl state           blocking call%s", VTY_NEWLINE);
	for (i = 0; i < t->num_cics; i++) {
		const struct isup_cic *c = t->cics[i];

		vty_out(vty, " %4u  %s  %-15s %-8s %s%s", c->cic, isup_trunk_controls(t, c->cic) ? "*" : " ",
			get_value_string(isup_cic_state_names, isup_trunk_cic_state(t, c->cic)),
			blocking_str(c->blocking), c->call ? osmo_fsm_inst_state_name(c->call->fi) : "-",
			VTY_NEWLINE);
	}
}

DEFUN(show_isup_trunk, show_isup_trunk_cmd,
      "show isup trunk [NAME]",
      SHOW_STR "ISDN User Part\n" "Trunks (SS7 peers) and their circuits\n" "Only this trunk\n")
{
	struct isup_trunk *t;
	struct llist_head *l = isup_trunk_list();

	llist_for_each_entry(t, l, list) {
		if (argc > 0 && strcmp(argv[0], t->name))
			continue;
		vty_dump_trunk(vty, t);
	}
	return CMD_SUCCESS;
}

void isup_trunk_vty_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	isup_tdefs_init();
	install_element_ve(&show_isup_trunk_cmd);
}
