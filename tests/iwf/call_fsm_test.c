/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The call FSM (iwf/call_fsm.c and its two flows) driven through the call
 * layer's own entry points (the SIP agent's call ops, the ISUP trunk's),
 * with stub leg operations as the driver: each test looks at what the
 * peers would see (the SIP status and Reason sent, the ISUP cause sent,
 * the circuit released) and that the call left the table.  The
 * configuration is read by the real VTY; the STI-AS signs with the test
 * PKI on a real worker pool. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <jansson.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/timer_compat.h>
#include <osmocom/core/utils.h>
#include <osmocom/vty/vty.h>

#include "certs/credential.h"
#include "iwf/call.h"
#include "iwf/call_internal.h"
#include "iwf/call_steps.h"
#include "iwf/cause.h"
#include "iwf/map_peer.h"
#include "iwf/peer.h"
#include "sip/sip_call.h"
#include "sip/stir_as.h"
#include "src/core/logging.h"
#include "src/core/workq.h"
#include "src/stiwfd/cfg.h"
#include "ss7/isup.h"
#include "ss7/isup_trunk.h"
#include "tests/certs/testpki.h"
#include "tests/cunit_main.h"

#define CALLING "12125550111"
#define CALLED "12025550100"

static void *ctx;
static char conf_path[64];

/* ---- the stub legs: what the peers were sent ---- */

struct fake_sip {
	void *priv;
	bool placed;		/* an INVITE went out */
	int final;		/* final status sent on an incoming leg, 0 */
	char reason[64];	/* its Reason (or the BYE's) */
	int ring;		/* 180/183 sent */
	bool answered;		/* 200 sent */
	bool released;		/* BYE/CANCEL sent, or the leg dropped */
};

struct fake_isup {
	void *priv;
	uint16_t cic;
	bool iam;		/* the IAM went out on this circuit */
	bool acm, cpg, anm, con;
	bool released;		/* REL sent: the circuit is freed */
	uint8_t cause;		/* its cause */
};

static struct {
	const struct sip_call_ops *sip_ops;	/* the call layer's SIP callbacks */
	struct fake_sip sip[4];
	unsigned int n_sip;
	struct fake_isup isup[4];
	unsigned int n_isup;
	int setup_rc;				/* what the trunk answers an IAM */
	uint16_t next_cic;
	const char *out_call_id;		/* the Call-ID of INVITEs placed; NULL: the default */
} st;

/* the JSON of the last call-log line a log target printed, "" when none */
static char call_log[IWF_CALL_LOG_MAX];

static int fake_agent;	/* the SIP agent's address; never read */

static void s_set_call_ops(struct stiwf_sip_agent *agent, const struct sip_call_ops *ops, void *agent_priv)
{
	st.sip_ops = ops;
}

static void s_set_priv(struct sip_call *call, void *priv)
{
	((struct fake_sip *)call)->priv = priv;
}

static struct fake_sip *fake_sip_new(void)
{
	CU_ASSERT_FATAL(st.n_sip < ARRAY_SIZE(st.sip));
	return &st.sip[st.n_sip++];
}

static struct sip_call *s_place(struct stiwf_sip_agent *agent, const struct sip_call_out_params *p, void *priv,
				int *err)
{
	struct fake_sip *s = fake_sip_new();

	s->priv = priv;
	s->placed = true;
	*err = 0;
	return (struct sip_call *)s;
}

static int s_ring(struct sip_call *call, int status, const char *sdp)
{
	((struct fake_sip *)call)->ring = status;
	return 0;
}

static int s_answer(struct sip_call *call, const char *sdp)
{
	((struct fake_sip *)call)->answered = true;
	return 0;
}

static int s_reject(struct sip_call *call, int status, const char *phrase, const char *reason)
{
	struct fake_sip *s = (struct fake_sip *)call;

	s->final = status;
	osmo_strlcpy(s->reason, reason ? reason : "", sizeof(s->reason));
	return 0;
}

static int s_release(struct sip_call *call, const char *reason)
{
	struct fake_sip *s = (struct fake_sip *)call;

	s->released = true;
	osmo_strlcpy(s->reason, reason ? reason : "", sizeof(s->reason));
	return 0;
}

static const char *s_get_id(const struct sip_call *call)
{
	return st.out_call_id ? st.out_call_id : "call-fsm-test";
}

static struct fake_isup *fake_isup_new(uint16_t cic)
{
	CU_ASSERT_FATAL(st.n_isup < ARRAY_SIZE(st.isup));
	st.isup[st.n_isup].cic = cic;
	return &st.isup[st.n_isup++];
}

static int i_setup(struct isup_trunk *t, const struct isup_msg *iam, void *call_priv, struct isup_call **call)
{
	struct fake_isup *c;

	if (st.setup_rc)
		return st.setup_rc;
	c = fake_isup_new(st.next_cic++);
	c->priv = call_priv;
	c->iam = true;
	*call = (struct isup_call *)c;
	return 0;
}

