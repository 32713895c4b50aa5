/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main() of the CUnit test programs: see tests/cunit_main.h. */

#include <stdio.h>

#include <CUnit/Basic.h>
#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "src/core/logging.h"
#include "tests/cunit_main.h"

/* Every suite and test of the table into the registry; 0 or -1 */
static int cunit_register(const struct cunit_suite *suites)
{
	const struct cunit_suite *s;
	const struct cunit_test *t;
	CU_pSuite suite;

	for (s = suites; s->name; s++) {
		suite = CU_add_suite(s->name, s->init, s->cleanup);
		if (!suite)
			return -1;
		for (t = s->tests; t->name; t++) {
			if (!CU_add_test(suite, t->name, t->fn))
				return -1;
		}
	}
	return 0;
}

static int cunit_log_init(void *ctx, enum cunit_log log)
{
	switch (log) {
	case CUNIT_LOG_STDERR:
		return stiwf_logging_init(ctx);
	case CUNIT_LOG_FATAL:
		if (stiwf_logging_init(ctx) < 0)
			return -1;
		log_set_log_level(osmo_stderr_target, LOGL_FATAL);
		return 0;
	case CUNIT_LOG_SILENT:
		return log_init(&stiwf_log_info, NULL);
	}
	return -1;
}

int main(void)
{
	const struct cunit_program *p = &cunit_program;
	void *ctx = talloc_named_const(NULL, 0, p->name);
	unsigned int failures = 0;
	int rc = 1;

	if (!ctx || cunit_log_init(ctx, p->log) < 0) {
		fprintf(stderr, "%s: cannot set up logging\n", p->name);
		goto free_ctx;
	}
	if (p->setup && p->setup(ctx) < 0) {
		fprintf(stderr, "%s: setup failed, no test run\n", p->name);
		goto fini;
	}
	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "%s: %s\n", p->name, CU_get_error_msg());
		failures++;
	} else {
		if (cunit_register(p->suites) < 0) {
			fprintf(stderr, "%s: %s\n", p->name, CU_get_error_msg());
			failures++;
		} else {
			CU_basic_set_mode(CU_BRM_VERBOSE);
			if (CU_basic_run_tests() != CUE_SUCCESS)
				failures++;
			/* failed assertions, failed tests and suites whose
			 * init or cleanup failed each leave a record */
			failures += CU_get_number_of_failure_records();
		}
		CU_cleanup_registry();
	}
	if (p->teardown)
		failures += p->teardown();
	rc = failures ? 1 : 0;
fini:
	log_fini();
free_ctx:
	talloc_free(ctx);
	/* libosmocore's per-thread root context, made by its constructor and
	 * reachable only from TLS: freed so that valgrind sees a clean exit */
	talloc_free(osmo_ctx);
	osmo_ctx = NULL;
	return rc;
}
