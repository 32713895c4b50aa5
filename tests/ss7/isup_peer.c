/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An ISUP endpoint on stiwf's ss7/ code (M3UA user part + trunk + call
 * FSM) for the integration test through osmo-stp.  Two roles:
 *
 *   isup_peer -c CONF -r exchange -d DPC [-T22 S]
 *     a simulated exchange: answers an IAM with ACM + ANM; a called
 *     number ending in 17 gets REL 17 (busy); one ending in 99 is answered
 *     and then released by the exchange (REL 16); a REL gets RLC.  Ends
 *     with status 0 on SIGTERM.
 *   isup_peer -c CONF -r caller -d DPC [-T22 S] [-t MS]
 *     places three calls once its circuits are reset (GRS/GRA both ways):
 *     A answered and released by us, B busy, C answered and released by
 *     the exchange; then blocks and unblocks CIC 5 (BLO/BLA, UBL/UBA);
 *     exits 0 when all of it went as expected.
 *   isup_peer -c CONF -r inject -d DPC [-T22 S] [-t MS] [-g] -s HEX [-s HEX]...
 *     once its circuits are reset, places one call after the other with
 *     the given IAMs (hex from "stiwf isup iam": CIC, type, parameters; the
 *     trunk picks the CIC, the rest goes as given, token included); an
 *     answered call is released by us (REL 16).  Prints how each call
 *     ended ("inject N: answered", "inject N: released by the exchange,
 *     cause C") and, once all have ended, whatever the outcome, blocks
 *     and unblocks the last call's CIC (its UBA proves our last RLC went
 *     out) and exits 0.  With -g, each IAM after the first waits for a
 *     SIGUSR1 ("inject N: waiting for SIGUSR1"): the test changes the
 *     topology between two calls (kills the active IWF).  -x SPEC after
 *     an -s shapes that call, SPEC a comma-separated list of:
 *       called:D the called number is D, not the one the IAM was made
 *                (and its token signed) with
 *       keep:N   the IAM carries the first N digits of its called number,
 *                the others follow in SAMs of up to 3 digits (Q.764
 *                §2.1.1.2 overlap); "drop" sends no SAM
 *       st       the last address message ends with the ST signal
 *       sus:I, res:I, apm   sent in this order once the call is answered
 *                (SUS/RES with suspend/resume indicator I, an APM)
 *       wait     after them the call is not released: the IWF releases it
 *     The exchange role answers a called number of fewer than 8 digits
 *     with REL 28 (address incomplete).
 *
 * All use CICs 1..8.  Each event is printed on one line. */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/tdef.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "src/stiwfd/cfg.h"
#include "src/core/logging.h"
#include "ss7/isup.h"
#include "ss7/isup_trunk.h"
#include "ss7/mtp_user.h"

#define MAX_INJECT 8
#define MAX_AFTER 8

/* -x: how an injected call is shaped */
struct inj_plan {
	int keep;			/*!< digits in the IAM, -1 all */
	bool drop;			/*!< the other digits are not sent */
	bool st;
	uint8_t after[MAX_AFTER];	/*!< message types sent once answered */
	uint8_t after_ind[MAX_AFTER];	/*!< their suspend/resume indicator */
	unsigned int n_after;
	bool wait;
	char called[ISUP_NUMBER_MAX_DIGITS + 1];	/*!< "" the IAM's own */
};

static struct {
	struct stiwf_mtp_user *mtp;
	struct isup_trunk *trunk;
	uint32_t dpc;
	bool exchange;
	int step;
	int exit_code;
	bool done;
	struct isup_call *to_release;	/* exchange: call C, released after answer */
	struct osmo_timer_list rel_timer;
	/* inject: the IAMs to send, the one in progress (1-based, 0 before) */
	bool inject;
	struct isup_msg *iams[MAX_INJECT];
	struct inj_plan plans[MAX_INJECT];
	unsigned int n_iams, cur;
	bool cur_ended;
	bool gated;			/* -g: SIGUSR1 before each IAM after the first */
	bool gate_said;
	uint16_t last_cic;
	/* caller and inject: the CIC of the final BLO/UBL */
	uint16_t blk_cic;
} p = { .exit_code = -1 };

