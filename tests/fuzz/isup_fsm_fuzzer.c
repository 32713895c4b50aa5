/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz harness: ISUP call control (ss7/isup_trunk.c, ss7/isup_call_fsm.c).
 *
 * The input is a program: each step is a message from the peer (well-formed
 * ISUP of any type, on any of a few circuits or on one that is not ours,
 * perhaps with an unrecognized parameter and compatibility instructions
 * (Q.764 §2.9.5.3), or raw octets; an IAM may switch the trunk to overlap
 * address signalling, Q.764 §2.1.1.2, and SAMs carry digits with or
 * without ST), a local action (call set-up, ACM/CPG/ANM/CON/REL on a live
 * call, blocking, reset, MTP up or down) or a jump of the fake clock that
 * lets the Q.764 timers expire.  Everything the trunk sends must decode with
 * our own codec.  After the program a final reset (MTP down and up, the
 * peer answering the GRS with GRA) must bring every circuit back to idle
 * with no call left, the owner told of every call's end, and freeing the
 * trunk must give back every talloc block and osmo_timer it took. */

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "src/core/logging.h"
#include "ss7/isup.h"
#include "ss7/isup_trunk.h"

#define OUR_PC		100
#define PEER_PC		200
#define FIRST_CIC	1
#define N_CICS		4
#define CALLS_MAX	16

static const uint8_t peer_types[] = {
	ISUP_MSG_IAM, ISUP_MSG_SAM, ISUP_MSG_ACM, ISUP_MSG_CON, ISUP_MSG_ANM, ISUP_MSG_REL,
	ISUP_MSG_SUS, ISUP_MSG_RES, ISUP_MSG_RLC, ISUP_MSG_RSC, ISUP_MSG_BLO, ISUP_MSG_UBL,
	ISUP_MSG_BLA, ISUP_MSG_UBA, ISUP_MSG_GRS, ISUP_MSG_CGB, ISUP_MSG_CGU, ISUP_MSG_CGBA,
	ISUP_MSG_CGUA, ISUP_MSG_GRA, ISUP_MSG_CPG, ISUP_MSG_UCIC, ISUP_MSG_CFN, ISUP_MSG_SGM,
	ISUP_MSG_APM, ISUP_MSG_INR, ISUP_MSG_INF, ISUP_MSG_COT, ISUP_MSG_CCR, ISUP_MSG_LPA,
	ISUP_MSG_CQM, ISUP_MSG_CQR, ISUP_MSG_FAC, ISUP_MSG_IDR, ISUP_MSG_IRS,
};

/* the calls the owner holds: from "incoming" or a set-up, until
 * "released" or our own isup_call_release() */
static struct isup_call *calls[CALLS_MAX];
static unsigned int n_calls;
/* the last reset the trunk sent: the final reset answers it */
static struct {
	uint8_t type;
	uint16_t cic;
	uint8_t range;
} last_reset;

struct prog {
	const uint8_t *p;
	size_t n;
};

static uint8_t next(struct prog *pg)
{
	if (!pg->n)
		return 0;
	pg->n--;
	return *pg->p++;
}

static void call_forget(struct isup_call *call)
{
	unsigned int i;

	for (i = 0; i < n_calls; i++) {
		if (calls[i] == call) {
			calls[i] = calls[--n_calls];
			return;
		}
	}
}

static void call_keep(struct isup_call *call)
{
	/* a handle given twice would be a trunk bug */
	call_forget(call);
	if (n_calls == CALLS_MAX)
		abort();	/* more calls than circuits: cannot be */
	calls[n_calls++] = call;
}

