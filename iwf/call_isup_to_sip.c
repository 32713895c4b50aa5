/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The IWF call: the ISUP -> SIP flow of ARCHITECTURE §4 (IAM, HOP and TSCA
 * checks, the PASSporT rebuilt and verified, policy, STI-AS, INVITE).  The
 * state table is in iwf/call_fsm.c. */

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

	call->sign_rc = sigtoken_hop_verify(&call->su->tok, call->sign_key, &call->sc);
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

/* Loop: the shared store's answer (src/core/replay_store.h) */
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
		rc = sigtoken_replay_check(g_iwf_env.replay, &call->su->tok.hop, stiwf_evloop_time());
	if (rc == 0 && g_iwf_env.store) {
		/* as long as the cache keeps it: until the iat leaves the window */
		ttl = (int64_t)call->su->tok.hop.iat + (g_iwf_env.hop_window ? g_iwf_env.hop_window :
						    SIGTOKEN_WINDOW_DEFAULT) + g_iwf_env.hop_skew - stiwf_evloop_time() + 1;
		rc = replay_store_check(g_iwf_env.store, call->su->tok.hop.key_id, call->su->tok.hop.sig,
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
	call->sign_rc = sigtoken_hop_verify(&call->su->tok, res->key, &call->sc);
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
	call->div_verifies = res->div == STIR_VS_DIV_PASSED;
	if (call->identity_div_out && !call->div_verifies)
		LOGPFSML(call->fi, LOGL_NOTICE, "rebuilt 'div' PASSporT does not verify: %s\n",
			 res->div_detail && res->div_detail[0] ? res->div_detail :
			 get_value_string(stir_vs_div_names, res->div));
	if (!call->iev.passport_verifies) {
		LOGPFSML(call->fi, LOGL_NOTICE, "rebuilt PASSporT does not verify: %d %s\n", res->code,
			 call->vs_detail);
		/* the rebuilt value is not sent */
		TALLOC_FREE(call->identity_out);
	}
	/* the div PASSporT goes only beside the SHAKEN one it extends */
	if (!call->iev.passport_verifies || !call->div_verifies)
		TALLOC_FREE(call->identity_div_out);
	osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_VERIFIED, NULL);
}

/* ARCHITECTURE §2.2: rebuild the original PASSporT and verify it as the STI-VS
 * verifies any Identity header (x5u fetch, chain, signature). */
