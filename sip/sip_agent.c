/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SIP user agent: Sofia-SIP nua on Sofia's glib root, so that its sockets
 * and timers are served by the shared GMainLoop (src/core/evloop.c).
 *
 * OPTIONS get 200 when the owner's readiness callback says stiwfd can take
 * calls (or there is none), else 503 with Retry-After and a Reason;
 * INVITEs and the events of call handles go to sip_call.c, which hands
 * calls to the owner registered with sip_agent_set_call_ops() or answers
 * 501 when there is none; methods outside Allow get nua's own 405. */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include <sofia-sip/nua.h>
#include <sofia-sip/sip_extra.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_glib.h>
#include <sofia-sip/su_log.h>
#include <sofia-sip/su_strlst.h>
#include <sofia-sip/su_tag_io.h>
#include <sofia-sip/tport_tag.h>

#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/stats.h>
#include <osmocom/core/talloc.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vty.h>

#include "sip/sip_call_internal.h"
#include "sip/sip_tls.h"
#include "src/core/logging.h"

static const struct rate_ctr_desc sip_agent_ctr_desc[] = {
	[SIP_CTR_RX_OPTIONS] = { "sip:rx_options", "OPTIONS requests answered" },
	[SIP_CTR_RX_INVITE] = { "sip:rx_invite", "INVITE requests received" },
	[SIP_CTR_TX_REJECT] = { "sip:tx_reject", "INVITEs declined: no call routing (501)" },
	[SIP_CTR_RX_OTHER] = { "sip:rx_other", "other requests seen by the application" },
	[SIP_CTR_CALL_IN] = { "call:in", "incoming calls offered to the owner" },
	[SIP_CTR_CALL_OUT] = { "call:out", "outgoing calls placed" },
	[SIP_CTR_CALL_ANSWERED] = { "call:answered", "calls answered (200 sent or received)" },
	[SIP_CTR_CALL_FAILED_4XX] = { "call:failed_4xx", "calls ended by a 4xx final response" },
	[SIP_CTR_CALL_FAILED_5XX] = { "call:failed_5xx", "calls ended by a 5xx final response" },
	[SIP_CTR_CALL_FAILED_6XX] = { "call:failed_6xx", "calls ended by a 6xx final response" },
	[SIP_CTR_CALL_FAILED_3XX] = { "call:failed_3xx", "calls ended by a 3xx final response" },
	[SIP_CTR_RX_BAD_INVITE] = { "sip:rx_bad_invite", "INVITEs refused as malformed or unbounded" },
	[SIP_CTR_RX_BYE] = { "sip:rx_bye", "BYE requests in a dialog" },
	[SIP_CTR_RX_CANCEL] = { "sip:rx_cancel", "CANCEL requests for a pending INVITE" },
	[SIP_CTR_TLS_RECLAIMED] = { "tls:reclaimed", "TLS connection states Sofia-SIP left allocated, freed" },
};

static const struct rate_ctr_group_desc sip_agent_ctrg_desc = {
	.group_name_prefix = "sip",
	.group_description = "SIP user agent",
	.class_id = OSMO_STATS_CLASS_GLOBAL,
	.num_ctr = ARRAY_SIZE(sip_agent_ctr_desc),
	.ctr_desc = sip_agent_ctr_desc,
};

struct stiwf_sip_agent *g_sip_agent;

static unsigned int su_init_count;

/* A message must arrive whole within 64*T1 (RFC 3261 §17.1.1.2's
 * transaction timeout): a peer that trickles it slower is not a SIP
 * peer, and the connection is closed. */
#define SIP_AGENT_INCOMPLETE_MSG_MS 32000u

/* Not in Sofia's public headers, but exported: nta's log. */
extern su_log_t nta_log[];

/* Sofia's own log lines go to DSIP.  Its levels: 0-1 fatal/error,
 * 2 warning, 3 notice, up to 9 for protocol traces.  nta refuses malformed
 * requests with 400 before nua (and we) see them (RFC 3261 §8.1.1: Via,
 * From, To, Call-ID, CSeq; a header Sofia cannot parse gets "400 Bad <Name>
 * Header"); its level-5 lines saying so are raised to NOTICE, so that each
 * refusal leaves a line naming what was wrong. */
static void sip_agent_su_logger(void *stream, char const *fmt, va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (strstr(buf, "failed sanity check"))
		LOGP(DSIP, LOGL_NOTICE, "request refused with 400 by Sofia (Via, From, To, Call-ID or CSeq "
		     "missing or bad, RFC 3261 §8.1.1): %s", buf);
	else if (strstr(buf, " has bad "))
		LOGP(DSIP, LOGL_NOTICE, "request refused with 400 by Sofia: %s", buf);
	else
		LOGP(DSIP, LOGL_DEBUG, "%s", buf);
}

