/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STIR/SHAKEN authentication service (STI-AS).  See stir_as.h. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>

#include "certs/credential.h"
#include "sip/passport.h"
#include "sip/stir_as.h"
#include "src/core/logging.h"
#include "src/core/workq.h"

struct stir_as {
	struct credential *cred;	/* borrowed, or our child (stir_as_load()) */
	struct stiwf_workq *wq;
	char attest;
	bool fixed_origid;
	char origid[STIR_UUID_LEN + 1];
};

struct stir_as_req {
	struct stir_as *as;
	stir_as_cb cb;
	void *priv;
	struct osmo_timer_list timer;
	struct stiwf_work work;
	bool on_pool;
	int rc;
	struct passport pp;
	char identity[STIR_AS_IDENTITY_MAX];
};

/*! A random (version 4) UUID, RFC 4122 §4.4, lower-case.
 *  \returns 0, -EIO (no randomness), -ENOSPC (len < 37) */
int stir_uuid_v4(char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	size_t i, o = 0;

	if (len < STIR_UUID_LEN + 1)
		return -ENOSPC;
	if (RAND_bytes(b, sizeof(b)) != 1)
		return -EIO;
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	/* 8-4-4-4-12 hex digits, written out: snprintf() of 16 "%02x" cost
	 * as much as the random octets */
	for (i = 0; i < sizeof(b); i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 0x0f];
	}
	out[o] = '\0';
	return 0;
}

