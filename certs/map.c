/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The map between the SHAKEN and TSCA trust domains (ARCHITECTURE §3).  See map.h. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "certs/map.h"
#include "src/core/logging.h"

const struct value_string certmap_trust_names[] = {
	{ CERTMAP_TRUST_OK,		"ok" },
	{ CERTMAP_TRUST_UNKNOWN,	"unknown" },
	{ CERTMAP_TRUST_UNTRUSTED,	"untrusted" },
	{ CERTMAP_TRUST_REVOKED,	"revoked" },
	{ 0, NULL }
};

const struct value_string certmap_class_names[] = {
	{ CERTMAP_CLASS_UNKNOWN,	"unknown" },
	{ CERTMAP_CLASS_FULL,		"full" },
	{ CERTMAP_CLASS_PROVISIONAL,	"provisional" },
	{ 0, NULL }
};

const struct value_string certmap_cover_names[] = {
	{ CERTMAP_COVER_NONE,	"none" },
	{ CERTMAP_COVER_CERT,	"certificate" },
	{ CERTMAP_COVER_MAP,	"map" },
	{ 0, NULL }
};

const struct value_string certmap_number_type_names[] = {
	{ CERTMAP_NUM_ONE,	"tn" },
	{ CERTMAP_NUM_RANGE,	"range" },
	{ CERTMAP_NUM_PREFIX,	"prefix" },
	{ 0, NULL }
};

struct certmap {
	unsigned int num_entries;
	struct certmap_entry *entries[CERTMAP_MAX_ENTRIES];	/* talloc children */
	/* [0] full, [1] provisional */
	unsigned int num_oids[2];
	char oids[2][CERTMAP_MAX_OIDS][CERTMAP_OID_MAX + 1];
};

static int oid_class_idx(enum certmap_class cls)
{
	switch (cls) {
	case CERTMAP_CLASS_FULL:
		return 0;
	case CERTMAP_CLASS_PROVISIONAL:
		return 1;
	default:
		return -1;
	}
}

struct certmap *certmap_alloc(void *ctx)
{
	struct certmap *map = talloc_zero(ctx, struct certmap);

	if (!map)
		return NULL;
	talloc_set_name_const(map, "certmap");
	if (certmap_policy_oid_add(map, CERTMAP_CLASS_FULL, CERTMAP_DEFAULT_FULL_OID) < 0 ||
	    certmap_policy_oid_add(map, CERTMAP_CLASS_PROVISIONAL, CERTMAP_DEFAULT_PROV_OID) < 0) {
		talloc_free(map);
		return NULL;
	}
	return map;
}

void certmap_policy_oids_clear(struct certmap *map, enum certmap_class cls)
{
	int i = oid_class_idx(cls);

	if (i >= 0)
		map->num_oids[i] = 0;
}

static bool oid_text_valid(const char *oid, size_t n)
{
	ASN1_OBJECT *obj;
	size_t i;

	if (n == 0 || n > CERTMAP_OID_MAX || oid[0] == '.' || oid[n - 1] == '.' || !strchr(oid, '.'))
		return false;
	for (i = 0; i < n; i++) {
		if ((oid[i] < '0' || oid[i] > '9') && oid[i] != '.')
			return false;
		/* X.660: no empty arc */
		if (oid[i] == '.' && oid[i + 1] == '.')
			return false;
	}
	/* no_name = 1: numeric form only */
	obj = OBJ_txt2obj(oid, 1);
	if (!obj) {
		ERR_clear_error();
		return false;
	}
	ASN1_OBJECT_free(obj);
	return true;
}

int certmap_policy_oid_add(struct certmap *map, enum certmap_class cls, const char *oid)
{
	int c = oid_class_idx(cls);
	size_t n = oid ? strnlen(oid, CERTMAP_OID_MAX + 1) : 0;
	unsigned int i;

	if (c < 0 || !oid_text_valid(oid, n)) {
		LOGP(DCERT, LOGL_ERROR, "map: %s-policy '%s' is not a dotted OID\n",
		     get_value_string(certmap_class_names, cls), oid ? oid : "");
		return -EINVAL;
	}
	for (i = 0; i < map->num_oids[c]; i++) {
		if (!strcmp(map->oids[c][i], oid))
			return -EEXIST;
	}
	if (map->num_oids[c] >= CERTMAP_MAX_OIDS) {
		LOGP(DCERT, LOGL_ERROR, "map: more than %d %s-policy OIDs\n", CERTMAP_MAX_OIDS,
		     get_value_string(certmap_class_names, cls));
		return -ENOSPC;
	}
	memcpy(map->oids[c][map->num_oids[c]], oid, n + 1);
	map->num_oids[c]++;
	return 0;
}

