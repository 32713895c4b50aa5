/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of sip/divert.c: Diversion (RFC 5806) and History-Info
 * (RFC 7044, RFC 4458) as ISUP redirection (Q.763 §3.38, §3.44, §3.45). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <osmocom/core/utils.h>

#include "sip/divert.h"
#include "tests/cunit_main.h"

static int div_parse(struct sip_divert *d, const char *s)
{
	/* an exact-size copy, so that ASAN sees a read past the end */
	size_t n = strlen(s);
	char *cut = malloc(n ? n : 1);
	int rc;

	memcpy(cut, s, n);
	rc = sip_diversion_parse(d, cut, n);
	free(cut);
	return rc;
}

static int hi_parse(struct sip_divert *d, const char *s)
{
	size_t n = strlen(s);
	char *cut = malloc(n ? n : 1);
	int rc;

	memcpy(cut, s, n);
	rc = sip_history_info_parse(d, cut, n);
	free(cut);
	return rc;
}

static void test_diversion(void)
{
	struct sip_divert d;

	/* one diversion: OCN and RDN are the same number */
	memset(&d, 0, sizeof(d));
	CU_ASSERT_EQUAL(div_parse(&d, "<sip:+4930111@gw.example;user=phone>;reason=user-busy;counter=1"), 0);
	CU_ASSERT(d.present);
	CU_ASSERT_STRING_EQUAL(d.orig_called, "4930111");
	CU_ASSERT_STRING_EQUAL(d.redirecting, "4930111");
	CU_ASSERT_EQUAL(d.reason, SIP_DIVERT_USER_BUSY);
	CU_ASSERT_EQUAL(d.orig_reason, SIP_DIVERT_USER_BUSY);
	CU_ASSERT_EQUAL(d.counter, 1);
	CU_ASSERT(!d.restricted);

	/* two in one header, latest first; display name, quoted reason,
	 * privacy, white space, unknown parameter */
	memset(&d, 0, sizeof(d));
	CU_ASSERT_EQUAL(div_parse(&d, "\"Office\" <tel:+4930222> ; reason=\"no-answer\";privacy=full ;x-foo,"
				       " <tel:+4930111>;reason=unconditional;counter=2"), 0);
	CU_ASSERT_STRING_EQUAL(d.redirecting, "4930222");
	CU_ASSERT_EQUAL(d.reason, SIP_DIVERT_NO_REPLY);
	CU_ASSERT_STRING_EQUAL(d.orig_called, "4930111");
	CU_ASSERT_EQUAL(d.orig_reason, SIP_DIVERT_UNCONDITIONAL);
	CU_ASSERT_EQUAL(d.counter, 3);
	CU_ASSERT(d.restricted);

	/* a second Diversion header holds older diversions */
	CU_ASSERT_EQUAL(div_parse(&d, "<tel:+4930000>;reason=deflection;counter=9"), 0);
	CU_ASSERT_STRING_EQUAL(d.orig_called, "4930000");
	CU_ASSERT_EQUAL(d.orig_reason, SIP_DIVERT_DEFLECT_IMMEDIATE);
	CU_ASSERT_STRING_EQUAL(d.redirecting, "4930222");
	CU_ASSERT_EQUAL(d.counter, SIP_DIVERT_COUNTER_MAX);

	/* malformed: each is an error, nothing crashes */
	{
		static const char *const bad[] = {
			"",
			"sip:+4930111@gw.example",			/* not a name-addr */
			"<sip:+4930111@gw.example",			/* no '>' */
			"<>",
			"<sip:alice@gw.example>;reason=user-busy",	/* no number */
			"<tel:+4930111>;counter=0",
			"<tel:+4930111>;counter=100",
			"<tel:+4930111>;counter=",
			"<tel:+4930111>;reason=\"user-busy",
			"<tel:+4930111> junk",
			"<tel:+4930111>,",
			"<tel:+4930111>;=x",
			"<tel:+49 30111>",
		};
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			memset(&d, 0, sizeof(d));
			if (div_parse(&d, bad[i]) != -EBADMSG)
				fprintf(stderr, "accepted: %s\n", bad[i]);
			CU_ASSERT_EQUAL(div_parse(&d, bad[i]), -EBADMSG);
		}
	}
}