static void isup_passport_verify(struct iwf_call *call)
{
	struct passport *pp;
	struct stir_vs_input in = {};
	struct stir_vs_cfg cfg;
	const char *values[2];
	const char *pp_dest = call->sc.dest;
	char *buf;
	int rc;

	pp = talloc_zero(call, struct passport);
	buf = talloc_size(call, STIR_AS_IDENTITY_MAX);
	/* a forwarded call (docs/FORWARDING.md §3): the div PASSporT from
	 * the DIV TLV, and the SHAKEN one for the number first called */
	if (call->su->tok.has_div && pp && buf) {
		rc = e2e_div_rebuild(pp, &call->su->tok.div, call->sc.orig, call->sc.dest);
		if (rc == 0)
			rc = e2e_passport_identity(buf, STIR_AS_IDENTITY_MAX, pp);
		if (rc >= 0) {
			call->identity_div_out = talloc_strdup(call, buf);
			pp_dest = call->su->tok.div.div;
		} else {
			LOGPFSML(call->fi, LOGL_NOTICE, "DIV TLV cannot be rebuilt (%s): the PASSporT is judged "
				 "without it\n", strerror(-rc));
		}
		memset(pp, 0, sizeof(*pp));
	}
	rc = (pp && buf) ? e2e_passport_rebuild(pp, &call->su->tok.passport, call->sc.orig, pp_dest) : -ENOMEM;
	if (rc == 0)
		rc = e2e_passport_identity(buf, STIR_AS_IDENTITY_MAX, pp);
	if (rc < 0 || !g_iwf_env.vs) {
		talloc_free(pp);
		TALLOC_FREE(call->identity_div_out);
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
	cfg.max_age = g_iwf_env.stir_max_age ? g_iwf_env.stir_max_age : STIR_VS_DEFAULT_MAX_AGE;
	cfg.check_date = false;
	cfg.identity_required = false;
	in.identity = values;
	in.num_identity = 1;
	if (call->identity_div_out) {
		values[1] = call->identity_div_out;
		in.num_identity = 2;
	}
	in.orig_tn = call->sc.orig;
	in.dest_tn = call->sc.dest;
	in.now = stiwf_evloop_time();
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
	time_t now;
	const char *cc;
	const char *name;
	int rc;

	if (!ss7) {
		/* a trunk the daemon did not make for an ss7-peer */
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "no-ss7-peer");
		return;
	}
	call->policy = ss7->policy;
	cc = ss7->plan.cc[0] ? ss7->plan.cc : NULL;
	rc = isup_iam_to_identity(&call->su->isup_id, call->iam);
	if (rc == 0)
		rc = iwf_number_isup_to_sip(&call->su->sip_id, &call->su->isup_id, &ss7->plan);
	if (rc < 0) {
		LOGPFSML(call->fi, LOGL_NOTICE, "IAM on CIC %u: numbers cannot be mapped\n", call->cic);
		iwf_call_ctr_inc(IWF_CALL_CTR_FAILED);
		call_end(call, IWF_CAUSE_INVALID_NUMBER_FORMAT, "bad-number");
		return;
	}
	osmo_strlcpy(call->called, call->su->sip_id.ruri.digits, sizeof(call->called));
	if (call->su->sip_id.pai.present)
		osmo_strlcpy(call->calling, call->su->sip_id.pai.digits, sizeof(call->calling));

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
	rc = sigtoken_iam_get(&call->su->tok, call->iam, call->policy.aci);
	call->iev.hop = IWF_HOP_MISSING;
	if (rc == -EBADMSG) {
		call->iev.hop = IWF_HOP_INVALID;
		call->iev.hop_reason = IWF_HOP_R_MALFORMED;
	} else if (rc == 0 && call->su->tok.has_hop) {
		call->iev.hop = IWF_HOP_INVALID;	/* until it verifies */
	}
	if (rc == 0 && call->su->tok.has_div && !call->su->tok.has_passport)
		LOGPFSML(call->fi, LOGL_NOTICE, "DIV TLV without a PASSPORT TLV to extend: not used\n");
	if (rc == 0) {
		call->iev.passport_present = call->su->tok.has_passport;
		call->iev.verdict_present = call->su->tok.has_verdict;
		call->iev.verdict_verstat = call->su->tok.verdict.verstat;
		call->iev.verdict_reason = call->su->tok.verdict.reason;
		if (call->su->tok.has_passport)
			call->attest_in = call->su->tok.passport.attest;
	}
	rc = sigtoken_call_from_iam(&call->sc, call->iam, cc);
	if (rc < 0) {
		memset(&call->sc, 0, sizeof(call->sc));
		if (call->su->tok.has_hop)
			call->iev.hop_reason = IWF_HOP_R_NUMBER;
	}
	call->iev.has_calling = call->sc.orig[0] != '\0';
	/* the number that goes out is the one HOP and the PASSporT speak of */
	if (call->sc.orig[0])
		osmo_strlcpy(call->calling, call->sc.orig, sizeof(call->calling));
	/* hop-bind require: a HOP meant for another network (or none) is
	 * refused whatever its signature, which covers BIND (ARCHITECTURE §2.2) */
	if (call->su->tok.has_hop && call->iev.hop_reason == IWF_HOP_R_NONE && ss7->hop_bind_require[0] &&
	    !iwf_hop_bound_to(&call->su->tok, ss7->hop_bind_require)) {
		call->iev.hop_reason = IWF_HOP_R_UNBOUND;
		LOGPFSML(call->fi, LOGL_NOTICE, "HOP bound to %s, not to %s: refused\n",
			 call->su->tok.has_bind ? call->su->tok.bind.net : "no network", ss7->hop_bind_require);
	}

	if (!call->su->tok.has_hop || call->iev.hop_reason != IWF_HOP_R_NONE) {
		verdict_inc(call, call->iev.hop == IWF_HOP_MISSING ? IWF_CALL_CTR_HOP_MISSING :
			    IWF_CALL_CTR_HOP_INVALID);
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_VERIFIED, NULL);
		return;
	}
	keyid_to_hex(call->signer, sizeof(call->signer), call->su->tok.hop.key_id);
	/* ARCHITECTURE §2.2 window first: no lookup for a token that is stale anyway */
	now = stiwf_evloop_time();
	window = g_iwf_env.hop_window ? g_iwf_env.hop_window : SIGTOKEN_WINDOW_DEFAULT;
	rc = sigtoken_iat_check(call->su->tok.hop.iat, now, window, g_iwf_env.hop_skew);
	if (rc < 0 || !g_iwf_env.tsca || !g_iwf_env.replay) {
		call->iev.hop_reason = rc == -ETIMEDOUT ? IWF_HOP_R_STALE :
				       rc == -ERANGE ? IWF_HOP_R_FUTURE : IWF_HOP_R_NONE;
		if (rc == 0)
			call->iev.signer_trust = IWF_SIGNER_UNKNOWN;
		if (rc < 0)
			/* name the field and the bounds: a skewed clock at the signer shows here */
			LOGPFSML(call->fi, LOGL_NOTICE, "HOP by %s not checked: %s: 'iat' %u is %lld s from now "
				 "%lld (hop-window %u, hop-skew %u)\n", call->signer,
				 get_value_string(iwf_hop_reason_names, call->iev.hop_reason), call->su->tok.hop.iat,
				 (long long)call->su->tok.hop.iat - (long long)now, (long long)now, window,
				 g_iwf_env.hop_skew);
		else
			LOGPFSML(call->fi, LOGL_NOTICE, "HOP by %s not checked: no TSCA trust\n", call->signer);
		verdict_inc(call, IWF_CALL_CTR_HOP_INVALID);
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_VERIFIED, NULL);
		return;
	}
	/* a signer in the local directory is answered at once, without a
	 * round trip through the loop; the repository only asynchronously */
	if (tsca_dir_lookup_local(g_iwf_env.tsca, call->su->tok.hop.key_id, (time_t)call->su->tok.hop.iat, &res) == 0) {
		tsca_done(&res, call);
		return;
	}
	/* a key-id nobody knows costs a token of the peer's bucket: random
	 * key-ids must not make us fetch at will (tsca.h) */
	call->tsca_req = tsca_lookup_limited(g_iwf_env.tsca, call->su->tok.hop.key_id, (time_t)call->su->tok.hop.iat,
					     ss7->repo_miss_limit ? &ss7->repo_bucket : NULL, mono_ms(),
					     tsca_done, call);
	if (!call->tsca_req)
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "no-memory");
}