/* printable ASCII without space at the ends: a name, a code, an SPC */
static int copy_token(char *dst, size_t size, const char *src, const char *field, bool spaces)
{
	size_t n = src ? strnlen(src, size) : 0, i;

	if (n == 0 || n >= size) {
		LOGP(DCERT, LOGL_ERROR, "map: %s is empty or longer than %zu characters\n", field, size - 1);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (src[i] < 0x20 || src[i] > 0x7e || (!spaces && src[i] == ' ')) {
			LOGP(DCERT, LOGL_ERROR, "map: %s has a character outside printable ASCII\n", field);
			return -EINVAL;
		}
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

struct certmap_entry *certmap_entry_add(struct certmap *map, const char *name)
{
	struct certmap_entry *e;

	if (map->num_entries >= CERTMAP_MAX_ENTRIES) {
		LOGP(DCERT, LOGL_ERROR, "map: more than %d entries\n", CERTMAP_MAX_ENTRIES);
		return NULL;
	}
	if (name && certmap_entry_find(map, name)) {
		LOGP(DCERT, LOGL_ERROR, "map: operator '%s' defined twice\n", name);
		return NULL;
	}
	e = talloc_zero(map, struct certmap_entry);
	if (!e)
		return NULL;
	if (copy_token(e->name, sizeof(e->name), name, "operator name", false) < 0) {
		talloc_free(e);
		return NULL;
	}
	map->entries[map->num_entries++] = e;
	return e;
}

const struct certmap_entry *certmap_entry_find(const struct certmap *map, const char *name)
{
	unsigned int i;

	for (i = 0; i < map->num_entries; i++) {
		if (!strcmp(map->entries[i]->name, name))
			return map->entries[i];
	}
	return NULL;
}

int certmap_entry_set_spc(struct certmap_entry *e, const char *spc)
{
	return copy_token(e->spc, sizeof(e->spc), spc, "spc", false);
}

int certmap_entry_set_op_code(struct certmap_entry *e, const char *code)
{
	return copy_token(e->op_code, sizeof(e->op_code), code, "code", false);
}

int certmap_entry_set_subject(struct certmap_entry *e, const char *subject)
{
	return copy_token(e->subject, sizeof(e->subject), subject, "subject", true);
}

int certmap_entry_add_keyid(struct certmap_entry *e, const uint8_t key_id[KEYID_LEN])
{
	unsigned int i;

	for (i = 0; i < e->num_keyids; i++) {
		if (!memcmp(e->keyids[i], key_id, KEYID_LEN))
			return 0;
	}
	if (e->num_keyids >= CERTMAP_MAX_KEYIDS) {
		LOGP(DCERT, LOGL_ERROR, "map: operator %s: more than %d key-ids\n", e->name,
		     CERTMAP_MAX_KEYIDS);
		return -ENOSPC;
	}
	memcpy(e->keyids[e->num_keyids++], key_id, KEYID_LEN);
	return 0;
}

int certmap_entry_add_spki(struct certmap_entry *e, const uint8_t spki[KEYID_SPKI_LEN])
{
	unsigned int i;

	for (i = 0; i < e->num_spkis; i++) {
		if (!memcmp(e->spkis[i], spki, KEYID_SPKI_LEN))
			return 0;
	}
	if (e->num_spkis >= CERTMAP_MAX_KEYIDS) {
		LOGP(DCERT, LOGL_ERROR, "map: operator %s: more than %d spki-sha256\n", e->name,
		     CERTMAP_MAX_KEYIDS);
		return -ENOSPC;
	}
	memcpy(e->spkis[e->num_spkis++], spki, KEYID_SPKI_LEN);
	return 0;
}

/* Exactly 2 * KEYID_SPKI_LEN hex digits, either case. */
static int spki_from_hex(uint8_t out[KEYID_SPKI_LEN], const char *hex)
{
	uint8_t half[KEYID_LEN];
	char part[KEYID_HEX_LEN];
	unsigned int i;

	if (strnlen(hex, 2 * KEYID_SPKI_LEN + 1) != 2 * KEYID_SPKI_LEN)
		return -EINVAL;
	/* keyid_from_hex() in KEYID_LEN pieces */
	for (i = 0; i < KEYID_SPKI_LEN / KEYID_LEN; i++) {
		memcpy(part, hex + 2 * KEYID_LEN * i, 2 * KEYID_LEN);
		part[2 * KEYID_LEN] = '\0';
		if (keyid_from_hex(half, part) < 0)
			return -EINVAL;
		memcpy(out + KEYID_LEN * i, half, KEYID_LEN);
	}
	return 0;
}

static bool digits_only(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

/* n <= 15 digits always fit in 64 bits */
static uint64_t digits_value(const char *s, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	return v;
}

int certmap_entry_add_number(struct certmap_entry *e, enum certmap_number_type type,
			     const char *digits, uint64_t count)
{
	size_t n = digits ? strnlen(digits, TNAUTH_TN_MAXLEN + 1) : 0;
	struct certmap_number *num;

	if (n == 0 || n > TNAUTH_TN_MAXLEN || !digits_only(digits, n)) {
		LOGP(DCERT, LOGL_ERROR, "map: operator %s: %s '%s' is not 1..15 digits\n", e->name,
		     get_value_string(certmap_number_type_names, type), digits ? digits : "");
		return -EINVAL;
	}
	switch (type) {
	case CERTMAP_NUM_RANGE:
		/* RFC 8226 §9: count (2..MAX); the range must not leave n digits */
		if (count < 2 || count - 1 > UINT64_MAX - digits_value(digits, n)) {
			LOGP(DCERT, LOGL_ERROR, "map: operator %s: range count %llu out of range\n",
			     e->name, (unsigned long long)count);
			return -EINVAL;
		}
		break;
	case CERTMAP_NUM_ONE:
	case CERTMAP_NUM_PREFIX:
		count = 0;
		break;
	default:
		return -EINVAL;
	}
	if (e->num_numbers >= CERTMAP_MAX_NUMBERS) {
		LOGP(DCERT, LOGL_ERROR, "map: operator %s: more than %d number blocks\n", e->name,
		     CERTMAP_MAX_NUMBERS);
		return -ENOSPC;
	}
	num = &e->numbers[e->num_numbers++];
	num->type = type;
	memcpy(num->digits, digits, n);
	num->digits[n] = '\0';
	num->count = count;
	return 0;
}

/* ------------------------------------------------------------------------
 * Global titles and IMSIs (the MAP border)
 * ------------------------------------------------------------------------ */

static bool listed_in(const char *list, size_t stride, unsigned int n, const char *digits)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!strcmp(list + i * stride, digits))
			return true;
	}
	return false;
}

