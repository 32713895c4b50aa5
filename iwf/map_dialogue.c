/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The MAP border's dialogue table (see map_dialogue.h). */

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>

#include "iwf/map_dialogue.h"

struct osmo_tdef iwf_map_tdefs[] = {
	{ .T = IWF_MAP_T_DIALOGUE, .default_val = 120, .min_val = 1, .max_val = 3600, .unit = OSMO_TDEF_S,
	  .desc = "MAP border: a dialogue without a message for this long is forgotten" },
	{}
};

void iwf_map_tdefs_init(void)
{
	static bool done;

	if (done)
		return;
	osmo_tdefs_reset(iwf_map_tdefs);
	done = true;
}

const struct value_string iwf_map_dlg_end_names[] = {
	{ IWF_MAP_DLG_END_END,		"end" },
	{ IWF_MAP_DLG_END_ABORT,	"abort" },
	{ IWF_MAP_DLG_END_BLOCKED,	"blocked" },
	{ IWF_MAP_DLG_END_TIMEOUT,	"timeout" },
	{ IWF_MAP_DLG_END_EVICTED,	"evicted" },
	{ IWF_MAP_DLG_END_REPLACED,	"replaced" },
	{ IWF_MAP_DLG_END_SHUTDOWN,	"shutdown" },
	{ 0, NULL }
};

struct iwf_map_dlg_table {
	unsigned int max;
	unsigned int count;
	unsigned int n_buckets;		/* a power of two */
	struct llist_head *buckets;	/* struct iwf_map_dlg_side.hash */
	struct llist_head lru;		/* struct iwf_map_dlg.lru, oldest first */
	uint32_t seed;			/* keys are the network's to choose: no fixed hash */
	iwf_map_dlg_end_cb cb;
	void *priv;
};

/* FNV-1a over the key, from a random seed */
static uint32_t key_hash(const struct iwf_map_dlg_table *t, unsigned int peer_id, const char *gt,
			 const uint8_t *tid, unsigned int tid_len)
{
	uint32_t h = 2166136261u ^ t->seed;
	unsigned int i;

	for (i = 0; i < sizeof(peer_id); i++) {
		h ^= (peer_id >> (8 * i)) & 0xff;
		h *= 16777619u;
	}
	for (; *gt; gt++) {
		h ^= (uint8_t)*gt;
		h *= 16777619u;
	}
	h ^= 0xff;	/* the GT ends here */
	h *= 16777619u;
	for (i = 0; i < tid_len; i++) {
		h ^= tid[i];
		h *= 16777619u;
	}
	return h & (t->n_buckets - 1);
}

static bool key_ok(const char *gt, const uint8_t *tid, unsigned int tid_len)
{
	return gt && strnlen(gt, IWF_MAP_DLG_GT_MAX + 1) <= IWF_MAP_DLG_GT_MAX && tid && tid_len >= 1 &&
	       tid_len <= IWF_MAP_DLG_TID_MAX;
}

static bool side_is(const struct iwf_map_dlg_side *s, unsigned int peer_id, const char *gt, const uint8_t *tid,
		    unsigned int tid_len)
{
	return s->bound && s->peer_id == peer_id && s->tid_len == tid_len && !memcmp(s->tid, tid, tid_len) &&
	       !strcmp(s->gt, gt);
}

static void side_set(struct iwf_map_dlg_table *t, struct iwf_map_dlg_side *s, unsigned int peer_id,
		     const char *gt, const uint8_t *tid, unsigned int tid_len)
{
	s->bound = true;
	s->peer_id = peer_id;
	osmo_strlcpy(s->gt, gt, sizeof(s->gt));
	s->tid_len = tid_len;
	memcpy(s->tid, tid, tid_len);
	llist_add_tail(&s->hash, &t->buckets[key_hash(t, peer_id, gt, tid, tid_len)]);
}

struct iwf_map_dlg *iwf_map_dlg_find(struct iwf_map_dlg_table *t, unsigned int peer_id, const char *gt,
				     const uint8_t *tid, unsigned int tid_len, enum iwf_map_dlg_dir *dir)
{
	struct iwf_map_dlg_side *s;
	struct llist_head *b;

	if (!t || !key_ok(gt, tid, tid_len))
		return NULL;
	b = &t->buckets[key_hash(t, peer_id, gt, tid, tid_len)];
	llist_for_each_entry(s, b, hash) {
		if (!side_is(s, peer_id, gt, tid, tid_len))
			continue;
		if (dir)
			*dir = s == &s->dlg->side[IWF_MAP_DLG_ORIG] ? IWF_MAP_DLG_ORIG : IWF_MAP_DLG_RESP;
		return s->dlg;
	}
	return NULL;
}

static void timer_cb(void *data)
{
	iwf_map_dlg_close(data, IWF_MAP_DLG_END_TIMEOUT);
}

void iwf_map_dlg_touch(struct iwf_map_dlg *d)
{
	llist_del(&d->lru);
	llist_add_tail(&d->lru, &d->table->lru);
	osmo_timer_schedule(&d->timer, osmo_tdef_get(iwf_map_tdefs, IWF_MAP_T_DIALOGUE, OSMO_TDEF_S, 120), 0);
}