static void i_set_priv(struct isup_call *call, void *priv)
{
	((struct fake_isup *)call)->priv = priv;
}

static uint16_t i_cic(const struct isup_call *call)
{
	return ((const struct fake_isup *)call)->cic;
}

static int i_acm(struct isup_call *call, const struct isup_msg *msg)
{
	((struct fake_isup *)call)->acm = true;
	return 0;
}

static int i_cpg(struct isup_call *call, const struct isup_msg *msg)
{
	((struct fake_isup *)call)->cpg = true;
	return 0;
}

static int i_anm(struct isup_call *call, const struct isup_msg *msg)
{
	((struct fake_isup *)call)->anm = true;
	return 0;
}

static int i_con(struct isup_call *call, const struct isup_msg *msg)
{
	((struct fake_isup *)call)->con = true;
	return 0;
}

static int i_release(struct isup_call *call, uint8_t cause)
{
	struct fake_isup *c = (struct fake_isup *)call;

	c->released = true;
	c->cause = cause;
	return 0;
}

static const struct iwf_call_leg_ops stub_legs = {
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
	.isup_call_send_acm = i_acm,
	.isup_call_send_cpg = i_cpg,
	.isup_call_send_anm = i_anm,
	.isup_call_send_con = i_con,
	.isup_call_release = i_release,
};

/* ---- the layer ---- */

static struct isup_trunk_ops tops;
static int fake_trunk;
static struct stiwf_workq *wq;
static struct stir_as *as;
/* the TSCA credential that signs HOP, when a test sets it before layer_up() */
static struct credential *hop_cred;

static struct iwf_ss7_peer *ss7(void)
{
	return iwf_ss7_peer_find("exchange-b");
}

/* A fresh call layer on the stub legs; \a sign: with an STI-AS on a
 * worker pool whose answers the test never collects (the call stays in
 * SIGN until something else ends it). */
static void layer_up(bool sign)
{
	struct iwf_call_env env = {
		.sip = (struct stiwf_sip_agent *)&fake_agent,
		.legs = &stub_legs,
		.hop_cred = hop_cred,
	};

	memset(&st, 0, sizeof(st));
	st.next_cic = 1;
	if (sign) {
		struct stir_as_cfg acfg = { .attest = 'A' };
		char key[512], chain[512];

		wq = stiwf_workq_create(ctx, 1);
		CU_ASSERT_PTR_NOT_NULL_FATAL(wq);
		snprintf(key, sizeof(key), "%s", testpki_path("shaken/sp-a.key"));
		snprintf(chain, sizeof(chain), "%s", testpki_path("shaken/sp-a-chain.pem"));
		CU_ASSERT_EQUAL_FATAL(stir_as_load(ctx, &as, key, chain, "https://cert.example.org/sp-a.pem", &acfg,
						   wq), 0);
		env.workq = wq;
		env.as = as;
	}
	CU_ASSERT_EQUAL_FATAL(iwf_call_layer_init(ctx, &env), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st.sip_ops);
	iwf_call_trunk_ops_fill(&tops);
	ss7()->trunk = &fake_trunk;
}

static void layer_down(void)
{
	iwf_call_layer_fini();
	ss7()->trunk = NULL;
	if (as) {
		talloc_free(as);
		as = NULL;
	}
	if (wq) {
		stiwf_workq_destroy(wq);
		wq = NULL;
	}
}

/* An INVITE from sip-peer carrier-a without Identity (the policy lets it
 * through unverified: no identity-required), with Call-ID \a call_id */
static struct fake_sip *invite_id(const char *call_id)
{
	struct sip_call_info info = {};
	struct fake_sip *leg = fake_sip_new();

	osmo_strlcpy(info.call_id, call_id, sizeof(info.call_id));
	osmo_strlcpy(info.ruri_user, "+" CALLED, sizeof(info.ruri_user));
	osmo_strlcpy(info.ruri_host, "192.0.2.1", sizeof(info.ruri_host));
	info.from.present = true;
	osmo_strlcpy(info.from.scheme, "sip", sizeof(info.from.scheme));
	osmo_strlcpy(info.from.user, "+" CALLING, sizeof(info.from.user));
	osmo_strlcpy(info.from.host, "192.0.2.20", sizeof(info.from.host));
	osmo_strlcpy(info.from.uri, "sip:+" CALLING "@192.0.2.20", sizeof(info.from.uri));
	info.to = info.from;
	osmo_strlcpy(info.to.user, "+" CALLED, sizeof(info.to.user));
	osmo_strlcpy(info.to.uri, "sip:+" CALLED "@192.0.2.1", sizeof(info.to.uri));
	info.pai = info.from;
	info.max_forwards = 70;
	osmo_strlcpy(info.peer_addr, "192.0.2.20", sizeof(info.peer_addr));
	info.peer_port = 5060;
	CU_ASSERT_EQUAL_FATAL(st.sip_ops->incoming((struct sip_call *)leg, &info, NULL), 0);
	return leg;
}

