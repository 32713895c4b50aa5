/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of ss7/isup_trunk.c and ss7/isup_call_fsm.c: Q.764 basic
 * call and circuit maintenance against a scripted peer, with the wire
 * captured and libosmocore's fake clock driving the timers. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <osmocom/core/application.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/tdef.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/isup.h"
#include "ss7/isup_trunk.h"
#include "tests/cunit_main.h"

#define OUR_PC	100
#define PEER_PC	200
#define WIRE_MAX 64
#define EV_MAX 32

static void *test_ctx;

/* What the trunk sent */
static struct {
	unsigned int n;
	struct {
		uint8_t type;
		uint16_t cic;
		uint8_t cause;		/* REL, CFN, RLC */
		uint8_t diag_len;	/* and its diagnostic */
		uint8_t diag[8];
		uint8_t inf_cgpn;	/* INF: calling party address response */
		uint8_t inf_cpc;	/* INF: calling party's category included */
		char cgpn[16];		/* INF: calling party number */
		uint8_t csi_num;	/* CQR: circuit states */
		uint8_t csi[16];
		uint8_t range;		/* group messages */
		uint8_t status0;	/* first status octet */
		uint8_t sls;
		uint32_t dpc;
	} m[WIRE_MAX];
} wire;

/* What the owner was told, one line per callback */
static struct {
	unsigned int n;
	char ev[EV_MAX][64];
	struct isup_call *last_incoming;
	uint8_t last_cause;
	unsigned int last_iam_unknown;	/* unrecognized parameters the owner got */
	char last_cdpn[ISUP_NUMBER_MAX_DIGITS + 1];	/* the called number it got */
} owner;

static int send_fail;

/* Allocation failure on demand: this program is linked with
 * -Wl,--wrap=_talloc_zero (tests/ss7/Makefile.inc), so each talloc_zero()
 * of the trunk comes here, and that of the type named fail_type fails. */
static const char *fail_type;

void *__real__talloc_zero(const void *ctx, size_t size, const char *name);
void *__wrap__talloc_zero(const void *ctx, size_t size, const char *name);

void *__wrap__talloc_zero(const void *ctx, size_t size, const char *name)
{
	if (fail_type && name && !strcmp(name, fail_type))
		return NULL;
	return __real__talloc_zero(ctx, size, name);
}

static int cap_send(struct isup_trunk *t, uint32_t dpc, uint8_t sls, const uint8_t *data, size_t len,
		    void *priv)
{
	struct isup_msg *m;
	const struct isup_param *p;
	int rc;

	if (send_fail)
		return -ENETDOWN;
	m = talloc_zero(test_ctx, struct isup_msg);
	CU_ASSERT_FATAL(m != NULL);
	rc = isup_msg_decode(m, data, len);
	/* the trunk sends only what our own codec decodes */
	CU_ASSERT_EQUAL(rc, (int)len);
	CU_ASSERT_FATAL(wire.n < WIRE_MAX);
	wire.m[wire.n].type = m->type;
	wire.m[wire.n].cic = m->cic;
	wire.m[wire.n].sls = sls;
	wire.m[wire.n].dpc = dpc;
	p = isup_msg_param_find_c(m, ISUP_PAR_CAUSE);
	wire.m[wire.n].cause = p ? p->u.cause.value : 0;
	if (p) {
		wire.m[wire.n].diag_len = p->u.cause.diag_len;
		memcpy(wire.m[wire.n].diag, p->u.cause.diag, OSMO_MIN(p->u.cause.diag_len, 8));
	}
	p = isup_msg_param_find_c(m, ISUP_PAR_INF_IND);
	if (p) {
		wire.m[wire.n].inf_cgpn = p->u.inf.cgpn;
		wire.m[wire.n].inf_cpc = p->u.inf.cpc;
	}
	p = isup_msg_param_find_c(m, ISUP_PAR_CALLING_PARTY_NUMBER);
	if (p)
		osmo_strlcpy(wire.m[wire.n].cgpn, p->u.number.digits, sizeof(wire.m[0].cgpn));
	p = isup_msg_param_find_c(m, ISUP_PAR_CIRCUIT_STATE);
	if (p) {
		wire.m[wire.n].csi_num = p->u.csi.num;
		memcpy(wire.m[wire.n].csi, p->u.csi.state, OSMO_MIN(p->u.csi.num, 16));
	}
	p = isup_msg_param_find_c(m, ISUP_PAR_RANGE_STATUS);
	if (p) {
		wire.m[wire.n].range = p->u.range_status.range;
		wire.m[wire.n].status0 = p->u.range_status.status_len ? p->u.range_status.status[0] : 0;
	}
	wire.n++;
	talloc_free(m);
	return 0;
}

static void owner_log(const char *fmt, uint32_t a, uint32_t b)
{
	CU_ASSERT_FATAL(owner.n < EV_MAX);
	snprintf(owner.ev[owner.n++], sizeof(owner.ev[0]), fmt, a, b);
}

static void cb_incoming(struct isup_trunk *t, struct isup_call *call, const struct isup_msg *iam, void *priv)
{
	const struct isup_param *p = isup_msg_param_find_c(iam, ISUP_PAR_CALLED_PARTY_NUMBER);

	unsigned int i;

	owner.last_incoming = call;
	owner.last_iam_unknown = 0;
	osmo_strlcpy(owner.last_cdpn, p ? p->u.number.digits : "", sizeof(owner.last_cdpn));
	for (i = 0; i < iam->num_opt; i++)
		owner.last_iam_unknown += !isup_param_known(iam->opt[i].code);
	owner_log("incoming %u %u", isup_call_cic(call), p ? (uint32_t)strlen(p->u.number.digits) : 0);
}

static void cb_progress(struct isup_call *call, const struct isup_msg *msg, void *call_priv)
{
	CU_ASSERT_FATAL(owner.n < EV_MAX);
	snprintf(owner.ev[owner.n++], sizeof(owner.ev[0]), "progress %s", isup_msg_type_name(msg->type));
}

static void cb_answer(struct isup_call *call, const struct isup_msg *msg, void *call_priv)
{
	owner_log("answer %u", isup_call_cic(call), 0);
}

static void cb_released(struct isup_call *call, uint8_t cause, void *call_priv)
{
	owner.last_cause = cause;
	owner_log("released %u", cause, 0);
}

static void cb_retry(struct isup_call *call, uint16_t old_cic, uint16_t new_cic, const char *reason,
		     void *call_priv)
{
	owner_log("retry %u->%u", old_cic, new_cic);
}

static void cb_suspend(struct isup_call *call, bool suspended, uint8_t indicator, void *call_priv)
{
	owner_log(suspended ? "suspended %u" : "resumed %u", indicator, 0);
}

static void cb_alert(struct isup_trunk *t, uint16_t cic, const char *what, void *priv)
{
	owner_log("alert %u", cic, 0);
}

static const struct isup_trunk_ops ops = {
	.send = cap_send,
	.incoming = cb_incoming,
	.progress = cb_progress,
	.answer = cb_answer,
	.released = cb_released,
	.retry = cb_retry,
	.suspend = cb_suspend,
	.alert = cb_alert,
};

static void reset_capture(void)
{
	memset(&wire, 0, sizeof(wire));
	memset(&owner, 0, sizeof(owner));
}

/* Advance the fake clock second by second, firing timers as they expire.
 * libosmocore 1.7 runs its timers on osmo_gettimeofday(), later versions on
 * the monotonic clock: both are overridden and advanced together. */
static void clock_advance(unsigned int secs)
{
	while (secs--) {
		osmo_clock_override_add(CLOCK_MONOTONIC, 1, 0);
		osmo_gettimeofday_override_add(1, 0);
		osmo_timers_prepare();
		osmo_timers_update();
	}
}

static int wire_count(uint8_t type)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < wire.n; i++)
		n += wire.m[i].type == type;
	return n;
}

static bool owner_saw(const char *ev)
{
	unsigned int i;

	for (i = 0; i < owner.n; i++) {
		if (!strcmp(owner.ev[i], ev))
			return true;
	}
	return false;
}

/* Feed one message from the peer. */
static int peer_send_msg(struct isup_trunk *t, const struct isup_msg *m)
{
	uint8_t buf[512];
	int len = isup_msg_encode(buf, sizeof(buf), m);

	CU_ASSERT_FATAL(len > 0);
	return isup_trunk_rx(t, PEER_PC, buf, len);
}

static int peer_send(struct isup_trunk *t, uint8_t type, uint16_t cic)
{
	struct isup_msg *m = talloc_zero(test_ctx, struct isup_msg);
	struct isup_param *p;
	int rc;

	CU_ASSERT_FATAL(m != NULL);
	CU_ASSERT_FATAL(isup_msg_init(m, type, cic) == 0);
	p = isup_msg_param_find(m, ISUP_PAR_BCI);
	if (p)
		p->u.bci.called_status = 1;
	p = isup_msg_param_find(m, ISUP_PAR_EVENT_INFO);
	if (p)
		p->u.event.event = ISUP_EVENT_ALERTING;
	rc = peer_send_msg(t, m);
	talloc_free(m);
	return rc;
}

static int peer_send_rel(struct isup_trunk *t, uint16_t cic, uint8_t cause)
{
	struct isup_msg *m = talloc_zero(test_ctx, struct isup_msg);
	int rc;

	CU_ASSERT_FATAL(m != NULL);
	isup_msg_init(m, ISUP_MSG_REL, cic);
	isup_msg_param_find(m, ISUP_PAR_CAUSE)->u.cause.value = cause;
	rc = peer_send_msg(t, m);
	talloc_free(m);
	return rc;
}

static int peer_send_group(struct isup_trunk *t, uint8_t type, uint16_t cic, uint8_t range, uint8_t status0,
			   uint8_t cgsmt)
{
	struct isup_msg *m = talloc_zero(test_ctx, struct isup_msg);
	struct isup_param *p;
	int rc;

	CU_ASSERT_FATAL(m != NULL);
	isup_msg_init(m, type, cic);
	p = isup_msg_param_find(m, ISUP_PAR_RANGE_STATUS);
	p->u.range_status.range = range;
	if (type != ISUP_MSG_GRS) {
		p->u.range_status.status_len = range / 8 + 1;
		p->u.range_status.status[0] = status0;
	}
	p = isup_msg_param_find(m, ISUP_PAR_CGSMT);
	if (p)
		p->u.u8 = cgsmt;
	rc = peer_send_msg(t, m);
	talloc_free(m);
	return rc;
}

static void fill_iam(struct isup_msg *iam, const char *called)
{
	struct isup_param *p;

	isup_msg_init(iam, ISUP_MSG_IAM, 0);
	p = isup_msg_param_find(iam, ISUP_PAR_FCI);
	p->u.fci.isup = 1;
	isup_msg_param_find(iam, ISUP_PAR_CPC)->u.u8 = 0x0a;
	p = isup_msg_param_find(iam, ISUP_PAR_CALLED_PARTY_NUMBER);
	p->u.number.nai = ISUP_NAI_INTERNATIONAL;
	p->u.number.npi = 1;
	snprintf(p->u.number.digits, sizeof(p->u.number.digits), "%s", called);
}

static int peer_send_iam(struct isup_trunk *t, uint16_t cic)
{
	struct isup_msg *m = talloc_zero(test_ctx, struct isup_msg);
	int rc;

	CU_ASSERT_FATAL(m != NULL);
	fill_iam(m, "12025550001");
	m->cic = cic;
	rc = peer_send_msg(t, m);
	talloc_free(m);
	return rc;
}

static struct isup_call *call_out(struct isup_trunk *t, int expect_rc)
{
	struct isup_msg *iam = talloc_zero(test_ctx, struct isup_msg);
	struct isup_call *call = NULL;

	CU_ASSERT_FATAL(iam != NULL);
	fill_iam(iam, "12025550001");
	CU_ASSERT_EQUAL(isup_trunk_call_setup(t, iam, NULL, &call), expect_rc);
	talloc_free(iam);
	return call;
}

/* A trunk with CICs 1..8 towards PEER_PC, reset and confirmed (GRS/GRA). */
static struct isup_trunk *trunk_up(uint32_t opc)
{
	struct isup_trunk *t = isup_trunk_alloc(test_ctx, "peer", opc, PEER_PC, &ops, NULL);

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(isup_trunk_add_cics(t, 1, 8) == 0);
	reset_capture();
	isup_trunk_mtp_available(t, true);
	CU_ASSERT_EQUAL(wire.n, 1);
	CU_ASSERT_EQUAL(wire.m[0].type, ISUP_MSG_GRS);
	CU_ASSERT_EQUAL(wire.m[0].cic, 1);
	CU_ASSERT_EQUAL(wire.m[0].range, 7);
	CU_ASSERT_EQUAL(peer_send_group(t, ISUP_MSG_GRA, 1, 7, 0, 0), 0);
	CU_ASSERT_EQUAL(isup_trunk_cics_free(t), 8);
	reset_capture();
	return t;
}