static const char *num_a = "12025550001";
static const char *num_b = "12025550017";
static const char *num_c = "12025550099";

static volatile sig_atomic_t gates_opened;
static struct osmo_timer_list gate_timer;

static void caller_step(void);

static void gate_timer_cb(void *data)
{
	caller_step();
	osmo_timer_schedule(&gate_timer, 0, 100000);
}

static void on_sigusr1(int sig)
{
	gates_opened++;
}

static void say(const char *fmt, const char *s, unsigned int a, unsigned int b)
{
	printf(fmt, s, a, b);
	printf("\n");
	fflush(stdout);
}

static int peer_send(struct isup_trunk *t, uint32_t dpc, uint8_t sls, const uint8_t *data, size_t len,
		     void *priv)
{
	return stiwf_mtp_user_send(p.mtp, dpc, sls, data, len);
}

static void finish(int code)
{
	p.exit_code = code;
	p.done = true;
}

static int caller_call(const char *num)
{
	struct isup_msg *iam = talloc_zero(NULL, struct isup_msg);
	struct isup_param *par;
	struct isup_call *call;
	int rc;

	if (!iam) {
		finish(1);
		return -ENOMEM;
	}
	isup_msg_init(iam, ISUP_MSG_IAM, 0);
	isup_msg_param_find(iam, ISUP_PAR_FCI)->u.fci.isup = 1;
	isup_msg_param_find(iam, ISUP_PAR_CPC)->u.u8 = 0x0a;
	par = isup_msg_param_find(iam, ISUP_PAR_CALLED_PARTY_NUMBER);
	par->u.number.nai = ISUP_NAI_INTERNATIONAL;
	par->u.number.npi = 1;
	snprintf(par->u.number.digits, sizeof(par->u.number.digits), "%s", num);
	par = isup_msg_opt_add(iam, ISUP_PAR_CALLING_PARTY_NUMBER);
	par->u.number.nai = ISUP_NAI_INTERNATIONAL;
	par->u.number.npi = 1;
	par->u.number.si = ISUP_SI_NETWORK_PROVIDED;
	snprintf(par->u.number.digits, sizeof(par->u.number.digits), "12025550002");
	rc = isup_trunk_call_setup(p.trunk, iam, (void *)num, &call);
	talloc_free(iam);
	if (rc == -ENETDOWN)
		return rc;
	if (rc < 0) {
		say("call %s: setup failed %u%u", num, -rc, 0);
		finish(1);
		return rc;
	}
	say("call %s: IAM on CIC %u%.0u", num, isup_call_cic(call), 0);
	return 0;
}

/* inject: a message the trunk has no API for (SAM, SUS, RES, APM) on the
 * circuit of a call, on the SLS of the circuit as the trunk sends (the
 * low 4 bits of the CIC) so that it keeps its order after the IAM */
static int send_raw(uint8_t type, uint16_t cic, const char *digits, uint8_t ind)
{
	struct isup_msg *m = talloc_zero(NULL, struct isup_msg);
	struct isup_param *par;
	uint8_t buf[64];
	int len = -ENOMEM;

	if (!m)
		return len;
	isup_msg_init(m, type, cic);
	par = isup_msg_param_find(m, ISUP_PAR_SUBSEQUENT_NUMBER);
	if (par)
		snprintf(par->u.subsequent.digits, sizeof(par->u.subsequent.digits), "%s", digits);
	par = isup_msg_param_find(m, ISUP_PAR_SUSPEND_RESUME);
	if (par)
		par->u.u8 = ind;
	if (type == ISUP_MSG_APM) {
		/* an application this IWF has no user for: ACI 100, of the range Q.765
		 * leaves to non-standardised applications (not our token's) */
		par = isup_msg_opt_add(m, ISUP_PAR_APP_TRANSPORT);
		par->u.app.aci = 100;
		par->u.app.si = 1;
		par->u.app.info_len = 3;
	}
	len = isup_msg_encode(buf, sizeof(buf), m);
	talloc_free(m);
	if (len < 0)
		return len;
	say("inject: %s on CIC %u%.0u", isup_msg_type_name(type), cic, 0);
	return stiwf_mtp_user_send(p.mtp, p.dpc, cic & 0x0f, buf, (size_t)len);
}

