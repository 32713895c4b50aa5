/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The MAP border's dialogue table (iwf/map_dialogue.c) on a fake clock:
 * both sides of a dialogue are found by (peer, GT, TID) and carry what was
 * found on its first messages, the bound evicts the least recently used,
 * the timer forgets an idle dialogue (and a message keeps it), a reused TID
 * replaces the old dialogue, and every close is reported once with why. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include <osmocom/core/talloc.h>
#include <osmocom/core/tdef.h>
#include <osmocom/core/timer.h>

#include "iwf/map_dialogue.h"
#include "tests/cunit_main.h"

static void *ctx;

static struct {
	unsigned int n;
	enum iwf_map_dlg_end last;
	void *last_priv;
	unsigned int by_why[IWF_MAP_DLG_END_SHUTDOWN + 1];
} ended;

static void on_end(struct iwf_map_dlg *d, enum iwf_map_dlg_end why, void *priv)
{
	CU_ASSERT_PTR_EQUAL(priv, &ended);
	ended.n++;
	ended.last = why;
	ended.last_priv = d->priv;
	ended.by_why[why]++;
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

static const uint8_t tid_a[] = { 0x10, 0x20, 0x30, 0x40 };
static const uint8_t tid_b[] = { 0x50, 0x60 };

static void test_both_sides(void)
{
	struct iwf_map_dlg_table *t = iwf_map_dlg_table_alloc(ctx, 16, on_end, &ended);
	struct iwf_map_dlg *d, *d2;
	enum iwf_map_dlg_dir dir;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	memset(&ended, 0, sizeof(ended));
	d = iwf_map_dlg_open(t, 1, "4930000001", tid_a, sizeof(tid_a));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(iwf_map_dlg_count(t), 1);
	/* what the Begin was found to be, for the messages after it */
	d->verdict[IWF_MAP_DLG_ORIG] = IWF_MAP_V_VALID;
	d->opcode = 2;
	d->sls = 7;

	/* the first backward Continue finds it by its DTID and called GT */
	CU_ASSERT_PTR_EQUAL(iwf_map_dlg_find(t, 1, "4930000001", tid_a, sizeof(tid_a), &dir), d);
	CU_ASSERT_EQUAL(dir, IWF_MAP_DLG_ORIG);
	/* another peer, GT or TID is another dialogue */
	CU_ASSERT_PTR_NULL(iwf_map_dlg_find(t, 2, "4930000001", tid_a, sizeof(tid_a), NULL));
	CU_ASSERT_PTR_NULL(iwf_map_dlg_find(t, 1, "4930000002", tid_a, sizeof(tid_a), NULL));
	CU_ASSERT_PTR_NULL(iwf_map_dlg_find(t, 1, "4930000001", tid_a, 3, NULL));
	CU_ASSERT_PTR_NULL(iwf_map_dlg_find(t, 1, "493000000", tid_a, sizeof(tid_a), NULL));

	/* and binds the responder */
	CU_ASSERT_EQUAL(iwf_map_dlg_bind(d, 2, "33600000001", tid_b, sizeof(tid_b)), 0);
	d->verdict[IWF_MAP_DLG_RESP] = IWF_MAP_V_UNSIGNED;
	CU_ASSERT_EQUAL(iwf_map_dlg_bind(d, 2, "33600000001", tid_b, sizeof(tid_b)), -EALREADY);
	/* the originator's next Continue finds it by the responder's TID:
	 * the verdicts and the SLS are there */
	d2 = iwf_map_dlg_find(t, 2, "33600000001", tid_b, sizeof(tid_b), &dir);
	CU_ASSERT_PTR_EQUAL(d2, d);
	CU_ASSERT_EQUAL(dir, IWF_MAP_DLG_RESP);
	CU_ASSERT_EQUAL(d2->verdict[IWF_MAP_DLG_ORIG], IWF_MAP_V_VALID);
	CU_ASSERT_EQUAL(d2->verdict[IWF_MAP_DLG_RESP], IWF_MAP_V_UNSIGNED);
	CU_ASSERT_EQUAL(d2->sls, 7);
	CU_ASSERT_EQUAL(d2->opcode, 2);

	/* a second dialogue may not take a key that is in use */
	d2 = iwf_map_dlg_open(t, 3, "4412", tid_b, sizeof(tid_b));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d2);
	CU_ASSERT_EQUAL(iwf_map_dlg_bind(d2, 2, "33600000001", tid_b, sizeof(tid_b)), -EEXIST);
	CU_ASSERT_EQUAL(iwf_map_dlg_bind(d2, 2, "33600000001", tid_b, 0), -EINVAL);
	CU_ASSERT_EQUAL(iwf_map_dlg_bind(d2, 2, "33600000001", tid_b, 5), -EINVAL);

	/* an End closes it: reported once, both keys gone */
	d->priv = (void *)&ended;
	iwf_map_dlg_close(d, IWF_MAP_DLG_END_END);
	CU_ASSERT_EQUAL(ended.n, 1);
	CU_ASSERT_EQUAL(ended.last, IWF_MAP_DLG_END_END);
	CU_ASSERT_PTR_EQUAL(ended.last_priv, &ended);
	CU_ASSERT_PTR_NULL(iwf_map_dlg_find(t, 1, "4930000001", tid_a, sizeof(tid_a), NULL));
	CU_ASSERT_PTR_NULL(iwf_map_dlg_find(t, 2, "33600000001", tid_b, sizeof(tid_b), NULL));
	CU_ASSERT_EQUAL(iwf_map_dlg_count(t), 1);
	/* now the key is free */
	CU_ASSERT_EQUAL(iwf_map_dlg_bind(d2, 2, "33600000001", tid_b, sizeof(tid_b)), 0);

	/* a node that reuses its TID for a new Begin ended the old dialogue */
	d = iwf_map_dlg_open(t, 3, "4412", tid_b, sizeof(tid_b));
	CU_ASSERT_PTR_NOT_NULL(d);
	CU_ASSERT_EQUAL(ended.last, IWF_MAP_DLG_END_REPLACED);
	CU_ASSERT_EQUAL(iwf_map_dlg_count(t), 1);
	/* so did a responder whose TID comes back as an originator's */
	d2 = iwf_map_dlg_open(t, 1, "1", tid_a, 1);
	CU_ASSERT_EQUAL(iwf_map_dlg_bind(d2, 4, "2", tid_a, 2), 0);
	CU_ASSERT_PTR_NOT_NULL(iwf_map_dlg_open(t, 4, "2", tid_a, 2));
	CU_ASSERT_EQUAL(ended.by_why[IWF_MAP_DLG_END_REPLACED], 2);

	/* bad keys */
	CU_ASSERT_PTR_NULL(iwf_map_dlg_open(t, 1, "1", tid_a, 0));
	CU_ASSERT_PTR_NULL(iwf_map_dlg_open(t, 1, "1", tid_a, 5));
	CU_ASSERT_PTR_NULL(iwf_map_dlg_open(t, 1, NULL, tid_a, 1));
	CU_ASSERT_PTR_NULL(iwf_map_dlg_open(t, 1, "123456789012345678901234567890123", tid_a, 1));
	CU_ASSERT_PTR_NOT_NULL(iwf_map_dlg_open(t, 1, "", tid_a, 1));

	/* freeing the table closes what is left */
	memset(&ended, 0, sizeof(ended));
	iwf_map_dlg_table_free(t);
	CU_ASSERT_EQUAL(ended.n, 3);
	CU_ASSERT_EQUAL(ended.by_why[IWF_MAP_DLG_END_SHUTDOWN], 3);
}

