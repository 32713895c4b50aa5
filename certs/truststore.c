/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Trust store of one domain: anchors, intermediates, CRLs, chain
 * verification with a verified-chain cache.  See truststore.h. */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "certs/cache.h"
#include "certs/truststore.h"
#include "src/core/logging.h"

const struct value_string cert_err_names[] = {
	{ CERT_OK, "ok" },
	{ CERT_ERR_FETCH, "cannot fetch" },
	{ CERT_ERR_PARSE, "not a certificate chain" },
	{ CERT_ERR_UNTRUSTED, "untrusted" },
	{ CERT_ERR_EXPIRED, "expired" },
	{ CERT_ERR_NOT_YET_VALID, "not yet valid" },
	{ CERT_ERR_REVOKED, "revoked" },
	{ CERT_ERR_BAD_SIGNATURE, "bad signature in chain" },
	{ CERT_ERR_CRL, "CRL problem" },
	{ CERT_ERR_CHAIN, "invalid chain" },
	{ CERT_ERR_PROFILE, "certificate profile" },
	{ CERT_ERR_INTERNAL, "internal error" },
	{ CERT_ERR_POLICY, "refused by the fetch policy" },
	{ CERT_ERR_BUSY, "not fetched now (fetch capacity)" },
	{ 0, NULL }
};

/*! The SIP response for err (RFC 8224 §6.2.2, ATIS-1000074 §5.3.2):
 *  436 Bad Identity Info when the credential could not be obtained, 437
 *  Unsupported Credential when it was obtained but is not acceptable.
 *  \returns 0 for CERT_OK */
uint16_t cert_err_sip_code(enum cert_err err)
{
	switch (err) {
	case CERT_OK:
		return 0;
	case CERT_ERR_FETCH:
	case CERT_ERR_PARSE:
	case CERT_ERR_INTERNAL:
	case CERT_ERR_POLICY:
	/* ATIS-1000074 §5.3.2: the credential could not be obtained.  Not 503:
	 * only certificate fetching is saturated, a call whose certificate is
	 * cached verifies as ever, and a 503 would tell the upstream the whole
	 * server is overloaded (RFC 3261 §21.5.4) and fail every call over to
	 * elsewhere; 436 leaves the call to the peer's STIR failure policy. */
	case CERT_ERR_BUSY:
		return 436;
	default:
		return 437;
	}
}

/* A CRL file read again by truststore_crl_refresh(). */
struct crl_file {
	struct llist_head entry;
	char *path;
	time_t due;			/* next read */
};

struct truststore {
	char *name;
	struct truststore_cfg cfg;
	X509_STORE *store;		/* trust anchors */
	STACK_OF(X509) *intermediates;	/* untrusted helpers from the trust directory */
	STACK_OF(X509_CRL) *crls;
	struct llist_head crl_files;
	unsigned int num_crl_files;
	uint64_t generation;
	struct truststore_stats stats;
};

/* What verify_cb needs to know. */
struct verify_ctx {
	struct truststore *ts;
	bool soft_crl;			/* a missing CRL never fails (path check before CRL fetch) */
};

static int truststore_destructor(struct truststore *ts)
{
	X509_STORE_free(ts->store);
	sk_X509_pop_free(ts->intermediates, X509_free);
	sk_X509_CRL_pop_free(ts->crls, X509_CRL_free);
	return 0;
}

/*! Defaults: soft-fail CRL policy, one-hour verification buckets, CRL
 *  files read again hourly and from 5 min before nextUpdate every 60 s. */
void truststore_cfg_init(struct truststore_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->bucket_s = TRUSTSTORE_DEFAULT_BUCKET_S;
	cfg->crl_refresh_s = TRUSTSTORE_DEFAULT_CRL_REFRESH_S;
	cfg->crl_margin_s = TRUSTSTORE_DEFAULT_CRL_MARGIN_S;
	cfg->crl_retry_s = TRUSTSTORE_DEFAULT_CRL_RETRY_S;
}

/*! Create an empty trust store.  \param[in] cfg NULL for the defaults
 *  \returns the store, or NULL */
struct truststore *truststore_alloc(void *ctx, const char *name, const struct truststore_cfg *cfg)
{
	struct truststore *ts = talloc_zero(ctx, struct truststore);

