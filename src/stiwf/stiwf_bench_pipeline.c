/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stiwf bench pipeline|scaling: the whole per-call work of the daemon,
 * in this process, per direction, against what OpenSSL alone costs for the
 * public-key operations of that call.
 *
 * Each measured call is a real call of the call layer (iwf/call.c): it
 * enters through the layer's own entry points (the SIP agent's incoming()
 * callback, the ISUP trunk's), runs the call FSM and its flows
 * (iwf/call_sip_to_isup.c, iwf/call_isup_to_sip.c, iwf/call_steps.c) with
 * the services the daemon builds (STI-VS and STI-AS over an x5u cache,
 * TSCA directory, domain map, replay cache, worker pool), and peers and
 * routes set up in code through iwf/peer.h.  Only the legs are the
 * bench's (iwf_call_env.legs): they take the IAM or the INVITE the flow
 * emits, encoded as the trunk or Sofia would send it, and the caller then
 * hangs up (CANCEL, or REL 16), which ends the call.  The per-call log
 * line is built as in the daemon; its output is filtered (DIWF at ERROR).
 *
 *   sip_to_isup           parse the INVITE text with Sofia into the call
 *                         info (as the SIP agent does); the layer: a call
 *                         and its FSM, find the sip-peer by address and the
 *                         route, map the numbers, build the IAM, derive the
 *                         call identity, STI-VS (x5u cache hit), reduce the
 *                         PASSporT to the PASSPORT TLV, policy, HOP sign,
 *                         put the token in the IAM; the leg encodes it;
 *                         CANCEL, REL 16, the log line
 *   isup_to_sip_rebuild   decode such an IAM; the layer: map the numbers,
 *                         get the token, check iat, TSCA lookup (local
 *                         directory), map, HOP verify, replay check,
 *                         rebuild the PASSporT and verify it with the
 *                         STI-VS (cache hit), policy, route to the
 *                         sip-peer, the INVITE's parameters; the leg
 *                         serializes the INVITE (it must carry the
 *                         caller's signature); REL 16, CANCEL, the log line
 *   isup_to_sip_resign    the same for an IAM with HOP but no PASSPORT:
 *                         HOP verify, policy, STI-AS sign, INVITE (with a
 *                         signature of its own)
 *
 * Their floors are raw EVP ES256 on the same key (EVP_DigestVerifyInit +
 * EVP_DigestVerify, EVP_DigestSignInit + EVP_DigestSign): one verify and
 * one sign, two verifies, one verify and one sign.  Each round measures
 * the pipelines and the floors one after the other, so that a slow moment
 * of the machine hits all alike; the figures are medians over the rounds.
 *
 * "pipeline" runs one call at a time with the crypto inline on the loop
 * (one core, a call layer without worker pool).  "scaling" runs many calls
 * in flight with the crypto on the worker pool, as the daemon does, once
 * with one worker and once with one worker per core (or --threads), and
 * reports the speed-up; then that pool once more with the loop thread and
 * its workers pinned to one CPU, the baseline of the cores' speed-up. */

#define _GNU_SOURCE		/* sched_setaffinity(), CPU_SET() */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <osmocom/core/application.h>
#include <osmocom/core/linuxlist.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/cache.h"
#include "certs/credential.h"
#include "certs/fetch.h"
#include "certs/map.h"
#include "certs/resolve.h"
#include "certs/truststore.h"
#include "certs/tsca.h"
#include "iwf/call.h"
#include "iwf/cause.h"
#include "iwf/number.h"
#include "iwf/peer.h"
#include "sip/passport.h"
#include "sip/sip_call.h"
#include "sip/stir_as.h"
#include "sip/stir_vs.h"
#include "src/stiwf/stiwf_bench.h"
#include "src/stiwf/stiwf_bench_pki.h"
#include "src/core/logging.h"
#include "src/core/workq.h"
#include "ss7/isup.h"
#include "ss7/isup_trunk.h"
#include "ss7/sigtoken.h"

#define PL_X5U		"https://cert.example.org/sp-a-chain.pem"
#define PL_CALLING	"12025550002"
#define PL_CALLED	"12025550001"
#define PL_CC		"1"
#define PL_ROUTE	"1202"
#define PL_SIP_ADDR	"192.0.2.10"
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
	struct credential hop_cred;	/* the TSCA credential: borrowed key and certificate */
	struct cert_domain *sh_dom;
	struct tsca_dir *tsca;
	struct certmap *map;
	/* the HOP replay cache of the call layer, new with each pass over
	 * the IAMs (layer_up()) */
	struct sigtoken_replay *replay;
	struct pl_svc *svc;		/* in force */

	/* the call layer and its configuration, set up in code */
	bool layer_up;
	const struct sip_call_ops *sip_ops;	/* the layer's SIP callbacks */
	struct isup_trunk_ops trunk_ops;	/* the layer's ISUP callbacks */
	struct iwf_cfg *saved_cfg;	/* the process's, given back at the end */
	struct iwf_ss7_peer *ss7_peer;
	bool log_saved;
	int log_enabled, log_level;	/* DIWF on stderr, given back at the end */
	struct llist_head live;		/* struct pl_call in flight */

	/* inputs */
	char invite[4096];
	size_t invite_len;
	char invite_noid[4096];		/* without Identity: makes the re-sign IAMs */
	size_t invite_noid_len;
	char orig_sig[128];		/* the caller's PASSporT's signature (base64url) */
	uint8_t iams[2][PL_NUM_IAMS][PL_IAM_MAX];	/* [0] HOP+PASSPORT, [1] HOP only */
	int iam_len[2][PL_NUM_IAMS];
	unsigned int next_iam[2];
	struct isup_msg *iam_in;	/* the IAM decoded for the layer */
	const char *gen_invite;		/* setup: SIP->ISUP calls keep their IAM */
	size_t gen_invite_len;
	uint8_t *gen_out;
	int *gen_out_len;
	char invite_out[PL_INVITE_MAX];	/* what the INVITE leg serialized */

	/* the floors */
	EVP_MD_CTX *mdctx;
	uint8_t data[256];		/* what the raw operations sign */
	uint8_t der[80];
	size_t der_len;

	/* calls */
	unsigned int in_flight, done, failed;
	unsigned long sink;
};

