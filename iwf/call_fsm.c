/* The IWF call: the two flows of ARCHITECTURE §4 and the state of a call as an
 * osmo_fsm (see call.h and call_fsm.h). */

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
#include "src/logging.h"
#include "src/replay_store.h"
#include "iwf/isup_identity.h"
#include "ss7/isup_trunk.h"

#define S(x) (1 << (x))

/* Timers of the call layer ("timer iwf X1" in the VTY). */
struct osmo_tdef iwf_call_tdefs[] = {
	{ .T = -1, .default_val = 10, .unit = OSMO_TDEF_S,
	  .desc = "guard on verification and signing of a call (x5u and repository fetches included)" },
	{}
};

const struct value_string iwf_call_state_names[] = {
	{ IWF_CALL_ST_VERIFY, "VERIFY" },
	{ IWF_CALL_ST_SIGN, "SIGN" },
	{ IWF_CALL_ST_SETUP, "SETUP" },
	{ IWF_CALL_ST_ALERTING, "ALERTING" },
	{ IWF_CALL_ST_ACTIVE, "ACTIVE" },
	{ 0, NULL }
};

const struct value_string iwf_call_event_names[] = {
	{ IWF_CALL_EV_VERIFIED, "VERIFIED" },
	{ IWF_CALL_EV_SIGNED, "SIGNED" },
	{ IWF_CALL_EV_ISUP_PROGRESS, "ISUP_PROGRESS" },
	{ IWF_CALL_EV_ISUP_ANSWER, "ISUP_ANSWER" },
	{ IWF_CALL_EV_ISUP_REL, "ISUP_REL" },
	{ IWF_CALL_EV_SIP_PROGRESS, "SIP_PROGRESS" },
	{ IWF_CALL_EV_SIP_ANSWER, "SIP_ANSWER" },
	{ IWF_CALL_EV_SIP_FAILED, "SIP_FAILED" },
	{ IWF_CALL_EV_SIP_BYE, "SIP_BYE" },
	{ IWF_CALL_EV_SHUTDOWN, "SHUTDOWN" },
	{ 0, NULL }
};

static struct osmo_fsm iwf_call_fsm;

static void call_state_chg(struct iwf_call *call, enum iwf_call_state st)
{
	unsigned long guard = 0;

	if (st == IWF_CALL_ST_VERIFY || st == IWF_CALL_ST_SIGN)
		guard = osmo_tdef_get(iwf_call_tdefs, -1, OSMO_TDEF_S, 10);
	osmo_fsm_inst_state_chg(call->fi, st, guard, guard ? -1 : 0);
}

/* "Q.850;cause=N" (RFC 3326) */
static void q850_reason(char *buf, size_t size, uint8_t cause)
{
	snprintf(buf, size, "Q.850;cause=%u", cause);
}

/* The cause overrides of the call's trunk, or the RFC 3398 defaults. */
static const struct iwf_cause_map *call_causes(const struct iwf_call *call)
{
	return call->ss7_peer ? &call->ss7_peer->causes : NULL;
}

/* Release the legs still up with \a cause (ISUP) and the SIP response or
 * BYE that maps to it (RFC 3398 §8.2.6.1, Reason: Q.850, RFC 3326). */
static void call_release_legs(struct iwf_call *call, uint8_t cause, const char *end)
{
	char reason[32];
	int status;

	if (!call->end)
		call->end = end;
	if (!call->cause)
		call->cause = cause;
	q850_reason(reason, sizeof(reason), cause);
	if (call->isup) {
		isup_call_release(call->isup, cause);
		call->isup = NULL;
	}
	if (call->sip) {
		if (call->dir == IWF_CALL_SIP_TO_ISUP && !call->answered) {
			status = iwf_sip_from_cause(call_causes(call), cause);
			if (!call->sip_status)
				call->sip_status = status;
			if (sip_call_reject(call->sip, status, NULL, reason) < 0)
				sip_call_release(call->sip, reason);
		} else {
			sip_call_release(call->sip, reason);
		}
		call->sip = NULL;
	}
}

/* End the call: release what is left, then terminate the FSM (which
 * frees the call and writes its log line). */
/* A verdict on the global counters and on those of the peer the call came
 * from: the sip-peer for STIR, the ss7-peer for HOP. */
static void verdict_inc(struct iwf_call *call, enum iwf_call_ctr idx)
{
	static const enum iwf_peer_ctr peer_idx[] = {
		[IWF_CALL_CTR_VS_PASSED] = IWF_PEER_CTR_VERSTAT_PASSED,
		[IWF_CALL_CTR_VS_FAILED] = IWF_PEER_CTR_VERSTAT_FAILED,
		[IWF_CALL_CTR_VS_NONE] = IWF_PEER_CTR_VERSTAT_NONE,
		[IWF_CALL_CTR_HOP_VALID] = IWF_PEER_CTR_HOP_VALID,
		[IWF_CALL_CTR_HOP_INVALID] = IWF_PEER_CTR_HOP_INVALID,
		[IWF_CALL_CTR_HOP_MISSING] = IWF_PEER_CTR_HOP_MISSING,
	};

	iwf_call_ctr_inc(idx);
	switch (idx) {
	case IWF_CALL_CTR_VS_PASSED:
	case IWF_CALL_CTR_VS_FAILED:
	case IWF_CALL_CTR_VS_NONE:
		if (call->sip_peer)
			iwf_peer_ctr_inc(call->sip_peer->ctrs, peer_idx[idx]);
		break;
	case IWF_CALL_CTR_HOP_VALID:
	case IWF_CALL_CTR_HOP_INVALID:
	case IWF_CALL_CTR_HOP_MISSING:
		if (call->ss7_peer)
			iwf_peer_ctr_inc(call->ss7_peer->ctrs, peer_idx[idx]);
		break;
	default:
		break;
	}
}

