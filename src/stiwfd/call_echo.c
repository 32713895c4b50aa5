/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The test owner of SIP call legs (see call_echo.h). */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vty.h>

#include "sip/sip_agent.h"
#include "sip/sip_call.h"
#include "iwf/peer.h"
#include "src/stiwfd/call_echo.h"
#include "src/core/logging.h"

/* One leg the echo owner holds. */
struct echo_call {
	struct sip_call *leg;
	struct osmo_timer_list answer_timer;
};

/* The leg's Call-ID: the leg outlives its echo_call, so no copy is kept. */
#define EC_ID(ec) sip_call_get_id((ec)->leg)

static void *echo_ctx;

/* An SDP answer of a media gateway template (ARCHITECTURE §5: signalling only;
 * the port is where a gateway would be, nothing listens there). */
static int echo_sdp(char *buf, size_t len)
{
	const char *addr = g_sip_cfg->local_addr;
	const char *ipv = strchr(addr, ':') ? "IP6" : "IP4";
	int n;

	n = snprintf(buf, len,
		     "v=0\r\n"
		     "o=stiwfd 1 1 IN %s %s\r\n"
		     "s=-\r\n"
		     "c=IN %s %s\r\n"
		     "t=0 0\r\n"
		     "m=audio 4000 RTP/AVP 0\r\n"
		     "a=rtpmap:0 PCMU/8000\r\n", ipv, addr, ipv, addr);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return 0;
}

static void echo_answer(struct echo_call *ec)
{
	char sdp[512];
	int rc;

	rc = echo_sdp(sdp, sizeof(sdp));
	if (rc == 0)
		rc = sip_call_answer(ec->leg, sdp);
	if (rc < 0) {
		LOGP(DMAIN, LOGL_ERROR, "echo %s: cannot answer: %s\n", EC_ID(ec), strerror(-rc));
		sip_call_release(ec->leg, "Q.850;cause=41");
		talloc_free(ec);
	}
}

static void echo_answer_timer_cb(void *data)
{
	echo_answer(data);
}

static int echo_call_destructor(struct echo_call *ec)
{
	osmo_timer_del(&ec->answer_timer);
	return 0;
}

static struct echo_call *echo_call_alloc(struct sip_call *leg)
{
	struct echo_call *ec = talloc_zero(echo_ctx, struct echo_call);

	if (!ec)
		return NULL;
	ec->leg = leg;
	osmo_timer_setup(&ec->answer_timer, echo_answer_timer_cb, ec);
	talloc_set_destructor(ec, echo_call_destructor);
	sip_call_set_priv(leg, ec);
	return ec;
}

static int echo_incoming(struct sip_call *leg, const struct sip_call_info *info, void *agent_priv)
{
	struct echo_call *ec;
	unsigned int i;
	int rc;

	if (g_sip_cfg->test_mode != STIWF_SIP_TEST_ECHO)
		return -ENOTSUP;
	/* the transport rule of the sip-peers holds in the test mode too */
	if (iwf_sip_peer_transport_check(iwf_sip_peer_by_addr(info->peer_addr), info->stream) < 0) {
		LOGP(DMAIN, LOGL_NOTICE, "echo: INVITE from %s (a sip-peer of transport tls) not over TLS: 403\n",
		     info->peer_addr);
		return sip_call_reject(leg, 403, "TLS Required", "SIP ;cause=403;text=\"TLS required\"") < 0 ?
		       -EIO : 0;
	}
	ec = echo_call_alloc(leg);
	if (!ec)
		return -ENOMEM;
	LOGP(DMAIN, LOGL_INFO, "echo %s: %s -> %s@%s, PAI %s, privacy 0x%x, %u Identity, Max-Forwards %d\n",
	     EC_ID(ec), info->from.user, info->ruri_user, info->ruri_host,
	     info->pai.present ? info->pai.uri : "-", info->privacy, info->n_identity, info->max_forwards);
	for (i = 0; i < info->n_identity; i++)
		LOGP(DMAIN, LOGL_DEBUG, "echo %s: Identity %u: %s\n", EC_ID(ec), i + 1, info->identity[i]);

	rc = sip_call_ring(leg, 180, NULL);
	if (rc < 0) {
		talloc_free(ec);
		return rc;
	}
	if (g_sip_cfg->echo_answer_delay_ms)
		osmo_timer_schedule(&ec->answer_timer, g_sip_cfg->echo_answer_delay_ms / 1000,
				    (g_sip_cfg->echo_answer_delay_ms % 1000) * 1000);
	else
		echo_answer(ec);
	return 0;
}