/* A call of the bench: the two legs the call layer drives, as stubs that
 * take what the flow emits (the IAM encoded as the trunk would send it,
 * the INVITE serialized as sip_call_place() would send it). */
struct pl_leg {
	struct pl_call *c;
	void *priv;			/* the call layer's call */
};

struct pl_call {
	struct llist_head entry;	/* pl->live */
	struct pl *pl;
	enum pl_dir dir;
	struct pl_leg sip, isup;
	bool egress;			/* the IAM or INVITE left */
	bool hung_up;			/* the bench ended the call after it */
	bool closed;			/* the layer released or refused one of our legs */
	char call_id[48];
};

/* ------------------------------------------------------------ the legs */

static int pl_agent;	/* the SIP agent's address; never read */

static struct pl *g_pl;	/* the run the stub legs belong to */

/* the bench call whose \a which leg the call layer's call \a priv owns */
static struct pl_call *call_by_priv(struct pl *pl, void *priv, bool sip)
{
	struct pl_call *c;

	llist_for_each_entry(c, &pl->live, entry) {
		if ((sip ? c->sip.priv : c->isup.priv) == priv)
			return c;
	}
	return NULL;
}

static void s_set_call_ops(struct stiwf_sip_agent *agent, const struct sip_call_ops *ops, void *agent_priv)
{
	g_pl->sip_ops = ops;
}

static void s_set_priv(struct sip_call *leg, void *priv)
{
	((struct pl_leg *)leg)->priv = priv;
}

