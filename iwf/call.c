/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The IWF call layer: the legs' callbacks, the per-call log line, counters
 * and the VTY (see call.h).  The flows and the state are in call_fsm.c. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/stats.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vty.h>

#include "certs/credential.h"
#include "iwf/call.h"
#include "iwf/call_fsm.h"
#include "iwf/call_internal.h"
#include "iwf/cause.h"
#include "sip/stir_error.h"
#include "sip/stir_vs.h"
#include "src/core/jsonw.h"
#include "src/core/logging.h"
#include "iwf/isup_identity.h"
#include "ss7/isup_trunk.h"

#define SDP_MAX		2048
#define MAX_PEER_SDP	64

const struct value_string iwf_call_dir_names[] = {
	{ IWF_CALL_SIP_TO_ISUP, "sip-isup" },
	{ IWF_CALL_ISUP_TO_SIP, "isup-sip" },
	{ 0, NULL }
};

static const struct rate_ctr_desc iwf_call_ctr_desc[] = {
	[IWF_CALL_CTR_SIP_IN] = { "call:sip_in", "INVITEs taken (SIP to ISUP)" },
	[IWF_CALL_CTR_ISUP_IN] = { "call:isup_in", "IAMs taken (ISUP to SIP)" },
	[IWF_CALL_CTR_ANSWERED] = { "call:answered", "Calls answered" },
	[IWF_CALL_CTR_REJECTED_STIR] = { "call:refused_policy", "Calls refused by the attestation policy" },
	[IWF_CALL_CTR_FAILED] = { "call:failed", "Calls not completed: no route, no circuit, far end refused" },
	[IWF_CALL_CTR_VS_PASSED] = { "stir:passed", "INVITEs whose PASSporT verified" },
	[IWF_CALL_CTR_VS_FAILED] = { "stir:failed", "INVITEs whose PASSporT failed" },
	[IWF_CALL_CTR_VS_NONE] = { "stir:none", "INVITEs without Identity" },
	[IWF_CALL_CTR_HOP_VALID] = { "hop:valid", "IAMs with a valid HOP" },
	[IWF_CALL_CTR_HOP_INVALID] = { "hop:invalid", "IAMs with an invalid HOP" },
	[IWF_CALL_CTR_HOP_MISSING] = { "hop:missing", "IAMs without HOP" },
	[IWF_CALL_CTR_PASSPORT_OUT] = { "passport:carried", "IAMs that carry the PASSporT" },
	[IWF_CALL_CTR_REBUILT] = { "passport:rebuilt", "INVITEs with the original PASSporT rebuilt" },
	[IWF_CALL_CTR_SIGNED] = { "passport:signed", "INVITEs with a PASSporT signed here" },
	[IWF_CALL_CTR_RETRY] = { "isup:retry", "ISUP repeat attempts on another circuit" },
	[IWF_CALL_CTR_DIV_PASSED] = { "stir:div_passed", "INVITEs whose div PASSporT verified (RFC 8946)" },
	[IWF_CALL_CTR_DIV_FAILED] = { "stir:div_failed", "INVITEs whose div PASSporT failed" },
	[IWF_CALL_CTR_DIV_IGNORED] = { "stir:div_ignored", "INVITEs with a div PASSporT not verified" },
	[IWF_CALL_CTR_DIV_OUT] = { "div:carried", "IAMs that carry the div PASSporT (DIV TLV)" },
	[IWF_CALL_CTR_DIV_REBUILT] = { "div:rebuilt", "INVITEs with the original div PASSporT rebuilt" },
	[IWF_CALL_CTR_DIV_SIGNED] = { "div:signed", "INVITEs with a div PASSporT signed here" },
};

static const struct rate_ctr_group_desc iwf_call_ctrg_desc = {
	.group_name_prefix = "iwf",
	.group_description = "IWF calls",
	.class_id = OSMO_STATS_CLASS_GLOBAL,
	.num_ctr = ARRAY_SIZE(iwf_call_ctr_desc),
	.ctr_desc = iwf_call_ctr_desc,
};

struct iwf_call_env g_iwf_env;

