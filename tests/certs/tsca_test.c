/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of certs/tsca.c, the TSCA signer directory, on the test PKI of
 * contrib/gen-test-pki.sh and against tests/certs/httpsd as the repository:
 * local directory hits (files named anything, CAs in separate files),
 * keys prepared once, policy classes, the repository (fetch counted at the
 * server, single flight, cache, negative cache), unknown key-ids with and
 * without a repository, fetch failures, a repository serving another
 * operator's certificate, untrusted, revoked (also after the key was in
 * use), expired, the chain without a national CA, reload and cancel. */

#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/Basic.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "certs/cache.h"
#include "certs/fetch.h"
#include "certs/keyid.h"
#include "certs/resolve.h"
#include "certs/tnauthlist.h"
#include "certs/tokenbucket.h"
#include "certs/truststore.h"
#include "certs/tsca.h"
#include "src/core/logging.h"
#include "ss7/sigtoken.h"
#include "tests/certs/testhttps.h"
#include "tests/certs/testpki.h"
#include "tests/cunit_main.h"

static void *ctx;
static char local_dir[4200];

static struct sigtoken_key *key_alloc(void *c, X509 *leaf)
{
	return sigtoken_key_alloc_x509(c, leaf);
}

static void sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
}

static void keyid_of(const char *rel, uint8_t id[KEYID_LEN], char hex[KEYID_HEX_LEN])
{
	X509 *x = testpki_cert(rel);

	CU_ASSERT_FATAL(x != NULL);
	CU_ASSERT_EQUAL_FATAL(keyid_from_x509(id, x), 0);
	keyid_to_hex(hex, KEYID_HEX_LEN, id);
	X509_free(x);
}

/* A local directory as an operator would keep it: names that say nothing,
 * one full chain, a lone leaf whose CAs lie in files of their own, a
 * revoked operator, an expired-looking one, and a SHAKEN certificate. */
static void make_local_dir(void)
{
	const char *p = testpki_dir();

	snprintf(local_dir, sizeof(local_dir), "%s/tsca-local", p);
	sh("set -e; rm -rf '%s'; mkdir '%s'; cd '%s';"
	   "cp '%s/tsca/op1-full-chain.pem' operator-one.crt;"
	   "cp '%s/tsca/op1-prov.pem' 0001;"
	   "cp '%s/tsca/op1-ca.pem' ca-a; cp '%s/tsca/national-ca.pem' ca-b;"
	   "cp '%s/tsca/rogue-chain.pem' rogue.pem;"
	   "cp '%s/shaken/sp-a-chain.pem' not-tsca.pem;"
	   "echo junk >junk.pem; cp operator-one.crt .hidden",
	   local_dir, local_dir, local_dir, p, p, p, p, p, p);
}

static struct truststore *store(bool crls)
{
	struct truststore *ts = truststore_alloc(ctx, "tsca", NULL);

	CU_ASSERT_FATAL(ts != NULL);
	CU_ASSERT_EQUAL(truststore_load_dir(ts, testpki_path("tsca/trust")), 1);
	if (crls)
		CU_ASSERT(truststore_load_crl_dir(ts, testpki_path("tsca/crl")) > 0);
	return ts;
}

struct env {
	struct fetcher *f;
	struct cert_cache *cache;
	struct truststore *ts;
	struct cert_domain *d;
	struct tsca_dir *td;
};

/* tmpl NULL: no domain at all; dir NULL: no local directory */
static void env_init(struct env *v, bool crls, const char *dir, const char *tmpl)
{
	struct fetch_policy pol;
	struct cert_domain_cfg dcfg = { .name = "tsca", .repo_url_template = tmpl };
	struct tsca_cfg cfg;

	memset(v, 0, sizeof(*v));
	v->ts = store(crls);
	if (tmpl) {
		fetch_policy_init(&pol);
		pol.ports[pol.num_ports++] = testhttps_port();
		/* the test server is on loopback, which the default ACL refuses */
		CU_ASSERT_EQUAL(fetch_acl_rule_parse(&pol.acl[pol.num_acl++], "permit", "127.0.0.0/8"), 0);
		pol.ca_file = testhttps_ca_file();
		pol.timeout_ms = 5000;	/* valgrind makes TLS slow */
		pol.connect_timeout_ms = 4000;
		v->f = fetcher_alloc(ctx, "tsca", &pol);
		v->cache = cert_cache_alloc(ctx, NULL);
		CU_ASSERT_FATAL(v->f && v->cache);
		v->d = cert_domain_alloc(ctx, &dcfg, v->f, v->cache, v->ts);
		CU_ASSERT_FATAL(v->d != NULL);
	}
	tsca_cfg_init(&cfg);
	cfg.cert_dir = dir;
	cfg.key_alloc = key_alloc;
	v->td = tsca_dir_alloc(ctx, &cfg, v->ts, v->d);
	CU_ASSERT_FATAL(v->td != NULL);
}

