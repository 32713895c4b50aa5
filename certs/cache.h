/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file cache.h
 *  The certificate cache of one trust domain, keyed by URL (x5u or
 *  repository URL).  It keeps the parsed chain, not only bytes.
 *
 *  Lifetime: RFC 7234 §4.2 (Cache-Control s-maxage/max-age, Expires, Date,
 *  Age; no-store and no-cache count as "cache for 0 s"), then the
 *  ATIS-1000074 floor (docs/STANDARDS.md §2.7): "If the HTTP response does not
 *  include any recognized caching directives or indicates caching for less
 *  than 24 hours, then the STI-VS should cache the HTTP response for 24
 *  hours" -- so a lifetime below floor_s (default 86400) is raised to it.
 *  With floor_s = 0 the cache follows RFC 7234 alone: no-store is not
 *  stored, and no-cache, which would need revalidation (not implemented),
 *  is not reused.  Whatever the headers say, an entry never outlives the
 *  leaf certificate's notAfter.
 *
 *  Bounded in entries and in bytes (DER size of the chain plus the URL),
 *  least recently used first out.  The CA certificates of the chains are
 *  kept once and shared (an intermediate serves many leaves).  Failures
 *  are kept briefly (negative cache, default 30 s) so that a dead URL is
 *  not asked again per call.
 *
 *  The failures live apart from the chains, in a smaller LRU of their own
 *  (neg_max_entries, default 256): a peer that sends a fresh junk x5u per
 *  call fills that one and evicts its own entries, never a good chain
 *  (1117 such INVITEs used to push a good chain out of the shared 1024). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>
#include <osmocom/core/linuxlist.h>

#define CERT_CACHE_DEFAULT_ENTRIES	1024
#define CERT_CACHE_DEFAULT_BYTES	(4 * 1024 * 1024)
/*! ATIS-1000074: cache at least 24 hours. */
#define CERT_CACHE_DEFAULT_FLOOR_S	86400
#define CERT_CACHE_DEFAULT_NEG_TTL_S	30
#define CERT_CACHE_DEFAULT_NEG_ENTRIES	256
/*! RFC 7234 §1.2.1: delta-seconds above 2^31 are taken as 2^31. */
#define CERT_CACHE_DELTA_MAX		2147483648LL

typedef time_t (*cert_cache_clock)(void *priv);

struct cert_cache_cfg {
	unsigned int max_entries;	/*!< chains */
	size_t max_bytes;		/*!< chains */
	unsigned int neg_max_entries;	/*!< failures, kept apart (0: none kept) */
	unsigned int floor_s;	/*!< ATIS-1000074 floor; 0: RFC 7234 alone */
	unsigned int neg_ttl_s;	/*!< how long a failure is remembered */
	cert_cache_clock now;	/*!< NULL: stiwf_evloop_time(); tests inject their own */
	void *now_priv;
};

/*! Caching headers of a response, as received ("" or NULL when absent). */
struct cert_cache_hdrs {
	const char *cache_control;
	const char *expires;
	const char *date;
	const char *age;
};

/*! A verification result remembered with an entry (truststore.c), so that
 *  a cache hit costs no chain verification. */
struct cert_cache_verified {
	bool valid;
	const void *store;	/*!< which trust store verified it */
	uint64_t generation;	/*!< the store's generation (CRLs, anchors) then */
	int64_t bucket;		/*!< time bucket of the verification */
	time_t not_before;	/*!< latest notBefore in the chain */
	time_t not_after;	/*!< earliest notAfter in the chain, CRL nextUpdate */
	int result;		/*!< enum cert_err */
};

struct cert_cache_entry {
	/* read-only for users */
	const char *url;
	STACK_OF(X509) *chain;	/*!< leaf first; owned by the entry */
	X509 *leaf;
	time_t stored;
	time_t expires;
	size_t bytes;
	bool negative;		/*!< a remembered failure: no chain */
	int neg_err;		/*!< caller-defined error code of a failure */
	char neg_reason[128];
	/*! Filled by the verifier; cleared when the entry is replaced. */
	struct cert_cache_verified verified;
	/*! Talloc child for what the verifier derives from the leaf
	 *  (TNAuthList, ...); freed with the entry. */
	void *derived;
	/* private to cache.c */
	struct llist_head lru;
	struct llist_head bucket;
	uint32_t hash;
};

struct cert_cache_stats {
	unsigned long hits, neg_hits, misses, stores, evictions, expirations;
	unsigned long neg_evictions;	/*!< failures pushed out by newer failures */
	unsigned int entries;		/*!< chains and failures */
	unsigned int neg_entries;	/*!< of them, failures */
	size_t bytes;			/*!< of the chains */
	unsigned int shared_cas;	/*!< CA certificates kept once for all chains */
};

struct cert_cache;

void cert_cache_cfg_init(struct cert_cache_cfg *cfg);
struct cert_cache *cert_cache_alloc(void *ctx, const struct cert_cache_cfg *cfg);
time_t cert_cache_now(const struct cert_cache *c);
int cert_cache_lifetime(const struct cert_cache *c, const struct cert_cache_hdrs *h,
			time_t response_time, X509 *leaf, time_t *expires);
int cert_cache_parse_delta(const char *s, size_t len, int64_t *out);
struct cert_cache_entry *cert_cache_put(struct cert_cache *c, const char *url, STACK_OF(X509) *chain,
					const struct cert_cache_hdrs *h);
struct cert_cache_entry *cert_cache_put_negative(struct cert_cache *c, const char *url, int err,
						 const char *reason);
struct cert_cache_entry *cert_cache_get(struct cert_cache *c, const char *url);
const struct cert_cache_entry *cert_cache_peek(const struct cert_cache *c, const char *url);
void cert_cache_remove(struct cert_cache *c, const char *url);
const struct cert_cache_stats *cert_cache_stats(const struct cert_cache *c);
