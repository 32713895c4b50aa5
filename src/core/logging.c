/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Log categories and their defaults. */

#include <errno.h>

#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/utils.h>

#include "src/core/logging.h"

static const struct log_info_cat stiwf_log_cats[] = {
	[DMAIN] = {
		.name = "DMAIN",
		.description = "daemon, configuration, event loop, worker pool",
		.color = "\033[1;32m",
		.enabled = 1, .loglevel = LOGL_NOTICE,
	},
	[DSIP] = {
		.name = "DSIP",
		.description = "SIP user agent and transport (Sofia-SIP)",
		.color = "\033[1;34m",
		.enabled = 1, .loglevel = LOGL_NOTICE,
	},
	[DSS7] = {
		.name = "DSS7",
		.description = "ISUP/TCAP codecs and the M3UA binding",
		.color = "\033[1;33m",
		.enabled = 1, .loglevel = LOGL_NOTICE,
	},
	[DIWF] = {
		.name = "DIWF",
		.description = "call state machines and interworking policy",
		.color = "\033[1;36m",
		.enabled = 1, .loglevel = LOGL_NOTICE,
	},
	[DSTIR] = {
		.name = "DSTIR",
		.description = "PASSporT, Identity header, STI-AS and STI-VS",
		.color = "\033[1;35m",
		.enabled = 1, .loglevel = LOGL_NOTICE,
	},
	[DCERT] = {
		.name = "DCERT",
		.description = "trust stores, certificate fetch, chain and CRL checks",
		.color = "\033[1;31m",
		.enabled = 1, .loglevel = LOGL_NOTICE,
	},
	[DMAP] = {
		.name = "DMAP",
		.description = "MAP border: screening, signing, relay, one map-log line per dialogue",
		.color = "\033[1;37m",
		.enabled = 1, .loglevel = LOGL_NOTICE,
	},
};

const struct log_info stiwf_log_info = {
	.cat = stiwf_log_cats,
	.num_cat = ARRAY_SIZE(stiwf_log_cats),
};

int stiwf_logging_init(void *ctx)
{
	int rc;

	/* osmo_init_logging2() also creates the stderr target, which stays the
	 * default; "log syslog" in the config adds syslog. */
	rc = osmo_init_logging2(ctx, &stiwf_log_info);
	if (rc < 0)
		return rc;
	log_set_print_category(osmo_stderr_target, 1);
	log_set_print_category_hex(osmo_stderr_target, 0);
	log_set_print_level(osmo_stderr_target, 1);
	log_set_print_filename2(osmo_stderr_target, LOG_FILENAME_NONE);
	log_set_use_color(osmo_stderr_target, 0);
	return 0;
}
