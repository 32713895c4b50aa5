/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stiwf's own SCCP on a cs7 instance, connectionless part (see
 * sccp_user.h). */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/stats.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "src/core/logging.h"
#include "ss7/sccp_user.h"

/* Largest encoded message: what fits in an M3UA DATA as we send it */
#define SCCP_TX_MAX	4096

struct sccp_user {
	struct llist_head list;		/* in sccp_users */
	struct sccp_user_cfg cfg;
	struct stiwf_mtp_user *mtp;	/* NULL over another transport */
	sccp_user_send_fn send_fn;
	void *send_priv;
	sccp_user_ind_cb rx_cb;
	sccp_user_ind_cb notice_cb;
	void *priv;
	struct sccp_reasm *reasm;
	struct rate_ctr_group *ctrs;
	uint32_t next_local_ref;	/* segmentation local reference, 24 bits */
};

static LLIST_HEAD(sccp_users);

static const struct rate_ctr_desc sccp_user_ctr_desc[] = {
	[SCCP_CTR_RX_UDT]		= { "rx:udt", "UDT received" },
	[SCCP_CTR_RX_XUDT]		= { "rx:xudt", "XUDT received, segments included" },
	[SCCP_CTR_RX_UDTS]		= { "rx:udts", "UDTS received" },
	[SCCP_CTR_RX_XUDTS]		= { "rx:xudts", "XUDTS received" },
	[SCCP_CTR_RX_SEGMENT]		= { "rx:segment", "XUDT segments received" },
	[SCCP_CTR_RX_REASSEMBLED]	= { "rx:reassembled", "messages reassembled from XUDT segments" },
	[SCCP_CTR_TX_UDT]		= { "tx:udt", "UDT sent" },
	[SCCP_CTR_TX_XUDT]		= { "tx:xudt", "XUDT sent, segments included" },
	[SCCP_CTR_TX_SEGMENT]		= { "tx:segment", "XUDT segments sent" },
	[SCCP_CTR_TX_UDTS]		= { "tx:udts", "UDTS sent" },
	[SCCP_CTR_TX_XUDTS]		= { "tx:xudts", "XUDTS sent" },
	[SCCP_CTR_TX_FAILED]		= { "tx:failed", "messages MTP did not take" },
	[SCCP_CTR_DROP_MALFORMED]	= { "drop:malformed", "malformed messages dropped" },
	[SCCP_CTR_DROP_UNSUPPORTED]	= { "drop:unsupported", "messages of a type, GTI or encoding not handled" },
	[SCCP_CTR_DROP_NO_USER]		= { "drop:no_user", "messages without a consumer, dropped" },
	[SCCP_CTR_DROP_REASM_TIMEOUT]	= { "drop:reasm_timeout", "reassemblies failed: T(reassembly) expired" },
	[SCCP_CTR_DROP_REASM_INCONSISTENT] = { "drop:reasm_inconsistent", "reassemblies failed: inconsistent segments" },
	[SCCP_CTR_DROP_REASM_TOO_LARGE]	= { "drop:reasm_too_large", "reassemblies failed: too many octets or segments" },
	[SCCP_CTR_DROP_REASM_EVICTED]	= { "drop:reasm_evicted", "reassemblies dropped for newer ones" },
};

static const struct rate_ctr_group_desc sccp_user_ctrg_desc = {
	.group_name_prefix = "sccp",
	.group_description = "SCCP of stiwf (connectionless)",
	.class_id = OSMO_STATS_CLASS_GLOBAL,
	.num_ctr = ARRAY_SIZE(sccp_user_ctr_desc),
	.ctr_desc = sccp_user_ctr_desc,
};

static void ctr_inc(struct sccp_user *u, unsigned int idx)
{
	rate_ctr_inc(rate_ctr_group_get_ctr(u->ctrs, idx));
}

const char *sccp_user_pc_str(const struct sccp_user *u, uint32_t pc)
{
	static char buf[16];

	if (u->mtp)
		return stiwf_mtp_user_pc_str(u->mtp, pc);
	snprintf(buf, sizeof(buf), "%u", pc);
	return buf;
}

/* Receiving */

static void deliver(struct sccp_user *u, sccp_user_ind_cb cb, const struct sccp_user_ind *ind)
{
	if (!cb) {
		LOGP(DSS7, LOGL_DEBUG, "SCCP %s from OPC %s: no consumer yet: dropped\n",
		     sccp_msg_type_name(ind->msg.type), sccp_user_pc_str(u, ind->mtp.opc));
		ctr_inc(u, SCCP_CTR_DROP_NO_USER);
		return;
	}
	cb(u, ind, u->priv);
}

