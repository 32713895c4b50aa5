/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stiwfd as a MAP border node (see map_relay.h). */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <osmocom/core/linuxlist.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>

#include "certs/keyid.h"
#include "certs/map.h"
#include "certs/tsca.h"
#include "iwf/map_dialogue.h"
#include "iwf/map_peer.h"
#include "iwf/map_policy.h"
#include "src/core/evloop.h"
#include "src/core/logging.h"
#include "src/stiwfd/map_relay.h"
#include "src/core/workq.h"
#include "ss7/gsm_map.h"
#include "ss7/sccp_route.h"
#include "ss7/sccp_user.h"
#include "ss7/sigtoken.h"
#include "ss7/tcap.h"
#include "ss7/tcap_sig.h"

#define GT_BUF		(SCCP_GT_DIGITS_MAX + 1)
#define TID_HEX		(2 * TCAP_TID_MAX_LEN + 1)

/* What was found on one direction of a dialogue, for its log line */
struct mr_find {
	enum iwf_map_verdict verdict;
	enum iwf_map_reason reason;
	char signer[KEYID_HEX_LEN];		/* key-id, "" none */
	char op_entry[CERTMAP_NAME_MAX + 1];	/* the map entry pinning it, "" none */
	char orig[SIGTOKEN_E164_MAX + 1];	/* ORIG of the token, "" none */
	bool signed_by_us;
};

struct map_relay;
struct mr_msg;

/* A dialogue's record (iwf_map_dlg.priv, a talloc child of the dialogue) */
struct mr_dlg {
	struct map_relay *r;
	struct iwf_map_dlg *d;
	char peer[2][IWF_PEER_NAME_MAX + 1];
	enum iwf_map_role role;			/* of the originator */
	char calling[GT_BUF], called[GT_BUF];	/* of the Begin */
	char otid[TID_HEX], rtid[TID_HEX];
	bool has_ac;				/* the Begin had a dialogue portion */
	bool not_map;				/* its context is no MAP one (CAMEL, ...) */
	bool has_imsi;
	char imsi[GSM_MAP_IMSI_MAX_DIGITS + 1];
	enum iwf_map_decision_reason reason;	/* of the Begin's decision */
	struct mr_find find[2];
	bool back_seen;
	/* the signer's map entry of each direction (certs/map.c owns it) */
	const struct certmap_entry *entry[2];
	/* later messages of a direction whose first one is being verified */
	struct llist_head queue;
	unsigned int n_queue;
	struct mr_msg *pending[2];
	/* a later message was blocked */
	bool blocked;
	enum iwf_map_decision_reason block_reason;
	const char *block_action;
};

/* One Invoke of a message */
struct mr_inv {
	int64_t opcode;
	enum iwf_map_cat cat;
	bool has_imsi;
	char imsi[GSM_MAP_IMSI_MAX_DIGITS + 1];
};

/* One received message, from arrival to forwarding or blocking */
struct mr_msg {
	struct llist_head entry;		/* r->inflight, or a dialogue's queue */
	struct map_relay *r;
	struct sccp_user_ind ind;		/* ind.msg.data -> data */
	uint8_t *data;
	size_t len;
	struct tcap_msg tcap;			/* slices into data */
	bool tcap_ok;
	unsigned int peer_id;			/* the sender's map-peer (found again by id) */
	char calling[GT_BUF], called[GT_BUF];
	/* its dialogue */
	struct iwf_map_dlg *d;
	enum iwf_map_dlg_dir from;		/* the side that sent it */
	bool first_back;			/* the responder's first message */
	bool new_dialogue;
	bool wrong_side;			/* names a known dialogue, not from its other side */
	bool queued;
	/* its Invokes */
	unsigned int n_inv;
	struct mr_inv inv[TCAP_MAX_COMPONENTS];
	int64_t opcode;				/* of the first Invoke (or component), -1 none */
	enum iwf_map_cat cat;
	bool malformed_map;
	bool not_map;				/* an application context that is no MAP one */
	/* the next hop */
	bool has_route;
	struct sccp_route_result route;
	/* the signature */
	bool dialogue_pdu;			/* AARQ or AARE that can carry one */
	bool has_token;
	struct tcap_sig_token tok;
	uint8_t *stripped;
	size_t stripped_len;
	struct mr_find find;
	const struct certmap_entry *signer_entry;
	bool orig_ok;
	struct tsca_lookup *tsca_req;
	struct sigtoken_key *key;		/* the worker's copy */
	struct stiwf_work work;
	bool async;				/* in r->inflight */
	bool signing;
	int rc;					/* of the worker */
	uint8_t *out;				/* signed message */
	size_t out_len;
};

struct map_relay {
	struct map_relay_cfg cfg;
	uint8_t oid[TCAP_SIG_OID_MAX];
	size_t oid_len;
	struct sccp_user *sccp;
	struct iwf_map_dlg_table *dlgs;
	struct llist_head inflight;
	unsigned int n_inflight;
	/* the dialogue a queue is being drained for, and whether it closed */
	struct iwf_map_dlg *watch;
	bool watch_closed;
};

static void mr_after_attach(struct mr_msg *m);
/* the verdict is known, or there is nothing to verify: decide and act */
static void mr_act(struct mr_msg *m);

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