static int cap_send(struct isup_trunk *t, uint32_t dpc, uint8_t sls, const uint8_t *data, size_t len,
		    void *priv)
{
	struct isup_msg *m = talloc_zero(NULL, struct isup_msg);
	const struct isup_param *p;

	if (!m)
		abort();
	/* the trunk sends only what our own codec decodes, all of it */
	if (dpc != PEER_PC || isup_msg_decode(m, data, len) != (int)len)
		abort();
	if (m->type == ISUP_MSG_GRS || m->type == ISUP_MSG_RSC) {
		last_reset.type = m->type;
		last_reset.cic = m->cic;
		p = isup_msg_param_find_c(m, ISUP_PAR_RANGE_STATUS);
		last_reset.range = p ? p->u.range_status.range : 0;
	}
	talloc_free(m);
	return 0;
}

static void cb_incoming(struct isup_trunk *t, struct isup_call *call, const struct isup_msg *iam, void *priv)
{
	call_keep(call);
}

static void cb_released(struct isup_call *call, uint8_t cause, void *call_priv)
{
	call_forget(call);
}

static const struct isup_trunk_ops ops = {
	.send = cap_send,
	.incoming = cb_incoming,
	.released = cb_released,
};

static void clock_advance(unsigned int secs)
{
	while (secs--) {
		osmo_clock_override_add(CLOCK_MONOTONIC, 1, 0);
		osmo_gettimeofday_override_add(1, 0);
		osmo_timers_prepare();
		osmo_timers_update();
	}
}

static void fill_iam(struct isup_msg *m, uint8_t digits)
{
	struct isup_param *p;

	p = isup_msg_param_find(m, ISUP_PAR_FCI);
	if (p)
		p->u.fci.isup = 1;
	p = isup_msg_param_find(m, ISUP_PAR_CPC);
	if (p)
		p->u.u8 = 0x0a;
	p = isup_msg_param_find(m, ISUP_PAR_CALLED_PARTY_NUMBER);
	if (p) {
		p->u.number.nai = ISUP_NAI_INTERNATIONAL;
		p->u.number.npi = 1;
		snprintf(p->u.number.digits, sizeof(p->u.number.digits), "%.*s", 1 + digits % 15,
			 "1202555000123456");
	}
}

/* The fields of the newer messages, an unrecognized parameter with or
 * without its parameter compatibility information, a message
 * compatibility information */
static void extras(struct isup_msg *m, struct prog *pg)
{
	uint8_t what = next(pg);
	struct isup_param *p;

	p = isup_msg_param_find(m, ISUP_PAR_NCI);
	if (p)
		p->u.nci.continuity = (what >> 6) & 3;
	p = isup_msg_param_find(m, ISUP_PAR_CONTINUITY);
	if (p)
		p->u.u8 = what & 1;
	p = isup_msg_param_find(m, ISUP_PAR_INR_IND);
	if (p) {
		p->u.inr.cgpn = what & 1;
		p->u.inr.cpc = (what >> 1) & 1;
	}
	p = isup_msg_param_find(m, ISUP_PAR_CIRCUIT_STATE);
	if (p) {
		p->u.csi.num = isup_msg_param_find(m, ISUP_PAR_RANGE_STATUS)->u.range_status.range + 1;
		memset(p->u.csi.state, what & 0x3f, p->u.csi.num);
	}
	if (what & 0x04) {
		/* an unrecognized parameter (0xf0-0xf3) */
		p = isup_msg_opt_add(m, 0xf0 | ((what >> 3) & 3));
		if (p)
			p->u.opaque.len = 1;
		if (p && (what & 0x20)) {
			uint8_t code = p->code;

			p = isup_msg_opt_add(m, ISUP_PAR_PCI);
			if (p) {
				p->u.pci.num = 1;
				p->u.pci.entry[0].code = code;
				p->u.pci.entry[0].num_instr = 1;
				p->u.pci.entry[0].instr[0] = next(pg) & 0x7f;
			}
		}
	}
	if (what & 0x80) {
		p = isup_msg_opt_add(m, ISUP_PAR_MCI);
		if (p) {
			p->u.mci.num_instr = 1;
			p->u.mci.instr[0] = next(pg) & 0x7f;
		}
	}
}

