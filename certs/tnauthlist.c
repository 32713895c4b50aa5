/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TNAuthList (RFC 8226 §9): a bounded DER decoder and the "may this
 * certificate vouch for this number" question. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include <osmocom/core/talloc.h>

#include "certs/tnauthlist.h"
#include "src/core/logging.h"

const struct value_string tnauth_entry_type_names[] = {
	{ TNAUTH_ENTRY_SPC, "spc" },
	{ TNAUTH_ENTRY_RANGE, "range" },
	{ TNAUTH_ENTRY_ONE, "one" },
	{ 0, NULL }
};

/* DER identifier octets (X.690 §8.1.2) used here. */
#define DER_INTEGER	0x02
#define DER_IA5STRING	0x16
#define DER_SEQUENCE	0x30
#define DER_CTX_CONS(n)	(0xa0 | (n))

/* One DER TLV. */
struct der_tlv {
	uint8_t tag;
	const uint8_t *val;
	size_t len;
	size_t total;	/* header + value */
};

/* Read one TLV from buf (X.690 §10.1: definite, minimal lengths).  Only
 * low tag numbers (< 31) occur in TNAuthList; longer lengths than 65535
 * cannot occur inside a certificate extension we accept.
 * Returns octets taken or -EBADMSG. */
static int der_tlv_decode(struct der_tlv *t, const uint8_t *buf, size_t len)
{
	size_t hdr, vlen;

	memset(t, 0, sizeof(*t));
	if (len < 2)
		return -EBADMSG;
	if ((buf[0] & 0x1f) == 0x1f)
		return -EBADMSG;
	if (buf[1] < 0x80) {
		hdr = 2;
		vlen = buf[1];
	} else if (buf[1] == 0x81) {
		if (len < 3 || buf[2] < 0x80)
			return -EBADMSG;
		hdr = 3;
		vlen = buf[2];
	} else if (buf[1] == 0x82) {
		if (len < 4 || buf[2] == 0)
			return -EBADMSG;
		hdr = 4;
		vlen = ((size_t)buf[2] << 8) | buf[3];
	} else {
		/* indefinite (0x80) or longer than we accept */
		return -EBADMSG;
	}
	if (len - hdr < vlen)
		return -EBADMSG;
	t->tag = buf[0];
	t->val = buf + hdr;
	t->len = vlen;
	t->total = hdr + vlen;
	return (int)t->total;
}

/* Read exactly one TLV with the given tag filling all of buf. */
static int der_tlv_only(struct der_tlv *t, uint8_t tag, const uint8_t *buf, size_t len)
{
	int rc = der_tlv_decode(t, buf, len);

	if (rc < 0)
		return rc;
	if (t->tag != tag || t->total != len)
		return -EBADMSG;
	return 0;
}

/* TelephoneNumber ::= IA5String (SIZE (1..15)) (FROM ("0123456789#*")) */
static int tn_copy(char *dst, const struct der_tlv *t)
{
	size_t i;

	if (t->len < 1 || t->len > TNAUTH_TN_MAXLEN)
		return -EBADMSG;
	for (i = 0; i < t->len; i++) {
		uint8_t c = t->val[i];

		if (!((c >= '0' && c <= '9') || c == '#' || c == '*'))
			return -EBADMSG;
	}
	memcpy(dst, t->val, t->len);
	dst[t->len] = '\0';
	return 0;
}

/* ServiceProviderCode ::= IA5String.  We also refuse control characters:
 * SPCs end up in logs and on consoles. */
static int spc_copy(char *dst, const struct der_tlv *t)
{
	size_t i;

	if (t->len < 1 || t->len > TNAUTH_SPC_MAXLEN)
		return -EBADMSG;
	for (i = 0; i < t->len; i++) {
		if (t->val[i] < 0x20 || t->val[i] > 0x7e)
			return -EBADMSG;
	}
	memcpy(dst, t->val, t->len);
	dst[t->len] = '\0';
	return 0;
}

/* count INTEGER (2..MAX), DER (X.690 §8.3: minimal two's complement). */
static int count_decode(uint64_t *out, const struct der_tlv *t)
{
	const uint8_t *p = t->val;
	size_t n = t->len;
	uint64_t v = 0;

	if (n < 1)
		return -EBADMSG;
	if (n > 1 && ((p[0] == 0x00 && !(p[1] & 0x80)) || (p[0] == 0xff && (p[1] & 0x80))))
		return -EBADMSG;	/* not minimal */
	if (p[0] & 0x80)
		return -EBADMSG;	/* negative */
	if (p[0] == 0x00 && n > 1) {
		p++;
		n--;
	}
	if (n > sizeof(v))
		return -ERANGE;
	while (n--)
		v = (v << 8) | *p++;
	if (v < 2)
		return -EBADMSG;
	*out = v;
	return 0;
}

