/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An ISUP trunk: the circuits towards one SS7 peer, their maintenance
 * (ITU-T Q.764 §2.8 blocking, §2.9.3 reset, §2.12 unequipped CIC, the
 * circuit group query), the reception of ISUP messages with the handling of
 * unrecognized information by its compatibility instructions (§2.9.5.3),
 * their distribution to the calls (isup_call_fsm.c), and the sending of
 * messages. */

#include <errno.h>
#include <string.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/stats.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/tdef.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "src/core/logging.h"
#include "ss7/isup_call_fsm.h"
#include "ss7/isup_internal.h"
#include "ss7/isup_trunk.h"

/* Q.764 §2.9.3.2: a GRS resets at most 32 circuits (range 1..31) */
#define ISUP_GRS_MAX_CIRCUITS	32

/* Q.764 Annex A, Table A.1 (values in seconds).  T9 is a policy of
 * Q.118 (90-180 s) and off by default: the SIP side of the IWF runs its own
 * no-answer supervision and a second one here would only race it. */
struct osmo_tdef isup_tdefs[] = {
	{ .T = ISUP_T1, .default_val = 15, .min_val = 1, .max_val = 60,
	  .desc = "REL sent, awaiting RLC: retransmit REL (Q.764: 15-60 s)" },
	{ .T = ISUP_T2, .default_val = 180, .min_val = 1, .max_val = 180,
	  .desc = "ISDN subscriber initiated SUS received, awaiting RES: release, cause 102 (Q.764: 3 min)" },
	{ .T = ISUP_T5, .default_val = 300, .min_val = 1, .max_val = 900,
	  .desc = "REL sent, awaiting RLC: send RSC, alert (Q.764: 5-15 min)" },
	{ .T = ISUP_T6, .default_val = 60, .min_val = 1, .max_val = 180,
	  .desc = "network initiated SUS received, awaiting RES: release, cause 102 (Q.764: per Q.118)" },
	{ .T = ISUP_T7, .default_val = 20, .min_val = 1, .max_val = 30,
	  .desc = "IAM sent, awaiting ACM/CON: release, cause 102 (Q.764: 20-30 s)" },
	{ .T = ISUP_T8, .default_val = 10, .min_val = 1, .max_val = 15,
	  .desc = "IAM with a continuity check received, awaiting COT: release, cause 102 (Q.764: 10-15 s)" },
	{ .T = ISUP_T9, .default_val = 0, .max_val = 180,
	  .desc = "ACM received, awaiting answer: release, cause 19 (Q.118: 90-180 s; 0 = off)" },
	{ .T = ISUP_T12, .default_val = 15, .min_val = 1, .max_val = 60,
	  .desc = "BLO sent: retransmit (Q.764: 15-60 s)" },
	{ .T = ISUP_T13, .default_val = 300, .min_val = 1, .max_val = 900,
	  .desc = "BLO sent: alert, retransmit every T13 (Q.764: 5-15 min)" },
	{ .T = ISUP_T14, .default_val = 15, .min_val = 1, .max_val = 60,
	  .desc = "UBL sent: retransmit (Q.764: 15-60 s)" },
	{ .T = ISUP_T15, .default_val = 300, .min_val = 1, .max_val = 900,
	  .desc = "UBL sent: alert, retransmit every T15 (Q.764: 5-15 min)" },
	{ .T = ISUP_T16, .default_val = 15, .min_val = 1, .max_val = 60,
	  .desc = "RSC sent: retransmit (Q.764: 15-60 s)" },
	{ .T = ISUP_T17, .default_val = 300, .min_val = 1, .max_val = 900,
	  .desc = "RSC sent: alert, retransmit every T17 (Q.764: 5-15 min)" },
	{ .T = ISUP_T18, .default_val = 15, .min_val = 1, .max_val = 60,
	  .desc = "CGB sent: retransmit (Q.764: 15-60 s)" },
	{ .T = ISUP_T19, .default_val = 300, .min_val = 1, .max_val = 900,
	  .desc = "CGB sent: alert, retransmit every T19 (Q.764: 5-15 min)" },
	{ .T = ISUP_T20, .default_val = 15, .min_val = 1, .max_val = 60,
	  .desc = "CGU sent: retransmit (Q.764: 15-60 s)" },
	{ .T = ISUP_T21, .default_val = 300, .min_val = 1, .max_val = 900,
	  .desc = "CGU sent: alert, retransmit every T21 (Q.764: 5-15 min)" },
	{ .T = ISUP_T22, .default_val = 15, .min_val = 1, .max_val = 60,
	  .desc = "GRS sent: retransmit (Q.764: 15-60 s)" },
	{ .T = ISUP_T23, .default_val = 300, .min_val = 1, .max_val = 900,
	  .desc = "GRS sent: alert, retransmit every T23 (Q.764: 5-15 min)" },
	{ .T = ISUP_T27, .default_val = 240, .min_val = 1, .max_val = 600,
	  .desc = "COT \"check failed\" received, awaiting CCR: circuit reset (Q.764: 4 min)" },
	{ .T = ISUP_T34, .default_val = 3, .min_val = 2, .max_val = 4,
	  .desc = "first segment received, awaiting SGM (Q.764: 2-4 s)" },
	{ .T = ISUP_T35, .default_val = 15, .min_val = 1, .max_val = 20,
	  .desc = "overlap: address message received, awaiting more digits: release, cause 28 (Q.764: 15-20 s)" },
	{ .T = ISUP_T38, .default_val = 15, .min_val = 1, .max_val = 20,
	  .desc = "network initiated SUS on an international call, awaiting RES: release, cause 102 "
		  "(Q.764: 15-20 s)" },
	{}
};

const struct value_string isup_cic_state_names[] = {
	{ ISUP_CIC_ST_IDLE,		"idle" },
	{ ISUP_CIC_ST_OUT_BUSY,		"outgoing busy" },
	{ ISUP_CIC_ST_IN_BUSY,		"incoming busy" },
	{ ISUP_CIC_ST_AWAIT_RESET,	"awaiting reset" },
	{ ISUP_CIC_ST_UNEQUIPPED,	"unequipped" },
	{ ISUP_CIC_ST_UNKNOWN,		"unknown" },
	{ 0, NULL }
};

static const struct rate_ctr_desc isup_trunk_ctr_desc[] = {
	[ISUP_TRUNK_CTR_CALL_OUT]	= { "call:outgoing", "outgoing calls attempted" },
	[ISUP_TRUNK_CTR_CALL_IN]	= { "call:incoming", "incoming IAMs accepted" },
	[ISUP_TRUNK_CTR_CALL_ANSWERED]	= { "call:answered", "outgoing calls answered" },
	[ISUP_TRUNK_CTR_CALL_REPEAT]	= { "call:repeat", "automatic repeat attempts" },
	[ISUP_TRUNK_CTR_CALL_NO_CIRCUIT] = { "call:no_circuit", "calls without a free circuit" },
	[ISUP_TRUNK_CTR_DUAL_SEIZURE]	= { "call:dual_seizure", "dual seizures" },
	[ISUP_TRUNK_CTR_REL_NORMAL]	= { "rel:16", "releases, cause 16 normal clearing" },
	[ISUP_TRUNK_CTR_REL_BUSY]	= { "rel:17", "releases, cause 17 user busy" },
	[ISUP_TRUNK_CTR_REL_NO_ANSWER]	= { "rel:18_19", "releases, cause 18/19 no answer" },
	[ISUP_TRUNK_CTR_REL_REJECTED]	= { "rel:21", "releases, cause 21 call rejected" },
	[ISUP_TRUNK_CTR_REL_TIMER]	= { "rel:102", "releases, cause 102 timer expiry" },
	[ISUP_TRUNK_CTR_REL_OTHER]	= { "rel:other", "releases, other causes" },
	[ISUP_TRUNK_CTR_RSC_TX]		= { "rsc:tx", "RSC sent" },
	[ISUP_TRUNK_CTR_RSC_RX]		= { "rsc:rx", "RSC received" },
	[ISUP_TRUNK_CTR_GRS_TX]		= { "grs:tx", "GRS sent" },
	[ISUP_TRUNK_CTR_GRS_RX]		= { "grs:rx", "GRS received" },
	[ISUP_TRUNK_CTR_T5_EXPIRED]	= { "t5:expired", "no RLC within T5" },
	[ISUP_TRUNK_CTR_UCIC_RX]	= { "ucic:rx", "UCIC received" },
	[ISUP_TRUNK_CTR_UCIC_TX]	= { "ucic:tx", "UCIC sent" },
	[ISUP_TRUNK_CTR_CFN_RX]		= { "cfn:rx", "CFN received" },
	[ISUP_TRUNK_CTR_CFN_TX]		= { "cfn:tx", "CFN sent" },
	[ISUP_TRUNK_CTR_UNEXPECTED]	= { "msg:unexpected", "messages unexpected in their state" },
	[ISUP_TRUNK_CTR_MALFORMED]	= { "msg:malformed", "malformed messages" },
	[ISUP_TRUNK_CTR_MAINT_ALERT]	= { "maint:alert", "maintenance alerts" },
	[ISUP_TRUNK_CTR_UNRECOGNIZED]	= { "msg:unrecognized",
					    "messages unrecognized or with unrecognized parameters" },
	[ISUP_TRUNK_CTR_INR_RX]		= { "inr:rx", "INR received, answered with INF" },
	[ISUP_TRUNK_CTR_CQM_RX]		= { "cqm:rx", "CQM received, answered with CQR" },
	[ISUP_TRUNK_CTR_SAM_RX]		= { "sam:rx", "SAMs received while collecting digits" },
	[ISUP_TRUNK_CTR_T35_EXPIRED]	= { "t35:expired", "digit collections ended by T35" },
	[ISUP_TRUNK_CTR_SUS_RX]		= { "sus:rx", "SUS received on an answered call" },
	[ISUP_TRUNK_CTR_APM_RX]		= { "apm:rx", "APM received on a call, discarded" },
};

static const struct rate_ctr_group_desc isup_trunk_ctrg_desc = {
	.group_name_prefix = "isup:trunk",
	.group_description = "ISUP trunk",
	.class_id = OSMO_STATS_CLASS_PEER,
	.num_ctr = ARRAY_SIZE(isup_trunk_ctr_desc),
	.ctr_desc = isup_trunk_ctr_desc,
};

static LLIST_HEAD(isup_trunks);
static unsigned int isup_trunk_idx;

