/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reassembly of segmented XUDT, Q.714 §4.1.1.3 (see sccp_reasm.h). */

#include <errno.h>
#include <string.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>

#include "src/core/logging.h"
#include "ss7/sccp_reasm.h"

struct osmo_tdef sccp_tdefs[] = {
	{ .T = SCCP_T_REASSEMBLY, .default_val = 10, .unit = OSMO_TDEF_S, .min_val = 1, .max_val = 60,
	  .desc = "T(reassembly): how long segments of an XUDT wait for the rest (Q.714 §4.1.1.3)" },
	{}
};

void sccp_tdefs_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	osmo_tdefs_reset(sccp_tdefs);
}

const struct value_string sccp_reasm_fail_names[] = {
	{ SCCP_REASM_FAIL_TIMEOUT,	"T(reassembly) expired" },
	{ SCCP_REASM_FAIL_INCONSISTENT,	"inconsistent segments" },
	{ SCCP_REASM_FAIL_TOO_LARGE,	"too large" },
	{ SCCP_REASM_FAIL_EVICTED,	"dropped for a newer reassembly" },
	{ 0, NULL }
};

/* One message being reassembled.  Segments are kept by their "remaining
 * segments" value: the first segment, with remaining = R0, comes first,
 * the one with remaining 0 last. */
struct reasm_ctx {
	struct llist_head list;		/* in sccp_reasm.ctxs, oldest first */
	struct sccp_reasm *r;
	uint32_t opc;
	uint32_t local_ref;
	uint8_t key[SCCP_ADDR_MAX_LEN];	/* the encoded calling party address */
	size_t key_len;
	uint8_t c_bit;			/* C of the first segment seen */
	bool have_first;
	uint8_t r0;			/* remaining segments after the first */
	uint8_t *data[SCCP_SEGMENTS_MAX];
	uint8_t len[SCCP_SEGMENTS_MAX];
	uint8_t sls[SCCP_SEGMENTS_MAX];
	struct sccp_msg hdr[SCCP_SEGMENTS_MAX];	/* header of each held segment (data unset) */
	unsigned int held;
	size_t octets;
	struct osmo_timer_list timer;
};

struct sccp_reasm {
	struct sccp_reasm_cfg cfg;
	sccp_reasm_fail_cb fail_cb;
	void *priv;
	struct llist_head ctxs;
	unsigned int count;
	uint8_t *out;			/* the last reassembled user data */
};

static void ctx_free(struct reasm_ctx *c)
{
	osmo_timer_del(&c->timer);
	llist_del(&c->list);
	c->r->count--;
	talloc_free(c);
}

/* Report c as failed and drop it.  Without a held segment, seg (the one
 * that made it fail) is reported. */
static void ctx_fail(struct reasm_ctx *c, enum sccp_reasm_fail_reason reason, const struct sccp_msg *seg,
		     uint8_t seg_sls)
{
	struct sccp_reasm *r = c->r;
	struct sccp_reasm_failure f = {
		.reason = reason,
		.opc = c->opc,
		.held = c->held,
	};
	int i, pick = -1;

	if (c->have_first && c->data[c->r0]) {
		pick = c->r0;
	} else {
		for (i = SCCP_SEGMENTS_MAX - 1; i >= 0; i--) {
			if (c->data[i]) {
				pick = i;
				break;
			}
		}
	}
	if (pick >= 0) {
		f.msg = c->hdr[pick];
		f.msg.data = c->data[pick];
		f.msg.data_len = c->len[pick];
		f.sls = c->sls[pick];
	} else if (seg) {
		f.msg = *seg;
		f.sls = seg_sls;
	}
	LOGP(DSS7, LOGL_NOTICE, "SCCP reassembly from OPC %u, local reference %u: %s, %u segment(s) held: "
	     "dropped\n", c->opc, c->local_ref, get_value_string(sccp_reasm_fail_names, reason), c->held);
	if (r->fail_cb && (pick >= 0 || seg))
		r->fail_cb(r, &f, r->priv);
	ctx_free(c);
}

static void ctx_timeout(void *data)
{
	ctx_fail(data, SCCP_REASM_FAIL_TIMEOUT, NULL, 0);
}

static struct reasm_ctx *ctx_find(struct sccp_reasm *r, uint32_t opc, uint32_t local_ref, const uint8_t *key,
				  size_t key_len)
{
	struct reasm_ctx *c;

	llist_for_each_entry(c, &r->ctxs, list) {
		if (c->opc == opc && c->local_ref == local_ref && c->key_len == key_len &&
		    !memcmp(c->key, key, key_len))
			return c;
	}
	return NULL;
}

static struct reasm_ctx *ctx_new(struct sccp_reasm *r, uint32_t opc, uint32_t local_ref, const uint8_t *key,
				 size_t key_len, uint8_t c_bit)
{
	struct reasm_ctx *c;

	/* the oldest reassembly makes room; it is the likeliest to have
	 * lost a segment */
	if (r->count >= r->cfg.max_parallel && !llist_empty(&r->ctxs))
		ctx_fail(llist_first_entry(&r->ctxs, struct reasm_ctx, list), SCCP_REASM_FAIL_EVICTED, NULL, 0);
	c = talloc_zero(r, struct reasm_ctx);
	if (!c)
		return NULL;
	c->r = r;
	c->opc = opc;
	c->local_ref = local_ref;
	memcpy(c->key, key, key_len);
	c->key_len = key_len;
	c->c_bit = c_bit;
	osmo_timer_setup(&c->timer, ctx_timeout, c);
	osmo_timer_schedule(&c->timer, osmo_tdef_get(sccp_tdefs, SCCP_T_REASSEMBLY, OSMO_TDEF_S, 10), 0);
	llist_add_tail(&c->list, &r->ctxs);
	r->count++;
	return c;
}