/* No circuit is stuck busy; the trunk and everything it owned is freed. */
static void trunk_down(struct isup_trunk *t)
{
	unsigned int cic;

	for (cic = 1; cic <= 8; cic++) {
		enum isup_cic_state st = isup_trunk_cic_state(t, cic);

		if (st == ISUP_CIC_ST_OUT_BUSY || st == ISUP_CIC_ST_IN_BUSY)
			fprintf(stderr, "CIC %u left %s\n", cic, get_value_string(isup_cic_state_names, st));
		CU_ASSERT(st != ISUP_CIC_ST_OUT_BUSY && st != ISUP_CIC_ST_IN_BUSY);
	}
	isup_trunk_free(t);
	CU_ASSERT_EQUAL(talloc_total_blocks(test_ctx), 1);
	if (talloc_total_blocks(test_ctx) != 1)
		talloc_report_full(test_ctx, stderr);
}

static void test_grs_at_start(void)
{
	struct isup_trunk *t = isup_trunk_alloc(test_ctx, "peer", OUR_PC, PEER_PC, &ops, NULL);
	struct isup_call *call;

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(isup_trunk_add_cics(t, 1, 8), 0);
	CU_ASSERT_EQUAL(isup_trunk_add_cics(t, 20, 20), 0);
	CU_ASSERT_EQUAL(isup_trunk_add_cics(t, 8, 9), -EEXIST);
	reset_capture();
	/* nothing leaves before the MTP is there */
	CU_ASSERT_PTR_NULL(call_out(t, -ENETDOWN));
	isup_trunk_mtp_available(t, true);
	/* Q.764 §2.9.3.2: GRS for 1..8, RSC for the lone 20 */
	CU_ASSERT_EQUAL(wire.n, 2);
	CU_ASSERT_EQUAL(wire.m[0].type, ISUP_MSG_GRS);
	CU_ASSERT_EQUAL(wire.m[0].range, 7);
	CU_ASSERT_EQUAL(wire.m[1].type, ISUP_MSG_RSC);
	CU_ASSERT_EQUAL(wire.m[1].cic, 20);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 3), ISUP_CIC_ST_AWAIT_RESET);
	/* no circuit before the peer confirmed */
	CU_ASSERT_PTR_NULL(call_out(t, -EBUSY));

	/* T22: GRS again after 15 s, T16: RSC again */
	clock_advance(15);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_GRS), 2);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_RSC), 2);
	/* a GRA for another range answers nothing of ours */
	CU_ASSERT_EQUAL(peer_send_group(t, ISUP_MSG_GRA, 1, 3, 0, 0), -EPROTO);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 1), ISUP_CIC_ST_AWAIT_RESET);
	/* GRA: CIC 2 locally blocked at the peer */
	CU_ASSERT_EQUAL(peer_send_group(t, ISUP_MSG_GRA, 1, 7, 0x02, 0), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 1), ISUP_CIC_ST_IDLE);
	CU_ASSERT_EQUAL(isup_trunk_cic_blocking(t, 2), ISUP_BLK_REMOTE_MAINT);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 20), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 20), ISUP_CIC_ST_IDLE);
	CU_ASSERT_EQUAL(isup_trunk_cics_free(t), 8);
	/* nothing more is retransmitted */
	reset_capture();
	clock_advance(400);
	CU_ASSERT_EQUAL(wire.n, 0);

	/* the link goes and comes back: the calls on it are reset */
	call = call_out(t, 0);
	CU_ASSERT_PTR_NOT_NULL(call);
	isup_trunk_mtp_available(t, false);
	CU_ASSERT_PTR_NULL(call_out(t, -ENETDOWN));
	reset_capture();
	isup_trunk_mtp_available(t, true);
	CU_ASSERT(owner_saw("released 41"));
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_GRS), 1);
	CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_GRS_TX), 3);

	/* T23: no GRA at all: alert after 5 min, then every T23 */
	reset_capture();
	clock_advance(300);
	CU_ASSERT(owner_saw("alert 1"));
	CU_ASSERT(owner_saw("alert 20"));
	trunk_down(t);
}

/* An outgoing call, answered, then released by us or by the peer */
static void test_outgoing_answered(void)
{
	static const struct {
		bool peer_releases;
	} cases[] = { { false }, { true } };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct isup_trunk *t = trunk_up(OUR_PC);
		struct isup_call *call = call_out(t, 0);

		CU_ASSERT_PTR_NOT_NULL_FATAL(call);
		/* we are the lower point code: we control the odd CICs */
		CU_ASSERT_EQUAL(wire.m[0].type, ISUP_MSG_IAM);
		CU_ASSERT_EQUAL(wire.m[0].cic, 1);
		CU_ASSERT_EQUAL(wire.m[0].dpc, PEER_PC);
		CU_ASSERT_EQUAL(wire.m[0].sls, 1);
		CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 1), ISUP_CIC_ST_OUT_BUSY);
		CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_ACM, 1), 0);
		CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_CPG, 1), 0);
		CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_ANM, 1), 0);
		CU_ASSERT_STRING_EQUAL(owner.ev[0], "progress ACM");
		CU_ASSERT_STRING_EQUAL(owner.ev[1], "progress CPG");
		CU_ASSERT_STRING_EQUAL(owner.ev[2], "answer 1");
		/* T7 stopped: nothing happens for a long time */
		clock_advance(100);
		CU_ASSERT_EQUAL(wire.n, 1);
		if (cases[i].peer_releases) {
			CU_ASSERT_EQUAL(peer_send_rel(t, 1, 16), 0);
			CU_ASSERT_EQUAL(wire.m[1].type, ISUP_MSG_RLC);
			CU_ASSERT(owner_saw("released 16"));
		} else {
			CU_ASSERT_EQUAL(isup_call_release(call, 16), 0);
			CU_ASSERT_EQUAL(wire.m[1].type, ISUP_MSG_REL);
			CU_ASSERT_EQUAL(wire.m[1].cause, 16);
			CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 1), ISUP_CIC_ST_OUT_BUSY);
			CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 1), 0);
			/* no released callback after our own release */
			CU_ASSERT(!owner_saw("released 16"));
		}
		CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 1), ISUP_CIC_ST_IDLE);
		CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_REL_NORMAL), 1);
		CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_CALL_ANSWERED), 1);
		/* least recently used: the next call takes CIC 3, not 1 again */
		reset_capture();
		call = call_out(t, 0);
		CU_ASSERT_EQUAL(wire.m[0].cic, 3);
		CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_CON, 3), 0);
		CU_ASSERT_STRING_EQUAL(owner.ev[0], "answer 3");
		CU_ASSERT_EQUAL(peer_send_rel(t, 3, 16), 0);
		trunk_down(t);
	}
}

/* Unsuccessful set-up: busy, T7 expiry */
static void test_outgoing_failures(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_call *call = call_out(t, 0);

	/* Q.764 §2.2: REL 17 after IAM */
	CU_ASSERT_EQUAL(peer_send_rel(t, 1, 17), 0);
	CU_ASSERT_EQUAL(wire.m[1].type, ISUP_MSG_RLC);
	CU_ASSERT_STRING_EQUAL(owner.ev[0], "released 17");
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 1), ISUP_CIC_ST_IDLE);
	CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_REL_BUSY), 1);

	/* T7: 20 s without ACM, REL 102 to the peer and 102 to the owner */
	reset_capture();
	call = call_out(t, 0);
	CU_ASSERT_PTR_NOT_NULL(call);
	clock_advance(19);
	CU_ASSERT_EQUAL(wire.n, 1);
	clock_advance(1);
	CU_ASSERT_EQUAL(wire.n, 2);
	CU_ASSERT_EQUAL(wire.m[1].type, ISUP_MSG_REL);
	CU_ASSERT_EQUAL(wire.m[1].cause, 102);
	CU_ASSERT_STRING_EQUAL(owner.ev[0], "released 102");
	/* the owner's handle is gone: it can no longer release */
	CU_ASSERT_EQUAL(isup_call_release(call, 16), -EINVAL);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 3), ISUP_CIC_ST_OUT_BUSY);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 3), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 3), ISUP_CIC_ST_IDLE);

	/* T9 as a policy: 90 s after ACM, REL 19 */
	CU_ASSERT_EQUAL(osmo_tdef_set(isup_tdefs, ISUP_T9, 90, OSMO_TDEF_S), 0);
	reset_capture();
	call = call_out(t, 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_ACM, wire.m[0].cic), 0);
	clock_advance(90);
	CU_ASSERT_EQUAL(wire.m[1].type, ISUP_MSG_REL);
	CU_ASSERT_EQUAL(wire.m[1].cause, 19);
	CU_ASSERT(owner_saw("released 19"));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, wire.m[0].cic), 0);
	CU_ASSERT_EQUAL(osmo_tdef_set(isup_tdefs, ISUP_T9, 0, OSMO_TDEF_S), 0);

	/* the send function fails: nothing stays busy */
	reset_capture();
	send_fail = 1;
	CU_ASSERT_PTR_NULL(call_out(t, -ENETDOWN));
	send_fail = 0;
	CU_ASSERT_EQUAL(isup_trunk_cics_free(t), 8);
	trunk_down(t);
}

/* Q.764 §2.9.6: T1 retransmits REL, T5 gives up with RSC and an alert */
static void test_t1_t5(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_call *call = call_out(t, 0);

	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_ANM, 1), 0);
	CU_ASSERT_EQUAL(isup_call_release(call, 16), 0);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_REL), 1);
	clock_advance(15);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_REL), 2);
	/* a REL from the peer meanwhile: collision, RLC, still awaiting ours */
	CU_ASSERT_EQUAL(peer_send_rel(t, 1, 16), 0);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_RLC), 1);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 1), ISUP_CIC_ST_OUT_BUSY);
	clock_advance(284);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_REL), 20);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_RSC), 0);
	clock_advance(1);
	/* T5 (300 s): RSC, alert, the circuit awaits its reset */
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_REL), 20);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_RSC), 1);
	CU_ASSERT(owner_saw("alert 1"));
	CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_T5_EXPIRED), 1);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 1), ISUP_CIC_ST_AWAIT_RESET);
	/* T16 retransmits the RSC */
	clock_advance(15);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_RSC), 2);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 1), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 1), ISUP_CIC_ST_IDLE);
	reset_capture();
	clock_advance(100);
	CU_ASSERT_EQUAL(wire.n, 0);
	trunk_down(t);
}

/* An incoming call handed to the owner, answered, released */
static void test_incoming(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_call *call;
	struct isup_msg *acm = talloc_zero(test_ctx, struct isup_msg);

	CU_ASSERT_EQUAL(peer_send_iam(t, 2), 0);
	CU_ASSERT_STRING_EQUAL(owner.ev[0], "incoming 2 11");
	call = owner.last_incoming;
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 2), ISUP_CIC_ST_IN_BUSY);
	CU_ASSERT(!isup_call_is_outgoing(call));
	/* Q.764 §2.1: ANM and CPG only after ACM; CON is the answer before it */
	CU_ASSERT_EQUAL(isup_call_send_anm(call, NULL), -EPROTO);
	CU_ASSERT_EQUAL(isup_call_send_cpg(call, NULL), -EPROTO);
	/* a body of the wrong type */
	isup_msg_init(acm, ISUP_MSG_ANM, 0);
	CU_ASSERT_EQUAL(isup_call_send_acm(call, acm), -EINVAL);
	isup_msg_init(acm, ISUP_MSG_ACM, 0);
	isup_msg_param_find(acm, ISUP_PAR_BCI)->u.bci.called_status = 1;
	CU_ASSERT_EQUAL(isup_call_send_acm(call, acm), 0);
	CU_ASSERT_EQUAL(isup_call_send_cpg(call, NULL), 0);
	CU_ASSERT_EQUAL(isup_call_send_anm(call, NULL), 0);
	CU_ASSERT_EQUAL(isup_call_send_con(call, NULL), -EPROTO);
	CU_ASSERT_EQUAL(wire.n, 3);
	CU_ASSERT_EQUAL(wire.m[0].type, ISUP_MSG_ACM);
	CU_ASSERT_EQUAL(wire.m[0].cic, 2);
	CU_ASSERT_EQUAL(wire.m[1].type, ISUP_MSG_CPG);
	CU_ASSERT_EQUAL(wire.m[2].type, ISUP_MSG_ANM);
	/* a backward message from the forward side: discarded, call intact */
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_ANM, 2), 0);
	CU_ASSERT_EQUAL(wire.n, 3);
	CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_UNEXPECTED), 1);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 2), ISUP_CIC_ST_IN_BUSY);
	CU_ASSERT_EQUAL(peer_send_rel(t, 2, 16), 0);
	CU_ASSERT_EQUAL(wire.m[3].type, ISUP_MSG_RLC);
	CU_ASSERT(owner_saw("released 16"));

	/* rejected by the owner (e.g. STIR policy): REL 21, RLC */
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_iam(t, 4), 0);
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 21), 0);
	CU_ASSERT_EQUAL(wire.m[0].type, ISUP_MSG_REL);
	CU_ASSERT_EQUAL(wire.m[0].cause, 21);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 4), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 4), ISUP_CIC_ST_IDLE);

	/* CON answers before ACM */
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_iam(t, 6), 0);
	CU_ASSERT_EQUAL(isup_call_send_con(owner.last_incoming, NULL), 0);
	CU_ASSERT_EQUAL(wire.m[0].type, ISUP_MSG_CON);
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 6), 0);
	talloc_free(acm);
	trunk_down(t);
}

