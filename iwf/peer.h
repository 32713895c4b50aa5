/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file peer.h
 *  The IWF's configuration objects (ARCHITECTURE §4, §5): SIP peers, SS7 peers,
 *  routes by called-number prefix, and the two trust domains with their
 *  credentials.  The VTY (iwf/peer_vty.c) fills them; the daemon turns
 *  them into live objects (trunks, trust stores, fetchers, credentials) at
 *  start; the call flows (iwf/call_sip_to_isup.c, iwf/call_isup_to_sip.c)
 *  read them.  No I/O here, but for
 *  iwf_cfg_check() looking the configured paths up with stat().
 *
 *  Configuration, as written by "show running-config":
 *
 *    stir
 *     trust-dir /etc/stiwf/shaken/trust
 *     crl-file /etc/stiwf/shaken/sti-ca.crl.pem
 *     crl-required
 *     x5u-ca-file /etc/ssl/certs/ca-certificates.crt
 *     x5u-timeout 2000
 *     x5u-acl deny 192.0.2.0/24
 *     max-age 60
 *     credential key /etc/stiwf/sti.key chain /etc/stiwf/sti-chain.pem x5u https://cert.example/sti.pem
 *     origid random
 *    tsca
 *     trust-dir /etc/stiwf/tsca/trust
 *     cert-dir /etc/stiwf/tsca/operators
 *     crl-file /etc/stiwf/tsca/national-ca.crl.pem
 *     repository https://repo.example/{key-id}.pem
 *     policy-oid full 2.25....
 *     policy-oid provisional 2.25....
 *     credential key /etc/stiwf/op.key chain /etc/stiwf/op-chain.pem
 *     map-file /etc/stiwf/map.conf
 *    sip-peer carrier-a
 *     remote 192.0.2.20 5060
 *     transport udp
 *     on-stir-failure reject
 *     identity-required
 *     country-code 1
 *    ss7-peer exchange-b
 *     cs7-instance 0
 *     point-code 200
 *     cic 1 31
 *     max-message-length 272
 *     country-code 1
 *     number-format international
 *     aci 90
 *     hop-required
 *     provisional-max-attest C
 *     release-cause 21
 *     repository-miss-limit 2 burst 10
 *     sdp-template /etc/stiwf/exchange-b.sdp
 *     sip-peer carrier-a
 *     isup-to-sip-cause 20 410
 *     sip-to-isup-cause 603 17
 *    route 1202 ss7-peer exchange-b
 *    route 1 sip-peer carrier-a
 */

#include <stdbool.h>
#include <stdint.h>

#include <stddef.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/utils.h>

#include "certs/tokenbucket.h"
#include "iwf/cause.h"
#include "iwf/number.h"
#include "iwf/policy.h"

#define IWF_PEER_NAME_MAX	32
/*! Failed OPTIONS in a row before a sip-peer is down (SIP_KEEPALIVE_FAILURES_DEFAULT) */
#define IWF_KEEPALIVE_FAILURES_DEFAULT	3
#define IWF_ROUTE_PREFIX_MAX	15
#define IWF_PEER_MAX_CIC_RANGES	16
/*! Q.763 §1.2: a CIC has 12 bits (the 4 spare bits are not used here) */
#define IWF_CIC_MAX		4095
/*! Largest point code: 24 bits (ANSI/China format); 14-bit ITU codes fit */
#define IWF_PC_MAX		16777215
/*! libosmo-sigtran's "cs7 instance <0-15>" */
#define IWF_CS7_INST_MAX	15
/*! Q.703 §2.3.8: 272 octets of SIF over MTP2 */
#define IWF_MAX_SIF_DEFAULT	272
/* "overlap collect" without digit counts: the shortest and longest numbers
 * an international E.164 plan has (E.164 §6: at most 15 digits) */