static struct fake_sip *invite(void)
{
	return invite_id("a84b4c76e66710");
}

/* An IAM from ss7-peer exchange-b on circuit \a cic, without a token */
static struct fake_isup *iam(uint16_t cic)
{
	struct sip_call_info info = {};
	struct iwf_sip_identity sip_id;
	struct iwf_isup_identity isup_id;
	struct sigtoken_call sc;
	struct isup_msg *m = NULL;
	struct fake_isup *c = fake_isup_new(cic);

	osmo_strlcpy(info.ruri_user, "+" CALLED, sizeof(info.ruri_user));
	info.pai.present = true;
	osmo_strlcpy(info.pai.scheme, "tel", sizeof(info.pai.scheme));
	osmo_strlcpy(info.pai.user, "+" CALLING, sizeof(info.pai.user));
	osmo_strlcpy(info.pai.uri, "tel:+" CALLING, sizeof(info.pai.uri));
	info.from = info.pai;
	iwf_sip_identity_from_info(&sip_id, &info);
	CU_ASSERT_EQUAL_FATAL(iwf_iam_for_ss7_peer(ctx, &sip_id, &ss7()->plan, ss7(), CALLED, &isup_id, &m, &sc), 0);
	m->cic = cic;
	tops.incoming((struct isup_trunk *)&fake_trunk, (struct isup_call *)c, m, ss7());
	talloc_free(m);
	return c;
}

/* ---- the call-log line ---- */

/* a log target's output: keeps the JSON of the call-log lines */
static void call_log_output(struct log_target *target, unsigned int level, const char *string)
{
	const char *p = strstr(string, "call-log ");
	size_t n;

	if (!p)
		return;
	osmo_strlcpy(call_log, p + strlen("call-log "), sizeof(call_log));
	n = strlen(call_log);
	if (n > 0 && call_log[n - 1] == '\n')
		call_log[n - 1] = '\0';
}

static const char *const log_keys_sip_isup[] = {
	"call", "dir", "call_id", "sip_peer", "ss7_peer", "cic", "calling", "called", "sip_in", "isup_out",
	"decision", "attest_in", "attest_out", "answered", "sip_status", "cause", "end", "last_state", "setup_ms",
	"transit_us", "talk_ms", NULL
};
static const char *const log_keys_isup_sip[] = {
	"call", "dir", "call_id", "sip_peer", "ss7_peer", "cic", "calling", "called", "isup_in", "sip_out",
	"decision", "attest_in", "attest_out", "answered", "sip_status", "cause", "end", "last_state", "setup_ms",
	"transit_us", "talk_ms", NULL
};
static const char *const log_keys_sip_in[] = {
	"identity", "verstat", "code", "detail", "spc", "origid", "div", NULL
};
static const char *const log_keys_isup_out[] = { "hop", "passport", "div", "verdict", NULL };
static const char *const log_keys_isup_in[] = {
	"hop", "hop_reason", "signer", "signer_trust", "covers", "passport", "passport_verifies", "passport_code",
	"div", "div_verifies", "verdict", NULL
};
static const char *const log_keys_sip_out[] = { "identity", "div", "verstat", NULL };
static const char *const log_keys_decision[] = {
	"action", "reason", "status", "cause", "hop", "passport", "verdict", "verdict_reason", "identity", "attest",
	"verstat", NULL
};

/* o has the members \a keys, in this order, and no other */
static void keys_are(json_t *o, const char *const *keys)
{
	const char *key;
	json_t *v;
	size_t i = 0;

	CU_ASSERT_FATAL(json_is_object(o));
	json_object_foreach(o, key, v) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(keys[i]);
		CU_ASSERT_STRING_EQUAL(key, keys[i]);
		i++;
	}
	CU_ASSERT_PTR_NULL(keys[i]);
}

/* member \a key of \a o is the string \a want, or null when \a want is NULL */
static void str_is(json_t *o, const char *key, const char *want)
{
	json_t *v = json_object_get(o, key);

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	if (!want) {
		CU_ASSERT_TRUE(json_is_null(v));
		return;
	}
	CU_ASSERT_TRUE_FATAL(json_is_string(v));
	CU_ASSERT_STRING_EQUAL(json_string_value(v), want);
}

static void int_is(json_t *o, const char *key, json_int_t want)
{
	json_t *v = json_object_get(o, key);

	CU_ASSERT_TRUE_FATAL(json_is_integer(v));
	CU_ASSERT_EQUAL(json_integer_value(v), want);
}

static void bool_is(json_t *o, const char *key, bool want)
{
	json_t *v = json_object_get(o, key);

	CU_ASSERT_TRUE_FATAL(json_is_boolean(v));
	CU_ASSERT_EQUAL(json_is_true(v), want);
}

static void null_is(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_TRUE(json_is_null(v));
}