static int64_t mono_ms(void)
{
	struct timespec ts;

	osmo_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct iwf_map_peer *peer_by_id(const struct map_relay *r, unsigned int id)
{
	struct iwf_map_peer *p;

	llist_for_each_entry(p, &r->cfg.cfg->peers, entry) {
		if (p->id == id)
			return p;
	}
	return NULL;
}

static const char *gt_digits(const struct sccp_addr *a)
{
	return a->gt.gti != SCCP_GTI_NONE ? a->gt.digits : "";
}

static void tid_hex(char *buf, size_t size, const uint8_t *tid, unsigned int len)
{
	osmo_strlcpy(buf, len ? osmo_hexdump_nospc(tid, len) : "", size);
}

/* 1..15 digits 0-9: what ORIG may carry */
static bool e164_gt(const char *s)
{
	size_t n = strnlen(s, SIGTOKEN_E164_MAX + 1);

	return n > 0 && n <= SIGTOKEN_E164_MAX && strspn(s, "0123456789") == n;
}

static void ctr(struct mr_msg *m, enum iwf_map_ctr c)
{
	iwf_map_ctr_inc(m->r->cfg.cfg, peer_by_id(m->r, m->peer_id), m->cat, c);
}

static const char *peer_name(const struct map_relay *r, unsigned int id)
{
	const struct iwf_map_peer *p = peer_by_id(r, id);

	return p ? p->name : "";
}

/* ------------------------------------------------------------------------
 * The log line
 * ------------------------------------------------------------------------ */

static json_t *str_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

static json_t *find_json(const struct mr_find *f)
{
	json_t *o = json_object();

	json_object_set_new(o, "verdict", json_string(get_value_string(iwf_map_verdict_names, f->verdict)));
	json_object_set_new(o, "reason", f->reason != IWF_MAP_R_NONE ?
			    json_string(get_value_string(iwf_map_reason_names, f->reason)) : json_null());
	json_object_set_new(o, "signer", str_or_null(f->signer));
	json_object_set_new(o, "operator", str_or_null(f->op_entry));
	json_object_set_new(o, "orig", str_or_null(f->orig));
	json_object_set_new(o, "signed", json_boolean(f->signed_by_us));
	return o;
}

struct mr_log {
	const char *peer;
	enum iwf_map_role role;
	const char *calling, *called;
	const char *type;
	const char *otid, *dtid;
	int64_t opcode;
	enum iwf_map_cat cat;
	bool has_imsi;
	const char *imsi;
	const struct mr_find *find;
	const char *action;
	enum iwf_map_decision_reason reason;
	const char *block_action;
	const struct mr_find *back;
	const char *back_peer;
	const char *end;
	unsigned int messages;
};

static void log_line(const struct map_relay *r, const struct mr_log *l)
{
	char imsi[GSM_MAP_IMSI_MAX_DIGITS + 1];
	json_t *o = json_object(), *f;
	char *line;

	json_object_set_new(o, "peer", str_or_null(l->peer));
	json_object_set_new(o, "dir", json_string(l->role == IWF_MAP_ROLE_HOME ? "out" : "in"));
	json_object_set_new(o, "calling", str_or_null(l->calling));
	json_object_set_new(o, "called", str_or_null(l->called));
	json_object_set_new(o, "type", json_string(l->type));
	json_object_set_new(o, "otid", str_or_null(l->otid));
	json_object_set_new(o, "dtid", str_or_null(l->dtid));
	json_object_set_new(o, "op", l->opcode >= 0 ? json_integer(l->opcode) : json_null());
	json_object_set_new(o, "op_name", l->opcode >= 0 ?
			    str_or_null(get_value_string_or_null(gsm_map_op_names, (uint32_t)l->opcode)) :
			    json_null());
	json_object_set_new(o, "cat", json_string(get_value_string(iwf_map_cat_names, l->cat)));
	json_object_set_new(o, "imsi", l->has_imsi ?
			    json_string(iwf_map_imsi_masked(imsi, sizeof(imsi), r->cfg.cfg, l->imsi)) : json_null());
	f = find_json(l->find);
	json_object_update(o, f);
	json_decref(f);
	json_object_set_new(o, "action", json_string(l->action));
	json_object_set_new(o, "action_reason", json_string(get_value_string(iwf_map_decision_reason_names,
									     l->reason)));
	json_object_set_new(o, "block_action", str_or_null(l->block_action));
	if (l->back) {
		f = find_json(l->back);
		json_object_set_new(f, "peer", str_or_null(l->back_peer));
		json_object_set_new(o, "back", f);
	} else {
		json_object_set_new(o, "back", json_null());
	}
	json_object_set_new(o, "end", json_string(l->end));
	json_object_set_new(o, "messages", json_integer(l->messages));
	line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!line)
		return;
	LOGP(DMAP, LOGL_NOTICE, "map-log %s\n", line);
	free(line);
}

static const char *first_imsi(const struct mr_msg *m)
{
	unsigned int i;

	for (i = 0; i < m->n_inv; i++) {
		if (m->inv[i].has_imsi)
			return m->inv[i].imsi;
	}
	return NULL;
}

/* One line for a message outside any dialogue */
static void log_message(struct mr_msg *m, const char *action, enum iwf_map_decision_reason reason,
			const char *block_action)
{
	const struct iwf_map_peer *p = peer_by_id(m->r, m->peer_id);
	char otid[TID_HEX] = "", dtid[TID_HEX] = "";
	struct mr_log l = {
		.peer = p ? p->name : NULL,
		.role = p ? p->role : IWF_MAP_ROLE_FOREIGN,
		.calling = m->calling, .called = m->called,
		.type = m->tcap_ok ? get_value_string(tcap_msg_type_names, m->tcap.type) : "malformed",
		.otid = otid, .dtid = dtid,
		.opcode = m->opcode, .cat = m->cat,
		.has_imsi = first_imsi(m) != NULL, .imsi = first_imsi(m),
		.find = &m->find, .action = action, .reason = reason, .block_action = block_action,
		.end = "message", .messages = 1,
	};

	if (m->tcap_ok && m->tcap.has_otid)
		tid_hex(otid, sizeof(otid), m->tcap.otid, m->tcap.otid_len);
	if (m->tcap_ok && m->tcap.has_dtid)
		tid_hex(dtid, sizeof(dtid), m->tcap.dtid, m->tcap.dtid_len);
	log_line(m->r, &l);
}

/* The table closes a dialogue: its line, and what waited for it */
static void dlg_end(struct iwf_map_dlg *d, enum iwf_map_dlg_end why, void *priv)
{
	struct map_relay *r = priv;
	struct mr_dlg *rec = d->priv;
	struct mr_msg *q, *q2;
	unsigned int i;
	struct mr_log l;

	if (r->watch == d)
		r->watch_closed = true;
	if (!rec)
		return;
	memset(&l, 0, sizeof(l));
	l.peer = rec->peer[IWF_MAP_DLG_ORIG];
	l.role = rec->role;
	l.calling = rec->calling;
	l.called = rec->called;
	l.type = "Begin";
	l.otid = rec->otid;
	l.dtid = rec->rtid;
	l.opcode = d->opcode;
	l.cat = d->cat;
	l.has_imsi = rec->has_imsi;
	l.imsi = rec->imsi;
	l.find = &rec->find[IWF_MAP_DLG_ORIG];
	l.action = rec->blocked ? "blocked" : "forwarded";
	l.reason = rec->blocked ? rec->block_reason : rec->reason;
	l.block_action = rec->blocked ? rec->block_action : NULL;
	l.back = rec->back_seen ? &rec->find[IWF_MAP_DLG_RESP] : NULL;
	l.back_peer = rec->peer[IWF_MAP_DLG_RESP];
	l.end = get_value_string(iwf_map_dlg_end_names, why);
	l.messages = d->messages;
	log_line(r, &l);

	/* what waited for a verification of this dialogue goes with it */
	llist_for_each_entry_safe(q, q2, &rec->queue, entry) {
		llist_del(&q->entry);
		iwf_map_ctr_inc(r->cfg.cfg, peer_by_id(r, q->peer_id), q->cat, IWF_MAP_CTR_DROPPED);
		talloc_free(q);
	}
	for (i = 0; i < 2; i++) {
		if (rec->pending[i]) {
			rec->pending[i]->d = NULL;
			rec->pending[i] = NULL;
		}
	}
}

/* ------------------------------------------------------------------------
 * Sending
 * ------------------------------------------------------------------------ */

