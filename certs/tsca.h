/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file tsca.h
 *  The TSCA signer directory (ARCHITECTURE §3, TSCA domain): from the key-id of a
 *  HOP signature (ARCHITECTURE §2.2) to the signer's verified certificate and a
 *  prepared verification key.
 *
 *  Where a chain is found, in this order:
 *  1. a local directory of operator certificates.  Files may be named
 *     anything; each holds a chain, leaf first (PEM, or one DER
 *     certificate).  The directory is indexed by the key-id of every leaf
 *     that is not a CA when it is loaded and on tsca_dir_reload(); CA
 *     certificates found there (alone or behind a leaf) help to build the
 *     path of every local leaf.
 *  2. the domain's repository, URL template ".../{key-id}.pem"
 *     (cert_domain_repo_url()), through the domain's fetcher and cache:
 *     asynchronous, one transfer per URL however many ask (single flight),
 *     failures remembered briefly (negative cache), chains cached like x5u.
 *     A 404 or 410 from the repository means "unknown key-id".  A key-id
 *     the cache cannot answer costs a token of the caller's bucket
 *     (tsca_lookup_limited(): one per SS7 peer), so that a peer sending
 *     random key-ids cannot make us fetch at will; without a token, and
 *     when the fetcher is at its in-flight caps, the answer is
 *     TSCA_ERR_BUSY.
 *
 *  Every answer is checked against the TSCA trust store at the time asked
 *  for (the HOP iat, or now), CRLs included, so that a revoked operator CA
 *  shuts out every signer below it; the chain verification is remembered
 *  per chain until the store changes (truststore_verify_entry()).  The
 *  leaf's key-id must equal the one asked for: a repository that serves
 *  another operator's certificate is caught.  The key is prepared once per
 *  key-id and kept (bounded, least recently used first out).
 *
 *  Provisional and full certificates are told apart by certificate-policy
 *  OID (ARCHITECTURE §3).  No public text fixes them (docs/STANDARDS.md §1.4), so they
 *  are configurable; the defaults are those of contrib/gen-test-pki.sh.
 *  A provisional certificate is to live at most 6 months and a full one 2
 *  years; no public text fixes these lifetimes either (ARCHITECTURE §1), so
 *  both bounds are configurable (by default 184 and 731 days).  A signer
 *  whose certificate's validity period (notAfter - notBefore) is longer
 *  than its class allows is refused (TSCA_ERR_LIFETIME), whatever the time
 *  asked for.  A signer of no class is held to the full bound.
 *
 *  What a signer's certificate claims counts only as far as its path
 *  grants it, so that a trusted operator CA cannot make itself a signer
 *  above its station (ARCHITECTURE §3):
 *  - class: RFC 5280 §6.1 policy processing over the verified path with the
 *    configured OIDs as the user-initial-policy-set and an explicit policy
 *    required (truststore_verify_path()).  A class counts only when its OID
 *    is valid for the whole path: every CA below the trust anchor must name
 *    it (or anyPolicy).  Both valid: provisional; neither: unknown.
 *  - numbers: the leaf's TNAuthList counts only when a CA of the path holds
 *    numbers (has a TNAuthList) and every TNAuthList of the path is
 *    encompassed by the next one above it (RFC 9060,
 *    tnauthlist_encompasses()).  When no CA of the path holds numbers, the
 *    leaf's list counts for nothing: its numbers come only from the domain
 *    map's entry pinned to its key (certs/map.h).
 *  Both are worked out once per prepared key, and again when the trust
 *  store changes.
 *
 *  Dependency note: certs/ is linked below ss7/, so the directory does not
 *  call the HOP codec itself; the caller gives the function that prepares a
 *  key (sigtoken_key_alloc_x509() of ss7/sigtoken.h). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>
#include <osmocom/core/utils.h>

#include "certs/keyid.h"

struct cert_domain;
struct truststore;
struct tnauthlist;
struct sigtoken_key;

/*! "full" operator certificates (UUID 7d3b5a8e-2c41-4f6e-9a0b-5e8d1c3f2a71 under 2.25, X.667) */
#define TSCA_DEFAULT_FULL_OID	"2.25.166461681668727740336541473751334595185"
/*! "provisional" operator certificates (... 2a72) */
#define TSCA_DEFAULT_PROV_OID	"2.25.166461681668727740336541473751334595186"
/*! Most OIDs per policy class. */
#define TSCA_MAX_OIDS		8
/*! Most files read from the local directory. */
#define TSCA_MAX_FILES		4096
/*! Most prepared keys kept. */
#define TSCA_DEFAULT_MAX_KEYS	1024
/*! Longest validity (notAfter - notBefore) of a provisional signer
 *  certificate, in days: 6 months, rounded up to the longest 6 months. */