/* an integer of at least 0 (a duration) */
static void duration_is(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	CU_ASSERT_TRUE_FATAL(json_is_integer(v));
	CU_ASSERT(json_integer_value(v) >= 0);
}

/* The JSON \a line, parsed: its members those of the direction's line in
 * their order, and the line byte for byte what jansson prints of what it
 * parsed (compact, jansson's escapes); the caller json_decref()s it */
static json_t *log_parse(const char *line, bool sip_to_isup)
{
	json_error_t err;
	json_t *o;
	char *again;

	CU_ASSERT_FATAL(line[0] != '\0');
	o = json_loads(line, 0, &err);
	if (!o)
		fprintf(stderr, "call-log: %s: %s\n", err.text, line);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	again = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	CU_ASSERT_PTR_NOT_NULL_FATAL(again);
	CU_ASSERT_STRING_EQUAL(again, line);
	free(again);
	keys_are(o, sip_to_isup ? log_keys_sip_isup : log_keys_isup_sip);
	keys_are(json_object_get(o, sip_to_isup ? "sip_in" : "isup_in"),
		 sip_to_isup ? log_keys_sip_in : log_keys_isup_in);
	keys_are(json_object_get(o, sip_to_isup ? "isup_out" : "sip_out"),
		 sip_to_isup ? log_keys_isup_out : log_keys_sip_out);
	CU_ASSERT_TRUE(json_integer_value(json_object_get(o, "call")) > 0);
	str_is(o, "dir", sip_to_isup ? "sip-isup" : "isup-sip");
	duration_is(o, "setup_ms");
	duration_is(o, "talk_ms");
	return o;
}

/* the last call-log line printed, parsed (log_parse()); it is then
 * forgotten */
static json_t *call_log_parse(bool sip_to_isup)
{
	json_t *o = log_parse(call_log, sip_to_isup);

	call_log[0] = '\0';
	return o;
}

/* ---- the tests ---- */

/* SIP -> ISUP: the IAM leaves on a circuit, ACM rings, ANM answers, the
 * caller's BYE releases the circuit with cause 16 */
static void test_sip_to_isup_call(void)
{
	struct iwf_call *call;
	json_t *o, *side;
	size_t setup_size;
	struct fake_sip *leg;
	struct fake_isup *c;
	struct isup_msg *acm = talloc_zero(ctx, struct isup_msg);

	layer_up(false);
	leg = invite();
	CU_ASSERT_EQUAL_FATAL(st.n_isup, 1);
	c = &st.isup[0];
	CU_ASSERT_TRUE(c->iam);
	CU_ASSERT_EQUAL(c->cic, 1);
	CU_ASSERT_EQUAL(iwf_call_count(), 1);
	CU_ASSERT_EQUAL(leg->final, 0);

	isup_msg_init(acm, ISUP_MSG_ACM, c->cic);
	isup_msg_param_find(acm, ISUP_PAR_BCI)->u.bci.called_status = 1;	/* subscriber free */
	tops.progress((struct isup_call *)c, acm, c->priv);
	CU_ASSERT_EQUAL(leg->ring, 180);
	call = leg->priv;
	CU_ASSERT_PTR_NOT_NULL(call->su);
	setup_size = talloc_total_size(call);
	tops.answer((struct isup_call *)c, NULL, c->priv);
	CU_ASSERT_TRUE(leg->answered);
	/* an established call no longer holds its token and identities */
	CU_ASSERT_PTR_NULL(call->su);
	CU_ASSERT(talloc_total_size(call) + sizeof(struct sigtoken) <= setup_size);
	CU_ASSERT(talloc_total_size(call) < 1200);

	call_log[0] = '\0';
	st.sip_ops->released((struct sip_call *)leg, SIP_CALL_REL_BYE, NULL, leg->priv);
	CU_ASSERT_TRUE(c->released);
	CU_ASSERT_EQUAL(c->cause, IWF_CAUSE_NORMAL_CLEARING);
	CU_ASSERT_EQUAL(iwf_call_count(), 0);

	/* the call-log line the call left */
	o = call_log_parse(true);
	str_is(o, "call_id", "a84b4c76e66710");
	str_is(o, "sip_peer", "carrier-a");
	str_is(o, "ss7_peer", "exchange-b");
	int_is(o, "cic", 1);
	str_is(o, "calling", CALLING);
	str_is(o, "called", CALLED);
	side = json_object_get(o, "sip_in");
	int_is(side, "identity", 0);
	str_is(side, "verstat", "No-TN-Validation");
	int_is(side, "code", 0);
	null_is(side, "detail");
	null_is(side, "spc");
	null_is(side, "origid");
	null_is(side, "div");
	side = json_object_get(o, "isup_out");
	bool_is(side, "hop", false);
	bool_is(side, "passport", false);
	bool_is(side, "div", false);
	str_is(side, "verdict", "No-TN-Validation");
	side = json_object_get(o, "decision");
	keys_are(side, log_keys_decision);
	str_is(side, "action", "forward");
	str_is(side, "reason", "sip-no-identity-continue");
	bool_is(side, "hop", true);
	null_is(side, "attest");
	null_is(o, "attest_in");
	null_is(o, "attest_out");
	bool_is(o, "answered", true);
	null_is(o, "sip_status");
	int_is(o, "cause", IWF_CAUSE_NORMAL_CLEARING);
	str_is(o, "end", "sip");
	str_is(o, "last_state", "ACTIVE");
	duration_is(o, "transit_us");
	json_decref(o);
	talloc_free(acm);
	layer_down();
}

