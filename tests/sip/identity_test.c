/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of sip/identity.c: RFC 8224 §4.1 Identity header values. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <osmocom/core/utils.h>

#include "sip/identity.h"
#include "tests/cunit_main.h"

#define TOK_FULL "eyJhbGciOiJFUzI1NiJ9.eyJpYXQiOjF9.c2ln"
#define TOK_CMPT "..c2lnbmF0dXJl"

struct id_vec {
	const char *in;
	int rc;
	const char *token, *info, *alg, *ppt;	/* NULL: absent */
	bool compact;
};

static const struct id_vec id_vecs[] = {
	{ TOK_FULL ";info=<https://cert.example.org/passport.cer>;alg=ES256;ppt=shaken", 0,
	  TOK_FULL, "https://cert.example.org/passport.cer", "ES256", "shaken", false },
	/* any order, white space around ';' and '=', quoted ppt, case */
	{ "  " TOK_FULL " ; ppt = \"shaken\" ;ALG= ES256; Info = <https://x.example/c.pem> ", 0,
	  TOK_FULL, "https://x.example/c.pem", "ES256", "shaken", false },
	/* alg and ppt absent */
	{ TOK_FULL ";info=<https://x.example/c>", 0, TOK_FULL, "https://x.example/c", NULL,
	  NULL, false },
	/* compact form */
	{ TOK_CMPT ";info=<https://x.example/c>;ppt=shaken", 0, TOK_CMPT, "https://x.example/c",
	  NULL, "shaken", true },
	/* extensions ignored, including a value-less one and a quoted one */
	{ TOK_FULL ";info=<https://x.example/c>;foo;bar=\"a;b\";baz=[2001:db8::1]", 0,
	  TOK_FULL, "https://x.example/c", NULL, NULL, false },
	/* folded white space */
	{ TOK_FULL "\r\n ;info=<https://x.example/c>", 0, TOK_FULL, "https://x.example/c",
	  NULL, NULL, false },
	{ TOK_FULL ";info=<https://x.example/c>;ppt=div", 0, TOK_FULL, "https://x.example/c",
	  NULL, "div", false },

	/* rejected */
	{ "", -EBADMSG },
	{ " ", -EBADMSG },
	{ ";info=<https://x.example/c>", -EBADMSG },			/* empty token */
	{ TOK_FULL, -EBADMSG },						/* no info */
	{ TOK_FULL ";alg=ES256", -EBADMSG },				/* no info */
	{ "eyJh+GciOiJ9.eyJ.c2ln;info=<https://x/c>", -EBADMSG },	/* base64 '+' */
	{ "eyJh/GciOiJ9.eyJ.c2ln;info=<https://x/c>", -EBADMSG },	/* base64 '/' */
	{ "eyJhbGc=.eyJ.c2ln;info=<https://x/c>", -EBADMSG },		/* padding */
	{ "a.b.c.d;info=<https://x/c>", -EBADMSG },			/* 3 dots */
	{ "a.b;info=<https://x/c>", -EBADMSG },				/* 1 dot */
	{ "abc;info=<https://x/c>", -EBADMSG },				/* no dot */
	{ "a.b.;info=<https://x/c>", -EBADMSG },			/* empty sig */
	{ ".b.c;info=<https://x/c>", -EBADMSG },			/* header only empty */
	{ "a..c;info=<https://x/c>", -EBADMSG },			/* payload only empty */
	{ "..;info=<https://x/c>", -EBADMSG },
	{ "a.b.c;info=https://x/c", -EBADMSG },				/* no brackets */
	{ "a.b.c;info=<https://x/c", -EBADMSG },			/* unbalanced */
	{ "a.b.c;info=<>", -EBADMSG },
	{ "a.b.c;info=<not-absolute>", -EBADMSG },
	{ "a.b.c;info=<https://x/ c>", -EBADMSG },
	{ "a.b.c;info", -EBADMSG },
	{ "a.b.c;info=<https://x/c>;info=<https://y/c>", -EBADMSG },	/* duplicate */
	{ "a.b.c;info=<https://x/c>;ppt=shaken;PPT=div", -EBADMSG },	/* duplicate */
	{ "a.b.c;info=<https://x/c>;foo=1;foo=2", -EBADMSG },		/* duplicate */
	{ "a.b.c;info=<https://x/c>;alg=\"ES256\"", -EBADMSG },	/* alg is a token */
	{ "a.b.c;info=<https://x/c>;ppt=\"sha ken\"", -EBADMSG },
	{ "a.b.c;info=<https://x/c>;ppt=\"shaken", -EBADMSG },		/* unbalanced quote */
	{ "a.b.c;info=<https://x/c>;ppt=", -EBADMSG },
	{ "a.b.c;info=<https://x/c>;ppt", -EBADMSG },
	{ "a.b.c;info=<https://x/c>;", -EBADMSG },			/* empty param */
	{ "a.b.c;info=<https://x/c>;;ppt=shaken", -EBADMSG },
	{ "a.b.c;info=<https://x/c> junk", -EBADMSG },
	{ "a.b.c info=<https://x/c>", -EBADMSG },
	{ "a.b.c;info=<https://x/c>;baz=[2001:db8::1", -EBADMSG },
	{ "a.b.c;info=<https://x/c>\r\n", -EBADMSG },			/* unfolded CRLF */
	{ "a.b.c;info=<https://x/c>;a=1;b=1;c=1;d=1;e=1;f=1;g=1;h=1;i=1;j=1;k=1;l=1;"
	  "m=1;n=1;o=1;p=1", -EBADMSG },				/* 17 params */
};

