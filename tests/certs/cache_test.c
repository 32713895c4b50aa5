/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of certs/cache.c and certs/certchain.c: RFC 7234 lifetimes, the
 * ATIS-1000074 24 h floor, the notAfter cap, the negative cache (kept
 * apart from the chains), LRU
 * eviction by entries and bytes (all on an injected clock), and the chain
 * parser on good, reordered, truncated and garbage input. */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <CUnit/Basic.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/cache.h"
#include "certs/certchain.h"
#include "src/core/logging.h"
#include "tests/certs/testpki.h"
#include "tests/cunit_main.h"

static void *ctx;
static time_t fake_now;

static time_t fake_clock(void *priv)
{
	return fake_now;
}

static uint8_t *slurp(const char *rel, size_t *len)
{
	static uint8_t buf[64 * 1024];
	FILE *f = fopen(testpki_path(rel), "rb");

	CU_ASSERT_FATAL(f != NULL);
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

static STACK_OF(X509) *chain_of(const char *rel)
{
	STACK_OF(X509) *sk = NULL;
	char why[128];
	size_t len;
	uint8_t *buf = slurp(rel, &len);

	CU_ASSERT_EQUAL_FATAL(certchain_parse(&sk, buf, len, why, sizeof(why)), 0);
	return sk;
}

static struct cert_cache *new_cache(unsigned int floor_s)
{
	struct cert_cache_cfg cfg;
	struct cert_cache *c;

	cert_cache_cfg_init(&cfg);
	cfg.floor_s = floor_s;
	cfg.now = fake_clock;
	c = cert_cache_alloc(ctx, &cfg);
	CU_ASSERT_FATAL(c != NULL);
	return c;
}

/* An HTTP date n seconds from the fake now. */
static const char *http_date(long n)
{
	static char bufs[4][64];
	static unsigned int next;
	char *b = bufs[next++ % 4];
	time_t t = fake_now + n;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(b, sizeof(bufs[0]), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	return b;
}

struct life_case {
	const char *name;
	const char *cc, *expires_rel_str;
	long expires_rel, date_rel;	/* offsets; LONG_MIN: header absent */
	const char *age;
	unsigned int floor_s;
	int rc;
	long want;			/* expected expiry - now */
};

#define NONE LONG_MIN
#define DAY 86400L

static void test_lifetime(void)
{
	static const struct life_case cases[] = {
		{ "nothing: 24 h floor", NULL, NULL, NONE, NONE, NULL, DAY, 0, DAY },
		{ "max-age 60: floor", "max-age=60", NULL, NONE, NONE, NULL, DAY, 0, DAY },
		{ "max-age 2 days", "max-age=172800", NULL, NONE, NONE, NULL, DAY, 0, 2 * DAY },
		{ "s-maxage wins", "max-age=60, s-maxage=259200", NULL, NONE, NONE, NULL, DAY, 0, 3 * DAY },
		{ "case and spaces", " Max-Age = 172800 ,public", NULL, NONE, NONE, NULL, DAY, 0, 2 * DAY },
		{ "quoted", "max-age=\"172800\"", NULL, NONE, NONE, NULL, DAY, 0, 2 * DAY },
		{ "Age subtracts", "max-age=172800", NULL, NONE, NONE, "3600", DAY, 0, 2 * DAY - 3600 },
		{ "old Date subtracts", "max-age=172800", NULL, NONE, -7200, NULL, DAY, 0, 2 * DAY - 7200 },
		{ "Age above apparent age", "max-age=172800", NULL, NONE, -100, "7200", DAY, 0, 2 * DAY - 7200 },
		{ "no-store: floor", "no-store", NULL, NONE, NONE, NULL, DAY, 0, DAY },
		{ "no-cache: floor", "no-cache, max-age=999999", NULL, NONE, NONE, NULL, DAY, 0, DAY },
		{ "Expires 3 days", NULL, NULL, 3 * DAY, 0, NULL, DAY, 0, 3 * DAY },
		{ "Expires without Date", NULL, NULL, 3 * DAY, NONE, NULL, DAY, 0, 3 * DAY },
		{ "max-age beats Expires", "max-age=172800", NULL, 5 * DAY, 0, NULL, DAY, 0, 2 * DAY },
		{ "Expires in the past", NULL, NULL, -DAY, 0, NULL, DAY, 0, DAY },
		{ "Expires invalid", NULL, "0", NONE, 0, NULL, DAY, 0, DAY },
		{ "duplicate max-age", "max-age=172800, max-age=259200", NULL, NONE, NONE, NULL, DAY, 0, DAY },
		{ "bad max-age", "max-age=12a", NULL, NONE, NONE, NULL, DAY, 0, DAY },
		{ "negative max-age", "max-age=-5", NULL, NONE, NONE, NULL, DAY, 0, DAY },
		{ "huge max-age capped by notAfter", "max-age=99999999999999999999999", NULL, NONE, NONE,
		  NULL, DAY, 0, -1 },
		/* RFC 7234 alone */
		{ "no floor: max-age 60", "max-age=60", NULL, NONE, NONE, NULL, 0, 0, 60 },
		{ "no floor: no-store", "no-store, max-age=60", NULL, NONE, NONE, NULL, 0, -ENOENT, 0 },
		{ "no floor: no-cache", "no-cache", NULL, NONE, NONE, NULL, 0, -ENOENT, 0 },
		{ "no floor: nothing", NULL, NULL, NONE, NONE, NULL, 0, -ENOENT, 0 },
		{ "no floor: Age too old", "max-age=60", NULL, NONE, NONE, "61", 0, -ENOENT, 0 },
	};
	STACK_OF(X509) *sk = chain_of("shaken/sp-a-chain.pem");
	X509 *leaf = sk_X509_value(sk, 0);
	time_t not_after = 0;
	size_t i;
	struct tm tm;

	ASN1_TIME_to_tm(X509_get0_notAfter(leaf), &tm);
	not_after = timegm(&tm);
	fake_now = time(NULL);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct life_case *lc = &cases[i];
		struct cert_cache *c = new_cache(lc->floor_s);
		struct cert_cache_hdrs h = {
			.cache_control = lc->cc,
			.expires = lc->expires_rel_str ? lc->expires_rel_str :
				   lc->expires_rel != NONE ? http_date(lc->expires_rel) : NULL,
			.date = lc->date_rel != NONE ? http_date(lc->date_rel) : NULL,
			.age = lc->age,
		};
		time_t exp = 0;
		long want = lc->want < 0 ? (long)(not_after - fake_now) : lc->want;
		int rc = cert_cache_lifetime(c, &h, fake_now, leaf, &exp);

		if (rc != lc->rc || (rc == 0 && exp - fake_now != want))
			printf("\n  %s: rc %d, %ld s, want %d, %ld s", lc->name, rc, (long)(exp - fake_now),
			       lc->rc, want);
		CU_ASSERT_EQUAL(rc, lc->rc);
		if (rc == 0)
			CU_ASSERT_EQUAL(exp - fake_now, want);
		talloc_free(c);
	}
	certchain_free(sk);
}

static void test_delta(void)
{
	int64_t v;

	CU_ASSERT_EQUAL(cert_cache_parse_delta("0", 1, &v), 0);
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_EQUAL(cert_cache_parse_delta("2147483648", 10, &v), 0);
	CU_ASSERT_EQUAL(v, CERT_CACHE_DELTA_MAX);
	CU_ASSERT_EQUAL(cert_cache_parse_delta("99999999999999999999999999999", 29, &v), 0);
	CU_ASSERT_EQUAL(v, CERT_CACHE_DELTA_MAX);
	CU_ASSERT_EQUAL(cert_cache_parse_delta("", 0, &v), -EINVAL);
	CU_ASSERT_EQUAL(cert_cache_parse_delta("\"\"", 2, &v), -EINVAL);
	CU_ASSERT_EQUAL(cert_cache_parse_delta("1 2", 3, &v), -EINVAL);
	CU_ASSERT_EQUAL(cert_cache_parse_delta("+1", 2, &v), -EINVAL);
}

/* Stored per max-age, gone when the clock passes it; the floor keeps a
 * short-lived answer for 24 h; the leaf's notAfter caps everything. */
static void test_expiry(void)
{
	struct cert_cache *c = new_cache(DAY);
	struct cert_cache_hdrs two_days = { .cache_control = "max-age=172800" };
	struct cert_cache_hdrs ten_s = { .cache_control = "max-age=10" };
	struct cert_cache_entry *e;
	time_t t0 = time(NULL), not_after;
	struct tm tm;

	fake_now = t0;
	CU_ASSERT_PTR_NOT_NULL(cert_cache_put(c, "https://a/x.pem", chain_of("shaken/sp-a-chain.pem"), &two_days));
	CU_ASSERT_PTR_NOT_NULL(cert_cache_put(c, "https://a/y.pem", chain_of("shaken/sp-b-chain.pem"), &ten_s));
	fake_now = t0 + 11;
	CU_ASSERT_PTR_NOT_NULL(cert_cache_get(c, "https://a/y.pem"));	/* floor: still there */
	fake_now = t0 + DAY - 1;
	CU_ASSERT_PTR_NOT_NULL(cert_cache_get(c, "https://a/y.pem"));
	fake_now = t0 + DAY;
	CU_ASSERT_PTR_NULL(cert_cache_get(c, "https://a/y.pem"));
	e = cert_cache_get(c, "https://a/x.pem");
	CU_ASSERT_PTR_NOT_NULL(e);
	if (e) {
		CU_ASSERT_FALSE(e->negative);
		CU_ASSERT_EQUAL(sk_X509_num(e->chain), 2);
		CU_ASSERT(e->leaf == sk_X509_value(e->chain, 0));
	}
	fake_now = t0 + 2 * DAY;
	CU_ASSERT_PTR_NULL(cert_cache_get(c, "https://a/x.pem"));
	CU_ASSERT_EQUAL(cert_cache_stats(c)->expirations, 2);
	CU_ASSERT_EQUAL(cert_cache_stats(c)->entries, 0);

	/* one hour before the leaf's notAfter: kept one hour, not 24 */
	e = NULL;
	{
		STACK_OF(X509) *sk = chain_of("shaken/sp-a-chain.pem");

		ASN1_TIME_to_tm(X509_get0_notAfter(sk_X509_value(sk, 0)), &tm);
		not_after = timegm(&tm);
		fake_now = not_after - 3600;
		e = cert_cache_put(c, "https://a/x.pem", sk, &two_days);
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->expires, not_after);
	fake_now = not_after;
	CU_ASSERT_PTR_NULL(cert_cache_get(c, "https://a/x.pem"));

	/* an expired leaf is not stored at all */
	fake_now = t0;
	{
		STACK_OF(X509) *sk = chain_of("shaken/sp-expired-chain.pem");

		CU_ASSERT_PTR_NULL(cert_cache_put(c, "https://a/old.pem", sk, NULL));
		certchain_free(sk);	/* still ours */
	}
	CU_ASSERT_EQUAL(cert_cache_stats(c)->entries, 0);
	talloc_free(c);
}

static void test_negative(void)
{
	struct cert_cache *c = new_cache(DAY);
	struct cert_cache_entry *e;
	time_t t0 = time(NULL);

	fake_now = t0;
	CU_ASSERT_PTR_NOT_NULL(cert_cache_put_negative(c, "https://dead/x.pem", 436, "timeout"));
	fake_now = t0 + 29;
	e = cert_cache_get(c, "https://dead/x.pem");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT(e->negative);
	CU_ASSERT_EQUAL(e->neg_err, 436);
	CU_ASSERT_STRING_EQUAL(e->neg_reason, "timeout");
	CU_ASSERT_PTR_NULL(e->chain);
	fake_now = t0 + 30;
	CU_ASSERT_PTR_NULL(cert_cache_get(c, "https://dead/x.pem"));
	CU_ASSERT_EQUAL(cert_cache_stats(c)->neg_hits, 1);

	/* a success replaces a failure */
	CU_ASSERT_PTR_NOT_NULL(cert_cache_put_negative(c, "https://dead/x.pem", 436, "timeout"));
	CU_ASSERT_PTR_NOT_NULL(cert_cache_put(c, "https://dead/x.pem", chain_of("shaken/sp-a-chain.pem"), NULL));
	e = cert_cache_get(c, "https://dead/x.pem");
	CU_ASSERT(e && !e->negative);
	CU_ASSERT_EQUAL(cert_cache_stats(c)->entries, 1);
	talloc_free(c);
}

/* Failures live apart: 2000 junk x5u URLs (a peer sending a fresh one
 * per call) fill the failure LRU, never push out a good chain, and the
 * newest failures are the ones kept. */
static void test_negative_apart(void)
{
	struct cert_cache_cfg cfg;
	struct cert_cache *c;
	struct cert_cache_entry *e;
	char url[64];
	unsigned int i;

	fake_now = time(NULL);
	cert_cache_cfg_init(&cfg);
	cfg.now = fake_clock;
	c = cert_cache_alloc(ctx, &cfg);
	CU_ASSERT_FATAL(c != NULL);
	CU_ASSERT_PTR_NOT_NULL(cert_cache_put(c, "https://good/sp-a.pem", chain_of("shaken/sp-a-chain.pem"), NULL));
	for (i = 0; i < 2000; i++) {
		snprintf(url, sizeof(url), "https://junk.example/%u.pem", i);
		CU_ASSERT_PTR_NOT_NULL(cert_cache_put_negative(c, url, 436, "HTTP status 404"));
	}
	e = cert_cache_get(c, "https://good/sp-a.pem");
	CU_ASSERT(e && !e->negative && e->chain);
	CU_ASSERT_EQUAL(cert_cache_stats(c)->evictions, 0);
	CU_ASSERT_EQUAL(cert_cache_stats(c)->neg_entries, CERT_CACHE_DEFAULT_NEG_ENTRIES);
	CU_ASSERT_EQUAL(cert_cache_stats(c)->entries, CERT_CACHE_DEFAULT_NEG_ENTRIES + 1);
	CU_ASSERT_EQUAL(cert_cache_stats(c)->neg_evictions, 2000 - CERT_CACHE_DEFAULT_NEG_ENTRIES);
	/* the newest failure is still known, the oldest is not */
	e = cert_cache_get(c, "https://junk.example/1999.pem");
	CU_ASSERT(e && e->negative);
	CU_ASSERT_PTR_NULL(cert_cache_get(c, "https://junk.example/0.pem"));
	talloc_free(c);

	/* a full chain cache does not make room for failures either */
	cfg.max_entries = 1;
	cfg.neg_max_entries = 2;
	c = cert_cache_alloc(ctx, &cfg);
	CU_ASSERT_FATAL(c != NULL);
	CU_ASSERT_PTR_NOT_NULL(cert_cache_put(c, "https://good/sp-a.pem", chain_of("shaken/sp-a-chain.pem"), NULL));
	CU_ASSERT_PTR_NOT_NULL(cert_cache_put_negative(c, "https://junk/1", 436, ""));
	CU_ASSERT_PTR_NOT_NULL(cert_cache_put_negative(c, "https://junk/2", 436, ""));
	CU_ASSERT_PTR_NOT_NULL(cert_cache_put_negative(c, "https://junk/3", 436, ""));
	CU_ASSERT_PTR_NOT_NULL(cert_cache_get(c, "https://good/sp-a.pem"));
	CU_ASSERT_EQUAL(cert_cache_stats(c)->neg_entries, 2);
	/* and a chain replacing a failure of its URL leaves the failures' count right */
	CU_ASSERT_PTR_NOT_NULL(cert_cache_put(c, "https://junk/3", chain_of("shaken/sp-a-chain.pem"), NULL));
	CU_ASSERT_EQUAL(cert_cache_stats(c)->neg_entries, 1);
	CU_ASSERT_EQUAL(cert_cache_stats(c)->entries, 2);
	CU_ASSERT_PTR_NULL(cert_cache_get(c, "https://good/sp-a.pem"));	/* max_entries 1 */
	talloc_free(c);
}

static void test_lru(void)
{
	struct cert_cache_cfg cfg;
	struct cert_cache *c;
	char url[64];
	unsigned int i;
	size_t one;

	fake_now = time(NULL);
	cert_cache_cfg_init(&cfg);
	cfg.now = fake_clock;
	cfg.max_entries = 3;
	c = cert_cache_alloc(ctx, &cfg);
	CU_ASSERT_FATAL(c != NULL);
	for (i = 0; i < 3; i++) {
		snprintf(url, sizeof(url), "https://a/%u", i);
		CU_ASSERT_PTR_NOT_NULL(cert_cache_put(c, url, chain_of("shaken/sp-a-chain.pem"), NULL));
	}
	/* use 0, so 1 is the least recently used */
	CU_ASSERT_PTR_NOT_NULL(cert_cache_get(c, "https://a/0"));
	CU_ASSERT_PTR_NOT_NULL(cert_cache_put(c, "https://a/3", chain_of("shaken/sp-a-chain.pem"), NULL));
	CU_ASSERT_EQUAL(cert_cache_stats(c)->entries, 3);
	CU_ASSERT_EQUAL(cert_cache_stats(c)->evictions, 1);
	CU_ASSERT_PTR_NULL(cert_cache_get(c, "https://a/1"));
	CU_ASSERT_PTR_NOT_NULL(cert_cache_get(c, "https://a/0"));
	CU_ASSERT_PTR_NOT_NULL(cert_cache_get(c, "https://a/2"));
	CU_ASSERT_PTR_NOT_NULL(cert_cache_get(c, "https://a/3"));
	one = cert_cache_stats(c)->bytes / 3;
	talloc_free(c);

	/* by bytes: room for two entries */
	cfg.max_entries = 100;
	cfg.max_bytes = 2 * one + one / 2;
	c = cert_cache_alloc(ctx, &cfg);
	CU_ASSERT_FATAL(c != NULL);
	for (i = 0; i < 5; i++) {
		snprintf(url, sizeof(url), "https://a/%u", i);
		CU_ASSERT_PTR_NOT_NULL(cert_cache_put(c, url, chain_of("shaken/sp-a-chain.pem"), NULL));
		CU_ASSERT(cert_cache_stats(c)->bytes <= cfg.max_bytes);
	}
	CU_ASSERT_EQUAL(cert_cache_stats(c)->entries, 2);
	CU_ASSERT_PTR_NOT_NULL(cert_cache_get(c, "https://a/4"));
	CU_ASSERT_PTR_NOT_NULL(cert_cache_get(c, "https://a/3"));
	CU_ASSERT_PTR_NULL(cert_cache_get(c, "https://a/2"));
	/* an entry larger than the whole cache is refused */
	cfg.max_bytes = 100;
	talloc_free(c);
	c = cert_cache_alloc(ctx, &cfg);
	CU_ASSERT_FATAL(c != NULL);
	{
		STACK_OF(X509) *sk = chain_of("shaken/sp-a-chain.pem");

		CU_ASSERT_PTR_NULL(cert_cache_put(c, "https://a/big", sk, NULL));
		certchain_free(sk);
	}
	CU_ASSERT_EQUAL(cert_cache_stats(c)->entries, 0);
	talloc_free(c);
}

/* One intermediate serves many leaves: the cache keeps it once. */
static void test_shared_ca(void)
{
	struct cert_cache_entry *a, *b, *d;
	struct cert_cache *c;
	X509 *ca;

	fake_now = time(NULL);
	c = new_cache(86400);
	a = cert_cache_put(c, "https://a/a.pem", chain_of("shaken/sp-a-chain.pem"), NULL);
	b = cert_cache_put(c, "https://a/b.pem", chain_of("shaken/sp-b-chain.pem"), NULL);
	CU_ASSERT_FATAL(a && b);
	CU_ASSERT_EQUAL(cert_cache_stats(c)->shared_cas, 1);
	/* two parses of sti-ca, one object */
	CU_ASSERT_PTR_EQUAL(sk_X509_value(a->chain, 1), sk_X509_value(b->chain, 1));
	/* a chain of two CAs: one more for its intermediate and its root */
	d = cert_cache_put(c, "https://a/d.pem", chain_of("shaken/delegate-chain.pem"), NULL);
	CU_ASSERT_FATAL(d != NULL);
	CU_ASSERT_EQUAL(sk_X509_num(d->chain), 3);
	CU_ASSERT_PTR_EQUAL(sk_X509_value(d->chain, 2), sk_X509_value(a->chain, 1));
	CU_ASSERT_EQUAL(cert_cache_stats(c)->shared_cas, 2);
	/* the shared copy outlives the first entry that brought it */
	cert_cache_remove(c, "https://a/a.pem");
	CU_ASSERT_EQUAL(cert_cache_stats(c)->shared_cas, 2);
	ca = sk_X509_value(b->chain, 1);
	CU_ASSERT_EQUAL(X509_check_issued(ca, b->leaf), X509_V_OK);
	cert_cache_remove(c, "https://a/d.pem");
	CU_ASSERT_EQUAL(cert_cache_stats(c)->shared_cas, 1);
	/* replaced by a chain with the same CA: still one */
	b = cert_cache_put(c, "https://a/b.pem", chain_of("shaken/sp-b-chain.pem"), NULL);
	CU_ASSERT_FATAL(b != NULL);
	CU_ASSERT_EQUAL(cert_cache_stats(c)->shared_cas, 1);
	CU_ASSERT_EQUAL(X509_check_issued(sk_X509_value(b->chain, 1), b->leaf), X509_V_OK);
	cert_cache_remove(c, "https://a/b.pem");
	CU_ASSERT_EQUAL(cert_cache_stats(c)->shared_cas, 0);
	talloc_free(c);
}

static void test_certchain(void)
{
	STACK_OF(X509) *sk = NULL;
	char why[128], path[4096];
	uint8_t *buf, copy[64 * 1024], big[64 * 1024];
	size_t len, i, n;
	int rc;
	X509 *leaf = testpki_cert("shaken/sp-a.pem"), *ca = testpki_cert("shaken/sti-ca.pem");
	unsigned char *der = NULL;
	FILE *f;

	CU_ASSERT_FATAL(leaf && ca);
	/* three in order */
	buf = slurp("shaken/delegate-chain.pem", &len);
	CU_ASSERT_EQUAL(certchain_parse(&sk, buf, len, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(sk_X509_num(sk), 3);
	certchain_free(sk);

	/* reversed */
	snprintf(path, sizeof(path), "%s/reversed.pem", testpki_dir());
	f = fopen(path, "w");
	CU_ASSERT_FATAL(f != NULL);
	PEM_write_X509(f, ca);
	PEM_write_X509(f, leaf);
	fclose(f);
	buf = slurp("reversed.pem", &len);
	CU_ASSERT_EQUAL(certchain_parse(&sk, buf, len, why, sizeof(why)), -EBADMSG);
	CU_ASSERT_PTR_NULL(sk);
	CU_ASSERT(strstr(why, "not issued") != NULL);

	/* DER, and DER with trailing bytes */
	n = (size_t)i2d_X509(leaf, &der);
	CU_ASSERT_EQUAL(certchain_parse(&sk, der, n, why, sizeof(why)), 0);
	certchain_free(sk);
	memcpy(copy, der, n);
	copy[n] = 0;
	CU_ASSERT_EQUAL(certchain_parse(&sk, copy, n + 1, why, sizeof(why)), -EBADMSG);
	OPENSSL_free(der);

	/* garbage and empty */
	CU_ASSERT_EQUAL(certchain_parse(&sk, (const uint8_t *)"hello", 5, why, sizeof(why)), -EBADMSG);
	CU_ASSERT_EQUAL(certchain_parse(&sk, (const uint8_t *)"", 0, why, sizeof(why)), -EBADMSG);
	CU_ASSERT_EQUAL(certchain_parse(&sk, NULL, 0, why, sizeof(why)), -EBADMSG);

	/* nine certificates: too many */
	buf = slurp("shaken/sp-a.pem", &len);
	for (i = 0, n = 0; i < 9; i++, n += len)
		memcpy(big + n, buf, len);
	CU_ASSERT_EQUAL(certchain_parse(&sk, big, n, why, sizeof(why)), -E2BIG);
	CU_ASSERT_PTR_NULL(sk);

	/* every truncation of a good chain: no crash, no leak, a clear answer */
	buf = slurp("shaken/sp-a-chain.pem", &len);
	memcpy(copy, buf, len);
	for (i = 0; i < len; i++) {
		rc = certchain_parse(&sk, copy, i, why, sizeof(why));
		CU_ASSERT(rc == 0 || rc == -EBADMSG);
		if (rc == 0) {
			/* the leaf alone, cut after its END line; or all
			 * but the final newline */
			CU_ASSERT(sk_X509_num(sk) == 1 || i == len - 1);
			certchain_free(sk);
		} else {
			CU_ASSERT(why[0] != '\0');
		}
	}
	/* and every byte flipped in the leaf's body */
	for (i = 30; i < len / 2; i += 7) {
		copy[i] ^= 0x20;
		rc = certchain_parse(&sk, copy, len, why, sizeof(why));
		if (rc == 0)
			certchain_free(sk);
		copy[i] ^= 0x20;
	}
	X509_free(leaf);
	X509_free(ca);
}

static int setup(void *root)
{
	ctx = root;
	if (!testpki_dir())
		return -1;
	return 0;
}

static unsigned int teardown(void)
{
	unsigned int failures = 0;

	testpki_cleanup();
	if (talloc_total_blocks(ctx) != 1) {
		fprintf(stderr, "cache_test: talloc blocks left\n");
		failures++;
	}
	return failures;
}

static const struct cunit_test tests[] = {
	{ "lifetime", test_lifetime },
	{ "delta", test_delta },
	{ "expiry", test_expiry },
	{ "negative", test_negative },
	{ "negative_apart", test_negative_apart },
	{ "lru", test_lru },
	{ "shared_ca", test_shared_ca },
	{ "certchain", test_certchain },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "cache", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "cache_test",
	.log = CUNIT_LOG_SILENT,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