/* Q.764 §2.9.1.4: dual seizure, either side of the point code comparison */
static void test_dual_seizure(void)
{
	/* we (100) are lower than the peer (200): the peer controls the even CICs */
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_call *call = call_out(t, 0);

	/* we control CIC 1: the peer's IAM is disregarded */
	CU_ASSERT_EQUAL(wire.m[0].cic, 1);
	CU_ASSERT_EQUAL(peer_send_iam(t, 1), 0);
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(wire.n, 1);
	CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_DUAL_SEIZURE), 1);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_ACM, 1), 0);
	CU_ASSERT_STRING_EQUAL(owner.ev[0], "progress ACM");
	CU_ASSERT_EQUAL(isup_call_release(call, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 1), 0);

	/* the odd CICs busy with incoming calls, our call lands on an even
	 * one, which the peer controls: we back off and retry */
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_iam(t, 1), 0);
	CU_ASSERT_EQUAL(peer_send_iam(t, 3), 0);
	CU_ASSERT_EQUAL(peer_send_iam(t, 5), 0);
	CU_ASSERT_EQUAL(peer_send_iam(t, 7), 0);
	reset_capture();
	call = call_out(t, 0);
	CU_ASSERT_EQUAL(wire.m[0].cic, 2);
	CU_ASSERT_EQUAL(peer_send_iam(t, 2), 0);
	/* no REL for the backed-off call (Q.764 §2.9.1.4 b), IAM on CIC 4 */
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_REL), 0);
	CU_ASSERT_EQUAL(wire.m[1].type, ISUP_MSG_IAM);
	CU_ASSERT_EQUAL(wire.m[1].cic, 4);
	CU_ASSERT_STRING_EQUAL(owner.ev[0], "retry 2->4");
	CU_ASSERT_STRING_EQUAL(owner.ev[1], "incoming 2 11");
	CU_ASSERT_EQUAL(isup_call_cic(call), 4);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 2), ISUP_CIC_ST_IN_BUSY);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 4), ISUP_CIC_ST_OUT_BUSY);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_ANM, 4), 0);
	CU_ASSERT(owner_saw("answer 4"));
	/* everything released by the peer */
	for (unsigned int cic = 1; cic <= 7; cic++)
		peer_send_rel(t, cic, 16);
	CU_ASSERT_EQUAL(isup_trunk_cics_free(t), 8);

	/* the circuit the peer seized is the only one free: the repeat
	 * attempt must not take it back (Q.764 §2.9.1.4 b)); no circuit is
	 * left, the call ends with cause 34 and the peer's call has CIC 2 */
	reset_capture();
	for (unsigned int cic = 1; cic <= 8; cic++) {
		if (cic != 2)
			CU_ASSERT_EQUAL(peer_send_iam(t, cic), 0);
	}
	reset_capture();
	call = call_out(t, 0);
	CU_ASSERT_EQUAL(wire.m[0].cic, 2);
	CU_ASSERT_EQUAL(peer_send_iam(t, 2), 0);
	CU_ASSERT_EQUAL(wire.n, 1);
	CU_ASSERT(owner_saw("released 34"));
	CU_ASSERT(owner_saw("incoming 2 11"));
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 2), ISUP_CIC_ST_IN_BUSY);
	for (unsigned int cic = 1; cic <= 8; cic++)
		peer_send_rel(t, cic, 16);
	CU_ASSERT_EQUAL(isup_trunk_cics_free(t), 8);
	trunk_down(t);

	/* we (300) are higher: we control the even CICs */
	t = trunk_up(300);
	call = call_out(t, 0);
	CU_ASSERT_EQUAL(wire.m[0].cic, 2);
	CU_ASSERT_EQUAL(peer_send_iam(t, 2), 0);
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 2), ISUP_CIC_ST_OUT_BUSY);
	CU_ASSERT_EQUAL(peer_send_rel(t, 2, 17), 0);
	CU_ASSERT_STRING_EQUAL(owner.ev[0], "released 17");
	trunk_down(t);
}

/* Q.764 §2.9.3.1: RSC received during a call, and during set-up */
static void test_rsc_received(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_call *call = call_out(t, 0);

	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_ANM, 1), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RSC, 1), 0);
	CU_ASSERT(owner_saw("released 41"));
	CU_ASSERT_EQUAL(wire.m[1].type, ISUP_MSG_RLC);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 1), ISUP_CIC_ST_IDLE);

	/* before any backward message: repeat attempt */
	reset_capture();
	call = call_out(t, 0);
	CU_ASSERT_EQUAL(wire.m[0].cic, 3);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RSC, 3), 0);
	CU_ASSERT_STRING_EQUAL(owner.ev[0], "retry 3->5");
	CU_ASSERT_EQUAL(isup_call_cic(call), 5);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_RLC), 1);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 3), ISUP_CIC_ST_IDLE);
	/* a GRS over the call's circuit releases it (no more repeat: ACM came) */
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_ACM, 5), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_block(t, 6, true), 0);
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_group(t, ISUP_MSG_GRS, 4, 3, 0, 0), 0);
	CU_ASSERT_STRING_EQUAL(owner.ev[0], "released 41");
	CU_ASSERT_EQUAL(wire.m[0].type, ISUP_MSG_GRA);
	CU_ASSERT_EQUAL(wire.m[0].cic, 4);
	CU_ASSERT_EQUAL(wire.m[0].range, 3);
	/* CIC 6 is locally blocked: its status bit (bit 2) is set */
	CU_ASSERT_EQUAL(wire.m[0].status0, 0x04);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 5), ISUP_CIC_ST_IDLE);
	/* GRS range 0 is not allowed: discarded */
	CU_ASSERT_EQUAL(peer_send_group(t, ISUP_MSG_GRS, 4, 0, 0, 0), -EPROTO);
	trunk_down(t);
}

/* Q.764 §2.9.1.4 b): a repeat attempt goes on another circuit.  A peer's
 * RSC frees its circuit without awaiting anything, so when every other
 * circuit is blocked the call used to seize that same circuit again while
 * the trunk was answering the RSC on it: an assertion stopped the daemon
 * (found by isup_fsm_fuzzer). */
static void test_rsc_no_other_circuit(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_call *call;
	uint16_t cic, mine;

	call = call_out(t, 0);
	CU_ASSERT_FATAL(call != NULL);
	mine = isup_call_cic(call);
	/* the peer blocks every other circuit */
	for (cic = 1; cic <= 8; cic++) {
		if (cic != mine)
			CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_BLO, cic), 0);
	}
	reset_capture();
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RSC, mine), 0);
	/* no circuit for a repeat attempt: the call ends with the reset's
	 * cause, RLC answers the RSC, and nothing is sent on it anew */
	CU_ASSERT(owner_saw("released 41"));
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_IAM), 0);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_RLC), 1);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, mine), ISUP_CIC_ST_IDLE);
	CU_ASSERT_PTR_NULL(isup_trunk_cic_call(t, mine));
	for (cic = 1; cic <= 8; cic++) {
		if (cic != mine)
			CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_UBL, cic), 0);
	}
	trunk_down(t);
}

/* Q.764 §2.8.2: blocking of an idle and of a busy circuit, both ways */
static void test_blocking(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_call *call;

	/* the peer blocks idle CIC 1: BLA, and we stop choosing it */
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_BLO, 1), 0);
	CU_ASSERT_EQUAL(wire.m[0].type, ISUP_MSG_BLA);
	CU_ASSERT_EQUAL(isup_trunk_cic_blocking(t, 1), ISUP_BLK_REMOTE_MAINT);
	call = call_out(t, 0);
	CU_ASSERT_EQUAL(wire.m[1].cic, 3);
	/* the peer blocks busy CIC 3: the call goes on */
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_ANM, 3), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_BLO, 3), 0);
	CU_ASSERT_EQUAL(wire.m[2].type, ISUP_MSG_BLA);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 3), ISUP_CIC_ST_OUT_BUSY);
	CU_ASSERT_EQUAL(isup_call_release(call, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 3), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 3), ISUP_CIC_ST_IDLE);
	CU_ASSERT_EQUAL(isup_trunk_cics_free(t), 6);
	/* an IAM on a remotely blocked circuit unblocks it (Q.764 §2.8.2.3) */
	CU_ASSERT_EQUAL(peer_send_iam(t, 1), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_blocking(t, 1), 0);
	CU_ASSERT_EQUAL(peer_send_rel(t, 1, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_UBL, 3), 0);
	CU_ASSERT_EQUAL(wire.m[wire.n - 1].type, ISUP_MSG_UBA);
	CU_ASSERT_EQUAL(isup_trunk_cics_free(t), 8);

	/* BLO while our IAM awaits its first backward message: BLA, REL on
	 * that circuit, repeat attempt elsewhere */
	reset_capture();
	call = call_out(t, 0);
	CU_ASSERT_EQUAL(wire.m[0].cic, 5);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_BLO, 5), 0);
	CU_ASSERT_EQUAL(wire.m[1].type, ISUP_MSG_BLA);
	CU_ASSERT_EQUAL(wire.m[2].type, ISUP_MSG_REL);
	CU_ASSERT_EQUAL(wire.m[2].cic, 5);
	CU_ASSERT_EQUAL(wire.m[3].type, ISUP_MSG_IAM);
	CU_ASSERT_STRING_EQUAL(owner.ev[0], "retry 5->7");
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 5), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 5), ISUP_CIC_ST_IDLE);
	CU_ASSERT_EQUAL(isup_trunk_cic_blocking(t, 5), ISUP_BLK_REMOTE_MAINT);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_UBL, 5), 0);
	CU_ASSERT_EQUAL(isup_call_release(call, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 7), 0);

	/* we block CIC 8: BLO, T12 retransmission, BLA ends it */
	reset_capture();
	CU_ASSERT_EQUAL(isup_trunk_cic_block(t, 8, true), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_block(t, 8, true), -EALREADY);
	CU_ASSERT_EQUAL(wire.m[0].type, ISUP_MSG_BLO);
	clock_advance(15);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_BLO), 2);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_BLA, 8), 0);
	clock_advance(60);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_BLO), 2);
	/* the peer must not seize it: BLO again, IAM discarded */
	CU_ASSERT_EQUAL(peer_send_iam(t, 8), -EPROTO);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_BLO), 3);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 8), ISUP_CIC_ST_IDLE);
	/* an unexpected UBA restates our blocking with BLO (Q.764 §2.9.4) */
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_UBA, 8), -EPROTO);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_BLO), 4);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_BLA, 8), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_block(t, 8, false), 0);
	CU_ASSERT_EQUAL(wire.m[wire.n - 1].type, ISUP_MSG_UBL);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_UBA, 8), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_blocking(t, 8), 0);

	/* group blocking, maintenance and hardware, from the peer */
	reset_capture();
	call = call_out(t, 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_ANM, isup_call_cic(call)), 0);
	CU_ASSERT_EQUAL(peer_send_group(t, ISUP_MSG_CGB, 1, 3, 0x0f, 0), 0);
	CU_ASSERT_EQUAL(wire.m[wire.n - 1].type, ISUP_MSG_CGBA);
	CU_ASSERT_EQUAL(wire.m[wire.n - 1].status0, 0x0f);
	CU_ASSERT_EQUAL(isup_trunk_cic_blocking(t, 4), ISUP_BLK_REMOTE_MAINT);
	CU_ASSERT_EQUAL(isup_trunk_cics_free(t), 4);
	/* hardware blocking releases the call on CIC 1 */
	CU_ASSERT_EQUAL(peer_send_group(t, ISUP_MSG_CGB, 1, 7, 0xff, 1), 0);
	CU_ASSERT(owner_saw("released 41"));
	CU_ASSERT_EQUAL(isup_trunk_cics_free(t), 0);
	CU_ASSERT_PTR_NULL(call_out(t, -EBUSY));
	CU_ASSERT_EQUAL(peer_send_group(t, ISUP_MSG_CGU, 1, 7, 0xff, 1), 0);
	CU_ASSERT_EQUAL(peer_send_group(t, ISUP_MSG_CGU, 1, 3, 0x0f, 0), 0);
	CU_ASSERT_EQUAL(wire.m[wire.n - 1].type, ISUP_MSG_CGUA);
	CU_ASSERT_EQUAL(isup_trunk_cics_free(t), 8);
	/* our own CGB, acknowledged */
	reset_capture();
	CU_ASSERT_EQUAL(isup_trunk_group_block(t, 1, 1, true), 0);
	CU_ASSERT_EQUAL(isup_trunk_group_block(t, 1, 1, true), -EBUSY);
	CU_ASSERT_EQUAL(wire.m[0].type, ISUP_MSG_CGB);
	CU_ASSERT_EQUAL(peer_send_group(t, ISUP_MSG_CGBA, 1, 1, 0x03, 0), 0);
	clock_advance(30);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_CGB), 1);
	CU_ASSERT_EQUAL(isup_trunk_cic_blocking(t, 2), ISUP_BLK_LOCAL_MAINT);
	trunk_down(t);
}

