/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The IWF call: the SIP -> ISUP flow of ARCHITECTURE §4 (INVITE, STI-VS,
 * policy, HOP signature, IAM).  The state table is in iwf/call_fsm.c. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <osmocom/core/fsm.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/tdef.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "certs/credential.h"
#include "certs/map.h"
#include "certs/tsca.h"
#include "iwf/call.h"
#include "iwf/call_fsm.h"
#include "iwf/call_internal.h"
#include "iwf/call_steps.h"
#include "iwf/cause.h"
#include "iwf/e2e_passport.h"
#include "sip/stir_as.h"
#include "sip/stir_error.h"
#include "sip/stir_vs.h"
#include "src/core/evloop.h"
#include "src/core/logging.h"
#include "src/core/replay_store.h"
#include "iwf/isup_identity.h"
#include "ss7/isup_trunk.h"

/* ---------------------------------------------------------------------
 * SIP -> ISUP
 * --------------------------------------------------------------------- */

static void vs_done(const struct stir_vs_result *res, void *priv)
{
	struct iwf_call *call = priv;

	call->vs_req = NULL;
	/* the STI-VS is done with the Identity values: a held call keeps
	 * only their count (for the call's log line) */
	TALLOC_FREE(call->identity);
	call->vs_verstat = res->verstat;
	call->sev.stir_code = res->code;
	call->sev.attest = res->code == 0 ? res->attest : 0;
	call->attest_in = res->attest;
	call->sev.passport_canonical = false;
	osmo_strlcpy(call->vs_detail, res->detail ? res->detail : "", sizeof(call->vs_detail));
	osmo_strlcpy(call->spc_in, res->spc ? res->spc : "", sizeof(call->spc_in));
	osmo_strlcpy(call->origid_in, res->origid ? res->origid : "", sizeof(call->origid_in));
	call->div_in = res->div;
	call->div_carriable = false;
	if (res->code == 0 && res->pp) {
		/* a forwarded call's SHAKEN PASSporT names the number first
		 * called, which the DIV TLV carries (docs/FORWARDING.md §3) */
		const char *pp_dest = res->div_pp ? res->div_pp->div_tn : call->sc.dest;
		enum e2e_passport_err err;

		call->sev.x5u_len = strlen(res->pp->x5u);
		/* ARCHITECTURE §2.2: carry it only when the far IWF can rebuild it
		 * byte for byte from the TLV and the IAM's numbers */
		if (res->canonical &&
		    e2e_passport_to_tlv(&call->su->tok.passport, res->pp, call->sc.orig, pp_dest) == E2E_PP_OK)
			call->sev.passport_canonical = true;
		if (res->div_pp) {
			err = e2e_div_to_tlv(&call->su->tok.div, res->div_pp, call->sc.orig, call->sc.dest);
			if (err == E2E_PP_OK && call->sev.passport_canonical)
				call->div_carriable = true;
			else
				LOGPFSML(call->fi, LOGL_NOTICE, "'div' PASSporT (diverted from %s) not carried into "
					 "ISUP: %s\n", res->div_pp->div_tn, err != E2E_PP_OK ?
					 get_value_string(e2e_passport_err_names, err) :
					 "the SHAKEN PASSporT it extends cannot travel in the PASSPORT TLV");
		}
	}
	switch (res->div) {
	case STIR_VS_DIV_PASSED:
		verdict_inc(call, IWF_CALL_CTR_DIV_PASSED);
		break;
	case STIR_VS_DIV_FAILED:
		verdict_inc(call, IWF_CALL_CTR_DIV_FAILED);
		break;
	default:
		if (res->div == STIR_VS_DIV_IGNORED || res->num_div_ignored)
			verdict_inc(call, IWF_CALL_CTR_DIV_IGNORED);
		break;
	}
	if (res->pp && res->pp->rcd_claims) {
		char names[32];

		/* RFC 9795 Rich Call Data has no ISUP parameter, and the
		 * PASSporT holding it cannot be rebuilt from the PASSPORT TLV
		 * (e2e_passport_to_tlv()): it ends here (docs/RCD.md) */
		LOGPFSML(call->fi, LOGL_NOTICE, "PASSporT carries Rich Call Data (%s): not carried into ISUP, "
			 "dropped at this border; only the verdict goes on\n",
			 passport_rcd_claims_str(names, sizeof(names), res->pp->rcd_claims));
	}
	if (res->code)
		verdict_inc(call, IWF_CALL_CTR_VS_FAILED);
	else if (res->verstat == STIR_VERSTAT_PASSED)
		verdict_inc(call, IWF_CALL_CTR_VS_PASSED);
	else
		verdict_inc(call, IWF_CALL_CTR_VS_NONE);
	osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_VERIFIED, NULL);
}

