/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of certs/tnauthlist.c: hand-made DER vectors (RFC 8226 §9, explicit
 * tags), truncation and bit-flip loops, every certificate of the test PKI,
 * and tnauthlist_covers_tn() at its edges. */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/tnauthlist.h"
#include "src/core/logging.h"
#include "tests/certs/testpki.h"
#include "tests/cunit_main.h"

static void *ctx;

struct vector {
	const char *name;
	const char *hex;
	int rc;			/* 0: decodes (returns len); else the -errno */
	const char *entries;	/* entries joined by ',' */
};

static const struct vector vectors[] = {
	{ "spc", "3008a006160431323334", 0, "spc 1234" },
	{ "range_and_one", "3023a1123010160b3132303235353530313030020164a20d160b3132303235353539393939",
	  0, "range 12025550100+100,one 12025559999" },
	{ "two_spc", "3010a006160431323334a006160435363738", 0, "spc 1234,spc 5678" },
	{ "range_extension", "300ea10c300a16033132330201050500", 0, "range 123+5" },
	{ "count_128", "300ea10c300a16043130303002020080", 0, "range 1000+128" },
	{ "count_max64", "3012a110300e160131020900ffffffffffffffff", 0, "range 1+18446744073709551615" },
	{ "tn_hash_star", "3008a20616042a363723", 0, "one *67#" },
	{ "empty", "3000", -EBADMSG, NULL },
	{ "implicit_tags", "3006800431323334", -EBADMSG, NULL },
	{ "unknown_choice", "3008a306160431323334", -EBADMSG, NULL },
	{ "count_1", "300da10b3009160431303030020101", -EBADMSG, NULL },
	{ "count_negative", "300da10b30091604313030300201ff", -EBADMSG, NULL },
	{ "count_nonminimal", "300ea10c300a16043130303002020005", -EBADMSG, NULL },
	{ "count_65bits", "3015a11330111604313030300209010000000000000000", -ERANGE, NULL },
	{ "tn_letter", "3007a2051603313261", -EBADMSG, NULL },
	{ "tn_16_digits", "3014a212161031323334353637383930313233343536", -EBADMSG, NULL },
	{ "tn_empty", "3004a2021600", -EBADMSG, NULL },
	{ "spc_control", "3008a006160431320734", -EBADMSG, NULL },
	{ "trailing", "3008a00616043132333400", -EBADMSG, NULL },
	{ "indefinite", "3080a0061604313233340000", -EBADMSG, NULL },
	{ "long_len_nonminimal", "308108a006160431323334", -EBADMSG, NULL },
	{ "spc_utf8", "3008a0060c0431323334", -EBADMSG, NULL },
	{ "spc_two_inner", "300ea00c160431323334160431323334", -EBADMSG, NULL },
	{ "range_no_count", "3009a10730051603313233", -EBADMSG, NULL },
	{ "not_sequence", "3108a006160431323334", -EBADMSG, NULL },
	{ "range_start_int", "300da10b300902010516043130303030", -EBADMSG, NULL },
	{ "high_tag_number", "3004bf1f0100", -EBADMSG, NULL },
	{ "empty_input", "", -EBADMSG, NULL },
};

/* Join the entries into buf. */
static void render(char *buf, size_t len, const struct tnauthlist *l)
{
	char one[128];
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < l->num_entries; i++) {
		tnauthlist_entry_to_str(one, sizeof(one), &l->entries[i]);
		if (i)
			strncat(buf, ",", len - strlen(buf) - 1);
		strncat(buf, one, len - strlen(buf) - 1);
	}
}

/* A decoded list must always look sane, whatever the input was. */
static void check_invariants(const struct tnauthlist *l)
{
	unsigned int i;

	CU_ASSERT_FATAL(l != NULL);
	CU_ASSERT(l->num_entries >= 1 && l->num_entries <= TNAUTH_MAX_ENTRIES);
	for (i = 0; i < l->num_entries; i++) {
		const struct tnauth_entry *e = &l->entries[i];
		size_t n = strnlen(e->str, sizeof(e->str));

		CU_ASSERT(n >= 1 && n < sizeof(e->str));
		switch (e->type) {
		case TNAUTH_ENTRY_SPC:
			CU_ASSERT(n <= TNAUTH_SPC_MAXLEN);
			break;
		case TNAUTH_ENTRY_RANGE:
			CU_ASSERT(e->count >= 2);
			/* fall through */
		case TNAUTH_ENTRY_ONE:
			CU_ASSERT(n <= TNAUTH_TN_MAXLEN);
			CU_ASSERT(strspn(e->str, "0123456789#*") == n);
			break;
		default:
			CU_FAIL("bad entry type");
		}
	}
}

