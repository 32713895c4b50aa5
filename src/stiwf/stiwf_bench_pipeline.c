/* stiwf bench pipeline|scaling: the whole per-call work of the daemon,
 * in this process, per direction, against what OpenSSL alone costs for the
 * public-key operations of that call.
 *
 * A call runs the functions the call flows (iwf/call_sip_to_isup.c,
 * iwf/call_isup_to_sip.c) run, in their order, with the services the
 * daemon builds (STI-VS and STI-AS over an x5u cache, TSCA directory,
 * domain map, replay cache, worker pool):
 *
 *   sip_to_isup           parse the INVITE text with Sofia, extract the
 *                         call info, map the numbers, build the IAM, derive
 *                         the call identity, STI-VS (x5u cache hit), reduce
 *                         the PASSporT to the PASSPORT TLV, policy, HOP
 *                         sign, put the token in the IAM, encode it
 *   isup_to_sip_rebuild   decode such an IAM, map the numbers, get the
 *                         token, check iat, TSCA lookup (local directory),
 *                         map, HOP verify, replay check, rebuild the
 *                         PASSporT and verify it with the STI-VS (cache
 *                         hit), policy, build and serialize the INVITE
 *   isup_to_sip_resign    the same for an IAM with HOP but no PASSPORT:
 *                         HOP verify, policy, STI-AS sign, INVITE
 *
 * Their floors are raw EVP ES256 on the same key (EVP_DigestVerifyInit +
 * EVP_DigestVerify, EVP_DigestSignInit + EVP_DigestSign): one verify and
 * one sign, two verifies, one verify and one sign.  Each round measures
 * the pipelines and the floors one after the other, so that a slow moment
 * of the machine hits all alike; the figures are medians over the rounds.
 *
 * "pipeline" runs one call at a time with the crypto inline on the loop
 * (one core).  "scaling" runs many calls in flight with the crypto on the
 * worker pool, as the daemon does, once with one worker and once with one
 * worker per core (or --threads), and reports the speed-up. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/cache.h"
#include "certs/credential.h"
#include "certs/fetch.h"
#include "certs/keyid.h"
#include "certs/map.h"
#include "certs/resolve.h"
#include "certs/tnauthlist.h"
#include "certs/truststore.h"
#include "certs/tsca.h"
#include "iwf/call_steps.h"
#include "iwf/e2e_passport.h"
#include "iwf/number.h"
#include "iwf/peer.h"
#include "iwf/policy.h"
#include "sip/passport.h"
#include "sip/sip_call.h"
#include "sip/stir_as.h"
#include "sip/stir_vs.h"
#include "src/stiwf/stiwf_bench.h"
#include "src/stiwf/stiwf_bench_pki.h"
#include "src/core/workq.h"
#include "ss7/isup.h"
#include "iwf/isup_identity.h"
#include "ss7/sigtoken.h"

#define PL_X5U		"https://cert.example.org/sp-a-chain.pem"
#define PL_CALLING	"12025550002"
#define PL_CALLED	"12025550001"
#define PL_CC		"1"
/* distinct HOP signatures per direction: the replay cache sees each once
 * per pass and is renewed when the pass starts again */
#define PL_NUM_IAMS	512
#define PL_IAM_MAX	512
/* the iat and "now" windows: long runs stay fresh, the window is not
 * what is measured */
#define PL_WINDOW	86400
#define PL_MAX_ROUNDS	101
#define PL_INVITE_MAX	(STIR_AS_IDENTITY_MAX + SIP_CALL_SDP_MAX)
/* calls in flight per worker thread in the scaling run */
#define PL_IN_FLIGHT_PER_WORKER	8
#define PL_MAX_IN_FLIGHT	256

/* the TSCA policy OID of a full operator certificate (ARCHITECTURE §3) */
#define PL_TSCA_FULL_OID	TSCA_DEFAULT_FULL_OID

enum pl_dir {
	PL_SIP_TO_ISUP,
	PL_ISUP_TO_SIP_REBUILD,
	PL_ISUP_TO_SIP_RESIGN,
	_NUM_PL_DIR
};

static const char *const pl_dir_names[_NUM_PL_DIR] = {
	[PL_SIP_TO_ISUP] = "sip_to_isup",
	[PL_ISUP_TO_SIP_REBUILD] = "isup_to_sip_rebuild",
	[PL_ISUP_TO_SIP_RESIGN] = "isup_to_sip_resign",
};

/* the services of one run: with a pool (scaling) or without (pipeline) */
struct pl_svc {
	struct stiwf_workq *wq;
	struct stir_vs *vs;
	struct stir_as *as;
};

struct pl_call;

struct pl {
	void *ctx;
	void *calls;			/* parent of the calls: freed first */
	EVP_PKEY *pkey;			/* STI and TSCA operator key alike */
	X509 *sh_root, *sh_leaf;	/* SHAKEN root, STI certificate */
	X509 *ts_root, *ts_leaf;	/* TSCA root, operator certificate */
	char dir[128];			/* the TSCA local directory */
	bool dir_made, file_made;
	char file[160];
	struct credential sti_cred;	/* borrowed key and certificate */
	struct cert_domain *sh_dom;
	struct tsca_dir *tsca;
	struct certmap *map;
	/* per kind of IAM, one replay cache per pass over them, the last two
	 * kept: a call of the previous pass still in flight checks against
	 * its own pass's cache */
	struct sigtoken_replay *replay[2][2];
	unsigned int pass[2];
	struct sigtoken_key *hop_key;	/* the TSCA credential's, prepared once (as the call layer's) */
	struct iwf_sip_peer sip_peer;
	struct iwf_ss7_peer ss7_peer;
	const char *sdp;
	struct pl_svc *svc;		/* in force */

	/* inputs */
	char invite[4096];
	size_t invite_len;
	char invite_noid[4096];		/* without Identity: makes the re-sign IAMs */
	size_t invite_noid_len;
	uint8_t iams[2][PL_NUM_IAMS][PL_IAM_MAX];	/* [0] HOP+PASSPORT, [1] HOP only */
	int iam_len[2][PL_NUM_IAMS];
	unsigned int next_iam[2];
	bool generating;		/* setup: SIP->ISUP calls keep their IAM */
	const char *gen_invite;
	size_t gen_invite_len;
	uint8_t *gen_out;
	int *gen_out_len;

