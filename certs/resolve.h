/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file resolve.h
 *  From a certificate URL to a verified public key, for one trust domain
 *  (ARCHITECTURE §3): the STI-VS resolves a PASSporT's x5u in the SHAKEN domain
 *  (RFC 8224 §6.2.2, ATIS-1000074), the SS7 side resolves a hop signer's
 *  key-id through the TSCA repository (URL template ".../{key-id}.pem").
 *
 *  Steps: the chain from the cache or the fetcher (single flight, negative
 *  cache); chain verification with the verified-chain cache; for SHAKEN,
 *  the ATIS-1000080 profile of the leaf.  The answer is the leaf's key, its
 *  TNAuthList and SPC, or an error with SIP 436 (cannot fetch or parse,
 *  refused by the fetch policy, no fetch capacity) or 437 (untrusted,
 *  revoked, expired, profile).  A URL the fetch policy refuses, and a fetch
 *  refused for capacity, leave no cache entry.
 *
 *  CRLs from distribution points (fetch_crls): only once the chain verifies
 *  without them (truststore_verify_soft_crl()), for each certificate of the
 *  verified path whose issuer has no current CRL, from that certificate's
 *  distribution point, checked against the issuer on the verified path.
 *  They are kept apart from the chains (a CRL URL and an x5u never share
 *  an entry) and fetched again before their nextUpdate by
 *  cert_domain_crl_refresh(), which the caller runs from a timer and on
 *  SIGHUP; a failed CRL fetch is not repeated per call for 30 s. */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "certs/truststore.h"

struct fetcher;
struct cert_cache;
struct tnauthlist;

struct cert_domain_cfg {
	const char *name;		/*!< "shaken", "tsca": for logs */
	bool shaken_profile;		/*!< run the ATIS-1000080 leaf checks */
	bool fetch_crls;		/*!< fetch CRLs from distribution points */
	/*! Repository URL with "{key-id}" in it (TSCA); NULL when none. */
	const char *repo_url_template;
};

struct cert_domain;
struct cert_resolve_req;

/*! The answer.  Pointers are borrowed and valid during the callback only
 *  (EVP_PKEY_up_ref() the key to keep it). */
struct cert_resolve_result {
	const char *url;
	enum cert_err err;
	uint16_t sip_code;		/*!< 0, 436 or 437 */
	const char *reason;		/*!< "" on success */
	EVP_PKEY *pkey;			/*!< the leaf's public key */
	X509 *leaf;
	STACK_OF(X509) *chain;		/*!< the chain as served, leaf first */
	const struct tnauthlist *tnauth;	/*!< NULL when the leaf has none */
	const char *spc;		/*!< first SPC of the TNAuthList, or NULL */
	bool cached;			/*!< the chain came from the cache */
};

typedef void (*cert_resolve_cb)(const struct cert_resolve_result *res, void *priv);

struct cert_domain *cert_domain_alloc(void *ctx, const struct cert_domain_cfg *cfg, struct fetcher *f,
				      struct cert_cache *cache, struct truststore *ts);
struct cert_resolve_req *cert_resolve_x5u(struct cert_domain *d, const char *url, time_t at,
					  cert_resolve_cb cb, void *priv);
void cert_resolve_cancel(struct cert_resolve_req *r);
/*! Answer from the cache alone, at once: when \a url's chain is in the
 *  cache and its verification at \a at is remembered (no fetch, no CRL
 *  look-up, no chain verification), run \a cb with the answer
 *  cert_resolve_x5u() would give, from inside this call.  Otherwise do
 *  nothing: the caller then asks cert_resolve_x5u().
 *  \returns 0 (cb ran), -EAGAIN (ask cert_resolve_x5u()), -EINVAL */
int cert_resolve_x5u_cached(struct cert_domain *d, const char *url, time_t at, cert_resolve_cb cb, void *priv);
int cert_domain_repo_url(const struct cert_domain *d, const char *keyid_hex, char *buf, size_t len);
/*! Fetch again the CRLs of the distribution points this domain loaded
 *  whose refresh is due at \a now (truststore_crl_due()), or all of them
 *  when \a force.  \returns the number of fetches started */
int cert_domain_crl_refresh(struct cert_domain *d, time_t now, bool force);
/*! \returns the number of CRL distribution points kept current */
unsigned int cert_domain_crl_sources(const struct cert_domain *d);
/*! \returns whether \a url has a fresh cache entry, a chain or a failure
 *  (so that resolving it fetches nothing) */
bool cert_domain_cached(const struct cert_domain *d, const char *url);