static void as_div_done(const struct stir_as_result *res, void *priv)
{
	struct iwf_call *call = priv;
	int rc = res->rc;

	call->as_req = NULL;
	if (rc == 0) {
		call->identity_div_out = talloc_strdup(call, res->identity);
		if (!call->identity_div_out)
			rc = -ENOMEM;
	}
	if (rc == 0) {
		call->div_out = "signed";
		iwf_call_ctr_inc(IWF_CALL_CTR_DIV_SIGNED);
	}
	osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SIGNED, &rc);
}

static void as_done(const struct stir_as_result *res, void *priv)
{
	struct iwf_call *call = priv;
	struct stir_as_input in = {};
	int rc = res->rc;

	call->as_req = NULL;
	if (rc == 0) {
		call->identity_out = talloc_strdup(call, res->identity);
		if (!call->identity_out)
			rc = -ENOMEM;
	}
	if (rc == 0 && call->div_sign_from[0]) {
		/* RFC 8946 §3: the SHAKEN PASSporT names the number first
		 * called; this one says where the call went from there */
		in.orig_tn = call->sc.orig;
		in.dest_tn = call->sc.dest;
		in.iat = res->pp ? res->pp->iat : stiwf_evloop_time();
		in.div_tn = call->div_sign_from;
		call->as_req = stir_as_sign(g_iwf_env.as, call, &in, as_div_done, call);
		if (call->as_req)
			return;
		rc = -ENOMEM;
	}
	osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SIGNED, &rc);
}

/* The number an IAM's call was first diverted from, when its redirection
 * reads (isup_iam_divert_get()), into \a out as E.164 digits; "" if none. */