	/* the floors */
	EVP_MD_CTX *mdctx;
	uint8_t data[256];		/* what the raw operations sign */
	uint8_t der[80];
	size_t der_len;

	/* calls */
	unsigned int in_flight, done, failed;
	unsigned long sink;
};

struct pl_call {
	struct pl *pl;
	enum pl_dir dir;
	struct isup_msg *iam;
	struct sigtoken tok;
	struct sigtoken_call sc;
	struct iwf_sip_identity sip_id;
	struct iwf_isup_identity isup_id;
	struct iwf_policy policy;
	struct iwf_sip_evidence sev;
	struct iwf_isup_evidence iev;
	struct iwf_decision dec;
	char calling[SIGTOKEN_E164_MAX + 1];
	char called[SIGTOKEN_E164_MAX + 1];
	char signer[KEYID_HEX_LEN];
	struct stiwf_work work;
	struct sigtoken_key *key;
	uint32_t sign_iat;
	int rc;
	char *identity_out;
	struct sigtoken_replay *replay;
	struct stiwf_workq *wq;		/* the pool its jobs go to */
};

/* ------------------------------------------------------------ the calls */

static void call_finish(struct pl_call *c, bool ok)
{
	struct pl *pl = c->pl;

	if (ok)
		pl->done++;
	else
		pl->failed++;
	pl->in_flight--;
	talloc_free(c);
}

/* SIP -> ISUP, the last step: the token in the IAM, the IAM as octets */
static void s2i_send_iam(struct pl_call *c)
{
	struct pl *pl = c->pl;
	uint8_t out[PL_IAM_MAX];
	int rc = c->rc;

	if (rc == 0)
		rc = sigtoken_iam_put(c->iam, &c->tok, c->policy.aci);
	if (rc == 0)
		rc = isup_msg_encode(out, sizeof(out), c->iam);
	if (rc < 0 || !c->tok.has_hop) {
		fprintf(stderr, "stiwf bench: sip_to_isup: no IAM: %s\n", strerror(rc < 0 ? -rc : EINVAL));
		call_finish(c, false);
		return;
	}
	if (pl->generating && pl->gen_out) {
		memcpy(pl->gen_out, out, rc);
		*pl->gen_out_len = rc;
	}
	pl->sink += out[rc - 1];
	call_finish(c, true);
}

/* worker: the HOP signature, as hop_sign_work() */
static void s2i_sign_work(struct stiwf_work *w)
{
	struct pl_call *c = w->priv;

	c->rc = sigtoken_hop_sign(&c->tok, c->key, c->sign_iat, &c->sc);
}

static void s2i_sign_done(struct stiwf_work *w)
{
	struct pl_call *c = w->priv;

	TALLOC_FREE(c->key);
	s2i_send_iam(c);
}

/* as sip_decide() */
static void s2i_decide(struct pl_call *c)
{
	struct pl *pl = c->pl;
	struct iwf_decision *d = &c->dec;

	if (iwf_policy_sip_to_isup(&c->policy, &c->sev, d) < 0 || d->action != IWF_ACTION_FORWARD) {
		fprintf(stderr, "stiwf bench: sip_to_isup: refused by policy\n");
		call_finish(c, false);
		return;
	}
	c->tok.has_passport = d->tlv_passport && c->sev.passport_canonical;
	if (!c->tok.has_passport)
		memset(&c->tok.passport, 0, sizeof(c->tok.passport));
	c->tok.has_verdict = d->tlv_verdict;
	c->tok.verdict.verstat = d->verdict_verstat;
	c->tok.verdict.reason = d->verdict_reason;
	c->key = sigtoken_key_dup(c, pl->hop_key);
	if (!c->key) {
		call_finish(c, false);
		return;
	}
	c->sign_iat = (uint32_t)time(NULL);
	c->work.work = s2i_sign_work;
	c->work.done = s2i_sign_done;
	c->work.priv = c;
	if (pl->svc->wq && stiwf_workq_submit(pl->svc->wq, &c->work) == 0)
		return;
	s2i_sign_work(&c->work);
	s2i_sign_done(&c->work);
}

/* as vs_done() */
static void s2i_vs_done(const struct stir_vs_result *res, void *priv)
{
	struct pl_call *c = priv;

	c->sev.stir_code = res->code;
	c->sev.attest = res->code == 0 ? res->attest : 0;
	c->sev.passport_canonical = false;
	if (res->code == 0 && res->pp) {
		c->sev.x5u_len = strlen(res->pp->x5u);
		if (res->canonical &&
		    e2e_passport_to_tlv(&c->tok.passport, res->pp, c->sc.orig, c->sc.dest) == E2E_PP_OK)
			c->sev.passport_canonical = true;
	}
	if (c->sev.identity_present && !c->sev.passport_canonical) {
		fprintf(stderr, "stiwf bench: sip_to_isup: STI-VS: %d %s\n", res->code, res->detail);
		call_finish(c, false);
		return;
	}
	s2i_decide(c);
}