static void mr_return(struct mr_msg *m, enum sccp_return_cause cause, const char *why)
{
	int rc;

	if (!m->ind.msg.return_on_error) {
		LOGP(DMAP, LOGL_INFO, "MAP from %s: %s; no return asked for: dropped\n", m->calling, why);
		return;
	}
	rc = sccp_user_return(m->r->sccp, &m->ind, cause);
	if (rc < 0)
		LOGP(DMAP, LOGL_NOTICE, "MAP from %s: %s; cannot return it: %s\n", m->calling, why, strerror(-rc));
}

/* Relay m's SCCP message with user data (data, len) by its called GT.
 * \returns 0, or -errno (logged; returned or dropped) */
static int mr_forward(struct mr_msg *m, const uint8_t *data, size_t len)
{
	struct sccp_msg out = m->ind.msg;
	uint32_t local = sccp_user_local_pc(m->r->sccp);
	uint8_t sls = m->d ? m->d->sls : m->ind.mtp.sls;
	int rc;

	if (!m->has_route) {
		LOGP(DMAP, LOGL_NOTICE, "MAP from %s to %s: no route for the called GT\n", m->calling, m->called);
		mr_return(m, SCCP_RC_NO_TRANSLATION_ADDRESS, "no route");
		return -ENOENT;
	}
	if (local && m->route.pc == local) {
		LOGP(DMAP, LOGL_ERROR, "MAP to %s: the route points at this node's own PC: dropped\n", m->called);
		return -ELOOP;
	}
	/* Q.714 §2.3.1: each global title translation counts a hop down */
	if (out.type == SCCP_MSGT_XUDT) {
		if (out.hop_counter <= 1) {
			LOGP(DMAP, LOGL_NOTICE, "MAP from %s to %s: hop counter exhausted\n", m->calling, m->called);
			mr_return(m, SCCP_RC_HOP_COUNTER_VIOLATION, "hop counter violation");
			return -ELOOP;
		}
		out.hop_counter--;
	}
	sccp_route_apply(&m->route, &out.called);
	out.data = data;
	out.data_len = len;
	rc = sccp_user_send(m->r->sccp, m->route.pc, sls, &out);
	if (rc < 0)
		LOGP(DMAP, LOGL_NOTICE, "MAP from %s to %s (PC %s): not sent: %s\n", m->calling, m->called,
		     sccp_user_pc_str(m->r->sccp, m->route.pc), strerror(-rc));
	return rc;
}

/* A TCAP Abort of kind to m's originator, by the route of its calling GT
 * (the OPC when none) */
static int mr_abort(struct mr_msg *m, enum gsm_map_abort kind)
{
	struct sccp_route_result res;
	struct sccp_msg out;
	uint8_t buf[256];
	uint32_t dpc = m->ind.mtp.opc;
	int n;

	n = gsm_map_abort_encode(buf, sizeof(buf), kind, m->tcap.otid, m->tcap.otid_len, m->tcap.acn.data,
				 m->tcap.acn.len);
	if (n < 0)
		return n;
	memset(&out, 0, sizeof(out));
	out.type = SCCP_MSGT_UDT;
	out.proto_class = 0;
	out.called = m->ind.msg.calling;
	out.calling = m->ind.msg.called;
	if (sccp_route_lookup(m->calling, &res) == 0 && m->calling[0]) {
		sccp_route_apply(&res, &out.called);
		dpc = res.pc;
	} else {
		LOGP(DMAP, LOGL_INFO, "MAP: no route for %s: the Abort goes to the OPC %s\n", m->calling,
		     sccp_user_pc_str(m->r->sccp, dpc));
	}
	out.data = buf;
	out.data_len = (size_t)n;
	return sccp_user_send(m->r->sccp, dpc, m->ind.mtp.sls, &out);
}

/* Answer a blocked message as its map-peer says */
static const char *mr_block(struct mr_msg *m, const struct iwf_map_peer *p)
{
	enum iwf_map_block_action a = p ? p->block_action : IWF_MAP_BLOCK_DROP;
	enum gsm_map_abort kind;
	int rc;

	switch (a) {
	case IWF_MAP_BLOCK_UDTS:
		mr_return(m, SCCP_RC_NO_TRANSLATION_ADDRESS, "blocked");
		return m->ind.msg.return_on_error ? "udts" : "drop";
	case IWF_MAP_BLOCK_TC_ABORT:
		if (!m->tcap_ok || !m->tcap.has_otid ||
		    (m->tcap.type != TCAP_MSG_BEGIN && m->tcap.type != TCAP_MSG_CONTINUE)) {
			LOGP(DMAP, LOGL_INFO, "MAP from %s: blocked %s has no transaction to abort: dropped\n",
			     m->calling, m->tcap_ok ? get_value_string(tcap_msg_type_names, m->tcap.type) : "message");
			return "drop";
		}
		if (m->tcap.type == TCAP_MSG_BEGIN)
			kind = m->tcap.dlg_pdu == TCAP_DLG_AARQ ? GSM_MAP_ABORT_REFUSE : GSM_MAP_ABORT_V1;
		else if (!m->d)
			kind = GSM_MAP_ABORT_UNKNOWN_TID;
		else
			kind = ((struct mr_dlg *)m->d->priv)->has_ac ? GSM_MAP_ABORT_USER : GSM_MAP_ABORT_V1;
		rc = mr_abort(m, kind);
		if (rc < 0) {
			LOGP(DMAP, LOGL_NOTICE, "MAP from %s: cannot send the %s: %s\n", m->calling,
			     get_value_string(gsm_map_abort_names, kind), strerror(-rc));
			return "drop";
		}
		return get_value_string(gsm_map_abort_names, kind);
	case IWF_MAP_BLOCK_DROP:
	default:
		return "drop";
	}
}

/* ------------------------------------------------------------------------
 * Receiving
 * ------------------------------------------------------------------------ */

static int msg_destructor(struct mr_msg *m)
{
	struct map_relay *r = m->r;

	if (m->tsca_req)
		tsca_lookup_cancel(m->tsca_req);
	m->tsca_req = NULL;
	if (r->cfg.workq)
		stiwf_workq_cancel(r->cfg.workq, &m->work);
	if (m->async) {
		llist_del(&m->entry);
		r->n_inflight--;
	}
	if (m->d && m->d->priv) {
		struct mr_dlg *rec = m->d->priv;

		if (rec->pending[m->from] == m) {
			rec->pending[m->from] = NULL;
			m->d->pending[m->from] = false;
		}
	}
	return 0;
}

static void async_start(struct mr_msg *m)
{
	struct mr_dlg *rec;

	if (!m->async) {
		llist_add_tail(&m->entry, &m->r->inflight);
		m->r->n_inflight++;
		m->async = true;
	}
	/* the later messages of its direction wait for it */
	if (m->d && m->d->priv) {
		rec = m->d->priv;
		rec->pending[m->from] = m;
		m->d->pending[m->from] = true;
	}
}

