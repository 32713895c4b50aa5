/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STIR/SHAKEN verification service (STI-VS).  See stir_vs.h for the order
 * of the checks and the codes they answer with.
 *
 * A request runs the checks that need nothing but the request itself at
 * once, then waits for the credential (cert_resolve_x5u()), then for the
 * signature check (worker pool or inline).  Every answer leaves from the
 * loop: an early failure through a zero timer, the others from the
 * resolver's or the pool's callback. */

#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>

#include "certs/resolve.h"
#include "certs/tnauthlist.h"
#include "sip/identity.h"
#include "sip/passport.h"
#include "sip/stir_vs.h"
#include "src/core/logging.h"
#include "src/core/workq.h"

#define DETAIL_LEN 256

const struct value_string stir_vs_step_names[] = {
	{ STIR_VS_STEP_NONE, "none" },
	{ STIR_VS_STEP_SYNTAX, "syntax" },
	{ STIR_VS_STEP_INFO, "info" },
	{ STIR_VS_STEP_FRESHNESS, "freshness" },
	{ STIR_VS_STEP_CLAIMS, "claims" },
	{ STIR_VS_STEP_CREDENTIAL, "credential" },
	{ STIR_VS_STEP_AUTHORITY, "authority" },
	{ STIR_VS_STEP_SIGNATURE, "signature" },
	{ STIR_VS_STEP_INTERNAL, "internal" },
	{ 0, NULL }
};

const struct value_string stir_vs_div_names[] = {
	{ STIR_VS_DIV_NONE, "none" },
	{ STIR_VS_DIV_PASSED, "passed" },
	{ STIR_VS_DIV_FAILED, "failed" },
	{ STIR_VS_DIV_IGNORED, "ignored" },
	{ 0, NULL }
};

struct stir_vs {
	struct cert_domain *d;
	struct stiwf_workq *wq;
	struct llist_head reqs;
	struct stir_vs_stats stats;
};

struct stir_vs_req {
	struct llist_head entry;
	struct stir_vs *vs;
	stir_vs_cb cb;
	void *priv;
	struct stir_vs_cfg cfg;
	char orig_tn[STIWF_TN_MAX + 1];
	char dest_tn[STIWF_TN_MAX + 1];
	time_t now;

	struct osmo_timer_list timer;		/* delivers an early answer */
	struct cert_resolve_req *resolve;	/* while the credential is looked up */
	struct stiwf_work work;			/* signature check on the pool */
	bool on_pool;
	bool in_verify;				/* inside stir_vs_verify(): answer from the loop */
	EVP_PKEY *pkey;				/* our reference, for the pool */
	int sig_rc;				/* written by the worker */

	/* the outcome being built */
	int code;
	enum stir_vs_step step;
	char detail[DETAIL_LEN];
	bool have_pp;
	bool no_identity;
	bool cert_cached;
	unsigned int num_div_ignored;
	char spc[STIR_VS_SPC_MAX + 1];
	struct passport pp;

	/* the first full-form "div" PASSporT (RFC 8946) */
	bool have_div;				/* decoded into div */
	bool div_chained;			/* its checks so far hold: the SHAKEN one is
						 * judged against div.div_tn */
	bool div_phase;				/* its credential and signature are being checked */
	enum stir_vs_div div_outcome;
	char div_detail[DETAIL_LEN];
	struct passport div;
};

/*! Defaults: 60 s, no Date check, no Identity required (ATIS-1000074
 *  §5.3.2: 428 is not recommended for SHAKEN until signing is mandated). */
void stir_vs_cfg_init(struct stir_vs_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_age = STIR_VS_DEFAULT_MAX_AGE;
}

static int vs_destructor(struct stir_vs *vs)
{
	struct stir_vs_req *r, *tmp;

	/* requests still running are dropped without their callback */
	llist_for_each_entry_safe(r, tmp, &vs->reqs, entry)
		talloc_free(r);
	return 0;
}

/*! Create a verification service.
 *  \param[in] ctx talloc parent
 *  \param[in] d the SHAKEN trust domain (certs/resolve.h), outliving the service
 *  \param[in] wq worker pool for the signature check, or NULL to check inline
 *  \returns the service or NULL */
struct stir_vs *stir_vs_alloc(void *ctx, struct cert_domain *d, struct stiwf_workq *wq)
{
	struct stir_vs *vs;

	if (!d)
		return NULL;
	vs = talloc_zero(ctx, struct stir_vs);
	if (!vs)
		return NULL;
	INIT_LLIST_HEAD(&vs->reqs);
	vs->d = d;
	vs->wq = wq;
	talloc_set_destructor(vs, vs_destructor);
	return vs;
}

