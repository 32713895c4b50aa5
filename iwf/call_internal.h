/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file call_internal.h
 *  What iwf/call.c (legs, layer, log line, VTY), iwf/call_fsm.c (state)
 *  and the two flows (iwf/call_sip_to_isup.c, iwf/call_isup_to_sip.c)
 *  share about a call.  Not for other rooms. */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/fsm.h>

#include "iwf/call.h"
#include "iwf/call_fsm.h"
#include "iwf/number.h"
#include "iwf/peer.h"
#include "iwf/policy.h"
#include "sip/sip_call.h"
#include "src/core/workq.h"
#include "ss7/isup.h"
#include "ss7/sigtoken.h"

struct stir_vs_req;
struct stir_as_req;
struct tsca_lookup;
struct isup_call;
struct replay_store_req;

/* Counters of the call layer (rate_ctr group "iwf_call") */
enum iwf_call_ctr {
	IWF_CALL_CTR_SIP_IN,		/* INVITEs taken (SIP -> ISUP) */
	IWF_CALL_CTR_ISUP_IN,		/* IAMs taken (ISUP -> SIP) */
	IWF_CALL_CTR_ANSWERED,
	IWF_CALL_CTR_REJECTED_STIR,	/* refused by policy: SIP code or REL */
	IWF_CALL_CTR_FAILED,		/* no route, no circuit, far end refused */
	IWF_CALL_CTR_VS_PASSED,
	IWF_CALL_CTR_VS_FAILED,
	IWF_CALL_CTR_VS_NONE,
	IWF_CALL_CTR_HOP_VALID,
	IWF_CALL_CTR_HOP_INVALID,
	IWF_CALL_CTR_HOP_MISSING,
	IWF_CALL_CTR_PASSPORT_OUT,	/* PASSPORT TLV sent */
	IWF_CALL_CTR_REBUILT,		/* original Identity rebuilt towards SIP */
	IWF_CALL_CTR_SIGNED,		/* new PASSporT signed towards SIP */
	IWF_CALL_CTR_RETRY,		/* ISUP repeat attempts */
	IWF_CALL_CTR_DIV_PASSED,	/* INVITEs whose div PASSporT verified (RFC 8946) */
	IWF_CALL_CTR_DIV_FAILED,	/* INVITEs whose div PASSporT failed */
	IWF_CALL_CTR_DIV_IGNORED,	/* INVITEs with a div PASSporT not verified */
	IWF_CALL_CTR_DIV_OUT,		/* DIV TLV sent */
	IWF_CALL_CTR_DIV_REBUILT,	/* original div PASSporT rebuilt towards SIP */
	IWF_CALL_CTR_DIV_SIGNED,	/* new div PASSporT signed towards SIP */
};

/* What only the setup of a call needs: allocated with the call, freed once
 * it is answered (iwf_call_setup_done()), so that an established call does
 * not hold its decoded token and identities. */
struct iwf_call_setup {
	struct iwf_isup_identity isup_id;
	struct iwf_sip_identity sip_id;
	struct sigtoken tok;
};

/* What the call-log line says of the token once the setup state is gone */
struct iwf_call_tok_flags {
	bool has_hop, has_passport, has_div, has_verdict;
	uint8_t verstat;			/* enum sigtoken_verstat, with has_verdict */
};

struct iwf_call {
	struct llist_head entry;
	struct osmo_fsm_inst *fi;
	uint32_t id;
	enum iwf_call_dir dir;
	char call_id[SIP_CALL_CALLID_MAX];	/* the SIP Call-ID */

	/* the legs; NULL once gone */
	struct sip_call *sip;
	struct isup_call *isup;
	struct iwf_sip_peer *sip_peer;
	struct iwf_ss7_peer *ss7_peer;
	struct iwf_policy policy;		/* ingress knobs, egress ACI */
	uint16_t cic;

	/* identities: E.164 digits, "" when absent */
	char calling[SIGTOKEN_E164_MAX + 1];
	char called[SIGTOKEN_E164_MAX + 1];
	struct isup_msg *iam;			/* built (SIP->ISUP) or received (ISUP->SIP) */
	struct iwf_call_setup *su;		/* NULL once answered */
	struct iwf_call_tok_flags tokf;		/* of su->tok, kept when su goes */
	struct sigtoken_call sc;