static const struct iwf_call_leg_ops real_legs = {
	.sip_agent_set_call_ops = sip_agent_set_call_ops,
	.sip_call_set_priv = sip_call_set_priv,
	.sip_call_place = sip_call_place,
	.sip_call_ring = sip_call_ring,
	.sip_call_answer = sip_call_answer,
	.sip_call_reject = sip_call_reject,
	.sip_call_release = sip_call_release,
	.sip_call_get_id = sip_call_get_id,
	.isup_trunk_call_setup = isup_trunk_call_setup,
	.isup_call_set_priv = isup_call_set_priv,
	.isup_call_cic = isup_call_cic,
	.isup_call_send_acm = isup_call_send_acm,
	.isup_call_send_cpg = isup_call_send_cpg,
	.isup_call_send_anm = isup_call_send_anm,
	.isup_call_send_con = isup_call_send_con,
	.isup_call_release = isup_call_release,
};
const struct iwf_call_leg_ops *g_iwf_legs = &real_legs;

static struct {
	void *ctx;
	struct rate_ctr_group *ctrg;
	struct llist_head calls;
	uint32_t next_id;
	char default_sdp[SDP_MAX];
	/* the HOP credential's key, prepared once: each call signs with a
	 * copy of it (sigtoken_key_dup()), its worker thread's own */
	struct sigtoken_key *hop_key;
	unsigned int n_sdp;
	struct {
		const struct iwf_ss7_peer *peer;
		char *sdp;
	} sdp[MAX_PEER_SDP];
} layer;

void iwf_call_ctr_inc(unsigned int idx)
{
	if (layer.ctrg)
		rate_ctr_inc(rate_ctr_group_get_ctr(layer.ctrg, idx));
}

struct sigtoken_key *iwf_call_hop_key(void)
{
	return layer.hop_key;
}

const char *iwf_call_sdp(const struct iwf_ss7_peer *peer)
{
	unsigned int i;

	for (i = 0; i < layer.n_sdp; i++) {
		if (layer.sdp[i].peer == peer)
			return layer.sdp[i].sdp;
	}
	return layer.default_sdp;
}

int iwf_call_peer_sdp_set(const struct iwf_ss7_peer *peer, const char *sdp)
{
	unsigned int i;

	for (i = 0; i < layer.n_sdp; i++) {
		if (layer.sdp[i].peer == peer)
			break;
	}
	if (i == layer.n_sdp) {
		if (i == MAX_PEER_SDP)
			return -ENOSPC;
		layer.n_sdp++;
	}
	talloc_free(layer.sdp[i].sdp);
	layer.sdp[i].peer = peer;
	layer.sdp[i].sdp = sdp ? talloc_strdup(layer.ctx, sdp) : NULL;
	if (sdp && !layer.sdp[i].sdp)
		return -ENOMEM;
	if (!sdp)
		layer.sdp[i].sdp = talloc_strdup(layer.ctx, layer.default_sdp);
	return layer.sdp[i].sdp ? 0 : -ENOMEM;
}

/* ARCHITECTURE §5: signalling only; the default offer points at the media
 * gateway's address with PCMU/PCMA. */
static void default_sdp_init(const char *addr)
{
	const char *ipv;

	if (!addr || !addr[0])
		addr = "127.0.0.1";
	ipv = strchr(addr, ':') ? "IP6" : "IP4";
	snprintf(layer.default_sdp, sizeof(layer.default_sdp),
		 "v=0\r\n"
		 "o=stiwfd 1 1 IN %s %s\r\n"
		 "s=-\r\n"
		 "c=IN %s %s\r\n"
		 "t=0 0\r\n"
		 "m=audio 4000 RTP/AVP 0 8\r\n"
		 "a=rtpmap:0 PCMU/8000\r\n"
		 "a=rtpmap:8 PCMA/8000\r\n", ipv, addr, ipv, addr);
}

static struct iwf_call *call_new(enum iwf_call_dir dir)
{
	struct iwf_call *call;

	call = iwf_call_fsm_start(layer.ctx, ++layer.next_id);
	if (!call)
		return NULL;
	call->dir = dir;
	llist_add_tail(&call->entry, &layer.calls);
	return call;
}

/* ---- SIP leg callbacks ---- */