static void env_free(struct env *v)
{
	talloc_free(v->td);
	talloc_free(v->d);
	talloc_free(v->cache);
	talloc_free(v->ts);
	talloc_free(v->f);
}

struct got {
	unsigned int calls;
	enum tsca_err err;
	enum tsca_source source;
	enum tsca_policy policy;
	bool cached;
	struct sigtoken_key *key;
	char subject[TSCA_SUBJECT_MAX];
	char detail[256];
	bool has_tnauth;
	enum tsca_numbers numbers;
	uint8_t spki[KEYID_SPKI_LEN];
};

static void got_cb(const struct tsca_result *res, void *priv)
{
	struct got *g = priv;

	g->calls++;
	g->err = res->err;
	g->source = res->source;
	g->policy = res->policy;
	g->cached = res->cached;
	g->key = res->key;
	g->has_tnauth = res->tnauth != NULL;
	g->numbers = res->numbers;
	if (res->spki_sha256)
		memcpy(g->spki, res->spki_sha256, KEYID_SPKI_LEN);
	snprintf(g->subject, sizeof(g->subject), "%s", res->subject ? res->subject : "");
	snprintf(g->detail, sizeof(g->detail), "%s", res->detail);
	if (res->err == TSCA_OK) {
		CU_ASSERT(res->key && res->leaf);
		CU_ASSERT_EQUAL(memcmp(sigtoken_key_id(res->key), res->key_id, KEYID_LEN), 0);
	} else {
		CU_ASSERT_PTR_NULL(res->key);
		CU_ASSERT(res->detail[0] != '\0');
	}
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

/* One lookup, run to its answer. */
static void lookup(struct env *v, const char *rel, time_t at, struct got *g)
{
	uint8_t id[KEYID_LEN];
	char hex[KEYID_HEX_LEN];

	memset(g, 0, sizeof(*g));
	keyid_of(rel, id, hex);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tsca_lookup(v->td, id, at, got_cb, g));
	CU_ASSERT_EQUAL(g->calls, 0);	/* never from inside the call */
	run_until(&g->calls, 1);
	CU_ASSERT_EQUAL(g->calls, 1);
}

#define WANT(g, e) do { \
	if ((g)->err != (e)) \
		printf("\n  got %s (%s), want %s", get_value_string(tsca_err_names, (g)->err), (g)->detail, \
		       get_value_string(tsca_err_names, (e))); \
	CU_ASSERT_EQUAL((g)->err, (e)); \
} while (0)

/* A HOP made with op1-full's private key verifies with the key found. */
static void check_key_verifies(struct sigtoken_key *vkey)
{
	EVP_PKEY *pk = testpki_key("tsca/op1-full.key");
	struct sigtoken_key *skey;
	struct sigtoken_call call = { .orig = "4930123456", .dest = "12025550100" };
	struct sigtoken tok;

	CU_ASSERT_FATAL(pk != NULL);
	skey = sigtoken_key_alloc(ctx, pk);
	CU_ASSERT_FATAL(skey != NULL);
	memset(&tok, 0, sizeof(tok));
	CU_ASSERT_EQUAL(sigtoken_hop_sign(&tok, skey, 1700000000, &call), 0);
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&tok, vkey, &call), 0);
	tok.hop.sig[5] ^= 1;
	CU_ASSERT_EQUAL(sigtoken_hop_verify(&tok, vkey, &call), -EBADMSG);
	talloc_free(skey);
	EVP_PKEY_free(pk);
}

