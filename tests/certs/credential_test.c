/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of certs/credential.c: a good key and chain load; a key open to
 * group or others, a key that is not the leaf's, a broken chain and a bad
 * x5u are refused; nothing leaks on any path. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/pem.h>

#include <CUnit/Basic.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/credential.h"
#include "src/core/logging.h"
#include "tests/certs/testpki.h"
#include "tests/cunit_main.h"

static void *ctx;

/* Copy a PKI file to DIR/NAME with the given mode; returns the new path. */
static char *copy_with_mode(const char *rel, const char *name, mode_t mode)
{
	static char paths[8][4096];
	static unsigned int next;
	char *dst = paths[next++ % ARRAY_SIZE(paths)];
	char buf[8192];
	FILE *in, *out;
	size_t n;

	snprintf(dst, sizeof(paths[0]), "%s/%s", testpki_dir(), name);
	in = fopen(testpki_path(rel), "r");
	out = fopen(dst, "w");
	CU_ASSERT_FATAL(in && out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
	chmod(dst, mode);
	return dst;
}

static char *pki(const char *rel)
{
	static char paths[8][4096];
	static unsigned int next;
	char *p = paths[next++ % ARRAY_SIZE(paths)];

	snprintf(p, sizeof(paths[0]), "%s", testpki_path(rel));
	return p;
}

struct load_case {
	const char *name;
	const char *key;	/* PKI-relative */
	mode_t key_mode;	/* 0: keep the generated file */
	const char *chain;
	const char *x5u;
	int rc;
};

static const struct load_case cases[] = {
	{ "sp-a", "shaken/sp-a.key", 0, "shaken/sp-a-chain.pem", "https://cr.example.com/sp-a.pem", 0 },
	{ "sp-a no x5u", "shaken/sp-a.key", 0, "shaken/sp-a.pem", NULL, 0 },
	{ "delegate (3 certs)", "shaken/delegate.key", 0, "shaken/delegate-chain.pem", NULL, 0 },
	{ "tsca op1-full", "tsca/op1-full.key", 0, "tsca/op1-full-chain.pem", NULL, 0 },
	{ "key mode 0400", "shaken/sp-a.key", 0400, "shaken/sp-a.pem", NULL, 0 },
	{ "key mode 0644", "shaken/sp-a.key", 0644, "shaken/sp-a.pem", NULL, -EPERM },
	{ "key mode 0640", "shaken/sp-a.key", 0640, "shaken/sp-a.pem", NULL, -EPERM },
	{ "key mode 0604", "shaken/sp-a.key", 0604, "shaken/sp-a.pem", NULL, -EPERM },
	{ "key mode 0620", "shaken/sp-a.key", 0620, "shaken/sp-a.pem", NULL, -EPERM },
	{ "key of sp-b, cert of sp-a", "shaken/sp-b.key", 0, "shaken/sp-a-chain.pem", NULL, -EKEYREJECTED },
	{ "key of the CA", "shaken/sti-ca.key", 0, "shaken/sp-a-chain.pem", NULL, -EKEYREJECTED },
	{ "no key file", "shaken/nonexistent.key", 0, "shaken/sp-a.pem", NULL, -ENOENT },
	{ "no chain file", "shaken/sp-a.key", 0, "shaken/nonexistent.pem", NULL, -ENOENT },
	{ "key file is a certificate", "shaken/sp-a.pem", 0600, "shaken/sp-a.pem", NULL, -EBADMSG },
	{ "chain file is a key", "shaken/sp-a.key", 0, "shaken/sp-a.key", NULL, -EBADMSG },
	{ "chain file is a CRL", "shaken/sp-a.key", 0, "shaken/crl/sti-ca.crl.pem", NULL, -EBADMSG },
	{ "chain out of order", "shaken/sp-a.key", 0, "shaken/sp-a-chain.pem.reversed", NULL, -EBADMSG },
	{ "directory as key", "shaken/trust", 0, "shaken/sp-a.pem", NULL, -EINVAL },
	{ "x5u not a URL", "shaken/sp-a.key", 0, "shaken/sp-a.pem", "cr.example.com/x.pem", -EINVAL },
	{ "x5u with space", "shaken/sp-a.key", 0, "shaken/sp-a.pem", "https://cr.example.com/a b", -EINVAL },
	{ "x5u too long", "shaken/sp-a.key", 0, "shaken/sp-a.pem",
	  "https://cr.example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.pem", -EINVAL },
};

/* sp-a-chain.pem with the CA first. */
static void make_reversed_chain(void)
{
	char path[4096];
	FILE *out;
	X509 *leaf = testpki_cert("shaken/sp-a.pem"), *ca = testpki_cert("shaken/sti-ca.pem");

	CU_ASSERT_FATAL(leaf && ca);
	snprintf(path, sizeof(path), "%s/shaken/sp-a-chain.pem.reversed", testpki_dir());
	out = fopen(path, "w");
	CU_ASSERT_FATAL(out != NULL);
	PEM_write_X509(out, ca);
	PEM_write_X509(out, leaf);
	fclose(out);
	X509_free(leaf);
	X509_free(ca);
}

static void test_load(void)
{
	size_t i;

	CU_ASSERT_FATAL(testpki_dir() != NULL);
	make_reversed_chain();
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct load_case *c = &cases[i];
		struct credential *cred = NULL;
		char *key = c->key_mode ? copy_with_mode(c->key, "mode-test.key", c->key_mode) : pki(c->key);
		int rc = credential_load(ctx, &cred, key, pki(c->chain), c->x5u);

		if (rc != c->rc)
			printf("\n  %s: rc %d, want %d", c->name, rc, c->rc);
		CU_ASSERT_EQUAL(rc, c->rc);
		if (rc == 0) {
			CU_ASSERT_FATAL(cred != NULL);
			CU_ASSERT(cred->key && cred->leaf && sk_X509_num(cred->chain) >= 1);
			CU_ASSERT(cred->leaf == sk_X509_value(cred->chain, 0));
			CU_ASSERT(EVP_PKEY_eq(X509_get0_pubkey(cred->leaf), cred->key) == 1);
			CU_ASSERT_EQUAL(strlen(cred->keyid_hex), 16);
			if (c->x5u) {
				CU_ASSERT_STRING_EQUAL(cred->x5u, c->x5u);
			} else {
				CU_ASSERT_PTR_NULL(cred->x5u);
			}
			talloc_free(cred);
		} else {
			CU_ASSERT_PTR_NULL(cred);
		}
		if (c->key_mode)
			unlink(key);
		CU_ASSERT_EQUAL(talloc_total_blocks(ctx), 1);
	}
}

/* The delegate's chain has three certificates, leaf first. */
static void test_chain_order(void)
{
	struct credential *cred = NULL;
	X509 *deleg = testpki_cert("shaken/delegate.pem");

	CU_ASSERT_FATAL(deleg != NULL);
	CU_ASSERT_EQUAL_FATAL(credential_load(ctx, &cred, pki("shaken/delegate.key"),
					      pki("shaken/delegate-chain.pem"), NULL), 0);
	CU_ASSERT_EQUAL(sk_X509_num(cred->chain), 3);
	CU_ASSERT_EQUAL(X509_cmp(cred->leaf, deleg), 0);
	talloc_free(cred);
	X509_free(deleg);
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
	{ "load", test_load },
	{ "chain_order", test_chain_order },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "credential", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "credential_test",
	.log = CUNIT_LOG_SILENT,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
