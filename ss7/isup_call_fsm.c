/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The call on one ISUP circuit: ITU-T Q.764 §2.1 (set-up), §2.2
 * (unsuccessful set-up), §2.3 (release), §2.9.6 (T1/T5), and the automatic
 * repeat attempt of §2.9.1.4 and §2.12; the information request of §2.1.6
 * (national use) answered from what the call has, the incoming side of
 * the continuity check of §2.1.8 for an exchange without check equipment,
 * overlap address signalling on incoming calls (§2.1.1.2, T35), and the
 * suspension of an answered call by SUS/RES (§2.5, T2/T6/T38).
 *
 * The FSM instance is the call: on a repeat attempt it moves to another
 * circuit and keeps its handle.  A call ends (instance freed) when its
 * circuit is idle again: RLC sent for a received REL, RLC received for our
 * REL, or the circuit taken away by a reset, UCIC or hardware blocking. */

#include <errno.h>
#include <string.h>

#include <osmocom/core/fsm.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/tdef.h>
#include <osmocom/core/utils.h>

#include "src/core/logging.h"
#include "ss7/isup_call_fsm.h"
#include "ss7/isup_internal.h"

#define S(x)	(1 << (x))

/*! Event data of the TX events: the owner's message (or NULL) and the result */
struct isup_call_tx {
	const struct isup_msg *msg;
	uint8_t cause;
	int rc;
};

static const struct value_string isup_call_event_names[] = {
	{ ISUP_CALL_EV_RX_ACM,		"RX_ACM" },
	{ ISUP_CALL_EV_RX_CPG,		"RX_CPG" },
	{ ISUP_CALL_EV_RX_ANM,		"RX_ANM" },
	{ ISUP_CALL_EV_RX_CON,		"RX_CON" },
	{ ISUP_CALL_EV_RX_REL,		"RX_REL" },
	{ ISUP_CALL_EV_RX_RLC,		"RX_RLC" },
	{ ISUP_CALL_EV_TX_ACM,		"TX_ACM" },
	{ ISUP_CALL_EV_TX_CPG,		"TX_CPG" },
	{ ISUP_CALL_EV_TX_ANM,		"TX_ANM" },
	{ ISUP_CALL_EV_TX_CON,		"TX_CON" },
	{ ISUP_CALL_EV_TX_REL,		"TX_REL" },
	{ ISUP_CALL_EV_CIRCUIT_LOST,	"CIRCUIT_LOST" },
	{ ISUP_CALL_EV_RX_INR,		"RX_INR" },
	{ ISUP_CALL_EV_RX_COT,		"RX_COT" },
	{ ISUP_CALL_EV_RELEASE_REQ,	"RELEASE_REQ" },
	{ ISUP_CALL_EV_RX_SAM,		"RX_SAM" },
	{ ISUP_CALL_EV_RX_SUS,		"RX_SUS" },
	{ ISUP_CALL_EV_RX_RES,		"RX_RES" },
	{ ISUP_CALL_EV_RX_APM,		"RX_APM" },
	{ 0, NULL }
};

static struct osmo_fsm isup_call_fsm;
static void call_releasing_arm(struct osmo_fsm_inst *fi);

static unsigned long tdef_s(int T)
{
	return osmo_tdef_get(isup_tdefs, T, OSMO_TDEF_S, 0);
}

static void call_update_id(struct isup_call *call)
{
	osmo_fsm_inst_update_id_f(call->fi, "%s-CIC%u", call->trunk->name, call->cic ? call->cic->cic : 0);
}

/* Tell the owner the call is over for it; at most once. */
static void call_release_up(struct isup_call *call, uint8_t cause)
{
	if (call->owner_gone)
		return;
	call->owner_gone = true;
	if (call->trunk->ops.released)
		call->trunk->ops.released(call, cause, call->priv);
}

static void call_term(struct osmo_fsm_inst *fi)
{
	osmo_fsm_inst_term(fi, OSMO_FSM_TERM_REGULAR, NULL);
}

/* Q.764 §2.3.1: send REL, start T1 and T5; \a diag (may be NULL) is the
 * cause's diagnostic, repeated with the REL */
static void call_start_release(struct osmo_fsm_inst *fi, uint8_t cause, uint8_t location, const uint8_t *diag,
			       uint8_t diag_len)
{
	struct isup_call *call = fi->priv;

	call->rel_cause = cause;
	call->rel_elapsed_s = 0;
	if (diag_len > sizeof(call->rel_diag))
		diag_len = sizeof(call->rel_diag);
	call->rel_diag_len = diag ? diag_len : 0;
	if (call->rel_diag_len)
		memcpy(call->rel_diag, diag, call->rel_diag_len);
	isup_trunk_ctr_rel(call->trunk, cause);
	/* a send error does not change the procedure: T1 retransmits */
	isup_trunk_tx_rel_diag(call->trunk, call->cic->cic, cause, location, call->rel_diag, call->rel_diag_len);
	call_releasing_arm(fi);
}

/* Q.764 §2.3.1 b), §2.3.2: REL received, answer RLC; the circuit is idle */
static void call_rx_rel(struct osmo_fsm_inst *fi, const struct isup_msg *msg)
{
	struct isup_call *call = fi->priv;
	const struct isup_param *p = isup_msg_param_find_c(msg, ISUP_PAR_CAUSE);
	uint8_t cause = p ? p->u.cause.value : ISUP_CAUSE_NORMAL_UNSPECIFIED;

	isup_trunk_ctr_rel(call->trunk, cause);
	isup_trunk_tx_rlc(call->trunk, call->cic->cic);
	call_release_up(call, cause);
	call_term(fi);
}

/* Q.764 §2.1.6 (national use): an INR is answered with an INF carrying
 * what was asked for and what this call has.  Our outgoing calls have the
 * calling party number and category of the IAM we sent; an incoming call
 * has nothing the preceding exchange does not have itself, so it says "not
 * available".  Holding and charge information are not provided. */
static void call_rx_inr(struct osmo_fsm_inst *fi, const struct isup_msg *inr)
{
	struct isup_call *call = fi->priv;
	const struct isup_param *req = isup_msg_param_find_c(inr, ISUP_PAR_INR_IND);
	struct isup_param *ind, *p;
	struct isup_msg *m;

	if (!req || req->opaque)
		return;
	m = talloc_zero(call, struct isup_msg);
	if (!m)
		return;
	isup_msg_init(m, ISUP_MSG_INF, call->cic->cic);
	ind = isup_msg_param_find(m, ISUP_PAR_INF_IND);
	/* Q.763 §3.28: solicited; BA: included, or not available */
	if (req->u.inr.cgpn) {
		p = call->has_cgpn ? isup_msg_opt_add(m, ISUP_PAR_CALLING_PARTY_NUMBER) : NULL;
		if (p) {
			ind->u.inf.cgpn = ISUP_INF_CGPN_INCLUDED;
			p->u.number = call->cgpn;
		} else {
			ind->u.inf.cgpn = ISUP_INF_CGPN_NOT_AVAILABLE;
		}
	}
	p = req->u.inr.cpc && call->has_cpc ? isup_msg_opt_add(m, ISUP_PAR_CPC) : NULL;
	if (p) {
		ind->u.inf.cpc = 1;
		p->u.u8 = call->cpc;
	}
	LOGPFSML(fi, LOGL_INFO, "CIC %u: INR (CgPN %s, CPC %s): INF sent\n", call->cic->cic,
		 req->u.inr.cgpn ? (call->has_cgpn ? "included" : "not available") : "not asked",
		 req->u.inr.cpc ? (call->has_cpc ? "included" : "not available") : "not asked");
	rate_ctr_inc(rate_ctr_group_get_ctr(call->trunk->ctrs, ISUP_TRUNK_CTR_INR_RX));
	isup_trunk_tx(call->trunk, m);
	talloc_free(m);
}