static void test_local(void)
{
	struct got g, g2;
	struct env v;
	time_t now = time(NULL);

	make_local_dir();
	env_init(&v, true, local_dir, NULL);
	/* op1-full, op1-prov, rogue, the SHAKEN leaf; not the CAs, junk or .hidden */
	CU_ASSERT_EQUAL(tsca_dir_count(v.td), 4);

	lookup(&v, "tsca/op1-full.pem", now, &g);
	WANT(&g, TSCA_OK);
	CU_ASSERT_EQUAL(g.source, TSCA_SRC_LOCAL);
	CU_ASSERT_EQUAL(g.policy, TSCA_POLICY_FULL);
	CU_ASSERT(strstr(g.subject, "CN=Operator One signing") != NULL);
	CU_ASSERT(g.has_tnauth);	/* TN range 4930123400 +100 */
	check_key_verifies(g.key);

	/* prepared once: the same key, no second key_alloc() */
	lookup(&v, "tsca/op1-full.pem", now + 1, &g2);
	WANT(&g2, TSCA_OK);
	CU_ASSERT_PTR_EQUAL(g2.key, g.key);
	CU_ASSERT_EQUAL(tsca_dir_stats(v.td)->keys_prepared, 1);

	/* a lone leaf: its path comes from CA files of the directory */
	lookup(&v, "tsca/op1-prov.pem", now, &g);
	WANT(&g, TSCA_OK);
	CU_ASSERT_EQUAL(g.policy, TSCA_POLICY_PROVISIONAL);
	CU_ASSERT_FALSE(g.has_tnauth);

	lookup(&v, "tsca/rogue.pem", now, &g);
	WANT(&g, TSCA_ERR_REVOKED);
	lookup(&v, "shaken/sp-a.pem", now, &g);
	WANT(&g, TSCA_ERR_UNTRUSTED);

	/* no repository: unknown */
	lookup(&v, "tsca/op2-full.pem", now, &g);
	WANT(&g, TSCA_ERR_UNKNOWN_KEYID);
	CU_ASSERT_EQUAL(tsca_dir_stats(v.td)->repo_lookups, 0);

	/* the synchronous local answer */
	{
		struct tsca_result res;
		uint8_t id[KEYID_LEN];
		char hex[KEYID_HEX_LEN];

		keyid_of("tsca/op1-prov.pem", id, hex);
		CU_ASSERT_EQUAL(tsca_dir_lookup_local(v.td, id, now, &res), 0);
		CU_ASSERT_EQUAL(res.err, TSCA_OK);
		CU_ASSERT_EQUAL(res.policy, TSCA_POLICY_PROVISIONAL);
		keyid_of("tsca/op2-full.pem", id, hex);
		CU_ASSERT_EQUAL(tsca_dir_lookup_local(v.td, id, now, &res), -ENOENT);
		CU_ASSERT_EQUAL(res.err, TSCA_ERR_UNKNOWN_KEYID);
	}

	/* reload: a new operator appears, a removed one disappears */
	sh("cp '%s/tsca/op2-full-chain.pem' '%s/two'; rm '%s/0001'", testpki_dir(), local_dir, local_dir);
	CU_ASSERT_EQUAL(tsca_dir_reload(v.td), 4);
	lookup(&v, "tsca/op2-full.pem", now, &g);
	WANT(&g, TSCA_OK);	/* the chain without a national CA */
	CU_ASSERT_EQUAL(g.policy, TSCA_POLICY_FULL);
	lookup(&v, "tsca/op1-prov.pem", now, &g);
	WANT(&g, TSCA_ERR_UNKNOWN_KEYID);
	env_free(&v);
}

/* What a signer's path grants (ARCHITECTURE §3): the class valid for the whole
 * path (RFC 5280 §6.1), numbers only when a CA holds them and encompasses
 * the leaf's (RFC 9060), whatever the leaf names. */