#define IWF_OVERLAP_MIN_DEFAULT	7
#define IWF_OVERLAP_MAX_DEFAULT	15
#define IWF_MAX_SIF_MIN		64
#define IWF_MAX_SIF_MAX		4096
/*! iat windows of PASSporTs (ATIS-1000074 §5.3.1: 60 s) and HOP tokens */
#define IWF_WINDOW_DEFAULT	60
/*! Longest numeric address we keep (IPv6 and a zone index fit) */
#define IWF_ADDR_MAX		48
/*! The shared replay store (src/core/replay_store.h): Redis port, answer timeout */
#define IWF_REPLAY_STORE_PORT_DEFAULT		6379
#define IWF_REPLAY_STORE_TIMEOUT_DEFAULT	200
/*! Longest receiving-network name of a HOP binding (SIGTOKEN_BIND_MAX) */
#define IWF_HOP_BIND_MAX	32
#define IWF_FETCH_TIMEOUT_DEFAULT	2000
#define IWF_DOMAIN_MAX_CRL	8
/*! Extra ports for certificate fetches (443 and 8443 are always allowed) */
#define IWF_DOMAIN_MAX_PORTS	6
/*! Lines of an address ACL (certs/fetch.h FETCH_MAX_ACL) */
#define IWF_DOMAIN_MAX_ACL	32
/*! Room for "permit 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/128" */
#define IWF_ACL_LINE_MAX	64
/*! Fetches in flight (certs/fetch.h defaults) */
#define IWF_IN_FLIGHT_DEFAULT		64
#define IWF_IN_FLIGHT_PER_HOST_DEFAULT	16
/*! CRL files read again this often, seconds */
#define IWF_CRL_REFRESH_DEFAULT	3600
/*! Repository misses an SS7 peer may cause: per second, and at once */
#define IWF_REPO_MISS_RATE_DEFAULT	5
#define IWF_REPO_MISS_BURST_DEFAULT	20
/*! Longest URL or URL template we keep */
#define IWF_URL_MAX		1024
/*! Longest dotted-decimal OID we keep */
#define IWF_OID_MAX		256
/*! The placeholder of a repository URL template (ARCHITECTURE §3) */
#define IWF_KEY_ID_PLACEHOLDER	"{key-id}"

struct rate_ctr_group;
struct iwf_cfg;

/*! Counters of one peer (rate_ctr groups "sip_peer" and "ss7_peer",
 *  indexed and named by the peer, class OSMO_STATS_CLASS_PEER: a stats
 *  reporter sends them at "level peer").  The verdicts of the calls that
 *  came from the peer, and the attestation of the calls both ways. */
enum iwf_peer_ctr {
	IWF_PEER_CTR_CALLS_IN,		/*!< calls taken from the peer */
	IWF_PEER_CTR_CALLS_OUT,		/*!< calls sent to the peer */
	IWF_PEER_CTR_VERSTAT_PASSED,	/*!< sip-peer: INVITEs whose PASSporT verified */
	IWF_PEER_CTR_VERSTAT_FAILED,
	IWF_PEER_CTR_VERSTAT_NONE,	/*!< sip-peer: INVITEs without Identity */
	IWF_PEER_CTR_HOP_VALID,		/*!< ss7-peer: IAMs with a valid HOP */
	IWF_PEER_CTR_HOP_INVALID,
	IWF_PEER_CTR_HOP_MISSING,
	IWF_PEER_CTR_ATTEST_IN_A,	/*!< calls from the peer attested A */
	IWF_PEER_CTR_ATTEST_IN_B,
	IWF_PEER_CTR_ATTEST_IN_C,
	IWF_PEER_CTR_ATTEST_OUT_A,	/*!< calls to the peer we attested (or carried) A */
	IWF_PEER_CTR_ATTEST_OUT_B,
	IWF_PEER_CTR_ATTEST_OUT_C,
	IWF_PEER_CTR_DIV_PASSED,	/*!< sip-peer: INVITEs whose div PASSporT verified */
	IWF_PEER_CTR_DIV_FAILED,
	IWF_PEER_CTR_DIV_IGNORED,	/*!< sip-peer: INVITEs with a div PASSporT not verified */
	_NUM_IWF_PEER_CTR
};

/*! Take every peer's counter group out of libosmocore's list and free it
 *  (the peers stay, without counters).  stiwfd calls it when it stops,
 *  before the final talloc_free() frees libosmo-sigtran's groups without
 *  taking them out of that list: a group freed after them would write
 *  into freed memory when it leaves the list. */
void iwf_cfg_peer_ctrs_free(struct iwf_cfg *cfg);

/*! Count on a peer's group; \a ctrs may be NULL. */
void iwf_peer_ctr_inc(struct rate_ctr_group *ctrs, enum iwf_peer_ctr idx);