/* the INVITE of an ISUP -> SIP call: serialized as nua would send it */
static struct sip_call *s_place(struct stiwf_sip_agent *agent, const struct sip_call_out_params *p, void *priv,
				int *err)
{
	struct pl *pl = g_pl;
	struct pl_call *c = call_by_priv(pl, priv, false);
	const char *id = p->n_identity ? p->identity[0] : NULL;
	uint8_t rnd[12];
	int rc;

	*err = -EINVAL;
	if (!c)
		return NULL;
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd))
		return NULL;
	snprintf(c->call_id, sizeof(c->call_id), "%s@stiwf", osmo_hexdump_nospc(rnd, sizeof(rnd)));
	rc = sip_call_invite_encode(pl->invite_out, sizeof(pl->invite_out), p, c->call_id);
	/* the rebuilt PASSporT is the caller's, with its signature; a
	 * re-signed one has a signature of its own */
	if (rc < 0 || !id || (c->dir == PL_ISUP_TO_SIP_REBUILD) != (strstr(id, pl->orig_sig) != NULL)) {
		fprintf(stderr, "stiwf bench: %s: %s\n", pl_dir_names[c->dir],
			rc < 0 ? "the INVITE cannot be serialized" :
			!id ? "the INVITE has no Identity" : "the INVITE has the wrong Identity");
		*err = rc < 0 ? rc : -EINVAL;
		return NULL;
	}
	pl->sink += pl->invite_out[rc - 1];
	c->sip.priv = priv;
	c->egress = true;
	*err = 0;
	return (struct sip_call *)&c->sip;
}

static int s_ring(struct sip_call *leg, int status, const char *sdp)
{
	return 0;
}

static int s_answer(struct sip_call *leg, const char *sdp)
{
	return 0;
}

static int s_reject(struct sip_call *leg, int status, const char *phrase, const char *reason)
{
	((struct pl_leg *)leg)->c->closed = true;
	return 0;
}

static int s_release(struct sip_call *leg, const char *reason)
{
	((struct pl_leg *)leg)->c->closed = true;
	return 0;
}

static const char *s_get_id(const struct sip_call *leg)
{
	return ((const struct pl_leg *)leg)->c->call_id;
}

/* the IAM of a SIP -> ISUP call: encoded as the trunk sends it */
static int i_setup(struct isup_trunk *t, const struct isup_msg *iam, void *call_priv, struct isup_call **leg)
{
	struct pl *pl = g_pl;
	struct pl_call *c = call_by_priv(pl, call_priv, true);
	uint8_t out[PL_IAM_MAX];
	struct isup_msg *m;
	int rc;

	if (!c)
		return -EINVAL;
	/* the trunk takes the IAM for a circuit of its own */
	m = talloc_memdup(c, iam, sizeof(*iam));
	if (!m)
		return -ENOMEM;
	m->cic = 1;
	rc = isup_msg_encode(out, sizeof(out), m);
	talloc_free(m);
	if (rc < 0) {
		fprintf(stderr, "stiwf bench: sip_to_isup: the IAM cannot be encoded: %s\n", strerror(-rc));
		return rc;
	}
	if (pl->gen_out) {
		memcpy(pl->gen_out, out, rc);
		*pl->gen_out_len = rc;
	}
	pl->sink += out[rc - 1];
	c->isup.priv = call_priv;
	c->egress = true;
	*leg = (struct isup_call *)&c->isup;
	return 0;
}

static void i_set_priv(struct isup_call *leg, void *priv)
{
	((struct pl_leg *)leg)->priv = priv;
}

static uint16_t i_cic(const struct isup_call *leg)
{
	return 1;
}

static int i_send(struct isup_call *leg, const struct isup_msg *msg)
{
	return 0;
}

static int i_release(struct isup_call *leg, uint8_t cause)
{
	((struct pl_leg *)leg)->c->closed = true;
	return 0;
}

static const struct iwf_call_leg_ops pl_legs = {
	.sip_agent_set_call_ops = s_set_call_ops,
	.sip_call_set_priv = s_set_priv,
	.sip_call_place = s_place,
	.sip_call_ring = s_ring,
	.sip_call_answer = s_answer,
	.sip_call_reject = s_reject,
	.sip_call_release = s_release,
	.sip_call_get_id = s_get_id,
	.isup_trunk_call_setup = i_setup,
	.isup_call_set_priv = i_set_priv,
	.isup_call_cic = i_cic,
	.isup_call_send_acm = i_send,
	.isup_call_send_cpg = i_send,
	.isup_call_send_anm = i_send,
	.isup_call_send_con = i_send,
	.isup_call_release = i_release,
};

/* ------------------------------------------------------------ the calls */

