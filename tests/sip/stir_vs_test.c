/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of sip/stir_vs.c and sip/stir_as.c: every STI-VS check with its SIP
 * code (RFC 8224 §6.2, ATIS-1000074 §5.3) against the test PKI served by
 * tests/certs/httpsd; the worker-pool path; cancellation; one fetch shared
 * by concurrent calls; a cache hit costing one signature verification and
 * no fetch; and the STI-AS (credential checks, origid policy, pool). */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <CUnit/Basic.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "certs/cache.h"
#include "certs/credential.h"
#include "certs/fetch.h"
#include "certs/resolve.h"
#include "certs/truststore.h"
#include "sip/identity.h"
#include "sip/stir_as.h"
#include "sip/stir_vs.h"
#include "src/core/workq.h"
#include "tests/certs/testhttps.h"
#include "tests/certs/testpki.h"
#include "tests/cunit_main.h"

#define ORIG "12025550002"
#define DEST "12025550001"

static void *ctx;

/* ------------------------------------------------------------- helpers */

struct got {
	unsigned int calls;
	int code;
	enum stir_verstat verstat;
	enum stir_vs_step step;
	char reason[64];
	char attest;
	char origid[64];
	char spc[32];
	bool canonical, cached, have_pp;
	unsigned int div;
	int64_t iat;
	char detail[256];
	enum stir_vs_div div_outcome;
	char div_detail[256];
	char judged_dest[32];
	bool have_div_pp;
};

static void vs_cb(const struct stir_vs_result *res, void *priv)
{
	struct got *g = priv;

	g->calls++;
	g->code = res->code;
	g->verstat = res->verstat;
	snprintf(g->detail, sizeof(g->detail), "%s", res->detail ? res->detail : "");
	g->step = res->step;
	snprintf(g->reason, sizeof(g->reason), "%s", res->reason);
	g->attest = res->attest;
	snprintf(g->origid, sizeof(g->origid), "%s", res->origid);
	snprintf(g->spc, sizeof(g->spc), "%s", res->spc);
	g->canonical = res->canonical;
	g->cached = res->cert_cached;
	g->have_pp = res->pp != NULL;
	g->div = res->num_div_ignored;
	g->iat = res->pp ? res->pp->iat : 0;
	g->div_outcome = res->div;
	snprintf(g->div_detail, sizeof(g->div_detail), "%s", res->div_detail ? res->div_detail : "");
	snprintf(g->judged_dest, sizeof(g->judged_dest), "%s", res->judged_dest ? res->judged_dest : "");
	g->have_div_pp = res->div_pp != NULL;
}

static bool guard_fired;
static void guard_cb(void *data)
{
	guard_fired = true;
}

/* Run the loop until *calls reaches n; a guard timer fails the test
 * instead of hanging (it is not a synchronisation). */
static void run_until(const unsigned int *calls, unsigned int n)
{
	struct osmo_timer_list guard = { 0 };

	guard_fired = false;
	osmo_timer_setup(&guard, guard_cb, NULL);
	osmo_timer_schedule(&guard, 20, 0);
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
	struct stiwf_workq *wq;
	struct stir_vs *vs;
};

/* the fetcher's in-flight cap of the next env_init(), 0: the default */
static unsigned int env_max_in_flight;

static void env_init(struct env *v, unsigned int threads)
{
	struct fetch_policy pol;
	struct truststore_cfg tcfg;
	struct cert_domain_cfg dcfg = { .name = "shaken", .shaken_profile = true };
	char dir[4200];

	memset(v, 0, sizeof(*v));
	fetch_policy_init(&pol);
	pol.ports[pol.num_ports++] = testhttps_port();
	/* the test server is on loopback, which the default ACL refuses */
	CU_ASSERT_EQUAL(fetch_acl_rule_parse(&pol.acl[pol.num_acl++], "permit", "127.0.0.0/8"), 0);
	pol.ca_file = testhttps_ca_file();
	pol.timeout_ms = 5000;	/* valgrind makes TLS slow */
	pol.connect_timeout_ms = 4000;
	if (env_max_in_flight)
		pol.max_in_flight = env_max_in_flight;
	v->f = fetcher_alloc(ctx, "x5u", &pol);
	v->cache = cert_cache_alloc(ctx, NULL);
	truststore_cfg_init(&tcfg);
	v->ts = truststore_alloc(ctx, "shaken", &tcfg);
	CU_ASSERT_FATAL(v->f && v->cache && v->ts);
	snprintf(dir, sizeof(dir), "%s/shaken/trust", testpki_dir());
	CU_ASSERT_EQUAL(truststore_load_dir(v->ts, dir), 1);
	/* the STI-CA's CRL revokes sp-revoked */
	CU_ASSERT_EQUAL(truststore_load_crl_file(v->ts, testpki_path("shaken/crl/sti-ca.crl.pem")), 0);
	v->d = cert_domain_alloc(ctx, &dcfg, v->f, v->cache, v->ts);
	CU_ASSERT_FATAL(v->d != NULL);
	if (threads) {
		v->wq = stiwf_workq_create(ctx, threads);
		CU_ASSERT_FATAL(v->wq != NULL);
	}
	v->vs = stir_vs_alloc(ctx, v->d, v->wq);
	CU_ASSERT_FATAL(v->vs != NULL);
}

static void env_free(struct env *v)
{
	talloc_free(v->vs);
	if (v->wq)
		stiwf_workq_destroy(v->wq);
	talloc_free(v->d);
	talloc_free(v->cache);
	talloc_free(v->ts);
	talloc_free(v->f);
}

/* Sign with the test PKI's NAME.key / NAME-chain.pem, x5u = PATH on the
 * test server; the Identity header value goes to out. */
static void sign(char *out, size_t outlen, const char *name, const char *path, const char *orig,
		 const char *dest, int64_t iat)
{
	struct stir_as_cfg cfg = { .attest = 'A' };
	struct stir_as_input in = { .orig_tn = orig, .dest_tn = dest, .iat = iat };
	char key[4200], chain[4200];
	struct passport *pp = talloc_zero(ctx, struct passport);
	struct stir_as *as;
	int rc;

	snprintf(key, sizeof(key), "%s", testpki_path(name));
	strcat(key, ".key");
	snprintf(chain, sizeof(chain), "%s", testpki_path(name));
	strcat(chain, "-chain.pem");
	rc = stir_as_load(ctx, &as, key, chain, testhttps_url(path), &cfg, NULL);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_FATAL(stir_as_sign_sync(as, &in, pp, out, outlen) > 0);
	talloc_free(as);
	talloc_free(pp);
}