/* The entry of map (other than none) that lists digits as a gt-prefix
 * (gt true) or an imsi-prefix */
static const struct certmap_entry *prefix_owner(const struct certmap *map, const char *digits, bool gt)
{
	unsigned int i;

	for (i = 0; i < map->num_entries; i++) {
		const struct certmap_entry *e = map->entries[i];

		if (gt && listed_in(e->gt_prefixes[0], sizeof(e->gt_prefixes[0]), e->num_gt_prefixes, digits))
			return e;
		if (!gt && listed_in(e->imsi_prefixes[0], sizeof(e->imsi_prefixes[0]), e->num_imsi_prefixes,
				     digits))
			return e;
	}
	return NULL;
}

int certmap_entry_add_gt_prefix(struct certmap *map, struct certmap_entry *e, const char *digits)
{
	size_t n = digits ? strnlen(digits, CERTMAP_GT_MAX + 1) : 0;
	const struct certmap_entry *owner;

	if (n == 0 || n > CERTMAP_GT_MAX || !digits_only(digits, n)) {
		LOGP(DCERT, LOGL_ERROR, "map: operator %s: gt-prefix '%s' is not 1..%d digits\n", e->name,
		     digits ? digits : "", CERTMAP_GT_MAX);
		return -EINVAL;
	}
	/* one network per global title (map.h) */
	owner = prefix_owner(map, digits, true);
	if (owner) {
		LOGP(DCERT, LOGL_ERROR, "map: operator %s: gt-prefix %s is listed by operator %s already\n",
		     e->name, digits, owner->name);
		return -EEXIST;
	}
	if (e->num_gt_prefixes >= CERTMAP_MAX_GT_PREFIXES) {
		LOGP(DCERT, LOGL_ERROR, "map: operator %s: more than %d gt-prefix lines\n", e->name,
		     CERTMAP_MAX_GT_PREFIXES);
		return -ENOSPC;
	}
	memcpy(e->gt_prefixes[e->num_gt_prefixes], digits, n + 1);
	e->num_gt_prefixes++;
	return 0;
}

