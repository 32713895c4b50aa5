/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The certificate cache: RFC 7234 lifetimes with the ATIS-1000074 24 h
 * floor, capped at the leaf's notAfter; LRU-bounded in entries and bytes;
 * a short negative cache.  See cache.h. */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/asn1.h>
#include <openssl/sha.h>

#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "certs/cache.h"
#include "certs/certchain.h"
#include "src/core/evloop.h"
#include "src/core/logging.h"

#define CACHE_BUCKETS 256
#define CA_BUCKETS 64

/* A CA certificate that chains bring along.  One intermediate usually
 * serves many SP certificates, and a parsed X509 costs kilobytes, so the
 * cache keeps one copy and the chains share it. */
struct shared_ca {
	struct llist_head bucket;
	uint8_t sha1[SHA_DIGEST_LENGTH];
	X509 *x;			/* one reference, the table's */
	unsigned int users;		/* entries whose chain holds it */
};

struct cert_cache {
	struct cert_cache_cfg cfg;
	struct llist_head lru;		/* chains, most recently used first */
	struct llist_head neg_lru;	/* failures, apart (cache.h) */
	struct llist_head buckets[CACHE_BUCKETS];
	struct llist_head cas[CA_BUCKETS];
	struct cert_cache_stats stats;
};

static time_t clock_real(void *priv)
{
	return stiwf_evloop_time();
}

/*! Fill cfg with the defaults (1024 chains, 4 MiB, 24 h floor, 256
 *  failures for 30 s, real time). */
void cert_cache_cfg_init(struct cert_cache_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_entries = CERT_CACHE_DEFAULT_ENTRIES;
	cfg->max_bytes = CERT_CACHE_DEFAULT_BYTES;
	cfg->floor_s = CERT_CACHE_DEFAULT_FLOOR_S;
	cfg->neg_ttl_s = CERT_CACHE_DEFAULT_NEG_TTL_S;
	cfg->neg_max_entries = CERT_CACHE_DEFAULT_NEG_ENTRIES;
}

static uint32_t url_hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

static int entry_destructor(struct cert_cache_entry *e)
{
	certchain_free(e->chain);
	e->chain = NULL;
	e->leaf = NULL;
	return 0;
}

static struct shared_ca *ca_find(struct cert_cache *c, X509 *x, uint8_t sha1[SHA_DIGEST_LENGTH])
{
	struct shared_ca *ca;
	unsigned int len = SHA_DIGEST_LENGTH;

	/* OpenSSL keeps the SHA-1 of a parsed certificate: no hashing here */
	if (X509_digest(x, EVP_sha1(), sha1, &len) != 1)
		return NULL;
	llist_for_each_entry(ca, &c->cas[sha1[0] % CA_BUCKETS], bucket) {
		if (!memcmp(ca->sha1, sha1, SHA_DIGEST_LENGTH) && X509_cmp(ca->x, x) == 0)
			return ca;
	}
	return NULL;
}

/* Replace the chain's CA certificates (all but the leaf) by the shared
 * copies, adding the new ones to the table. */
static void chain_share_cas(struct cert_cache *c, struct cert_cache_entry *e)
{
	uint8_t sha1[SHA_DIGEST_LENGTH];
	struct shared_ca *ca;
	X509 *x;
	int i;

	for (i = 1; i < sk_X509_num(e->chain); i++) {
		x = sk_X509_value(e->chain, i);
		ca = ca_find(c, x, sha1);
		if (ca && ca->x == x) {
			ca->users++;	/* the caller's chain already holds the shared object */
			continue;
		}
		if (ca && X509_up_ref(ca->x)) {
			sk_X509_set(e->chain, i, ca->x);
			X509_free(x);
			ca->users++;
			continue;
		}
		if (ca)
			continue;	/* no reference to be had: kept unshared */
		ca = talloc_zero(c, struct shared_ca);
		if (!ca || !X509_up_ref(x)) {
			talloc_free(ca);
			continue;	/* not shared, still correct */
		}
		memcpy(ca->sha1, sha1, sizeof(ca->sha1));	/* ca_find() filled it */
		ca->x = x;
		ca->users = 1;
		llist_add(&ca->bucket, &c->cas[sha1[0] % CA_BUCKETS]);
		c->stats.shared_cas++;
	}
}