/* A proxy's prober (Kamailio dispatcher) sends no call to an instance
 * answering 503 (RFC 3261 §21.5.4; Retry-After §20.33; Reason RFC 3326) */
static void sip_agent_options_respond(struct stiwf_sip_agent *agent, nua_handle_t *nh, const char *from)
{
	char reason[96] = "", hdr[160], retry[16];
	int wait;

	if (agent->shutting_down) {
		OSMO_STRLCPY_ARRAY(reason, "shutting down");
		wait = 5;
	} else {
		wait = agent->ready_cb ? agent->ready_cb(reason, sizeof(reason), agent->ready_priv) : 0;
	}

	if (wait <= 0) {
		nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(agent->nua), TAG_END());
		LOGP(DSIP, LOGL_INFO, "OPTIONS from %s answered 200\n", from);
		return;
	}
	/* the reason goes into a quoted-string: no quotes or backslashes */
	for (char *c = reason; *c; c++) {
		if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20)
			*c = ' ';
	}
	snprintf(hdr, sizeof(hdr), "SIP ;cause=503;text=\"%s\"", reason[0] ? reason : "not ready");
	snprintf(retry, sizeof(retry), "%d", wait);
	nua_respond(nh, SIP_503_SERVICE_UNAVAILABLE, NUTAG_WITH_THIS(agent->nua), SIPTAG_RETRY_AFTER_STR(retry),
		    SIPTAG_REASON_STR(hdr), TAG_END());
	LOGP(DSIP, LOGL_INFO, "OPTIONS from %s answered 503: %s\n", from, reason);
}

void stiwf_sip_agent_set_ready_cb(struct stiwf_sip_agent *agent, stiwf_sip_ready_cb cb, void *priv)
{
	agent->ready_cb = cb;
	agent->ready_priv = priv;
}

static void sip_agent_event(nua_event_t event, int status, char const *phrase,
			    nua_t *nua, nua_magic_t *magic, nua_handle_t *nh,
			    nua_hmagic_t *hmagic, sip_t const *sip, tagi_t tags[])
{
	struct stiwf_sip_agent *agent = (struct stiwf_sip_agent *)magic;
	const char *from = (sip && sip->sip_from && sip->sip_from->a_url->url_host) ?
		sip->sip_from->a_url->url_host : "?";

	/* only keepalives send OPTIONS; their magic is no call */
	if (event == nua_r_options) {
		sip_keepalive_nua_response(agent, status, phrase, nh, hmagic);
		return;
	}
	if (sip_call_nua_event(agent, event, status, phrase, nh, hmagic, sip, tags))
		return;

	switch (event) {
	case nua_i_options:
		/* OPTIONS is an application method here: we answer.  nua adds
		 * Allow/Accept/Supported to a 200. */
		rate_ctr_inc(rate_ctr_group_get_ctr(agent->ctrs, SIP_CTR_RX_OPTIONS));
		sip_agent_options_respond(agent, nh, from);
		nua_handle_destroy(nh);
		break;
	case nua_i_state: {
		int state = nua_callstate_init;

		tl_gets(tags, NUTAG_CALLSTATE_REF(state), TAG_END());
		if (state == nua_callstate_terminated)
			nua_handle_destroy(nh);
		break;
	}
	case nua_i_error:
		LOGP(DSIP, LOGL_ERROR, "nua error %d %s\n", status, phrase);
		break;
	case nua_r_shutdown:
		if (status < 200)
			break;
		LOGP(DSIP, LOGL_INFO, "SIP agent shut down (%d %s)\n", status, phrase);
		if (agent->shutdown_done)
			agent->shutdown_done(agent->shutdown_priv);
		break;
	case nua_i_ack:
	case nua_i_terminated:
	case nua_i_active:
	case nua_r_set_params:
		break;
	default:
		if (nua_event_is_incoming_request(event)) {
			rate_ctr_inc(rate_ctr_group_get_ctr(agent->ctrs, SIP_CTR_RX_OTHER));
			LOGP(DSIP, LOGL_INFO, "%s from %s: %d %s\n", nua_event_name(event), from, status,
			     phrase ? phrase : "");
			if (nh)
				nua_handle_destroy(nh);
		} else {
			LOGP(DSIP, LOGL_DEBUG, "%s %d %s\n", nua_event_name(event), status, phrase ? phrase : "");
		}
		break;
	}
}

