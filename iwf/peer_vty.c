/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The VTY of the IWF's configuration: the "stir" and "tsca" trust domain
 * nodes, "sip-peer NAME", "ss7-peer NAME", "route", and "show peers" /
 * "show routes" (also as "show iwf peers" / "show iwf routes"). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vty.h>

#include "certs/fetch.h"
#include "certs/tsca.h"
#include "sip/sip_agent.h"
#include "sip/sip_keepalive.h"
#include "iwf/map_peer.h"
#include "iwf/number.h"
#include "iwf/peer.h"
#include "iwf/policy.h"
#include "sip/sip_tls.h"
#include "ss7/isup_trunk.h"
#include "src/core/logging.h"
#include "src/core/vty_nodes.h"

/* Longest file path we keep */
#define PATH_ARG_MAX	1023

/* iwf/peer.h does not include certs/fetch.h: its limits must agree */
osmo_static_assert(IWF_DOMAIN_MAX_ACL <= FETCH_MAX_ACL, iwf_acl_fits_fetch);
osmo_static_assert(IWF_ACL_LINE_MAX >= FETCH_ACL_STR_MAX, iwf_acl_line_fits);
osmo_static_assert(IWF_DOMAIN_MAX_PORTS + 2 <= FETCH_MAX_PORTS, iwf_ports_fit_fetch);

static struct cmd_node stir_node = {
	STIWF_STIR_NODE,
	"%s(config-stir)# ",
	1,
};

static struct cmd_node tsca_node = {
	STIWF_TSCA_NODE,
	"%s(config-tsca)# ",
	1,
};

static struct cmd_node sip_peer_node = {
	STIWF_SIP_PEER_NODE,
	"%s(config-sip-peer)# ",
	1,
};

static struct cmd_node ss7_peer_node = {
	STIWF_SS7_PEER_NODE,
	"%s(config-ss7-peer)# ",
	1,
};

/* Never entered: it only writes the top-level "route" lines after the
 * peers they name. */
static struct cmd_node route_node = {
	STIWF_ROUTE_NODE,
	"%s(config-route)# ",
	1,
};

#define PEER_NAME_STR	"Name: 1 to 32 of A-Z a-z 0-9 . _ -\n"
#define PATH_STR	"Path\n"

/* Helpers */

static bool vty_interactive(const struct vty *vty)
{
	return vty->type != VTY_FILE;
}

/* Who may call which carrier, and with which trust, is the configuration
 * file's to say: from the console at runtime only when the file allows it,
 * so that a console session cannot add a peer at its own address or swap a
 * trust anchor. */
static bool runtime_change_refused(struct vty *vty, const char *what)
{
	if (!vty_interactive(vty) || g_iwf_cfg->runtime_changes)
		return false;
	vty_out(vty, "%% %s: trust domains, peers and routes are read from the configuration file only "
		"(see runtime-iwf-changes)%s", what, VTY_NEWLINE);
	LOGP(DIWF, LOGL_NOTICE, "VTY: runtime change refused: %s\n", what);
	return true;
}

/* A keepalive setting or the address of a sip-peer changed from the
 * console while stiwfd runs: its keepalive starts again with them (at
 * start, stiwfd starts every keepalive once the file is read). */
static int keepalive_reapply(struct vty *vty)
{
	struct iwf_sip_peer *p = vty->index;

	if (!vty_interactive(vty) || !g_sip_agent || (!p->keepalive && !p->keepalive_interval_s))
		return CMD_SUCCESS;
	if (iwf_sip_peer_keepalive_apply(p, g_sip_agent) < 0) {
		vty_out(vty, "%% sip-peer %s: cannot start its keepalive%s", p->name, VTY_NEWLINE);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

static int check_path_arg(struct vty *vty, const char *what, const char *path)
{
	size_t n = strnlen(path, PATH_ARG_MAX + 1);
	size_t i;

	if (n == 0) {
		vty_out(vty, "%% %s: empty path%s", what, VTY_NEWLINE);
		return -EINVAL;
	}
	if (n > PATH_ARG_MAX) {
		vty_out(vty, "%% %s: path longer than %u octets%s", what, PATH_ARG_MAX, VTY_NEWLINE);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)path[i] < 0x20 || path[i] == 0x7f) {
			vty_out(vty, "%% %s: control character in path%s", what, VTY_NEWLINE);
			return -EINVAL;
		}
	}
	return 0;
}

static int check_url_arg(struct vty *vty, const char *what, const char *url, bool need_key_id,
			 bool allow_http)
{
	switch (iwf_url_check(url, need_key_id, allow_http)) {
	case 0:
		return 0;
	case -ENAMETOOLONG:
		vty_out(vty, "%% %s: URL longer than %u octets%s", what, IWF_URL_MAX, VTY_NEWLINE);
		break;
	case -EPROTONOSUPPORT:
		vty_out(vty, "%% %s: %s is plain HTTP; use https:// (or allow-http in a lab)%s", what, url,
			VTY_NEWLINE);
		break;
	case -ENOENT:
		vty_out(vty, "%% %s: %s has no %s placeholder%s", what, url, IWF_KEY_ID_PLACEHOLDER,
			VTY_NEWLINE);
		break;
	case -EPERM:
		vty_out(vty, "%% %s: %s has a query string or fragment; a certificate URL names a file%s", what,
			url, VTY_NEWLINE);
		break;
	default:
		vty_out(vty, "%% %s: %s is not an https:// URL with a host%s", what, url, VTY_NEWLINE);
		break;
	}
	return -EINVAL;
}

/* n decimal digits, 1..max of them */
static bool digits_ok(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);
	size_t i;

	if (n == 0 || n > max)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

