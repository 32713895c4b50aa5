/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz sip/sip_call_info.c: the input is one SIP message as it arrives on
 * the wire.  Sofia's parser (with the extra header classes stiwfd enables
 * for P-Asserted-Identity and Privacy, sip_agent.c) takes it first, as
 * nta does for a datagram; when it yields a whole request,
 * sip_call_info_extract() takes out what the IWF needs, and each field it
 * fills must be within bounds.  This harness belongs to sip/ (it includes
 * Sofia headers) and is registered in tests/sip/Makefile.inc. */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include <sofia-sip/msg.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/sip_extra.h>
#include <sofia-sip/sip_header.h>

#include "sip/identity.h"
#include "sip/sip_call_internal.h"
#include "src/core/logging.h"

/* nta gives each message a size limit before it parses; without one a
 * Content-Length of 4 GB makes Sofia allocate that much for the body. */
#define SIPMSG_MAXSIZE		65536

/* the source address the harness gives a message of odd or even size */
#define PEER6_ADDR	"2001:db8::1"
#define PEER6_PORT	5060
#define PEER4_ADDR	"192.0.2.1"
#define PEER4_PORT	5062

#define PRIV_ALL	(SIP_CALL_PRIV_NONE | SIP_CALL_PRIV_HEADER | SIP_CALL_PRIV_SESSION | \
			 SIP_CALL_PRIV_USER | SIP_CALL_PRIV_ID | SIP_CALL_PRIV_CRITICAL)

static void check_str(const char *s, size_t size)
{
	if (strnlen(s, size) >= size)
		abort();
}

static void check_addr(const struct sip_call_addr *a, bool required)
{
	size_t n;

	if (!a->present) {
		if (required || a->uri[0] || a->user[0] || a->host[0] || a->scheme[0] || a->display[0])
			abort();
		return;
	}
	check_str(a->display, sizeof(a->display));
	check_str(a->uri, sizeof(a->uri));
	check_str(a->scheme, sizeof(a->scheme));
	check_str(a->user, sizeof(a->user));
	check_str(a->host, sizeof(a->host));
	if (strcmp(a->scheme, "sip") && strcmp(a->scheme, "sips") && strcmp(a->scheme, "tel"))
		abort();
	/* the URI keeps its scheme as written: schemes are case-insensitive
	 * (RFC 3261 §19.1.4) */
	n = strlen(a->scheme);
	if (strncasecmp(a->uri, a->scheme, n) || a->uri[n] != ':')
		abort();
	/* a tel URI has no host (RFC 3966 §3) */
	if (!strcmp(a->scheme, "tel") && a->host[0])
		abort();
}