/* Decode from an exact-size heap copy, so ASAN sees any overread. */
static int decode_exact(struct tnauthlist **out, const uint8_t *buf, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	int rc;

	CU_ASSERT_FATAL(copy != NULL);
	if (len)
		memcpy(copy, buf, len);
	rc = tnauthlist_decode(ctx, out, copy, len);
	free(copy);
	return rc;
}

static int vector_bytes(const struct vector *v, uint8_t *buf, size_t len)
{
	if (!v->hex[0])
		return 0;
	return osmo_hexparse(v->hex, buf, len);
}

static void test_vectors(void)
{
	uint8_t buf[256];
	char txt[512];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		const struct vector *v = &vectors[i];
		struct tnauthlist *l = NULL;
		int n = vector_bytes(v, buf, sizeof(buf)), rc;

		CU_ASSERT_FATAL(n >= 0);
		rc = decode_exact(&l, buf, n);
		if (v->rc == 0) {
			if (rc != n)
				printf("\n  vector %s: rc %d, want %d", v->name, rc, n);
			CU_ASSERT_EQUAL(rc, n);
			CU_ASSERT_FATAL(l != NULL);
			check_invariants(l);
			render(txt, sizeof(txt), l);
			if (strcmp(txt, v->entries))
				printf("\n  vector %s: got '%s', want '%s'", v->name, txt, v->entries);
			CU_ASSERT_STRING_EQUAL(txt, v->entries);
			talloc_free(l);
		} else {
			if (rc != v->rc)
				printf("\n  vector %s: rc %d, want %d", v->name, rc, v->rc);
			CU_ASSERT_EQUAL(rc, v->rc);
			CU_ASSERT(l == NULL);
		}
		/* nothing left behind on either path */
		CU_ASSERT_EQUAL(talloc_total_blocks(ctx), 1);
	}
}

/* Every proper prefix of a valid encoding is invalid. */
static void test_truncation(void)
{
	uint8_t buf[256];
	size_t i, cut;

	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		int n;

		if (vectors[i].rc != 0)
			continue;
		n = vector_bytes(&vectors[i], buf, sizeof(buf));
		for (cut = 0; cut < (size_t)n; cut++) {
			struct tnauthlist *l = NULL;
			int rc = decode_exact(&l, buf, cut);

			CU_ASSERT(rc < 0);
			CU_ASSERT(l == NULL);
		}
		CU_ASSERT_EQUAL(talloc_total_blocks(ctx), 1);
	}
}

/* Flipping any bit gives an error or a sane list, never a crash or leak. */
static void test_bitflip(void)
{
	uint8_t buf[256];
	size_t i, bit;
	unsigned int ok = 0, bad = 0;

	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		int n = vector_bytes(&vectors[i], buf, sizeof(buf));

		for (bit = 0; bit < (size_t)n * 8; bit++) {
			struct tnauthlist *l = NULL;
			int rc;

			buf[bit / 8] ^= 1 << (bit % 8);
			rc = decode_exact(&l, buf, n);
			if (rc >= 0) {
				CU_ASSERT_EQUAL(rc, n);
				check_invariants(l);
				/* answering questions on it is safe too */
				tnauthlist_covers_tn(l, "12025550150");
				talloc_free(l);
				ok++;
			} else {
				CU_ASSERT(l == NULL);
				bad++;
			}
			buf[bit / 8] ^= 1 << (bit % 8);
		}
	}
	CU_ASSERT(ok > 0 && bad > 0);
	CU_ASSERT_EQUAL(talloc_total_blocks(ctx), 1);
}

/* A list longer than TNAUTH_MAX_ENTRIES is refused before allocation. */
static void test_too_many(void)
{
	size_t n = TNAUTH_MAX_ENTRIES + 1, i, len = 4 + 8 * n;
	uint8_t *buf = malloc(len);
	struct tnauthlist *l = NULL;

	CU_ASSERT_FATAL(buf != NULL);
	buf[0] = 0x30;
	buf[1] = 0x82;
	buf[2] = (uint8_t)((8 * n) >> 8);
	buf[3] = (uint8_t)(8 * n);
	for (i = 0; i < n; i++)
		memcpy(buf + 4 + 8 * i, "\xa0\x06\x16\x04" "1234", 8);
	CU_ASSERT_EQUAL(tnauthlist_decode(ctx, &l, buf, len), -EMSGSIZE);
	CU_ASSERT(l == NULL);
	/* exactly the maximum is fine */
	len -= 8;
	buf[2] = (uint8_t)((len - 4) >> 8);
	buf[3] = (uint8_t)(len - 4);
	CU_ASSERT_EQUAL(tnauthlist_decode(ctx, &l, buf, len), (int)len);
	CU_ASSERT(l && l->num_entries == TNAUTH_MAX_ENTRIES);
	CU_ASSERT_EQUAL(tnauthlist_count(l, TNAUTH_ENTRY_SPC), TNAUTH_MAX_ENTRIES);
	talloc_free(l);
	free(buf);
}