/* SIP -> ISUP with a TSCA credential: the IAM leaves signed; the call
 * then no longer holds its copy of the signing key, and once answered not
 * its token either: what an established call costs stays small */
static void test_sip_to_isup_signed_memory(void)
{
	struct iwf_call *call;
	struct fake_sip *leg;
	struct fake_isup *c;
	char key[512], chain[512];

	/* testpki_path() answers in one buffer */
	snprintf(key, sizeof(key), "%s", testpki_path("tsca/op1-full.key"));
	snprintf(chain, sizeof(chain), "%s", testpki_path("tsca/op1-full-chain.pem"));
	CU_ASSERT_EQUAL_FATAL(credential_load(ctx, &hop_cred, key, chain, NULL), 0);
	layer_up(false);
	leg = invite();
	CU_ASSERT_EQUAL_FATAL(st.n_isup, 1);
	c = &st.isup[0];
	call = leg->priv;
	CU_ASSERT_TRUE(call->su->tok.has_hop);
	CU_ASSERT_PTR_NULL(call->sign_key);
	tops.answer((struct isup_call *)c, NULL, c->priv);
	CU_ASSERT_TRUE(leg->answered);
	CU_ASSERT_PTR_NULL(call->su);
	CU_ASSERT_TRUE(call->tokf.has_hop);
	CU_ASSERT(talloc_total_size(call) < 1200);
	st.sip_ops->released((struct sip_call *)leg, SIP_CALL_REL_BYE, NULL, leg->priv);
	CU_ASSERT_EQUAL(iwf_call_count(), 0);
	layer_down();
	TALLOC_FREE(hop_cred);
}

/* Glare: no circuit left to seize (the trunk lost every dual seizure):
 * 503 with the cause in Reason, and the call is gone */
static void test_glare_no_circuit(void)
{
	struct fake_sip *leg;

	layer_up(false);
	st.setup_rc = -EBUSY;
	leg = invite();
	CU_ASSERT_EQUAL(st.n_isup, 0);
	CU_ASSERT_EQUAL(leg->final, 503);
	CU_ASSERT_STRING_EQUAL(leg->reason, "Q.850;cause=34");
	CU_ASSERT_EQUAL(iwf_call_count(), 0);
	layer_down();
}

/* Glare on the circuit: the trunk repeats the IAM on another CIC (Q.764
 * §2.9.1.4); the far end then refuses with cause 17: the caller gets 486
 * with cause 17, and the call is gone */
static void test_glare_repeat_then_busy(void)
{
	struct fake_sip *leg;
	struct fake_isup *c;

	layer_up(false);
	leg = invite();
	CU_ASSERT_EQUAL_FATAL(st.n_isup, 1);
	c = &st.isup[0];
	tops.retry((struct isup_call *)c, 1, 7, "dual seizure", c->priv);
	c->cic = 7;
	CU_ASSERT_EQUAL(leg->final, 0);
	CU_ASSERT_EQUAL(iwf_call_count(), 1);
	tops.released((struct isup_call *)c, IWF_CAUSE_USER_BUSY, c->priv);
	CU_ASSERT_EQUAL(leg->final, 486);
	CU_ASSERT_STRING_EQUAL(leg->reason, "Q.850;cause=17");
	/* the trunk released the circuit itself: no second REL */
	CU_ASSERT_FALSE(c->released);
	CU_ASSERT_EQUAL(iwf_call_count(), 0);
	layer_down();
}

/* ISUP -> SIP: the IAM becomes an INVITE signed by the STI-AS; 180 sends
 * ACM, 200 sends ANM, the far end's BYE sends REL 16 */
