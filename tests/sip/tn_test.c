/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of sip/tn.c: RFC 8224 §8.3 canonicalisation. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <osmocom/core/utils.h>

#include "sip/tn.h"
#include "tests/cunit_main.h"

struct tn_vec {
	const char *in;
	int rc;			/* digit count or -errno */
	const char *out;
};

static const struct tn_vec tn_vecs[] = {
	/* plain numbers */
	{ "12025550100", 11, "12025550100" },
	{ "+12025550100", 11, "12025550100" },
	{ "+1 (202) 555-0100", 11, "12025550100" },
	{ "  +1.202.555.0100  ", 11, "12025550100" },
	{ "2025550100", 10, "2025550100" },
	/* tel URIs, RFC 3966 */
	{ "tel:+1-202-555-0100", 11, "12025550100" },
	{ "TEL:+1-202-555-0100", 11, "12025550100" },
	{ "tel:+1-202-555-0100;ext=1234", 11, "12025550100" },
	{ "tel:+1-202-555-0100;isub=12345;isub-encoding=nsap-ia5", 11, "12025550100" },
	{ "tel:+1-202-555-0100;npdi;rn=+1-202-555-9999", 11, "12025550100" },
	{ "tel:+1-202-555-0100;cic=+1-5678", 11, "12025550100" },
	{ "tel:+1-202-555-0100;tgrp=TG-1;trunk-context=example.com", 11, "12025550100" },
	{ "tel:555-0100;phone-context=+1-202", 11, "12025550100" },
	{ "tel:5550100;ext=7;phone-context=+1202", 11, "12025550100" },
	{ "tel:5550100;phone-context=example.com", 7, "5550100" },
	{ "tel:+44(20)79460000", 12, "442079460000" },
	/* SIP URIs */
	{ "sip:+12025550100@example.com;user=phone", 11, "12025550100" },
	{ "sips:+1-202-555-0100;npdi@example.com;user=phone", 11, "12025550100" },
	{ "sip:+12025550100@example.com", 11, "12025550100" },
	{ "sip:12025550100@192.0.2.1:5060;transport=udp", 11, "12025550100" },
	{ "sip:555-0100;phone-context=+1-202@example.com;user=phone", 11, "12025550100" },
	{ "sip:+12025550100:secret@example.com", 11, "12025550100" },
	{ "sip:+12025550100@[2001:db8::1];user=phone?Subject=x", 11, "12025550100" },
	/* name-addr */
	{ "<tel:+12025550100>", 11, "12025550100" },
	{ "\"Alice <home>\" <sip:+12025550100@example.com;user=phone>;tag=abc", 11,
	  "12025550100" },
	{ "Alice <sip:+12025550100@example.com>", 11, "12025550100" },
	/* lengths: 15 digits E.164, 20 national */
	{ "+123456789012345", 15, "123456789012345" },
	{ "+1234567890123456", -EINVAL, "" },
	{ "12345678901234567890", 20, "12345678901234567890" },
	{ "123456789012345678901", -EINVAL, "" },
	{ "tel:12345678901;phone-context=+12345", -EINVAL, "" },
	/* rejected */
	{ "", -EINVAL, "" },
	{ "   ", -EINVAL, "" },
	{ "+", -EINVAL, "" },
	{ "tel:", -EINVAL, "" },
	{ "tel:+", -EINVAL, "" },
	{ "tel:+1-202-ABC-0100", -EINVAL, "" },
	{ "tel:5550100", -EINVAL, "" },			/* local without context */
	{ "tel:555ab00;phone-context=+1", -EINVAL, "" },	/* hex digits */
	{ "tel:*21#;phone-context=+1", -EINVAL, "" },
	{ "tel:5550100;phone-context=+1;phone-context=+2", -EINVAL, "" },
	{ "tel:5550100;phone-context=", -EINVAL, "" },
	{ "tel:+12025550100;;x", -EINVAL, "" },
	{ "sip:alice@example.com", -EINVAL, "" },
	{ "sip:alice@example.com;user=phone", -EINVAL, "" },
	{ "sip:+1-202-555-0100@example.com", -EINVAL, "" },	/* separators need user=phone */
	{ "sip:%2B12025550100@example.com", -EINVAL, "" },
	{ "sip:example.com", -EINVAL, "" },
	{ "sip:@example.com", -EINVAL, "" },
	{ "mailto:+12025550100", -EINVAL, "" },
	{ "<tel:+12025550100", -EINVAL, "" },
	{ "\"Alice <tel:+12025550100>", -EINVAL, "" },
	{ "<tel:+12025550100> junk", -EINVAL, "" },
	{ "1 800 FLOWERS", -EINVAL, "" },
};