static const char *entry_field(uint8_t tag)
{
	switch (tag) {
	case DER_CTX_CONS(0):
		return "spc";
	case DER_CTX_CONS(1):
		return "range";
	case DER_CTX_CONS(2):
		return "one";
	default:
		return "TNEntry";
	}
}

/* Decode the content of one explicitly tagged TNEntry into e. */
static int entry_decode(struct tnauth_entry *e, uint8_t tag, const uint8_t *buf, size_t len)
{
	struct der_tlv inner, start, count, ext;
	size_t off;
	int rc;

	memset(e, 0, sizeof(*e));
	switch (tag) {
	case DER_CTX_CONS(0):
		rc = der_tlv_only(&inner, DER_IA5STRING, buf, len);
		if (rc < 0)
			return rc;
		e->type = TNAUTH_ENTRY_SPC;
		return spc_copy(e->str, &inner);
	case DER_CTX_CONS(2):
		rc = der_tlv_only(&inner, DER_IA5STRING, buf, len);
		if (rc < 0)
			return rc;
		e->type = TNAUTH_ENTRY_ONE;
		return tn_copy(e->str, &inner);
	case DER_CTX_CONS(1):
		rc = der_tlv_only(&inner, DER_SEQUENCE, buf, len);
		if (rc < 0)
			return rc;
		rc = der_tlv_decode(&start, inner.val, inner.len);
		if (rc < 0 || start.tag != DER_IA5STRING)
			return -EBADMSG;
		off = start.total;
		rc = der_tlv_decode(&count, inner.val + off, inner.len - off);
		if (rc < 0 || count.tag != DER_INTEGER)
			return -EBADMSG;
		off += count.total;
		/* TelephoneNumberRange is extensible ("..."): skip well-formed
		 * additions. */
		while (off < inner.len) {
			rc = der_tlv_decode(&ext, inner.val + off, inner.len - off);
			if (rc < 0)
				return rc;
			off += ext.total;
		}
		e->type = TNAUTH_ENTRY_RANGE;
		rc = tn_copy(e->str, &start);
		if (rc < 0)
			return rc;
		return count_decode(&e->count, &count);
	default:
		return -EBADMSG;
	}
}

/*! Decode a DER TNAuthorizationList (the extension's extnValue content).
 *  \param[in] ctx talloc context for the list
 *  \param[out] out the list on success, else NULL
 *  \param[in] buf DER, len octets; nothing may follow the SEQUENCE
 *  \param[in] len length of buf
 *  \returns octets consumed (== len), -EBADMSG on a malformed or out-of-profile
 *           encoding, -ERANGE for a count beyond 64 bits, -EMSGSIZE for more
 *           than TNAUTH_MAX_ENTRIES entries, -ENOMEM */
int tnauthlist_decode(void *ctx, struct tnauthlist **out, const uint8_t *buf, size_t len)
{
	struct tnauthlist *list = NULL;
	struct der_tlv seq, t;
	unsigned int n = 0, i;
	size_t off;
	int rc;

	*out = NULL;
	rc = der_tlv_decode(&seq, buf, len);
	if (rc < 0 || seq.tag != DER_SEQUENCE) {
		LOGP(DCERT, LOGL_NOTICE, "TNAuthList: not a DER SEQUENCE\n");
		return -EBADMSG;
	}
	if (seq.total != len) {
		LOGP(DCERT, LOGL_NOTICE, "TNAuthList: %zu octets after the SEQUENCE\n", len - seq.total);
		return -EBADMSG;
	}
	/* First pass: count and bound the entries. */
	for (off = 0; off < seq.len; off += t.total) {
		rc = der_tlv_decode(&t, seq.val + off, seq.len - off);
		if (rc < 0) {
			LOGP(DCERT, LOGL_NOTICE, "TNAuthList: entry %u: bad DER length\n", n);
			return rc;
		}
		if (++n > TNAUTH_MAX_ENTRIES) {
			LOGP(DCERT, LOGL_NOTICE, "TNAuthList: more than %u entries\n", TNAUTH_MAX_ENTRIES);
			return -EMSGSIZE;
		}
	}
	if (n == 0) {
		/* SEQUENCE SIZE (1..MAX) */
		LOGP(DCERT, LOGL_NOTICE, "TNAuthList: no entries\n");
		return -EBADMSG;
	}

	list = talloc_zero(ctx, struct tnauthlist);
	if (!list)
		return -ENOMEM;
	list->entries = talloc_zero_array(list, struct tnauth_entry, n);
	if (!list->entries) {
		rc = -ENOMEM;
		goto out;
	}
	for (off = 0, i = 0; i < n; i++, off += t.total) {
		rc = der_tlv_decode(&t, seq.val + off, seq.len - off);
		if (rc < 0)
			goto out;
		rc = entry_decode(&list->entries[i], t.tag, t.val, t.len);
		if (rc < 0) {
			LOGP(DCERT, LOGL_NOTICE, "TNAuthList: entry %u (%s, tag 0x%02x): %s\n", i,
			     entry_field(t.tag), t.tag,
			     rc == -ERANGE ? "count beyond 64 bits" : "malformed or out of profile");
			goto out;
		}
	}
	list->num_entries = n;
	*out = list;
	return (int)len;
out:
	talloc_free(list);
	return rc;
}