/* The Invokes of the message and what MAP says in them */
static void mr_read_map(struct mr_msg *m)
{
	const struct iwf_map_cfg *cfg = m->r->cfg.cfg;
	struct gsm_map_info info;
	unsigned int i;
	int rc;

	m->opcode = -1;
	m->cat = IWF_MAP_CAT_NONE;
	/* the operation codes of other applications (CAMEL shares the ac-Id
	 * arc) mean something else: no MAP category for them */
	if (m->tcap.acn.len) {
		enum gsm_map_ac ac;
		uint8_t version;

		m->not_map = gsm_map_ac_decode(&ac, &version, m->tcap.acn.data, m->tcap.acn.len) < 0;
	}
	for (i = 0; i < m->tcap.num_components; i++) {
		const struct tcap_component *c = &m->tcap.comp[i];
		struct mr_inv *inv;

		if (m->opcode < 0 && c->has_code && !c->code_global)
			m->opcode = c->code_local;
		if (c->type != TCAP_COMP_INVOKE)
			continue;
		inv = &m->inv[m->n_inv++];
		/* a global operation code is no MAP operation: no category */
		inv->opcode = c->has_code && !c->code_global ? c->code_local : -1;
		inv->cat = m->not_map ? IWF_MAP_CAT_NONE : iwf_map_cat_of(&cfg->cats, inv->opcode);
		rc = gsm_map_component_decode(&info, &m->tcap, c);
		if (rc == -EBADMSG)
			m->malformed_map = true;
		if (rc == 0 && info.has_imsi) {
			inv->has_imsi = true;
			OSMO_STRLCPY_ARRAY(inv->imsi, info.imsi);
		}
	}
	for (i = 0; i < m->n_inv; i++) {
		if (m->inv[i].opcode >= 0) {
			m->opcode = m->inv[i].opcode;
			m->cat = m->inv[i].cat;
			break;
		}
	}
}

/* Which dialogue m belongs to, and from which side */
static void mr_attach(struct mr_msg *m)
{
	struct map_relay *r = m->r;
	const struct iwf_map_peer *owner;
	const struct iwf_map_dlg_side *s;
	struct iwf_map_dlg *d;
	enum iwf_map_dlg_dir dir;
	struct mr_dlg *rec;

	m->d = NULL;
	m->new_dialogue = true;
	if (m->tcap.type == TCAP_MSG_BEGIN || m->tcap.type == TCAP_MSG_UNIDIRECTIONAL || !m->tcap.has_dtid)
		return;
	/* the DTID was allocated by the node the message is addressed to */
	owner = iwf_map_peer_by_gt(r->cfg.cfg, m->called);
	if (!owner)
		return;
	d = iwf_map_dlg_find(r->dlgs, owner->id, m->called, m->tcap.dtid, m->tcap.dtid_len, &dir);
	if (!d)
		return;
	m->from = dir == IWF_MAP_DLG_ORIG ? IWF_MAP_DLG_RESP : IWF_MAP_DLG_ORIG;
	s = &d->side[m->from];
	rec = d->priv;
	if (s->bound) {
		/* the other side of the dialogue, and no one else */
		if (s->peer_id != m->peer_id || strcmp(s->gt, m->calling) ||
		    (m->tcap.has_otid && (s->tid_len != m->tcap.otid_len ||
					  memcmp(s->tid, m->tcap.otid, s->tid_len)))) {
			LOGP(DMAP, LOGL_NOTICE, "MAP %s from %s for a dialogue of %s: not its other side\n",
			     get_value_string(tcap_msg_type_names, m->tcap.type), m->calling,
			     s->gt[0] ? s->gt : "?");
			m->wrong_side = true;
			return;
		}
	} else {
		/* the responder's first message: a Continue gives its TID */
		if (m->tcap.type == TCAP_MSG_CONTINUE &&
		    iwf_map_dlg_bind(d, m->peer_id, m->calling, m->tcap.otid, m->tcap.otid_len) < 0)
			return;
		m->first_back = true;
		if (rec) {
			OSMO_STRLCPY_ARRAY(rec->peer[IWF_MAP_DLG_RESP], peer_name(r, m->peer_id));
			if (m->tcap.has_otid)
				tid_hex(rec->rtid, sizeof(rec->rtid), m->tcap.otid, m->tcap.otid_len);
		}
	}
	m->d = d;
	m->new_dialogue = false;
	/* later messages of a dialogue of another application carry no
	 * context of their own */
	if (rec && rec->not_map && !m->not_map) {
		unsigned int i;

		m->not_map = true;
		for (i = 0; i < m->n_inv; i++)
			m->inv[i].cat = IWF_MAP_CAT_NONE;
		m->cat = IWF_MAP_CAT_NONE;
	}
}

/* ---- verification ---- */

static enum iwf_map_reason reason_of_tsca(enum tsca_err err)
{
	switch (err) {
	case TSCA_ERR_UNKNOWN_KEYID:
	case TSCA_ERR_FETCH:
		return IWF_MAP_R_UNKNOWN_SIGNER;
	case TSCA_ERR_REVOKED:
		return IWF_MAP_R_REVOKED;
	case TSCA_ERR_BUSY:
		return IWF_MAP_R_BUSY;
	case TSCA_ERR_INTERNAL:
		return IWF_MAP_R_INTERNAL;
	default:
		return IWF_MAP_R_UNTRUSTED;
	}
}

static void set_invalid(struct mr_msg *m, enum iwf_map_reason reason)
{
	m->find.verdict = IWF_MAP_V_INVALID;
	m->find.reason = reason;
}

static void verify_work(struct stiwf_work *w)
{
	struct mr_msg *m = w->priv;

	m->rc = tcap_sig_verify(&m->tok, m->stripped, m->stripped_len, m->key);
}

/* Loop: the signature is checked; the replay cache and the map are the loop's */
static void verify_done(struct stiwf_work *w)
{
	struct mr_msg *m = w->priv;
	int rc = m->rc;

	TALLOC_FREE(m->key);
	if (rc == 0 && m->r->cfg.replay)
		rc = sigtoken_replay_check(m->r->cfg.replay, &m->tok.hop, stiwf_evloop_time());
	switch (rc) {
	case 0:
		if (m->orig_ok) {
			m->find.verdict = IWF_MAP_V_VALID;
			m->find.reason = IWF_MAP_R_NONE;
		} else {
			set_invalid(m, IWF_MAP_R_ORIG_NOT_AUTHORISED);
		}
		break;
	case -EALREADY:
	case -ESTALE:
		set_invalid(m, IWF_MAP_R_REPLAY);
		break;
	case -ETIMEDOUT:
		set_invalid(m, IWF_MAP_R_STALE);
		break;
	case -ERANGE:
		set_invalid(m, IWF_MAP_R_FUTURE);
		break;
	case -EBADMSG:
	case -EKEYREJECTED:
	case -ENOTSUP:
		set_invalid(m, IWF_MAP_R_BAD_SIGNATURE);
		break;
	case -ENOSPC:
		set_invalid(m, IWF_MAP_R_OVERLOAD);
		break;
	default:
		set_invalid(m, IWF_MAP_R_INTERNAL);
		break;
	}
	if (m->find.verdict != IWF_MAP_V_VALID)
		LOGP(DMAP, LOGL_NOTICE, "MAP from %s: signature of %s: %s\n", m->calling, m->find.signer,
		     get_value_string(iwf_map_reason_names, m->find.reason));
	mr_act(m);
}

