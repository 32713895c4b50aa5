/* SPDX-License-Identifier: GPL-3.0-or-later */
/* x5u / repository URL -> verified key, for one trust domain.  See resolve.h.
 *
 * A request is a small state machine stepped from the loop: every answer,
 * even one straight from the cache, is delivered from an osmo_timer or a
 * fetch callback, never from inside cert_resolve_x5u(). */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>

#include "certs/cache.h"
#include "certs/certchain.h"
#include "certs/fetch.h"
#include "certs/profile.h"
#include "certs/resolve.h"
#include "certs/tnauthlist.h"
#include "src/core/logging.h"

#define RESOLVE_REASON_LEN 256
/* Most CRL distribution points a domain keeps current. */
#define CDP_MAX 64
/* How long a failed CRL fetch is not tried again for a call. */
#define CDP_NEG_TTL_S 30

struct cert_domain {
	char *name;
	bool shaken_profile;
	bool fetch_crls;
	char *repo_tmpl;
	struct fetcher *f;
	struct cert_cache *cache;
	struct truststore *ts;
	struct llist_head reqs;
	/* CRL distribution points, apart from the chains of the cache: a
	 * CRL URL and an x5u never share an entry */
	struct llist_head cdps;
	unsigned int num_cdps;
};

/* A CRL distribution point whose CRL this domain fetched: fetched again
 * before the CRL's nextUpdate (cert_domain_crl_refresh()), and, after a
 * failure, not asked again per call for a while. */
struct cdp_src {
	struct llist_head entry;
	struct cert_domain *d;
	char *url;
	X509 *issuer;			/* our reference: the issuer on the verified path */
	time_t due;			/* next fetch */
	time_t failed_until;
	struct fetch_req *fetch;	/* a refresh in flight */
};

/* What the verifier derives from a leaf once (talloc child of the cache
 * entry, or of the request when the chain could not be cached). */
struct leaf_derived {
	struct tnauthlist *tnauth;
	const char *spc;
	bool profile_ok;
	char profile_why[160];
};

struct cert_resolve_req {
	struct llist_head entry;
	struct cert_domain *d;
	char *url;
	time_t at;
	cert_resolve_cb cb;
	void *priv;
	struct osmo_timer_list timer;
	struct fetch_req *fetch;	/* the chain */
	struct fetch_req *crl_fetch;
	char crl_url[FETCH_URL_MAXLEN + 1];
	X509 *crl_issuer;		/* borrowed from path */
	bool path_checked;		/* the chain was verified before any CRL fetch */
	STACK_OF(X509) *path;		/* the path that verified then (our references), or NULL */
	int crl_next;			/* next index of path whose CRL may be fetched */
	STACK_OF(X509) *chain;		/* our references */
	bool cached;
	bool stored;			/* the chain is (also) in the cache */
	struct leaf_derived *derived;	/* when not cached */
};

static void resolve_step(struct cert_resolve_req *r);

static int cdp_destructor(struct cdp_src *src)
{
	if (src->fetch)
		fetch_cancel(src->fetch);
	X509_free(src->issuer);
	llist_del(&src->entry);
	src->d->num_cdps--;
	return 0;
}

static int domain_destructor(struct cert_domain *d)
{
	struct cert_resolve_req *r, *tmp;
	struct cdp_src *src, *stmp;

	llist_for_each_entry_safe(r, tmp, &d->reqs, entry)
		talloc_free(r);
	llist_for_each_entry_safe(src, stmp, &d->cdps, entry)
		talloc_free(src);
	return 0;
}

/*! Create a domain over a fetcher, a cache and a trust store (all owned by
 *  the caller, and freed after the domain).
 *  \returns the domain, or NULL */
struct cert_domain *cert_domain_alloc(void *ctx, const struct cert_domain_cfg *cfg, struct fetcher *f,
				      struct cert_cache *cache, struct truststore *ts)
{
	struct cert_domain *d;

	if (!cfg || !f || !cache || !ts)
		return NULL;
	d = talloc_zero(ctx, struct cert_domain);
	if (!d)
		return NULL;
	INIT_LLIST_HEAD(&d->reqs);
	INIT_LLIST_HEAD(&d->cdps);
	talloc_set_destructor(d, domain_destructor);
	d->name = talloc_strdup(d, cfg->name ? cfg->name : "domain");
	if (!d->name)
		goto err;
	if (cfg->repo_url_template) {
		d->repo_tmpl = talloc_strdup(d, cfg->repo_url_template);
		if (!d->repo_tmpl || !strstr(d->repo_tmpl, "{key-id}")) {
			LOGP(DCERT, LOGL_ERROR, "domain %s: repository URL template without {key-id}\n",
			     d->name);
			goto err;
		}
	}
	d->shaken_profile = cfg->shaken_profile;
	d->fetch_crls = cfg->fetch_crls;
	d->f = f;
	d->cache = cache;
	d->ts = ts;
	return d;
err:
	talloc_free(d);
	return NULL;
}

