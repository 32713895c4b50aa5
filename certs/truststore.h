/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file truststore.h
 *  The trust store of one domain (ARCHITECTURE §3): trust anchors and optional
 *  intermediates from a directory, CRLs from files at start and from CRL
 *  Distribution Points at run time, and X509_STORE chain verification at a
 *  given time whose failure reason maps to a SIP response (RFC 8224 §6.2.2:
 *  436 when the credential cannot be obtained, 437 when it is not trusted).
 *
 *  CRL policy: when the store knows at least one CRL, verification runs
 *  with X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL, so every
 *  certificate whose issuer has a CRL is checked against it.  A certificate
 *  whose issuer has no CRL is accepted (soft fail, logged at INFO) unless
 *  crl_required is set, in which case the chain fails with
 *  CERT_ERR_CRL.  A CRL that has expired, is not yet valid or has a bad
 *  signature always fails the chain.
 *
 *  CRL refresh: a CRL does not stay current by itself.  CRL files added
 *  with truststore_crl_file_add() are read again by truststore_crl_refresh()
 *  every crl_refresh_s (default 1 h) and from crl_margin_s (default 5 min)
 *  before the loaded CRL's nextUpdate on, every crl_retry_s (default 60 s)
 *  until a newer one is there; the caller runs it from a timer and on
 *  SIGHUP (force), with the time it wants (tests inject theirs).  CRLs from
 *  distribution points are refreshed by their domain (resolve.h). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>
#include <osmocom/core/utils.h>

struct cert_cache_entry;

/*! Why a certificate was not accepted. */
enum cert_err {
	CERT_OK,
	CERT_ERR_FETCH,		/*!< could not be fetched (436) */
	CERT_ERR_PARSE,		/*!< fetched, but not a certificate chain (436) */
	CERT_ERR_UNTRUSTED,	/*!< no path to a trust anchor (437) */
	CERT_ERR_EXPIRED,	/*!< a certificate has expired (437) */
	CERT_ERR_NOT_YET_VALID,	/*!< a certificate is not yet valid (437) */
	CERT_ERR_REVOKED,	/*!< a certificate is revoked (437) */
	CERT_ERR_BAD_SIGNATURE,	/*!< a signature in the chain does not verify (437) */
	CERT_ERR_CRL,		/*!< CRL missing (when required), expired or bad (437) */
	CERT_ERR_CHAIN,		/*!< any other chain error: CA flag, path length... (437) */
	CERT_ERR_PROFILE,	/*!< leaf fails the ATIS-1000080 profile (437) */
	CERT_ERR_INTERNAL,	/*!< out of memory, library failure (436) */
	CERT_ERR_POLICY,	/*!< the URL or its address is refused by the fetch policy (436) */
	CERT_ERR_BUSY,		/*!< not fetched: too many fetches in flight, or the peer's rate (436) */
	_NUM_CERT_ERR
};
extern const struct value_string cert_err_names[];
uint16_t cert_err_sip_code(enum cert_err err);

#define TRUSTSTORE_DEFAULT_BUCKET_S	3600
/*! Most CRLs one store keeps. */
#define TRUSTSTORE_MAX_CRLS		256
/*! Largest CRL file or body accepted. */
#define TRUSTSTORE_MAX_CRL_LEN		(1024 * 1024)
/*! Most CRL files one store reads again. */
#define TRUSTSTORE_MAX_CRL_FILES	64
#define TRUSTSTORE_DEFAULT_CRL_REFRESH_S	3600
#define TRUSTSTORE_DEFAULT_CRL_MARGIN_S		300
#define TRUSTSTORE_DEFAULT_CRL_RETRY_S		60

struct truststore_cfg {
	bool crl_required;		/*!< fail a chain when an issuer has no CRL */
	unsigned int bucket_s;		/*!< verified-chain cache: re-verify at least this often */
	unsigned int crl_refresh_s;	/*!< read CRL files again this often */
	unsigned int crl_margin_s;	/*!< and from this long before nextUpdate */
	unsigned int crl_retry_s;	/*!< then this often until a newer CRL is there */
};