static int sip_incoming(struct sip_call *leg, const struct sip_call_info *info, void *agent_priv)
{
	struct iwf_call *call;

	/* nothing to route to: the agent answers 501 (no call routing) */
	if (!g_iwf_cfg || llist_empty(&g_iwf_cfg->ss7_peers))
		return -ENOTSUP;
	call = call_new(IWF_CALL_SIP_TO_ISUP);
	if (!call)
		return -ENOMEM;
	call->sip = leg;
	osmo_strlcpy(call->call_id, info->call_id, sizeof(call->call_id));
	g_iwf_legs->sip_call_set_priv(leg, call);
	iwf_call_ctr_inc(IWF_CALL_CTR_SIP_IN);
	LOGPFSML(call->fi, LOGL_INFO, "INVITE %s from %s:%u, %s -> %s, %u Identity\n", info->call_id,
		 info->peer_addr, info->peer_port, info->pai.present ? info->pai.user : info->from.user,
		 info->ruri_user, info->n_identity);
	/* from here on the call answers the INVITE itself, whatever happens */
	iwf_call_sip_start(call, info);
	return 0;
}

static void sip_progress(struct sip_call *leg, int status, const char *sdp, void *priv)
{
	struct iwf_call *call = priv;
	struct iwf_progress p = { .status = status, .early_media = sdp != NULL };

	if (call)
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SIP_PROGRESS, &p);
}

static void sip_hold(struct sip_call *leg, bool held, void *priv)
{
	struct iwf_call *call = priv;

	if (call)
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SIP_HOLD, &held);
}

static void sip_connected(struct sip_call *leg, const char *sdp, void *priv)
{
	struct iwf_call *call = priv;

	if (call)
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SIP_ANSWER, NULL);
}

static void sip_failed(struct sip_call *leg, int status, const char *phrase, const char *reason, void *priv)
{
	struct iwf_call *call = priv;

	if (!call)
		return;
	LOGPFSML(call->fi, LOGL_INFO, "INVITE failed: %d %s%s%s\n", status, phrase ? phrase : "",
		 reason ? ", Reason: " : "", reason ? reason : "");
	osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SIP_FAILED, &status);
}

static void sip_released(struct sip_call *leg, enum sip_call_release_cause cause, const char *reason,
			 void *priv)
{
	struct iwf_call *call = priv;

	if (!call)
		return;
	LOGPFSML(call->fi, LOGL_INFO, "SIP leg released (%s)%s%s\n",
		 get_value_string(sip_call_release_cause_names, cause), reason ? ", Reason: " : "",
		 reason ? reason : "");
	osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SIP_BYE, NULL);
}

static const struct sip_call_ops iwf_sip_ops = {
	.incoming = sip_incoming,
	.progress = sip_progress,
	.connected = sip_connected,
	.failed = sip_failed,
	.released = sip_released,
	.hold = sip_hold,
};

/* ---- ISUP leg callbacks ---- */

static void isup_incoming(struct isup_trunk *t, struct isup_call *isup, const struct isup_msg *iam, void *priv)
{
	struct iwf_ss7_peer *peer = priv;
	struct iwf_call *call = call_new(IWF_CALL_ISUP_TO_SIP);

	if (!call) {
		g_iwf_legs->isup_call_release(isup, IWF_CAUSE_TEMPORARY_FAILURE);
		return;
	}
	call->isup = isup;
	call->ss7_peer = peer;
	call->cic = g_iwf_legs->isup_call_cic(isup);
	g_iwf_legs->isup_call_set_priv(isup, call);
	iwf_call_ctr_inc(IWF_CALL_CTR_ISUP_IN);
	call->iam = talloc_memdup(call, iam, sizeof(*iam));
	if (!call->iam) {
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SHUTDOWN, NULL);
		return;
	}
	LOGPFSML(call->fi, LOGL_INFO, "IAM on CIC %u from %s\n", call->cic, peer ? peer->name : "?");
	iwf_call_isup_start(call);
}