static struct got verify(struct env *v, const struct stir_vs_cfg *cfg, const char *const *ident,
			 unsigned int n, const char *orig, const char *dest, const char *date, time_t now)
{
	struct stir_vs_input in = {
		.identity = ident, .num_identity = n, .orig_tn = orig, .dest_tn = dest,
		.date = date, .now = now,
	};
	struct got g = { 0 };

	CU_ASSERT_FATAL(stir_vs_verify(v->vs, NULL, cfg, &in, vs_cb, &g) != NULL);
	/* never answered from inside stir_vs_verify() */
	CU_ASSERT_EQUAL(g.calls, 0);
	run_until(&g.calls, 1);
	CU_ASSERT_EQUAL(g.calls, 1);
	return g;
}

static struct got verify1(struct env *v, const char *ident, const char *orig, const char *dest, time_t now)
{
	return verify(v, NULL, &ident, 1, orig, dest, NULL, now);
}

/* Certificates the PKI script does not make, issued by its STI-CA with the
 * openssl CLI into the server's document root: a leaf without TNAuthList
 * and a P-384 leaf with one (both served with the STI-CA as their chain). */
static int make_odd_certs(void)
{
	const char *dir = testpki_dir();
	char cmd[16384];

	snprintf(cmd, sizeof(cmd),
		 "set -e; cd '%s/shaken'; umask 077;"
		 "printf '[ext]\\nbasicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature\\n"
		 "certificatePolicies=2.16.840.1.114569.1.1.3\\nsubjectKeyIdentifier=hash\\n"
		 "authorityKeyIdentifier=keyid:always\\n' >notn.ext;"
		 "cp notn.ext p384.ext;"
		 "printf '1.3.6.1.5.5.7.1.26=ASN1:SEQUENCE:tnauth\\n[tnauth]\\nspc=EXPLICIT:0,IA5STRING:4445\\n'"
		 " >>p384.ext;"
		 "for n in notn:P-256 p384:P-384; do c=${n%%:*}; k=${n#*:};"
		 " openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:$k -nodes -keyout $c.key -out $c.csr"
		 "  -subj \"/C=US/O=Odd/CN=SHAKEN 4445\" 2>/dev/null;"
		 " openssl x509 -req -in $c.csr -CA sti-ca.pem -CAkey sti-ca.key -set_serial 0x$(openssl rand -hex 8)"
		 "  -days 30 -extfile $c.ext -extensions ext -out $c.pem 2>/dev/null;"
		 " cat $c.pem sti-ca.pem >$c-chain.pem; chmod 644 $c.pem $c-chain.pem; done",
		 dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------ the tests */

struct vcase {
	const char *what;
	const char *signer;	/* PKI name */
	const char *path;	/* x5u path on the test server */
	const char *sign_orig;
	long iat_offset;
	const char *req_orig, *req_dest;
	int code;
	enum stir_vs_step step;
};

/* Each check, in the order of stir_vs.h, with its code. */
static void test_checks(void)
{
	static const struct vcase cases[] = {
		{ "pass", "shaken/sp-a", "/pem/sp-a-chain.pem", ORIG, 0, ORIG, DEST, 0, STIR_VS_STEP_NONE },
		{ "stale", "shaken/sp-a", "/pem/sp-a-chain.pem", ORIG, -61, ORIG, DEST, 403, STIR_VS_STEP_FRESHNESS },
		{ "future", "shaken/sp-a", "/pem/sp-a-chain.pem", ORIG, 61, ORIG, DEST, 403, STIR_VS_STEP_FRESHNESS },
		{ "edge of window", "shaken/sp-a", "/pem/sp-a-chain.pem", ORIG, -60, ORIG, DEST, 0, STIR_VS_STEP_NONE },
		{ "wrong orig", "shaken/sp-a", "/pem/sp-a-chain.pem", ORIG, 0, "12025550003", DEST, 438, STIR_VS_STEP_CLAIMS },
		{ "wrong dest", "shaken/sp-a", "/pem/sp-a-chain.pem", ORIG, 0, ORIG, "12025550009", 438, STIR_VS_STEP_CLAIMS },
		{ "untrusted", "shaken/sp-untrusted", "/pem/sp-untrusted-chain.pem", ORIG, 0, ORIG, DEST, 437, STIR_VS_STEP_CREDENTIAL },
		{ "expired", "shaken/sp-expired", "/pem/sp-expired-chain.pem", ORIG, 0, ORIG, DEST, 437, STIR_VS_STEP_CREDENTIAL },
		{ "revoked (CRL file)", "shaken/sp-revoked", "/pem/sp-revoked-chain.pem", ORIG, 0, ORIG, DEST, 437, STIR_VS_STEP_CREDENTIAL },
		{ "no TNAuthList", "shaken/sp-a", "/pem/notn-chain.pem", ORIG, 0, ORIG, DEST, 437, STIR_VS_STEP_CREDENTIAL },
		{ "CA as signer (profile)", "shaken/sp-a", "/pem/sti-ca.pem", ORIG, 0, ORIG, DEST, 437, STIR_VS_STEP_CREDENTIAL },
		{ "P-384 key", "shaken/sp-a", "/pem/p384-chain.pem", ORIG, 0, ORIG, DEST, 437, STIR_VS_STEP_CREDENTIAL },
		{ "cannot fetch", "shaken/sp-a", "/pem/nonexistent.pem", ORIG, 0, ORIG, DEST, 436, STIR_VS_STEP_CREDENTIAL },
		{ "garbage", "shaken/sp-a", "/garbage", ORIG, 0, ORIG, DEST, 436, STIR_VS_STEP_CREDENTIAL },
		{ "wrong signer", "shaken/sp-b", "/pem/sp-a-chain.pem", ORIG, 0, ORIG, DEST, 438, STIR_VS_STEP_SIGNATURE },
		{ "delegate covers orig", "shaken/delegate", "/pem/delegate-chain.pem", "12025550150", 0, "12025550150", DEST, 0, STIR_VS_STEP_NONE },
		{ "delegate single TN", "shaken/delegate", "/pem/delegate-chain.pem", "12025559999", 0, "12025559999", DEST, 0, STIR_VS_STEP_NONE },
		{ "delegate not orig", "shaken/delegate", "/pem/delegate-chain.pem", "12025550200", 0, "12025550200", DEST, 438, STIR_VS_STEP_AUTHORITY },
	};
	char value[STIR_AS_IDENTITY_MAX];
	time_t now = time(NULL);
	struct env v;
	size_t i;

	env_init(&v, 0);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct vcase *c = &cases[i];
		struct got g;

		sign(value, sizeof(value), c->signer, c->path, c->sign_orig, DEST, now + c->iat_offset);
		g = verify1(&v, value, c->req_orig, c->req_dest, now);
		if (g.code != c->code || g.step != c->step)
			printf("\n  %s: %d (%s), want %d (%s)", c->what, g.code,
			       get_value_string(stir_vs_step_names, g.step), c->code,
			       get_value_string(stir_vs_step_names, c->step));
		CU_ASSERT_EQUAL(g.code, c->code);
		CU_ASSERT_EQUAL(g.step, c->step);
		CU_ASSERT_STRING_EQUAL(g.reason, c->code ? stir_error_phrase(c->code) : "OK");
		CU_ASSERT_EQUAL(g.verstat, c->code ? STIR_VERSTAT_FAILED : STIR_VERSTAT_PASSED);
		/* the PASSporT decoded in every case: the IWF gets it */
		CU_ASSERT(g.have_pp);
		CU_ASSERT_EQUAL(g.attest, 'A');
		CU_ASSERT_EQUAL(strlen(g.origid), 36);
		if (c->code == 0) {
			/* the delegate certificate lists numbers, no SPC */
			CU_ASSERT_STRING_EQUAL(g.spc, strcmp(c->signer, "shaken/delegate") ? "1234" : "");
			CU_ASSERT(g.canonical);
		}
	}
	env_free(&v);
}

/* Syntax, info, Date, several Identity headers, 428. */
static void test_headers(void)
{
	char value[STIR_AS_IDENTITY_MAX], other[STIR_AS_IDENTITY_MAX], buf[STIR_AS_IDENTITY_MAX + 64];
	const char *two[2];
	time_t now = time(NULL);
	struct stir_vs_cfg cfg;
	struct env v;
	struct got g;
	char *p, *token;
	size_t pos;

	env_init(&v, 0);
	sign(value, sizeof(value), "shaken/sp-a", "/pem/sp-a-chain.pem", ORIG, DEST, now);

	/* a signature character changed (not the last one: padding bits) */
	snprintf(buf, sizeof(buf), "%s", value);
	p = strchr(buf, ';');
	pos = (size_t)(p - buf) - 10;
	buf[pos] = buf[pos] == 'A' ? 'B' : 'A';
	g = verify1(&v, buf, ORIG, DEST, now);
	CU_ASSERT_EQUAL(g.code, 438);
	CU_ASSERT_EQUAL(g.step, STIR_VS_STEP_SIGNATURE);

	/* info naming another URL than x5u */
	snprintf(buf, sizeof(buf), "%.*s;info=<%s>;alg=ES256;ppt=shaken", (int)(strchr(value, ';') - value),
		 value, testhttps_url("/pem/sp-b-chain.pem"));
	g = verify1(&v, buf, ORIG, DEST, now);
	CU_ASSERT_EQUAL(g.code, 436);
	CU_ASSERT_EQUAL(g.step, STIR_VS_STEP_INFO);

	/* not an Identity header value; a header that is not a PASSporT */
	g = verify1(&v, "garbage", ORIG, DEST, now);
	CU_ASSERT_EQUAL(g.code, 438);
	CU_ASSERT_EQUAL(g.step, STIR_VS_STEP_SYNTAX);
	CU_ASSERT_FALSE(g.have_pp);
	CU_ASSERT_EQUAL(g.attest, 0);
	g = verify1(&v, "YQ.YQ.YQ;info=<https://x.example/a.pem>", ORIG, DEST, now);
	CU_ASSERT_EQUAL(g.code, 438);
	CU_ASSERT_EQUAL(g.step, STIR_VS_STEP_SYNTAX);

	/* the compact form cannot be rebuilt for SHAKEN */
	token = strchr(value, '.');
	token = strchr(token + 1, '.');
	snprintf(buf, sizeof(buf), "..%s", token + 1);
	g = verify1(&v, buf, ORIG, DEST, now);
	CU_ASSERT_EQUAL(g.code, 438);
	CU_ASSERT_EQUAL(g.step, STIR_VS_STEP_SYNTAX);

	/* no Identity: No-TN-Validation, or 428 when the peer requires one */
	g = verify(&v, NULL, NULL, 0, ORIG, DEST, NULL, now);
	CU_ASSERT_EQUAL(g.code, 0);
	CU_ASSERT_EQUAL(g.verstat, STIR_VERSTAT_NO_VALIDATION);
	stir_vs_cfg_init(&cfg);
	cfg.identity_required = true;
	g = verify(&v, &cfg, NULL, 0, ORIG, DEST, NULL, now);
	CU_ASSERT_EQUAL(g.code, 428);
	CU_ASSERT_STRING_EQUAL(g.reason, "Use Identity Header");
	CU_ASSERT_EQUAL(g.verstat, STIR_VERSTAT_NO_VALIDATION);

	/* a bad header first, the SHAKEN one second: the SHAKEN one decides */
	two[0] = "garbage";
	two[1] = value;
	g = verify(&v, NULL, two, 2, ORIG, DEST, NULL, now);
	CU_ASSERT_EQUAL(g.code, 0);

	/* a "div" PASSporT (RFC 8946) beside it that does not lead to the
	 * called number fails, and extends nothing: the SHAKEN one decides */
	{
		struct passport *pp = talloc_zero(ctx, struct passport);
		const char *dst[1] = { "12025550077" };
		EVP_PKEY *key = testpki_key("shaken/sp-a.key");
		int n;

		CU_ASSERT_EQUAL(passport_init_div(pp, testhttps_url("/pem/sp-a-chain.pem"), ORIG, dst, 1, now,
						  DEST), 0);
		CU_ASSERT_EQUAL(passport_sign(pp, key), 0);
		n = passport_full_form(pp, other, sizeof(other));
		CU_ASSERT(n > 0);
		snprintf(other + n, sizeof(other) - n, ";info=<%s>;ppt=div", testhttps_url("/pem/sp-a-chain.pem"));
		two[0] = other;
		two[1] = value;
		g = verify(&v, NULL, two, 2, ORIG, DEST, NULL, now);
		if (g.code)
			printf("\n  div + shaken: %d at %s", g.code, get_value_string(stir_vs_step_names, g.step));
		CU_ASSERT_EQUAL(g.code, 0);
		CU_ASSERT_EQUAL(g.div, 0);
		CU_ASSERT_EQUAL(g.div_outcome, STIR_VS_DIV_FAILED);
		CU_ASSERT_PTR_NOT_NULL(strstr(g.div_detail, "'div' PASSporT 'dest' is not the called number"));
		CU_ASSERT_STRING_EQUAL(g.judged_dest, DEST);
		/* alone, it extends nothing */
		g = verify(&v, NULL, two, 1, ORIG, DEST, NULL, now);
		CU_ASSERT_EQUAL(g.code, 438);
		CU_ASSERT_EQUAL(g.div, 1);
		EVP_PKEY_free(key);
		talloc_free(pp);
	}

	/* the Date header, when the peer checks it (RFC 8224 §6.2.1) */
	{
		char date[64], old[64];
		time_t t = now, t2 = now - 120;
		struct tm tm;

		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&t, &tm));
		strftime(old, sizeof(old), "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&t2, &tm));
		stir_vs_cfg_init(&cfg);
		cfg.check_date = true;
		g = verify(&v, &cfg, (const char *const *)&(const char *){ value }, 1, ORIG, DEST, date, now);
		CU_ASSERT_EQUAL(g.code, 0);
		g = verify(&v, &cfg, (const char *const *)&(const char *){ value }, 1, ORIG, DEST, old, now);
		CU_ASSERT_EQUAL(g.code, 403);
		CU_ASSERT_STRING_EQUAL(g.reason, "Stale Date");
		g = verify(&v, &cfg, (const char *const *)&(const char *){ value }, 1, ORIG, DEST, "yesterday", now);
		CU_ASSERT_EQUAL(g.code, 403);
		/* off: the Date is not looked at */
		cfg.check_date = false;
		g = verify(&v, &cfg, (const char *const *)&(const char *){ value }, 1, ORIG, DEST, old, now);
		CU_ASSERT_EQUAL(g.code, 0);
		/* a wider window lets an older iat through */
		sign(other, sizeof(other), "shaken/sp-a", "/pem/sp-a-chain.pem", ORIG, DEST, now - 100);
		cfg.max_age = 120;
		g = verify(&v, &cfg, (const char *const *)&(const char *){ other }, 1, ORIG, DEST, NULL, now);
		CU_ASSERT_EQUAL(g.code, 0);
	}
	env_free(&v);
}