static void call_end(struct iwf_call *call, uint8_t cause, const char *end)
{
	call_release_legs(call, cause, end);
	osmo_fsm_inst_term(call->fi, OSMO_FSM_TERM_REGULAR, NULL);
}

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
	if (res->code == 0 && res->pp) {
		call->sev.x5u_len = strlen(res->pp->x5u);
		/* ARCHITECTURE §2.2: carry it only when the far IWF can rebuild it
		 * byte for byte from the TLV and the IAM's numbers */
		if (res->canonical &&
		    e2e_passport_to_tlv(&call->tok.passport, res->pp, call->sc.orig, call->sc.dest) == E2E_PP_OK)
			call->sev.passport_canonical = true;
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

	iwf_sip_identity_from_info(&call->sip_id, info);
	call->sip_peer = iwf_sip_peer_by_request(info);
	if (!call->sip_peer) {
		LOGPFSML(call->fi, LOGL_NOTICE, "INVITE from %s, which is no sip-peer: 403\n", info->peer_addr);
		call->sip_status = 403;
		sip_call_reject(call->sip, 403, NULL, NULL);
		call->sip = NULL;
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, IWF_CAUSE_CALL_REJECTED, "no-sip-peer");
		return;
	}

	if (iwf_sip_peer_transport_check(call->sip_peer, info->stream) < 0) {
		LOGPFSML(call->fi, LOGL_NOTICE, "INVITE from %s (sip-peer %s, transport tls) not over TLS: 403\n",
			 info->peer_addr, call->sip_peer->name);
		call->sip_status = 403;
		sip_call_reject(call->sip, 403, "TLS Required", "SIP ;cause=403;text=\"TLS required\"");
		call->sip = NULL;
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, IWF_CAUSE_CALL_REJECTED, "tls-required");
		return;
	}

	/* The numbers in E.164 form, the peer's rules for reading them. */
	plan = call->sip_peer->plan;
	plan.format = IWF_NUMFMT_INTERNATIONAL;
	rc = iwf_number_sip_to_isup(&e164, &call->sip_id, &plan);
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
	rc = iwf_iam_for_ss7_peer(call, &call->sip_id, &call->sip_peer->plan, ss7, call->called, &call->isup_id,
				  &call->iam, &call->sc);
	if (rc < 0) {
		LOGPFSML(call->fi, LOGL_ERROR, "cannot build the IAM for %s: %s\n", call->called, strerror(-rc));
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, rc == -ENOMEM ? IWF_CAUSE_TEMPORARY_FAILURE : IWF_CAUSE_INVALID_NUMBER_FORMAT,
			 "iam-build");
		return;
	}

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
	cfg.max_age = g_iwf_cfg->stir_max_age ? g_iwf_cfg->stir_max_age : STIR_VS_DEFAULT_MAX_AGE;
	cfg.check_date = false;
	/* the policy, not the STI-VS, answers 428 (ARCHITECTURE §4) */
	cfg.identity_required = false;
	in.identity = (const char *const *)call->identity;
	in.num_identity = call->n_identity;
	in.orig_tn = call->calling;
	in.dest_tn = call->called;
	in.now = time(NULL);
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

	call->sign_rc = sigtoken_hop_sign(&call->tok, call->sign_key, call->sign_iat, &call->sc);
}

/* Loop: the signature is done */
static void hop_sign_done(struct stiwf_work *w)
{
	struct iwf_call *call = w->priv;
	int rc = call->sign_rc;

	osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SIGNED, &rc);
}

static void sip_decide(struct iwf_call *call)
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
		sip_call_reject(call->sip, d->sip_status, d->sip_phrase,
				d->reason_header[0] ? d->reason_header : NULL);
		call->sip = NULL;
		call_end(call, iwf_cause_from_sip(call_causes(call), d->sip_status), "policy");
		return;
	}

	/* The token: PASSPORT (filled by vs_done), VERDICT, then HOP over both */
	call->tok.has_passport = d->tlv_passport && call->sev.passport_canonical;
	if (!call->tok.has_passport)
		memset(&call->tok.passport, 0, sizeof(call->tok.passport));
	else
		iwf_call_ctr_inc(IWF_CALL_CTR_PASSPORT_OUT);
	call->tok.has_verdict = d->tlv_verdict;
	call->tok.verdict.verstat = d->verdict_verstat;
	call->tok.verdict.reason = d->verdict_reason;
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
	call->tok.has_bind = false;
	if (call->ss7_peer->hop_bind_send[0] && sigtoken_bind_set(&call->tok, call->ss7_peer->hop_bind_send) < 0) {
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "hop-bind");
		return;
	}
	call->sign_iat = (uint32_t)time(NULL);
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

static void sip_send_iam(struct iwf_call *call, int sign_rc)
{
	struct isup_trunk *trunk = call->ss7_peer->trunk;
	int rc = sign_rc;

	if (rc == 0 && (call->tok.has_hop || call->tok.has_passport || call->tok.has_verdict))
		rc = sigtoken_iam_put(call->iam, &call->tok, call->policy.aci);
	if (rc < 0) {
		LOGPFSML(call->fi, LOGL_ERROR, "cannot sign or place the token: %s\n", strerror(-rc));
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "hop-sign");
		return;
	}
	rc = isup_trunk_call_setup(trunk, call->iam, call, &call->isup);
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
	call->cic = isup_call_cic(call->isup);
	LOGPFSML(call->fi, LOGL_INFO, "IAM %s -> %s on CIC %u of %s (HOP %s, PASSPORT %s, VERDICT %s)\n",
		 call->calling[0] ? call->calling : "-", call->called, call->cic, call->ss7_peer->name,
		 call->tok.has_hop ? "yes" : "no", call->tok.has_passport ? "yes" : "no",
		 call->tok.has_verdict ? get_value_string(sigtoken_verstat_names, call->tok.verdict.verstat) : "no");
	call_state_chg(call, IWF_CALL_ST_SETUP);
}

