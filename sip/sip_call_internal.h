/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file sip_call_internal.h
 *  What sip_agent.c, sip_call.c and their tests share.  Includes Sofia
 *  headers: for sip/, tests/sip/ and sip/'s fuzz harness
 *  (tests/fuzz/sipmsg_fuzzer.c) only. */

#include <stdbool.h>
#include <stdint.h>

#include <sofia-sip/nua.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/su_glib.h>
#include <sofia-sip/su_strlst.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/timer.h>

#include "sip/sip_agent.h"
#include "sip/sdp_dir.h"
#include "sip/sip_call.h"

enum sip_agent_ctr {
	SIP_CTR_RX_OPTIONS,
	SIP_CTR_RX_INVITE,
	SIP_CTR_TX_REJECT,
	SIP_CTR_RX_OTHER,
	SIP_CTR_CALL_IN,
	SIP_CTR_CALL_OUT,
	SIP_CTR_CALL_ANSWERED,
	SIP_CTR_CALL_FAILED_4XX,
	SIP_CTR_CALL_FAILED_5XX,
	SIP_CTR_CALL_FAILED_6XX,
	SIP_CTR_CALL_FAILED_3XX,
	SIP_CTR_RX_BAD_INVITE,
	SIP_CTR_RX_BYE,
	SIP_CTR_RX_CANCEL,
	SIP_CTR_TLS_RECLAIMED,
};

struct stiwf_sip_agent {
	su_root_t *root;
	GSource *gsource;
	nua_t *nua;
	char url[128];
	char tls_url[128];			/*!< "" without TLS */
	su_strlst_t *tls_subjects;		/*!< Sofia keeps a pointer to it */
	struct rate_ctr_group *ctrs;
	/*! frees the TLS connection objects Sofia leaves behind */
	struct osmo_timer_list tls_reclaim_timer;
	bool tls_reclaim;
	bool shutting_down;
	void (*shutdown_done)(void *priv);
	void *shutdown_priv;

	/*! the owner of calls (sip_agent_set_call_ops()) */
	const struct sip_call_ops *call_ops;
	void *call_ops_priv;
	/*! every live struct sip_call, by its entry */
	struct llist_head calls;
	/*! readiness for OPTIONS (stiwf_sip_agent_set_ready_cb()) */
	stiwf_sip_ready_cb ready_cb;
	void *ready_priv;
	/*! every struct sip_keepalive of this agent (sip/sip_keepalive.h) */
	struct llist_head keepalives;
};

/*! A response to the OPTIONS of a keepalive (sip/sip_keepalive.c). */
void sip_keepalive_nua_response(struct stiwf_sip_agent *agent, int status, const char *phrase,
				nua_handle_t *nh, nua_hmagic_t *hmagic);
/*! Free the keepalives left: before nua goes. */
void sip_agent_keepalives_free(struct stiwf_sip_agent *agent);

/*! One call leg (see sip_call.h). */
struct sip_call {
	struct llist_head entry;		/*!< in agent->calls */
	struct stiwf_sip_agent *agent;
	nua_handle_t *nh;			/*!< owned: destroyed with the leg */
	enum sip_call_dir dir;
	enum sip_call_state state;
	time_t start;
	char call_id[SIP_CALL_CALLID_MAX];
	char calling[SIP_CALL_USER_MAX];	/*!< PAI (or From) user, as received or sent */
	char called[SIP_CALL_USER_MAX];		/*!< Request-URI user */
	char identity_summary[48];		/*!< ppt of each Identity received, "shaken,div" */
	char *local_sdp;			/*!< the SDP we sent first, for re-INVITEs */
	/*! our SDP in force when a re-INVITE changed stream directions
	 *  (hold), else NULL: local_sdp is */
	char *cur_sdp;
	unsigned int sdp_changes;		/*!< versions cur_sdp is past local_sdp */
	/*! the SDP the peer sent last as a re-INVITE is compared with it:
	 *  a digest and the streams' directions, valid when has_remote_sdp,
	 *  so no copy is held for the call's life */
	struct sdp_dir_shape remote_sdp;
	bool has_remote_sdp;
	void *priv;				/*!< the owner's */
	bool owner_gone;			/*!< the owner let go: no more callbacks */
	bool notified;				/*!< the terminal callback was sent */
};

/*! Why an incoming request is refused before a call exists. */
struct sip_call_reject {
	int status;
	const char *phrase;
	char warning[SIP_CALL_REASON_MAX];	/*!< Warning text, names the header */
};

/*! Extract and bound what the IWF needs from an INVITE (RFC 3261 §8.2).
 *  Identity values and the SDP are allocated under ctx.
 *  \param[out] info cleared first
 *  \param[in] msg the request as Sofia holds it (for the source address), may be NULL
 *  \param[in] sip its parsed headers
 *  \param[out] rej filled on failure: status, phrase and a Warning text
 *  \returns 0 or -EBADMSG */
int sip_call_info_extract(void *ctx, struct sip_call_info *info, msg_t *msg, const sip_t *sip,
			  struct sip_call_reject *rej);

/*! Hand a nua event of a call handle (or a new INVITE) to the call code.
 *  \returns true when the event belonged to a call */
bool sip_call_nua_event(struct stiwf_sip_agent *agent, nua_event_t event, int status,
			char const *phrase, nua_handle_t *nh, nua_hmagic_t *hmagic, sip_t const *sip,
			tagi_t tags[]);

/*! Free every leg (the owner hears released(SHUTDOWN)), before nua goes. */
void sip_agent_calls_free(struct stiwf_sip_agent *agent);

/*! Count an event on the agent's counters. */
void sip_agent_ctr_inc(struct stiwf_sip_agent *agent, enum sip_agent_ctr ctr);