static void tsca_done(const struct tsca_result *res, void *priv)
{
	struct mr_msg *m = priv;
	struct map_relay *r = m->r;
	struct certmap_signer signer = { 0 };

	m->tsca_req = NULL;
	if (res->err != TSCA_OK) {
		LOGP(DMAP, LOGL_NOTICE, "MAP from %s: signer %s: %s (%s)\n", m->calling, m->find.signer,
		     get_value_string(tsca_err_names, res->err), res->detail ? res->detail : "");
		set_invalid(m, reason_of_tsca(res->err));
		mr_act(m);
		return;
	}
	/* may this signer originate as the GT its token names?  Only through
	 * the map entry that pins its key (certs/map.h) */
	memcpy(signer.key_id, res->key_id, sizeof(signer.key_id));
	signer.cert = res->leaf;
	signer.spki_sha256 = res->spki_sha256;
	signer.tnauth = res->tnauth;
	signer.trust = CERTMAP_TRUST_OK;
	m->orig_ok = r->cfg.map &&
		     certmap_may_use_gt(r->cfg.map, &signer, m->tok.has_orig ? m->tok.orig_gt : "", &m->signer_entry);
	if (m->signer_entry)
		OSMO_STRLCPY_ARRAY(m->find.op_entry, m->signer_entry->name);

	m->work.work = verify_work;
	m->work.done = verify_done;
	m->work.priv = m;
	m->key = res->key && r->cfg.workq ? sigtoken_key_dup(m, res->key) : NULL;
	if (m->key) {
		async_start(m);
		if (stiwf_workq_submit(r->cfg.workq, &m->work) == 0)
			return;
	}
	/* no pool: on the loop, with the directory's prepared key */
	TALLOC_FREE(m->key);
	m->rc = res->key ? tcap_sig_verify(&m->tok, m->stripped, m->stripped_len, res->key) : -EIO;
	verify_done(&m->work);
}

/* A foreign message with a dialogue PDU: extract, then verify */
static void mr_verify(struct mr_msg *m)
{
	struct map_relay *r = m->r;
	struct iwf_map_peer *p = peer_by_id(r, m->peer_id);
	struct tsca_result res;
	int rc;

	m->stripped = talloc_size(m, m->len);
	if (!m->stripped) {
		set_invalid(m, IWF_MAP_R_INTERNAL);
		mr_act(m);
		return;
	}
	rc = tcap_sig_extract(&m->tok, m->stripped, m->len, &m->stripped_len, m->data, m->len, r->oid,
			      r->oid_len);
	if (rc == -ENOENT) {
		m->find.verdict = IWF_MAP_V_UNSIGNED;
		ctr(m, IWF_MAP_CTR_UNSIGNED);
		mr_act(m);
		return;
	}
	if (rc < 0) {
		LOGP(DMAP, LOGL_NOTICE, "MAP from %s: signature EXTERNAL does not decode\n", m->calling);
		set_invalid(m, IWF_MAP_R_MALFORMED);
		ctr(m, IWF_MAP_CTR_INVALID);
		mr_act(m);
		return;
	}
	m->has_token = true;
	keyid_to_hex(m->find.signer, sizeof(m->find.signer), m->tok.hop.key_id);
	OSMO_STRLCPY_ARRAY(m->find.orig, m->tok.has_orig ? m->tok.orig_gt : "");
	/* ARCHITECTURE §2.2: the window first, no lookup for a stale token */
	rc = sigtoken_iat_check(m->tok.hop.iat, stiwf_evloop_time(), r->cfg.window, r->cfg.skew);
	if (rc < 0) {
		set_invalid(m, rc == -ETIMEDOUT ? IWF_MAP_R_STALE : IWF_MAP_R_FUTURE);
	} else if (!r->cfg.tsca) {
		set_invalid(m, IWF_MAP_R_NO_TRUST);
	} else if (r->n_inflight >= MAP_RELAY_PENDING_MAX) {
		set_invalid(m, IWF_MAP_R_OVERLOAD);
	} else if (tsca_dir_lookup_local(r->cfg.tsca, m->tok.hop.key_id, (time_t)m->tok.hop.iat, &res) == 0) {
		/* the counters of the verdict are counted in mr_act() */
		tsca_done(&res, m);
		return;
	} else {
		async_start(m);
		/* a key-id nobody knows costs a token of the peer's bucket */
		m->tsca_req = tsca_lookup_limited(r->cfg.tsca, m->tok.hop.key_id, (time_t)m->tok.hop.iat,
						  p && p->repo_miss_limit ? &p->repo_bucket : NULL,
						  mono_ms(), tsca_done, m);
		if (m->tsca_req)
			return;
		set_invalid(m, IWF_MAP_R_INTERNAL);
	}
	LOGP(DMAP, LOGL_NOTICE, "MAP from %s: signature of %s not verified: %s\n", m->calling, m->find.signer,
	     get_value_string(iwf_map_reason_names, m->find.reason));
	mr_act(m);
}

/* ---- signing ---- */

static void sign_work(struct stiwf_work *w)
{
	struct mr_msg *m = w->priv;

	m->rc = tcap_sig_sign(m->out, m->len + TCAP_SIG_OVERHEAD, m->data, m->len, m->key, (uint32_t)stiwf_evloop_time(),
			      e164_gt(m->calling) ? m->calling : NULL, m->r->oid, m->r->oid_len);
}

static void sign_done(struct stiwf_work *w)
{
	struct mr_msg *m = w->priv;

	TALLOC_FREE(m->key);
	if (m->rc > 0) {
		m->out_len = (size_t)m->rc;
		m->find.signed_by_us = true;
		ctr(m, IWF_MAP_CTR_SIGNED);
	} else if (m->rc == -EEXIST) {
		LOGP(DMAP, LOGL_INFO, "MAP from %s: carries a signature already: forwarded as it is\n", m->calling);
		m->out_len = 0;
	} else {
		/* our own network's traffic is not held back: it goes unsigned */
		LOGP(DMAP, LOGL_NOTICE, "MAP from %s: not signed: %s; forwarded unsigned\n", m->calling,
		     strerror(-m->rc));
		m->out_len = 0;
	}
	mr_act(m);
}