static void isup_progress_cb(struct isup_call *isup, const struct isup_msg *msg, void *call_priv)
{
	struct iwf_call *call = call_priv;
	struct iwf_progress p = { .status = isup_msg_sip_progress(msg), .early_media = isup_msg_inband(msg) };
	int gni = isup_msg_notification(msg);

	if (!call)
		return;
	/* Q.733.2: the far end put the call on hold or took it back; the
	 * media gateways carry the tone or the silence, SIP is not told */
	if (gni == IWF_GNI_REMOTE_HOLD || gni == IWF_GNI_REMOTE_RETRIEVAL)
		LOGPFSML(call->fi, LOGL_NOTICE, "CPG: %s from the ISUP side\n",
			 gni == IWF_GNI_REMOTE_HOLD ? "remote hold" : "remote retrieval");
	osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_ISUP_PROGRESS, &p);
}

static void isup_answer_cb(struct isup_call *isup, const struct isup_msg *msg, void *call_priv)
{
	struct iwf_call *call = call_priv;

	if (call)
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_ISUP_ANSWER, NULL);
}

static void isup_released_cb(struct isup_call *isup, uint8_t cause, void *call_priv)
{
	struct iwf_call *call = call_priv;

	if (!call)
		return;
	LOGPFSML(call->fi, LOGL_INFO, "ISUP leg released, cause %u\n", cause);
	osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_ISUP_REL, &cause);
}

static void isup_retry_cb(struct isup_call *isup, uint16_t old_cic, uint16_t new_cic, const char *reason,
			  void *call_priv)
{
	struct iwf_call *call = call_priv;

	iwf_call_ctr_inc(IWF_CALL_CTR_RETRY);
	if (!call)
		return;
	LOGPFSML(call->fi, LOGL_NOTICE, "repeat attempt: CIC %u -> %u (%s)\n", old_cic, new_cic, reason);
	call->cic = new_cic;
}

/* Q.764 §2.5: SUS/RES on an answered call.  Nothing goes to the SIP side
 * (ARCHITECTURE §8.4): the media path stays as SDP
 * set it up, a network-initiated suspension is a transient of the ISUP
 * network, and the trunk releases the call (cause 102, BYE) when no RES
 * comes within T2/T6/T38. */
static void isup_suspend_cb(struct isup_call *isup, bool suspended, uint8_t indicator, void *call_priv)
{
	struct iwf_call *call = call_priv;

	if (!call)
		return;
	LOGPFSML(call->fi, LOGL_INFO, "ISUP leg %s (%s initiated), not signalled in SIP\n",
		 suspended ? "suspended" : "resumed", indicator ? "network" : "ISDN subscriber");
}

static void isup_alert_cb(struct isup_trunk *t, uint16_t cic, const char *what, void *priv)
{
	struct iwf_ss7_peer *peer = priv;

	LOGP(DIWF, LOGL_ERROR, "ss7-peer %s: maintenance alert on CIC %u: %s\n", peer ? peer->name : "?", cic,
	     what);
}

void iwf_call_trunk_ops_fill(struct isup_trunk_ops *ops)
{
	ops->incoming = isup_incoming;
	ops->progress = isup_progress_cb;
	ops->answer = isup_answer_cb;
	ops->released = isup_released_cb;
	ops->retry = isup_retry_cb;
	ops->suspend = isup_suspend_cb;
	ops->alert = isup_alert_cb;
}

/* ---- the log line ---- */