void iwf_call_sip_start(struct iwf_call *call, const struct sip_call_info *info)
{
	struct iwf_isup_identity e164;
	struct iwf_number_plan plan;
	struct stir_vs_input in = {};
	struct stir_vs_cfg cfg;
	const struct iwf_route *route;
	struct iwf_ss7_peer *ss7;
	unsigned int i;
	int rc;

	iwf_sip_identity_from_info(&call->su->sip_id, info);
	call->sip_peer = iwf_sip_peer_by_request(info);
	if (!call->sip_peer) {
		LOGPFSML(call->fi, LOGL_NOTICE, "INVITE from %s, which is no sip-peer: 403\n", info->peer_addr);
		call->sip_status = 403;
		g_iwf_legs->sip_call_reject(call->sip, 403, NULL, NULL);
		call->sip = NULL;
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, IWF_CAUSE_CALL_REJECTED, "no-sip-peer");
		return;
	}

	if (iwf_sip_peer_transport_check(call->sip_peer, info->stream) < 0) {
		LOGPFSML(call->fi, LOGL_NOTICE, "INVITE from %s (sip-peer %s, transport tls) not over TLS: 403\n",
			 info->peer_addr, call->sip_peer->name);
		call->sip_status = 403;
		g_iwf_legs->sip_call_reject(call->sip, 403, "TLS Required", "SIP ;cause=403;text=\"TLS required\"");
		call->sip = NULL;
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, IWF_CAUSE_CALL_REJECTED, "tls-required");
		return;
	}

	/* The numbers in E.164 form, the peer's rules for reading them. */
	plan = call->sip_peer->plan;
	plan.format = IWF_NUMFMT_INTERNATIONAL;
	rc = iwf_number_sip_to_isup(&e164, &call->su->sip_id, &plan);
	if (rc < 0) {
		LOGPFSML(call->fi, LOGL_NOTICE, "INVITE from %s: numbers cannot be mapped to E.164\n",
			 call->sip_peer->name);
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, IWF_CAUSE_INVALID_NUMBER_FORMAT, "bad-number");
		return;
	}
	osmo_strlcpy(call->called, e164.called.digits, sizeof(call->called));
	if (e164.calling.present)
		osmo_strlcpy(call->calling, e164.calling.digits, sizeof(call->calling));

	route = iwf_route_lookup(call->called, IWF_ROUTE_SS7);
	ss7 = route ? iwf_ss7_peer_find(route->peer) : NULL;
	if (!ss7 || !ss7->trunk) {
		LOGPFSML(call->fi, LOGL_NOTICE, "no route to an ss7-peer for %s\n", call->called);
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, IWF_CAUSE_NO_ROUTE_TO_DEST, "no-route");
		return;
	}
	call->ss7_peer = ss7;
	/* the ingress knobs are the SIP peer's, the token's ACI the SS7 peer's */
	call->policy = call->sip_peer->policy;
	call->policy.aci = ss7->policy.aci;

	/* The IAM as the SS7 peer wants its numbers, and what HOP signs */
	rc = iwf_iam_for_ss7_peer(call, &call->su->sip_id, &call->sip_peer->plan, ss7, call->called, &call->su->isup_id,
				  &call->iam, &call->sc);
	if (rc < 0) {
		LOGPFSML(call->fi, LOGL_ERROR, "cannot build the IAM for %s: %s\n", call->called, strerror(-rc));
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, rc == -ENOMEM ? IWF_CAUSE_TEMPORARY_FAILURE : IWF_CAUSE_INVALID_NUMBER_FORMAT,
			 "iam-build");
		return;
	}

	/* a forwarded call: who forwarded it (docs/FORWARDING.md) */
	iwf_iam_add_divert(call->iam, &info->divert, info->call_id);

	/* STI-VS over the Identity values (RFC 8224 §6.2) */
	call->sev.identity_present = info->n_identity > 0;
	call->identity = talloc_zero_array(call, char *, info->n_identity ? info->n_identity : 1);
	for (i = 0; call->identity && i < info->n_identity; i++)
		call->identity[i] = talloc_strdup(call->identity, info->identity[i]);
	call->n_identity = info->n_identity;
	for (i = 0; i < info->n_identity; i++) {
		if (!call->identity || !call->identity[i]) {
			call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "no-memory");
			return;
		}
	}
	if (!info->n_identity) {
		/* nothing to verify: the policy decides on "no Identity" */
		call->vs_verstat = STIR_VERSTAT_NO_VALIDATION;
		verdict_inc(call, IWF_CALL_CTR_VS_NONE);
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_VERIFIED, NULL);
		return;
	}
	if (!g_iwf_env.vs) {
		/* no SHAKEN trust configured: the credential cannot be had */
		call->vs_verstat = STIR_VERSTAT_FAILED;
		call->sev.stir_code = STIR_ERR_BAD_IDENTITY_INFO;
		osmo_strlcpy(call->vs_detail, "no STI-VS configured", sizeof(call->vs_detail));
		verdict_inc(call, IWF_CALL_CTR_VS_FAILED);
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_VERIFIED, NULL);
		return;
	}
	stir_vs_cfg_init(&cfg);
	cfg.max_age = g_iwf_env.stir_max_age ? g_iwf_env.stir_max_age : STIR_VS_DEFAULT_MAX_AGE;
	cfg.check_date = false;
	/* the policy, not the STI-VS, answers 428 (ARCHITECTURE §4) */
	cfg.identity_required = false;
	in.identity = (const char *const *)call->identity;
	in.num_identity = call->n_identity;
	in.orig_tn = call->calling;
	in.dest_tn = call->called;
	in.now = stiwf_evloop_time();
	call->vs_req = stir_vs_verify(g_iwf_env.vs, call, &cfg, &in, vs_done, call);
	if (!call->vs_req) {
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "no-memory");
	}
}

