/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of certs/truststore.c and certs/resolve.c: chain verification of
 * the test PKI (good SP chain, delegate, expired, untrusted root, revoked by
 * a CRL file and by a CRL fetched from the distribution point, bad
 * signature, TSCA branch revoked), the verified-chain cache (a hit runs no
 * X509_verify_cert), CRL files and distribution points refreshed on an
 * injected time, and cert_resolve_x5u() end to end against
 * tests/certs/httpsd: 436/437 mapping, cache hits, single flight, negative
 * cache, no cache entry for policy refusals and busy answers, CRLs fetched
 * only for a verified chain and kept apart from the chains, and the TSCA
 * repository template. */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/pem.h>

#include <CUnit/Basic.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "certs/cache.h"
#include "certs/certchain.h"
#include "certs/fetch.h"
#include "certs/keyid.h"
#include "certs/resolve.h"
#include "certs/tnauthlist.h"
#include "certs/truststore.h"
#include "src/core/logging.h"
#include "tests/certs/testhttps.h"
#include "tests/certs/testpki.h"
#include "tests/cunit_main.h"

static void *ctx;

static STACK_OF(X509) *chain_of(const char *rel)
{
	static uint8_t buf[64 * 1024];
	STACK_OF(X509) *sk = NULL;
	char why[128];
	FILE *f = fopen(testpki_path(rel), "rb");
	size_t len;

	CU_ASSERT_FATAL(f != NULL);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(certchain_parse(&sk, buf, len, why, sizeof(why)), 0);
	return sk;
}

static struct truststore *store(const char *dom, bool crls, bool required)
{
	struct truststore_cfg cfg;
	struct truststore *ts;
	char dir[4200];

	truststore_cfg_init(&cfg);
	cfg.crl_required = required;
	ts = truststore_alloc(ctx, dom, &cfg);
	CU_ASSERT_FATAL(ts != NULL);
	snprintf(dir, sizeof(dir), "%s/%s/trust", testpki_dir(), dom);
	CU_ASSERT_EQUAL(truststore_load_dir(ts, dir), 1);	/* the root; rehash links skipped */
	if (crls) {
		snprintf(dir, sizeof(dir), "%s/%s/crl", testpki_dir(), dom);
		CU_ASSERT(truststore_load_crl_dir(ts, dir) > 0);
	}
	return ts;
}

struct vcase {
	const char *dom, *chain;
	bool crls, required;
	long at_offset;		/* from now; LONG_MIN: a fixed date in 2019 */
	enum cert_err want;
};

static void test_verify(void)
{
	static const struct vcase cases[] = {
		{ "shaken", "shaken/sp-a-chain.pem", true, false, 0, CERT_OK },
		{ "shaken", "shaken/sp-b-chain.pem", true, false, 0, CERT_OK },
		{ "shaken", "shaken/delegate-chain.pem", true, false, 0, CERT_OK },
		{ "shaken", "shaken/sp-expired-chain.pem", true, false, 0, CERT_ERR_EXPIRED },
		{ "shaken", "shaken/sp-untrusted-chain.pem", true, false, 0, CERT_ERR_UNTRUSTED },
		{ "shaken", "shaken/sp-revoked-chain.pem", true, false, 0, CERT_ERR_REVOKED },
		{ "shaken", "shaken/sp-revoked-chain.pem", false, false, 0, CERT_OK },	/* soft fail */
		{ "shaken", "shaken/sp-a-chain.pem", false, true, 0, CERT_ERR_CRL },	/* required */
		{ "shaken", "shaken/sp-a-chain.pem", false, false, LONG_MIN, CERT_ERR_NOT_YET_VALID },
		{ "shaken", "shaken/sp-a-chain.pem", false, false, 400 * 86400L, CERT_ERR_EXPIRED },
		/* the CRLs run out after 30 days */
		{ "shaken", "shaken/sp-a-chain.pem", true, false, 31 * 86400L, CERT_ERR_CRL },
		{ "shaken", "shaken/sp-a.pem", true, false, 0, CERT_ERR_UNTRUSTED },	/* no intermediate */
		{ "tsca", "tsca/op1-full-chain.pem", true, false, 0, CERT_OK },
		{ "tsca", "tsca/op2-full-chain.pem", true, false, 0, CERT_OK },
		{ "tsca", "tsca/rogue-chain.pem", true, false, 0, CERT_ERR_REVOKED },
		{ "shaken", "tsca/op1-full-chain.pem", true, false, 0, CERT_ERR_UNTRUSTED },	/* other domain */
	};
	size_t i;
	time_t now = time(NULL);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct vcase *c = &cases[i];
		struct truststore *ts = store(c->dom, c->crls, c->required);
		STACK_OF(X509) *sk = chain_of(c->chain);
		time_t at = c->at_offset == LONG_MIN ? 1546300800 /* 2019-01-01 */ : now + c->at_offset;
		char detail[256];
		enum cert_err err = truststore_verify(ts, sk, at, detail, sizeof(detail));

		if (err != c->want)
			printf("\n  %s in %s: %s (%s), want %s", c->chain, c->dom,
			       get_value_string(cert_err_names, err), detail,
			       get_value_string(cert_err_names, c->want));
		CU_ASSERT_EQUAL(err, c->want);
		if (err != CERT_OK)
			CU_ASSERT(detail[0] != '\0');
		certchain_free(sk);
		talloc_free(ts);
	}
}

