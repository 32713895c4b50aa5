/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The IWF call: the state of a call as an osmo_fsm (see call.h and
 * call_fsm.h), shared by the two flows of ARCHITECTURE §4
 * (iwf/call_sip_to_isup.c, iwf/call_isup_to_sip.c). */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <osmocom/core/fsm.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/tdef.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "certs/credential.h"
#include "certs/map.h"
#include "certs/tsca.h"
#include "iwf/call.h"
#include "iwf/call_fsm.h"
#include "iwf/call_internal.h"
#include "iwf/call_steps.h"
#include "iwf/cause.h"
#include "iwf/e2e_passport.h"
#include "sip/stir_as.h"
#include "sip/stir_error.h"
#include "sip/stir_vs.h"
#include "src/core/logging.h"
#include "src/core/replay_store.h"
#include "iwf/isup_identity.h"
#include "ss7/isup_trunk.h"

#define S(x) (1 << (x))

/* Timers of the call layer (not in the VTY). */
struct osmo_tdef iwf_call_tdefs[] = {
	{ .T = -1, .default_val = 10, .unit = OSMO_TDEF_S,
	  .desc = "guard on verification and signing of a call (x5u and repository fetches included)" },
	{}
};

const struct value_string iwf_call_state_names[] = {
	{ IWF_CALL_ST_VERIFY, "VERIFY" },
	{ IWF_CALL_ST_SIGN, "SIGN" },
	{ IWF_CALL_ST_SETUP, "SETUP" },
	{ IWF_CALL_ST_ALERTING, "ALERTING" },
	{ IWF_CALL_ST_ACTIVE, "ACTIVE" },
	{ 0, NULL }
};

const struct value_string iwf_call_event_names[] = {
	{ IWF_CALL_EV_VERIFIED, "VERIFIED" },
	{ IWF_CALL_EV_SIGNED, "SIGNED" },
	{ IWF_CALL_EV_ISUP_PROGRESS, "ISUP_PROGRESS" },
	{ IWF_CALL_EV_ISUP_ANSWER, "ISUP_ANSWER" },
	{ IWF_CALL_EV_ISUP_REL, "ISUP_REL" },
	{ IWF_CALL_EV_SIP_PROGRESS, "SIP_PROGRESS" },
	{ IWF_CALL_EV_SIP_ANSWER, "SIP_ANSWER" },
	{ IWF_CALL_EV_SIP_FAILED, "SIP_FAILED" },
	{ IWF_CALL_EV_SIP_BYE, "SIP_BYE" },
	{ IWF_CALL_EV_SHUTDOWN, "SHUTDOWN" },
	{ IWF_CALL_EV_SIP_HOLD, "SIP_HOLD" },
	{ 0, NULL }
};

static struct osmo_fsm iwf_call_fsm;

void call_state_chg(struct iwf_call *call, enum iwf_call_state st)
{
	unsigned long guard = 0;

	if (st == IWF_CALL_ST_VERIFY || st == IWF_CALL_ST_SIGN)
		guard = osmo_tdef_get(iwf_call_tdefs, -1, OSMO_TDEF_S, 10);
	osmo_fsm_inst_state_chg(call->fi, st, guard, guard ? -1 : 0);
}

/* "Q.850;cause=N" (RFC 3326) */
static void q850_reason(char *buf, size_t size, uint8_t cause)
{
	snprintf(buf, size, "Q.850;cause=%u", cause);
}

/* The cause overrides of the call's trunk, or the RFC 3398 defaults. */
const struct iwf_cause_map *call_causes(const struct iwf_call *call)
{
	return call->ss7_peer ? &call->ss7_peer->causes : NULL;
}

/* Release the legs still up with \a cause (ISUP) and the SIP response or
 * BYE that maps to it (RFC 3398 §8.2.6.1, Reason: Q.850, RFC 3326). */
static void call_release_legs(struct iwf_call *call, uint8_t cause, const char *end)
{
	char reason[32];
	int status;

	if (!call->end)
		call->end = end;
	if (!call->cause)
		call->cause = cause;
	q850_reason(reason, sizeof(reason), cause);
	if (call->isup) {
		g_iwf_legs->isup_call_release(call->isup, cause);
		call->isup = NULL;
	}
	if (call->sip) {
		if (call->dir == IWF_CALL_SIP_TO_ISUP && !call->answered) {
			status = iwf_sip_from_cause(call_causes(call), cause);
			if (!call->sip_status)
				call->sip_status = status;
			if (g_iwf_legs->sip_call_reject(call->sip, status, NULL, reason) < 0)
				g_iwf_legs->sip_call_release(call->sip, reason);
		} else {
			g_iwf_legs->sip_call_release(call->sip, reason);
		}
		call->sip = NULL;
	}
}