static void echo_progress(struct sip_call *leg, int status, const char *sdp, void *priv)
{
	struct echo_call *ec = priv;

	LOGP(DMAIN, LOGL_NOTICE, "test call %s: progress %d%s\n", EC_ID(ec), status, sdp ? " with SDP" : "");
}

static void echo_connected(struct sip_call *leg, const char *sdp, void *priv)
{
	struct echo_call *ec = priv;

	LOGP(DMAIN, LOGL_NOTICE, "%s %s: connected%s\n",
	     sip_call_dir(leg) == SIP_CALL_DIR_OUT ? "test call" : "echo", EC_ID(ec),
	     sdp ? " with an SDP answer" : "");
}

static void echo_failed(struct sip_call *leg, int status, const char *phrase, const char *reason, void *priv)
{
	struct echo_call *ec = priv;

	LOGP(DMAIN, LOGL_NOTICE, "test call %s: failed %d %s%s%s\n", EC_ID(ec), status, phrase,
	     reason ? ", Reason: " : "", reason ? reason : "");
	talloc_free(ec);
}

static void echo_released(struct sip_call *leg, enum sip_call_release_cause cause, const char *reason,
			  void *priv)
{
	struct echo_call *ec = priv;

	LOGP(DMAIN, LOGL_NOTICE, "%s %s: released (%s)%s%s\n",
	     sip_call_dir(leg) == SIP_CALL_DIR_OUT ? "test call" : "echo", EC_ID(ec),
	     get_value_string(sip_call_release_cause_names, cause), reason ? ", Reason: " : "",
	     reason ? reason : "");
	talloc_free(ec);
}

static const struct sip_call_ops echo_ops = {
	.incoming = echo_incoming,
	.progress = echo_progress,
	.connected = echo_connected,
	.failed = echo_failed,
	.released = echo_released,
};

void call_echo_attach(struct stiwf_sip_agent *agent)
{
	sip_agent_set_call_ops(agent, &echo_ops, NULL);
}

DEFUN(sip_test_call, sip_test_call_cmd,
      "sip test-call PEER-URI CALLED CALLING (allowed|restricted) "
      "(none|TN-Validation-Passed|TN-Validation-Failed|No-TN-Validation) [IDENTITY]",
      "SIP user agent\n" "Place an outgoing call; its outcome is logged\n"
      "Peer URI, e.g. sip:127.0.0.1:5070\n" "Called number (Request-URI user)\n"
      "Calling number (P-Asserted-Identity; + for E.164)\n"
      "Presentation allowed\n" "Presentation restricted: Privacy: id, anonymous From\n"
      "No verstat\n" "verstat=TN-Validation-Passed\n" "verstat=TN-Validation-Failed\n"
      "verstat=No-TN-Validation\n" "An Identity header value, sent as it is\n")
{
	struct sip_call_out_params p = {
		.peer_uri = argv[0],
		.called = argv[1],
		.calling = argv[2],
		.restricted = !strcmp(argv[3], "restricted"),
		.verstat = strcmp(argv[4], "none") ? argv[4] : NULL,
	};
	struct echo_call *ec;
	struct sip_call *leg;
	char sdp[512];
	int rc;

	if (argc > 5) {
		p.identity[0] = argv[5];
		p.n_identity = 1;
	}
	rc = echo_sdp(sdp, sizeof(sdp));
	if (rc < 0)
		return CMD_WARNING;
	p.sdp = sdp;
	leg = sip_call_place(g_sip_agent, &p, NULL, &rc);
	if (!leg) {
		vty_out(vty, "%% cannot place the call: %s%s", strerror(-rc), VTY_NEWLINE);
		return CMD_WARNING;
	}
	ec = echo_call_alloc(leg);
	if (!ec) {
		sip_call_release(leg, NULL);
		vty_out(vty, "%% out of memory%s", VTY_NEWLINE);
		return CMD_WARNING;
	}
	vty_out(vty, "test call %s%s", EC_ID(ec), VTY_NEWLINE);
	return CMD_SUCCESS;
}

void call_echo_vty_init(void *ctx)
{
	echo_ctx = talloc_named_const(ctx, 0, "call_echo");
	install_element(ENABLE_NODE, &sip_test_call_cmd);
}
