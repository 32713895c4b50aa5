/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of certs/keyid.c: the key-id of every test PKI certificate equals
 * what gen-test-pki.sh computed with the openssl CLI, certificate and key
 * agree, and the hex form round-trips. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <osmocom/core/utils.h>

#include "certs/keyid.h"
#include "tests/certs/testpki.h"
#include "tests/cunit_main.h"

/* The value of NAME in pki.env (NAME='value'), or "" */
static const char *pki_env(const char *name)
{
	static char val[256];
	char line[4096];
	size_t n = strlen(name);
	FILE *f = fopen(testpki_path("pki.env"), "r");

	val[0] = '\0';
	if (!f)
		return val;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, name, n) && line[n] == '=' && line[n + 1] == '\'') {
			char *end = strchr(line + n + 2, '\'');

			if (end) {
				*end = '\0';
				snprintf(val, sizeof(val), "%s", line + n + 2);
			}
			break;
		}
	}
	fclose(f);
	return val;
}

static const struct {
	const char *base;
	const char *env;
} certs[] = {
	{ "shaken/sp-a", "PKI_SHAKEN_SP_A_KEYID" },
	{ "shaken/sp-b", "PKI_SHAKEN_SP_B_KEYID" },
	{ "shaken/delegate", "PKI_SHAKEN_DELEGATE_KEYID" },
	{ "shaken/sti-ca", "PKI_SHAKEN_STI_CA_KEYID" },
	{ "tsca/op1-full", "PKI_TSCA_OP1_FULL_KEYID" },
	{ "tsca/op2-full", "PKI_TSCA_OP2_FULL_KEYID" },
};

static void test_keyid_pki(void)
{
	uint8_t a[KEYID_LEN], b[KEYID_LEN], c[KEYID_LEN];
	char hex[KEYID_HEX_LEN], rel[256];
	size_t i;

	CU_ASSERT_FATAL(testpki_dir() != NULL);
	for (i = 0; i < ARRAY_SIZE(certs); i++) {
		X509 *x;
		EVP_PKEY *k;

		snprintf(rel, sizeof(rel), "%s.pem", certs[i].base);
		x = testpki_cert(rel);
		snprintf(rel, sizeof(rel), "%s.key", certs[i].base);
		k = testpki_key(rel);
		CU_ASSERT_FATAL(x && k);
		CU_ASSERT_EQUAL(keyid_from_x509(a, x), 0);
		CU_ASSERT_EQUAL(keyid_from_pkey(b, k), 0);
		CU_ASSERT(!memcmp(a, b, KEYID_LEN));
		CU_ASSERT_EQUAL(keyid_to_hex(hex, sizeof(hex), a), 0);
		CU_ASSERT_STRING_EQUAL(hex, pki_env(certs[i].env));
		CU_ASSERT_EQUAL(keyid_from_hex(c, hex), 0);
		CU_ASSERT(!memcmp(a, c, KEYID_LEN));
		X509_free(x);
		EVP_PKEY_free(k);
	}
	/* different keys, different ids */
	X509 *xa = testpki_cert("shaken/sp-a.pem"), *xb = testpki_cert("shaken/sp-b.pem");
	CU_ASSERT_FATAL(xa && xb);
	keyid_from_x509(a, xa);
	keyid_from_x509(b, xb);
	CU_ASSERT(memcmp(a, b, KEYID_LEN) != 0);
	X509_free(xa);
	X509_free(xb);
}

static void test_keyid_hex(void)
{
	static const uint8_t id[KEYID_LEN] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff };
	uint8_t out[KEYID_LEN];
	char hex[KEYID_HEX_LEN];

	CU_ASSERT_EQUAL(keyid_to_hex(hex, sizeof(hex), id), 0);
	CU_ASSERT_STRING_EQUAL(hex, "00017f80abcdefff");
	CU_ASSERT_EQUAL(keyid_to_hex(hex, sizeof(hex) - 1, id), -ENOSPC);
	CU_ASSERT_EQUAL(keyid_from_hex(out, "00017F80ABCDEFFF"), 0);
	CU_ASSERT(!memcmp(out, id, KEYID_LEN));
	CU_ASSERT_EQUAL(keyid_from_hex(out, "00017f80abcdeff"), -EINVAL);
	CU_ASSERT_EQUAL(keyid_from_hex(out, "00017f80abcdefff0"), -EINVAL);
	CU_ASSERT_EQUAL(keyid_from_hex(out, "00017f80abcdefgf"), -EINVAL);
	CU_ASSERT_EQUAL(keyid_from_hex(out, ""), -EINVAL);
}

static unsigned int teardown(void)
{
	testpki_cleanup();
	return 0;
}

static const struct cunit_test tests[] = {
	{ "pki", test_keyid_pki },
	{ "hex", test_keyid_hex },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "keyid", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "keyid_test",
	.log = CUNIT_LOG_SILENT,
	.teardown = teardown,
	.suites = suites,
};