static void test_path(void)
{
	static const struct {
		const char *rel;
		enum tsca_policy policy;
		enum tsca_numbers numbers;
		bool tnauth;
	} c[] = {
		/* Operator One's CA holds its numbers and grants both classes */
		{ "tsca/op1-full.pem", TSCA_POLICY_FULL, TSCA_NUMBERS_HELD, true },
		{ "tsca/op1-prov.pem", TSCA_POLICY_PROVISIONAL, TSCA_NUMBERS_HELD, false },
		/* Operator Two's CA holds no numbers */
		{ "tsca/op2-full.pem", TSCA_POLICY_FULL, TSCA_NUMBERS_UNCONSTRAINED, false },
		{ "tsca/op2-spoof.pem", TSCA_POLICY_FULL, TSCA_NUMBERS_UNCONSTRAINED, false },
		/* a CA granted the provisional class only: its "full" signer
		 * has no class valid for the path (full is not granted, and the
		 * leaf does not name provisional) */
		{ "tsca/provop-spoof.pem", TSCA_POLICY_UNKNOWN, TSCA_NUMBERS_HELD, true },
		/* a CA's signer claiming numbers beyond the CA's */
		{ "tsca/tnop-spoof.pem", TSCA_POLICY_FULL, TSCA_NUMBERS_EXCEEDED, false },
	};
	const char *p = testpki_dir();
	uint8_t spki[KEYID_SPKI_LEN];
	unsigned int i;
	struct got g;
	struct env v;
	time_t now = time(NULL);

	snprintf(local_dir, sizeof(local_dir), "%s/tsca-path", p);
	sh("set -e; rm -rf '%s'; mkdir '%s'; cd '%s'; for n in op1-full op1-prov op2-full op2-spoof provop-spoof "
	   "tnop-spoof; do cp '%s/tsca/'$n-chain.pem $n; done", local_dir, local_dir, local_dir, p);
	env_init(&v, true, local_dir, NULL);
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		X509 *x = testpki_cert(c[i].rel);

		CU_ASSERT_PTR_NOT_NULL_FATAL(x);
		CU_ASSERT_EQUAL(keyid_spki_sha256(spki, x), 0);
		X509_free(x);
		lookup(&v, c[i].rel, now, &g);
		WANT(&g, TSCA_OK);
		if (g.policy != c[i].policy || g.numbers != c[i].numbers)
			printf("\n  %s: %s, numbers %s", c[i].rel, get_value_string(tsca_policy_names, g.policy),
			       get_value_string(tsca_numbers_names, g.numbers));
		CU_ASSERT_EQUAL(g.policy, c[i].policy);
		CU_ASSERT_EQUAL(g.numbers, c[i].numbers);
		CU_ASSERT_EQUAL(g.has_tnauth, c[i].tnauth);
		CU_ASSERT_EQUAL(memcmp(g.spki, spki, KEYID_SPKI_LEN), 0);
	}
	/* what the leaf names is another matter */
	{
		X509 *x = testpki_cert("tsca/provop-spoof.pem");

		CU_ASSERT_EQUAL(tsca_dir_policy(v.td, x), TSCA_POLICY_FULL);
		X509_free(x);
	}
	env_free(&v);

	/* worked out once per prepared key, and again when the store changes */
	{
		unsigned long calls;

		env_init(&v, false, local_dir, NULL);
		lookup(&v, "tsca/op1-full.pem", now, &g);
		WANT(&g, TSCA_OK);
		calls = truststore_stats(v.ts)->verify_calls;
		lookup(&v, "tsca/op1-full.pem", now, &g);
		CU_ASSERT_EQUAL(truststore_stats(v.ts)->verify_calls, calls);
		CU_ASSERT_EQUAL(truststore_load_crl_file(v.ts, testpki_path("tsca/crl/op1-ca.crl.pem")), 0);
		lookup(&v, "tsca/op1-full.pem", now, &g);
		WANT(&g, TSCA_OK);
		CU_ASSERT_EQUAL(g.policy, TSCA_POLICY_FULL);
		CU_ASSERT_EQUAL(g.numbers, TSCA_NUMBERS_HELD);
		/* the chain, then the path again */
		CU_ASSERT_EQUAL(truststore_stats(v.ts)->verify_calls, calls + 2);
		env_free(&v);
	}

	/* a CA that names neither class grants none: the same chains with the
	 * classes configured under other OIDs */
	{
		struct tsca_cfg cfg;
		struct tsca_dir *td;
		struct tsca_result res;
		uint8_t id[KEYID_LEN];
		char hex[KEYID_HEX_LEN];

		memset(&v, 0, sizeof(v));
		v.ts = store(true);
		tsca_cfg_init(&cfg);
		cfg.cert_dir = local_dir;
		cfg.key_alloc = key_alloc;
		cfg.full_oids[0] = "1.2.3.4";
		td = tsca_dir_alloc(ctx, &cfg, v.ts, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(td);
		keyid_of("tsca/op1-full.pem", id, hex);
		CU_ASSERT_EQUAL(tsca_dir_lookup_local(td, id, now, &res), 0);
		CU_ASSERT_EQUAL(res.err, TSCA_OK);
		CU_ASSERT_EQUAL(res.policy, TSCA_POLICY_UNKNOWN);
		keyid_of("tsca/op1-prov.pem", id, hex);
		CU_ASSERT_EQUAL(tsca_dir_lookup_local(td, id, now, &res), 0);
		CU_ASSERT_EQUAL(res.policy, TSCA_POLICY_PROVISIONAL);
		talloc_free(td);
		talloc_free(v.ts);
	}
}

/* Expiry, and revocation that arrives while the key is in use. */
static void test_time_and_revocation(void)
{
	struct got g;
	struct env v;
	time_t now = time(NULL);

	make_local_dir();
	/* no CRLs: CRLs run out after 30 days and would fail first */
	env_init(&v, false, local_dir, NULL);
	lookup(&v, "tsca/op1-prov.pem", now + 200 * 86400L, &g);	/* lives 182 days */
	WANT(&g, TSCA_ERR_EXPIRED);
	lookup(&v, "tsca/op1-full.pem", now + 200 * 86400L, &g);	/* lives 730 days */
	WANT(&g, TSCA_OK);
	lookup(&v, "tsca/op1-full.pem", now + 800 * 86400L, &g);
	WANT(&g, TSCA_ERR_EXPIRED);
	lookup(&v, "tsca/op1-full.pem", 1546300800 /* 2019 */, &g);
	WANT(&g, TSCA_ERR_NOT_YET_VALID);

	/* the rogue operator passes while nobody has said otherwise ... */
	lookup(&v, "tsca/rogue.pem", now, &g);
	WANT(&g, TSCA_OK);
	/* ... and is shut out as soon as the national CA's CRL is known */
	CU_ASSERT(truststore_load_crl_file(v.ts, testpki_path("tsca/crl/national-ca.crl.pem")) == 0);
	lookup(&v, "tsca/rogue.pem", now, &g);
	WANT(&g, TSCA_ERR_REVOKED);
	CU_ASSERT(tsca_dir_stats(v.td)->rejected >= 1);
	env_free(&v);
}

/* The repository: fetched once for three lookups, cached after, unknown
 * key-ids remembered, another operator's certificate refused. */