/* Worker thread: the HOP signature (ARCHITECTURE §2.2).  Touches only the job. */
static void hop_sign_work(struct stiwf_work *w)
{
	struct iwf_call *call = w->priv;

	call->sign_rc = sigtoken_hop_sign(&call->su->tok, call->sign_key, call->sign_iat, &call->sc);
}

/* Loop: the signature is done */
static void hop_sign_done(struct stiwf_work *w)
{
	struct iwf_call *call = w->priv;
	int rc = call->sign_rc;

	/* the call signs once: its copy of the key (two OpenSSL contexts,
	 * 1.6 kB) must not stay with it for as long as it is held */
	TALLOC_FREE(call->sign_key);
	osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SIGNED, &rc);
}

void sip_decide(struct iwf_call *call)
{
	struct iwf_decision *d = &call->dec;
	int rc;

	rc = iwf_policy_sip_to_isup(&call->policy, &call->sev, d);
	if (rc < 0) {
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "policy");
		return;
	}
	call->decided = true;
	if (d->action == IWF_ACTION_REJECT) {
		LOGPFSML(call->fi, LOGL_NOTICE, "refused by policy: %d %s (%s)\n", d->sip_status,
			 d->sip_phrase, get_value_string(iwf_policy_reason_names, d->reason));
		iwf_call_ctr_inc(IWF_CALL_CTR_REJECTED_STIR);
		call->sip_status = d->sip_status;
		g_iwf_legs->sip_call_reject(call->sip, d->sip_status, d->sip_phrase,
					    d->reason_header[0] ? d->reason_header : NULL);
		call->sip = NULL;
		call_end(call, iwf_cause_from_sip(call_causes(call), d->sip_status), "policy");
		return;
	}

	/* The token: PASSPORT (filled by vs_done), VERDICT, then HOP over both */
	call->su->tok.has_passport = d->tlv_passport && call->sev.passport_canonical;
	if (!call->su->tok.has_passport)
		memset(&call->su->tok.passport, 0, sizeof(call->su->tok.passport));
	else
		iwf_call_ctr_inc(IWF_CALL_CTR_PASSPORT_OUT);
	/* ARCHITECTURE §2.2 DIV: only beside the PASSPORT it extends */
	call->su->tok.has_div = call->su->tok.has_passport && call->div_carriable;
	if (call->div_carriable && !call->su->tok.has_div)
		LOGPFSML(call->fi, LOGL_NOTICE, "'div' PASSporT not carried into ISUP: the policy sends no "
			 "PASSPORT TLV for it to extend\n");
	if (!call->su->tok.has_div)
		memset(&call->su->tok.div, 0, sizeof(call->su->tok.div));
	else
		iwf_call_ctr_inc(IWF_CALL_CTR_DIV_OUT);
	call->su->tok.has_verdict = d->tlv_verdict;
	call->su->tok.verdict.verstat = d->verdict_verstat;
	call->su->tok.verdict.reason = d->verdict_reason;
	if (!d->tlv_hop || !g_iwf_env.hop_cred) {
		if (d->tlv_hop)
			LOGPFSML(call->fi, LOGL_NOTICE, "no TSCA credential: the IAM goes without HOP\n");
		rc = 0;
		call_state_chg(call, IWF_CALL_ST_SIGN);
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SIGNED, &rc);
		return;
	}
	/* a copy of the prepared key for the worker: no key-id, no
	 * provider look-up per call */
	call->sign_key = iwf_call_hop_key() ? sigtoken_key_dup(call, iwf_call_hop_key()) :
					      sigtoken_key_alloc(call, g_iwf_env.hop_cred->key);
	if (!call->sign_key) {
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "hop-key");
		return;
	}
	/* ARCHITECTURE §2.2 BIND: the network the HOP is meant for, signed with
	 * the rest, so that it cannot be replayed at another IWF */
	call->su->tok.has_bind = false;
	if (call->ss7_peer->hop_bind_send[0] && sigtoken_bind_set(&call->su->tok, call->ss7_peer->hop_bind_send) < 0) {
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "hop-bind");
		return;
	}
	call->sign_iat = (uint32_t)stiwf_evloop_time();
	call->work.work = hop_sign_work;
	call->work.done = hop_sign_done;
	call->work.priv = call;
	call_state_chg(call, IWF_CALL_ST_SIGN);
	if (g_iwf_env.workq && stiwf_workq_submit(g_iwf_env.workq, &call->work) == 0)
		return;
	/* no pool: sign on the loop */
	hop_sign_work(&call->work);
	hop_sign_done(&call->work);
}