/* inject: the IAM as -x shapes it, and the digits for the SAMs */
static struct isup_msg *inject_shape(const struct isup_msg *iam, const struct inj_plan *pl, char *rest,
				     size_t rest_size)
{
	struct isup_msg *m = talloc_zero(NULL, struct isup_msg);
	struct isup_param *par;
	size_t n;

	rest[0] = '\0';
	if (!m)
		return NULL;
	*m = *iam;
	par = isup_msg_param_find(m, ISUP_PAR_CALLED_PARTY_NUMBER);
	if (!par)
		return m;
	if (pl->called[0])
		memcpy(par->u.number.digits, pl->called, sizeof(pl->called));
	n = strlen(par->u.number.digits);
	if (pl->keep >= 0 && (size_t)pl->keep < n) {
		if (!pl->drop)
			snprintf(rest, rest_size, "%s", par->u.number.digits + pl->keep);
		par->u.number.digits[pl->keep] = '\0';
	}
	if (pl->st && !rest[0]) {
		n = strlen(par->u.number.digits);
		if (n + 1 < sizeof(par->u.number.digits))
			memcpy(par->u.number.digits + n, "F", 2);
	} else if (pl->st && strlen(rest) + 1 < rest_size) {
		strcat(rest, "F");
	}
	return m;
}

/* inject: the next IAM once the circuits are reset and the last call's
 * circuit is idle again */
static void inject_step(void)
{
	struct isup_call *call;
	char rest[ISUP_NUMBER_MAX_DIGITS + 2], *d;
	int rc;

	if (p.cur == 0) {
		if (isup_trunk_cics_free(p.trunk) != 8 || isup_trunk_ctr_get(p.trunk, ISUP_TRUNK_CTR_GRS_RX) == 0)
			return;
		say("circuits reset both ways (%s) %u free%.0u", "GRS/GRA", 8, 0);
	} else if (!p.cur_ended || isup_trunk_cics_free(p.trunk) != 8) {
		return;
	}
	if (p.cur == p.n_iams) {
		say("inject: all %s%u calls ended%.0u", "", p.n_iams, 0);
		/* as the caller does: the UBA proves our last RLC went out */
		p.cur++;
		p.step = 7;
		p.blk_cic = p.last_cic;
		isup_trunk_cic_block(p.trunk, p.blk_cic, true);
		return;
	}
	if (p.cur > p.n_iams)
		return;
	if (p.gated && p.cur >= 1 && (unsigned int)gates_opened < p.cur) {
		if (!p.gate_said)
			say("inject %s%u: waiting for SIGUSR1%.0u", "", p.cur + 1, 0);
		p.gate_said = true;
		return;
	}
	p.gate_said = false;
	p.cur++;
	p.cur_ended = false;
	{
		struct isup_msg *iam = inject_shape(p.iams[p.cur - 1], &p.plans[p.cur - 1], rest, sizeof(rest));

		if (!iam) {
			finish(1);
			return;
		}
		rc = isup_trunk_call_setup(p.trunk, iam, (void *)(uintptr_t)p.cur, &call);
		talloc_free(iam);
	}
	if (rc == -ENETDOWN) {
		/* the peer's GRS came in before our own poll of the AS state
		 * saw the user part available: wait for the next event */
		p.cur--;
		p.cur_ended = true;
		return;
	}
	if (rc < 0) {
		say("inject %s%u: setup failed %u", "", p.cur, -rc);
		finish(1);
		return;
	}
	p.last_cic = isup_call_cic(call);
	say("inject %s%u: IAM on CIC %u", "", p.cur, p.last_cic);
	/* Q.764 §2.1.1.2: the other digits in SAMs, 3 at a time */
	for (d = rest; *d; ) {
		char sam[4];
		size_t k = strlen(d) > 3 ? 3 : strlen(d);

		memcpy(sam, d, k);
		sam[k] = '\0';
		d += k;
		if (send_raw(ISUP_MSG_SAM, p.last_cic, sam, 0) < 0) {
			finish(1);
			return;
		}
	}
}

