/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "sip" configuration node and "show sip". */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <osmocom/core/talloc.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vty.h>

#include "config.h"
#include "sip/sip_agent.h"
#include "sip/sip_call.h"
#include "src/core/vty_nodes.h"

struct stiwf_sip_cfg *g_sip_cfg;

const struct value_string stiwf_sip_transport_names[] = {
	{ STIWF_SIP_TP_UDP, "udp" },
	{ STIWF_SIP_TP_TCP, "tcp" },
	{ STIWF_SIP_TP_UDP_TCP, "udp+tcp" },
	{ 0, NULL }
};

int stiwf_sip_cfg_url(const struct stiwf_sip_cfg *cfg, char *buf, size_t len)
{
	bool v6 = strchr(cfg->local_addr, ':') != NULL;
	const char *tp;
	int n;

	switch (cfg->transport) {
	case STIWF_SIP_TP_UDP:
		tp = ";transport=udp";
		break;
	case STIWF_SIP_TP_TCP:
		tp = ";transport=tcp";
		break;
	default:
		tp = "";	/* Sofia binds both when no transport is named */
		break;
	}
	n = snprintf(buf, len, "sip:%s%s%s:%u%s", v6 ? "[" : "", cfg->local_addr,
		     v6 ? "]" : "", cfg->local_port, tp);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return 0;
}

int stiwf_sip_cfg_tls_url(const struct stiwf_sip_cfg *cfg, char *buf, size_t len)
{
	bool v6 = strchr(cfg->local_addr, ':') != NULL;
	int n;

	if (!cfg->tls_cert)
		return -ENOENT;
	/* Sofia binds a TLS transport for a sips: URI (RFC 3261 §19.1) */
	n = snprintf(buf, len, "sips:%s%s%s:%u", v6 ? "[" : "", cfg->local_addr, v6 ? "]" : "",
		     cfg->tls_port);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return 0;
}

const struct value_string stiwf_sip_test_mode_names[] = {
	{ STIWF_SIP_TEST_REJECT, "reject" },
	{ STIWF_SIP_TEST_ECHO, "echo" },
	{ 0, NULL }
};

static struct cmd_node sip_node = {
	STIWF_SIP_NODE,
	"%s(config-sip)# ",
	1,
};

DEFUN(cfg_sip, cfg_sip_cmd,
      "sip",
      "Configure the SIP side (the Sofia-SIP user agent)\n")
{
	vty->node = STIWF_SIP_NODE;
	return CMD_SUCCESS;
}

DEFUN(cfg_sip_local, cfg_sip_local_cmd,
      "local (A.B.C.D|X:X::X:X) <1-65535>",
      "Address and port to bind the SIP transport to\n"
      "Local IPv4 address\n" "Local IPv6 address\n" "UDP/TCP port\n")
{
	struct in6_addr a6;
	struct in_addr a4;

	/* libosmovty's A.B.C.D and X:X::X:X are loose patterns: check here. */
	if (inet_pton(AF_INET, argv[0], &a4) != 1 && inet_pton(AF_INET6, argv[0], &a6) != 1) {
		vty_out(vty, "%% not a numeric IPv4 or IPv6 address: %s%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	osmo_talloc_replace_string(g_sip_cfg, &g_sip_cfg->local_addr, argv[0]);
	/* the VTY checked the range <1-65535> */
	g_sip_cfg->local_port = (uint16_t)strtoul(argv[1], NULL, 10);
	if (g_sip_agent && vty->type != VTY_FILE)
		vty_out(vty, "%% takes effect when stiwfd restarts%s", VTY_NEWLINE);
	return CMD_SUCCESS;
}

DEFUN(cfg_sip_transport, cfg_sip_transport_cmd,
      "transport (udp|tcp|udp+tcp)",
      "SIP transport protocols to listen on\n"
      "UDP only\n" "TCP only\n" "UDP and TCP on the same port\n")
{
	g_sip_cfg->transport = get_string_value(stiwf_sip_transport_names, argv[0]);
	if (g_sip_agent && vty->type != VTY_FILE)
		vty_out(vty, "%% takes effect when stiwfd restarts%s", VTY_NEWLINE);
	return CMD_SUCCESS;
}

DEFUN(cfg_sip_user_agent, cfg_sip_user_agent_cmd,
      "user-agent .TEXT",
      "User-Agent and Server header value\n" "Text\n")
{
	char *s = argv_concat(argv, argc, 0);

	if (!s)
		return CMD_WARNING;
	osmo_talloc_replace_string(g_sip_cfg, &g_sip_cfg->user_agent, s);
	talloc_free(s);
	return CMD_SUCCESS;
}

DEFUN(cfg_sip_test_mode, cfg_sip_test_mode_cmd,
      "test-mode (reject|echo)",
      "What to do with INVITEs while no IWF call layer takes them\n"
      "Answer 501 Not Implemented (the default)\n"
      "Answer every INVITE with 180 and at once 200 and an SDP answer (for tests)\n")
{
	g_sip_cfg->test_mode = get_string_value(stiwf_sip_test_mode_names, argv[0]);
	g_sip_cfg->echo_answer_delay_ms = 0;
	return CMD_SUCCESS;
}

DEFUN(cfg_sip_test_mode_delay, cfg_sip_test_mode_delay_cmd,
      "test-mode echo answer-delay <0-600000>",
      "What to do with INVITEs while no IWF call layer takes them\n"
      "Answer every INVITE with 180 and 200 and an SDP answer (for tests)\n"
      "Time between the 180 and the 200\n" "Milliseconds\n")
{
	g_sip_cfg->test_mode = STIWF_SIP_TEST_ECHO;
	/* the VTY checked the range */
	g_sip_cfg->echo_answer_delay_ms = (unsigned int)strtoul(argv[0], NULL, 10);
	return CMD_SUCCESS;
}

#define TLS_STR "SIP over TLS (mutual TLS with the sip-peers of transport tls)\n"

static bool path_ok(struct vty *vty, const char *path)
{
	size_t i, n = strnlen(path, 1024);

	if (n == 0 || n > 1023) {
		vty_out(vty, "%% a path of 1 to 1023 octets: %s%s", path, VTY_NEWLINE);
		return false;
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)path[i] < 0x20 || path[i] == 0x7f) {
			vty_out(vty, "%% control character in path%s", VTY_NEWLINE);
			return false;
		}
	}
	return true;
}