/* Q.764 §2.12: UCIC takes the circuit out of service, the call fails over */
static void test_ucic_failover(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_call *call = call_out(t, 0);

	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_UCIC, 1), 0);
	CU_ASSERT(owner_saw("alert 1"));
	CU_ASSERT(owner_saw("retry 1->3"));
	CU_ASSERT_EQUAL(wire.m[1].type, ISUP_MSG_IAM);
	CU_ASSERT_EQUAL(wire.m[1].cic, 3);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 1), ISUP_CIC_ST_UNEQUIPPED);
	/* again, and a third time: the attempts run out, cause 34 */
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_UCIC, 3), 0);
	CU_ASSERT(owner_saw("retry 3->5"));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_UCIC, 5), 0);
	CU_ASSERT(owner_saw("released 34"));
	CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_UCIC_RX), 3);
	CU_ASSERT_EQUAL(isup_trunk_cics_free(t), 5);
	(void)call;
	trunk_down(t);
}

/* Hostile and unexpected input */
static void test_unexpected(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	static const uint8_t unknown_type[] = { 0x01, 0x00, 0x99 };
	static const uint8_t truncated_iam[] = { 0x01, 0x00, 0x01, 0x00, 0x20 };
	static const uint8_t unknown_cic_garbage[] = { 0x64, 0x00, 0x01 };
	struct isup_call *call;

	/* unknown CIC: UCIC (Q.764 §2.12), but not for UCIC or a group message */
	CU_ASSERT_EQUAL(peer_send_iam(t, 100), -ENOENT);
	CU_ASSERT_EQUAL(wire.m[0].type, ISUP_MSG_UCIC);
	CU_ASSERT_EQUAL(wire.m[0].cic, 100);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_UCIC, 100), -ENOENT);
	CU_ASSERT_EQUAL(peer_send_group(t, ISUP_MSG_GRS, 100, 3, 0, 0), -ENOENT);
	CU_ASSERT_EQUAL(wire.n, 1);
	/* another point code */
	CU_ASSERT_EQUAL(isup_trunk_rx(t, 999, unknown_type, sizeof(unknown_type)), -EINVAL);
	/* an unrecognized message type: CFN cause 97 */
	CU_ASSERT_EQUAL(isup_trunk_rx(t, PEER_PC, unknown_type, sizeof(unknown_type)), -ENOTSUP);
	CU_ASSERT_EQUAL(wire.m[1].type, ISUP_MSG_CFN);
	CU_ASSERT_EQUAL(wire.m[1].cause, 97);
	/* garbage: discarded and counted */
	CU_ASSERT_EQUAL(isup_trunk_rx(t, PEER_PC, truncated_iam, sizeof(truncated_iam)), -EBADMSG);
	CU_ASSERT_EQUAL(isup_trunk_rx(t, PEER_PC, unknown_cic_garbage, sizeof(unknown_cic_garbage)), -EBADMSG);
	CU_ASSERT_EQUAL(isup_trunk_rx(t, PEER_PC, unknown_type, 2), -EBADMSG);
	CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_MALFORMED), 3);
	CU_ASSERT_EQUAL(wire.n, 2);
	/* Q.764 §2.9.5.1: REL on an idle circuit: RLC; RLC: nothing; ANM: RSC */
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_rel(t, 2, 16), -EPROTO);
	CU_ASSERT_EQUAL(wire.m[0].type, ISUP_MSG_RLC);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), -EPROTO);
	CU_ASSERT_EQUAL(wire.n, 1);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_ANM, 2), -EPROTO);
	CU_ASSERT_EQUAL(wire.m[1].type, ISUP_MSG_RSC);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 2), ISUP_CIC_ST_AWAIT_RESET);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 2), ISUP_CIC_ST_IDLE);
	/* CFN: logged, never answered */
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_rel(t, 2, 16), -EPROTO);
	reset_capture();
	{
		struct isup_msg *m = talloc_zero(test_ctx, struct isup_msg);

		isup_msg_init(m, ISUP_MSG_CFN, 2);
		isup_msg_param_find(m, ISUP_PAR_CAUSE)->u.cause.value = 97;
		CU_ASSERT_EQUAL(peer_send_msg(t, m), 0);
		talloc_free(m);
	}
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_CFN_RX), 1);
	/* wrong messages in the states of an outgoing call: discarded */
	call = call_out(t, 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_CPG, 1), 0);
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_ACM, 1), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_ACM, 1), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_CON, 1), 0);
	CU_ASSERT_EQUAL(owner.n, 1);
	CU_ASSERT_EQUAL(wire.n, 1);
	/* the owner cannot send backward messages on its outgoing call */
	CU_ASSERT_EQUAL(isup_call_send_acm(call, NULL), -EPROTO);
	/* an IAM on a circuit busy past set-up: reset, call released */
	CU_ASSERT_EQUAL(peer_send_iam(t, 1), -EPROTO);
	CU_ASSERT(owner_saw("released 41"));
	CU_ASSERT_EQUAL(wire.m[wire.n - 1].type, ISUP_MSG_RSC);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 1), 0);
	/* SUS on an idle circuit: reset as well */
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_SUS, 3), -EPROTO);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 3), ISUP_CIC_ST_AWAIT_RESET);
	/* an IAM while awaiting the reset acknowledgement: discarded */
	CU_ASSERT_EQUAL(peer_send_iam(t, 3), -EPROTO);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 3), 0);
	CU_ASSERT(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_UNEXPECTED) >= 6);
	trunk_down(t);
}

/* Every prefix and every bit flip of a valid exchange: no crash, no leak,
 * nothing stuck busy after the peer's reset */
static void test_fuzz_states(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_msg *m = talloc_zero(test_ctx, struct isup_msg);
	uint8_t buf[256], mut[256];
	int len;
	unsigned int i, bit;

	fill_iam(m, "12025550001");
	m->cic = 2;
	len = isup_msg_encode(buf, sizeof(buf), m);
	CU_ASSERT_FATAL(len > 0);
	for (i = 0; i < (unsigned int)len; i++)
		isup_trunk_rx(t, PEER_PC, buf, i);
	for (i = 0; i < (unsigned int)len; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(mut, buf, len);
			mut[i] ^= 1 << bit;
			isup_trunk_rx(t, PEER_PC, mut, len);
			if (owner.last_incoming) {
				isup_call_release(owner.last_incoming, 16);
				owner.last_incoming = NULL;
			}
		}
	}
	/* the peer resets everything; all circuits come back */
	peer_send_group(t, ISUP_MSG_GRS, 1, 7, 0, 0);
	for (i = 1; i <= 8; i++)
		peer_send(t, ISUP_MSG_RLC, i);
	clock_advance(1000);
	peer_send_group(t, ISUP_MSG_GRS, 1, 7, 0, 0);
	for (i = 1; i <= 8; i++)
		peer_send(t, ISUP_MSG_RLC, i);
	talloc_free(m);
	trunk_down(t);
}

/* Q.764 §2.1.12: an IAM in two segments, and T34 */
static void test_segmentation(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_msg *iam = talloc_zero(test_ctx, struct isup_msg);
	struct isup_msg *first = talloc_zero(test_ctx, struct isup_msg);
	struct isup_msg *sgm = talloc_zero(test_ctx, struct isup_msg);
	struct isup_param *p;
	unsigned int i;

	fill_iam(iam, "12025550001");
	iam->cic = 2;
	for (i = 0; i < 2; i++) {
		p = isup_msg_opt_add(iam, 0x20 + i);
		p->opaque = true;
		p->u.opaque.len = 150;
	}
	CU_ASSERT_EQUAL_FATAL(isup_msg_segment(iam, ISUP_MTP3_SIF_MAX, first, sgm), 1);
	CU_ASSERT_EQUAL(peer_send_msg(t, first), 0);
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(peer_send_msg(t, sgm), 0);
	CU_ASSERT_STRING_EQUAL(owner.ev[0], "incoming 2 11");
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), 0);

	/* T34: the SGM never comes, the IAM goes on alone after 3 s */
	reset_capture();
	first->cic = 4;
	CU_ASSERT_EQUAL(peer_send_msg(t, first), 0);
	clock_advance(2);
	CU_ASSERT_EQUAL(owner.n, 0);
	clock_advance(1);
	CU_ASSERT_STRING_EQUAL(owner.ev[0], "incoming 4 11");
	CU_ASSERT_EQUAL(peer_send_rel(t, 4, 16), 0);
	/* an SGM out of the blue */
	CU_ASSERT_EQUAL(peer_send_msg(t, sgm), -EPROTO);

	/* our own long IAM leaves in two segments */
	reset_capture();
	{
		struct isup_call *call = NULL;

		iam->cic = 0;
		CU_ASSERT_EQUAL(isup_trunk_call_setup(t, iam, NULL, &call), 0);
		CU_ASSERT_EQUAL(wire.n, 2);
		CU_ASSERT_EQUAL(wire.m[0].type, ISUP_MSG_IAM);
		CU_ASSERT_EQUAL(wire.m[1].type, ISUP_MSG_SGM);
		CU_ASSERT_EQUAL(peer_send_rel(t, wire.m[0].cic, 17), 0);
	}
	talloc_free(iam);
	talloc_free(first);
	talloc_free(sgm);
	trunk_down(t);
}

/* The peer's IAM on \a cic in two segments; \returns the SGM to send
 * (talloc'd on test_ctx) after the first, which is sent here */
static struct isup_msg *peer_send_first_segment(struct isup_trunk *t, uint16_t cic)
{
	struct isup_msg *iam = talloc_zero(test_ctx, struct isup_msg);
	struct isup_msg *first = talloc_zero(test_ctx, struct isup_msg);
	struct isup_msg *sgm = talloc_zero(test_ctx, struct isup_msg);
	struct isup_param *p;
	unsigned int i;

	CU_ASSERT_FATAL(iam && first && sgm);
	fill_iam(iam, "12025550001");
	iam->cic = cic;
	for (i = 0; i < 2; i++) {
		p = isup_msg_opt_add(iam, 0x20 + i);
		p->opaque = true;
		p->u.opaque.len = 150;
	}
	CU_ASSERT_EQUAL_FATAL(isup_msg_segment(iam, ISUP_MTP3_SIF_MAX, first, sgm), 1);
	CU_ASSERT_EQUAL(peer_send_msg(t, first), 0);
	talloc_free(iam);
	talloc_free(first);
	return sgm;
}

/* The incoming call the owner was offered last, released (REL, RLC) */
static void release_incoming(struct isup_trunk *t, uint16_t cic)
{
	CU_ASSERT_FATAL(owner.last_incoming != NULL);
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, cic), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, cic), ISUP_CIC_ST_IDLE);
}