/* A verdict on the global counters and on those of the peer the call came
 * from: the sip-peer for STIR (the SHAKEN and the div PASSporT), the
 * ss7-peer for HOP. */
void verdict_inc(struct iwf_call *call, enum iwf_call_ctr idx)
{
	static const enum iwf_peer_ctr peer_idx[] = {
		[IWF_CALL_CTR_VS_PASSED] = IWF_PEER_CTR_VERSTAT_PASSED,
		[IWF_CALL_CTR_VS_FAILED] = IWF_PEER_CTR_VERSTAT_FAILED,
		[IWF_CALL_CTR_VS_NONE] = IWF_PEER_CTR_VERSTAT_NONE,
		[IWF_CALL_CTR_HOP_VALID] = IWF_PEER_CTR_HOP_VALID,
		[IWF_CALL_CTR_HOP_INVALID] = IWF_PEER_CTR_HOP_INVALID,
		[IWF_CALL_CTR_HOP_MISSING] = IWF_PEER_CTR_HOP_MISSING,
		[IWF_CALL_CTR_DIV_PASSED] = IWF_PEER_CTR_DIV_PASSED,
		[IWF_CALL_CTR_DIV_FAILED] = IWF_PEER_CTR_DIV_FAILED,
		[IWF_CALL_CTR_DIV_IGNORED] = IWF_PEER_CTR_DIV_IGNORED,
	};

	iwf_call_ctr_inc(idx);
	switch (idx) {
	case IWF_CALL_CTR_VS_PASSED:
	case IWF_CALL_CTR_VS_FAILED:
	case IWF_CALL_CTR_VS_NONE:
	case IWF_CALL_CTR_DIV_PASSED:
	case IWF_CALL_CTR_DIV_FAILED:
	case IWF_CALL_CTR_DIV_IGNORED:
		if (call->sip_peer)
			iwf_peer_ctr_inc(call->sip_peer->ctrs, peer_idx[idx]);
		break;
	case IWF_CALL_CTR_HOP_VALID:
	case IWF_CALL_CTR_HOP_INVALID:
	case IWF_CALL_CTR_HOP_MISSING:
		if (call->ss7_peer)
			iwf_peer_ctr_inc(call->ss7_peer->ctrs, peer_idx[idx]);
		break;
	default:
		break;
	}
}

/* End the call: release what is left, then terminate the FSM (which
 * frees the call and writes its log line). */
void call_end(struct iwf_call *call, uint8_t cause, const char *end)
{
	call_release_legs(call, cause, end);
	osmo_fsm_inst_term(call->fi, OSMO_FSM_TERM_REGULAR, NULL);
}

/* ---------------------------------------------------------------------
 * The FSM
 * --------------------------------------------------------------------- */

static void st_verify(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct iwf_call *call = fi->priv;

	switch (event) {
	case IWF_CALL_EV_VERIFIED:
		if (call->dir == IWF_CALL_SIP_TO_ISUP)
			sip_decide(call);
		else
			isup_decide(call);
		break;
	default:
		OSMO_ASSERT(0);
	}
}

static void st_sign(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct iwf_call *call = fi->priv;
	int rc = data ? *(int *)data : -EINVAL;

	switch (event) {
	case IWF_CALL_EV_SIGNED:
		if (call->dir == IWF_CALL_SIP_TO_ISUP)
			sip_send_iam(call, rc);
		else
			isup_place_invite(call, rc);
		break;
	default:
		OSMO_ASSERT(0);
	}
}

void iwf_call_tok_flags_update(struct iwf_call *call)
{
	const struct sigtoken *tok;

	if (!call->su)
		return;
	tok = &call->su->tok;
	call->tokf = (struct iwf_call_tok_flags){
		.has_hop = tok->has_hop,
		.has_passport = tok->has_passport,
		.has_div = tok->has_div,
		.has_verdict = tok->has_verdict,
		.verstat = tok->verdict.verstat,
	};
}

/* An answered call neither sends its setup message again nor forgets its
 * HOP (iwf_hop_forget_due()): its token and identities can go, unless a
 * request that writes them is still out (then they go with the call). */
