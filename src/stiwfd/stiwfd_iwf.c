/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stiwfd's live IWF objects (see stiwfd_iwf.h). */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "certs/cache.h"
#include "certs/credential.h"
#include "certs/fetch.h"
#include "certs/map.h"
#include "certs/resolve.h"
#include "certs/truststore.h"
#include "certs/tsca.h"
#include "iwf/call.h"
#include "iwf/map_peer.h"
#include "iwf/peer.h"
#include "sip/sip_agent.h"
#include "sip/sip_call.h"
#include "sip/sip_tls.h"
#include "sip/stir_as.h"
#include "sip/stir_vs.h"
#include "src/core/logging.h"
#include "src/stiwfd/map_relay.h"
#include "src/core/replay_store.h"
#include "src/stiwfd/stiwfd_iwf.h"
#include "src/core/workq.h"
#include "ss7/isup_trunk.h"
#include "ss7/mtp_user.h"
#include "ss7/sccp_route.h"
#include "ss7/sccp_user.h"
#include "ss7/sigtoken.h"

/* HOP signatures remembered for replay detection at once (fail closed
 * beyond, ss7/sigtoken.h): about 1k calls/s over a 60 s window. */
#define REPLAY_MAX_ENTRIES	65536
/* Largest SDP template file */
#define SDP_FILE_MAX		4096
/* cs7 instances (libosmo-sigtran "cs7 instance <0-15>") */
#define MAX_CS7			16
/* Retry-After of a 503 to OPTIONS while not ready: the prober's own
 * interval decides, this only says "soon" */
#define STIWFD_RETRY_AFTER_S	5
/* How often the CRLs due for a refresh are looked for (truststore.h) */
#define CRL_TICK_S		60

struct stiwfd_iwf {
	void *ctx;
	struct stiwf_workq *wq;
	struct iwf_call_env env;
	bool calls_up;
	struct stiwf_mtp_user *mtp[MAX_CS7];
	struct sccp_user *sccp;
	struct map_relay *relay;
	struct sigtoken_key *map_key;	/* our TSCA key, for the MAP border's signatures */
	/* what the CRL refresh works on (NULL when the domain has none) */
	struct truststore *ts[2];
	struct cert_domain *dom[2];
	struct osmo_timer_list crl_timer;
};

/* ---- certs/ ---- */

/* The fetch policy of a domain: its ports, its address ACL (loopback and
 * private space refused unless permitted), its caps, and its own
 * configured URL (our x5u, the repository template) allowed on its port
 * for that URL alone. */
static struct fetcher *fetcher_for(void *ctx, const char *name, const struct iwf_domain_cfg *dc,
				   const char *url)
{
	struct fetch_policy pol;
	unsigned int i;

	fetch_policy_init(&pol);
	pol.allow_http = dc->allow_http;
	pol.ca_file = dc->fetch_ca_file;
	if (dc->fetch_timeout_ms)
		pol.timeout_ms = dc->fetch_timeout_ms;
	for (i = 0; i < dc->n_fetch_ports && pol.num_ports < FETCH_MAX_PORTS; i++)
		pol.ports[pol.num_ports++] = dc->fetch_ports[i];
	for (i = 0; i < dc->n_acl && i < FETCH_MAX_ACL; i++) {
		/* written by fetch_acl_rule_format(): "permit 10.0.0.0/8" */
		const char *sp = strchr(dc->acl[i], ' ');
		size_t n = sp ? (size_t)(sp - dc->acl[i]) : 0;
		char action[8];

		if (n)
			snprintf(action, sizeof(action), "%.*s", (int)n, dc->acl[i]);
		if (!n || n >= sizeof(action) || fetch_acl_rule_parse(&pol.acl[pol.num_acl], action, sp + 1) < 0) {
			LOGP(DMAIN, LOGL_ERROR, "%s: acl line '%s' cannot be used\n", name, dc->acl[i]);
			return NULL;
		}
		pol.num_acl++;
	}
	if (dc->max_in_flight)
		pol.max_in_flight = dc->max_in_flight;
	if (dc->max_in_flight_per_host)
		pol.max_in_flight_per_host = dc->max_in_flight_per_host;
	if (url)
		pol.own_urls[pol.num_own_urls++] = url;
	return fetcher_alloc(ctx, name, &pol);
}