/*! The repository URL of a key-id (ARCHITECTURE §3: ".../{key-id}.pem").
 *  \returns 0, -ENOENT without a template, -EINVAL for a bad key-id,
 *           -ENOSPC when buf is too small */
int cert_domain_repo_url(const struct cert_domain *d, const char *keyid_hex, char *buf, size_t len)
{
	const char *p;
	size_t i, n;
	int rc;

	if (!d->repo_tmpl)
		return -ENOENT;
	n = strlen(keyid_hex);
	if (n == 0 || n > 64)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!((keyid_hex[i] >= '0' && keyid_hex[i] <= '9') || (keyid_hex[i] >= 'a' && keyid_hex[i] <= 'f')))
			return -EINVAL;
	}
	p = strstr(d->repo_tmpl, "{key-id}");
	rc = snprintf(buf, len, "%.*s%s%s", (int)(p - d->repo_tmpl), d->repo_tmpl, keyid_hex,
		      p + strlen("{key-id}"));
	if (rc < 0 || (size_t)rc >= len)
		return -ENOSPC;
	return 0;
}

static int req_destructor(struct cert_resolve_req *r)
{
	osmo_timer_del(&r->timer);
	if (r->fetch)
		fetch_cancel(r->fetch);
	if (r->crl_fetch)
		fetch_cancel(r->crl_fetch);
	sk_X509_pop_free(r->chain, X509_free);
	sk_X509_pop_free(r->path, X509_free);
	llist_del(&r->entry);
	return 0;
}

static void resolve_finish(struct cert_resolve_req *r, enum cert_err err, const char *reason, X509 *leaf,
			   const struct leaf_derived *ld)
{
	struct cert_resolve_result res = {
		.url = r->url,
		.err = err,
		.sip_code = cert_err_sip_code(err),
		.reason = reason ? reason : "",
		.cached = r->cached,
	};

	if (err == CERT_OK) {
		res.leaf = leaf;
		res.chain = r->chain;
		res.pkey = X509_get0_pubkey(leaf);
		res.tnauth = ld ? ld->tnauth : NULL;
		res.spc = ld ? ld->spc : NULL;
		if (!res.pkey) {
			res.err = CERT_ERR_INTERNAL;
			res.sip_code = cert_err_sip_code(res.err);
			res.reason = "no public key";
		}
	}
	if (res.err != CERT_OK)
		LOGP(DCERT, LOGL_NOTICE, "%s %s: %u %s: %s\n", r->d->name, r->url, res.sip_code,
		     get_value_string(cert_err_names, res.err), res.reason);
	if (r->cb)
		r->cb(&res, r->priv);
	talloc_free(r);
}

/* TNAuthList, SPC and the ATIS-1000080 profile of the leaf, once. */
static struct leaf_derived *leaf_derive(void *ctx, struct cert_domain *d, X509 *leaf, time_t at)
{
	struct leaf_derived *ld = talloc_zero(ctx, struct leaf_derived);
	struct profile_result pr;
	size_t o = 0;
	int i;

	if (!ld)
		return NULL;
	if (tnauthlist_from_x509(ld, &ld->tnauth, leaf) == 0)
		ld->spc = tnauthlist_first_spc(ld->tnauth);
	ld->profile_ok = true;
	if (d->shaken_profile && profile_check_leaf(&pr, leaf, at) > 0) {
		ld->profile_ok = false;
		for (i = 0; i < _NUM_PROFILE_CHK; i++) {
			int n;

			if (pr.verdict[i] != PROFILE_FAIL)
				continue;
			n = snprintf(ld->profile_why + o, sizeof(ld->profile_why) - o, "%s%s: %s",
				     o ? "; " : "", get_value_string(profile_check_names, i), pr.detail[i]);
			if (n < 0 || (size_t)n >= sizeof(ld->profile_why) - o)
				break;
			o += (size_t)n;
		}
	}
	return ld;
}