/* A caller's decoded PASSporT (stir_vs_input.pp) stands for the token only
 * when the token carries its signing input and signature: it spares the
 * decoding, it never hides a token that differs. */
static struct got verify_pp(struct env *v, const char *ident, const struct passport *pp, time_t now)
{
	const char *values[1] = { ident };
	struct stir_vs_input in = {
		.identity = values, .num_identity = 1, .orig_tn = ORIG, .dest_tn = DEST, .now = now, .pp = pp,
	};
	struct got g = { 0 };

	CU_ASSERT_FATAL(stir_vs_verify(v->vs, NULL, NULL, &in, vs_cb, &g) != NULL);
	run_until(&g.calls, 1);
	CU_ASSERT_EQUAL(g.calls, 1);
	return g;
}

static void test_decoded_pp(void)
{
	char value[STIR_AS_IDENTITY_MAX], bad[STIR_AS_IDENTITY_MAX], other[STIR_AS_IDENTITY_MAX];
	struct passport *pp = talloc_zero(ctx, struct passport);
	struct identity_hdr ih;
	time_t now = time(NULL);
	struct env v;
	struct got g;
	char *dot;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pp);
	env_init(&v, 0);
	sign(value, sizeof(value), "shaken/sp-a", "/pem/sp-a-chain.pem", ORIG, DEST, now);
	CU_ASSERT_EQUAL_FATAL(identity_hdr_parse(&ih, value, strlen(value)), 0);
	CU_ASSERT_EQUAL_FATAL(passport_decode(pp, ih.token.ptr, ih.token.len), 0);

	g = verify_pp(&v, value, pp, now);
	CU_ASSERT_EQUAL(g.code, 0);
	CU_ASSERT(g.have_pp && g.canonical);
	CU_ASSERT_EQUAL(g.attest, 'A');

	/* the token's signature differs from the copy's (a character before
	 * the parameters flipped): the token decides */
	snprintf(bad, sizeof(bad), "%s", value);
	dot = strchr(bad, ';');
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	dot[-2] = dot[-2] == 'A' ? 'B' : 'A';
	g = verify_pp(&v, bad, pp, now);
	CU_ASSERT_EQUAL(g.code, 438);

	/* another PASSporT's copy: ignored, the token is decoded and verifies */
	sign(other, sizeof(other), "shaken/sp-a", "/pem/sp-a-chain.pem", ORIG, DEST, now - 1);
	g = verify_pp(&v, other, pp, now);
	CU_ASSERT_EQUAL(g.code, 0);
	CU_ASSERT_EQUAL(g.iat, (int64_t)now - 1);

	/* a wrong signer is caught with or without the copy */
	sign(other, sizeof(other), "shaken/sp-b", "/pem/sp-a-chain.pem", ORIG, DEST, now);
	CU_ASSERT_EQUAL_FATAL(identity_hdr_parse(&ih, other, strlen(other)), 0);
	CU_ASSERT_EQUAL_FATAL(passport_decode(pp, ih.token.ptr, ih.token.len), 0);
	g = verify_pp(&v, other, pp, now);
	CU_ASSERT_EQUAL(g.code, 438);
	CU_ASSERT_EQUAL(g.step, STIR_VS_STEP_SIGNATURE);
	env_free(&v);
	talloc_free(pp);
}