static void test_tn_table(void)
{
	char out[STIWF_TN_MAX + 1];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tn_vecs); i++) {
		const struct tn_vec *v = &tn_vecs[i];
		int rc = stiwf_tn_normalize(v->in, strlen(v->in), out, sizeof(out));

		if (rc != v->rc || strcmp(out, v->out) != 0)
			fprintf(stderr, "tn vector %zu '%s': rc %d out '%s', expected %d '%s'\n",
				i, v->in, rc, out, v->rc, v->out);
		CU_ASSERT_EQUAL(rc, v->rc);
		CU_ASSERT_STRING_EQUAL(out, v->out);
	}
}

static void test_tn_outlen(void)
{
	char out[12];

	/* 11 digits need 12 octets with the NUL */
	CU_ASSERT_EQUAL(stiwf_tn_normalize("+12025550100", 12, out, 11), -ENOSPC);
	CU_ASSERT_EQUAL(stiwf_tn_normalize("+12025550100", 12, out, 12), 11);
	CU_ASSERT_STRING_EQUAL(out, "12025550100");
	/* the length bounds the read: no NUL needed, none read past */
	CU_ASSERT_EQUAL(stiwf_tn_normalize("+120255501009999", 12, out, sizeof(out)), 11);
	/* an embedded NUL is not a number */
	CU_ASSERT_EQUAL(stiwf_tn_normalize("+1202\0" "5550100", 12, out, sizeof(out)), -EINVAL);
	CU_ASSERT_EQUAL(stiwf_tn_normalize(NULL, 0, out, sizeof(out)), -EINVAL);
}

/* A result must be rc digits and nothing else. */
static void check_result(int rc, const char *out)
{
	if (rc < 0) {
		CU_ASSERT(rc == -EINVAL || rc == -ENOSPC);
		CU_ASSERT_EQUAL(out[0], '\0');
		return;
	}
	CU_ASSERT(rc > 0 && rc <= STIWF_TN_MAX);
	CU_ASSERT_EQUAL(strlen(out), (size_t)rc);
	CU_ASSERT_EQUAL(strspn(out, "0123456789"), (size_t)rc);
}

/* Every prefix of every vector, in an exact-size heap copy so that a read
 * past the end shows under ASAN/valgrind. */
static void test_tn_truncation(void)
{
	char out[STIWF_TN_MAX + 1];
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(tn_vecs); i++) {
		size_t len = strlen(tn_vecs[i].in);

		for (n = 0; n < len; n++) {
			char *copy = malloc(n ? n : 1);
			int rc;

			CU_ASSERT_FATAL(copy != NULL);
			memcpy(copy, tn_vecs[i].in, n);
			rc = stiwf_tn_normalize(copy, n, out, sizeof(out));
			check_result(rc, out);
			free(copy);
		}
	}
}

static void test_tn_bitflip(void)
{
	char out[STIWF_TN_MAX + 1];
	size_t i, n;
	unsigned int bit;

	for (i = 0; i < ARRAY_SIZE(tn_vecs); i++) {
		size_t len = strlen(tn_vecs[i].in);
		char *copy;

		if (len == 0)
			continue;
		copy = malloc(len);
		CU_ASSERT_FATAL(copy != NULL);
		for (n = 0; n < len; n++) {
			for (bit = 0; bit < 8; bit++) {
				int rc;

				memcpy(copy, tn_vecs[i].in, len);
				copy[n] ^= (char)(1u << bit);
				rc = stiwf_tn_normalize(copy, len, out, sizeof(out));
				check_result(rc, out);
			}
		}
		free(copy);
	}
}

static const struct cunit_test tests[] = {
	{ "table of RFC 8224 §8.3 vectors", test_tn_table },
	{ "output and input bounds", test_tn_outlen },
	{ "every prefix fails cleanly or yields digits", test_tn_truncation },
	{ "every bit flip fails cleanly or yields digits", test_tn_bitflip },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "tn", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "tn_test",
	.log = CUNIT_LOG_FATAL,
	.suites = suites,
};
