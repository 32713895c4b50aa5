/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SIP call legs of the B2BUA on Sofia-SIP nua.
 *
 * nua runs with its media layer off (NUTAG_MEDIA_ENABLE(0)): SDP passes
 * through as opaque bodies, the IWF supplies the trunk's SDP.  nua itself
 * sends 100 Trying, answers CANCEL with 200 and the INVITE with 487
 * (RFC 3261 §9.2), answers BYE with 200 (§15.1.2), ACKs 2xx of our INVITEs
 * (§13.2.2.4) and answers a BYE or CANCEL outside any dialog with 481
 * (§12.2.2).  What it leaves to us: accept or refuse each INVITE, the
 * provisional and final responses, re-INVITEs, and ending a leg. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include <sofia-sip/msg_header.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/url.h>

#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "sip/identity.h"
#include "sip/sdp_dir.h"
#include "sip/sip_call_internal.h"
#include "src/core/evloop.h"
#include "src/core/logging.h"

const struct value_string sip_call_dir_names[] = {
	{ SIP_CALL_DIR_IN, "in" },
	{ SIP_CALL_DIR_OUT, "out" },
	{ 0, NULL }
};

const struct value_string sip_call_state_names[] = {
	{ SIP_CALL_ST_INIT, "INIT" },
	{ SIP_CALL_ST_EARLY, "EARLY" },
	{ SIP_CALL_ST_ANSWERED, "ANSWERED" },
	{ SIP_CALL_ST_CONFIRMED, "CONFIRMED" },
	{ SIP_CALL_ST_RELEASING, "RELEASING" },
	{ SIP_CALL_ST_TERMINATED, "TERMINATED" },
	{ 0, NULL }
};

const struct value_string sip_call_release_cause_names[] = {
	{ SIP_CALL_REL_BYE, "BYE" },
	{ SIP_CALL_REL_CANCEL, "CANCEL" },
	{ SIP_CALL_REL_ERROR, "error" },
	{ SIP_CALL_REL_SHUTDOWN, "shutdown" },
	{ SIP_CALL_REL_ADMIN, "cleared" },
	{ 0, NULL }
};