/*! The counters of attestation \a attest ('A', 'B', 'C'; others count
 *  nothing) in (\a in) or out. */
void iwf_peer_ctr_attest(struct rate_ctr_group *ctrs, char attest, bool in);

enum iwf_sip_transport {
	IWF_SIP_TP_UDP,
	IWF_SIP_TP_TCP,
	IWF_SIP_TP_TLS,		/*!< both ways, mutual TLS (sip node "tls ...") */
};
extern const struct value_string iwf_sip_transport_names[];

/*! A SIP carrier stiwfd exchanges calls with. */
struct iwf_sip_peer {
	struct llist_head entry;
	char name[IWF_PEER_NAME_MAX + 1];
	char addr[48];			/*!< numeric address; calls from it match this peer */
	uint16_t port;			/*!< 5060 by default */
	enum iwf_sip_transport transport;
	/*! transport tls: a name its certificate carries (SAN DNS or URI,
	 *  or CN); our requests go to sip:NAME;maddr=addr, so that Sofia
	 *  checks it on the certificate of the connection it opens */
	char tls_subject[128];
	bool tls_pinned;		/*!< tls_sha256 is set */
	/*! "via-proxy ADDR header NAME VALUE": behind a proxy every call
	 *  comes from the proxy's address; one from via_proxy_addr whose
	 *  header via_header is via_value is this peer's (docs/SCALING.md).
	 *  The header counts only from that address.  "" when not set. */
	char via_proxy_addr[IWF_ADDR_MAX];
	char via_header[33];
	char via_value[65];
	uint8_t tls_sha256[32];		/*!< SHA-256 of its certificate (DER) */
	struct iwf_policy policy;	/*!< its STIR ingress knobs */
	struct iwf_number_plan plan;	/*!< how its numbers look */
	/*! "keepalive interval S": an OPTIONS every S seconds
	 *  (sip/sip_keepalive.h), 0 (default): none, the peer counts as up */
	unsigned int keepalive_interval_s;
	/*! "keepalive failures N": failed OPTIONS in a row before the peer
	 *  is down, 3 by default */
	unsigned int keepalive_failures;
	/*! live, set by the daemon: its keepalive says it is down; routes
	 *  skip it (iwf_route_lookup_up()) */
	bool down;
	/*! live: its struct sip_keepalive, or NULL */
	void *keepalive;
	struct rate_ctr_group *ctrs;	/*!< enum iwf_peer_ctr, NULL if out of memory */
};

/*! An SS7 exchange (trunk group) reached over M3UA. */
struct iwf_ss7_peer {
	struct llist_head entry;
	char name[IWF_PEER_NAME_MAX + 1];
	uint32_t cs7_instance;
	uint32_t dpc;
	bool dpc_set;			/*!< a point-code was configured */
	unsigned int n_cic_ranges;
	struct {
		uint16_t first, last;
	} cic[IWF_PEER_MAX_CIC_RANGES];
	uint16_t max_sif_len;		/*!< 272 by default (Q.703 SIF, routing label included) */
	/*! Q.764 §2.1.1.2 on incoming calls: en bloc (false, the default) or
	 *  overlap, the IAM held until ST, max digits, or T35 with at least
	 *  min digits (ARCHITECTURE §8.4) */
	bool overlap;
	uint8_t overlap_min, overlap_max;
	struct iwf_policy policy;	/*!< HOP knobs, ACI, release cause */
	struct iwf_number_plan plan;
	char *sdp_template;		/*!< path of the media gateway's SDP, or NULL */
	char sip_peer[IWF_PEER_NAME_MAX + 1];	/*!< default destination of its calls, "" none */
	/*! departures from the RFC 3398 cause tables for calls on this trunk,
	 *  both directions (Q.1912.5 variants are a matter of the ISUP side) */
	struct iwf_cause_map causes;
	/*! HOP binding (ARCHITECTURE §2.2 BIND TLV): the receiving network our HOPs
	 *  towards this exchange name, "" none (off: a transit that rewrites
	 *  the destination operator would break it) */
	char hop_bind_send[IWF_HOP_BIND_MAX + 1];
	/*! the name our network has in the HOPs of this exchange's IAMs;
	 *  when set, a HOP not bound to it is invalid.  "" off */
	char hop_bind_require[IWF_HOP_BIND_MAX + 1];
	/*! repository fetches its IAMs may cause (tsca.h): off, or rate and burst */
	bool repo_miss_limit;
	unsigned int repo_miss_rate;
	unsigned int repo_miss_burst;
	/*! live: the token bucket of its repository misses */
	struct token_bucket repo_bucket;
	/*! live trunk, set by the daemon (struct isup_trunk *) */
	void *trunk;
	struct rate_ctr_group *ctrs;	/*!< enum iwf_peer_ctr, NULL if out of memory */
};