void sip_agent_ctr_inc(struct stiwf_sip_agent *agent, enum sip_agent_ctr ctr)
{
	rate_ctr_inc(rate_ctr_group_get_ctr(agent->ctrs, ctr));
}

/* How often the TLS connection objects Sofia left are looked for */
#define SIP_AGENT_TLS_RECLAIM_S 2

static void sip_agent_tls_reclaim_cb(void *data)
{
	struct stiwf_sip_agent *agent = data;
	unsigned int n = sip_tls_reclaim(false);

	if (n) {
		rate_ctr_add(rate_ctr_group_get_ctr(agent->ctrs, SIP_CTR_TLS_RECLAIMED), n);
		LOGP(DSIP, LOGL_DEBUG, "TLS: freed %u connection states Sofia-SIP left behind\n", n);
	}
	osmo_timer_schedule(&agent->tls_reclaim_timer, SIP_AGENT_TLS_RECLAIM_S, 0);
}

static int sip_agent_talloc_destructor(struct stiwf_sip_agent *agent)
{
	/* the legs and keepalives destroy their nua handles: before nua goes */
	sip_agent_calls_free(agent);
	sip_agent_keepalives_free(agent);
	if (agent->nua) {
		nua_destroy(agent->nua);
		agent->nua = NULL;
	}
	if (agent->tls_reclaim) {
		osmo_timer_del(&agent->tls_reclaim_timer);
		/* Sofia's transports are gone: nothing uses what is left */
		sip_tls_reclaim(true);
		sip_tls_reclaim_exit();
		agent->tls_reclaim = false;
	}
	if (agent->tls_subjects) {
		su_strlst_destroy(agent->tls_subjects);
		agent->tls_subjects = NULL;
	}
	if (agent->root) {
		/* su_root_destroy() also destroys the GSource wrapping the root */
		su_root_destroy(agent->root);
		agent->root = NULL;
		agent->gsource = NULL;
	}
	if (agent->ctrs) {
		rate_ctr_group_free(agent->ctrs);
		agent->ctrs = NULL;
	}
	if (su_init_count && --su_init_count == 0)
		su_deinit();
	if (g_sip_agent == agent)
		g_sip_agent = NULL;
	return 0;
}

/* The methods and extensions stiwfd handles, for Allow and Supported:
 * PRACK and 100rel only while reliable provisional responses are on. */
static const char *agent_allow_hdr(const struct stiwf_sip_cfg *cfg)
{
	return cfg->rel100 ? "INVITE, ACK, BYE, CANCEL, OPTIONS, PRACK" : "INVITE, ACK, BYE, CANCEL, OPTIONS";
}

static const char *agent_supported_hdr(const struct stiwf_sip_cfg *cfg)
{
	return cfg->rel100 ? "timer, 100rel" : "timer";
}

void stiwf_sip_agent_apply(struct stiwf_sip_agent *agent, const struct stiwf_sip_cfg *cfg)
{
	if (!agent || !agent->nua)
		return;
	/* handles created from now on take these; calls in progress keep
	 * what they negotiated */
	nua_set_params(agent->nua, SIPTAG_ALLOW_STR(agent_allow_hdr(cfg)), SIPTAG_SUPPORTED_STR(agent_supported_hdr(cfg)),
		       NUTAG_EARLY_MEDIA(cfg->rel100), TAG_END());
	LOGP(DSIP, LOGL_NOTICE, "SIP: 100rel %s\n", cfg->rel100 ? "supported" : "disabled");
}

struct stiwf_sip_agent *stiwf_sip_agent_start(void *ctx, const struct stiwf_sip_cfg *cfg)
{
	struct stiwf_sip_agent *agent;
	su_strlst_t *subjects = NULL;
	unsigned int tls_policy = TPTLS_VERIFY_ALL;
	char *tls_dir = NULL;
	unsigned int i;

	agent = talloc_zero(ctx, struct stiwf_sip_agent);
	if (!agent)
		return NULL;
	INIT_LLIST_HEAD(&agent->calls);
	INIT_LLIST_HEAD(&agent->keepalives);
	if (stiwf_sip_cfg_url(cfg, agent->url, sizeof(agent->url)) < 0) {
		LOGP(DSIP, LOGL_ERROR, "SIP: local address too long\n");
		talloc_free(agent);
		return NULL;
	}