#define TSCA_DEFAULT_MAX_DAYS_PROV	184
/*! ... of a full one: 2 years, one of them a leap year. */
#define TSCA_DEFAULT_MAX_DAYS_FULL	731
/*! Highest configurable maximum (20 years). */
#define TSCA_MAX_DAYS_LIMIT		7300
/*! Longest subject kept (RFC 2253 form). */
#define TSCA_SUBJECT_MAX	256

/*! Certificate class by policy OID (ARCHITECTURE §3). */
enum tsca_policy {
	TSCA_POLICY_UNKNOWN,		/*!< neither a full nor a provisional OID */
	TSCA_POLICY_FULL,
	TSCA_POLICY_PROVISIONAL,
};
extern const struct value_string tsca_policy_names[];

/*! What the path says of the signer's numbers. */
enum tsca_numbers {
	TSCA_NUMBERS_UNCONSTRAINED,	/*!< no CA of the path holds numbers: the leaf's list counts for nothing */
	TSCA_NUMBERS_HELD,		/*!< the leaf's list is encompassed by the CAs above it */
	TSCA_NUMBERS_EXCEEDED,		/*!< a list of the path goes beyond the one above it: none count */
};
extern const struct value_string tsca_numbers_names[];

/*! Why a signer was not accepted. */
enum tsca_err {
	TSCA_OK,
	TSCA_ERR_UNKNOWN_KEYID,		/*!< not in the directory, and the repository has none or there is none */
	TSCA_ERR_FETCH,			/*!< the repository could not be asked, or sent no chain */
	TSCA_ERR_UNTRUSTED,		/*!< no path to a TSCA root */
	TSCA_ERR_REVOKED,		/*!< a certificate of the chain is revoked */
	TSCA_ERR_EXPIRED,		/*!< a certificate of the chain has expired */
	TSCA_ERR_NOT_YET_VALID,		/*!< a certificate of the chain is not yet valid */
	TSCA_ERR_KEYID_MISMATCH,	/*!< the chain's leaf has another key-id */
	TSCA_ERR_CRL,			/*!< a CRL is missing (when required), expired or bad */
	TSCA_ERR_CHAIN,			/*!< any other chain failure (signature, CA flag, path length) */
	TSCA_ERR_KEY,			/*!< the leaf's key is not usable for HOP (not P-256) */
	TSCA_ERR_INTERNAL,		/*!< out of memory, library failure */
	TSCA_ERR_BUSY,			/*!< not fetched: the peer's rate of repository misses, or fetch capacity */
	TSCA_ERR_LIFETIME,		/*!< the signer's certificate is valid for longer than its class allows */
	_NUM_TSCA_ERR
};
extern const struct value_string tsca_err_names[];

/*! Where a chain came from. */
enum tsca_source {
	TSCA_SRC_NONE,
	TSCA_SRC_LOCAL,			/*!< the local directory */
	TSCA_SRC_REPO,			/*!< the repository (fetched or from the cache) */
};
extern const struct value_string tsca_source_names[];

/*! Prepares a verification key from a leaf certificate; NULL when the key
 *  cannot be used.  The result is freed with talloc_free(). */
typedef struct sigtoken_key *(*tsca_key_alloc_fn)(void *ctx, X509 *leaf);

struct tsca_cfg {
	/*! Local directory of operator certificates; NULL: none. */
	const char *cert_dir;
	const char *full_oids[TSCA_MAX_OIDS];
	unsigned int num_full_oids;
	const char *prov_oids[TSCA_MAX_OIDS];
	unsigned int num_prov_oids;
	unsigned int max_keys;		/*!< prepared keys kept (>= 1) */
	/*! longest validity period of a signer's certificate, in days, by
	 *  the class its path grants: provisional, and full (which also
	 *  bounds a signer of no class); 0: no limit */
	unsigned int max_days_prov, max_days_full;
	tsca_key_alloc_fn key_alloc;	/*!< required */
};

/*! The answer.  Pointers are borrowed: valid during the callback (or until
 *  the next call into the directory for tsca_dir_lookup_local()). */