static void mr_sign(struct mr_msg *m)
{
	struct map_relay *r = m->r;

	m->out = talloc_size(m, m->len + TCAP_SIG_OVERHEAD);
	m->key = m->out ? sigtoken_key_dup(m, r->cfg.sign_key) : NULL;
	if (!m->key) {
		LOGP(DMAP, LOGL_ERROR, "MAP from %s: out of memory: forwarded unsigned\n", m->calling);
		mr_act(m);
		return;
	}
	m->signing = true;
	m->work.work = sign_work;
	m->work.done = sign_done;
	m->work.priv = m;
	if (r->cfg.workq && r->n_inflight < MAP_RELAY_PENDING_MAX) {
		async_start(m);
		if (stiwf_workq_submit(r->cfg.workq, &m->work) == 0)
			return;
	}
	sign_work(&m->work);
	sign_done(&m->work);
}

/* ---- deciding ---- */

/* cat2: is the IMSI of the originator's network?  By the signer's map entry
 * when the verdict is valid, else by the unauthenticated calling GT */
static bool home_check(const struct mr_msg *m, const struct mr_inv *inv, const struct certmap_entry *signer)
{
	const struct certmap_entry *e;

	if (!inv->has_imsi || !m->r->cfg.map)
		return false;
	e = m->find.verdict == IWF_MAP_V_VALID ? signer : certmap_entry_by_gt(m->r->cfg.map, m->calling);
	return certmap_entry_has_imsi(e, inv->imsi);
}

static void mr_decide(struct mr_msg *m, const struct iwf_map_peer *p, struct iwf_map_decision *dec)
{
	struct iwf_map_screen none = { .policy = IWF_MAP_POLICY_SCREEN };
	const struct certmap_entry *signer = m->signer_entry;
	struct iwf_map_facts f = {
		.role = p->role,
		.verdict = m->find.verdict,
		.new_dialogue = m->new_dialogue,
		.wrong_side = m->wrong_side,
		.cat = IWF_MAP_CAT_NONE,
	};
	unsigned int i;

	/* an inherited valid verdict comes with its signer's entry */
	if (!signer && m->d && m->d->priv && m->find.verdict == IWF_MAP_V_VALID)
		signer = ((struct mr_dlg *)m->d->priv)->entry[m->from];
	if (!m->n_inv) {
		iwf_map_decide(p->role == IWF_MAP_ROLE_HOME ? &none : &p->screen, &f, dec);
		return;
	}
	for (i = 0; i < m->n_inv; i++) {
		f.cat = m->inv[i].cat;
		f.home = home_check(m, &m->inv[i], signer);
		iwf_map_decide(p->role == IWF_MAP_ROLE_HOME ? &none : &p->screen, &f, dec);
		if (dec->block) {
			m->cat = m->inv[i].cat;
			m->opcode = m->inv[i].opcode;
			return;
		}
	}
	/* forwarded: the first Invoke's reason */
	f.cat = m->inv[0].cat;
	f.home = home_check(m, &m->inv[0], signer);
	iwf_map_decide(p->role == IWF_MAP_ROLE_HOME ? &none : &p->screen, &f, dec);
}

/* A forwarded Begin opens a dialogue */
static void mr_open(struct mr_msg *m, const struct iwf_map_peer *p, const struct iwf_map_decision *dec)
{
	struct iwf_map_dlg *d;
	struct mr_dlg *rec;
	const char *imsi = first_imsi(m);

	d = iwf_map_dlg_open(m->r->dlgs, m->peer_id, m->calling, m->tcap.otid, m->tcap.otid_len);
	if (!d) {
		LOGP(DMAP, LOGL_ERROR, "MAP from %s: the dialogue cannot be kept\n", m->calling);
		log_message(m, "forwarded", dec->reason, NULL);
		return;
	}
	rec = talloc_zero(d, struct mr_dlg);
	if (!rec) {
		iwf_map_dlg_close(d, IWF_MAP_DLG_END_SHUTDOWN);
		log_message(m, "forwarded", dec->reason, NULL);
		return;
	}
	INIT_LLIST_HEAD(&rec->queue);
	rec->r = m->r;
	rec->d = d;
	d->priv = rec;
	d->sls = m->ind.mtp.sls;
	d->opcode = m->opcode;
	d->cat = m->cat;
	d->verdict[IWF_MAP_DLG_ORIG] = m->find.verdict;
	d->reason[IWF_MAP_DLG_ORIG] = m->find.reason;
	d->messages = 1;
	OSMO_STRLCPY_ARRAY(rec->peer[IWF_MAP_DLG_ORIG], p->name);
	rec->role = p->role;
	OSMO_STRLCPY_ARRAY(rec->calling, m->calling);
	OSMO_STRLCPY_ARRAY(rec->called, m->called);
	tid_hex(rec->otid, sizeof(rec->otid), m->tcap.otid, m->tcap.otid_len);
	rec->has_ac = m->tcap.dlg_pdu != TCAP_DLG_NONE;
	rec->not_map = m->not_map;
	rec->has_imsi = imsi != NULL;
	if (imsi)
		OSMO_STRLCPY_ARRAY(rec->imsi, imsi);
	rec->reason = dec->reason;
	rec->find[IWF_MAP_DLG_ORIG] = m->find;
	rec->entry[IWF_MAP_DLG_ORIG] = m->find.verdict == IWF_MAP_V_VALID ? m->signer_entry : NULL;
}

static void mr_drain(struct map_relay *r, struct iwf_map_dlg *d, enum iwf_map_dlg_dir side)
{
	struct mr_dlg *rec = d->priv;
	struct mr_msg *q;

	if (!rec)
		return;
	r->watch = d;
	r->watch_closed = false;
	while (!llist_empty(&rec->queue) && !d->pending[side]) {
		q = llist_first_entry(&rec->queue, struct mr_msg, entry);
		llist_del(&q->entry);
		rec->n_queue--;
		q->queued = false;
		mr_after_attach(q);
		if (r->watch_closed)
			break;
	}
	r->watch = NULL;
}