static void test_history_info(void)
{
	struct sip_divert d;

	/* RFC 7044 §A-like flow: 1 called, busy (486), forwarded to 1.1 */
	CU_ASSERT_EQUAL(hi_parse(&d, "<sip:+4930111@gw.example;user=phone>;index=1,"
				     "<sip:+4930222@gw.example;user=phone;cause=486>;index=1.1;mp=1"), 0);
	CU_ASSERT(d.present);
	CU_ASSERT_STRING_EQUAL(d.orig_called, "4930111");
	CU_ASSERT_STRING_EQUAL(d.redirecting, "4930111");
	CU_ASSERT_EQUAL(d.reason, SIP_DIVERT_USER_BUSY);
	CU_ASSERT_EQUAL(d.counter, 1);

	/* two diversions; a Reason in the URI headers; an rc entry that is not
	 * a diversion */
	CU_ASSERT_EQUAL(hi_parse(&d, "<sip:+4930111@a.example;user=phone?Reason=SIP%3Bcause%3D302>;index=1,"
				     "<sip:+4930222@b.example;cause=302;user=phone>;index=1.1;mp=1,"
				     "<sip:+4930222@c.example>;index=1.1.1;rc=1.1,"
				     "<sip:+4930333@d.example;cause=408>;index=1.1.1.1;mp=1.1.1"), 0);
	CU_ASSERT_STRING_EQUAL(d.orig_called, "4930111");
	CU_ASSERT_EQUAL(d.orig_reason, SIP_DIVERT_UNCONDITIONAL);
	CU_ASSERT_STRING_EQUAL(d.redirecting, "4930222");
	CU_ASSERT_EQUAL(d.reason, SIP_DIVERT_NO_REPLY);
	CU_ASSERT_EQUAL(d.counter, 2);

	/* retargeting without a cause is no diversion */
	CU_ASSERT_EQUAL(hi_parse(&d, "<sip:+4930111@a.example>;index=1,<sip:+4930222@b.example>;index=1.1;rc=1"), 0);
	CU_ASSERT(!d.present);

	{
		static const char *const bad[] = {
			"<sip:+4930111@a.example>",				/* no index */
			"<sip:+4930222@b.example;cause=486>;index=1",		/* nothing before */
			"<sip:+4930111@a.example>;index=1,<sip:+4930222@b.example;cause=999>;index=1.1",
			"<sip:+4930111@a.example>;index=1,<sip:+4930222@b.example;cause=4x6>;index=1.1",
			"<sip:+4930111@a.example>;index=1,<sip:+4930222@b.example;cause=486>;index=1.1;mp=2",
			"<sip:bob@a.example>;index=1,<sip:+4930222@b.example;cause=486>;index=1.1;mp=1",
		};
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			if (hi_parse(&d, bad[i]) != -EBADMSG)
				fprintf(stderr, "accepted: %s\n", bad[i]);
			CU_ASSERT_EQUAL(hi_parse(&d, bad[i]), -EBADMSG);
		}
	}
}

/* every prefix of valid values parses or fails cleanly (ASAN checks reads) */
static void test_truncation(void)
{
	static const char *const in[] = {
		"\"Office\" <tel:+4930222>;reason=\"no-answer\";privacy=full,<tel:+4930111>;counter=2",
		"<sip:+4930111@a.example?Reason=SIP%3Bcause%3D302>;index=1,"
		"<sip:+4930222@b.example;cause=302>;index=1.1;mp=1",
	};
	unsigned int i;
	size_t n;

	for (i = 0; i < ARRAY_SIZE(in); i++) {
		for (n = 0; n < strlen(in[i]); n++) {
			struct sip_divert d;
			char *cut = malloc(n ? n : 1);

			memcpy(cut, in[i], n);
			memset(&d, 0, sizeof(d));
			(void)sip_diversion_parse(&d, cut, n);
			CU_ASSERT(!d.present || (strlen(d.redirecting) && strlen(d.orig_called)));
			(void)sip_history_info_parse(&d, cut, n);
			CU_ASSERT(!d.present || (strlen(d.redirecting) && strlen(d.orig_called)));
			free(cut);
		}
	}
	/* a value over the cap is refused before it is read */
	{
		char *big = malloc(SIP_DIVERT_HDR_MAX + 1);
		struct sip_divert d;

		memset(big, ' ', SIP_DIVERT_HDR_MAX + 1);
		memset(&d, 0, sizeof(d));
		CU_ASSERT_EQUAL(sip_diversion_parse(&d, big, SIP_DIVERT_HDR_MAX + 1), -EBADMSG);
		free(big);
	}
}