/* A well-formed message of the peer, its fields from the program. */
static void peer_msg(struct isup_trunk *t, struct prog *pg)
{
	struct isup_msg *m = talloc_zero(NULL, struct isup_msg);
	uint8_t type = peer_types[next(pg) % ARRAY_SIZE(peer_types)];
	uint16_t cic = FIRST_CIC - 1 + next(pg) % (N_CICS + 2);
	struct isup_param *p;
	uint8_t buf[512];
	int len;

	if (!m)
		abort();
	if (isup_msg_init(m, type, cic) < 0)
		goto out;
	if (type == ISUP_MSG_IAM) {
		uint8_t d = next(pg);

		fill_iam(m, d);
		/* bit 7: the trunk collects digits from here on */
		isup_trunk_set_overlap(t, d & 0x80, 4, 12);
	}
	p = isup_msg_param_find(m, ISUP_PAR_SUBSEQUENT_NUMBER);
	if (p) {
		uint8_t d = next(pg);

		snprintf(p->u.subsequent.digits, sizeof(p->u.subsequent.digits), "%.*s%s", 1 + d % 6,
			 "555000", d & 0x80 ? "F" : "");
	}
	p = isup_msg_param_find(m, ISUP_PAR_SUSPEND_RESUME);
	if (p)
		p->u.u8 = next(pg) & 1;
	p = isup_msg_param_find(m, ISUP_PAR_CAUSE);
	if (p)
		p->u.cause.value = next(pg) & 0x7f;
	p = isup_msg_param_find(m, ISUP_PAR_BCI);
	if (p)
		p->u.bci.called_status = next(pg) & 3;
	p = isup_msg_param_find(m, ISUP_PAR_EVENT_INFO);
	if (p)
		p->u.event.event = next(pg) & 0x7f;
	p = isup_msg_param_find(m, ISUP_PAR_RANGE_STATUS);
	if (p) {
		p->u.range_status.range = next(pg) % 40;
		if (type != ISUP_MSG_GRS && type != ISUP_MSG_CQM && type != ISUP_MSG_CQR) {
			p->u.range_status.status_len = p->u.range_status.range / 8 + 1;
			memset(p->u.range_status.status, next(pg), p->u.range_status.status_len);
		}
	}
	p = isup_msg_param_find(m, ISUP_PAR_CGSMT);
	if (p)
		p->u.u8 = next(pg) & 3;
	extras(m, pg);
	len = isup_msg_encode(buf, sizeof(buf), m);
	if (len > 0)
		isup_trunk_rx(t, PEER_PC, buf, len);
out:
	talloc_free(m);
}

static void local_call_setup(struct isup_trunk *t, struct prog *pg)
{
	struct isup_msg *iam = talloc_zero(NULL, struct isup_msg);
	struct isup_call *call;

	if (!iam)
		abort();
	if (isup_msg_init(iam, ISUP_MSG_IAM, 0) == 0) {
		fill_iam(iam, next(pg));
		if (isup_trunk_call_setup(t, iam, NULL, &call) == 0)
			call_keep(call);
	}
	talloc_free(iam);
}

static void local_call_action(struct prog *pg)
{
	struct isup_call *call;
	uint8_t what;

	if (!n_calls)
		return;
	call = calls[next(pg) % n_calls];
	what = next(pg);
	switch (what % 5) {
	case 0:
		isup_call_send_acm(call, NULL);
		break;
	case 1:
		isup_call_send_cpg(call, NULL);
		break;
	case 2:
		isup_call_send_anm(call, NULL);
		break;
	case 3:
		isup_call_send_con(call, NULL);
		break;
	default:
		call_forget(call);
		isup_call_release(call, 1 + (what >> 3) % 127);
		break;
	}
}