static void mr_act(struct mr_msg *m)
{
	struct map_relay *r = m->r;
	const struct iwf_map_peer *p = peer_by_id(r, m->peer_id);
	struct iwf_map_decision dec;
	struct iwf_map_dlg *d = m->d;
	struct mr_dlg *rec = d ? d->priv : NULL;
	enum iwf_map_dlg_dir side = m->from;
	const uint8_t *data = m->data;
	size_t len = m->len;
	const char *how;
	bool was_pending = false;
	int rc;

	/* it no longer holds its dialogue's later messages back */
	if (rec && rec->pending[side] == m) {
		rec->pending[side] = NULL;
		d->pending[side] = false;
		was_pending = true;
	}
	if (!p) {
		/* its map-peer was removed while it was verified */
		ctr(m, IWF_MAP_CTR_DROPPED);
		talloc_free(m);
		if (was_pending)
			mr_drain(r, d, side);
		return;
	}
	/* a dialogue that closed meanwhile: the message is on its own now */
	if (!d && !m->new_dialogue && m->tcap.type != TCAP_MSG_BEGIN)
		m->new_dialogue = true;
	if (p->role == IWF_MAP_ROLE_FOREIGN && m->dialogue_pdu) {
		switch (m->find.verdict) {
		case IWF_MAP_V_VALID:
			ctr(m, IWF_MAP_CTR_VALID);
			break;
		case IWF_MAP_V_INVALID:
			if (m->has_token)
				ctr(m, IWF_MAP_CTR_INVALID);
			break;
		default:
			break;
		}
	}

	mr_decide(m, p, &dec);
	if (dec.block) {
		how = mr_block(m, p);
		ctr(m, IWF_MAP_CTR_BLOCKED);
		LOGP(DMAP, LOGL_INFO, "MAP %s from %s (%s) to %s: blocked (%s), %s\n",
		     get_value_string(tcap_msg_type_names, m->tcap.type), m->calling, p->name, m->called,
		     get_value_string(iwf_map_decision_reason_names, dec.reason), how);
		if (rec) {
			rec->blocked = true;
			rec->block_reason = dec.reason;
			rec->block_action = how;
			if (m->first_back) {
				rec->back_seen = true;
				rec->find[IWF_MAP_DLG_RESP] = m->find;
			}
			d->messages++;
			m->d = NULL;
			iwf_map_dlg_close(d, IWF_MAP_DLG_END_BLOCKED);
		} else {
			log_message(m, "blocked", dec.reason, how);
		}
		talloc_free(m);
		return;
	}

	/* forwarded: signed by us, or without the token when the next hop
	 * does not want it */
	if (m->out_len && !(m->has_route && m->route.strip_signature)) {
		data = m->out;
		len = m->out_len;
	} else if (m->has_token && m->has_route && m->route.strip_signature) {
		data = m->stripped;
		len = m->stripped_len;
	}
	rc = mr_forward(m, data, len);
	ctr(m, rc == 0 ? IWF_MAP_CTR_FORWARDED : IWF_MAP_CTR_DROPPED);

	if (!d) {
		if (m->tcap.type == TCAP_MSG_BEGIN && rc == 0)
			mr_open(m, p, &dec);
		else
			log_message(m, rc == 0 ? "forwarded" : "dropped", dec.reason, NULL);
		talloc_free(m);
		return;
	}
	d->messages++;
	if (m->first_back && rec) {
		rec->back_seen = true;
		rec->find[IWF_MAP_DLG_RESP] = m->find;
		rec->entry[IWF_MAP_DLG_RESP] = m->find.verdict == IWF_MAP_V_VALID ? m->signer_entry : NULL;
		d->verdict[IWF_MAP_DLG_RESP] = m->find.verdict;
		d->reason[IWF_MAP_DLG_RESP] = m->find.reason;
	}
	if (m->tcap.type == TCAP_MSG_END || m->tcap.type == TCAP_MSG_ABORT) {
		m->d = NULL;
		iwf_map_dlg_close(d, m->tcap.type == TCAP_MSG_END ? IWF_MAP_DLG_END_END : IWF_MAP_DLG_END_ABORT);
		talloc_free(m);
		return;
	}
	iwf_map_dlg_touch(d);
	talloc_free(m);
	if (was_pending)
		mr_drain(r, d, side);
}

/* After the dialogue is known: sign, verify, or decide at once */
static void mr_after_attach(struct mr_msg *m)
{
	struct map_relay *r = m->r;
	const struct iwf_map_peer *p = peer_by_id(r, m->peer_id);

	if (!p) {
		talloc_free(m);
		return;
	}
	/* a later message of a direction whose first one is verified waits */
	if (m->d && m->d->pending[m->from]) {
		struct mr_dlg *rec = m->d->priv;

		if (!rec || rec->n_queue >= MAP_RELAY_QUEUE_MAX) {
			LOGP(DMAP, LOGL_NOTICE, "MAP from %s: too many messages wait for a verification: dropped\n",
			     m->calling);
			ctr(m, IWF_MAP_CTR_DROPPED);
			talloc_free(m);
			return;
		}
		llist_add_tail(&m->entry, &rec->queue);
		rec->n_queue++;
		m->queued = true;
		return;
	}
	m->has_route = sccp_route_lookup(m->called, &m->route) == 0 && m->called[0];
	m->dialogue_pdu = (m->tcap.type == TCAP_MSG_BEGIN && m->tcap.dlg_pdu == TCAP_DLG_AARQ) ||
			  ((m->tcap.type == TCAP_MSG_CONTINUE || m->tcap.type == TCAP_MSG_END) &&
			   m->tcap.dlg_pdu == TCAP_DLG_AARE);
	if (p->role == IWF_MAP_ROLE_HOME) {
		m->find.verdict = IWF_MAP_V_HOME;
		if (m->dialogue_pdu && r->cfg.sign_key && !(m->has_route && m->route.strip_signature)) {
			if (m->d)
				async_start(m);
			mr_sign(m);
			return;
		}
		mr_act(m);
		return;
	}
	/* foreign: a dialogue PDU carries its direction's signature; later
	 * messages inherit it */
	if (m->dialogue_pdu) {
		if (m->d)
			async_start(m);
		mr_verify(m);
		return;
	}
	if (m->d) {
		m->find.verdict = m->d->verdict[m->from];
		m->find.reason = m->d->reason[m->from];
		if (m->d->priv) {
			const struct mr_find *f = &((struct mr_dlg *)m->d->priv)->find[m->from];

			OSMO_STRLCPY_ARRAY(m->find.signer, f->signer);
			OSMO_STRLCPY_ARRAY(m->find.op_entry, f->op_entry);
			OSMO_STRLCPY_ARRAY(m->find.orig, f->orig);
		}
		/* the responder's first message without a dialogue portion */
		if (m->first_back)
			m->find.verdict = IWF_MAP_V_UNSIGNED;
	} else {
		m->find.verdict = IWF_MAP_V_UNSIGNED;
	}
	mr_act(m);
}

/* A message that does not decode: forwarded as it is from a home peer or
 * under tag, else blocked (there is no transaction to abort) */
static void mr_malformed(struct mr_msg *m, const struct iwf_map_peer *p)
{
	const char *how;

	ctr(m, IWF_MAP_CTR_MALFORMED);
	set_invalid(m, IWF_MAP_R_MALFORMED);
	m->has_route = sccp_route_lookup(m->called, &m->route) == 0 && m->called[0];
	if (p->role == IWF_MAP_ROLE_HOME || p->screen.policy == IWF_MAP_POLICY_TAG) {
		int rc = mr_forward(m, m->data, m->len);

		ctr(m, rc == 0 ? IWF_MAP_CTR_FORWARDED : IWF_MAP_CTR_DROPPED);
		log_message(m, rc == 0 ? "forwarded" : "dropped",
			    p->role == IWF_MAP_ROLE_HOME ? IWF_MAP_D_HOME : IWF_MAP_D_TAG, NULL);
		return;
	}
	how = mr_block(m, p);
	ctr(m, IWF_MAP_CTR_BLOCKED);
	log_message(m, "blocked", IWF_MAP_D_PASS, how);
}

