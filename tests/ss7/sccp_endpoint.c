/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A test endpoint of stiwf's own SCCP (ss7/sccp_user.h) on the ss7/
 * transport: an ASP of an STP that sends user data as UDT or XUDT
 * segments, prints what it receives (reassembled) and optionally echoes
 * it.  tests/integration/sccp_stp.sh runs two of them through osmo-stp.
 *
 *   sccp_endpoint -c CONF [-i INST] [-m SIF] [-d DPC] [-s LEN]... [-x CALLING,CALLED,HEX]...
 *                 [-e] [-n N] [-t MS]
 *     -c  stiwfd-style config with a "cs7 instance" node (ASP role)
 *     -m  max-message-length (default 272)
 *     -d  destination point code for -s (decimal)
 *     -s  send LEN octets of user data once the AS is active (repeatable):
 *         called GT 4920000000 SSN 250, calling GT 4910000000 SSN 250,
 *         class 1 with return option
 *     -x  send the user data HEX (a TCAP message) once the AS is active, from
 *         calling GT CALLING to called GT CALLED (SSN 7 and 6), class 1 with
 *         return option, after the -s ones (repeatable)
 *     -e  echo every received UDT/XUDT back to its OPC, addresses swapped
 *     -n  exit 0 after receiving N messages, UDTS and XUDTS included (and
 *         sending all of -s and -x); -n 0: once everything is sent
 *     -t  give up after MS milliseconds (exit 1)
 * SIGTERM ends it with status 0.  Prints "tx LEN HEX" for what it sends,
 * "rx TYPE opc=.. dpc=.. sls=.. segments=yes|no called=.. calling=.. LEN HEX"
 * for what it receives, "notice TYPE cause N opc=.. called=.. LEN HEX" for a
 * UDTS or XUDTS. */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "src/stiwfd/cfg.h"
#include "src/core/logging.h"
#include "ss7/sccp_user.h"

#define MAX_SEND 16

/* one -x: user data from a calling to a called GT */
struct ep_raw {
	char calling[SCCP_GT_DIGITS_MAX + 1];
	char called[SCCP_GT_DIGITS_MAX + 1];
	uint8_t data[SCCP_SEGMENTED_DATA_MAX];
	size_t len;
};

static struct {
	struct sccp_user *u;
	uint32_t dpc;
	size_t len[MAX_SEND];
	struct ep_raw raw[MAX_SEND];
	unsigned int n_send, sent, n_raw, raw_sent;
	bool echo;
	bool has_expect;
	unsigned long expect, received;
	int exit_code;
	bool done;
	struct osmo_timer_list start_timer;
} ep = { .exit_code = -1 };

static void maybe_done(void)
{
	if (ep.sent == ep.n_send && ep.raw_sent == ep.n_raw && ep.has_expect && ep.received >= ep.expect) {
		ep.exit_code = 0;
		ep.done = true;
	}
}

static void set_gt_ssn(struct sccp_addr *a, const char *digits, uint8_t ssn)
{
	memset(a, 0, sizeof(*a));
	a->ri = SCCP_RI_GT;
	a->has_ssn = true;
	a->ssn = ssn;
	a->gt.gti = SCCP_GTI_TT_NP_ES_NAI;
	a->gt.np = SCCP_NP_E164;
	a->gt.nai = SCCP_NAI_INTERNATIONAL;
	sccp_gt_set_digits(&a->gt, digits);
}

static void set_gt(struct sccp_addr *a, const char *digits)
{
	set_gt_ssn(a, digits, 250);
}

static void on_rx(struct sccp_user *u, const struct sccp_user_ind *ind, void *priv)
{
	const struct sccp_msg *m = &ind->msg;
	struct sccp_msg back;
	int rc;

	printf("rx %s opc=%u dpc=%u sls=%u segments=%s called=%s calling=%s %zu %s\n",
	       sccp_msg_type_name(m->type), ind->mtp.opc, ind->mtp.dpc, ind->mtp.sls,
	       ind->reassembled ? "yes" : "no", m->called.gt.digits, m->calling.gt.digits, m->data_len,
	       osmo_hexdump_nospc(m->data, m->data_len));
	fflush(stdout);
	ep.received++;
	if (ep.echo) {
		back = *m;
		back.type = SCCP_MSGT_UDT;	/* XUDT segments again when it does not fit */
		back.hop_counter = 0;
		back.has_importance = false;
		back.called = m->calling;
		back.calling = m->called;
		rc = sccp_user_send(u, ind->mtp.opc, ind->mtp.sls, &back);
		if (rc < 0) {
			fprintf(stderr, "sccp_endpoint: echo to %u failed: %s\n", ind->mtp.opc, strerror(-rc));
			ep.exit_code = 1;
			ep.done = true;
			return;
		}
	}
	maybe_done();
}

