/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file logging.h
 *  Log categories of stiwf, one per module (docs/STYLE.md: LOGP with per-module categories). */

#include <osmocom/core/logging.h>

enum stiwf_log_cat {
	DMAIN,		/*!< daemon, configuration, event loop, worker pool */
	DSIP,		/*!< Sofia-SIP user agent and SIP transport */
	DSS7,		/*!< ISUP/TCAP codecs and the M3UA binding */
	DIWF,		/*!< call state machines and interworking policy */
	DSTIR,		/*!< PASSporT, Identity header, STI-AS/STI-VS */
	DCERT,		/*!< trust stores, certificate fetch and checks */
	DMAP,		/*!< the MAP border: screening, signing, relay, map-log lines */
	_NUM_STIWF_LOG_CAT
};

extern const struct log_info stiwf_log_info;

/*! Initialise libosmocore logging with the stiwf categories and a stderr target.
 *  \param[in] ctx talloc context for the logging state
 *  \returns 0 or a negative errno */
int stiwf_logging_init(void *ctx);