/* A "div" PASSporT (RFC 8946) signed with the test PKI's NAME.key, x5u =
 * PATH on the test server, as an Identity header value into out. */
static void sign_div(char *out, size_t outlen, const char *name, const char *path, const char *orig,
		     const char *dest, const char *div, int64_t iat)
{
	struct passport *pp = talloc_zero(ctx, struct passport);
	const char *dst[1] = { dest };
	char key[256];
	EVP_PKEY *k;
	int n;

	snprintf(key, sizeof(key), "%s.key", name);
	k = testpki_key(key);
	CU_ASSERT_FATAL(k != NULL);
	CU_ASSERT_EQUAL_FATAL(passport_init_div(pp, testhttps_url(path), orig, dst, 1, iat, div), 0);
	CU_ASSERT_EQUAL_FATAL(passport_sign(pp, k), 0);
	n = passport_full_form(pp, out, outlen);
	CU_ASSERT_FATAL(n > 0);
	snprintf(out + n, outlen - n, ";info=<%s>;alg=ES256;ppt=div", testhttps_url(path));
	EVP_PKEY_free(k);
	talloc_free(pp);
}

#define FWD_FROM "12025550300"	/* the number first called, busy */
#define FWD_TO "12025550377"	/* where it forwarded the call */

struct divcase {
	const char *what;
	const char *signer, *path;	/* the div PASSporT's */
	const char *orig, *dest, *div;
	long iat_offset;
	enum stir_vs_div outcome;
	const char *detail;		/* in the div detail */
	int code;			/* of the whole request */
};

/* RFC 8946 §4: a forwarded call verifies through its div PASSporT; a div
 * PASSporT that fails any check extends nothing, and the call fails as it
 * would without it (438), naming the div check in its detail. */