static void test_repo(void)
{
	char tmpl[256], hex[KEYID_HEX_LEN], path[64], phex[KEYID_HEX_LEN];
	uint8_t id[KEYID_LEN], pid[KEYID_LEN];
	struct got g[3], x;
	unsigned int before, i;
	struct env v;
	time_t now = time(NULL);

	keyid_of("tsca/op2-full.pem", id, hex);
	keyid_of("tsca/op1-prov.pem", pid, phex);
	/* the server's document root is shaken/ */
	sh("cp '%s/tsca/op2-full-chain.pem' '%s/shaken/%s.pem' &&"
	   "cp '%s/tsca/op2-full-chain.pem' '%s/shaken/%s.pem'",
	   testpki_dir(), testpki_dir(), hex, testpki_dir(), testpki_dir(), phex);
	snprintf(tmpl, sizeof(tmpl), "%s", testhttps_url("/pem/{key-id}.pem"));
	env_init(&v, true, NULL, tmpl);

	snprintf(path, sizeof(path), "/pem/%s.pem", hex);
	before = testhttps_count(path);
	memset(g, 0, sizeof(g));
	for (i = 0; i < 3; i++)
		CU_ASSERT_PTR_NOT_NULL(tsca_lookup(v.td, id, now, got_cb, &g[i]));
	for (i = 0; i < 3; i++) {
		run_until(&g[i].calls, 1);
		WANT(&g[i], TSCA_OK);
		CU_ASSERT_EQUAL(g[i].source, TSCA_SRC_REPO);
		CU_ASSERT_EQUAL(g[i].policy, TSCA_POLICY_FULL);
		CU_ASSERT(strstr(g[i].subject, "O=Operator Two") != NULL);
		CU_ASSERT_PTR_EQUAL(g[i].key, g[0].key);
	}
	CU_ASSERT_EQUAL(testhttps_count(path), before + 1);
	CU_ASSERT_EQUAL(tsca_dir_stats(v.td)->keys_prepared, 1);
	/* again: from the cache, no request */
	lookup(&v, "tsca/op2-full.pem", now, &x);
	WANT(&x, TSCA_OK);
	CU_ASSERT(x.cached);
	CU_ASSERT_EQUAL(testhttps_count(path), before + 1);

	/* the repository answers op1-prov's key-id with op2's chain */
	lookup(&v, "tsca/op1-prov.pem", now, &x);
	WANT(&x, TSCA_ERR_KEYID_MISMATCH);
	CU_ASSERT(strstr(x.detail, hex) != NULL);

	/* unknown to the repository (404), then remembered */
	snprintf(path, sizeof(path), "/pem/%s.pem", "0000000000000000");
	before = testhttps_count(path);
	memset(&x, 0, sizeof(x));
	memset(id, 0, sizeof(id));
	CU_ASSERT_PTR_NOT_NULL(tsca_lookup(v.td, id, now, got_cb, &x));
	run_until(&x.calls, 1);
	WANT(&x, TSCA_ERR_UNKNOWN_KEYID);
	CU_ASSERT(strstr(x.detail, "404") != NULL);
	x.calls = 0;
	CU_ASSERT_PTR_NOT_NULL(tsca_lookup(v.td, id, now, got_cb, &x));
	run_until(&x.calls, 1);
	WANT(&x, TSCA_ERR_UNKNOWN_KEYID);
	CU_ASSERT(x.cached);
	CU_ASSERT_EQUAL(testhttps_count(path), before + 1);

	/* cancelled: never called back */
	memset(&x, 0, sizeof(x));
	tsca_lookup_cancel(tsca_lookup(v.td, id, now, got_cb, &x));
	lookup(&v, "tsca/op2-full.pem", now, &g[0]);
	CU_ASSERT_EQUAL(x.calls, 0);
	env_free(&v);

	/* a repository that cannot be asked (port refused by the fetch policy) */
	env_init(&v, true, NULL, "https://127.0.0.1:1/{key-id}.pem");
	lookup(&v, "tsca/op2-full.pem", now, &x);
	WANT(&x, TSCA_ERR_FETCH);
	env_free(&v);

	/* a domain without a template asks no repository */
	memset(&v, 0, sizeof(v));
	env_init(&v, true, NULL, NULL);
	lookup(&v, "tsca/op2-full.pem", now, &x);
	WANT(&x, TSCA_ERR_UNKNOWN_KEYID);
	env_free(&v);
}

/* The local directory wins over the repository; the repository serves
 * what the directory lacks, revoked operators included (and refused). */