static void chain_release_cas(struct cert_cache *c, struct cert_cache_entry *e)
{
	uint8_t sha1[SHA_DIGEST_LENGTH];
	struct shared_ca *ca;
	int i;

	for (i = 1; e->chain && i < sk_X509_num(e->chain); i++) {
		ca = ca_find(c, sk_X509_value(e->chain, i), sha1);
		if (!ca || ca->x != sk_X509_value(e->chain, i) || --ca->users)
			continue;
		llist_del(&ca->bucket);
		c->stats.shared_cas--;
		X509_free(ca->x);
		talloc_free(ca);
	}
}

static void entry_drop(struct cert_cache *c, struct cert_cache_entry *e)
{
	chain_release_cas(c, e);
	llist_del(&e->lru);
	llist_del(&e->bucket);
	c->stats.entries--;
	if (e->negative)
		c->stats.neg_entries--;
	else
		c->stats.bytes -= e->bytes;
	talloc_free(e);
}

static int cache_destructor(struct cert_cache *c)
{
	struct cert_cache_entry *e, *tmp;

	llist_for_each_entry_safe(e, tmp, &c->lru, lru)
		entry_drop(c, e);
	llist_for_each_entry_safe(e, tmp, &c->neg_lru, lru)
		entry_drop(c, e);
	return 0;
}

/*! Create a cache.  \param[in] cfg NULL for the defaults
 *  \returns the cache, or NULL */
struct cert_cache *cert_cache_alloc(void *ctx, const struct cert_cache_cfg *cfg)
{
	struct cert_cache *c;
	unsigned int i;

	c = talloc_zero(ctx, struct cert_cache);
	if (!c)
		return NULL;
	if (cfg)
		c->cfg = *cfg;
	else
		cert_cache_cfg_init(&c->cfg);
	if (!c->cfg.now)
		c->cfg.now = clock_real;
	INIT_LLIST_HEAD(&c->lru);
	INIT_LLIST_HEAD(&c->neg_lru);
	for (i = 0; i < CACHE_BUCKETS; i++)
		INIT_LLIST_HEAD(&c->buckets[i]);
	for (i = 0; i < CA_BUCKETS; i++)
		INIT_LLIST_HEAD(&c->cas[i]);
	talloc_set_destructor(c, cache_destructor);
	return c;
}

/*! \returns the cache's idea of now (its injectable clock) */
time_t cert_cache_now(const struct cert_cache *c)
{
	return c->cfg.now(c->cfg.now_priv);
}

/*! Parse delta-seconds (RFC 7234 §1.2.1): 1*DIGIT, optionally quoted
 *  (tolerated: some servers send max-age="3600"); values above 2^31 are
 *  taken as 2^31.
 *  \returns 0, or -EINVAL when s is not a number */
int cert_cache_parse_delta(const char *s, size_t len, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		s++;
		len -= 2;
	}
	if (len == 0)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		/* saturate instead of overflowing */
		if (v < CERT_CACHE_DELTA_MAX)
			v = v * 10 + (s[i] - '0');
		if (v > CERT_CACHE_DELTA_MAX)
			v = CERT_CACHE_DELTA_MAX;
	}
	*out = v;
	return 0;
}

struct cc_directives {
	bool any;		/* some directive we know about */
	bool no_store, no_cache;
	bool has_max_age, has_s_maxage;
	bool conflict;		/* a duplicate or malformed age directive */
	int64_t max_age, s_maxage;
};

/* Cache-Control = 1#cache-directive (RFC 7234 §5.2); directive names are
 * case-insensitive; unknown ones are ignored (§5.2.3). */