static void reasm_failed(struct sccp_reasm *r, const struct sccp_reasm_failure *f, void *priv)
{
	struct sccp_user *u = priv;
	struct sccp_user_ind ind = {
		.mtp = { .opc = f->opc, .dpc = sccp_user_local_pc(u), .sls = f->sls },
		.msg = f->msg,
	};
	int rc;

	switch (f->reason) {
	case SCCP_REASM_FAIL_TIMEOUT:
		ctr_inc(u, SCCP_CTR_DROP_REASM_TIMEOUT);
		break;
	case SCCP_REASM_FAIL_INCONSISTENT:
		ctr_inc(u, SCCP_CTR_DROP_REASM_INCONSISTENT);
		break;
	case SCCP_REASM_FAIL_TOO_LARGE:
		ctr_inc(u, SCCP_CTR_DROP_REASM_TOO_LARGE);
		break;
	case SCCP_REASM_FAIL_EVICTED:
		ctr_inc(u, SCCP_CTR_DROP_REASM_EVICTED);
		break;
	}
	/* Q.714 §4.1.1.3: a failed reassembly is returned with "segmentation
	 * failure" when the segments asked for return */
	if (!f->msg.return_on_error)
		return;
	rc = sccp_user_return(u, &ind, SCCP_RC_SEGMENTATION_FAILURE);
	if (rc < 0)
		LOGP(DSS7, LOGL_NOTICE, "SCCP: cannot return the failed reassembly to OPC %s: %s\n",
		     sccp_user_pc_str(u, f->opc), strerror(-rc));
}

void sccp_user_rx(struct sccp_user *u, const struct stiwf_mtp_addr *addr, const uint8_t *data, size_t len)
{
	struct sccp_user_ind ind = { .mtp = *addr };
	struct sccp_msg whole;
	char err[160];
	int rc;

	rc = sccp_msg_decode(&ind.msg, data, len, err, sizeof(err));
	if (rc < 0) {
		LOGP(DSS7, LOGL_NOTICE, "SCCP from OPC %s: %s: dropped\n", sccp_user_pc_str(u, addr->opc), err);
		ctr_inc(u, rc == -ENOTSUP ? SCCP_CTR_DROP_UNSUPPORTED : SCCP_CTR_DROP_MALFORMED);
		return;
	}
	switch (ind.msg.type) {
	case SCCP_MSGT_UDT:
		ctr_inc(u, SCCP_CTR_RX_UDT);
		deliver(u, u->rx_cb, &ind);
		break;
	case SCCP_MSGT_XUDT:
		ctr_inc(u, SCCP_CTR_RX_XUDT);
		if (!ind.msg.has_segmentation) {
			deliver(u, u->rx_cb, &ind);
			break;
		}
		ctr_inc(u, SCCP_CTR_RX_SEGMENT);
		rc = sccp_reasm_feed(u->reasm, addr->opc, addr->sls, &ind.msg, &whole);
		if (rc == 1) {
			ctr_inc(u, SCCP_CTR_RX_REASSEMBLED);
			ind.msg = whole;
			ind.reassembled = true;
			deliver(u, u->rx_cb, &ind);
		} else if (rc == -ENOMEM) {
			LOGP(DSS7, LOGL_ERROR, "SCCP segment from OPC %s: out of memory: dropped\n",
			     sccp_user_pc_str(u, addr->opc));
		}
		/* failures were counted and returned by reasm_failed() */
		break;
	case SCCP_MSGT_UDTS:
		ctr_inc(u, SCCP_CTR_RX_UDTS);
		deliver(u, u->notice_cb, &ind);
		break;
	case SCCP_MSGT_XUDTS:
		ctr_inc(u, SCCP_CTR_RX_XUDTS);
		deliver(u, u->notice_cb, &ind);
		break;
	}
}

/* Sending */

static int send_one(struct sccp_user *u, uint32_t dpc, uint8_t sls, const struct sccp_msg *m)
{
	uint8_t buf[SCCP_TX_MAX];
	int len, rc;

	len = sccp_msg_encode(buf, sizeof(buf), m);
	if (len < 0)
		return len;
	if ((size_t)len + SCCP_MTP3_ROUTING_LABEL_LEN > u->cfg.max_sif)
		return -EMSGSIZE;
	rc = u->send_fn(u, dpc, sls, buf, (size_t)len, u->send_priv);
	if (rc < 0) {
		ctr_inc(u, SCCP_CTR_TX_FAILED);
		return rc;
	}
	switch (m->type) {
	case SCCP_MSGT_UDT:
		ctr_inc(u, SCCP_CTR_TX_UDT);
		break;
	case SCCP_MSGT_XUDT:
		ctr_inc(u, SCCP_CTR_TX_XUDT);
		if (m->has_segmentation)
			ctr_inc(u, SCCP_CTR_TX_SEGMENT);
		break;
	case SCCP_MSGT_UDTS:
		ctr_inc(u, SCCP_CTR_TX_UDTS);
		break;
	case SCCP_MSGT_XUDTS:
		ctr_inc(u, SCCP_CTR_TX_XUDTS);
		break;
	}
	return 0;
}