struct iwf_map_dlg *iwf_map_dlg_open(struct iwf_map_dlg_table *t, unsigned int peer_id, const char *gt,
				     const uint8_t *tid, unsigned int tid_len)
{
	struct iwf_map_dlg *d;

	if (!t || !key_ok(gt, tid, tid_len))
		return NULL;
	d = iwf_map_dlg_find(t, peer_id, gt, tid, tid_len, NULL);
	if (d)
		iwf_map_dlg_close(d, IWF_MAP_DLG_END_REPLACED);
	if (t->count >= t->max && !llist_empty(&t->lru))
		iwf_map_dlg_close(llist_first_entry(&t->lru, struct iwf_map_dlg, lru), IWF_MAP_DLG_END_EVICTED);
	d = talloc_zero(t, struct iwf_map_dlg);
	if (!d)
		return NULL;
	d->table = t;
	d->opcode = -1;
	INIT_LLIST_HEAD(&d->side[IWF_MAP_DLG_ORIG].hash);
	INIT_LLIST_HEAD(&d->side[IWF_MAP_DLG_RESP].hash);
	d->side[IWF_MAP_DLG_ORIG].dlg = d;
	d->side[IWF_MAP_DLG_RESP].dlg = d;
	side_set(t, &d->side[IWF_MAP_DLG_ORIG], peer_id, gt, tid, tid_len);
	osmo_clock_gettime(CLOCK_MONOTONIC, &d->opened);
	osmo_timer_setup(&d->timer, timer_cb, d);
	llist_add_tail(&d->lru, &t->lru);
	t->count++;
	iwf_map_dlg_touch(d);
	return d;
}

int iwf_map_dlg_bind(struct iwf_map_dlg *d, unsigned int peer_id, const char *gt, const uint8_t *tid,
		     unsigned int tid_len)
{
	if (!d || !key_ok(gt, tid, tid_len))
		return -EINVAL;
	if (d->side[IWF_MAP_DLG_RESP].bound)
		return -EALREADY;
	if (iwf_map_dlg_find(d->table, peer_id, gt, tid, tid_len, NULL))
		return -EEXIST;
	side_set(d->table, &d->side[IWF_MAP_DLG_RESP], peer_id, gt, tid, tid_len);
	return 0;
}

void iwf_map_dlg_close(struct iwf_map_dlg *d, enum iwf_map_dlg_end why)
{
	struct iwf_map_dlg_table *t = d->table;

	osmo_timer_del(&d->timer);
	if (t->cb)
		t->cb(d, why, t->priv);
	llist_del(&d->side[IWF_MAP_DLG_ORIG].hash);
	llist_del(&d->side[IWF_MAP_DLG_RESP].hash);
	llist_del(&d->lru);
	t->count--;
	talloc_free(d);
}

unsigned int iwf_map_dlg_count(const struct iwf_map_dlg_table *t)
{
	return t ? t->count : 0;
}

unsigned int iwf_map_dlg_max(const struct iwf_map_dlg_table *t)
{
	return t ? t->max : 0;
}

struct iwf_map_dlg *iwf_map_dlg_next(struct iwf_map_dlg_table *t, struct iwf_map_dlg *prev)
{
	struct llist_head *next;

	if (!t)
		return NULL;
	next = prev ? prev->lru.next : t->lru.next;
	if (next == &t->lru)
		return NULL;
	return llist_entry(next, struct iwf_map_dlg, lru);
}

struct iwf_map_dlg_table *iwf_map_dlg_table_alloc(void *ctx, unsigned int max, iwf_map_dlg_end_cb cb, void *priv)
{
	struct iwf_map_dlg_table *t;
	unsigned int i;

	if (max < 1)
		return NULL;
	t = talloc_zero(ctx, struct iwf_map_dlg_table);
	if (!t)
		return NULL;
	t->max = max;
	/* about two dialogues a bucket at the bound */
	t->n_buckets = 16;
	while (t->n_buckets < max / 2 && t->n_buckets < (1u << 20))
		t->n_buckets <<= 1;
	t->buckets = talloc_array(t, struct llist_head, t->n_buckets);
	if (!t->buckets) {
		talloc_free(t);
		return NULL;
	}
	for (i = 0; i < t->n_buckets; i++)
		INIT_LLIST_HEAD(&t->buckets[i]);
	INIT_LLIST_HEAD(&t->lru);
	if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) != (ssize_t)sizeof(t->seed))
		t->seed = (uint32_t)(uintptr_t)t;
	t->cb = cb;
	t->priv = priv;
	return t;
}

void iwf_map_dlg_table_free(struct iwf_map_dlg_table *t)
{
	if (!t)
		return;
	while (!llist_empty(&t->lru))
		iwf_map_dlg_close(llist_first_entry(&t->lru, struct iwf_map_dlg, lru), IWF_MAP_DLG_END_SHUTDOWN);
	talloc_free(t);
}