	if (cfg->tls_cert) {
		if (!cfg->tls_ca) {
			/* mutual TLS: no peer without a chain to check */
			LOGP(DSIP, LOGL_ERROR, "SIP: 'tls certificate' without 'tls ca-file'\n");
			talloc_free(agent);
			return NULL;
		}
		if (stiwf_sip_cfg_tls_url(cfg, agent->tls_url, sizeof(agent->tls_url)) < 0 ||
		    sip_tls_global_init() < 0 ||
		    sip_tls_dir_make(agent, cfg->tls_cert, cfg->tls_key, cfg->tls_ca, &tls_dir) < 0) {
			talloc_free(agent);
			return NULL;
		}
	}

	if (su_init_count == 0) {
		if (su_init() != 0) {
			LOGP(DSIP, LOGL_ERROR, "SIP: su_init() failed\n");
			talloc_free(agent);
			return NULL;
		}
		su_log_redirect(su_log_default, sip_agent_su_logger, NULL);
		su_log_redirect(nta_log, sip_agent_su_logger, NULL);
		su_log_set_level(nta_log, 5);
		/* P-Asserted-Identity and Privacy need the extra header
		 * classes (RFC 3325); Identity stays an unknown header, which
		 * we parse ourselves (sip/identity.c). */
		if (sip_update_default_mclass(sip_extend_mclass(NULL)) < 0) {
			LOGP(DSIP, LOGL_ERROR, "SIP: cannot extend Sofia's parser\n");
			su_deinit();
			talloc_free(agent);
			return NULL;
		}
	}
	su_init_count++;
	talloc_set_destructor(agent, sip_agent_talloc_destructor);

	agent->ctrs = rate_ctr_group_alloc(agent, &sip_agent_ctrg_desc, 0);
	if (!agent->ctrs)
		goto fail;

	if (tls_dir) {
		if (sip_tls_reclaim_init(cfg->tls_cert) < 0) {
			LOGP(DSIP, LOGL_ERROR, "TLS: %s: cannot read the certificate\n", cfg->tls_cert);
			goto fail;
		}
		agent->tls_reclaim = true;
		osmo_timer_setup(&agent->tls_reclaim_timer, sip_agent_tls_reclaim_cb, agent);
		osmo_timer_schedule(&agent->tls_reclaim_timer, SIP_AGENT_TLS_RECLAIM_S, 0);
	}

	if (tls_dir && cfg->n_tls_subjects) {
		/* the peer's certificate must carry a tls-subject of a TLS
		 * sip-peer (incoming), and the name we send to (outgoing) */
		subjects = agent->tls_subjects = su_strlst_create(NULL);
		for (i = 0; subjects && i < cfg->n_tls_subjects; i++) {
			if (!su_strlst_dup_append(subjects, cfg->tls_subjects[i]))
				break;
		}
		if (!subjects || i < cfg->n_tls_subjects) {
			LOGP(DSIP, LOGL_ERROR, "SIP: out of memory\n");
			goto fail;
		}
		tls_policy = TPTLS_VERIFY_SUBJECTS_ALL;
	}

	agent->root = su_glib_root_create(agent);
	if (!agent->root) {
		LOGP(DSIP, LOGL_ERROR, "SIP: cannot create the Sofia glib root\n");
		goto fail;
	}
	/* Without this, nua_create() starts the SIP stack in a thread of
	 * its own with its own epoll loop, and every message between it and
	 * us costs a socket or eventfd write, a wakeup and a futex on each
	 * side.  Run the stack on this root: one thread, one poll. */
	su_root_threading(agent->root, 0);
	agent->gsource = su_glib_root_gsource(agent->root);
	/* glib blocks a source that may not recurse while dispatching it:
	 * it takes the source's fds out of the context and puts them back,
	 * and each of the two signals the context's wakeup eventfd, which
	 * the next poll then reads back.  That is four system calls for
	 * every Sofia dispatch, several per SIP message.  Nothing here runs
	 * a nested main loop, so the source cannot be re-entered anyway. */
	g_source_set_can_recurse(agent->gsource, TRUE);
	g_source_attach(agent->gsource, g_main_context_default());