static void test_div(void)
{
	static const struct divcase cases[] = {
		{ "valid chain", "shaken/sp-b", "/pem/sp-b-chain.pem", ORIG, FWD_TO, FWD_FROM, 0,
		  STIR_VS_DIV_PASSED, "", 0 },
		{ "signed by the originating SP", "shaken/sp-a", "/pem/sp-a-chain.pem", ORIG, FWD_TO, FWD_FROM, 0,
		  STIR_VS_DIV_PASSED, "", 0 },
		{ "wrong orig", "shaken/sp-b", "/pem/sp-b-chain.pem", "12025550003", FWD_TO, FWD_FROM, 0,
		  STIR_VS_DIV_FAILED, "chain (RFC 8946 §4.2): 'div' PASSporT 'orig' is not the SHAKEN PASSporT's 'orig'",
		  438 },
		{ "wrong div", "shaken/sp-b", "/pem/sp-b-chain.pem", ORIG, FWD_TO, "12025550199", 0,
		  STIR_VS_DIV_FAILED, "chain (RFC 8946 §4.2): 'div' claim is not a 'dest' of the SHAKEN PASSporT",
		  438 },
		{ "wrong dest", "shaken/sp-b", "/pem/sp-b-chain.pem", ORIG, "12025550378", FWD_FROM, 0,
		  STIR_VS_DIV_FAILED, "'div' PASSporT 'dest' is not the called number", 438 },
		{ "bad signature", "shaken/sp-b", "/pem/sp-a-chain.pem", ORIG, FWD_TO, FWD_FROM, 0,
		  STIR_VS_DIV_FAILED, "signature: does not verify", 438 },
		{ "stale", "shaken/sp-b", "/pem/sp-b-chain.pem", ORIG, FWD_TO, FWD_FROM, -61,
		  STIR_VS_DIV_FAILED, "freshness: 'iat'", 438 },
		{ "untrusted", "shaken/sp-untrusted", "/pem/sp-untrusted-chain.pem", ORIG, FWD_TO, FWD_FROM, 0,
		  STIR_VS_DIV_FAILED, "credential: x5u", 438 },
		{ "delegate not for div", "shaken/delegate", "/pem/delegate-chain.pem", ORIG, FWD_TO, FWD_FROM, 0,
		  STIR_VS_DIV_FAILED, "authority: 'div' " FWD_FROM " is not in the TNAuthList", 438 },
	};
	char shaken[STIR_AS_IDENTITY_MAX], div[STIR_AS_IDENTITY_MAX];
	const char *two[2];
	time_t now = time(NULL);
	unsigned int pass;
	struct env v;
	size_t i;

	/* inline, then on the worker pool */
	for (pass = 0; pass < 2; pass++) {
		env_init(&v, pass);
		sign(shaken, sizeof(shaken), "shaken/sp-a", "/pem/sp-a-chain.pem", ORIG, FWD_FROM, now);
		for (i = 0; i < ARRAY_SIZE(cases); i++) {
			const struct divcase *c = &cases[i];
			struct got g;

			sign_div(div, sizeof(div), c->signer, c->path, c->orig, c->dest, c->div, now + c->iat_offset);
			/* RFC 8946 puts no order on the headers: either way */
			two[i % 2] = shaken;
			two[1 - i % 2] = div;
			g = verify(&v, NULL, two, 2, ORIG, FWD_TO, NULL, now);
			if (g.code != c->code || g.div_outcome != c->outcome || !strstr(g.div_detail, c->detail))
				printf("\n  %s: %d (%s), div %s (%s)", c->what, g.code, g.detail,
				       get_value_string(stir_vs_div_names, g.div_outcome), g.div_detail);
			CU_ASSERT_EQUAL(g.code, c->code);
			CU_ASSERT_EQUAL(g.div_outcome, c->outcome);
			CU_ASSERT_PTR_NOT_NULL(strstr(g.div_detail, c->detail));
			CU_ASSERT_EQUAL(g.div, 0);
			if (c->code == 0) {
				CU_ASSERT_EQUAL(g.verstat, STIR_VERSTAT_PASSED);
				CU_ASSERT_EQUAL(g.attest, 'A');
				CU_ASSERT_STRING_EQUAL(g.judged_dest, FWD_FROM);
				CU_ASSERT(g.have_div_pp);
				/* the SHAKEN PASSporT's own SPC, not the div signer's */
				CU_ASSERT_STRING_EQUAL(g.spc, "1234");
			} else {
				/* as without it: the SHAKEN 'dest' is not the called number */
				CU_ASSERT_EQUAL(g.step, STIR_VS_STEP_CLAIMS);
				CU_ASSERT_PTR_NOT_NULL(strstr(g.detail, "no PASSporT 'dest' is the called number "
							     FWD_TO));
				CU_ASSERT_STRING_EQUAL(g.judged_dest, FWD_TO);
				CU_ASSERT_FALSE(g.have_div_pp);
			}
		}
		/* no div PASSporT: the forwarded call fails as before */
		{
			struct got g = verify1(&v, shaken, ORIG, FWD_TO, now);

			CU_ASSERT_EQUAL(g.code, 438);
			CU_ASSERT_EQUAL(g.div_outcome, STIR_VS_DIV_NONE);
		}
		/* a SHAKEN PASSporT that fails first: the div one is not looked at */
		sign(shaken, sizeof(shaken), "shaken/sp-b", "/pem/sp-a-chain.pem", ORIG, FWD_FROM, now);
		sign_div(div, sizeof(div), "shaken/sp-b", "/pem/sp-b-chain.pem", ORIG, FWD_TO, FWD_FROM, now);
		two[0] = shaken;
		two[1] = div;
		{
			struct got g = verify(&v, NULL, two, 2, ORIG, FWD_TO, NULL, now);

			CU_ASSERT_EQUAL(g.code, 438);
			CU_ASSERT_EQUAL(g.step, STIR_VS_STEP_SIGNATURE);
			CU_ASSERT_EQUAL(g.div_outcome, STIR_VS_DIV_IGNORED);
		}
		CU_ASSERT_EQUAL(stir_vs_stats(v.vs)->div_passed, 2);
		CU_ASSERT_EQUAL(stir_vs_stats(v.vs)->div_failed, ARRAY_SIZE(cases) - 2);
		CU_ASSERT_EQUAL(stir_vs_stats(v.vs)->div_ignored, 1);
		env_free(&v);
	}
}

static void test_date_parse(void)
{
	time_t t = 0;

	CU_ASSERT_EQUAL(stir_sip_date_parse("Sat, 13 Nov 2010 23:29:00 GMT", &t), 0);
	CU_ASSERT_EQUAL(t, 1289690940);
	CU_ASSERT_EQUAL(stir_sip_date_parse("Sat, 13 Nov 2010 23:29:00 UTC", &t), -EINVAL);
	CU_ASSERT_EQUAL(stir_sip_date_parse("Sat, 13 Nov 2010 23:29:00", &t), -EINVAL);
	CU_ASSERT_EQUAL(stir_sip_date_parse("Sat, 13 Foo 2010 23:29:00 GMT", &t), -EINVAL);
	CU_ASSERT_EQUAL(stir_sip_date_parse("Sat, 13 Nov 2010 24:29:00 GMT", &t), -EINVAL);
	CU_ASSERT_EQUAL(stir_sip_date_parse("Sat, 13 Nov 2010 23:29:00 GMT x", &t), -EINVAL);
	CU_ASSERT_EQUAL(stir_sip_date_parse(NULL, &t), -EINVAL);
	/* days that do not exist in their month (found by sipdate_fuzzer:
	 * timegm() rolled them over into the next month) */
	CU_ASSERT_EQUAL(stir_sip_date_parse("Wed, 31 Feb 2010 12:00:00 GMT", &t), -EINVAL);
	CU_ASSERT_EQUAL(stir_sip_date_parse("Tue, 29 Feb 2011 12:00:00 GMT", &t), -EINVAL);
	CU_ASSERT_EQUAL(stir_sip_date_parse("Thu, 31 Apr 2010 12:00:00 GMT", &t), -EINVAL);
	CU_ASSERT_EQUAL(stir_sip_date_parse("Tue, 29 Feb 2000 00:00:00 GMT", &t), 0);
	CU_ASSERT_EQUAL(t, 951782400);
	/* the leap second is the second after 23:59:59 */
	CU_ASSERT_EQUAL(stir_sip_date_parse("Sat, 31 Dec 2016 23:59:60 GMT", &t), 0);
	CU_ASSERT_EQUAL(t, 1483228800);
}

