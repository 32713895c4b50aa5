/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the IWF needs of an incoming INVITE, taken from Sofia's parsed
 * message into fixed-size fields.  Sofia's parser has already refused what
 * it cannot parse (nta answers "400 Bad <Name> Header" for a header in its
 * error list, "400 Bad Request" when Via, From, To, Call-ID or CSeq is
 * missing, RFC 3261 §8.1.1); here we refuse what Sofia accepts but we cannot
 * carry: URI schemes, lengths, bodies, Max-Forwards 0. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <sofia-sip/msg.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/sip_extra.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_time.h>
#include <sofia-sip/url.h>

#include <osmocom/core/talloc.h>

#include "sip/identity.h"
#include "sip/sip_call_internal.h"
#include "src/core/logging.h"

static int reject(struct sip_call_reject *rej, int status, const char *phrase, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int reject(struct sip_call_reject *rej, int status, const char *phrase, const char *fmt, ...)
{
	va_list ap;

	rej->status = status;
	rej->phrase = phrase;
	va_start(ap, fmt);
	vsnprintf(rej->warning, sizeof(rej->warning), fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

/* Copy a NUL-terminated string into a fixed field. \returns 0 or -ENOSPC */
static int copy_bounded(char *dst, size_t size, const char *src)
{
	size_t len = src ? strlen(src) : 0;

	if (len >= size)
		return -ENOSPC;
	if (len)
		memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

static const char *call_url_scheme(const url_t *url)
{
	switch (url->url_type) {
	case url_sip:
		return "sip";
	case url_sips:
		return "sips";
	case url_tel:
		return "tel";
	default:
		return NULL;
	}
}

/* Fill a from a display name and URL; hname names the header in the
 * Warning of a refusal. */
static int addr_fill(struct sip_call_addr *a, const char *display, const url_t *url, const char *hname,
		     struct sip_call_reject *rej)
{
	const char *scheme = call_url_scheme(url);
	const char *user;
	size_t dlen;
	isize_t n;

	if (!scheme)
		return reject(rej, 400, NULL, "%s: URI scheme is not sip, sips or tel", hname);
	snprintf(a->scheme, sizeof(a->scheme), "%s", scheme);

	/* A tel URI's number (RFC 3966 §3) is Sofia's url_user; it has no host. */
	user = url->url_user;
	if (copy_bounded(a->user, sizeof(a->user), user) < 0)
		return reject(rej, 400, NULL, "%s: user part longer than %u octets", hname,
			      SIP_CALL_USER_MAX - 1);
	if (url->url_type != url_tel &&
	    copy_bounded(a->host, sizeof(a->host), url->url_host) < 0)
		return reject(rej, 400, NULL, "%s: host longer than %u octets", hname,
			      SIP_CALL_HOST_MAX - 1);

	n = url_e(a->uri, sizeof(a->uri), url);
	if (n < 0 || (size_t)n >= sizeof(a->uri))
		return reject(rej, 400, NULL, "%s: URI longer than %u octets", hname, SIP_CALL_URI_MAX - 1);

	if (display) {
		/* a quoted-string loses its quotes (RFC 3261 §25.1) */
		dlen = strlen(display);
		if (dlen >= 2 && display[0] == '"' && display[dlen - 1] == '"') {
			display++;
			dlen -= 2;
		}
		if (dlen >= sizeof(a->display))
			return reject(rej, 400, NULL, "%s: display name longer than %u octets", hname,
				      SIP_CALL_DISPLAY_MAX - 1);
		memcpy(a->display, display, dlen);
		a->display[dlen] = '\0';
	}
	a->present = true;
	return 0;
}

static const struct {
	const char *token;
	unsigned int bit;
} privacy_tokens[] = {
	{ "none", SIP_CALL_PRIV_NONE },
	{ "header", SIP_CALL_PRIV_HEADER },
	{ "session", SIP_CALL_PRIV_SESSION },
	{ "user", SIP_CALL_PRIV_USER },
	{ "id", SIP_CALL_PRIV_ID },		/* RFC 3325 §9.3 */
	{ "critical", SIP_CALL_PRIV_CRITICAL },
};

static unsigned int privacy_parse(const sip_privacy_t *priv)
{
	unsigned int bits = 0, i, j;

	for (; priv; priv = (const sip_privacy_t *)priv->priv_common->h_succ) {
		if (priv->priv_common->h_class != sip_privacy_class || !priv->priv_values)
			break;
		for (i = 0; priv->priv_values[i]; i++) {
			/* unknown priv-values are ignored (RFC 3323 §4.2) */
			for (j = 0; j < ARRAY_SIZE(privacy_tokens); j++)
				if (!strcasecmp(priv->priv_values[i], privacy_tokens[j].token))
					bits |= privacy_tokens[j].bit;
		}
	}
	return bits;
}

static bool is_identity_name(const char *name)
{
	/* "y" is the compact form registered by RFC 4474 and kept by RFC 8224 */
	return name && (!strcasecmp(name, "Identity") || !strcasecmp(name, "y"));
}

static int identity_collect(void *ctx, struct sip_call_info *info, const sip_t *sip,
			    struct sip_call_reject *rej)
{
	const sip_unknown_t *un;
	size_t len;

	for (un = sip->sip_unknown; un; un = un->un_next) {
		if (!is_identity_name(un->un_name))
			continue;
		len = un->un_value ? strlen(un->un_value) : 0;
		if (len == 0)
			return reject(rej, 400, "Bad Identity Header", "Identity: empty value");
		if (len > IDENTITY_HDR_MAX)
			return reject(rej, 400, "Bad Identity Header",
				      "Identity: value of %zu octets, more than %u", len, IDENTITY_HDR_MAX);
		if (info->n_identity == SIP_CALL_IDENTITY_MAX) {
			info->n_identity_dropped++;
			continue;
		}
		info->identity[info->n_identity] = talloc_strndup(ctx, un->un_value, len);
		if (!info->identity[info->n_identity])
			return reject(rej, 500, NULL, "out of memory");
		info->n_identity++;
	}
	return 0;
}

static int sdp_collect(void *ctx, struct sip_call_info *info, const sip_t *sip, struct sip_call_reject *rej)
{
	const sip_payload_t *pl = sip->sip_payload;
	const sip_content_type_t *ct = sip->sip_content_type;

	if (!pl || pl->pl_len == 0)
		return 0;	/* offer in the 200, answer in the ACK (RFC 3261 §13.2.1) */
	/* Multipart bodies (SIP-I, RFC 3204) are not carried. */
	if (!ct || !ct->c_type || strcasecmp(ct->c_type, "application/sdp"))
		return reject(rej, 415, NULL, "Content-Type: only application/sdp is accepted");
	if (pl->pl_len > SIP_CALL_SDP_MAX)
		return reject(rej, 413, NULL, "body: SDP of %u octets, more than %u",
			      (unsigned int)pl->pl_len, SIP_CALL_SDP_MAX);
	if (memchr(pl->pl_data, '\0', pl->pl_len))
		return reject(rej, 400, "Bad Message Body", "body: NUL octet in the SDP");
	info->sdp = talloc_strndup(ctx, pl->pl_data, pl->pl_len);
	if (!info->sdp)
		return reject(rej, 500, NULL, "out of memory");
	info->sdp_len = pl->pl_len;
	return 0;
}

static void peer_collect(struct sip_call_info *info, msg_t *msg)
{
	su_addrinfo_t *ai = msg ? msg_addrinfo(msg) : NULL;
	const struct sockaddr *sa;

	if (!ai || !ai->ai_addr || ai->ai_addrlen == 0)
		return;
	/* Sofia gives a message the protocol of the socket it came on: UDP
	 * or TCP, TLS included (RFC 3261 §18) */
	info->stream = ai->ai_protocol == IPPROTO_TCP;
	sa = (const struct sockaddr *)ai->ai_addr;
	if (sa->sa_family == AF_INET && ai->ai_addrlen >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ai->ai_addr;

		inet_ntop(AF_INET, &sin->sin_addr, info->peer_addr, sizeof(info->peer_addr));
		info->peer_port = ntohs(sin->sin_port);
	} else if (sa->sa_family == AF_INET6 && ai->ai_addrlen >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ai->ai_addr;

		inet_ntop(AF_INET6, &sin6->sin6_addr, info->peer_addr, sizeof(info->peer_addr));
		info->peer_port = ntohs(sin6->sin6_port);
	}
}

/* sip_call_info_trust_headers() */
static char trusted_names[SIP_CALL_TRUSTED_HDR_MAX][SIP_CALL_TRUSTED_NAME_MAX + 1];
static unsigned int n_trusted_names;

int sip_call_info_trust_headers(const char *const *names, unsigned int n)
{
	unsigned int i;

	if (n > SIP_CALL_TRUSTED_HDR_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!names[i][0] || strlen(names[i]) > SIP_CALL_TRUSTED_NAME_MAX)
			return -EINVAL;
	}
	for (i = 0; i < n; i++)
		OSMO_STRLCPY_ARRAY(trusted_names[i], names[i]);
	n_trusted_names = n;
	return 0;
}

const char *sip_call_info_trusted(const struct sip_call_info *info, const char *name)
{
	unsigned int i;

	for (i = 0; i < info->n_trusted; i++) {
		if (!strcasecmp(info->trusted[i].name, name))
			return info->trusted[i].invalid ? NULL : info->trusted[i].value;
	}
	return NULL;
}

/* The headers a proxy sets (sip_call_info_trust_headers()): each once,
 * its value bounded; a second one makes it name nobody. */
static void trusted_collect(struct sip_call_info *info, const sip_t *sip)
{
	const sip_unknown_t *un;
	struct sip_call_trusted_hdr *h;
	unsigned int i, k;
	size_t len;

	for (un = sip->sip_unknown; un; un = un->un_next) {
		if (!un->un_name)
			continue;
		for (k = 0; k < n_trusted_names; k++) {
			if (!strcasecmp(un->un_name, trusted_names[k]))
				break;
		}
		if (k == n_trusted_names)
			continue;
		h = NULL;
		for (i = 0; i < info->n_trusted; i++) {
			if (!strcasecmp(info->trusted[i].name, trusted_names[k]))
				h = &info->trusted[i];
		}
		if (h) {
			h->invalid = true;
			continue;
		}
		h = &info->trusted[info->n_trusted++];
		OSMO_STRLCPY_ARRAY(h->name, trusted_names[k]);
		len = un->un_value ? strlen(un->un_value) : 0;
		if (!len || len > SIP_CALL_TRUSTED_VALUE_MAX) {
			h->invalid = true;
			continue;
		}
		memcpy(h->value, un->un_value, len);
		h->value[len] = '\0';
	}
}

/* Diversion (RFC 5806) when one came, else History-Info (RFC 7044; its
 * headers are one list, RFC 3261 §7.3.1).  These only inform the far side
 * (ISUP redirection): a malformed one is dropped with a log line, the call
 * goes on. */
static void divert_collect(struct sip_call_info *info, const sip_t *sip)
{
	char hi[SIP_DIVERT_HDR_MAX];
	const sip_unknown_t *un;
	size_t hi_len = 0;
	bool hi_bad = false, div_seen = false;

	memset(&info->divert, 0, sizeof(info->divert));
	for (un = sip->sip_unknown; un; un = un->un_next) {
		size_t len;

		if (!un->un_name || !un->un_value)
			continue;
		len = strlen(un->un_value);
		if (!strcasecmp(un->un_name, "Diversion")) {
			div_seen = true;
			if (sip_diversion_parse(&info->divert, un->un_value, len) < 0) {
				LOGP(DSIP, LOGL_NOTICE, "INVITE %s: Diversion header ignored\n", info->call_id);
				memset(&info->divert, 0, sizeof(info->divert));
				return;
			}
		} else if (!strcasecmp(un->un_name, "History-Info") && !hi_bad) {
			if (len + 1 > sizeof(hi) - hi_len) {
				hi_bad = true;
				continue;
			}
			if (hi_len)
				hi[hi_len++] = ',';
			memcpy(hi + hi_len, un->un_value, len);
			hi_len += len;
		}
	}
	if (div_seen || !hi_len)
		return;
	if (hi_bad) {
		LOGP(DSIP, LOGL_NOTICE, "INVITE %s: History-Info: longer than %u octets, ignored\n", info->call_id,
		     SIP_DIVERT_HDR_MAX);
		return;
	}
	if (sip_history_info_parse(&info->divert, hi, hi_len) < 0) {
		LOGP(DSIP, LOGL_NOTICE, "INVITE %s: History-Info header ignored\n", info->call_id);
		memset(&info->divert, 0, sizeof(info->divert));
	}
}

int sip_call_info_extract(void *ctx, struct sip_call_info *info, msg_t *msg, const sip_t *sip,
			  struct sip_call_reject *rej)
{
	const sip_p_asserted_identity_t *paid;
	const url_t *ruri;
	int rc;

	memset(info, 0, sizeof(*info));
	memset(rej, 0, sizeof(*rej));
	info->max_forwards = -1;

	/* Sofia's nta refuses these before us; checked again so that this
	 * function is safe on any parsed message. */
	if (!sip || !sip->sip_request)
		return reject(rej, 400, NULL, "not a request");
	if (!sip->sip_from)
		return reject(rej, 400, "Missing From Header", "From: missing");
	if (!sip->sip_to)
		return reject(rej, 400, "Missing To Header", "To: missing");
	if (!sip->sip_call_id || !sip->sip_call_id->i_id)
		return reject(rej, 400, "Missing Call-ID Header", "Call-ID: missing");

	if (copy_bounded(info->call_id, sizeof(info->call_id), sip->sip_call_id->i_id) < 0)
		return reject(rej, 400, "Bad Call-ID Header", "Call-ID: longer than %u octets",
			      SIP_CALL_CALLID_MAX - 1);

	/* RFC 3261 §8.2.2.1: a scheme we do not understand gets 416 */
	ruri = sip->sip_request->rq_url;
	if (!call_url_scheme(ruri))
		return reject(rej, 416, NULL, "Request-URI: scheme is not sip, sips or tel");
	if (copy_bounded(info->ruri_user, sizeof(info->ruri_user), ruri->url_user) < 0)
		return reject(rej, 400, "Bad Request-URI", "Request-URI: user part longer than %u octets",
			      SIP_CALL_USER_MAX - 1);
	if (ruri->url_type != url_tel &&
	    copy_bounded(info->ruri_host, sizeof(info->ruri_host), ruri->url_host) < 0)
		return reject(rej, 400, "Bad Request-URI", "Request-URI: host longer than %u octets",
			      SIP_CALL_HOST_MAX - 1);

	rc = addr_fill(&info->from, sip->sip_from->a_display, sip->sip_from->a_url, "From", rej);
	if (rc < 0) {
		rej->phrase = rej->status == 400 ? "Bad From Header" : rej->phrase;
		return rc;
	}
	rc = addr_fill(&info->to, sip->sip_to->a_display, sip->sip_to->a_url, "To", rej);
	if (rc < 0) {
		rej->phrase = rej->status == 400 ? "Bad To Header" : rej->phrase;
		return rc;
	}

	/* RFC 3325 §9.1: at most one sip/sips and one tel URI; the first one
	 * of either kind is the asserted identity we carry. */
	for (paid = sip_p_asserted_identity(sip); paid; paid = paid->paid_next) {
		if (!call_url_scheme(paid->paid_url))
			continue;
		rc = addr_fill(&info->pai, paid->paid_display, paid->paid_url, "P-Asserted-Identity", rej);
		if (rc < 0) {
			rej->phrase = "Bad P-Asserted-Identity Header";
			return rc;
		}
		break;
	}

	info->privacy = privacy_parse(sip->sip_privacy);

	rc = identity_collect(ctx, info, sip, rej);
	if (rc < 0)
		return rc;
	trusted_collect(info, sip);
	divert_collect(info, sip);

	if (sip->sip_date) {
		if (sip->sip_date->d_time < SU_TIME_EPOCH)
			return reject(rej, 400, "Bad Date Header", "Date: before 1970");
		info->date = (time_t)(sip->sip_date->d_time - SU_TIME_EPOCH);
		info->has_date = true;
	}

	if (sip->sip_max_forwards) {
		/* RFC 3261 §16.3 item 2: we would forward it, so 0 means a loop */
		if (sip->sip_max_forwards->mf_count == 0)
			return reject(rej, 483, NULL, "Max-Forwards: 0");
		info->max_forwards = sip->sip_max_forwards->mf_count > 255 ?
			255 : (int)sip->sip_max_forwards->mf_count;
	}

	rc = sdp_collect(ctx, info, sip, rej);
	if (rc < 0)
		return rc;

	peer_collect(info, msg);
	return 0;
}

int sip_call_info_parse(void *ctx, struct sip_call_info *info, const char *text, size_t len, int *status)
{
	static msg_mclass_t *mclass;
	struct sip_call_reject rej;
	msg_t *msg;
	sip_t *sip;
	int rc;

	*status = 0;
	memset(info, 0, sizeof(*info));
	if (!text || len == 0 || len > SIP_CALL_SDP_MAX + 16384) {
		*status = 400;
		return -EBADMSG;
	}
	/* as nta parses a datagram: the whole message at once, with the
	 * classes the agent puts in Sofia's default (P-Asserted-Identity,
	 * Privacy; Identity stays an unknown header) */
	if (!mclass)
		mclass = sip_extend_mclass(NULL);
	if (!mclass)
		return -ENOMEM;
	msg = msg_make(mclass, 0, text, (isize_t)len);
	if (!msg)
		return -ENOMEM;
	sip = sip_object(msg);
	if (!sip || sip->sip_error || !sip->sip_via || !sip->sip_cseq) {
		*status = 400;
		rc = -EBADMSG;
		goto out;
	}
	rc = sip_call_info_extract(ctx, info, msg, sip, &rej);
	if (rc < 0)
		*status = rej.status;
out:
	msg_destroy(msg);
	return rc;
}