#define LOGCALL(call, lvl, fmt, args...) \
	LOGP(DSIP, lvl, "call %s (%s): " fmt, (call)->call_id, \
	     get_value_string(sip_call_dir_names, (call)->dir), ## args)

static void call_set_state(struct sip_call *call, enum sip_call_state st)
{
	if (call->state == st)
		return;
	LOGCALL(call, LOGL_DEBUG, "%s -> %s\n", get_value_string(sip_call_state_names, call->state),
		get_value_string(sip_call_state_names, st));
	call->state = st;
}

static int sip_call_talloc_destructor(struct sip_call *call)
{
	llist_del(&call->entry);
	if (call->nh) {
		nua_handle_bind(call->nh, NULL);
		nua_handle_destroy(call->nh);
		call->nh = NULL;
	}
	return 0;
}

static struct sip_call *call_alloc(struct stiwf_sip_agent *agent, enum sip_call_dir dir)
{
	struct sip_call *call = talloc_zero(agent, struct sip_call);

	if (!call)
		return NULL;
	call->agent = agent;
	call->dir = dir;
	call->state = SIP_CALL_ST_INIT;
	call->start = stiwf_evloop_time();
	INIT_LLIST_HEAD(&call->entry);
	llist_add_tail(&call->entry, &agent->calls);
	talloc_set_destructor(call, sip_call_talloc_destructor);
	return call;
}

static void call_count_final(struct stiwf_sip_agent *agent, int status)
{
	if (status >= 600)
		sip_agent_ctr_inc(agent, SIP_CTR_CALL_FAILED_6XX);
	else if (status >= 500)
		sip_agent_ctr_inc(agent, SIP_CTR_CALL_FAILED_5XX);
	else if (status >= 400)
		sip_agent_ctr_inc(agent, SIP_CTR_CALL_FAILED_4XX);
	else if (status >= 300)
		sip_agent_ctr_inc(agent, SIP_CTR_CALL_FAILED_3XX);
}

/* The owner hears of the end once, and never after it let go itself. */
static bool call_owner_listens(const struct sip_call *call)
{
	return !call->owner_gone && !call->notified && call->agent->call_ops;
}

static void call_notify_released(struct sip_call *call, enum sip_call_release_cause cause, const char *reason)
{
	const struct sip_call_ops *ops = call->agent->call_ops;

	if (!call_owner_listens(call))
		return;
	call->notified = true;
	if (ops->released)
		ops->released(call, cause, reason, call->priv);
}

/* The Reason header of a request or response as text, or NULL. */
static const char *reason_str(const sip_t *sip, char *buf, size_t len)
{
	issize_t n;

	if (!sip || !sip->sip_reason)
		return NULL;
	n = sip_header_field_e(buf, len, (const sip_header_t *)sip->sip_reason, 0);
	if (n <= 0 || (size_t)n >= len)
		return NULL;
	return buf;
}

/* The body of a message as a string when it is SDP, else NULL. */
static const char *sdp_str(void *ctx, const sip_t *sip)
{
	if (!sip || !sip->sip_payload || sip->sip_payload->pl_len == 0)
		return NULL;
	if (sip->sip_payload->pl_len > SIP_CALL_SDP_MAX)
		return NULL;
	if (!sip->sip_content_type || !sip->sip_content_type->c_type ||
	    strcasecmp(sip->sip_content_type->c_type, "application/sdp"))
		return NULL;
	return talloc_strndup(ctx, sip->sip_payload->pl_data, sip->sip_payload->pl_len);
}

static int call_set_remote_sdp(struct sip_call *call, const char *sdp)
{
	int rc = sdp_dir_shape(sdp, strlen(sdp), &call->remote_sdp);

	call->has_remote_sdp = rc == 0;
	return rc;
}

/* Our SDP in force: the first, or the one a hold changed. */
static const char *call_cur_sdp(const struct sip_call *call)
{
	return call->cur_sdp ? call->cur_sdp : call->local_sdp;
}

static bool sdp_ok(const char *sdp)
{
	return sdp && sdp[0] && strlen(sdp) <= SIP_CALL_SDP_MAX;
}

/* A header value we put on the wire: bounded, one line. */
static bool hdr_value_ok(const char *v, size_t max)
{
	size_t len;

	if (!v)
		return true;
	len = strlen(v);
	return len > 0 && len <= max && !strpbrk(v, "\r\n");
}

static void call_note_identities(struct sip_call *call, const struct sip_call_info *info)
{
	struct identity_hdr ih;
	unsigned int i;
	size_t off = 0;
	int n;

	call->identity_summary[0] = '\0';
	for (i = 0; i < info->n_identity; i++) {
		const char *ppt = "?";
		char pbuf[16];

		if (identity_hdr_parse(&ih, info->identity[i], strlen(info->identity[i])) == 0) {
			if (!ih.ppt.ptr)
				ppt = "none";
			else if (ih.ppt.len < sizeof(pbuf)) {
				memcpy(pbuf, ih.ppt.ptr, ih.ppt.len);
				pbuf[ih.ppt.len] = '\0';
				ppt = pbuf;
			}
		}
		LOGCALL(call, LOGL_INFO, "Identity %u/%u: ppt=%s, %zu octets\n", i + 1, info->n_identity, ppt,
			strlen(info->identity[i]));
		LOGCALL(call, LOGL_DEBUG, "Identity %u: %s\n", i + 1, info->identity[i]);
		n = snprintf(call->identity_summary + off, sizeof(call->identity_summary) - off, "%s%s",
			     i ? "," : "", ppt);
		if (n < 0 || (size_t)n >= sizeof(call->identity_summary) - off)
			break;
		off += n;
	}
	if (info->n_identity_dropped)
		LOGCALL(call, LOGL_NOTICE, "%u Identity headers beyond the first %u ignored\n",
			info->n_identity_dropped, SIP_CALL_IDENTITY_MAX);
}

/* A new INVITE: a leg, the owner's decision, or our refusal. */
static void call_rx_invite(struct stiwf_sip_agent *agent, nua_handle_t *nh, const sip_t *sip)
{
	const struct sip_call_ops *ops = agent->call_ops;
	struct sip_call_info info;
	struct sip_call_reject rej;
	struct sip_call *call;
	void *tmp;
	char warn[SIP_CALL_REASON_MAX + 32];
	int rc;

	sip_agent_ctr_inc(agent, SIP_CTR_RX_INVITE);
	call = call_alloc(agent, SIP_CALL_DIR_IN);
	tmp = call ? talloc_new(call) : NULL;
	if (!tmp) {
		LOGP(DSIP, LOGL_ERROR, "INVITE: out of memory\n");
		talloc_free(call);
		nua_respond(nh, SIP_500_INTERNAL_SERVER_ERROR, TAG_END());
		/* the handle goes with nua_i_state/terminated */
		return;
	}
	call->nh = nh;
	nua_handle_bind(nh, call);
	snprintf(call->call_id, sizeof(call->call_id), "%s",
		 sip && sip->sip_call_id && sip->sip_call_id->i_id ? sip->sip_call_id->i_id : "?");

	rc = sip_call_info_extract(tmp, &info, nua_current_request(agent->nua), sip, &rej);
	if (rc < 0) {
		sip_agent_ctr_inc(agent, SIP_CTR_RX_BAD_INVITE);
		call_count_final(agent, rej.status);
		LOGCALL(call, LOGL_NOTICE, "INVITE refused with %d: %s\n", rej.status, rej.warning);
		snprintf(warn, sizeof(warn), "399 stiwfd \"%s\"", rej.warning);
		call->owner_gone = true;
		call_set_state(call, SIP_CALL_ST_RELEASING);
		nua_respond(nh, rej.status, rej.phrase ? rej.phrase : sip_status_phrase(rej.status),
			    SIPTAG_WARNING_STR(warn), TAG_END());
		talloc_free(tmp);
		return;
	}
	snprintf(call->calling, sizeof(call->calling), "%s", info.pai.present ? info.pai.user : info.from.user);
	snprintf(call->called, sizeof(call->called), "%s", info.ruri_user);
	LOGCALL(call, LOGL_INFO, "INVITE %s -> %s from %s:%u, %u Identity header(s)\n", info.from.uri,
		info.ruri_user, info.peer_addr, info.peer_port, info.n_identity);
	call_note_identities(call, &info);
	if (info.sdp) {
		if (call_set_remote_sdp(call, info.sdp) < 0) {
			call->owner_gone = true;
			call_set_state(call, SIP_CALL_ST_RELEASING);
			nua_respond(nh, SIP_500_INTERNAL_SERVER_ERROR, TAG_END());
			talloc_free(tmp);
			return;
		}
	}
	sip_agent_ctr_inc(agent, SIP_CTR_CALL_IN);

	rc = -ENOTSUP;
	if (ops && ops->incoming)
		rc = ops->incoming(call, &info, agent->call_ops_priv);
	talloc_free(tmp);
	if (rc < 0) {
		sip_agent_ctr_inc(agent, SIP_CTR_TX_REJECT);
		call_count_final(agent, 501);
		LOGCALL(call, LOGL_NOTICE, "INVITE from %s rejected: no call routing is configured\n",
			info.peer_addr[0] ? info.peer_addr : "?");
		call->owner_gone = true;
		call_set_state(call, SIP_CALL_ST_RELEASING);
		nua_respond(nh, SIP_501_NOT_IMPLEMENTED,
			    SIPTAG_WARNING_STR("399 stiwfd \"no call routing is configured\""), TAG_END());
	}
}

/* A re-INVITE in a confirmed dialog.  The media of the ISUP side cannot
 * change, so:
 *  - a session refresh (RFC 4028 §10), an offer that repeats the last one
 *    (its origin version aside), gets our SDP in force again;
 *  - a re-INVITE without a body asks for our offer (RFC 3261 §14.2) and
 *    gets the same;
 *  - an offer that changes only stream directions, hold or resume
 *    (RFC 3264 §8.4, RFC 6337 §5.3), gets our SDP with the mirrored
 *    directions and the next origin version (RFC 3264 §6.1, §8): the
 *    media gateways stop or resume sending, nothing crosses the border;
 *  - any other offer gets 488 (RFC 3261 §21.4.26) with a Warning, which
 *    leaves the session as it was (RFC 3261 §14.2). */
static void call_rx_reinvite(struct sip_call *call, nua_handle_t *nh, const sip_t *sip)
{
	const char *offer = sdp_str(call, sip);
	struct sdp_dir_shape shape;
	char was[64], now[64];
	char *answer;

	if (call->state != SIP_CALL_ST_CONFIRMED || !call->local_sdp) {
		/* RFC 3261 §14.2: a second INVITE while one is pending */
		nua_respond(nh, SIP_491_REQUEST_PENDING, TAG_END());
		talloc_free((char *)offer);
		return;
	}
	if (!offer) {
		LOGCALL(call, LOGL_INFO, "re-INVITE without an offer: 200 with the same SDP\n");
		goto same;
	}
	if (!call->has_remote_sdp || sdp_dir_shape(offer, strlen(offer), &shape) < 0 ||
	    !sdp_dir_same_but_modes(&shape, &call->remote_sdp)) {
		LOGCALL(call, LOGL_NOTICE, "re-INVITE changes the media: 488\n");
		nua_respond(nh, SIP_488_NOT_ACCEPTABLE,
			    SIPTAG_WARNING_STR("399 stiwfd \"media changes are not carried across the SS7 border\""),
			    TAG_END());
		talloc_free((char *)offer);
		return;
	}
	talloc_free((char *)offer);
	if (shape.modes == call->remote_sdp.modes) {
		LOGCALL(call, LOGL_INFO, "re-INVITE with the same offer: 200 with the same SDP\n");
		goto same;
	}
	answer = sdp_dir_answer(call, call->local_sdp, &shape, call->sdp_changes + 1);
	if (!answer) {
		LOGCALL(call, LOGL_NOTICE, "re-INVITE changes stream directions but our SDP's streams "
			"do not pair with the offer's: 488\n");
		nua_respond(nh, SIP_488_NOT_ACCEPTABLE,
			    SIPTAG_WARNING_STR("399 stiwfd \"the offer's streams do not match the session's\""),
			    TAG_END());
		return;
	}
	LOGCALL(call, LOGL_NOTICE, "re-INVITE: streams %s, were %s (%s): 200 with our SDP's directions mirrored\n",
		sdp_dir_modes_str(&shape, now, sizeof(now)), sdp_dir_modes_str(&call->remote_sdp, was, sizeof(was)),
		sdp_dir_on_hold(&shape) ? "hold" : "resume");
	talloc_free(call->cur_sdp);
	call->cur_sdp = answer;
	call->sdp_changes++;
	call->remote_sdp = shape;
	nua_respond(nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR("application/sdp"),
		    SIPTAG_PAYLOAD_STR(call_cur_sdp(call)), TAG_END());
	if (call_owner_listens(call) && call->agent->call_ops->hold)
		call->agent->call_ops->hold(call, sdp_dir_on_hold(&shape), call->priv);
	return;
same:
	nua_respond(nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR("application/sdp"),
		    SIPTAG_PAYLOAD_STR(call_cur_sdp(call)), TAG_END());
}

static void call_rx_response_invite(struct sip_call *call, int status, const char *phrase, const sip_t *sip)
{
	const struct sip_call_ops *ops = call->agent->call_ops;
	char rbuf[SIP_CALL_REASON_MAX];
	const char *sdp;

	if (status < 180)
		return;
	if (call->state == SIP_CALL_ST_CONFIRMED || call->state == SIP_CALL_ST_TERMINATED) {
		/* a session refresh of nua's, or a late response */
		LOGCALL(call, LOGL_DEBUG, "response %d %s in state %s\n", status, phrase ? phrase : "",
			get_value_string(sip_call_state_names, call->state));
		return;
	}
	sdp = sdp_str(call, sip);
	if (status < 200) {
		LOGCALL(call, LOGL_INFO, "%d %s%s\n", status, phrase ? phrase : "", sdp ? " with SDP" : "");
		if (call->state == SIP_CALL_ST_INIT)
			call_set_state(call, SIP_CALL_ST_EARLY);
		if (call_owner_listens(call) && ops->progress)
			ops->progress(call, status, sdp, call->priv);
	} else if (status < 300) {
		LOGCALL(call, LOGL_INFO, "answered %d%s\n", status, sdp ? " with SDP" : "");
		sip_agent_ctr_inc(call->agent, SIP_CTR_CALL_ANSWERED);
		if (call->state != SIP_CALL_ST_RELEASING)
			call_set_state(call, SIP_CALL_ST_CONFIRMED);
		if (sdp)
			call_set_remote_sdp(call, sdp);
		if (call_owner_listens(call) && ops->connected)
			ops->connected(call, sdp, call->priv);
	} else {
		const char *reason = reason_str(sip, rbuf, sizeof(rbuf));

		LOGCALL(call, LOGL_INFO, "failed %d %s%s%s\n", status, phrase ? phrase : "",
			reason ? ", Reason: " : "", reason ? reason : "");
		call_count_final(call->agent, status);
		call_set_state(call, SIP_CALL_ST_RELEASING);
		if (call_owner_listens(call)) {
			call->notified = true;
			if (ops->failed)
				ops->failed(call, status, phrase ? phrase : "", reason, call->priv);
		}
	}
	talloc_free((char *)sdp);
}

bool sip_call_nua_event(struct stiwf_sip_agent *agent, nua_event_t event, int status, char const *phrase,
			nua_handle_t *nh, nua_hmagic_t *hmagic, sip_t const *sip, tagi_t tags[])
{
	struct sip_call *call = (struct sip_call *)hmagic;
	char rbuf[SIP_CALL_REASON_MAX];

	if (event == nua_i_invite && !call) {
		call_rx_invite(agent, nh, sip);
		return true;
	}
	if (!call)
		return false;

	switch (event) {
	case nua_i_invite:
		call_rx_reinvite(call, nh, sip);
		break;
	case nua_i_ack:
		if (call->state == SIP_CALL_ST_ANSWERED) {
			const struct sip_call_ops *ops = agent->call_ops;

			call_set_state(call, SIP_CALL_ST_CONFIRMED);
			LOGCALL(call, LOGL_INFO, "ACK: confirmed\n");
			if (call_owner_listens(call) && ops->connected)
				ops->connected(call, NULL, call->priv);
		}
		break;
	case nua_i_cancel:
		/* nua answers 200 to the CANCEL and 487 to the INVITE */
		sip_agent_ctr_inc(agent, SIP_CTR_RX_CANCEL);
		LOGCALL(call, LOGL_INFO, "CANCEL: INVITE answered 487\n");
		call_set_state(call, SIP_CALL_ST_RELEASING);
		call_notify_released(call, SIP_CALL_REL_CANCEL, reason_str(sip, rbuf, sizeof(rbuf)));
		break;
	case nua_i_bye:
		/* nua answers 200 */
		sip_agent_ctr_inc(agent, SIP_CTR_RX_BYE);
		LOGCALL(call, LOGL_INFO, "BYE received\n");
		call_set_state(call, SIP_CALL_ST_RELEASING);
		call_notify_released(call, SIP_CALL_REL_BYE, reason_str(sip, rbuf, sizeof(rbuf)));
		break;
	case nua_r_invite:
		call_rx_response_invite(call, status, phrase, sip);
		break;
	case nua_i_state: {
		int state = nua_callstate_init;

		tl_gets(tags, NUTAG_CALLSTATE_REF(state), TAG_END());
		if (state != nua_callstate_terminated)
			break;
		if (call_owner_listens(call)) {
			/* neither BYE, CANCEL nor a final response told the
			 * owner: the session was lost (no ACK, 408/481 on a
			 * refresh, transport error) or we are stopping */
			LOGCALL(call, LOGL_NOTICE, "terminated in state %s (%d %s)\n",
				get_value_string(sip_call_state_names, call->state), status,
				phrase ? phrase : "");
			call_notify_released(call, agent->shutting_down ? SIP_CALL_REL_SHUTDOWN :
					     SIP_CALL_REL_ERROR, NULL);
		}
		call->state = SIP_CALL_ST_TERMINATED;
		LOGCALL(call, LOGL_DEBUG, "freed after %ld s\n", (long)(stiwf_evloop_time() - call->start));
		talloc_free(call);
		break;
	}
	case nua_r_bye:
	case nua_r_cancel:
		LOGCALL(call, LOGL_DEBUG, "%s: %d %s\n", nua_event_name(event), status, phrase ? phrase : "");
		break;
	default:
		LOGCALL(call, LOGL_DEBUG, "%s %d %s\n", nua_event_name(event), status, phrase ? phrase : "");
		break;
	}
	return true;
}

void sip_agent_set_call_ops(struct stiwf_sip_agent *agent, const struct sip_call_ops *ops, void *agent_priv)
{
	agent->call_ops = ops;
	agent->call_ops_priv = agent_priv;
}

void sip_call_set_priv(struct sip_call *call, void *priv)
{
	call->priv = priv;
}

int sip_call_ring(struct sip_call *call, int status, const char *sdp)
{
	if (status != 180 && status != 183)
		return -EINVAL;
	if (sdp && !sdp_ok(sdp))
		return -EINVAL;
	if (call->dir != SIP_CALL_DIR_IN ||
	    (call->state != SIP_CALL_ST_INIT && call->state != SIP_CALL_ST_EARLY))
		return -EBUSY;
	call_set_state(call, SIP_CALL_ST_EARLY);
	if (sdp)
		nua_respond(call->nh, status, sip_status_phrase(status),
			    SIPTAG_CONTENT_TYPE_STR("application/sdp"), SIPTAG_PAYLOAD_STR(sdp), TAG_END());
	else
		nua_respond(call->nh, status, sip_status_phrase(status), TAG_END());
	return 0;
}

int sip_call_answer(struct sip_call *call, const char *sdp)
{
	if (!sdp_ok(sdp))
		return -EINVAL;
	if (call->dir != SIP_CALL_DIR_IN ||
	    (call->state != SIP_CALL_ST_INIT && call->state != SIP_CALL_ST_EARLY))
		return -EBUSY;
	talloc_free(call->local_sdp);
	call->local_sdp = talloc_strdup(call, sdp);
	if (!call->local_sdp)
		return -ENOMEM;
	call_set_state(call, SIP_CALL_ST_ANSWERED);
	sip_agent_ctr_inc(call->agent, SIP_CTR_CALL_ANSWERED);
	LOGCALL(call, LOGL_INFO, "answered 200\n");
	nua_respond(call->nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR("application/sdp"),
		    SIPTAG_PAYLOAD_STR(call->local_sdp), TAG_END());
	return 0;
}

int sip_call_reject(struct sip_call *call, int status, const char *phrase, const char *reason)
{
	if (status < 300 || status > 699)
		return -EINVAL;
	if (!hdr_value_ok(phrase, 128) || !hdr_value_ok(reason, SIP_CALL_REASON_MAX))
		return -EINVAL;
	if (call->dir != SIP_CALL_DIR_IN ||
	    (call->state != SIP_CALL_ST_INIT && call->state != SIP_CALL_ST_EARLY))
		return -EBUSY;
	call->owner_gone = true;
	call_set_state(call, SIP_CALL_ST_RELEASING);
	call_count_final(call->agent, status);
	LOGCALL(call, LOGL_INFO, "rejected %d %s%s%s\n", status, phrase ? phrase : sip_status_phrase(status),
		reason ? ", Reason: " : "", reason ? reason : "");
	nua_respond(call->nh, status, phrase ? phrase : sip_status_phrase(status),
		    TAG_IF(reason, SIPTAG_REASON_STR(reason)), TAG_END());
	return 0;
}

int sip_call_release(struct sip_call *call, const char *reason)
{
	if (!hdr_value_ok(reason, SIP_CALL_REASON_MAX))
		return -EINVAL;
	switch (call->state) {
	case SIP_CALL_ST_RELEASING:
	case SIP_CALL_ST_TERMINATED:
		call->owner_gone = true;
		return -EALREADY;
	case SIP_CALL_ST_ANSWERED:
	case SIP_CALL_ST_CONFIRMED:
		/* RFC 3261 §15; nua holds the BYE of an incoming leg until
		 * the ACK came or timed out */
		LOGCALL(call, LOGL_INFO, "sending BYE%s%s\n", reason ? ", Reason: " : "", reason ? reason : "");
		nua_bye(call->nh, TAG_IF(reason, SIPTAG_REASON_STR(reason)), TAG_END());
		break;
	default:
		if (call->dir == SIP_CALL_DIR_OUT) {
			/* RFC 3261 §9.1; Reason in CANCEL, RFC 3326 §2 */
			LOGCALL(call, LOGL_INFO, "sending CANCEL\n");
			nua_cancel(call->nh, TAG_IF(reason, SIPTAG_REASON_STR(reason)), TAG_END());
		} else {
			call_count_final(call->agent, 480);
			LOGCALL(call, LOGL_INFO, "released before answer: 480\n");
			nua_respond(call->nh, SIP_480_TEMPORARILY_UNAVAILABLE,
				    TAG_IF(reason, SIPTAG_REASON_STR(reason)), TAG_END());
		}
		break;
	}
	call->owner_gone = true;
	call_set_state(call, SIP_CALL_ST_RELEASING);
	return 0;
}

int sip_call_clear(struct sip_call *call)
{
	const struct sip_call_ops *ops = call->agent->call_ops;
	bool tell = call_owner_listens(call);
	void *priv = call->priv;
	int rc;

	rc = sip_call_release(call, "Q.850;cause=16;text=\"cleared by the operator\"");
	if (rc < 0)
		return rc;
	if (tell && ops->released) {
		call->notified = true;
		ops->released(call, SIP_CALL_REL_ADMIN, NULL, priv);
	}
	return 0;
}

/* A telephone number or user part we put in a URI: '+'? then digits,
 * '*', '#' (RFC 3966 §3 global/local number digits, no separators). */
static bool number_ok(const char *n)
{
	size_t i, len;

	if (!n)
		return false;
	len = strlen(n);
	if (len == 0 || len >= SIP_CALL_USER_MAX - 1)
		return false;
	for (i = 0; i < len; i++) {
		if ((n[i] >= '0' && n[i] <= '9') || n[i] == '*' || n[i] == '#')
			continue;
		if (n[i] == '+' && i == 0 && len > 1)
			continue;
		return false;
	}
	return true;
}

/* A token (RFC 3261 §25.1), for the verstat value. */
static bool token_ok(const char *t)
{
	size_t len = t ? strlen(t) : 0;

	if (len == 0 || len > 64)
		return false;
	return strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~") == len;
}

static bool display_ok(const char *d)
{
	return !d || (strlen(d) < SIP_CALL_DISPLAY_MAX && !strpbrk(d, "\"\\\r\n"));
}

static int out_params_check(const struct sip_call_out_params *p)
{
	unsigned int i;

	if (!p->peer_uri || strlen(p->peer_uri) >= SIP_CALL_URI_MAX ||
	    (strncasecmp(p->peer_uri, "sip:", 4) && strncasecmp(p->peer_uri, "sips:", 5)) ||
	    strpbrk(p->peer_uri, "\r\n<>\" "))
		return -EINVAL;
	if (!number_ok(p->called) || (p->calling && !number_ok(p->calling)))
		return -EINVAL;
	if (p->from_user && !number_ok(p->from_user))
		return -EINVAL;
	if (!display_ok(p->display))
		return -EINVAL;
	if (p->verstat && !token_ok(p->verstat))
		return -EINVAL;
	if (p->n_identity > SIP_CALL_IDENTITY_MAX)
		return -EINVAL;
	for (i = 0; i < p->n_identity; i++)
		if (!p->identity[i] || !hdr_value_ok(p->identity[i], IDENTITY_HDR_MAX))
			return -EINVAL;
	if (!sdp_ok(p->sdp))
		return -EINVAL;
	if (p->diversion && !hdr_value_ok(p->diversion, SIP_DIVERT_HDR_MAX))
		return -EINVAL;
	return 0;
}

/* What an outgoing INVITE says beyond what nua adds, as header texts in
 * \a home: the one place sip_call_place() and sip_call_invite_encode()
 * take them from, so that the bench measures what the daemon sends. */
struct out_hdrs {
	char *ruri;		/* Request-URI */
	char *to;
	char *from;
	char *hdrs;		/* P-Asserted-Identity, Identity and Diversion lines, "" if none */
};

static int out_hdrs_build(su_home_t *home, const struct sip_call_out_params *p, struct out_hdrs *h)
{
	url_t *peer, *ruri_url;
	char *pai, *local_host;
	const char *lh;
	unsigned int i;
	int rc;

	memset(h, 0, sizeof(*h));
	rc = out_params_check(p);
	if (rc < 0)
		return rc;
	peer = url_make(home, p->peer_uri);
	if (!peer || (peer->url_type != url_sip && peer->url_type != url_sips) || !peer->url_host)
		return -EINVAL;

	/* Request-URI and To: the called number at the peer (RFC 3261 §19.1.6) */
	ruri_url = url_hdup(home, peer);
	if (!ruri_url)
		return -ENOMEM;
	ruri_url->url_user = p->called;
	ruri_url->url_password = NULL;
	ruri_url->url_params = ruri_url->url_params ?
		su_sprintf(home, "%s;user=phone", ruri_url->url_params) : "user=phone";
	h->ruri = url_as_string(home, ruri_url);
	h->to = h->ruri ? su_sprintf(home, "<%s>", h->ruri) : NULL;

	lh = g_sip_cfg && g_sip_cfg->local_addr ? g_sip_cfg->local_addr : "127.0.0.1";
	local_host = strchr(lh, ':') ? su_sprintf(home, "[%s]", lh) : su_strdup(home, lh);
	if (!h->ruri || !h->to || !local_host)
		return -ENOMEM;

	if (p->restricted || (!p->calling && !p->from_user)) {
		/* RFC 3323 §4.1.1.3; no calling number at all (an IAM without
		 * one, Q.1912.5 §7.1.3): anonymous too */
		h->from = su_strdup(home, "\"Anonymous\" <sip:anonymous@anonymous.invalid>");
	} else {
		h->from = su_sprintf(home, "%s%s%s<sip:%s@%s;user=phone>", p->display ? "\"" : "",
				     p->display ? p->display : "", p->display ? "\" " : "",
				     p->from_user ? p->from_user : p->calling, local_host);
	}
	/* P-Asserted-Identity (RFC 3325 §9.1) with verstat on the number
	 * (3GPP TS 24.229 §7.2A.20): a tel URI for a global number, else a
	 * sip URI with user=phone whose user part carries the parameter. */
	if (!p->calling)
		pai = NULL;	/* nothing to assert */
	else if (p->calling[0] == '+')
		pai = su_sprintf(home, "<tel:%s%s%s>", p->calling, p->verstat ? ";verstat=" : "",
				 p->verstat ? p->verstat : "");
	else
		pai = su_sprintf(home, "<sip:%s%s%s@%s;user=phone>", p->calling,
				 p->verstat ? ";verstat=" : "", p->verstat ? p->verstat : "", local_host);
	if (!h->from || (p->calling && !pai))
		return -ENOMEM;
	h->hdrs = pai ? su_sprintf(home, "P-Asserted-Identity: %s", pai) : su_strdup(home, "");
	/* Identity values go as they are: the STI-AS formatted them */
	for (i = 0; h->hdrs && i < p->n_identity; i++)
		h->hdrs = su_sprintf(home, "%s%sIdentity: %s", h->hdrs, h->hdrs[0] ? "\r\n" : "",
				     p->identity[i]);
	/* RFC 5806: who forwarded the call */
	if (h->hdrs && p->diversion)
		h->hdrs = su_sprintf(home, "%s%sDiversion: %s", h->hdrs, h->hdrs[0] ? "\r\n" : "", p->diversion);
	if (!h->hdrs)
		return -ENOMEM;
	return 0;
}

struct sip_call *sip_call_place(struct stiwf_sip_agent *agent, const struct sip_call_out_params *p,
				void *priv, int *err)
{
	struct sip_call *call = NULL;
	su_home_t home[1] = { SU_HOME_INIT(home) };
	struct out_hdrs h;
	uint8_t rnd[12];
	int rc = -ENOMEM;

	if (!agent || !agent->nua || agent->shutting_down) {
		rc = -ENOTCONN;
		goto out;
	}
	rc = out_hdrs_build(home, p, &h);
	if (rc < 0)
		goto out;
	rc = -ENOMEM;
	call = call_alloc(agent, SIP_CALL_DIR_OUT);
	if (!call)
		goto out;
	call->priv = priv;
	snprintf(call->calling, sizeof(call->calling), "%s", p->calling ? p->calling : "anonymous");
	snprintf(call->called, sizeof(call->called), "%s", p->called);
	call->local_sdp = talloc_strdup(call, p->sdp);
	if (!call->local_sdp)
		goto out;
	/* our own Call-ID, so that the owner and the logs know it at once */
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd))
		goto out;
	snprintf(call->call_id, sizeof(call->call_id), "%s@stiwf", osmo_hexdump_nospc(rnd, sizeof(rnd)));
	call->nh = nua_handle(agent->nua, call, SIPTAG_TO_STR(h.to), SIPTAG_FROM_STR(h.from),
			      SIPTAG_CALL_ID_STR(call->call_id), TAG_END());
	if (!call->nh)
		goto out;
	sip_agent_ctr_inc(agent, SIP_CTR_CALL_OUT);
	LOGCALL(call, LOGL_INFO, "INVITE %s from %s%s, %u Identity header(s)\n", h.ruri, call->calling,
		p->restricted ? " (restricted)" : "", p->n_identity);
	nua_invite(call->nh, NUTAG_URL(h.ruri), TAG_IF(h.hdrs[0], SIPTAG_HEADER_STR(h.hdrs)),
		   TAG_IF(p->restricted, SIPTAG_PRIVACY_STR("id")),
		   SIPTAG_CONTENT_TYPE_STR("application/sdp"), SIPTAG_PAYLOAD_STR(call->local_sdp),
		   TAG_END());
	rc = 0;