/* Q.764 §2.9.5.3: the peer's unrecognized information said "release call":
 * REL with cause 97/99 and the diagnostic; the owner hears the same cause */
static void call_release_req(struct osmo_fsm_inst *fi, const struct isup_call_rel_req *rq)
{
	struct isup_call *call = fi->priv;

	LOGPFSML(fi, LOGL_NOTICE, "CIC %u: unrecognized information, release call: REL cause %u\n",
		 call->cic->cic, rq->cause);
	call_release_up(call, rq->cause);
	call_start_release(fi, rq->cause, ISUP_LOC_TRANSIT, rq->diag, rq->diag_len);
}

static void call_unexpected(struct osmo_fsm_inst *fi, uint32_t event)
{
	struct isup_call *call = fi->priv;

	/* Q.764 §2.9.5.1: an unexpected message on a busy circuit is discarded */
	LOGPFSML(fi, LOGL_NOTICE, "CIC %u: %s unexpected in state %s, discarded\n", call->cic->cic,
		 osmo_fsm_event_name(fi->fsm, event), osmo_fsm_inst_state_name(fi));
	rate_ctr_inc(rate_ctr_group_get_ctr(call->trunk->ctrs, ISUP_TRUNK_CTR_UNEXPECTED));
}

/* Q.764 §2.1.1.2: the Called Party Number of the IAM held for more digits */
static struct isup_number *held_cdpn(struct isup_call *call)
{
	struct isup_param *p = call->iam ? isup_msg_param_find(call->iam, ISUP_PAR_CALLED_PARTY_NUMBER) : NULL;

	return p && !p->opaque ? &p->u.number : NULL;
}

/* Address digits of a called number, the ST signal not counted */
static size_t cdpn_len(const char *digits)
{
	size_t n = strlen(digits);

	return n && digits[n - 1] == 'F' ? n - 1 : n;
}

/* Whether an incoming call has all its digits: always on an en-bloc trunk;
 * on an overlap trunk when the ST signal ended them (Q.763 §3.9) or the
 * most digits the trunk's numbering plan has arrived */
static bool cdpn_complete(const struct isup_trunk *t, const char *digits)
{
	size_t n = strlen(digits);

	if (!t->overlap)
		return true;
	if (n && digits[n - 1] == 'F')
		return true;
	return n >= t->ov_max_digits;
}

/* The held IAM goes to the owner; the call waits for its answer */
static void call_offer_held(struct osmo_fsm_inst *fi)
{
	struct isup_call *call = fi->priv;
	/* off the call: the owner may end the call while it is offered */
	struct isup_msg *iam = talloc_steal(NULL, call->iam);

	call->iam = NULL;
	osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_IN_IAM_RCVD, 0, 0);
	call->owner_gone = false;
	isup_call_offer(call, iam);
	talloc_free(iam);
}

/* Offer the held IAM, or collect more digits under T35 (Q.764 §2.1.1.2) */
static void call_offer_or_collect(struct osmo_fsm_inst *fi)
{
	struct isup_call *call = fi->priv;
	const struct isup_number *n = held_cdpn(call);

	if (!n || cdpn_complete(call->trunk, n->digits)) {
		call_offer_held(fi);
		return;
	}
	osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_IN_COLLECTING, tdef_s(ISUP_T35), ISUP_T35);
}

/* Q.764 §2.1.1.2: a SAM adds its digits to the held IAM's Called Party
 * Number.  \returns true when they were added, false when the SAM was
 * discarded (logged) or the call released for too many digits */
static bool call_rx_sam(struct osmo_fsm_inst *fi, const struct isup_msg *sam)
{
	struct isup_call *call = fi->priv;
	const struct isup_param *p = isup_msg_param_find_c(sam, ISUP_PAR_SUBSEQUENT_NUMBER);
	struct isup_number *n = held_cdpn(call);
	size_t have, add;

	if (!n || !p || p->opaque) {
		call_unexpected(fi, ISUP_CALL_EV_RX_SAM);
		return false;
	}
	have = strlen(n->digits);
	add = strlen(p->u.subsequent.digits);
	if (have && n->digits[have - 1] == 'F') {
		LOGPFSML(fi, LOGL_NOTICE, "CIC %u: SAM after the ST signal, discarded\n", call->cic->cic);
		rate_ctr_inc(rate_ctr_group_get_ctr(call->trunk->ctrs, ISUP_TRUNK_CTR_UNEXPECTED));
		return false;
	}
	rate_ctr_inc(rate_ctr_group_get_ctr(call->trunk->ctrs, ISUP_TRUNK_CTR_SAM_RX));
	if (have + add > ISUP_NUMBER_MAX_DIGITS) {
		/* no numbering plan has such numbers: Q.850 cause 28 */
		LOGPFSML(fi, LOGL_NOTICE, "CIC %u: SAM: subsequent number makes %zu digits, more than %u: "
			 "REL cause 28\n", call->cic->cic, have + add, ISUP_NUMBER_MAX_DIGITS);
		TALLOC_FREE(call->iam);
		call_start_release(fi, ISUP_CAUSE_ADDRESS_INCOMPLETE, ISUP_LOC_TRANSIT, NULL, 0);
		return false;
	}
	memcpy(n->digits + have, p->u.subsequent.digits, add + 1);
	LOGPFSML(fi, LOGL_INFO, "CIC %u: SAM: %zu digit(s) added, %zu in all\n", call->cic->cic, add,
		 cdpn_len(n->digits));
	return true;
}

/* Q.764 §2.5: SUS on an answered call: the call stays, the circuit is
 * supervised for the RES by T2 (ISDN subscriber initiated), T6
 * (network initiated) or T38 (network initiated, international call) */