int certmap_entry_add_imsi_prefix(struct certmap *map, struct certmap_entry *e, const char *digits)
{
	size_t n = digits ? strnlen(digits, CERTMAP_IMSI_PREFIX_MAX + 1) : 0;
	const struct certmap_entry *owner;

	/* TS 23.003 §2.2: MCC is 3 digits, MNC 2 or 3 */
	if (n < CERTMAP_IMSI_PREFIX_MIN || n > CERTMAP_IMSI_PREFIX_MAX || !digits_only(digits, n)) {
		LOGP(DCERT, LOGL_ERROR, "map: operator %s: imsi-prefix '%s' is not MCC+MNC (%d or %d digits)\n",
		     e->name, digits ? digits : "", CERTMAP_IMSI_PREFIX_MIN, CERTMAP_IMSI_PREFIX_MAX);
		return -EINVAL;
	}
	owner = prefix_owner(map, digits, false);
	if (owner) {
		LOGP(DCERT, LOGL_ERROR, "map: operator %s: imsi-prefix %s is listed by operator %s already\n",
		     e->name, digits, owner->name);
		return -EEXIST;
	}
	if (e->num_imsi_prefixes >= CERTMAP_MAX_IMSI_PREFIXES) {
		LOGP(DCERT, LOGL_ERROR, "map: operator %s: more than %d imsi-prefix lines\n", e->name,
		     CERTMAP_MAX_IMSI_PREFIXES);
		return -ENOSPC;
	}
	memcpy(e->imsi_prefixes[e->num_imsi_prefixes], digits, n + 1);
	e->num_imsi_prefixes++;
	return 0;
}

/* The length of the longest prefix of list (n entries of stride octets)
 * that s starts with, 0 for none */
static size_t longest_prefix(const char *list, size_t stride, unsigned int n, const char *s)
{
	size_t best = 0, len;
	unsigned int i;

	for (i = 0; i < n; i++) {
		const char *p = list + i * stride;

		len = strlen(p);
		if (len > best && !strncmp(s, p, len))
			best = len;
	}
	return best;
}

/* s: 1..max digits */
static bool digit_string(const char *s, size_t max)
{
	size_t n = s ? strnlen(s, max + 1) : 0;

	return n > 0 && n <= max && digits_only(s, n);
}

const struct certmap_entry *certmap_entry_by_gt(const struct certmap *map, const char *gt)
{
	const struct certmap_entry *best = NULL;
	size_t best_len = 0, len;
	unsigned int i;

	if (!map || !digit_string(gt, CERTMAP_GT_MAX))
		return NULL;
	for (i = 0; i < map->num_entries; i++) {
		const struct certmap_entry *e = map->entries[i];

		len = longest_prefix(e->gt_prefixes[0], sizeof(e->gt_prefixes[0]), e->num_gt_prefixes, gt);
		if (len > best_len) {
			best = e;
			best_len = len;
		}
	}
	return best;
}

const struct certmap_entry *certmap_entry_by_imsi(const struct certmap *map, const char *imsi)
{
	const struct certmap_entry *best = NULL;
	size_t best_len = 0, len;
	unsigned int i;

	/* TS 23.003 §2.2: at most 15 digits */
	if (!map || !digit_string(imsi, 15))
		return NULL;
	for (i = 0; i < map->num_entries; i++) {
		const struct certmap_entry *e = map->entries[i];

		len = longest_prefix(e->imsi_prefixes[0], sizeof(e->imsi_prefixes[0]), e->num_imsi_prefixes, imsi);
		if (len > best_len) {
			best = e;
			best_len = len;
		}
	}
	return best;
}

bool certmap_entry_has_imsi(const struct certmap_entry *e, const char *imsi)
{
	if (!e || !digit_string(imsi, 15))
		return false;
	return longest_prefix(e->imsi_prefixes[0], sizeof(e->imsi_prefixes[0]), e->num_imsi_prefixes, imsi) > 0;
}