/* for isup_trunk_vty.c */
struct llist_head *isup_trunk_list(void);
struct llist_head *isup_trunk_list(void)
{
	return &isup_trunks;
}

/* osmo_tdef values start at 0: set the defaults once, before the VTY or
 * the first trunk reads them, and never again (the config may have set them) */
void isup_tdefs_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	osmo_tdefs_reset(isup_tdefs);
}

static void ctr_inc(struct isup_trunk *t, unsigned int idx)
{
	rate_ctr_inc(rate_ctr_group_get_ctr(t->ctrs, idx));
}

static unsigned long tdef_s(int T)
{
	return osmo_tdef_get(isup_tdefs, T, OSMO_TDEF_S, 0);
}

/* Retransmission with a short and a long timer (Q.764 Annex A) */

static void retx_arm(struct isup_retx *rx)
{
	unsigned long ts = tdef_s(rx->t_short), tl = tdef_s(rx->t_long);

	if (rx->alerted || !tl)
		rx->period_s = rx->alerted ? tl : ts;
	else
		rx->period_s = ts < tl - rx->elapsed_s ? ts : tl - rx->elapsed_s;
	if (!rx->period_s)
		rx->period_s = 1;
	osmo_timer_schedule(&rx->timer, rx->period_s, 0);
}

static void retx_cb(void *data)
{
	struct isup_retx *rx = data;
	unsigned long tl = tdef_s(rx->t_long);
	bool alert = false;

	rx->elapsed_s += rx->period_s;
	if (!rx->alerted && tl && rx->elapsed_s >= tl) {
		rx->alerted = true;
		alert = true;
	}
	retx_arm(rx);
	rx->resend(rx, alert);
}

static void retx_start(struct isup_retx *rx, int t_short, int t_long, void (*resend)(struct isup_retx *, bool))
{
	osmo_timer_del(&rx->timer);
	osmo_timer_setup(&rx->timer, retx_cb, rx);
	rx->t_short = t_short;
	rx->t_long = t_long;
	rx->elapsed_s = 0;
	rx->alerted = false;
	rx->resend = resend;
	retx_arm(rx);
}

static void retx_stop(struct isup_retx *rx)
{
	osmo_timer_del(&rx->timer);
}

/* Sending */

int isup_trunk_tx(struct isup_trunk *t, const struct isup_msg *msg)
{
	uint8_t buf[ISUP_MTP3_SIF_MAX * 16];
	size_t max_len = t->max_sif_len - ISUP_MTP3_ROUTING_LABEL_LEN;
	int rc, seg, len;

	seg = isup_msg_segment(msg, t->max_sif_len, t->tx_first, t->tx_sgm);
	if (seg < 0) {
		LOGP(DSS7, LOGL_ERROR, "%s: CIC %u: cannot send %s: it does not encode (%d)\n", t->name,
		     msg->cic, isup_msg_type_name(msg->type), seg);
		return -EINVAL;
	}
	if (max_len > sizeof(buf))
		max_len = sizeof(buf);
	len = isup_msg_encode(buf, max_len, t->tx_first);
	if (len < 0) {
		LOGP(DSS7, LOGL_ERROR, "%s: CIC %u: cannot encode %s (%d)\n", t->name, msg->cic,
		     isup_msg_type_name(msg->type), len);
		return -EINVAL;
	}
	/* Q.704 §2.2.4 / Q.763 §1.2: the SLS is the 4 low bits of the CIC */
	rc = t->ops.send(t, t->dpc, msg->cic & 0x0f, buf, len, t->priv);
	if (rc < 0) {
		LOGP(DSS7, LOGL_ERROR, "%s: CIC %u: sending %s failed (%d)\n", t->name, msg->cic,
		     isup_msg_type_name(msg->type), rc);
		return rc;
	}
	LOGP(DSS7, LOGL_DEBUG, "%s: CIC %u: %s sent\n", t->name, msg->cic, isup_msg_type_name(msg->type));
	if (seg == 0)
		return 0;
	/* Q.764 §2.1.12: the SGM follows at once */
	len = isup_msg_encode(buf, max_len, t->tx_sgm);
	if (len < 0)
		return -EINVAL;
	return t->ops.send(t, t->dpc, msg->cic & 0x0f, buf, len, t->priv);
}

/* a message of message type only (RLC without optional part too) */
int isup_trunk_tx_simple(struct isup_trunk *t, uint8_t type, uint16_t cic)
{
	struct isup_msg *m = talloc_zero(t, struct isup_msg);
	int rc;

	if (!m)
		return -ENOMEM;
	rc = isup_msg_init(m, type, cic);
	if (rc == 0)
		rc = isup_trunk_tx(t, m);
	talloc_free(m);
	return rc;
}

static int tx_cause(struct isup_trunk *t, uint8_t type, uint16_t cic, uint8_t cause, uint8_t location,
		    const uint8_t *diag, uint8_t diag_len)
{
	struct isup_msg *m = talloc_zero(t, struct isup_msg);
	struct isup_param *p;
	int rc;

	if (!m)
		return -ENOMEM;
	isup_msg_init(m, type, cic);
	p = isup_msg_param_find(m, ISUP_PAR_CAUSE);
	/* Q.763 §3.12 / Q.850: ITU-T coding standard */
	p->u.cause.location = location;
	p->u.cause.value = cause;
	if (diag_len) {
		memcpy(p->u.cause.diag, diag, diag_len);
		p->u.cause.diag_len = diag_len;
	}
	rc = isup_trunk_tx(t, m);
	talloc_free(m);
	return rc;
}

int isup_trunk_tx_rel(struct isup_trunk *t, uint16_t cic, uint8_t cause, uint8_t location)
{
	return tx_cause(t, ISUP_MSG_REL, cic, cause, location, NULL, 0);
}

int isup_trunk_tx_rel_diag(struct isup_trunk *t, uint16_t cic, uint8_t cause, uint8_t location,
			   const uint8_t *diag, uint8_t diag_len)
{
	return tx_cause(t, ISUP_MSG_REL, cic, cause, location, diag, diag_len);
}

int isup_trunk_tx_rlc(struct isup_trunk *t, uint16_t cic)
{
	struct isup_msg *m;
	struct isup_param *p;
	int rc;

	if (!t->rlc_diag_len)
		return isup_trunk_tx_simple(t, ISUP_MSG_RLC, cic);
	m = talloc_zero(t, struct isup_msg);
	if (!m)
		return -ENOMEM;
	isup_msg_init(m, ISUP_MSG_RLC, cic);
	/* Q.763: the cause indicators of an RLC, Q.850 cause 99 with the
	 * parameter name codes as diagnostic */
	p = isup_msg_opt_add(m, ISUP_PAR_CAUSE);
	p->u.cause.location = ISUP_LOC_TRANSIT;
	p->u.cause.value = ISUP_CAUSE_PARAM_UNKNOWN;
	memcpy(p->u.cause.diag, t->rlc_diag, t->rlc_diag_len);
	p->u.cause.diag_len = t->rlc_diag_len;
	rc = isup_trunk_tx(t, m);
	talloc_free(m);
	return rc;
}

static int tx_group(struct isup_trunk *t, uint8_t type, uint16_t first, const struct isup_range_status *rs,
		    uint8_t cgsmt)
{
	struct isup_msg *m = talloc_zero(t, struct isup_msg);
	struct isup_param *p;
	int rc;

	if (!m)
		return -ENOMEM;
	isup_msg_init(m, type, first);
	p = isup_msg_param_find(m, ISUP_PAR_RANGE_STATUS);
	p->u.range_status = *rs;
	if (type == ISUP_MSG_GRS)
		p->u.range_status.status_len = 0;
	p = isup_msg_param_find(m, ISUP_PAR_CGSMT);
	if (p)
		p->u.u8 = cgsmt;
	rc = isup_trunk_tx(t, m);
	talloc_free(m);
	return rc;
}

/* Circuits */

static struct isup_cic *cic_find(const struct isup_trunk *t, uint16_t cic)
{
	unsigned int lo = 0, hi = t->num_cics;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (t->cics[mid]->cic == cic)
			return t->cics[mid];
		if (t->cics[mid]->cic < cic)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Q.764 §2.9.1.4 a): the exchange with the higher point code controls the
 * even-numbered circuits, the other exchange the odd ones */
bool isup_trunk_controls(const struct isup_trunk *t, uint16_t cic)
{
	bool even = (cic % 2) == 0;

	return t->opc > t->dpc ? even : !even;
}

static bool cic_selectable(const struct isup_cic *c)
{
	return !c->call && !c->unequipped && !c->await_reset && !c->blocking && !c->peer_seizing;
}

struct isup_cic *isup_trunk_cic_pick(struct isup_trunk *t, const struct isup_cic *except)
{
	struct isup_cic *best = NULL;
	bool best_ctl = false;
	unsigned int i;

	for (i = 0; i < t->num_cics; i++) {
		struct isup_cic *c = t->cics[i];
		bool ctl;

		if (c == except || !cic_selectable(c))
			continue;
		ctl = isup_trunk_controls(t, c->cic);
		if (!best || (ctl && !best_ctl) || (ctl == best_ctl && c->last_used < best->last_used)) {
			best = c;
			best_ctl = ctl;
		}
	}
	return best;
}

void isup_trunk_alert(struct isup_trunk *t, uint16_t cic, const char *what)
{
	LOGP(DSS7, LOGL_ERROR, "%s: CIC %u: maintenance alert: %s\n", t->name, cic, what);
	ctr_inc(t, ISUP_TRUNK_CTR_MAINT_ALERT);
	if (t->ops.alert)
		t->ops.alert(t, cic, what, t->priv);
}

void isup_trunk_ctr_rel(struct isup_trunk *t, uint8_t cause)
{
	switch (cause) {
	case ISUP_CAUSE_NORMAL_CLEARING:
		ctr_inc(t, ISUP_TRUNK_CTR_REL_NORMAL);
		break;
	case ISUP_CAUSE_USER_BUSY:
		ctr_inc(t, ISUP_TRUNK_CTR_REL_BUSY);
		break;
	case ISUP_CAUSE_NO_USER_RESPONDING:
	case ISUP_CAUSE_NO_ANSWER:
		ctr_inc(t, ISUP_TRUNK_CTR_REL_NO_ANSWER);
		break;
	case ISUP_CAUSE_CALL_REJECTED:
		ctr_inc(t, ISUP_TRUNK_CTR_REL_REJECTED);
		break;
	case ISUP_CAUSE_RECOVERY_ON_TIMER:
		ctr_inc(t, ISUP_TRUNK_CTR_REL_TIMER);
		break;
	default:
		ctr_inc(t, ISUP_TRUNK_CTR_REL_OTHER);
		break;
	}
}