	/* SIP -> ISUP */
	char **identity;			/* copies of the Identity values */
	unsigned int n_identity;
	struct stir_vs_req *vs_req;
	struct iwf_sip_evidence sev;
	int vs_verstat;				/* enum stir_verstat */
	char vs_detail[96];
	char spc_in[16];
	char origid_in[40];
	int div_in;				/* enum stir_vs_div: the INVITE's div PASSporT */
	bool div_carriable;			/* tok.div holds it, rebuildable (e2e_div_to_tlv()) */
	struct stiwf_work work;
	struct sigtoken_key *sign_key;
	uint32_t sign_iat;
	int sign_rc;

	/* ISUP -> SIP */
	struct iwf_isup_evidence iev;
	bool iev_hop_checked;
	struct tsca_lookup *tsca_req;
	struct replay_store_req *store_req;	/* the shared store's answer awaited */
	bool hop_ours;				/* we remembered its HOP first (cache and store) */
	struct stir_as_req *as_req;
	char *identity_out;			/* Identity value to send, or NULL */
	bool identity_sent;			/* the INVITE carried identity_out,
						 * which is then freed */
	char signer[KEYID_HEX_LEN];
	int pp_code;				/* STI-VS code of the rebuilt PASSporT */
	char *identity_div_out;			/* second Identity value, a div PASSporT, or NULL */
	const char *div_out;			/* "rebuilt", "signed" or NULL: the INVITE's div PASSporT */
	bool div_verifies;			/* the DIV TLV's rebuilt div PASSporT verified */
	char div_sign_from[SIGTOKEN_E164_MAX + 1];	/* re-signing: the number first called, or "" */
	bool acm_sent;
	bool inband_sent;			/* ISUP was told of early media */

	/* outcome */
	struct iwf_decision dec;
	bool decided;
	char attest_in;
	char attest_out;
	bool answered;
	int sip_status;				/* final SIP status sent or received, 0 */
	uint8_t cause;				/* Q.850 cause sent or received, 0 */
	const char *end;			/* who ended it, for the log line */
	struct timespec t_start, t_answer;
	/* the setup message left (IAM on SIP->ISUP, INVITE on ISUP->SIP):
	 * t_egress - t_start is the post-dial delay the IWF adds */
	struct timespec t_egress;
	bool egress_sent;
};

/* call.c */
extern struct iwf_call_env g_iwf_env;
/* the legs' operations: env->legs, or the real ones */
extern const struct iwf_call_leg_ops *g_iwf_legs;
void iwf_call_ctr_inc(unsigned int idx);
/* the call-log line at NOTICE, when a log target would print it */
void iwf_call_log_line(struct iwf_call *call);
/* room for the longest call-log line and its '\0' (checked in call.c) */
#define IWF_CALL_LOG_MAX	5120
/* the call-log line's JSON into buf[0..size), without "call-log ".
 * \returns its length, or -ENOSPC (buf then holds "") */
int iwf_call_log_format(char *buf, size_t size, struct iwf_call *call);
const char *iwf_call_sdp(const struct iwf_ss7_peer *peer);
/* the HOP credential's prepared key, or NULL */
struct sigtoken_key *iwf_call_hop_key(void);

/* call_fsm.c: the state table the flows drive */
void call_state_chg(struct iwf_call *call, enum iwf_call_state st);
/* the cause overrides of the call's trunk, or NULL for RFC 3398's */
const struct iwf_cause_map *call_causes(const struct iwf_call *call);
/* a verdict on the global counters and on those of the peer */
void verdict_inc(struct iwf_call *call, enum iwf_call_ctr idx);
/* the call is answered: free what only its setup needed */
void iwf_call_setup_done(struct iwf_call *call);
/* copy what the call-log line needs of su->tok to call->tokf */
void iwf_call_tok_flags_update(struct iwf_call *call);
/* release what is left of the call and terminate its FSM */
void call_end(struct iwf_call *call, uint8_t cause, const char *end);

/* call_sip_to_isup.c: the SIP -> ISUP flow */
void iwf_call_sip_start(struct iwf_call *call, const struct sip_call_info *info);
void sip_decide(struct iwf_call *call);
void sip_send_iam(struct iwf_call *call, int sign_rc);

/* call_isup_to_sip.c: the ISUP -> SIP flow */
void iwf_call_isup_start(struct iwf_call *call);
void isup_decide(struct iwf_call *call);
void isup_place_invite(struct iwf_call *call, int sign_rc);