bool certmap_entry_has_gt(const struct certmap_entry *e, const char *gt)
{
	if (!e || !digit_string(gt, CERTMAP_GT_MAX))
		return false;
	return longest_prefix(e->gt_prefixes[0], sizeof(e->gt_prefixes[0]), e->num_gt_prefixes, gt) > 0;
}

/* ------------------------------------------------------------------------
 * The text loader
 * ------------------------------------------------------------------------ */

/* Split "key value": key is the first word, value the rest, trimmed. */
static void split_line(char *line, char **key, char **val)
{
	char *p, *end;

	p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	*key = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p)
		*p++ = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	*val = p;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
}

/* A decimal count with an explicit maximum and an overflow check. */
static int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t i, n = strlen(s);

	if (n == 0 || n > 20)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static int load_line(struct certmap *map, struct certmap_entry **cur, bool replaced[2],
		     char *key, char *val)
{
	uint8_t id[KEYID_LEN], spki[KEYID_SPKI_LEN];
	uint64_t count;
	char *sp;
	int c;

	if (!strcmp(key, "full-policy") || !strcmp(key, "provisional-policy")) {
		enum certmap_class cls = key[0] == 'f' ? CERTMAP_CLASS_FULL : CERTMAP_CLASS_PROVISIONAL;

		c = oid_class_idx(cls);
		if (!replaced[c]) {
			certmap_policy_oids_clear(map, cls);
			replaced[c] = true;
		}
		c = certmap_policy_oid_add(map, cls, val);
		return c == -EEXIST ? 0 : c;
	}
	if (!strcmp(key, "operator")) {
		*cur = certmap_entry_add(map, val);
		return *cur ? 0 : -EINVAL;
	}
	if (!*cur) {
		LOGP(DCERT, LOGL_ERROR, "map: '%s' outside an operator\n", key);
		return -EINVAL;
	}
	if (!strcmp(key, "spc"))
		return certmap_entry_set_spc(*cur, val);
	if (!strcmp(key, "code"))
		return certmap_entry_set_op_code(*cur, val);
	if (!strcmp(key, "subject"))
		return certmap_entry_set_subject(*cur, val);
	if (!strcmp(key, "key-id")) {
		if (keyid_from_hex(id, val) < 0) {
			LOGP(DCERT, LOGL_ERROR, "map: operator %s: key-id '%s' is not %d hex digits\n",
			     (*cur)->name, val, 2 * KEYID_LEN);
			return -EINVAL;
		}
		return certmap_entry_add_keyid(*cur, id);
	}
	if (!strcmp(key, "spki-sha256")) {
		if (spki_from_hex(spki, val) < 0) {
			LOGP(DCERT, LOGL_ERROR, "map: operator %s: spki-sha256 '%s' is not %d hex digits\n",
			     (*cur)->name, val, 2 * KEYID_SPKI_LEN);
			return -EINVAL;
		}
		return certmap_entry_add_spki(*cur, spki);
	}
	if (!strcmp(key, "gt-prefix"))
		return certmap_entry_add_gt_prefix(map, *cur, val);
	if (!strcmp(key, "imsi-prefix"))
		return certmap_entry_add_imsi_prefix(map, *cur, val);
	if (!strcmp(key, "tn"))
		return certmap_entry_add_number(*cur, CERTMAP_NUM_ONE, val, 0);
	if (!strcmp(key, "prefix"))
		return certmap_entry_add_number(*cur, CERTMAP_NUM_PREFIX, val, 0);
	if (!strcmp(key, "range")) {
		sp = strchr(val, ' ');
		if (!sp)
			sp = strchr(val, '\t');
		if (!sp) {
			LOGP(DCERT, LOGL_ERROR, "map: operator %s: range needs START COUNT\n", (*cur)->name);
			return -EINVAL;
		}
		*sp++ = '\0';
		while (*sp == ' ' || *sp == '\t')
			sp++;
		if (parse_u64(sp, &count) < 0) {
			LOGP(DCERT, LOGL_ERROR, "map: operator %s: range count '%s' is not a number\n",
			     (*cur)->name, sp);
			return -EINVAL;
		}
		return certmap_entry_add_number(*cur, CERTMAP_NUM_RANGE, val, count);
	}
	LOGP(DCERT, LOGL_ERROR, "map: unknown directive '%s'\n", key);
	return -EINVAL;
}