static void test_isup_to_sip_call(void)
{
	struct fake_isup *c;
	struct fake_sip *leg;
	json_t *o, *side;
	int status = 180;
	int n;

	layer_up(false);
	c = iam(5);
	/* no STI-AS in this layer: the INVITE goes without Identity */
	CU_ASSERT_EQUAL_FATAL(st.n_sip, 1);
	leg = &st.sip[0];
	CU_ASSERT_TRUE(leg->placed);
	CU_ASSERT_EQUAL(iwf_call_count(), 1);
	st.sip_ops->progress((struct sip_call *)leg, status, NULL, leg->priv);
	CU_ASSERT_TRUE(c->acm);
	st.sip_ops->connected((struct sip_call *)leg, NULL, leg->priv);
	CU_ASSERT_TRUE(c->anm);
	CU_ASSERT_FALSE(c->con);
	CU_ASSERT_PTR_NULL(((struct iwf_call *)leg->priv)->su);
	call_log[0] = '\0';
	st.sip_ops->released((struct sip_call *)leg, SIP_CALL_REL_BYE, NULL, leg->priv);
	CU_ASSERT_TRUE(c->released);
	CU_ASSERT_EQUAL(c->cause, IWF_CAUSE_NORMAL_CLEARING);
	n = iwf_call_count();
	CU_ASSERT_EQUAL(n, 0);

	/* the call-log line the call left */
	o = call_log_parse(false);
	str_is(o, "call_id", "call-fsm-test");
	str_is(o, "sip_peer", "carrier-a");
	str_is(o, "ss7_peer", "exchange-b");
	int_is(o, "cic", 5);
	str_is(o, "calling", CALLING);
	str_is(o, "called", CALLED);
	side = json_object_get(o, "isup_in");
	str_is(side, "hop", "missing");
	null_is(side, "hop_reason");
	null_is(side, "signer");
	str_is(side, "signer_trust", "ok");
	bool_is(side, "covers", false);
	bool_is(side, "passport", false);
	bool_is(side, "passport_verifies", false);
	int_is(side, "passport_code", 0);
	bool_is(side, "div", false);
	bool_is(side, "div_verifies", false);
	null_is(side, "verdict");
	side = json_object_get(o, "sip_out");
	bool_is(side, "identity", false);
	null_is(side, "div");
	str_is(side, "verstat", "No-TN-Validation");
	side = json_object_get(o, "decision");
	keys_are(side, log_keys_decision);
	str_is(side, "action", "forward");
	str_is(side, "reason", "isup-hop-missing-c");
	str_is(side, "identity", "sign");
	str_is(side, "attest", "C");
	bool_is(o, "answered", true);
	null_is(o, "sip_status");
	int_is(o, "cause", IWF_CAUSE_NORMAL_CLEARING);
	str_is(o, "end", "sip");
	str_is(o, "last_state", "ACTIVE");
	duration_is(o, "transit_us");
	json_decref(o);
	layer_down();
}

/* A string that must be escaped: quotes, backslash, '/', every control
 * character, DEL, multi-byte UTF-8 */
static const char hostile_id[] =
	"q\"b\\s/\x01\x02\x03\x04\x05\x06\x07\b\t\n\x0b\f\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
	"\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80@192.0.2.20";
/* not UTF-8: a lone continuation byte, then 0xff */
static const char bad_utf8_id[] = "bad\x80\xff@192.0.2.20";

/* Call-IDs from the network in the line: escaped as jansson escapes them
 * (the line parses back to the very string), or null with the key kept
 * when not UTF-8; in both directions */
static void test_call_log_hostile(void)
{
	struct fake_isup *c;
	unsigned int n_sip;
	json_t *o;

	layer_up(false);
	/* SIP -> ISUP: the INVITE's Call-ID; no circuit, the call ends at once */
	st.setup_rc = -EBUSY;
	call_log[0] = '\0';
	invite_id(hostile_id);
	CU_ASSERT_EQUAL(iwf_call_count(), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(call_log, "\\u0001\\u0002"));
	CU_ASSERT_PTR_NOT_NULL(strstr(call_log, "\\u001F\x7f caf\xc3\xa9 \xe2\x82\xac"));
	CU_ASSERT_PTR_NOT_NULL(strstr(call_log, "\"q\\\"b\\\\s/\\u0001"));
	o = call_log_parse(true);
	str_is(o, "call_id", hostile_id);
	int_is(o, "sip_status", 503);
	str_is(o, "end", "no-circuit");
	json_decref(o);

	invite_id(bad_utf8_id);
	CU_ASSERT_EQUAL(iwf_call_count(), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(call_log, ",\"call_id\":null,"));
	o = call_log_parse(true);
	null_is(o, "call_id");
	str_is(o, "sip_peer", "carrier-a");
	json_decref(o);

	/* ISUP -> SIP: the Call-ID of the INVITE placed; REL ends the call */
	st.out_call_id = hostile_id;
	n_sip = st.n_sip;
	c = iam(5);
	CU_ASSERT_EQUAL_FATAL(st.n_sip, n_sip + 1);
	tops.released((struct isup_call *)c, IWF_CAUSE_NORMAL_CLEARING, c->priv);
	CU_ASSERT_EQUAL(iwf_call_count(), 0);
	o = call_log_parse(false);
	str_is(o, "call_id", hostile_id);
	int_is(o, "cic", 5);
	json_decref(o);

	st.out_call_id = bad_utf8_id;
	c = iam(6);
	CU_ASSERT_EQUAL_FATAL(st.n_sip, n_sip + 2);
	tops.released((struct isup_call *)c, IWF_CAUSE_NORMAL_CLEARING, c->priv);
	CU_ASSERT_EQUAL(iwf_call_count(), 0);
	o = call_log_parse(false);
	null_is(o, "call_id");
	int_is(o, "cic", 6);
	json_decref(o);
	layer_down();
}