/* as iwf_call_sip_start() */
static void s2i_start(struct pl_call *c, const char *text, size_t len)
{
	struct pl *pl = c->pl;
	struct iwf_isup_identity e164;
	struct iwf_number_plan plan;
	struct stir_vs_input in = {};
	struct stir_vs_cfg cfg;
	struct sip_call_info info;
	const struct iwf_ss7_peer *ss7 = &pl->ss7_peer;
	int status, rc;

	rc = sip_call_info_parse(c, &info, text, len, &status);
	if (rc < 0) {
		fprintf(stderr, "stiwf bench: sip_to_isup: INVITE refused: %d\n", status);
		call_finish(c, false);
		return;
	}
	iwf_sip_identity_from_info(&c->sip_id, &info);
	plan = pl->sip_peer.plan;
	plan.format = IWF_NUMFMT_INTERNATIONAL;
	rc = iwf_number_sip_to_isup(&e164, &c->sip_id, &plan);
	if (rc == 0) {
		osmo_strlcpy(c->called, e164.called.digits, sizeof(c->called));
		if (e164.calling.present)
			osmo_strlcpy(c->calling, e164.calling.digits, sizeof(c->calling));
		c->policy = pl->sip_peer.policy;
		c->policy.aci = ss7->policy.aci;
		rc = iwf_iam_for_ss7_peer(c, &c->sip_id, &pl->sip_peer.plan, ss7, c->called, &c->isup_id, &c->iam,
					  &c->sc);
	}
	if (rc < 0) {
		fprintf(stderr, "stiwf bench: sip_to_isup: no IAM: %s\n", strerror(-rc));
		call_finish(c, false);
		return;
	}
	c->sev.identity_present = info.n_identity > 0;
	if (!info.n_identity) {
		s2i_decide(c);
		return;
	}
	stir_vs_cfg_init(&cfg);
	cfg.max_age = PL_WINDOW;
	cfg.identity_required = false;
	in.identity = (const char *const *)info.identity;
	in.num_identity = info.n_identity;
	in.orig_tn = c->calling;
	in.dest_tn = c->called;
	in.now = time(NULL);
	if (!stir_vs_verify(pl->svc->vs, c, &cfg, &in, s2i_vs_done, c))
		call_finish(c, false);
}

/* ISUP -> SIP, the last step: the INVITE as isup_place_invite() has
 * sip_call_place() send it, serialized */
static void i2s_invite(struct pl_call *c)
{
	struct pl *pl = c->pl;
	struct sip_call_out_params p;
	struct iwf_invite_bufs b;
	char call_id[48];
	uint8_t rnd[12];
	char *out;
	int rc;

	iwf_invite_params(&p, &b, &pl->sip_peer, c->called, c->calling, &c->sip_id, &c->dec, c->identity_out,
			  pl->sdp);
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
		call_finish(c, false);
		return;
	}
	snprintf(call_id, sizeof(call_id), "%s@stiwf", osmo_hexdump_nospc(rnd, sizeof(rnd)));
	out = talloc_size(c, PL_INVITE_MAX);
	rc = out ? sip_call_invite_encode(out, PL_INVITE_MAX, &p, call_id) : -ENOMEM;
	if (rc < 0 || !c->identity_out) {
		fprintf(stderr, "stiwf bench: %s: no INVITE: %s\n", pl_dir_names[c->dir],
			strerror(rc < 0 ? -rc : ENOENT));
		call_finish(c, false);
		return;
	}
	pl->sink += out[rc - 1];
	call_finish(c, true);
}

static void i2s_as_done(const struct stir_as_result *res, void *priv)
{
	struct pl_call *c = priv;

	if (res->rc == 0)
		c->identity_out = talloc_strdup(c, res->identity);
	if (!c->identity_out) {
		call_finish(c, false);
		return;
	}
	i2s_invite(c);
}

/* as isup_decide() */
static void i2s_decide(struct pl_call *c)
{
	struct pl *pl = c->pl;
	struct iwf_decision *d = &c->dec;
	struct stir_as_input in = {};
	enum iwf_identity_action want = c->dir == PL_ISUP_TO_SIP_REBUILD ? IWF_IDENTITY_REBUILD :
					IWF_IDENTITY_SIGN;

	if (iwf_policy_isup_to_sip(&c->policy, &c->iev, d) < 0 || d->action != IWF_ACTION_FORWARD ||
	    d->identity != want) {
		fprintf(stderr, "stiwf bench: %s: policy says %s (%s)\n", pl_dir_names[c->dir],
			get_value_string(iwf_identity_action_names, d->identity),
			get_value_string(iwf_policy_reason_names, d->reason));
		call_finish(c, false);
		return;
	}
	if (d->identity == IWF_IDENTITY_REBUILD) {
		i2s_invite(c);
		return;
	}
	TALLOC_FREE(c->identity_out);
	in.orig_tn = c->sc.orig;
	in.dest_tn = c->sc.dest;
	in.iat = time(NULL);
	in.attest = d->attest;
	if (!stir_as_sign(pl->svc->as, c, &in, i2s_as_done, c))
		call_finish(c, false);
}

/* as pp_vs_done() */
static void i2s_pp_done(const struct stir_vs_result *res, void *priv)
{
	struct pl_call *c = priv;

	c->iev.passport_verifies = res->code == 0 && res->verstat == STIR_VERSTAT_PASSED;
	if (!c->iev.passport_verifies)
		TALLOC_FREE(c->identity_out);
	i2s_decide(c);
}

/* as isup_passport_verify() */
static void i2s_passport_verify(struct pl_call *c)
{
	struct pl *pl = c->pl;
	struct passport *pp;
	struct stir_vs_input in = {};
	struct stir_vs_cfg cfg;
	const char *values[1];
	char *buf;
	int rc;

	pp = talloc_zero(c, struct passport);
	buf = talloc_size(c, STIR_AS_IDENTITY_MAX);
	rc = (pp && buf) ? e2e_passport_rebuild(pp, &c->tok.passport, c->sc.orig, c->sc.dest) : -ENOMEM;
	if (rc == 0)
		rc = e2e_passport_identity(buf, STIR_AS_IDENTITY_MAX, pp);
	if (rc < 0) {
		talloc_free(pp);
		talloc_free(buf);
		call_finish(c, false);
		return;
	}
	c->identity_out = talloc_strdup(c, buf);
	talloc_free(buf);
	values[0] = c->identity_out;
	stir_vs_cfg_init(&cfg);
	cfg.max_age = PL_WINDOW;
	cfg.identity_required = false;
	in.identity = values;
	in.num_identity = 1;
	in.orig_tn = c->sc.orig;
	in.dest_tn = c->sc.dest;
	in.now = time(NULL);
	in.pp = pp;
	if (!c->identity_out || !stir_vs_verify(pl->svc->vs, c, &cfg, &in, i2s_pp_done, c)) {
		talloc_free(pp);
		call_finish(c, false);
		return;
	}
	talloc_free(pp);
}

