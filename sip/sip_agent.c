/* The SIP user agent: Sofia-SIP nua on Sofia's glib root, so that its sockets
 * and timers are served by the shared GMainLoop (src/evloop.c).
 *
 * Until the call flow exists (iwf/), the agent answers OPTIONS with 200 (nua
 * does this itself and tells us with nua_i_options) and rejects INVITE with
 * 501 and a Warning saying why; methods outside Allow get nua's own 405. */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include <sofia-sip/nua.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_glib.h>
#include <sofia-sip/su_log.h>
#include <sofia-sip/su_tag_io.h>

#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/stats.h>
#include <osmocom/core/talloc.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vty.h>

#include "sip/sip_agent.h"
#include "src/logging.h"

enum sip_agent_ctr {
	SIP_CTR_RX_OPTIONS,
	SIP_CTR_RX_INVITE,
	SIP_CTR_TX_REJECT,
	SIP_CTR_RX_OTHER,
};

static const struct rate_ctr_desc sip_agent_ctr_desc[] = {
	[SIP_CTR_RX_OPTIONS] = { "sip:rx_options", "OPTIONS requests answered" },
	[SIP_CTR_RX_INVITE] = { "sip:rx_invite", "INVITE requests received" },
	[SIP_CTR_TX_REJECT] = { "sip:tx_reject", "requests rejected with a final error response" },
	[SIP_CTR_RX_OTHER] = { "sip:rx_other", "other requests seen by the application" },
};

static const struct rate_ctr_group_desc sip_agent_ctrg_desc = {
	.group_name_prefix = "sip",
	.group_description = "SIP user agent",
	.class_id = OSMO_STATS_CLASS_GLOBAL,
	.num_ctr = ARRAY_SIZE(sip_agent_ctr_desc),
	.ctr_desc = sip_agent_ctr_desc,
};

struct stiwf_sip_agent {
	su_root_t *root;
	GSource *gsource;
	nua_t *nua;
	char url[128];
	struct rate_ctr_group *ctrs;
	bool shutting_down;
	void (*shutdown_done)(void *priv);
	void *shutdown_priv;
};

struct stiwf_sip_agent *g_sip_agent;

static unsigned int su_init_count;

/* Sofia's own log lines go to DSIP.  Its levels: 0-1 fatal/error,
 * 2 warning, 3 notice, up to 9 for protocol traces. */
static void sip_agent_su_logger(void *stream, char const *fmt, va_list ap)
{
	osmo_vlogp(DSIP, LOGL_DEBUG, __FILE__, __LINE__, 0, fmt, ap);
}

static void sip_agent_event(nua_event_t event, int status, char const *phrase,
			    nua_t *nua, nua_magic_t *magic, nua_handle_t *nh,
			    nua_hmagic_t *hmagic, sip_t const *sip, tagi_t tags[])
{
	struct stiwf_sip_agent *agent = (struct stiwf_sip_agent *)magic;
	const char *from = (sip && sip->sip_from && sip->sip_from->a_url->url_host) ?
		sip->sip_from->a_url->url_host : "?";

	switch (event) {
	case nua_i_options:
		/* nua has already answered 200 with Allow/Accept/Supported. */
		rate_ctr_inc(rate_ctr_group_get_ctr(agent->ctrs, SIP_CTR_RX_OPTIONS));
		LOGP(DSIP, LOGL_INFO, "OPTIONS from %s answered %d\n", from, status);
		nua_handle_destroy(nh);
		break;
	case nua_i_invite:
		rate_ctr_inc(rate_ctr_group_get_ctr(agent->ctrs, SIP_CTR_RX_INVITE));
		rate_ctr_inc(rate_ctr_group_get_ctr(agent->ctrs, SIP_CTR_TX_REJECT));
		LOGP(DSIP, LOGL_NOTICE, "INVITE from %s rejected: no call routing is configured\n", from);
		nua_respond(nh, SIP_501_NOT_IMPLEMENTED,
			    SIPTAG_WARNING_STR("399 stiwfd \"no call routing is configured\""),
			    TAG_END());
		/* the handle goes with nua_i_state/terminated */
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

static int sip_agent_talloc_destructor(struct stiwf_sip_agent *agent)
{
	if (agent->nua) {
		nua_destroy(agent->nua);
		agent->nua = NULL;
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

struct stiwf_sip_agent *stiwf_sip_agent_start(void *ctx, const struct stiwf_sip_cfg *cfg)
{
	struct stiwf_sip_agent *agent;

	agent = talloc_zero(ctx, struct stiwf_sip_agent);
	if (!agent)
		return NULL;
	if (stiwf_sip_cfg_url(cfg, agent->url, sizeof(agent->url)) < 0) {
		LOGP(DSIP, LOGL_ERROR, "SIP: local address too long\n");
		talloc_free(agent);
		return NULL;
	}

	if (su_init_count == 0) {
		if (su_init() != 0) {
			LOGP(DSIP, LOGL_ERROR, "SIP: su_init() failed\n");
			talloc_free(agent);
			return NULL;
		}
		su_log_redirect(su_log_default, sip_agent_su_logger, NULL);
	}
	su_init_count++;
	talloc_set_destructor(agent, sip_agent_talloc_destructor);

	agent->ctrs = rate_ctr_group_alloc(agent, &sip_agent_ctrg_desc, 0);
	if (!agent->ctrs)
		goto fail;

	agent->root = su_glib_root_create(agent);
	if (!agent->root) {
		LOGP(DSIP, LOGL_ERROR, "SIP: cannot create the Sofia glib root\n");
		goto fail;
	}
	agent->gsource = su_glib_root_gsource(agent->root);
	g_source_attach(agent->gsource, g_main_context_default());

	agent->nua = nua_create(agent->root, sip_agent_event, (nua_magic_t *)agent,
				NUTAG_URL(agent->url),
				/* advertise only what stiwfd handles (RFC 3261 §20.5) */
				SIPTAG_ALLOW_STR("INVITE, ACK, BYE, CANCEL, OPTIONS"),
				SIPTAG_SUPPORTED_STR("timer"),
				NUTAG_ENABLEMESSAGE(0),
				NUTAG_AUTOANSWER(0),
				SIPTAG_USER_AGENT_STR(cfg->user_agent),
				SIPTAG_SERVER_STR(cfg->user_agent),
				TAG_END());
	if (!agent->nua) {
		LOGP(DSIP, LOGL_ERROR, "SIP: cannot bind %s: %s\n", agent->url, strerror(errno));
		goto fail;
	}
	LOGP(DSIP, LOGL_NOTICE, "SIP agent listening on %s\n", agent->url);
	g_sip_agent = agent;
	return agent;

fail:
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
		vty_out(vty, " %-14s %8" PRIu64 "  %s%s", sip_agent_ctr_desc[i].name,
			rate_ctr_group_get_ctr(g_sip_agent->ctrs, i)->current,
			sip_agent_ctr_desc[i].description, VTY_NEWLINE);
	return CMD_SUCCESS;
}

void stiwf_sip_agent_vty_show_init(void)
{
	install_element_ve(&show_sip_cmd);
}