struct cert_case {
	const char *file;
	int rc;
	const char *entries;
};

static const struct cert_case cert_cases[] = {
	{ "shaken/sti-pa-root.pem", -ENOENT, NULL },
	{ "shaken/sti-ca.pem", -ENOENT, NULL },
	{ "shaken/sp-a.pem", 0, "spc 1234" },
	{ "shaken/sp-b.pem", 0, "spc 5678" },
	{ "shaken/sp-revoked.pem", 0, "spc 1111" },
	{ "shaken/sp-expired.pem", 0, "spc 3333" },
	{ "shaken/sp-a-deleg-ca.pem", 0, "spc 1234" },
	{ "shaken/delegate.pem", 0, "range 12025550100+100,one 12025559999" },
	{ "shaken/untrusted-root.pem", -ENOENT, NULL },
	{ "shaken/sp-untrusted.pem", 0, "spc 9999" },
	{ "tsca/tsca-root.pem", -ENOENT, NULL },
	{ "tsca/national-ca.pem", -ENOENT, NULL },
	{ "tsca/op1-ca.pem", 0, "range 4930123400+100" },
	{ "tsca/op1-full.pem", 0, "range 4930123400+100" },
	{ "tsca/op1-prov.pem", -ENOENT, NULL },
	{ "tsca/rogue-ca.pem", -ENOENT, NULL },
	{ "tsca/rogue.pem", -ENOENT, NULL },
	{ "tsca/op2-ca.pem", -ENOENT, NULL },
	{ "tsca/op2-full.pem", -ENOENT, NULL },
	{ "tsca/provop-ca.pem", 0, "range 4950000000+100" },
	{ "tsca/tnop-spoof.pem", 0, "range 4930123400+100" },
};

static void test_generated_certs(void)
{
	char txt[512];
	size_t i;

	CU_ASSERT_FATAL(testpki_dir() != NULL);
	for (i = 0; i < ARRAY_SIZE(cert_cases); i++) {
		const struct cert_case *c = &cert_cases[i];
		struct tnauthlist *l = NULL;
		X509 *x = testpki_cert(c->file);
		int rc;

		CU_ASSERT_FATAL(x != NULL);
		rc = tnauthlist_from_x509(ctx, &l, x);
		if (rc != c->rc)
			printf("\n  %s: rc %d, want %d", c->file, rc, c->rc);
		CU_ASSERT_EQUAL(rc, c->rc);
		if (c->rc == 0 && l) {
			check_invariants(l);
			render(txt, sizeof(txt), l);
			CU_ASSERT_STRING_EQUAL(txt, c->entries);
		} else {
			CU_ASSERT(l == NULL);
		}
		if (l && !strcmp(c->file, "shaken/delegate.pem")) {
			CU_ASSERT(tnauthlist_covers_tn(l, "12025550100"));
			CU_ASSERT(tnauthlist_covers_tn(l, "12025550199"));
			CU_ASSERT(!tnauthlist_covers_tn(l, "12025550200"));
			CU_ASSERT(tnauthlist_covers_tn(l, "12025559999"));
			CU_ASSERT_PTR_NULL(tnauthlist_first_spc(l));
		}
		if (l && !strcmp(c->file, "shaken/sp-a.pem")) {
			CU_ASSERT_STRING_EQUAL(tnauthlist_first_spc(l), "1234");
			CU_ASSERT(!tnauthlist_covers_tn(l, "1234"));
		}
		talloc_free(l);
		X509_free(x);
	}
	CU_ASSERT_EQUAL(talloc_total_blocks(ctx), 1);
}