int certmap_load_buf(struct certmap *map, const char *buf, size_t len)
{
	struct certmap_entry *cur = NULL;
	bool replaced[2] = { false, false };
	char line[CERTMAP_LINE_MAX + 1];
	unsigned int lineno = 0, first = map->num_entries, i;
	size_t off = 0;

	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (buf + off)) : len - off;
		char *key, *val, *hash;
		int rc;

		lineno++;
		if (n > CERTMAP_LINE_MAX) {
			LOGP(DCERT, LOGL_ERROR, "map: line %u longer than %d characters\n", lineno,
			     CERTMAP_LINE_MAX);
			return -EINVAL;
		}
		memcpy(line, buf + off, n);
		line[n] = '\0';
		off += n + (nl ? 1 : 0);
		if (strlen(line) != n) {
			LOGP(DCERT, LOGL_ERROR, "map: line %u holds a NUL\n", lineno);
			return -EINVAL;
		}
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		split_line(line, &key, &val);
		if (!*key)
			continue;
		if (!*val) {
			LOGP(DCERT, LOGL_ERROR, "map: line %u: '%s' without a value\n", lineno, key);
			return -EINVAL;
		}
		rc = load_line(map, &cur, replaced, key, val);
		if (rc < 0) {
			LOGP(DCERT, LOGL_ERROR, "map: line %u rejected\n", lineno);
			return -EINVAL;
		}
	}
	/* map.h: only a pinned key grants an entry's authority */
	for (i = first; i < map->num_entries; i++) {
		const struct certmap_entry *e = map->entries[i];

		if (e->num_spkis == 0 && (e->num_numbers > 0 || e->spc[0] || e->num_gt_prefixes > 0))
			LOGP(DCERT, LOGL_NOTICE, "map: operator %s has no spki-sha256: its numbers, SPC "
			     "and global titles are granted to no signer\n", e->name);
	}
	return 0;
}

int certmap_load_file(struct certmap *map, const char *path)
{
	char *buf;
	size_t len = 0;
	ssize_t r;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		LOGP(DCERT, LOGL_ERROR, "map: cannot open %s: %s\n", path, strerror(-rc));
		return rc;
	}
	buf = talloc_size(map, CERTMAP_FILE_MAX + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		r = read(fd, buf + len, CERTMAP_FILE_MAX + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			LOGP(DCERT, LOGL_ERROR, "map: cannot read %s: %s\n", path, strerror(-rc));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > CERTMAP_FILE_MAX) {
			LOGP(DCERT, LOGL_ERROR, "map: %s is larger than %d octets\n", path, CERTMAP_FILE_MAX);
			rc = -EFBIG;
			goto out;
		}
	}
	rc = certmap_load_buf(map, buf, len);
out:
	close(fd);
	talloc_free(buf);
	return rc;
}

/* ------------------------------------------------------------------------
 * Questions
 * ------------------------------------------------------------------------ */

int certmap_subject_str(char *buf, size_t size, X509 *cert)
{
	BIO *bio;
	char *data;
	long n;
	int rc;

	if (size > 0)
		buf[0] = '\0';
	if (!cert)
		return -EINVAL;
	bio = BIO_new(BIO_s_mem());
	if (!bio)
		return -ENOMEM;
	/* RFC 2253: most specific RDN first, escaped, one line */
	if (X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) < 0) {
		rc = -EINVAL;
		goto out;
	}
	n = BIO_get_mem_data(bio, &data);
	if (n < 0 || (size_t)n >= size) {
		rc = -ENOSPC;
		goto out;
	}
	memcpy(buf, data, (size_t)n);
	buf[n] = '\0';
	rc = (int)n;
out:
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}

/* The signer's SPKI hash: given, or computed from its certificate.
 * \returns it (in buf or the signer's), or NULL */
static const uint8_t *signer_spki(const struct certmap_signer *signer, uint8_t buf[KEYID_SPKI_LEN])
{
	if (signer->spki_sha256)
		return signer->spki_sha256;
	if (signer->cert && keyid_spki_sha256(buf, signer->cert) == 0)
		return buf;
	return NULL;
}