out:
	su_home_deinit(home);
	if (rc < 0) {
		talloc_free(call);
		call = NULL;
	}
	if (err)
		*err = rc;
	return call;
}

/*! The INVITE of sip_call_place() as a Sofia message with the headers nua
 *  and nta add (Via, Max-Forwards, a From tag, CSeq, Contact), serialized
 *  to text as the transport sends it.  stiwf bench measures with it what
 *  the daemon does per outgoing call without a socket.
 *  
eturns the length written (NUL-terminated), -EINVAL, -ENOMEM, -ENOSPC */
int sip_call_invite_encode(char *buf, size_t size, const struct sip_call_out_params *p, const char *call_id)
{
	su_home_t home[1] = { SU_HOME_INIT(home) };
	struct out_hdrs h;
	msg_t *msg = NULL;
	sip_t *sip;
	char *text, *from, *tag;
	const char *lh;
	size_t len = 0;
	int rc;

	if (!buf || !size || !call_id || !call_id[0] || call_id[0] == '@' || strpbrk(call_id, "\r\n ;<>\""))
		return -EINVAL;
	rc = out_hdrs_build(home, p, &h);
	if (rc < 0)
		goto out;
	rc = -ENOMEM;
	lh = g_sip_cfg && g_sip_cfg->local_addr ? g_sip_cfg->local_addr : "127.0.0.1";
	/* the tag and branch (RFC 3261 §8.1.1.3, §8.1.1.7) from the Call-ID's
	 * random part, a token */
	tag = su_strndup(home, call_id, strcspn(call_id, "@"));
	from = tag ? su_sprintf(home, "%s;tag=%s", h.from, tag) : NULL;
	msg = msg_create(sip_default_mclass(), 0);
	sip = msg ? sip_object(msg) : NULL;
	if (!from || !sip)
		goto out;
	if (sip_add_tl(msg, sip,
		       SIPTAG_REQUEST(sip_request_create(msg_home(msg), SIP_METHOD_INVITE,
							 (url_string_t *)h.ruri, NULL)),
		       SIPTAG_VIA_STR(su_sprintf(home, "SIP/2.0/UDP %s;rport;branch=z9hG4bK%s", lh, tag)),
		       SIPTAG_MAX_FORWARDS_STR("70"), SIPTAG_FROM_STR(from), SIPTAG_TO_STR(h.to),
		       SIPTAG_CALL_ID_STR(call_id), SIPTAG_CSEQ_STR("1 INVITE"),
		       SIPTAG_CONTACT_STR(su_sprintf(home, "<sip:%s>", lh)),
		       TAG_IF(h.hdrs[0], SIPTAG_HEADER_STR(h.hdrs)),
		       TAG_IF(p->restricted, SIPTAG_PRIVACY_STR("id")),
		       SIPTAG_CONTENT_TYPE_STR("application/sdp"), SIPTAG_PAYLOAD_STR(p->sdp),
		       TAG_END()) < 0 || !sip->sip_request || !sip->sip_via || !sip->sip_cseq)
		goto out;
	/* as nta completes a request: Content-Length, the separator line */
	if (sip_complete_message(msg) < 0 || msg_serialize(msg, (msg_pub_t *)sip) < 0 || msg_prepare(msg) < 0)
		goto out;
	text = msg_as_string(home, msg, NULL, 0, &len);
	if (!text)
		goto out;
	if (len >= size) {
		rc = -ENOSPC;
		goto out;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	rc = (int)len;
out:
	msg_destroy(msg);
	su_home_deinit(home);
	return rc;
}

enum sip_call_dir sip_call_dir(const struct sip_call *call)
{
	return call->dir;
}

enum sip_call_state sip_call_state(const struct sip_call *call)
{
	return call->state;
}

const char *sip_call_get_id(const struct sip_call *call)
{
	return call->call_id;
}

struct sip_call *sip_call_find(struct stiwf_sip_agent *agent, const char *call_id)
{
	struct sip_call *call;

	if (!agent || !call_id)
		return NULL;
	llist_for_each_entry(call, &agent->calls, entry)
		if (!strcmp(call->call_id, call_id))
			return call;
	return NULL;
}

void sip_agent_calls_free(struct stiwf_sip_agent *agent)
{
	struct sip_call *call, *tmp;

	llist_for_each_entry_safe(call, tmp, &agent->calls, entry) {
		call_notify_released(call, SIP_CALL_REL_SHUTDOWN, NULL);
		talloc_free(call);
	}
}
