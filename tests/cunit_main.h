/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/* The main() of every CUnit test program (tests/cunit_main.c).  A test
 * program defines its suites in tables and one struct cunit_program named
 * cunit_program; the helper sets up logging and a talloc root, runs every
 * suite with CU_basic in verbose mode and exits 1 on any failure: a failed
 * assertion, a failed test, a suite whose init failed, a CUnit error or
 * what the program's teardown reports (talloc blocks left over).
 *
 *	static const struct cunit_test isup_tests[] = {
 *		{ "IAM fields", test_iam_fields },
 *		{ "every prefix fails", test_truncation },
 *		{ NULL }
 *	};
 *	static const struct cunit_suite isup_suites[] = {
 *		{ "isup", NULL, NULL, isup_tests },
 *		{ NULL }
 *	};
 *	const struct cunit_program cunit_program = {
 *		.name = "isup_test",
 *		.suites = isup_suites,
 *	};
 */

#include <CUnit/CUnit.h>

struct cunit_test {
	const char *name;
	CU_TestFunc fn;
};

struct cunit_suite {
	const char *name;
	CU_InitializeFunc init;		/* optional; nonzero fails the suite */
	CU_CleanupFunc cleanup;		/* optional */
	const struct cunit_test *tests;	/* ends with an entry without name */
};

enum cunit_log {
	/* stiwf_logging_init(): the stiwf categories, printed on stderr */
	CUNIT_LOG_STDERR,
	/* the same, but only fatal lines: the tests provoke every error */
	CUNIT_LOG_FATAL,
	/* log_init() without a target: LOGP works and prints nothing */
	CUNIT_LOG_SILENT,
};

struct cunit_program {
	/* the name of the talloc root */
	const char *name;
	enum cunit_log log;
	/* optional, after logging and before the registry: whatever the
	 * tests share (keys, a test PKI, a server).  ctx is the talloc root,
	 * which holds the logging too.  A negative return ends the program
	 * with 1 before any test; setup cleans up what it made itself. */
	int (*setup)(void *ctx);
	/* optional, after the run: frees what setup made and returns the
	 * number of failures it found (talloc blocks left, say) */
	unsigned int (*teardown)(void);
	const struct cunit_suite *suites;	/* ends with an entry without name */
};

/* defined by each test program */
extern const struct cunit_program cunit_program;