const struct certmap_entry *certmap_find_signer(const struct certmap *map,
						const struct certmap_signer *signer, bool *pinned)
{
	char subject[CERTMAP_SUBJECT_MAX + 1];
	uint8_t buf[KEYID_SPKI_LEN];
	const uint8_t *spki = NULL;
	unsigned int i, k;
	bool have_subject;

	if (pinned)
		*pinned = false;
	for (i = 0; i < map->num_entries; i++) {
		const struct certmap_entry *e = map->entries[i];

		if (e->num_spkis && !spki)
			spki = signer_spki(signer, buf);
		for (k = 0; spki && k < e->num_spkis; k++) {
			/* the full hash, compared as a secret would be: no
			 * early exit that tells how much of it matched */
			if (!CRYPTO_memcmp(e->spkis[k], spki, KEYID_SPKI_LEN)) {
				if (pinned)
					*pinned = true;
				return e;
			}
		}
	}
	/* names only, from here on (map.h) */
	for (i = 0; i < map->num_entries; i++) {
		const struct certmap_entry *e = map->entries[i];

		for (k = 0; k < e->num_keyids; k++) {
			if (!memcmp(e->keyids[k], signer->key_id, KEYID_LEN))
				return e;
		}
	}
	/* the subject's text costs an X509_NAME_print_ex(): only when an
	 * entry names a subject */
	for (i = 0; i < map->num_entries; i++) {
		if (map->entries[i]->subject[0])
			break;
	}
	have_subject = i < map->num_entries && signer->cert &&
		       certmap_subject_str(subject, sizeof(subject), signer->cert) > 0;
	if (have_subject) {
		for (i = 0; i < map->num_entries; i++) {
			if (map->entries[i]->subject[0] && !strcmp(map->entries[i]->subject, subject))
				return map->entries[i];
		}
	}
	if (signer->op_code && signer->op_code[0]) {
		for (i = 0; i < map->num_entries; i++) {
			if (map->entries[i]->op_code[0] && !strcmp(map->entries[i]->op_code, signer->op_code))
				return map->entries[i];
		}
	}
	return NULL;
}

static bool oid_in(const struct certmap *map, int c, const char *oid)
{
	unsigned int i;

	for (i = 0; i < map->num_oids[c]; i++) {
		if (!strcmp(map->oids[c][i], oid))
			return true;
	}
	return false;
}

enum certmap_class certmap_cert_class(const struct certmap *map, X509 *cert)
{
	CERTIFICATEPOLICIES *cp;
	char oid[CERTMAP_OID_MAX + 1];
	bool full = false, prov = false;
	int i, crit = 0;

	if (!cert)
		return CERTMAP_CLASS_UNKNOWN;
	cp = X509_get_ext_d2i(cert, NID_certificate_policies, &crit, NULL);
	if (!cp) {
		ERR_clear_error();
		return CERTMAP_CLASS_UNKNOWN;
	}
	for (i = 0; i < sk_POLICYINFO_num(cp); i++) {
		int n = OBJ_obj2txt(oid, sizeof(oid), sk_POLICYINFO_value(cp, i)->policyid, 1);

		/* a longer OID than we keep cannot be one of ours */
		if (n <= 0 || (size_t)n >= sizeof(oid))
			continue;
		if (oid_in(map, 1, oid))
			prov = true;
		else if (oid_in(map, 0, oid))
			full = true;
	}
	CERTIFICATEPOLICIES_free(cp);
	if (prov)
		return CERTMAP_CLASS_PROVISIONAL;
	return full ? CERTMAP_CLASS_FULL : CERTMAP_CLASS_UNKNOWN;
}

static bool entry_covers(const struct certmap_entry *e, const char *tn, size_t n)
{
	unsigned int i;

	for (i = 0; i < e->num_numbers; i++) {
		const struct certmap_number *b = &e->numbers[i];
		size_t nb = strlen(b->digits);
		uint64_t v, start;

		switch (b->type) {
		case CERTMAP_NUM_ONE:
			if (nb == n && !memcmp(b->digits, tn, n))
				return true;
			break;
		case CERTMAP_NUM_PREFIX:
			if (nb <= n && !memcmp(b->digits, tn, nb))
				return true;
			break;
		case CERTMAP_NUM_RANGE:
			if (nb != n)
				break;
			v = digits_value(tn, n);
			start = digits_value(b->digits, n);
			/* v - start < count, never start + count: no overflow */
			if (v >= start && v - start < b->count)
				return true;
			break;
		}
	}
	return false;
}