/* Every string of the line at the longest its field holds and made of
 * control characters only (6 bytes each escaped): the line still fits
 * IWF_CALL_LOG_MAX and parses */
static void fill_ctl(char *s, size_t size)
{
	memset(s, 0x01, size - 1);
	s[size - 1] = '\0';
}

static void test_call_log_longest(void)
{
	char line[IWF_CALL_LOG_MAX], short_line[IWF_CALL_LOG_MAX];
	char sip_name[sizeof(((struct iwf_sip_peer *)0)->name)];
	char ss7_name[sizeof(((struct iwf_ss7_peer *)0)->name)];
	struct iwf_call *call;
	struct fake_sip *leg;
	json_t *o;
	int n;

	layer_up(false);
	leg = invite();
	CU_ASSERT_EQUAL_FATAL(st.n_isup, 1);
	iam(7);
	CU_ASSERT_EQUAL_FATAL(st.n_sip, 2);
	for (int i = 0; i < 2; i++) {
		call = i == 0 ? leg->priv : st.sip[1].priv;
		CU_ASSERT_PTR_NOT_NULL_FATAL(call);
		CU_ASSERT_PTR_NOT_NULL_FATAL(call->sip_peer);
		CU_ASSERT_PTR_NOT_NULL_FATAL(call->ss7_peer);
		osmo_strlcpy(sip_name, call->sip_peer->name, sizeof(sip_name));
		osmo_strlcpy(ss7_name, call->ss7_peer->name, sizeof(ss7_name));
		fill_ctl(call->sip_peer->name, sizeof(call->sip_peer->name));
		fill_ctl(call->ss7_peer->name, sizeof(call->ss7_peer->name));
		fill_ctl(call->call_id, sizeof(call->call_id));
		fill_ctl(call->calling, sizeof(call->calling));
		fill_ctl(call->called, sizeof(call->called));
		fill_ctl(call->vs_detail, sizeof(call->vs_detail));
		fill_ctl(call->spc_in, sizeof(call->spc_in));
		fill_ctl(call->origid_in, sizeof(call->origid_in));
		fill_ctl(call->signer, sizeof(call->signer));
		n = iwf_call_log_format(line, sizeof(line), call);
		CU_ASSERT(n > 0);
		CU_ASSERT_EQUAL((size_t)n, strlen(line));
		/* one byte short of the line: refused whole, nothing half-written */
		CU_ASSERT_EQUAL(iwf_call_log_format(short_line, n, call), -ENOSPC);
		CU_ASSERT_STRING_EQUAL(short_line, "");
		osmo_strlcpy(call->sip_peer->name, sip_name, sizeof(call->sip_peer->name));
		osmo_strlcpy(call->ss7_peer->name, ss7_name, sizeof(call->ss7_peer->name));
		if (n <= 0)
			continue;
		o = log_parse(line, i == 0);
		CU_ASSERT_EQUAL(strlen(json_string_value(json_object_get(o, "call_id"))), sizeof(call->call_id) - 1);
		CU_ASSERT_EQUAL(strlen(json_string_value(json_object_get(o, "sip_peer"))), sizeof(sip_name) - 1);
		json_decref(o);
	}
	layer_down();
}

/* REL while the STI-AS signs: nothing goes to SIP, the call is gone (the
 * trunk freed the circuit with the REL) */
static void test_rel_during_sign(void)
{
	struct fake_isup *c;

	layer_up(true);
	c = iam(9);
	CU_ASSERT_EQUAL(st.n_sip, 0);
	CU_ASSERT_EQUAL(iwf_call_count(), 1);
	tops.released((struct isup_call *)c, IWF_CAUSE_NORMAL_CLEARING, c->priv);
	CU_ASSERT_EQUAL(st.n_sip, 0);
	CU_ASSERT_FALSE(c->released);
	CU_ASSERT_EQUAL(iwf_call_count(), 0);
	layer_down();
}

/* libosmocore 1.7 runs timers on osmo_gettimeofday(), later ones on the
 * monotonic clock: both advance together */
static void clock_advance(unsigned int secs)
{
	while (secs--) {
		osmo_clock_override_add(CLOCK_MONOTONIC, 1, 0);
		osmo_gettimeofday_override_add(1, 0);
		osmo_timers_prepare();
		osmo_timers_update();
	}
}

/* The guard timer: signing that never ends releases the IAM with cause
 * 102 (recovery on timer expiry) and no INVITE */