/* ---------------------------------------------------------------------
 * ISUP -> SIP
 * --------------------------------------------------------------------- */

static void isup_passport_verify(struct iwf_call *call);

/* Milliseconds of the monotonic clock (libosmocore's, so that a test's
 * fake time drives the peers' token buckets too). */
static int64_t mono_ms(void)
{
	struct timespec ts;

	osmo_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Worker thread: the HOP signature check (ARCHITECTURE §2.2, §5).  The key is
 * the call's own copy: the directory's prepared keys stay on the loop. */
static void hop_verify_work(struct stiwf_work *w)
{
	struct iwf_call *call = w->priv;

	call->sign_rc = sigtoken_hop_verify(&call->tok, call->sign_key, &call->sc);
}

/* The HOP's fate is known: verified, a replay or not (rc as
 * sigtoken_replay_check(), or -ENOLINK: the shared store could not say) */
static void hop_checked(struct iwf_call *call, int rc)
{
	iwf_hop_evidence(&call->iev, rc);
	LOGPFSML(call->fi, call->iev.hop == IWF_HOP_VALID ? LOGL_INFO : LOGL_NOTICE, "HOP by %s: %s\n",
		 call->signer, call->iev.hop == IWF_HOP_VALID ? "valid" :
		 get_value_string(iwf_hop_reason_names, call->iev.hop_reason));
	if (call->iev.hop != IWF_HOP_VALID)
		verdict_inc(call, IWF_CALL_CTR_HOP_INVALID);
	if (call->iev.hop == IWF_HOP_VALID && call->iev.passport_present) {
		isup_passport_verify(call);
		return;
	}
	osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_VERIFIED, NULL);
}

/* The shared store's answer, or why there is none (\a rc) */
static void store_answered(struct iwf_call *call, int rc)
{
	bool ours;
	int verdict = iwf_replay_store_verdict(rc, g_iwf_env.store_fail_local, &ours);

	call->hop_ours = ours;
	if (rc == -EALREADY)
		/* another IWF (or we, before a restart) took this IAM */
		LOGPFSML(call->fi, LOGL_NOTICE, "HOP by %s: seen before (replay, store %s)\n", call->signer,
			 replay_store_name(g_iwf_env.store));
	else if (rc < 0)
		LOGPFSML(call->fi, LOGL_NOTICE, "HOP by %s: replay store %s: %s, %s\n", call->signer,
			 replay_store_name(g_iwf_env.store), strerror(-rc),
			 verdict == 0 ? "the local cache decides" : "refusing");
	hop_checked(call, verdict);
}

/* Loop: the shared store's answer (src/replay_store.h) */
static void store_done(int rc, void *priv)
{
	struct iwf_call *call = priv;

	call->store_req = NULL;
	store_answered(call, rc);
}

/* Loop: the signature is checked; the replay cache is the loop's, and the
 * shared store is asked after it, without blocking the loop */
static void hop_verify_done(struct stiwf_work *w)
{
	struct iwf_call *call = w->priv;
	int64_t ttl;
	int rc = call->sign_rc;

	TALLOC_FREE(call->sign_key);
	if (rc == 0)
		rc = sigtoken_replay_check(g_iwf_env.replay, &call->tok.hop, time(NULL));
	if (rc == 0 && g_iwf_env.store) {
		/* as long as the cache keeps it: until the iat leaves the window */
		ttl = (int64_t)call->tok.hop.iat + (g_iwf_cfg->hop_window ? g_iwf_cfg->hop_window :
						    SIGTOKEN_WINDOW_DEFAULT) + g_iwf_cfg->hop_skew - time(NULL) + 1;
		rc = replay_store_check(g_iwf_env.store, call->tok.hop.key_id, call->tok.hop.sig,
					ttl < 1 ? 1 : (unsigned int)ttl, store_done, call, &call->store_req);
		if (rc == 0)
			return;
		store_answered(call, rc);
		return;
	}
	call->hop_ours = rc == 0;
	hop_checked(call, rc);
}

static void tsca_done(const struct tsca_result *res, void *priv)
{
	struct iwf_call *call = priv;

	call->tsca_req = NULL;
	iwf_signer_evidence(&call->iev, g_iwf_env.map, res, call->sc.orig);
	if (res->err != TSCA_OK) {
		LOGPFSML(call->fi, LOGL_NOTICE, "HOP signer %s: %s (%s)\n", call->signer,
			 get_value_string(tsca_err_names, res->err), res->detail);
		call->iev.hop = IWF_HOP_INVALID;
		verdict_inc(call, IWF_CALL_CTR_HOP_INVALID);
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_VERIFIED, NULL);
		return;
	}
	LOGPFSML(call->fi, LOGL_DEBUG, "HOP signer %s: %s, %s certificate, from %s\n", call->signer,
		 res->subject ? res->subject : "?", get_value_string(tsca_policy_names, res->policy),
		 get_value_string(tsca_source_names, res->source));
	call->work.work = hop_verify_work;
	call->work.done = hop_verify_done;
	call->work.priv = call;
	call->sign_key = res->key ? sigtoken_key_dup(call, res->key) : sigtoken_key_alloc_x509(call, res->leaf);
	if (call->sign_key && g_iwf_env.workq && stiwf_workq_submit(g_iwf_env.workq, &call->work) == 0)
		return;
	/* no pool (or no memory for a copy of the key): check on the loop
	 * with the directory's prepared key */
	TALLOC_FREE(call->sign_key);
	call->sign_rc = sigtoken_hop_verify(&call->tok, res->key, &call->sc);
	hop_verify_done(&call->work);
}