/* A flipped bit in the leaf's signature. */
static void test_bad_signature(void)
{
	struct truststore *ts = store("shaken", true, false);
	STACK_OF(X509) *sk = chain_of("shaken/sp-a-chain.pem");
	unsigned char *der = NULL;
	const unsigned char *p;
	X509 *bad;
	char detail[256];
	int n;

	n = i2d_X509(sk_X509_value(sk, 0), &der);
	CU_ASSERT_FATAL(n > 10);
	der[n - 1] ^= 0x01;	/* last octet of the ECDSA s value */
	p = der;
	bad = d2i_X509(NULL, &p, n);
	CU_ASSERT_FATAL(bad != NULL);
	X509_free(sk_X509_value(sk, 0));
	sk_X509_set(sk, 0, bad);	/* returns the new value, not the old */
	CU_ASSERT_EQUAL(truststore_verify(ts, sk, time(NULL), detail, sizeof(detail)), CERT_ERR_BAD_SIGNATURE);
	OPENSSL_free(der);
	certchain_free(sk);
	talloc_free(ts);
}

/* A DER CRL file alone revokes too; CRL-parsing refuses junk. */
static void test_crl_files(void)
{
	struct truststore *ts = store("shaken", false, false);
	STACK_OF(X509) *sk = chain_of("shaken/sp-revoked-chain.pem");
	X509 *ca = testpki_cert("shaken/sti-ca.pem"), *root = testpki_cert("shaken/sti-pa-root.pem");
	char detail[256], why[128];

	CU_ASSERT_EQUAL(truststore_verify(ts, sk, time(NULL), detail, sizeof(detail)), CERT_OK);
	CU_ASSERT_EQUAL(truststore_load_crl_file(ts, testpki_path("shaken/crl/sti-ca.crl.der")), 0);
	CU_ASSERT_EQUAL(truststore_verify(ts, sk, time(NULL), detail, sizeof(detail)), CERT_ERR_REVOKED);
	CU_ASSERT_EQUAL(truststore_load_crl_file(ts, testpki_path("shaken/sp-a.pem")), -EBADMSG);
	CU_ASSERT_EQUAL(truststore_load_crl_file(ts, testpki_path("shaken/nonexistent")), -ENOENT);
	CU_ASSERT(truststore_has_crl(ts, sk_X509_value(sk, 0), time(NULL)));
	CU_ASSERT_FALSE(truststore_has_crl(ts, ca, time(NULL)));
	/* a CRL offered for the wrong issuer, and junk, are refused */
	{
		FILE *f = fopen(testpki_path("shaken/crl/sti-ca.crl.der"), "rb");
		uint8_t buf[4096];
		size_t len;

		CU_ASSERT_FATAL(f != NULL);
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		CU_ASSERT_EQUAL(truststore_add_crl_buf(ts, buf, len, root, why, sizeof(why)), -EBADMSG);
		CU_ASSERT_EQUAL(truststore_add_crl_buf(ts, buf, len, ca, why, sizeof(why)), 0);
		buf[len - 1] ^= 1;
		CU_ASSERT_EQUAL(truststore_add_crl_buf(ts, buf, len, ca, why, sizeof(why)), -EBADMSG);
		CU_ASSERT_EQUAL(truststore_add_crl_buf(ts, (const uint8_t *)"junk", 4, ca, why, sizeof(why)),
				-EBADMSG);
	}
	{
		char url[256];

		CU_ASSERT_EQUAL(truststore_crl_url(sk_X509_value(sk, 0), url, sizeof(url)), 0);
		CU_ASSERT_STRING_EQUAL(url, "http://sti-pa.example.invalid/crl");
		CU_ASSERT_EQUAL(truststore_crl_url(sk_X509_value(sk, 0), url, 10), -E2BIG);
		CU_ASSERT_EQUAL(truststore_crl_url(ca, url, sizeof(url)), -ENOENT);
	}
	X509_free(ca);
	X509_free(root);
	certchain_free(sk);
	talloc_free(ts);
}

/* The CRL parser on a DER CRL cut at every length and with every bit
 * flipped: nothing but the whole CRL parses, and no flipped CRL is taken
 * for its issuer's. */