static void call_rx_sus(struct osmo_fsm_inst *fi, const struct isup_msg *sus)
{
	struct isup_call *call = fi->priv;
	const struct isup_param *p = isup_msg_param_find_c(sus, ISUP_PAR_SUSPEND_RESUME);
	uint8_t ind = p && !p->opaque ? (p->u.u8 & 0x01) : 1;
	int T = !ind ? ISUP_T2 : call->international ? ISUP_T38 : ISUP_T6;

	call->sus_ind = ind;
	rate_ctr_inc(rate_ctr_group_get_ctr(call->trunk->ctrs, ISUP_TRUNK_CTR_SUS_RX));
	LOGPFSML(fi, LOGL_INFO, "CIC %u: SUS (%s initiated): call suspended, T%d\n", call->cic->cic,
		 ind ? "network" : "ISDN subscriber", T);
	osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_SUSPENDED, tdef_s(T), T);
	if (call->trunk->ops.suspend && !call->owner_gone)
		call->trunk->ops.suspend(call, true, ind, call->priv);
}

/* Q.765: an APM carries information for an application (APM user) of the
 * context its application transport parameter names.  stiwfd has no APM
 * user: the message is discarded, the call and the circuit are left as
 * they are. */
static void call_rx_apm(struct osmo_fsm_inst *fi, const struct isup_msg *apm)
{
	struct isup_call *call = fi->priv;
	const struct isup_param *p = isup_msg_param_find_c(apm, ISUP_PAR_APP_TRANSPORT);

	rate_ctr_inc(rate_ctr_group_get_ctr(call->trunk->ctrs, ISUP_TRUNK_CTR_APM_RX));
	if (p && !p->opaque)
		LOGPFSML(fi, LOGL_INFO, "CIC %u: APM for application context %u (release call indicator %u): "
			 "no APM user, discarded\n", call->cic->cic, p->u.app.aci, p->u.app.rci);
	else
		LOGPFSML(fi, LOGL_INFO, "CIC %u: APM without an application transport parameter, discarded\n",
			 call->cic->cic);
}

/* Q.764 §2.9.1.4 b), §2.12: automatic repeat attempt on another circuit;
 * the old circuit has already been dealt with by the trunk. */
static void call_repeat(struct osmo_fsm_inst *fi, const struct isup_call_lost *lost)
{
	struct isup_call *call = fi->priv;
	struct isup_trunk *t = call->trunk;
	struct isup_cic *old = call->cic;
	uint16_t old_cic = old->cic;
	struct isup_cic *c;
	int rc;

	old->call = NULL;
	call->cic = NULL;
	if (lost->release_old)
		isup_call_fsm_release_circuit(t, old, ISUP_CAUSE_TEMPORARY_FAILURE, NULL, 0);
	rate_ctr_inc(rate_ctr_group_get_ctr(t->ctrs, ISUP_TRUNK_CTR_CALL_REPEAT));
	if (call->attempts >= ISUP_CALL_MAX_ATTEMPTS) {
		LOGPFSML(fi, LOGL_NOTICE, "CIC %u: %s, no more repeat attempts (%u made)\n", old_cic,
			 lost->reason, call->attempts);
		rate_ctr_inc(rate_ctr_group_get_ctr(t->ctrs, ISUP_TRUNK_CTR_CALL_NO_CIRCUIT));
		call_release_up(call, ISUP_CAUSE_NO_CIRCUIT);
		call_term(fi);
		return;
	}
	/* Q.764 §2.9.1.4 b), §2.12: "on another circuit".  The old one
	 * may look free by now (a peer's RSC resets it without awaiting
	 * anything), yet the trunk is still answering on it: the call
	 * must not seize it again under its feet. */
	c = isup_trunk_cic_pick(t, old);
	if (!c) {
		/* e.g. all circuits being reset: the reason's own cause */
		LOGPFSML(fi, LOGL_NOTICE, "CIC %u: %s, no circuit free for a repeat attempt\n", old_cic,
			 lost->reason);
		rate_ctr_inc(rate_ctr_group_get_ctr(t->ctrs, ISUP_TRUNK_CTR_CALL_NO_CIRCUIT));
		call_release_up(call, lost->cause);
		call_term(fi);
		return;
	}
	call->cic = c;
	c->call = call;
	c->last_used = ++t->use_seq;
	call->attempts++;
	call_update_id(call);
	call->iam->cic = c->cic;
	LOGPFSML(fi, LOGL_INFO, "CIC %u: %s, repeat attempt %u on CIC %u\n", old_cic, lost->reason,
		 call->attempts, c->cic);
	rc = isup_trunk_tx(t, call->iam);
	if (rc < 0) {
		call_release_up(call, ISUP_CAUSE_TEMPORARY_FAILURE);
		call_term(fi);
		return;
	}
	osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_OUT_IAM_SENT, tdef_s(ISUP_T7), ISUP_T7);
	if (t->ops.retry && !call->owner_gone)
		t->ops.retry(call, old_cic, c->cic, lost->reason, call->priv);
}

static void call_circuit_lost(struct osmo_fsm_inst *fi, const struct isup_call_lost *lost)
{
	struct isup_call *call = fi->priv;

	if (fi->state == ISUP_CALL_ST_OUT_IAM_SENT && !call->backward_rx && !call->owner_gone) {
		call_repeat(fi, lost);
		return;
	}
	if (fi->state == ISUP_CALL_ST_RELEASING && lost->rlc_equivalent)
		LOGPFSML(fi, LOGL_INFO, "CIC %u: %s while awaiting RLC: release complete\n", call->cic->cic,
			 lost->reason);
	else
		LOGPFSML(fi, LOGL_NOTICE, "CIC %u: %s, call released\n", call->cic->cic, lost->reason);
	call_release_up(call, lost->cause);
	call_term(fi);
}

static void call_tx(struct osmo_fsm_inst *fi, uint8_t type, struct isup_call_tx *tx)
{
	struct isup_call *call = fi->priv;
	struct isup_msg *m;

	m = talloc_zero(call, struct isup_msg);
	if (!m) {
		tx->rc = -ENOMEM;
		return;
	}
	if (tx->msg) {
		*m = *tx->msg;
		m->cic = call->cic->cic;
	} else {
		struct isup_param *p;

		isup_msg_init(m, type, call->cic->cic);
		p = isup_msg_param_find(m, ISUP_PAR_BCI);
		if (p) {
			/* Q.763 §3.5: subscriber free, ordinary subscriber,
			 * interworking encountered (the call continues in SIP) */
			p->u.bci.called_status = 1;
			p->u.bci.called_category = 1;
			p->u.bci.interworking = 1;
		}
		p = isup_msg_param_find(m, ISUP_PAR_EVENT_INFO);
		if (p)
			p->u.event.event = ISUP_EVENT_ALERTING;
	}
	tx->rc = isup_trunk_tx(call->trunk, m);
	talloc_free(m);
}