/*! \returns whether s is a UUID string (RFC 4122 §3: 8-4-4-4-12 hex digits) */
bool stir_uuid_valid(const char *s)
{
	size_t i;

	if (!s || strnlen(s, STIR_UUID_LEN + 1) != STIR_UUID_LEN)
		return false;
	for (i = 0; i < STIR_UUID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		char c = s[i];

		if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
					 (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

/*! Create a signing service over a loaded credential (owned by the caller,
 *  outliving the service).
 *  \param[in] cfg attest and origid policy
 *  \param[in] wq worker pool for stir_as_sign(), or NULL to sign inline
 *  \returns the service, or NULL (logged: no x5u, not P-256, bad policy) */
struct stir_as *stir_as_alloc(void *ctx, struct credential *cred, const struct stir_as_cfg *cfg,
			      struct stiwf_workq *wq)
{
	struct stir_as *as;

	if (!cred || !cfg)
		return NULL;
	if (!cred->x5u) {
		LOGP(DSTIR, LOGL_ERROR, "STI-AS: credential %s has no x5u URL\n", cred->keyid_hex);
		return NULL;
	}
	if (strlen(cred->x5u) > PASSPORT_X5U_MAX) {
		LOGP(DSTIR, LOGL_ERROR, "STI-AS: x5u longer than %d\n", PASSPORT_X5U_MAX);
		return NULL;
	}
	/* ATIS-1000080 §6.4.1, RFC 7518 §3.4 */
	if (!passport_key_is_p256(cred->key)) {
		LOGP(DSTIR, LOGL_ERROR, "STI-AS: credential %s: key is not EC P-256 (ES256)\n",
		     cred->keyid_hex);
		return NULL;
	}
	if (cfg->attest != 'A' && cfg->attest != 'B' && cfg->attest != 'C') {
		LOGP(DSTIR, LOGL_ERROR, "STI-AS: attest must be A, B or C (RFC 8588 §4)\n");
		return NULL;
	}
	if (cfg->origid && !stir_uuid_valid(cfg->origid)) {
		LOGP(DSTIR, LOGL_ERROR, "STI-AS: origid '%s' is not a UUID (RFC 8588 §5)\n", cfg->origid);
		return NULL;
	}
	as = talloc_zero(ctx, struct stir_as);
	if (!as)
		return NULL;
	as->cred = cred;
	as->wq = wq;
	as->attest = cfg->attest;
	if (cfg->origid) {
		as->fixed_origid = true;
		snprintf(as->origid, sizeof(as->origid), "%s", cfg->origid);
	}
	return as;
}

/*! Load a credential (certs/credential.h checks file mode and that the key
 *  is the certificate's) and create a signing service owning it.
 *  \returns 0, -EINVAL (no x5u, policy, key type) or credential_load()'s error */
int stir_as_load(void *ctx, struct stir_as **out, const char *key_path, const char *chain_path,
		 const char *x5u, const struct stir_as_cfg *cfg, struct stiwf_workq *wq)
{
	struct credential *cred;
	int rc;

	*out = NULL;
	if (!x5u) {
		LOGP(DSTIR, LOGL_ERROR, "STI-AS: no x5u URL for %s\n", chain_path);
		return -EINVAL;
	}
	rc = credential_load(ctx, &cred, key_path, chain_path, x5u);
	if (rc < 0)
		return rc;
	*out = stir_as_alloc(ctx, cred, cfg, wq);
	if (!*out) {
		talloc_free(cred);
		return -EINVAL;
	}
	talloc_steal(*out, cred);
	return 0;
}

const struct credential *stir_as_credential(const struct stir_as *as)
{
	return as->cred;
}

/* header and claims, canonical (RFC 8225 §9), in pp->signing_input */
static int as_prepare(struct stir_as *as, const struct stir_as_input *in, struct passport *pp)
{
	char uuid[STIR_UUID_LEN + 1];
	const char *origid = as->origid;
	const char *dest[1];
	int rc;

	if (!in->orig_tn || !in->dest_tn)
		return -EINVAL;
	if (in->attest && in->attest != 'A' && in->attest != 'B' && in->attest != 'C')
		return -EINVAL;
	if (!as->fixed_origid) {
		rc = stir_uuid_v4(uuid, sizeof(uuid));
		if (rc < 0)
			return rc;
		origid = uuid;
	}
	dest[0] = in->dest_tn;
	if (in->div_tn) {
		rc = passport_init_div(pp, as->cred->x5u, in->orig_tn, dest, 1, in->iat, in->div_tn);
		if (rc < 0) {
			LOGP(DSTIR, LOGL_NOTICE, "STI-AS: cannot build a 'div' PASSporT for %s -> %s diverted "
			     "from %s\n", in->orig_tn, in->dest_tn, in->div_tn);
			return rc;
		}
		return passport_encode(pp);
	}
	rc = passport_init_shaken(pp, as->cred->x5u, in->attest ? in->attest : as->attest, in->orig_tn,
				  dest, 1, in->iat, origid);
	if (rc < 0) {
		LOGP(DSTIR, LOGL_NOTICE, "STI-AS: cannot build a PASSporT for %s -> %s\n", in->orig_tn,
		     in->dest_tn);
		return rc;
	}
	return passport_encode(pp);
}

/* RFC 8224 §4.1: the full form, then info (mandatory), alg and ppt */
static int as_identity(const struct stir_as *as, const struct passport *pp, char *out, size_t outlen)
{
	int n, m;

	n = passport_full_form(pp, out, outlen);
	if (n < 0)
		return n;
	m = snprintf(out + n, outlen - n, ";info=<%s>;alg=ES256;ppt=%s", as->cred->x5u,
		     pp->ppt == PASSPORT_PPT_DIV ? "div" : "shaken");
	if (m < 0 || (size_t)m >= outlen - n)
		return -ENOSPC;
	return n + m;
}

/*! Sign one call now, on this thread.
 *  \param[out] pp the signed PASSporT
 *  \param[out] out the Identity header value, NUL-terminated
 *  \returns its length, or -EINVAL (numbers, attest), -ENOSPC, -EIO */
int stir_as_sign_sync(struct stir_as *as, const struct stir_as_input *in, struct passport *pp,
		      char *out, size_t outlen)
{
	int rc;

	rc = as_prepare(as, in, pp);
	if (rc < 0)
		return rc;
	rc = passport_sig_create(pp, as->cred->key);
	if (rc < 0) {
		LOGP(DSTIR, LOGL_ERROR, "STI-AS: ES256 signing failed (%d)\n", rc);
		return rc;
	}
	return as_identity(as, pp, out, outlen);
}

static int req_destructor(struct stir_as_req *r)
{
	osmo_timer_del(&r->timer);
	if (r->on_pool)
		stiwf_workq_cancel(r->as->wq, &r->work);
	return 0;
}

static void req_deliver(struct stir_as_req *r)
{
	struct stir_as_result res = { .rc = r->rc, .identity = "" };
	int n;

	if (r->rc == 0) {
		n = as_identity(r->as, &r->pp, r->identity, sizeof(r->identity));
		if (n < 0)
			res.rc = n;
	} else {
		LOGP(DSTIR, LOGL_ERROR, "STI-AS: ES256 signing failed (%d)\n", r->rc);
	}
	if (res.rc == 0) {
		res.identity = r->identity;
		res.pp = &r->pp;
	}
	/* the callback may free the request's parent */
	talloc_steal(r->as, r);
	if (r->cb)
		r->cb(&res, r->priv);
	talloc_free(r);
}

static void timer_cb(void *data)
{
	req_deliver(data);
}

/* on a worker thread: only r->pp and the credential's key */
static void work_fn(struct stiwf_work *w)
{
	struct stir_as_req *r = w->priv;

	r->rc = passport_sig_create(&r->pp, r->as->cred->key);
}

static void work_done(struct stiwf_work *w)
{
	struct stir_as_req *r = w->priv;

	r->on_pool = false;
	req_deliver(r);
}

/*! Sign one call asynchronously: on the worker pool when there is one.
 *  The callback runs once, from the loop, never from inside this call, and
 *  not at all once the request is cancelled or its parent ctx freed.
 *  \returns the request, or NULL (bad input: logged; out of memory) */
struct stir_as_req *stir_as_sign(struct stir_as *as, void *ctx, const struct stir_as_input *in,
				 stir_as_cb cb, void *priv)
{
	struct stir_as_req *r;

	if (!as || !in || !cb)
		return NULL;
	r = talloc_zero(ctx ? ctx : as, struct stir_as_req);
	if (!r)
		return NULL;
	r->as = as;
	r->cb = cb;
	r->priv = priv;
	osmo_timer_setup(&r->timer, timer_cb, r);
	talloc_set_destructor(r, req_destructor);
	if (as_prepare(as, in, &r->pp) < 0) {
		talloc_free(r);
		return NULL;
	}
	if (as->wq) {
		r->work.work = work_fn;
		r->work.done = work_done;
		r->work.priv = r;
		if (stiwf_workq_submit(as->wq, &r->work) == 0) {
			r->on_pool = true;
			return r;
		}
	}
	r->rc = passport_sig_create(&r->pp, as->cred->key);
	osmo_timer_schedule(&r->timer, 0, 0);
	return r;
}

/*! Drop a request: its callback will not run.  Not from its own callback. */
void stir_as_cancel(struct stir_as_req *r)
{
	talloc_free(r);
}