static void cc_parse(const char *cc, struct cc_directives *d)
{
	const char *p = cc, *end, *eq;
	size_t nlen, vlen;
	int64_t v;

	memset(d, 0, sizeof(*d));
	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			break;
		end = p + strcspn(p, ",");
		eq = memchr(p, '=', (size_t)(end - p));
		nlen = (size_t)((eq ? eq : end) - p);
		while (nlen && (p[nlen - 1] == ' ' || p[nlen - 1] == '\t'))
			nlen--;
		vlen = 0;
		if (eq) {
			eq++;
			while (eq < end && (*eq == ' ' || *eq == '\t'))
				eq++;
			vlen = (size_t)(end - eq);
			while (vlen && (eq[vlen - 1] == ' ' || eq[vlen - 1] == '\t'))
				vlen--;
		}
		if (nlen == 8 && strncasecmp(p, "no-store", 8) == 0) {
			d->no_store = d->any = true;
		} else if (nlen == 8 && strncasecmp(p, "no-cache", 8) == 0) {
			/* no-cache="field" (§5.2.2.2) would cache the body; take the strict reading */
			d->no_cache = d->any = true;
		} else if (nlen == 7 && strncasecmp(p, "max-age", 7) == 0) {
			d->any = true;
			if (d->has_max_age || !eq || cert_cache_parse_delta(eq, vlen, &v) < 0)
				d->conflict = true;
			else
				d->max_age = v;
			d->has_max_age = true;
		} else if (nlen == 8 && strncasecmp(p, "s-maxage", 8) == 0) {
			d->any = true;
			if (d->has_s_maxage || !eq || cert_cache_parse_delta(eq, vlen, &v) < 0)
				d->conflict = true;
			else
				d->s_maxage = v;
			d->has_s_maxage = true;
		}
		p = end;
	}
}

static bool hdr_present(const char *h)
{
	return h && h[0];
}

/* ASN1_TIME -> time_t (UTC). */
static int asn1_time_to_time_t(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;

	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return -EINVAL;
	*out = timegm(&tm);
	return 0;
}

/*! How long a response may be used, from its headers.
 *  RFC 7234 §4.2.1 (freshness lifetime: s-maxage, max-age, Expires - Date),
 *  §4.2.3 (current age: max(apparent age, Age)), §5.3 (an invalid Expires
 *  means already expired), then the ATIS-1000074 floor (cache.h), then the
 *  cap at the leaf's notAfter.
 *  \param[in] c the cache (its floor)
 *  \param[in] h the response's caching headers
 *  \param[in] response_time when the response arrived
 *  \param[in] leaf the leaf certificate, or NULL (no cap)
 *  \param[out] expires until when the entry may be used
 *  \returns 0 when the response may be stored, -ENOENT when it must not
 *           (no-store or nothing fresh, without a floor), -ESTALE when the
 *           leaf has expired already */
int cert_cache_lifetime(const struct cert_cache *c, const struct cert_cache_hdrs *h,
			time_t response_time, X509 *leaf, time_t *expires)
{
	struct cc_directives d;
	int64_t lifetime = 0, age = 0, apparent = 0, remaining, v;
	time_t date = -1, exp = -1, not_after;
	bool recognised = false;

	*expires = response_time;
	cc_parse(h && h->cache_control ? h->cache_control : "", &d);
	if (h && hdr_present(h->date))
		date = curl_getdate(h->date, NULL);
	if (h && hdr_present(h->age) && cert_cache_parse_delta(h->age, strlen(h->age), &v) == 0)
		age = v;
	if (date >= 0 && response_time > date)
		apparent = response_time - date;
	if (apparent > age)
		age = apparent;

	if (d.no_store || d.no_cache || d.conflict) {
		recognised = true;
		lifetime = 0;
	} else if (d.has_s_maxage) {
		/* a verifier's cache serves many calls: a shared cache (§5.2.2.9) */
		recognised = true;
		lifetime = d.s_maxage;
	} else if (d.has_max_age) {
		recognised = true;
		lifetime = d.max_age;
	} else if (h && hdr_present(h->expires)) {
		recognised = true;
		exp = curl_getdate(h->expires, NULL);
		if (exp < 0)
			lifetime = 0;	/* §5.3: invalid, e.g. "0": already expired */
		else
			lifetime = (int64_t)exp - (int64_t)(date >= 0 ? date : response_time);
		if (lifetime < 0)
			lifetime = 0;
	}
	remaining = lifetime - age;
	if (remaining < 0)
		remaining = 0;

	if (c->cfg.floor_s == 0) {
		/* RFC 7234 alone: no heuristic freshness, no revalidation */
		if (d.no_store || remaining == 0)
			return -ENOENT;
	} else if (!recognised || remaining < (int64_t)c->cfg.floor_s) {
		/* ATIS-1000074: no directives, or less than 24 h: cache 24 h */
		remaining = c->cfg.floor_s;
	}
	if (remaining > CERT_CACHE_DELTA_MAX)
		remaining = CERT_CACHE_DELTA_MAX;
	*expires = (time_t)((int64_t)response_time + remaining);

	if (leaf) {
		if (asn1_time_to_time_t(X509_get0_notAfter(leaf), &not_after) < 0)
			return -ESTALE;
		if (not_after <= response_time)
			return -ESTALE;
		if (not_after < *expires)
			*expires = not_after;
	}
	return 0;
}