static void st_out_iam_sent(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct isup_call *call = fi->priv;
	struct isup_trunk *t = call->trunk;
	struct isup_call_tx *tx = data;

	switch (event) {
	case ISUP_CALL_EV_RX_ACM:
		/* Q.764 §2.1.4.1: ACM stops T7; T9 when the policy sets it */
		call->backward_rx = true;
		/* no repeat attempt after a backward message (Q.764
		 * §2.9.1.4 b), §2.12): the IAM copy, a large struct, can go */
		TALLOC_FREE(call->iam);
		osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_OUT_ALERTING, tdef_s(ISUP_T9), ISUP_T9);
		if (t->ops.progress && !call->owner_gone)
			t->ops.progress(call, data, call->priv);
		break;
	case ISUP_CALL_EV_RX_CON:
	case ISUP_CALL_EV_RX_ANM:
		/* Q.764 §2.1.7: CON, or ANM without ACM where interworking
		 * left no ACM */
		call->backward_rx = true;
		TALLOC_FREE(call->iam);
		rate_ctr_inc(rate_ctr_group_get_ctr(t->ctrs, ISUP_TRUNK_CTR_CALL_ANSWERED));
		osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_ACTIVE, 0, 0);
		if (t->ops.answer && !call->owner_gone)
			t->ops.answer(call, data, call->priv);
		break;
	case ISUP_CALL_EV_RX_REL:
		/* Q.764 §2.2: unsuccessful set-up, e.g. cause 17 busy */
		call_rx_rel(fi, data);
		break;
	case ISUP_CALL_EV_TX_REL:
		call->owner_gone = true;
		call_start_release(fi, tx->cause, ISUP_LOC_BEYOND_IWP, NULL, 0);
		tx->rc = 0;
		break;
	case ISUP_CALL_EV_RX_INR:
		call_rx_inr(fi, data);
		break;
	case ISUP_CALL_EV_RELEASE_REQ:
		call_release_req(fi, data);
		break;
	case ISUP_CALL_EV_RX_APM:
		call_rx_apm(fi, data);
		break;
	case ISUP_CALL_EV_CIRCUIT_LOST:
		call_circuit_lost(fi, data);
		break;
	default:
		call_unexpected(fi, event);
		break;
	}
}

static void st_out_alerting(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct isup_call *call = fi->priv;
	struct isup_trunk *t = call->trunk;
	struct isup_call_tx *tx = data;

	switch (event) {
	case ISUP_CALL_EV_RX_CPG:
		/* Q.764 §2.1.5: progress, T9 keeps running */
		if (t->ops.progress && !call->owner_gone)
			t->ops.progress(call, data, call->priv);
		break;
	case ISUP_CALL_EV_RX_ANM:
		rate_ctr_inc(rate_ctr_group_get_ctr(t->ctrs, ISUP_TRUNK_CTR_CALL_ANSWERED));
		osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_ACTIVE, 0, 0);
		if (t->ops.answer && !call->owner_gone)
			t->ops.answer(call, data, call->priv);
		break;
	case ISUP_CALL_EV_RX_REL:
		call_rx_rel(fi, data);
		break;
	case ISUP_CALL_EV_TX_REL:
		call->owner_gone = true;
		call_start_release(fi, tx->cause, ISUP_LOC_BEYOND_IWP, NULL, 0);
		tx->rc = 0;
		break;
	case ISUP_CALL_EV_RX_INR:
		call_rx_inr(fi, data);
		break;
	case ISUP_CALL_EV_RELEASE_REQ:
		call_release_req(fi, data);
		break;
	case ISUP_CALL_EV_RX_APM:
		call_rx_apm(fi, data);
		break;
	case ISUP_CALL_EV_CIRCUIT_LOST:
		call_circuit_lost(fi, data);
		break;
	default:
		call_unexpected(fi, event);
		break;
	}
}

static void st_in_iam_rcvd(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct isup_call_tx *tx = data;

	switch (event) {
	case ISUP_CALL_EV_TX_ACM:
		call_tx(fi, ISUP_MSG_ACM, tx);
		if (tx->rc == 0)
			osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_IN_ALERTING, 0, 0);
		break;
	case ISUP_CALL_EV_TX_CON:
		/* Q.764 §2.1.7.2: answer before ACM is sent */
		call_tx(fi, ISUP_MSG_CON, tx);
		if (tx->rc == 0)
			osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_ACTIVE, 0, 0);
		break;
	case ISUP_CALL_EV_TX_REL:
		((struct isup_call *)fi->priv)->owner_gone = true;
		call_start_release(fi, tx->cause, ISUP_LOC_BEYOND_IWP, NULL, 0);
		tx->rc = 0;
		break;
	case ISUP_CALL_EV_RX_REL:
		call_rx_rel(fi, data);
		break;
	case ISUP_CALL_EV_RX_INR:
		call_rx_inr(fi, data);
		break;
	case ISUP_CALL_EV_RELEASE_REQ:
		call_release_req(fi, data);
		break;
	case ISUP_CALL_EV_RX_APM:
		call_rx_apm(fi, data);
		break;
	case ISUP_CALL_EV_CIRCUIT_LOST:
		call_circuit_lost(fi, data);
		break;
	default:
		call_unexpected(fi, event);
		break;
	}
}

static void st_in_alerting(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct isup_call_tx *tx = data;

	switch (event) {
	case ISUP_CALL_EV_TX_CPG:
		call_tx(fi, ISUP_MSG_CPG, tx);
		break;
	case ISUP_CALL_EV_TX_ANM:
		call_tx(fi, ISUP_MSG_ANM, tx);
		if (tx->rc == 0)
			osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_ACTIVE, 0, 0);
		break;
	case ISUP_CALL_EV_TX_REL:
		((struct isup_call *)fi->priv)->owner_gone = true;
		call_start_release(fi, tx->cause, ISUP_LOC_BEYOND_IWP, NULL, 0);
		tx->rc = 0;
		break;
	case ISUP_CALL_EV_RX_REL:
		call_rx_rel(fi, data);
		break;
	case ISUP_CALL_EV_RX_INR:
		call_rx_inr(fi, data);
		break;
	case ISUP_CALL_EV_RELEASE_REQ:
		call_release_req(fi, data);
		break;
	case ISUP_CALL_EV_RX_APM:
		call_rx_apm(fi, data);
		break;
	case ISUP_CALL_EV_CIRCUIT_LOST:
		call_circuit_lost(fi, data);
		break;
	default:
		call_unexpected(fi, event);
		break;
	}
}

static void st_active(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct isup_call *call = fi->priv;
	struct isup_call_tx *tx = data;

	switch (event) {
	case ISUP_CALL_EV_TX_CPG:
		call_tx(fi, ISUP_MSG_CPG, tx);
		break;
	case ISUP_CALL_EV_RX_CPG:
		/* after the answer a CPG may come either way: a notification
		 * such as a hold (Q.733.2) goes forward too */
		if (call->trunk->ops.progress && !call->owner_gone)
			call->trunk->ops.progress(call, data, call->priv);
		break;
	case ISUP_CALL_EV_TX_REL:
		call->owner_gone = true;
		call_start_release(fi, tx->cause, ISUP_LOC_BEYOND_IWP, NULL, 0);
		tx->rc = 0;
		break;
	case ISUP_CALL_EV_RX_REL:
		call_rx_rel(fi, data);
		break;
	case ISUP_CALL_EV_RX_INR:
		call_rx_inr(fi, data);
		break;
	case ISUP_CALL_EV_RELEASE_REQ:
		call_release_req(fi, data);
		break;
	case ISUP_CALL_EV_RX_SUS:
		call_rx_sus(fi, data);
		break;
	case ISUP_CALL_EV_RX_APM:
		call_rx_apm(fi, data);
		break;
	case ISUP_CALL_EV_CIRCUIT_LOST:
		call_circuit_lost(fi, data);
		break;
	default:
		call_unexpected(fi, event);
		break;
	}
}