/* RFC 4122 §3 text form: 8-4-4-4-12 hex digits */
static bool uuid_ok(const char *s)
{
	size_t i;

	if (strnlen(s, 37) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
					   (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	}
	return true;
}

/* the VTY checked the range of <a-b> arguments */
static unsigned long num_arg(const char *s)
{
	return strtoul(s, NULL, 10);
}

/* Trust domains: the commands shared by stir and tsca */

static struct iwf_domain_cfg *vty_domain(const struct vty *vty)
{
	return vty->node == STIWF_STIR_NODE ? &g_iwf_cfg->stir : &g_iwf_cfg->tsca;
}

static const char *vty_domain_name(const struct vty *vty)
{
	return vty->node == STIWF_STIR_NODE ? "stir" : "tsca";
}

static int set_path(struct vty *vty, const char *what, char **dst, const char *path)
{
	if (check_path_arg(vty, what, path) < 0)
		return CMD_WARNING;
	osmo_talloc_replace_string(g_iwf_cfg, dst, path);
	if (!*dst) {
		vty_out(vty, "%% out of memory%s", VTY_NEWLINE);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

static void clear_str(char **dst)
{
	talloc_free(*dst);
	*dst = NULL;
}

DEFUN(cfg_stir, cfg_stir_cmd,
      "stir",
      "Configure the SHAKEN trust domain (SIP side): STI-CA trust, x5u fetching, our STI credential\n")
{
	if (runtime_change_refused(vty, "stir"))
		return CMD_WARNING;
	vty->node = STIWF_STIR_NODE;
	vty->index = NULL;
	return CMD_SUCCESS;
}

DEFUN(cfg_tsca, cfg_tsca_cmd,
      "tsca",
      "Configure the TSCA trust domain (SS7 side): TSCA roots, operator certificates, our operator credential\n")
{
	if (runtime_change_refused(vty, "tsca"))
		return CMD_WARNING;
	vty->node = STIWF_TSCA_NODE;
	vty->index = NULL;
	return CMD_SUCCESS;
}

DEFUN(cfg_dom_trust_dir, cfg_dom_trust_dir_cmd,
      "trust-dir PATH",
      "Directory of trusted root (and intermediate) CA certificates in PEM\n" PATH_STR)
{
	return set_path(vty, "trust-dir", &vty_domain(vty)->trust_dir, argv[0]);
}

DEFUN(cfg_dom_no_trust_dir, cfg_dom_no_trust_dir_cmd,
      "no trust-dir",
      NO_STR "Directory of trusted CA certificates\n")
{
	clear_str(&vty_domain(vty)->trust_dir);
	return CMD_SUCCESS;
}

DEFUN(cfg_dom_crl_file, cfg_dom_crl_file_cmd,
      "crl-file PATH",
      "Add a CRL in PEM (may be given up to 8 times)\n" PATH_STR)
{
	struct iwf_domain_cfg *d = vty_domain(vty);
	unsigned int i;

	if (check_path_arg(vty, "crl-file", argv[0]) < 0)
		return CMD_WARNING;
	for (i = 0; i < d->n_crl_files; i++) {
		if (!strcmp(d->crl_files[i], argv[0]))
			return CMD_SUCCESS;
	}
	if (d->n_crl_files >= IWF_DOMAIN_MAX_CRL) {
		vty_out(vty, "%% %s: at most %u crl-file lines%s", vty_domain_name(vty), IWF_DOMAIN_MAX_CRL,
			VTY_NEWLINE);
		return CMD_WARNING;
	}
	d->crl_files[d->n_crl_files] = talloc_strdup(g_iwf_cfg, argv[0]);
	if (!d->crl_files[d->n_crl_files]) {
		vty_out(vty, "%% out of memory%s", VTY_NEWLINE);
		return CMD_WARNING;
	}
	d->n_crl_files++;
	return CMD_SUCCESS;
}

DEFUN(cfg_dom_no_crl_file, cfg_dom_no_crl_file_cmd,
      "no crl-file PATH",
      NO_STR "Remove a CRL\n" PATH_STR)
{
	struct iwf_domain_cfg *d = vty_domain(vty);
	unsigned int i;

	for (i = 0; i < d->n_crl_files; i++) {
		if (strcmp(d->crl_files[i], argv[0]))
			continue;
		talloc_free(d->crl_files[i]);
		memmove(&d->crl_files[i], &d->crl_files[i + 1],
			(d->n_crl_files - i - 1) * sizeof(d->crl_files[0]));
		d->n_crl_files--;
		d->crl_files[d->n_crl_files] = NULL;
		return CMD_SUCCESS;
	}
	vty_out(vty, "%% %s: no crl-file %s%s", vty_domain_name(vty), argv[0], VTY_NEWLINE);
	return CMD_WARNING;
}

static bool is_http(const char *url)
{
	return url && !strncmp(url, "http://", 7);
}

DEFUN(cfg_dom_allow_http, cfg_dom_allow_http_cmd,
      "allow-http",
      "Accept plain http:// URLs for certificate fetches (lab use only)\n")
{
	vty_domain(vty)->allow_http = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_dom_no_allow_http, cfg_dom_no_allow_http_cmd,
      "no allow-http",
      NO_STR "Accept only https:// URLs (the default)\n")
{
	struct iwf_domain_cfg *d = vty_domain(vty);

	if (is_http(d->credential.x5u) || is_http(d->repository)) {
		vty_out(vty, "%% %s: an http:// URL is configured; change it first%s", vty_domain_name(vty),
			VTY_NEWLINE);
		return CMD_WARNING;
	}
	d->allow_http = false;
	return CMD_SUCCESS;
}

static int set_credential(struct vty *vty, int argc, const char *argv[], bool with_x5u)
{
	struct iwf_domain_cfg *d = vty_domain(vty);
	struct iwf_credential_cfg *c = &d->credential;
	char *key = NULL, *chain = NULL, *x5u = NULL;

	if (check_path_arg(vty, "credential key", argv[0]) < 0)
		return CMD_WARNING;
	if (argc > 1 && check_path_arg(vty, "credential chain", argv[1]) < 0)
		return CMD_WARNING;
	if (argc > 2) {
		if (check_url_arg(vty, "credential x5u", argv[2], false, d->allow_http) < 0)
			return CMD_WARNING;
		/* ARCHITECTURE §2.2: the PASSPORT TLV carries the x5u with a length octet */
		if (strlen(argv[2]) > IWF_POLICY_X5U_MAX) {
			vty_out(vty, "%% credential x5u: longer than %u octets, it could not travel in the ISUP token%s",
				IWF_POLICY_X5U_MAX, VTY_NEWLINE);
			return CMD_WARNING;
		}
	}
	key = talloc_strdup(g_iwf_cfg, argv[0]);
	if (argc > 1)
		chain = talloc_strdup(g_iwf_cfg, argv[1]);
	if (argc > 2 && with_x5u)
		x5u = talloc_strdup(g_iwf_cfg, argv[2]);
	if (!key || (argc > 1 && !chain) || (argc > 2 && !x5u)) {
		talloc_free(key);
		talloc_free(chain);
		talloc_free(x5u);
		vty_out(vty, "%% out of memory%s", VTY_NEWLINE);
		return CMD_WARNING;
	}
	talloc_free(c->key_path);
	talloc_free(c->chain_path);
	talloc_free(c->x5u);
	c->key_path = key;
	c->chain_path = chain;
	c->x5u = x5u;
	return CMD_SUCCESS;
}

#define CRED_STR	"Our signing credential in this domain\n" \
			"Private key in PEM\n" PATH_STR
#define CHAIN_STR	"Certificate chain in PEM, signer first\n" PATH_STR

DEFUN(cfg_dom_credential, cfg_dom_credential_cmd,
      "credential key PATH",
      CRED_STR)
{
	return set_credential(vty, argc, argv, vty->node == STIWF_STIR_NODE);
}

DEFUN(cfg_dom_credential_chain, cfg_dom_credential_chain_cmd,
      "credential key PATH chain PATH",
      CRED_STR CHAIN_STR)
{
	return set_credential(vty, argc, argv, vty->node == STIWF_STIR_NODE);
}

DEFUN(cfg_stir_credential_x5u, cfg_stir_credential_x5u_cmd,
      "credential key PATH chain PATH x5u URL",
      CRED_STR CHAIN_STR
      "Where verifiers fetch the chain (the x5u of the PASSporTs we sign)\n" "https:// URL\n")
{
	return set_credential(vty, argc, argv, true);
}

DEFUN(cfg_dom_no_credential, cfg_dom_no_credential_cmd,
      "no credential",
      NO_STR "Remove our signing credential of this domain\n")
{
	struct iwf_credential_cfg *c = &vty_domain(vty)->credential;

	clear_str(&c->key_path);
	clear_str(&c->chain_path);
	clear_str(&c->x5u);
	return CMD_SUCCESS;
}

#define FETCH_TIMEOUT_STR	"Timeout of one certificate fetch\n" "Milliseconds (default 2000)\n"

DEFUN(cfg_dom_fetch_timeout, cfg_stir_fetch_timeout_cmd,
      "x5u-timeout <100-60000>",
      FETCH_TIMEOUT_STR)
{
	vty_domain(vty)->fetch_timeout_ms = (unsigned int)num_arg(argv[0]);
	return CMD_SUCCESS;
}

ALIAS(cfg_dom_fetch_timeout, cfg_tsca_fetch_timeout_cmd,
      "repository-timeout <100-60000>",
      FETCH_TIMEOUT_STR)

#define FETCH_CA_STR	"CA bundle (PEM) that authenticates the HTTPS servers of certificate fetches\n" PATH_STR

DEFUN(cfg_dom_fetch_ca, cfg_stir_fetch_ca_cmd,
      "x5u-ca-file PATH",
      FETCH_CA_STR)
{
	return set_path(vty, vty->node == STIWF_STIR_NODE ? "x5u-ca-file" : "repository-ca-file",
			&vty_domain(vty)->fetch_ca_file, argv[0]);
}

ALIAS(cfg_dom_fetch_ca, cfg_tsca_fetch_ca_cmd,
      "repository-ca-file PATH",
      FETCH_CA_STR)

DEFUN(cfg_dom_no_fetch_ca, cfg_stir_no_fetch_ca_cmd,
      "no x5u-ca-file",
      NO_STR "Use the system's CA bundle for certificate fetches\n")
{
	clear_str(&vty_domain(vty)->fetch_ca_file);
	return CMD_SUCCESS;
}

ALIAS(cfg_dom_no_fetch_ca, cfg_tsca_no_fetch_ca_cmd,
      "no repository-ca-file",
      NO_STR "Use the system's CA bundle for certificate fetches\n")

DEFUN(cfg_dom_crl_required, cfg_dom_crl_required_cmd,
      "crl-required",
      "Fail a chain when an issuer in it has no current CRL (hard fail)\n")
{
	vty_domain(vty)->crl_required = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_dom_no_crl_required, cfg_dom_no_crl_required_cmd,
      "no crl-required",
      NO_STR "Accept a chain whose issuer has no CRL, with a log line (soft fail, the default)\n")
{
	vty_domain(vty)->crl_required = false;
	return CMD_SUCCESS;
}

DEFUN(cfg_dom_crl_fetch, cfg_dom_crl_fetch_cmd,
      "crl-fetch",
      "Fetch CRLs from the distribution points of chains that verify, and keep them current\n")
{
	vty_domain(vty)->crl_fetch = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_dom_no_crl_fetch, cfg_dom_no_crl_fetch_cmd,
      "no crl-fetch",
      NO_STR "Use only the crl-file CRLs (the default)\n")
{
	vty_domain(vty)->crl_fetch = false;
	return CMD_SUCCESS;
}

DEFUN(cfg_dom_crl_refresh, cfg_dom_crl_refresh_cmd,
      "crl-refresh <60-86400>",
      "Read the crl-file CRLs again this often (and from 5 minutes before their nextUpdate, every minute)\n"
      "Seconds (default 3600)\n")
{
	vty_domain(vty)->crl_refresh_s = (unsigned int)num_arg(argv[0]);
	return CMD_SUCCESS;
}

#define FETCH_PORT_STR	"Also allow this port in certificate URLs (443 and 8443 always are)\n" "Port\n"

DEFUN(cfg_dom_fetch_port, cfg_stir_fetch_port_cmd,
      "x5u-port <1-65535>",
      FETCH_PORT_STR)
{
	struct iwf_domain_cfg *d = vty_domain(vty);
	uint16_t port = (uint16_t)num_arg(argv[0]);
	unsigned int i;

	if (port == 443 || port == 8443)
		return CMD_SUCCESS;
	for (i = 0; i < d->n_fetch_ports; i++) {
		if (d->fetch_ports[i] == port)
			return CMD_SUCCESS;
	}
	if (d->n_fetch_ports >= IWF_DOMAIN_MAX_PORTS) {
		vty_out(vty, "%% %s: at most %u ports besides 443 and 8443%s", vty_domain_name(vty),
			IWF_DOMAIN_MAX_PORTS, VTY_NEWLINE);
		return CMD_WARNING;
	}
	d->fetch_ports[d->n_fetch_ports++] = port;
	return CMD_SUCCESS;
}

ALIAS(cfg_dom_fetch_port, cfg_tsca_fetch_port_cmd,
      "repository-port <1-65535>",
      FETCH_PORT_STR)

DEFUN(cfg_dom_no_fetch_port, cfg_stir_no_fetch_port_cmd,
      "no x5u-port <1-65535>",
      NO_STR FETCH_PORT_STR)
{
	struct iwf_domain_cfg *d = vty_domain(vty);
	uint16_t port = (uint16_t)num_arg(argv[0]);
	unsigned int i;

	for (i = 0; i < d->n_fetch_ports; i++) {
		if (d->fetch_ports[i] != port)
			continue;
		memmove(&d->fetch_ports[i], &d->fetch_ports[i + 1],
			(d->n_fetch_ports - i - 1) * sizeof(d->fetch_ports[0]));
		d->n_fetch_ports--;
		return CMD_SUCCESS;
	}
	vty_out(vty, "%% %s: port %u is not an extra port%s", vty_domain_name(vty), port, VTY_NEWLINE);
	return CMD_WARNING;
}

ALIAS(cfg_dom_no_fetch_port, cfg_tsca_no_fetch_port_cmd,
      "no repository-port <1-65535>",
      NO_STR FETCH_PORT_STR)

#define FETCH_ACL_STR	"Address ACL of certificate fetches: the first line that matches an address decides; " \
			"an address no line matches is refused when it is loopback, private, link-local, " \
			"multicast or otherwise special-purpose (RFC 6890)\n" \
			"Allow connections to the prefix\n" "Refuse connections to the prefix\n" \
			"IPv4 or IPv6 prefix, e.g. 10.1.2.0/24 or 2001:db8::/32 (an address alone: /32, /128)\n"

/* The line as fetch_acl_rule_format() writes it, or NULL (said why). */
static const char *acl_line(struct vty *vty, const char *action, const char *cidr, char *buf, size_t len)
{
	struct fetch_acl_rule r;

	if (fetch_acl_rule_parse(&r, action, cidr) < 0) {
		vty_out(vty, "%% %s acl: %s is not an IP prefix with its host bits clear%s", vty_domain_name(vty),
			cidr, VTY_NEWLINE);
		return NULL;
	}
	if (fetch_acl_rule_format(buf, len, &r) < 0)
		return NULL;
	return buf;
}

DEFUN(cfg_dom_fetch_acl, cfg_stir_fetch_acl_cmd,
      "x5u-acl (permit|deny) CIDR",
      FETCH_ACL_STR)
{
	struct iwf_domain_cfg *d = vty_domain(vty);
	char buf[IWF_ACL_LINE_MAX];
	const char *line = acl_line(vty, argv[0], argv[1], buf, sizeof(buf));
	unsigned int i;

	if (!line)
		return CMD_WARNING;
	for (i = 0; i < d->n_acl; i++) {
		if (!strcmp(d->acl[i], line))
			return CMD_SUCCESS;
	}
	if (d->n_acl >= IWF_DOMAIN_MAX_ACL) {
		vty_out(vty, "%% %s: at most %u acl lines%s", vty_domain_name(vty), IWF_DOMAIN_MAX_ACL,
			VTY_NEWLINE);
		return CMD_WARNING;
	}
	OSMO_STRLCPY_ARRAY(d->acl[d->n_acl], line);
	d->n_acl++;
	return CMD_SUCCESS;
}

ALIAS(cfg_dom_fetch_acl, cfg_tsca_fetch_acl_cmd,
      "repository-acl (permit|deny) CIDR",
      FETCH_ACL_STR)

DEFUN(cfg_dom_no_fetch_acl, cfg_stir_no_fetch_acl_cmd,
      "no x5u-acl (permit|deny) CIDR",
      NO_STR FETCH_ACL_STR)
{
	struct iwf_domain_cfg *d = vty_domain(vty);
	char buf[IWF_ACL_LINE_MAX];
	const char *line = acl_line(vty, argv[0], argv[1], buf, sizeof(buf));
	unsigned int i;

	if (!line)
		return CMD_WARNING;
	for (i = 0; i < d->n_acl; i++) {
		if (strcmp(d->acl[i], line))
			continue;
		memmove(&d->acl[i], &d->acl[i + 1], (d->n_acl - i - 1) * sizeof(d->acl[0]));
		d->n_acl--;
		return CMD_SUCCESS;
	}
	vty_out(vty, "%% %s: no acl line '%s'%s", vty_domain_name(vty), line, VTY_NEWLINE);
	return CMD_WARNING;
}

ALIAS(cfg_dom_no_fetch_acl, cfg_tsca_no_fetch_acl_cmd,
      "no repository-acl (permit|deny) CIDR",
      NO_STR FETCH_ACL_STR)

#define IN_FLIGHT_STR	"Most certificate fetches in flight at once; above, a call is answered at once " \
			"(SIP 436, or the ss7-peer's repository-busy-cause)\n" \
			"In all (default 64)\n" "To one host\n" "Fetches (default 16)\n"

DEFUN(cfg_dom_in_flight, cfg_stir_in_flight_cmd,
      "x5u-in-flight <1-1024> per-host <1-1024>",
      IN_FLIGHT_STR)
{
	struct iwf_domain_cfg *d = vty_domain(vty);

	d->max_in_flight = (unsigned int)num_arg(argv[0]);
	d->max_in_flight_per_host = (unsigned int)num_arg(argv[1]);
	return CMD_SUCCESS;
}

ALIAS(cfg_dom_in_flight, cfg_tsca_in_flight_cmd,
      "repository-in-flight <1-1024> per-host <1-1024>",
      IN_FLIGHT_STR)

/* stir only */

DEFUN(cfg_stir_max_age, cfg_stir_max_age_cmd,
      "max-age <1-3600>",
      "Oldest iat of a PASSporT we accept (ATIS-1000074: 60)\n" "Seconds\n")
{
	g_iwf_cfg->stir_max_age = (unsigned int)num_arg(argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_stir_origid, cfg_stir_origid_cmd,
      "origid ID",
      "origid claim of the PASSporTs we sign (RFC 8588 §4)\n"
      "'random' for a fresh UUID per call (the default), or a fixed UUID\n")
{
	if (!strcmp(argv[0], "random")) {
		g_iwf_cfg->origid_random = true;
		g_iwf_cfg->origid[0] = '\0';
		return CMD_SUCCESS;
	}
	if (!uuid_ok(argv[0])) {
		vty_out(vty, "%% origid: %s is neither 'random' nor a UUID (8-4-4-4-12 hex digits)%s", argv[0],
			VTY_NEWLINE);
		return CMD_WARNING;
	}
	g_iwf_cfg->origid_random = false;
	OSMO_STRLCPY_ARRAY(g_iwf_cfg->origid, argv[0]);
	return CMD_SUCCESS;
}

/* tsca only */

DEFUN(cfg_tsca_cert_dir, cfg_tsca_cert_dir_cmd,
      "cert-dir PATH",
      "Directory of operator certificates (chains) named by key-id\n" PATH_STR)
{
	return set_path(vty, "cert-dir", &g_iwf_cfg->tsca.cert_dir, argv[0]);
}

DEFUN(cfg_tsca_no_cert_dir, cfg_tsca_no_cert_dir_cmd,
      "no cert-dir",
      NO_STR "Directory of operator certificates\n")
{
	clear_str(&g_iwf_cfg->tsca.cert_dir);
	return CMD_SUCCESS;
}

DEFUN(cfg_tsca_repository, cfg_tsca_repository_cmd,
      "repository URL",
      "Where to fetch an operator certificate chain that is not in cert-dir\n"
      "https:// URL template containing {key-id} (16 hex digits)\n")
{
	if (check_url_arg(vty, "repository", argv[0], true, g_iwf_cfg->tsca.allow_http) < 0)
		return CMD_WARNING;
	osmo_talloc_replace_string(g_iwf_cfg, &g_iwf_cfg->tsca.repository, argv[0]);
	return g_iwf_cfg->tsca.repository ? CMD_SUCCESS : CMD_WARNING;
}

DEFUN(cfg_tsca_no_repository, cfg_tsca_no_repository_cmd,
      "no repository",
      NO_STR "Fetch no operator certificates (cert-dir only)\n")
{
	clear_str(&g_iwf_cfg->tsca.repository);
	return CMD_SUCCESS;
}

DEFUN(cfg_tsca_policy_oid, cfg_tsca_policy_oid_cmd,
      "policy-oid (full|provisional) OID",
      "Certificate policy OID that tells the class of an operator certificate\n"
      "Full certificate (2 years)\n" "Provisional certificate (6 months)\n"
      "OID in dotted decimal\n")
{
	char **dst = argv[0][0] == 'f' ? &g_iwf_cfg->tsca_full_oid : &g_iwf_cfg->tsca_provisional_oid;

	if (!iwf_oid_valid(argv[1])) {
		vty_out(vty, "%% policy-oid: %s is not an OID in dotted decimal%s", argv[1], VTY_NEWLINE);
		return CMD_WARNING;
	}
	osmo_talloc_replace_string(g_iwf_cfg, dst, argv[1]);
	return *dst ? CMD_SUCCESS : CMD_WARNING;
}

DEFUN(cfg_tsca_no_policy_oid, cfg_tsca_no_policy_oid_cmd,
      "no policy-oid (full|provisional)",
      NO_STR "Certificate policy OID\n" "Full certificate\n" "Provisional certificate\n")
{
	clear_str(argv[0][0] == 'f' ? &g_iwf_cfg->tsca_full_oid : &g_iwf_cfg->tsca_provisional_oid);
	return CMD_SUCCESS;
}

DEFUN(cfg_tsca_max_validity, cfg_tsca_max_validity_cmd,
      "max-validity (provisional|full) <0-7300>",
      "Longest validity period (notAfter - notBefore) of a signer's certificate of a class\n"
      "Provisional certificates (default 184 days)\n"
      "Full certificates, and signers of no class (default 731 days)\n"
      "Days; 0: no limit\n")
{
	unsigned int days = (unsigned int)num_arg(argv[1]);

	if (argv[0][0] == 'p')
		g_iwf_cfg->tsca_max_days_prov = days;
	else
		g_iwf_cfg->tsca_max_days_full = days;
	return CMD_SUCCESS;
}

DEFUN(cfg_tsca_map_file, cfg_tsca_map_file_cmd,
      "map-file PATH",
      "The map between SHAKEN SPCs, TSCA operators and their numbers\n" PATH_STR)
{
	return set_path(vty, "map-file", &g_iwf_cfg->map_file, argv[0]);
}

DEFUN(cfg_tsca_no_map_file, cfg_tsca_no_map_file_cmd,
      "no map-file",
      NO_STR "The domain map\n")
{
	clear_str(&g_iwf_cfg->map_file);
	return CMD_SUCCESS;
}

DEFUN(cfg_tsca_hop_window, cfg_tsca_hop_window_cmd,
      "hop-window <1-3600>",
      "Oldest iat of a HOP token we accept (ARCHITECTURE §2.2)\n" "Seconds (default 60)\n")
{
	g_iwf_cfg->hop_window = (unsigned int)num_arg(argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_tsca_hop_skew, cfg_tsca_hop_skew_cmd,
      "hop-skew <0-300>",
      "Clock skew allowed for the iat of a HOP token\n" "Seconds (default 0)\n")
{
	g_iwf_cfg->hop_skew = (unsigned int)num_arg(argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_tsca_hop_startup_quiet, cfg_tsca_hop_startup_quiet_cmd,
      "hop-startup-quiet (on|off)",
      "After a start, refuse HOPs signed before it while no shared replay store knows them\n"
      "Refuse them for one replay window (default)\n"
      "Accept them: a HOP accepted before a restart can then be replayed once\n")
{
	g_iwf_cfg->hop_startup_quiet = argv[0][1] == 'n';
	return CMD_SUCCESS;
}

/* "ADDR", "ADDR:PORT", "[V6ADDR]" or "[V6ADDR]:PORT" into numeric
 * address and port.  \returns 0 or -EINVAL */
static int addr_port_parse(const char *s, char *addr, size_t addr_len, uint16_t *port)
{
	const char *a = s, *p = NULL, *end;
	struct in6_addr any;
	size_t n;
	char *ep;
	unsigned long v;

	if (s[0] == '[') {
		end = strchr(s, ']');
		if (!end)
			return -EINVAL;
		a = s + 1;
		n = (size_t)(end - a);
		if (end[1] == ':')
			p = end + 2;
		else if (end[1])
			return -EINVAL;
	} else {
		end = strchr(s, ':');
		/* one colon: IPv4 with a port; more: a bare IPv6 address */
		if (end && !strchr(end + 1, ':')) {
			n = (size_t)(end - s);
			p = end + 1;
		} else {
			n = strlen(s);
		}
	}
	if (!n || n >= addr_len)
		return -EINVAL;
	memcpy(addr, a, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET, addr, &any) != 1 && inet_pton(AF_INET6, addr, &any) != 1)
		return -EINVAL;
	if (p) {
		errno = 0;
		v = strtoul(p, &ep, 10);
		if (errno || !p[0] || *ep || v < 1 || v > 65535)
			return -EINVAL;
		*port = (uint16_t)v;
	}
	return 0;
}

DEFUN(cfg_tsca_replay_store_redis, cfg_tsca_replay_store_redis_cmd,
      "replay-store redis ADDR",
      "Where the HOP signatures seen are remembered (ARCHITECTURE §2.2 replay protection)\n"
      "In a Redis server shared by every IWF of the network (docs/SCALING.md)\n"
      "Numeric address, with :PORT (default 6379); IPv6 as [ADDR]:PORT\n")
{
	char addr[IWF_ADDR_MAX];
	uint16_t port = IWF_REPLAY_STORE_PORT_DEFAULT;

	if (addr_port_parse(argv[0], addr, sizeof(addr), &port) < 0) {
		vty_out(vty, "%% replay-store redis: '%s' is no numeric ADDR[:PORT]%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	OSMO_STRLCPY_ARRAY(g_iwf_cfg->replay_store_addr, addr);
	g_iwf_cfg->replay_store_port = port;
	return CMD_SUCCESS;
}

DEFUN(cfg_tsca_replay_store_local, cfg_tsca_replay_store_local_cmd,
      "replay-store local",
      "Where the HOP signatures seen are remembered (ARCHITECTURE §2.2 replay protection)\n"
      "In this process only (default): hop-startup-quiet covers restarts\n")
{
	g_iwf_cfg->replay_store_addr[0] = '\0';
	g_iwf_cfg->replay_store_port = IWF_REPLAY_STORE_PORT_DEFAULT;
	return CMD_SUCCESS;
}

DEFUN(cfg_tsca_replay_store_on_failure, cfg_tsca_replay_store_on_failure_cmd,
      "replay-store on-failure (reject|local)",
      "Where the HOP signatures seen are remembered (ARCHITECTURE §2.2 replay protection)\n"
      "What to do when the shared store does not answer in time or is not connected\n"
      "Release the call with the peer's release cause (default 21), call-log reason replay-store (default)\n"
      "Let this process's cache decide alone: a replay at another IWF then goes unseen\n")
{
	g_iwf_cfg->replay_store_fail_local = argv[0][0] == 'l';
	return CMD_SUCCESS;
}

DEFUN(cfg_tsca_replay_store_timeout, cfg_tsca_replay_store_timeout_cmd,
      "replay-store timeout <1-10000>",
      "Where the HOP signatures seen are remembered (ARCHITECTURE §2.2 replay protection)\n"
      "How long a call waits for the shared store's answer\n"
      "Milliseconds (default 200)\n")
{
	g_iwf_cfg->replay_store_timeout_ms = (unsigned int)num_arg(argv[0]);
	return CMD_SUCCESS;
}

/* Peers */

DEFUN(cfg_sip_peer, cfg_sip_peer_cmd,
      "sip-peer NAME",
      "Configure a SIP carrier (created when new)\n" PEER_NAME_STR)
{
	struct iwf_sip_peer *p;

	if (runtime_change_refused(vty, "sip-peer"))
		return CMD_WARNING;

	if (!iwf_peer_name_valid(argv[0])) {
		vty_out(vty, "%% sip-peer: bad name '%s' (1 to %u of A-Z a-z 0-9 . _ -)%s", argv[0],
			IWF_PEER_NAME_MAX, VTY_NEWLINE);
		return CMD_WARNING;
	}
	p = iwf_sip_peer_find(argv[0]);
	if (!p)
		p = iwf_sip_peer_alloc(g_iwf_cfg, argv[0]);
	if (!p) {
		vty_out(vty, "%% out of memory%s", VTY_NEWLINE);
		return CMD_WARNING;
	}
	vty->node = STIWF_SIP_PEER_NODE;
	vty->index = p;
	return CMD_SUCCESS;
}

DEFUN(cfg_no_sip_peer, cfg_no_sip_peer_cmd,
      "no sip-peer NAME",
      NO_STR "Remove a SIP carrier\n" PEER_NAME_STR)
{
	struct iwf_sip_peer *p = iwf_sip_peer_find(argv[0]);
	const struct iwf_route *r;
	struct iwf_ss7_peer *t;

	if (runtime_change_refused(vty, "no sip-peer"))
		return CMD_WARNING;

	if (!p) {
		vty_out(vty, "%% no sip-peer %s%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	r = iwf_route_by_peer(g_iwf_cfg, IWF_ROUTE_SIP, p->name);
	if (r) {
		vty_out(vty, "%% sip-peer %s is used by route %s; remove the route first%s", p->name,
			r->prefix[0] ? r->prefix : "default", VTY_NEWLINE);
		return CMD_WARNING;
	}
	llist_for_each_entry(t, &g_iwf_cfg->ss7_peers, entry) {
		if (!strcmp(t->sip_peer, p->name)) {
			vty_out(vty, "%% sip-peer %s is used by ss7-peer %s; change it first%s", p->name, t->name,
				VTY_NEWLINE);
			return CMD_WARNING;
		}
	}
	iwf_sip_peer_free(p);
	return CMD_SUCCESS;
}

DEFUN(cfg_ss7_peer, cfg_ss7_peer_cmd,
      "ss7-peer NAME",
      "Configure an SS7 exchange (trunk group; created when new)\n" PEER_NAME_STR)
{
	struct iwf_ss7_peer *p;

	if (runtime_change_refused(vty, "ss7-peer"))
		return CMD_WARNING;

	if (!iwf_peer_name_valid(argv[0])) {
		vty_out(vty, "%% ss7-peer: bad name '%s' (1 to %u of A-Z a-z 0-9 . _ -)%s", argv[0],
			IWF_PEER_NAME_MAX, VTY_NEWLINE);
		return CMD_WARNING;
	}
	p = iwf_ss7_peer_find(argv[0]);
	if (!p)
		p = iwf_ss7_peer_alloc(g_iwf_cfg, argv[0]);
	if (!p) {
		vty_out(vty, "%% out of memory%s", VTY_NEWLINE);
		return CMD_WARNING;
	}
	vty->node = STIWF_SS7_PEER_NODE;
	vty->index = p;
	return CMD_SUCCESS;
}

DEFUN(cfg_no_ss7_peer, cfg_no_ss7_peer_cmd,
      "no ss7-peer NAME",
      NO_STR "Remove an SS7 exchange\n" PEER_NAME_STR)
{
	struct iwf_ss7_peer *p = iwf_ss7_peer_find(argv[0]);
	const struct iwf_route *r;

	if (runtime_change_refused(vty, "no ss7-peer"))
		return CMD_WARNING;

	if (!p) {
		vty_out(vty, "%% no ss7-peer %s%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	if (p->trunk) {
		vty_out(vty, "%% ss7-peer %s has a trunk in service; it goes when stiwfd restarts%s", p->name,
			VTY_NEWLINE);
		return CMD_WARNING;
	}
	r = iwf_route_by_peer(g_iwf_cfg, IWF_ROUTE_SS7, p->name);
	if (r) {
		vty_out(vty, "%% ss7-peer %s is used by route %s; remove the route first%s", p->name,
			r->prefix[0] ? r->prefix : "default", VTY_NEWLINE);
		return CMD_WARNING;
	}
	iwf_ss7_peer_free(p);
	return CMD_SUCCESS;
}

/* sip-peer */

DEFUN(cfg_sp_remote, cfg_sp_remote_cmd,
      "remote (A.B.C.D|X:X::X:X) [<1-65535>]",
      "Address (and port) of the carrier: requests from it are its calls, ours go there\n"
      "IPv4 address\n" "IPv6 address\n" "Port (default 5060)\n")
{
	struct iwf_sip_peer *p = vty->index;
	struct iwf_sip_peer *o;
	union {
		struct in_addr a4;
		struct in6_addr a6;
	} a;
	int af = AF_INET;
	uint16_t port = argc > 1 ? (uint16_t)num_arg(argv[1]) : 5060;
	char canon[INET6_ADDRSTRLEN];

	/* libosmovty's A.B.C.D and X:X::X:X are loose patterns: check here. */
	if (inet_pton(AF_INET, argv[0], &a.a4) != 1) {
		af = AF_INET6;
		if (inet_pton(AF_INET6, argv[0], &a.a6) != 1) {
			vty_out(vty, "%% remote: not a numeric IPv4 or IPv6 address: %s%s", argv[0], VTY_NEWLINE);
			return CMD_WARNING;
		}
	}
	/* one spelling per address, so that the configuration round-trips
	 * and iwf_sip_peer_by_addr() compares like with like */
	if (!inet_ntop(af, &a, canon, sizeof(canon))) {
		vty_out(vty, "%% remote: %s%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	llist_for_each_entry(o, &g_iwf_cfg->sip_peers, entry) {
		/* carriers behind one proxy share its address
		 * (iwf_cfg_check() insists that both say via-proxy) */
		if (o != p && o->port == port && !strcmp(o->addr, canon) && !o->via_proxy_addr[0]) {
			vty_out(vty, "%% remote %s %u is already sip-peer %s%s", canon, port, o->name, VTY_NEWLINE);
			return CMD_WARNING;
		}
	}
	OSMO_STRLCPY_ARRAY(p->addr, canon);
	p->port = port;
	return keepalive_reapply(vty);
}

/* RFC 3261 §25.1 token characters, for a header name */
static bool header_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 32)
		return false;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.!%*_+`'~") == n;
}

DEFUN(cfg_sp_via_proxy, cfg_sp_via_proxy_cmd,
      "via-proxy (A.B.C.D|X:X::X:X) header NAME VALUE",
      "The carrier's calls come through a proxy (docs/SCALING.md)\n"
      "The proxy's IPv4 address\n" "The proxy's IPv6 address\n"
      "A header the proxy sets on each call, naming the carrier\n"
      "Header name (e.g. X-Carrier)\n"
      "Its value for this carrier: a call from the proxy with it is this peer's\n")
{
	struct iwf_sip_peer *p = vty->index;
	struct in6_addr a;
	char canon[INET6_ADDRSTRLEN];
	int af = AF_INET;

	if (inet_pton(AF_INET, argv[0], &a) != 1) {
		af = AF_INET6;
		if (inet_pton(AF_INET6, argv[0], &a) != 1) {
			vty_out(vty, "%% via-proxy: not a numeric IPv4 or IPv6 address: %s%s", argv[0], VTY_NEWLINE);
			return CMD_WARNING;
		}
	}
	if (!inet_ntop(af, &a, canon, sizeof(canon))) {
		vty_out(vty, "%% via-proxy: %s%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	if (!header_name_ok(argv[1]) || !strcasecmp(argv[1], "Identity")) {
		vty_out(vty, "%% via-proxy: '%s' is no header name stiwfd can trust (a token of 1 to 32)%s",
			argv[1], VTY_NEWLINE);
		return CMD_WARNING;
	}
	if (!argv[2][0] || strlen(argv[2]) > sizeof(p->via_value) - 1 || strpbrk(argv[2], "\"\\")) {
		vty_out(vty, "%% via-proxy: value '%s' is empty, longer than %zu or quoted%s", argv[2],
			sizeof(p->via_value) - 1, VTY_NEWLINE);
		return CMD_WARNING;
	}
	OSMO_STRLCPY_ARRAY(p->via_proxy_addr, canon);
	OSMO_STRLCPY_ARRAY(p->via_header, argv[1]);
	OSMO_STRLCPY_ARRAY(p->via_value, argv[2]);
	return CMD_SUCCESS;
}

DEFUN(cfg_sp_keepalive_interval, cfg_sp_keepalive_interval_cmd,
      "keepalive interval <1-3600>",
      "OPTIONS keepalive: routes skip the carrier while it is down\n"
      "Send an OPTIONS this often\n" "Seconds\n")
{
	((struct iwf_sip_peer *)vty->index)->keepalive_interval_s = (unsigned int)num_arg(argv[0]);
	return keepalive_reapply(vty);
}

DEFUN(cfg_sp_no_keepalive_interval, cfg_sp_no_keepalive_interval_cmd,
      "no keepalive interval",
      NO_STR "OPTIONS keepalive\n" "No OPTIONS: the carrier always counts as up (default)\n")
{
	((struct iwf_sip_peer *)vty->index)->keepalive_interval_s = 0;
	return keepalive_reapply(vty);
}

DEFUN(cfg_sp_keepalive_failures, cfg_sp_keepalive_failures_cmd,
      "keepalive failures <1-100>",
      "OPTIONS keepalive\n"
      "OPTIONS answered 408 or 503 in a row before the carrier is down (default 3)\n" "Count\n")
{
	((struct iwf_sip_peer *)vty->index)->keepalive_failures = (unsigned int)num_arg(argv[0]);
	return keepalive_reapply(vty);
}

DEFUN(cfg_sp_no_via_proxy, cfg_sp_no_via_proxy_cmd,
      "no via-proxy",
      NO_STR "The carrier's calls come from its own address\n")
{
	struct iwf_sip_peer *p = vty->index;

	p->via_proxy_addr[0] = '\0';
	p->via_header[0] = '\0';
	p->via_value[0] = '\0';
	return CMD_SUCCESS;
}

DEFUN(cfg_sp_transport, cfg_sp_transport_cmd,
      "transport (udp|tcp|tls)",
      "Transport towards the carrier\n" "UDP (the default)\n" "TCP\n"
      "TLS both ways, mutual: its requests over anything else get 403 (needs tls-subject)\n")
{
	struct iwf_sip_peer *p = vty->index;

	p->transport = get_string_value(iwf_sip_transport_names, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_sp_tls_subject, cfg_sp_tls_subject_cmd,
      "tls-subject NAME",
      "A name the carrier's TLS certificate carries (SAN DNS or URI, or CN)\n" "Name\n")
{
	struct iwf_sip_peer *p = vty->index;
	size_t i, n = strnlen(argv[0], sizeof(p->tls_subject));

	if (n == 0 || n >= sizeof(p->tls_subject)) {
		vty_out(vty, "%% tls-subject: 1 to %zu octets%s", sizeof(p->tls_subject) - 1, VTY_NEWLINE);
		return CMD_WARNING;
	}
	/* it becomes the host of a SIP URI */
	for (i = 0; i < n; i++) {
		char c = argv[0][i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '-')) {
			vty_out(vty, "%% tls-subject: a host name of A-Z a-z 0-9 . -: %s%s", argv[0], VTY_NEWLINE);
			return CMD_WARNING;
		}
	}
	OSMO_STRLCPY_ARRAY(p->tls_subject, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_sp_tls_fingerprint, cfg_sp_tls_fingerprint_cmd,
      "tls-fingerprint sha256 HEX",
      "Pin the carrier's TLS certificate: whoever presents its tls-subject must present this one\n"
      "SHA-256 over the certificate (DER), as openssl x509 -fingerprint -sha256 prints it\n"
      "64 hex digits, colons allowed\n")
{
	struct iwf_sip_peer *p = vty->index;

	if (sip_tls_fingerprint_parse(argv[0], p->tls_sha256) < 0) {
		vty_out(vty, "%% tls-fingerprint: not 32 octets in hex: %s%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	p->tls_pinned = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_sp_no_tls_fingerprint, cfg_sp_no_tls_fingerprint_cmd,
      "no tls-fingerprint",
      NO_STR "Do not pin the carrier's TLS certificate\n")
{
	struct iwf_sip_peer *p = vty->index;

	p->tls_pinned = false;
	return CMD_SUCCESS;
}

/* ss7-peer */

static int ss7_move_check(struct vty *vty, struct iwf_ss7_peer *p, uint32_t inst, uint32_t pc)
{
	const struct iwf_ss7_peer *o;
	unsigned int i;

	for (i = 0; i < p->n_cic_ranges; i++) {
		o = iwf_ss7_peer_cic_conflict(g_iwf_cfg, p, inst, pc, p->cic[i].first, p->cic[i].last);
		if (o) {
			vty_out(vty, "%% cic %u %u would overlap ss7-peer %s on cs7 instance %u point-code %u%s",
				p->cic[i].first, p->cic[i].last, o->name, inst, pc, VTY_NEWLINE);
			return -EEXIST;
		}
	}
	if (p->trunk && vty_interactive(vty))
		vty_out(vty, "%% takes effect when stiwfd restarts%s", VTY_NEWLINE);
	return 0;
}

DEFUN(cfg_tp_cs7_instance, cfg_tp_cs7_instance_cmd,
      "cs7-instance <0-15>",
      "The cs7 instance the exchange is reached through\n" "Instance number (default 0)\n")
{
	struct iwf_ss7_peer *p = vty->index;
	uint32_t inst = (uint32_t)num_arg(argv[0]);

	if (p->dpc_set && ss7_move_check(vty, p, inst, p->dpc) < 0)
		return CMD_WARNING;
	p->cs7_instance = inst;
	return CMD_SUCCESS;
}

DEFUN(cfg_tp_point_code, cfg_tp_point_code_cmd,
      "point-code <0-16777215>",
      "Point code of the exchange (DPC of our messages)\n" "Point code as a decimal integer\n")
{
	struct iwf_ss7_peer *p = vty->index;
	uint32_t pc = (uint32_t)num_arg(argv[0]);

	if (ss7_move_check(vty, p, p->cs7_instance, pc) < 0)
		return CMD_WARNING;
	p->dpc = pc;
	p->dpc_set = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_tp_cic, cfg_tp_cic_cmd,
      "cic <0-4095> <0-4095>",
      "Add a range of circuits (CICs) of this trunk group\n" "First CIC\n" "Last CIC\n")
{
	struct iwf_ss7_peer *p = vty->index;
	uint16_t first = (uint16_t)num_arg(argv[0]), last = (uint16_t)num_arg(argv[1]);
	const struct iwf_ss7_peer *o;

	switch (iwf_ss7_peer_add_cic(g_iwf_cfg, p, first, last)) {
	case 0:
		if (p->trunk && vty_interactive(vty))
			vty_out(vty, "%% takes effect when stiwfd restarts%s", VTY_NEWLINE);
		return CMD_SUCCESS;
	case -ERANGE:
		vty_out(vty, "%% cic %u %u: the first CIC is above the last%s", first, last, VTY_NEWLINE);
		break;
	case -EEXIST:
		o = p->dpc_set ? iwf_ss7_peer_cic_conflict(g_iwf_cfg, NULL, p->cs7_instance, p->dpc, first, last)
			       : p;
		vty_out(vty, "%% cic %u %u overlaps a range of ss7-peer %s on the same cs7 instance and point-code%s",
			first, last, o ? o->name : p->name, VTY_NEWLINE);
		break;
	case -ENOSPC:
		vty_out(vty, "%% cic: at most %u ranges per ss7-peer%s", IWF_PEER_MAX_CIC_RANGES, VTY_NEWLINE);
		break;
	default:
		vty_out(vty, "%% cic %u %u refused%s", first, last, VTY_NEWLINE);
		break;
	}
	return CMD_WARNING;
}

DEFUN(cfg_tp_no_cic, cfg_tp_no_cic_cmd,
      "no cic <0-4095> <0-4095>",
      NO_STR "Remove a range of circuits, as configured\n" "First CIC\n" "Last CIC\n")
{
	struct iwf_ss7_peer *p = vty->index;

	if (iwf_ss7_peer_del_cic(p, (uint16_t)num_arg(argv[0]), (uint16_t)num_arg(argv[1])) < 0) {
		vty_out(vty, "%% no cic range %s %s on ss7-peer %s%s", argv[0], argv[1], p->name, VTY_NEWLINE);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

DEFUN(cfg_tp_max_msg_len, cfg_tp_max_msg_len_cmd,
      "max-message-length <64-4096>",
      "Longest ISUP message (SIF, routing label included) towards the exchange; longer IAMs are segmented\n"
      "Octets (default 272, the MTP2 limit; raise only for M3UA-only paths)\n")
{
	struct iwf_ss7_peer *p = vty->index;

	p->max_sif_len = (uint16_t)num_arg(argv[0]);
	return CMD_SUCCESS;
}

static int tp_overlap_set(struct vty *vty, bool overlap, unsigned int min, unsigned int max)
{
	struct iwf_ss7_peer *p = vty->index;

	if (min > max) {
		vty_out(vty, "%% min-digits %u is more than max-digits %u%s", min, max, VTY_NEWLINE);
		return CMD_WARNING;
	}
	p->overlap = overlap;
	p->overlap_min = (uint8_t)min;
	p->overlap_max = (uint8_t)max;
	/* a trunk in service takes it for its next incoming IAM */
	if (p->trunk)
		isup_trunk_set_overlap(p->trunk, overlap, min, max);
	return CMD_SUCCESS;
}

DEFUN(cfg_tp_overlap_enbloc, cfg_tp_overlap_enbloc_cmd,
      "overlap en-bloc",
      "Address signalling of incoming calls (Q.764 2.1.1.2)\n"
      "The IAM carries the whole called number; a SAM is discarded (default)\n")
{
	struct iwf_ss7_peer *p = vty->index;

	return tp_overlap_set(vty, false, p->overlap_min, p->overlap_max);
}

DEFUN(cfg_tp_overlap_collect, cfg_tp_overlap_collect_cmd,
      "overlap collect",
      "Address signalling of incoming calls (Q.764 2.1.1.2)\n"
      "Collect SAM digits until ST, 15 digits, or T35 with at least 7 digits (else REL 28)\n")
{
	return tp_overlap_set(vty, true, IWF_OVERLAP_MIN_DEFAULT, IWF_OVERLAP_MAX_DEFAULT);
}

DEFUN(cfg_tp_overlap_collect_n, cfg_tp_overlap_collect_n_cmd,
      "overlap collect min-digits <1-40> max-digits <1-40>",
      "Address signalling of incoming calls (Q.764 2.1.1.2)\n"
      "Collect SAM digits until ST, max-digits, or T35 with at least min-digits (else REL 28)\n"
      "Fewest digits a number may have when T35 expires\n" "Digits\n"
      "Digits that complete a number without ST\n" "Digits\n")
{
	return tp_overlap_set(vty, true, num_arg(argv[0]), num_arg(argv[1]));
}

/* 1..32 printable ASCII characters without space: the BIND TLV value */
static bool hop_bind_name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 1 || n > IWF_HOP_BIND_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < 0x21 || s[i] > 0x7e)
			return false;
	}
	return true;
}

DEFUN(cfg_tp_hop_bind, cfg_tp_hop_bind_cmd,
      "hop-bind (send|require) NETWORK",
      "Bind HOP tokens to the receiving network (ARCHITECTURE §2.2 BIND TLV)\n"
      "Name this exchange's network in the HOPs of our IAMs towards it\n"
      "Refuse HOPs in this exchange's IAMs unless bound to our network, named so\n"
      "Network name as both operators agree (operator code, point code): 1-32 characters\n")
{
	struct iwf_ss7_peer *p = vty->index;
	char *dst = argv[0][0] == 's' ? p->hop_bind_send : p->hop_bind_require;

	if (!hop_bind_name_ok(argv[1])) {
		vty_out(vty, "%% hop-bind: '%s' is not 1-%d printable characters without space%s", argv[1],
			IWF_HOP_BIND_MAX, VTY_NEWLINE);
		return CMD_WARNING;
	}
	osmo_strlcpy(dst, argv[1], IWF_HOP_BIND_MAX + 1);
	return CMD_SUCCESS;
}

DEFUN(cfg_tp_no_hop_bind, cfg_tp_no_hop_bind_cmd,
      "no hop-bind (send|require)",
      NO_STR "Bind HOP tokens to the receiving network\n" "Our HOPs name no network\n"
      "Accept HOPs bound to no network, or to any\n")
{
	struct iwf_ss7_peer *p = vty->index;

	if (argv[0][0] == 's')
		p->hop_bind_send[0] = '\0';
	else
		p->hop_bind_require[0] = '\0';
	return CMD_SUCCESS;
}

DEFUN(cfg_tp_sdp_template, cfg_tp_sdp_template_cmd,
      "sdp-template PATH",
      "SDP of the exchange's media gateway, offered and answered on the SIP side\n" PATH_STR)
{
	struct iwf_ss7_peer *p = vty->index;

	if (check_path_arg(vty, "sdp-template", argv[0]) < 0)
		return CMD_WARNING;
	osmo_talloc_replace_string(p, &p->sdp_template, argv[0]);
	return p->sdp_template ? CMD_SUCCESS : CMD_WARNING;
}

/* RFC 3398 §7.2.4.1 / §8.2.6.1 defaults, overridden per trunk */
DEFUN(cfg_tp_isup_to_sip_cause, cfg_tp_isup_to_sip_cause_cmd,
      "isup-to-sip-cause <1-127> <400-699>",
      "Map a Q.850 cause of a REL to a SIP final response (overrides RFC 3398 §8.2.6.1)\n"
      "Q.850 cause value\n" "SIP status code\n")
{
	struct iwf_ss7_peer *p = vty->index;
	int rc = iwf_cause_map_set_isup_to_sip(&p->causes, (int)num_arg(argv[0]), (int)num_arg(argv[1]));

	if (rc < 0) {
		vty_out(vty, "%% isup-to-sip-cause: %s%s", rc == -ENOSPC ? "too many overrides" : "bad value",
			VTY_NEWLINE);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

DEFUN(cfg_tp_sip_to_isup_cause, cfg_tp_sip_to_isup_cause_cmd,
      "sip-to-isup-cause <300-699> <1-127>",
      "Map a SIP final response to the Q.850 cause of a REL (overrides RFC 3398 §7.2.4.1)\n"
      "SIP status code\n" "Q.850 cause value\n")
{
	struct iwf_ss7_peer *p = vty->index;
	int rc = iwf_cause_map_set_sip_to_isup(&p->causes, (int)num_arg(argv[0]), (int)num_arg(argv[1]));

	if (rc < 0) {
		vty_out(vty, "%% sip-to-isup-cause: %s%s", rc == -ENOSPC ? "too many overrides" : "bad value",
			VTY_NEWLINE);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

DEFUN(cfg_tp_no_sdp_template, cfg_tp_no_sdp_template_cmd,
      "no sdp-template",
      NO_STR "SDP of the media gateway\n")
{
	struct iwf_ss7_peer *p = vty->index;

	clear_str(&p->sdp_template);
	return CMD_SUCCESS;
}

DEFUN(cfg_tp_sip_peer, cfg_tp_sip_peer_cmd,
      "sip-peer NAME",
      "SIP carrier that takes this exchange's calls when no route matches\n" PEER_NAME_STR)
{
	struct iwf_ss7_peer *p = vty->index;

	if (!iwf_peer_name_valid(argv[0])) {
		vty_out(vty, "%% sip-peer: bad name '%s'%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	/* the sip-peer may come later in the file: iwf_cfg_check() */
	if (vty_interactive(vty) && !iwf_sip_peer_find(argv[0]))
		vty_out(vty, "%% note: no sip-peer %s yet%s", argv[0], VTY_NEWLINE);
	OSMO_STRLCPY_ARRAY(p->sip_peer, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_tp_no_sip_peer, cfg_tp_no_sip_peer_cmd,
      "no sip-peer",
      NO_STR "No default SIP carrier (routes only)\n")
{
	struct iwf_ss7_peer *p = vty->index;

	p->sip_peer[0] = '\0';
	return CMD_SUCCESS;
}

/* Policy and number plan knobs of both kinds of peer */

static struct iwf_policy *vty_policy(const struct vty *vty)
{
	if (vty->node == STIWF_SIP_PEER_NODE)
		return &((struct iwf_sip_peer *)vty->index)->policy;
	return &((struct iwf_ss7_peer *)vty->index)->policy;
}

static struct iwf_number_plan *vty_plan(const struct vty *vty)
{
	if (vty->node == STIWF_SIP_PEER_NODE)
		return &((struct iwf_sip_peer *)vty->index)->plan;
	return &((struct iwf_ss7_peer *)vty->index)->plan;
}

DEFUN(cfg_pol_on_stir_failure, cfg_pol_on_stir_failure_cmd,
      "on-stir-failure (reject|continue)",
      "What to do with a call whose PASSporT does not verify (ARCHITECTURE §4)\n"
      "Refuse it (SIP 403/436/437/438, or REL)\n"
      "Carry the failure on (VERDICT failed; the default)\n")
{
	vty_policy(vty)->on_stir_failure = argv[0][0] == 'r' ? IWF_STIR_FAIL_REJECT : IWF_STIR_FAIL_CONTINUE;
	return CMD_SUCCESS;
}

DEFUN(cfg_pol_identity_required, cfg_pol_identity_required_cmd,
      "identity-required",
      "Answer 428 to an INVITE without Identity (ATIS-1000074 advises against it)\n")
{
	vty_policy(vty)->identity_required = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_pol_no_identity_required, cfg_pol_no_identity_required_cmd,
      "no identity-required",
      NO_STR "Carry calls without Identity on with VERDICT no-validation (the default)\n")
{
	vty_policy(vty)->identity_required = false;
	return CMD_SUCCESS;
}

DEFUN(cfg_pol_hop_required, cfg_pol_hop_required_cmd,
      "hop-required",
      "Release an IAM without a valid HOP signature\n")
{
	vty_policy(vty)->hop_required = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_pol_no_hop_required, cfg_pol_no_hop_required_cmd,
      "no hop-required",
      NO_STR "Sign such calls with attestation C instead (the default)\n")
{
	vty_policy(vty)->hop_required = false;
	return CMD_SUCCESS;
}

DEFUN(cfg_pol_prov_max_attest, cfg_pol_prov_max_attest_cmd,
      "provisional-max-attest ATTEST",
      "Highest attestation for a call whose HOP signer holds a provisional certificate\n"
      "B or C (the default)\n")
{
	/* "(B|C)" would not do: libosmovty takes capitalised words for variables */
	if (strcmp(argv[0], "B") && strcmp(argv[0], "C")) {
		vty_out(vty, "%% provisional-max-attest: %s is not B or C%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	if (iwf_policy_set_provisional_max_attest(vty_policy(vty), argv[0][0]) < 0)
		return CMD_WARNING;
	return CMD_SUCCESS;
}

DEFUN(cfg_pol_aci, cfg_pol_aci_cmd,
      "aci <64-127>",
      "Application Context Identifier of the token in the APP parameter (Q.763 §3.82)\n"
      "Non-standardised ACI (default 90)\n")
{
	if (iwf_policy_set_aci(vty_policy(vty), (int)num_arg(argv[0])) < 0) {
		vty_out(vty, "%% aci %s: not in 64..127%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

DEFUN(cfg_pol_release_cause, cfg_pol_release_cause_cmd,
      "release-cause <1-127>",
      "Q.850 cause of a released IAM\n" "Cause value (default 21, call rejected)\n")
{
	vty_policy(vty)->release_cause = (uint8_t)num_arg(argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_plan_cc, cfg_plan_cc_cmd,
      "country-code CC",
      "Country code of the peer's numbers (E.164 §6.2.1)\n" "1 to 3 digits\n")
{
	if (!digits_ok(argv[0], IWF_CC_MAX) || iwf_number_plan_set_cc(vty_plan(vty), argv[0]) < 0) {
		vty_out(vty, "%% country-code: %s is not 1 to %u digits%s", argv[0], IWF_CC_MAX, VTY_NEWLINE);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

DEFUN(cfg_plan_no_cc, cfg_plan_no_cc_cmd,
      "no country-code",
      NO_STR "No country code: only international numbers can be made E.164\n")
{
	vty_plan(vty)->cc[0] = '\0';
	return CMD_SUCCESS;
}

DEFUN(cfg_plan_format, cfg_plan_format_cmd,
      "number-format (international|national)",
      "Form of the numbers we send on ISUP\n"
      "Nature of address international, with the country code (the default)\n"
      "Nature of address national for numbers of the peer's country\n")
{
	vty_plan(vty)->format = argv[0][0] == 'i' ? IWF_NUMFMT_INTERNATIONAL : IWF_NUMFMT_NATIONAL;
	return CMD_SUCCESS;
}

DEFUN(cfg_plan_cc_without_plus, cfg_plan_cc_without_plus_cmd,
      "cc-without-plus",
      "A SIP number without '+' that starts with the country code is E.164 (the default)\n")
{
	vty_plan(vty)->cc_without_plus = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_plan_no_cc_without_plus, cfg_plan_no_cc_without_plus_cmd,
      "no cc-without-plus",
      NO_STR "A SIP number without '+' is a national significant number\n")
{
	vty_plan(vty)->cc_without_plus = false;
	return CMD_SUCCESS;
}

DEFUN(cfg_plan_from_as_calling, cfg_plan_from_as_calling_cmd,
      "from-as-calling",
      "Without P-Asserted-Identity, send the From number as Calling Party Number (not verified)\n")
{
	vty_plan(vty)->from_as_calling = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_plan_no_from_as_calling, cfg_plan_no_from_as_calling_cmd,
      "no from-as-calling",
      NO_STR "Without P-Asserted-Identity, send no Calling Party Number (the default)\n")
{
	vty_plan(vty)->from_as_calling = false;
	return CMD_SUCCESS;
}

static int set_digits(struct vty *vty, const char *what, char *dst, size_t max, const char *val)
{
	if (!digits_ok(val, max)) {
		vty_out(vty, "%% %s: %s is not 1 to %zu digits%s", what, val, max, VTY_NEWLINE);
		return CMD_WARNING;
	}
	memcpy(dst, val, strlen(val) + 1);
	return CMD_SUCCESS;
}

DEFUN(cfg_plan_trunk_prefix, cfg_plan_trunk_prefix_cmd,
      "trunk-prefix DIGITS",
      "National trunk prefix, stripped to make a national number\n" "1 to 4 digits, e.g. 0\n")
{
	return set_digits(vty, "trunk-prefix", vty_plan(vty)->trunk_prefix, IWF_PREFIX_MAX, argv[0]);
}

DEFUN(cfg_plan_no_trunk_prefix, cfg_plan_no_trunk_prefix_cmd,
      "no trunk-prefix",
      NO_STR "National trunk prefix\n")
{
	vty_plan(vty)->trunk_prefix[0] = '\0';
	return CMD_SUCCESS;
}

DEFUN(cfg_plan_intl_prefix, cfg_plan_intl_prefix_cmd,
      "international-prefix DIGITS",
      "International prefix, stripped to make an E.164 number\n" "1 to 4 digits, e.g. 00 or 011\n")
{
	return set_digits(vty, "international-prefix", vty_plan(vty)->intl_prefix, IWF_PREFIX_MAX, argv[0]);
}

DEFUN(cfg_plan_no_intl_prefix, cfg_plan_no_intl_prefix_cmd,
      "no international-prefix",
      NO_STR "International prefix\n")
{
	vty_plan(vty)->intl_prefix[0] = '\0';
	return CMD_SUCCESS;
}

DEFUN(cfg_plan_area_code, cfg_plan_area_code_cmd,
      "area-code DIGITS",
      "Area code that makes a subscriber number national\n" "1 to 8 digits\n")
{
	return set_digits(vty, "area-code", vty_plan(vty)->area_code, IWF_AREA_CODE_MAX, argv[0]);
}

DEFUN(cfg_plan_no_area_code, cfg_plan_no_area_code_cmd,
      "no area-code",
      NO_STR "Refuse subscriber numbers (the default)\n")
{
	vty_plan(vty)->area_code[0] = '\0';
	return CMD_SUCCESS;
}

DEFUN(cfg_plan_cpc, cfg_plan_cpc_cmd,
      "calling-party-category <0-255>",
      "Calling Party's Category we send (Q.763 §3.11)\n" "Value (default 10, ordinary subscriber)\n")
{
	vty_plan(vty)->cpc = (uint8_t)num_arg(argv[0]);
	return CMD_SUCCESS;
}

/* Runtime changes */

DEFUN(cfg_runtime_changes, cfg_runtime_changes_cmd,
      "runtime-iwf-changes (refuse|allow)",
      "Whether the VTY may change stir, tsca, sip-peer, ss7-peer and route while stiwfd runs\n"
      "Refuse them: the configuration file alone decides (the default)\n"
      "Allow them from an enabled VTY session\n")
{
	if (vty_interactive(vty)) {
		vty_out(vty, "%% runtime-iwf-changes is read from the configuration file only%s", VTY_NEWLINE);
		LOGP(DIWF, LOGL_NOTICE, "VTY: runtime change refused: runtime-iwf-changes\n");
		return CMD_WARNING;
	}
	g_iwf_cfg->runtime_changes = argv[0][0] == 'a';
	return CMD_SUCCESS;
}

/* Routes */

#define IWF_ROUTE_STR	"Route calls by called-number prefix (the longest prefix wins)\n" \
			"E.164 digits (up to 15), or 'default' for all numbers\n" \
			"SIP -> ISUP, towards an SS7 exchange\n" \
			"ISUP -> SIP, towards a SIP carrier\n"

DEFUN(cfg_route, cfg_route_cmd,
      "route PREFIX (ss7-peer|sip-peer) NAME",
      IWF_ROUTE_STR PEER_NAME_STR)
{
	enum iwf_route_dest dest = get_string_value(iwf_route_dest_names, argv[1]);

	if (runtime_change_refused(vty, "route"))
		return CMD_WARNING;

	if (!iwf_route_prefix_valid(argv[0])) {
		vty_out(vty, "%% route: prefix %s is not 0 to %u digits or 'default'%s", argv[0],
			IWF_ROUTE_PREFIX_MAX, VTY_NEWLINE);
		return CMD_WARNING;
	}
	if (!iwf_peer_name_valid(argv[2])) {
		vty_out(vty, "%% route: bad %s name '%s'%s", argv[1], argv[2], VTY_NEWLINE);
		return CMD_WARNING;
	}
	/* a peer may come later in the file: iwf_cfg_check() */
	if (vty_interactive(vty) && !(dest == IWF_ROUTE_SS7 ? (void *)iwf_ss7_peer_find(argv[2])
							    : (void *)iwf_sip_peer_find(argv[2])))
		vty_out(vty, "%% note: no %s %s yet%s", argv[1], argv[2], VTY_NEWLINE);
	if (iwf_route_set(g_iwf_cfg, argv[0], dest, argv[2]) < 0) {
		vty_out(vty, "%% route: out of memory%s", VTY_NEWLINE);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

DEFUN(cfg_no_route, cfg_no_route_cmd,
      "no route PREFIX (ss7-peer|sip-peer)",
      NO_STR IWF_ROUTE_STR)
{
	if (runtime_change_refused(vty, "no route"))
		return CMD_WARNING;
	if (iwf_route_del(g_iwf_cfg, argv[0], get_string_value(iwf_route_dest_names, argv[1])) < 0) {
		vty_out(vty, "%% no route %s %s%s", argv[0], argv[1], VTY_NEWLINE);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

/* ss7-peer: what its IAMs may make us fetch */

DEFUN(cfg_tp_repo_miss_limit, cfg_tp_repo_miss_limit_cmd,
      "repository-miss-limit <0-10000> burst <1-10000>",
      "Repository fetches this peer's IAMs may cause: key-ids neither in cert-dir nor in the cache\n"
      "Per second (default 5; 0: none)\n" "At once\n" "Fetches (default 20)\n")
{
	struct iwf_ss7_peer *p = vty->index;

	p->repo_miss_limit = true;
	p->repo_miss_rate = (unsigned int)num_arg(argv[0]);
	p->repo_miss_burst = (unsigned int)num_arg(argv[1]);
	token_bucket_init(&p->repo_bucket, p->repo_miss_rate, p->repo_miss_burst);
	return CMD_SUCCESS;
}

DEFUN(cfg_tp_no_repo_miss_limit, cfg_tp_no_repo_miss_limit_cmd,
      "no repository-miss-limit",
      NO_STR "Let this peer's IAMs cause repository fetches without limit (the fetch caps still hold)\n")
{
	((struct iwf_ss7_peer *)vty->index)->repo_miss_limit = false;
	return CMD_SUCCESS;
}

DEFUN(cfg_tp_repo_busy_cause, cfg_tp_repo_busy_cause_cmd,
      "repository-busy-cause <1-127>",
      "Q.850 cause of an IAM whose HOP signer could not be looked up now (repository-miss-limit, or the "
      "fetches in flight)\n"
      "Cause value (default 42, switching equipment congestion)\n")
{
	((struct iwf_ss7_peer *)vty->index)->policy.busy_cause = (uint8_t)num_arg(argv[0]);
	return CMD_SUCCESS;
}

/* show */

static void show_policy(struct vty *vty, const struct iwf_policy *pol, const struct iwf_number_plan *plan)
{
	vty_out(vty, "  country-code %s, number-format %s, on-stir-failure %s%s%s, aci %u, release-cause %u, provisional-max-attest %c%s",
		plan->cc[0] ? plan->cc : "-", get_value_string(iwf_number_format_names, plan->format),
		pol->on_stir_failure == IWF_STIR_FAIL_REJECT ? "reject" : "continue",
		pol->identity_required ? ", identity-required" : "", pol->hop_required ? ", hop-required" : "",
		pol->aci, pol->release_cause, pol->provisional_max_attest, VTY_NEWLINE);
}

static void vty_dump_peers(struct vty *vty)
{
	const struct iwf_sip_peer *sp;
	const struct iwf_ss7_peer *tp;
	unsigned int i;

	llist_for_each_entry(sp, &g_iwf_cfg->sip_peers, entry) {
		vty_out(vty, "sip-peer %s: remote %s %u %s%s", sp->name, sp->addr[0] ? sp->addr : "-", sp->port,
			get_value_string(iwf_sip_transport_names, sp->transport), VTY_NEWLINE);
		show_policy(vty, &sp->policy, &sp->plan);
		if (sp->keepalive_interval_s)
			vty_out(vty, "  keepalive every %u s, down after %u failures: %s%s", sp->keepalive_interval_s,
				sp->keepalive_failures, !sp->keepalive ? "not started" :
				get_value_string(sip_keepalive_state_names, sip_keepalive_state(sp->keepalive)),
				VTY_NEWLINE);
	}
	llist_for_each_entry(tp, &g_iwf_cfg->ss7_peers, entry) {
		vty_out(vty, "ss7-peer %s: cs7 instance %u point-code ", tp->name, tp->cs7_instance);
		if (tp->dpc_set)
			vty_out(vty, "%u", tp->dpc);
		else
			vty_out(vty, "-");
		vty_out(vty, ", cic");
		for (i = 0; i < tp->n_cic_ranges; i++)
			vty_out(vty, " %u-%u", tp->cic[i].first, tp->cic[i].last);
		if (!tp->n_cic_ranges)
			vty_out(vty, " -");
		vty_out(vty, ", max SIF %u, sip-peer %s, trunk %s%s", tp->max_sif_len,
			tp->sip_peer[0] ? tp->sip_peer : "-", tp->trunk ? "in service" : "not started",
			VTY_NEWLINE);
		if (tp->overlap)
			vty_out(vty, "  address signalling: overlap, %u to %u digits%s", tp->overlap_min,
				tp->overlap_max, VTY_NEWLINE);
		else
			vty_out(vty, "  address signalling: en bloc%s", VTY_NEWLINE);
		show_policy(vty, &tp->policy, &tp->plan);
		if (tp->hop_bind_send[0] || tp->hop_bind_require[0])
			vty_out(vty, "  hop-bind send %s, require %s%s", tp->hop_bind_send[0] ? tp->hop_bind_send : "-",
				tp->hop_bind_require[0] ? tp->hop_bind_require : "-", VTY_NEWLINE);
	}
}

static void vty_dump_routes(struct vty *vty)
{
	const struct iwf_route *r;

	vty_out(vty, "%-16s %-9s %s%s", "prefix", "towards", "peer", VTY_NEWLINE);
	llist_for_each_entry(r, &g_iwf_cfg->routes, entry) {
		bool known = r->dest == IWF_ROUTE_SS7 ? iwf_ss7_peer_find(r->peer) != NULL
						      : iwf_sip_peer_find(r->peer) != NULL;

		vty_out(vty, "%-16s %-9s %s%s%s%s", r->prefix[0] ? r->prefix : "default",
			get_value_string(iwf_route_dest_names, r->dest), r->peer, known ? "" : " (unknown)",
			iwf_route_peer_down(r) ? " (down)" : "", VTY_NEWLINE);
	}
}

DEFUN(show_peers, show_peers_cmd,
      "show peers",
      SHOW_STR "Configured SIP and SS7 peers of the IWF\n")
{
	vty_dump_peers(vty);
	return CMD_SUCCESS;
}

DEFUN(show_routes, show_routes_cmd,
      "show routes",
      SHOW_STR "Routes of the IWF by called-number prefix\n")
{
	vty_dump_routes(vty);
	return CMD_SUCCESS;
}

DEFUN(show_iwf, show_iwf_cmd,
      "show iwf (peers|routes)",
      SHOW_STR "Interworking function\n" "Configured SIP and SS7 peers\n" "Routes by called-number prefix\n")
{
	if (argv[0][0] == 'p')
		vty_dump_peers(vty);
	else
		vty_dump_routes(vty);
	return CMD_SUCCESS;
}

/* Config writers */

static void write_domain_common(struct vty *vty, const struct iwf_domain_cfg *d)
{
	unsigned int i;

	if (d->allow_http)
		vty_out(vty, " allow-http%s", VTY_NEWLINE);
	if (d->trust_dir)
		vty_out(vty, " trust-dir %s%s", d->trust_dir, VTY_NEWLINE);
	if (d->cert_dir)
		vty_out(vty, " cert-dir %s%s", d->cert_dir, VTY_NEWLINE);
	for (i = 0; i < d->n_crl_files; i++)
		vty_out(vty, " crl-file %s%s", d->crl_files[i], VTY_NEWLINE);
	if (d->crl_required)
		vty_out(vty, " crl-required%s", VTY_NEWLINE);
	if (d->crl_fetch)
		vty_out(vty, " crl-fetch%s", VTY_NEWLINE);
	if (d->crl_refresh_s != IWF_CRL_REFRESH_DEFAULT)
		vty_out(vty, " crl-refresh %u%s", d->crl_refresh_s, VTY_NEWLINE);
}

/* ports, ACL and caps of the domain's fetches, with the node's prefix */
static void write_fetch(struct vty *vty, const struct iwf_domain_cfg *d, const char *pfx)
{
	unsigned int i;

	for (i = 0; i < d->n_fetch_ports; i++)
		vty_out(vty, " %s-port %u%s", pfx, d->fetch_ports[i], VTY_NEWLINE);
	for (i = 0; i < d->n_acl; i++)
		vty_out(vty, " %s-acl %s%s", pfx, d->acl[i], VTY_NEWLINE);
	if (d->max_in_flight != IWF_IN_FLIGHT_DEFAULT || d->max_in_flight_per_host != IWF_IN_FLIGHT_PER_HOST_DEFAULT)
		vty_out(vty, " %s-in-flight %u per-host %u%s", pfx, d->max_in_flight, d->max_in_flight_per_host,
			VTY_NEWLINE);
}

static void write_credential(struct vty *vty, const struct iwf_credential_cfg *c)
{
	if (!c->key_path)
		return;
	vty_out(vty, " credential key %s", c->key_path);
	if (c->chain_path) {
		vty_out(vty, " chain %s", c->chain_path);
		if (c->x5u)
			vty_out(vty, " x5u %s", c->x5u);
	}
	vty_out(vty, "%s", VTY_NEWLINE);
}

static int config_write_stir(struct vty *vty)
{
	const struct iwf_domain_cfg *d = &g_iwf_cfg->stir;

	vty_out(vty, "stir%s", VTY_NEWLINE);
	write_domain_common(vty, d);
	if (d->fetch_ca_file)
		vty_out(vty, " x5u-ca-file %s%s", d->fetch_ca_file, VTY_NEWLINE);
	vty_out(vty, " x5u-timeout %u%s", d->fetch_timeout_ms, VTY_NEWLINE);
	write_fetch(vty, d, "x5u");
	vty_out(vty, " max-age %u%s", g_iwf_cfg->stir_max_age, VTY_NEWLINE);
	write_credential(vty, &d->credential);
	vty_out(vty, " origid %s%s", g_iwf_cfg->origid_random ? "random" : g_iwf_cfg->origid, VTY_NEWLINE);
	return CMD_SUCCESS;
}

static int config_write_tsca(struct vty *vty)
{
	const struct iwf_domain_cfg *d = &g_iwf_cfg->tsca;

	vty_out(vty, "tsca%s", VTY_NEWLINE);
	write_domain_common(vty, d);
	if (d->repository)
		vty_out(vty, " repository %s%s", d->repository, VTY_NEWLINE);
	if (d->fetch_ca_file)
		vty_out(vty, " repository-ca-file %s%s", d->fetch_ca_file, VTY_NEWLINE);
	if (d->fetch_timeout_ms != IWF_FETCH_TIMEOUT_DEFAULT)
		vty_out(vty, " repository-timeout %u%s", d->fetch_timeout_ms, VTY_NEWLINE);
	write_fetch(vty, d, "repository");
	if (g_iwf_cfg->hop_window != IWF_WINDOW_DEFAULT)
		vty_out(vty, " hop-window %u%s", g_iwf_cfg->hop_window, VTY_NEWLINE);
	if (g_iwf_cfg->hop_skew)
		vty_out(vty, " hop-skew %u%s", g_iwf_cfg->hop_skew, VTY_NEWLINE);
	if (!g_iwf_cfg->hop_startup_quiet)
		vty_out(vty, " hop-startup-quiet off%s", VTY_NEWLINE);
	if (g_iwf_cfg->replay_store_addr[0])
		vty_out(vty, strchr(g_iwf_cfg->replay_store_addr, ':') ? " replay-store redis [%s]:%u%s" :
			" replay-store redis %s:%u%s", g_iwf_cfg->replay_store_addr, g_iwf_cfg->replay_store_port,
			VTY_NEWLINE);
	if (g_iwf_cfg->replay_store_fail_local)
		vty_out(vty, " replay-store on-failure local%s", VTY_NEWLINE);
	if (g_iwf_cfg->replay_store_timeout_ms != IWF_REPLAY_STORE_TIMEOUT_DEFAULT)
		vty_out(vty, " replay-store timeout %u%s", g_iwf_cfg->replay_store_timeout_ms, VTY_NEWLINE);
	if (g_iwf_cfg->tsca_full_oid)
		vty_out(vty, " policy-oid full %s%s", g_iwf_cfg->tsca_full_oid, VTY_NEWLINE);
	if (g_iwf_cfg->tsca_provisional_oid)
		vty_out(vty, " policy-oid provisional %s%s", g_iwf_cfg->tsca_provisional_oid, VTY_NEWLINE);
	if (g_iwf_cfg->tsca_max_days_prov != TSCA_DEFAULT_MAX_DAYS_PROV)
		vty_out(vty, " max-validity provisional %u%s", g_iwf_cfg->tsca_max_days_prov, VTY_NEWLINE);
	if (g_iwf_cfg->tsca_max_days_full != TSCA_DEFAULT_MAX_DAYS_FULL)
		vty_out(vty, " max-validity full %u%s", g_iwf_cfg->tsca_max_days_full, VTY_NEWLINE);
	write_credential(vty, &d->credential);
	if (g_iwf_cfg->map_file)
		vty_out(vty, " map-file %s%s", g_iwf_cfg->map_file, VTY_NEWLINE);
	return CMD_SUCCESS;
}

/* Number plan knobs that are not at their default (country-code and
 * number-format are written by the callers) */
static void write_plan_extras(struct vty *vty, const struct iwf_number_plan *plan)
{
	if (!plan->cc_without_plus)
		vty_out(vty, " no cc-without-plus%s", VTY_NEWLINE);
	if (plan->from_as_calling)
		vty_out(vty, " from-as-calling%s", VTY_NEWLINE);
	if (plan->trunk_prefix[0])
		vty_out(vty, " trunk-prefix %s%s", plan->trunk_prefix, VTY_NEWLINE);
	if (plan->intl_prefix[0])
		vty_out(vty, " international-prefix %s%s", plan->intl_prefix, VTY_NEWLINE);
	if (plan->area_code[0])
		vty_out(vty, " area-code %s%s", plan->area_code, VTY_NEWLINE);
	if (plan->cpc != IWF_CPC_ORDINARY)
		vty_out(vty, " calling-party-category %u%s", plan->cpc, VTY_NEWLINE);
}

static int config_write_sip_peers(struct vty *vty)
{
	const struct iwf_sip_peer *p;

	llist_for_each_entry(p, &g_iwf_cfg->sip_peers, entry) {
		vty_out(vty, "sip-peer %s%s", p->name, VTY_NEWLINE);
		if (p->addr[0])
			vty_out(vty, " remote %s %u%s", p->addr, p->port, VTY_NEWLINE);
		if (p->via_proxy_addr[0])
			vty_out(vty, " via-proxy %s header %s %s%s", p->via_proxy_addr, p->via_header, p->via_value,
				VTY_NEWLINE);
		vty_out(vty, " transport %s%s", get_value_string(iwf_sip_transport_names, p->transport),
			VTY_NEWLINE);
		if (p->tls_subject[0])
			vty_out(vty, " tls-subject %s%s", p->tls_subject, VTY_NEWLINE);
		if (p->keepalive_interval_s)
			vty_out(vty, " keepalive interval %u%s", p->keepalive_interval_s, VTY_NEWLINE);
		if (p->keepalive_failures != IWF_KEEPALIVE_FAILURES_DEFAULT)
			vty_out(vty, " keepalive failures %u%s", p->keepalive_failures, VTY_NEWLINE);
		if (p->tls_pinned)
			vty_out(vty, " tls-fingerprint sha256 %s%s",
				osmo_hexdump_nospc(p->tls_sha256, sizeof(p->tls_sha256)), VTY_NEWLINE);
		vty_out(vty, " on-stir-failure %s%s",
			p->policy.on_stir_failure == IWF_STIR_FAIL_REJECT ? "reject" : "continue", VTY_NEWLINE);
		if (p->policy.identity_required)
			vty_out(vty, " identity-required%s", VTY_NEWLINE);
		if (p->plan.cc[0])
			vty_out(vty, " country-code %s%s", p->plan.cc, VTY_NEWLINE);
		/* the SS7 knobs, in case the call FSM reads them from here */
		if (p->plan.format != IWF_NUMFMT_INTERNATIONAL)
			vty_out(vty, " number-format %s%s",
				get_value_string(iwf_number_format_names, p->plan.format), VTY_NEWLINE);
		write_plan_extras(vty, &p->plan);
		if (p->policy.aci != IWF_POLICY_ACI_DEFAULT)
			vty_out(vty, " aci %u%s", p->policy.aci, VTY_NEWLINE);
		if (p->policy.hop_required)
			vty_out(vty, " hop-required%s", VTY_NEWLINE);
		if (p->policy.provisional_max_attest != 'C')
			vty_out(vty, " provisional-max-attest %c%s", p->policy.provisional_max_attest, VTY_NEWLINE);
		if (p->policy.release_cause != 21)
			vty_out(vty, " release-cause %u%s", p->policy.release_cause, VTY_NEWLINE);
	}
	return CMD_SUCCESS;
}

static int config_write_ss7_peers(struct vty *vty)
{
	const struct iwf_ss7_peer *p;
	unsigned int i;

	llist_for_each_entry(p, &g_iwf_cfg->ss7_peers, entry) {
		vty_out(vty, "ss7-peer %s%s", p->name, VTY_NEWLINE);
		vty_out(vty, " cs7-instance %u%s", p->cs7_instance, VTY_NEWLINE);
		if (p->dpc_set)
			vty_out(vty, " point-code %u%s", p->dpc, VTY_NEWLINE);
		for (i = 0; i < p->n_cic_ranges; i++)
			vty_out(vty, " cic %u %u%s", p->cic[i].first, p->cic[i].last, VTY_NEWLINE);
		vty_out(vty, " max-message-length %u%s", p->max_sif_len, VTY_NEWLINE);
		if (p->overlap)
			vty_out(vty, " overlap collect min-digits %u max-digits %u%s", p->overlap_min,
				p->overlap_max, VTY_NEWLINE);
		else
			vty_out(vty, " overlap en-bloc%s", VTY_NEWLINE);
		if (p->plan.cc[0])
			vty_out(vty, " country-code %s%s", p->plan.cc, VTY_NEWLINE);
		vty_out(vty, " number-format %s%s", get_value_string(iwf_number_format_names, p->plan.format),
			VTY_NEWLINE);
		write_plan_extras(vty, &p->plan);
		vty_out(vty, " aci %u%s", p->policy.aci, VTY_NEWLINE);
		if (p->policy.on_stir_failure == IWF_STIR_FAIL_REJECT)
			vty_out(vty, " on-stir-failure reject%s", VTY_NEWLINE);
		if (p->policy.identity_required)
			vty_out(vty, " identity-required%s", VTY_NEWLINE);
		if (p->policy.hop_required)
			vty_out(vty, " hop-required%s", VTY_NEWLINE);
		vty_out(vty, " provisional-max-attest %c%s", p->policy.provisional_max_attest, VTY_NEWLINE);
		vty_out(vty, " release-cause %u%s", p->policy.release_cause, VTY_NEWLINE);
		if (p->hop_bind_send[0])
			vty_out(vty, " hop-bind send %s%s", p->hop_bind_send, VTY_NEWLINE);
		if (p->hop_bind_require[0])
			vty_out(vty, " hop-bind require %s%s", p->hop_bind_require, VTY_NEWLINE);
		if (!p->repo_miss_limit)
			vty_out(vty, " no repository-miss-limit%s", VTY_NEWLINE);
		else if (p->repo_miss_rate != IWF_REPO_MISS_RATE_DEFAULT || p->repo_miss_burst != IWF_REPO_MISS_BURST_DEFAULT)
			vty_out(vty, " repository-miss-limit %u burst %u%s", p->repo_miss_rate, p->repo_miss_burst,
				VTY_NEWLINE);
		if (p->policy.busy_cause != IWF_CAUSE_SWITCH_CONGESTION)
			vty_out(vty, " repository-busy-cause %u%s", p->policy.busy_cause, VTY_NEWLINE);
		if (p->sdp_template)
			vty_out(vty, " sdp-template %s%s", p->sdp_template, VTY_NEWLINE);
		if (p->sip_peer[0])
			vty_out(vty, " sip-peer %s%s", p->sip_peer, VTY_NEWLINE);
		for (i = 0; i < p->causes.n_isup_to_sip; i++)
			vty_out(vty, " isup-to-sip-cause %u %u%s", p->causes.isup_to_sip[i].cause,
				p->causes.isup_to_sip[i].sip, VTY_NEWLINE);
		for (i = 0; i < p->causes.n_sip_to_isup; i++)
			vty_out(vty, " sip-to-isup-cause %u %u%s", p->causes.sip_to_isup[i].sip,
				p->causes.sip_to_isup[i].cause, VTY_NEWLINE);
	}
	return CMD_SUCCESS;
}

static int config_write_routes(struct vty *vty)
{
	const struct iwf_route *r;

	if (g_iwf_cfg->runtime_changes)
		vty_out(vty, "runtime-iwf-changes allow%s", VTY_NEWLINE);
	llist_for_each_entry(r, &g_iwf_cfg->routes, entry)
		vty_out(vty, "route %s %s %s%s", r->prefix[0] ? r->prefix : "default",
			get_value_string(iwf_route_dest_names, r->dest), r->peer, VTY_NEWLINE);
	return CMD_SUCCESS;
}

/* Installation */

static void install_domain_common(int node)
{
	install_element(node, &cfg_dom_trust_dir_cmd);
	install_element(node, &cfg_dom_no_trust_dir_cmd);
	install_element(node, &cfg_dom_crl_file_cmd);
	install_element(node, &cfg_dom_no_crl_file_cmd);
	install_element(node, &cfg_dom_allow_http_cmd);
	install_element(node, &cfg_dom_no_allow_http_cmd);
	install_element(node, &cfg_dom_credential_cmd);
	install_element(node, &cfg_dom_credential_chain_cmd);
	install_element(node, &cfg_dom_no_credential_cmd);
	install_element(node, &cfg_dom_crl_required_cmd);
	install_element(node, &cfg_dom_no_crl_required_cmd);
	install_element(node, &cfg_dom_crl_fetch_cmd);
	install_element(node, &cfg_dom_no_crl_fetch_cmd);
	install_element(node, &cfg_dom_crl_refresh_cmd);
}

static void install_peer_knobs(int node)
{
	install_element(node, &cfg_pol_on_stir_failure_cmd);
	install_element(node, &cfg_pol_identity_required_cmd);
	install_element(node, &cfg_pol_no_identity_required_cmd);
	install_element(node, &cfg_pol_hop_required_cmd);
	install_element(node, &cfg_pol_no_hop_required_cmd);
	install_element(node, &cfg_pol_prov_max_attest_cmd);
	install_element(node, &cfg_pol_aci_cmd);
	install_element(node, &cfg_pol_release_cause_cmd);
	install_element(node, &cfg_plan_cc_cmd);
	install_element(node, &cfg_plan_no_cc_cmd);
	install_element(node, &cfg_plan_format_cmd);
	install_element(node, &cfg_plan_cc_without_plus_cmd);
	install_element(node, &cfg_plan_no_cc_without_plus_cmd);
	install_element(node, &cfg_plan_from_as_calling_cmd);
	install_element(node, &cfg_plan_no_from_as_calling_cmd);
	install_element(node, &cfg_plan_trunk_prefix_cmd);
	install_element(node, &cfg_plan_no_trunk_prefix_cmd);
	install_element(node, &cfg_plan_intl_prefix_cmd);
	install_element(node, &cfg_plan_no_intl_prefix_cmd);
	install_element(node, &cfg_plan_area_code_cmd);
	install_element(node, &cfg_plan_no_area_code_cmd);
	install_element(node, &cfg_plan_cpc_cmd);
}

void iwf_peer_vty_init(void *ctx)
{
	g_iwf_cfg = iwf_cfg_alloc(ctx);
	OSMO_ASSERT(g_iwf_cfg);
	iwf_map_peer_vty_init(ctx);

	install_element(CONFIG_NODE, &cfg_stir_cmd);
	install_node(&stir_node, config_write_stir);
	install_domain_common(STIWF_STIR_NODE);
	install_element(STIWF_STIR_NODE, &cfg_stir_credential_x5u_cmd);
	install_element(STIWF_STIR_NODE, &cfg_stir_fetch_ca_cmd);
	install_element(STIWF_STIR_NODE, &cfg_stir_no_fetch_ca_cmd);
	install_element(STIWF_STIR_NODE, &cfg_stir_fetch_timeout_cmd);
	install_element(STIWF_STIR_NODE, &cfg_stir_fetch_port_cmd);
	install_element(STIWF_STIR_NODE, &cfg_stir_no_fetch_port_cmd);
	install_element(STIWF_STIR_NODE, &cfg_stir_fetch_acl_cmd);
	install_element(STIWF_STIR_NODE, &cfg_stir_no_fetch_acl_cmd);
	install_element(STIWF_STIR_NODE, &cfg_stir_in_flight_cmd);
	install_element(STIWF_STIR_NODE, &cfg_stir_max_age_cmd);
	install_element(STIWF_STIR_NODE, &cfg_stir_origid_cmd);

	install_element(CONFIG_NODE, &cfg_tsca_cmd);
	install_node(&tsca_node, config_write_tsca);
	install_domain_common(STIWF_TSCA_NODE);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_cert_dir_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_no_cert_dir_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_repository_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_no_repository_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_fetch_ca_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_no_fetch_ca_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_fetch_timeout_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_fetch_port_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_no_fetch_port_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_fetch_acl_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_no_fetch_acl_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_in_flight_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_policy_oid_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_no_policy_oid_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_map_file_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_no_map_file_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_hop_window_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_hop_startup_quiet_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_hop_skew_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_max_validity_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_replay_store_redis_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_replay_store_local_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_replay_store_on_failure_cmd);
	install_element(STIWF_TSCA_NODE, &cfg_tsca_replay_store_timeout_cmd);

	install_element(CONFIG_NODE, &cfg_sip_peer_cmd);
	install_element(CONFIG_NODE, &cfg_no_sip_peer_cmd);
	install_node(&sip_peer_node, config_write_sip_peers);
	install_element(STIWF_SIP_PEER_NODE, &cfg_sp_remote_cmd);
	install_element(STIWF_SIP_PEER_NODE, &cfg_sp_transport_cmd);
	install_element(STIWF_SIP_PEER_NODE, &cfg_sp_via_proxy_cmd);
	install_element(STIWF_SIP_PEER_NODE, &cfg_sp_no_via_proxy_cmd);
	install_element(STIWF_SIP_PEER_NODE, &cfg_sp_keepalive_interval_cmd);
	install_element(STIWF_SIP_PEER_NODE, &cfg_sp_no_keepalive_interval_cmd);
	install_element(STIWF_SIP_PEER_NODE, &cfg_sp_keepalive_failures_cmd);
	install_element(STIWF_SIP_PEER_NODE, &cfg_sp_tls_subject_cmd);
	install_element(STIWF_SIP_PEER_NODE, &cfg_sp_tls_fingerprint_cmd);
	install_element(STIWF_SIP_PEER_NODE, &cfg_sp_no_tls_fingerprint_cmd);
	install_peer_knobs(STIWF_SIP_PEER_NODE);

	install_element(CONFIG_NODE, &cfg_ss7_peer_cmd);
	install_element(CONFIG_NODE, &cfg_no_ss7_peer_cmd);
	install_node(&ss7_peer_node, config_write_ss7_peers);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_cs7_instance_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_hop_bind_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_no_hop_bind_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_point_code_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_cic_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_isup_to_sip_cause_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_sip_to_isup_cause_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_no_cic_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_max_msg_len_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_overlap_enbloc_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_overlap_collect_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_overlap_collect_n_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_sdp_template_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_no_sdp_template_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_sip_peer_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_no_sip_peer_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_repo_miss_limit_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_no_repo_miss_limit_cmd);
	install_element(STIWF_SS7_PEER_NODE, &cfg_tp_repo_busy_cause_cmd);
	install_peer_knobs(STIWF_SS7_PEER_NODE);

	install_element(CONFIG_NODE, &cfg_route_cmd);
	install_element(CONFIG_NODE, &cfg_no_route_cmd);
	install_element(CONFIG_NODE, &cfg_runtime_changes_cmd);
	install_node(&route_node, config_write_routes);

	install_element_ve(&show_peers_cmd);
	install_element_ve(&show_routes_cmd);
	install_element_ve(&show_iwf_cmd);
}
