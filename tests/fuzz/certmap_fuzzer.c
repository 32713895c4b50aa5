/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz certs/map.c: the domain map file loader (certmap_load_buf(), the
 * format in map.h), then the questions the call path and the MAP border
 * ask of what it built. */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/logging.h>
#include <osmocom/core/talloc.h>

#include "certs/map.h"
#include "src/core/logging.h"

/* A fixed field holds a string: terminated inside it, printable ASCII. */
static void check_field(const char *s, size_t size, bool may_be_empty)
{
	size_t n = strnlen(s, size), i;

	if (n >= size || (!may_be_empty && n == 0))
		abort();
	for (i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			abort();
	}
}

static void check_number(const struct certmap_number *b)
{
	size_t n = strnlen(b->digits, sizeof(b->digits)), i;

	if (n == 0 || n > TNAUTH_TN_MAXLEN)
		abort();
	for (i = 0; i < n; i++) {
		if (b->digits[i] < '0' || b->digits[i] > '9')
			abort();
	}
	switch (b->type) {
	case CERTMAP_NUM_ONE:
	case CERTMAP_NUM_PREFIX:
		if (b->count != 0)
			abort();
		break;
	case CERTMAP_NUM_RANGE:
		if (b->count < 2)
			abort();
		break;
	default:
		abort();
	}
}

/* The first number of block b, when it is one a caller could present. */
static bool block_first_number(char *tn, size_t size, const struct certmap_number *b)
{
	size_t n = strlen(b->digits);

	if (n >= size)
		return false;
	memcpy(tn, b->digits, n + 1);
	return true;
}

/* An entry the loader built holds what the setters allow; the signer it
 * names by key-id or operator code finds it and is granted nothing; the
 * signer whose key it pins (spki-sha256) is granted its numbers. */
static void check_entry(const struct certmap *map, const struct certmap_entry *e)
{
	struct certmap_signer s;
	enum certmap_cover how;
	char tn[TNAUTH_TN_MAXLEN + 1];
	unsigned int i;

	check_field(e->name, sizeof(e->name), false);
	check_field(e->spc, sizeof(e->spc), true);
	check_field(e->op_code, sizeof(e->op_code), true);
	check_field(e->subject, sizeof(e->subject), true);
	if (strchr(e->name, ' ') || strchr(e->spc, ' ') || strchr(e->op_code, ' '))
		abort();
	if (e->num_keyids > CERTMAP_MAX_KEYIDS || e->num_spkis > CERTMAP_MAX_KEYIDS ||
	    e->num_numbers > CERTMAP_MAX_NUMBERS)
		abort();
	for (i = 0; i < e->num_numbers; i++)
		check_number(&e->numbers[i]);
	if (e->num_gt_prefixes > CERTMAP_MAX_GT_PREFIXES || e->num_imsi_prefixes > CERTMAP_MAX_IMSI_PREFIXES)
		abort();
	/* a prefix names exactly one network: its own entry */
	for (i = 0; i < e->num_gt_prefixes; i++) {
		size_t n = strnlen(e->gt_prefixes[i], sizeof(e->gt_prefixes[i]));

		if (n == 0 || n > CERTMAP_GT_MAX || strspn(e->gt_prefixes[i], "0123456789") != n)
			abort();
		if (certmap_entry_by_gt(map, e->gt_prefixes[i]) != e || !certmap_entry_has_gt(e, e->gt_prefixes[i]))
			abort();
	}
	for (i = 0; i < e->num_imsi_prefixes; i++) {
		size_t n = strnlen(e->imsi_prefixes[i], sizeof(e->imsi_prefixes[i]));

		if (n < CERTMAP_IMSI_PREFIX_MIN || n > CERTMAP_IMSI_PREFIX_MAX ||
		    strspn(e->imsi_prefixes[i], "0123456789") != n)
			abort();
		if (certmap_entry_by_imsi(map, e->imsi_prefixes[i]) != e ||
		    !certmap_entry_has_imsi(e, e->imsi_prefixes[i]))
			abort();
	}

	memset(&s, 0, sizeof(s));
	s.trust = CERTMAP_TRUST_OK;
	if (e->op_code[0]) {
		/* found by its code, or by the zero key-id if an entry holds it */
		s.op_code = e->op_code;
		if (!certmap_find_signer(map, &s, NULL))
			abort();
		/* a name grants nothing */
		if (certmap_may_present(map, &s, "4930123456", NULL))
			abort();
		if (e->num_gt_prefixes && certmap_may_use_gt(map, &s, e->gt_prefixes[0], NULL))
			abort();
		s.op_code = NULL;
	}
	if (e->num_keyids > 0) {
		bool pinned = true;

		memcpy(s.key_id, e->keyids[0], KEYID_LEN);
		if (!certmap_find_signer(map, &s, &pinned) || pinned)
			abort();
		if (certmap_may_present(map, &s, "4930123456", NULL))
			abort();
		if (e->num_gt_prefixes && certmap_may_use_gt(map, &s, e->gt_prefixes[0], NULL))
			abort();
	}
	if (e->num_spkis == 0)
		return;
	s.spki_sha256 = e->spkis[0];
	/* an earlier entry may pin the same key and win */
	if (certmap_find_signer(map, &s, NULL) != e)
		return;
	for (i = 0; i < e->num_numbers; i++) {
		if (!block_first_number(tn, sizeof(tn), &e->numbers[i]))
			continue;
		if (!certmap_may_present(map, &s, tn, &how) || how != CERTMAP_COVER_MAP)
			abort();
	}
	if (e->spc[0] && !certmap_same_carrier(map, &s, e->spc))
		abort();
	/* the pinned signer may originate as its global titles, and only
	 * while the trust store vouches for it */
	for (i = 0; i < e->num_gt_prefixes; i++) {
		if (!certmap_may_use_gt(map, &s, e->gt_prefixes[i], NULL))
			abort();
	}
	s.trust = CERTMAP_TRUST_REVOKED;
	if (e->num_gt_prefixes && certmap_may_use_gt(map, &s, e->gt_prefixes[0], NULL))
		abort();
}