static int req_destructor(struct stir_vs_req *r)
{
	osmo_timer_del(&r->timer);
	if (r->resolve)
		cert_resolve_cancel(r->resolve);
	/* waits while a worker runs the job: afterwards it touches nothing */
	if (r->on_pool)
		stiwf_workq_cancel(r->vs->wq, &r->work);
	EVP_PKEY_free(r->pkey);
	llist_del(&r->entry);
	return 0;
}

static void req_deliver(struct stir_vs_req *r)
{
	struct stir_vs *vs = r->vs;
	struct stir_vs_result res = {
		.code = r->code,
		.reason = stir_error_phrase(r->code),
		.step = r->step,
		.detail = r->detail,
		.origid = "",
		.spc = r->spc,
		.cert_cached = r->cert_cached,
		.num_div_ignored = r->num_div_ignored,
		.div = r->div_outcome,
		.div_detail = r->div_detail,
		.judged_dest = r->dest_tn,
	};

	if (r->have_pp) {
		res.pp = &r->pp;
		res.attest = r->pp.attest;
		res.origid = r->pp.origid;
		res.canonical = passport_is_canonical(&r->pp);
	}
	if (r->have_div && r->div_outcome == STIR_VS_DIV_NONE) {
		/* the SHAKEN PASSporT failed before the div one was verified */
		r->div_outcome = STIR_VS_DIV_IGNORED;
		res.div = r->div_outcome;
		LOGP(DSTIR, LOGL_INFO, "STI-VS %s -> %s: 'div' PASSporT not verified: the SHAKEN PASSporT "
		     "failed first\n", r->orig_tn, r->dest_tn);
	}
	if (r->div_outcome == STIR_VS_DIV_PASSED) {
		res.div_pp = &r->div;
		res.judged_dest = r->div.div_tn;
	}
	switch (r->div_outcome) {
	case STIR_VS_DIV_PASSED:
		vs->stats.div_passed++;
		break;
	case STIR_VS_DIV_FAILED:
		vs->stats.div_failed++;
		break;
	case STIR_VS_DIV_IGNORED:
		vs->stats.div_ignored++;
		break;
	default:
		break;
	}
	vs->stats.div_ignored += r->num_div_ignored;
	if (r->no_identity)
		res.verstat = STIR_VERSTAT_NO_VALIDATION;
	else if (r->code == 0)
		res.verstat = STIR_VERSTAT_PASSED;
	else
		res.verstat = STIR_VERSTAT_FAILED;
	switch (res.verstat) {
	case STIR_VERSTAT_PASSED:
		vs->stats.passed++;
		LOGP(DSTIR, LOGL_INFO, "STI-VS %s -> %s: passed, attest %c, origid %s, SPC %s%s%s\n",
		     r->orig_tn, r->dest_tn, r->pp.attest, r->pp.origid, r->spc[0] ? r->spc : "-",
		     res.div_pp ? ", forwarded from " : "", res.div_pp ? r->div.div_tn : "");
		break;
	case STIR_VERSTAT_FAILED:
		vs->stats.failed++;
		LOGP(DSTIR, LOGL_NOTICE, "STI-VS %s -> %s: %d %s (%s: %s)\n", r->orig_tn, r->dest_tn,
		     r->code, res.reason, get_value_string(stir_vs_step_names, r->step), r->detail);
		break;
	default:
		vs->stats.no_validation++;
		LOGP(DSTIR, LOGL_INFO, "STI-VS %s -> %s: no Identity header%s\n", r->orig_tn, r->dest_tn,
		     r->code ? ", answered 428" : "");
		break;
	}
	/* The callback may free the call that owned the request: keep the
	 * request (and the passport it lends out) alive until it returns. */
	talloc_steal(vs, r);
	if (r->cb)
		r->cb(&res, r->priv);
	talloc_free(r);
}

/* The answer is ready: deliver it, or from the loop when we are still
 * inside stir_vs_verify() (the callback never runs from there). */
static void req_answer(struct stir_vs_req *r)
{
	if (r->in_verify)
		osmo_timer_schedule(&r->timer, 0, 0);
	else
		req_deliver(r);
}

static void req_fail(struct stir_vs_req *r, int code, enum stir_vs_step step, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void req_fail(struct stir_vs_req *r, int code, enum stir_vs_step step, const char *fmt, ...)
{
	va_list ap;

	r->code = code;
	r->step = step;
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
}

static void timer_cb(void *data)
{
	req_deliver(data);
}

/* ------------------------------------------------------------------ Date */

static int two_digits(const char *p, int *v)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -EINVAL;
	*v = (p[0] - '0') * 10 + (p[1] - '0');
	return 0;
}