static void i2s_hop_work(struct stiwf_work *w)
{
	struct pl_call *c = w->priv;

	c->rc = sigtoken_hop_verify(&c->tok, c->key, &c->sc);
}

/* as hop_verify_done() */
static void i2s_hop_done(struct stiwf_work *w)
{
	struct pl_call *c = w->priv;
	int rc = c->rc;

	TALLOC_FREE(c->key);
	if (rc == 0)
		rc = sigtoken_replay_check(c->replay, &c->tok.hop, time(NULL));
	iwf_hop_evidence(&c->iev, rc);
	if (c->iev.hop != IWF_HOP_VALID) {
		fprintf(stderr, "stiwf bench: %s: HOP %s\n", pl_dir_names[c->dir],
			get_value_string(iwf_hop_reason_names, c->iev.hop_reason));
		call_finish(c, false);
		return;
	}
	if (c->iev.passport_present) {
		i2s_passport_verify(c);
		return;
	}
	i2s_decide(c);
}

/* as tsca_done() */
static void i2s_tsca_done(const struct tsca_result *res, void *priv)
{
	struct pl_call *c = priv;
	struct pl *pl = c->pl;

	iwf_signer_evidence(&c->iev, pl->map, res, c->sc.orig);
	if (res->err != TSCA_OK) {
		fprintf(stderr, "stiwf bench: %s: HOP signer: %s\n", pl_dir_names[c->dir], res->detail);
		call_finish(c, false);
		return;
	}
	c->work.work = i2s_hop_work;
	c->work.done = i2s_hop_done;
	c->work.priv = c;
	if (pl->svc->wq) {
		c->key = res->key ? sigtoken_key_dup(c, res->key) : sigtoken_key_alloc_x509(c, res->leaf);
		if (c->key && stiwf_workq_submit(pl->svc->wq, &c->work) == 0)
			return;
		TALLOC_FREE(c->key);
	}
	c->rc = sigtoken_hop_verify(&c->tok, res->key, &c->sc);
	i2s_hop_done(&c->work);
}

/* as iwf_call_isup_start() with the IAM of the trunk */
static void i2s_start(struct pl_call *c, const uint8_t *octets, size_t len)
{
	struct pl *pl = c->pl;
	struct tsca_result res;
	const struct iwf_ss7_peer *ss7 = &pl->ss7_peer;
	const char *cc = ss7->plan.cc[0] ? ss7->plan.cc : NULL;
	int rc;

	c->iam = talloc_zero(c, struct isup_msg);
	rc = c->iam ? isup_msg_decode(c->iam, octets, len) : -ENOMEM;
	c->policy = ss7->policy;
	if (rc >= 0)
		rc = isup_iam_to_identity(&c->isup_id, c->iam);
	if (rc == 0)
		rc = iwf_number_isup_to_sip(&c->sip_id, &c->isup_id, &ss7->plan);
	if (rc < 0) {
		fprintf(stderr, "stiwf bench: %s: IAM: %s\n", pl_dir_names[c->dir], strerror(-rc));
		call_finish(c, false);
		return;
	}
	osmo_strlcpy(c->called, c->sip_id.ruri.digits, sizeof(c->called));
	if (c->sip_id.pai.present)
		osmo_strlcpy(c->calling, c->sip_id.pai.digits, sizeof(c->calling));
	rc = sigtoken_iam_get(&c->tok, c->iam, c->policy.aci);
	c->iev.hop = c->tok.has_hop ? IWF_HOP_INVALID : IWF_HOP_MISSING;
	if (rc == 0) {
		c->iev.passport_present = c->tok.has_passport;
		c->iev.verdict_present = c->tok.has_verdict;
		c->iev.verdict_verstat = c->tok.verdict.verstat;
		c->iev.verdict_reason = c->tok.verdict.reason;
		rc = sigtoken_call_from_iam(&c->sc, c->iam, cc);
	}
	c->iev.has_calling = c->sc.orig[0] != '\0';
	if (c->sc.orig[0])
		osmo_strlcpy(c->calling, c->sc.orig, sizeof(c->calling));
	if (rc == 0 && !c->tok.has_hop)
		rc = -ENOENT;
	if (rc == 0) {
		keyid_to_hex(c->signer, sizeof(c->signer), c->tok.hop.key_id);
		rc = sigtoken_iat_check(c->tok.hop.iat, time(NULL), PL_WINDOW, 0);
	}
	if (rc < 0) {
		fprintf(stderr, "stiwf bench: %s: token: %s\n", pl_dir_names[c->dir], strerror(-rc));
		call_finish(c, false);
		return;
	}
	if (tsca_dir_lookup_local(pl->tsca, c->tok.hop.key_id, (time_t)c->tok.hop.iat, &res) == 0) {
		i2s_tsca_done(&res, c);
		return;
	}
	if (!tsca_lookup(pl->tsca, c->tok.hop.key_id, (time_t)c->tok.hop.iat, i2s_tsca_done, c))
		call_finish(c, false);
}

/* as iwf_call_destructor(): a job the worker still holds must not
 * outlive the call */
static int call_destructor(struct pl_call *c)
{
	if (c->wq)
		stiwf_workq_cancel(c->wq, &c->work);
	return 0;
}

/* Start one call of direction dir.  \returns 0 or -ENOMEM */
static int call_start(struct pl *pl, enum pl_dir dir)
{
	struct pl_call *c = talloc_zero(pl->calls, struct pl_call);
	unsigned int k, i;

	if (!c)
		return -ENOMEM;
	c->pl = pl;
	c->dir = dir;
	c->wq = pl->svc->wq;
	talloc_set_destructor(c, call_destructor);
	pl->in_flight++;
	if (dir == PL_SIP_TO_ISUP) {
		if (pl->generating)
			s2i_start(c, pl->gen_invite, pl->gen_invite_len);
		else
			s2i_start(c, pl->invite, pl->invite_len);
		return 0;
	}
	k = dir == PL_ISUP_TO_SIP_REBUILD ? 0 : 1;
	i = pl->next_iam[k]++;
	if (pl->next_iam[k] == PL_NUM_IAMS)
		pl->next_iam[k] = 0;
	if (i == 0) {
		/* a new pass over the IAMs: a new replay cache, so that no IAM
		 * is seen twice by one cache */
		pl->pass[k]++;
		talloc_free(pl->replay[k][pl->pass[k] % 2]);
		pl->replay[k][pl->pass[k] % 2] = sigtoken_replay_alloc(pl->ctx, PL_WINDOW, 0, PL_NUM_IAMS);
	}
	c->replay = pl->replay[k][pl->pass[k] % 2];
	if (!c->replay) {
		call_finish(c, false);
		return -ENOMEM;
	}
	i2s_start(c, pl->iams[k][i], pl->iam_len[k][i]);
	return 0;
}