/* A whole request from Sofia, as nta builds it from a datagram. */
static msg_t *sipmsg_parse(msg_mclass_t const *mclass, const uint8_t *data, size_t size)
{
	msg_iovec_t iov[2];
	su_sockaddr_t su;
	msg_t *msg;

	msg = msg_create(mclass, 0);
	if (!msg)
		abort();
	msg_maxsize(msg, SIPMSG_MAXSIZE);
	if (msg_recv_iovec(msg, iov, 2, size, 1) < 0 || iov[0].mv_len != size)
		goto refused;
	memcpy(iov[0].mv_base, data, size);
	msg_recv_commit(msg, size, 1);
	/* 1: complete; 0: a body shorter than its Content-Length; -1: error */
	if (msg_extract(msg) != 1 || msg_has_error(msg) || !sip_object(msg) ||
	    !sip_object(msg)->sip_request)
		goto refused;

	/* a source address of either family, for peer_collect() */
	memset(&su, 0, sizeof(su));
	if (size & 1) {
		su.su_sin6.sin6_family = AF_INET6;
		su.su_sin6.sin6_port = htons(PEER6_PORT);
		inet_pton(AF_INET6, PEER6_ADDR, &su.su_sin6.sin6_addr);
		msg_set_address(msg, &su, sizeof(su.su_sin6));
	} else {
		su.su_sin.sin_family = AF_INET;
		su.su_sin.sin_port = htons(PEER4_PORT);
		inet_pton(AF_INET, PEER4_ADDR, &su.su_sin.sin_addr);
		msg_set_address(msg, &su, sizeof(su.su_sin));
	}
	return msg;
refused:
	msg_destroy(msg);
	return NULL;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static bool is_identity(const sip_unknown_t *un)
{
	return un->un_name && (!strcasecmp(un->un_name, "Identity") || !strcasecmp(un->un_name, "y"));
}

/* What was taken is what Sofia parsed, bounded. */
static void check_info(void *ctx, const struct sip_call_info *info, const sip_t *sip, size_t size)
{
	const sip_unknown_t *un;
	unsigned int i, n;

	check_str(info->call_id, sizeof(info->call_id));
	if (strcmp(info->call_id, sip->sip_call_id->i_id))
		abort();
	check_str(info->ruri_user, sizeof(info->ruri_user));
	check_str(info->ruri_host, sizeof(info->ruri_host));
	if (strcmp(info->ruri_user, or_empty(sip->sip_request->rq_url->url_user)))
		abort();
	check_addr(&info->from, true);
	check_addr(&info->to, true);
	check_addr(&info->pai, false);
	if (strcmp(info->from.user, or_empty(sip->sip_from->a_url->url_user)) ||
	    strcmp(info->to.user, or_empty(sip->sip_to->a_url->url_user)))
		abort();
	/* every Identity header is kept, in order, or counted as dropped */
	n = 0;
	for (un = sip->sip_unknown; un; un = un->un_next) {
		if (!is_identity(un))
			continue;
		if (n < info->n_identity && strcmp(info->identity[n], un->un_value))
			abort();
		n++;
	}
	if (n != info->n_identity + info->n_identity_dropped)
		abort();
	if (info->privacy & ~PRIV_ALL)
		abort();
	if (info->n_identity > SIP_CALL_IDENTITY_MAX ||
	    (info->n_identity_dropped && info->n_identity != SIP_CALL_IDENTITY_MAX))
		abort();
	for (i = 0; i < SIP_CALL_IDENTITY_MAX; i++) {
		size_t n;

		if (i >= info->n_identity) {
			if (info->identity[i])
				abort();
			continue;
		}
		if (!info->identity[i] || talloc_parent(info->identity[i]) != ctx)
			abort();
		n = strlen(info->identity[i]);
		if (n == 0 || n > IDENTITY_HDR_MAX)
			abort();
	}
	if (info->max_forwards != -1 && (info->max_forwards < 1 || info->max_forwards > 255))
		abort();
	if (!info->sdp) {
		if (info->sdp_len)
			abort();
	} else if (info->sdp_len == 0 || info->sdp_len > SIP_CALL_SDP_MAX ||
		   strlen(info->sdp) != info->sdp_len || talloc_parent(info->sdp) != ctx ||
		   !sip->sip_payload || sip->sip_payload->pl_len != info->sdp_len ||
		   memcmp(info->sdp, sip->sip_payload->pl_data, info->sdp_len)) {
		abort();
	}
	/* the proxy's headers (sip_call_info_trust_headers()): each name
	 * once, bounded, a valid one as it came */
	if (info->n_trusted > SIP_CALL_TRUSTED_HDR_MAX)
		abort();
	for (i = 0; i < info->n_trusted; i++) {
		check_str(info->trusted[i].name, sizeof(info->trusted[i].name));
		check_str(info->trusted[i].value, sizeof(info->trusted[i].value));
		if (strcasecmp(info->trusted[i].name, "X-Carrier") && strcasecmp(info->trusted[i].name, "X-Trunk"))
			abort();
		if (!info->trusted[i].invalid && !info->trusted[i].value[0])
			abort();
		for (n = 0; n < i; n++) {
			if (!strcasecmp(info->trusted[n].name, info->trusted[i].name))
				abort();
		}
	}
	check_str(info->peer_addr, sizeof(info->peer_addr));
	if (strcmp(info->peer_addr, size & 1 ? PEER6_ADDR : PEER4_ADDR) ||
	    info->peer_port != (size & 1 ? PEER6_PORT : PEER4_PORT))
		abort();
}

static void check_reject(const struct sip_call_reject *rej)
{
	switch (rej->status) {
	case 400:	/* what we cannot carry */
	case 413:	/* SDP too long */
	case 415:	/* not application/sdp */
	case 416:	/* Request-URI scheme */
	case 483:	/* Max-Forwards 0 */
	case 500:	/* out of memory */
		break;
	default:
		abort();
	}
	if (rej->phrase && !rej->phrase[0])
		abort();
	check_str(rej->warning, sizeof(rej->warning));
	if (!rej->warning[0])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const trusted[] = { "X-Carrier", "X-Trunk" };
	static msg_mclass_t *mclass;
	struct sip_call_reject rej;
	struct sip_call_info info;
	unsigned int i;
	msg_t *msg;
	void *ctx;
	int rc;

	if (!mclass) {
		/* categories, no targets: LOGP costs nothing */
		log_init(&stiwf_log_info, NULL);
		/* P-Asserted-Identity and Privacy, as sip_agent.c has it */
		mclass = sip_extend_mclass(NULL);
		if (!mclass)
			abort();
		/* as stiwfd with via-proxy peers has it */
		if (sip_call_info_trust_headers(trusted, 2) < 0)
			abort();
	}
	if (size == 0)
		return 0;
	msg = sipmsg_parse(mclass, data, size);
	if (!msg)
		return 0;

	/* a context per input, so a leak on any path shows */
	ctx = talloc_named_const(NULL, 0, "sipmsg_fuzzer");
	if (!ctx)
		abort();
	rc = sip_call_info_extract(ctx, &info, msg, sip_object(msg), &rej);
	if (rc == 0)
		check_info(ctx, &info, sip_object(msg), size);
	else if (rc == -EBADMSG)
		check_reject(&rej);
	else
		abort();

	/* what it allocated, refused or not, is what info points to */
	for (i = 0; i < info.n_identity && i < SIP_CALL_IDENTITY_MAX; i++)
		talloc_free(info.identity[i]);
	talloc_free(info.sdp);
	if (talloc_total_blocks(ctx) != 1)
		abort();
	talloc_free(ctx);
	msg_destroy(msg);
	return 0;
}