static void test_crl_truncate_flip(void)
{
	struct truststore *ts = store("shaken", false, false);
	X509 *ca = testpki_cert("shaken/sti-ca.pem");
	FILE *f = fopen(testpki_path("shaken/crl/sti-ca.crl.der"), "rb");
	uint8_t buf[4096], *cut;
	char why[128];
	X509_CRL *crl;
	size_t len, n, bit;

	CU_ASSERT_FATAL(f && ca);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	for (n = 0; n < len; n++) {
		cut = malloc(n ? n : 1);	/* exact size: a read past it shows under ASAN */
		CU_ASSERT_FATAL(cut != NULL);
		memcpy(cut, buf, n);
		crl = truststore_crl_parse(cut, n);
		CU_ASSERT_PTR_NULL(crl);
		X509_CRL_free(crl);
		free(cut);
	}
	crl = truststore_crl_parse(buf, len);
	CU_ASSERT_PTR_NOT_NULL(crl);
	X509_CRL_free(crl);
	for (bit = 0; bit < len * 8; bit++) {
		buf[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		CU_ASSERT_NOT_EQUAL(truststore_add_crl_buf(ts, buf, len, ca, why, sizeof(why)), 0);
		buf[bit / 8] ^= (uint8_t)(1 << (bit % 8));
	}
	CU_ASSERT_EQUAL(truststore_stats(ts)->crls, 0);
	CU_ASSERT_EQUAL(truststore_add_crl_buf(ts, buf, len, ca, why, sizeof(why)), 0);
	X509_free(ca);
	talloc_free(ts);
}

static void test_sip_codes(void)
{
	int i;

	for (i = 0; i < _NUM_CERT_ERR; i++)
		CU_ASSERT(strcmp(get_value_string(cert_err_names, i), "unknown") != 0 &&
			  get_value_string(cert_err_names, i)[0] != '\0');
	CU_ASSERT_EQUAL(cert_err_sip_code(CERT_OK), 0);
	CU_ASSERT_EQUAL(cert_err_sip_code(CERT_ERR_FETCH), 436);
	CU_ASSERT_EQUAL(cert_err_sip_code(CERT_ERR_PARSE), 436);
	CU_ASSERT_EQUAL(cert_err_sip_code(CERT_ERR_UNTRUSTED), 437);
	CU_ASSERT_EQUAL(cert_err_sip_code(CERT_ERR_REVOKED), 437);
	CU_ASSERT_EQUAL(cert_err_sip_code(CERT_ERR_EXPIRED), 437);
	CU_ASSERT_EQUAL(cert_err_sip_code(CERT_ERR_PROFILE), 437);
}

static time_t fake_now;
static time_t fake_clock(void *priv)
{
	return fake_now;
}

/* The verified-chain cache: a hit runs no X509_verify_cert(). */
static void test_memo(void)
{
	struct truststore_cfg tcfg;
	struct truststore *ts;
	struct cert_cache_cfg cfg;
	struct cert_cache *c;
	struct cert_cache_entry *e;
	char detail[256], dir[4200];
	time_t now = time(NULL);

	truststore_cfg_init(&tcfg);
	tcfg.bucket_s = 600;
	ts = truststore_alloc(ctx, "shaken", &tcfg);
	CU_ASSERT_FATAL(ts != NULL);
	snprintf(dir, sizeof(dir), "%s/shaken/trust", testpki_dir());
	CU_ASSERT_EQUAL(truststore_load_dir(ts, dir), 1);
	cert_cache_cfg_init(&cfg);
	fake_now = now;
	cfg.now = fake_clock;
	c = cert_cache_alloc(ctx, &cfg);
	CU_ASSERT_FATAL(c != NULL);
	e = cert_cache_put(c, "https://a/sp-revoked.pem", chain_of("shaken/sp-revoked-chain.pem"), NULL);
	CU_ASSERT_FATAL(e != NULL);

	now += 600 - now % 600;	/* start of the next bucket: after the notBefore */
	CU_ASSERT_EQUAL(truststore_verify_entry(ts, e, now, detail, sizeof(detail)), CERT_OK);
	CU_ASSERT_EQUAL(truststore_stats(ts)->verify_calls, 1);
	CU_ASSERT_EQUAL(truststore_verify_entry(ts, e, now + 599, detail, sizeof(detail)), CERT_OK);
	CU_ASSERT_EQUAL(truststore_stats(ts)->verify_calls, 1);
	CU_ASSERT_EQUAL(truststore_stats(ts)->memo_hits, 1);
	/* next bucket: verified again */
	CU_ASSERT_EQUAL(truststore_verify_entry(ts, e, now + 600, detail, sizeof(detail)), CERT_OK);
	CU_ASSERT_EQUAL(truststore_stats(ts)->verify_calls, 2);
	/* a new CRL changes the store: verified again, now revoked, and remembered */
	snprintf(dir, sizeof(dir), "%s/shaken/crl", testpki_dir());
	CU_ASSERT(truststore_load_crl_dir(ts, dir) > 0);
	CU_ASSERT_EQUAL(truststore_verify_entry(ts, e, now + 601, detail, sizeof(detail)), CERT_ERR_REVOKED);
	CU_ASSERT_EQUAL(truststore_stats(ts)->verify_calls, 3);
	CU_ASSERT_EQUAL(truststore_verify_entry(ts, e, now + 602, detail, sizeof(detail)), CERT_ERR_REVOKED);
	CU_ASSERT_EQUAL(truststore_stats(ts)->verify_calls, 3);
	talloc_free(c);
	talloc_free(ts);
}

/* ---------------------------------------------------------------- resolve */

struct rgot {
	unsigned int calls;
	enum cert_err err;
	uint16_t sip;
	char spc[32];
	char reason[256];
	bool cached;
	bool key_matches;
	X509 *want_leaf;
};

static void resolve_cb(const struct cert_resolve_result *res, void *priv)
{
	struct rgot *g = priv;

	g->calls++;
	g->err = res->err;
	g->sip = res->sip_code;
	g->cached = res->cached;
	snprintf(g->reason, sizeof(g->reason), "%s", res->reason);
	snprintf(g->spc, sizeof(g->spc), "%s", res->spc ? res->spc : "");
	if (res->pkey && g->want_leaf)
		g->key_matches = EVP_PKEY_eq(res->pkey, X509_get0_pubkey(g->want_leaf)) == 1;
}

static bool guard_fired;
static void guard_cb(void *data)
{
	guard_fired = true;
}

static void run_until(const unsigned int *calls, unsigned int n)
{
	struct osmo_timer_list guard = { 0 };

	guard_fired = false;
	osmo_timer_setup(&guard, guard_cb, NULL);
	osmo_timer_schedule(&guard, 10, 0);
	while (*calls < n && !guard_fired)
		osmo_select_main(0);
	osmo_timer_del(&guard);
	CU_ASSERT_FALSE(guard_fired);
}

struct env {
	struct fetcher *f;
	struct cert_cache *cache;
	struct truststore *ts;
	struct cert_domain *d;
};

/* the fetcher's in-flight cap of the next env_init(), 0: the default */
static unsigned int env_max_in_flight;

static void env_init(struct env *v, const char *dom, bool crl_files, bool fetch_crls, const char *tmpl)
{
	struct fetch_policy pol;
	struct cert_domain_cfg dcfg = {
		.name = dom,
		.shaken_profile = strcmp(dom, "shaken") == 0,
		.fetch_crls = fetch_crls,
		.repo_url_template = tmpl,
	};

	fetch_policy_init(&pol);
	pol.ports[pol.num_ports++] = testhttps_port();
	/* the test server is on loopback, which the default ACL refuses */
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&pol.acl[pol.num_acl++], "permit", "127.0.0.0/8"), 0);
	pol.ca_file = testhttps_ca_file();
	pol.timeout_ms = 5000;	/* valgrind makes TLS slow */
	pol.connect_timeout_ms = 4000;
	if (env_max_in_flight)
		pol.max_in_flight = env_max_in_flight;
	v->f = fetcher_alloc(ctx, dom, &pol);
	v->cache = cert_cache_alloc(ctx, NULL);
	v->ts = store(dom, crl_files, false);
	CU_ASSERT_FATAL(v->f && v->cache && v->ts);
	v->d = cert_domain_alloc(ctx, &dcfg, v->f, v->cache, v->ts);
	CU_ASSERT_FATAL(v->d != NULL);
}