/* Take the call off a circuit (Q.764: reset, UCIC, blocking, dual
 * seizure); the call repeats elsewhere or is released to its owner. */
static void cic_call_lost(struct isup_cic *c, uint8_t cause, const char *reason, bool rlc_equivalent,
			  bool release_old)
{
	struct isup_call_lost lost = {
		.cause = cause,
		.reason = reason,
		.rlc_equivalent = rlc_equivalent,
		.release_old = release_old,
	};
	struct isup_call *call = c->call;

	if (!call)
		return;
	osmo_fsm_inst_dispatch(call->fi, ISUP_CALL_EV_CIRCUIT_LOST, &lost);
	/* whatever the call did, it is no longer on this circuit (a release
	 * of the circuit after a BLO may have put its own FSM there) */
	OSMO_ASSERT(c->call != call);
}

static bool cic_awaiting_first_backward(const struct isup_cic *c)
{
	return c->call && c->call->outgoing && c->call->fi->state == ISUP_CALL_ST_OUT_IAM_SENT &&
	       !c->call->backward_rx;
}

/* The retransmission of a request on one circuit, allocated when the
 * request is sent (\a *slot holds it); NULL (logged) without memory: the
 * request then goes once, and its acknowledgement is still taken */
static struct isup_cic_retx *cic_retx_get(struct isup_cic *c, struct isup_cic_retx **slot, const char *what)
{
	if (*slot)
		return *slot;
	*slot = talloc_zero(c->trunk, struct isup_cic_retx);
	if (!*slot) {
		LOGP(DSS7, LOGL_ERROR, "%s: CIC %u: no memory for the timers of %s: sent once, not repeated\n",
		     c->trunk->name, c->cic, what);
		return NULL;
	}
	(*slot)->cic = c;
	return *slot;
}

static void cic_retx_free(struct isup_cic_retx **slot)
{
	if (!*slot)
		return;
	retx_stop(&(*slot)->retx);
	TALLOC_FREE(*slot);
}

/* Q.764 §2.9.3.1: reset circuit, T16/T17 */
static void cic_rsc_resend(struct isup_retx *rx, bool alert)
{
	struct isup_cic *c = container_of(rx, struct isup_cic_retx, retx)->cic;

	if (alert)
		isup_trunk_alert(c->trunk, c->cic, "no RLC for RSC within T17");
	ctr_inc(c->trunk, ISUP_TRUNK_CTR_RSC_TX);
	isup_trunk_tx_simple(c->trunk, ISUP_MSG_RSC, c->cic);
}

void isup_cic_reset_start(struct isup_cic *c)
{
	struct isup_cic_retx *r;

	cic_call_lost(c, ISUP_CAUSE_TEMPORARY_FAILURE, "circuit reset", true, false);
	c->await_reset = true;
	c->rsc_sent = true;
	ctr_inc(c->trunk, ISUP_TRUNK_CTR_RSC_TX);
	isup_trunk_tx_simple(c->trunk, ISUP_MSG_RSC, c->cic);
	r = cic_retx_get(c, &c->rsc, "RSC (T16/T17)");
	if (r)
		retx_start(&r->retx, ISUP_T16, ISUP_T17, cic_rsc_resend);
}

/* our RSC is acknowledged or no longer awaited */
static void cic_rsc_stop(struct isup_cic *c)
{
	cic_retx_free(&c->rsc);
	c->rsc_sent = false;
}

static void cic_reset_done(struct isup_cic *c)
{
	cic_rsc_stop(c);
	c->await_reset = false;
}

/* Q.764 §2.8.2: BLO (T12/T13) and UBL (T14/T15) */
static void cic_blk_resend(struct isup_retx *rx, bool alert)
{
	struct isup_cic *c = container_of(rx, struct isup_cic_retx, retx)->cic;

	if (alert)
		isup_trunk_alert(c->trunk, c->cic, c->blk_type == ISUP_MSG_BLO ? "no BLA within T13" :
				 "no UBA within T15");
	isup_trunk_tx_simple(c->trunk, c->blk_type, c->cic);
}

static void cic_blk_send(struct isup_cic *c, uint8_t type)
{
	struct isup_cic_retx *r;

	c->blk_type = type;
	isup_trunk_tx_simple(c->trunk, type, c->cic);
	r = cic_retx_get(c, &c->blk, type == ISUP_MSG_BLO ? "BLO (T12/T13)" : "UBL (T14/T15)");
	if (!r)
		return;
	if (type == ISUP_MSG_BLO)
		retx_start(&r->retx, ISUP_T12, ISUP_T13, cic_blk_resend);
	else
		retx_start(&r->retx, ISUP_T14, ISUP_T15, cic_blk_resend);
}

/* our BLO or UBL is acknowledged or no longer awaited */
static void cic_blk_stop(struct isup_cic *c)
{
	cic_retx_free(&c->blk);
	c->blk_type = 0;
}

/* the first segment awaiting its SGM is no longer awaited: \returns it,
 * for the caller to process and free, or NULL when none waited */
static struct isup_cic_seg *cic_seg_take(struct isup_cic *c)
{
	struct isup_cic_seg *s = c->seg;

	if (s) {
		osmo_timer_del(&s->t34);
		c->seg = NULL;
	}
	return s;
}

static void cic_stop_all(struct isup_cic *c)
{
	cic_rsc_stop(c);
	cic_blk_stop(c);
	talloc_free(cic_seg_take(c));
}

/* Trunk */

static int isup_trunk_destructor(struct isup_trunk *t)
{
	struct isup_grp_req *g, *g2;
	unsigned int i;

	t->in_free = true;
	for (i = 0; i < t->num_cics; i++) {
		struct isup_cic *c = t->cics[i];

		cic_stop_all(c);
		if (c->call) {
			c->call->owner_gone = true;
			osmo_fsm_inst_term(c->call->fi, OSMO_FSM_TERM_REQUEST, NULL);
		}
	}
	llist_for_each_entry_safe(g, g2, &t->grp_reqs, list) {
		retx_stop(&g->retx);
		llist_del(&g->list);
		talloc_free(g);
	}
	if (t->ctrs)
		rate_ctr_group_free(t->ctrs);
	llist_del(&t->list);
	return 0;
}

struct isup_trunk *isup_trunk_alloc(void *ctx, const char *name, uint32_t opc, uint32_t dpc,
				    const struct isup_trunk_ops *ops, void *priv)
{
	struct isup_trunk *t;

	if (!ops || !ops->send || !name || opc == dpc)
		return NULL;
	isup_tdefs_init();
	t = talloc_zero(ctx, struct isup_trunk);
	if (!t)
		return NULL;
	INIT_LLIST_HEAD(&t->grp_reqs);
	INIT_LLIST_HEAD(&t->list);
	talloc_set_destructor(t, isup_trunk_destructor);
	t->name = talloc_strdup(t, name);
	t->tx_first = talloc_zero(t, struct isup_msg);
	t->tx_sgm = talloc_zero(t, struct isup_msg);
	t->ctrs = rate_ctr_group_alloc(t, &isup_trunk_ctrg_desc, isup_trunk_idx++);
	if (!t->name || !t->tx_first || !t->tx_sgm || !t->ctrs) {
		talloc_free(t);
		return NULL;
	}
	rate_ctr_group_set_name(t->ctrs, name);
	t->opc = opc;
	t->dpc = dpc;
	t->ops = *ops;
	t->priv = priv;
	t->max_sif_len = ISUP_MTP3_SIF_MAX;
	t->ov_min_digits = 1;
	t->ov_max_digits = ISUP_NUMBER_MAX_DIGITS;
	llist_add_tail(&t->list, &isup_trunks);
	return t;
}

void isup_trunk_free(struct isup_trunk *t)
{
	talloc_free(t);
}

int isup_trunk_add_cics(struct isup_trunk *t, uint16_t first, uint16_t last)
{
	struct isup_cic **n, *range;
	unsigned int i, j, count;

	if (first > last || last > ISUP_CIC_MAX)
		return -EINVAL;
	for (i = 0; i < t->num_cics; i++) {
		if (t->cics[i]->cic >= first && t->cics[i]->cic <= last)
			return -EEXIST;
	}
	count = last - first + 1;
	n = talloc_realloc(t, t->cics, struct isup_cic *, t->num_cics + count);
	if (!n)
		return -ENOMEM;
	t->cics = n;
	/* one allocation for the range: talloc's header (about 100 bytes)
	 * would cost more than an idle circuit itself; a circuit does not
	 * move, calls hold pointers to it */
	range = talloc_zero_array(t, struct isup_cic, count);
	if (!range)
		return -ENOMEM;
	for (j = 0; j < count; j++) {
		struct isup_cic *c = &range[j];

		c->trunk = t;
		c->cic = first + j;
		/* until the peer confirmed a reset, Q.764 §2.9.3 */
		c->await_reset = true;
		t->cics[t->num_cics + j] = c;
	}
	t->num_cics += count;
	/* keep them sorted for cic_find(): insertion sort, ranges are few */
	for (i = 1; i < t->num_cics; i++) {
		struct isup_cic *c = t->cics[i];

		for (j = i; j > 0 && t->cics[j - 1]->cic > c->cic; j--)
			t->cics[j] = t->cics[j - 1];
		t->cics[j] = c;
	}
	return 0;
}

int isup_trunk_set_ni(struct isup_trunk *t, uint8_t ni)
{
	if (ni > 3)
		return -EINVAL;
	t->ni = ni;
	return 0;
}

int isup_trunk_set_overlap(struct isup_trunk *t, bool overlap, unsigned int min_digits,
			   unsigned int max_digits)
{
	if (min_digits < 1 || min_digits > max_digits || max_digits > ISUP_NUMBER_MAX_DIGITS)
		return -EINVAL;
	t->overlap = overlap;
	t->ov_min_digits = (uint8_t)min_digits;
	t->ov_max_digits = (uint8_t)max_digits;
	return 0;
}

int isup_trunk_set_max_sif(struct isup_trunk *t, size_t max_sif_len)
{
	/* at least a routing label and an RSC; at most what our buffer takes */
	if (max_sif_len < ISUP_MTP3_ROUTING_LABEL_LEN + 16 || max_sif_len > ISUP_MTP3_SIF_MAX * 16)
		return -EINVAL;
	t->max_sif_len = max_sif_len;
	return 0;
}