int sccp_user_send(struct sccp_user *u, uint32_t dpc, uint8_t sls, const struct sccp_msg *m)
{
	struct sccp_msg msg = *m, segs[SCCP_SEGMENTS_MAX];
	int max, n, i, rc;

	if (!m->data || !m->data_len)
		return -EINVAL;
	if ((msg.type == SCCP_MSGT_XUDT || msg.type == SCCP_MSGT_XUDTS) && !msg.hop_counter)
		msg.hop_counter = SCCP_HOP_COUNTER_MAX;
	max = sccp_msg_max_data(&msg, u->cfg.max_sif);
	if (max < 0)
		return max;
	if (msg.data_len <= (size_t)max)
		return send_one(u, dpc, sls, &msg);
	if ((msg.type != SCCP_MSGT_UDT && msg.type != SCCP_MSGT_XUDT) || msg.has_segmentation)
		return -EMSGSIZE;

	/* Q.714 §4.1.1.2: a local reference per message, unique while the
	 * far end may still be reassembling the previous ones */
	n = sccp_xudt_segment(&msg, msg.data, msg.data_len, u->cfg.max_sif, u->next_local_ref, segs,
			      ARRAY_SIZE(segs));
	if (n < 0)
		return n;
	u->next_local_ref = (u->next_local_ref + 1) & 0xffffff;
	for (i = 0; i < n; i++) {
		rc = send_one(u, dpc, sls, &segs[i]);
		if (rc < 0) {
			LOGP(DSS7, LOGL_ERROR, "SCCP: segment %d of %d to %s not sent: %s\n", i + 1, n,
			     sccp_user_pc_str(u, dpc), strerror(-rc));
			return rc;
		}
	}
	LOGP(DSS7, LOGL_DEBUG, "SCCP: %zu octets to %s in %d XUDT segments\n", msg.data_len,
	     sccp_user_pc_str(u, dpc), n);
	return 0;
}

int sccp_user_return(struct sccp_user *u, const struct sccp_user_ind *ind, enum sccp_return_cause cause)
{
	const struct sccp_msg *m = &ind->msg;
	struct sccp_msg r = { 0 };
	int max;

	/* Q.714 §4.2: only what asked for it, and never a UDTS or XUDTS */
	if ((m->type != SCCP_MSGT_UDT && m->type != SCCP_MSGT_XUDT) || !m->return_on_error)
		return -EPERM;
	r.type = m->type == SCCP_MSGT_UDT ? SCCP_MSGT_UDTS : SCCP_MSGT_XUDTS;
	r.cause = (uint8_t)cause;
	r.called = m->calling;
	r.calling = m->called;
	if (r.type == SCCP_MSGT_XUDTS) {
		r.hop_counter = SCCP_HOP_COUNTER_MAX;
		r.has_segmentation = m->has_segmentation;
		r.seg = m->seg;
		r.has_importance = m->has_importance;
		r.importance = m->importance;
	}
	r.data = m->data;
	max = sccp_msg_max_data(&r, u->cfg.max_sif);
	if (max < 0)
		return max;
	if (max == 0)
		return -EMSGSIZE;
	r.data_len = m->data_len < (size_t)max ? m->data_len : (size_t)max;
	if (r.data_len < m->data_len)
		LOGP(DSS7, LOGL_INFO, "SCCP %s to %s: user data cut from %zu to %zu octets\n",
		     sccp_msg_type_name(r.type), sccp_user_pc_str(u, ind->mtp.opc), m->data_len, r.data_len);
	LOGP(DSS7, LOGL_INFO, "SCCP: %s to %s: %s\n", sccp_msg_type_name(r.type), sccp_user_pc_str(u, ind->mtp.opc),
	     sccp_return_cause_name(r.cause));
	return sccp_user_send(u, ind->mtp.opc, ind->mtp.sls, &r);
}

/* The user object */

uint32_t sccp_user_local_pc(const struct sccp_user *u)
{
	return u->mtp ? stiwf_mtp_user_local_pc(u->mtp) : 0;
}

