/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz certs/tnauthlist.c: raw DER TNAuthorizationList (RFC 8226 §9). */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "certs/tnauthlist.h"
#include "src/core/logging.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool logging_ready;
	struct tnauthlist *l = NULL;
	void *ctx;
	char txt[128];
	unsigned int i;
	int rc;

	if (!logging_ready) {
		/* categories, no targets: LOGP costs nothing */
		log_init(&stiwf_log_info, NULL);
		logging_ready = true;
	}
	/* a context per input, so a leak on any path shows */
	ctx = talloc_named_const(NULL, 0, "tnauthlist_fuzzer");
	if (!ctx)
		abort();
	rc = tnauthlist_decode(ctx, &l, data, size);
	if (rc < 0) {
		if (l || talloc_total_blocks(ctx) != 1)
			abort();
		talloc_free(ctx);
		return 0;
	}
	if ((size_t)rc != size || !l || l->num_entries < 1)
		abort();
	for (i = 0; i < l->num_entries; i++) {
		const struct tnauth_entry *e = &l->entries[i];

		if (strnlen(e->str, sizeof(e->str)) >= sizeof(e->str))
			abort();
		if (e->type == TNAUTH_ENTRY_RANGE && e->count < 2)
			abort();
		tnauthlist_entry_to_str(txt, sizeof(txt), e);
		/* ask about the entry's own number and its neighbours */
		tnauthlist_covers_tn(l, e->str);
	}
	tnauthlist_covers_tn(l, "12025550100");
	tnauthlist_covers_tn(l, "999999999999999");
	tnauthlist_count(l, TNAUTH_ENTRY_SPC);
	tnauthlist_first_spc(l);
	/* RFC 9060: a list holds itself, and holds nothing without a list */
	if (!tnauthlist_encompasses(l, l) || tnauthlist_encompasses(NULL, l))
		abort();
	talloc_free(l);
	if (talloc_total_blocks(ctx) != 1)
		abort();
	talloc_free(ctx);
	return 0;
}