static void pp_vs_done(const struct stir_vs_result *res, void *priv)
{
	struct iwf_call *call = priv;

	call->vs_req = NULL;
	call->pp_code = res->code;
	call->vs_verstat = res->verstat;
	call->attest_in = res->attest;
	call->iev.passport_verifies = res->code == 0 && res->verstat == STIR_VERSTAT_PASSED;
	osmo_strlcpy(call->vs_detail, res->detail ? res->detail : "", sizeof(call->vs_detail));
	osmo_strlcpy(call->spc_in, res->spc ? res->spc : "", sizeof(call->spc_in));
	if (!call->iev.passport_verifies) {
		LOGPFSML(call->fi, LOGL_NOTICE, "rebuilt PASSporT does not verify: %d %s\n", res->code,
			 call->vs_detail);
		/* the rebuilt value is not sent */
		TALLOC_FREE(call->identity_out);
	}
	osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_VERIFIED, NULL);
}

/* ARCHITECTURE §2.2: rebuild the original PASSporT and verify it as the STI-VS
 * verifies any Identity header (x5u fetch, chain, signature). */
static void isup_passport_verify(struct iwf_call *call)
{
	struct passport *pp;
	struct stir_vs_input in = {};
	struct stir_vs_cfg cfg;
	const char *values[1];
	char *buf;
	int rc;

	pp = talloc_zero(call, struct passport);
	buf = talloc_size(call, STIR_AS_IDENTITY_MAX);
	rc = (pp && buf) ? e2e_passport_rebuild(pp, &call->tok.passport, call->sc.orig, call->sc.dest) :
			   -ENOMEM;
	if (rc == 0)
		rc = e2e_passport_identity(buf, STIR_AS_IDENTITY_MAX, pp);
	if (rc < 0 || !g_iwf_env.vs) {
		talloc_free(pp);
		LOGPFSML(call->fi, LOGL_NOTICE, "PASSPORT TLV cannot be rebuilt or verified: %s\n",
			 rc < 0 ? strerror(-rc) : "no STI-VS");
		talloc_free(buf);
		call->iev.passport_verifies = false;
		call->pp_code = STIR_ERR_INVALID_IDENTITY;
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_VERIFIED, NULL);
		return;
	}
	call->identity_out = talloc_strdup(call, buf);
	talloc_free(buf);
	values[0] = call->identity_out;
	stir_vs_cfg_init(&cfg);
	cfg.max_age = g_iwf_cfg->stir_max_age ? g_iwf_cfg->stir_max_age : STIR_VS_DEFAULT_MAX_AGE;
	cfg.check_date = false;
	cfg.identity_required = false;
	in.identity = values;
	in.num_identity = 1;
	in.orig_tn = call->sc.orig;
	in.dest_tn = call->sc.dest;
	in.now = time(NULL);
	/* the rebuilt PASSporT as it is: its token need not be decoded again */
	in.pp = pp;
	call->vs_req = stir_vs_verify(g_iwf_env.vs, call, &cfg, &in, pp_vs_done, call);
	talloc_free(pp);
	if (!call->vs_req)
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "no-memory");
}