bool sccp_user_available(const struct sccp_user *u)
{
	return u->mtp ? stiwf_mtp_user_available(u->mtp) : true;
}

uint32_t sccp_user_cs7_instance(const struct sccp_user *u)
{
	return u->cfg.cs7_instance;
}

unsigned int sccp_user_reassembling(const struct sccp_user *u)
{
	return sccp_reasm_count(u->reasm);
}

uint64_t sccp_user_ctr_get(const struct sccp_user *u, unsigned int idx)
{
	if (idx >= _NUM_SCCP_CTR)
		return 0;
	return rate_ctr_group_get_ctr(u->ctrs, idx)->current;
}

struct sccp_user *sccp_user_next(struct sccp_user *prev)
{
	struct llist_head *next = prev ? prev->list.next : sccp_users.next;

	if (next == &sccp_users)
		return NULL;
	return llist_entry(next, struct sccp_user, list);
}

static int sccp_user_destructor(struct sccp_user *u)
{
	/* the MTP binding first: nothing may arrive while the rest goes */
	if (u->mtp)
		stiwf_mtp_user_unbind(u->mtp);
	u->mtp = NULL;
	if (u->reasm)
		sccp_reasm_free(u->reasm);
	u->reasm = NULL;
	if (u->ctrs)
		rate_ctr_group_free(u->ctrs);
	llist_del(&u->list);
	return 0;
}

struct sccp_user *sccp_user_alloc(void *ctx, const struct sccp_user_cfg *cfg, sccp_user_send_fn send_fn,
				  void *send_priv, sccp_user_ind_cb rx_cb, sccp_user_ind_cb notice_cb, void *priv)
{
	struct sccp_user *u;

	if (!cfg || !send_fn || cfg->max_sif < SCCP_MTP3_ROUTING_LABEL_LEN || cfg->max_sif > SCCP_TX_MAX)
		return NULL;
	u = talloc_zero(ctx, struct sccp_user);
	if (!u)
		return NULL;
	INIT_LLIST_HEAD(&u->list);
	talloc_set_destructor(u, sccp_user_destructor);
	u->cfg = *cfg;
	u->send_fn = send_fn;
	u->send_priv = send_priv;
	u->rx_cb = rx_cb;
	u->notice_cb = notice_cb;
	u->priv = priv;
	/* a fresh start after a restart, not reusing references the far
	 * end may still hold */
	if (getrandom(&u->next_local_ref, sizeof(u->next_local_ref), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(u->next_local_ref))
		u->next_local_ref = 1;
	u->next_local_ref &= 0xffffff;
	u->reasm = sccp_reasm_alloc(u, &cfg->reasm, reasm_failed, u);
	u->ctrs = rate_ctr_group_alloc(u, &sccp_user_ctrg_desc, cfg->cs7_instance);
	if (!u->reasm || !u->ctrs) {
		talloc_free(u);
		return NULL;
	}
	llist_add_tail(&u->list, &sccp_users);
	return u;
}

static int mtp_send(struct sccp_user *u, uint32_t dpc, uint8_t sls, const uint8_t *data, size_t len, void *priv)
{
	return stiwf_mtp_user_send(u->mtp, dpc, sls, data, len);
}

static void mtp_rx(struct stiwf_mtp_user *mu, const struct stiwf_mtp_addr *addr, const uint8_t *data, size_t len,
		   void *priv)
{
	sccp_user_rx(priv, addr, data, len);
}

struct sccp_user *sccp_user_bind(void *ctx, const struct sccp_user_cfg *cfg, sccp_user_ind_cb rx_cb,
				 sccp_user_ind_cb notice_cb, void *priv)
{
	struct sccp_user *u = sccp_user_alloc(ctx, cfg, mtp_send, NULL, rx_cb, notice_cb, priv);

	if (!u) {
		LOGP(DSS7, LOGL_ERROR, "SCCP on cs7 instance %u: bad configuration or out of memory\n",
		     cfg ? cfg->cs7_instance : 0);
		return NULL;
	}
	u->mtp = stiwf_mtp_user_bind(u, cfg->cs7_instance, STIWF_MTP_SI_SCCP, mtp_rx, NULL, u);
	if (!u->mtp) {
		talloc_free(u);
		return NULL;
	}
	LOGP(DSS7, LOGL_NOTICE, "SCCP on cs7 instance %u: local PC %s, max-message-length %zu\n",
	     cfg->cs7_instance, sccp_user_pc_str(u, sccp_user_local_pc(u)), cfg->max_sif);
	return u;
}

void sccp_user_free(struct sccp_user *u)
{
	talloc_free(u);
}