/* Run the loop until no call is in flight. */
static void calls_drain(struct pl *pl)
{
	while (pl->in_flight)
		osmo_select_main(0);
}

/* ------------------------------------------------------------ the floors */

static int floor_verify(struct pl *pl)
{
	if (EVP_DigestVerifyInit(pl->mdctx, NULL, EVP_sha256(), NULL, pl->pkey) != 1 ||
	    EVP_DigestVerify(pl->mdctx, pl->der, pl->der_len, pl->data, sizeof(pl->data)) != 1)
		return -EIO;
	return 0;
}

static int floor_sign(struct pl *pl)
{
	uint8_t sig[80];
	size_t len = sizeof(sig);

	if (EVP_DigestSignInit(pl->mdctx, NULL, EVP_sha256(), NULL, pl->pkey) != 1 ||
	    EVP_DigestSign(pl->mdctx, sig, &len, pl->data, sizeof(pl->data)) != 1)
		return -EIO;
	pl->sink += sig[0];
	return 0;
}

/* the public-key operations of one call of dir, and nothing else */
static int floor_once(struct pl *pl, enum pl_dir dir)
{
	int rc = floor_verify(pl);

	if (rc < 0)
		return rc;
	return dir == PL_ISUP_TO_SIP_REBUILD ? floor_verify(pl) : floor_sign(pl);
}

/* ------------------------------------------------------------ measuring */

/* The measurements stay functions of their own, so that a profiler can
 * delimit them: valgrind --tool=callgrind --toggle-collect=measure_calls
 * --dump-before=measure_floor gives the instructions of each direction's
 * calls alone, and the number of call_start() calls in each dump. */
#define PL_MEASURE __attribute__((noinline))

/* calls per second of dir for about ms milliseconds, one call at a time */
static PL_MEASURE int measure_calls(struct pl *pl, enum pl_dir dir, unsigned int ms, double *rate)
{
	double t0 = stiwf_bench_now(), t;
	unsigned int i, done0 = pl->done;

	do {
		for (i = 0; i < 8; i++) {
			if (call_start(pl, dir) < 0)
				return -ENOMEM;
			calls_drain(pl);
			if (pl->failed)
				return -EIO;
		}
		t = stiwf_bench_now() - t0;
	} while (t * 1000 < ms);
	*rate = (pl->done - done0) / t;
	return 0;
}

/* calls per second of dir with \a n calls kept in flight, for about ms
 * milliseconds and at least n finished calls (a rate of something) */
static PL_MEASURE int measure_in_flight(struct pl *pl, enum pl_dir dir, unsigned int n, unsigned int ms, double *rate)
{
	double t0 = stiwf_bench_now(), t;
	unsigned int done0 = pl->done;

	do {
		while (pl->in_flight < n) {
			if (call_start(pl, dir) < 0)
				return -ENOMEM;
		}
		osmo_select_main(0);
		if (pl->failed)
			return -EIO;
		t = stiwf_bench_now() - t0;
	} while (t * 1000 < ms || pl->done - done0 < n);
	t = stiwf_bench_now() - t0;
	*rate = (pl->done - done0) / t;
	calls_drain(pl);
	return pl->failed ? -EIO : 0;
}

struct floor_arg {
	struct pl *pl;
	enum pl_dir dir;
};

static int floor_op(void *arg)
{
	struct floor_arg *a = arg;

	return floor_once(a->pl, a->dir);
}

static PL_MEASURE int measure_floor(struct pl *pl, enum pl_dir dir, unsigned int ms, double *rate)
{
	struct floor_arg a = { pl, dir };

	return stiwf_bench_rate(floor_op, &a, pl_dir_names[dir], ms, rate);
}

/* ------------------------------------------------------------ setup */

static struct sigtoken_key *tsca_key_alloc(void *ctx, X509 *leaf)
{
	return sigtoken_key_alloc_x509(ctx, leaf);
}

/* The TSCA domain: the root in the trust store, the operator certificate
 * in a local directory of our own (removed at the end). */
static int tsca_setup(struct pl *pl)
{
	struct tsca_cfg cfg;
	struct truststore *ts;
	const char *tmp;
	FILE *f;
	int fd;

	tmp = getenv("TMPDIR");
	if (!tmp || !tmp[0] || strlen(tmp) > sizeof(pl->dir) - 20)
		tmp = "/tmp";
	snprintf(pl->dir, sizeof(pl->dir), "%s/stiwf-bench-XXXXXX", tmp);
	if (!mkdtemp(pl->dir))
		return -errno;
	pl->dir_made = true;
	snprintf(pl->file, sizeof(pl->file), "%s/operator.pem", pl->dir);
	fd = open(pl->file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -errno;
	pl->file_made = true;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -errno;
	}
	if (PEM_write_X509(f, pl->ts_leaf) != 1) {
		fclose(f);
		return -EIO;
	}
	if (fclose(f) != 0)
		return -EIO;
	ts = truststore_alloc(pl->ctx, "tsca", NULL);
	if (!ts || truststore_add_cert(ts, pl->ts_root) < 0)
		return -ENOMEM;
	tsca_cfg_init(&cfg);
	cfg.cert_dir = pl->dir;
	cfg.key_alloc = tsca_key_alloc;
	pl->tsca = tsca_dir_alloc(pl->ctx, &cfg, ts, NULL);
	pl->map = certmap_alloc(pl->ctx);
	if (!pl->tsca || !pl->map || tsca_dir_count(pl->tsca) != 1)
		return -EIO;
	return 0;
}