static void resolve_verify(struct cert_resolve_req *r)
{
	struct cert_domain *d = r->d;
	struct cert_cache_entry *e = cert_cache_get(d->cache, r->url);
	X509 *leaf = sk_X509_value(r->chain, 0);
	struct leaf_derived *ld;
	char detail[RESOLVE_REASON_LEN];
	enum cert_err err;

	if (e && !e->negative && sk_X509_value(e->chain, 0) == leaf) {
		/* the verified-chain cache lives in the entry */
		err = truststore_verify_entry(d->ts, e, r->at, detail, sizeof(detail));
		if (!e->derived)
			e->derived = leaf_derive(e, d, leaf, r->at);
		ld = e->derived;
	} else {
		err = truststore_verify(d->ts, r->chain, r->at, detail, sizeof(detail));
		if (!r->derived)
			r->derived = leaf_derive(r, d, leaf, r->at);
		ld = r->derived;
		/* not cacheable (expired, no-store...): remember the verdict briefly */
		if (err != CERT_OK && err != CERT_ERR_INTERNAL)
			cert_cache_put_negative(d->cache, r->url, err, detail);
	}
	if (err == CERT_OK && !ld)
		err = CERT_ERR_INTERNAL;
	if (err == CERT_OK && !ld->profile_ok) {
		err = CERT_ERR_PROFILE;
		snprintf(detail, sizeof(detail), "%s", ld->profile_why);
	}
	resolve_finish(r, err, err == CERT_OK ? "" : detail, leaf, ld);
}

static struct cdp_src *cdp_find(struct cert_domain *d, const char *url, X509 *issuer)
{
	struct cdp_src *src;

	llist_for_each_entry(src, &d->cdps, entry) {
		if (!strcmp(src->url, url) && X509_cmp(src->issuer, issuer) == 0)
			return src;
	}
	return NULL;
}

/* The source of url and issuer, made when new (the oldest one not being
 * fetched makes room); NULL when out of memory. */
static struct cdp_src *cdp_get(struct cert_domain *d, const char *url, X509 *issuer)
{
	struct cdp_src *src = cdp_find(d, url, issuer), *old;

	if (src)
		return src;
	if (d->num_cdps >= CDP_MAX) {
		llist_for_each_entry(old, &d->cdps, entry) {
			if (!old->fetch) {
				LOGP(DCERT, LOGL_NOTICE, "%s: more than %d CRL distribution points, %s no longer "
				     "refreshed\n", d->name, CDP_MAX, old->url);
				talloc_free(old);
				break;
			}
		}
	}
	src = talloc_zero(d, struct cdp_src);
	if (!src)
		return NULL;
	src->url = talloc_strdup(src, url);
	if (!src->url || !X509_up_ref(issuer)) {
		talloc_free(src);
		return NULL;
	}
	src->d = d;
	src->issuer = issuer;
	llist_add_tail(&src->entry, &d->cdps);
	d->num_cdps++;
	talloc_set_destructor(src, cdp_destructor);
	return src;
}

/* A CRL fetch of url (with issuer the issuer on a verified path) ended. */
static void cdp_loaded(struct cert_domain *d, const char *url, X509 *issuer, const struct fetch_result *res)
{
	time_t now = cert_cache_now(d->cache);
	struct cdp_src *src;
	X509_CRL *crl = NULL;
	char why[128];
	int rc = -EBADMSG;

	if (res->err == FETCH_ERR_POLICY || res->err == FETCH_ERR_BUSY) {
		/* nothing learnt about the URL: nothing remembered */
		LOGP(DCERT, LOGL_NOTICE, "%s: CRL %s not fetched: %s\n", d->name, url, res->reason);
		return;
	}
	src = cdp_get(d, url, issuer);
	if (res->err != FETCH_OK) {
		snprintf(why, sizeof(why), "%s", res->reason);
	} else if (!(crl = truststore_crl_parse(res->body, res->body_len))) {
		snprintf(why, sizeof(why), "not a CRL (PEM or DER)");
	} else {
		rc = truststore_add_crl_checked(d->ts, crl, issuer, why, sizeof(why));
	}
	if (rc < 0) {
		LOGP(DCERT, LOGL_NOTICE, "%s: CRL %s: %s\n", d->name, url, why);
		if (src) {
			src->failed_until = now + CDP_NEG_TTL_S;
			src->due = truststore_crl_due(d->ts, NULL, now);
		}
	} else {
		LOGP(DCERT, LOGL_INFO, "%s: CRL %s loaded, next update %lld\n", d->name, url,
		     (long long)truststore_crl_next_update(crl));
		if (src) {
			src->failed_until = 0;
			src->due = truststore_crl_due(d->ts, crl, now);
		}
	}
	X509_CRL_free(crl);
}

static void crl_fetched(const struct fetch_result *res, void *priv)
{
	struct cert_resolve_req *r = priv;

	r->crl_fetch = NULL;
	cdp_loaded(r->d, r->crl_url, r->crl_issuer, res);
	resolve_step(r);
}