static long ms_since(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

static long long us_since(const struct timespec *a, const struct timespec *b)
{
	return (long long)(b->tv_sec - a->tv_sec) * 1000000 + (b->tv_nsec - a->tv_nsec) / 1000;
}

/* what the line says of a string: null when absent or empty */
static void str_or_null(struct jsonw *w, const char *key, const char *s)
{
	if (s && s[0])
		jsonw_str(w, key, s);
	else
		jsonw_null(w, key);
}

/* the integer v when \a present, else null */
static void int_or_null(struct jsonw *w, const char *key, bool present, long long v)
{
	if (present)
		jsonw_int(w, key, v);
	else
		jsonw_null(w, key);
}

static void attest(struct jsonw *w, const char *key, char a)
{
	char s[2] = { a, 0 };

	if (a == 'A' || a == 'B' || a == 'C')
		jsonw_str(w, key, s);
	else
		jsonw_null(w, key);
}

/* The longest line: every string that may come from the network (or the
 * configuration) at its longest and made of control characters only
 * (6 bytes each escaped), the decision at its longest, and room for the
 * rest: 36 keys, 27 integers of at most 20 digits and a sign, 16 names
 * of our own (value_string names or "unknown 0x...", the FSM state name,
 * who ended it) of at most 32 bytes that need no escaping, punctuation.
 * Some 4,700 bytes; a real line is 600 to 900. */
#define FIELD_MAX(type, f)	(sizeof(((type *)0)->f) - 1)
#define CALL_LOG_NET_MAX \
	(JSONW_STR_MAX(FIELD_MAX(struct iwf_call, call_id)) + \
	 JSONW_STR_MAX(FIELD_MAX(struct iwf_sip_peer, name)) + \
	 JSONW_STR_MAX(FIELD_MAX(struct iwf_ss7_peer, name)) + \
	 JSONW_STR_MAX(FIELD_MAX(struct iwf_call, calling)) + \
	 JSONW_STR_MAX(FIELD_MAX(struct iwf_call, called)) + \
	 JSONW_STR_MAX(FIELD_MAX(struct iwf_call, vs_detail)) + \
	 JSONW_STR_MAX(FIELD_MAX(struct iwf_call, spc_in)) + \
	 JSONW_STR_MAX(FIELD_MAX(struct iwf_call, origid_in)) + \
	 JSONW_STR_MAX(FIELD_MAX(struct iwf_call, signer)))
#define CALL_LOG_OWN_MAX	(36 * 24 + 27 * 21 + 16 * (32 + 2) + 64)
osmo_static_assert(CALL_LOG_NET_MAX + IWF_DECISION_JSON_MAX + CALL_LOG_OWN_MAX <= IWF_CALL_LOG_MAX,
		   call_log_line_fits);

int iwf_call_log_format(char *buf, size_t size, struct iwf_call *call)
{
	char dec[IWF_DECISION_JSON_MAX];
	struct timespec now;
	struct jsonw w;

	iwf_call_tok_flags_update(call);
	clock_gettime(CLOCK_MONOTONIC, &now);
	/* The members and their order are those of the jansson object this
	 * line was once built as, printed by json_dumps(JSON_COMPACT |
	 * JSON_PRESERVE_ORDER): log readers parse it.  A string that is not
	 * valid UTF-8 (json_string() refused it and the member went
	 * missing) is now null, its key kept (jsonw_str()). */
	jsonw_init(&w, buf, size);
	jsonw_open(&w, NULL);
	jsonw_int(&w, "call", call->id);
	jsonw_str(&w, "dir", get_value_string(iwf_call_dir_names, call->dir));
	str_or_null(&w, "call_id", call->call_id);
	str_or_null(&w, "sip_peer", call->sip_peer ? call->sip_peer->name : NULL);
	str_or_null(&w, "ss7_peer", call->ss7_peer ? call->ss7_peer->name : NULL);
	int_or_null(&w, "cic", call->cic, call->cic);
	str_or_null(&w, "calling", call->calling);
	str_or_null(&w, "called", call->called);

	if (call->dir == IWF_CALL_SIP_TO_ISUP) {
		/* what the STI-VS found in the INVITE */
		jsonw_open(&w, "sip_in");
		jsonw_int(&w, "identity", call->n_identity);
		jsonw_str(&w, "verstat", get_value_string(stir_verstat_names, call->vs_verstat));
		jsonw_int(&w, "code", call->sev.stir_code);
		str_or_null(&w, "detail", call->vs_detail);
		str_or_null(&w, "spc", call->spc_in);
		str_or_null(&w, "origid", call->origid_in);
		str_or_null(&w, "div", call->div_in ? get_value_string(stir_vs_div_names, call->div_in) : NULL);
		jsonw_close(&w);
		jsonw_open(&w, "isup_out");
		jsonw_bool(&w, "hop", call->tokf.has_hop);
		jsonw_bool(&w, "passport", call->tokf.has_passport);
		jsonw_bool(&w, "div", call->tokf.has_div);
		str_or_null(&w, "verdict", call->tokf.has_verdict ?
			    get_value_string(sigtoken_verstat_names, call->tokf.verstat) : NULL);
		jsonw_close(&w);
	} else {
		/* what the IAM's token was worth */
		jsonw_open(&w, "isup_in");
		jsonw_str(&w, "hop", get_value_string(iwf_hop_state_names, call->iev.hop));
		str_or_null(&w, "hop_reason", call->iev.hop_reason ?
			    get_value_string(iwf_hop_reason_names, call->iev.hop_reason) : NULL);
		str_or_null(&w, "signer", call->signer);
		jsonw_str(&w, "signer_trust", get_value_string(iwf_signer_trust_names, call->iev.signer_trust));
		jsonw_bool(&w, "covers", call->iev.signer_covers_calling);
		jsonw_bool(&w, "passport", call->iev.passport_present);
		jsonw_bool(&w, "passport_verifies", call->iev.passport_verifies);
		jsonw_int(&w, "passport_code", call->pp_code);
		jsonw_bool(&w, "div", call->tokf.has_div);
		jsonw_bool(&w, "div_verifies", call->div_verifies);
		str_or_null(&w, "verdict", call->iev.verdict_present ?
			    get_value_string(sigtoken_verstat_names, call->iev.verdict_verstat) : NULL);
		jsonw_close(&w);
		jsonw_open(&w, "sip_out");
		jsonw_bool(&w, "identity", call->identity_out || call->identity_sent);
		str_or_null(&w, "div", call->div_out);
		str_or_null(&w, "verstat", call->dec.has_pai_verstat ?
			    get_value_string(stir_verstat_names, call->dec.pai_verstat) : NULL);
		jsonw_close(&w);
	}
	/* the decision's JSON comes from our own tables (iwf_decision_to_json()):
	 * inserted as it is, compact already */
	if (call->decided && iwf_decision_to_json(dec, sizeof(dec), &call->dec) >= 0)
		jsonw_raw(&w, "decision", dec);
	else
		jsonw_null(&w, "decision");
	attest(&w, "attest_in", call->attest_in);
	attest(&w, "attest_out", call->attest_out);
	jsonw_bool(&w, "answered", call->answered);
	int_or_null(&w, "sip_status", call->sip_status, call->sip_status);
	int_or_null(&w, "cause", call->cause, call->cause);
	str_or_null(&w, "end", call->end);
	jsonw_str(&w, "last_state", osmo_fsm_inst_state_name(call->fi));
	jsonw_int(&w, "setup_ms", call->answered ? ms_since(&call->t_start, &call->t_answer) :
						    ms_since(&call->t_start, &now));
	/* what the IWF adds to the post-dial delay: setup message in to
	 * setup message out (INVITE -> IAM, or IAM -> INVITE) */
	int_or_null(&w, "transit_us", call->egress_sent, us_since(&call->t_start, &call->t_egress));
	jsonw_int(&w, "talk_ms", call->answered ? ms_since(&call->t_answer, &now) : 0);
	jsonw_close(&w);
	return jsonw_end(&w);
}

void iwf_call_log_line(struct iwf_call *call)
{
	char line[IWF_CALL_LOG_MAX];

	/* about 12,500 instructions a call to build (5,600 of them the
	 * decision's snprintf()), 4,000 more to log it: docs/BENCHMARKS.md
	 * "The call-log line".  Still not built when no log target would
	 * print it. */
	if (!log_check_level(DIWF, LOGL_NOTICE))
		return;
	if (iwf_call_log_format(line, sizeof(line), call) < 0) {
		/* cannot happen with the fields' sizes (the static assert
		 * above); should it, nothing half-written is logged */
		LOGP(DIWF, LOGL_ERROR, "call %u: call-log line longer than %zu bytes, not logged\n", call->id,
		     sizeof(line));
		return;
	}
	LOGP(DIWF, LOGL_NOTICE, "call-log %s\n", line);
}

/* ---- the layer ---- */

int iwf_call_layer_init(void *ctx, const struct iwf_call_env *env)
{
	memset(&layer, 0, sizeof(layer));
	INIT_LLIST_HEAD(&layer.calls);
	layer.ctx = talloc_named_const(ctx, 0, "iwf_calls");
	if (!layer.ctx)
		return -ENOMEM;
	layer.ctrg = rate_ctr_group_alloc(layer.ctx, &iwf_call_ctrg_desc, 0);
	if (!layer.ctrg) {
		TALLOC_FREE(layer.ctx);
		return -ENOMEM;
	}
	g_iwf_env = *env;
	g_iwf_legs = env->legs ? env->legs : &real_legs;
	if (env->hop_cred) {
		layer.hop_key = sigtoken_key_alloc(layer.ctx, env->hop_cred->key);
		if (!layer.hop_key)
			LOGP(DIWF, LOGL_ERROR, "the TSCA credential's key cannot be prepared for HOP\n");
	}
	default_sdp_init(env->media_addr);
	if (env->sip)
		g_iwf_legs->sip_agent_set_call_ops(env->sip, &iwf_sip_ops, NULL);
	return 0;
}

void iwf_call_layer_fini(void)
{
	struct iwf_call *call, *tmp;
	uint8_t cause = IWF_CAUSE_TEMPORARY_FAILURE;

	if (!layer.ctx)
		return;
	if (g_iwf_env.sip)
		g_iwf_legs->sip_agent_set_call_ops(g_iwf_env.sip, NULL, NULL);
	llist_for_each_entry_safe(call, tmp, &layer.calls, entry)
		osmo_fsm_inst_dispatch(call->fi, IWF_CALL_EV_SHUTDOWN, &cause);
	rate_ctr_group_free(layer.ctrg);
	TALLOC_FREE(layer.ctx);
	memset(&layer, 0, sizeof(layer));
	memset(&g_iwf_env, 0, sizeof(g_iwf_env));
	g_iwf_legs = &real_legs;
}

unsigned int iwf_call_count(void)
{
	struct iwf_call *call;
	unsigned int n = 0;

	if (!layer.ctx)
		return 0;
	llist_for_each_entry(call, &layer.calls, entry)
		n++;
	return n;
}

/* ---- VTY ---- */

DEFUN(show_calls, show_calls_cmd, "show calls",
      SHOW_STR "IWF calls in progress\n")
{
	struct iwf_call *call;
	struct timespec now;
	unsigned int n = 0;

	if (!layer.ctx) {
		vty_out(vty, "%% the call layer is not running%s", VTY_NEWLINE);
		return CMD_WARNING;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	vty_out(vty, "%-6s %-8s %-9s %-15s %-15s %-12s %-12s %5s %7s%s", "Call", "Dir", "State", "Calling",
		"Called", "SIP peer", "SS7 peer", "CIC", "Age(s)", VTY_NEWLINE);
	llist_for_each_entry(call, &layer.calls, entry) {
		vty_out(vty, "%-6u %-8s %-9s %-15s %-15s %-12s %-12s %5u %7ld%s", call->id,
			get_value_string(iwf_call_dir_names, call->dir), osmo_fsm_inst_state_name(call->fi),
			call->calling[0] ? call->calling : "-", call->called[0] ? call->called : "-",
			call->sip_peer ? call->sip_peer->name : "-", call->ss7_peer ? call->ss7_peer->name : "-",
			call->cic, ms_since(&call->t_start, &now) / 1000, VTY_NEWLINE);
		n++;
	}
	vty_out(vty, "%u call(s)%s", n, VTY_NEWLINE);
	return CMD_SUCCESS;
}

DEFUN(show_calls_summary, show_calls_summary_cmd, "show calls summary",
      SHOW_STR "IWF calls in progress\n" "Counters of the call layer\n")
{
	unsigned int i;

	if (!layer.ctrg) {
		vty_out(vty, "%% the call layer is not running%s", VTY_NEWLINE);
		return CMD_WARNING;
	}
	vty_out(vty, "calls in progress: %u%s", iwf_call_count(), VTY_NEWLINE);
	for (i = 0; i < ARRAY_SIZE(iwf_call_ctr_desc); i++)
		vty_out(vty, " %-20s %10" PRIu64 "  %s%s", iwf_call_ctr_desc[i].name,
			rate_ctr_group_get_ctr(layer.ctrg, i)->current, iwf_call_ctr_desc[i].description,
			VTY_NEWLINE);
	return CMD_SUCCESS;
}

void iwf_call_vty_init(void)
{
	install_element_ve(&show_calls_cmd);
	install_element_ve(&show_calls_summary_cmd);
}