static void test_local_then_repo(void)
{
	char tmpl[256], hex[KEYID_HEX_LEN], path[64];
	uint8_t id[KEYID_LEN];
	struct got g;
	struct env v;
	time_t now = time(NULL);

	make_local_dir();
	keyid_of("tsca/op1-full.pem", id, hex);
	/* the repository would serve junk for op1-full: never asked */
	sh("echo junk >'%s/shaken/%s.pem'", testpki_dir(), hex);
	snprintf(path, sizeof(path), "/pem/%s.pem", hex);
	snprintf(tmpl, sizeof(tmpl), "%s", testhttps_url("/pem/{key-id}.pem"));
	env_init(&v, true, local_dir, tmpl);
	lookup(&v, "tsca/op1-full.pem", now, &g);
	WANT(&g, TSCA_OK);
	CU_ASSERT_EQUAL(g.source, TSCA_SRC_LOCAL);
	CU_ASSERT_EQUAL(testhttps_count(path), 0);
	lookup(&v, "tsca/op2-full.pem", now, &g);	/* copied there by test_repo */
	WANT(&g, TSCA_OK);
	CU_ASSERT_EQUAL(g.source, TSCA_SRC_REPO);
	env_free(&v);
}

static void test_token_bucket(void)
{
	struct token_bucket tb;
	int i;

	token_bucket_init(&tb, 2, 3);
	for (i = 0; i < 3; i++)
		CU_ASSERT(token_bucket_take(&tb, 1000));
	CU_ASSERT_FALSE(token_bucket_take(&tb, 1000));
	CU_ASSERT_FALSE(token_bucket_take(&tb, 1499));	/* 0.998 token */
	CU_ASSERT(token_bucket_take(&tb, 1500));	/* 2/s: one every 500 ms */
	CU_ASSERT_FALSE(token_bucket_take(&tb, 1500));
	CU_ASSERT_FALSE(token_bucket_take(&tb, 1000));	/* a clock going back adds nothing */
	/* a long pause fills it up to the burst, not beyond */
	for (i = 0; i < 3; i++)
		CU_ASSERT(token_bucket_take(&tb, 1000000000000LL));
	CU_ASSERT_FALSE(token_bucket_take(&tb, 1000000000000LL));
	token_bucket_init(&tb, 0, 1);
	CU_ASSERT(token_bucket_take(&tb, 0));
	CU_ASSERT_FALSE(token_bucket_take(&tb, 100000));	/* rate 0: never again */
}

/* An SS7 peer sending random key-ids: each one the cache cannot answer
 * costs a token of the peer's bucket; without one, TSCA_ERR_BUSY and no
 * request.  The local directory and cached answers cost nothing. */
static void test_rate_limit(void)
{
	char tmpl[256], hex[KEYID_HEX_LEN];
	uint8_t ids[6][KEYID_LEN], id[KEYID_LEN];
	struct token_bucket tb;
	struct got g[6], x;
	unsigned int before, i;
	struct env v;
	time_t now = time(NULL);

	make_local_dir();
	snprintf(tmpl, sizeof(tmpl), "%s", testhttps_url("/pem/{key-id}.pem"));
	env_init(&v, true, local_dir, tmpl);
	token_bucket_init(&tb, 1, 2);
	before = testhttps_count("/pem/f00d000000000000.pem") + testhttps_count("/pem/f00d000000000001.pem");
	memset(g, 0, sizeof(g));
	for (i = 0; i < 6; i++) {
		memset(ids[i], 0, KEYID_LEN);
		ids[i][0] = 0xf0;
		ids[i][1] = 0x0d;
		ids[i][7] = (uint8_t)i;
		CU_ASSERT_PTR_NOT_NULL(tsca_lookup_limited(v.td, ids[i], now, &tb, 5000, got_cb, &g[i]));
	}
	for (i = 0; i < 6; i++)
		run_until(&g[i].calls, 1);
	WANT(&g[0], TSCA_ERR_UNKNOWN_KEYID);
	WANT(&g[1], TSCA_ERR_UNKNOWN_KEYID);
	for (i = 2; i < 6; i++) {
		WANT(&g[i], TSCA_ERR_BUSY);
		CU_ASSERT(strstr(g[i].detail, "1/s") != NULL);
	}
	CU_ASSERT_EQUAL(testhttps_count("/pem/f00d000000000000.pem") + testhttps_count("/pem/f00d000000000001.pem"),
			before + 2);
	CU_ASSERT_EQUAL(testhttps_count("/pem/f00d000000000002.pem"), 0);
	CU_ASSERT_EQUAL(tsca_dir_stats(v.td)->rate_limited, 4);
	/* the remembered 404 and the local directory need no token */
	memset(&x, 0, sizeof(x));
	CU_ASSERT_PTR_NOT_NULL(tsca_lookup_limited(v.td, ids[0], now, &tb, 5000, got_cb, &x));
	run_until(&x.calls, 1);
	WANT(&x, TSCA_ERR_UNKNOWN_KEYID);
	CU_ASSERT(x.cached);
	keyid_of("tsca/op1-full.pem", id, hex);
	memset(&x, 0, sizeof(x));
	CU_ASSERT_PTR_NOT_NULL(tsca_lookup_limited(v.td, id, now, &tb, 5000, got_cb, &x));
	run_until(&x.calls, 1);
	WANT(&x, TSCA_OK);
	CU_ASSERT_EQUAL(x.source, TSCA_SRC_LOCAL);
	/* a second later there is a token again */
	memset(&x, 0, sizeof(x));
	CU_ASSERT_PTR_NOT_NULL(tsca_lookup_limited(v.td, ids[2], now, &tb, 6000, got_cb, &x));
	run_until(&x.calls, 1);
	WANT(&x, TSCA_ERR_UNKNOWN_KEYID);
	CU_ASSERT_EQUAL(testhttps_count("/pem/f00d000000000002.pem"), 1);
	env_free(&v);
}