/* caller: the script, advanced after every event */
static void caller_step(void)
{
	if (p.inject && !p.done) {
		inject_step();
		return;
	}
	if (p.exchange || p.done)
		return;
	switch (p.step) {
	case 0:
		/* our GRS acknowledged and the exchange's GRS answered */
		if (isup_trunk_cics_free(p.trunk) == 8 &&
		    isup_trunk_ctr_get(p.trunk, ISUP_TRUNK_CTR_GRS_RX) > 0) {
			say("circuits reset both ways (%s) %u free%.0u", "GRS/GRA", 8, 0);
			p.step = 1;
			if (caller_call(num_a) == -ENETDOWN) {
				/* the peer's GRS came before our poll of the AS
				 * state: try again at the next event */
				p.step = 0;
			}
		}
		break;
	case 2:
		/* call A released by us: wait for its RLC */
		if (isup_trunk_cics_free(p.trunk) == 8) {
			say("call %s: RLC, circuit idle%.0u%.0u", num_a, 0, 0);
			p.step = 3;
			caller_call(num_b);
		}
		break;
	case 4:
		p.step = 5;
		caller_call(num_c);
		break;
	case 6:
		if (isup_trunk_cics_free(p.trunk) == 8) {
			say("all calls done, %s, %u circuits idle%.0u", "ok", 8, 0);
			/* BLO/UBL on the last call's CIC: same CIC, same SLS, so
			 * the UBA also proves our last RLC went out before we exit */
			p.step = 7;
			p.blk_cic = 5;
			isup_trunk_cic_block(p.trunk, p.blk_cic, true);
		}
		break;
	}
}

/* caller: the blocking acknowledgements of step 7 */
static void caller_rx_type(uint8_t type)
{
	if (p.exchange || p.done || p.step < 7)
		return;
	if (p.step == 7 && type == ISUP_MSG_BLA) {
		say("CIC %s%u blocked (BLO/BLA)%.0u", "", p.blk_cic, 0);
		p.step = 8;
		isup_trunk_cic_block(p.trunk, p.blk_cic, false);
	} else if (p.step == 8 && type == ISUP_MSG_UBA) {
		say("CIC %s%u unblocked (UBL/UBA)%.0u", "", p.blk_cic, 0);
		finish(isup_trunk_cics_free(p.trunk) == 8 ? 0 : 1);
	}
}

static void cb_progress(struct isup_call *call, const struct isup_msg *msg, void *priv)
{
	if (p.inject) {
		say("inject %s%u: progress %u", "", (unsigned int)(uintptr_t)priv, msg->type);
		return;
	}
	say("call %s: progress %u%.0u", priv, msg->type, 0);
}

static void cb_answer(struct isup_call *call, const struct isup_msg *msg, void *priv)
{
	const char *num = priv;

	if (p.inject) {
		unsigned int n = (unsigned int)(uintptr_t)priv, i;
		const struct inj_plan *pl = &p.plans[n - 1];

		for (i = 0; i < pl->n_after; i++)
			send_raw(pl->after[i], isup_call_cic(call), "", pl->after_ind[i]);
		if (pl->wait) {
			say("inject %s%u: answered, awaiting the IWF's REL%.0u", "", n, 0);
			return;
		}
		say("inject %s%u: answered, REL %u", "", n, 16);
		isup_call_release(call, ISUP_CAUSE_NORMAL_CLEARING);
		p.cur_ended = true;
		return;
	}
	say("call %s: answered on CIC %u%.0u", num, isup_call_cic(call), 0);
	if (num == num_a) {
		isup_call_release(call, ISUP_CAUSE_NORMAL_CLEARING);
		say("call %s: released by us, cause %u%.0u", num, 16, 0);
		p.step = 2;
	}
}