static void env_free(struct env *v)
{
	talloc_free(v->d);
	talloc_free(v->cache);
	talloc_free(v->ts);
	talloc_free(v->f);
}

struct rcase {
	const char *path;
	enum cert_err err;
	uint16_t sip;
	const char *spc;
};

static void test_resolve(void)
{
	static const struct rcase cases[] = {
		{ "/pem/sp-a-chain.pem", CERT_OK, 0, "1234" },
		{ "/pem/sp-b-chain.pem", CERT_OK, 0, "5678" },
		{ "/pem/sp-revoked-chain.pem", CERT_ERR_REVOKED, 437, "" },
		{ "/pem/sp-expired-chain.pem", CERT_ERR_EXPIRED, 437, "" },
		{ "/pem/sp-untrusted-chain.pem", CERT_ERR_UNTRUSTED, 437, "" },
		{ "/pem/sp-a.pem", CERT_ERR_UNTRUSTED, 437, "" },
		{ "/pem/sti-ca.pem", CERT_ERR_PROFILE, 437, "" },	/* a CA is no signer */
		{ "/pem/nonexistent.pem", CERT_ERR_FETCH, 436, "" },
		{ "/garbage", CERT_ERR_PARSE, 436, "" },
		{ "/big", CERT_ERR_FETCH, 436, "" },
		{ "/redirect;to=http://127.0.0.1/x.pem", CERT_ERR_FETCH, 436, "" },
	};
	struct rgot g[ARRAY_SIZE(cases)];
	struct env v;
	size_t i;

	memset(g, 0, sizeof(g));
	env_init(&v, "shaken", true, false, NULL);
	g[0].want_leaf = testpki_cert("shaken/sp-a.pem");
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, testhttps_url(cases[i].path), time(NULL),
							resolve_cb, &g[i]));
	/* never answered from inside the call */
	CU_ASSERT_EQUAL(g[0].calls, 0);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		run_until(&g[i].calls, 1);
		if (g[i].err != cases[i].err)
			printf("\n  %s: %s (%s), want %s", cases[i].path, get_value_string(cert_err_names, g[i].err),
			       g[i].reason, get_value_string(cert_err_names, cases[i].err));
		CU_ASSERT_EQUAL(g[i].calls, 1);
		CU_ASSERT_EQUAL(g[i].err, cases[i].err);
		CU_ASSERT_EQUAL(g[i].sip, cases[i].sip);
		CU_ASSERT_STRING_EQUAL(g[i].spc, cases[i].spc);
		if (cases[i].err != CERT_OK)
			CU_ASSERT(g[i].reason[0] != '\0');
	}
	CU_ASSERT(g[0].key_matches);
	X509_free(g[0].want_leaf);
	env_free(&v);
}

/* A cached certificate: no fetch and no X509_verify_cert() on the second
 * call; three concurrent calls share one fetch; a dead URL is asked once. */
