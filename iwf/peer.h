#pragma once
/*! \file peer.h
 *  The IWF's configuration objects (DESIGN §4, §5): SIP peers, SS7 peers,
 *  routes by called-number prefix, and the two trust domains with their
 *  credentials.  The VTY (iwf/peer_vty.c) fills them; the daemon turns
 *  them into live objects (trunks, trust stores, fetchers, credentials) at
 *  start; the call FSM (iwf/call_fsm.c) reads them.  No I/O here.
 *
 *  Configuration, as written by "show running-config":
 *
 *    stir
 *     trust-dir /etc/stiwf/shaken/trust
 *     crl-file /etc/stiwf/shaken/sti-ca.crl.pem
 *     x5u-ca-file /etc/ssl/certs/ca-certificates.crt
 *     x5u-timeout 2000
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
 *     sdp-template /etc/stiwf/exchange-b.sdp
 *     sip-peer carrier-a
 *    route 1202 ss7-peer exchange-b
 *    route 1 sip-peer carrier-a
 */

#include <stdbool.h>
#include <stdint.h>

#include <osmocom/core/linuxlist.h>

#include "iwf/number.h"
#include "iwf/policy.h"

#define IWF_PEER_NAME_MAX	32
#define IWF_ROUTE_PREFIX_MAX	15
#define IWF_PEER_MAX_CIC_RANGES	16

enum iwf_sip_transport {
	IWF_SIP_TP_UDP,
	IWF_SIP_TP_TCP,
};

/*! A SIP carrier stiwfd exchanges calls with. */
struct iwf_sip_peer {
	struct llist_head entry;
	char name[IWF_PEER_NAME_MAX + 1];
	char addr[48];			/*!< numeric address; calls from it match this peer */
	uint16_t port;			/*!< 5060 by default */
	enum iwf_sip_transport transport;
	struct iwf_policy policy;	/*!< its STIR ingress knobs */
	struct iwf_number_plan plan;	/*!< how its numbers look */
};

/*! An SS7 exchange (trunk group) reached over M3UA. */
struct iwf_ss7_peer {
	struct llist_head entry;
	char name[IWF_PEER_NAME_MAX + 1];
	uint32_t cs7_instance;
	uint32_t dpc;
	unsigned int n_cic_ranges;
	struct {
		uint16_t first, last;
	} cic[IWF_PEER_MAX_CIC_RANGES];
	uint16_t max_sif_len;		/*!< 272 by default (Q.703 SIF, routing label included) */
	struct iwf_policy policy;	/*!< HOP knobs, ACI, release cause */
	struct iwf_number_plan plan;
	char *sdp_template;		/*!< path of the media gateway's SDP, or NULL */
	char sip_peer[IWF_PEER_NAME_MAX + 1];	/*!< default destination of its calls, "" none */
	/*! live trunk, set by the daemon (struct isup_trunk *) */
	void *trunk;
};

enum iwf_route_dest {
	IWF_ROUTE_SS7,			/*!< SIP -> ISUP towards an ss7-peer */
	IWF_ROUTE_SIP,			/*!< ISUP -> SIP towards a sip-peer */
};

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
	char *crl_files[8];
	char *repository;		/*!< TSCA: URL template with {key-id} */
	char *fetch_ca_file;		/*!< TLS trust for x5u / repository fetches */
	bool allow_http;		/*!< lab only */
	unsigned int fetch_timeout_ms;	/*!< 2000 by default */
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
	char *tsca_full_oid;
	char *tsca_provisional_oid;
	char *map_file;
	struct llist_head sip_peers;
	struct llist_head ss7_peers;
	struct llist_head routes;
};

/*! The configuration in force (allocated by iwf_peer_vty_init()). */
extern struct iwf_cfg *g_iwf_cfg;

/*! Install the stir, tsca, sip-peer, ss7-peer and route nodes. */
void iwf_peer_vty_init(void *ctx);

struct iwf_sip_peer *iwf_sip_peer_find(const char *name);
/*! The SIP peer whose address a request came from, or NULL. */
struct iwf_sip_peer *iwf_sip_peer_by_addr(const char *addr);
struct iwf_ss7_peer *iwf_ss7_peer_find(const char *name);
/*! The SS7 peer of point code dpc on cs7 instance inst, or NULL. */
struct iwf_ss7_peer *iwf_ss7_peer_by_pc(uint32_t inst, uint32_t pc);

/*! Longest-prefix route for a called number (E.164 digits) towards dest.
 *  \returns the route or NULL */
const struct iwf_route *iwf_route_lookup(const char *called, enum iwf_route_dest dest);