static void cb_released(struct isup_call *call, uint8_t cause, void *priv)
{
	const char *num = priv;

	if (p.exchange) {
		say("exchange: call on CIC %s%u released by the caller, cause %u", "", isup_call_cic(call), cause);
		if (call == p.to_release) {
			osmo_timer_del(&p.rel_timer);
			p.to_release = NULL;
		}
		return;
	}
	if (p.inject) {
		say("inject %s%u: released by the exchange, cause %u", "", (unsigned int)(uintptr_t)priv, cause);
		p.cur_ended = true;
		return;
	}
	say("call %s: released by the exchange, cause %u%.0u", num, cause, 0);
	if (num == num_b && cause == ISUP_CAUSE_USER_BUSY && p.step == 3) {
		p.step = 4;
	} else if (num == num_c && cause == ISUP_CAUSE_NORMAL_CLEARING && p.step == 5) {
		p.step = 6;
	} else {
		say("call %s: unexpected release cause %u in step %u", num, cause, p.step);
		finish(1);
	}
}

static void cb_retry(struct isup_call *call, uint16_t old_cic, uint16_t new_cic, const char *reason, void *priv)
{
	say("call %s: repeat attempt CIC %u -> %u", priv ? (const char *)priv : "?", old_cic, new_cic);
}

static void cb_alert(struct isup_trunk *t, uint16_t cic, const char *what, void *priv)
{
	say("alert: %s (CIC %u)%.0u", what, cic, 0);
}

static void exchange_release_cb(void *data)
{
	if (!p.to_release)
		return;
	say("exchange: releasing CIC %s%u, cause %u", "", isup_call_cic(p.to_release), 16);
	isup_call_release(p.to_release, ISUP_CAUSE_NORMAL_CLEARING);
	p.to_release = NULL;
}

static void cb_incoming(struct isup_trunk *t, struct isup_call *call, const struct isup_msg *iam, void *priv)
{
	const struct isup_param *cdpn = isup_msg_param_find_c(iam, ISUP_PAR_CALLED_PARTY_NUMBER);
	const char *digits = cdpn ? cdpn->u.number.digits : "";
	size_t n = strlen(digits);

	say("exchange: IAM for %s on CIC %u%.0u", digits, isup_call_cic(call), 0);
	if (n < 8) {
		/* Q.850 cause 28: the number is incomplete for this exchange */
		isup_call_release(call, 28);
		say("exchange: %s incomplete, REL %u%.0u", digits, 28, 0);
		return;
	}
	if (n >= 2 && !strcmp(digits + n - 2, "17")) {
		isup_call_release(call, ISUP_CAUSE_USER_BUSY);
		say("exchange: %s busy, REL %u%.0u", digits, 17, 0);
		return;
	}
	if (isup_call_send_acm(call, NULL) < 0 || isup_call_send_anm(call, NULL) < 0) {
		say("exchange: %s: cannot answer%.0u%.0u", digits, 0, 0);
		isup_call_release(call, ISUP_CAUSE_TEMPORARY_FAILURE);
		return;
	}
	say("exchange: %s ACM + ANM%.0u%.0u", digits, 0, 0);
	if (n >= 2 && !strcmp(digits + n - 2, "99")) {
		/* released by the exchange a moment after answer */
		p.to_release = call;
		osmo_timer_schedule(&p.rel_timer, 0, 200000);
	}
}

static void on_rx(struct stiwf_mtp_user *u, const struct stiwf_mtp_addr *a, const uint8_t *data, size_t len,
		  void *priv)
{
	printf("rx %s\n", osmo_hexdump_nospc(data, len));
	isup_trunk_rx(p.trunk, a->opc, data, len);
	caller_step();
	if (len >= 3)
		caller_rx_type(data[2]);
}