void iwf_call_setup_done(struct iwf_call *call)
{
	if (!call->su || call->vs_req || call->as_req || call->tsca_req || call->store_req ||
	    stiwf_workq_busy(g_iwf_env.workq, &call->work))
		return;
	iwf_call_tok_flags_update(call);
	TALLOC_FREE(call->su);
}

/* The SIP answer of an incoming leg: the SS7 peer's media template */
static void sip_answer(struct iwf_call *call)
{
	int rc = g_iwf_legs->sip_call_answer(call->sip, iwf_call_sdp(call->ss7_peer));

	if (rc < 0) {
		LOGPFSML(call->fi, LOGL_ERROR, "cannot answer on SIP: %s\n", strerror(-rc));
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "sip-answer");
		return;
	}
	call->answered = true;
	clock_gettime(CLOCK_MONOTONIC, &call->t_answer);
	iwf_call_ctr_inc(IWF_CALL_CTR_ANSWERED);
	call_state_chg(call, IWF_CALL_ST_ACTIVE);
	iwf_call_setup_done(call);
}

static void isup_answer(struct iwf_call *call)
{
	int rc = call->acm_sent ? g_iwf_legs->isup_call_send_anm(call->isup, NULL) :
				  g_iwf_legs->isup_call_send_con(call->isup, NULL);

	if (rc < 0) {
		LOGPFSML(call->fi, LOGL_ERROR, "cannot send %s: %s\n", call->acm_sent ? "ANM" : "CON", strerror(-rc));
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "isup-answer");
		return;
	}
	call->answered = true;
	clock_gettime(CLOCK_MONOTONIC, &call->t_answer);
	iwf_call_ctr_inc(IWF_CALL_CTR_ANSWERED);
	call_state_chg(call, IWF_CALL_ST_ACTIVE);
	iwf_call_setup_done(call);
}

/* 180/183 from SIP: ACM first (Q.1912.5 §7.2.3), then CPG.  An 18x with
 * SDP is early media: the ACM says in-band information is available
 * (Q.763 §3.37), or, once the ACM went, a CPG "in-band information"
 * (§3.21) does, once. */
static void isup_progress(struct iwf_call *call, const struct iwf_progress *pr)
{
	struct isup_msg *msg = talloc_zero(call, struct isup_msg);
	struct isup_param *p;
	int rc;

	if (!msg) {
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "no-memory");
		return;
	}
	if (!call->acm_sent) {
		isup_msg_init(msg, ISUP_MSG_ACM, call->cic);
		p = isup_msg_param_find(msg, ISUP_PAR_BCI);
		if (p) {
			/* Q.763 §3.5: subscriber free on 180, no indication on 183 */
			p->u.bci.called_status = pr->status == 180 ? 1 : 0;
			p->u.bci.called_category = 1;	/* ordinary subscriber */
			p->u.bci.interworking = 1;	/* interworking encountered: SIP beyond */
			p->u.bci.isup = 0;
		}
		if (pr->early_media) {
			p = isup_msg_opt_add(msg, ISUP_PAR_OBCI);
			if (p)
				p->u.obci.inband = 1;
		}
		rc = g_iwf_legs->isup_call_send_acm(call->isup, msg);
		call->acm_sent = rc == 0;
		call->inband_sent = rc == 0 && pr->early_media;
	} else if (pr->status == 180) {
		isup_msg_init(msg, ISUP_MSG_CPG, call->cic);
		p = isup_msg_param_find(msg, ISUP_PAR_EVENT_INFO);
		if (p)
			p->u.event.event = ISUP_EVENT_ALERTING;
		if (pr->early_media && !call->inband_sent) {
			p = isup_msg_opt_add(msg, ISUP_PAR_OBCI);
			if (p)
				p->u.obci.inband = 1;
		}
		rc = g_iwf_legs->isup_call_send_cpg(call->isup, msg);
		call->inband_sent |= rc == 0 && pr->early_media;
	} else if (pr->early_media && !call->inband_sent) {
		isup_msg_init(msg, ISUP_MSG_CPG, call->cic);
		p = isup_msg_param_find(msg, ISUP_PAR_EVENT_INFO);
		if (p)
			p->u.event.event = ISUP_EVENT_INBAND_INFO;
		rc = g_iwf_legs->isup_call_send_cpg(call->isup, msg);
		call->inband_sent = rc == 0;
	} else {
		rc = 0;
	}
	talloc_free(msg);
	if (rc < 0) {
		LOGPFSML(call->fi, LOGL_ERROR, "cannot pass %d on to ISUP: %s\n", pr->status, strerror(-rc));
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "isup-progress");
		return;
	}
	if (call->fi->state != IWF_CALL_ST_ACTIVE)
		call_state_chg(call, IWF_CALL_ST_ALERTING);
}