static void test_resolve_cache(void)
{
	struct rgot a = { 0 }, b = { 0 }, c[3], n1 = { 0 }, n2 = { 0 };
	const char *url = testhttps_url("/pem/delegate-chain.pem;cc=max-age%3D60");
	unsigned int before = testhttps_count("/pem/delegate-chain.pem");
	unsigned long calls;
	struct env v;
	int i;

	memset(c, 0, sizeof(c));
	env_init(&v, "shaken", true, false, NULL);
	CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, url, time(NULL), resolve_cb, &a));
	run_until(&a.calls, 1);
	CU_ASSERT_EQUAL(a.err, CERT_OK);
	CU_ASSERT_FALSE(a.cached);
	calls = truststore_stats(v.ts)->verify_calls;
	CU_ASSERT_EQUAL(calls, 1);

	CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, url, time(NULL), resolve_cb, &b));
	run_until(&b.calls, 1);
	CU_ASSERT_EQUAL(b.err, CERT_OK);
	CU_ASSERT(b.cached);
	CU_ASSERT_EQUAL(truststore_stats(v.ts)->verify_calls, calls);	/* no chain verification */
	CU_ASSERT_EQUAL(testhttps_count("/pem/delegate-chain.pem"), before + 1);

	/* single flight through resolve */
	before = testhttps_count("/pem/sp-b-chain.pem");
	for (i = 0; i < 3; i++)
		CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, testhttps_url("/pem/sp-b-chain.pem"), time(NULL),
							resolve_cb, &c[i]));
	for (i = 0; i < 3; i++) {
		run_until(&c[i].calls, 1);
		CU_ASSERT_EQUAL(c[i].err, CERT_OK);
	}
	CU_ASSERT_EQUAL(testhttps_count("/pem/sp-b-chain.pem"), before + 1);

	/* negative cache */
	before = testhttps_count("/pem/gone.pem");
	CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, testhttps_url("/pem/gone.pem"), time(NULL), resolve_cb, &n1));
	run_until(&n1.calls, 1);
	CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, testhttps_url("/pem/gone.pem"), time(NULL), resolve_cb, &n2));
	run_until(&n2.calls, 1);
	CU_ASSERT_EQUAL(n1.sip, 436);
	CU_ASSERT_EQUAL(n2.sip, 436);
	CU_ASSERT(n2.cached);
	CU_ASSERT_EQUAL(testhttps_count("/pem/gone.pem"), before + 1);

	/* cancelled: never called back */
	{
		struct rgot x = { 0 };
		struct cert_resolve_req *r = cert_resolve_x5u(v.d, testhttps_url("/hang"), time(NULL), resolve_cb, &x);

		cert_resolve_cancel(r);
		a.calls = 0;
		CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, url, time(NULL), resolve_cb, &a));
		run_until(&a.calls, 1);
		CU_ASSERT_EQUAL(x.calls, 0);
	}
	env_free(&v);
}

/* Certificates whose CRL Distribution Point is the test server. */
static int make_cdp_certs(void)
{
	char cmd[8192];
	const char *d = testpki_dir();

	snprintf(cmd, sizeof(cmd),
		 "set -e; cd '%s/shaken'; C=.ca/sti-ca/ca.cnf;"
		 "printf '[ext]\\nbasicConstraints = critical,CA:FALSE\\nkeyUsage = critical,digitalSignature\\n"
		 "certificatePolicies = 2.16.840.1.114569.1.1.3\\nsubjectKeyIdentifier = hash\\n"
		 "authorityKeyIdentifier = keyid:always\\n"
		 "crlDistributionPoints = URI:https://127.0.0.1:%u/pem/sti-ca-cdp.crl\\n"
		 "1.3.6.1.5.5.7.1.26 = ASN1:SEQUENCE:tnauth\\n[tnauth]\\nspc = EXPLICIT:0,IA5STRING:4444\\n'"
		 " >.ca/cdp.ext;"
		 "for n in cdp-good cdp-revoked; do"
		 " openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out .ca/$n.key 2>/dev/null;"
		 " openssl req -new -config $C -key .ca/$n.key -subj '/C=US/O=SP CDP/CN=SHAKEN 4444'"
		 " -out .ca/$n.csr 2>/dev/null;"
		 " openssl ca -batch -notext -config $C -in .ca/$n.csr -out $n.pem -extfile .ca/cdp.ext"
		 " -extensions ext -days 30 2>/dev/null;"
		 " cat $n.pem sti-ca.pem >$n-chain.pem; done;"
		 "openssl ca -config $C -revoke cdp-revoked.pem -crl_reason keyCompromise 2>/dev/null;"
		 "openssl ca -gencrl -config $C -out sti-ca-cdp.crl 2>/dev/null",
		 d, testhttps_port());
	return system(cmd) == 0 ? 0 : -1;
}

/* The store has no CRL file: the CRL comes from the leaf's distribution
 * point, once, and revokes. */
static void test_resolve_cdp(void)
{
	struct rgot good = { 0 }, rev = { 0 }, again = { 0 };
	unsigned int before;
	struct env v;

	CU_ASSERT_EQUAL_FATAL(make_cdp_certs(), 0);
	env_init(&v, "shaken", false, true, NULL);
	before = testhttps_count("/pem/sti-ca-cdp.crl");
	CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, testhttps_url("/pem/cdp-revoked-chain.pem"), time(NULL),
						resolve_cb, &rev));
	run_until(&rev.calls, 1);
	CU_ASSERT_EQUAL(rev.err, CERT_ERR_REVOKED);
	CU_ASSERT_EQUAL(rev.sip, 437);
	CU_ASSERT_EQUAL(testhttps_count("/pem/sti-ca-cdp.crl"), before + 1);
	CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, testhttps_url("/pem/cdp-good-chain.pem"), time(NULL),
						resolve_cb, &good));
	run_until(&good.calls, 1);
	CU_ASSERT_EQUAL(good.err, CERT_OK);
	CU_ASSERT_STRING_EQUAL(good.spc, "4444");
	/* the CRL is known now: not fetched again */
	CU_ASSERT_EQUAL(testhttps_count("/pem/sti-ca-cdp.crl"), before + 1);
	/* a leaf whose CDP is unreachable (the PKI's example.invalid): soft fail */
	CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, testhttps_url("/pem/sp-a-chain.pem"), time(NULL),
						resolve_cb, &again));
	run_until(&again.calls, 1);
	CU_ASSERT_EQUAL(again.err, CERT_OK);
	env_free(&v);
}

/* URLs the fetch policy refuses (a query string, a literal private or
 * loopback address outside the ACL) answer 436 and take no cache entry,
 * however many come: a peer sending 2000 of them leaves the cache as it
 * was. */
