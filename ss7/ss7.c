/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libosmo-sigtran set-up.  Only ss7/ includes sigtran headers. */

#include <errno.h>

#include <osmocom/core/tdef.h>
#include <osmocom/sigtran/osmo_ss7.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vty.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/isup_internal.h"
#include "ss7/isup_trunk.h"
#include "ss7/sccp_reasm.h"
#include "ss7/sccp_route.h"
#include "ss7/ss7.h"

/* libosmocore keeps one list of timer groups for "timer GROUP T VAL" and
 * "show timer": the groups of the SS7 room, which src/stiwfd/cfg.c joins to the
 * others'. */
struct osmo_tdef_group stiwf_ss7_tdef_groups[] = {
	{ .name = "isup", .desc = "ISUP call control and circuit maintenance (Q.764 Annex A)",
	  .tdefs = isup_tdefs },
	{ .name = "sccp", .desc = "stiwf's SCCP: reassembly of XUDT segments (Q.714)", .tdefs = sccp_tdefs },
	{}
};

int stiwf_ss7_init(void *ctx)
{
	int rc;

	rc = osmo_ss7_init();
	if (rc < 0) {
		LOGP(DSS7, LOGL_ERROR, "cannot initialise libosmo-sigtran: %d\n", rc);
		return rc;
	}
	/* stiwfd is an ASP towards an STP or SG (ARCHITECTURE §6) */
	osmo_ss7_vty_init_asp(ctx);
	isup_trunk_vty_init();
	sccp_vty_init(ctx);
	LOGP(DSS7, LOGL_DEBUG, "libosmo-sigtran ready (osmo_ss7_user API %d)\n", STIWF_SS7_USER_API);
	return 0;
}

int stiwf_ss7_vty_go_parent(struct vty *vty)
{
	return osmo_ss7_vty_go_parent(vty);
}