static void on_notice(struct sccp_user *u, const struct sccp_user_ind *ind, void *priv)
{
	printf("notice %s cause %u opc=%u called=%s %zu %s\n", sccp_msg_type_name(ind->msg.type), ind->msg.cause,
	       ind->mtp.opc, ind->msg.called.gt.digits, ind->msg.data_len,
	       osmo_hexdump_nospc(ind->msg.data, ind->msg.data_len));
	fflush(stdout);
	ep.received++;
	maybe_done();
}

/* the user data of the i-th -s: recognisable, different per message */
static void pattern(uint8_t *buf, size_t len, unsigned int i)
{
	size_t k;

	for (k = 0; k < len; k++)
		buf[k] = (uint8_t)(k * 13 + i * 101 + k / 256);
}

static void send_all(void)
{
	struct sccp_msg m = { 0 };
	uint8_t buf[SCCP_SEGMENTED_DATA_MAX];
	int rc;

	m.type = SCCP_MSGT_UDT;
	m.proto_class = 1;
	m.return_on_error = true;
	set_gt(&m.called, "4920000000");
	set_gt(&m.calling, "4910000000");
	for (; ep.sent < ep.n_send; ep.sent++) {
		pattern(buf, ep.len[ep.sent], ep.sent);
		m.data = buf;
		m.data_len = ep.len[ep.sent];
		rc = sccp_user_send(ep.u, ep.dpc, (uint8_t)(ep.sent % 16), &m);
		if (rc < 0) {
			fprintf(stderr, "sccp_endpoint: send %u failed: %s\n", ep.sent, strerror(-rc));
			ep.exit_code = 1;
			ep.done = true;
			return;
		}
		printf("tx %zu %s\n", m.data_len, osmo_hexdump_nospc(buf, m.data_len));
	}
	for (; ep.raw_sent < ep.n_raw; ep.raw_sent++) {
		const struct ep_raw *x = &ep.raw[ep.raw_sent];

		set_gt_ssn(&m.called, x->called, 6);
		set_gt_ssn(&m.calling, x->calling, 7);
		m.data = x->data;
		m.data_len = x->len;
		rc = sccp_user_send(ep.u, ep.dpc, (uint8_t)(ep.raw_sent % 16), &m);
		if (rc < 0) {
			fprintf(stderr, "sccp_endpoint: send -x %u failed: %s\n", ep.raw_sent, strerror(-rc));
			ep.exit_code = 1;
			ep.done = true;
			return;
		}
		printf("tx %s %s %zu %s\n", x->calling, x->called, x->len, osmo_hexdump_nospc(x->data, x->len));
	}
	fflush(stdout);
	maybe_done();
}

/* "CALLING,CALLED,HEX" */
static int parse_raw(struct ep_raw *x, const char *arg)
{
	const char *c1 = strchr(arg, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
	int n;

	if (!c1 || !c2 || c1 - arg > SCCP_GT_DIGITS_MAX || c2 - c1 - 1 > SCCP_GT_DIGITS_MAX)
		return -EINVAL;
	memcpy(x->calling, arg, c1 - arg);
	x->calling[c1 - arg] = '\0';
	memcpy(x->called, c1 + 1, c2 - c1 - 1);
	x->called[c2 - c1 - 1] = '\0';
	n = osmo_hexparse(c2 + 1, x->data, sizeof(x->data));
	if (n <= 0)
		return -EINVAL;
	x->len = (size_t)n;
	return 0;
}

/* sccp_user has no state callback: look until an AS is active */
static void start_poll(void *data)
{
	if (!sccp_user_available(ep.u)) {
		osmo_timer_schedule(&ep.start_timer, 0, 50 * 1000);
		return;
	}
	printf("state available\n");
	fflush(stdout);
	send_all();
}

static void on_timeout(void *data)
{
	fprintf(stderr, "sccp_endpoint: timeout: sent %u of %u, received %lu of %lu\n", ep.sent, ep.n_send,
		ep.received, ep.expect);
	ep.exit_code = 1;
	ep.done = true;
}

static void on_sigterm(int sig)
{
	ep.exit_code = 0;
	ep.done = true;
}

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || end == s || *end || *out > max)
		return -EINVAL;
	return 0;
}

