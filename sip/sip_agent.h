/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file sip_agent.h
 *  The SIP user agent of stiwfd: one Sofia-SIP nua bound to the configured
 *  address, driven from the shared event loop.  This header does not expose
 *  Sofia types, so that only sip/ includes Sofia headers (docs/STYLE.md, rooms). */

#include <stddef.h>
#include <stdint.h>
#include <osmocom/core/utils.h>

enum stiwf_sip_transport {
	STIWF_SIP_TP_UDP,
	STIWF_SIP_TP_TCP,
	STIWF_SIP_TP_UDP_TCP,
};
extern const struct value_string stiwf_sip_transport_names[];

/*! What stiwfd does with INVITEs until the IWF call layer takes them. */
enum stiwf_sip_test_mode {
	STIWF_SIP_TEST_REJECT,	/*!< 501: no call routing is configured */
	STIWF_SIP_TEST_ECHO,	/*!< answer every INVITE itself: 180, then 200 */
};
extern const struct value_string stiwf_sip_test_mode_names[];

/*! What the "sip" node of the configuration sets. */
struct stiwf_sip_cfg {
	char *local_addr;		/*!< numeric IPv4/IPv6 address to bind */
	uint16_t local_port;		/*!< 1..65535 */
	enum stiwf_sip_transport transport;
	char *user_agent;		/*!< User-Agent / Server header value */
	enum stiwf_sip_test_mode test_mode;
	unsigned int echo_answer_delay_ms;	/*!< echo: from 180 to 200 */
	/*! SIP over TLS (RFC 3261 §26.3.1) on local_addr:tls_port, when
	 *  tls_cert is set: our certificate chain and key, and the
	 *  certificates that peers' chains must lead to (mutual TLS) */
	char *tls_cert;
	char *tls_key;
	char *tls_ca;
	uint16_t tls_port;		/*!< 5061 by default */
	/*! the tls-subject of every sip-peer of transport tls (set by
	 *  stiwfd before the start): a peer's certificate must carry one */
	char **tls_subjects;
	unsigned int n_tls_subjects;
	unsigned int max_tcp_connections;	/*!< TCP connections accepted at once, 0: no bound */
	unsigned int tcp_idle_timeout_s;	/*!< close a TCP connection idle this long, 0: never */
	/*! reliable provisional responses (RFC 3262): advertise 100rel,
	 *  send 18x reliably to callers that support it, PRACK those of
	 *  callees; off: a caller that requires it gets 420 */
	bool rel100;
};

/*! Defaults of the "sip" node's connection bounds. */
#define STIWF_SIP_MAX_TCP_CONNECTIONS 256
#define STIWF_SIP_TCP_IDLE_TIMEOUT_S 300

/*! The configuration in force (allocated by stiwf_sip_vty_init()). */
extern struct stiwf_sip_cfg *g_sip_cfg;

struct stiwf_sip_agent;
/*! The running agent, NULL before start and after free. */
extern struct stiwf_sip_agent *g_sip_agent;

/*! Install the "sip" config node and "show sip"; set defaults. */
void stiwf_sip_vty_init(void *ctx);

/*! Bind and start answering.  Needs Sofia's su_init() done by
 *  stiwf_sip_agent_start itself; safe to call once per process.
 *  \returns the agent or NULL (the reason is logged) */
struct stiwf_sip_agent *stiwf_sip_agent_start(void *ctx, const struct stiwf_sip_cfg *cfg);

/*! Begin a graceful shutdown; done(priv) runs on the loop when every
 *  transaction is closed (or after Sofia's own shutdown timeout). */
void stiwf_sip_agent_shutdown(struct stiwf_sip_agent *agent, void (*done)(void *priv), void *priv);

/*! Re-apply the settings of the "sip" node that can change while the
 *  agent runs (100rel) to the running agent; no-op before start. */
void stiwf_sip_agent_apply(struct stiwf_sip_agent *agent, const struct stiwf_sip_cfg *cfg);

/*! Free the agent (after shutdown completed, or to abort). */
void stiwf_sip_agent_free(struct stiwf_sip_agent *agent);

/*! Whether stiwfd can take calls now, asked for each OPTIONS: 0 when it
 *  can (200), else the seconds a 503 tells the prober to wait
 *  (Retry-After), with a short reason in \a reason (RFC 3326 Reason
 *  header text). */
typedef int (*stiwf_sip_ready_cb)(char *reason, size_t len, void *priv);

/*! Answer OPTIONS with 503 unless \a cb says ready (docs/SCALING.md: a
 *  proxy's prober sends no call to an instance that cannot take it);
 *  NULL: always 200. */
void stiwf_sip_agent_set_ready_cb(struct stiwf_sip_agent *agent, stiwf_sip_ready_cb cb, void *priv);

/*! \returns the SIP URI the agent is bound to, e.g. "sip:127.0.0.1:5060;transport=udp" */
const char *stiwf_sip_agent_url(const struct stiwf_sip_agent *agent);

/*! Format the TLS bind URI ("sips:ADDR:PORT") into buf.
 *  \returns 0, -ENOENT (no TLS configured) or -ENOSPC */
int stiwf_sip_cfg_tls_url(const struct stiwf_sip_cfg *cfg, char *buf, size_t len);

/*! Format the bind URI for a configuration into buf.
 *  \returns 0 or -ENOSPC */
int stiwf_sip_cfg_url(const struct stiwf_sip_cfg *cfg, char *buf, size_t len);

/*! Install "show sip" (called by stiwf_sip_vty_init()). */
void stiwf_sip_agent_vty_show_init(void);