struct isup_trunk *isup_trunk_find(const char *name)
{
	struct isup_trunk *t;

	llist_for_each_entry(t, &isup_trunks, list) {
		if (!strcmp(t->name, name))
			return t;
	}
	return NULL;
}

/* Circuit group requests: GRS (T22/T23), CGB (T18/T19), CGU (T20/T21) */

static void grp_resend(struct isup_retx *rx, bool alert)
{
	struct isup_grp_req *g = container_of(rx, struct isup_grp_req, retx);

	if (alert)
		isup_trunk_alert(g->trunk, g->first, g->type == ISUP_MSG_GRS ? "no GRA within T23" :
				 g->type == ISUP_MSG_CGB ? "no CGBA within T19" : "no CGUA within T21");
	if (g->type == ISUP_MSG_GRS)
		ctr_inc(g->trunk, ISUP_TRUNK_CTR_GRS_TX);
	tx_group(g->trunk, g->type, g->first, &g->rs, 0);
}

static struct isup_grp_req *grp_find(struct isup_trunk *t, uint8_t type, uint16_t first)
{
	struct isup_grp_req *g;

	llist_for_each_entry(g, &t->grp_reqs, list) {
		if (g->type == type && g->first == first)
			return g;
	}
	return NULL;
}

static void grp_free(struct isup_grp_req *g)
{
	retx_stop(&g->retx);
	llist_del(&g->list);
	talloc_free(g);
}

static int grp_start(struct isup_trunk *t, uint8_t type, uint16_t first, const struct isup_range_status *rs)
{
	struct isup_grp_req *g = talloc_zero(t, struct isup_grp_req);

	if (!g)
		return -ENOMEM;
	g->trunk = t;
	g->type = type;
	g->first = first;
	g->range = rs->range;
	g->rs = *rs;
	llist_add_tail(&g->list, &t->grp_reqs);
	if (type == ISUP_MSG_GRS)
		ctr_inc(t, ISUP_TRUNK_CTR_GRS_TX);
	tx_group(t, type, first, rs, 0);
	if (type == ISUP_MSG_GRS)
		retx_start(&g->retx, ISUP_T22, ISUP_T23, grp_resend);
	else if (type == ISUP_MSG_CGB)
		retx_start(&g->retx, ISUP_T18, ISUP_T19, grp_resend);
	else
		retx_start(&g->retx, ISUP_T20, ISUP_T21, grp_resend);
	return 0;
}

/* Q.764 §2.9.3: once every circuit is reset after the peer became
 * reachable, say so once at NOTICE: from here on the trunk carries its
 * full load, and a log at NOTICE (no per-call lines) can wait for it */
static void trunk_reset_check_done(struct isup_trunk *t)
{
	unsigned int i;

	if (!t->resetting)
		return;
	for (i = 0; i < t->num_cics; i++) {
		if (t->cics[i]->await_reset)
			return;
	}
	t->resetting = false;
	LOGP(DSS7, LOGL_NOTICE, "%s: all %u circuits reset\n", t->name, t->num_cics);
}

/* Q.764 §2.9.3.2: reset all our circuits, GRS per run of up to 32
 * consecutive CICs, RSC for a lone one */
static void trunk_reset_all(struct isup_trunk *t)
{
	struct isup_grp_req *g, *g2;
	unsigned int i = 0;

	llist_for_each_entry_safe(g, g2, &t->grp_reqs, list) {
		if (g->type == ISUP_MSG_GRS)
			grp_free(g);
	}
	/* all circuits first, so that no call repeats on one about to be reset */
	for (i = 0; i < t->num_cics; i++)
		t->cics[i]->await_reset = true;
	t->resetting = true;
	i = 0;
	while (i < t->num_cics) {
		unsigned int n = 1, k;
		struct isup_range_status rs = { 0 };

		while (i + n < t->num_cics && n < ISUP_GRS_MAX_CIRCUITS &&
		       t->cics[i + n]->cic == t->cics[i]->cic + n)
			n++;
		for (k = 0; k < n; k++) {
			struct isup_cic *c = t->cics[i + k];

			cic_call_lost(c, ISUP_CAUSE_TEMPORARY_FAILURE, "circuit group reset", true, false);
			cic_rsc_stop(c);
			/* a fresh start: the peer tells us again what it lacks */
			c->unequipped = false;
			c->await_reset = true;
		}
		if (n == 1) {
			isup_cic_reset_start(t->cics[i]);
		} else {
			rs.range = n - 1;
			if (grp_start(t, ISUP_MSG_GRS, t->cics[i]->cic, &rs) < 0)
				LOGP(DSS7, LOGL_ERROR, "%s: CIC %u: no memory for GRS\n", t->name,
				     t->cics[i]->cic);
		}
		i += n;
	}
}

void isup_trunk_mtp_available(struct isup_trunk *t, bool available)
{
	if (available == t->available)
		return;
	t->available = available;
	LOGP(DSS7, available ? LOGL_NOTICE : LOGL_ERROR, "%s: peer %u %s\n", t->name, t->dpc,
	     available ? "reachable: resetting all circuits" : "unreachable");
	if (available)
		trunk_reset_all(t);
}

bool isup_trunk_ready(const struct isup_trunk *t)
{
	return t->available && !t->resetting;
}

/* Reception */

static void rx_log_unexpected(struct isup_trunk *t, struct isup_cic *c, const struct isup_msg *msg,
			      const char *why)
{
	LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: %s %s, discarded\n", t->name, c->cic,
	     isup_msg_type_name(msg->type), why);
	ctr_inc(t, ISUP_TRUNK_CTR_UNEXPECTED);
}

static int rx_iam(struct isup_trunk *t, struct isup_cic *c, const struct isup_msg *msg)
{
	struct isup_call *call;
	int rc;

	if (c->await_reset) {
		rx_log_unexpected(t, c, msg, "while the circuit awaits its reset acknowledgement");
		return -EPROTO;
	}
	if (c->blocking & ISUP_BLK_LOCAL_MAINT) {
		/* the peer must not seize a circuit we blocked (Q.764
		 * §2.8.2.1): it missed our BLO, so tell it again */
		rx_log_unexpected(t, c, msg, "on a locally blocked circuit, BLO sent again");
		isup_trunk_tx_simple(t, ISUP_MSG_BLO, c->cic);
		return -EPROTO;
	}
	if (c->blocking & ISUP_BLK_REMOTE_HW) {
		rx_log_unexpected(t, c, msg, "on a circuit the peer blocked for hardware failure");
		return -EPROTO;
	}
	if (c->blocking & ISUP_BLK_REMOTE_MAINT) {
		/* Q.764 §2.8.2.3: an IAM removes the remote blocking */
		LOGP(DSS7, LOGL_INFO, "%s: CIC %u: IAM on a remotely blocked circuit: unblocked\n", t->name,
		     c->cic);
		c->blocking &= ~ISUP_BLK_REMOTE_MAINT;
	}
	c->unequipped = false;
	if (c->call) {
		if (!cic_awaiting_first_backward(c)) {
			/* the peer thinks the circuit idle, we do not: only a
			 * reset brings both ends back to the same state */
			rx_log_unexpected(t, c, msg, "on a busy circuit, circuit reset");
			isup_cic_reset_start(c);
			return -EPROTO;
		}
		/* Q.764 §2.9.1.2-§2.9.1.4: dual seizure */
		ctr_inc(t, ISUP_TRUNK_CTR_DUAL_SEIZURE);
		if (isup_trunk_controls(t, c->cic)) {
			LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: dual seizure, we control this circuit: "
			     "incoming IAM disregarded\n", t->name, c->cic);
			return 0;
		}
		LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: dual seizure, the peer controls this circuit: "
		     "our call backs off\n", t->name, c->cic);
		/* Q.764 §2.9.1.4 b): the repeat attempt goes on another
		 * circuit; this one belongs to the peer's call from now on */
		c->peer_seizing = true;
		cic_call_lost(c, ISUP_CAUSE_NO_CIRCUIT, "dual seizure", false, false);
		c->peer_seizing = false;
	}
	call = isup_call_fsm_start(t, c, false, msg, NULL, &rc);
	if (!call) {
		LOGP(DSS7, LOGL_ERROR, "%s: CIC %u: no memory for an incoming call: REL 47\n", t->name, c->cic);
		isup_trunk_tx_rel(t, c->cic, ISUP_CAUSE_RESOURCE_UNAVAIL, 0x03);
		return rc;
	}
	ctr_inc(t, ISUP_TRUNK_CTR_CALL_IN);
	LOGP(DSS7, LOGL_INFO, "%s: CIC %u: incoming IAM\n", t->name, c->cic);
	/* Q.764 §2.1.8: with a continuity check the call waits for the COT */
	if (!isup_call_awaits_cot(call))
		isup_call_offer(call, msg);
	return 0;
}

static int rx_call_msg(struct isup_trunk *t, struct isup_cic *c, const struct isup_msg *msg, uint32_t event)
{
	if (c->call) {
		osmo_fsm_inst_dispatch(c->call->fi, event, (void *)msg);
		return 0;
	}
	if (msg->type == ISUP_MSG_RLC) {
		if (c->rsc_sent) {
			/* Q.764 §2.9.3.1: RLC acknowledges our RSC */
			LOGP(DSS7, LOGL_INFO, "%s: CIC %u: reset acknowledged\n", t->name, c->cic);
			cic_reset_done(c);
			trunk_reset_check_done(t);
			return 0;
		}
		/* Q.764 §2.9.5.1 b) */
		rx_log_unexpected(t, c, msg, "on an idle circuit");
		return -EPROTO;
	}
	if (msg->type == ISUP_MSG_REL) {
		/* Q.764 §2.9.5.1 a): acknowledge with RLC */
		LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: REL on an idle circuit, RLC sent\n", t->name, c->cic);
		ctr_inc(t, ISUP_TRUNK_CTR_UNEXPECTED);
		isup_trunk_tx_rlc(t, c->cic);
		return -EPROTO;
	}
	if (c->await_reset) {
		rx_log_unexpected(t, c, msg, "while the circuit awaits its reset acknowledgement");
		return -EPROTO;
	}
	/* Q.764 §2.9.5.1 d): other unexpected messages on an idle circuit */
	rx_log_unexpected(t, c, msg, "on an idle circuit, circuit reset");
	isup_cic_reset_start(c);
	return -EPROTO;
}