static void test_resolve_policy(void)
{
	struct rgot g = { 0 }, last = { 0 };
	char url[160];
	unsigned int i, n = 2000;
	struct env v;

	env_init(&v, "shaken", true, false, NULL);
	for (i = 0; i < n; i++) {
		if (i % 2)
			snprintf(url, sizeof(url), "%s", testhttps_url("/pem/sp-a-chain.pem"));
		else
			snprintf(url, sizeof(url), "https://10.%u.%u.%u/x.pem", i >> 16 & 255, i >> 8 & 255, i & 255);
		if (i % 2)
			snprintf(url + strlen(url), sizeof(url) - strlen(url), "?n=%u", i);
		CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, url, time(NULL), resolve_cb, i == n - 1 ? &last : &g));
	}
	run_until(&last.calls, 1);
	run_until(&g.calls, n - 1);
	CU_ASSERT_EQUAL(g.err, CERT_ERR_POLICY);
	CU_ASSERT_EQUAL(g.sip, 436);
	CU_ASSERT_EQUAL(last.err, CERT_ERR_POLICY);
	CU_ASSERT(strstr(last.reason, "query string") != NULL);
	CU_ASSERT_EQUAL(cert_cache_stats(v.cache)->entries, 0);
	CU_ASSERT_EQUAL(cert_cache_stats(v.cache)->neg_entries, 0);
	CU_ASSERT_EQUAL(fetcher_stats(v.f)->transfers, 0);
	env_free(&v);
}

/* Above the fetcher's in-flight cap: 436 at once, and nothing remembered,
 * so that the URL resolves as soon as there is room. */
static void test_resolve_busy(void)
{
	struct rgot hang = { 0 }, busy = { 0 }, ok = { 0 };
	struct cert_resolve_req *r;
	struct env v;

	env_max_in_flight = 1;
	env_init(&v, "shaken", true, false, NULL);
	env_max_in_flight = 0;
	r = cert_resolve_x5u(v.d, testhttps_url("/hang"), time(NULL), resolve_cb, &hang);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	/* let the first one start its transfer */
	while (fetcher_in_flight(v.f) == 0)
		osmo_select_main(0);
	CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, testhttps_url("/pem/sp-a-chain.pem"), time(NULL), resolve_cb,
						&busy));
	run_until(&busy.calls, 1);
	CU_ASSERT_EQUAL(busy.err, CERT_ERR_BUSY);
	CU_ASSERT_EQUAL(busy.sip, 436);
	CU_ASSERT(strstr(busy.reason, "in flight") != NULL);
	CU_ASSERT_EQUAL(cert_cache_stats(v.cache)->entries, 0);
	cert_resolve_cancel(r);
	CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, testhttps_url("/pem/sp-a-chain.pem"), time(NULL), resolve_cb,
						&ok));
	run_until(&ok.calls, 1);
	CU_ASSERT_EQUAL(ok.err, CERT_OK);
	CU_ASSERT_EQUAL(hang.calls, 0);
	env_free(&v);
}

/* A leaf under a root nobody trusts, whose distribution point is the test
 * server: the chain is refused, and its CRL URL is never fetched (it is
 * the sender's choice of URL). */
static void test_resolve_cdp_untrusted(void)
{
	struct rgot g = { 0 };
	char cmd[8192];
	struct env v;

	snprintf(cmd, sizeof(cmd),
		 "set -e; cd '%s/shaken'; umask 077;"
		 "printf '[ext]\\nbasicConstraints = critical,CA:FALSE\\nkeyUsage = critical,digitalSignature\\n"
		 "certificatePolicies = 2.16.840.1.114569.1.1.3\\n"
		 "crlDistributionPoints = URI:https://127.0.0.1:%u/pem/untrusted-cdp.crl\\n"
		 "1.3.6.1.5.5.7.1.26 = ASN1:SEQUENCE:tnauth\\n[tnauth]\\nspc = EXPLICIT:0,IA5STRING:5555\\n'"
		 " >.ca/cdpu.ext;"
		 "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout .ca/cdpu.key"
		 " -subj '/C=US/O=SP CDP untrusted/CN=SHAKEN 5555' -out .ca/cdpu.csr 2>/dev/null;"
		 "openssl x509 -req -in .ca/cdpu.csr -CA untrusted-root.pem -CAkey untrusted-root.key"
		 " -CAcreateserial -days 30 -extfile .ca/cdpu.ext -extensions ext -out cdpu.pem 2>/dev/null;"
		 "cat cdpu.pem untrusted-root.pem >cdpu-chain.pem; chmod 644 cdpu.pem cdpu-chain.pem;"
		 "cp crl/sti-ca.crl.pem untrusted-cdp.crl; chmod 644 untrusted-cdp.crl",
		 testpki_dir(), testhttps_port());
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	env_init(&v, "shaken", false, true, NULL);
	CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, testhttps_url("/pem/cdpu-chain.pem"), time(NULL), resolve_cb,
						&g));
	run_until(&g.calls, 1);
	CU_ASSERT_EQUAL(g.err, CERT_ERR_UNTRUSTED);
	CU_ASSERT_EQUAL(testhttps_count("/pem/untrusted-cdp.crl"), 0);
	CU_ASSERT_EQUAL(cert_domain_crl_sources(v.d), 0);
	env_free(&v);
}

/* A CRL file refreshed on an injected time: past the CRL's nextUpdate
 * every chain under its CA fails (437) until the file is read again; the
 * refresh reads it before nextUpdate, and at once when forced (SIGHUP). */
