/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file call.h
 *  The IWF call layer: the B2BUA that joins a SIP leg (sip/sip_call.h) and
 *  an ISUP leg (ss7/isup_trunk.h) and carries the caller's identity across
 *  with the attestation of ARCHITECTURE §4.
 *
 *  SIP -> ISUP: INVITE -> route by called number -> STI-VS ->
 *  iwf_policy_sip_to_isup() -> SIP final response, or an IAM on a circuit
 *  of the ss7-peer with the token of ARCHITECTURE §2.2 (HOP signed on the worker
 *  pool, PASSPORT when it can be rebuilt, VERDICT).
 *  ISUP -> SIP: IAM -> HOP check (TSCA signer by key-id, window, replay) and
 *  the PASSporT rebuilt and verified -> iwf_policy_isup_to_sip() -> REL,
 *  or an INVITE with the original Identity or a new one from the STI-AS,
 *  and verstat on the P-Asserted-Identity.
 *
 *  Every call ends with one JSON line (category DIWF, level NOTICE):
 *  both sides' verification results, attestation in and out, peers, CIC,
 *  causes and durations. */

#include <stdbool.h>
#include <stdint.h>

#include <osmocom/core/utils.h>

struct stiwf_sip_agent;
struct stiwf_workq;
struct stir_vs;
struct stir_as;
struct tsca_dir;
struct credential;
struct sigtoken_replay;
struct certmap;
struct isup_trunk_ops;
struct iwf_ss7_peer;
struct replay_store;
struct sip_call;
struct sip_call_ops;
struct sip_call_out_params;
struct isup_call;
struct isup_msg;
struct isup_trunk;

enum iwf_call_dir {
	IWF_CALL_SIP_TO_ISUP,
	IWF_CALL_ISUP_TO_SIP,
};
extern const struct value_string iwf_call_dir_names[];

/*! What the call layer does to its legs: the Sofia-SIP leg of
 *  sip/sip_call.h and the ISUP circuit of ss7/isup_trunk.h, under the names
 *  of those functions.  The daemon leaves iwf_call_env.legs NULL, which
 *  means those; the unit test of the call FSM drives the calls with its
 *  own (tests/iwf/call_fsm_test.c). */
struct iwf_call_leg_ops {
	void (*sip_agent_set_call_ops)(struct stiwf_sip_agent *agent, const struct sip_call_ops *ops,
				       void *agent_priv);
	void (*sip_call_set_priv)(struct sip_call *call, void *priv);
	struct sip_call *(*sip_call_place)(struct stiwf_sip_agent *agent, const struct sip_call_out_params *p,
					   void *priv, int *err);
	int (*sip_call_ring)(struct sip_call *call, int status, const char *sdp);
	int (*sip_call_answer)(struct sip_call *call, const char *sdp);
	int (*sip_call_reject)(struct sip_call *call, int status, const char *phrase, const char *reason);
	int (*sip_call_release)(struct sip_call *call, const char *reason);
	const char *(*sip_call_get_id)(const struct sip_call *call);

	int (*isup_trunk_call_setup)(struct isup_trunk *t, const struct isup_msg *iam, void *call_priv,
				     struct isup_call **call);
	void (*isup_call_set_priv)(struct isup_call *call, void *call_priv);
	uint16_t (*isup_call_cic)(const struct isup_call *call);
	int (*isup_call_send_acm)(struct isup_call *call, const struct isup_msg *msg);
	int (*isup_call_send_cpg)(struct isup_call *call, const struct isup_msg *msg);
	int (*isup_call_send_anm)(struct isup_call *call, const struct isup_msg *msg);
	int (*isup_call_send_con)(struct isup_call *call, const struct isup_msg *msg);
	int (*isup_call_release)(struct isup_call *call, uint8_t cause);
};

/*! What the call layer works with; the daemon builds it (src/stiwfd/stiwfd.c).
 *  Any of the services may be NULL: a call that needs a missing one takes
 *  the policy's path for "cannot verify" or "cannot sign". */
struct iwf_call_env {
	struct stiwf_sip_agent *sip;
	struct stiwf_workq *workq;
	struct stir_vs *vs;		/*!< STI-VS over the SHAKEN domain */
	struct stir_as *as;		/*!< STI-AS with the STI credential */
	struct tsca_dir *tsca;		/*!< HOP signers by key-id */
	struct credential *hop_cred;	/*!< the TSCA operator credential that signs HOP */
	struct sigtoken_replay *replay;	/*!< HOP replay cache */
	/*! the replay store shared with the other IWFs, asked after the
	 *  cache (src/core/replay_store.h), or NULL */
	struct replay_store *store;
	/*! the store could not answer: let the cache decide (else release) */
	bool store_fail_local;
	struct certmap *map;		/*!< the domain map */
	const char *media_addr;		/*!< address of the default SDP template */
	/* the settings the flows read, as they were when the layer started */
	unsigned int stir_max_age;	/*!< oldest PASSporT iat ("stir / max-age"); 0: 60 s */
	unsigned int hop_window;	/*!< oldest HOP iat ("tsca / hop-window"); 0: 60 s */
	unsigned int hop_skew;		/*!< clock skew allowed for a HOP iat ("tsca / hop-skew") */
	const struct iwf_call_leg_ops *legs;	/*!< NULL: the real legs */
};

/*! Start the call layer: counters, and the SIP call ops on env->sip.
 *  \returns 0 or -ENOMEM */
int iwf_call_layer_init(void *ctx, const struct iwf_call_env *env);

/*! Release every call (REL 16 / BYE or 503 with "Q.850;cause=41") and
 *  free the layer.  The legs are ended before their owners go away. */
void iwf_call_layer_fini(void);

/*! Fill the call-control members of \a ops (all but send) for a trunk
 *  whose priv is its struct iwf_ss7_peer. */
void iwf_call_trunk_ops_fill(struct isup_trunk_ops *ops);

/*! Set the SDP of the media gateway behind \a peer (copied); NULL: the
 *  default template on env->media_addr.  \returns 0 or -ENOMEM */
int iwf_call_peer_sdp_set(const struct iwf_ss7_peer *peer, const char *sdp);

/*! Calls in progress. */
unsigned int iwf_call_count(void);

/*! Install "show calls" and "show calls summary". */
void iwf_call_vty_init(void);