static void check_slice(const struct stir_slice *s, const char *exp, const char *what, size_t i)
{
	if (!exp) {
		CU_ASSERT_PTR_NULL(s->ptr);
		CU_ASSERT_EQUAL(s->len, 0);
		return;
	}
	CU_ASSERT_PTR_NOT_NULL(s->ptr);
	if (!s->ptr)
		return;
	if (s->len != strlen(exp) || memcmp(s->ptr, exp, s->len) != 0)
		fprintf(stderr, "identity vector %zu: %s is '%.*s', expected '%s'\n", i, what,
			(int)s->len, s->ptr, exp);
	CU_ASSERT_EQUAL(s->len, strlen(exp));
	CU_ASSERT(memcmp(s->ptr, exp, s->len) == 0);
}

static void test_identity_table(void)
{
	struct identity_hdr ih;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(id_vecs); i++) {
		const struct id_vec *v = &id_vecs[i];
		int rc = identity_hdr_parse(&ih, v->in, strlen(v->in));

		if (rc != v->rc)
			fprintf(stderr, "identity vector %zu '%s': rc %d, expected %d\n", i, v->in,
				rc, v->rc);
		CU_ASSERT_EQUAL(rc, v->rc);
		if (v->rc < 0) {
			/* nothing half-parsed is left behind */
			CU_ASSERT_PTR_NULL(ih.token.ptr);
			CU_ASSERT_PTR_NULL(ih.info.ptr);
			continue;
		}
		check_slice(&ih.token, v->token, "token", i);
		check_slice(&ih.info, v->info, "info", i);
		check_slice(&ih.alg, v->alg, "alg", i);
		check_slice(&ih.ppt, v->ppt, "ppt", i);
		CU_ASSERT_EQUAL(ih.compact, v->compact);
	}
}