/* Two calls for one x5u share one fetch; a third is a cache hit that
 * costs one signature verification, no fetch and no chain verification. */
static void test_single_flight_and_cache(void)
{
	const char *path = "/pem/sp-b-chain.pem";
	char value[STIR_AS_IDENTITY_MAX];
	const char *ident[1] = { value };
	struct stir_vs_input in = { .identity = ident, .num_identity = 1, .orig_tn = ORIG, .dest_tn = DEST };
	struct got a = { 0 }, b = { 0 }, c;
	unsigned int before = testhttps_count(path);
	unsigned long sigs, chains;
	struct env v;

	env_init(&v, 0);
	in.now = time(NULL);
	sign(value, sizeof(value), "shaken/sp-b", path, ORIG, DEST, in.now);
	CU_ASSERT_PTR_NOT_NULL(stir_vs_verify(v.vs, NULL, NULL, &in, vs_cb, &a));
	CU_ASSERT_PTR_NOT_NULL(stir_vs_verify(v.vs, NULL, NULL, &in, vs_cb, &b));
	CU_ASSERT_EQUAL(stir_vs_pending(v.vs), 2);
	run_until(&a.calls, 1);
	run_until(&b.calls, 1);
	CU_ASSERT_EQUAL(a.code, 0);
	CU_ASSERT_EQUAL(b.code, 0);
	CU_ASSERT_STRING_EQUAL(a.spc, "5678");
	CU_ASSERT_EQUAL(testhttps_count(path), before + 1);
	CU_ASSERT_EQUAL(fetcher_stats(v.f)->transfers, 1);
	CU_ASSERT_EQUAL(stir_vs_pending(v.vs), 0);

	sigs = stir_vs_stats(v.vs)->sig_verifications;
	chains = truststore_stats(v.ts)->verify_calls;
	c = verify1(&v, value, ORIG, DEST, in.now);
	CU_ASSERT_EQUAL(c.code, 0);
	CU_ASSERT(c.cached);
	CU_ASSERT_EQUAL(stir_vs_stats(v.vs)->sig_verifications, sigs + 1);
	CU_ASSERT_EQUAL(truststore_stats(v.ts)->verify_calls, chains);
	CU_ASSERT_EQUAL(fetcher_stats(v.f)->transfers, 1);
	CU_ASSERT_EQUAL(testhttps_count(path), before + 1);
	env_free(&v);
}

/* The signature check on the worker pool gives the same answers. */
static void test_workers(void)
{
	char good[STIR_AS_IDENTITY_MAX], bad[STIR_AS_IDENTITY_MAX];
	time_t now = time(NULL);
	struct got g;
	struct env v;

	env_init(&v, 2);
	sign(good, sizeof(good), "shaken/sp-a", "/pem/sp-a-chain.pem", ORIG, DEST, now);
	sign(bad, sizeof(bad), "shaken/sp-b", "/pem/sp-a-chain.pem", ORIG, DEST, now);
	g = verify1(&v, good, ORIG, DEST, now);
	CU_ASSERT_EQUAL(g.code, 0);
	CU_ASSERT_EQUAL(stir_vs_stats(v.vs)->on_workers, 1);
	g = verify1(&v, bad, ORIG, DEST, now);
	CU_ASSERT_EQUAL(g.code, 438);
	CU_ASSERT_EQUAL(g.step, STIR_VS_STEP_SIGNATURE);
	CU_ASSERT_EQUAL(stir_vs_stats(v.vs)->on_workers, 2);
	CU_ASSERT_EQUAL(stir_vs_stats(v.vs)->sig_verifications, 2);
	env_free(&v);
}

/* A call that ends first is never called back: cancelled while the
 * certificate is fetched, while an early answer waits, and by freeing the
 * call's talloc context; a call still pending when the service goes away
 * is dropped silently. */
static void test_cancel(void)
{
	char value[STIR_AS_IDENTITY_MAX], hang[STIR_AS_IDENTITY_MAX];
	const char *ident[1] = { value }, *hang_ident[1] = { hang };
	struct stir_vs_input in = { .identity = ident, .num_identity = 1, .orig_tn = ORIG, .dest_tn = DEST };
	struct got x = { 0 }, y = { 0 }, z = { 0 }, w = { 0 }, ok = { 0 };
	struct stir_vs_req *r;
	void *call;
	struct env v;

	env_init(&v, 2);
	in.now = time(NULL);
	sign(value, sizeof(value), "shaken/sp-a", "/pem/sp-a-chain.pem", ORIG, DEST, in.now);
	sign(hang, sizeof(hang), "shaken/sp-a", "/hang", ORIG, DEST, in.now);

	/* during the fetch */
	r = stir_vs_verify(v.vs, NULL, NULL, &in, vs_cb, &x);
	CU_ASSERT_PTR_NOT_NULL(r);
	stir_vs_cancel(r);
	/* an early failure (wrong orig), cancelled before the loop runs */
	in.orig_tn = "12025550003";
	r = stir_vs_verify(v.vs, NULL, NULL, &in, vs_cb, &y);
	in.orig_tn = ORIG;
	stir_vs_cancel(r);
	/* the call's context goes away */
	call = talloc_named_const(ctx, 0, "call");
	CU_ASSERT_PTR_NOT_NULL(stir_vs_verify(v.vs, call, NULL, &in, vs_cb, &z));
	talloc_free(call);
	/* one that goes on: once it is answered, the others would have been */
	CU_ASSERT_PTR_NOT_NULL(stir_vs_verify(v.vs, NULL, NULL, &in, vs_cb, &ok));
	run_until(&ok.calls, 1);
	CU_ASSERT_EQUAL(ok.code, 0);
	/* and once more from the cache, on the pool */
	ok.calls = 0;
	call = talloc_named_const(ctx, 0, "call");
	CU_ASSERT_PTR_NOT_NULL(stir_vs_verify(v.vs, call, NULL, &in, vs_cb, &w));
	CU_ASSERT_PTR_NOT_NULL(stir_vs_verify(v.vs, NULL, NULL, &in, vs_cb, &ok));
	/* a cache hit goes to the pool from inside stir_vs_verify(): w sits
	 * on the pool or in its done list now, before any turn of the loop
	 * could deliver it; end the call */
	CU_ASSERT_EQUAL(w.calls, 0);
	talloc_free(call);
	run_until(&ok.calls, 1);
	CU_ASSERT_EQUAL(x.calls + y.calls + z.calls + w.calls, 0);

	/* a request left pending when the service is freed */
	in.identity = hang_ident;
	CU_ASSERT_PTR_NOT_NULL(stir_vs_verify(v.vs, NULL, NULL, &in, vs_cb, &x));
	CU_ASSERT_EQUAL(stir_vs_pending(v.vs), 1);
	env_free(&v);
	CU_ASSERT_EQUAL(x.calls, 0);
}