enum iwf_route_dest {
	IWF_ROUTE_SS7,			/*!< SIP -> ISUP towards an ss7-peer */
	IWF_ROUTE_SIP,			/*!< ISUP -> SIP towards a sip-peer */
};
/*! "ss7-peer", "sip-peer": the words of the route command */
extern const struct value_string iwf_route_dest_names[];

/*! Called-number prefix -> peer; the longest prefix wins. */
struct iwf_route {
	struct llist_head entry;
	char prefix[IWF_ROUTE_PREFIX_MAX + 1];	/*!< E.164 digits, "" matches all */
	enum iwf_route_dest dest;
	char peer[IWF_PEER_NAME_MAX + 1];
};

/*! A signing credential as configured (loaded by the daemon). */
struct iwf_credential_cfg {
	char *key_path;
	char *chain_path;
	char *x5u;			/*!< SHAKEN only */
};

/*! One trust domain as configured. */
struct iwf_domain_cfg {
	char *trust_dir;
	char *cert_dir;			/*!< TSCA: operator certificates by key-id */
	unsigned int n_crl_files;
	char *crl_files[IWF_DOMAIN_MAX_CRL];
	char *repository;		/*!< TSCA: URL template with {key-id} */
	char *fetch_ca_file;		/*!< TLS trust for x5u / repository fetches */
	bool allow_http;		/*!< lab only */
	unsigned int fetch_timeout_ms;	/*!< 2000 by default */
	unsigned int n_fetch_ports;	/*!< more ports than 443 and 8443 */
	uint16_t fetch_ports[IWF_DOMAIN_MAX_PORTS];
	/*! address ACL of fetches, in order, as fetch_acl_rule_format() writes it */
	unsigned int n_acl;
	char acl[IWF_DOMAIN_MAX_ACL][IWF_ACL_LINE_MAX];
	unsigned int max_in_flight;	/*!< fetches in flight, 64 */
	unsigned int max_in_flight_per_host;	/*!< to one host, 16 */
	bool crl_required;		/*!< an issuer without a CRL fails the chain */
	bool crl_fetch;			/*!< fetch CRLs from distribution points */
	unsigned int crl_refresh_s;	/*!< read crl-file again this often, 3600 */
	struct iwf_credential_cfg credential;
};

/*! Everything configured for the IWF. */
struct iwf_cfg {
	struct iwf_domain_cfg stir;
	unsigned int stir_max_age;	/*!< iat window of PASSporTs, 60 s */
	bool origid_random;		/*!< a fresh UUID per signed call */
	char origid[40];		/*!< else this one */
	struct iwf_domain_cfg tsca;
	unsigned int hop_window;	/*!< iat window of HOP tokens, 60 s */
	unsigned int hop_skew;		/*!< allowed clock skew, 0 s */
	/*! refuse HOPs that may have been seen before the start while no
	 *  shared replay store is configured (sigtoken_replay_set_quiet()),
	 *  default on */
	bool hop_startup_quiet;
	/*! "replay-store redis ADDR[:PORT]": the HOP replay store shared
	 *  with the other IWFs (src/core/replay_store.h); addr "" for local */
	char replay_store_addr[IWF_ADDR_MAX];
	uint16_t replay_store_port;
	/*! "replay-store on-failure local": a store that cannot answer
	 *  leaves the local cache to decide; default reject (REL) */
	bool replay_store_fail_local;
	unsigned int replay_store_timeout_ms;	/*!< 200 ms by default */
	char *tsca_full_oid;
	char *tsca_provisional_oid;
	/*! "max-validity provisional|full DAYS": longest validity period
	 *  of a signer's certificate by class (certs/tsca.h), 184 and 731
	 *  days by default; 0: no limit */
	unsigned int tsca_max_days_prov, tsca_max_days_full;
	char *map_file;
	struct llist_head sip_peers;
	struct llist_head ss7_peers;
	struct llist_head routes;
	/*! "runtime-iwf-changes allow": the VTY may change trust domains,
	 *  peers and routes while stiwfd runs (refused by default) */
	bool runtime_changes;
};