static int rx_rsc(struct isup_trunk *t, struct isup_cic *c)
{
	ctr_inc(t, ISUP_TRUNK_CTR_RSC_RX);
	LOGP(DSS7, LOGL_INFO, "%s: CIC %u: RSC received\n", t->name, c->cic);
	/* Q.764 §2.9.3.1: release any call, remove remote blocking, RLC;
	 * a locally blocked circuit is blocked again with BLO */
	cic_call_lost(c, ISUP_CAUSE_TEMPORARY_FAILURE, "RSC received", true, false);
	c->blocking &= ~ISUP_BLK_REMOTE_MAINT;
	c->unequipped = false;
	if (!c->rsc_sent && !grp_find(t, ISUP_MSG_GRS, c->cic))
		c->await_reset = false;
	isup_trunk_tx_simple(t, ISUP_MSG_RLC, c->cic);
	if (c->blocking & ISUP_BLK_LOCAL_MAINT)
		cic_blk_send(c, ISUP_MSG_BLO);
	return 0;
}

/* the status bit of circuit \a i of a range and status parameter */
static bool rs_bit(const struct isup_range_status *rs, unsigned int i)
{
	return i / 8 < rs->status_len && (rs->status[i / 8] & (1 << (i % 8)));
}

static void rs_set(struct isup_range_status *rs, unsigned int i)
{
	rs->status[i / 8] |= 1 << (i % 8);
}

static int rx_grs(struct isup_trunk *t, struct isup_cic *c, const struct isup_msg *msg)
{
	const struct isup_param *p = isup_msg_param_find_c(msg, ISUP_PAR_RANGE_STATUS);
	struct isup_range_status ack = { 0 };
	unsigned int i;

	/* Q.764 §2.9.3.2: range 1..31, otherwise the GRS is discarded */
	if (!p || p->u.range_status.range < 1 || p->u.range_status.range > 31) {
		rx_log_unexpected(t, c, msg, "with a range outside 1..31");
		return -EPROTO;
	}
	ctr_inc(t, ISUP_TRUNK_CTR_GRS_RX);
	ack.range = p->u.range_status.range;
	ack.status_len = ack.range / 8 + 1;
	for (i = 0; i <= ack.range; i++) {
		struct isup_cic *x = cic_find(t, c->cic + i);

		if (!x)
			continue;
		cic_call_lost(x, ISUP_CAUSE_TEMPORARY_FAILURE, "GRS received", true, false);
		x->blocking &= ~ISUP_BLK_REMOTE_MAINT;
		x->unequipped = false;
		if (!x->rsc_sent && !grp_find(t, ISUP_MSG_GRS, x->cic))
			x->await_reset = false;
		/* Q.763 §3.43: GRA status bit 1 = locally blocked for maintenance */
		if (x->blocking & ISUP_BLK_LOCAL_MAINT)
			rs_set(&ack, i);
	}
	LOGP(DSS7, LOGL_INFO, "%s: CIC %u: GRS for %u circuits, GRA sent\n", t->name, c->cic, ack.range + 1);
	return tx_group(t, ISUP_MSG_GRA, c->cic, &ack, 0);
}

static int rx_gra(struct isup_trunk *t, struct isup_cic *c, const struct isup_msg *msg)
{
	const struct isup_param *p = isup_msg_param_find_c(msg, ISUP_PAR_RANGE_STATUS);
	struct isup_grp_req *g = grp_find(t, ISUP_MSG_GRS, c->cic);
	unsigned int i;

	if (!g || !p || p->u.range_status.range != g->range) {
		/* Q.764 §2.9.3.2: a GRA that answers no GRS of ours */
		rx_log_unexpected(t, c, msg, "answering no GRS of ours");
		return -EPROTO;
	}
	for (i = 0; i <= g->range; i++) {
		struct isup_cic *x = cic_find(t, c->cic + i);

		if (!x)
			continue;
		if (!x->rsc_sent)
			x->await_reset = false;
		/* the peer's locally blocked circuits are remotely blocked to us */
		if (rs_bit(&p->u.range_status, i))
			x->blocking |= ISUP_BLK_REMOTE_MAINT;
		else
			x->blocking &= ~ISUP_BLK_REMOTE_MAINT;
	}
	LOGP(DSS7, LOGL_INFO, "%s: CIC %u: GRA, %u circuits reset\n", t->name, c->cic, g->range + 1);
	grp_free(g);
	trunk_reset_check_done(t);
	return 0;
}

static int rx_blo(struct isup_trunk *t, struct isup_cic *c)
{
	/* Q.764 §2.8.2.1: BLA; a call we are setting up on the circuit
	 * makes a repeat attempt and is released here in the normal way */
	c->blocking |= ISUP_BLK_REMOTE_MAINT;
	LOGP(DSS7, LOGL_INFO, "%s: CIC %u: blocked by the peer\n", t->name, c->cic);
	isup_trunk_tx_simple(t, ISUP_MSG_BLA, c->cic);
	if (cic_awaiting_first_backward(c))
		cic_call_lost(c, ISUP_CAUSE_TEMPORARY_FAILURE, "BLO received", false, true);
	return 0;
}

static int rx_ubl(struct isup_trunk *t, struct isup_cic *c)
{
	c->blocking &= ~ISUP_BLK_REMOTE_MAINT;
	LOGP(DSS7, LOGL_INFO, "%s: CIC %u: unblocked by the peer\n", t->name, c->cic);
	return isup_trunk_tx_simple(t, ISUP_MSG_UBA, c->cic);
}

static int rx_bla_uba(struct isup_trunk *t, struct isup_cic *c, const struct isup_msg *msg)
{
	uint8_t want = msg->type == ISUP_MSG_BLA ? ISUP_MSG_BLO : ISUP_MSG_UBL;

	if (c->blk_type == want) {
		cic_blk_stop(c);
		LOGP(DSS7, LOGL_INFO, "%s: CIC %u: %s\n", t->name, c->cic,
		     want == ISUP_MSG_BLO ? "blocking acknowledged" : "unblocking acknowledged");
		return 0;
	}
	/* Q.764 §2.9.4: an acknowledgement that contradicts our state is
	 * answered with the message that restates it */
	if (msg->type == ISUP_MSG_BLA && !(c->blocking & ISUP_BLK_LOCAL_MAINT)) {
		rx_log_unexpected(t, c, msg, "for a circuit we did not block, UBL sent");
		cic_blk_send(c, ISUP_MSG_UBL);
	} else if (msg->type == ISUP_MSG_UBA && (c->blocking & ISUP_BLK_LOCAL_MAINT)) {
		rx_log_unexpected(t, c, msg, "for a circuit we keep blocked, BLO sent");
		cic_blk_send(c, ISUP_MSG_BLO);
	} else {
		rx_log_unexpected(t, c, msg, "not awaited");
	}
	return -EPROTO;
}

static int rx_cgb_cgu(struct isup_trunk *t, struct isup_cic *c, const struct isup_msg *msg)
{
	const struct isup_param *pt = isup_msg_param_find_c(msg, ISUP_PAR_CGSMT);
	const struct isup_param *p = isup_msg_param_find_c(msg, ISUP_PAR_RANGE_STATUS);
	bool block = msg->type == ISUP_MSG_CGB;
	struct isup_range_status ack = { 0 };
	unsigned int bit, i;
	uint8_t cgsmt;

	/* Q.763 §3.13: 0 maintenance oriented, 1 hardware failure oriented;
	 * Q.764 §2.8.3: range 0..31 (at most 32 circuits) */
	if (!pt || !p || pt->u.u8 > 1 || p->u.range_status.range > 31) {
		rx_log_unexpected(t, c, msg, "with a spare type indicator or a range above 31");
		return -EPROTO;
	}
	cgsmt = pt->u.u8;
	bit = cgsmt ? ISUP_BLK_REMOTE_HW : ISUP_BLK_REMOTE_MAINT;
	ack.range = p->u.range_status.range;
	ack.status_len = ack.range / 8 + 1;
	for (i = 0; i <= ack.range; i++) {
		struct isup_cic *x;

		if (!rs_bit(&p->u.range_status, i))
			continue;
		x = cic_find(t, c->cic + i);
		if (!x)
			continue;
		rs_set(&ack, i);
		if (!block) {
			x->blocking &= ~bit;
			continue;
		}
		x->blocking |= bit;
		if (cgsmt)
			/* Q.764 §2.8.3: hardware blocking releases the calls */
			cic_call_lost(x, ISUP_CAUSE_TEMPORARY_FAILURE, "CGB (hardware failure)", true, false);
		else if (cic_awaiting_first_backward(x))
			cic_call_lost(x, ISUP_CAUSE_TEMPORARY_FAILURE, "CGB received", false, true);
	}
	LOGP(DSS7, LOGL_INFO, "%s: CIC %u: %s (%s) for range %u\n", t->name, c->cic,
	     isup_msg_type_name(msg->type), cgsmt ? "hardware" : "maintenance", ack.range);
	return tx_group(t, block ? ISUP_MSG_CGBA : ISUP_MSG_CGUA, c->cic, &ack, cgsmt);
}

static int rx_cgba_cgua(struct isup_trunk *t, struct isup_cic *c, const struct isup_msg *msg)
{
	uint8_t want = msg->type == ISUP_MSG_CGBA ? ISUP_MSG_CGB : ISUP_MSG_CGU;
	const struct isup_param *p = isup_msg_param_find_c(msg, ISUP_PAR_RANGE_STATUS);
	struct isup_grp_req *g = grp_find(t, want, c->cic);

	if (!g || !p || p->u.range_status.range != g->range) {
		rx_log_unexpected(t, c, msg, "answering no request of ours");
		return -EPROTO;
	}
	if (p->u.range_status.status_len != g->rs.status_len ||
	    memcmp(p->u.range_status.status, g->rs.status, g->rs.status_len))
		/* Q.764 §2.9.4: the operator has to look at it */
		isup_trunk_alert(t, c->cic, "group (un)blocking acknowledged for other circuits than requested");
	LOGP(DSS7, LOGL_INFO, "%s: CIC %u: %s\n", t->name, c->cic, isup_msg_type_name(msg->type));
	grp_free(g);
	return 0;
}

static int rx_ucic(struct isup_trunk *t, struct isup_cic *c)
{
	/* Q.764 §2.12: the peer has no such circuit: out of service, alert,
	 * a call being set up on it makes a repeat attempt */
	ctr_inc(t, ISUP_TRUNK_CTR_UCIC_RX);
	c->unequipped = true;
	cic_rsc_stop(c);
	cic_blk_stop(c);
	c->await_reset = false;
	isup_trunk_alert(t, c->cic, "UCIC: circuit unequipped at the peer, taken out of service");
	cic_call_lost(c, ISUP_CAUSE_TEMPORARY_FAILURE, "UCIC received", true, false);
	return 0;
}