/* Start fetching the next missing CRL of the verified path: each
 * certificate's own distribution point, checked against the issuer the
 * path holds for it.  \returns true when one is on its way. */
static bool resolve_fetch_crl(struct cert_resolve_req *r)
{
	struct cert_domain *d = r->d;
	time_t now = cert_cache_now(d->cache);
	struct cdp_src *src;
	int i;

	for (i = r->crl_next; i + 1 < sk_X509_num(r->path) && i < 32; i++) {
		X509 *x = sk_X509_value(r->path, i), *issuer = sk_X509_value(r->path, i + 1);

		if (truststore_has_crl(d->ts, x, r->at))
			continue;
		if (truststore_crl_url(x, r->crl_url, sizeof(r->crl_url)) < 0)
			continue;
		src = cdp_find(d, r->crl_url, issuer);
		if (src && src->failed_until > now)
			continue;	/* failed a moment ago: soft fail or CRL error decides */
		r->crl_next = i + 1;
		r->crl_issuer = issuer;
		r->crl_fetch = fetch_get(d->f, r->crl_url, crl_fetched, r);
		if (r->crl_fetch)
			return true;
	}
	r->crl_next = i;
	return false;
}

static void cdp_refreshed(const struct fetch_result *res, void *priv)
{
	struct cdp_src *src = priv;

	src->fetch = NULL;
	cdp_loaded(src->d, src->url, src->issuer, res);
	if (res->err == FETCH_ERR_POLICY || res->err == FETCH_ERR_BUSY)
		src->due = truststore_crl_due(src->d->ts, NULL, cert_cache_now(src->d->cache));
}

int cert_domain_crl_refresh(struct cert_domain *d, time_t now, bool force)
{
	struct cdp_src *src;
	int n = 0;

	llist_for_each_entry(src, &d->cdps, entry) {
		if (src->fetch || (!force && src->due > now))
			continue;
		src->fetch = fetch_get(d->f, src->url, cdp_refreshed, src);
		if (src->fetch)
			n++;
	}
	return n;
}

unsigned int cert_domain_crl_sources(const struct cert_domain *d)
{
	return d->num_cdps;
}

bool cert_domain_cached(const struct cert_domain *d, const char *url)
{
	return url && cert_cache_peek(d->cache, url) != NULL;
}

static void chain_fetched(const struct fetch_result *res, void *priv)
{
	struct cert_resolve_req *r = priv;
	struct cert_domain *d = r->d;
	struct cert_cache_hdrs h = {
		.cache_control = res->cache_control,
		.expires = res->expires,
		.date = res->date,
		.age = res->age,
	};
	STACK_OF(X509) *sk = NULL;
	struct cert_cache_entry *e;
	char why[RESOLVE_REASON_LEN], pwhy[128];

	r->fetch = NULL;
	if (res->err != FETCH_OK) {
		enum cert_err ce = res->err == FETCH_ERR_POLICY ? CERT_ERR_POLICY :
				   res->err == FETCH_ERR_BUSY ? CERT_ERR_BUSY : CERT_ERR_FETCH;

		snprintf(why, sizeof(why), "%s: %s", get_value_string(fetch_err_names, res->err), res->reason);
		/* A refusal by our own policy costs nothing to repeat, and "busy"
		 * says nothing about the URL: neither takes a cache entry (a peer
		 * sending junk URLs would only push out real failures). */
		if (ce == CERT_ERR_FETCH)
			cert_cache_put_negative(d->cache, r->url, CERT_ERR_FETCH, why);
		resolve_finish(r, ce, why, NULL, NULL);
		return;
	}
	if (certchain_parse(&sk, res->body, res->body_len, pwhy, sizeof(pwhy)) < 0) {
		snprintf(why, sizeof(why), "%s (Content-Type '%s')", pwhy, res->content_type);
		cert_cache_put_negative(d->cache, r->url, CERT_ERR_PARSE, why);
		resolve_finish(r, CERT_ERR_PARSE, why, NULL, NULL);
		return;
	}
	e = cert_cache_put(d->cache, r->url, sk, &h);
	if (e) {
		r->chain = X509_chain_up_ref(e->chain);
		if (!r->chain) {
			resolve_finish(r, CERT_ERR_INTERNAL, "out of memory", NULL, NULL);
			return;
		}
	} else {
		r->chain = sk;	/* ours alone: used for this request only */
	}
	resolve_step(r);
}