/*! The configuration in force (allocated by iwf_peer_vty_init()). */
extern struct iwf_cfg *g_iwf_cfg;

/*! Install the stir, tsca, sip-peer, ss7-peer and route nodes. */
void iwf_peer_vty_init(void *ctx);

struct iwf_sip_peer *iwf_sip_peer_find(const char *name);
/*! The SIP peer whose address a request came from, or NULL.  Peers
 *  reached through a proxy (via-proxy) are not found by address. */
struct iwf_sip_peer *iwf_sip_peer_by_addr(const char *addr);
struct sip_call_info;
/*! The SIP peer of an INVITE: from a via-proxy address, the peer whose
 *  header it carries (once, with that value); otherwise, or when none
 *  matches, by its source address (iwf_sip_peer_by_addr()).  A carrier
 *  header from any other address is ignored.  \returns the peer or NULL */
struct iwf_sip_peer *iwf_sip_peer_by_request(const struct sip_call_info *info);
/*! May a request from \a peer that came on a connection (stream) or
 *  not be taken?  A peer of transport tls only over TLS.
 *  \returns 0 or -EACCES */
int iwf_sip_peer_transport_check(const struct iwf_sip_peer *peer, bool stream);
struct iwf_ss7_peer *iwf_ss7_peer_find(const char *name);
/*! The SS7 peer of point code dpc on cs7 instance inst, or NULL. */
struct iwf_ss7_peer *iwf_ss7_peer_by_pc(uint32_t inst, uint32_t pc);

/*! Longest-prefix route for a called number (E.164 digits) towards dest.
 *  \returns the route or NULL */
const struct iwf_route *iwf_route_lookup(const char *called, enum iwf_route_dest dest);

/*! The route for a called number towards a peer that is up: the longest
 *  matching prefix whose peer is not down, else the next longest, and so
 *  on (a route towards an ss7-peer, or an unknown peer, counts as up).
 *   n_down (may be NULL) tells how many matching routes were skipped.
 *  \returns the route or NULL (none matches, or every peer is down) */
const struct iwf_route *iwf_route_lookup_up(const char *called, enum iwf_route_dest dest, unsigned int *n_down);

/*! The URI our requests to \a peer go to (INVITE, OPTIONS).
 *  \returns 0 or -ENOSPC */
int iwf_sip_peer_uri(char *buf, size_t size, const struct iwf_sip_peer *peer);

struct stiwf_sip_agent;
/*! (Re)start the OPTIONS keepalive of \a peer on \a agent with its
 *  settings as they are now (keepalive interval and failures, remote):
 *  the one running is stopped, the peer counts as up until the new one
 *  says otherwise; none when the interval is 0, the peer has no address
 *  or \a agent is NULL.  \returns 0, -ENOSPC (URI), -ENOMEM */
int iwf_sip_peer_keepalive_apply(struct iwf_sip_peer *peer, struct stiwf_sip_agent *agent);

/*! \returns whether the route's peer is known to be down */
bool iwf_route_peer_down(const struct iwf_route *r);

/*! The SS7 peer that owns circuit \a cic of point code \a pc on cs7
 *  instance \a inst (trunk groups of one exchange), or NULL. */
struct iwf_ss7_peer *iwf_ss7_peer_by_cic(uint32_t inst, uint32_t pc, uint16_t cic);

/*! An empty configuration with the defaults (trust domains: fetch timeout
 *  2000 ms, windows 60 s, origid random), owned by \a ctx.
 *  \returns NULL when out of memory */
struct iwf_cfg *iwf_cfg_alloc(void *ctx);

/*! Free every peer, route and path of \a cfg and restore the defaults. */
void iwf_cfg_reset(struct iwf_cfg *cfg);

/*! A new SIP peer in \a cfg with the defaults (port 5060, udp,
 *  iwf_policy_init(), iwf_number_plan_init()); \a name must be valid
 *  (iwf_peer_name_valid()) and unused.  \returns NULL otherwise or when
 *  out of memory */