static void step(struct isup_trunk *t, struct prog *pg)
{
	uint8_t op = next(pg);
	uint8_t raw[64];
	size_t n, i;

	switch (op % 12) {
	case 0:
	case 1:
	case 2:
		peer_msg(t, pg);
		break;
	case 3:
		/* raw octets: CIC, type, then whatever follows */
		n = 3 + next(pg) % (sizeof(raw) - 3);
		raw[0] = FIRST_CIC + next(pg) % N_CICS;
		raw[1] = 0;
		for (i = 2; i < n; i++)
			raw[i] = next(pg);
		isup_trunk_rx(t, PEER_PC, raw, n);
		break;
	case 4:
		clock_advance(next(pg) % 64);
		break;
	case 5:
		local_call_setup(t, pg);
		break;
	case 6:
	case 7:
		local_call_action(pg);
		break;
	case 8:
		isup_trunk_cic_block(t, FIRST_CIC + next(pg) % (N_CICS + 1), next(pg) & 1);
		break;
	case 9:
		isup_trunk_group_block(t, FIRST_CIC, next(pg) % N_CICS, next(pg) & 1);
		break;
	case 10:
		isup_trunk_cic_reset(t, FIRST_CIC + next(pg) % (N_CICS + 1));
		break;
	default:
		isup_trunk_mtp_available(t, next(pg) & 1);
		break;
	}
}

/* MTP down and up: the trunk resets every circuit with GRS; the peer
 * answers it with GRA (RSC with RLC), as a healthy peer does. */
static void final_reset(struct isup_trunk *t)
{
	struct isup_msg *m = talloc_zero(NULL, struct isup_msg);
	struct isup_param *p;
	uint8_t buf[64];
	uint16_t cic;
	int len;

	if (!m)
		abort();
	last_reset.type = 0;
	isup_trunk_mtp_available(t, false);
	isup_trunk_mtp_available(t, true);
	if (last_reset.type == ISUP_MSG_GRS) {
		isup_msg_init(m, ISUP_MSG_GRA, last_reset.cic);
		p = isup_msg_param_find(m, ISUP_PAR_RANGE_STATUS);
		p->u.range_status.range = last_reset.range;
		p->u.range_status.status_len = last_reset.range / 8 + 1;
	} else if (last_reset.type == ISUP_MSG_RSC) {
		isup_msg_init(m, ISUP_MSG_RLC, last_reset.cic);
	} else {
		abort();	/* MTP up must reset the circuits */
	}
	len = isup_msg_encode(buf, sizeof(buf), m);
	if (len <= 0 || isup_trunk_rx(t, PEER_PC, buf, len) < 0)
		abort();
	talloc_free(m);

	for (cic = FIRST_CIC; cic < FIRST_CIC + N_CICS; cic++) {
		if (isup_trunk_cic_state(t, cic) != ISUP_CIC_ST_IDLE || isup_trunk_cic_call(t, cic))
			abort();
	}
	/* every call the owner held ended with a "released" */
	if (n_calls)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void *ctx;
	struct prog pg = { .p = data, .n = size };
	struct isup_trunk *t;
	size_t blocks;
	int timers;

	if (!ctx) {
		ctx = talloc_named_const(NULL, 0, "isup_fsm_fuzzer");
		stiwf_logging_init(ctx);
		/* ISUP_FUZZ_LOG=1 to follow one input */
		if (!getenv("ISUP_FUZZ_LOG"))
			log_set_log_level(osmo_stderr_target, LOGL_FATAL);
		osmo_clock_override_enable(CLOCK_MONOTONIC, true);
		osmo_gettimeofday_override = true;
	}
	n_calls = 0;
	blocks = talloc_total_blocks(ctx);
	timers = osmo_timers_check();

	t = isup_trunk_alloc(ctx, "fuzz", OUR_PC, PEER_PC, &ops, NULL);
	if (!t || isup_trunk_add_cics(t, FIRST_CIC, FIRST_CIC + N_CICS - 1) < 0)
		abort();
	isup_trunk_mtp_available(t, true);
	while (pg.n)
		step(t, &pg);
	final_reset(t);
	isup_trunk_free(t);

	/* no block and no armed timer outlives the trunk */
	if (talloc_total_blocks(ctx) != blocks || osmo_timers_check() != timers)
		abort();
	return 0;
}
