/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of certs/profile.c: the test PKI's SP certificates pass every
 * ATIS-1000080 check; certificates crafted here each break exactly one
 * check, and only that one fails. */

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <CUnit/Basic.h>
#include <openssl/conf.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/utils.h>

#include "certs/profile.h"
#include "src/core/logging.h"
#include "tests/certs/testpki.h"
#include "tests/cunit_main.h"

#define SHAKEN_CP "2.16.840.1.114569.1.1.3"
#define TNAUTH_SPC_1234 "DER:30:08:A0:06:16:04:31:32:33:34"

struct ext_spec {
	const char *name;
	const char *value;
};

struct craft {
	const char *name;
	int fail;		/* the one check that must fail, or -1 */
	const char *curve;	/* NULL: P-256 */
	const EVP_MD *(*md)(void);	/* NULL: SHA-256 */
	long nb_offset, na_offset;	/* seconds from now */
	struct ext_spec ext[6];
};

#define GOOD_KU { "keyUsage", "critical,digitalSignature" }
#define GOOD_BC { "basicConstraints", "critical,CA:FALSE" }
#define GOOD_CP { "certificatePolicies", SHAKEN_CP }
#define GOOD_TN { "1.3.6.1.5.5.7.1.26", TNAUTH_SPC_1234 }
#define DAY 86400L

static const struct craft crafts[] = {
	{ "good", -1, NULL, NULL, -DAY, DAY, { GOOD_KU, GOOD_BC, GOOD_CP, GOOD_TN } },
	{ "p384-key", PROFILE_CHK_KEY_P256, "P-384", NULL, -DAY, DAY, { GOOD_KU, GOOD_BC, GOOD_CP, GOOD_TN } },
	{ "secp256k1-key", PROFILE_CHK_KEY_P256, "secp256k1", NULL, -DAY, DAY,
	  { GOOD_KU, GOOD_BC, GOOD_CP, GOOD_TN } },
	{ "sha384-sig", PROFILE_CHK_SIG_ES256, NULL, EVP_sha384, -DAY, DAY, { GOOD_KU, GOOD_BC, GOOD_CP, GOOD_TN } },
	{ "ku-not-critical", PROFILE_CHK_KEY_USAGE, NULL, NULL, -DAY, DAY,
	  { { "keyUsage", "digitalSignature" }, GOOD_BC, GOOD_CP, GOOD_TN } },
	{ "ku-keycertsign", PROFILE_CHK_KEY_USAGE, NULL, NULL, -DAY, DAY,
	  { { "keyUsage", "critical,digitalSignature,keyCertSign" }, GOOD_BC, GOOD_CP, GOOD_TN } },
	{ "ku-nonrepudiation-only", PROFILE_CHK_KEY_USAGE, NULL, NULL, -DAY, DAY,
	  { { "keyUsage", "critical,nonRepudiation" }, GOOD_BC, GOOD_CP, GOOD_TN } },
	{ "ku-decipheronly", PROFILE_CHK_KEY_USAGE, NULL, NULL, -DAY, DAY,
	  { { "keyUsage", "critical,digitalSignature,decipherOnly" }, GOOD_BC, GOOD_CP, GOOD_TN } },
	{ "ku-absent", PROFILE_CHK_KEY_USAGE, NULL, NULL, -DAY, DAY, { GOOD_BC, GOOD_CP, GOOD_TN } },
	{ "bc-not-critical", PROFILE_CHK_BASIC_CONSTRAINTS, NULL, NULL, -DAY, DAY,
	  { GOOD_KU, { "basicConstraints", "CA:FALSE" }, GOOD_CP, GOOD_TN } },
	{ "bc-ca-true", PROFILE_CHK_BASIC_CONSTRAINTS, NULL, NULL, -DAY, DAY,
	  { GOOD_KU, { "basicConstraints", "critical,CA:TRUE" }, GOOD_CP, GOOD_TN } },
	{ "bc-absent", PROFILE_CHK_BASIC_CONSTRAINTS, NULL, NULL, -DAY, DAY, { GOOD_KU, GOOD_CP, GOOD_TN } },
	{ "no-policy", PROFILE_CHK_ONE_POLICY, NULL, NULL, -DAY, DAY, { GOOD_KU, GOOD_BC, GOOD_TN } },
	{ "two-policies", PROFILE_CHK_ONE_POLICY, NULL, NULL, -DAY, DAY,
	  { GOOD_KU, GOOD_BC, { "certificatePolicies", SHAKEN_CP ",2.16.840.1.114569.1.1.4" }, GOOD_TN } },
	{ "no-tnauthlist", PROFILE_CHK_TNAUTHLIST, NULL, NULL, -DAY, DAY, { GOOD_KU, GOOD_BC, GOOD_CP } },
	{ "bad-tnauthlist", PROFILE_CHK_TNAUTHLIST, NULL, NULL, -DAY, DAY,
	  { GOOD_KU, GOOD_BC, GOOD_CP, { "1.3.6.1.5.5.7.1.26", "DER:30:00" } } },
	{ "implicit-tnauthlist", PROFILE_CHK_TNAUTHLIST, NULL, NULL, -DAY, DAY,
	  { GOOD_KU, GOOD_BC, GOOD_CP, { "1.3.6.1.5.5.7.1.26", "DER:30:06:80:04:31:32:33:34" } } },
	{ "not-yet-valid", PROFILE_CHK_NOT_BEFORE, NULL, NULL, DAY, 2 * DAY, { GOOD_KU, GOOD_BC, GOOD_CP, GOOD_TN } },
	{ "expired", PROFILE_CHK_NOT_AFTER, NULL, NULL, -2 * DAY, -DAY, { GOOD_KU, GOOD_BC, GOOD_CP, GOOD_TN } },
};