/* A signer's validity period against the bound of its class (ARCHITECTURE
 * §1): provisional 6 months, full 2 years, by default and as configured. */
struct life_case {
	const char *rel;
	enum tsca_err want;
};

static void lifetime_run(struct truststore *ts, unsigned int prov, unsigned int full,
			 const struct life_case *c, unsigned int n)
{
	struct tsca_cfg cfg;
	struct tsca_dir *td;
	struct tsca_result res;
	uint8_t id[KEYID_LEN];
	char hex[KEYID_HEX_LEN];
	unsigned int i;

	tsca_cfg_init(&cfg);
	cfg.key_alloc = key_alloc;
	cfg.cert_dir = local_dir;
	cfg.max_days_prov = prov;
	cfg.max_days_full = full;
	td = tsca_dir_alloc(ctx, &cfg, ts, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(td);
	for (i = 0; i < n; i++) {
		keyid_of(c[i].rel, id, hex);
		CU_ASSERT_EQUAL(tsca_dir_lookup_local(td, id, time(NULL), &res), 0);
		if (res.err != c[i].want)
			printf("\n  max %u/%u: %s: got %s (%s), want %s", prov, full, c[i].rel,
			       get_value_string(tsca_err_names, res.err), res.detail,
			       get_value_string(tsca_err_names, c[i].want));
		CU_ASSERT_EQUAL(res.err, c[i].want);
		if (c[i].want == TSCA_ERR_LIFETIME) {
			CU_ASSERT_PTR_NULL(res.key);
			CU_ASSERT_PTR_NOT_NULL(strstr(res.detail, "days allowed"));
		} else {
			CU_ASSERT_PTR_NOT_NULL(res.key);
		}
	}
	talloc_free(td);
}

static void test_lifetime(void)
{
	/* defaults 184 and 731 days: 182 and 730 pass, 185 and 732 do not */
	static const struct life_case dflt[] = {
		{ "tsca/op1-prov.pem", TSCA_OK },
		{ "tsca/op1-full.pem", TSCA_OK },
		{ "tsca/op1-prov-long.pem", TSCA_ERR_LIFETIME },
		{ "tsca/op1-full-long.pem", TSCA_ERR_LIFETIME },
		/* no class valid for its path: the full bound */
		{ "tsca/provop-spoof.pem", TSCA_OK },
	};
	/* the boundary: a period of exactly the maximum passes, a day less does not */
	static const struct life_case at_bound[] = {
		{ "tsca/op1-prov.pem", TSCA_OK },
		{ "tsca/op1-full.pem", TSCA_OK },
		{ "tsca/provop-spoof.pem", TSCA_OK },
	};
	static const struct life_case below_bound[] = {
		{ "tsca/op1-prov.pem", TSCA_ERR_LIFETIME },
		{ "tsca/op1-full.pem", TSCA_ERR_LIFETIME },
		{ "tsca/provop-spoof.pem", TSCA_ERR_LIFETIME },
	};
	/* each class by its own bound: the provisional bound does not touch full signers */
	static const struct life_case prov_only[] = {
		{ "tsca/op1-prov.pem", TSCA_ERR_LIFETIME },
		{ "tsca/op1-full.pem", TSCA_OK },
		{ "tsca/op1-full-long.pem", TSCA_OK },
	};
	static const struct life_case no_limit[] = {
		{ "tsca/op1-prov-long.pem", TSCA_OK },
		{ "tsca/op1-full-long.pem", TSCA_OK },
	};
	struct truststore *ts = store(false);
	struct tsca_cfg cfg;
	const char *p = testpki_dir();

	snprintf(local_dir, sizeof(local_dir), "%s/tsca-life", p);
	sh("set -e; rm -rf '%s'; mkdir '%s'; cd '%s'; for n in op1-full op1-prov op1-full-long op1-prov-long "
	   "provop-spoof; do cp '%s/tsca/'$n-chain.pem $n; done", local_dir, local_dir, local_dir, p);
	tsca_cfg_init(&cfg);
	CU_ASSERT_EQUAL(cfg.max_days_prov, 184);
	CU_ASSERT_EQUAL(cfg.max_days_full, 731);
	lifetime_run(ts, cfg.max_days_prov, cfg.max_days_full, dflt, ARRAY_SIZE(dflt));
	lifetime_run(ts, 182, 730, at_bound, ARRAY_SIZE(at_bound));
	lifetime_run(ts, 181, 729, below_bound, ARRAY_SIZE(below_bound));
	lifetime_run(ts, 181, 0, prov_only, ARRAY_SIZE(prov_only));
	lifetime_run(ts, 0, 0, no_limit, ARRAY_SIZE(no_limit));
	/* a lookup through the loop answers the same */
	{
		struct env v;
		struct got g;

		env_init(&v, false, local_dir, NULL);
		lookup(&v, "tsca/op1-prov-long.pem", time(NULL), &g);
		WANT(&g, TSCA_ERR_LIFETIME);
		CU_ASSERT_PTR_NOT_NULL(strstr(g.detail, "provisional certificate is valid for 185 days"));
		lookup(&v, "tsca/op1-full-long.pem", time(NULL), &g);
		WANT(&g, TSCA_ERR_LIFETIME);
		CU_ASSERT_PTR_NOT_NULL(strstr(g.detail, "full certificate is valid for 732 days"));
		CU_ASSERT(tsca_dir_stats(v.td)->rejected >= 2);
		env_free(&v);
	}
	/* beyond 20 years is a configuration error */
	tsca_cfg_init(&cfg);
	cfg.key_alloc = key_alloc;
	cfg.max_days_full = TSCA_MAX_DAYS_LIMIT + 1;
	CU_ASSERT_PTR_NULL(tsca_dir_alloc(ctx, &cfg, ts, NULL));
	talloc_free(ts);
}

static void test_cfg(void)
{
	struct truststore *ts = store(false);
	struct tsca_cfg cfg;
	struct tsca_dir *td;
	X509 *prov = testpki_cert("tsca/op1-prov.pem"), *full = testpki_cert("tsca/op1-full.pem");
	X509 *sp = testpki_cert("shaken/sp-a.pem");
	int i;

	CU_ASSERT_FATAL(prov && full && sp);
	for (i = 0; i < _NUM_TSCA_ERR; i++)
		CU_ASSERT(strcmp(get_value_string(tsca_err_names, i), "unknown") != 0);
	tsca_cfg_init(&cfg);
	CU_ASSERT_PTR_NULL(tsca_dir_alloc(ctx, &cfg, ts, NULL));	/* no key_alloc */
	cfg.key_alloc = key_alloc;
	cfg.cert_dir = "/nonexistent/tsca";
	CU_ASSERT_PTR_NULL(tsca_dir_alloc(ctx, &cfg, ts, NULL));
	cfg.cert_dir = NULL;
	cfg.full_oids[0] = "not an oid";
	CU_ASSERT_PTR_NULL(tsca_dir_alloc(ctx, &cfg, ts, NULL));
	/* configured classes: the provisional OID declared full */
	cfg.full_oids[0] = TSCA_DEFAULT_PROV_OID;
	cfg.num_prov_oids = 0;
	td = tsca_dir_alloc(ctx, &cfg, ts, NULL);
	CU_ASSERT_FATAL(td != NULL);
	CU_ASSERT_EQUAL(tsca_dir_policy(td, prov), TSCA_POLICY_FULL);
	CU_ASSERT_EQUAL(tsca_dir_policy(td, full), TSCA_POLICY_UNKNOWN);
	CU_ASSERT_EQUAL(tsca_dir_count(td), 0);
	talloc_free(td);
	/* both classes named: provisional wins */
	tsca_cfg_init(&cfg);
	cfg.key_alloc = key_alloc;
	cfg.full_oids[1] = TSCA_DEFAULT_PROV_OID;
	cfg.num_full_oids = 2;
	td = tsca_dir_alloc(ctx, &cfg, ts, NULL);
	CU_ASSERT_FATAL(td != NULL);
	CU_ASSERT_EQUAL(tsca_dir_policy(td, prov), TSCA_POLICY_PROVISIONAL);
	CU_ASSERT_EQUAL(tsca_dir_policy(td, full), TSCA_POLICY_FULL);
	CU_ASSERT_EQUAL(tsca_dir_policy(td, sp), TSCA_POLICY_UNKNOWN);	/* the SHAKEN CP */
	talloc_free(td);
	X509_free(prov);
	X509_free(full);
	X509_free(sp);
	talloc_free(ts);
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
		fprintf(stderr, "tsca_test: talloc blocks left\n");
		talloc_report_full(ctx, stderr);
		failures++;
	}
	return failures;
}

static const struct cunit_test tests[] = {
	{ "cfg", test_cfg },
	{ "local", test_local },
	{ "path", test_path },
	{ "lifetime", test_lifetime },
	{ "time_and_revocation", test_time_and_revocation },
	{ "repo", test_repo },
	{ "local_then_repo", test_local_then_repo },
	{ "token_bucket", test_token_bucket },
	{ "rate_limit", test_rate_limit },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "tsca", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "tsca_test",
	.log = CUNIT_LOG_SILENT,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