/* The call layer on the services in force (pl->svc) and a fresh replay
 * cache; no call may be in flight. */
static int layer_up(struct pl *pl)
{
	struct iwf_call_env env = {
		.sip = (struct stiwf_sip_agent *)&pl_agent,
		.workq = pl->svc->wq,
		.vs = pl->svc->vs,
		.as = pl->svc->as,
		.tsca = pl->tsca,
		.hop_cred = &pl->hop_cred,
		.map = pl->map,
		.stir_max_age = PL_WINDOW,
		.hop_window = PL_WINDOW,
		.legs = &pl_legs,
	};

	if (pl->layer_up)
		iwf_call_layer_fini();
	pl->layer_up = false;
	talloc_free(pl->replay);
	pl->replay = sigtoken_replay_alloc(pl->ctx, PL_WINDOW, 0, 2 * PL_NUM_IAMS);
	if (!pl->replay)
		return -ENOMEM;
	env.replay = pl->replay;
	g_pl = pl;
	if (iwf_call_layer_init(pl->ctx, &env) < 0 || !pl->sip_ops)
		return -ENOMEM;
	pl->layer_up = true;
	return 0;
}

static void call_finish(struct pl_call *c, bool ok)
{
	struct pl *pl = c->pl;

	if (ok)
		pl->done++;
	else
		pl->failed++;
	pl->in_flight--;
	llist_del(&c->entry);
	talloc_free(c);
}

/* End the calls whose IAM or INVITE left, as their caller hangs up
 * (CANCEL towards ISUP, REL towards SIP), and count those the layer is
 * done with. */
static void calls_reap(struct pl *pl)
{
	struct pl_call *c, *tmp;
	uint8_t cause = IWF_CAUSE_NORMAL_CLEARING;

	llist_for_each_entry_safe(c, tmp, &pl->live, entry) {
		if (c->egress && !c->hung_up && !c->closed) {
			c->hung_up = true;
			if (c->dir == PL_SIP_TO_ISUP)
				pl->sip_ops->released((struct sip_call *)&c->sip, SIP_CALL_REL_CANCEL, NULL,
						      c->sip.priv);
			else
				pl->trunk_ops.released((struct isup_call *)&c->isup, cause, c->isup.priv);
		}
		if (!c->closed)
			continue;
		if (!c->egress)
			fprintf(stderr, "stiwf bench: %s: the call ended before its %s left\n", pl_dir_names[c->dir],
				c->dir == PL_SIP_TO_ISUP ? "IAM" : "INVITE");
		call_finish(c, c->egress && c->hung_up);
	}
}

/* Run the loop until no call is in flight. */
static void calls_drain(struct pl *pl)
{
	calls_reap(pl);
	while (pl->in_flight) {
		osmo_select_main(0);
		calls_reap(pl);
	}
}

/* SIP -> ISUP: the INVITE as the SIP agent hands it to the call layer
 * (parsed by Sofia as nta parses it, the source address from the socket) */
static int s2i_start(struct pl_call *c, const char *text, size_t len)
{
	struct pl *pl = c->pl;
	struct sip_call_info info;
	int status, rc;

	rc = sip_call_info_parse(c, &info, text, len, &status);
	if (rc < 0) {
		fprintf(stderr, "stiwf bench: sip_to_isup: INVITE refused: %d\n", status);
		return rc;
	}
	osmo_strlcpy(info.peer_addr, PL_SIP_ADDR, sizeof(info.peer_addr));
	info.peer_port = 5060;
	return pl->sip_ops->incoming((struct sip_call *)&c->sip, &info, NULL);
}

/* ISUP -> SIP: the IAM as the trunk hands it to the call layer, decoded */
static int i2s_start(struct pl_call *c, const uint8_t *octets, size_t len)
{
	struct pl *pl = c->pl;
	int rc;

	rc = isup_msg_decode(pl->iam_in, octets, len);
	if (rc < 0) {
		fprintf(stderr, "stiwf bench: %s: IAM: %s\n", pl_dir_names[c->dir], strerror(-rc));
		return rc;
	}
	pl->trunk_ops.incoming((struct isup_trunk *)&pl_agent, (struct isup_call *)&c->isup, pl->iam_in,
			       pl->ss7_peer);
	return 0;
}