/* What a configured circuit costs while it is idle, in a node of 12,000
 * circuits (three trunks of 4,000).  An idle circuit keeps its trunk, its
 * CIC, flags and blocking state, its call pointer and last-use sequence,
 * and three NULL pointers to the state of a running RSC, BLO/UBL or
 * segmented message: 56 bytes, and its slot in the trunk's array sorted by
 * CIC, 8.  The timers of those procedures (three osmo_timer_list of 80
 * bytes each) are allocated only while one runs.  The circuits of a range
 * share one allocation: talloc's header, about 100 bytes, would cost more
 * than the circuit. */
#define IDLE_CIC_MAX_BYTES	64

static void test_idle_circuit_memory(void)
{
	static const char *const names[] = { "node-a", "node-b", "node-c" };
	void *ctx = talloc_named_const(test_ctx, 0, "node");
	struct isup_trunk *t[3];
	size_t size0, blocks0, size, blocks;
	unsigned int i;

	CU_ASSERT_FATAL(ctx != NULL);
	for (i = 0; i < 3; i++) {
		t[i] = isup_trunk_alloc(ctx, names[i], OUR_PC, PEER_PC + 1 + i, &ops, NULL);
		CU_ASSERT_FATAL(t[i] != NULL);
	}
	size0 = talloc_total_size(ctx);
	blocks0 = talloc_total_blocks(ctx);
	for (i = 0; i < 3; i++)
		CU_ASSERT_FATAL(isup_trunk_add_cics(t[i], 1, 4000) == 0);
	size = talloc_total_size(ctx) - size0;
	blocks = talloc_total_blocks(ctx) - blocks0;
	fprintf(stderr, "12000 idle circuits: %zu bytes (%zu per circuit) in %zu talloc blocks\n", size,
		size / 12000, blocks);
	CU_ASSERT(size <= 12000 * IDLE_CIC_MAX_BYTES);
	/* per trunk: its circuits' range and the array sorted by CIC */
	CU_ASSERT(blocks <= 3 * 2);
	talloc_free(ctx);
}

/* The state of an RSC, a BLO or UBL, or a first segment lives only as
 * long as that procedure runs: after each the trunk has its idle size. */
static void test_procedure_memory(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	size_t idle = talloc_total_size(t);
	struct isup_msg *sgm;

	/* BLO, T12 retransmission, BLA; UBL, UBA */
	CU_ASSERT_EQUAL(isup_trunk_cic_block(t, 3, true), 0);
	CU_ASSERT(talloc_total_size(t) > idle);
	clock_advance(15);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_BLO), 2);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_BLA, 3), 0);
	CU_ASSERT_EQUAL(talloc_total_size(t), idle);
	CU_ASSERT_EQUAL(isup_trunk_cic_block(t, 3, false), 0);
	CU_ASSERT(talloc_total_size(t) > idle);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_UBA, 3), 0);
	CU_ASSERT_EQUAL(talloc_total_size(t), idle);
	/* nothing more is sent once acknowledged */
	reset_capture();
	clock_advance(400);
	CU_ASSERT_EQUAL(wire.n, 0);

	/* RSC, T16 retransmission, RLC */
	CU_ASSERT_EQUAL(isup_trunk_cic_reset(t, 4), 0);
	CU_ASSERT(talloc_total_size(t) > idle);
	clock_advance(15);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_RSC), 2);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 4), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 4), ISUP_CIC_ST_IDLE);
	CU_ASSERT_EQUAL(talloc_total_size(t), idle);

	/* BLO and RSC at once; UCIC ends both (Q.764 §2.12) */
	reset_capture();
	CU_ASSERT_EQUAL(isup_trunk_cic_block(t, 5, true), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_reset(t, 5), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_UCIC, 5), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 5), ISUP_CIC_ST_UNEQUIPPED);
	CU_ASSERT_EQUAL(talloc_total_size(t), idle);
	clock_advance(400);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_BLO), 1);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_RSC), 1);

	/* a first segment and its SGM */
	reset_capture();
	sgm = peer_send_first_segment(t, 2);
	CU_ASSERT(talloc_total_size(t) > idle);
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(peer_send_msg(t, sgm), 0);
	CU_ASSERT_STRING_EQUAL(owner.ev[0], "incoming 2 11");
	release_incoming(t, 2);
	CU_ASSERT_EQUAL(talloc_total_size(t), idle);
	talloc_free(sgm);
	/* a first segment alone, T34 */
	reset_capture();
	sgm = peer_send_first_segment(t, 6);
	clock_advance(3);
	CU_ASSERT_STRING_EQUAL(owner.ev[0], "incoming 6 11");
	release_incoming(t, 6);
	CU_ASSERT_EQUAL(talloc_total_size(t), idle);
	talloc_free(sgm);

	/* all three running when the trunk is freed: trunk_down finds
	 * nothing left, and no timer fires afterwards */
	reset_capture();
	CU_ASSERT_EQUAL(isup_trunk_cic_block(t, 7, true), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_reset(t, 8), 0);
	talloc_free(peer_send_first_segment(t, 1));
	trunk_down(t);
	clock_advance(400);
}

/* Without memory for its timers a procedure still runs once: the request
 * goes once, unrepeated and without alert, and its acknowledgement is
 * taken; a first segment is processed at once, without its SGM. */
static void test_procedure_no_memory(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_msg *sgm;

	fail_type = "struct isup_cic_retx";
	CU_ASSERT_EQUAL(isup_trunk_cic_block(t, 3, true), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_reset(t, 4), 0);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_BLO), 1);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_RSC), 1);
	clock_advance(400);
	CU_ASSERT_EQUAL(wire.n, 2);
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 4), ISUP_CIC_ST_AWAIT_RESET);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_BLA, 3), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 4), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 4), ISUP_CIC_ST_IDLE);
	CU_ASSERT_EQUAL(isup_trunk_cic_blocking(t, 3), ISUP_BLK_LOCAL_MAINT);
	/* the acknowledgements ended both: a second one is unexpected */
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_BLA, 3), -EPROTO);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 4), -EPROTO);
	/* memory again: the next request is repeated */
	fail_type = NULL;
	reset_capture();
	CU_ASSERT_EQUAL(isup_trunk_cic_block(t, 3, false), 0);
	clock_advance(15);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_UBL), 2);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_UBA, 3), 0);

	fail_type = "struct isup_cic_seg";
	reset_capture();
	sgm = peer_send_first_segment(t, 2);
	CU_ASSERT_STRING_EQUAL(owner.ev[0], "incoming 2 11");
	fail_type = NULL;
	release_incoming(t, 2);
	/* its SGM then comes out of the blue */
	CU_ASSERT_EQUAL(peer_send_msg(t, sgm), -EPROTO);
	talloc_free(sgm);
	trunk_down(t);
}

/* A message from hex, with its CIC set to \a cic */
static int peer_send_hex(struct isup_trunk *t, const char *hex, uint16_t cic)
{
	uint8_t buf[512];
	int len = osmo_hexparse(hex, buf, sizeof(buf));

	CU_ASSERT_FATAL(len >= 3);
	buf[0] = cic & 0xff;
	buf[1] = (buf[1] & 0xf0) | (cic >> 8);
	return isup_trunk_rx(t, PEER_PC, buf, len);
}

/* Add the unrecognized parameter \a code (one octet), with a PCI entry of
 * \a instr for it unless \a instr is negative. */
static void add_unknown(struct isup_msg *m, uint8_t code, int instr)
{
	struct isup_param *p = isup_msg_opt_add(m, code), *pci;
	unsigned int n;

	CU_ASSERT_FATAL(p != NULL && p->opaque);
	p->u.opaque.len = 1;
	p->u.opaque.data[0] = 0x5a;
	if (instr < 0)
		return;
	pci = isup_msg_param_find(m, ISUP_PAR_PCI);
	if (!pci)
		pci = isup_msg_opt_add(m, ISUP_PAR_PCI);
	n = pci->u.pci.num++;
	pci->u.pci.entry[n].code = code;
	pci->u.pci.entry[n].num_instr = 1;
	pci->u.pci.entry[n].instr[0] = instr;
}

/* The peer's IAM on \a cic with the unrecognized parameter \a code, and a
 * PCI entry \a instr for it unless negative */
static int peer_iam_unknown(struct isup_trunk *t, uint16_t cic, uint8_t code, int instr)
{
	struct isup_msg *m = talloc_zero(test_ctx, struct isup_msg);
	int rc;

	fill_iam(m, "12025550001");
	m->cic = cic;
	add_unknown(m, code, instr);
	rc = peer_send_msg(t, m);
	talloc_free(m);
	return rc;
}

#define LAST	(wire.m[wire.n ? wire.n - 1 : 0])

/* The last message sent: its type, CIC, cause (0: none) and the first
 * octet of the cause's diagnostic (0: none) */
static bool last_is(uint8_t type, uint16_t cic, uint8_t cause, uint8_t diag0)
{
	if (!wire.n)
		return false;
	if (LAST.type != type || LAST.cic != cic || LAST.cause != cause)
		return false;
	if (!diag0)
		return LAST.diag_len == 0;
	return LAST.diag_len >= 1 && LAST.diag[0] == diag0;
}

/* An incoming call on \a cic answered (ANM), the wire cleared */
static struct isup_call *call_in_active(struct isup_trunk *t, uint16_t cic)
{
	struct isup_call *call;

	CU_ASSERT_EQUAL(peer_send_iam(t, cic), 0);
	call = owner.last_incoming;
	CU_ASSERT_FATAL(call != NULL);
	CU_ASSERT_EQUAL(isup_call_send_acm(call, NULL), 0);
	CU_ASSERT_EQUAL(isup_call_send_anm(call, NULL), 0);
	reset_capture();
	return call;
}

/* Q.764 §2.9.5.3.1: unrecognized messages, by their message compatibility
 * information, as a Type A exchange */
static void test_compat_messages(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_call *call;

	/* no MCI: discarded, CFN cause 97 naming the message type */
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "99" "00", 2), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_CFN, 2, 97, 0x99));
	CU_ASSERT_EQUAL(LAST.diag_len, 1);
	/* not built as a message with an optional part: the same */
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "99", 2), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_CFN, 2, 97, 0x99));
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 2), ISUP_CIC_ST_IDLE);
	/* discard message, no notification: silence */
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "99" "01" "380188" "00", 2), -ENOTSUP);
	CU_ASSERT_EQUAL(wire.n, 0);
	/* discard message, send notification: CFN 97 */
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "99" "01" "38018c" "00", 2), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_CFN, 2, 97, 0x99));
	/* pass on, not possible: discard information (E), with notification */
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "99" "01" "380194" "00", 2), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_CFN, 2, 97, 0x99));
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 2), ISUP_CIC_ST_IDLE);
	/* an unknown CIC: discarded, no UCIC for what we cannot read */
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "99" "01" "380182" "00", 100), -ENOTSUP);
	CU_ASSERT_EQUAL(wire.n, 0);

	/* release call, on an idle circuit: no call to release, the circuit
	 * is reset (Q.764 §2.9.3.1, as §2.9.5.1 for unexpected messages) */
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "99" "01" "380182" "00", 3), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_RSC, 3, 0, 0));
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 3), ISUP_CIC_ST_AWAIT_RESET);
	/* ... and while it awaits the reset, nothing more */
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "99" "01" "380182" "00", 3), -ENOTSUP);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 3), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 3), ISUP_CIC_ST_IDLE);

	/* release call, on an answered call: REL 97, the owner hears 97 */
	call_in_active(t, 4);
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "99" "01" "380182" "00", 4), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_REL, 4, 97, 0x99));
	CU_ASSERT(owner_saw("released 97"));
	/* T1 repeats the REL with its diagnostic */
	reset_capture();
	clock_advance(15);
	CU_ASSERT(last_is(ISUP_MSG_REL, 4, 97, 0x99));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 4), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 4), ISUP_CIC_ST_IDLE);
	/* pass on (all zero): not possible, E = 0: release call */
	call_in_active(t, 4);
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "99" "01" "380180" "00", 4), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_REL, 4, 97, 0x99));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 4), 0);
	/* pass on, E = 1, no notification: the call goes on, nothing sent */
	call_in_active(t, 4);
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "99" "01" "380190" "00", 4), -ENOTSUP);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 4), ISUP_CIC_ST_IN_BUSY);

	/* FAC (call transfer is not provided): the jSS7 FAC says release
	 * call (0x42 0x81): REL 97 naming FAC */
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_hex(t, "0c0b330138024281450688438360330800", 4), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_REL, 4, 97, ISUP_MSG_FAC));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 4), 0);
	/* FAC without MCI: CFN 97; IDR "discard message": silence */
	call = call_in_active(t, 4);
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "33" "01" "4506884383603308" "00", 4), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_CFN, 4, 97, ISUP_MSG_FAC));
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "36" "01" "3b0101" "380188" "00", 4), -ENOTSUP);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 4), ISUP_CIC_ST_IN_BUSY);
	/* IRS without MCI: CFN 97 */
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "37" "01" "3c0101" "00", 4), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_CFN, 4, 97, ISUP_MSG_IRS));
	CU_ASSERT_EQUAL(isup_call_release(call, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 4), 0);

	/* CCR: no continuity check equipment: CFN 97, nothing else */
	reset_capture();
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_CCR, 5), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_CFN, 5, 97, ISUP_MSG_CCR));
	CU_ASSERT_EQUAL(wire.n, 1);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 5), ISUP_CIC_ST_IDLE);
	CU_ASSERT(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_UNRECOGNIZED) >= 15);
	trunk_down(t);
}