static void resolve_step(struct cert_resolve_req *r)
{
	struct cert_domain *d = r->d;
	struct cert_cache_entry *e;

	if (!r->chain) {
		e = cert_cache_get(d->cache, r->url);
		if (e && e->negative) {
			r->cached = true;
			resolve_finish(r, (enum cert_err)e->neg_err, e->neg_reason, NULL, NULL);
			return;
		}
		if (e) {
			r->cached = true;
			r->chain = X509_chain_up_ref(e->chain);
			if (!r->chain) {
				resolve_finish(r, CERT_ERR_INTERNAL, "out of memory", NULL, NULL);
				return;
			}
		} else {
			r->fetch = fetch_get(d->f, r->url, chain_fetched, r);
			if (!r->fetch)
				resolve_finish(r, CERT_ERR_INTERNAL, "out of memory", NULL, NULL);
			return;
		}
	}
	/* a chain verified a moment ago needs no CRL look-up either */
	e = r->cached ? cert_cache_get(d->cache, r->url) : NULL;
	if (d->fetch_crls && !(e && !e->negative && truststore_entry_fresh(d->ts, e, r->at))) {
		if (!r->path_checked) {
			char detail[RESOLVE_REASON_LEN];

			/* Fetch a CRL only for a chain that leads to a trust anchor:
			 * the distribution point of a certificate nobody vouches for
			 * is the sender's choice of URL.  A chain that fails here
			 * fails below as well, with its reason. */
			r->path_checked = true;
			truststore_verify_soft_crl(d->ts, r->chain, r->at, &r->path, detail, sizeof(detail));
		}
		if (r->path && resolve_fetch_crl(r))
			return;
	}
	resolve_verify(r);
}

static void resolve_timer_cb(void *data)
{
	resolve_step(data);
}

/*! Resolve a certificate URL to a verified key at time at.
 *  The callback runs exactly once, from the loop (never from inside this
 *  call), unless the request is cancelled first.
 *  \param[in] d the trust domain
 *  \param[in] url x5u or repository URL
 *  \param[in] at the time to verify at (the PASSporT's iat, or now)
 *  \returns the request, or NULL when out of memory */
struct cert_resolve_req *cert_resolve_x5u(struct cert_domain *d, const char *url, time_t at,
					  cert_resolve_cb cb, void *priv)
{
	struct cert_resolve_req *r;

	if (!url)
		return NULL;
	r = talloc_zero(d, struct cert_resolve_req);
	if (!r)
		return NULL;
	INIT_LLIST_HEAD(&r->entry);
	osmo_timer_setup(&r->timer, resolve_timer_cb, r);
	talloc_set_destructor(r, req_destructor);
	r->url = talloc_strndup(r, url, FETCH_URL_MAXLEN + 1);
	if (!r->url) {
		talloc_free(r);
		return NULL;
	}
	r->d = d;
	r->at = at;
	r->cb = cb;
	r->priv = priv;
	llist_add_tail(&r->entry, &d->reqs);
	osmo_timer_schedule(&r->timer, 0, 0);
	return r;
}

int cert_resolve_x5u_cached(struct cert_domain *d, const char *url, time_t at, cert_resolve_cb cb, void *priv)
{
	struct cert_resolve_result res = { .url = url, .err = CERT_OK, .reason = "", .cached = true };
	struct cert_cache_entry *e;
	char detail[RESOLVE_REASON_LEN];
	struct leaf_derived *ld;
	X509 *leaf;

	if (!d || !url || !cb)
		return -EINVAL;
	/* only what the loop would answer at once and the same: a chain in
	 * the cache whose verification is remembered (no CRL to fetch) */
	e = cert_cache_get(d->cache, url);
	if (!e || e->negative || !truststore_entry_fresh(d->ts, e, at))
		return -EAGAIN;
	leaf = sk_X509_value(e->chain, 0);
	if (!leaf || truststore_verify_entry(d->ts, e, at, detail, sizeof(detail)) != CERT_OK)
		return -EAGAIN;
	if (!e->derived)
		e->derived = leaf_derive(e, d, leaf, at);
	ld = e->derived;
	if (!ld || !ld->profile_ok)
		return -EAGAIN;
	res.leaf = leaf;
	res.chain = e->chain;
	res.pkey = X509_get0_pubkey(leaf);
	res.tnauth = ld->tnauth;
	res.spc = ld->spc;
	if (!res.pkey)
		return -EAGAIN;
	cb(&res, priv);
	return 0;
}

/*! Drop a request: its callback will not run.  Not from or after the callback. */
void cert_resolve_cancel(struct cert_resolve_req *r)
{
	talloc_free(r);
}