/* Start one call of direction dir.  \returns 0, -ENOMEM, -EIO */
static int call_start(struct pl *pl, enum pl_dir dir)
{
	struct pl_call *c;
	unsigned int k = 0, i;
	int rc;

	if (dir != PL_SIP_TO_ISUP) {
		k = dir == PL_ISUP_TO_SIP_REBUILD ? 0 : 1;
		if (pl->next_iam[k] == PL_NUM_IAMS) {
			/* a new pass over the IAMs: a new replay cache (a new
			 * call layer), so that no IAM is seen twice by one */
			calls_drain(pl);
			pl->next_iam[0] = pl->next_iam[1] = 0;
			if (layer_up(pl) < 0)
				return -ENOMEM;
		}
	}
	c = talloc_zero(pl->calls, struct pl_call);
	if (!c)
		return -ENOMEM;
	c->pl = pl;
	c->dir = dir;
	c->sip.c = c;
	c->isup.c = c;
	llist_add_tail(&c->entry, &pl->live);
	pl->in_flight++;
	if (dir == PL_SIP_TO_ISUP) {
		rc = pl->gen_invite ? s2i_start(c, pl->gen_invite, pl->gen_invite_len) :
				      s2i_start(c, pl->invite, pl->invite_len);
	} else {
		i = pl->next_iam[k]++;
		rc = i2s_start(c, pl->iams[k][i], pl->iam_len[k][i]);
	}
	if (rc < 0) {
		call_finish(c, false);
		return -EIO;
	}
	calls_reap(pl);
	return 0;
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
	/* every call left the call layer's table */
	return iwf_call_count() ? -EIO : 0;
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
		calls_reap(pl);
		if (pl->failed)
			return -EIO;
		t = stiwf_bench_now() - t0;
	} while (t * 1000 < ms || pl->done - done0 < n);
	t = stiwf_bench_now() - t0;
	*rate = (pl->done - done0) / t;
	calls_drain(pl);
	return pl->failed || iwf_call_count() ? -EIO : 0;
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
/* What the SIP -> ISUP call put in IAM i of kind k: a HOP, and the
 * PASSPORT when the INVITE had a PASSporT (k 0) */
static int iam_check(struct pl *pl, unsigned int k, unsigned int i)
{
	struct sigtoken tok;

	if (isup_msg_decode(pl->iam_in, pl->iams[k][i], pl->iam_len[k][i]) < 0 ||
	    sigtoken_iam_get(&tok, pl->iam_in, pl->ss7_peer->policy.aci) < 0 || !tok.has_hop ||
	    tok.has_passport != (k == 0)) {
		fprintf(stderr, "stiwf bench: sip_to_isup: the IAM lacks its token\n");
		return -EIO;
	}
	return 0;
}

static int iams_make(struct pl *pl, unsigned int k)
{
	unsigned int i;

	pl->gen_invite = k == 0 ? pl->invite : pl->invite_noid;
	pl->gen_invite_len = k == 0 ? pl->invite_len : pl->invite_noid_len;
	for (i = 0; i < PL_NUM_IAMS; i++) {
		pl->gen_out = pl->iams[k][i];
		pl->gen_out_len = &pl->iam_len[k][i];
		pl->iam_len[k][i] = 0;
		if (call_start(pl, PL_SIP_TO_ISUP) < 0)
			break;
		calls_drain(pl);
		if (pl->failed || pl->iam_len[k][i] <= 0 || iam_check(pl, k, i) < 0)
			break;
	}
	pl->gen_invite = NULL;
	pl->gen_out = NULL;
	return i == PL_NUM_IAMS ? 0 : -EIO;
}

/* The configuration the calls see, as the console would make it: the
 * sip-peer the INVITEs come from and the ISUP->SIP calls go to, the
 * ss7-peer (country code 1) the IAMs go to and come from, on a trunk that
 * is the bench's, and a route each way. */