static EVP_PKEY *ec_key(const char *curve)
{
	return EVP_EC_gen(curve ? curve : "P-256");
}

/* A self-signed certificate as the craft says (the profile checks look at
 * the leaf alone; chains are the verifier's business). */
static X509 *craft_cert(const struct craft *c, time_t now)
{
	EVP_PKEY *key = ec_key(c->curve);
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	CONF *conf = NCONF_new(NULL);	/* certificatePolicies wants one, even empty */
	X509V3_CTX v3;
	size_t i;

	CU_ASSERT_FATAL(key && x && name && conf);
	X509_set_version(x, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 0x1234567);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"SHAKEN 1234", -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, name);
	X509_time_adj(X509_getm_notBefore(x), c->nb_offset, &now);
	X509_time_adj(X509_getm_notAfter(x), c->na_offset, &now);
	X509_set_pubkey(x, key);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	X509V3_set_nconf(&v3, conf);
	for (i = 0; i < ARRAY_SIZE(c->ext) && c->ext[i].name; i++) {
		X509_EXTENSION *e = X509V3_EXT_nconf(conf, &v3, c->ext[i].name, c->ext[i].value);

		CU_ASSERT_FATAL(e != NULL);
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
	}
	CU_ASSERT_FATAL(X509_sign(x, key, c->md ? c->md() : EVP_sha256()) > 0);
	X509_NAME_free(name);
	EVP_PKEY_free(key);
	NCONF_free(conf);
	return x;
}

static void print_result(const char *what, const struct profile_result *r)
{
	int i;

	printf("\n  %s:", what);
	for (i = 0; i < _NUM_PROFILE_CHK; i++)
		printf(" %s=%s(%s)", get_value_string(profile_check_names, i),
		       get_value_string(profile_verdict_names, r->verdict[i]), r->detail[i]);
}

static void test_crafted(void)
{
	time_t now = time(NULL);
	size_t i;
	int chk;

	for (i = 0; i < ARRAY_SIZE(crafts); i++) {
		const struct craft *c = &crafts[i];
		struct profile_result r;
		X509 *x = craft_cert(c, now);
		int failed = profile_check_leaf(&r, x, now), bad = 0;

		for (chk = 0; chk < _NUM_PROFILE_CHK; chk++) {
			enum profile_verdict want = chk == c->fail ? PROFILE_FAIL : PROFILE_PASS;

			if (r.verdict[chk] != want)
				bad++;
			CU_ASSERT(r.detail[chk][0] != '\0');
		}
		if (bad)
			print_result(c->name, &r);
		CU_ASSERT_EQUAL(bad, 0);
		CU_ASSERT_EQUAL(failed, c->fail < 0 ? 0 : 1);
		X509_free(x);
	}
}