/* The SHAKEN domain: the root in the trust store, the STI certificate in
 * the x5u cache as a fetch would have left it. */
static int shaken_setup(struct pl *pl)
{
	struct cert_domain_cfg dcfg = { .name = "shaken", .shaken_profile = true };
	struct cert_cache_hdrs h = { 0 };
	struct fetch_policy pol;
	struct truststore *ts;
	struct cert_cache *cache;
	struct fetcher *f;
	STACK_OF(X509) *sk;

	ts = truststore_alloc(pl->ctx, "shaken", NULL);
	cache = cert_cache_alloc(pl->ctx, NULL);
	fetch_policy_init(&pol);
	f = fetcher_alloc(pl->ctx, "x5u", &pol);
	sk = sk_X509_new_null();
	if (!ts || !cache || !f || !sk || truststore_add_cert(ts, pl->sh_root) < 0 || !X509_up_ref(pl->sh_leaf) ||
	    !sk_X509_push(sk, pl->sh_leaf)) {
		sk_X509_pop_free(sk, X509_free);
		return -ENOMEM;
	}
	if (!cert_cache_put(cache, PL_X5U, sk, &h)) {
		sk_X509_pop_free(sk, X509_free);
		return -EIO;
	}
	pl->sh_dom = cert_domain_alloc(pl->ctx, &dcfg, f, cache, ts);
	return pl->sh_dom ? 0 : -ENOMEM;
}

static int svc_setup(struct pl *pl, struct pl_svc *svc, unsigned int threads)
{
	struct stir_as_cfg acfg = { .attest = 'C' };

	memset(svc, 0, sizeof(*svc));
	if (threads) {
		svc->wq = stiwf_workq_create(pl->ctx, threads);
		if (!svc->wq)
			return -ENOMEM;
	}
	svc->vs = stir_vs_alloc(pl->ctx, pl->sh_dom, svc->wq);
	svc->as = stir_as_alloc(pl->ctx, &pl->sti_cred, &acfg, svc->wq);
	return svc->vs && svc->as ? 0 : -ENOMEM;
}

/* An INVITE as a SIP peer sends it (RFC 3261 §8.1.1, RFC 3325, RFC 8224). */
static int invite_text(char *buf, size_t size, const char *identity)
{
	static const char sdp[] =
		"v=0\r\n"
		"o=- 4711 1 IN IP4 192.0.2.10\r\n"
		"s=-\r\n"
		"c=IN IP4 192.0.2.10\r\n"
		"t=0 0\r\n"
		"m=audio 20000 RTP/AVP 0 8 101\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n"
		"a=sendrecv\r\n";
	int n;

	n = snprintf(buf, size,
		     "INVITE sip:+" PL_CALLED "@192.0.2.1:5060;user=phone SIP/2.0\r\n"
		     "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---8f4e1a2b0c3d4e5f;rport\r\n"
		     "Max-Forwards: 69\r\n"
		     "From: \"Alice\" <sip:+" PL_CALLING "@192.0.2.10;user=phone>;tag=9fxced76sl\r\n"
		     "To: <sip:+" PL_CALLED "@192.0.2.1;user=phone>\r\n"
		     "Call-ID: 3848276298220188511@192.0.2.10\r\n"
		     "CSeq: 1 INVITE\r\n"
		     "Contact: <sip:+" PL_CALLING "@192.0.2.10:5060;transport=udp>\r\n"
		     "P-Asserted-Identity: <tel:+" PL_CALLING ">\r\n"
		     "%s%s%s"
		     "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK\r\n"
		     "Supported: timer, 100rel\r\n"
		     "User-Agent: carrier-sbc/4.2\r\n"
		     "Content-Type: application/sdp\r\n"
		     "Content-Length: %zu\r\n"
		     "\r\n"
		     "%s",
		     identity ? "Identity: " : "", identity ? identity : "", identity ? "\r\n" : "",
		     strlen(sdp), sdp);
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}

/* The IAMs the ISUP->SIP calls read, made by SIP->ISUP calls: each with its
 * own HOP signature.  k 0: from a signed INVITE (HOP+PASSPORT+VERDICT),
 * 1: from one without Identity (HOP+VERDICT). */
static int iams_make(struct pl *pl, unsigned int k)
{
	unsigned int i;

	pl->generating = true;
	pl->gen_invite = k == 0 ? pl->invite : pl->invite_noid;
	pl->gen_invite_len = k == 0 ? pl->invite_len : pl->invite_noid_len;
	for (i = 0; i < PL_NUM_IAMS; i++) {
		pl->gen_out = pl->iams[k][i];
		pl->gen_out_len = &pl->iam_len[k][i];
		pl->iam_len[k][i] = 0;
		if (call_start(pl, PL_SIP_TO_ISUP) < 0)
			break;
		calls_drain(pl);
		if (pl->failed || pl->iam_len[k][i] <= 0)
			break;
	}
	pl->generating = false;
	pl->gen_out = NULL;
	return i == PL_NUM_IAMS ? 0 : -EIO;
}