static void st_setup_alerting(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct iwf_call *call = fi->priv;
	const struct iwf_progress *pr = data;
	int rc;

	switch (event) {
	case IWF_CALL_EV_ISUP_PROGRESS:
		/* SIP -> ISUP: ACM/CPG -> 180/183; the early media SDP with a
		 * 183, or with a 180 when in-band information is available
		 * (the network's ringback, 3GPP TS 29.163 §7.2.3.1.4) */
		if (!pr || !pr->status)
			break;
		rc = g_iwf_legs->sip_call_ring(call->sip, pr->status,
				   pr->status == 183 || pr->early_media ? iwf_call_sdp(call->ss7_peer) : NULL);
		if (rc < 0 && rc != -EBUSY) {
			call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "sip-ring");
			break;
		}
		call_state_chg(call, IWF_CALL_ST_ALERTING);
		break;
	case IWF_CALL_EV_ISUP_ANSWER:
		sip_answer(call);
		break;
	case IWF_CALL_EV_SIP_PROGRESS:
		if (pr)
			isup_progress(call, pr);
		break;
	case IWF_CALL_EV_SIP_ANSWER:
		if (call->dir == IWF_CALL_ISUP_TO_SIP)
			isup_answer(call);
		break;
	default:
		OSMO_ASSERT(0);
	}
}

/* A hold or a resume re-INVITE, answered on SIP: the ISUP side hears of
 * it in a CPG, event "progress", with the Generic Notification "remote
 * hold" or "remote retrieval" (Q.733.2); the call stays up either way. */
static void isup_notify_hold(struct iwf_call *call, bool held)
{
	struct isup_msg *msg = talloc_zero(call, struct isup_msg);
	struct isup_param *p;
	int rc = -ENOMEM;

	if (msg && isup_msg_init(msg, ISUP_MSG_CPG, call->cic) == 0) {
		p = isup_msg_param_find(msg, ISUP_PAR_EVENT_INFO);
		if (p)
			p->u.event.event = ISUP_EVENT_PROGRESS;
		rc = isup_msg_add_notification(msg, held ? IWF_GNI_REMOTE_HOLD : IWF_GNI_REMOTE_RETRIEVAL);
		if (rc == 0)
			rc = call->isup ? g_iwf_legs->isup_call_send_cpg(call->isup, msg) : -ENOTCONN;
	}
	talloc_free(msg);
	if (rc < 0)
		LOGPFSML(call->fi, LOGL_ERROR, "cannot send the CPG of a %s: %s\n", held ? "hold" : "resume",
			 strerror(-rc));
	else
		LOGPFSML(call->fi, LOGL_NOTICE, "SIP %s: CPG with remote %s sent on CIC %u\n",
			 held ? "hold" : "resume", held ? "hold" : "retrieval", call->cic);
}

static void st_active(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct iwf_call *call = fi->priv;
	const struct iwf_progress *pr = data;

	switch (event) {
	case IWF_CALL_EV_SIP_PROGRESS:
	case IWF_CALL_EV_ISUP_PROGRESS:
		LOGPFSML(fi, LOGL_DEBUG, "%s %d on an answered call: nothing to do\n",
			 osmo_fsm_event_name(fi->fsm, event), pr ? pr->status : 0);
		break;
	case IWF_CALL_EV_SIP_ANSWER:	/* the ACK to our 200 */
		LOGPFSML(fi, LOGL_DEBUG, "%s on an answered call: nothing to do\n", osmo_fsm_event_name(fi->fsm, event));
		break;
	case IWF_CALL_EV_SIP_HOLD:
		isup_notify_hold(call, data && *(const bool *)data);
		break;
	default:
		OSMO_ASSERT(0);
	}
}

