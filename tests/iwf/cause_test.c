/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SIP <-> ISUP cause mapping: the RFC 3398 rows a carrier relies on, the
 * class fallbacks, and per-peer overrides. */

#include <errno.h>
#include <string.h>

#include <CUnit/Basic.h>

#include <osmocom/core/utils.h>

#include "iwf/cause.h"
#include "tests/cunit_main.h"

static const struct {
	int sip;
	int cause;
} sip_rows[] = {
	{ 400, 41 }, { 403, 21 }, { 404, 1 }, { 408, 102 }, { 410, 22 }, { 480, 18 },
	{ 484, 28 }, { 486, 17 }, { 500, 41 }, { 502, 38 }, { 503, 41 }, { 504, 102 },
	{ 600, 17 }, { 603, 21 }, { 604, 1 }, { 606, 58 },
	/* STIR rejections (RFC 8224) are call rejections */
	{ 428, 21 }, { 436, 21 }, { 437, 21 }, { 438, 21 },
	/* no row: class fallback */
	{ 499, 127 }, { 599, 41 }, { 699, 21 },
};

static const struct {
	int cause;
	int sip;
} cause_rows[] = {
	{ 1, 404 }, { 3, 404 }, { 17, 486 }, { 18, 408 }, { 19, 480 }, { 20, 480 },
	{ 21, 403 }, { 22, 410 }, { 27, 502 }, { 28, 484 }, { 34, 503 }, { 38, 503 },
	{ 41, 503 }, { 42, 503 }, { 47, 503 }, { 58, 503 }, { 65, 488 }, { 79, 501 },
	{ 88, 503 }, { 102, 504 }, { 111, 500 }, { 127, 500 },
	/* no row: Q.850 class */
	{ 16, 480 }, { 44, 503 }, { 50, 503 }, { 66, 501 }, { 95, 400 }, { 100, 500 }, { 120, 500 },
};

static void test_sip_to_isup_defaults(void)
{
	size_t i;

	for (i = 0; i < sizeof(sip_rows) / sizeof(sip_rows[0]); i++) {
		int got = iwf_cause_from_sip(NULL, sip_rows[i].sip);

		if (got != sip_rows[i].cause)
			fprintf(stderr, "\n  SIP %d -> cause %d, want %d", sip_rows[i].sip, got, sip_rows[i].cause);
		CU_ASSERT_EQUAL(got, sip_rows[i].cause);
	}
}

static void test_isup_to_sip_defaults(void)
{
	size_t i;

	for (i = 0; i < sizeof(cause_rows) / sizeof(cause_rows[0]); i++) {
		int got = iwf_sip_from_cause(NULL, cause_rows[i].cause);

		if (got != cause_rows[i].sip)
			fprintf(stderr, "\n  cause %d -> SIP %d, want %d", cause_rows[i].cause, got, cause_rows[i].sip);
		CU_ASSERT_EQUAL(got, cause_rows[i].sip);
	}
}

static void test_busy_round_trip(void)
{
	/* the case every carrier tests first: busy both ways */
	CU_ASSERT_EQUAL(iwf_sip_from_cause(NULL, iwf_cause_from_sip(NULL, 486)), 486);
	CU_ASSERT_EQUAL(iwf_cause_from_sip(NULL, iwf_sip_from_cause(NULL, 17)), 17);
}

static void test_overrides(void)
{
	struct iwf_cause_map map;
	unsigned int i;

	memset(&map, 0, sizeof(map));
	/* Q.1912.5 variants some peers want */
	CU_ASSERT_EQUAL(iwf_cause_map_set_isup_to_sip(&map, 20, 410), 0);
	CU_ASSERT_EQUAL(iwf_cause_map_set_sip_to_isup(&map, 603, 17), 0);
	CU_ASSERT_EQUAL(iwf_sip_from_cause(&map, 20), 410);
	CU_ASSERT_EQUAL(iwf_cause_from_sip(&map, 603), 17);
	/* others keep the defaults */
	CU_ASSERT_EQUAL(iwf_sip_from_cause(&map, 17), 486);
	CU_ASSERT_EQUAL(iwf_cause_from_sip(&map, 486), 17);
	/* replacing keeps one entry */
	CU_ASSERT_EQUAL(iwf_cause_map_set_isup_to_sip(&map, 20, 480), 0);
	CU_ASSERT_EQUAL(map.n_isup_to_sip, 1);
	CU_ASSERT_EQUAL(iwf_sip_from_cause(&map, 20), 480);
	/* bad values */
	CU_ASSERT_EQUAL(iwf_cause_map_set_isup_to_sip(&map, 0, 480), -EINVAL);
	CU_ASSERT_EQUAL(iwf_cause_map_set_isup_to_sip(&map, 128, 480), -EINVAL);
	CU_ASSERT_EQUAL(iwf_cause_map_set_isup_to_sip(&map, 20, 200), -EINVAL);
	CU_ASSERT_EQUAL(iwf_cause_map_set_sip_to_isup(&map, 700, 17), -EINVAL);
	/* a full table says so */
	for (i = 0; i < IWF_CAUSE_MAP_MAX_OVERRIDES - 1; i++)
		CU_ASSERT_EQUAL(iwf_cause_map_set_sip_to_isup(&map, 400 + i, 31), 0);
	CU_ASSERT_EQUAL(iwf_cause_map_set_sip_to_isup(&map, 499, 31), -ENOSPC);
}

/* The causes after which an exchange may route the same IAM again, and
 * so a HOP is forgotten: Q.850 class 010, the route's resources */
static void test_reroutable(void)
{
	static const uint8_t yes[] = { 34, 38, 41, 42, 44, 47 };
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(yes); i++)
		CU_ASSERT(iwf_cause_reroutable(yes[i]));
	for (i = 0; i < 256; i++)
		n += iwf_cause_reroutable((uint8_t)i);
	CU_ASSERT_EQUAL(n, ARRAY_SIZE(yes));
	CU_ASSERT_FALSE(iwf_cause_reroutable(16));
	CU_ASSERT_FALSE(iwf_cause_reroutable(17));
	CU_ASSERT_FALSE(iwf_cause_reroutable(21));
	CU_ASSERT_FALSE(iwf_cause_reroutable(102));
}

static void test_phrases(void)
{
	CU_ASSERT_STRING_EQUAL(iwf_sip_reason_phrase(486), "Busy Here");
	CU_ASSERT_STRING_EQUAL(iwf_sip_reason_phrase(438), "Invalid Identity Header");
	CU_ASSERT_STRING_EQUAL(iwf_sip_reason_phrase(437), "Unsupported Credential");
	CU_ASSERT_STRING_EQUAL(iwf_sip_reason_phrase(436), "Bad Identity Info");
	CU_ASSERT_STRING_EQUAL(iwf_sip_reason_phrase(428), "Use Identity Header");
	CU_ASSERT_STRING_EQUAL(iwf_sip_reason_phrase(299), "Unknown");
}

static const struct cunit_test tests[] = {
	{ "SIP -> ISUP defaults (RFC 3398 7.2.4.1)", test_sip_to_isup_defaults },
	{ "ISUP -> SIP defaults (RFC 3398 8.2.6.1)", test_isup_to_sip_defaults },
	{ "busy round trip", test_busy_round_trip },
	{ "per-peer overrides", test_overrides },
	{ "reason phrases", test_phrases },
	{ "causes that let the exchange route again", test_reroutable },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "cause", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "cause_test",
	.log = CUNIT_LOG_SILENT,
	.suites = suites,
};