/* Q.764 §2.9.5.3.2: unrecognized parameters, by their parameter
 * compatibility information, as a Type A exchange */
static void test_compat_params(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_call *call;
	struct isup_msg *m = talloc_zero(test_ctx, struct isup_msg);

	/* no PCI: the parameter is discarded, CFN 99 names it, the call
	 * goes on without it */
	CU_ASSERT_EQUAL(peer_iam_unknown(t, 2, 0xf4, -1), 0);
	CU_ASSERT(last_is(ISUP_MSG_CFN, 2, 99, 0xf4));
	CU_ASSERT(owner_saw("incoming 2 11"));
	CU_ASSERT_EQUAL(owner.last_iam_unknown, 0);
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), 0);
	/* discard parameter (E), no notification: silently */
	reset_capture();
	CU_ASSERT_EQUAL(peer_iam_unknown(t, 2, 0xf4, ISUP_PCI_DISCARD_PARAM), 0);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT(owner_saw("incoming 2 11"));
	CU_ASSERT_EQUAL(owner.last_iam_unknown, 0);
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), 0);
	/* discard parameter with notification: CFN 99 */
	reset_capture();
	CU_ASSERT_EQUAL(peer_iam_unknown(t, 2, 0xf4, ISUP_PCI_DISCARD_PARAM | ISUP_PCI_SEND_NOTIFICATION), 0);
	CU_ASSERT(wire.n >= 1 && wire.m[0].type == ISUP_MSG_CFN && wire.m[0].cause == 99);
	CU_ASSERT(owner_saw("incoming 2 11"));
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), 0);
	/* pass on, not possible: GF 10 discard parameter */
	reset_capture();
	CU_ASSERT_EQUAL(peer_iam_unknown(t, 2, 0xf4, 0x40), 0);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT(owner_saw("incoming 2 11"));
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), 0);

	/* discard message with notification: CFN 110, no call */
	reset_capture();
	CU_ASSERT_EQUAL(peer_iam_unknown(t, 2, 0xf4, ISUP_PCI_DISCARD_MESSAGE | ISUP_PCI_SEND_NOTIFICATION),
			-ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_CFN, 2, 110, 0xf4));
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 2), ISUP_CIC_ST_IDLE);
	/* pass on, not possible: GF 01 discard message, no notification */
	reset_capture();
	CU_ASSERT_EQUAL(peer_iam_unknown(t, 2, 0xf4, 0x20), -ENOTSUP);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT_EQUAL(owner.n, 0);

	/* release call: the IAM seized the circuit, REL 99 releases it;
	 * the owner never hears of it */
	CU_ASSERT_EQUAL(peer_iam_unknown(t, 2, 0xf4, ISUP_PCI_RELEASE_CALL), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_REL, 2, 99, 0xf4));
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 2), ISUP_CIC_ST_IN_BUSY);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 2), ISUP_CIC_ST_IDLE);
	/* pass on (all zero), GF 00: release call; GF 11 is taken as 00 */
	reset_capture();
	CU_ASSERT_EQUAL(peer_iam_unknown(t, 2, 0xf4, 0x00), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_REL, 2, 99, 0xf4));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), 0);
	reset_capture();
	CU_ASSERT_EQUAL(peer_iam_unknown(t, 2, 0xf4, 0x60), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_REL, 2, 99, 0xf4));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), 0);

	/* the gravest action wins, and the diagnostic names its parameter */
	reset_capture();
	fill_iam(m, "12025550001");
	m->cic = 2;
	add_unknown(m, 0xf4, ISUP_PCI_DISCARD_PARAM | ISUP_PCI_SEND_NOTIFICATION);
	add_unknown(m, 0xf5, ISUP_PCI_RELEASE_CALL);
	CU_ASSERT_EQUAL(peer_send_msg(t, m), -ENOTSUP);
	CU_ASSERT_EQUAL(wire.n, 1);
	CU_ASSERT(last_is(ISUP_MSG_REL, 2, 99, 0xf5));
	CU_ASSERT_EQUAL(LAST.diag_len, 1);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), 0);

	/* a backward message of an outgoing call asking for release: REL
	 * 99, the owner hears 99 */
	reset_capture();
	call = call_out(t, 0);
	CU_ASSERT_FATAL(call != NULL);
	isup_msg_init(m, ISUP_MSG_ACM, isup_call_cic(call));
	isup_msg_param_find(m, ISUP_PAR_BCI)->u.bci.called_status = 1;
	add_unknown(m, 0xf6, ISUP_PCI_RELEASE_CALL);
	CU_ASSERT_EQUAL(peer_send_msg(t, m), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_REL, isup_call_cic(call), 99, 0xf6));
	CU_ASSERT(owner_saw("released 99"));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, LAST.cic), 0);

	/* a REL is never refused: its RLC carries cause 99 */
	call = call_in_active(t, 3);
	isup_msg_init(m, ISUP_MSG_REL, 3);
	isup_msg_param_find(m, ISUP_PAR_CAUSE)->u.cause.value = 16;
	add_unknown(m, 0xf4, -1);
	CU_ASSERT_EQUAL(peer_send_msg(t, m), 0);
	CU_ASSERT(last_is(ISUP_MSG_RLC, 3, 99, 0xf4));
	CU_ASSERT(owner_saw("released 16"));
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 3), ISUP_CIC_ST_IDLE);
	/* ... without notification asked for, a plain RLC */
	call = call_in_active(t, 3);
	isup_msg_init(m, ISUP_MSG_REL, 3);
	isup_msg_param_find(m, ISUP_PAR_CAUSE)->u.cause.value = 16;
	add_unknown(m, 0xf4, ISUP_PCI_DISCARD_PARAM);
	CU_ASSERT_EQUAL(peer_send_msg(t, m), 0);
	CU_ASSERT(last_is(ISUP_MSG_RLC, 3, 0, 0));
	/* ... and the next RLC has no cause left over */
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_rel(t, 3, 16), -EPROTO);
	CU_ASSERT(last_is(ISUP_MSG_RLC, 3, 0, 0));
	/* RLC and CFN: processed, never answered */
	reset_capture();
	isup_msg_init(m, ISUP_MSG_CFN, 3);
	isup_msg_param_find(m, ISUP_PAR_CAUSE)->u.cause.value = 97;
	add_unknown(m, 0xf4, ISUP_PCI_RELEASE_CALL | ISUP_PCI_SEND_NOTIFICATION);
	CU_ASSERT_EQUAL(peer_send_msg(t, m), 0);
	CU_ASSERT_EQUAL(wire.n, 0);

	/* the captured IAMs (tests/ss7/isup-real/itu-01, itu-07): their
	 * national parameters 0xf4, 0xfe carry "discard parameter", so the
	 * calls go on without a word */
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_hex(t, "d5000100a0010a02020705819084190f0a070317933393798008018003057c038890"
				      "a61d038890a6310200643f06039300060010f4056476c328813902f49000", 5), 0);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT(owner_saw("incoming 5 5"));
	CU_ASSERT_EQUAL(owner.last_iam_unknown, 0);
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 5), 0);
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_hex(t, "a900011020010a00020a0803102618850325f80a088313982648224619fe"
				      "01001d038090a33102005a3d011e03047d0291813906fed031c03dc000", 6), 0);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT(owner_saw("incoming 6 12"));
	CU_ASSERT_EQUAL(owner.last_iam_unknown, 0);
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 6), 0);
	talloc_free(m);
	trunk_down(t);
}

/* The peer's INR on \a cic asking for the calling party number and
 * category */
static int peer_inr(struct isup_trunk *t, uint16_t cic)
{
	struct isup_msg *m = talloc_zero(test_ctx, struct isup_msg);
	struct isup_param *p;
	int rc;

	isup_msg_init(m, ISUP_MSG_INR, cic);
	p = isup_msg_param_find(m, ISUP_PAR_INR_IND);
	p->u.inr.cgpn = 1;
	p->u.inr.cpc = 1;
	rc = peer_send_msg(t, m);
	talloc_free(m);
	return rc;
}

/* Q.764 §2.1.6: INR answered with INF from what the call has */
static void test_inr(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_msg *iam = talloc_zero(test_ctx, struct isup_msg);
	struct isup_call *call = NULL;
	struct isup_param *p;
	uint16_t cic;

	/* our outgoing call: the CgPN and CPC of our IAM */
	fill_iam(iam, "12025550001");
	p = isup_msg_opt_add(iam, ISUP_PAR_CALLING_PARTY_NUMBER);
	p->u.number.nai = ISUP_NAI_INTERNATIONAL;
	p->u.number.npi = 1;
	p->u.number.si = ISUP_SI_NETWORK_PROVIDED;
	osmo_strlcpy(p->u.number.digits, "4930123456", sizeof(p->u.number.digits));
	CU_ASSERT_EQUAL(isup_trunk_call_setup(t, iam, NULL, &call), 0);
	cic = isup_call_cic(call);
	reset_capture();
	CU_ASSERT_EQUAL(peer_inr(t, cic), 0);
	CU_ASSERT_EQUAL(wire.n, 1);
	CU_ASSERT_EQUAL(LAST.type, ISUP_MSG_INF);
	CU_ASSERT_EQUAL(LAST.inf_cgpn, ISUP_INF_CGPN_INCLUDED);
	CU_ASSERT_EQUAL(LAST.inf_cpc, 1);
	CU_ASSERT_STRING_EQUAL(LAST.cgpn, "4930123456");
	/* after the ACM (the IAM copy is gone) it still knows */
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_ACM, cic), 0);
	reset_capture();
	CU_ASSERT_EQUAL(peer_inr(t, cic), 0);
	CU_ASSERT_EQUAL(LAST.type, ISUP_MSG_INF);
	CU_ASSERT_STRING_EQUAL(LAST.cgpn, "4930123456");
	CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_INR_RX), 2);
	CU_ASSERT_EQUAL(isup_call_release(call, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, cic), 0);

	/* an outgoing call without CgPN: "not available", the CPC */
	call = call_out(t, 0);
	cic = isup_call_cic(call);
	reset_capture();
	CU_ASSERT_EQUAL(peer_inr(t, cic), 0);
	CU_ASSERT_EQUAL(LAST.type, ISUP_MSG_INF);
	CU_ASSERT_EQUAL(LAST.inf_cgpn, ISUP_INF_CGPN_NOT_AVAILABLE);
	CU_ASSERT_EQUAL(LAST.inf_cpc, 1);
	CU_ASSERT_STRING_EQUAL(LAST.cgpn, "");
	CU_ASSERT_EQUAL(isup_call_release(call, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, cic), 0);

	/* an incoming call has nothing to tell */
	call = call_in_active(t, 5);
	CU_ASSERT_EQUAL(peer_inr(t, 5), 0);
	CU_ASSERT_EQUAL(LAST.type, ISUP_MSG_INF);
	CU_ASSERT_EQUAL(LAST.inf_cgpn, ISUP_INF_CGPN_NOT_AVAILABLE);
	CU_ASSERT_EQUAL(LAST.inf_cpc, 0);
	CU_ASSERT_EQUAL(isup_call_release(call, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 5), 0);

	/* INR on an idle circuit, INF that answers nothing: unexpected
	 * (Q.764 §2.9.5.1): reset */
	reset_capture();
	CU_ASSERT_EQUAL(peer_inr(t, 6), -EPROTO);
	CU_ASSERT(last_is(ISUP_MSG_RSC, 6, 0, 0));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 6), 0);
	call = call_in_active(t, 6);
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "04" "2300" "00", 6), -EPROTO);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT_EQUAL(isup_call_release(call, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 6), 0);
	talloc_free(iam);
	trunk_down(t);
}