static int rx_cfn(struct isup_trunk *t, struct isup_cic *c, const struct isup_msg *msg)
{
	const struct isup_param *p = isup_msg_param_find_c(msg, ISUP_PAR_CAUSE);

	/* Q.764 §2.9.5.2: CFN is never answered */
	ctr_inc(t, ISUP_TRUNK_CTR_CFN_RX);
	LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: CFN received, cause %u, diagnostic %s\n", t->name, c->cic,
	     p ? p->u.cause.value : 0, p ? osmo_hexdump_nospc(p->u.cause.diag, p->u.cause.diag_len) : "");
	return 0;
}

/* Q.764 §2.8, circuit group query (national use): CQR with the state of
 * each circuit of the range as this side sees it (Q.763 §3.14); a circuit
 * that is not ours is "unequipped", one awaiting its reset acknowledgement
 * "transient".  The query changes nothing. */
static uint8_t cic_query_state(const struct isup_trunk *t, uint16_t cic)
{
	const struct isup_cic *x = cic > ISUP_CIC_MAX ? NULL : cic_find(t, cic);
	uint8_t call, maint = 0, hw = 0;

	if (!x)
		return ISUP_CSI_UNEQUIPPED;
	if (x->await_reset && !x->call)
		return ISUP_CSI_TRANSIENT;
	if (x->call)
		call = x->call->outgoing ? ISUP_CSI_CALL_OUT_BUSY : ISUP_CSI_CALL_IN_BUSY;
	else
		call = ISUP_CSI_CALL_IDLE;
	if (x->blocking & ISUP_BLK_LOCAL_MAINT)
		maint |= ISUP_CSI_BLK_LOCAL;
	if (x->blocking & ISUP_BLK_REMOTE_MAINT)
		maint |= ISUP_CSI_BLK_REMOTE;
	if (x->blocking & ISUP_BLK_LOCAL_HW)
		hw |= ISUP_CSI_BLK_LOCAL;
	if (x->blocking & ISUP_BLK_REMOTE_HW)
		hw |= ISUP_CSI_BLK_REMOTE;
	return ISUP_CSI(maint, call, hw);
}

static int rx_cqm(struct isup_trunk *t, struct isup_cic *c, const struct isup_msg *msg)
{
	const struct isup_param *p = isup_msg_param_find_c(msg, ISUP_PAR_RANGE_STATUS);
	struct isup_param *cs;
	struct isup_msg *m;
	unsigned int i;
	int rc;

	/* Q.763 §3.43: range 0..31 in a CQM; a larger one is discarded
	 * like a GRS out of its range (Q.764 §2.9.3.2) */
	if (!p || p->u.range_status.range > 31) {
		rx_log_unexpected(t, c, msg, "with a range above 31");
		return -EPROTO;
	}
	m = talloc_zero(t, struct isup_msg);
	if (!m)
		return -ENOMEM;
	isup_msg_init(m, ISUP_MSG_CQR, c->cic);
	isup_msg_param_find(m, ISUP_PAR_RANGE_STATUS)->u.range_status.range = p->u.range_status.range;
	cs = isup_msg_param_find(m, ISUP_PAR_CIRCUIT_STATE);
	cs->u.csi.num = p->u.range_status.range + 1;
	for (i = 0; i < cs->u.csi.num; i++)
		cs->u.csi.state[i] = cic_query_state(t, c->cic + i);
	ctr_inc(t, ISUP_TRUNK_CTR_CQM_RX);
	LOGP(DSS7, LOGL_INFO, "%s: CIC %u: CQM for %u circuits, CQR sent\n", t->name, c->cic, cs->u.csi.num);
	rc = isup_trunk_tx(t, m);
	talloc_free(m);
	return rc;
}

/* ------------------------------------------------------------------------
 * Q.764 §2.9.5.3: unrecognized messages and parameters
 *
 * stiwfd is a Type A exchange in Q.764's terms (§2.9.5.2): the call leaves
 * ISUP here for SIP, which has no place for ISUP information it does not
 * know, and there is no ISUP beyond it to pass it on to.  So the transit at
 * intermediate exchange indicator (A) does not apply, and wherever the
 * instructions say "pass on", the pass on not possible indicator decides.
 * The broadband/narrowband interworking indicator applies to BICC/ISUP
 * interworking, which stiwfd does not do.
 * ------------------------------------------------------------------------ */

enum compat_action {
	COMPAT_PROCESS,		/* nothing unrecognized, or the parameters removed */
	COMPAT_DISCARD_PARAMS,
	COMPAT_DISCARD_MSG,
	COMPAT_RELEASE,
};

static const struct value_string compat_action_names[] = {
	{ COMPAT_PROCESS,		"process" },
	{ COMPAT_DISCARD_PARAMS,	"discard parameter" },
	{ COMPAT_DISCARD_MSG,		"discard message" },
	{ COMPAT_RELEASE,		"release call" },
	{ 0, NULL }
};

struct compat {
	enum compat_action action;
	bool notify;
	uint8_t cause;			/* of the REL or CFN */
	uint8_t diag_len;
	uint8_t diag[ISUP_DIAG_MAX];	/* the message type, or parameter codes */
};

/* Q.763 §3.33 instruction indicators of a message, Type A */
static enum compat_action compat_mci_action(uint8_t instr)
{
	if (instr & ISUP_PCI_RELEASE_CALL)
		return COMPAT_RELEASE;
	if (instr & ISUP_PCI_DISCARD_MESSAGE)
		return COMPAT_DISCARD_MSG;
	/* pass on: not possible; E: 0 release call, 1 discard information */
	return (instr & ISUP_MCI_PASS_ON_NOT_POSSIBLE) ? COMPAT_DISCARD_MSG : COMPAT_RELEASE;
}

/* Q.763 §3.41 instruction indicators of a parameter, Type A */
static enum compat_action compat_pci_action(uint8_t instr)
{
	if (instr & ISUP_PCI_RELEASE_CALL)
		return COMPAT_RELEASE;
	if (instr & ISUP_PCI_DISCARD_MESSAGE)
		return COMPAT_DISCARD_MSG;
	if (instr & ISUP_PCI_DISCARD_PARAM)
		return COMPAT_DISCARD_PARAMS;
	/* pass on: not possible; GF: 00 release call, 01 discard message,
	 * 10 discard parameter, 11 reserved, taken as 00 */
	switch ((instr & ISUP_PCI_PASS_ON_NOT_POSSIBLE) >> 5) {
	case 1:
		return COMPAT_DISCARD_MSG;
	case 2:
		return COMPAT_DISCARD_PARAMS;
	default:
		return COMPAT_RELEASE;
	}
}

static void diag_add(struct compat *cp, uint8_t code)
{
	unsigned int i;

	for (i = 0; i < cp->diag_len; i++) {
		if (cp->diag[i] == code)
			return;
	}
	if (cp->diag_len < sizeof(cp->diag))
		cp->diag[cp->diag_len++] = code;
}

/* Q.764 §2.9.5.3.1: a message of a type we do not recognize, or whose
 * procedure stiwfd does not implement, by its message compatibility
 * information; without one, discard it and send CFN (cause 97) */
static void compat_msg(struct compat *cp, const struct isup_msg *msg)
{
	const struct isup_param *mci = isup_msg_param_find_c(msg, ISUP_PAR_MCI);

	memset(cp, 0, sizeof(*cp));
	cp->cause = ISUP_CAUSE_MSG_TYPE_UNKNOWN;
	diag_add(cp, msg->type);
	if (!mci || mci->opaque) {
		cp->action = COMPAT_DISCARD_MSG;
		cp->notify = true;
		return;
	}
	cp->action = compat_mci_action(mci->u.mci.instr[0]);
	cp->notify = mci->u.mci.instr[0] & ISUP_PCI_SEND_NOTIFICATION;
}

static const uint8_t *pci_instr(const struct isup_msg *msg, uint8_t code)
{
	unsigned int i, j;

	for (i = 0; i < msg->num_opt; i++) {
		const struct isup_param *p = &msg->opt[i];

		if (p->code != ISUP_PAR_PCI || p->opaque)
			continue;
		for (j = 0; j < p->u.pci.num && j < ISUP_PCI_MAX_ENTRIES; j++) {
			if (p->u.pci.entry[j].code == code)
				return p->u.pci.entry[j].instr;
		}
	}
	return NULL;
}

/* Q.764 §2.9.5.3.2: the unrecognized optional parameters of a message we
 * recognize, each by its entry in the parameter compatibility information;
 * without one, discard the parameter and send CFN (cause 99).  The gravest
 * action wins; the diagnostic names the parameters that ask for it (for a
 * discarded parameter, those that ask for a notification).  The parameters
 * to discard are removed from \a msg. */
static void compat_params(struct compat *cp, struct isup_msg *msg)
{
	enum compat_action act[ISUP_MAX_OPT];
	bool notify[ISUP_MAX_OPT];
	unsigned int i, n = 0;

	memset(cp, 0, sizeof(*cp));
	for (i = 0; i < msg->num_opt && i < ISUP_MAX_OPT; i++) {
		const uint8_t *instr;

		act[i] = COMPAT_PROCESS;
		notify[i] = false;
		if (isup_param_known(msg->opt[i].code))
			continue;
		instr = pci_instr(msg, msg->opt[i].code);
		if (instr) {
			act[i] = compat_pci_action(instr[0]);
			notify[i] = instr[0] & ISUP_PCI_SEND_NOTIFICATION;
		} else {
			act[i] = COMPAT_DISCARD_PARAMS;
			notify[i] = true;
		}
		if (act[i] > cp->action)
			cp->action = act[i];
		n++;
	}
	if (!n)
		return;
	for (i = 0; i < msg->num_opt && i < ISUP_MAX_OPT; i++) {
		if (act[i] != cp->action)
			continue;
		if (cp->action == COMPAT_RELEASE || notify[i]) {
			diag_add(cp, msg->opt[i].code);
			cp->notify = cp->notify || notify[i];
		}
	}
	switch (cp->action) {
	case COMPAT_RELEASE:
		cp->cause = ISUP_CAUSE_PARAM_UNKNOWN;
		break;
	case COMPAT_DISCARD_MSG:
		cp->cause = ISUP_CAUSE_MSG_PARAM_DISCARDED;
		break;
	default:
		cp->cause = ISUP_CAUSE_PARAM_UNKNOWN;
		break;
	}
	/* every unrecognized parameter goes, whatever the message's fate:
	 * none of them can reach the call or the owner */
	for (i = msg->num_opt; i-- > 0;) {
		if (act[i] != COMPAT_PROCESS)
			isup_msg_opt_del(msg, i);
	}
}