static void st_releasing(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct isup_call *call = fi->priv;

	switch (event) {
	case ISUP_CALL_EV_RX_RLC:
		call_term(fi);
		break;
	case ISUP_CALL_EV_RX_REL:
		/* Q.764 §2.3.1 f): collision of REL; answer RLC, the circuit
		 * is idle once our own REL got its RLC too */
		LOGPFSML(fi, LOGL_INFO, "CIC %u: REL collision, RLC sent, awaiting RLC\n", call->cic->cic);
		isup_trunk_tx_rlc(call->trunk, call->cic->cic);
		break;
	case ISUP_CALL_EV_RELEASE_REQ:
		/* our REL is out already */
		break;
	case ISUP_CALL_EV_CIRCUIT_LOST:
		call_circuit_lost(fi, data);
		break;
	default:
		call_unexpected(fi, event);
		break;
	}
}

/* Q.764 §2.1.8: the IAM asked for a continuity check on this circuit or
 * said one was made on a preceding circuit; the call goes on only with a
 * COT "continuity check successful".  stiwfd has no check equipment (no
 * loop or transceiver to connect), so a check on this circuit can only fail
 * at the peer, which then sends the COT saying so. */
static void st_in_await_cot(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct isup_call *call = fi->priv;
	const struct isup_msg *msg = data;
	const struct isup_param *p;

	switch (event) {
	case ISUP_CALL_EV_RX_COT:
		p = isup_msg_param_find_c(msg, ISUP_PAR_CONTINUITY);
		if (p && !p->opaque && p->u.u8) {
			LOGPFSML(fi, LOGL_INFO, "CIC %u: continuity check successful\n", call->cic->cic);
			call_offer_or_collect(fi);
			break;
		}
		/* Q.764 §2.1.8: the call is not set up; the circuit awaits
		 * the peer's re-check (CCR) or release, T27; the owner never
		 * heard of the call */
		LOGPFSML(fi, LOGL_NOTICE, "CIC %u: COT: continuity check failed, call abandoned, T27\n",
			 call->cic->cic);
		TALLOC_FREE(call->iam);
		osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_IN_COT_FAILED, tdef_s(ISUP_T27), ISUP_T27);
		break;
	case ISUP_CALL_EV_RX_SAM:
		/* Q.764 §2.1.1.2: digits may follow while the COT is awaited;
		 * T8 keeps running, T35 starts after the COT */
		call_rx_sam(fi, data);
		break;
	case ISUP_CALL_EV_RX_REL:
		call_rx_rel(fi, data);
		break;
	case ISUP_CALL_EV_RX_INR:
		call_rx_inr(fi, data);
		break;
	case ISUP_CALL_EV_RELEASE_REQ:
		call_release_req(fi, data);
		break;
	case ISUP_CALL_EV_CIRCUIT_LOST:
		call_circuit_lost(fi, data);
		break;
	default:
		call_unexpected(fi, event);
		break;
	}
}

static void st_in_cot_failed(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	switch (event) {
	case ISUP_CALL_EV_RX_REL:
		call_rx_rel(fi, data);
		break;
	case ISUP_CALL_EV_RELEASE_REQ:
		call_release_req(fi, data);
		break;
	case ISUP_CALL_EV_CIRCUIT_LOST:
		call_circuit_lost(fi, data);
		break;
	default:
		call_unexpected(fi, event);
		break;
	}
}

/* Q.764 §2.1.1.2: an overlap trunk's incoming call whose number is not
 * complete; the owner has not heard of it (ARCHITECTURE §8.4). */
static void st_in_collecting(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct isup_call *call = fi->priv;
	const struct isup_number *n;

	switch (event) {
	case ISUP_CALL_EV_RX_SAM:
		if (!call_rx_sam(fi, data))
			break;
		n = held_cdpn(call);
		if (n && cdpn_complete(call->trunk, n->digits)) {
			LOGPFSML(fi, LOGL_INFO, "CIC %u: number complete (%s), call offered\n", call->cic->cic,
				 n->digits[strlen(n->digits) - 1] == 'F' ? "ST" : "most digits");
			call_offer_held(fi);
			break;
		}
		/* T35 restarts on each address message */
		osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_IN_COLLECTING, tdef_s(ISUP_T35), ISUP_T35);
		break;
	case ISUP_CALL_EV_RX_REL:
		call_rx_rel(fi, data);
		break;
	case ISUP_CALL_EV_RX_INR:
		call_rx_inr(fi, data);
		break;
	case ISUP_CALL_EV_RELEASE_REQ:
		call_release_req(fi, data);
		break;
	case ISUP_CALL_EV_CIRCUIT_LOST:
		call_circuit_lost(fi, data);
		break;
	default:
		call_unexpected(fi, event);
		break;
	}
}

/* Q.764 §2.5: an answered call suspended by SUS, awaiting RES */
static void st_suspended(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct isup_call *call = fi->priv;
	struct isup_call_tx *tx = data;

	switch (event) {
	case ISUP_CALL_EV_RX_RES:
		LOGPFSML(fi, LOGL_INFO, "CIC %u: RES: call resumed, T%d stopped\n", call->cic->cic, fi->T);
		osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_ACTIVE, 0, 0);
		if (call->trunk->ops.suspend && !call->owner_gone)
			call->trunk->ops.suspend(call, false, call->sus_ind, call->priv);
		break;
	case ISUP_CALL_EV_RX_SUS:
		/* already suspended: the running timer is not restarted */
		LOGPFSML(fi, LOGL_INFO, "CIC %u: SUS while suspended, T%d keeps running\n", call->cic->cic,
			 fi->T);
		break;
	case ISUP_CALL_EV_TX_CPG:
		call_tx(fi, ISUP_MSG_CPG, tx);
		break;
	case ISUP_CALL_EV_RX_CPG:
		if (call->outgoing && call->trunk->ops.progress && !call->owner_gone)
			call->trunk->ops.progress(call, data, call->priv);
		break;
	case ISUP_CALL_EV_TX_REL:
		call->owner_gone = true;
		call_start_release(fi, tx->cause, ISUP_LOC_BEYOND_IWP, NULL, 0);
		tx->rc = 0;
		break;
	case ISUP_CALL_EV_RX_REL:
		call_rx_rel(fi, data);
		break;
	case ISUP_CALL_EV_RX_INR:
		call_rx_inr(fi, data);
		break;
	case ISUP_CALL_EV_RX_APM:
		call_rx_apm(fi, data);
		break;
	case ISUP_CALL_EV_RELEASE_REQ:
		call_release_req(fi, data);
		break;
	case ISUP_CALL_EV_CIRCUIT_LOST:
		call_circuit_lost(fi, data);
		break;
	default:
		call_unexpected(fi, event);
		break;
	}
}