	agent->nua = nua_create(agent->root, sip_agent_event, (nua_magic_t *)agent,
				NUTAG_URL(agent->url),
				/* advertise only what stiwfd handles (RFC 3261 §20.5) */
				SIPTAG_ALLOW_STR(agent_allow_hdr(cfg)),
				SIPTAG_SUPPORTED_STR(agent_supported_hdr(cfg)),
				/* RFC 3262: every 18x reliable to a caller that
				 * supports 100rel, not only 183; Sofia holds
				 * the 200 until the last one is PRACKed */
				NUTAG_EARLY_MEDIA(cfg->rel100),
				NUTAG_ONLY183_100REL(0),
				NUTAG_ENABLEMESSAGE(0),
				/* we answer OPTIONS: 503 while not ready */
				NUTAG_APPL_METHOD("OPTIONS"),
				NUTAG_AUTOANSWER(0),
				/* SDP passes through as an opaque body */
				NUTAG_MEDIA_ENABLE(0),
				SIPTAG_USER_AGENT_STR(cfg->user_agent),
				SIPTAG_SERVER_STR(cfg->user_agent),
				/* RFC 3261 §26.3.1 and mutual TLS: both ends
				 * show a certificate that leads to cafile.pem,
				 * within its dates */
				TAG_IF(tls_dir, NUTAG_SIPS_URL(agent->tls_url)),
				TAG_IF(tls_dir, TPTAG_CERTIFICATE(tls_dir)),
				TAG_IF(tls_dir, TPTAG_TLS_VERIFY_POLICY(tls_policy)),
				TAG_IF(subjects, TPTAG_TLS_VERIFY_SUBJECTS(subjects)),
				TAG_IF(tls_dir, TPTAG_TLS_VERIFY_DATE(1)),
				TAG_IF(tls_dir, TPTAG_TLS_VERIFY_DEPTH(SIP_TLS_VERIFY_DEPTH)),
				/* Sofia keeps an unused TCP connection for 30
				 * minutes (nta's TPTAG_IDLE) and a half-received
				 * message for ever: both hold a descriptor for
				 * any peer that opens a connection and stays
				 * silent.  The number of connections is bounded
				 * on accept() (src/core/accept_limit.c). */
				TPTAG_IDLE(cfg->tcp_idle_timeout_s ? cfg->tcp_idle_timeout_s * 1000u : UINT_MAX),
				TPTAG_TIMEOUT(SIP_AGENT_INCOMPLETE_MSG_MS),
				TAG_END());
	/* Sofia has read the key: no copy stays on disk */
	sip_tls_dir_remove(tls_dir);
	if (!agent->nua) {
		LOGP(DSIP, LOGL_ERROR, "SIP: cannot bind %s%s%s: %s\n", agent->url, tls_dir ? " and " : "",
		     tls_dir ? agent->tls_url : "", strerror(errno));
		goto fail;
	}
	LOGP(DSIP, LOGL_NOTICE, "SIP agent listening on %s\n", agent->url);
	if (tls_dir)
		LOGP(DSIP, LOGL_NOTICE, "SIP agent listening on %s (TLS 1.2 or later, mutual)\n",
		     agent->tls_url);
	g_sip_agent = agent;
	return agent;

fail:
	sip_tls_dir_remove(tls_dir);
	talloc_free(agent);
	return NULL;
}

void stiwf_sip_agent_shutdown(struct stiwf_sip_agent *agent, void (*done)(void *priv), void *priv)
{
	agent->shutdown_done = done;
	agent->shutdown_priv = priv;
	if (agent->shutting_down)
		return;
	agent->shutting_down = true;
	nua_shutdown(agent->nua);
}

void stiwf_sip_agent_free(struct stiwf_sip_agent *agent)
{
	talloc_free(agent);
}

const char *stiwf_sip_agent_url(const struct stiwf_sip_agent *agent)
{
	return agent->url;
}

DEFUN(show_sip, show_sip_cmd,
      "show sip",
      SHOW_STR "SIP user agent: binding and counters\n")
{
	unsigned int i;

	if (!g_sip_agent) {
		vty_out(vty, "SIP agent not running%s", VTY_NEWLINE);
		return CMD_SUCCESS;
	}
	vty_out(vty, "SIP agent on %s%s", g_sip_agent->url, VTY_NEWLINE);
	for (i = 0; i < ARRAY_SIZE(sip_agent_ctr_desc); i++)
		vty_out(vty, " %-18s %8" PRIu64 "  %s%s", sip_agent_ctr_desc[i].name,
			rate_ctr_group_get_ctr(g_sip_agent->ctrs, i)->current,
			sip_agent_ctr_desc[i].description, VTY_NEWLINE);
	if (g_sip_agent->tls_reclaim)
		vty_out(vty, "TLS connection states held: %u%s", sip_tls_reclaim_tracked(), VTY_NEWLINE);
	return CMD_SUCCESS;
}

void stiwf_sip_agent_vty_show_init(void)
{
	install_element_ve(&show_sip_cmd);
}