/* certmap_may_present() with the signer's entry found by the caller: e is
 * the entry that pins its key, or NULL */
static bool may_present(const struct certmap_signer *signer, const struct certmap_entry *e, const char *tn,
			enum certmap_cover *how)
{
	size_t n;

	if (how)
		*how = CERTMAP_COVER_NONE;
	/* fail closed: a revoked, unknown or untrusted signer vouches for nothing */
	if (!tn || signer->trust != CERTMAP_TRUST_OK)
		return false;
	if (tn[0] == '+')
		tn++;
	n = strnlen(tn, TNAUTH_TN_MAXLEN + 1);
	if (n == 0 || n > TNAUTH_TN_MAXLEN || !digits_only(tn, n))
		return false;

	/* the numbers its path holds, never the leaf's own claim (map.h) */
	if (signer->tnauth && tnauthlist_covers_tn(signer->tnauth, tn)) {
		if (how)
			*how = CERTMAP_COVER_CERT;
		return true;
	}
	if (e && entry_covers(e, tn, n)) {
		if (how)
			*how = CERTMAP_COVER_MAP;
		return true;
	}
	return false;
}

/* The entry whose authority the signer has: the one pinning its key */
static const struct certmap_entry *find_pinned(const struct certmap *map, const struct certmap_signer *signer)
{
	bool pinned;
	const struct certmap_entry *e = certmap_find_signer(map, signer, &pinned);

	return pinned ? e : NULL;
}

bool certmap_may_present(const struct certmap *map, const struct certmap_signer *signer,
			 const char *tn, enum certmap_cover *how)
{
	return may_present(signer, find_pinned(map, signer), tn, how);
}

/* certmap_same_carrier() with the entry pinning the signer's key found by
 * the caller (or NULL) */
static bool same_carrier(const struct certmap_signer *signer, const struct certmap_entry *e, const char *spc)
{
	const struct tnauthlist *list = signer->tnauth;
	unsigned int i;

	if (!spc || !spc[0] || signer->trust != CERTMAP_TRUST_OK)
		return false;
	if (e && e->spc[0] && !strcmp(e->spc, spc))
		return true;
	for (i = 0; list && i < list->num_entries; i++) {
		if (list->entries[i].type == TNAUTH_ENTRY_SPC && !strcmp(list->entries[i].str, spc))
			return true;
	}
	return false;
}

bool certmap_same_carrier(const struct certmap *map, const struct certmap_signer *signer,
			  const char *spc)
{
	if (!spc || !spc[0] || signer->trust != CERTMAP_TRUST_OK)
		return false;
	return same_carrier(signer, find_pinned(map, signer), spc);
}

bool certmap_may_use_gt(const struct certmap *map, const struct certmap_signer *signer, const char *gt,
			const struct certmap_entry **entry)
{
	const struct certmap_entry *e;

	if (entry)
		*entry = NULL;
	if (!map || !signer)
		return false;
	e = find_pinned(map, signer);
	if (entry)
		*entry = e;
	/* fail closed, as for numbers: a signer the trust store does not
	 * vouch for originates nothing */
	if (signer->trust != CERTMAP_TRUST_OK)
		return false;
	return certmap_entry_has_gt(e, gt);
}

int certmap_assess(const struct certmap *map, const struct certmap_signer *signer,
		   const char *tn, const char *spc, struct certmap_answer *out)
{
	const struct certmap_entry *e, *pinned;

	memset(out, 0, sizeof(*out));
	if (!map || !signer || signer->cls > CERTMAP_CLASS_PROVISIONAL)
		return -EINVAL;
	e = certmap_find_signer(map, signer, &out->pinned);
	pinned = out->pinned ? e : NULL;
	out->trust = signer->trust;
	out->entry = e ? e->name : NULL;
	out->known = signer->cert || e;
	/* the class its path grants, not the one its leaf names (map.h) */
	if (signer->trust == CERTMAP_TRUST_OK)
		out->cls = signer->cls;
	/* the entry is looked up once for all the answers */
	out->covers = may_present(signer, pinned, tn, &out->cover);
	out->same_carrier = same_carrier(signer, pinned, spc);
	return 0;
}