/* Events that end the call in any state */
static void call_allstate(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct iwf_call *call = fi->priv;
	uint8_t cause;
	int status;

	switch (event) {
	case IWF_CALL_EV_ISUP_REL:
		/* the ISUP leg is gone: REL -> final response or BYE */
		cause = data ? *(uint8_t *)data : IWF_CAUSE_NORMAL_CLEARING;
		call->isup = NULL;
		call->cause = cause;
		if (call->dir == IWF_CALL_SIP_TO_ISUP && !call->answered && cause != IWF_CAUSE_NORMAL_CLEARING)
			iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, cause, "isup");
		break;
	case IWF_CALL_EV_SIP_FAILED:
		/* a final error response to our INVITE: REL with the mapped cause */
		status = data ? *(int *)data : 500;
		call->sip = NULL;
		call->sip_status = status;
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, iwf_cause_from_sip(call_causes(call), status), "sip");
		break;
	case IWF_CALL_EV_SIP_BYE:
		call->sip = NULL;
		call_end(call, IWF_CAUSE_NORMAL_CLEARING, "sip");
		break;
	case IWF_CALL_EV_SHUTDOWN:
		cause = data ? *(uint8_t *)data : IWF_CAUSE_TEMPORARY_FAILURE;
		call_end(call, cause, "local");
		break;
	default:
		break;
	}
}

static int call_timer_cb(struct osmo_fsm_inst *fi)
{
	struct iwf_call *call = fi->priv;

	LOGPFSML(fi, LOGL_NOTICE, "%s took too long: releasing\n", osmo_fsm_inst_state_name(fi));
	call_end(call, IWF_CAUSE_RECOVERY_ON_TIMER_EXPIRY, "timeout");
	return 0;
}

/* An IAM we refused before the answer with a cause that lets the exchange
 * offer it again (iwf_cause_reroutable()) must not then be taken for a
 * replay, here or at another IWF: forget its HOP, in the store only when
 * it holds our instance id. */
static void call_hop_forget(struct iwf_call *call)
{
	if (!iwf_hop_forget_due(call->dir == IWF_CALL_ISUP_TO_SIP, call->hop_ours, call->answered, call->cause))
		return;
	call->hop_ours = false;
	if (g_iwf_env.replay)
		sigtoken_replay_forget(g_iwf_env.replay, &call->su->tok.hop);
	if (g_iwf_env.store && replay_store_forget(g_iwf_env.store, call->su->tok.hop.key_id, call->su->tok.hop.sig) < 0)
		LOGPFSML(call->fi, LOGL_NOTICE, "HOP by %s: replay store %s not connected, its key stays until "
			 "it expires\n", call->signer, replay_store_name(g_iwf_env.store));
	else
		LOGPFSML(call->fi, LOGL_INFO, "HOP by %s forgotten: cause %u lets the exchange route the IAM "
			 "again\n", call->signer, call->cause);
}

/* The call on the counters of its peers: taken from one, with the
 * attestation it came with; sent to the other (when it was), with the one
 * it left with. */
static void call_peer_count(struct iwf_call *call)
{
	bool sip_in = call->dir == IWF_CALL_SIP_TO_ISUP;
	struct rate_ctr_group *in = sip_in ? (call->sip_peer ? call->sip_peer->ctrs : NULL) :
				    (call->ss7_peer ? call->ss7_peer->ctrs : NULL);
	struct rate_ctr_group *out = sip_in ? (call->ss7_peer ? call->ss7_peer->ctrs : NULL) :
				     (call->sip_peer ? call->sip_peer->ctrs : NULL);

	iwf_peer_ctr_inc(in, IWF_PEER_CTR_CALLS_IN);
	iwf_peer_ctr_attest(in, call->attest_in, true);
	if (!call->egress_sent)
		return;
	iwf_peer_ctr_inc(out, IWF_PEER_CTR_CALLS_OUT);
	iwf_peer_ctr_attest(out, call->attest_out, false);
}

static void call_cleanup(struct osmo_fsm_inst *fi, enum osmo_fsm_term_cause cause)
{
	struct iwf_call *call = fi->priv;

	/* whoever terminated us, no leg may be left behind */
	call_release_legs(call, IWF_CAUSE_TEMPORARY_FAILURE, "error");
	call_hop_forget(call);
	call_peer_count(call);
	iwf_call_log_line(call);
}

#define END_EVENTS (S(IWF_CALL_EV_ISUP_REL) | S(IWF_CALL_EV_SIP_FAILED) | S(IWF_CALL_EV_SIP_BYE) | \
		    S(IWF_CALL_EV_SHUTDOWN))
#define LIVE_STATES (S(IWF_CALL_ST_SETUP) | S(IWF_CALL_ST_ALERTING) | S(IWF_CALL_ST_ACTIVE))