/* A hanging repository is a 436 within the fetch timeout. */
static void test_hang(void)
{
	char value[STIR_AS_IDENTITY_MAX];
	time_t now = time(NULL);
	struct got g;
	struct env v;

	env_init(&v, 0);
	sign(value, sizeof(value), "shaken/sp-a", "/hang", ORIG, DEST, now);
	g = verify1(&v, value, ORIG, DEST, now);
	CU_ASSERT_EQUAL(g.code, 436);
	CU_ASSERT_EQUAL(g.step, STIR_VS_STEP_CREDENTIAL);
	CU_ASSERT_STRING_EQUAL(g.reason, "Bad Identity Info");
	env_free(&v);
}

/* Above the fetcher's in-flight cap the answer is 436 at once (step
 * credential, the cap named), the call is not held, and the x5u is not
 * marked bad: once there is room it verifies. */
static void test_in_flight_cap(void)
{
	char hang[STIR_AS_IDENTITY_MAX], good[STIR_AS_IDENTITY_MAX];
	const char *hang_ident = hang;
	struct stir_vs_input in = { .identity = &hang_ident, .num_identity = 1, .orig_tn = ORIG, .dest_tn = DEST };
	struct stir_vs_req *r;
	time_t now = time(NULL);
	struct got g, x = { 0 };
	struct env v;

	env_max_in_flight = 1;
	env_init(&v, 0);
	env_max_in_flight = 0;
	sign(hang, sizeof(hang), "shaken/sp-a", "/hang", ORIG, DEST, now);
	sign(good, sizeof(good), "shaken/sp-a", "/pem/sp-a-chain.pem", ORIG, DEST, now);
	in.now = now;
	r = stir_vs_verify(v.vs, NULL, NULL, &in, vs_cb, &x);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (fetcher_in_flight(v.f) == 0)
		osmo_select_main(0);
	g = verify1(&v, good, ORIG, DEST, now);
	CU_ASSERT_EQUAL(g.code, 436);
	CU_ASSERT_EQUAL(g.step, STIR_VS_STEP_CREDENTIAL);
	CU_ASSERT_STRING_EQUAL(g.reason, "Bad Identity Info");
	CU_ASSERT(strstr(g.detail, "in flight") != NULL);
	CU_ASSERT_EQUAL(fetcher_stats(v.f)->busy, 1);
	stir_vs_cancel(r);
	g = verify1(&v, good, ORIG, DEST, now);
	CU_ASSERT_EQUAL(g.code, 0);
	CU_ASSERT_EQUAL(x.calls, 0);
	env_free(&v);
}

/* What needs no certificate is checked first: a stale, mismatched or
 * malformed request makes no fetch at all (a peer cannot make us fetch
 * with requests that fail anyway). */
static void test_cheap_first(void)
{
	char stale[STIR_AS_IDENTITY_MAX], other[STIR_AS_IDENTITY_MAX];
	time_t now = time(NULL);
	struct got g;
	struct env v;

	env_init(&v, 0);
	sign(stale, sizeof(stale), "shaken/sp-a", "/pem/cheap-first-1.pem", ORIG, DEST, now - 3600);
	sign(other, sizeof(other), "shaken/sp-a", "/pem/cheap-first-2.pem", ORIG, DEST, now);
	g = verify1(&v, stale, ORIG, DEST, now);
	CU_ASSERT_EQUAL(g.code, 403);
	g = verify1(&v, other, "12025550003", DEST, now);
	CU_ASSERT_EQUAL(g.code, 438);
	CU_ASSERT_EQUAL(fetcher_stats(v.f)->requests, 0);
	CU_ASSERT_EQUAL(testhttps_count("/pem/cheap-first-1.pem") + testhttps_count("/pem/cheap-first-2.pem"), 0);
	env_free(&v);
}

/* ----------------------------------------------------------------- STI-AS */

struct asgot {
	unsigned int calls;
	int rc;
	char identity[STIR_AS_IDENTITY_MAX];
	char origid[64];
};

static void as_cb(const struct stir_as_result *res, void *priv)
{
	struct asgot *g = priv;

	g->calls++;
	g->rc = res->rc;
	snprintf(g->identity, sizeof(g->identity), "%s", res->identity);
	snprintf(g->origid, sizeof(g->origid), "%s", res->pp ? res->pp->origid : "");
}