void iwf_call_isup_start(struct iwf_call *call)
{
	struct iwf_ss7_peer *ss7 = call->ss7_peer;
	struct tsca_result res;
	const struct iwf_route *route;
	unsigned int n_down = 0, window;
	const char *cc;
	const char *name;
	time_t now;
	int rc;

	if (!ss7) {
		/* a trunk the daemon did not make for an ss7-peer */
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "no-ss7-peer");
		return;
	}
	call->policy = ss7->policy;
	cc = ss7->plan.cc[0] ? ss7->plan.cc : NULL;
	rc = isup_iam_to_identity(&call->isup_id, call->iam);
	if (rc == 0)
		rc = iwf_number_isup_to_sip(&call->sip_id, &call->isup_id, &ss7->plan);
	if (rc < 0) {
		LOGPFSML(call->fi, LOGL_NOTICE, "IAM on CIC %u: numbers cannot be mapped\n", call->cic);
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, IWF_CAUSE_INVALID_NUMBER_FORMAT, "bad-number");
		return;
	}
	osmo_strlcpy(call->called, call->sip_id.ruri.digits, sizeof(call->called));
	if (call->sip_id.pai.present)
		osmo_strlcpy(call->calling, call->sip_id.pai.digits, sizeof(call->calling));

	/* the longest route whose sip-peer is up, else the next one, then
	 * the ss7-peer's default sip-peer (sip/sip_keepalive.h) */
	route = iwf_route_lookup_up(call->called, IWF_ROUTE_SIP, &n_down);
	name = route ? route->peer : ss7->sip_peer;
	call->sip_peer = name[0] ? iwf_sip_peer_find(name) : NULL;
	if (n_down && call->sip_peer && !call->sip_peer->down)
		LOGPFSML(call->fi, LOGL_INFO, "%u route(s) for %s skipped (sip-peer down): to sip-peer %s\n", n_down,
			 call->called, call->sip_peer->name);
	if (call->sip_peer && call->sip_peer->down)
		call->sip_peer = NULL;
	if (!call->sip_peer && (n_down || (name[0] && iwf_sip_peer_find(name)))) {
		/* Q.850 cause 41: the peer may come back */
		LOGPFSML(call->fi, LOGL_NOTICE, "every sip-peer for %s is down: released (peer-down)\n",
			 call->called);
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "peer-down");
		return;
	}
	if (!call->sip_peer) {
		LOGPFSML(call->fi, LOGL_NOTICE, "no route to a sip-peer for %s\n", call->called);
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, IWF_CAUSE_NO_ROUTE_TO_DEST, "no-route");
		return;
	}

	/* The token (ARCHITECTURE §2.1): APP parameters with the peer's ACI */
	rc = sigtoken_iam_get(&call->tok, call->iam, call->policy.aci);
	call->iev.hop = IWF_HOP_MISSING;
	if (rc == -EBADMSG) {
		call->iev.hop = IWF_HOP_INVALID;
		call->iev.hop_reason = IWF_HOP_R_MALFORMED;
	} else if (rc == 0 && call->tok.has_hop) {
		call->iev.hop = IWF_HOP_INVALID;	/* until it verifies */
	}
	if (rc == 0) {
		call->iev.passport_present = call->tok.has_passport;
		call->iev.verdict_present = call->tok.has_verdict;
		call->iev.verdict_verstat = call->tok.verdict.verstat;
		call->iev.verdict_reason = call->tok.verdict.reason;
		if (call->tok.has_passport)
			call->attest_in = call->tok.passport.attest;
	}
	rc = sigtoken_call_from_iam(&call->sc, call->iam, cc);
	if (rc < 0) {
		memset(&call->sc, 0, sizeof(call->sc));
		if (call->tok.has_hop)
			call->iev.hop_reason = IWF_HOP_R_NUMBER;
	}
	call->iev.has_calling = call->sc.orig[0] != '\0';
	/* the number that goes out is the one HOP and the PASSporT speak of */
	if (call->sc.orig[0])
		osmo_strlcpy(call->calling, call->sc.orig, sizeof(call->calling));
	/* hop-bind require: a HOP meant for another network (or none) is
	 * refused whatever its signature, which covers BIND (ARCHITECTURE §2.2) */
	if (call->tok.has_hop && call->iev.hop_reason == IWF_HOP_R_NONE && ss7->hop_bind_require[0] &&
	    !iwf_hop_bound_to(&call->tok, ss7->hop_bind_require)) {
		call->iev.hop_reason = IWF_HOP_R_UNBOUND;
		LOGPFSML(call->fi, LOGL_NOTICE, "HOP bound to %s, not to %s: refused\n",
			 call->tok.has_bind ? call->tok.bind.net : "no network", ss7->hop_bind_require);
	}

	if (!call->tok.has_hop || call->iev.hop_reason != IWF_HOP_R_NONE) {
		verdict_inc(call, call->iev.hop == IWF_HOP_MISSING ? IWF_CALL_CTR_HOP_MISSING :
			    IWF_CALL_CTR_HOP_INVALID);
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_VERIFIED, NULL);
		return;
	}
	keyid_to_hex(call->signer, sizeof(call->signer), call->tok.hop.key_id);
	/* ARCHITECTURE §2.2 window first: no lookup for a token that is stale anyway */
	now = time(NULL);
	window = g_iwf_cfg->hop_window ? g_iwf_cfg->hop_window : SIGTOKEN_WINDOW_DEFAULT;
	rc = sigtoken_iat_check(call->tok.hop.iat, now, window, g_iwf_cfg->hop_skew);
	if (rc < 0 || !g_iwf_env.tsca || !g_iwf_env.replay) {
		call->iev.hop_reason = rc == -ETIMEDOUT ? IWF_HOP_R_STALE :
				       rc == -ERANGE ? IWF_HOP_R_FUTURE : IWF_HOP_R_NONE;
		if (rc == 0)
			call->iev.signer_trust = IWF_SIGNER_UNKNOWN;
		if (rc < 0)
			/* name the field and the bounds: a skewed clock at the signer shows here */
			LOGPFSML(call->fi, LOGL_NOTICE, "HOP by %s not checked: %s: 'iat' %u is %lld s from now "
				 "%lld (hop-window %u, hop-skew %u)\n", call->signer,
				 get_value_string(iwf_hop_reason_names, call->iev.hop_reason), call->tok.hop.iat,
				 (long long)call->tok.hop.iat - (long long)now, (long long)now, window,
				 g_iwf_cfg->hop_skew);
		else
			LOGPFSML(call->fi, LOGL_NOTICE, "HOP by %s not checked: no TSCA trust\n", call->signer);
		verdict_inc(call, IWF_CALL_CTR_HOP_INVALID);
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_VERIFIED, NULL);
		return;
	}
	/* a signer in the local directory is answered at once, without a
	 * round trip through the loop; the repository only asynchronously */
	if (tsca_dir_lookup_local(g_iwf_env.tsca, call->tok.hop.key_id, (time_t)call->tok.hop.iat, &res) == 0) {
		tsca_done(&res, call);
		return;
	}
	/* a key-id nobody knows costs a token of the peer's bucket: random
	 * key-ids must not make us fetch at will (tsca.h) */
	call->tsca_req = tsca_lookup_limited(g_iwf_env.tsca, call->tok.hop.key_id, (time_t)call->tok.hop.iat,
					     ss7->repo_miss_limit ? &ss7->repo_bucket : NULL, mono_ms(),
					     tsca_done, call);
	if (!call->tsca_req)
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "no-memory");
}

static void as_done(const struct stir_as_result *res, void *priv)
{
	struct iwf_call *call = priv;
	int rc = res->rc;

	call->as_req = NULL;
	if (rc == 0) {
		call->identity_out = talloc_strdup(call, res->identity);
		if (!call->identity_out)
			rc = -ENOMEM;
	}
	osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SIGNED, &rc);
}