static struct truststore *trust_for(void *ctx, const char *name, const struct iwf_domain_cfg *dc)
{
	struct truststore_cfg cfg;
	struct truststore *ts;
	unsigned int i;
	int rc;

	truststore_cfg_init(&cfg);
	cfg.crl_required = dc->crl_required;
	if (dc->crl_refresh_s)
		cfg.crl_refresh_s = dc->crl_refresh_s;
	ts = truststore_alloc(ctx, name, &cfg);
	if (!ts)
		return NULL;
	rc = truststore_load_dir(ts, dc->trust_dir);
	if (rc <= 0) {
		LOGP(DMAIN, LOGL_ERROR, "%s trust-dir %s: no trust anchor there\n", name, dc->trust_dir);
		return NULL;
	}
	for (i = 0; i < dc->n_crl_files; i++) {
		/* read again before its nextUpdate (stiwfd_certs_refresh()) */
		rc = truststore_crl_file_add(ts, dc->crl_files[i], time(NULL));
		if (rc < 0) {
			LOGP(DMAIN, LOGL_ERROR, "%s crl-file %s: %s\n", name, dc->crl_files[i], strerror(-rc));
			return NULL;
		}
	}
	return ts;
}

static int shaken_setup(struct stiwfd_iwf *d)
{
	const struct iwf_domain_cfg *dc = &g_iwf_cfg->stir;
	struct cert_domain_cfg dcfg = { .name = "shaken", .shaken_profile = true, .fetch_crls = dc->crl_fetch };
	struct stir_as_cfg acfg = { .attest = 'C' };
	struct cert_cache *cache;
	struct cert_domain *dom;
	struct truststore *ts;
	struct fetcher *f;
	int rc;

	if (dc->trust_dir) {
		ts = trust_for(d->ctx, "shaken", dc);
		cache = cert_cache_alloc(d->ctx, NULL);
		f = fetcher_for(d->ctx, "x5u", dc, dc->credential.x5u);
		dom = (ts && cache && f) ? cert_domain_alloc(d->ctx, &dcfg, f, cache, ts) : NULL;
		d->env.vs = dom ? stir_vs_alloc(d->ctx, dom, d->wq) : NULL;
		d->ts[0] = ts;
		d->dom[0] = dom;
		if (!d->env.vs) {
			LOGP(DMAIN, LOGL_ERROR, "stir: cannot set up the STI-VS\n");
			return -EINVAL;
		}
	} else {
		LOGP(DMAIN, LOGL_NOTICE, "stir: no trust-dir: Identity headers cannot be verified (436)\n");
	}
	if (dc->credential.key_path) {
		acfg.origid = g_iwf_cfg->origid_random || !g_iwf_cfg->origid[0] ? NULL : g_iwf_cfg->origid;
		rc = stir_as_load(d->ctx, &d->env.as, dc->credential.key_path, dc->credential.chain_path,
				  dc->credential.x5u, &acfg, d->wq);
		if (rc < 0) {
			LOGP(DMAIN, LOGL_ERROR, "stir: credential %s: %s\n", dc->credential.key_path, strerror(-rc));
			return rc;
		}
	} else {
		LOGP(DMAIN, LOGL_NOTICE, "stir: no credential: calls from ISUP get no new PASSporT\n");
	}
	return 0;
}

static struct sigtoken_key *tsca_key_alloc(void *ctx, X509 *leaf)
{
	return sigtoken_key_alloc_x509(ctx, leaf);
}