static void test_as(void)
{
	const char *x5u = testhttps_url("/pem/sp-a-chain.pem");
	struct stir_as_cfg cfg = { .attest = 'B' };
	struct stir_as_input in = { .orig_tn = ORIG, .dest_tn = DEST };
	struct asgot a = { 0 }, b = { 0 }, c = { 0 };
	char key[4200], chain[4200], loose[4200], cmd[13000];
	struct stir_as *as, *fixed;
	struct stir_as_req *r;
	struct env v;
	struct got g;

	snprintf(key, sizeof(key), "%s", testpki_path("shaken/sp-a.key"));
	snprintf(chain, sizeof(chain), "%s", testpki_path("shaken/sp-a-chain.pem"));
	env_init(&v, 2);
	in.iat = time(NULL);

	/* checked at load: x5u, key of the certificate, file mode, policy */
	CU_ASSERT_EQUAL(stir_as_load(ctx, &as, key, chain, NULL, &cfg, NULL), -EINVAL);
	CU_ASSERT_EQUAL(stir_as_load(ctx, &as, key, testpki_path("shaken/sp-b-chain.pem"), x5u, &cfg, NULL),
			-EKEYREJECTED);
	snprintf(loose, sizeof(loose), "%s/loose.key", testpki_dir());
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod 644 '%s'", key, loose, loose);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_EQUAL(stir_as_load(ctx, &as, loose, chain, x5u, &cfg, NULL), -EPERM);
	cfg.attest = 'D';
	CU_ASSERT_EQUAL(stir_as_load(ctx, &as, key, chain, x5u, &cfg, NULL), -EINVAL);
	cfg.attest = 'B';
	cfg.origid = "not-a-uuid";
	CU_ASSERT_EQUAL(stir_as_load(ctx, &as, key, chain, x5u, &cfg, NULL), -EINVAL);
	cfg.origid = NULL;
	CU_ASSERT_EQUAL_FATAL(stir_as_load(ctx, &as, key, chain, x5u, &cfg, v.wq), 0);
	cfg.origid = "123e4567-e89b-42d3-a456-426655440000";
	CU_ASSERT_EQUAL_FATAL(stir_as_load(ctx, &fixed, key, chain, x5u, &cfg, NULL), 0);

	/* on the pool, a fresh UUID v4 per call */
	CU_ASSERT_PTR_NOT_NULL(stir_as_sign(as, NULL, &in, as_cb, &a));
	CU_ASSERT_PTR_NOT_NULL(stir_as_sign(as, NULL, &in, as_cb, &b));
	CU_ASSERT_EQUAL(a.calls + b.calls, 0);
	run_until(&a.calls, 1);
	run_until(&b.calls, 1);
	CU_ASSERT_EQUAL(a.rc, 0);
	CU_ASSERT(stir_uuid_valid(a.origid));
	CU_ASSERT_EQUAL(a.origid[14], '4');
	CU_ASSERT(strcmp(a.origid, b.origid) != 0);
	CU_ASSERT(strstr(a.identity, ";info=<") != NULL);
	CU_ASSERT(strlen(a.identity) > strlen(";alg=ES256;ppt=shaken") &&
		  !strcmp(a.identity + strlen(a.identity) - strlen(";alg=ES256;ppt=shaken"), ";alg=ES256;ppt=shaken"));
	g = verify1(&v, a.identity, ORIG, DEST, in.iat);
	CU_ASSERT_EQUAL(g.code, 0);
	CU_ASSERT_EQUAL(g.attest, 'B');

	/* fixed origid, inline, per-call attest */
	in.attest = 'C';
	CU_ASSERT_PTR_NOT_NULL(stir_as_sign(fixed, NULL, &in, as_cb, &c));
	CU_ASSERT_EQUAL(c.calls, 0);
	run_until(&c.calls, 1);
	CU_ASSERT_STRING_EQUAL(c.origid, "123e4567-e89b-42d3-a456-426655440000");
	g = verify1(&v, c.identity, ORIG, DEST, in.iat);
	CU_ASSERT_EQUAL(g.code, 0);
	CU_ASSERT_EQUAL(g.attest, 'C');
	CU_ASSERT_STRING_EQUAL(g.origid, "123e4567-e89b-42d3-a456-426655440000");

	/* a forwarded call (RFC 8946): the SHAKEN PASSporT for the number
	 * first called, a div PASSporT from there to the called one; the
	 * STI-VS passes the pair for the called number */
	{
		struct stir_as_input sin = { .orig_tn = ORIG, .dest_tn = "12025550300", .iat = in.iat };
		struct stir_as_input din = { .orig_tn = ORIG, .dest_tn = "12025550377", .iat = in.iat,
					     .div_tn = "12025550300" };
		const char *two[2];

		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		CU_ASSERT_PTR_NOT_NULL(stir_as_sign(as, NULL, &sin, as_cb, &a));
		CU_ASSERT_PTR_NOT_NULL(stir_as_sign(as, NULL, &din, as_cb, &b));
		run_until(&a.calls, 1);
		run_until(&b.calls, 1);
		CU_ASSERT_EQUAL(b.rc, 0);
		CU_ASSERT(strlen(b.identity) > strlen(";alg=ES256;ppt=div") &&
			  !strcmp(b.identity + strlen(b.identity) - strlen(";alg=ES256;ppt=div"), ";alg=ES256;ppt=div"));
		two[0] = a.identity;
		two[1] = b.identity;
		g = verify(&v, NULL, two, 2, ORIG, "12025550377", NULL, in.iat);
		CU_ASSERT_EQUAL(g.code, 0);
		CU_ASSERT_EQUAL(g.div_outcome, STIR_VS_DIV_PASSED);
		CU_ASSERT_STRING_EQUAL(g.judged_dest, "12025550300");
	}

	/* cancelled on the pool: no callback */
	memset(&a, 0, sizeof(a));
	r = stir_as_sign(as, NULL, &in, as_cb, &a);
	CU_ASSERT_PTR_NOT_NULL(r);
	stir_as_cancel(r);
	in.attest = 'X';
	CU_ASSERT_PTR_NULL(stir_as_sign(as, NULL, &in, as_cb, &b));
	memset(&b, 0, sizeof(b));
	in.attest = 0;
	CU_ASSERT_PTR_NOT_NULL(stir_as_sign(as, NULL, &in, as_cb, &b));
	run_until(&b.calls, 1);
	CU_ASSERT_EQUAL(a.calls, 0);

	talloc_free(as);
	talloc_free(fixed);
	env_free(&v);
}

/* RFC 4122 §4.4: version 4, variant 10x, lower-case 8-4-4-4-12 */
static void test_uuid(void)
{
	char u[STIR_UUID_LEN + 1], prev[STIR_UUID_LEN + 1] = "";
	unsigned int i, j;

	CU_ASSERT_EQUAL(stir_uuid_v4(u, STIR_UUID_LEN), -ENOSPC);
	for (i = 0; i < 1000; i++) {
		CU_ASSERT_EQUAL_FATAL(stir_uuid_v4(u, sizeof(u)), 0);
		CU_ASSERT_EQUAL(strlen(u), STIR_UUID_LEN);
		CU_ASSERT(stir_uuid_valid(u));
		CU_ASSERT_EQUAL(u[14], '4');
		CU_ASSERT(strchr("89ab", u[19]) != NULL);
		for (j = 0; j < STIR_UUID_LEN; j++)
			CU_ASSERT(u[j] == '-' || (u[j] >= '0' && u[j] <= '9') || (u[j] >= 'a' && u[j] <= 'f'));
		CU_ASSERT(strcmp(u, prev) != 0);
		memcpy(prev, u, sizeof(u));
	}
}

static int setup(void *root)
{
	/* its own context: the talloc check at the end sees only what the
	 * tests allocated, not the logging */
	ctx = talloc_named_const(root, 0, "stir_vs_test");
	if (!testpki_dir() || make_odd_certs() < 0 || testhttps_start() < 0)
		return -1;
	return 0;
}

static unsigned int teardown(void)
{
	unsigned int failures = 0;

	testhttps_stop();
	testpki_cleanup();
	if (talloc_total_blocks(ctx) != 1) {
		fprintf(stderr, "stir_vs_test: talloc blocks left\n");
		talloc_report_full(ctx, stderr);
		failures++;
	}
	return failures;
}

static const struct cunit_test tests[] = {
	{ "checks", test_checks },
	{ "headers", test_headers },
	{ "div", test_div },
	{ "date_parse", test_date_parse },
	{ "decoded PASSporT from the caller", test_decoded_pp },
	{ "single_flight_and_cache", test_single_flight_and_cache },
	{ "workers", test_workers },
	{ "cancel", test_cancel },
	{ "hang", test_hang },
	{ "in_flight_cap", test_in_flight_cap },
	{ "cheap_first", test_cheap_first },
	{ "as", test_as },
	{ "uuid", test_uuid },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "stir_vs", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "stir_vs_test",
	.log = CUNIT_LOG_FATAL,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