struct tsca_result {
	uint8_t key_id[KEYID_LEN];	/*!< the key-id asked for */
	enum tsca_err err;
	const char *detail;		/*!< what failed and where ("" on success) */
	enum tsca_source source;
	bool cached;			/*!< repository: the chain came from the cache */
	/* on success only: */
	struct sigtoken_key *key;	/*!< prepared once per key-id, owned by the directory */
	X509 *leaf;
	/*! the class valid for the whole path (RFC 5280 §6.1), not the one
	 *  the leaf names (tsca_dir_policy()) */
	enum tsca_policy policy;
	const char *subject;		/*!< RFC 2253 */
	/*! the leaf's TNAuthList when the path holds it (numbers
	 *  TSCA_NUMBERS_HELD), else NULL: the numbers the signer may present
	 *  by its certificate */
	const struct tnauthlist *tnauth;
	enum tsca_numbers numbers;
	/*! SHA-256 of the leaf's SubjectPublicKeyInfo (certs/map.h pins it) */
	const uint8_t *spki_sha256;
};

typedef void (*tsca_lookup_cb)(const struct tsca_result *res, void *priv);

struct tsca_dir;
struct tsca_lookup;

/*! Defaults: no local directory, the test PKI's policy OIDs, 1024 keys,
 *  validity at most 184 days (provisional) and 731 days (full), no key_alloc. */
void tsca_cfg_init(struct tsca_cfg *cfg);

/*! Create a directory over a trust store and, for the repository, a
 *  domain (NULL: local directory only; a domain without a template asks no
 *  repository either).  Both are owned by the caller and must outlive the
 *  directory.  Loads cfg->cert_dir.
 *  \returns the directory, or NULL (bad configuration, unreadable
 *  directory, out of memory; logged) */
struct tsca_dir *tsca_dir_alloc(void *ctx, const struct tsca_cfg *cfg, struct truststore *ts,
				struct cert_domain *d);

/*! Index the local directory again (after certificates were added,
 *  replaced or removed).  On failure the old index stays.
 *  \returns the number of signer certificates indexed, or -errno */
int tsca_dir_reload(struct tsca_dir *td);

/*! \returns the number of signer certificates in the local index */
unsigned int tsca_dir_count(const struct tsca_dir *td);

/*! The policy class a certificate names in its certificatePolicies (a
 *  claim: the path decides, see tsca_result.policy); a certificate that
 *  names both classes counts as provisional. */
enum tsca_policy tsca_dir_policy(const struct tsca_dir *td, X509 *cert);

/*! Answer from the local directory alone, synchronously.
 *  \returns 0 when the key-id is in the local index (res says whether it
 *  is accepted), -ENOENT when it is not (res->err TSCA_ERR_UNKNOWN_KEYID) */
int tsca_dir_lookup_local(struct tsca_dir *td, const uint8_t key_id[KEYID_LEN], time_t at,
			  struct tsca_result *res);

/*! Find, verify at time \a at, and prepare the signer of \a key_id: the
 *  local directory first, then the repository.  The callback runs exactly
 *  once, from the loop (never from inside this call), unless the lookup is
 *  cancelled first.
 *  \returns the lookup, or NULL when out of memory */
struct tsca_lookup *tsca_lookup(struct tsca_dir *td, const uint8_t key_id[KEYID_LEN], time_t at,
				tsca_lookup_cb cb, void *priv);

struct token_bucket;

/*! As tsca_lookup(), but a key-id that is neither in the local directory
 *  nor in the repository cache (one whose lookup would fetch) first takes
 *  a token of \a tb (certs/tokenbucket.h) at the monotonic time
 *  \a now_ms; without one the answer is TSCA_ERR_BUSY and nothing is
 *  fetched.  \a tb is used during this call only.
 *  \returns the lookup, or NULL when out of memory */
struct tsca_lookup *tsca_lookup_limited(struct tsca_dir *td, const uint8_t key_id[KEYID_LEN], time_t at,
					struct token_bucket *tb, int64_t now_ms, tsca_lookup_cb cb, void *priv);

/*! Drop a lookup: its callback will not run.  Not from or after the callback. */
void tsca_lookup_cancel(struct tsca_lookup *l);

/*! Counters, for tests and statistics. */
struct tsca_stats {
	unsigned long lookups;
	unsigned long local_hits;
	unsigned long repo_lookups;
	unsigned long keys_prepared;	/*!< key_alloc() calls */
	unsigned long rejected;
	unsigned long rate_limited;	/*!< repository lookups refused for the caller's bucket */
};
const struct tsca_stats *tsca_dir_stats(const struct tsca_dir *td);