/* Is every segment from the first (remaining = r0) to the last there? */
static bool ctx_complete(const struct reasm_ctx *c)
{
	int i;

	if (!c->have_first)
		return false;
	for (i = 0; i <= c->r0; i++) {
		if (!c->data[i])
			return false;
	}
	return true;
}

int sccp_reasm_feed(struct sccp_reasm *r, uint32_t opc, uint8_t sls, const struct sccp_msg *seg,
		    struct sccp_msg *out)
{
	uint8_t key[SCCP_ADDR_MAX_LEN];
	const struct sccp_segmentation *s = &seg->seg;
	struct reasm_ctx *c;
	uint8_t rem = s->remaining;
	size_t off;
	int key_len, i;

	if (!seg->has_segmentation || !seg->data || !seg->data_len || seg->data_len > 255 ||
	    rem >= SCCP_SEGMENTS_MAX)
		return -EINVAL;
	key_len = sccp_addr_encode(key, sizeof(key), &seg->calling);
	if (key_len < 0)
		return -EINVAL;
	c = ctx_find(r, opc, s->local_ref, key, (size_t)key_len);
	if (!c) {
		c = ctx_new(r, opc, s->local_ref, key, (size_t)key_len, s->proto_class);
		if (!c)
			return -ENOMEM;
	}

	/* the number of segments this one implies */
	if ((unsigned int)rem + (s->first ? 1 : 2) > r->cfg.max_segments) {
		ctx_fail(c, SCCP_REASM_FAIL_TOO_LARGE, seg, sls);
		return -EMSGSIZE;
	}
	if (s->proto_class != c->c_bit)
		goto inconsistent;
	if (c->data[rem]) {
		/* the same segment again: harmless when it is a copy */
		if ((rem == c->r0 && c->have_first) != s->first || c->len[rem] != seg->data_len ||
		    memcmp(c->data[rem], seg->data, seg->data_len))
			goto inconsistent;
		LOGP(DSS7, LOGL_INFO, "SCCP segment from OPC %u, local reference %u, remaining %u again: "
		     "ignored\n", opc, s->local_ref, rem);
		return 0;
	}
	if (s->first) {
		if (c->have_first)
			goto inconsistent;
		/* segments seen before the first must come after it */
		for (i = rem; i < SCCP_SEGMENTS_MAX; i++) {
			if (c->data[i])
				goto inconsistent;
		}
		c->have_first = true;
		c->r0 = rem;
	} else if (c->have_first && rem >= c->r0) {
		goto inconsistent;
	}
	if (seg->data_len > r->cfg.max_octets - c->octets) {
		ctx_fail(c, SCCP_REASM_FAIL_TOO_LARGE, seg, sls);
		return -EMSGSIZE;
	}
	c->data[rem] = talloc_memdup(c, seg->data, seg->data_len);
	if (!c->data[rem]) {
		if (s->first)
			c->have_first = false;
		return -ENOMEM;
	}
	c->len[rem] = (uint8_t)seg->data_len;
	c->sls[rem] = sls;
	c->hdr[rem] = *seg;
	c->hdr[rem].data = NULL;
	c->hdr[rem].data_len = 0;
	c->held++;
	c->octets += seg->data_len;
	if (!ctx_complete(c))
		return 0;

	/* all there: the first segment's header, the data in order */
	talloc_free(r->out);
	r->out = talloc_size(r, c->octets);
	if (!r->out) {
		ctx_fail(c, SCCP_REASM_FAIL_TOO_LARGE, NULL, 0);
		return -ENOMEM;
	}
	off = 0;
	for (i = c->r0; i >= 0; i--) {
		memcpy(r->out + off, c->data[i], c->len[i]);
		off += c->len[i];
	}
	*out = c->hdr[c->r0];
	out->type = SCCP_MSGT_XUDT;
	out->proto_class = c->c_bit;
	out->has_segmentation = false;
	memset(&out->seg, 0, sizeof(out->seg));
	out->data = r->out;
	out->data_len = off;
	ctx_free(c);
	return 1;

inconsistent:
	ctx_fail(c, SCCP_REASM_FAIL_INCONSISTENT, seg, sls);
	return -EBADMSG;
}

unsigned int sccp_reasm_count(const struct sccp_reasm *r)
{
	return r->count;
}

static int reasm_destructor(struct sccp_reasm *r)
{
	struct reasm_ctx *c, *c2;

	llist_for_each_entry_safe(c, c2, &r->ctxs, list)
		ctx_free(c);
	return 0;
}

struct sccp_reasm *sccp_reasm_alloc(void *ctx, const struct sccp_reasm_cfg *cfg, sccp_reasm_fail_cb fail_cb,
				    void *priv)
{
	struct sccp_reasm *r;

	if (!cfg || cfg->max_octets < 1 || cfg->max_octets > SCCP_SEGMENTED_DATA_MAX || cfg->max_segments < 1 ||
	    cfg->max_segments > SCCP_SEGMENTS_MAX || cfg->max_parallel < 1)
		return NULL;
	sccp_tdefs_init();
	r = talloc_zero(ctx, struct sccp_reasm);
	if (!r)
		return NULL;
	r->cfg = *cfg;
	r->fail_cb = fail_cb;
	r->priv = priv;
	INIT_LLIST_HEAD(&r->ctxs);
	talloc_set_destructor(r, reasm_destructor);
	return r;
}

void sccp_reasm_free(struct sccp_reasm *r)
{
	talloc_free(r);
}