static const char *diag_str(const struct compat *cp)
{
	return osmo_hexdump_nospc(cp->diag, cp->diag_len);
}

/* Carry out "release call" and "discard message" (with or without
 * notification).  \returns -ENOTSUP: the message was not processed */
static int compat_apply(struct isup_trunk *t, struct isup_cic *c, const struct isup_msg *msg,
			const struct compat *cp)
{
	const char *tname = isup_msg_type_name(msg->type);

	if (cp->action == COMPAT_RELEASE) {
		struct isup_call_rel_req rq = { .cause = cp->cause, .diag = cp->diag, .diag_len = cp->diag_len };

		if (msg->type == ISUP_MSG_IAM) {
			/* the IAM seized the circuit: release what it set up,
			 * unless the circuit is not free for it (then the IAM
			 * would not be taken anyway, and must not touch the
			 * call already there) */
			if (c->call || c->await_reset) {
				LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: IAM, unrecognized %s: release call, but the "
				     "circuit is not idle: discarded\n", t->name, c->cic, diag_str(cp));
			} else {
				LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: IAM, unrecognized %s: release call, REL cause %u\n",
				     t->name, c->cic, diag_str(cp), cp->cause);
				isup_call_fsm_release_circuit(t, c, cp->cause, cp->diag, cp->diag_len);
			}
		} else if (c->call) {
			LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: %s (0x%02x), unrecognized %s: release call, cause %u\n",
			     t->name, c->cic, tname, msg->type, diag_str(cp), cp->cause);
			osmo_fsm_inst_dispatch(c->call->fi, ISUP_CALL_EV_RELEASE_REQ, &rq);
		} else if (c->await_reset) {
			LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: %s (0x%02x), unrecognized %s: release call, "
			     "but the circuit awaits its reset: discarded\n", t->name, c->cic, tname, msg->type,
			     diag_str(cp));
		} else {
			/* no call to release: the peer thinks there is one,
			 * and Q.764 brings the two ends together with the
			 * reset of §2.9.3.1, as for an unexpected message on
			 * an idle circuit (§2.9.5.1) */
			LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: %s (0x%02x), unrecognized %s: release call "
			     "on an idle circuit: circuit reset\n", t->name, c->cic, tname, msg->type, diag_str(cp));
			isup_cic_reset_start(c);
		}
		return -ENOTSUP;
	}
	/* COMPAT_DISCARD_MSG */
	if (cp->notify && msg->type != ISUP_MSG_CFN) {
		LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: %s (0x%02x), unrecognized %s: discarded, CFN cause %u\n",
		     t->name, c->cic, tname, msg->type, diag_str(cp), cp->cause);
		ctr_inc(t, ISUP_TRUNK_CTR_CFN_TX);
		tx_cause(t, ISUP_MSG_CFN, c->cic, cp->cause, ISUP_LOC_TRANSIT, cp->diag, cp->diag_len);
	} else {
		LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: %s (0x%02x), unrecognized %s: discarded\n", t->name, c->cic,
		     tname, msg->type, diag_str(cp));
	}
	return -ENOTSUP;
}

/* The parameters of a recognized message.  \returns 0 to process the
 * message (what was unrecognized removed from it), or -ENOTSUP */
static int rx_compat_params(struct isup_trunk *t, struct isup_cic *c, struct isup_msg *msg)
{
	struct compat cp;

	compat_params(&cp, msg);
	if (cp.action == COMPAT_PROCESS)
		return 0;
	ctr_inc(t, ISUP_TRUNK_CTR_UNRECOGNIZED);
	switch (msg->type) {
	case ISUP_MSG_CFN:
		/* Q.764 §2.9.5.3: a CFN is never answered, not even with one */
	case ISUP_MSG_RLC:
		/* nothing can answer an RLC; the release completes */
		LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: %s with unrecognized parameters: they are discarded\n",
		     t->name, c->cic, isup_msg_type_name(msg->type));
		return 0;
	case ISUP_MSG_REL:
		/* a REL is neither discarded nor refused: the release goes
		 * on, and a notification or the release the instructions ask
		 * for is the cause 99 in the RLC that answers it */
		LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: REL, unrecognized %s (%s): %s\n", t->name, c->cic,
		     diag_str(&cp), get_value_string(compat_action_names, cp.action),
		     cp.notify || cp.action == COMPAT_RELEASE ? "RLC with cause 99" : "discarded");
		if (cp.notify || cp.action == COMPAT_RELEASE) {
			memcpy(t->rlc_diag, cp.diag, cp.diag_len);
			t->rlc_diag_len = cp.diag_len;
		}
		return 0;
	default:
		break;
	}
	if (cp.action == COMPAT_DISCARD_PARAMS) {
		if (cp.notify) {
			LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: %s, unrecognized %s: discarded, CFN cause 99\n",
			     t->name, c->cic, isup_msg_type_name(msg->type), diag_str(&cp));
			ctr_inc(t, ISUP_TRUNK_CTR_CFN_TX);
			tx_cause(t, ISUP_MSG_CFN, c->cic, cp.cause, ISUP_LOC_TRANSIT, cp.diag, cp.diag_len);
		} else {
			LOGP(DSS7, LOGL_INFO, "%s: CIC %u: %s: unrecognized parameters discarded\n", t->name, c->cic,
			     isup_msg_type_name(msg->type));
		}
		return 0;
	}
	return compat_apply(t, c, msg, &cp);
}

/* A message whose type we do not recognize (read as an optional part), or
 * one we decode but whose procedure stiwfd does not implement */
static int rx_compat_msg(struct isup_trunk *t, struct isup_cic *c, const struct isup_msg *msg)
{
	struct compat cp;

	ctr_inc(t, ISUP_TRUNK_CTR_UNRECOGNIZED);
	compat_msg(&cp, msg);
	return compat_apply(t, c, msg, &cp);
}

/* Messages stiwfd decodes but does not implement, handled as unrecognized
 * (Q.764 §2.9.5.3.1, Q.850 cause 97 "message type non-existent or not
 * implemented"), each by the compatibility information it carries:
 * - CCR: the continuity check needs a loop or a transceiver on the circuit
 *   (Q.764 §2.1.8); stiwfd has neither.  An LPA would claim a loop that is
 *   not there, and silence would leave the peer re-checking; CCR carries no
 *   compatibility information, so the answer is CFN, cause 97.
 * - FAC, IDR, IRS: the supplementary services they serve (call transfer,
 *   remote operations, MCID: Q.730-series) are not provided; these
 *   messages carry a message compatibility information saying what the
 *   sender wants then. */
static bool msg_not_implemented(uint8_t type)
{
	switch (type) {
	case ISUP_MSG_CCR:
	case ISUP_MSG_FAC:
	case ISUP_MSG_IDR:
	case ISUP_MSG_IRS:
		return true;
	default:
		return false;
	}
}

static int rx_process(struct isup_trunk *t, struct isup_cic *c, const struct isup_msg *msg)
{
	switch (msg->type) {
	case ISUP_MSG_IAM:
		return rx_iam(t, c, msg);
	case ISUP_MSG_ACM:
		return rx_call_msg(t, c, msg, ISUP_CALL_EV_RX_ACM);
	case ISUP_MSG_CPG:
		return rx_call_msg(t, c, msg, ISUP_CALL_EV_RX_CPG);
	case ISUP_MSG_ANM:
		return rx_call_msg(t, c, msg, ISUP_CALL_EV_RX_ANM);
	case ISUP_MSG_CON:
		return rx_call_msg(t, c, msg, ISUP_CALL_EV_RX_CON);
	case ISUP_MSG_REL:
		return rx_call_msg(t, c, msg, ISUP_CALL_EV_RX_REL);
	case ISUP_MSG_RLC:
		return rx_call_msg(t, c, msg, ISUP_CALL_EV_RX_RLC);
	case ISUP_MSG_RSC:
		return rx_rsc(t, c);
	case ISUP_MSG_GRS:
		return rx_grs(t, c, msg);
	case ISUP_MSG_GRA:
		return rx_gra(t, c, msg);
	case ISUP_MSG_BLO:
		return rx_blo(t, c);
	case ISUP_MSG_UBL:
		return rx_ubl(t, c);
	case ISUP_MSG_BLA:
	case ISUP_MSG_UBA:
		return rx_bla_uba(t, c, msg);
	case ISUP_MSG_CGB:
	case ISUP_MSG_CGU:
		return rx_cgb_cgu(t, c, msg);
	case ISUP_MSG_CGBA:
	case ISUP_MSG_CGUA:
		return rx_cgba_cgua(t, c, msg);
	case ISUP_MSG_UCIC:
		return rx_ucic(t, c);
	case ISUP_MSG_CFN:
		return rx_cfn(t, c, msg);
	case ISUP_MSG_INR:
		return rx_call_msg(t, c, msg, ISUP_CALL_EV_RX_INR);
	case ISUP_MSG_COT:
		return rx_call_msg(t, c, msg, ISUP_CALL_EV_RX_COT);
	case ISUP_MSG_CQM:
		return rx_cqm(t, c, msg);
	case ISUP_MSG_CQR:
		/* Q.764 §2.9.5.1: it answers no CQM of ours */
		rx_log_unexpected(t, c, msg, "answering no CQM of ours");
		return -EPROTO;
	case ISUP_MSG_SAM:
		return rx_call_msg(t, c, msg, ISUP_CALL_EV_RX_SAM);
	case ISUP_MSG_SUS:
		return rx_call_msg(t, c, msg, ISUP_CALL_EV_RX_SUS);
	case ISUP_MSG_RES:
		return rx_call_msg(t, c, msg, ISUP_CALL_EV_RX_RES);
	case ISUP_MSG_APM:
		return rx_call_msg(t, c, msg, ISUP_CALL_EV_RX_APM);
	default:
		/* INF and LPA: we send no INR, no CCR.  On an idle circuit
		 * they are unexpected (Q.764 §2.9.5.1) */
		if (!c->call && !c->await_reset) {
			rx_log_unexpected(t, c, msg, "on an idle circuit, circuit reset");
			isup_cic_reset_start(c);
		} else {
			rx_log_unexpected(t, c, msg, "not supported by this IWF");
		}
		return -EPROTO;
	}
}