/* RFC 5280 §4.2: an extension appears at most once. */
static void test_duplicate_extension(void)
{
	static const uint8_t der[] = { 0x30, 0x08, 0xa0, 0x06, 0x16, 0x04, '1', '2', '3', '4' };
	ASN1_OBJECT *oid = OBJ_txt2obj(TNAUTH_OID, 1);
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509 *x = X509_new();
	struct tnauthlist *l = NULL;
	X509_EXTENSION *ext;

	CU_ASSERT_FATAL(oid && os && x);
	CU_ASSERT_FATAL(ASN1_OCTET_STRING_set(os, der, sizeof(der)));
	ext = X509_EXTENSION_create_by_OBJ(NULL, oid, 0, os);
	CU_ASSERT_FATAL(ext != NULL);
	CU_ASSERT_FATAL(X509_add_ext(x, ext, -1));
	CU_ASSERT_EQUAL(tnauthlist_from_x509(ctx, &l, x), 0);
	talloc_free(l);
	CU_ASSERT_FATAL(X509_add_ext(x, ext, -1));
	CU_ASSERT_EQUAL(tnauthlist_from_x509(ctx, &l, x), -EBADMSG);
	CU_ASSERT(l == NULL);
	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(os);
	ASN1_OBJECT_free(oid);
	X509_free(x);
}

struct cover_case {
	const char *tn;
	bool want;
};

/* One list of ranges and numbers, probed at and around every edge. */
/* RFC 9060 "encompassed": what an issuer's list lets its subject hold */
static void test_encompasses(void)
{
	struct tnauth_entry outer_e[] = {
		{ TNAUTH_ENTRY_SPC, "1234", 0 },
		{ TNAUTH_ENTRY_RANGE, "4930123400", 100 },
		{ TNAUTH_ENTRY_RANGE, "4930123500", 50 },	/* adjoins the one above */
		{ TNAUTH_ENTRY_ONE, "4930123550", 0 },		/* and one more */
		{ TNAUTH_ENTRY_ONE, "*67#", 0 },
		{ TNAUTH_ENTRY_RANGE, "12#", 5 },
		{ TNAUTH_ENTRY_RANGE, "999999999999990", UINT64_MAX },
	};
	struct tnauthlist outer = { .num_entries = ARRAY_SIZE(outer_e), .entries = outer_e };
	static const struct {
		struct tnauth_entry e;
		bool want;
	} cases[] = {
		{ { TNAUTH_ENTRY_SPC, "1234", 0 }, true },
		{ { TNAUTH_ENTRY_SPC, "5678", 0 }, false },
		{ { TNAUTH_ENTRY_SPC, "4930123400", 0 }, false },	/* an SPC is no number */
		{ { TNAUTH_ENTRY_ONE, "4930123400", 0 }, true },
		{ { TNAUTH_ENTRY_ONE, "4930123550", 0 }, true },
		{ { TNAUTH_ENTRY_ONE, "4930123551", 0 }, false },
		{ { TNAUTH_ENTRY_ONE, "493012340", 0 }, false },	/* another length */
		{ { TNAUTH_ENTRY_ONE, "*67#", 0 }, true },
		{ { TNAUTH_ENTRY_RANGE, "4930123400", 100 }, true },
		{ { TNAUTH_ENTRY_RANGE, "4930123410", 10 }, true },
		{ { TNAUTH_ENTRY_RANGE, "4930123490", 61 }, true },	/* across three entries */
		{ { TNAUTH_ENTRY_RANGE, "4930123490", 62 }, false },	/* one past them */
		{ { TNAUTH_ENTRY_RANGE, "4930123399", 2 }, false },	/* one before */
		{ { TNAUTH_ENTRY_RANGE, "4930123400", UINT64_MAX }, false },
		{ { TNAUTH_ENTRY_RANGE, "12#", 5 }, true },		/* the same entry */
		{ { TNAUTH_ENTRY_RANGE, "12#", 4 }, false },		/* not arithmetic */
		/* up to the last number of 15 digits, whatever the count */
		{ { TNAUTH_ENTRY_RANGE, "999999999999995", UINT64_MAX }, true },
		{ { TNAUTH_ENTRY_RANGE, "999999999999989", 3 }, false },
	};
	struct tnauthlist inner = { .num_entries = 1 };
	struct tnauth_entry both[2] = { { TNAUTH_ENTRY_SPC, "1234", 0 }, { TNAUTH_ENTRY_ONE, "4930123401", 0 } };
	struct tnauthlist empty = { .num_entries = 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		bool got;

		inner.entries = (struct tnauth_entry *)&cases[i].e;
		got = tnauthlist_encompasses(&outer, &inner);
		if (got != cases[i].want)
			printf("\n  case %zu (%s): got %d", i, cases[i].e.str, got);
		CU_ASSERT_EQUAL(got, cases[i].want);
	}
	/* every entry must be held */
	inner.entries = both;
	inner.num_entries = 2;
	CU_ASSERT(tnauthlist_encompasses(&outer, &inner));
	memcpy(both[1].str, "4930123599", 11);
	CU_ASSERT(!tnauthlist_encompasses(&outer, &inner));
	/* nothing claimed is always held; nothing is held by no list */
	CU_ASSERT(tnauthlist_encompasses(&outer, NULL));
	CU_ASSERT(tnauthlist_encompasses(&outer, &empty));
	CU_ASSERT(tnauthlist_encompasses(NULL, NULL));
	CU_ASSERT(!tnauthlist_encompasses(NULL, &inner));
	CU_ASSERT(!tnauthlist_encompasses(&empty, &inner));
}