/*! Parse a SIP Date header value, RFC 3261 §25.1 SIP-date (the rfc1123-date
 *  of RFC 2616 §3.3.1), e.g. "Sat, 13 Nov 2010 23:29:00 GMT": always GMT,
 *  one space between the fields, nothing after.
 *  \returns 0 or -EINVAL */
int stir_sip_date_parse(const char *s, time_t *out)
{
	static const char *const wkdays[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	int i, y1, y2, mday, mon, leap, found = 0;
	time_t t;

	if (!s)
		return -EINVAL;
	/* "Www, DD Mmm YYYY HH:MM:SS GMT" is 29 characters */
	while (*s == ' ' || *s == '\t')
		s++;
	if (strnlen(s, 40) < 29)
		return -EINVAL;
	for (i = 0; i < 7; i++)
		found |= !strncmp(s, wkdays[i], 3);
	if (!found || strncmp(s + 3, ", ", 2) || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
	    s[19] != ':' || s[22] != ':' || strncmp(s + 25, " GMT", 4))
		return -EINVAL;
	if (s[29] != '\0' && strspn(s + 29, " \t\r\n") != strlen(s + 29))
		return -EINVAL;
	memset(&tm, 0, sizeof(tm));
	tm.tm_mon = -1;
	for (i = 0; i < 12; i++) {
		if (!strncmp(s + 8, months[i], 3))
			tm.tm_mon = i;
	}
	if (tm.tm_mon < 0 || two_digits(s + 5, &tm.tm_mday) || two_digits(s + 12, &y1) ||
	    two_digits(s + 14, &y2) || two_digits(s + 17, &tm.tm_hour) ||
	    two_digits(s + 20, &tm.tm_min) || two_digits(s + 23, &tm.tm_sec))
		return -EINVAL;
	if (tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -EINVAL;
	tm.tm_year = y1 * 100 + y2 - 1900;
	/* timegm() rolls "31 Feb" over into March: only a day that exists
	 * in its month is a date.  A leap second (:60) is the next second. */
	leap = tm.tm_sec == 60;
	if (leap)
		tm.tm_sec = 59;
	mday = tm.tm_mday;
	mon = tm.tm_mon;
	t = timegm(&tm);
	if (t == (time_t)-1 || !gmtime_r(&t, &tm) || tm.tm_mday != mday || tm.tm_mon != mon)
		return -EINVAL;
	*out = t + leap;
	return 0;
}

static bool within(int64_t a, int64_t b, unsigned int max)
{
	return a >= b ? a - b <= (int64_t)max : b - a <= (int64_t)max;
}

/* ------------------------------------------------------------ the checks */

/* Does the caller's decoded PASSporT stand for this token: the same
 * signing input ("h.p", what the signature covers) and signature? */
static bool pp_is_token(const struct passport *pp, const struct identity_hdr *ih)
{
	uint8_t sig[PASSPORT_SIG_MAX];
	size_t n = pp->signing_input_len;
	int len;

	if (!n || !pp->sig_len || ih->compact || ih->token.len <= n + 1 ||
	    memcmp(ih->token.ptr, pp->signing_input, n) || ih->token.ptr[n] != '.')
		return false;
	len = stir_b64url_decode(sig, sizeof(sig), ih->token.ptr + n + 1, ih->token.len - n - 1);
	return len > 0 && (size_t)len == pp->sig_len && !memcmp(sig, pp->sig, pp->sig_len);
}

/* A decoded "div" PASSporT at Identity[i]: the first is kept for
 * verification, any other is ignored (RFC 8946 §4.2 chains of several
 * diversions are not followed). */
static void keep_div(struct stir_vs_req *r, unsigned int i, const struct passport *pp,
		     const struct identity_hdr *ih, struct identity_hdr *div_ih)
{
	if (r->have_div) {
		r->num_div_ignored++;
		LOGP(DSTIR, LOGL_INFO, "STI-VS: Identity[%u]: a second 'div' PASSporT (RFC 8946): not verified, "
		     "ignored\n", i);
		return;
	}
	if (pp != &r->div)
		r->div = *pp;
	r->have_div = true;
	*div_ih = *ih;
}

/* The headers after the chosen SHAKEN one: the first full-form "div"
 * PASSporT among them, when none came before. */
static void scan_divs(struct stir_vs_req *r, const struct stir_vs_input *in, unsigned int from, unsigned int n,
		      struct identity_hdr *div_ih)
{
	struct identity_hdr ih;
	unsigned int i;

	for (i = from; i < n; i++) {
		const char *v = in->identity[i];
		size_t len = v ? strnlen(v, IDENTITY_HDR_MAX + 1) : 0;

		if (!v || len > IDENTITY_HDR_MAX || identity_hdr_parse(&ih, v, len) < 0)
			continue;
		if (ih.compact || r->have_div) {
			if (stir_slice_eq(&ih.ppt, "div")) {
				r->num_div_ignored++;
				LOGP(DSTIR, LOGL_INFO, "STI-VS: Identity[%u]: 'div' PASSporT (RFC 8946) %s: not "
				     "verified, ignored\n", i, ih.compact ? "in compact form" : "after the first");
			}
			continue;
		}
		if (passport_decode(&r->div, ih.token.ptr, ih.token.len) < 0 || r->div.ppt != PASSPORT_PPT_DIV) {
			memset(&r->div, 0, sizeof(r->div));
			continue;
		}
		keep_div(r, i, &r->div, &ih, div_ih);
	}
}

/* Step 1: pick the SHAKEN PASSporT among the Identity headers, and the
 * first full-form "div" PASSporT (into r->div, its header into div_ih).
 * \returns 0 when r->pp holds it, else a code with r->detail set */
static int choose_identity(struct stir_vs_req *r, const struct stir_vs_input *in, struct identity_hdr *ih_out,
			   struct identity_hdr *div_ih)
{
	struct identity_hdr ih;
	unsigned int i, n = in->num_identity;
	int first_err = 0;

	if (n > STIR_VS_MAX_IDENTITY) {
		LOGP(DSTIR, LOGL_NOTICE, "STI-VS: %u Identity headers, looking at the first %d\n", n,
		     STIR_VS_MAX_IDENTITY);
		n = STIR_VS_MAX_IDENTITY;
	}
	for (i = 0; i < n; i++) {
		const char *v = in->identity[i];
		size_t len = v ? strnlen(v, IDENTITY_HDR_MAX + 1) : 0;

		if (!v || len > IDENTITY_HDR_MAX || identity_hdr_parse(&ih, v, len) < 0) {
			if (!first_err)
				req_fail(r, STIR_ERR_INVALID_IDENTITY, STIR_VS_STEP_SYNTAX,
					 "Identity[%u]: not an Identity header value (RFC 8224 §4.1)", i);
			first_err = first_err ? first_err : STIR_ERR_INVALID_IDENTITY;
			continue;
		}
		if (ih.compact) {
			/* RFC 8946 §5: a div PASSporT may come compact; say so */
			if (stir_slice_eq(&ih.ppt, "div")) {
				/* its "div" claim would be rebuilt from a Diversion
				 * header (RFC 8946 §5): not done */
				r->num_div_ignored++;
				LOGP(DSTIR, LOGL_INFO, "STI-VS: Identity[%u]: 'div' PASSporT (RFC 8946) "
				     "in compact form: not verified, ignored\n", i);
				continue;
			}
			if (!first_err)
				req_fail(r, STIR_ERR_INVALID_IDENTITY, STIR_VS_STEP_SYNTAX,
					 "Identity[%u]: compact form: 'attest' and 'origid' cannot be "
					 "rebuilt from the request (RFC 8588)", i);
			first_err = first_err ? first_err : STIR_ERR_INVALID_IDENTITY;
			continue;
		}
		if (i == 0 && in->pp && pp_is_token(in->pp, &ih)) {
			/* the caller's decoded copy: no JSON to parse again */
			r->pp = *in->pp;
		} else if (passport_decode(&r->pp, ih.token.ptr, ih.token.len) < 0) {
			if (!first_err)
				req_fail(r, STIR_ERR_INVALID_IDENTITY, STIR_VS_STEP_SYNTAX,
					 "Identity[%u]: PASSporT does not decode (RFC 8225)", i);
			first_err = first_err ? first_err : STIR_ERR_INVALID_IDENTITY;
			continue;
		}
		if (r->pp.ppt == PASSPORT_PPT_DIV) {
			/* RFC 8946 §4: verified with the SHAKEN one it extends */
			keep_div(r, i, &r->pp, &ih, div_ih);
			continue;
		}
		if (r->pp.ppt != PASSPORT_PPT_SHAKEN) {
			if (!first_err)
				req_fail(r, STIR_ERR_INVALID_IDENTITY, STIR_VS_STEP_SYNTAX,
					 "Identity[%u]: 'ppt' is '%s', not \"shaken\" (RFC 8588)", i,
					 r->pp.ppt_str);
			first_err = first_err ? first_err : STIR_ERR_INVALID_IDENTITY;
			continue;
		}
		/* an unusable header before it no longer matters */
		if (first_err)
			LOGP(DSTIR, LOGL_INFO, "STI-VS: verifying Identity[%u]; an earlier one was not "
			     "usable: %s\n", i, r->detail);
		req_fail(r, 0, STIR_VS_STEP_NONE, "%s", "");
		*ih_out = ih;
		r->have_pp = true;
		scan_divs(r, in, i + 1, n, div_ih);
		return 0;
	}
	memset(&r->pp, 0, sizeof(r->pp));
	if (r->have_div) {
		/* nothing it could extend */
		r->num_div_ignored++;
		r->have_div = false;
		memset(&r->div, 0, sizeof(r->div));
	}
	if (first_err)
		return first_err;
	if (r->num_div_ignored) {
		req_fail(r, STIR_ERR_INVALID_IDENTITY, STIR_VS_STEP_SYNTAX,
			 "Identity: only 'div' PASSporTs, no SHAKEN PASSporT they extend (RFC 8946 §4)");
		return STIR_ERR_INVALID_IDENTITY;
	}
	/* RFC 8224 §6.2.2: no Identity header */
	r->no_identity = true;
	if (r->cfg.identity_required) {
		req_fail(r, STIR_ERR_USE_IDENTITY, STIR_VS_STEP_SYNTAX, "Identity: none in the request");
		return STIR_ERR_USE_IDENTITY;
	}
	return -ENOENT;
}

static void div_fail(struct stir_vs_req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The div PASSporT fails a check: it extends nothing (stir_vs.h) */
static void div_fail(struct stir_vs_req *r, const char *fmt, ...)
{
	va_list ap;

	r->div_outcome = STIR_VS_DIV_FAILED;
	r->div_chained = false;
	va_start(ap, fmt);
	vsnprintf(r->div_detail, sizeof(r->div_detail), fmt, ap);
	va_end(ap);
	LOGP(DSTIR, LOGL_NOTICE, "STI-VS %s -> %s: 'div' PASSporT (RFC 8946) failed: %s; the SHAKEN PASSporT "
	     "is judged against the called number\n", r->orig_tn, r->dest_tn, r->div_detail);
}

/* RFC 8946 §4: the checks of the div PASSporT that need no I/O, the
 * SHAKEN one (r->pp) decoded.  When they hold, r->div_chained. */
static void check_div(struct stir_vs_req *r, const struct identity_hdr *ih)
{
	const struct passport *dv = &r->div;
	const char *detail = "";

	if (!r->have_div)
		return;
	/* ATIS-1000074 §5.3.1, as for the SHAKEN PASSporT */
	if (!dv->x5u[0] || ih->info.len != strlen(dv->x5u) || memcmp(ih->info.ptr, dv->x5u, ih->info.len)) {
		div_fail(r, "info: %s", dv->x5u[0] ? "Identity 'info' differs from the PASSporT 'x5u'" :
			 "PASSporT without 'x5u'");
		return;
	}
	/* RFC 8225 §4-5, RFC 8946 §3 */
	if (passport_check_claims(dv) || passport_check_identity(dv, ih)) {
		div_fail(r, "claims: PASSporT header or claims (alg, typ, ppt, orig, dest, div, x5u)");
		return;
	}
	/* RFC 8224 §6.2.1 */
	if (passport_check_iat(dv, r->now, r->cfg.max_age)) {
		div_fail(r, "freshness: 'iat' %lld is more than %u s from now %lld", (long long)dv->iat,
			 r->cfg.max_age, (long long)r->now);
		return;
	}
	if (passport_div_chain_check(&r->pp, dv, r->dest_tn, &detail)) {
		div_fail(r, "chain (RFC 8946 §4.2): %s", detail);
		return;
	}
	r->div_chained = true;
}

/* Steps 2-4, no I/O.  \returns 0 or the code (r->detail set) */
static int check_request(struct stir_vs_req *r, const struct stir_vs_input *in, const struct identity_hdr *ih)
{
	const struct passport *pp = &r->pp;
	time_t date;
	int rc;

	/* ATIS-1000074 §5.3.1: "info" carries the same URL as "x5u" */
	if (!pp->x5u[0] || ih->info.len != strlen(pp->x5u) || memcmp(ih->info.ptr, pp->x5u, ih->info.len)) {
		req_fail(r, STIR_ERR_BAD_IDENTITY_INFO, STIR_VS_STEP_INFO,
			 pp->x5u[0] ? "Identity 'info' differs from the PASSporT 'x5u'"
				    : "PASSporT without 'x5u'");
		return r->code;
	}
	/* RFC 8224 §6.2.1 */
	rc = passport_check_iat(pp, r->now, r->cfg.max_age);
	if (rc) {
		if (!pp->has_iat)
			req_fail(r, rc, STIR_VS_STEP_CLAIMS, "PASSporT without 'iat'");
		else
			req_fail(r, rc, STIR_VS_STEP_FRESHNESS, "PASSporT 'iat' %lld is more than %u s "
				 "from now %lld", (long long)pp->iat, r->cfg.max_age, (long long)r->now);
		return rc;
	}
	if (r->cfg.check_date && in->date) {
		if (stir_sip_date_parse(in->date, &date) < 0) {
			req_fail(r, STIR_ERR_STALE_DATE, STIR_VS_STEP_FRESHNESS,
				 "Date header is not a SIP-date (RFC 3261 §25.1)");
			return r->code;
		}
		if (!within(date, r->now, r->cfg.max_age)) {
			req_fail(r, STIR_ERR_STALE_DATE, STIR_VS_STEP_FRESHNESS,
				 "Date header %lld is more than %u s from now %lld", (long long)date,
				 r->cfg.max_age, (long long)r->now);
			return r->code;
		}
		if (!within(pp->iat, date, r->cfg.max_age)) {
			req_fail(r, STIR_ERR_STALE_DATE, STIR_VS_STEP_FRESHNESS,
				 "PASSporT 'iat' %lld is more than %u s from the Date header %lld",
				 (long long)pp->iat, r->cfg.max_age, (long long)date);
			return r->code;
		}
	}
	/* RFC 8225 §4-5, RFC 8588 §4-5; ATIS-1000074 §5.3.2: missing claims are 438 */
	if (passport_check_claims(pp) || passport_check_identity(pp, ih)) {
		req_fail(r, STIR_ERR_INVALID_IDENTITY, STIR_VS_STEP_CLAIMS,
			 "PASSporT header or claims (alg, typ, ppt, orig, dest, attest, origid)");
		return r->code;
	}
	/* RFC 8224 §6.2 step 2, §8.3 */
	if (passport_check_numbers(pp, r->orig_tn, NULL)) {
		req_fail(r, STIR_ERR_INVALID_IDENTITY, STIR_VS_STEP_CLAIMS,
			 "PASSporT 'orig' %s is not the calling number %s", pp->orig_tn, r->orig_tn);
		return r->code;
	}
	/* RFC 8946 §4.2: a forwarded call's SHAKEN PASSporT names the
	 * number first called, which the div PASSporT names as its "div" */
	if (r->div_chained && passport_check_numbers(pp, r->orig_tn, r->div.div_tn)) {
		req_fail(r, STIR_ERR_INVALID_IDENTITY, STIR_VS_STEP_CLAIMS,
			 "no PASSporT 'dest' is %s, the number the 'div' PASSporT says the call was "
			 "diverted from", r->div.div_tn);
		return r->code;
	}
	if (!r->div_chained && passport_check_numbers(pp, r->orig_tn, r->dest_tn)) {
		req_fail(r, STIR_ERR_INVALID_IDENTITY, STIR_VS_STEP_CLAIMS,
			 "no PASSporT 'dest' is the called number %s%s%s", r->dest_tn,
			 r->div_outcome == STIR_VS_DIV_FAILED ? "; the 'div' PASSporT failed: " : "",
			 r->div_outcome == STIR_VS_DIV_FAILED ? r->div_detail : "");
		return r->code;
	}
	return 0;
}

static void resolved(const struct cert_resolve_result *res, void *priv);

/* The div PASSporT's credential or signature decided (\a fmt NULL: it
 * verified); the SHAKEN one, verified, is then judged for good. */
static void div_end(struct stir_vs_req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void div_end(struct stir_vs_req *r, const char *fmt, ...)
{
	char detail[DETAIL_LEN];
	va_list ap;

	r->div_phase = false;
	if (!fmt) {
		r->div_outcome = STIR_VS_DIV_PASSED;
		LOGP(DSTIR, LOGL_INFO, "STI-VS %s -> %s: 'div' PASSporT (RFC 8946) verified: diverted from %s, "
		     "x5u %s\n", r->orig_tn, r->dest_tn, r->div.div_tn, r->div.x5u);
		req_answer(r);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	div_fail(r, "%s", detail);
	/* without the div PASSporT, the called number decides (step 4) */
	if (passport_check_numbers(&r->pp, r->orig_tn, r->dest_tn))
		req_fail(r, STIR_ERR_INVALID_IDENTITY, STIR_VS_STEP_CLAIMS,
			 "no PASSporT 'dest' is the called number %s; the 'div' PASSporT failed: %s", r->dest_tn,
			 r->div_detail);
	req_answer(r);
}

/* The SHAKEN PASSporT verified: now the div PASSporT's credential */
static void div_start(struct stir_vs_req *r)
{
	r->div_phase = true;
	/* a cache hit answers from inside (and may free r when not in
	 * stir_vs_verify()): r is not touched afterwards */
	if (cert_resolve_x5u_cached(r->vs->d, r->div.x5u, r->now, resolved, r) == 0)
		return;
	r->resolve = cert_resolve_x5u(r->vs->d, r->div.x5u, r->now, resolved, r);
	if (!r->resolve)
		div_end(r, "credential: x5u %s cannot be looked up (out of memory)", r->div.x5u);
}

static void sig_done(struct stir_vs_req *r, int rc)
{
	r->vs->stats.sig_verifications++;
	if (r->div_phase) {
		if (rc == STIR_ERR_UNSUPPORTED_CRED)
			div_end(r, "credential: x5u %s: certificate key is not EC P-256 (ES256)", r->div.x5u);
		else if (rc)
			div_end(r, "signature: does not verify with the x5u certificate %s", r->div.x5u);
		else
			div_end(r, NULL);
		return;
	}
	if (rc == STIR_ERR_UNSUPPORTED_CRED)
		req_fail(r, rc, STIR_VS_STEP_CREDENTIAL, "certificate key is not EC P-256 (ES256)");
	else if (rc)
		req_fail(r, STIR_ERR_INVALID_IDENTITY, STIR_VS_STEP_SIGNATURE,
			 "PASSporT signature does not verify with the x5u certificate");
	else if (r->div_chained) {
		div_start(r);
		return;
	}
	req_answer(r);
}

/* on a worker thread: only r->pp or r->div, r->pkey and r->sig_rc */
static void work_fn(struct stiwf_work *w)
{
	struct stir_vs_req *r = w->priv;

	r->sig_rc = passport_sig_verify(r->div_phase ? &r->div : &r->pp, r->pkey);
}

/* on the loop */
static void work_done(struct stiwf_work *w)
{
	struct stir_vs_req *r = w->priv;

	r->on_pool = false;
	r->vs->stats.on_workers++;
	sig_done(r, r->sig_rc);
}

/* Check the signature of the PASSporT being verified (r->div in the div
 * phase, else r->pp) with \a pkey: on the pool, else inline. */
static void check_sig(struct stir_vs_req *r, EVP_PKEY *pkey)
{
	struct stir_vs *vs = r->vs;

	if (vs->wq) {
		EVP_PKEY_free(r->pkey);
		EVP_PKEY_up_ref(pkey);
		r->pkey = pkey;
		r->work.work = work_fn;
		r->work.done = work_done;
		r->work.priv = r;
		if (stiwf_workq_submit(vs->wq, &r->work) == 0) {
			r->on_pool = true;
			return;
		}
		LOGP(DSTIR, LOGL_NOTICE, "STI-VS: worker pool refused the job, verifying inline\n");
	}
	sig_done(r, passport_sig_verify(r->div_phase ? &r->div : &r->pp, pkey));
}

/* The div PASSporT's credential (RFC 8946 §4: as for the SHAKEN one) */
static void div_resolved(struct stir_vs_req *r, const struct cert_resolve_result *res)
{
	const struct tnauthlist *tl = res->tnauth;

	if (res->err != CERT_OK) {
		div_end(r, "credential: x5u %s: %s: %s", r->div.x5u, get_value_string(cert_err_names, res->err),
			res->reason);
		return;
	}
	if (!passport_key_is_p256(res->pkey)) {
		div_end(r, "credential: x5u %s: certificate key is not EC P-256 (ES256)", r->div.x5u);
		return;
	}
	/* the diverting network signs: a certificate that lists numbers
	 * must list the one it diverted from (RFC 8226 §9) */
	if (tl && (tnauthlist_count(tl, TNAUTH_ENTRY_ONE) || tnauthlist_count(tl, TNAUTH_ENTRY_RANGE)) &&
	    !tnauthlist_covers_tn(tl, r->div.div_tn)) {
		div_end(r, "authority: 'div' %s is not in the TNAuthList of the x5u certificate", r->div.div_tn);
		return;
	}
	check_sig(r, res->pkey);
}

static void resolved(const struct cert_resolve_result *res, void *priv)
{
	struct stir_vs_req *r = priv;
	const struct tnauthlist *tl = res->tnauth;

	/* the resolver frees its request after we return */
	r->resolve = NULL;
	if (r->div_phase) {
		div_resolved(r, res);
		return;
	}
	r->cert_cached = res->cached;
	if (res->spc)
		snprintf(r->spc, sizeof(r->spc), "%s", res->spc);
	if (res->err != CERT_OK) {
		req_fail(r, res->sip_code == 437 ? STIR_ERR_UNSUPPORTED_CRED : STIR_ERR_BAD_IDENTITY_INFO,
			 STIR_VS_STEP_CREDENTIAL, "x5u %s: %s: %s", r->pp.x5u,
			 get_value_string(cert_err_names, res->err), res->reason);
		req_answer(r);
		return;
	}
	/* RFC 8225 §8, ATIS-1000080 §6.4.1: ES256 needs a P-256 key */
	if (!passport_key_is_p256(res->pkey)) {
		req_fail(r, STIR_ERR_UNSUPPORTED_CRED, STIR_VS_STEP_CREDENTIAL,
			 "x5u %s: certificate key is not EC P-256 (ES256)", r->pp.x5u);
		req_answer(r);
		return;
	}
	/* RFC 8226 §9, RFC 9060: a certificate that lists numbers vouches
	 * for those only (438, see stir_vs.h) */
	if (tl && (tnauthlist_count(tl, TNAUTH_ENTRY_ONE) || tnauthlist_count(tl, TNAUTH_ENTRY_RANGE)) &&
	    !tnauthlist_covers_tn(tl, r->pp.orig_tn)) {
		req_fail(r, STIR_ERR_INVALID_IDENTITY, STIR_VS_STEP_AUTHORITY,
			 "PASSporT 'orig' %s is not in the TNAuthList of the x5u certificate", r->pp.orig_tn);
		req_answer(r);
		return;
	}
	check_sig(r, res->pkey);
}

/*! Verify the Identity of one request.
 *  \param[in] vs the service
 *  \param[in] ctx talloc parent of the request (the call): freeing it
 *             cancels the request; NULL: the service
 *  \param[in] cfg the peer's policy, or NULL for the defaults
 *  \param[in] in the request (copied)
 *  \param[in] cb called once with the answer, from the loop
 *  \returns the request, or NULL (out of memory, bad arguments) */
struct stir_vs_req *stir_vs_verify(struct stir_vs *vs, void *ctx, const struct stir_vs_cfg *cfg,
				   const struct stir_vs_input *in, stir_vs_cb cb, void *priv)
{
	struct identity_hdr ih, div_ih;
	struct stir_vs_req *r;
	int rc;

	if (!vs || !in || !cb || (in->num_identity && !in->identity))
		return NULL;
	r = talloc_zero(ctx ? ctx : vs, struct stir_vs_req);
	if (!r)
		return NULL;
	r->vs = vs;
	r->cb = cb;
	r->priv = priv;
	osmo_timer_setup(&r->timer, timer_cb, r);
	llist_add_tail(&r->entry, &vs->reqs);
	talloc_set_destructor(r, req_destructor);
	if (cfg)
		r->cfg = *cfg;
	else
		stir_vs_cfg_init(&r->cfg);
	r->now = in->now;
	vs->stats.requests++;
	snprintf(r->orig_tn, sizeof(r->orig_tn), "%s", in->orig_tn ? in->orig_tn : "");
	snprintf(r->dest_tn, sizeof(r->dest_tn), "%s", in->dest_tn ? in->dest_tn : "");
	if (!in->orig_tn || !in->dest_tn || strlen(in->orig_tn) > STIWF_TN_MAX ||
	    strlen(in->dest_tn) > STIWF_TN_MAX) {
		/* the caller could not canonicalise the request's numbers */
		req_fail(r, STIR_ERR_INVALID_IDENTITY, STIR_VS_STEP_CLAIMS,
			 "the request has no usable calling or called number");
		osmo_timer_schedule(&r->timer, 0, 0);
		return r;
	}

	rc = choose_identity(r, in, &ih, &div_ih);
	if (rc == 0) {
		check_div(r, &div_ih);
		rc = check_request(r, in, &ih);
	}
	if (rc) {
		osmo_timer_schedule(&r->timer, 0, 0);
		return r;
	}
	/* a certificate in the cache, verified a moment ago: the signature
	 * check starts now (on the pool, or inline with the answer from the
	 * loop) rather than after a round trip through the loop */
	r->in_verify = true;
	rc = cert_resolve_x5u_cached(vs->d, r->pp.x5u, r->now, resolved, r);
	r->in_verify = false;
	if (rc == 0)
		return r;
	r->resolve = cert_resolve_x5u(vs->d, r->pp.x5u, r->now, resolved, r);
	if (!r->resolve) {
		talloc_free(r);
		return NULL;
	}
	return r;
}

/*! Drop a request: its callback will not run.  Not from its own callback. */
void stir_vs_cancel(struct stir_vs_req *r)
{
	talloc_free(r);
}

/*! \returns requests not answered yet */
unsigned int stir_vs_pending(const struct stir_vs *vs)
{
	return llist_count(&vs->reqs);
}

const struct stir_vs_stats *stir_vs_stats(const struct stir_vs *vs)
{
	return &vs->stats;
}