static void iam_div_from(struct iwf_call *call, char *out, size_t size)
{
	struct sip_divert *d;
	const char *cc = call->ss7_peer && call->ss7_peer->plan.cc[0] ? call->ss7_peer->plan.cc : NULL;
	size_t n;

	out[0] = '\0';
	if (!call->iam)
		return;
	d = talloc_zero(call, struct sip_divert);
	if (d && isup_iam_divert_get(d, call->iam, cc) == 0 && d->present && !d->national) {
		n = strnlen(d->orig_called, sizeof(d->orig_called));
		if (n >= 1 && n <= SIGTOKEN_E164_MAX && strspn(d->orig_called, "0123456789") == n &&
		    strcmp(d->orig_called, call->sc.dest))
			osmo_strlcpy(out, d->orig_called, size);
	}
	talloc_free(d);
}

void isup_decide(struct iwf_call *call)
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
		call->attest_out = call->su->tok.passport.attest;
		if (call->identity_out && call->identity_div_out) {
			iwf_call_ctr_inc(IWF_CALL_CTR_DIV_REBUILT);
			call->div_out = "rebuilt";
		}
		rc = 0;
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SIGNED, &rc);
		return;
	}
	TALLOC_FREE(call->identity_out);
	TALLOC_FREE(call->identity_div_out);
	if (d->identity != IWF_IDENTITY_SIGN || !g_iwf_env.as) {
		if (d->identity == IWF_IDENTITY_SIGN)
			LOGPFSML(call->fi, LOGL_NOTICE, "no STI credential: the INVITE goes without Identity\n");
		rc = 0;
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SIGNED, &rc);
		return;
	}
	in.orig_tn = call->sc.orig;
	in.dest_tn = call->sc.dest;
	/* a forwarded call (docs/FORWARDING.md §4): the SHAKEN PASSporT for
	 * the number first called, then a div PASSporT to the called one */
	iam_div_from(call, call->div_sign_from, sizeof(call->div_sign_from));
	if (call->div_sign_from[0] && call->sc.orig[0])
		in.dest_tn = call->div_sign_from;
	else
		call->div_sign_from[0] = '\0';
	in.iat = stiwf_evloop_time();
	in.attest = d->attest;
	call->attest_out = d->attest;
	iwf_call_ctr_inc(IWF_CALL_CTR_SIGNED);
	call->as_req = stir_as_sign(g_iwf_env.as, call, &in, as_done, call);
	if (!call->as_req)
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "no-memory");
}

void isup_place_invite(struct iwf_call *call, int sign_rc)
{
	struct iwf_sip_peer *peer = call->sip_peer;
	struct sip_call_out_params p;
	struct iwf_invite_bufs b;
	char diversion[256];
	int rc;

	if (sign_rc < 0) {
		LOGPFSML(call->fi, LOGL_ERROR, "STI-AS failed: %s\n", strerror(-sign_rc));
		call_end(call, IWF_CAUSE_TEMPORARY_FAILURE, "sti-as");
		return;
	}
	iwf_invite_params(&p, &b, peer, call->called, call->calling, &call->su->sip_id, &call->dec, call->identity_out,
			  iwf_call_sdp(call->ss7_peer));
	/* RFC 8946 §4: the div PASSporT beside the SHAKEN one it extends */
	if (call->identity_out && call->identity_div_out && p.n_identity == 1) {
		p.identity[p.n_identity++] = call->identity_div_out;
	} else if (call->div_out) {
		call->div_out = NULL;
	}
	/* a forwarded call: who forwarded it (docs/FORWARDING.md) */
	if (call->iam && iwf_invite_diversion(diversion, sizeof(diversion), call->iam,
					      call->ss7_peer && call->ss7_peer->plan.cc[0] ? call->ss7_peer->plan.cc : NULL,
					      call->call_id) > 0)
		p.diversion = diversion;
	call->sip = g_iwf_legs->sip_call_place(g_iwf_env.sip, &p, call, &rc);
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
	TALLOC_FREE(call->identity_div_out);
	osmo_strlcpy(call->call_id, g_iwf_legs->sip_call_get_id(call->sip), sizeof(call->call_id));
	LOGPFSML(call->fi, LOGL_INFO, "INVITE %s -> %s to %s (%s%s%s, verstat %s)\n", p.calling ? p.calling : "anonymous",
		 p.called, peer->name, get_value_string(iwf_identity_action_names, call->dec.identity),
		 call->div_out ? ", div PASSporT " : "", call->div_out ? call->div_out : "",
		 p.verstat ? p.verstat : "-");
	call_state_chg(call, IWF_CALL_ST_SETUP);
}