struct truststore_stats {
	unsigned long verify_calls;	/*!< X509_verify_cert() runs */
	unsigned long memo_hits;	/*!< verifications answered from a cache entry */
	unsigned int anchors, intermediates, crls;
};

struct truststore;

void truststore_cfg_init(struct truststore_cfg *cfg);
struct truststore *truststore_alloc(void *ctx, const char *name, const struct truststore_cfg *cfg);
const char *truststore_name(const struct truststore *ts);
int truststore_add_cert(struct truststore *ts, X509 *x);
int truststore_load_dir(struct truststore *ts, const char *dir);
int truststore_add_crl(struct truststore *ts, X509_CRL *crl);
int truststore_load_crl_file(struct truststore *ts, const char *path);
int truststore_load_crl_dir(struct truststore *ts, const char *dir);
int truststore_add_crl_buf(struct truststore *ts, const uint8_t *buf, size_t len, X509 *issuer,
			   char *why, size_t why_len);
int truststore_add_crl_checked(struct truststore *ts, X509_CRL *crl, X509 *issuer, char *why, size_t why_len);
X509_CRL *truststore_crl_parse(const uint8_t *buf, size_t len);
int truststore_crl_file_add(struct truststore *ts, const char *path, time_t now);
int truststore_crl_refresh(struct truststore *ts, time_t now, bool force);
time_t truststore_crl_due(const struct truststore *ts, const X509_CRL *crl, time_t now);
time_t truststore_crl_next_update(const X509_CRL *crl);
bool truststore_has_crl(const struct truststore *ts, X509 *cert, time_t at);
int truststore_crl_url(X509 *cert, char *buf, size_t len);
enum cert_err truststore_verify(struct truststore *ts, STACK_OF(X509) *chain, time_t at,
				char *detail, size_t detail_len);
/*! Verify \a chain as truststore_verify() does, with RFC 5280 §6.1
 *  certificate-policy processing: \a oids are the user-initial-policy-set
 *  and an explicit policy is required (X509_V_FLAG_POLICY_CHECK |
 *  X509_V_FLAG_EXPLICIT_POLICY), so that a policy counts only when every
 *  CA of the path passes it on (names it, or anyPolicy).  A path for which
 *  none of \a oids is valid still verifies, with \a valid empty.
 *  \param[out] path on CERT_OK: the certification path built, leaf first,
 *  trust anchor last (free with sk_X509_pop_free(.., X509_free))
 *  \param[out] valid on CERT_OK: those of \a oids valid for the whole
 *  path (free with sk_ASN1_OBJECT_pop_free(.., ASN1_OBJECT_free))
 *  \returns CERT_OK or why the chain fails (as truststore_verify()) */
enum cert_err truststore_verify_path(struct truststore *ts, STACK_OF(X509) *chain, time_t at,
				     const ASN1_OBJECT *const *oids, unsigned int num_oids,
				     STACK_OF(X509) **path, STACK_OF(ASN1_OBJECT) **valid,
				     char *detail, size_t detail_len);
/*! Verify \a chain as truststore_verify() does, with a missing CRL never
 *  failing it, and give the path that verified (for CRL distribution
 *  points: fetched only for a chain that leads to a trust anchor, and
 *  checked against the issuer on that path).
 *  \param[out] path on CERT_OK, the path (sk_X509_pop_free(.., X509_free))
 *  \returns CERT_OK or the reason */
enum cert_err truststore_verify_soft_crl(struct truststore *ts, STACK_OF(X509) *chain, time_t at,
					 STACK_OF(X509) **path, char *detail, size_t detail_len);
bool truststore_entry_fresh(const struct truststore *ts, const struct cert_cache_entry *e, time_t at);
enum cert_err truststore_verify_entry(struct truststore *ts, struct cert_cache_entry *e, time_t at,
				      char *detail, size_t detail_len);
uint64_t truststore_generation(const struct truststore *ts);
const struct truststore_stats *truststore_stats(const struct truststore *ts);