	if (!ts)
		return NULL;
	talloc_set_destructor(ts, truststore_destructor);
	if (cfg)
		ts->cfg = *cfg;
	else
		truststore_cfg_init(&ts->cfg);
	if (ts->cfg.bucket_s == 0)
		ts->cfg.bucket_s = 1;
	if (ts->cfg.crl_refresh_s == 0)
		ts->cfg.crl_refresh_s = TRUSTSTORE_DEFAULT_CRL_REFRESH_S;
	if (ts->cfg.crl_retry_s == 0)
		ts->cfg.crl_retry_s = 1;
	INIT_LLIST_HEAD(&ts->crl_files);
	ts->name = talloc_strdup(ts, name ? name : "trust");
	ts->store = X509_STORE_new();
	ts->intermediates = sk_X509_new_null();
	ts->crls = sk_X509_CRL_new_null();
	if (!ts->name || !ts->store || !ts->intermediates || !ts->crls) {
		talloc_free(ts);
		return NULL;
	}
	return ts;
}

/*! \returns the store's name (its domain) */
const char *truststore_name(const struct truststore *ts)
{
	return ts->name;
}

/*! \returns a number that changes whenever anchors or CRLs change */
uint64_t truststore_generation(const struct truststore *ts)
{
	return ts->generation;
}

/*! \returns the counters of ts */
const struct truststore_stats *truststore_stats(const struct truststore *ts)
{
	return &ts->stats;
}

/*! Add a certificate: a self-signed one becomes a trust anchor, any other
 *  an intermediate that may help build paths (never an anchor).
 *  \param[in] x the certificate; the store takes its own reference
 *  \returns 0 or -ENOMEM */
int truststore_add_cert(struct truststore *ts, X509 *x)
{
	if (X509_self_signed(x, 0) == 1) {
		if (X509_STORE_add_cert(ts->store, x) != 1) {
			ERR_clear_error();
			return -ENOMEM;
		}
		ts->stats.anchors++;
	} else {
		if (!X509_up_ref(x))
			return -ENOMEM;
		if (!sk_X509_push(ts->intermediates, x)) {
			X509_free(x);
			return -ENOMEM;
		}
		ts->stats.intermediates++;
	}
	ts->generation++;
	return 0;
}