static struct cert_cache_entry *lookup(const struct cert_cache *c, const char *url, uint32_t hash)
{
	struct cert_cache_entry *e;

	llist_for_each_entry(e, &c->buckets[hash % CACHE_BUCKETS], bucket) {
		if (e->hash == hash && strcmp(e->url, url) == 0)
			return e;
	}
	return NULL;
}

/*! Remove the entry for url, if any. */
void cert_cache_remove(struct cert_cache *c, const char *url)
{
	struct cert_cache_entry *e = lookup(c, url, url_hash(url));

	if (e)
		entry_drop(c, e);
}

/* Make room for one more chain of size bytes: only chains make room for
 * chains. */
static void make_room(struct cert_cache *c, size_t bytes)
{
	struct cert_cache_entry *e;

	while (!llist_empty(&c->lru) &&
	       (c->stats.entries - c->stats.neg_entries + 1 > c->cfg.max_entries ||
		c->stats.bytes + bytes > c->cfg.max_bytes)) {
		e = llist_last_entry(&c->lru, struct cert_cache_entry, lru);
		LOGP(DCERT, LOGL_DEBUG, "cache: evict %s\n", e->url);
		c->stats.evictions++;
		entry_drop(c, e);
	}
}

/* Make room for one more failure: only failures make room for failures. */
static void make_room_negative(struct cert_cache *c)
{
	struct cert_cache_entry *e;

	while (!llist_empty(&c->neg_lru) && c->stats.neg_entries + 1 > c->cfg.neg_max_entries) {
		e = llist_last_entry(&c->neg_lru, struct cert_cache_entry, lru);
		c->stats.neg_evictions++;
		entry_drop(c, e);
	}
}

static struct cert_cache_entry *entry_new(struct cert_cache *c, const char *url, size_t bytes, bool negative)
{
	struct cert_cache_entry *e;
	uint32_t hash = url_hash(url);

	cert_cache_remove(c, url);
	if (negative) {
		if (c->cfg.neg_max_entries == 0)
			return NULL;
		make_room_negative(c);
	} else {
		if (bytes > c->cfg.max_bytes || c->cfg.max_entries == 0)
			return NULL;
		make_room(c, bytes);
	}
	e = talloc_zero(c, struct cert_cache_entry);
	if (!e)
		return NULL;
	e->url = talloc_strdup(e, url);
	if (!e->url) {
		talloc_free(e);
		return NULL;
	}
	talloc_set_destructor(e, entry_destructor);
	e->hash = hash;
	e->bytes = bytes;
	e->negative = negative;
	e->stored = cert_cache_now(c);
	llist_add(&e->lru, negative ? &c->neg_lru : &c->lru);
	llist_add(&e->bucket, &c->buckets[hash % CACHE_BUCKETS]);
	c->stats.entries++;
	if (negative)
		c->stats.neg_entries++;
	else
		c->stats.bytes += bytes;
	return e;
}