static int peers_setup(struct pl *pl)
{
	struct iwf_sip_peer *sip;
	struct iwf_ss7_peer *ss7;

	g_iwf_cfg = iwf_cfg_alloc(pl->ctx);
	if (!g_iwf_cfg)
		return -ENOMEM;
	sip = iwf_sip_peer_alloc(g_iwf_cfg, "sbc");
	ss7 = iwf_ss7_peer_alloc(g_iwf_cfg, "stp");
	if (!sip || !ss7)
		return -ENOMEM;
	osmo_strlcpy(sip->addr, PL_SIP_ADDR, sizeof(sip->addr));
	if (iwf_number_plan_set_cc(&ss7->plan, PL_CC) < 0 || iwf_ss7_peer_add_cic(g_iwf_cfg, ss7, 1, 31) < 0 ||
	    iwf_route_set(g_iwf_cfg, PL_ROUTE, IWF_ROUTE_SS7, "stp") < 0 ||
	    iwf_route_set(g_iwf_cfg, PL_ROUTE, IWF_ROUTE_SIP, "sbc") < 0)
		return -EINVAL;
	ss7->trunk = &pl_agent;
	pl->ss7_peer = ss7;
	iwf_call_trunk_ops_fill(&pl->trunk_ops);
	return 0;
}

/* The signature of the caller's PASSporT (the JWS's third part), which an
 * INVITE with the PASSporT rebuilt carries again. */
