/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A test endpoint on the ss7/ transport: an ASP of an STP that sends user
 * part messages, prints what it receives and optionally echoes it.  The
 * M3UA integration test runs two of them through osmo-stp.
 *
 *   mtp_endpoint -c CONF [-i INST] [-d DPC] [-s HEX]... [-e] [-n N] [-t MS]
 *     -c  stiwfd-style config with a "cs7 instance" node (ASP role)
 *     -d  destination point code for -s (decimal)
 *     -s  a message to send once the AS is active (hex; repeatable)
 *     -e  echo every received message back to its OPC
 *     -n  exit 0 after receiving N messages (and sending all of -s)
 * SIGTERM ends it with status 0 (an echoing endpoint must not stop by
 * itself: its last echo may still sit in the SCTP write queue). 
 *     -t  give up after MS milliseconds (exit 1)
 * Each received message is printed as "rx opc=.. dpc=.. sls=.. ni=.. HEX". */

#include <errno.h>
#include <getopt.h>
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
#include "ss7/mtp_user.h"

#define MAX_SEND 64

static struct {
	uint32_t dpc;
	uint8_t *msg[MAX_SEND];
	size_t len[MAX_SEND];
	unsigned int n_send, sent;
	bool echo;
	unsigned long expect, received;
	int exit_code;
	bool done;
} ep = { .exit_code = -1 };

static void maybe_done(void)
{
	if (ep.sent == ep.n_send && ep.expect && ep.received >= ep.expect) {
		ep.exit_code = 0;
		ep.done = true;
	}
}

static void on_rx(struct stiwf_mtp_user *u, const struct stiwf_mtp_addr *a, const uint8_t *data,
		  size_t len, void *priv)
{
	printf("rx opc=%u dpc=%u sls=%u ni=%u %s\n", a->opc, a->dpc, a->sls, a->ni,
	       osmo_hexdump_nospc(data, len));
	fflush(stdout);
	ep.received++;
	if (ep.echo && stiwf_mtp_user_send(u, a->opc, a->sls, data, len) < 0) {
		fprintf(stderr, "mtp_endpoint: echo to %u failed\n", a->opc);
		ep.exit_code = 1;
		ep.done = true;
		return;
	}
	maybe_done();
}

static void on_state(struct stiwf_mtp_user *u, bool available, void *priv)
{
	int rc;

	printf("state %s\n", available ? "available" : "unavailable");
	fflush(stdout);
	if (!available)
		return;
	for (; ep.sent < ep.n_send; ep.sent++) {
		rc = stiwf_mtp_user_send(u, ep.dpc, (uint8_t)(ep.sent % 16), ep.msg[ep.sent],
					 ep.len[ep.sent]);
		if (rc < 0) {
			fprintf(stderr, "mtp_endpoint: send %u failed: %s\n", ep.sent, strerror(-rc));
			ep.exit_code = 1;
			ep.done = true;
			return;
		}
		printf("tx dpc=%u %s\n", ep.dpc, osmo_hexdump_nospc(ep.msg[ep.sent], ep.len[ep.sent]));
	}
	fflush(stdout);
	maybe_done();
}

static void on_timeout(void *data)
{
	fprintf(stderr, "mtp_endpoint: timeout: sent %u of %u, received %lu of %lu\n", ep.sent,
		ep.n_send, ep.received, ep.expect);
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
	void *ctx = talloc_named_const(NULL, 0, "mtp_endpoint");
	const char *conf = NULL;
	unsigned long inst = 0, v, timeout_ms = 10000;
	struct osmo_timer_list timer = { 0 };
	struct stiwf_mtp_user *u;
	char err[768];
	int opt, n;

	while ((opt = getopt(argc, argv, "c:i:d:s:en:t:")) != -1) {
		switch (opt) {
		case 'c':
			conf = optarg;
			break;
		case 'i':
			if (parse_ulong(optarg, 0xffffffff, &inst) < 0)
				return 2;
			break;
		case 'd':
			if (parse_ulong(optarg, 0xffffff, &v) < 0)
				return 2;
			ep.dpc = (uint32_t)v;
			break;
		case 's':
			if (ep.n_send >= MAX_SEND)
				return 2;
			ep.msg[ep.n_send] = talloc_size(ctx, strlen(optarg) / 2 + 1);
			n = osmo_hexparse(optarg, ep.msg[ep.n_send], strlen(optarg) / 2 + 1);
			if (n <= 0) {
				fprintf(stderr, "mtp_endpoint: bad hex '%s'\n", optarg);
				return 2;
			}
			ep.len[ep.n_send++] = (size_t)n;
			break;
		case 'e':
			ep.echo = true;
			break;
		case 'n':
			if (parse_ulong(optarg, 1000000, &ep.expect) < 0)
				return 2;
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
		fprintf(stderr, "mtp_endpoint: %s\n", err);
		return 1;
	}
	u = stiwf_mtp_user_bind(ctx, (uint32_t)inst, STIWF_MTP_SI_ISUP, on_rx, on_state, NULL);
	if (!u)
		return 1;
	/* no SA_RESTART: the signal must interrupt select() */
	struct sigaction sa = { .sa_handler = on_sigterm };

	sigaction(SIGTERM, &sa, NULL);
	osmo_timer_setup(&timer, on_timeout, NULL);
	osmo_timer_schedule(&timer, timeout_ms / 1000, (timeout_ms % 1000) * 1000);

	while (!ep.done)
		osmo_select_main(0);

	stiwf_mtp_user_unbind(u);
	printf("mtp_endpoint: sent %u, received %lu\n", ep.sent, ep.received);
	return ep.exit_code;
}