static void test_crl_refresh_file(void)
{
	struct truststore *ts = store("shaken", false, false);
	STACK_OF(X509) *sk = chain_of("shaken/sp-a-chain.pem");
	char detail[256], path[4200], cmd[12000];
	time_t now = time(NULL), later = now + 31 * 86400L;

	snprintf(path, sizeof(path), "%s/shaken/refresh.crl.pem", testpki_dir());
	snprintf(cmd, sizeof(cmd), "cp '%s/shaken/crl/sti-ca.crl.pem' '%s'", testpki_dir(), path);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_EQUAL(truststore_crl_file_add(ts, path, now), 0);
	CU_ASSERT_EQUAL(truststore_crl_file_add(ts, testpki_path("shaken/nonexistent"), now), -ENOENT);
	CU_ASSERT_EQUAL(truststore_verify(ts, sk, now, detail, sizeof(detail)), CERT_OK);
	/* the CRL (30 days) has run out: 437 for every chain under the STI-CA */
	CU_ASSERT_EQUAL(truststore_verify(ts, sk, later, detail, sizeof(detail)), CERT_ERR_CRL);
	/* the CA publishes a new one (60 days) */
	snprintf(cmd, sizeof(cmd), "cd '%s/shaken' && openssl ca -gencrl -config .ca/sti-ca/ca.cnf -crldays 60"
		 " -out '%s' 2>/dev/null", testpki_dir(), path);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	/* not due yet a minute after loading: nothing read */
	CU_ASSERT_EQUAL(truststore_crl_refresh(ts, now + 60, false), 0);
	CU_ASSERT_EQUAL(truststore_verify(ts, sk, later, detail, sizeof(detail)), CERT_ERR_CRL);
	/* due: read again, and the chain verifies after the old nextUpdate */
	CU_ASSERT_EQUAL(truststore_crl_refresh(ts, later, false), 1);
	CU_ASSERT_EQUAL(truststore_verify(ts, sk, later, detail, sizeof(detail)), CERT_OK);
	/* the same file once more changes nothing (the verified chains stay) */
	CU_ASSERT_EQUAL(truststore_crl_refresh(ts, later, true), 0);
	/* a file that went away keeps the CRL loaded before */
	CU_ASSERT_EQUAL(unlink(path), 0);
	CU_ASSERT_EQUAL(truststore_crl_refresh(ts, later, true), 0);
	CU_ASSERT_EQUAL(truststore_verify(ts, sk, later, detail, sizeof(detail)), CERT_OK);
	/* when the refresh is due */
	{
		X509_CRL *crl = NULL;
		BIO *b = BIO_new_file(testpki_path("shaken/crl/sti-ca.crl.pem"), "r");

		CU_ASSERT_FATAL(b != NULL);
		crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL);
		BIO_free(b);
		CU_ASSERT_FATAL(crl != NULL);
		CU_ASSERT_EQUAL(truststore_crl_due(ts, crl, now), now + TRUSTSTORE_DEFAULT_CRL_REFRESH_S);
		CU_ASSERT_EQUAL(truststore_crl_due(ts, crl, truststore_crl_next_update(crl) - 400),
				truststore_crl_next_update(crl) - TRUSTSTORE_DEFAULT_CRL_MARGIN_S);
		CU_ASSERT_EQUAL(truststore_crl_due(ts, crl, truststore_crl_next_update(crl) + 10),
				truststore_crl_next_update(crl) + 10 + TRUSTSTORE_DEFAULT_CRL_RETRY_S);
		CU_ASSERT_EQUAL(truststore_crl_due(ts, NULL, now), now + TRUSTSTORE_DEFAULT_CRL_RETRY_S);
		X509_CRL_free(crl);
	}
	certchain_free(sk);
	talloc_free(ts);
}

/* A CRL from a distribution point is fetched again, from the timer's
 * refresh, before its nextUpdate: a call after the old nextUpdate needs no
 * fetch of its own.  The CRL's URL keeps its own entry: a failed CRL fetch
 * does not answer for the same URL asked for as an x5u. */
static void test_crl_refresh_cdp(void)
{
	struct rgot g = { 0 }, later_g = { 0 }, as_x5u = { 0 };
	unsigned int before;
	char cmd[4096];
	time_t now, later;
	struct env v;

	/* cdp-good and cdp-revoked exist (test_resolve_cdp); a CRL for one hour */
	snprintf(cmd, sizeof(cmd), "cd '%s/shaken' && openssl ca -gencrl -config .ca/sti-ca/ca.cnf -crlhours 1"
		 " -out sti-ca-cdp.crl 2>/dev/null", testpki_dir());
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	/* the clock after openssl wrote the CRL: its thisUpdate is not after
	 * "now" however long openssl took (a loaded machine, valgrind) */
	now = time(NULL);
	later = now + 2 * 3600;
	env_init(&v, "shaken", false, true, NULL);
	before = testhttps_count("/pem/sti-ca-cdp.crl");
	CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, testhttps_url("/pem/cdp-good-chain.pem"), now, resolve_cb, &g));
	run_until(&g.calls, 1);
	CU_ASSERT_EQUAL(g.err, CERT_OK);
	CU_ASSERT_EQUAL(testhttps_count("/pem/sti-ca-cdp.crl"), before + 1);
	CU_ASSERT_EQUAL(cert_domain_crl_sources(v.d), 1);
	/* not due a minute later */
	CU_ASSERT_EQUAL(cert_domain_crl_refresh(v.d, now + 60, false), 0);
	/* the CA publishes a CRL for three hours; the refresh, due before the
	 * old nextUpdate, fetches it */
	snprintf(cmd, sizeof(cmd), "cd '%s/shaken' && openssl ca -gencrl -config .ca/sti-ca/ca.cnf -crlhours 3"
		 " -out sti-ca-cdp.crl 2>/dev/null", testpki_dir());
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_EQUAL(cert_domain_crl_refresh(v.d, later, false), 1);
	while (testhttps_count("/pem/sti-ca-cdp.crl") < before + 2 || fetcher_in_flight(v.f))
		osmo_select_main(0);
	/* a call two hours on verifies without fetching the CRL itself */
	CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, testhttps_url("/pem/cdp-good-chain.pem"), later, resolve_cb,
						&later_g));
	run_until(&later_g.calls, 1);
	CU_ASSERT_EQUAL(later_g.err, CERT_OK);
	CU_ASSERT_EQUAL(testhttps_count("/pem/sti-ca-cdp.crl"), before + 2);
	/* the CRL gone: the refresh fails, and the CRL URL asked for as an
	 * x5u is fetched as one (not answered "CRL problem" from the CRL's
	 * failure) */
	snprintf(cmd, sizeof(cmd), "rm -f '%s/shaken/sti-ca-cdp.crl'", testpki_dir());
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_EQUAL(cert_domain_crl_refresh(v.d, later, true), 1);
	while (testhttps_count("/pem/sti-ca-cdp.crl") < before + 3 || fetcher_in_flight(v.f))
		osmo_select_main(0);
	CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, testhttps_url("/pem/sti-ca-cdp.crl"), later, resolve_cb,
						&as_x5u));
	run_until(&as_x5u.calls, 1);
	CU_ASSERT_EQUAL(as_x5u.err, CERT_ERR_FETCH);
	CU_ASSERT(strstr(as_x5u.reason, "404") != NULL);
	CU_ASSERT_EQUAL(testhttps_count("/pem/sti-ca-cdp.crl"), before + 4);
	env_free(&v);
}