/*! Find and decode the TNAuthList extension of a certificate.
 *  \param[in] ctx talloc context for the list
 *  \param[out] out the list on success, else NULL
 *  \param[in] cert the certificate
 *  \returns 0, -ENOENT when the extension is absent, -EBADMSG when it is
 *           malformed or present twice (RFC 5280 §4.2), or another -errno */
int tnauthlist_from_x509(void *ctx, struct tnauthlist **out, const X509 *cert)
{
	const ASN1_OCTET_STRING *data;
	X509_EXTENSION *ext;
	ASN1_OBJECT *oid;
	int idx, rc;

	*out = NULL;
	oid = OBJ_txt2obj(TNAUTH_OID, 1);
	if (!oid)
		return -ENOMEM;
	idx = X509_get_ext_by_OBJ(cert, oid, -1);
	if (idx < 0) {
		rc = -ENOENT;
		goto out;
	}
	if (X509_get_ext_by_OBJ(cert, oid, idx) >= 0) {
		LOGP(DCERT, LOGL_NOTICE, "TNAuthList: extension present twice\n");
		rc = -EBADMSG;
		goto out;
	}
	ext = X509_get_ext(cert, idx);
	data = ext ? X509_EXTENSION_get_data(ext) : NULL;
	if (!data || ASN1_STRING_length(data) <= 0) {
		LOGP(DCERT, LOGL_NOTICE, "TNAuthList: empty extension value\n");
		rc = -EBADMSG;
		goto out;
	}
	rc = tnauthlist_decode(ctx, out, ASN1_STRING_get0_data(data), (size_t)ASN1_STRING_length(data));
	if (rc > 0)
		rc = 0;
out:
	ASN1_OBJECT_free(oid);
	return rc;
}

/*! Print one entry as "spc 1234", "range 12025550100+100" or "one 12025559999".
 *  \returns what snprintf() returns */
int tnauthlist_entry_to_str(char *buf, size_t len, const struct tnauth_entry *e)
{
	const char *name = get_value_string(tnauth_entry_type_names, e->type);

	if (e->type == TNAUTH_ENTRY_RANGE)
		return snprintf(buf, len, "%s %s+%" PRIu64, name, e->str, e->count);
	return snprintf(buf, len, "%s %s", name, e->str);
}