static void test_identity_bounds(void)
{
	struct identity_hdr ih;
	const char *pre = "a.b.c;info=<https://x.example/";
	size_t len = IDENTITY_HDR_MAX + 1;
	char *big = malloc(len);

	CU_ASSERT_FATAL(big != NULL);
	memset(big, 'a', len);
	memcpy(big, pre, strlen(pre));
	big[len - 1] = '>';
	/* one octet over the cap */
	CU_ASSERT_EQUAL(identity_hdr_parse(&ih, big, len), -EBADMSG);
	/* exactly at the cap */
	big[len - 2] = '>';
	CU_ASSERT_EQUAL(identity_hdr_parse(&ih, big, len - 1), 0);
	CU_ASSERT_EQUAL(ih.info.len, IDENTITY_HDR_MAX - strlen("a.b.c;info=<>"));
	free(big);
	CU_ASSERT_EQUAL(identity_hdr_parse(&ih, NULL, 0), -EBADMSG);
	/* the length bounds the read, not a NUL */
	CU_ASSERT_EQUAL(identity_hdr_parse(&ih, "a.b.c;info=<https://x/c>;ppt=div", 24), 0);
	CU_ASSERT_PTR_NULL(ih.ppt.ptr);
}

/* a successful parse yields slices inside [buf, buf + len) */
static void check_inside(const struct identity_hdr *ih, const char *buf, size_t len)
{
	const struct stir_slice *s[] = { &ih->token, &ih->info, &ih->alg, &ih->ppt };

	for (size_t k = 0; k < ARRAY_SIZE(s); k++) {
		if (!s[k]->ptr)
			continue;
		CU_ASSERT(s[k]->ptr >= buf && s[k]->len <= len &&
			  (size_t)(s[k]->ptr - buf) <= len - s[k]->len);
	}
	CU_ASSERT_PTR_NOT_NULL(ih->token.ptr);
	CU_ASSERT_PTR_NOT_NULL(ih->info.ptr);
}

static void test_identity_truncation(void)
{
	struct identity_hdr ih;
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(id_vecs); i++) {
		size_t len = strlen(id_vecs[i].in);

		if (id_vecs[i].rc < 0)
			continue;
		for (n = 0; n < len; n++) {
			char *copy = malloc(n ? n : 1);
			int rc;

			CU_ASSERT_FATAL(copy != NULL);
			memcpy(copy, id_vecs[i].in, n);
			rc = identity_hdr_parse(&ih, copy, n);
			CU_ASSERT(rc == 0 || rc == -EBADMSG);
			if (rc == 0)
				check_inside(&ih, copy, n);
			free(copy);
		}
	}
}

static void test_identity_bitflip(void)
{
	struct identity_hdr ih;
	size_t i, n;
	unsigned int bit;

	for (i = 0; i < ARRAY_SIZE(id_vecs); i++) {
		size_t len = strlen(id_vecs[i].in);
		char *copy;

		if (len == 0)
			continue;
		copy = malloc(len);
		CU_ASSERT_FATAL(copy != NULL);
		for (n = 0; n < len; n++) {
			for (bit = 0; bit < 8; bit++) {
				int rc;

				memcpy(copy, id_vecs[i].in, len);
				copy[n] ^= (char)(1u << bit);
				rc = identity_hdr_parse(&ih, copy, len);
				CU_ASSERT(rc == 0 || rc == -EBADMSG);
				if (rc == 0)
					check_inside(&ih, copy, len);
			}
		}
		free(copy);
	}
}

static void test_slice_eq(void)
{
	struct stir_slice s = { "ShaKen", 6 };
	struct stir_slice none = { NULL, 0 };

	CU_ASSERT_TRUE(stir_slice_eq(&s, "shaken"));
	CU_ASSERT_FALSE(stir_slice_eq(&s, "shake"));
	CU_ASSERT_FALSE(stir_slice_eq(&s, "shakenx"));
	CU_ASSERT_FALSE(stir_slice_eq(&none, ""));
}

static const struct cunit_test tests[] = {
	{ "table of RFC 8224 §4.1 vectors", test_identity_table },
	{ "length cap and bounded reads", test_identity_bounds },
	{ "every prefix fails cleanly", test_identity_truncation },
	{ "every bit flip fails cleanly", test_identity_bitflip },
	{ "slice comparison", test_slice_eq },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "identity", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "identity_test",
	.log = CUNIT_LOG_FATAL,
	.suites = suites,
};