static void isup_decide(struct iwf_call *call)
{
	struct iwf_decision *d = &call->dec;
	struct stir_as_input in = {};
	int rc;

	if (call->iev.hop == IWF_HOP_VALID)
		verdict_inc(call, IWF_CALL_CTR_HOP_VALID);
	rc = iwf_policy_isup_to_sip(&call->policy, &call->iev, d);
	if (rc < 0) {
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "policy");
		return;
	}
	call->decided = true;
	if (d->action == IWF_ACTION_RELEASE) {
		LOGPFSML(call->fi, LOGL_NOTICE, "refused by policy: REL cause %u (%s)\n", d->cause,
			 get_value_string(iwf_policy_reason_names, d->reason));
		iwf_call_ctr_inc(IWF_CALL_CTR_REJECTED_STIR);
		call_end(call, d->cause, "policy");
		return;
	}
	call_state_chg(call, IWF_CALL_ST_SIGN);
	if (d->identity == IWF_IDENTITY_REBUILD) {
		iwf_call_ctr_inc(IWF_CALL_CTR_REBUILT);
		call->attest_out = call->tok.passport.attest;
		rc = 0;
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SIGNED, &rc);
		return;
	}
	TALLOC_FREE(call->identity_out);
	if (d->identity != IWF_IDENTITY_SIGN || !g_iwf_env.as) {
		if (d->identity == IWF_IDENTITY_SIGN)
			LOGPFSML(call->fi, LOGL_NOTICE, "no STI credential: the INVITE goes without Identity\n");
		rc = 0;
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SIGNED, &rc);
		return;
	}
	in.orig_tn = call->sc.orig;
	in.dest_tn = call->sc.dest;
	in.iat = time(NULL);
	in.attest = d->attest;
	call->attest_out = d->attest;
	iwf_call_ctr_inc(IWF_CALL_CTR_SIGNED);
	call->as_req = stir_as_sign(g_iwf_env.as, call, &in, as_done, call);
	if (!call->as_req)
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "no-memory");
}

static void isup_place_invite(struct iwf_call *call, int sign_rc)
{
	struct iwf_sip_peer *peer = call->sip_peer;
	struct sip_call_out_params p;
	struct iwf_invite_bufs b;
	int rc;

	if (sign_rc < 0) {
		LOGPFSML(call->fi, LOGL_ERROR, "STI-AS failed: %s\n", strerror(-sign_rc));
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "sti-as");
		return;
	}
	iwf_invite_params(&p, &b, peer, call->called, call->calling, &call->sip_id, &call->dec, call->identity_out,
			  iwf_call_sdp(call->ss7_peer));
	call->sip = sip_call_place(g_iwf_env.sip, &p, call, &rc);
	if (!call->sip) {
		LOGPFSML(call->fi, LOGL_ERROR, "cannot send the INVITE to %s: %s\n", peer->name, strerror(-rc));
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "invite");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &call->t_egress);
	call->egress_sent = true;
	/* everything the IAM told is in the call now: held calls should
	 * not keep the large decoded message; nua holds the INVITE with its
	 * Identity header, so our copy of the value goes too */
	TALLOC_FREE(call->iam);
	call->identity_sent = call->identity_out != NULL;
	TALLOC_FREE(call->identity_out);
	osmo_strlcpy(call->call_id, sip_call_get_id(call->sip), sizeof(call->call_id));
	LOGPFSML(call->fi, LOGL_INFO, "INVITE %s -> %s to %s (%s, verstat %s)\n", p.calling ? p.calling : "anonymous",
		 p.called, peer->name,
		 get_value_string(iwf_identity_action_names, call->dec.identity), p.verstat ? p.verstat : "-");
	call_state_chg(call, IWF_CALL_ST_SETUP);
}

/* ---------------------------------------------------------------------
 * The FSM
 * --------------------------------------------------------------------- */

static void st_verify(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct iwf_call *call = fi->priv;

	switch (event) {
	case IWF_CALL_EV_VERIFIED:
		if (call->dir == IWF_CALL_SIP_TO_ISUP)
			sip_decide(call);
		else
			isup_decide(call);
		break;
	default:
		OSMO_ASSERT(0);
	}
}

static void st_sign(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct iwf_call *call = fi->priv;
	int rc = data ? *(int *)data : -EINVAL;

	switch (event) {
	case IWF_CALL_EV_SIGNED:
		if (call->dir == IWF_CALL_SIP_TO_ISUP)
			sip_send_iam(call, rc);
		else
			isup_place_invite(call, rc);
		break;
	default:
		OSMO_ASSERT(0);
	}
}

/* The SIP answer of an incoming leg: the SS7 peer's media template */
static void sip_answer(struct iwf_call *call)
{
	int rc = sip_call_answer(call->sip, iwf_call_sdp(call->ss7_peer));

	if (rc < 0) {
		LOGPFSML(call->fi, LOGL_ERROR, "cannot answer on SIP: %s\n", strerror(-rc));
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "sip-answer");
		return;
	}
	call->answered = true;
	clock_gettime(CLOCK_MONOTONIC, &call->t_answer);
	iwf_call_ctr_inc(IWF_CALL_CTR_ANSWERED);
	call_state_chg(call, IWF_CALL_ST_ACTIVE);
}

static void isup_answer(struct iwf_call *call)
{
	int rc = call->acm_sent ? isup_call_send_anm(call->isup, NULL) : isup_call_send_con(call->isup, NULL);

	if (rc < 0) {
		LOGPFSML(call->fi, LOGL_ERROR, "cannot send %s: %s\n", call->acm_sent ? "ANM" : "CON", strerror(-rc));
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "isup-answer");
		return;
	}
	call->answered = true;
	clock_gettime(CLOCK_MONOTONIC, &call->t_answer);
	iwf_call_ctr_inc(IWF_CALL_CTR_ANSWERED);
	call_state_chg(call, IWF_CALL_ST_ACTIVE);
}