static const struct osmo_fsm_state iwf_call_states[] = {
	[IWF_CALL_ST_VERIFY] = {
		.name = "VERIFY",
		.in_event_mask = S(IWF_CALL_EV_VERIFIED),
		/* VERIFY: the start arms the guard timer */
		.out_state_mask = S(IWF_CALL_ST_VERIFY) | S(IWF_CALL_ST_SIGN),
		.action = st_verify,
	},
	[IWF_CALL_ST_SIGN] = {
		.name = "SIGN",
		.in_event_mask = S(IWF_CALL_EV_SIGNED),
		.out_state_mask = S(IWF_CALL_ST_SETUP),
		.action = st_sign,
	},
	[IWF_CALL_ST_SETUP] = {
		.name = "SETUP",
		.in_event_mask = S(IWF_CALL_EV_ISUP_PROGRESS) | S(IWF_CALL_EV_ISUP_ANSWER) |
				 S(IWF_CALL_EV_SIP_PROGRESS) | S(IWF_CALL_EV_SIP_ANSWER),
		.out_state_mask = S(IWF_CALL_ST_ALERTING) | S(IWF_CALL_ST_ACTIVE),
		.action = st_setup_alerting,
	},
	[IWF_CALL_ST_ALERTING] = {
		.name = "ALERTING",
		.in_event_mask = S(IWF_CALL_EV_ISUP_PROGRESS) | S(IWF_CALL_EV_ISUP_ANSWER) |
				 S(IWF_CALL_EV_SIP_PROGRESS) | S(IWF_CALL_EV_SIP_ANSWER),
		.out_state_mask = S(IWF_CALL_ST_ALERTING) | S(IWF_CALL_ST_ACTIVE),
		.action = st_setup_alerting,
	},
	[IWF_CALL_ST_ACTIVE] = {
		.name = "ACTIVE",
		.in_event_mask = S(IWF_CALL_EV_SIP_PROGRESS) | S(IWF_CALL_EV_ISUP_PROGRESS) |
				 S(IWF_CALL_EV_SIP_ANSWER) | S(IWF_CALL_EV_SIP_HOLD),
		.action = st_active,
	},
};

static struct osmo_fsm iwf_call_fsm = {
	.name = "IWF_CALL",
	.states = iwf_call_states,
	.num_states = ARRAY_SIZE(iwf_call_states),
	.allstate_event_mask = END_EVENTS,
	.allstate_action = call_allstate,
	.timer_cb = call_timer_cb,
	.cleanup = call_cleanup,
	.log_subsys = DIWF,
	.event_names = iwf_call_event_names,
};

static __attribute__((constructor)) void iwf_call_fsm_register(void)
{
	OSMO_ASSERT(osmo_fsm_register(&iwf_call_fsm) == 0);
	/* a timer's val starts at 0, which osmo_tdef_get() returns as is:
	 * without this the guard was never armed */
	osmo_tdefs_reset(iwf_call_tdefs);
}

static int iwf_call_destructor(struct iwf_call *call)
{
	/* a job the worker still holds must not outlive the call */
	if (g_iwf_env.workq)
		stiwf_workq_cancel(g_iwf_env.workq, &call->work);
	if (call->tsca_req)
		tsca_lookup_cancel(call->tsca_req);
	if (call->store_req)
		replay_store_cancel(call->store_req);
	if (call->vs_req)
		stir_vs_cancel(call->vs_req);
	if (call->as_req)
		stir_as_cancel(call->as_req);
	llist_del(&call->entry);
	return 0;
}

struct iwf_call *iwf_call_fsm_start(void *ctx, uint32_t id)
{
	struct osmo_fsm_inst *fi;
	struct iwf_call *call;

	fi = osmo_fsm_inst_alloc(&iwf_call_fsm, ctx, NULL, LOGL_INFO, NULL);
	if (!fi)
		return NULL;
	call = talloc_zero(fi, struct iwf_call);
	if (call)
		call->su = talloc_zero(call, struct iwf_call_setup);
	if (!call || !call->su) {
		osmo_fsm_inst_free(fi);
		return NULL;
	}
	osmo_fsm_inst_update_id_f(fi, "%u", id);
	INIT_LLIST_HEAD(&call->entry);
	call->fi = fi;
	call->id = id;
	fi->priv = call;
	clock_gettime(CLOCK_MONOTONIC, &call->t_start);
	talloc_set_destructor(call, iwf_call_destructor);
	call_state_chg(call, IWF_CALL_ST_VERIFY);
	return call;
}
