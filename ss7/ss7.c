/* libosmo-sigtran set-up.  Only ss7/ includes sigtran headers. */

#include <errno.h>

#include <osmocom/sigtran/osmo_ss7.h>
#include <osmocom/vty/vty.h>

#include "config.h"
#include "src/logging.h"
#include "ss7/isup_trunk.h"
#include "ss7/ss7.h"

int stiwf_ss7_init(void *ctx)
{
	int rc;

	rc = osmo_ss7_init();
	if (rc < 0) {
		LOGP(DSS7, LOGL_ERROR, "cannot initialise libosmo-sigtran: %d\n", rc);
		return rc;
	}
	/* stiwfd is an ASP towards an STP or SG (DESIGN §6) */
	osmo_ss7_vty_init_asp(ctx);
	isup_trunk_vty_init();
	LOGP(DSS7, LOGL_DEBUG, "libosmo-sigtran ready (osmo_ss7_user API %d)\n", STIWF_SS7_USER_API);
	return 0;
}

int stiwf_ss7_vty_go_parent(struct vty *vty)
{
	return osmo_ss7_vty_go_parent(vty);
}