static void test_guard_timer(void)
{
	struct fake_isup *c;

	layer_up(true);
	c = iam(11);
	CU_ASSERT_EQUAL(iwf_call_count(), 1);
	/* 9 s: still signing; the guard is 10 s */
	clock_advance(9);
	CU_ASSERT_EQUAL(iwf_call_count(), 1);
	CU_ASSERT_FALSE(c->released);
	clock_advance(2);
	CU_ASSERT_TRUE(c->released);
	CU_ASSERT_EQUAL(c->cause, IWF_CAUSE_RECOVERY_ON_TIMER_EXPIRY);
	CU_ASSERT_EQUAL(st.n_sip, 0);
	CU_ASSERT_EQUAL(iwf_call_count(), 0);
	layer_down();
}

/* Shutdown: every call is released, REL 41 towards ISUP and a 503 or BYE
 * with cause 41 towards SIP */
static void test_shutdown(void)
{
	struct fake_sip *leg_in, *leg_out;
	struct fake_isup *c_out, *c_in;

	layer_up(false);
	leg_in = invite();			/* SIP -> ISUP, in SETUP */
	CU_ASSERT_EQUAL_FATAL(st.n_isup, 1);
	c_out = &st.isup[0];
	c_in = iam(20);				/* ISUP -> SIP, answered */
	CU_ASSERT_EQUAL_FATAL(st.n_sip, 2);
	leg_out = &st.sip[1];
	st.sip_ops->connected((struct sip_call *)leg_out, NULL, leg_out->priv);
	CU_ASSERT_TRUE(c_in->con);
	CU_ASSERT_EQUAL(iwf_call_count(), 2);

	iwf_call_layer_fini();
	CU_ASSERT_EQUAL(leg_in->final, 503);
	CU_ASSERT_STRING_EQUAL(leg_in->reason, "Q.850;cause=41");
	CU_ASSERT_TRUE(c_out->released);
	CU_ASSERT_EQUAL(c_out->cause, IWF_CAUSE_TEMPORARY_FAILURE);
	CU_ASSERT_TRUE(leg_out->released);
	CU_ASSERT_STRING_EQUAL(leg_out->reason, "Q.850;cause=41");
	CU_ASSERT_TRUE(c_in->released);
	CU_ASSERT_EQUAL(c_in->cause, IWF_CAUSE_TEMPORARY_FAILURE);
	CU_ASSERT_EQUAL(iwf_call_count(), 0);
	layer_down();
}

static const char conf[] =
	"sip-peer carrier-a\n"
	" remote 192.0.2.20 5060\n"
	" transport udp\n"
	" country-code 1\n"
	"ss7-peer exchange-b\n"
	" cs7-instance 0\n"
	" point-code 200\n"
	" cic 1 31\n"
	" country-code 1\n"
	" number-format international\n"
	" sip-peer carrier-a\n"
	"route 1202 ss7-peer exchange-b\n"
	"route 1 sip-peer carrier-a\n";

static int suite_init(void)
{
	char err[256];
	FILE *f;

	snprintf(conf_path, sizeof(conf_path), "call_fsm_test.%d.conf", (int)getpid());
	f = fopen(conf_path, "w");
	if (!f)
		return -1;
	fputs(conf, f);
	fclose(f);
	if (stiwf_config_read(conf_path, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
	}
	return testpki_dir() ? 0 : -1;
}

static int suite_clean(void)
{
	unlink(conf_path);
	iwf_cfg_reset(g_iwf_cfg);
	iwf_map_cfg_reset(g_map_cfg);
	testpki_cleanup();
	return 0;
}

static int setup(void *root)
{
	struct log_target *t;

	ctx = root;
	/* the guard timer runs on a fake clock (clock_advance()) */
	osmo_clock_override_enable(CLOCK_MONOTONIC, true);
	osmo_gettimeofday_override = true;
	if (stiwf_vty_init(ctx) < 0)
		return -1;
	/* a second log target that keeps the call-log lines */
	t = log_target_create();
	if (!t)
		return -1;
	t->output = call_log_output;
	log_set_use_color(t, 0);
	log_set_print_filename2(t, LOG_FILENAME_NONE);
	log_set_category_filter(t, DIWF, 1, LOGL_NOTICE);
	log_add_target(t);
	return 0;
}

static const struct cunit_test tests[] = {
	{ "SIP -> ISUP: IAM, ACM, ANM, BYE", test_sip_to_isup_call },
	{ "SIP -> ISUP signed: no key copy or token held once established", test_sip_to_isup_signed_memory },
	{ "glare: no circuit left", test_glare_no_circuit },
	{ "glare: repeat attempt, then busy", test_glare_repeat_then_busy },
	{ "ISUP -> SIP: INVITE, 180, 200, BYE", test_isup_to_sip_call },
	{ "call-log: network strings escaped, or null when not UTF-8", test_call_log_hostile },
	{ "call-log: the longest line fits", test_call_log_longest },
	{ "REL during SIGN", test_rel_during_sign },
	{ "guard timer", test_guard_timer },
	{ "shutdown", test_shutdown },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "iwf call fsm", suite_init, suite_clean, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "call_fsm_test",
	.log = CUNIT_LOG_STDERR,
	.setup = setup,
	.suites = suites,
};