static int pl_setup(struct pl *pl, const struct stiwf_bench_opts *o)
{
	struct passport *pp;
	struct stir_as_input in = { .orig_tn = PL_CALLING, .dest_tn = PL_CALLED };
	char identity[STIR_AS_IDENTITY_MAX];
	EVP_PKEY *sh_key = NULL, *ts_key = NULL;
	unsigned int n;
	size_t i;
	int rc;

	pl->pkey = stiwf_bench_key(o, pl->ctx);
	sh_key = EVP_EC_gen("P-256");
	ts_key = EVP_EC_gen("P-256");
	if (!pl->pkey || !sh_key || !ts_key)
		goto fail;
	pl->sh_root = bench_pki_cert(sh_key, "SHAKEN bench ROOT", NULL, sh_key, true, NULL, NULL);
	pl->sh_leaf = pl->sh_root ? bench_pki_cert(pl->pkey, "SHAKEN 1234", pl->sh_root, sh_key, false,
						   BENCH_PKI_SHAKEN_POLICY, "1234") : NULL;
	pl->ts_root = bench_pki_cert(ts_key, "TSCA bench ROOT", NULL, ts_key, true, NULL, NULL);
	pl->ts_leaf = pl->ts_root ? bench_pki_cert(pl->pkey, "Operator bench signing", pl->ts_root, ts_key, false,
						   PL_TSCA_FULL_OID, NULL) : NULL;
	if (!pl->sh_leaf || !pl->ts_leaf)
		goto fail;
	pl->sti_cred.key = pl->pkey;
	pl->sti_cred.leaf = pl->sh_leaf;
	pl->sti_cred.x5u = (char *)PL_X5U;
	if (shaken_setup(pl) < 0 || tsca_setup(pl) < 0)
		goto fail;
	pl->hop_key = sigtoken_key_alloc(pl->ctx, pl->pkey);
	pl->mdctx = EVP_MD_CTX_new();
	if (!pl->hop_key || !pl->mdctx)
		goto fail;

	/* the peers, with the defaults of the configuration */
	osmo_strlcpy(pl->sip_peer.name, "sbc", sizeof(pl->sip_peer.name));
	osmo_strlcpy(pl->sip_peer.addr, "192.0.2.10", sizeof(pl->sip_peer.addr));
	pl->sip_peer.port = 5060;
	iwf_policy_init(&pl->sip_peer.policy);
	iwf_number_plan_init(&pl->sip_peer.plan);
	osmo_strlcpy(pl->ss7_peer.name, "stp", sizeof(pl->ss7_peer.name));
	iwf_policy_init(&pl->ss7_peer.policy);
	iwf_number_plan_init(&pl->ss7_peer.plan);
	if (iwf_number_plan_set_cc(&pl->ss7_peer.plan, PL_CC) < 0)
		goto fail;
	pl->sdp = "v=0\r\no=stiwfd 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
		  "m=audio 4000 RTP/AVP 0 8\r\na=sendrecv\r\n";

	/* the caller's PASSporT, signed by "its carrier" with the STI key */
	pp = talloc_zero(pl->ctx, struct passport);
	pl->svc = talloc_zero(pl->ctx, struct pl_svc);
	if (!pp || !pl->svc || svc_setup(pl, pl->svc, 0) < 0)
		goto fail;
	in.iat = time(NULL);
	in.attest = 'A';
	rc = stir_as_sign_sync(pl->svc->as, &in, pp, identity, sizeof(identity));
	if (rc < 0)
		goto fail;
	rc = invite_text(pl->invite, sizeof(pl->invite), identity);
	if (rc < 0)
		goto fail;
	pl->invite_len = rc;
	rc = invite_text(pl->invite_noid, sizeof(pl->invite_noid), NULL);
	if (rc < 0)
		goto fail;
	pl->invite_noid_len = rc;

	/* the floors: a signature over as many octets as a PASSporT's
	 * signing input, the call's usual size */
	for (i = 0; i < sizeof(pl->data); i++)
		pl->data[i] = i;
	n = pp->signing_input_len < sizeof(pl->data) ? pp->signing_input_len : sizeof(pl->data);
	memcpy(pl->data, pp->signing_input, n);
	pl->der_len = sizeof(pl->der);
	if (EVP_DigestSignInit(pl->mdctx, NULL, EVP_sha256(), NULL, pl->pkey) != 1 ||
	    EVP_DigestSign(pl->mdctx, pl->der, &pl->der_len, pl->data, sizeof(pl->data)) != 1)
		goto fail;
	talloc_free(pp);

	if (iams_make(pl, 0) < 0 || iams_make(pl, 1) < 0)
		goto fail;
	/* and one call of each kind, which warms the caches */
	for (i = 0; i < _NUM_PL_DIR; i++) {
		if (call_start(pl, i) < 0)
			goto fail;
		calls_drain(pl);
	}
	if (pl->failed)
		goto fail;
	EVP_PKEY_free(sh_key);
	EVP_PKEY_free(ts_key);
	return 0;
fail:
	EVP_PKEY_free(sh_key);
	EVP_PKEY_free(ts_key);
	ERR_clear_error();
	return -EIO;
}

static void pl_free(struct pl *pl)
{
	/* the calls (cancelling their jobs), then the services and the
	 * pools' threads, then the keys */
	talloc_free(pl->calls);
	talloc_free(pl->ctx);
	EVP_MD_CTX_free(pl->mdctx);
	X509_free(pl->sh_root);
	X509_free(pl->sh_leaf);
	X509_free(pl->ts_root);
	X509_free(pl->ts_leaf);
	EVP_PKEY_free(pl->pkey);
	if (pl->file_made)
		unlink(pl->file);
	if (pl->dir_made)
		rmdir(pl->dir);
}

static struct pl *pl_alloc(const struct stiwf_bench_opts *o)
{
	struct pl *pl = calloc(1, sizeof(*pl));

	if (!pl)
		return NULL;
	pl->ctx = talloc_named_const(NULL, 0, "stiwf bench pipeline");
	pl->calls = talloc_named_const(NULL, 0, "stiwf bench calls");
	if (!pl->ctx || !pl->calls || pl_setup(pl, o) < 0) {
		fprintf(stderr, "stiwf bench: setup failed (is the key P-256?)\n");
		pl_free(pl);
		free(pl);
		return NULL;
	}
	return pl;
}

/* a figure; jansson has no NaN nor infinity, and a rate is never 0 */
static int json_set_num(json_t *obj, const char *name, double v)
{
	if (!(v > 0) || v > 1e300) {
		fprintf(stderr, "stiwf bench: %s is %g: nothing measured\n", name, v);
		return -ERANGE;
	}
	return json_object_set_new(obj, name, json_real(v)) == 0 ? 0 : -ENOMEM;
}

/*! stiwf bench pipeline: calls per second of each direction on one core,
 *  against its crypto floor.  Fills \a out with one object per direction
 *  {"calls_per_s", "floor_per_s", "ratio"} and "rounds", "ms". */