/* 180/183 from SIP: ACM first (Q.1912.5 §7.2.3), then CPG */
static void isup_progress(struct iwf_call *call, int status)
{
	struct isup_msg *msg = talloc_zero(call, struct isup_msg);
	struct isup_param *p;
	int rc;

	if (!msg) {
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "no-memory");
		return;
	}
	if (!call->acm_sent) {
		isup_msg_init(msg, ISUP_MSG_ACM, call->cic);
		p = isup_msg_param_find(msg, ISUP_PAR_BCI);
		if (p) {
			/* Q.763 §3.5: subscriber free on 180, no indication on 183 */
			p->u.bci.called_status = status == 180 ? 1 : 0;
			p->u.bci.called_category = 1;	/* ordinary subscriber */
			p->u.bci.interworking = 1;	/* interworking encountered: SIP beyond */
			p->u.bci.isup = 0;
		}
		rc = isup_call_send_acm(call->isup, msg);
		call->acm_sent = rc == 0;
	} else if (status == 180) {
		isup_msg_init(msg, ISUP_MSG_CPG, call->cic);
		p = isup_msg_param_find(msg, ISUP_PAR_EVENT_INFO);
		if (p)
			p->u.event.event = ISUP_EVENT_ALERTING;
		rc = isup_call_send_cpg(call->isup, msg);
	} else {
		rc = 0;
	}
	talloc_free(msg);
	if (rc < 0) {
		LOGPFSML(call->fi, LOGL_ERROR, "cannot pass %d on to ISUP: %s\n", status, strerror(-rc));
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "isup-progress");
		return;
	}
	if (call->fi->state != IWF_CALL_ST_ACTIVE)
		call_state_chg(call, IWF_CALL_ST_ALERTING);
}

static void st_setup_alerting(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct iwf_call *call = fi->priv;
	int status = data ? *(int *)data : 0;
	int rc;

	switch (event) {
	case IWF_CALL_EV_ISUP_PROGRESS:
		/* SIP -> ISUP: ACM/CPG -> 180/183 */
		if (!status)
			break;
		rc = sip_call_ring(call->sip, status, status == 183 ? iwf_call_sdp(call->ss7_peer) : NULL);
		if (rc < 0 && rc != -EBUSY) {
			call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "sip-ring");
			break;
		}
		call_state_chg(call, IWF_CALL_ST_ALERTING);
		break;
	case IWF_CALL_EV_ISUP_ANSWER:
		sip_answer(call);
		break;
	case IWF_CALL_EV_SIP_PROGRESS:
		isup_progress(call, status);
		break;
	case IWF_CALL_EV_SIP_ANSWER:
		if (call->dir == IWF_CALL_ISUP_TO_SIP)
			isup_answer(call);
		break;
	default:
		OSMO_ASSERT(0);
	}
}

static void st_active(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	int status = data ? *(int *)data : 0;

	switch (event) {
	case IWF_CALL_EV_SIP_PROGRESS:
	case IWF_CALL_EV_ISUP_PROGRESS:
	case IWF_CALL_EV_SIP_ANSWER:	/* the ACK to our 200 */
		LOGPFSML(fi, LOGL_DEBUG, "%s %d on an answered call: nothing to do\n",
			 osmo_fsm_event_name(fi->fsm, event), status);
		break;
	default:
		OSMO_ASSERT(0);
	}
}

/* Events that end the call in any state */
static void call_allstate(struct osmo_fsm_inst *fi, uint32_t event, void *data)
{
	struct iwf_call *call = fi->priv;
	uint8_t cause;
	int status;

	switch (event) {
	case IWF_CALL_EV_ISUP_REL:
		/* the ISUP leg is gone: REL -> final response or BYE */
		cause = data ? *(uint8_t *)data : IWF_CAUSE_NORMAL_CLEARING;
		call->isup = NULL;
		call->cause = cause;
		if (call->dir == IWF_CALL_SIP_TO_ISUP && !call->answered && cause != IWF_CAUSE_NORMAL_CLEARING)
			iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, cause, "isup");
		break;
	case IWF_CALL_EV_SIP_FAILED:
		/* a final error response to our INVITE: REL with the mapped cause */
		status = data ? *(int *)data : 500;
		call->sip = NULL;
		call->sip_status = status;
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, iwf_cause_from_sip(call_causes(call), status), "sip");
		break;
	case IWF_CALL_EV_SIP_BYE:
		call->sip = NULL;
		call_end(call, IWF_CAUSE_NORMAL_CLEARING, "sip");
		break;
	case IWF_CALL_EV_SHUTDOWN:
		cause = data ? *(uint8_t *)data : IWF_CAUSE_TEMPORARY_FAILURE;
		call_end(call, cause, "local");
		break;
	default:
		break;
	}
}

static int call_timer_cb(struct osmo_fsm_inst *fi)
{
	struct iwf_call *call = fi->priv;

	LOGPFSML(fi, LOGL_NOTICE, "%s took too long: releasing\n", osmo_fsm_inst_state_name(fi));
	call_end(call, IWF_CAUSE_RECOVERY_ON_TIMER_EXPIRY, "timeout");
	return 0;
}

/* An IAM we refused before the answer with a cause that lets the exchange
 * offer it again (iwf_cause_reroutable()) must not then be taken for a
 * replay, here or at another IWF: forget its HOP, in the store only when
 * it holds our instance id. */
static void call_hop_forget(struct iwf_call *call)
{
	if (!iwf_hop_forget_due(call->dir == IWF_CALL_ISUP_TO_SIP, call->hop_ours, call->answered, call->cause))
		return;
	call->hop_ours = false;
	if (g_iwf_env.replay)
		sigtoken_replay_forget(g_iwf_env.replay, &call->tok.hop);
	if (g_iwf_env.store && replay_store_forget(g_iwf_env.store, call->tok.hop.key_id, call->tok.hop.sig) < 0)
		LOGPFSML(call->fi, LOGL_NOTICE, "HOP by %s: replay store %s not connected, its key stays until "
			 "it expires\n", call->signer, replay_store_name(g_iwf_env.store));
	else
		LOGPFSML(call->fi, LOGL_INFO, "HOP by %s forgotten: cause %u lets the exchange route the IAM "
			 "again\n", call->signer, call->cause);
}

/* The call on the counters of its peers: taken from one, with the
 * attestation it came with; sent to the other (when it was), with the one
 * it left with. */
