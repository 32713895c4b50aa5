/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz harness of the SCCP codec and reassembly (ss7/sccp.c,
 * ss7/sccp_reasm.c): decode; what decodes re-encodes and decodes again to
 * the same fields; the input as a party address alone likewise; segments
 * go into a reassembly table that lives across inputs (bounded like the
 * daemon's); and the decoded user data, split into XUDT segments and fed
 * back in an order the input chooses, comes out whole. */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/sccp.h"
#include "ss7/sccp_reasm.h"

static void *ctx;
static struct sccp_reasm *shared;

static void setup(void)
{
	static const struct sccp_reasm_cfg cfg = { .max_octets = 3952, .max_segments = 16, .max_parallel = 8 };

	if (ctx)
		return;
	ctx = talloc_named_const(NULL, 0, "sccp_fuzzer");
	if (stiwf_logging_init(ctx) < 0)
		abort();
	log_set_category_filter(osmo_stderr_target, DSS7, 0, LOGL_FATAL);
	shared = sccp_reasm_alloc(ctx, &cfg, NULL, NULL);
	if (!shared)
		abort();
}

static int addr_equal(const struct sccp_addr *a, const struct sccp_addr *b)
{
	return a->national == b->national && a->ri == b->ri && a->has_pc == b->has_pc && a->pc == b->pc &&
	       a->has_ssn == b->has_ssn && a->ssn == b->ssn && a->gt.gti == b->gt.gti && a->gt.tt == b->gt.tt &&
	       a->gt.np == b->gt.np && a->gt.nai == b->gt.nai && !strcmp(a->gt.digits, b->gt.digits);
}

static int msg_equal(const struct sccp_msg *a, const struct sccp_msg *b)
{
	return a->type == b->type && a->proto_class == b->proto_class && a->return_on_error == b->return_on_error &&
	       a->cause == b->cause && a->hop_counter == b->hop_counter &&
	       a->has_segmentation == b->has_segmentation && a->seg.first == b->seg.first &&
	       a->seg.proto_class == b->seg.proto_class && a->seg.remaining == b->seg.remaining &&
	       a->seg.local_ref == b->seg.local_ref && a->has_importance == b->has_importance &&
	       a->importance == b->importance && addr_equal(&a->called, &b->called) &&
	       addr_equal(&a->calling, &b->calling) && a->data_len == b->data_len &&
	       !memcmp(a->data, b->data, a->data_len);
}

/* split m's data into segments for a SIF the input picks, feed them in an
 * order it picks (with one copy), and want the data back */
static void segment_and_reassemble(const struct sccp_msg *m, const uint8_t *data, size_t size)
{
	static const struct sccp_reasm_cfg cfg = { .max_octets = 3952, .max_segments = 16, .max_parallel = 2 };
	struct sccp_msg tmpl = *m, segs[SCCP_SEGMENTS_MAX], out;
	struct sccp_reasm *r;
	unsigned int order[SCCP_SEGMENTS_MAX], i, j, t;
	size_t max_sif = 48 + (size ? data[0] : 0);
	int n, rc = 0;

	if (tmpl.type != SCCP_MSGT_UDT && tmpl.type != SCCP_MSGT_XUDT)
		return;
	tmpl.has_segmentation = 0;
	n = sccp_xudt_segment(&tmpl, m->data, m->data_len, max_sif, 0x10203, segs, SCCP_SEGMENTS_MAX);
	if (n < 0)
		return;
	for (i = 0; i < (unsigned int)n; i++)
		order[i] = i;
	for (i = 0; i + 1 < (unsigned int)n; i++) {
		j = i + data[(i + 1) % size] % (n - i);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	r = sccp_reasm_alloc(ctx, &cfg, NULL, NULL);
	if (!r)
		abort();
	/* a copy of one segment first: ignored later */
	if (n > 1 && sccp_reasm_feed(r, 1, 0, &segs[order[0]], &out) != 0)
		abort();
	for (i = 0; i < (unsigned int)n; i++) {
		rc = sccp_reasm_feed(r, 1, 0, &segs[order[i]], &out);
		if (rc != (i + 1 == (unsigned int)n ? 1 : 0))
			abort();
	}
	if (out.data_len != m->data_len || memcmp(out.data, m->data, m->data_len) ||
	    out.proto_class != tmpl.proto_class)
		abort();
	sccp_reasm_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[8192];
	struct sccp_msg m1, m2, whole;
	struct sccp_addr a1, a2;
	int rc;

	setup();
	rc = sccp_addr_decode(&a1, data, size, NULL, 0);
	if (rc >= 0) {
		if ((size_t)rc != size)
			abort();
		rc = sccp_addr_encode(out, sizeof(out), &a1);
		if (rc > 0 && (sccp_addr_decode(&a2, out, rc, NULL, 0) != rc || !addr_equal(&a1, &a2)))
			abort();
	}

	rc = sccp_msg_decode(&m1, data, size, NULL, 0);
	if (rc < 0)
		return 0;
	if ((size_t)rc != size)
		abort();
	rc = sccp_msg_encode(out, sizeof(out), &m1);
	if (rc > 0) {
		if (sccp_msg_decode(&m2, out, rc, NULL, 0) != rc || !msg_equal(&m1, &m2))
			abort();
	} else if (!(rc == -EMSGSIZE && (m1.has_segmentation || m1.has_importance))) {
		/* what decoded has lengths and pointers that fit, unless its
		 * optional part came before long data: written after it, the
		 * one-octet pointer to it may not reach */
		abort();
	}
	if (m1.type == SCCP_MSGT_XUDT && m1.has_segmentation) {
		rc = sccp_reasm_feed(shared, 100, 0, &m1, &whole);
		if (rc == 1 && whole.data_len > 3952)
			abort();
		if (sccp_reasm_count(shared) > 8)
			abort();
	}
	segment_and_reassemble(&m1, data, size);
	return 0;
}