/* The TSCA domain through its repository template (no SHAKEN profile). */
static void test_resolve_tsca(void)
{
	struct rgot ok = { 0 }, rogue = { 0 };
	char url[512], tmpl[256], cmd[8192], hex[KEYID_HEX_LEN], rhex[KEYID_HEX_LEN];
	uint8_t id[KEYID_LEN];
	X509 *op1 = testpki_cert("tsca/op1-full.pem"), *rg = testpki_cert("tsca/rogue.pem");
	struct env v;

	CU_ASSERT_FATAL(op1 && rg);
	keyid_from_x509(id, op1);
	keyid_to_hex(hex, sizeof(hex), id);
	keyid_from_x509(id, rg);
	keyid_to_hex(rhex, sizeof(rhex), id);
	snprintf(cmd, sizeof(cmd), "cp '%s/tsca/op1-full-chain.pem' '%s/shaken/%s.pem' &&"
		 " cp '%s/tsca/rogue-chain.pem' '%s/shaken/%s.pem'",
		 testpki_dir(), testpki_dir(), hex, testpki_dir(), testpki_dir(), rhex);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	snprintf(tmpl, sizeof(tmpl), "%s", testhttps_url("/pem/{key-id}.pem"));
	env_init(&v, "tsca", true, false, tmpl);

	CU_ASSERT_EQUAL(cert_domain_repo_url(v.d, hex, url, sizeof(url)), 0);
	CU_ASSERT_EQUAL(cert_domain_repo_url(v.d, "../x", url, sizeof(url)), -EINVAL);
	CU_ASSERT_EQUAL(cert_domain_repo_url(v.d, hex, url, 10), -ENOSPC);
	CU_ASSERT_EQUAL(cert_domain_repo_url(v.d, hex, url, sizeof(url)), 0);
	ok.want_leaf = op1;
	CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, url, time(NULL), resolve_cb, &ok));
	run_until(&ok.calls, 1);
	CU_ASSERT_EQUAL(ok.err, CERT_OK);
	CU_ASSERT(ok.key_matches);

	CU_ASSERT_EQUAL(cert_domain_repo_url(v.d, rhex, url, sizeof(url)), 0);
	CU_ASSERT_PTR_NOT_NULL(cert_resolve_x5u(v.d, url, time(NULL), resolve_cb, &rogue));
	run_until(&rogue.calls, 1);
	CU_ASSERT_EQUAL(rogue.err, CERT_ERR_REVOKED);
	CU_ASSERT_EQUAL(rogue.sip, 437);
	env_free(&v);
	X509_free(op1);
	X509_free(rg);
}

static int setup(void *root)
{
	ctx = root;
	if (!testpki_dir() || testhttps_start() < 0)
		return -1;
	return 0;
}

static unsigned int teardown(void)
{
	unsigned int failures = 0;

	testhttps_stop();
	testpki_cleanup();
	if (talloc_total_blocks(ctx) != 1) {
		fprintf(stderr, "truststore_test: talloc blocks left\n");
		failures++;
	}
	return failures;
}

static const struct cunit_test tests[] = {
	{ "verify", test_verify },
	{ "bad_signature", test_bad_signature },
	{ "crl_files", test_crl_files },
	{ "crl_truncate_flip", test_crl_truncate_flip },
	{ "sip_codes", test_sip_codes },
	{ "memo", test_memo },
	{ "resolve", test_resolve },
	{ "resolve_cache", test_resolve_cache },
	{ "resolve_cdp", test_resolve_cdp },
	{ "resolve_policy", test_resolve_policy },
	{ "resolve_busy", test_resolve_busy },
	{ "resolve_cdp_untrusted", test_resolve_cdp_untrusted },
	{ "crl_refresh_file", test_crl_refresh_file },
	{ "crl_refresh_cdp", test_crl_refresh_cdp },
	{ "resolve_tsca", test_resolve_tsca },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "truststore", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "truststore_test",
	.log = CUNIT_LOG_SILENT,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