/* Q.764 §2.8 circuit group query: CQR with each circuit's state */
static void test_cqm(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_call *out, *in;

	uint16_t oc;

	/* CIC 2 incoming busy, 3 locally blocked, 4 remotely blocked, 5
	 * awaiting its reset, 6 remotely blocked for hardware failure, one
	 * of the others outgoing busy; 9 and 10 are not ours */
	CU_ASSERT_EQUAL(peer_send_iam(t, 2), 0);
	in = owner.last_incoming;
	CU_ASSERT_EQUAL(isup_trunk_cic_block(t, 3, true), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_BLA, 3), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_BLO, 4), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_reset(t, 5), 0);
	CU_ASSERT_EQUAL(peer_send_group(t, ISUP_MSG_CGB, 6, 0, 0x01, 1), 0);
	out = call_out(t, 0);
	CU_ASSERT_FATAL(out != NULL);
	oc = isup_call_cic(out);
	CU_ASSERT(oc == 1 || oc == 7 || oc == 8);
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "2a" "01" "0109", 1), 0);
	CU_ASSERT_EQUAL(wire.n, 1);
	CU_ASSERT_EQUAL(LAST.type, ISUP_MSG_CQR);
	CU_ASSERT_EQUAL(LAST.cic, 1);
	CU_ASSERT_EQUAL(LAST.range, 9);
	CU_ASSERT_EQUAL_FATAL(LAST.csi_num, 10);
	CU_ASSERT_EQUAL(LAST.csi[oc - 1], ISUP_CSI(0, ISUP_CSI_CALL_OUT_BUSY, 0));
	CU_ASSERT_EQUAL(LAST.csi[1], ISUP_CSI(0, ISUP_CSI_CALL_IN_BUSY, 0));
	CU_ASSERT_EQUAL(LAST.csi[2], ISUP_CSI(ISUP_CSI_BLK_LOCAL, ISUP_CSI_CALL_IDLE, 0));
	CU_ASSERT_EQUAL(LAST.csi[3], ISUP_CSI(ISUP_CSI_BLK_REMOTE, ISUP_CSI_CALL_IDLE, 0));
	CU_ASSERT_EQUAL(LAST.csi[4], ISUP_CSI_TRANSIENT);
	CU_ASSERT_EQUAL(LAST.csi[5], ISUP_CSI(0, ISUP_CSI_CALL_IDLE, ISUP_CSI_BLK_REMOTE));
	CU_ASSERT_EQUAL(LAST.csi[oc == 7 ? 7 : 6], ISUP_CSI(0, ISUP_CSI_CALL_IDLE, 0));
	CU_ASSERT_EQUAL(LAST.csi[8], ISUP_CSI_UNEQUIPPED);
	CU_ASSERT_EQUAL(LAST.csi[9], ISUP_CSI_UNEQUIPPED);
	/* the query changed nothing */
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, oc), ISUP_CIC_ST_OUT_BUSY);
	CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_CQM_RX), 1);
	/* range above 31: discarded; on an unknown CIC: no UCIC (a group
	 * message); a CQR that answers nothing: discarded */
	reset_capture();
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "2a" "01" "0120", 1), -EPROTO);
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "2a" "01" "0101", 100), -ENOENT);
	CU_ASSERT_EQUAL(peer_send_hex(t, "0000" "2b" "02" "03" "0100" "010c", 7), -EPROTO);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 7), ISUP_CIC_ST_IDLE);

	CU_ASSERT_EQUAL(isup_call_release(out, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, oc), 0);
	CU_ASSERT_EQUAL(isup_call_release(in, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 5), 0);
	trunk_down(t);
}

/* The peer's IAM on \a cic with the continuity check indicator \a cont */
static int peer_iam_cot(struct isup_trunk *t, uint16_t cic, uint8_t cont)
{
	struct isup_msg *m = talloc_zero(test_ctx, struct isup_msg);
	int rc;

	fill_iam(m, "12025550001");
	m->cic = cic;
	isup_msg_param_find(m, ISUP_PAR_NCI)->u.nci.continuity = cont;
	rc = peer_send_msg(t, m);
	talloc_free(m);
	return rc;
}

static int peer_cot(struct isup_trunk *t, uint16_t cic, bool ok)
{
	return peer_send_hex(t, ok ? "0000" "05" "01" : "0000" "05" "00", cic);
}

/* Q.764 §2.1.8: an IAM with a continuity check waits for the COT */
static void test_cot(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);

	/* check on a previous circuit, successful: offered with the COT */
	CU_ASSERT_EQUAL(peer_iam_cot(t, 2, 2), 0);
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 2), ISUP_CIC_ST_IN_BUSY);
	CU_ASSERT_EQUAL(wire.n, 0);
	clock_advance(5);
	CU_ASSERT_EQUAL(peer_cot(t, 2, true), 0);
	CU_ASSERT(owner_saw("incoming 2 11"));
	CU_ASSERT_EQUAL(isup_call_send_acm(owner.last_incoming, NULL), 0);
	CU_ASSERT(last_is(ISUP_MSG_ACM, 2, 0, 0));
	/* T8 does not run any more */
	clock_advance(30);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_REL), 0);
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), 0);

	/* no COT: T8 (10 s) releases with cause 102; the owner never knew */
	reset_capture();
	CU_ASSERT_EQUAL(peer_iam_cot(t, 3, 2), 0);
	clock_advance(9);
	CU_ASSERT_EQUAL(wire.n, 0);
	clock_advance(1);
	CU_ASSERT(last_is(ISUP_MSG_REL, 3, 102, 0));
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 3), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 3), ISUP_CIC_ST_IDLE);

	/* check required on this circuit: no equipment, the peer's check
	 * fails; the call is abandoned, the CCR of the re-check gets CFN 97,
	 * T27 (4 min) resets the circuit */
	reset_capture();
	CU_ASSERT_EQUAL(peer_iam_cot(t, 4, 1), 0);
	CU_ASSERT_EQUAL(peer_cot(t, 4, false), 0);
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_CCR, 4), -ENOTSUP);
	CU_ASSERT(last_is(ISUP_MSG_CFN, 4, 97, ISUP_MSG_CCR));
	clock_advance(239);
	CU_ASSERT_EQUAL(wire_count(ISUP_MSG_RSC), 0);
	clock_advance(1);
	CU_ASSERT(last_is(ISUP_MSG_RSC, 4, 0, 0));
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 4), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 4), ISUP_CIC_ST_IDLE);
	/* ... or the peer releases it */
	reset_capture();
	CU_ASSERT_EQUAL(peer_iam_cot(t, 4, 1), 0);
	CU_ASSERT_EQUAL(peer_cot(t, 4, false), 0);
	CU_ASSERT_EQUAL(peer_send_rel(t, 4, 41), 0);
	CU_ASSERT(last_is(ISUP_MSG_RLC, 4, 0, 0));
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 4), ISUP_CIC_ST_IDLE);

	/* COT with no call awaiting it: unexpected, reset (Q.764 §2.9.5.1) */
	reset_capture();
	CU_ASSERT_EQUAL(peer_cot(t, 5, true), -EPROTO);
	CU_ASSERT(last_is(ISUP_MSG_RSC, 5, 0, 0));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 5), 0);
	/* a reset while awaiting the COT ends the call, silently */
	CU_ASSERT_EQUAL(peer_iam_cot(t, 6, 2), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RSC, 6), 0);
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 6), ISUP_CIC_ST_IDLE);
	trunk_down(t);

	/* no owner for incoming calls: the COT offers the call, which is
	 * released at once (cause 63) while it is being offered */
	{
		struct isup_trunk_ops ops2 = ops;

		ops2.incoming = NULL;
		t = isup_trunk_alloc(test_ctx, "peer2", OUR_PC, PEER_PC, &ops2, NULL);
		CU_ASSERT_FATAL(t != NULL);
		CU_ASSERT_FATAL(isup_trunk_add_cics(t, 1, 8) == 0);
		isup_trunk_mtp_available(t, true);
		CU_ASSERT_EQUAL(peer_send_group(t, ISUP_MSG_GRA, 1, 7, 0, 0), 0);
		reset_capture();
		CU_ASSERT_EQUAL(peer_iam_cot(t, 2, 2), 0);
		CU_ASSERT_EQUAL(peer_cot(t, 2, true), 0);
		CU_ASSERT(last_is(ISUP_MSG_REL, 2, 63, 0));
		CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), 0);
		trunk_down(t);
	}
}

/* An IAM with called number \a called on \a cic; \a intl sets FCI bit A */
static int peer_iam_num(struct isup_trunk *t, uint16_t cic, const char *called, bool intl)
{
	struct isup_msg *m = talloc_zero(test_ctx, struct isup_msg);
	int rc;

	CU_ASSERT_FATAL(m != NULL);
	fill_iam(m, called);
	m->cic = cic;
	isup_msg_param_find(m, ISUP_PAR_FCI)->u.fci.international = intl;
	rc = peer_send_msg(t, m);
	talloc_free(m);
	return rc;
}

static int peer_sam(struct isup_trunk *t, uint16_t cic, const char *digits)
{
	struct isup_msg *m = talloc_zero(test_ctx, struct isup_msg);
	int rc;

	CU_ASSERT_FATAL(m != NULL);
	isup_msg_init(m, ISUP_MSG_SAM, cic);
	osmo_strlcpy(isup_msg_param_find(m, ISUP_PAR_SUBSEQUENT_NUMBER)->u.subsequent.digits, digits,
		     sizeof(m->mand[0].u.subsequent.digits));
	rc = peer_send_msg(t, m);
	talloc_free(m);
	return rc;
}

/* SUS or RES with suspend/resume indicator \a ind (0 subscriber, 1 network) */
static int peer_sus_res(struct isup_trunk *t, uint8_t type, uint16_t cic, uint8_t ind)
{
	struct isup_msg *m = talloc_zero(test_ctx, struct isup_msg);
	int rc;

	CU_ASSERT_FATAL(m != NULL);
	isup_msg_init(m, type, cic);
	isup_msg_param_find(m, ISUP_PAR_SUSPEND_RESUME)->u.u8 = ind;
	rc = peer_send_msg(t, m);
	talloc_free(m);
	return rc;
}