void sip_send_iam(struct iwf_call *call, int sign_rc)
{
	struct isup_trunk *trunk = call->ss7_peer->trunk;
	int rc = sign_rc;

	if (rc == 0 && (call->su->tok.has_hop || call->su->tok.has_passport || call->su->tok.has_verdict || call->su->tok.has_div))
		rc = sigtoken_iam_put(call->iam, &call->su->tok, call->policy.aci);
	if (rc < 0) {
		LOGPFSML(call->fi, LOGL_ERROR, "cannot sign or place the token: %s\n", strerror(-rc));
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "hop-sign");
		return;
	}
	rc = g_iwf_legs->isup_trunk_call_setup(trunk, call->iam, call, &call->isup);
	if (rc < 0) {
		uint8_t cause = rc == -EBUSY ? IWF_CAUSE_NO_CIRCUIT_AVAILABLE :
				rc == -ENETDOWN ? IWF_CAUSE_NETWORK_OUT_OF_ORDER : IWF_CAUSE_TEMPORARY_FAILURE;

		LOGPFSML(call->fi, LOGL_NOTICE, "no IAM towards %s: %s, cause %u\n", call->ss7_peer->name,
			 strerror(-rc), cause);
		call->isup = NULL;
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, cause, "no-circuit");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &call->t_egress);
	call->egress_sent = true;
	/* the trunk keeps its own copy for repeat attempts; ours (a large
	 * struct) is not needed once the IAM left */
	TALLOC_FREE(call->iam);
	call->cic = g_iwf_legs->isup_call_cic(call->isup);
	LOGPFSML(call->fi, LOGL_INFO, "IAM %s -> %s on CIC %u of %s (HOP %s, PASSPORT %s, DIV %s, VERDICT %s)\n",
		 call->calling[0] ? call->calling : "-", call->called, call->cic, call->ss7_peer->name,
		 call->su->tok.has_hop ? "yes" : "no", call->su->tok.has_passport ? "yes" : "no",
		 call->su->tok.has_div ? "yes" : "no",
		 call->su->tok.has_verdict ? get_value_string(sigtoken_verstat_names, call->su->tok.verdict.verstat) : "no");
	call_state_chg(call, IWF_CALL_ST_SETUP);
}