/* what we write, we read back to the same history */
static void test_format(void)
{
	struct sip_divert d = {
		.present = true, .orig_called = "4930111", .redirecting = "4930222",
		.orig_reason = SIP_DIVERT_USER_BUSY, .reason = SIP_DIVERT_NO_REPLY, .counter = 3,
	};
	struct sip_divert back;
	char buf[512];
	int n;

	n = sip_diversion_format(buf, sizeof(buf), &d);
	CU_ASSERT(n > 0);
	CU_ASSERT_STRING_EQUAL(buf, "<tel:+4930222>;reason=no-answer;counter=2;privacy=off,"
				    "<tel:+4930111>;reason=user-busy;counter=1;privacy=off");
	memset(&back, 0, sizeof(back));
	CU_ASSERT_EQUAL(sip_diversion_parse(&back, buf, n), 0);
	CU_ASSERT_EQUAL(memcmp(&back, &d, sizeof(d)), 0);

	n = sip_history_info_format(buf, sizeof(buf), &d, "4930333", "isup.example");
	CU_ASSERT(n > 0);
	CU_ASSERT_EQUAL(sip_history_info_parse(&back, buf, n), 0);
	CU_ASSERT_STRING_EQUAL(back.orig_called, "4930111");
	CU_ASSERT_STRING_EQUAL(back.redirecting, "4930222");
	CU_ASSERT_EQUAL(back.orig_reason, SIP_DIVERT_USER_BUSY);
	CU_ASSERT_EQUAL(back.reason, SIP_DIVERT_NO_REPLY);
	CU_ASSERT_EQUAL(back.counter, 2);	/* History-Info shows the two numbers ISUP has */

	/* one diversion */
	d.counter = 1;
	osmo_strlcpy(d.redirecting, d.orig_called, sizeof(d.redirecting));
	d.reason = d.orig_reason;
	n = sip_diversion_format(buf, sizeof(buf), &d);
	CU_ASSERT_STRING_EQUAL(buf, "<tel:+4930111>;reason=user-busy;counter=1;privacy=off");

	/* too small, bad numbers, bad host */
	CU_ASSERT_EQUAL(sip_diversion_format(buf, 10, &d), -ENOSPC);
	CU_ASSERT_EQUAL(sip_history_info_format(buf, sizeof(buf), &d, "4930333", "a;b"), -EINVAL);
	CU_ASSERT_EQUAL(sip_history_info_format(buf, sizeof(buf), &d, "49x", "a.example"), -EINVAL);
	osmo_strlcpy(d.redirecting, "", sizeof(d.redirecting));
	CU_ASSERT_EQUAL(sip_diversion_format(buf, sizeof(buf), &d), -EINVAL);
	d.present = false;
	CU_ASSERT_EQUAL(sip_diversion_format(buf, sizeof(buf), &d), -EINVAL);

	/* RFC 4458 §3.4 */
	CU_ASSERT_EQUAL(sip_divert_reason_to_cause(SIP_DIVERT_NOT_REACHABLE), 503);
	CU_ASSERT_EQUAL(sip_divert_reason_from_cause(487), SIP_DIVERT_DEFLECT_ALERTING);
	CU_ASSERT_EQUAL(sip_divert_reason_from_cause(200), -EINVAL);
}

static const struct cunit_test tests[] = {
	{ "Diversion, RFC 5806", test_diversion },
	{ "History-Info, RFC 7044 and RFC 4458", test_history_info },
	{ "every prefix fails cleanly", test_truncation },
	{ "format and parse back", test_format },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "divert", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "divert_test",
	.log = CUNIT_LOG_FATAL,
	.suites = suites,
};