static void test_covers_tn(void)
{
	struct tnauth_entry e[] = {
		{ TNAUTH_ENTRY_RANGE, "12025550100", 100 },
		{ TNAUTH_ENTRY_ONE, "12025559999", 0 },
		{ TNAUTH_ENTRY_RANGE, "1", 2 },
		{ TNAUTH_ENTRY_RANGE, "99", 5 },			/* never spills into "100" */
		{ TNAUTH_ENTRY_RANGE, "999999999999990", UINT64_MAX },	/* max length, huge count */
		{ TNAUTH_ENTRY_RANGE, "12#", 5 },			/* not arithmetic: covers nothing */
		{ TNAUTH_ENTRY_ONE, "*67#", 0 },
		{ TNAUTH_ENTRY_SPC, "4930123400", 0 },			/* an SPC is not a number */
	};
	struct tnauthlist l = { .num_entries = ARRAY_SIZE(e), .entries = e };
	static const struct cover_case cases[] = {
		{ "12025550100", true }, { "12025550199", true }, { "12025550150", true },
		{ "+12025550150", true }, { "12025550099", false }, { "12025550200", false },
		{ "1202555015", false }, { "120255501500", false }, { "012025550150", false },
		{ "12025559999", true }, { "12025559998", false }, { "+12025559999", true },
		{ "1", true }, { "2", true }, { "3", false }, { "0", false }, { "10", false },
		{ "99", true }, { "100", false }, { "98", false },
		{ "999999999999990", true }, { "999999999999999", true }, { "999999999999989", false },
		{ "9999999999999999", false },	/* 16 digits */
		{ "12#", false }, { "13#", false }, { "*67#", true }, { "*67", false },
		{ "4930123400", false },
		{ "", false }, { "+", false }, { "++1", false }, { "1a", false }, { "1 2", false },
		{ "12025550150\n", false },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		bool got = tnauthlist_covers_tn(&l, cases[i].tn);

		if (got != cases[i].want)
			printf("\n  covers '%s': got %d, want %d", cases[i].tn, got, cases[i].want);
		CU_ASSERT_EQUAL(got, cases[i].want);
	}
	CU_ASSERT(!tnauthlist_covers_tn(NULL, "1"));
	CU_ASSERT(!tnauthlist_covers_tn(&l, NULL));

	/* start 0...0 with the largest count covers every number of its length */
	struct tnauth_entry all = { TNAUTH_ENTRY_RANGE, "000000000000000", UINT64_MAX };
	struct tnauthlist la = { .num_entries = 1, .entries = &all };
	CU_ASSERT(tnauthlist_covers_tn(&la, "999999999999999"));
	CU_ASSERT(tnauthlist_covers_tn(&la, "000000000000000"));
	CU_ASSERT(!tnauthlist_covers_tn(&la, "99999999999999"));
	CU_ASSERT_EQUAL(tnauthlist_count(&l, TNAUTH_ENTRY_RANGE), 5);
	CU_ASSERT_STRING_EQUAL(tnauthlist_first_spc(&l), "4930123400");
}

static int setup(void *root)
{
	ctx = root;
	return 0;
}

static unsigned int teardown(void)
{
	testpki_cleanup();
	return 0;
}

static const struct cunit_test tests[] = {
	{ "vectors", test_vectors },
	{ "truncation", test_truncation },
	{ "bitflip", test_bitflip },
	{ "too_many", test_too_many },
	{ "generated_certs", test_generated_certs },
	{ "duplicate_extension", test_duplicate_extension },
	{ "covers_tn", test_covers_tn },
	{ "encompasses", test_encompasses },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "tnauthlist", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "tnauthlist_test",
	.log = CUNIT_LOG_SILENT,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