/* Regular files only: `openssl rehash` links would load everything twice. */
static bool is_regular(const char *dir, const char *name, char *path, size_t len)
{
	struct stat st;

	if (name[0] == '.')
		return false;
	if ((size_t)snprintf(path, len, "%s/%s", dir, name) >= len)
		return false;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*! Load every certificate of the PEM files in dir (anchors and
 *  intermediates, see truststore_add_cert()).
 *  \returns the number of certificates loaded, or -errno */
int truststore_load_dir(struct truststore *ts, const char *dir)
{
	char path[4096];
	struct dirent *de;
	DIR *d;
	FILE *f;
	X509 *x;
	int n = 0, rc = 0;

	d = opendir(dir);
	if (!d) {
		rc = -errno;
		LOGP(DCERT, LOGL_ERROR, "trust %s: cannot open %s: %s\n", ts->name, dir, strerror(errno));
		return rc;
	}
	while ((de = readdir(d))) {
		if (!is_regular(dir, de->d_name, path, sizeof(path)))
			continue;
		f = fopen(path, "r");
		if (!f)
			continue;
		while ((x = PEM_read_X509(f, NULL, NULL, NULL))) {
			rc = truststore_add_cert(ts, x);
			X509_free(x);
			if (rc < 0)
				break;
			n++;
		}
		ERR_clear_error();
		fclose(f);
		if (rc < 0)
			break;
	}
	closedir(d);
	if (rc < 0)
		return rc;
	LOGP(DCERT, LOGL_INFO, "trust %s: %d certificates from %s\n", ts->name, n, dir);
	return n;
}

/*! Add a CRL; it replaces an older CRL of the same issuer.
 *  \param[in] crl the store takes its own reference
 *  \returns 0, -EALREADY when a newer CRL of that issuer, or this very one,
 *           is known, -ENOSPC, -ENOMEM */
int truststore_add_crl(struct truststore *ts, X509_CRL *crl)
{
	const X509_NAME *issuer = X509_CRL_get_issuer(crl);
	int i;

	for (i = 0; i < sk_X509_CRL_num(ts->crls); i++) {
		X509_CRL *old = sk_X509_CRL_value(ts->crls, i);

		if (X509_NAME_cmp(X509_CRL_get_issuer(old), issuer) != 0)
			continue;
		if (ASN1_TIME_compare(X509_CRL_get0_lastUpdate(old), X509_CRL_get0_lastUpdate(crl)) > 0)
			return -EALREADY;
		/* the same CRL read again: nothing changes, and the chains
		 * verified with it need not be verified again */
		if (X509_CRL_match(old, crl) == 0)
			return -EALREADY;
		if (!X509_CRL_up_ref(crl))
			return -ENOMEM;
		sk_X509_CRL_set(ts->crls, i, crl);
		X509_CRL_free(old);
		ts->generation++;
		return 0;
	}
	if (sk_X509_CRL_num(ts->crls) >= TRUSTSTORE_MAX_CRLS)
		return -ENOSPC;
	if (!X509_CRL_up_ref(crl))
		return -ENOMEM;
	if (!sk_X509_CRL_push(ts->crls, crl)) {
		X509_CRL_free(crl);
		return -ENOMEM;
	}
	ts->stats.crls++;
	ts->generation++;
	return 0;
}

/*! Parse a CRL, PEM or DER, as read from a file or fetched from a
 *  distribution point (RFC 5280 §5; application/pkix-crl is DER).  The
 *  whole input must be one CRL for DER; PEM takes the first CRL block.
 *  \returns the CRL (the caller frees it) or NULL */
X509_CRL *truststore_crl_parse(const uint8_t *buf, size_t len)
{
	const unsigned char *p = buf;
	X509_CRL *crl = NULL;
	BIO *bio;

	if (len == 0 || len > TRUSTSTORE_MAX_CRL_LEN)
		return NULL;
	if (memmem(buf, len < 256 ? len : 256, "-----BEGIN", 10)) {
		bio = BIO_new_mem_buf(buf, (int)len);
		if (bio) {
			crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
			BIO_free(bio);
		}
	} else {
		crl = d2i_X509_CRL(NULL, &p, (long)len);
		if (crl && p != buf + len) {
			X509_CRL_free(crl);
			crl = NULL;
		}
	}
	ERR_clear_error();
	return crl;
}

static int crl_file_read(struct truststore *ts, const char *path, X509_CRL **out_crl);

/*! Load a CRL file, PEM or DER, once (truststore_crl_file_add() keeps it
 *  current).  \returns 0 or -errno */
int truststore_load_crl_file(struct truststore *ts, const char *path)
{
	X509_CRL *crl;
	int rc;

	rc = crl_file_read(ts, path, &crl);
	if (rc == -EBADMSG)
		LOGP(DCERT, LOGL_ERROR, "trust %s: %s is not a CRL (PEM or DER, <= %d octets)\n",
		     ts->name, path, TRUSTSTORE_MAX_CRL_LEN);
	X509_CRL_free(crl);
	return rc;
}

static time_t asn1_time_t(const ASN1_TIME *t)
{
	struct tm tm;

	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return timegm(&tm);
}

/*! \returns the nextUpdate of crl, or 0 when it has none */
time_t truststore_crl_next_update(const X509_CRL *crl)
{
	return asn1_time_t(X509_CRL_get0_nextUpdate(crl));
}

/*! When a CRL loaded at \a now should be fetched or read again: after
 *  crl_refresh_s, or crl_margin_s before its nextUpdate, whichever comes
 *  first; when that is past already, after crl_retry_s.
 *  \param[in] crl the CRL loaded, or NULL when none could be (retry) */
time_t truststore_crl_due(const struct truststore *ts, const X509_CRL *crl, time_t now)
{
	time_t due = now + (time_t)ts->cfg.crl_refresh_s, nu, t;

	if (!crl)
		return now + (time_t)ts->cfg.crl_retry_s;
	nu = truststore_crl_next_update(crl);
	if (nu) {
		t = nu - (time_t)ts->cfg.crl_margin_s;
		if (t <= now)
			t = now + (time_t)ts->cfg.crl_retry_s;
		if (t < due)
			due = t;
	}
	return due;
}

/* Read one CRL file; \returns 0 (also when it holds the CRL already),
 * -errno; *out_crl the CRL read (a reference) or NULL */
static int crl_file_read(struct truststore *ts, const char *path, X509_CRL **out_crl)
{
	static uint8_t buf[TRUSTSTORE_MAX_CRL_LEN + 1];
	X509_CRL *crl;
	size_t len;
	FILE *f;
	int rc;

	*out_crl = NULL;
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	crl = len <= TRUSTSTORE_MAX_CRL_LEN ? truststore_crl_parse(buf, len) : NULL;
	if (!crl)
		return -EBADMSG;
	rc = truststore_add_crl(ts, crl);
	if (rc == -EALREADY)
		rc = 0;
	if (rc == 0)
		*out_crl = crl;
	else
		X509_CRL_free(crl);
	return rc;
}

/*! Load a CRL file (PEM or DER) and read it again when it is due
 *  (truststore_crl_refresh()).
 *  \param[in] now the time of loading (the clock of the refresh)
 *  \returns 0 or -errno (logged); the file is not kept on failure */
int truststore_crl_file_add(struct truststore *ts, const char *path, time_t now)
{
	struct crl_file *cf;
	X509_CRL *crl;
	int rc;

	llist_for_each_entry(cf, &ts->crl_files, entry) {
		if (!strcmp(cf->path, path))
			return 0;
	}
	if (ts->num_crl_files >= TRUSTSTORE_MAX_CRL_FILES) {
		LOGP(DCERT, LOGL_ERROR, "trust %s: more than %d CRL files\n", ts->name, TRUSTSTORE_MAX_CRL_FILES);
		return -ENOSPC;
	}
	rc = crl_file_read(ts, path, &crl);
	if (rc < 0) {
		LOGP(DCERT, LOGL_ERROR, "trust %s: %s: %s\n", ts->name, path,
		     rc == -EBADMSG ? "not a CRL (PEM or DER, <= 1 MiB)" : strerror(-rc));
		return rc;
	}
	cf = talloc_zero(ts, struct crl_file);
	if (!cf || !(cf->path = talloc_strdup(cf, path))) {
		talloc_free(cf);
		X509_CRL_free(crl);
		return -ENOMEM;
	}
	cf->due = truststore_crl_due(ts, crl, now);
	X509_CRL_free(crl);
	llist_add_tail(&cf->entry, &ts->crl_files);
	ts->num_crl_files++;
	return 0;
}

/*! Read the CRL files again that are due at \a now (all of them when
 *  \a force, as on SIGHUP).  A file that cannot be read or holds no CRL
 *  keeps the CRL loaded before (logged) and is tried again after
 *  crl_retry_s; a CRL older than the one loaded is ignored.
 *  \returns the number of files read whose CRL changed */
int truststore_crl_refresh(struct truststore *ts, time_t now, bool force)
{
	uint64_t gen;
	struct crl_file *cf;
	X509_CRL *crl;
	int rc, n = 0;

	llist_for_each_entry(cf, &ts->crl_files, entry) {
		if (!force && cf->due > now)
			continue;
		gen = ts->generation;
		rc = crl_file_read(ts, cf->path, &crl);
		if (rc < 0) {
			LOGP(DCERT, LOGL_NOTICE, "trust %s: CRL file %s not read again: %s; the CRL loaded before "
			     "stays\n", ts->name, cf->path, rc == -EBADMSG ? "not a CRL" : strerror(-rc));
			cf->due = truststore_crl_due(ts, NULL, now);
			continue;
		}
		cf->due = truststore_crl_due(ts, crl, now);
		if (ts->generation != gen) {
			n++;
			LOGP(DCERT, LOGL_INFO, "trust %s: CRL file %s read again, next update %lld\n", ts->name,
			     cf->path, (long long)truststore_crl_next_update(crl));
		} else if (truststore_crl_next_update(crl) && truststore_crl_next_update(crl) <= now) {
			LOGP(DCERT, LOGL_NOTICE, "trust %s: CRL file %s is past its nextUpdate and not renewed\n",
			     ts->name, cf->path);
		}
		X509_CRL_free(crl);
	}
	return n;
}

/*! Load every CRL file (PEM or DER) in dir.
 *  \returns the number loaded, or -errno; a bad file is logged and skipped */
int truststore_load_crl_dir(struct truststore *ts, const char *dir)
{
	char path[4096];
	struct dirent *de;
	DIR *d;
	int n = 0, rc;

	d = opendir(dir);
	if (!d) {
		rc = -errno;
		LOGP(DCERT, LOGL_ERROR, "trust %s: cannot open %s: %s\n", ts->name, dir, strerror(errno));
		return rc;
	}
	while ((de = readdir(d))) {
		if (!is_regular(dir, de->d_name, path, sizeof(path)))
			continue;
		if (truststore_load_crl_file(ts, path) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/*! Add a CRL fetched from a distribution point, after checking that
 *  issuer signed it (a hostile CDP must not replace a good CRL).
 *  \param[in] crl the CRL; the store takes its own reference
 *  \param[in] issuer the certificate of the CRL's issuer, from a verified path
 *  \returns 0, -EBADMSG (wrong issuer, bad signature), or as
 *           truststore_add_crl() but -EALREADY (0) */
int truststore_add_crl_checked(struct truststore *ts, X509_CRL *crl, X509 *issuer, char *why, size_t why_len)
{
	EVP_PKEY *pk;
	int rc;

	if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer)) != 0) {
		snprintf(why, why_len, "CRL issued by someone else");
		rc = -EBADMSG;
		goto out;
	}
	pk = X509_get0_pubkey(issuer);
	if (!pk || X509_CRL_verify(crl, pk) != 1) {
		snprintf(why, why_len, "bad CRL signature");
		rc = -EBADMSG;
		goto out;
	}
	rc = truststore_add_crl(ts, crl);
	if (rc == -EALREADY)
		rc = 0;
	else if (rc < 0)
		snprintf(why, why_len, "cannot keep the CRL (%d)", rc);
out:
	ERR_clear_error();
	return rc;
}

/*! Parse a CRL (truststore_crl_parse()) and add it as
 *  truststore_add_crl_checked() does.
 *  \returns 0, -EBADMSG (not a CRL, wrong issuer, bad signature), or as
 *           truststore_add_crl() */
int truststore_add_crl_buf(struct truststore *ts, const uint8_t *buf, size_t len, X509 *issuer,
			   char *why, size_t why_len)
{
	X509_CRL *crl = truststore_crl_parse(buf, len);
	int rc;

	if (!crl) {
		snprintf(why, why_len, "not a CRL");
		return -EBADMSG;
	}
	rc = truststore_add_crl_checked(ts, crl, issuer, why, why_len);
	X509_CRL_free(crl);
	return rc;
}

/*! \returns whether a current CRL of cert's issuer is known at time at */
bool truststore_has_crl(const struct truststore *ts, X509 *cert, time_t at)
{
	const X509_NAME *issuer = X509_get_issuer_name(cert);
	const ASN1_TIME *next;
	int i;

	for (i = 0; i < sk_X509_CRL_num(ts->crls); i++) {
		X509_CRL *crl = sk_X509_CRL_value(ts->crls, i);

		if (X509_NAME_cmp(X509_CRL_get_issuer(crl), issuer) != 0)
			continue;
		next = X509_CRL_get0_nextUpdate(crl);
		return !next || X509_cmp_time(next, &at) > 0;
	}
	return false;
}

/*! The first http(s) URI of cert's CRL Distribution Points (ATIS-1000080
 *  §6.4.1: a single one, at the STI-PA).
 *  \param[out] buf the URL, NUL-terminated
 *  \returns 0, -ENOENT when there is none, -E2BIG when longer than buf */
int truststore_crl_url(X509 *cert, char *buf, size_t len)
{
	STACK_OF(DIST_POINT) *dps;
	int i, j, rc = -ENOENT;

	if (len)
		buf[0] = '\0';
	dps = X509_get_ext_d2i(cert, NID_crl_distribution_points, NULL, NULL);
	if (!dps)
		return -ENOENT;
	for (i = 0; i < sk_DIST_POINT_num(dps) && rc == -ENOENT; i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(dps, i);

		if (!dp->distpoint || dp->distpoint->type != 0)
			continue;
		for (j = 0; j < sk_GENERAL_NAME_num(dp->distpoint->name.fullname); j++) {
			GENERAL_NAME *gn = sk_GENERAL_NAME_value(dp->distpoint->name.fullname, j);
			const ASN1_IA5STRING *u;
			const char *s;
			int n;

			if (gn->type != GEN_URI)
				continue;
			u = gn->d.uniformResourceIdentifier;
			s = (const char *)ASN1_STRING_get0_data(u);
			n = ASN1_STRING_length(u);
			if (n <= 0 || memchr(s, '\0', (size_t)n))
				continue;
			if (!(n > 8 && strncasecmp(s, "https://", 8) == 0) &&
			    !(n > 7 && strncasecmp(s, "http://", 7) == 0))
				continue;
			if ((size_t)n >= len) {
				rc = -E2BIG;
				break;
			}
			memcpy(buf, s, (size_t)n);
			buf[n] = '\0';
			rc = 0;
			break;
		}
	}
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	return rc;
}

static enum cert_err map_verify_error(int e)
{
	switch (e) {
	case X509_V_OK:
		return CERT_OK;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return CERT_ERR_EXPIRED;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return CERT_ERR_NOT_YET_VALID;
	case X509_V_ERR_CERT_REVOKED:
		return CERT_ERR_REVOKED;
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
	case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
		return CERT_ERR_BAD_SIGNATURE;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_CERT_UNTRUSTED:
	case X509_V_ERR_CERT_REJECTED:
		return CERT_ERR_UNTRUSTED;
	case X509_V_ERR_UNABLE_TO_GET_CRL:
	case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
	case X509_V_ERR_CRL_HAS_EXPIRED:
	case X509_V_ERR_CRL_NOT_YET_VALID:
	case X509_V_ERR_CRL_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
	case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
	case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
	case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
	case X509_V_ERR_DIFFERENT_CRL_SCOPE:
	case X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
		return CERT_ERR_CRL;
	case X509_V_ERR_OUT_OF_MEM:
		return CERT_ERR_INTERNAL;
	default:
		return CERT_ERR_CHAIN;
	}
}

/* Soft-fail CRL policy (truststore.h): an issuer without a CRL is accepted
 * unless crl_required. */
static int verify_cb(int ok, X509_STORE_CTX *xctx)
{
	struct verify_ctx *vc = X509_STORE_CTX_get_app_data(xctx);
	struct truststore *ts = vc ? vc->ts : NULL;
	int e = X509_STORE_CTX_get_error(xctx);

	/* the path check before a CRL fetch: a CRL that is out of date is
	 * what the fetch is to replace */
	if (!ok && vc && vc->soft_crl && (e == X509_V_ERR_CRL_HAS_EXPIRED || e == X509_V_ERR_CRL_NOT_YET_VALID)) {
		X509_STORE_CTX_set_error(xctx, X509_V_OK);
		return 1;
	}
	if (!ok && X509_STORE_CTX_get_error(xctx) == X509_V_ERR_UNABLE_TO_GET_CRL && ts &&
	    (vc->soft_crl || !ts->cfg.crl_required)) {
		X509 *x = X509_STORE_CTX_get_current_cert(xctx);
		char name[128] = "";

		if (x && !vc->soft_crl) {
			X509_NAME_oneline(X509_get_subject_name(x), name, sizeof(name));
			LOGP(DCERT, LOGL_INFO, "trust %s: no CRL for the issuer of %s, accepted (soft fail)\n",
			     ts->name, name);
		}
		X509_STORE_CTX_set_error(xctx, X509_V_OK);
		return 1;
	}
	return ok;
}

/*! Verify chain (leaf first) against the store at time at, with the CRL
 *  policy of truststore.h.  Every call runs X509_verify_cert().
 *  \param[out] detail what failed and where, for the log
 *  \returns CERT_OK or the reason */
static enum cert_err verify_run(struct truststore *ts, STACK_OF(X509) *chain, time_t at, bool soft_crl,
				STACK_OF(ASN1_OBJECT) *policies, STACK_OF(X509) **path,
				STACK_OF(ASN1_OBJECT) **valid, char *detail, size_t detail_len);

enum cert_err truststore_verify(struct truststore *ts, STACK_OF(X509) *chain, time_t at,
				char *detail, size_t detail_len)
{
	return verify_run(ts, chain, at, false, NULL, NULL, NULL, detail, detail_len);
}

/*! Verify chain as truststore_verify() does, but with a missing CRL never
 *  failing it (whatever crl_required says), and give the path that
 *  verified: the leaf, the issuers the store chose, the trust anchor.
 *  This is the check before CRLs are fetched from distribution points
 *  (resolve.h): only a chain that leads to a trust anchor makes us fetch
 *  anything, and each CRL is checked against the issuer on that path, not
 *  against whatever certificate the chain's sender put next to the leaf.
 *  \param[out] path on CERT_OK, the verified path (the caller frees it
 *              with sk_X509_pop_free(path, X509_free)); else NULL
 *  \returns CERT_OK or the reason */
enum cert_err truststore_verify_soft_crl(struct truststore *ts, STACK_OF(X509) *chain, time_t at,
					 STACK_OF(X509) **path, char *detail, size_t detail_len)
{
	return verify_run(ts, chain, at, true, NULL, path, NULL, detail, detail_len);
}

/* The acceptable policies that are valid for the whole path (RFC 5280
 * §6.1.5 (g): the user-initial-policy-set intersected with the valid
 * policy tree), as copies. */
static STACK_OF(ASN1_OBJECT) *valid_policies(X509_STORE_CTX *xctx)
{
	STACK_OF(ASN1_OBJECT) *out = sk_ASN1_OBJECT_new_null();
	X509_POLICY_TREE *tree = X509_STORE_CTX_get0_policy_tree(xctx);
	STACK_OF(X509_POLICY_NODE) *nodes = tree ? X509_policy_tree_get0_user_policies(tree) : NULL;
	int i;

	if (!out)
		return NULL;
	for (i = 0; i < sk_X509_POLICY_NODE_num(nodes); i++) {
		const ASN1_OBJECT *o = X509_policy_node_get0_policy(sk_X509_POLICY_NODE_value(nodes, i));
		ASN1_OBJECT *dup = o ? OBJ_dup(o) : NULL;

		if (!dup || !sk_ASN1_OBJECT_push(out, dup)) {
			ASN1_OBJECT_free(dup);
			sk_ASN1_OBJECT_pop_free(out, ASN1_OBJECT_free);
			return NULL;
		}
	}
	return out;
}

enum cert_err truststore_verify_path(struct truststore *ts, STACK_OF(X509) *chain, time_t at,
				     const ASN1_OBJECT *const *oids, unsigned int num_oids,
				     STACK_OF(X509) **path, STACK_OF(ASN1_OBJECT) **valid,
				     char *detail, size_t detail_len)
{
	STACK_OF(ASN1_OBJECT) *policies = sk_ASN1_OBJECT_new_null();
	enum cert_err err = CERT_ERR_INTERNAL;
	unsigned int i;

	*path = NULL;
	*valid = NULL;
	if (detail_len)
		detail[0] = '\0';
	if (!policies)
		goto out;
	for (i = 0; i < num_oids; i++) {
		/* X509_VERIFY_PARAM_set1_policies() copies them */
		if (!sk_ASN1_OBJECT_push(policies, (ASN1_OBJECT *)oids[i]))
			goto out;
	}
	err = verify_run(ts, chain, at, false, policies, path, valid, detail, detail_len);
out:
	sk_ASN1_OBJECT_free(policies);
	if (err == CERT_ERR_INTERNAL && detail_len && !detail[0])
		snprintf(detail, detail_len, "out of memory");
	return err;
}

/* One X509_verify_cert() run.  With policies (not NULL): RFC 5280 §6.1
 * policy processing with them as the user-initial-policy-set and an
 * explicit policy required; a path for which none is valid still verifies
 * (*valid empty).  path and valid are set only then, on CERT_OK. */
static enum cert_err verify_run(struct truststore *ts, STACK_OF(X509) *chain, time_t at, bool soft_crl,
				STACK_OF(ASN1_OBJECT) *policies, STACK_OF(X509) **path,
				STACK_OF(ASN1_OBJECT) **valid, char *detail, size_t detail_len)
{
	struct verify_ctx vc = { .ts = ts, .soft_crl = soft_crl };
	X509_STORE_CTX *xctx = NULL;
	STACK_OF(X509) *untrusted = NULL;
	X509 *leaf = sk_X509_value(chain, 0), *bad;
	unsigned long flags = 0;
	enum cert_err err = CERT_ERR_INTERNAL;
	char name[128] = "";
	int i, e, depth;

	if (detail_len)
		detail[0] = '\0';
	if (path)
		*path = NULL;
	if (!leaf) {
		snprintf(detail, detail_len, "empty chain");
		return CERT_ERR_PARSE;
	}
	/* what the chain brings, then the store's own intermediates */
	untrusted = sk_X509_dup(chain);
	if (!untrusted)
		goto out;
	for (i = 0; i < sk_X509_num(ts->intermediates); i++) {
		if (!sk_X509_push(untrusted, sk_X509_value(ts->intermediates, i)))
			goto out;
	}
	xctx = X509_STORE_CTX_new();
	if (!xctx || X509_STORE_CTX_init(xctx, ts->store, leaf, untrusted) != 1)
		goto out;
	X509_STORE_CTX_set_app_data(xctx, &vc);
	X509_STORE_CTX_set_verify_cb(xctx, verify_cb);
	X509_STORE_CTX_set_time(xctx, 0, at);
	if (sk_X509_CRL_num(ts->crls) > 0) {
		X509_STORE_CTX_set0_crls(xctx, ts->crls);
		flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
	} else if (ts->cfg.crl_required && !soft_crl) {
		flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
	}
	if (policies) {
		if (X509_VERIFY_PARAM_set1_policies(X509_STORE_CTX_get0_param(xctx), policies) != 1)
			goto out;
		flags |= X509_V_FLAG_POLICY_CHECK | X509_V_FLAG_EXPLICIT_POLICY;
	}
	X509_STORE_CTX_set_flags(xctx, flags);
	ts->stats.verify_calls++;
	i = X509_verify_cert(xctx);
	e = X509_STORE_CTX_get_error(xctx);
	/* OpenSSL checks the policies last: "no explicit policy" means that
	 * everything else about the path held */
	if (i == 1 || (policies && e == X509_V_ERR_NO_EXPLICIT_POLICY)) {
		err = CERT_OK;
		if (path)
			*path = X509_STORE_CTX_get1_chain(xctx);
		if (valid)
			*valid = i == 1 ? valid_policies(xctx) : sk_ASN1_OBJECT_new_null();
		if ((path && !*path) || (valid && !*valid)) {
			if (path) {
				sk_X509_pop_free(*path, X509_free);
				*path = NULL;
			}
			if (valid) {
				sk_ASN1_OBJECT_pop_free(*valid, ASN1_OBJECT_free);
				*valid = NULL;
			}
			err = CERT_ERR_INTERNAL;
		}
		goto out;
	}
	depth = X509_STORE_CTX_get_error_depth(xctx);
	bad = X509_STORE_CTX_get_current_cert(xctx);
	if (bad)
		X509_NAME_oneline(X509_get_subject_name(bad), name, sizeof(name));
	err = map_verify_error(e);
	snprintf(detail, detail_len, "%s (depth %d, %s)", X509_verify_cert_error_string(e), depth, name);
out:
	if (err == CERT_ERR_INTERNAL && detail_len && !detail[0])
		snprintf(detail, detail_len, "out of memory");
	ERR_clear_error();
	X509_STORE_CTX_free(xctx);
	sk_X509_free(untrusted);
	return err;
}

static int asn1_to_time(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;

	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return -EINVAL;
	*out = timegm(&tm);
	return 0;
}

/* The window in which a verification at one time holds for another: the
 * chain's latest notBefore and earliest notAfter, and the earliest
 * nextUpdate of the CRLs. */
static void validity_window(const struct truststore *ts, STACK_OF(X509) *chain, time_t *nb, time_t *na)
{
	time_t t;
	int i;

	*nb = 0;
	*na = (time_t)INT64_MAX;
	for (i = 0; i < sk_X509_num(chain); i++) {
		X509 *x = sk_X509_value(chain, i);

		if (asn1_to_time(X509_get0_notBefore(x), &t) == 0 && t > *nb)
			*nb = t;
		if (asn1_to_time(X509_get0_notAfter(x), &t) == 0 && t < *na)
			*na = t;
	}
	for (i = 0; i < sk_X509_CRL_num(ts->crls); i++) {
		const ASN1_TIME *next = X509_CRL_get0_nextUpdate(sk_X509_CRL_value(ts->crls, i));

		if (next && asn1_to_time(next, &t) == 0 && t < *na)
			*na = t;
	}
}

/*! \returns whether the verification remembered with e holds at time at:
 *  same store and generation, same time bucket, inside the validity window */
bool truststore_entry_fresh(const struct truststore *ts, const struct cert_cache_entry *e, time_t at)
{
	const struct cert_cache_verified *v = &e->verified;

	return v->valid && v->store == ts && v->generation == ts->generation &&
	       v->bucket == (int64_t)at / ts->cfg.bucket_s && at >= v->not_before && at < v->not_after;
}

/*! Verify the chain of a cache entry, or reuse the result remembered with
 *  it: same store, same store generation (no anchor or CRL changed), same
 *  time bucket (bucket_s), and at inside the chain's validity window.  A
 *  hit runs no X509_verify_cert(), so that verifying a call with a cached
 *  certificate costs only the PASSporT's own signature check.
 *  \returns CERT_OK or the reason (detail filled on a fresh failure) */
enum cert_err truststore_verify_entry(struct truststore *ts, struct cert_cache_entry *e, time_t at,
				      char *detail, size_t detail_len)
{
	struct cert_cache_verified *v = &e->verified;
	int64_t bucket = (int64_t)at / ts->cfg.bucket_s;
	enum cert_err err;

	if (detail_len)
		detail[0] = '\0';
	if (e->negative || !e->chain) {
		snprintf(detail, detail_len, "no chain");
		return CERT_ERR_FETCH;
	}
	if (truststore_entry_fresh(ts, e, at)) {
		ts->stats.memo_hits++;
		if (v->result != CERT_OK)
			snprintf(detail, detail_len, "%s (remembered)",
				 get_value_string(cert_err_names, v->result));
		return (enum cert_err)v->result;
	}
	err = truststore_verify(ts, e->chain, at, detail, detail_len);
	v->valid = err != CERT_ERR_INTERNAL;
	v->store = ts;
	v->generation = ts->generation;
	v->bucket = bucket;
	validity_window(ts, e->chain, &v->not_before, &v->not_after);
	v->result = err;
	return err;
}