static void test_bound(void)
{
	struct iwf_map_dlg_table *t = iwf_map_dlg_table_alloc(ctx, 16, on_end, &ended);
	struct iwf_map_dlg *first = NULL, *d;
	uint8_t tid[4] = { 0 };
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	memset(&ended, 0, sizeof(ended));
	for (i = 0; i < 16; i++) {
		tid[3] = i;
		d = iwf_map_dlg_open(t, 1, "4930", tid, sizeof(tid));
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		if (!first)
			first = d;
	}
	CU_ASSERT_EQUAL(iwf_map_dlg_count(t), 16);
	CU_ASSERT_EQUAL(ended.n, 0);
	/* a message of the first keeps it: the second is now the oldest */
	iwf_map_dlg_touch(first);
	tid[3] = 100;
	CU_ASSERT_PTR_NOT_NULL(iwf_map_dlg_open(t, 1, "4930", tid, sizeof(tid)));
	CU_ASSERT_EQUAL(iwf_map_dlg_count(t), 16);
	CU_ASSERT_EQUAL(ended.n, 1);
	CU_ASSERT_EQUAL(ended.last, IWF_MAP_DLG_END_EVICTED);
	tid[3] = 0;
	CU_ASSERT_PTR_EQUAL(iwf_map_dlg_find(t, 1, "4930", tid, sizeof(tid), NULL), first);
	tid[3] = 1;
	CU_ASSERT_PTR_NULL(iwf_map_dlg_find(t, 1, "4930", tid, sizeof(tid), NULL));
	/* the walk goes least recently used first: the touched one came
	 * after those opened before it */
	d = iwf_map_dlg_next(t, NULL);
	tid[3] = 2;
	CU_ASSERT_PTR_EQUAL(d, iwf_map_dlg_find(t, 1, "4930", tid, sizeof(tid), NULL));
	for (i = 0; d; d = iwf_map_dlg_next(t, d))
		i++;
	CU_ASSERT_EQUAL(i, 16);
	CU_ASSERT_EQUAL(iwf_map_dlg_max(t), 16);
	/* thousands through a table of 16: it stays at its bound */
	for (i = 0; i < 5000; i++) {
		tid[0] = i >> 8;
		tid[1] = i;
		tid[3] = 200;
		CU_ASSERT_PTR_NOT_NULL_FATAL(iwf_map_dlg_open(t, 2, "33", tid, sizeof(tid)));
		CU_ASSERT_FATAL(iwf_map_dlg_count(t) <= 16);
	}
	CU_ASSERT_EQUAL(ended.by_why[IWF_MAP_DLG_END_EVICTED], 5001);
	iwf_map_dlg_table_free(t);
	CU_ASSERT_PTR_NULL(iwf_map_dlg_table_alloc(ctx, 0, on_end, NULL));
}