struct iwf_sip_peer *iwf_sip_peer_alloc(struct iwf_cfg *cfg, const char *name);
void iwf_sip_peer_free(struct iwf_sip_peer *peer);

/*! A new SS7 peer in \a cfg with the defaults (instance 0, no point code,
 *  no CICs, max SIF 272); as iwf_sip_peer_alloc(). */
struct iwf_ss7_peer *iwf_ss7_peer_alloc(struct iwf_cfg *cfg, const char *name);
void iwf_ss7_peer_free(struct iwf_ss7_peer *peer);

/*! An SS7 peer of \a cfg on cs7 instance \a inst and point code \a pc one
 *  of whose CIC ranges overlaps first..last; \a skip (may be NULL) is left
 *  out of the search.  \returns it or NULL */
const struct iwf_ss7_peer *iwf_ss7_peer_cic_conflict(const struct iwf_cfg *cfg,
						     const struct iwf_ss7_peer *skip,
						     uint32_t inst, uint32_t pc,
						     uint16_t first, uint16_t last);

/*! Add CICs first..last to \a peer.
 *  \returns 0; -ERANGE unless first <= last <= 4095; -EEXIST when the
 *  range overlaps one of this or another peer on the same instance and
 *  point code; -ENOSPC beyond IWF_PEER_MAX_CIC_RANGES ranges */
int iwf_ss7_peer_add_cic(struct iwf_cfg *cfg, struct iwf_ss7_peer *peer, uint16_t first,
			 uint16_t last);

/*! Remove the range first..last (exactly as configured).
 *  \returns 0 or -ENOENT */
int iwf_ss7_peer_del_cic(struct iwf_ss7_peer *peer, uint16_t first, uint16_t last);

/*! Set the route for \a prefix ("" or "default": all numbers) towards
 *  \a dest; an existing route of the same prefix and direction keeps its
 *  place and takes the new peer.  The peer need not exist yet
 *  (iwf_cfg_check() finds dangling names).
 *  \returns 0; -EINVAL for a bad prefix or name; -ENOMEM */
int iwf_route_set(struct iwf_cfg *cfg, const char *prefix, enum iwf_route_dest dest,
		  const char *peer);

/*! \returns 0 or -ENOENT */
int iwf_route_del(struct iwf_cfg *cfg, const char *prefix, enum iwf_route_dest dest);

/*! The first route of \a cfg naming \a peer of type \a dest, or NULL
 *  (what still refers to a peer that is to be removed). */
const struct iwf_route *iwf_route_by_peer(const struct iwf_cfg *cfg, enum iwf_route_dest dest,
					  const char *peer);

/*! Peer names: 1..32 of A-Z a-z 0-9 . _ - */
bool iwf_peer_name_valid(const char *name);

/*! Route prefixes: 0..15 digits, or "default" */
bool iwf_route_prefix_valid(const char *prefix);

/*! An OID in dotted decimal: at least two arcs, the first 0..2, no empty
 *  arcs or leading zeros (X.690 §8.19, X.660) */
bool iwf_oid_valid(const char *oid);

/*! A URL stiwfd may fetch from: "https://" and a host (or "http://" when
 *  \a allow_http), no white space or control characters, at most
 *  IWF_URL_MAX octets; with \a need_key_id it must contain "{key-id}".
 *  \returns 0, -EINVAL (not a URL of that form), -EPROTONOSUPPORT
 *  (http:// without allow_http), -ENAMETOOLONG, -ENOENT (no {key-id}),
 *  -EPERM (a query string or fragment: a certificate URL names a file) */
int iwf_url_check(const char *url, bool need_key_id, bool allow_http);

/*! Consistency of the whole configuration (g_iwf_cfg), for after reading
 *  the file: routes and ss7-peer "sip-peer" naming unknown peers, SS7
 *  peers without point code or CICs or with overlapping CICs, SIP peers
 *  sharing an address and port, incomplete credentials, equal policy OIDs,
 *  a clock skew above the HOP window, configured files and directories
 *  that do not exist.  The first problem found goes to \a err.
 *  \returns 0 or -EINVAL */
int iwf_cfg_check(char *err, size_t len);