/* The time given, not the clock, decides validity. */
static void test_time_argument(void)
{
	struct profile_result r;
	time_t now = time(NULL);
	X509 *x = craft_cert(&crafts[0], now);

	CU_ASSERT_EQUAL(profile_check_leaf(&r, x, now), 0);
	CU_ASSERT_EQUAL(profile_check_leaf(&r, x, now + 2 * DAY), 1);
	CU_ASSERT_EQUAL(r.verdict[PROFILE_CHK_NOT_AFTER], PROFILE_FAIL);
	CU_ASSERT_EQUAL(profile_check_leaf(&r, x, now - 2 * DAY), 1);
	CU_ASSERT_EQUAL(r.verdict[PROFILE_CHK_NOT_BEFORE], PROFILE_FAIL);
	X509_free(x);
}

struct pki_case {
	const char *file;
	unsigned int fails;	/* bit mask of checks that must fail */
};

#define F(c) (1u << (c))
static const struct pki_case pki_cases[] = {
	{ "shaken/sp-a.pem", 0 },
	{ "shaken/sp-b.pem", 0 },
	{ "shaken/sp-revoked.pem", 0 },		/* revocation is not a profile matter */
	{ "shaken/sp-untrusted.pem", 0 },	/* nor is trust */
	{ "shaken/delegate.pem", 0 },
	{ "shaken/sp-expired.pem", F(PROFILE_CHK_NOT_AFTER) },
	{ "shaken/sti-ca.pem", F(PROFILE_CHK_KEY_USAGE) | F(PROFILE_CHK_BASIC_CONSTRAINTS) |
			       F(PROFILE_CHK_TNAUTHLIST) },
	{ "shaken/sti-pa-root.pem", F(PROFILE_CHK_KEY_USAGE) | F(PROFILE_CHK_BASIC_CONSTRAINTS) |
				    F(PROFILE_CHK_ONE_POLICY) | F(PROFILE_CHK_TNAUTHLIST) },
	{ "tsca/op1-full.pem", 0 },
	{ "tsca/op1-prov.pem", F(PROFILE_CHK_TNAUTHLIST) },
};

static void test_pki(void)
{
	time_t now;
	size_t i;
	int chk;

	CU_ASSERT_FATAL(testpki_dir() != NULL);
	/* after generating: notBefore is the generation time */
	now = time(NULL);
	for (i = 0; i < ARRAY_SIZE(pki_cases); i++) {
		struct profile_result r;
		X509 *x = testpki_cert(pki_cases[i].file);
		unsigned int got = 0;

		CU_ASSERT_FATAL(x != NULL);
		profile_check_leaf(&r, x, now);
		for (chk = 0; chk < _NUM_PROFILE_CHK; chk++) {
			if (r.verdict[chk] == PROFILE_FAIL)
				got |= F(chk);
		}
		if (got != pki_cases[i].fails)
			print_result(pki_cases[i].file, &r);
		CU_ASSERT_EQUAL(got, pki_cases[i].fails);
		X509_free(x);
	}
}

static void test_tables(void)
{
	int chk;

	for (chk = 0; chk < _NUM_PROFILE_CHK; chk++) {
		CU_ASSERT(strncmp(get_value_string(profile_check_names, chk), "unknown", 7) != 0);
		CU_ASSERT(profile_check_descs[chk].desc != NULL);
		CU_ASSERT(profile_check_descs[chk].ref != NULL);
		CU_ASSERT_EQUAL(profile_check_descs[chk].sip_code, 437);
	}
}

static unsigned int teardown(void)
{
	testpki_cleanup();
	return 0;
}

static const struct cunit_test tests[] = {
	{ "crafted", test_crafted },
	{ "time_argument", test_time_argument },
	{ "pki", test_pki },
	{ "tables", test_tables },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "profile", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "profile_test",
	.log = CUNIT_LOG_SILENT,
	.teardown = teardown,
	.suites = suites,
};