static int orig_sig(struct pl *pl, const char *identity)
{
	const char *end = strchr(identity, ';'), *dot;

	if (!end)
		end = identity + strlen(identity);
	for (dot = end; dot > identity && dot[-1] != '.'; dot--)
		;
	if (dot == identity || end - dot < 16 || (size_t)(end - dot) >= sizeof(pl->orig_sig))
		return -EINVAL;
	memcpy(pl->orig_sig, dot, end - dot);
	pl->orig_sig[end - dot] = '\0';
	return 0;
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
	pl->hop_cred.key = pl->pkey;
	pl->hop_cred.leaf = pl->ts_leaf;
	pl->mdctx = EVP_MD_CTX_new();
	pl->iam_in = talloc_zero(pl->ctx, struct isup_msg);
	if (!pl->mdctx || !pl->iam_in)
		goto fail;

	/* the peers and routes, with the defaults of the configuration */
	if (peers_setup(pl) < 0)
		goto fail;

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
	if (orig_sig(pl, identity) < 0)
		goto fail;
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

	if (layer_up(pl) < 0)
		goto fail;
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
	if (pl->layer_up)
		iwf_call_layer_fini();
	talloc_free(pl->calls);
	if (pl->saved_cfg != g_iwf_cfg) {
		iwf_cfg_reset(g_iwf_cfg);
		g_iwf_cfg = pl->saved_cfg;
	}
	if (pl->log_saved) {
		osmo_stderr_target->categories[DIWF].enabled = pl->log_enabled;
		osmo_stderr_target->categories[DIWF].loglevel = pl->log_level;
	}
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
	INIT_LLIST_HEAD(&pl->live);
	pl->saved_cfg = g_iwf_cfg;
	/* the per-call log line (NOTICE) is built, not printed */
	if (osmo_stderr_target) {
		pl->log_saved = true;
		pl->log_enabled = osmo_stderr_target->categories[DIWF].enabled;
		pl->log_level = osmo_stderr_target->categories[DIWF].loglevel;
		log_set_category_filter(osmo_stderr_target, DIWF, 1, LOGL_ERROR);
	}
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

/* Pin the calling thread to the first CPU it may run on, keeping its mask
 * in *saved; threads it starts inherit the pin.  -errno on failure. */
static int pin_one_cpu(cpu_set_t *saved)
{
	cpu_set_t one;
	int c;

	if (sched_getaffinity(0, sizeof(*saved), saved) < 0)
		return -errno;
	for (c = 0; c < CPU_SETSIZE && !CPU_ISSET(c, saved); c++)
		;
	if (c == CPU_SETSIZE)
		return -EINVAL;
	CPU_ZERO(&one);
	CPU_SET(c, &one);
	return sched_setaffinity(0, sizeof(one), &one) < 0 ? -errno : 0;
}

static int unpin(const cpu_set_t *saved)
{
	return sched_setaffinity(0, sizeof(*saved), saved) < 0 ? -errno : 0;
}

/*! stiwf bench scaling: calls per second of each direction with the crypto
 *  on the worker pool and many calls in flight, with one worker and with
 *  one per core (or o->threads), and that second pool with the loop thread
 *  and its workers pinned to one CPU: the one-core baseline the cores'
 *  speed-up is measured against (one worker on two cores is no such
 *  baseline: the loop's share of each call runs on the other core).
 *  Fills \a out with one object per direction {"calls_per_s_1_worker",
 *  "calls_per_s_n_workers", "speedup", "calls_per_s_one_core",
 *  "speedup_over_one_core"} and "workers", "cores", "in_flight", "rounds",
 *  "ms". */
int stiwf_bench_scaling(const struct stiwf_bench_opts *o, json_t *out)
{
	static double rates[_NUM_PL_DIR][3][PL_MAX_ROUNDS];
	struct pl_svc *svc[3];
	unsigned int threads[3], in_flight, r, k, s;
	double one, n, pinned;
	cpu_set_t saved;
	long cores;
	struct pl *pl;
	json_t *d;
	int rc = -EIO, e;

	if (o->rounds < 1 || o->rounds > PL_MAX_ROUNDS || o->ms < 1)
		return -EINVAL;
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	threads[0] = 1;
	threads[1] = o->threads ? o->threads : (cores > 0 ? (unsigned int)cores : 1);
	threads[2] = threads[1];
	in_flight = threads[1] * PL_IN_FLIGHT_PER_WORKER;
	if (in_flight > PL_MAX_IN_FLIGHT)
		in_flight = PL_MAX_IN_FLIGHT;
	pl = pl_alloc(o);
	if (!pl)
		return -EIO;
	for (s = 0; s < 3; s++) {
		svc[s] = talloc_zero(pl->ctx, struct pl_svc);
		/* the third pool's workers start pinned, and stay so */
		if (s == 2 && (e = pin_one_cpu(&saved)) < 0) {
			fprintf(stderr, "stiwf bench: cannot pin to one CPU: %s\n", strerror(-e));
			goto out;
		}
		e = svc[s] ? svc_setup(pl, svc[s], threads[s]) : -ENOMEM;
		if (s == 2 && unpin(&saved) < 0)
			e = -EIO;
		if (e < 0) {
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
			for (s = 0; s < 3; s++) {
				pl->svc = svc[s];
				e = s == 2 ? pin_one_cpu(&saved) : 0;
				if (e == 0 && (layer_up(pl) < 0 ||
					       measure_in_flight(pl, k, in_flight, o->ms, &rates[k][s][r]) < 0))
					e = -EIO;
				if (s == 2 && unpin(&saved) < 0)
					e = -EIO;
				if (e < 0) {
					fprintf(stderr, "stiwf bench: %s with %u workers%s failed\n", pl_dir_names[k],
						threads[s], s == 2 ? " on one CPU" : "");
					ERR_clear_error();
					goto out;
				}
			}
		}
	}
	for (k = 0; k < _NUM_PL_DIR; k++) {
		one = stiwf_bench_median(rates[k][0], o->rounds);
		n = stiwf_bench_median(rates[k][1], o->rounds);
		pinned = stiwf_bench_median(rates[k][2], o->rounds);
		d = json_object();
		if (!d || json_object_set_new(out, pl_dir_names[k], d) < 0 ||
		    json_set_num(d, "calls_per_s_1_worker", one) || json_set_num(d, "calls_per_s_n_workers", n) ||
		    json_set_num(d, "speedup", n / one) || json_set_num(d, "calls_per_s_one_core", pinned) ||
		    json_set_num(d, "speedup_over_one_core", n / pinned)) {
			fprintf(stderr, "stiwf bench: %s: no figures\n", pl_dir_names[k]);
			goto out;
		}
		if (!o->json)
			printf("%-20s 1 worker %8.0f calls/s  %u workers %8.0f calls/s  speed-up %.2f;"
			       "  on one CPU %8.0f calls/s, cores' speed-up %.2f\n",
			       pl_dir_names[k], one, threads[1], n, n / one, pinned, n / pinned);
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