/*! Store a chain fetched from url, replacing what was there.
 *  \param[in] chain leaf first; the cache takes it over on success, the
 *             caller keeps it on failure
 *  \param[in] h the response's caching headers (NULL: none)
 *  \returns the entry, or NULL when the response may not be stored
 *           (logged: no-store, expired leaf, larger than the cache) */
struct cert_cache_entry *cert_cache_put(struct cert_cache *c, const char *url, STACK_OF(X509) *chain,
					const struct cert_cache_hdrs *h)
{
	struct cert_cache_entry *e;
	time_t now = cert_cache_now(c), expires;
	X509 *leaf = sk_X509_value(chain, 0);
	size_t bytes;
	int rc;

	if (!leaf)
		return NULL;
	rc = cert_cache_lifetime(c, h, now, leaf, &expires);
	if (rc < 0) {
		LOGP(DCERT, LOGL_INFO, "cache: %s not stored: %s\n", url,
		     rc == -ESTALE ? "the leaf certificate has expired" : "the server forbids it");
		cert_cache_remove(c, url);
		return NULL;
	}
	bytes = certchain_der_size(chain) + strlen(url) + sizeof(*e);
	e = entry_new(c, url, bytes, false);
	if (!e) {
		LOGP(DCERT, LOGL_NOTICE, "cache: %s not stored (%zu octets)\n", url, bytes);
		return NULL;
	}
	e->chain = chain;
	e->leaf = leaf;
	e->expires = expires;
	chain_share_cas(c, e);
	c->stats.stores++;
	LOGP(DCERT, LOGL_DEBUG, "cache: %s stored for %lld s\n", url, (long long)(expires - now));
	return e;
}

/*! Remember that url failed, for neg_ttl_s, among the failures (cache.h):
 *  the oldest failure makes room, never a chain.
 *  \param[in] err caller-defined code, handed back on hits
 *  \param[in] reason for the log and the caller
 *  \returns the entry, or NULL */
struct cert_cache_entry *cert_cache_put_negative(struct cert_cache *c, const char *url, int err,
						 const char *reason)
{
	struct cert_cache_entry *e;

	if (c->cfg.neg_ttl_s == 0) {
		cert_cache_remove(c, url);
		return NULL;
	}
	e = entry_new(c, url, strlen(url) + sizeof(*e), true);
	if (!e)
		return NULL;
	e->neg_err = err;
	snprintf(e->neg_reason, sizeof(e->neg_reason), "%s", reason ? reason : "");
	e->expires = e->stored + c->cfg.neg_ttl_s;
	return e;
}

/*! Look url up.  An entry past its expiry is dropped and not returned.
 *  \returns the fresh entry (positive or negative: check ->negative) or NULL */
struct cert_cache_entry *cert_cache_get(struct cert_cache *c, const char *url)
{
	struct cert_cache_entry *e = lookup(c, url, url_hash(url));

	if (!e) {
		c->stats.misses++;
		return NULL;
	}
	if (cert_cache_now(c) >= e->expires) {
		c->stats.expirations++;
		c->stats.misses++;
		entry_drop(c, e);
		return NULL;
	}
	llist_del(&e->lru);
	llist_add(&e->lru, e->negative ? &c->neg_lru : &c->lru);
	if (e->negative)
		c->stats.neg_hits++;
	else
		c->stats.hits++;
	return e;
}

/*! Whether url has a fresh entry (positive or negative), without
 *  touching the LRU order or the counters.
 *  \returns the entry or NULL */
const struct cert_cache_entry *cert_cache_peek(const struct cert_cache *c, const char *url)
{
	const struct cert_cache_entry *e = lookup(c, url, url_hash(url));

	if (!e || cert_cache_now(c) >= e->expires)
		return NULL;
	return e;
}

/*! \returns the counters of c */
const struct cert_cache_stats *cert_cache_stats(const struct cert_cache *c)
{
	return &c->stats;
}