/* Q.764 §2.1.1.2: overlap address signalling, T35 */
static void test_overlap(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_call *call;

	CU_ASSERT_EQUAL(isup_trunk_set_overlap(t, true, 0, 15), -EINVAL);
	CU_ASSERT_EQUAL(isup_trunk_set_overlap(t, true, 9, 8), -EINVAL);
	CU_ASSERT_EQUAL(isup_trunk_set_overlap(t, true, 8, 41), -EINVAL);

	/* en bloc (the default): the IAM is offered at once, a SAM is
	 * unexpected on the busy circuit and discarded, no reset */
	CU_ASSERT_EQUAL(peer_iam_num(t, 1, "1202555", false), 0);
	CU_ASSERT(owner_saw("incoming 1 7"));
	CU_ASSERT_STRING_EQUAL(owner.last_cdpn, "1202555");
	CU_ASSERT_EQUAL(peer_sam(t, 1, "0001"), 0);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 1), 0);
	reset_capture();

	CU_ASSERT_EQUAL(isup_trunk_set_overlap(t, true, 8, 11), 0);
	/* SAMs until the most digits: offered with the whole number, T35
	 * restarted by each SAM (14 + 14 s without expiry) */
	CU_ASSERT_EQUAL(peer_iam_num(t, 2, "1202", false), 0);
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 2), ISUP_CIC_ST_IN_BUSY);
	clock_advance(14);
	CU_ASSERT_EQUAL(peer_sam(t, 2, "555"), 0);
	clock_advance(14);
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT_EQUAL(peer_sam(t, 2, "0001"), 0);
	CU_ASSERT(owner_saw("incoming 2 11"));
	CU_ASSERT_STRING_EQUAL(owner.last_cdpn, "12025550001");
	call = owner.last_incoming;
	/* a SAM after the call was offered: discarded */
	CU_ASSERT_EQUAL(peer_sam(t, 2, "9"), 0);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT_EQUAL(isup_call_send_acm(call, NULL), 0);
	clock_advance(30);
	CU_ASSERT(last_is(ISUP_MSG_ACM, 2, 0, 0));
	CU_ASSERT_EQUAL(isup_call_release(call, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), 0);
	reset_capture();

	/* ST ends the number before the most digits */
	CU_ASSERT_EQUAL(peer_iam_num(t, 3, "44", false), 0);
	CU_ASSERT_EQUAL(peer_sam(t, 3, "20F"), 0);
	CU_ASSERT(owner_saw("incoming 3 5"));
	CU_ASSERT_STRING_EQUAL(owner.last_cdpn, "4420F");
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 3), 0);
	/* an IAM with ST or with the most digits is complete at once */
	reset_capture();
	CU_ASSERT_EQUAL(peer_iam_num(t, 3, "123F", false), 0);
	CU_ASSERT(owner_saw("incoming 3 4"));
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 3), 0);
	reset_capture();

	/* T35 (15 s) with enough digits: the number is taken as complete */
	CU_ASSERT_EQUAL(peer_iam_num(t, 4, "1202555", false), 0);
	CU_ASSERT_EQUAL(peer_sam(t, 4, "0"), 0);
	clock_advance(14);
	CU_ASSERT_EQUAL(owner.n, 0);
	clock_advance(1);
	CU_ASSERT(owner_saw("incoming 4 8"));
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 4), 0);
	reset_capture();

	/* T35 with too few digits: REL 28, the owner never knew */
	CU_ASSERT_EQUAL(peer_iam_num(t, 5, "1202", false), 0);
	CU_ASSERT_EQUAL(peer_sam(t, 5, "55"), 0);
	clock_advance(14);
	CU_ASSERT_EQUAL(wire.n, 0);
	clock_advance(1);
	CU_ASSERT(last_is(ISUP_MSG_REL, 5, ISUP_CAUSE_ADDRESS_INCOMPLETE, 0));
	CU_ASSERT_EQUAL(owner.n, 0);
	/* a late SAM while our REL awaits its RLC: discarded */
	CU_ASSERT_EQUAL(peer_sam(t, 5, "5"), 0);
	CU_ASSERT_EQUAL(wire.n, 1);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 5), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 5), ISUP_CIC_ST_IDLE);
	reset_capture();

	/* the peer gives up while we collect: RLC, the owner never knew */
	CU_ASSERT_EQUAL(peer_iam_num(t, 6, "1202", false), 0);
	CU_ASSERT_EQUAL(peer_send_rel(t, 6, 16), 0);
	CU_ASSERT(last_is(ISUP_MSG_RLC, 6, 0, 0));
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 6), ISUP_CIC_ST_IDLE);
	reset_capture();

	/* more than 40 digits: REL 28 */
	CU_ASSERT_EQUAL(isup_trunk_set_overlap(t, true, 8, 40), 0);
	CU_ASSERT_EQUAL(peer_iam_num(t, 7, "12345678901234567890", false), 0);
	CU_ASSERT_EQUAL(peer_sam(t, 7, "1234567890123456789"), 0);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT_EQUAL(peer_sam(t, 7, "12"), 0);
	CU_ASSERT(last_is(ISUP_MSG_REL, 7, ISUP_CAUSE_ADDRESS_INCOMPLETE, 0));
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 7), 0);
	reset_capture();

	/* digits arrive while a COT is awaited; after the COT T35 runs */
	CU_ASSERT_EQUAL(isup_trunk_set_overlap(t, true, 8, 11), 0);
	{
		struct isup_msg *m = talloc_zero(test_ctx, struct isup_msg);

		fill_iam(m, "1202");
		m->cic = 8;
		isup_msg_param_find(m, ISUP_PAR_NCI)->u.nci.continuity = 2;
		CU_ASSERT_EQUAL(peer_send_msg(t, m), 0);
		talloc_free(m);
	}
	CU_ASSERT_EQUAL(peer_sam(t, 8, "555"), 0);
	CU_ASSERT_EQUAL(peer_cot(t, 8, true), 0);
	CU_ASSERT_EQUAL(owner.n, 0);
	CU_ASSERT_EQUAL(peer_sam(t, 8, "0001"), 0);
	CU_ASSERT(owner_saw("incoming 8 11"));
	CU_ASSERT_EQUAL(isup_call_release(owner.last_incoming, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 8), 0);

	/* a SAM on an idle circuit: unexpected, circuit reset (Q.764 §2.9.5.1) */
	reset_capture();
	CU_ASSERT_EQUAL(peer_sam(t, 1, "1"), -EPROTO);
	CU_ASSERT(last_is(ISUP_MSG_RSC, 1, 0, 0));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 1), 0);
	CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_SAM_RX), 9);
	CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_T35_EXPIRED), 2);
	trunk_down(t);
}

/* Q.764 §2.5: SUS/RES on an answered call, T2/T6/T38; APM discarded */
static void test_suspend(void)
{
	struct isup_trunk *t = trunk_up(OUR_PC);
	struct isup_call *call;
	struct isup_msg *m;

	/* network initiated, national call: T6 (60 s); RES in time */
	call = call_in_active(t, 1);
	CU_ASSERT_EQUAL(peer_sus_res(t, ISUP_MSG_SUS, 1, 1), 0);
	CU_ASSERT(owner_saw("suspended 1"));
	clock_advance(59);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT_EQUAL(peer_sus_res(t, ISUP_MSG_RES, 1, 1), 0);
	CU_ASSERT(owner_saw("resumed 1"));
	clock_advance(120);
	CU_ASSERT_EQUAL(wire.n, 0);
	/* the call goes on: the owner can release it */
	CU_ASSERT_EQUAL(isup_call_release(call, 16), 0);
	CU_ASSERT(last_is(ISUP_MSG_REL, 1, 16, 0));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 1), 0);
	reset_capture();

	/* no RES within T6: REL 102, the owner hears 102 */
	call = call_in_active(t, 2);
	CU_ASSERT_EQUAL(peer_sus_res(t, ISUP_MSG_SUS, 2, 1), 0);
	/* a second SUS does not restart T6 */
	clock_advance(30);
	CU_ASSERT_EQUAL(peer_sus_res(t, ISUP_MSG_SUS, 2, 1), 0);
	clock_advance(29);
	CU_ASSERT_EQUAL(wire.n, 0);
	clock_advance(1);
	CU_ASSERT(last_is(ISUP_MSG_REL, 2, ISUP_CAUSE_RECOVERY_ON_TIMER, 0));
	CU_ASSERT(owner_saw("released 102"));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 2), 0);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 2), ISUP_CIC_ST_IDLE);
	reset_capture();

	/* ISDN subscriber initiated: T2 (3 min) */
	call = call_in_active(t, 3);
	CU_ASSERT_EQUAL(peer_sus_res(t, ISUP_MSG_SUS, 3, 0), 0);
	CU_ASSERT(owner_saw("suspended 0"));
	clock_advance(179);
	CU_ASSERT_EQUAL(wire.n, 0);
	clock_advance(1);
	CU_ASSERT(last_is(ISUP_MSG_REL, 3, ISUP_CAUSE_RECOVERY_ON_TIMER, 0));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 3), 0);
	reset_capture();

	/* network initiated on an international call: T38 (15 s) */
	CU_ASSERT_EQUAL(peer_iam_num(t, 4, "12025550001", true), 0);
	call = owner.last_incoming;
	CU_ASSERT_EQUAL(isup_call_send_con(call, NULL), 0);
	reset_capture();
	CU_ASSERT_EQUAL(peer_sus_res(t, ISUP_MSG_SUS, 4, 1), 0);
	clock_advance(14);
	CU_ASSERT_EQUAL(wire.n, 0);
	clock_advance(1);
	CU_ASSERT(last_is(ISUP_MSG_REL, 4, ISUP_CAUSE_RECOVERY_ON_TIMER, 0));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 4), 0);
	reset_capture();

	/* suspended: the peer or the owner may still release */
	call = call_in_active(t, 5);
	CU_ASSERT_EQUAL(peer_sus_res(t, ISUP_MSG_SUS, 5, 1), 0);
	CU_ASSERT_EQUAL(peer_send_rel(t, 5, 16), 0);
	CU_ASSERT(last_is(ISUP_MSG_RLC, 5, 0, 0));
	CU_ASSERT(owner_saw("released 16"));
	reset_capture();
	call = call_in_active(t, 5);
	CU_ASSERT_EQUAL(peer_sus_res(t, ISUP_MSG_SUS, 5, 0), 0);
	CU_ASSERT_EQUAL(isup_call_release(call, 16), 0);
	CU_ASSERT(last_is(ISUP_MSG_REL, 5, 16, 0));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 5), 0);
	clock_advance(200);
	CU_ASSERT_EQUAL(wire.n, 1);
	reset_capture();

	/* SUS before the answer, RES without SUS: discarded, no reset */
	CU_ASSERT_EQUAL(peer_send_iam(t, 6), 0);
	call = owner.last_incoming;
	CU_ASSERT_EQUAL(isup_call_send_acm(call, NULL), 0);
	reset_capture();
	CU_ASSERT_EQUAL(peer_sus_res(t, ISUP_MSG_SUS, 6, 1), 0);
	CU_ASSERT_EQUAL(isup_call_send_anm(call, NULL), 0);
	CU_ASSERT_EQUAL(peer_sus_res(t, ISUP_MSG_RES, 6, 1), 0);
	clock_advance(200);
	CU_ASSERT_EQUAL(wire.n, 1);
	CU_ASSERT(last_is(ISUP_MSG_ANM, 6, 0, 0));
	CU_ASSERT(!owner_saw("suspended 1"));

	/* APM on the call: discarded, the call and circuit stay */
	m = talloc_zero(test_ctx, struct isup_msg);
	CU_ASSERT_FATAL(m != NULL);
	isup_msg_init(m, ISUP_MSG_APM, 6);
	{
		struct isup_param *p = isup_msg_opt_add(m, ISUP_PAR_APP_TRANSPORT);

		p->u.app.aci = 5;
		p->u.app.rci = 1;
		p->u.app.si = 1;
		p->u.app.info_len = 4;
	}
	CU_ASSERT_EQUAL(peer_send_msg(t, m), 0);
	CU_ASSERT_EQUAL(wire.n, 1);
	CU_ASSERT_EQUAL(isup_trunk_cic_state(t, 6), ISUP_CIC_ST_IN_BUSY);
	CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_APM_RX), 1);
	/* an APM on an idle circuit: unexpected, reset */
	m->cic = 7;
	CU_ASSERT_EQUAL(peer_send_msg(t, m), -EPROTO);
	CU_ASSERT(last_is(ISUP_MSG_RSC, 7, 0, 0));
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 7), 0);
	talloc_free(m);
	CU_ASSERT_EQUAL(isup_call_release(call, 16), 0);
	CU_ASSERT_EQUAL(peer_send(t, ISUP_MSG_RLC, 6), 0);
	CU_ASSERT_EQUAL(isup_trunk_ctr_get(t, ISUP_TRUNK_CTR_SUS_RX), 6);
	trunk_down(t);
}

static int setup(void *root)
{
	test_ctx = talloc_named_const(root, 0, "test");
	/* the hostile-input loops log a lot: quiet unless asked */
	if (!getenv("ISUP_TEST_LOG"))
		log_set_log_level(osmo_stderr_target, LOGL_FATAL);
	osmo_clock_override_enable(CLOCK_MONOTONIC, true);
	osmo_gettimeofday_override = true;
	return 0;
}

static const struct cunit_test tests[] = {
	{ "GRS at start, GRA, T22/T23, link down and up", test_grs_at_start },
	{ "outgoing call answered, released by either side", test_outgoing_answered },
	{ "busy, T7, T9, send failure", test_outgoing_failures },
	{ "T1 retransmission, T5 -> RSC", test_t1_t5 },
	{ "incoming call", test_incoming },
	{ "dual seizure on both sides of the comparison", test_dual_seizure },
	{ "RSC and GRS received during calls", test_rsc_received },
	{ "RSC with no other circuit for the repeat", test_rsc_no_other_circuit },
	{ "blocking idle and busy circuits, group blocking", test_blocking },
	{ "UCIC -> failover", test_ucic_failover },
	{ "unknown CIC, wrong state, garbage", test_unexpected },
	{ "every prefix and bit flip of an IAM", test_fuzz_states },
	{ "SGM reassembly and T34", test_segmentation },
	{ "memory of 12,000 idle circuits", test_idle_circuit_memory },
	{ "procedure state freed when the procedure ends", test_procedure_memory },
	{ "procedures without memory for their timers", test_procedure_no_memory },
	{ "Q.764 2.9.5.3.1 unrecognized messages", test_compat_messages },
	{ "Q.764 2.9.5.3.2 unrecognized parameters", test_compat_params },
	{ "INR answered with INF", test_inr },
	{ "CQM answered with CQR", test_cqm },
	{ "COT, T8, T27", test_cot },
	{ "overlap: SAM, ST, T35, cause 28", test_overlap },
	{ "SUS/RES, T2/T6/T38, APM", test_suspend },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "isup_call", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "isup_call_test",
	.log = CUNIT_LOG_STDERR,
	.setup = setup,
	.suites = suites,
};