/* The names of the "operator NAME" lines, trimmed as the loader trims
 * them; each is looked up in the map.  With rc == 0 every one is there. */
static void check_operators(const struct certmap *map, const char *buf, size_t len, bool all)
{
	char name[CERTMAP_NAME_MAX + 1];
	size_t off = 0;

	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (buf + off)) : len - off;
		const char *p = buf + off, *end = p + n, *hash;
		const struct certmap_entry *e;

		off += n + (nl ? 1 : 0);
		hash = memchr(p, '#', n);
		if (hash)
			end = hash;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(end - p) < 9 || memcmp(p, "operator", 8) || (p[8] != ' ' && p[8] != '\t'))
			continue;
		p += 9;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		if (end == p || (size_t)(end - p) > CERTMAP_NAME_MAX || memchr(p, '\0', end - p)) {
			if (all)
				abort();
			continue;
		}
		memcpy(name, p, end - p);
		name[end - p] = '\0';
		e = certmap_entry_find(map, name);
		if (!e) {
			if (all)
				abort();
			continue;
		}
		if (strcmp(e->name, name))
			abort();
		check_entry(map, e);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool logging_ready;
	const char *buf = (const char *)data;
	struct certmap_answer a;
	struct certmap_signer s;
	struct certmap *map;
	void *ctx;
	int rc;

	if (!logging_ready) {
		/* categories, no targets: LOGP costs nothing */
		log_init(&stiwf_log_info, NULL);
		logging_ready = true;
	}
	/* a context per input, so a leak on any path shows */
	ctx = talloc_named_const(NULL, 0, "certmap_fuzzer");
	if (!ctx)
		abort();
	map = certmap_alloc(ctx);
	if (!map)
		abort();
	rc = certmap_load_buf(map, buf, size);
	if (rc != 0 && rc != -EINVAL)
		abort();
	/* the entries before a refused line stay: check them either way */
	check_operators(map, buf, size, rc == 0);

	/* a signer the map cannot know: no certificate, a key-id of 0xee */
	memset(&s, 0, sizeof(s));
	memset(s.key_id, 0xee, sizeof(s.key_id));
	s.trust = CERTMAP_TRUST_OK;
	s.op_code = "ZZ-OP1";
	if (certmap_assess(map, &s, "+4930123456", "1234", &a) < 0)
		abort();
	/* nothing pins its key, and it brings no numbers of its own */
	if (a.covers || a.same_carrier || a.pinned)
		abort();
	if (certmap_may_use_gt(map, &s, "4930123456", NULL))
		abort();
	s.trust = CERTMAP_TRUST_REVOKED;
	if (certmap_assess(map, &s, "4930123456", "1234", &a) < 0 || a.covers || a.same_carrier)
		abort();

	talloc_free(map);
	if (talloc_total_blocks(ctx) != 1)
		abort();
	talloc_free(ctx);
	return 0;
}