static void call_peer_count(struct iwf_call *call)
{
	bool sip_in = call->dir == IWF_CALL_SIP_TO_ISUP;
	struct rate_ctr_group *in = sip_in ? (call->sip_peer ? call->sip_peer->ctrs : NULL) :
				    (call->ss7_peer ? call->ss7_peer->ctrs : NULL);
	struct rate_ctr_group *out = sip_in ? (call->ss7_peer ? call->ss7_peer->ctrs : NULL) :
				     (call->sip_peer ? call->sip_peer->ctrs : NULL);

	iwf_peer_ctr_inc(in, IWF_PEER_CTR_CALLS_IN);
	iwf_peer_ctr_attest(in, call->attest_in, true);
	if (!call->egress_sent)
		return;
	iwf_peer_ctr_inc(out, IWF_PEER_CTR_CALLS_OUT);
	iwf_peer_ctr_attest(out, call->attest_out, false);
}

static void call_cleanup(struct osmo_fsm_inst *fi, enum osmo_fsm_term_cause cause)
{
	struct iwf_call *call = fi->priv;

	/* whoever terminated us, no leg may be left behind */
	call_release_legs(call, IWF_CAUSE_TEMPORARY_FAILURE, "error");
	call_hop_forget(call);
	call_peer_count(call);
	iwf_call_log_line(call);
}

#define END_EVENTS (S(IWF_CALL_EV_ISUP_REL) | S(IWF_CALL_EV_SIP_FAILED) | S(IWF_CALL_EV_SIP_BYE) | \
		    S(IWF_CALL_EV_SHUTDOWN))
#define LIVE_STATES (S(IWF_CALL_ST_SETUP) | S(IWF_CALL_ST_ALERTING) | S(IWF_CALL_ST_ACTIVE))

static const struct osmo_fsm_state iwf_call_states[] = {
	[IWF_CALL_ST_VERIFY] = {
		.name = "VERIFY",
		.in_event_mask = S(IWF_CALL_EV_VERIFIED),
		/* VERIFY: the start arms the guard timer */
		.out_state_mask = S(IWF_CALL_ST_VERIFY) | S(IWF_CALL_ST_SIGN),
		.action = st_verify,
	},
	[IWF_CALL_ST_SIGN] = {
		.name = "SIGN",
		.in_event_mask = S(IWF_CALL_EV_SIGNED),
		.out_state_mask = S(IWF_CALL_ST_SETUP),
		.action = st_sign,
	},
	[IWF_CALL_ST_SETUP] = {
		.name = "SETUP",
		.in_event_mask = S(IWF_CALL_EV_ISUP_PROGRESS) | S(IWF_CALL_EV_ISUP_ANSWER) |
				 S(IWF_CALL_EV_SIP_PROGRESS) | S(IWF_CALL_EV_SIP_ANSWER),
		.out_state_mask = S(IWF_CALL_ST_ALERTING) | S(IWF_CALL_ST_ACTIVE),
		.action = st_setup_alerting,
	},
	[IWF_CALL_ST_ALERTING] = {
		.name = "ALERTING",
		.in_event_mask = S(IWF_CALL_EV_ISUP_PROGRESS) | S(IWF_CALL_EV_ISUP_ANSWER) |
				 S(IWF_CALL_EV_SIP_PROGRESS) | S(IWF_CALL_EV_SIP_ANSWER),
		.out_state_mask = S(IWF_CALL_ST_ALERTING) | S(IWF_CALL_ST_ACTIVE),
		.action = st_setup_alerting,
	},
	[IWF_CALL_ST_ACTIVE] = {
		.name = "ACTIVE",
		.in_event_mask = S(IWF_CALL_EV_SIP_PROGRESS) | S(IWF_CALL_EV_ISUP_PROGRESS) |
				 S(IWF_CALL_EV_SIP_ANSWER),
		.action = st_active,
	},
};

static struct osmo_fsm iwf_call_fsm = {
	.name = "IWF_CALL",
	.states = iwf_call_states,
	.num_states = ARRAY_SIZE(iwf_call_states),
	.allstate_event_mask = END_EVENTS,
	.allstate_action = call_allstate,
	.timer_cb = call_timer_cb,
	.cleanup = call_cleanup,
	.log_subsys = DIWF,
	.event_names = iwf_call_event_names,
};

static __attribute__((constructor)) void iwf_call_fsm_register(void)
{
	OSMO_ASSERT(osmo_fsm_register(&iwf_call_fsm) == 0);
}

static int iwf_call_destructor(struct iwf_call *call)
{
	/* a job the worker still holds must not outlive the call */
	if (g_iwf_env.workq)
		stiwf_workq_cancel(g_iwf_env.workq, &call->work);
	if (call->tsca_req)
		tsca_lookup_cancel(call->tsca_req);
	if (call->store_req)
		replay_store_cancel(call->store_req);
	if (call->vs_req)
		stir_vs_cancel(call->vs_req);
	if (call->as_req)
		stir_as_cancel(call->as_req);
	llist_del(&call->entry);
	return 0;
}

struct iwf_call *iwf_call_fsm_start(void *ctx, uint32_t id)
{
	struct osmo_fsm_inst *fi;
	struct iwf_call *call;

	fi = osmo_fsm_inst_alloc(&iwf_call_fsm, ctx, NULL, LOGL_INFO, NULL);
	if (!fi)
		return NULL;
	call = talloc_zero(fi, struct iwf_call);
	if (!call) {
		osmo_fsm_inst_free(fi);
		return NULL;
	}
	osmo_fsm_inst_update_id_f(fi, "%u", id);
	INIT_LLIST_HEAD(&call->entry);
	call->fi = fi;
	call->id = id;
	fi->priv = call;
	clock_gettime(CLOCK_MONOTONIC, &call->t_start);
	talloc_set_destructor(call, iwf_call_destructor);
	call_state_chg(call, IWF_CALL_ST_VERIFY);
	return call;
}