int stiwf_bench_pipeline(const struct stiwf_bench_opts *o, json_t *out)
{
	static double rates[_NUM_PL_DIR][2][PL_MAX_ROUNDS];
	double calls, floor;
	struct pl *pl;
	json_t *d;
	unsigned int r, k;
	int rc = -EIO;

	if (o->rounds < 1 || o->rounds > PL_MAX_ROUNDS || o->ms < 1)
		return -EINVAL;
	pl = pl_alloc(o);
	if (!pl)
		return -EIO;
	if (!o->json) {
		printf("key: P-256 %s; one call at a time, crypto inline on the loop (one core)\n",
		       o->key_path ? "loaded" : "generated");
		printf("rounds: %u x %u ms per measurement, medians:\n", o->rounds, o->ms);
		fflush(stdout);
	}
	/* interleaved, so that a slower moment of the machine hits all alike */
	for (r = 0; r < o->rounds; r++) {
		for (k = 0; k < _NUM_PL_DIR; k++) {
			if (measure_calls(pl, k, o->ms, &rates[k][0][r]) < 0 ||
			    measure_floor(pl, k, o->ms, &rates[k][1][r]) < 0) {
				fprintf(stderr, "stiwf bench: %s failed\n", pl_dir_names[k]);
				ERR_clear_error();
				goto out;
			}
		}
	}
	for (k = 0; k < _NUM_PL_DIR; k++) {
		calls = stiwf_bench_median(rates[k][0], o->rounds);
		floor = stiwf_bench_median(rates[k][1], o->rounds);
		d = json_object();
		if (!d || json_object_set_new(out, pl_dir_names[k], d) < 0 || json_set_num(d, "calls_per_s", calls) ||
		    json_set_num(d, "floor_per_s", floor) || json_set_num(d, "ratio", calls / floor)) {
			fprintf(stderr, "stiwf bench: %s: no figures\n", pl_dir_names[k]);
			goto out;
		}
		if (!o->json)
			printf("%-20s %8.0f calls/s  floor %8.0f/s  ratio %.3f\n", pl_dir_names[k], calls, floor,
			       calls / floor);
	}
	if (json_object_set_new(out, "rounds", json_integer(o->rounds)) < 0 ||
	    json_object_set_new(out, "ms", json_integer(o->ms)) < 0) {
		rc = -ENOMEM;
		goto out;
	}
	rc = 0;
out:
	pl_free(pl);
	free(pl);
	return rc;
}

/*! stiwf bench scaling: calls per second of each direction with the crypto
 *  on the worker pool and many calls in flight, with one worker and with
 *  one per core (or o->threads).  Fills \a out with one object per
 *  direction {"calls_per_s_1_worker", "calls_per_s_n_workers", "speedup"}
 *  and "workers", "cores", "in_flight", "rounds", "ms". */
int stiwf_bench_scaling(const struct stiwf_bench_opts *o, json_t *out)
{
	static double rates[_NUM_PL_DIR][2][PL_MAX_ROUNDS];
	struct pl_svc *svc[2];
	unsigned int threads[2], in_flight, r, k, s;
	double one, n;
	long cores;
	struct pl *pl;
	json_t *d;
	int rc = -EIO;

	if (o->rounds < 1 || o->rounds > PL_MAX_ROUNDS || o->ms < 1)
		return -EINVAL;
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	threads[0] = 1;
	threads[1] = o->threads ? o->threads : (cores > 0 ? (unsigned int)cores : 1);
	in_flight = threads[1] * PL_IN_FLIGHT_PER_WORKER;
	if (in_flight > PL_MAX_IN_FLIGHT)
		in_flight = PL_MAX_IN_FLIGHT;
	pl = pl_alloc(o);
	if (!pl)
		return -EIO;
	for (s = 0; s < 2; s++) {
		svc[s] = talloc_zero(pl->ctx, struct pl_svc);
		if (!svc[s] || svc_setup(pl, svc[s], threads[s]) < 0) {
			fprintf(stderr, "stiwf bench: cannot start %u workers\n", threads[s]);
			goto out;
		}
	}
	if (!o->json) {
		printf("key: P-256 %s; %u calls in flight, crypto on the worker pool, %ld cores\n",
		       o->key_path ? "loaded" : "generated", in_flight, cores);
		printf("rounds: %u x %u ms per measurement, medians:\n", o->rounds, o->ms);
		fflush(stdout);
	}
	for (r = 0; r < o->rounds; r++) {
		for (k = 0; k < _NUM_PL_DIR; k++) {
			for (s = 0; s < 2; s++) {
				pl->svc = svc[s];
				if (measure_in_flight(pl, k, in_flight, o->ms, &rates[k][s][r]) < 0) {
					fprintf(stderr, "stiwf bench: %s with %u workers failed\n", pl_dir_names[k],
						threads[s]);
					ERR_clear_error();
					goto out;
				}
			}
		}
	}
	for (k = 0; k < _NUM_PL_DIR; k++) {
		one = stiwf_bench_median(rates[k][0], o->rounds);
		n = stiwf_bench_median(rates[k][1], o->rounds);
		d = json_object();
		if (!d || json_object_set_new(out, pl_dir_names[k], d) < 0 ||
		    json_set_num(d, "calls_per_s_1_worker", one) || json_set_num(d, "calls_per_s_n_workers", n) ||
		    json_set_num(d, "speedup", n / one)) {
			fprintf(stderr, "stiwf bench: %s: no figures\n", pl_dir_names[k]);
			goto out;
		}
		if (!o->json)
			printf("%-20s 1 worker %8.0f calls/s  %u workers %8.0f calls/s  speed-up %.2f\n",
			       pl_dir_names[k], one, threads[1], n, n / one);
	}
	if (json_object_set_new(out, "workers", json_integer(threads[1])) < 0 ||
	    json_object_set_new(out, "cores", json_integer(cores)) < 0 ||
	    json_object_set_new(out, "in_flight", json_integer(in_flight)) < 0 ||
	    json_object_set_new(out, "rounds", json_integer(o->rounds)) < 0 ||
	    json_object_set_new(out, "ms", json_integer(o->ms)) < 0) {
		rc = -ENOMEM;
		goto out;
	}
	rc = 0;
out:
	pl_free(pl);
	free(pl);
	return rc;
}