static int tsca_setup(struct stiwfd_iwf *d)
{
	const struct iwf_domain_cfg *dc = &g_iwf_cfg->tsca;
	struct cert_domain_cfg dcfg = {
		.name = "tsca", .repo_url_template = dc->repository, .fetch_crls = dc->crl_fetch,
	};
	struct cert_domain *dom = NULL;
	struct cert_cache *cache;
	struct truststore *ts;
	struct tsca_cfg tcfg;
	struct fetcher *f;
	int rc;

	if (dc->trust_dir) {
		ts = trust_for(d->ctx, "tsca", dc);
		if (!ts)
			return -EINVAL;
		if (dc->repository) {
			cache = cert_cache_alloc(d->ctx, NULL);
			f = fetcher_for(d->ctx, "tsca", dc, dc->repository);
			dom = (cache && f) ? cert_domain_alloc(d->ctx, &dcfg, f, cache, ts) : NULL;
			if (!dom) {
				LOGP(DMAIN, LOGL_ERROR, "tsca: repository %s cannot be used\n", dc->repository);
				return -EINVAL;
			}
		}
		tsca_cfg_init(&tcfg);
		tcfg.cert_dir = dc->cert_dir;
		tcfg.key_alloc = tsca_key_alloc;
		tcfg.max_days_prov = g_iwf_cfg->tsca_max_days_prov;
		tcfg.max_days_full = g_iwf_cfg->tsca_max_days_full;
		if (g_iwf_cfg->tsca_full_oid) {
			tcfg.full_oids[0] = g_iwf_cfg->tsca_full_oid;
			tcfg.num_full_oids = 1;
		}
		if (g_iwf_cfg->tsca_provisional_oid) {
			tcfg.prov_oids[0] = g_iwf_cfg->tsca_provisional_oid;
			tcfg.num_prov_oids = 1;
		}
		d->env.tsca = tsca_dir_alloc(d->ctx, &tcfg, ts, dom);
		if (!d->env.tsca)
			return -EINVAL;
		d->ts[1] = ts;
		d->dom[1] = dom;
		d->env.replay = sigtoken_replay_alloc(d->ctx, g_iwf_cfg->hop_window ? g_iwf_cfg->hop_window :
						      SIGTOKEN_WINDOW_DEFAULT, g_iwf_cfg->hop_skew,
						      REPLAY_MAX_ENTRIES);
		if (!d->env.replay)
			return -ENOMEM;
		if (g_iwf_cfg->replay_store_addr[0]) {
			/* the store knows what was seen before this start:
			 * no startup quiet (docs/SCALING.md) */
			struct replay_store_cfg scfg = {
				.addr = g_iwf_cfg->replay_store_addr,
				.port = g_iwf_cfg->replay_store_port,
				.timeout_ms = g_iwf_cfg->replay_store_timeout_ms,
			};

			d->env.store = replay_store_alloc(d->ctx, &scfg);
			if (!d->env.store)
				return -EINVAL;
			d->env.store_fail_local = g_iwf_cfg->replay_store_fail_local;
			sigtoken_replay_set_shared(d->env.replay, true);
			LOGP(DMAIN, LOGL_NOTICE, "tsca: HOP replay store %s shared (on failure: %s, timeout %u ms)\n",
			     replay_store_name(d->env.store), d->env.store_fail_local ? "local" : "reject",
			     g_iwf_cfg->replay_store_timeout_ms);
		} else if (g_iwf_cfg->hop_startup_quiet) {
			/* the cache starts empty: without a shared replay store
			 * the HOPs seen before this start are unknown
			 * (sigtoken_replay_set_quiet()) */
			sigtoken_replay_set_quiet(d->env.replay, time(NULL));
			LOGP(DMAIN, LOGL_NOTICE, "tsca: HOPs signed before this start are refused for one replay "
			     "window (hop-startup-quiet)\n");
		}
	} else {
		LOGP(DMAIN, LOGL_NOTICE, "tsca: no trust-dir: HOP signatures cannot be verified\n");
	}
	if (dc->credential.key_path) {
		/* credential_load() refuses a key file open to group or others */
		rc = credential_load(d->ctx, &d->env.hop_cred, dc->credential.key_path, dc->credential.chain_path,
				     NULL);
		if (rc < 0) {
			LOGP(DMAIN, LOGL_ERROR, "tsca: credential %s: %s\n", dc->credential.key_path, strerror(-rc));
			return rc;
		}
		LOGP(DMAIN, LOGL_NOTICE, "tsca: HOP signed with key-id %s\n", d->env.hop_cred->keyid_hex);
	} else {
		LOGP(DMAIN, LOGL_NOTICE, "tsca: no credential: IAMs go without HOP\n");
	}

	d->env.map = certmap_alloc(d->ctx);
	if (!d->env.map)
		return -ENOMEM;
	if (g_iwf_cfg->tsca_full_oid) {
		certmap_policy_oids_clear(d->env.map, CERTMAP_CLASS_FULL);
		certmap_policy_oid_add(d->env.map, CERTMAP_CLASS_FULL, g_iwf_cfg->tsca_full_oid);
	}
	if (g_iwf_cfg->tsca_provisional_oid) {
		certmap_policy_oids_clear(d->env.map, CERTMAP_CLASS_PROVISIONAL);
		certmap_policy_oid_add(d->env.map, CERTMAP_CLASS_PROVISIONAL, g_iwf_cfg->tsca_provisional_oid);
	}
	if (g_iwf_cfg->map_file) {
		rc = certmap_load_file(d->env.map, g_iwf_cfg->map_file);
		if (rc < 0) {
			LOGP(DMAIN, LOGL_ERROR, "tsca: map-file %s: %s\n", g_iwf_cfg->map_file, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

int stiwfd_certs_refresh(struct stiwfd_iwf *d, bool force)
{
	time_t now = time(NULL);
	unsigned int i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(d->ts); i++) {
		if (d->ts[i])
			n += truststore_crl_refresh(d->ts[i], now, force);
		if (d->dom[i])
			n += cert_domain_crl_refresh(d->dom[i], now, force);
	}
	if (force)
		LOGP(DMAIN, LOGL_NOTICE, "CRLs: %d read again or being fetched\n", n);
	return n;
}

static void crl_timer_cb(void *data)
{
	struct stiwfd_iwf *d = data;

	stiwfd_certs_refresh(d, false);
	osmo_timer_schedule(&d->crl_timer, CRL_TICK_S, 0);
}

int stiwfd_certs_setup(struct stiwfd_iwf *d)
{
	int rc = shaken_setup(d);

	if (rc == 0)
		rc = tsca_setup(d);
	/* truststore.h: a CRL is read again before its nextUpdate */
	if (rc == 0 && (d->ts[0] || d->ts[1]))
		osmo_timer_schedule(&d->crl_timer, CRL_TICK_S, 0);
	return rc;
}

/* ---- ss7/ ---- */

/* the one runtime of the daemon, for the MTP and trunk callbacks */
static struct stiwfd_iwf *g_iwf_rt;

static int trunk_send(struct isup_trunk *t, uint32_t dpc, uint8_t sls, const uint8_t *data, size_t len,
		      void *priv)
{
	struct iwf_ss7_peer *peer = priv;
	struct stiwf_mtp_user *u;

	if (!g_iwf_rt || peer->cs7_instance >= MAX_CS7)
		return -ENOTCONN;
	u = g_iwf_rt->mtp[peer->cs7_instance];
	if (!u)
		return -ENOTCONN;
	return stiwf_mtp_user_send(u, dpc, sls, data, len);
}

/* An ISUP message from the network: to the trunk of its OPC */
static void mtp_rx(struct stiwf_mtp_user *u, const struct stiwf_mtp_addr *addr, const uint8_t *data,
		   size_t len, void *priv)
{
	uint32_t inst = (uint32_t)(uintptr_t)priv;
	struct iwf_ss7_peer *peer = iwf_ss7_peer_by_pc(inst, addr->opc);

	if (!peer || !peer->trunk) {
		LOGP(DSS7, LOGL_NOTICE, "cs7 instance %u: ISUP from %s, which is no ss7-peer: dropped\n", inst,
		     stiwf_mtp_user_pc_str(u, addr->opc));
		return;
	}
	isup_trunk_rx(peer->trunk, addr->opc, data, len);
}

/* The user part came up or went down: every trunk on the instance learns
 * it (and resets its circuits with GRS on the way up, Q.764 §2.9.3). */
static void mtp_state(struct stiwf_mtp_user *u, bool available, void *priv)
{
	uint32_t inst = (uint32_t)(uintptr_t)priv;
	struct iwf_ss7_peer *peer;

	LOGP(DSS7, LOGL_NOTICE, "cs7 instance %u: ISUP user part %savailable\n", inst, available ? "" : "un");
	llist_for_each_entry(peer, &g_iwf_cfg->ss7_peers, entry) {
		if (peer->cs7_instance == inst && peer->trunk)
			isup_trunk_mtp_available(peer->trunk, available);
	}
}

static int sdp_load(struct iwf_ss7_peer *peer)
{
	char buf[SDP_FILE_MAX + 1];
	ssize_t n;
	int fd, rc;

	if (!peer->sdp_template)
		return 0;
	fd = open(peer->sdp_template, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		LOGP(DMAIN, LOGL_ERROR, "ss7-peer %s: sdp-template %s: %s\n", peer->name, peer->sdp_template,
		     strerror(errno));
		return rc;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0 || n > SDP_FILE_MAX || n == 0 || memchr(buf, '\0', (size_t)n)) {
		LOGP(DMAIN, LOGL_ERROR, "ss7-peer %s: sdp-template %s: empty, unreadable or above %d octets\n",
		     peer->name, peer->sdp_template, SDP_FILE_MAX);
		return -EINVAL;
	}
	buf[n] = '\0';
	return iwf_call_peer_sdp_set(peer, buf);
}

/* The MAP border on stiwf's SCCP, with the tsca node's trust, replay
 * cache, window, map and credential */
static int map_border_setup(struct stiwfd_iwf *d)
{
	struct sccp_user_cfg scfg = {
		.cs7_instance = g_sccp_cfg->cs7_instance,
		.max_sif = g_sccp_cfg->max_sif,
		.reasm = g_sccp_cfg->reasm,
	};
	struct map_relay_cfg rcfg = {
		.cfg = g_map_cfg,
		.tsca = d->env.tsca,
		.replay = d->env.replay,
		.map = d->env.map,
		.workq = d->wq,
		.window = g_iwf_cfg->hop_window ? g_iwf_cfg->hop_window : SIGTOKEN_WINDOW_DEFAULT,
		.skew = g_iwf_cfg->hop_skew,
	};

	if (d->env.hop_cred) {
		d->map_key = sigtoken_key_alloc(d->ctx, d->env.hop_cred->key);
		if (!d->map_key) {
			LOGP(DMAIN, LOGL_ERROR, "MAP border: the tsca credential's key cannot sign\n");
			return -EINVAL;
		}
		rcfg.sign_key = d->map_key;
	}
	if (g_map_cfg->sig_oid_len) {
		rcfg.oid = g_map_cfg->sig_oid;
		rcfg.oid_len = g_map_cfg->sig_oid_len;
		LOGP(DMAIN, LOGL_NOTICE, "MAP border: signature EXTERNAL with direct-reference %s\n",
		     g_map_cfg->sig_oid_text);
	}
	d->relay = map_relay_alloc(d->ctx, &rcfg);
	if (!d->relay)
		return -ENOMEM;
	d->sccp = sccp_user_bind(d->ctx, &scfg, map_relay_rx, map_relay_notice, d->relay);
	if (!d->sccp)
		return -ENODEV;
	map_relay_set_sccp(d->relay, d->sccp);
	if (!g_map_cfg->n_peers)
		LOGP(DMAIN, LOGL_NOTICE, "MAP border: no map-peer configured: every MAP message is dropped\n");
	else
		LOGP(DMAIN, LOGL_NOTICE, "MAP border: %u map-peer(s), TSCA trust %s, signing %s\n",
		     g_map_cfg->n_peers, d->env.tsca ? "on" : "off (every signature is invalid: no-trust)",
		     d->map_key ? "on" : "off");
	return 0;
}

int stiwfd_ss7_setup(struct stiwfd_iwf *d)
{
	struct isup_trunk_ops ops = { .send = trunk_send };
	struct iwf_ss7_peer *peer;
	struct stiwf_mtp_user *u;
	struct isup_trunk *t;
	unsigned int i;
	int rc;

	iwf_call_trunk_ops_fill(&ops);
	llist_for_each_entry(peer, &g_iwf_cfg->ss7_peers, entry) {
		if (peer->cs7_instance >= MAX_CS7)
			return -EINVAL;
		u = d->mtp[peer->cs7_instance];
		if (!u) {
			u = stiwf_mtp_user_bind(d->ctx, peer->cs7_instance, STIWF_MTP_SI_ISUP, mtp_rx, mtp_state,
						(void *)(uintptr_t)peer->cs7_instance);
			if (!u)
				return -ENODEV;
			d->mtp[peer->cs7_instance] = u;
		}
		if (peer->dpc == stiwf_mtp_user_local_pc(u)) {
			LOGP(DMAIN, LOGL_ERROR, "ss7-peer %s: point-code %u is this node's own point code "
			     "on cs7 instance %u\n", peer->name, peer->dpc, peer->cs7_instance);
			return -EINVAL;
		}
		t = isup_trunk_alloc(d->ctx, peer->name, stiwf_mtp_user_local_pc(u), peer->dpc, &ops, peer);
		if (!t) {
			LOGP(DMAIN, LOGL_ERROR, "ss7-peer %s: cannot create its trunk\n", peer->name);
			return -ENOMEM;
		}
		peer->trunk = t;
		for (i = 0; i < peer->n_cic_ranges; i++) {
			rc = isup_trunk_add_cics(t, peer->cic[i].first, peer->cic[i].last);
			if (rc < 0) {
				LOGP(DMAIN, LOGL_ERROR, "ss7-peer %s: cic %u %u: %s\n", peer->name,
				     peer->cic[i].first, peer->cic[i].last, strerror(-rc));
				return rc;
			}
		}
		if (peer->max_sif_len)
			isup_trunk_set_max_sif(t, peer->max_sif_len);
		isup_trunk_set_overlap(t, peer->overlap, peer->overlap_min, peer->overlap_max);
		rc = sdp_load(peer);
		if (rc < 0)
			return rc;
		LOGP(DMAIN, LOGL_NOTICE, "ss7-peer %s: trunk to PC %s on cs7 instance %u, %u CIC range(s)\n",
		     peer->name, stiwf_mtp_user_pc_str(u, peer->dpc), peer->cs7_instance, peer->n_cic_ranges);
	}
	/* stiwf's own SCCP, bound when configured, and the MAP border that
	 * consumes it (src/stiwfd/map_relay.h) */
	if (g_sccp_cfg && g_sccp_cfg->enabled) {
		rc = map_border_setup(d);
		if (rc < 0)
			return rc;
	}
	/* an AS that was already active before we bound */
	for (i = 0; i < MAX_CS7; i++) {
		if (d->mtp[i] && stiwf_mtp_user_available(d->mtp[i]))
			mtp_state(d->mtp[i], true, (void *)(uintptr_t)i);
	}
	return 0;
}

/* ---- the call layer ---- */

/* OPTIONS readiness (docs/SCALING.md): a proxy's prober must send no call
 * to a hot standby (its AS not active), to an instance whose circuits are
 * not yet reset, or to one that would refuse every signed IAM because its
 * shared replay store is not there. */
static int calls_ready(char *reason, size_t len, void *priv)
{
	struct stiwfd_iwf *d = priv;
	struct iwf_ss7_peer *peer;

	if (d->env.store && !d->env.store_fail_local && !replay_store_connected(d->env.store)) {
		snprintf(reason, len, "replay store %s not connected", replay_store_name(d->env.store));
		return STIWFD_RETRY_AFTER_S;
	}
	llist_for_each_entry(peer, &g_iwf_cfg->ss7_peers, entry) {
		if (!peer->trunk)
			continue;
		if (!isup_trunk_ready(peer->trunk)) {
			snprintf(reason, len, "ss7-peer %s: %s", peer->name,
				 d->mtp[peer->cs7_instance] && stiwf_mtp_user_available(d->mtp[peer->cs7_instance]) ?
				 "circuits not reset yet" : "no AS active (standby or link down)");
			return STIWFD_RETRY_AFTER_S;
		}
	}
	return 0;
}

/* An OPTIONS keepalive for every sip-peer that asks for one: routes skip
 * the peers it finds down (iwf_route_lookup_up()). */
static int keepalives_start(struct stiwf_sip_agent *sip)
{
	struct iwf_sip_peer *p;
	int rc;

	llist_for_each_entry(p, &g_iwf_cfg->sip_peers, entry) {
		rc = iwf_sip_peer_keepalive_apply(p, sip);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void keepalives_stop(void)
{
	struct iwf_sip_peer *p;

	if (!g_iwf_cfg)
		return;
	llist_for_each_entry(p, &g_iwf_cfg->sip_peers, entry) {
		talloc_free(p->keepalive);	/* NULLs p->keepalive */
		p->down = false;
	}
}

int stiwfd_calls_setup(struct stiwfd_iwf *d, struct stiwf_sip_agent *sip)
{
	int rc;

	d->env.sip = sip;
	d->env.workq = d->wq;
	d->env.media_addr = g_sip_cfg ? g_sip_cfg->local_addr : NULL;
	/* the replay cache took its window from the same settings */
	if (g_iwf_cfg) {
		d->env.stir_max_age = g_iwf_cfg->stir_max_age;
		d->env.hop_window = g_iwf_cfg->hop_window;
		d->env.hop_skew = g_iwf_cfg->hop_skew;
	}
	rc = iwf_call_layer_init(d->ctx, &d->env);
	if (rc == 0)
		d->calls_up = true;
	if (rc == 0 && sip)
		stiwf_sip_agent_set_ready_cb(sip, calls_ready, d);
	if (rc == 0 && sip)
		rc = keepalives_start(sip);
	return rc;
}

struct stiwfd_iwf *stiwfd_iwf_alloc(void *ctx, struct stiwf_workq *wq)
{
	struct stiwfd_iwf *d = talloc_zero(ctx, struct stiwfd_iwf);

	if (!d)
		return NULL;
	d->ctx = d;
	d->wq = wq;
	osmo_timer_setup(&d->crl_timer, crl_timer_cb, d);
	g_iwf_rt = d;
	return d;
}

void stiwfd_iwf_free(struct stiwfd_iwf *d)
{
	struct iwf_ss7_peer *peer;
	unsigned int i;

	if (!d)
		return;
	osmo_timer_del(&d->crl_timer);
	keepalives_stop();
	/* the SIP agent outlives us: it asks nobody any more */
	if (d->calls_up && d->env.sip)
		stiwf_sip_agent_set_ready_cb(d->env.sip, NULL, NULL);
	/* the calls first: they release their legs on trunks and SIP */
	if (d->calls_up)
		iwf_call_layer_fini();
	d->calls_up = false;
	if (g_iwf_cfg) {
		llist_for_each_entry(peer, &g_iwf_cfg->ss7_peers, entry) {
			if (peer->trunk)
				isup_trunk_free(peer->trunk);
			peer->trunk = NULL;
		}
	}
	/* the SCCP user first: nothing may arrive while the relay goes */
	if (d->sccp)
		sccp_user_free(d->sccp);
	d->sccp = NULL;
	map_relay_free(d->relay);
	d->relay = NULL;
	for (i = 0; i < MAX_CS7; i++) {
		if (d->mtp[i])
			stiwf_mtp_user_unbind(d->mtp[i]);
		d->mtp[i] = NULL;
	}
	g_iwf_rt = NULL;
	talloc_free(d);
}

int stiwfd_proxy_setup(char *err, size_t errlen)
{
	const char *names[SIP_CALL_TRUSTED_HDR_MAX];
	const struct iwf_sip_peer *p;
	unsigned int n = 0, i;

	llist_for_each_entry(p, &g_iwf_cfg->sip_peers, entry) {
		if (!p->via_proxy_addr[0])
			continue;
		for (i = 0; i < n; i++) {
			if (!strcasecmp(names[i], p->via_header))
				break;
		}
		if (i < n)
			continue;
		if (n == SIP_CALL_TRUSTED_HDR_MAX) {
			snprintf(err, errlen, "sip-peer %s: more than %u via-proxy header names", p->name,
				 SIP_CALL_TRUSTED_HDR_MAX);
			return -EINVAL;
		}
		names[n++] = p->via_header;
	}
	if (sip_call_info_trust_headers(names, n) < 0) {
		snprintf(err, errlen, "via-proxy header names cannot be used");
		return -EINVAL;
	}
	return 0;
}

int stiwfd_tls_setup(void *ctx, char *err, size_t errlen)
{
	struct sip_tls_pin pins[64];
	const struct iwf_sip_peer *p;
	size_t n_pins = 0;
	unsigned int n = 0;

	llist_for_each_entry(p, &g_iwf_cfg->sip_peers, entry) {
		if (p->transport != IWF_SIP_TP_TLS)
			continue;
		if (!g_sip_cfg->tls_cert) {
			snprintf(err, errlen, "sip-peer %s: transport tls, but the sip node has no 'tls certificate'",
				 p->name);
			return -EINVAL;
		}
		/* a request on a connection must mean TLS (sip_call_info.stream) */
		if (g_sip_cfg->transport != STIWF_SIP_TP_UDP) {
			snprintf(err, errlen, "sip-peer %s: transport tls needs 'transport udp' in the sip node: "
				 "stiwfd tells TLS from plain TCP by the listener", p->name);
			return -EINVAL;
		}
		if (!p->tls_subject[0]) {
			snprintf(err, errlen, "sip-peer %s: transport tls without tls-subject", p->name);
			return -EINVAL;
		}
		if (p->tls_pinned) {
			if (n_pins >= ARRAY_SIZE(pins)) {
				snprintf(err, errlen, "more than %zu pinned sip-peers", ARRAY_SIZE(pins));
				return -EINVAL;
			}
			OSMO_STRLCPY_ARRAY(pins[n_pins].subject, p->tls_subject);
			memcpy(pins[n_pins].sha256, p->tls_sha256, sizeof(pins[n_pins].sha256));
			n_pins++;
		}
		n++;
	}
	g_sip_cfg->tls_subjects = talloc_zero_array(ctx, char *, n + 1);
	if (!g_sip_cfg->tls_subjects)
		return -ENOMEM;
	n = 0;
	llist_for_each_entry(p, &g_iwf_cfg->sip_peers, entry) {
		if (p->transport == IWF_SIP_TP_TLS)
			g_sip_cfg->tls_subjects[n++] = talloc_strdup(g_sip_cfg->tls_subjects, p->tls_subject);
	}
	g_sip_cfg->n_tls_subjects = n;
	if (n && sip_tls_global_init() < 0) {
		snprintf(err, errlen, "cannot set up TLS (see the log)");
		return -EIO;
	}
	return sip_tls_pins_set(pins, n_pins);
}
