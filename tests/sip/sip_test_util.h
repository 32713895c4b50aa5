/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/* Helpers shared by the tests of sip/: logging set-up and tear-down, so that
 * LOGP works and valgrind sees every block freed at exit. */

#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "src/core/logging.h"

static void *sip_test_ctx;

/* LOGP needs the stiwf categories; print only fatal lines, so that the
 * expected rejections do not drown CUnit's output. */
static inline void sip_test_log_init(const char *name)
{
	sip_test_ctx = talloc_named_const(NULL, 0, name);
	stiwf_logging_init(sip_test_ctx);
	log_set_log_level(osmo_stderr_target, LOGL_FATAL);
}

static inline void sip_test_log_fini(void)
{
	log_fini();
	talloc_free(sip_test_ctx);
	sip_test_ctx = NULL;
	/* libosmocore's per-thread root context, made by its constructor */
	talloc_free(osmo_ctx);
	osmo_ctx = NULL;
}