/* Q.764 §2.9.6: T1 retransmits REL; T5 gives up: RSC, alert maintenance,
 * and the circuit reset procedure takes over (T16/T17).  One FSM timer
 * serves both: each period is min(T1, what is left of T5). */
static void call_releasing_arm(struct osmo_fsm_inst *fi)
{
	struct isup_call *call = fi->priv;
	unsigned long t1 = tdef_s(ISUP_T1), t5 = tdef_s(ISUP_T5), left;

	left = t5 > call->rel_elapsed_s ? t5 - call->rel_elapsed_s : 0;
	call->rel_period_s = t1 < left || !t5 ? t1 : left;
	osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_RELEASING, call->rel_period_s,
				call->rel_period_s == t1 ? ISUP_T1 : ISUP_T5);
}

static void call_releasing_timeout(struct osmo_fsm_inst *fi)
{
	struct isup_call *call = fi->priv;
	struct isup_trunk *t = call->trunk;
	unsigned long t5 = tdef_s(ISUP_T5);
	struct isup_cic *c = call->cic;

	call->rel_elapsed_s += call->rel_period_s;
	if (t5 && call->rel_elapsed_s >= t5) {
		LOGPFSML(fi, LOGL_ERROR, "CIC %u: T5 expired, no RLC for REL: circuit reset\n", c->cic);
		rate_ctr_inc(rate_ctr_group_get_ctr(t->ctrs, ISUP_TRUNK_CTR_T5_EXPIRED));
		isup_trunk_alert(t, c->cic, "T5 expired: no RLC for REL, circuit reset");
		/* the circuit leaves the call before the reset so that the
		 * reset does not release this call a second time */
		c->call = NULL;
		call->cic = NULL;
		isup_cic_reset_start(c);
		call->cic = c;
		call_term(fi);
		return;
	}
	LOGPFSML(fi, LOGL_INFO, "CIC %u: T1 expired, REL retransmitted\n", c->cic);
	isup_trunk_tx_rel_diag(t, c->cic, call->rel_cause, ISUP_LOC_TRANSIT, call->rel_diag, call->rel_diag_len);
	call_releasing_arm(fi);
}

static int call_timer_cb(struct osmo_fsm_inst *fi)
{
	struct isup_call *call = fi->priv;

	switch (fi->state) {
	case ISUP_CALL_ST_OUT_IAM_SENT:
		/* Q.764 §2.1.4 / Annex A: T7 expiry, release with cause 102 */
		LOGPFSML(fi, LOGL_NOTICE, "CIC %u: T7 expired, no ACM/CON: REL cause 102\n", call->cic->cic);
		call_release_up(call, ISUP_CAUSE_RECOVERY_ON_TIMER);
		call_start_release(fi, ISUP_CAUSE_RECOVERY_ON_TIMER, ISUP_LOC_TRANSIT, NULL, 0);
		break;
	case ISUP_CALL_ST_OUT_ALERTING:
		/* Q.764 Annex A T9, Q.118: no answer, cause 19 */
		LOGPFSML(fi, LOGL_NOTICE, "CIC %u: T9 expired, no answer: REL cause 19\n", call->cic->cic);
		call_release_up(call, ISUP_CAUSE_NO_ANSWER);
		call_start_release(fi, ISUP_CAUSE_NO_ANSWER, ISUP_LOC_TRANSIT, NULL, 0);
		break;
	case ISUP_CALL_ST_RELEASING:
		call_releasing_timeout(fi);
		break;
	case ISUP_CALL_ST_IN_AWAIT_COT:
		/* Q.764 Annex A T8: no COT, release the call (the owner has
		 * not been told of it) */
		LOGPFSML(fi, LOGL_NOTICE, "CIC %u: T8 expired, no COT: REL cause 102\n", call->cic->cic);
		TALLOC_FREE(call->iam);
		call_start_release(fi, ISUP_CAUSE_RECOVERY_ON_TIMER, ISUP_LOC_TRANSIT, NULL, 0);
		break;
	case ISUP_CALL_ST_IN_COT_FAILED: {
		/* Q.764 Annex A T27: no re-check request after the failed
		 * check: reset the circuit, as after T5 */
		struct isup_cic *c = call->cic;

		LOGPFSML(fi, LOGL_NOTICE, "CIC %u: T27 expired after a failed continuity check: circuit reset\n",
			 c->cic);
		c->call = NULL;
		call->cic = NULL;
		isup_cic_reset_start(c);
		call->cic = c;
		call_term(fi);
		break;
	}
	case ISUP_CALL_ST_IN_COLLECTING: {
		/* Q.764 §2.1.1.2, Annex A T35: no more digits.  Enough for
		 * the trunk's numbering plan: the number is taken as complete;
		 * fewer: cause 28 (the owner has not been told of the call) */
		const struct isup_number *n = held_cdpn(call);
		size_t len = n ? cdpn_len(n->digits) : 0;

		rate_ctr_inc(rate_ctr_group_get_ctr(call->trunk->ctrs, ISUP_TRUNK_CTR_T35_EXPIRED));
		if (len >= call->trunk->ov_min_digits) {
			LOGPFSML(fi, LOGL_INFO, "CIC %u: T35 expired with %zu digits: number complete, call offered\n",
				 call->cic->cic, len);
			call_offer_held(fi);
			break;
		}
		LOGPFSML(fi, LOGL_NOTICE, "CIC %u: T35 expired with %zu digits (fewer than %u): REL cause 28\n",
			 call->cic->cic, len, call->trunk->ov_min_digits);
		TALLOC_FREE(call->iam);
		call_start_release(fi, ISUP_CAUSE_ADDRESS_INCOMPLETE, ISUP_LOC_TRANSIT, NULL, 0);
		break;
	}
	case ISUP_CALL_ST_SUSPENDED:
		/* Q.764 §2.5, Annex A T2/T6/T38: no RES, release with cause 102 */
		LOGPFSML(fi, LOGL_NOTICE, "CIC %u: T%d expired, no RES: REL cause 102\n", call->cic->cic, fi->T);
		call_release_up(call, ISUP_CAUSE_RECOVERY_ON_TIMER);
		call_start_release(fi, ISUP_CAUSE_RECOVERY_ON_TIMER, ISUP_LOC_TRANSIT, NULL, 0);
		break;
	default:
		LOGPFSML(fi, LOGL_ERROR, "timer in state %s\n", osmo_fsm_inst_state_name(fi));
		break;
	}
	return 0;
}

/* The FSM is freed: the circuit is idle from now on unless a reset
 * procedure owns it. */
static void call_cleanup(struct osmo_fsm_inst *fi, enum osmo_fsm_term_cause cause)
{
	struct isup_call *call = fi->priv;

	isup_call_detach(call);
}