static void on_state(struct stiwf_mtp_user *u, bool available, void *priv)
{
	printf("state %s\n", available ? "available" : "unavailable");
	fflush(stdout);
	isup_trunk_mtp_available(p.trunk, available);
	caller_step();
}

static void on_timeout(void *data)
{
	fprintf(stderr, "isup_peer: timeout in step %d\n", p.step);
	finish(1);
}

static void on_sigterm(int sig)
{
	finish(0);
}

static const struct isup_trunk_ops peer_ops = {
	.send = peer_send,
	.incoming = cb_incoming,
	.progress = cb_progress,
	.answer = cb_answer,
	.released = cb_released,
	.retry = cb_retry,
	.alert = cb_alert,
};

/* -x SPEC for the last IAM given with -s */
static int add_plan(const char *spec)
{
	struct inj_plan *pl;
	char buf[256], *tok, *save = NULL;

	if (!p.n_iams || strlen(spec) >= sizeof(buf))
		return -EINVAL;
	pl = &p.plans[p.n_iams - 1];
	osmo_strlcpy(buf, spec, sizeof(buf));
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strncmp(tok, "called:", 7)) {
			if (strlen(tok + 7) >= sizeof(pl->called))
				return -EINVAL;
			osmo_strlcpy(pl->called, tok + 7, sizeof(pl->called));
		} else if (!strncmp(tok, "keep:", 5)) {
			pl->keep = atoi(tok + 5);
		} else if (!strcmp(tok, "drop")) {
			pl->drop = true;
		} else if (!strcmp(tok, "st")) {
			pl->st = true;
		} else if (!strcmp(tok, "wait")) {
			pl->wait = true;
		} else if (pl->n_after < MAX_AFTER && (!strncmp(tok, "sus:", 4) || !strncmp(tok, "res:", 4))) {
			pl->after[pl->n_after] = tok[0] == 's' ? ISUP_MSG_SUS : ISUP_MSG_RES;
			pl->after_ind[pl->n_after++] = atoi(tok + 4) & 1;
		} else if (pl->n_after < MAX_AFTER && !strcmp(tok, "apm")) {
			pl->after[pl->n_after++] = ISUP_MSG_APM;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

/* inject: one IAM as "stiwf isup iam" prints it */
static int add_iam(void *ctx, const char *hex)
{
	size_t n = strlen(hex) / 2 + 1;
	uint8_t *buf;
	struct isup_msg *m;
	int len, rc = -EINVAL;

	if (p.n_iams >= MAX_INJECT)
		return -ENOSPC;
	buf = talloc_size(ctx, n);
	m = talloc_zero(ctx, struct isup_msg);
	if (!buf || !m)
		goto out;
	len = osmo_hexparse(hex, buf, n);
	if (len <= 0 || isup_msg_decode(m, buf, (size_t)len) < 0 || m->type != ISUP_MSG_IAM)
		goto out;
	p.plans[p.n_iams].keep = -1;
	p.iams[p.n_iams++] = m;
	m = NULL;
	rc = 0;
out:
	talloc_free(buf);
	talloc_free(m);
	return rc;
}

int main(int argc, char **argv)
{
	void *ctx = talloc_named_const(NULL, 0, "isup_peer");
	static const struct option lopts[] = { { "T22", required_argument, NULL, 'T' }, { 0 } };
	const char *conf = NULL, *role = NULL;
	unsigned long dpc = 0, timeout_ms = 30000, t22 = 0;
	struct osmo_timer_list timer = { 0 };
	struct sigaction sa = { .sa_handler = on_sigterm }, sa_usr1 = { .sa_handler = on_sigusr1 };
	char err[768];
	int opt;

	while ((opt = getopt_long_only(argc, argv, "c:r:d:t:s:x:g", lopts, NULL)) != -1) {
		switch (opt) {
		case 'g':
			p.gated = true;
			break;
		case 's':
			if (add_iam(ctx, optarg) < 0) {
				fprintf(stderr, "isup_peer: -s: not an IAM in hex, or more than %u\n", MAX_INJECT);
				return 2;
			}
			break;
		case 'x':
			if (add_plan(optarg) < 0) {
				fprintf(stderr, "isup_peer: -x: not after an -s, or not called:D, keep:N, drop, st, sus:I, "
					"res:I, apm, wait\n");
				return 2;
			}
			break;
		case 'c':
			conf = optarg;
			break;
		case 'r':
			role = optarg;
			break;
		case 'd':
			dpc = strtoul(optarg, NULL, 10);
			break;
		case 't':
			timeout_ms = strtoul(optarg, NULL, 10);
			break;
		case 'T':
			t22 = strtoul(optarg, NULL, 10);
			break;
		default:
			return 2;
		}
	}
	if (!conf || !role || !dpc || dpc > 0xffffff || timeout_ms > 3600000)
		return 2;
	p.dpc = (uint32_t)dpc;
	p.exchange = !strcmp(role, "exchange");
	p.inject = !strcmp(role, "inject");
	if (p.inject != (p.n_iams > 0))
		return 2;

	stiwf_logging_init(ctx);
	if (stiwf_vty_init(ctx) < 0)
		return 1;
	if (stiwf_config_read(conf, err, sizeof(err)) < 0) {
		fprintf(stderr, "isup_peer: %s\n", err);
		return 1;
	}
	p.mtp = stiwf_mtp_user_bind(ctx, 0, STIWF_MTP_SI_ISUP, on_rx, on_state, NULL);
	if (!p.mtp)
		return 1;
	p.trunk = isup_trunk_alloc(ctx, p.exchange ? "to-caller" : "to-exchange", stiwf_mtp_user_local_pc(p.mtp),
				   dpc, &peer_ops, NULL);
	if (!p.trunk || isup_trunk_add_cics(p.trunk, 1, 8) < 0)
		return 1;
	/* the peer may not be there for our first GRS: retry soon */
	if (t22 && osmo_tdef_set(isup_tdefs, ISUP_T22, t22, OSMO_TDEF_S) < 0)
		return 2;
	osmo_timer_setup(&p.rel_timer, exchange_release_cb, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* no SA_RESTART: the signal ends the select, and the loop looks */
	sigaction(SIGUSR1, &sa_usr1, NULL);
	if (!p.exchange) {
		osmo_timer_setup(&timer, on_timeout, NULL);
		osmo_timer_schedule(&timer, timeout_ms / 1000, (timeout_ms % 1000) * 1000);
	}
	printf("isup_peer: %s, PC %u -> %lu\n", role, stiwf_mtp_user_local_pc(p.mtp), dpc);
	fflush(stdout);

	if (p.gated) {
		/* a SIGUSR1 between the last look and the select would wait
		 * for the next message: look again every 100 ms */
		osmo_timer_setup(&gate_timer, gate_timer_cb, &gate_timer);
		osmo_timer_schedule(&gate_timer, 0, 100000);
	}
	while (!p.done) {
		osmo_select_main(0);
		if (p.gated && !p.done)
			caller_step();
	}
	osmo_timer_del(&gate_timer);

	osmo_timer_del(&timer);
	osmo_timer_del(&p.rel_timer);
	printf("isup_peer: %s done: calls out %lu in %lu answered %lu unexpected %lu\n", role,
	       (unsigned long)isup_trunk_ctr_get(p.trunk, ISUP_TRUNK_CTR_CALL_OUT),
	       (unsigned long)isup_trunk_ctr_get(p.trunk, ISUP_TRUNK_CTR_CALL_IN),
	       (unsigned long)isup_trunk_ctr_get(p.trunk, ISUP_TRUNK_CTR_CALL_ANSWERED),
	       (unsigned long)isup_trunk_ctr_get(p.trunk, ISUP_TRUNK_CTR_UNEXPECTED));
	isup_trunk_free(p.trunk);
	stiwf_mtp_user_unbind(p.mtp);
	return p.exit_code;
}