int main(int argc, char **argv)
{
	void *ctx = talloc_named_const(NULL, 0, "sccp_endpoint");
	struct sccp_user_cfg cfg = {
		.max_sif = SCCP_MTP3_SIF_MAX,
		.reasm = { .max_octets = SCCP_SEGMENTED_DATA_MAX, .max_segments = 16, .max_parallel = 16 },
	};
	unsigned long v, timeout_ms = 10000;
	struct osmo_timer_list timer = { 0 };
	const char *conf = NULL;
	char err[768];
	int opt;

	while ((opt = getopt(argc, argv, "c:i:m:d:s:x:en:t:")) != -1) {
		switch (opt) {
		case 'c':
			conf = optarg;
			break;
		case 'i':
			if (parse_ulong(optarg, 15, &v) < 0)
				return 2;
			cfg.cs7_instance = (uint32_t)v;
			break;
		case 'm':
			if (parse_ulong(optarg, 4096, &v) < 0 || v < 64)
				return 2;
			cfg.max_sif = v;
			break;
		case 'd':
			if (parse_ulong(optarg, 0xffffff, &v) < 0)
				return 2;
			ep.dpc = (uint32_t)v;
			break;
		case 's':
			if (ep.n_send >= MAX_SEND || parse_ulong(optarg, SCCP_SEGMENTED_DATA_MAX, &v) < 0 || !v)
				return 2;
			ep.len[ep.n_send++] = v;
			break;
		case 'x':
			if (ep.n_raw >= MAX_SEND || parse_raw(&ep.raw[ep.n_raw], optarg) < 0)
				return 2;
			ep.n_raw++;
			break;
		case 'e':
			ep.echo = true;
			break;
		case 'n':
			if (parse_ulong(optarg, 1000000, &ep.expect) < 0)
				return 2;
			ep.has_expect = true;
			break;
		case 't':
			if (parse_ulong(optarg, 3600000, &timeout_ms) < 0)
				return 2;
			break;
		default:
			return 2;
		}
	}
	if (!conf)
		return 2;

	stiwf_logging_init(ctx);
	if (stiwf_vty_init(ctx) < 0)
		return 1;
	if (stiwf_config_read(conf, err, sizeof(err)) < 0) {
		fprintf(stderr, "sccp_endpoint: %s\n", err);
		return 1;
	}
	ep.u = sccp_user_bind(ctx, &cfg, on_rx, on_notice, NULL);
	if (!ep.u)
		return 1;
	/* no SA_RESTART: the signal must interrupt select() */
	struct sigaction sa = { .sa_handler = on_sigterm };

	sigaction(SIGTERM, &sa, NULL);
	osmo_timer_setup(&timer, on_timeout, NULL);
	osmo_timer_schedule(&timer, timeout_ms / 1000, (timeout_ms % 1000) * 1000);
	osmo_timer_setup(&ep.start_timer, start_poll, NULL);
	osmo_timer_schedule(&ep.start_timer, 0, 0);

	while (!ep.done)
		osmo_select_main(0);
	/* what was sent may still wait in the ASP's write queue: poll
	 * until no fd is ready any more, so that -n 0 does not exit before
	 * its messages left */
	for (v = 0; v < 1000 && osmo_select_main(1) > 0; v++)
		;

	osmo_timer_del(&ep.start_timer);
	osmo_timer_del(&timer);
	printf("sccp_endpoint: sent %u, received %lu, rx:reassembled %" PRIu64 ", tx:segment %" PRIu64 "\n", ep.sent,
	       ep.received, sccp_user_ctr_get(ep.u, SCCP_CTR_RX_REASSEMBLED),
	       sccp_user_ctr_get(ep.u, SCCP_CTR_TX_SEGMENT));
	sccp_user_free(ep.u);
	return ep.exit_code;
}