void isup_call_detach(struct isup_call *call)
{
	if (call->cic && call->cic->call == call) {
		call->cic->call = NULL;
		call->cic->last_used = ++call->trunk->use_seq;
	}
	call->cic = NULL;
}

#define RX_EVENTS (S(ISUP_CALL_EV_RX_ACM) | S(ISUP_CALL_EV_RX_CPG) | S(ISUP_CALL_EV_RX_ANM) | \
		   S(ISUP_CALL_EV_RX_CON) | S(ISUP_CALL_EV_RX_REL) | S(ISUP_CALL_EV_RX_RLC) | \
		   S(ISUP_CALL_EV_CIRCUIT_LOST) | S(ISUP_CALL_EV_RX_INR) | S(ISUP_CALL_EV_RX_COT) | \
		   S(ISUP_CALL_EV_RELEASE_REQ) | S(ISUP_CALL_EV_RX_SAM) | S(ISUP_CALL_EV_RX_SUS) | \
		   S(ISUP_CALL_EV_RX_RES) | S(ISUP_CALL_EV_RX_APM))

static void st_null(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
}

static const struct osmo_fsm_state isup_call_states[] = {
	[ISUP_CALL_ST_NULL] = {
		.name = "NULL",
		.out_state_mask = S(ISUP_CALL_ST_OUT_IAM_SENT) | S(ISUP_CALL_ST_IN_IAM_RCVD) |
				  S(ISUP_CALL_ST_IN_AWAIT_COT) | S(ISUP_CALL_ST_IN_COLLECTING),
		.action = st_null,
	},
	[ISUP_CALL_ST_OUT_IAM_SENT] = {
		.name = "OUT_IAM_SENT",
		.in_event_mask = RX_EVENTS | S(ISUP_CALL_EV_TX_REL),
		.out_state_mask = S(ISUP_CALL_ST_OUT_IAM_SENT) | S(ISUP_CALL_ST_OUT_ALERTING) |
				  S(ISUP_CALL_ST_ACTIVE) | S(ISUP_CALL_ST_RELEASING),
		.action = st_out_iam_sent,
	},
	[ISUP_CALL_ST_OUT_ALERTING] = {
		.name = "OUT_ALERTING",
		.in_event_mask = RX_EVENTS | S(ISUP_CALL_EV_TX_REL),
		.out_state_mask = S(ISUP_CALL_ST_ACTIVE) | S(ISUP_CALL_ST_RELEASING),
		.action = st_out_alerting,
	},
	[ISUP_CALL_ST_IN_IAM_RCVD] = {
		.name = "IN_IAM_RCVD",
		.in_event_mask = RX_EVENTS | S(ISUP_CALL_EV_TX_ACM) | S(ISUP_CALL_EV_TX_CON) |
				 S(ISUP_CALL_EV_TX_REL),
		.out_state_mask = S(ISUP_CALL_ST_IN_ALERTING) | S(ISUP_CALL_ST_ACTIVE) |
				  S(ISUP_CALL_ST_RELEASING),
		.action = st_in_iam_rcvd,
	},
	[ISUP_CALL_ST_IN_ALERTING] = {
		.name = "IN_ALERTING",
		.in_event_mask = RX_EVENTS | S(ISUP_CALL_EV_TX_CPG) | S(ISUP_CALL_EV_TX_ANM) |
				 S(ISUP_CALL_EV_TX_REL),
		.out_state_mask = S(ISUP_CALL_ST_ACTIVE) | S(ISUP_CALL_ST_RELEASING),
		.action = st_in_alerting,
	},
	[ISUP_CALL_ST_ACTIVE] = {
		.name = "ACTIVE",
		.in_event_mask = RX_EVENTS | S(ISUP_CALL_EV_TX_CPG) | S(ISUP_CALL_EV_TX_REL),
		.out_state_mask = S(ISUP_CALL_ST_RELEASING) | S(ISUP_CALL_ST_SUSPENDED),
		.action = st_active,
	},
	[ISUP_CALL_ST_RELEASING] = {
		.name = "RELEASING",
		.in_event_mask = RX_EVENTS,
		.out_state_mask = S(ISUP_CALL_ST_RELEASING),
		.action = st_releasing,
	},
	[ISUP_CALL_ST_IN_AWAIT_COT] = {
		.name = "IN_AWAIT_COT",
		.in_event_mask = RX_EVENTS,
		.out_state_mask = S(ISUP_CALL_ST_IN_IAM_RCVD) | S(ISUP_CALL_ST_IN_COT_FAILED) |
				  S(ISUP_CALL_ST_RELEASING) | S(ISUP_CALL_ST_IN_COLLECTING),
		.action = st_in_await_cot,
	},
	[ISUP_CALL_ST_IN_COT_FAILED] = {
		.name = "IN_COT_FAILED",
		.in_event_mask = RX_EVENTS,
		.out_state_mask = S(ISUP_CALL_ST_RELEASING),
		.action = st_in_cot_failed,
	},
	[ISUP_CALL_ST_IN_COLLECTING] = {
		.name = "IN_COLLECTING",
		.in_event_mask = RX_EVENTS,
		.out_state_mask = S(ISUP_CALL_ST_IN_COLLECTING) | S(ISUP_CALL_ST_IN_IAM_RCVD) |
				  S(ISUP_CALL_ST_RELEASING),
		.action = st_in_collecting,
	},
	[ISUP_CALL_ST_SUSPENDED] = {
		.name = "SUSPENDED",
		.in_event_mask = RX_EVENTS | S(ISUP_CALL_EV_TX_CPG) | S(ISUP_CALL_EV_TX_REL),
		.out_state_mask = S(ISUP_CALL_ST_ACTIVE) | S(ISUP_CALL_ST_RELEASING),
		.action = st_suspended,
	},
};

static struct osmo_fsm isup_call_fsm = {
	.name = "ISUP_CALL",
	.states = isup_call_states,
	.num_states = ARRAY_SIZE(isup_call_states),
	.event_names = isup_call_event_names,
	.timer_cb = call_timer_cb,
	.cleanup = call_cleanup,
	.log_subsys = DSS7,
};

static __attribute__((constructor)) void isup_call_fsm_register(void)
{
	OSMO_ASSERT(osmo_fsm_register(&isup_call_fsm) == 0);
}