static void tls_restart_note(struct vty *vty)
{
	if (g_sip_agent && vty->type != VTY_FILE)
		vty_out(vty, "%% takes effect when stiwfd restarts%s", VTY_NEWLINE);
}

DEFUN(cfg_sip_tls_cert, cfg_sip_tls_cert_cmd,
      "tls certificate CERT key KEY",
      TLS_STR "Our certificate chain (PEM, ours first) and private key\n" "Certificate file\n"
      "Private key\n" "Private key file (PEM, unencrypted; mode 0600 or less)\n")
{
	if (!path_ok(vty, argv[0]) || !path_ok(vty, argv[1]))
		return CMD_WARNING;
	osmo_talloc_replace_string(g_sip_cfg, &g_sip_cfg->tls_cert, argv[0]);
	osmo_talloc_replace_string(g_sip_cfg, &g_sip_cfg->tls_key, argv[1]);
	tls_restart_note(vty);
	return CMD_SUCCESS;
}

DEFUN(cfg_sip_tls_ca, cfg_sip_tls_ca_cmd,
      "tls ca-file FILE",
      TLS_STR "Certificates the peers' chains must lead to (PEM); a self-signed peer certificate may be one\n"
      "File\n")
{
	if (!path_ok(vty, argv[0]))
		return CMD_WARNING;
	osmo_talloc_replace_string(g_sip_cfg, &g_sip_cfg->tls_ca, argv[0]);
	tls_restart_note(vty);
	return CMD_SUCCESS;
}

DEFUN(cfg_sip_tls_port, cfg_sip_tls_port_cmd,
      "tls port <1-65535>",
      TLS_STR "TCP port of the TLS listener, on the 'local' address\n" "Port (default 5061)\n")
{
	g_sip_cfg->tls_port = (uint16_t)strtoul(argv[0], NULL, 10);
	tls_restart_note(vty);
	return CMD_SUCCESS;
}

DEFUN(cfg_sip_no_tls, cfg_sip_no_tls_cmd,
      "no tls",
      NO_STR TLS_STR)
{
	TALLOC_FREE(g_sip_cfg->tls_cert);
	TALLOC_FREE(g_sip_cfg->tls_key);
	TALLOC_FREE(g_sip_cfg->tls_ca);
	tls_restart_note(vty);
	return CMD_SUCCESS;
}

DEFUN(cfg_sip_max_tcp, cfg_sip_max_tcp_cmd,
      "max-tcp-connections <0-65535>",
      "Bound the SIP TCP connections accepted at once; beyond it new ones are closed\n"
      "Connections (0: no bound)\n")
{
	/* the VTY checked the range */
	g_sip_cfg->max_tcp_connections = (unsigned int)strtoul(argv[0], NULL, 10);
	if (g_sip_agent && vty->type != VTY_FILE)
		vty_out(vty, "%% takes effect when stiwfd restarts%s", VTY_NEWLINE);
	return CMD_SUCCESS;
}

DEFUN(cfg_sip_tcp_idle, cfg_sip_tcp_idle_cmd,
      "tcp-idle-timeout <0-86400>",
      "Close a SIP TCP connection that no transaction uses and nothing crossed for this long\n"
      "Seconds (0: never)\n")
{
	g_sip_cfg->tcp_idle_timeout_s = (unsigned int)strtoul(argv[0], NULL, 10);
	if (g_sip_agent && vty->type != VTY_FILE)
		vty_out(vty, "%% takes effect when stiwfd restarts%s", VTY_NEWLINE);
	return CMD_SUCCESS;
}