/* Q.764 §2.1.12: the first segment is processed alone when T34 expires */
static void cic_t34_cb(void *data)
{
	struct isup_cic_seg *s = data;
	struct isup_cic *c = s->cic;

	c->seg = NULL;
	LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: T34 expired, %s processed without its SGM\n", c->trunk->name,
	     c->cic, isup_msg_type_name(s->msg.type));
	rx_process(c->trunk, c, &s->msg);
	talloc_free(s);
}

static int rx_segmented(struct isup_trunk *t, struct isup_cic *c, const struct isup_msg *msg)
{
	struct isup_cic_seg *first = cic_seg_take(c);
	int rc;

	if (first) {
		if (msg->type == ISUP_MSG_SGM) {
			if (isup_msg_reassemble(&first->msg, msg) < 0)
				LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: SGM does not fit %s, processed without it\n",
				     t->name, c->cic, isup_msg_type_name(first->msg.type));
			rc = rx_process(t, c, &first->msg);
			talloc_free(first);
			return rc;
		}
		/* Q.764 §2.1.12: another message: the first goes on alone */
		rx_process(t, c, &first->msg);
		talloc_free(first);
	}
	if (msg->type == ISUP_MSG_SGM) {
		rx_log_unexpected(t, c, msg, "without a first segment");
		return -EPROTO;
	}
	if (isup_msg_awaits_sgm(msg)) {
		c->seg = talloc_zero(t, struct isup_cic_seg);
		if (!c->seg) {
			LOGP(DSS7, LOGL_ERROR, "%s: CIC %u: no memory to await the SGM of %s (T34): "
			     "processed without it\n", t->name, c->cic, isup_msg_type_name(msg->type));
			return rx_process(t, c, msg);
		}
		c->seg->cic = c;
		c->seg->msg = *msg;
		osmo_timer_setup(&c->seg->t34, cic_t34_cb, c->seg);
		osmo_timer_schedule(&c->seg->t34, tdef_s(ISUP_T34), 0);
		return 0;
	}
	return rx_process(t, c, msg);
}

static bool msg_is_group(uint8_t type)
{
	switch (type) {
	case ISUP_MSG_GRS:
	case ISUP_MSG_GRA:
	case ISUP_MSG_CGB:
	case ISUP_MSG_CGBA:
	case ISUP_MSG_CGU:
	case ISUP_MSG_CGUA:
	case ISUP_MSG_CQM:
	case ISUP_MSG_CQR:
		return true;
	default:
		return false;
	}
}

int isup_trunk_rx(struct isup_trunk *t, uint32_t opc, const uint8_t *data, size_t len)
{
	struct isup_msg *msg = NULL;
	struct isup_cic *c;
	uint16_t cic;
	uint8_t type;
	int rc;

	if (opc != t->dpc) {
		LOGP(DSS7, LOGL_ERROR, "%s: message from point code %u, not our peer %u, discarded\n", t->name,
		     opc, t->dpc);
		return -EINVAL;
	}
	if (len < 3) {
		LOGP(DSS7, LOGL_NOTICE, "%s: %zu octets, too short for an ISUP message, discarded\n", t->name, len);
		ctr_inc(t, ISUP_TRUNK_CTR_MALFORMED);
		return -EBADMSG;
	}
	/* Q.763 §1.2: CIC, least significant octet first, 12 bits */
	cic = (data[0] | (data[1] << 8)) & ISUP_CIC_MAX;
	type = data[2];
	c = cic_find(t, cic);
	msg = talloc_zero(t, struct isup_msg);
	if (!msg)
		return -ENOMEM;
	rc = isup_msg_decode(msg, data, len);
	if (rc == -ENOTSUP) {
		if (!c) {
			LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: unknown message type 0x%02x on an unknown CIC, "
			     "discarded\n", t->name, cic, type);
			ctr_inc(t, ISUP_TRUNK_CTR_UNRECOGNIZED);
			goto out;
		}
		/* Q.764 §2.9.5.3.1: its compatibility information, if it
		 * is built as the messages that carry one */
		if (isup_msg_decode_unrecognized(msg, data, len) < 0) {
			memset(msg, 0, sizeof(*msg));
			msg->cic = cic;
			msg->type = type;
		}
		rx_compat_msg(t, c, msg);
		rc = -ENOTSUP;
		goto out;
	}
	if (rc < 0) {
		LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: malformed %s (0x%02x), discarded\n", t->name, cic,
		     isup_msg_type_name(type), type);
		ctr_inc(t, ISUP_TRUNK_CTR_MALFORMED);
		rc = -EBADMSG;
		goto out;
	}
	if (!c) {
		rc = -ENOENT;
		ctr_inc(t, ISUP_TRUNK_CTR_UNEXPECTED);
		/* Q.764 §2.12: UCIC, except for UCIC itself and group messages */
		if (type == ISUP_MSG_UCIC || type == ISUP_MSG_CFN || msg_is_group(type)) {
			LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: %s for an unequipped CIC, discarded\n", t->name, cic,
			     isup_msg_type_name(type));
			goto out;
		}
		LOGP(DSS7, LOGL_NOTICE, "%s: CIC %u: %s for an unequipped CIC, UCIC sent\n", t->name, cic,
		     isup_msg_type_name(type));
		ctr_inc(t, ISUP_TRUNK_CTR_UCIC_TX);
		isup_trunk_tx_simple(t, ISUP_MSG_UCIC, cic);
		goto out;
	}
	LOGP(DSS7, LOGL_DEBUG, "%s: CIC %u: %s received\n", t->name, cic, isup_msg_type_name(type));
	if (msg_not_implemented(type)) {
		rc = rx_compat_msg(t, c, msg);
		goto out;
	}
	rc = rx_compat_params(t, c, msg);
	if (rc < 0)
		goto out;
	rc = rx_segmented(t, c, msg);
	t->rlc_diag_len = 0;
out:
	talloc_free(msg);
	return rc;
}

/* Outgoing calls */

int isup_trunk_call_setup(struct isup_trunk *t, const struct isup_msg *iam, void *call_priv,
			  struct isup_call **call)
{
	struct isup_cic *c;
	int rc;

	*call = NULL;
	if (!iam || iam->type != ISUP_MSG_IAM)
		return -EINVAL;
	if (!t->available)
		return -ENETDOWN;
	ctr_inc(t, ISUP_TRUNK_CTR_CALL_OUT);
	c = isup_trunk_cic_pick(t, NULL);
	if (!c) {
		LOGP(DSS7, LOGL_NOTICE, "%s: no circuit free for an outgoing call\n", t->name);
		ctr_inc(t, ISUP_TRUNK_CTR_CALL_NO_CIRCUIT);
		return -EBUSY;
	}
	*call = isup_call_fsm_start(t, c, true, iam, call_priv, &rc);
	if (!*call)
		return rc;
	LOGP(DSS7, LOGL_INFO, "%s: CIC %u: outgoing IAM\n", t->name, c->cic);
	return 0;
}

/* Maintenance requested by the operator */

int isup_trunk_cic_block(struct isup_trunk *t, uint16_t cic, bool block)
{
	struct isup_cic *c = cic_find(t, cic);

	if (!c)
		return -ENOENT;
	if (block == !!(c->blocking & ISUP_BLK_LOCAL_MAINT))
		return -EALREADY;
	/* Q.764 §2.8.2.1: blocking does not release a call on the circuit */
	if (block)
		c->blocking |= ISUP_BLK_LOCAL_MAINT;
	else
		c->blocking &= ~ISUP_BLK_LOCAL_MAINT;
	cic_blk_send(c, block ? ISUP_MSG_BLO : ISUP_MSG_UBL);
	return 0;
}

int isup_trunk_group_block(struct isup_trunk *t, uint16_t first, uint8_t range, bool block)
{
	struct isup_range_status rs = { 0 };
	uint8_t type = block ? ISUP_MSG_CGB : ISUP_MSG_CGU;
	unsigned int i;

	if (range > 31)
		return -EINVAL;
	if (!cic_find(t, first))
		return -ENOENT;
	if (grp_find(t, type, first))
		return -EBUSY;
	rs.range = range;
	rs.status_len = range / 8 + 1;
	for (i = 0; i <= range; i++) {
		struct isup_cic *x = cic_find(t, first + i);

		if (!x)
			continue;
		rs_set(&rs, i);
		if (block)
			x->blocking |= ISUP_BLK_LOCAL_MAINT;
		else
			x->blocking &= ~ISUP_BLK_LOCAL_MAINT;
	}
	return grp_start(t, type, first, &rs);
}

int isup_trunk_cic_reset(struct isup_trunk *t, uint16_t cic)
{
	struct isup_cic *c = cic_find(t, cic);

	if (!c)
		return -ENOENT;
	isup_cic_reset_start(c);
	return 0;
}

/* Inspection */

enum isup_cic_state isup_trunk_cic_state(const struct isup_trunk *t, uint16_t cic)
{
	const struct isup_cic *c = cic_find(t, cic);

	if (!c)
		return ISUP_CIC_ST_UNKNOWN;
	if (c->call)
		return c->call->outgoing ? ISUP_CIC_ST_OUT_BUSY : ISUP_CIC_ST_IN_BUSY;
	if (c->unequipped)
		return ISUP_CIC_ST_UNEQUIPPED;
	if (c->await_reset)
		return ISUP_CIC_ST_AWAIT_RESET;
	return ISUP_CIC_ST_IDLE;
}

unsigned int isup_trunk_cic_blocking(const struct isup_trunk *t, uint16_t cic)
{
	const struct isup_cic *c = cic_find(t, cic);

	return c ? c->blocking : 0;
}

struct isup_call *isup_trunk_cic_call(const struct isup_trunk *t, uint16_t cic)
{
	const struct isup_cic *c = cic_find(t, cic);

	return c ? c->call : NULL;
}

uint64_t isup_trunk_ctr_get(const struct isup_trunk *t, unsigned int idx)
{
	if (idx >= t->ctrs->desc->num_ctr)
		return 0;
	return rate_ctr_group_get_ctr(t->ctrs, idx)->current;
}

unsigned int isup_trunk_cics_free(const struct isup_trunk *t)
{
	unsigned int i, n = 0;

	for (i = 0; i < t->num_cics; i++)
		n += cic_selectable(t->cics[i]);
	return n;
}