void map_relay_rx(struct sccp_user *u, const struct sccp_user_ind *ind, void *priv)
{
	struct map_relay *r = priv;
	const struct iwf_map_peer *p;
	struct mr_msg *m;
	int rc;

	m = talloc_zero(r, struct mr_msg);
	if (!m) {
		LOGP(DMAP, LOGL_ERROR, "MAP: out of memory: message dropped\n");
		return;
	}
	talloc_set_destructor(m, msg_destructor);
	INIT_LLIST_HEAD(&m->entry);
	m->r = r;
	m->opcode = -1;
	m->ind = *ind;
	m->len = ind->msg.data_len;
	m->data = talloc_memdup(m, ind->msg.data, m->len);
	if (!m->data) {
		talloc_free(m);
		return;
	}
	m->ind.msg.data = m->data;
	OSMO_STRLCPY_ARRAY(m->calling, gt_digits(&ind->msg.calling));
	OSMO_STRLCPY_ARRAY(m->called, gt_digits(&ind->msg.called));

	p = iwf_map_peer_by_gt(r->cfg.cfg, m->calling);
	if (!p) {
		LOGP(DMAP, LOGL_NOTICE, "MAP from %s (OPC %s): no map-peer for this calling GT: dropped\n",
		     m->calling[0] ? m->calling : "no GT", sccp_user_pc_str(u, ind->mtp.opc));
		iwf_map_ctr_inc(r->cfg.cfg, NULL, IWF_MAP_CAT_NONE, IWF_MAP_CTR_IN);
		iwf_map_ctr_inc(r->cfg.cfg, NULL, IWF_MAP_CAT_NONE, IWF_MAP_CTR_DROPPED);
		talloc_free(m);
		return;
	}
	m->peer_id = p->id;
	/* a map-peer added from the console since the start */
	if (!p->ctrs)
		iwf_map_ctrs_alloc(r->cfg.cfg);

	rc = tcap_msg_decode(&m->tcap, m->data, m->len);
	m->tcap_ok = rc >= 0;
	if (!m->tcap_ok) {
		/* tcap_msg_decode() logged the field */
		LOGP(DMAP, LOGL_NOTICE, "MAP from %s (map-peer %s): TCAP does not decode\n", m->calling, p->name);
		ctr(m, IWF_MAP_CTR_IN);
		mr_malformed(m, p);
		talloc_free(m);
		return;
	}
	mr_read_map(m);
	ctr(m, IWF_MAP_CTR_IN);
	if (m->malformed_map)
		ctr(m, IWF_MAP_CTR_MALFORMED);
	mr_attach(m);
	mr_after_attach(m);
}

void map_relay_notice(struct sccp_user *u, const struct sccp_user_ind *ind, void *priv)
{
	struct map_relay *r = priv;
	struct sccp_route_result res;
	struct sccp_msg out = ind->msg;
	const char *called = gt_digits(&ind->msg.called);
	uint32_t local = sccp_user_local_pc(u);
	int rc;

	/* a returned message goes back to the node that sent it: by the
	 * called GT, as any other (Q.714 §4.2), never back to us */
	if (!called[0] || sccp_route_lookup(called, &res) < 0 || (local && res.pc == local)) {
		LOGP(DMAP, LOGL_INFO, "SCCP %s for %s: no route: dropped\n", sccp_msg_type_name(ind->msg.type),
		     called[0] ? called : "no GT");
		iwf_map_ctr_inc(r->cfg.cfg, NULL, IWF_MAP_CAT_NONE, IWF_MAP_CTR_DROPPED);
		return;
	}
	if (out.type == SCCP_MSGT_XUDTS) {
		if (out.hop_counter <= 1) {
			iwf_map_ctr_inc(r->cfg.cfg, NULL, IWF_MAP_CAT_NONE, IWF_MAP_CTR_DROPPED);
			return;
		}
		out.hop_counter--;
	}
	sccp_route_apply(&res, &out.called);
	rc = sccp_user_send(u, res.pc, ind->mtp.sls, &out);
	if (rc < 0)
		LOGP(DMAP, LOGL_NOTICE, "SCCP %s for %s: not relayed: %s\n", sccp_msg_type_name(ind->msg.type),
		     called, strerror(-rc));
}

/* ------------------------------------------------------------------------
 * The relay
 * ------------------------------------------------------------------------ */

unsigned int map_relay_pending(const struct map_relay *r)
{
	return r ? r->n_inflight : 0;
}

void map_relay_set_sccp(struct map_relay *r, struct sccp_user *u)
{
	r->sccp = u;
}

struct map_relay *map_relay_alloc(void *ctx, const struct map_relay_cfg *cfg)
{
	struct map_relay *r;

	if (!cfg || !cfg->cfg)
		return NULL;
	r = talloc_zero(ctx, struct map_relay);
	if (!r)
		return NULL;
	r->cfg = *cfg;
	if (!r->cfg.window)
		r->cfg.window = SIGTOKEN_WINDOW_DEFAULT;
	if (cfg->oid && cfg->oid_len && cfg->oid_len <= sizeof(r->oid)) {
		memcpy(r->oid, cfg->oid, cfg->oid_len);
		r->oid_len = cfg->oid_len;
	} else {
		memcpy(r->oid, TCAP_STIWF_SIG_OID, TCAP_STIWF_SIG_OID_LEN);
		r->oid_len = TCAP_STIWF_SIG_OID_LEN;
	}
	INIT_LLIST_HEAD(&r->inflight);
	r->dlgs = iwf_map_dlg_table_alloc(r, cfg->cfg->max_dialogues, dlg_end, r);
	if (!r->dlgs || iwf_map_ctrs_alloc(cfg->cfg) < 0) {
		talloc_free(r);
		return NULL;
	}
	cfg->cfg->dialogues = r->dlgs;
	return r;
}

void map_relay_free(struct map_relay *r)
{
	struct mr_msg *m, *m2;

	if (!r)
		return;
	/* what is in progress: lookups and jobs cancelled by the destructor */
	llist_for_each_entry_safe(m, m2, &r->inflight, entry)
		talloc_free(m);
	if (r->cfg.cfg->dialogues == r->dlgs)
		r->cfg.cfg->dialogues = NULL;
	iwf_map_dlg_table_free(r->dlgs);
	r->dlgs = NULL;
	/* the dialogues' lines are written: the counters go with the relay */
	iwf_map_ctrs_free(r->cfg.cfg);
	talloc_free(r);
}