static void test_timer(void)
{
	struct iwf_map_dlg_table *t = iwf_map_dlg_table_alloc(ctx, 16, on_end, &ended);
	struct iwf_map_dlg *idle, *busy;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	memset(&ended, 0, sizeof(ended));
	CU_ASSERT_EQUAL(osmo_tdef_set(iwf_map_tdefs, IWF_MAP_T_DIALOGUE, 30, OSMO_TDEF_S), 0);
	idle = iwf_map_dlg_open(t, 1, "4930", tid_a, sizeof(tid_a));
	busy = iwf_map_dlg_open(t, 1, "4930", tid_b, sizeof(tid_b));
	CU_ASSERT_PTR_NOT_NULL_FATAL(idle);
	CU_ASSERT_PTR_NOT_NULL_FATAL(busy);
	clock_advance(20);
	iwf_map_dlg_touch(busy);
	CU_ASSERT_EQUAL(ended.n, 0);
	clock_advance(10);
	/* 30 s without a message: forgotten */
	CU_ASSERT_EQUAL(ended.n, 1);
	CU_ASSERT_EQUAL(ended.last, IWF_MAP_DLG_END_TIMEOUT);
	CU_ASSERT_PTR_NULL(iwf_map_dlg_find(t, 1, "4930", tid_a, sizeof(tid_a), NULL));
	CU_ASSERT_PTR_EQUAL(iwf_map_dlg_find(t, 1, "4930", tid_b, sizeof(tid_b), NULL), busy);
	clock_advance(19);
	CU_ASSERT_EQUAL(ended.n, 1);
	clock_advance(1);
	CU_ASSERT_EQUAL(ended.n, 2);
	CU_ASSERT_EQUAL(iwf_map_dlg_count(t), 0);
	/* a closed dialogue's timer does not fire */
	idle = iwf_map_dlg_open(t, 1, "4930", tid_a, sizeof(tid_a));
	iwf_map_dlg_close(idle, IWF_MAP_DLG_END_ABORT);
	clock_advance(31);
	CU_ASSERT_EQUAL(ended.n, 3);
	CU_ASSERT_EQUAL(ended.last, IWF_MAP_DLG_END_ABORT);
	osmo_tdefs_reset(iwf_map_tdefs);
	iwf_map_dlg_table_free(t);
}

static int setup(void *root)
{
	ctx = root;
	iwf_map_tdefs_init();
	osmo_clock_override_enable(CLOCK_MONOTONIC, true);
	osmo_gettimeofday_override = true;
	return 0;
}

static unsigned int teardown(void)
{
	unsigned int failures = 0;

	if (talloc_total_blocks(ctx) != 1) {
		fprintf(stderr, "talloc: %zu blocks left\n", talloc_total_blocks(ctx));
		failures++;
	}
	return failures;
}

static const struct cunit_test tests[] = {
	{ "both sides, inheritance, replaced TIDs", test_both_sides },
	{ "the bound evicts the least recently used", test_bound },
	{ "the dialogue timer", test_timer },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "map dialogues", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "map_dialogue_test",
	.log = CUNIT_LOG_SILENT,
	.setup = setup,
	.teardown = teardown,
	.suites = suites,
};