DEFUN(cfg_sip_100rel, cfg_sip_100rel_cmd,
      "100rel (supported|disabled)",
      "Reliable provisional responses (RFC 3262, PRACK)\n"
      "Advertise 100rel: 18x sent reliably to callers that support it, callees' reliable 18x PRACKed (default)\n"
      "Do not: a caller that requires 100rel gets 420 Bad Extension\n")
{
	g_sip_cfg->rel100 = !strcmp(argv[0], "supported");
	if (g_sip_agent)
		stiwf_sip_agent_apply(g_sip_agent, g_sip_cfg);
	return CMD_SUCCESS;
}

static int config_write_sip(struct vty *vty)
{
	vty_out(vty, "sip%s", VTY_NEWLINE);
	vty_out(vty, " local %s %u%s", g_sip_cfg->local_addr, g_sip_cfg->local_port, VTY_NEWLINE);
	vty_out(vty, " transport %s%s", get_value_string(stiwf_sip_transport_names, g_sip_cfg->transport),
		VTY_NEWLINE);
	vty_out(vty, " user-agent %s%s", g_sip_cfg->user_agent, VTY_NEWLINE);
	if (g_sip_cfg->tls_cert) {
		vty_out(vty, " tls certificate %s key %s%s", g_sip_cfg->tls_cert, g_sip_cfg->tls_key, VTY_NEWLINE);
		if (g_sip_cfg->tls_ca)
			vty_out(vty, " tls ca-file %s%s", g_sip_cfg->tls_ca, VTY_NEWLINE);
		vty_out(vty, " tls port %u%s", g_sip_cfg->tls_port, VTY_NEWLINE);
	}
	vty_out(vty, " max-tcp-connections %u%s", g_sip_cfg->max_tcp_connections, VTY_NEWLINE);
	vty_out(vty, " tcp-idle-timeout %u%s", g_sip_cfg->tcp_idle_timeout_s, VTY_NEWLINE);
	vty_out(vty, " 100rel %s%s", g_sip_cfg->rel100 ? "supported" : "disabled", VTY_NEWLINE);
	if (g_sip_cfg->test_mode == STIWF_SIP_TEST_ECHO && g_sip_cfg->echo_answer_delay_ms)
		vty_out(vty, " test-mode echo answer-delay %u%s", g_sip_cfg->echo_answer_delay_ms,
			VTY_NEWLINE);
	else
		vty_out(vty, " test-mode %s%s", get_value_string(stiwf_sip_test_mode_names,
								g_sip_cfg->test_mode), VTY_NEWLINE);
	return CMD_SUCCESS;
}

void stiwf_sip_vty_init(void *ctx)
{
	g_sip_cfg = talloc_zero(ctx, struct stiwf_sip_cfg);
	OSMO_ASSERT(g_sip_cfg);
	g_sip_cfg->local_addr = talloc_strdup(g_sip_cfg, "127.0.0.1");
	g_sip_cfg->local_port = 5060;
	g_sip_cfg->transport = STIWF_SIP_TP_UDP;
	g_sip_cfg->tls_port = 5061;
	g_sip_cfg->user_agent = talloc_strdup(g_sip_cfg, "stiwfd/" PACKAGE_VERSION);
	g_sip_cfg->max_tcp_connections = STIWF_SIP_MAX_TCP_CONNECTIONS;
	g_sip_cfg->tcp_idle_timeout_s = STIWF_SIP_TCP_IDLE_TIMEOUT_S;
	g_sip_cfg->rel100 = true;
	OSMO_ASSERT(g_sip_cfg->local_addr && g_sip_cfg->user_agent);

	install_element(CONFIG_NODE, &cfg_sip_cmd);
	install_node(&sip_node, config_write_sip);
	install_element(STIWF_SIP_NODE, &cfg_sip_local_cmd);
	install_element(STIWF_SIP_NODE, &cfg_sip_transport_cmd);
	install_element(STIWF_SIP_NODE, &cfg_sip_user_agent_cmd);
	install_element(STIWF_SIP_NODE, &cfg_sip_test_mode_cmd);
	install_element(STIWF_SIP_NODE, &cfg_sip_test_mode_delay_cmd);
	install_element(STIWF_SIP_NODE, &cfg_sip_tls_cert_cmd);
	install_element(STIWF_SIP_NODE, &cfg_sip_tls_ca_cmd);
	install_element(STIWF_SIP_NODE, &cfg_sip_tls_port_cmd);
	install_element(STIWF_SIP_NODE, &cfg_sip_no_tls_cmd);
	install_element(STIWF_SIP_NODE, &cfg_sip_max_tcp_cmd);
	install_element(STIWF_SIP_NODE, &cfg_sip_tcp_idle_cmd);
	install_element(STIWF_SIP_NODE, &cfg_sip_100rel_cmd);
	stiwf_sip_agent_vty_show_init();
	sip_call_vty_init();
}