struct isup_call *isup_call_fsm_start(struct isup_trunk *t, struct isup_cic *c, bool outgoing,
				      const struct isup_msg *iam, void *priv, int *rc)
{
	struct osmo_fsm_inst *fi;
	struct isup_call *call;

	*rc = -ENOMEM;
	fi = osmo_fsm_inst_alloc(&isup_call_fsm, t, NULL, LOGL_INFO, NULL);
	if (!fi)
		return NULL;
	call = talloc_zero(fi, struct isup_call);
	if (!call)
		goto fail;
	fi->priv = call;
	call->fi = fi;
	call->trunk = t;
	call->outgoing = outgoing;
	call->priv = priv;
	call->cic = c;
	call_update_id(call);
	if (!outgoing) {
		const struct isup_param *nci = iam ? isup_msg_param_find_c(iam, ISUP_PAR_NCI) : NULL;
		/* Q.763 §3.35 DC: 01 check required on this circuit, 10 check
		 * performed on a previous circuit */
		uint8_t cont = nci && !nci->opaque ? nci->u.nci.continuity : 0;

		const struct isup_param *fci = iam ? isup_msg_param_find_c(iam, ISUP_PAR_FCI) : NULL;
		const struct isup_param *cdpn = iam ? isup_msg_param_find_c(iam, ISUP_PAR_CALLED_PARTY_NUMBER) : NULL;
		bool collect = cdpn && !cdpn->opaque && !cdpn_complete(t, cdpn->u.number.digits);

		call->international = fci && !fci->opaque && fci->u.fci.international;
		if (cont == 1 || cont == 2 || collect) {
			/* the owner hears of the call with the COT or the
			 * last digits */
			call->iam = talloc_zero(call, struct isup_msg);
			if (!call->iam)
				goto fail;
			*call->iam = *iam;
			call->owner_gone = true;
			if (cont == 1)
				LOGPFSML(fi, LOGL_NOTICE, "CIC %u: continuity check required on this circuit, "
					 "but there is no check equipment: awaiting the COT\n", c->cic);
		}
		c->call = call;
		c->last_used = ++t->use_seq;
		if (cont == 1 || cont == 2)
			osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_IN_AWAIT_COT, tdef_s(ISUP_T8), ISUP_T8);
		else if (collect)
			osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_IN_COLLECTING, tdef_s(ISUP_T35), ISUP_T35);
		else
			osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_IN_IAM_RCVD, 0, 0);
		*rc = 0;
		return call;
	}

	/* what an INF tells (Q.764 §2.1.6), kept beyond the IAM copy */
	{
		const struct isup_param *p = isup_msg_param_find_c(iam, ISUP_PAR_CALLING_PARTY_NUMBER);
		const struct isup_param *fci = isup_msg_param_find_c(iam, ISUP_PAR_FCI);

		call->international = fci && !fci->opaque && fci->u.fci.international;

		if (p && !p->opaque) {
			call->has_cgpn = true;
			call->cgpn = p->u.number;
		}
		p = isup_msg_param_find_c(iam, ISUP_PAR_CPC);
		if (p && !p->opaque) {
			call->has_cpc = true;
			call->cpc = p->u.u8;
		}
	}
	call->iam = talloc_zero(call, struct isup_msg);
	if (!call->iam)
		goto fail;
	*call->iam = *iam;
	call->iam->cic = c->cic;
	call->attempts = 1;
	*rc = isup_trunk_tx(t, call->iam);
	if (*rc < 0)
		goto fail;
	c->call = call;
	c->last_used = ++t->use_seq;
	/* the first state; a state change to itself arms T7 */
	osmo_fsm_inst_state_chg(fi, ISUP_CALL_ST_OUT_IAM_SENT, tdef_s(ISUP_T7), ISUP_T7);
	return call;

fail:
	/* nothing attached to the circuit yet: freeing leaves it as it was */
	if (call)
		call->cic = NULL;
	osmo_fsm_inst_free(fi);
	return NULL;
}

int isup_call_fsm_release_circuit(struct isup_trunk *t, struct isup_cic *c, uint8_t cause,
				  const uint8_t *diag, uint8_t diag_len)
{
	struct isup_call *call;
	int rc;

	call = isup_call_fsm_start(t, c, false, NULL, NULL, &rc);
	if (!call) {
		/* no memory: the peer's T1/T5 or a reset will clear it */
		isup_trunk_tx_rel_diag(t, c->cic, cause, ISUP_LOC_TRANSIT, diag, diag_len);
		return rc;
	}
	call->owner_gone = true;
	call_start_release(call->fi, cause, ISUP_LOC_TRANSIT, diag, diag_len);
	return 0;
}

bool isup_call_awaits_cot(const struct isup_call *call)
{
	return call->fi->state == ISUP_CALL_ST_IN_AWAIT_COT || call->fi->state == ISUP_CALL_ST_IN_COLLECTING;
}

void isup_call_offer(struct isup_call *call, const struct isup_msg *iam)
{
	struct isup_trunk *t = call->trunk;

	if (t->ops.incoming)
		t->ops.incoming(t, call, iam, t->priv);
	else
		isup_call_release(call, ISUP_CAUSE_SERVICE_UNAVAIL);
}

/* The owner's API (isup_trunk.h) */

static int call_owner_tx(struct isup_call *call, uint32_t event, uint8_t type, const struct isup_msg *msg,
			 uint8_t cause)
{
	struct isup_call_tx tx = { .msg = msg, .cause = cause, .rc = -EPROTO };

	if (!call || call->owner_gone)
		return -EINVAL;
	if (msg && msg->type != type)
		return -EINVAL;
	if (!(isup_call_states[call->fi->state].in_event_mask & S(event))) {
		LOGPFSML(call->fi, LOGL_ERROR, "CIC %u: cannot send %s in state %s (Q.764 §2.1)\n",
			 call->cic->cic, isup_msg_type_name(type), osmo_fsm_inst_state_name(call->fi));
		return -EPROTO;
	}
	osmo_fsm_inst_dispatch(call->fi, event, &tx);
	return tx.rc;
}

int isup_call_send_acm(struct isup_call *call, const struct isup_msg *msg)
{
	return call_owner_tx(call, ISUP_CALL_EV_TX_ACM, ISUP_MSG_ACM, msg, 0);
}

int isup_call_send_cpg(struct isup_call *call, const struct isup_msg *msg)
{
	return call_owner_tx(call, ISUP_CALL_EV_TX_CPG, ISUP_MSG_CPG, msg, 0);
}

int isup_call_send_anm(struct isup_call *call, const struct isup_msg *msg)
{
	return call_owner_tx(call, ISUP_CALL_EV_TX_ANM, ISUP_MSG_ANM, msg, 0);
}

int isup_call_send_con(struct isup_call *call, const struct isup_msg *msg)
{
	return call_owner_tx(call, ISUP_CALL_EV_TX_CON, ISUP_MSG_CON, msg, 0);
}

int isup_call_release(struct isup_call *call, uint8_t cause)
{
	if (cause == 0 || cause > 127)
		return -EINVAL;
	return call_owner_tx(call, ISUP_CALL_EV_TX_REL, ISUP_MSG_REL, NULL, cause);
}

uint16_t isup_call_cic(const struct isup_call *call)
{
	return call->cic ? call->cic->cic : 0;
}

bool isup_call_is_outgoing(const struct isup_call *call)
{
	return call->outgoing;
}

void isup_call_set_priv(struct isup_call *call, void *call_priv)
{
	call->priv = call_priv;
}

struct isup_trunk *isup_call_trunk(const struct isup_call *call)
{
	return call->trunk;
}