/* Digits only, 1..15 of them: the value fits easily in 64 bits (< 10^15). */
static int digits_value(const char *s, size_t n, uint64_t *v)
{
	size_t i;

	if (n < 1 || n > TNAUTH_TN_MAXLEN)
		return -EINVAL;
	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

/*! May a certificate with this TNAuthList vouch for telephone number tn?
 *  Only TN entries answer this: a single TN matches exactly; a range
 *  {start, count} covers the numbers start .. start+count-1 that have as
 *  many digits as start (RFC 8226 §9 counts from start; a number of another
 *  length is never in the range, whatever the count).  SPC entries say
 *  nothing about numbers on their own (ARCHITECTURE §3: that is the map's job).
 *  \param[in] list the decoded list (NULL: no)
 *  \param[in] tn canonical number: digits, '#', '*' (RFC 8224 §8.3); one
 *             leading '+' is ignored
 *  \returns true when an entry covers tn */
bool tnauthlist_covers_tn(const struct tnauthlist *list, const char *tn)
{
	uint64_t v, start;
	size_t n;
	unsigned int i;

	if (!list || !tn)
		return false;
	if (tn[0] == '+')
		tn++;
	n = strnlen(tn, TNAUTH_TN_MAXLEN + 1);
	if (n < 1 || n > TNAUTH_TN_MAXLEN || strspn(tn, "0123456789#*") != n)
		return false;
	for (i = 0; i < list->num_entries; i++) {
		const struct tnauth_entry *e = &list->entries[i];

		switch (e->type) {
		case TNAUTH_ENTRY_ONE:
			if (!strcmp(e->str, tn))
				return true;
			break;
		case TNAUTH_ENTRY_RANGE:
			if (strlen(e->str) != n)
				break;
			if (digits_value(tn, n, &v) < 0 || digits_value(e->str, n, &start) < 0)
				break;
			/* v - start < count, never start + count: no overflow */
			if (v >= start && v - start < e->count)
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

/*! How many entries of one type the list holds (ATIS-1000080 wants exactly
 *  one SPC in an SP certificate). */
unsigned int tnauthlist_count(const struct tnauthlist *list, enum tnauth_entry_type type)
{
	unsigned int i, n = 0;

	if (!list)
		return 0;
	for (i = 0; i < list->num_entries; i++) {
		if (list->entries[i].type == type)
			n++;
	}
	return n;
}

/*! \returns the first SPC of the list, or NULL when it has none */
const char *tnauthlist_first_spc(const struct tnauthlist *list)
{
	unsigned int i;

	if (!list)
		return NULL;
	for (i = 0; i < list->num_entries; i++) {
		if (list->entries[i].type == TNAUTH_ENTRY_SPC)
			return list->entries[i].str;
	}
	return NULL;
}

/* Is every number of range e (digits only) covered by the ranges and
 * single TNs of outer?  The numbers are walked in order: each step jumps
 * past one entry of outer, so there are at most outer->num_entries steps
 * however large the count. */
static bool range_encompassed(const struct tnauthlist *outer, const struct tnauth_entry *e)
{
	size_t n = strlen(e->str), k;
	uint64_t cur, left, v, start, end = 1;
	unsigned int i, steps;
	bool moved;

	if (digits_value(e->str, n, &cur) < 0 || e->count < 2)
		return false;
	/* numbers of n digits end at 10^n - 1: a range counts no further
	 * (tnauthlist_covers_tn()), and nothing here passes 10^n <= 10^15 */
	for (k = 0; k < n; k++)
		end *= 10;
	left = e->count < end - cur ? e->count : end - cur;
	for (steps = 0; left > 0 && steps <= outer->num_entries; steps++) {
		moved = false;
		for (i = 0; i < outer->num_entries && !moved; i++) {
			const struct tnauth_entry *o = &outer->entries[i];

			if (o->type == TNAUTH_ENTRY_SPC || strlen(o->str) != n ||
			    digits_value(o->str, n, &start) < 0)
				continue;
			if (o->type == TNAUTH_ENTRY_ONE && start == cur) {
				v = 1;
			} else if (o->type == TNAUTH_ENTRY_RANGE && cur >= start && cur - start < o->count) {
				/* what is left of o from cur on, up to 10^n */
				v = o->count - (cur - start);
				if (v > end - cur)
					v = end - cur;
			} else {
				continue;
			}
			if (v >= left)
				return true;
			left -= v;
			cur += v;
			moved = true;
		}
		if (!moved)
			return false;
	}
	return left == 0;
}

/*! RFC 9060 "encompassed": may a certificate with TNAuthList \a outer
 *  issue one with \a inner?  Every entry of \a inner must be held by
 *  \a outer: an SPC by the same SPC; a single TN by a range or the same TN
 *  of \a outer (tnauthlist_covers_tn()); a range by ranges and single TNs of
 *  \a outer that together hold each of its numbers.  An SPC of \a outer
 *  holds no numbers here: which numbers an SPC has is not in a certificate.
 *  \returns true when \a inner is encompassed by \a outer (an empty or
 *  absent \a inner always is; nothing is encompassed by an absent \a outer) */
bool tnauthlist_encompasses(const struct tnauthlist *outer, const struct tnauthlist *inner)
{
	unsigned int i, j;
	bool ok;

	if (!inner || inner->num_entries == 0)
		return true;
	if (!outer)
		return false;
	for (i = 0; i < inner->num_entries; i++) {
		const struct tnauth_entry *e = &inner->entries[i];

		ok = false;
		switch (e->type) {
		case TNAUTH_ENTRY_SPC:
			for (j = 0; j < outer->num_entries && !ok; j++)
				ok = outer->entries[j].type == TNAUTH_ENTRY_SPC && !strcmp(outer->entries[j].str, e->str);
			break;
		case TNAUTH_ENTRY_ONE:
			ok = tnauthlist_covers_tn(outer, e->str);
			break;
		case TNAUTH_ENTRY_RANGE:
			/* the same range, also one with '#' or '*' */
			for (j = 0; j < outer->num_entries && !ok; j++)
				ok = outer->entries[j].type == TNAUTH_ENTRY_RANGE &&
				     outer->entries[j].count == e->count && !strcmp(outer->entries[j].str, e->str);
			if (!ok)
				ok = range_encompassed(outer, e);
			break;
		}
		if (!ok)
			return false;
	}
	return true;
}
