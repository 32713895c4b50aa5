/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bounded X.690 BER reader and writer.  See ber.h. */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "ss7/ber.h"

/* ------------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------------ */

struct ber_hdr {
	enum ber_class cls;
	bool constructed;
	uint32_t tag;
	bool indefinite;
	size_t id_len;
	size_t hdr_len;
	size_t content_len;	/* definite form only */
};

/* Identifier and length octets at buf (X.690 §8.1.2, §8.1.3).  Checks that
 * definite contents fit in len. */
static int ber_hdr_parse(struct ber_hdr *h, const uint8_t *buf, size_t len, const char **why)
{
	size_t i, n;
	uint8_t b;

	memset(h, 0, sizeof(*h));
	if (len < 1) {
		*why = "identifier octets missing";
		return -EBADMSG;
	}
	h->cls = buf[0] >> 6;
	h->constructed = buf[0] & 0x20;
	h->tag = buf[0] & 0x1f;
	i = 1;
	if (h->tag == 0x1f) {
		/* X.690 §8.1.2.4: high-tag-number form, base 128, most
		 * significant first, bit 8 set on all but the last octet */
		h->tag = 0;
		for (;;) {
			if (i >= len) {
				*why = "tag number truncated";
				return -EBADMSG;
			}
			b = buf[i];
			/* §8.1.2.4.2 c): no leading zero subsequent octet */
			if (i == 1 && (b & 0x7f) == 0) {
				*why = "tag number with a leading zero octet";
				return -EBADMSG;
			}
			if (i > 3) {
				*why = "tag number too large";
				return -EBADMSG;
			}
			h->tag = (h->tag << 7) | (b & 0x7f);
			i++;
			if (!(b & 0x80))
				break;
		}
		/* §8.1.2.2: numbers 0 to 30 take the low-tag-number form */
		if (h->tag < 0x1f) {
			*why = "tag number below 31 in the high-tag-number form";
			return -EBADMSG;
		}
	}
	h->id_len = i;

	if (i >= len) {
		*why = "length octets missing";
		return -EBADMSG;
	}
	b = buf[i++];
	if (b < 0x80) {
		h->content_len = b;
	} else if (b == 0x80) {
		/* §8.1.3.2 a): the indefinite form is for constructed encodings only */
		if (!h->constructed) {
			*why = "indefinite length on a primitive element";
			return -EBADMSG;
		}
		h->indefinite = true;
	} else if (b == 0xff) {
		/* §8.1.3.5 c) */
		*why = "reserved length octet 0xff";
		return -EBADMSG;
	} else {
		n = b & 0x7f;
		if (n > sizeof(size_t)) {
			*why = "length wider than the address space";
			return -EBADMSG;
		}
		if (len - i < n) {
			*why = "length octets truncated";
			return -EBADMSG;
		}
		while (n--) {
			if (h->content_len > (SIZE_MAX >> 8)) {
				*why = "length wider than the address space";
				return -EBADMSG;
			}
			h->content_len = (h->content_len << 8) | buf[i++];
		}
	}
	h->hdr_len = i;
	if (!h->indefinite && len - h->hdr_len < h->content_len) {
		*why = "contents run past the end of the buffer";
		return -EBADMSG;
	}
	/* §8.1.5: universal tag 0 is only the end-of-contents marker */
	if (h->cls == BER_CLASS_UNIVERSAL && h->tag == BER_TAG_EOC) {
		*why = "end-of-contents where an element was expected";
		return -EBADMSG;
	}
	return 0;
}

/* Find the end-of-contents that closes an indefinite-length element whose
 * contents start at buf[start].  Definite elements inside are stepped over
 * whole; nested indefinite ones are counted, bounded by the depth limit.
 * No recursion. */
static int ber_indef_end(const uint8_t *buf, size_t len, size_t start, unsigned int depth,
			 size_t *eoc, const char **why)
{
	unsigned int nest = 0;
	size_t pos = start;
	struct ber_hdr h;
	int rc;

	for (;;) {
		if (len - pos >= 2 && buf[pos] == 0 && buf[pos + 1] == 0) {
			if (nest == 0) {
				*eoc = pos;
				return 0;
			}
			nest--;
			pos += 2;
			continue;
		}
		if (pos == len) {
			*why = "end-of-contents missing";
			return -EBADMSG;
		}
		rc = ber_hdr_parse(&h, buf + pos, len - pos, why);
		if (rc < 0)
			return rc;
		if (h.indefinite) {
			nest++;
			if (depth + nest > BER_MAX_DEPTH) {
				*why = "nesting too deep";
				return -EBADMSG;
			}
			pos += h.hdr_len;
		} else {
			pos += h.hdr_len + h.content_len;
		}
	}
}

/*! Read one element at the start of a buffer.
 *  \param[out] tlv the element; on failure tlv->why says what was wrong
 *  \param[in] buf the octets
 *  \param[in] len how many there are
 *  \param[in] depth nesting depth of this element, 1 for the outermost
 *  \returns octets the element takes (tlv->raw.len), or -EBADMSG */
int ber_tlv_read(struct ber_tlv *tlv, const uint8_t *buf, size_t len, unsigned int depth)
{
	struct ber_hdr h;
	size_t eoc;
	int rc;

	memset(tlv, 0, sizeof(*tlv));
	if (depth > BER_MAX_DEPTH) {
		tlv->why = "nesting too deep";
		return -EBADMSG;
	}
	if (len > INT_MAX) {
		tlv->why = "buffer too large";
		return -EBADMSG;
	}
	rc = ber_hdr_parse(&h, buf, len, &tlv->why);
	if (rc < 0)
		return rc;
	tlv->cls = h.cls;
	tlv->constructed = h.constructed;
	tlv->tag = h.tag;
	tlv->indefinite = h.indefinite;
	tlv->id_len = h.id_len;
	tlv->hdr_len = h.hdr_len;
	tlv->value.data = buf + h.hdr_len;
	tlv->raw.data = buf;
	if (h.indefinite) {
		/* §8.1.3.6: contents end with two zero octets, which the
		 * value slice leaves out and the raw slice keeps */
		rc = ber_indef_end(buf, len, h.hdr_len, depth, &eoc, &tlv->why);
		if (rc < 0)
			return rc;
		tlv->value.len = eoc - h.hdr_len;
		tlv->raw.len = eoc + 2;
	} else {
		tlv->value.len = h.content_len;
		tlv->raw.len = h.hdr_len + h.content_len;
	}
	return (int)tlv->raw.len;
}

/*! Is this element of the given class, form and tag number? */
bool ber_tlv_is(const struct ber_tlv *tlv, enum ber_class cls, bool constructed, uint32_t tag)
{
	return tlv->cls == cls && tlv->constructed == constructed && tlv->tag == tag;
}

/*! Start walking the elements of a buffer.
 *  \param[in] depth nesting depth of the elements in the buffer (1 for a message) */
void ber_cursor_init(struct ber_cursor *cur, const uint8_t *buf, size_t len, unsigned int depth)
{
	memset(cur, 0, sizeof(*cur));
	cur->buf = buf;
	cur->len = len;
	cur->depth = depth;
}

/*! The next element.
 *  \returns 1 with *tlv filled, 0 at the end of the buffer, -EBADMSG (cur->why says why) */
int ber_cursor_next(struct ber_cursor *cur, struct ber_tlv *tlv)
{
	int rc;

	if (cur->pos == cur->len)
		return 0;
	rc = ber_tlv_read(tlv, cur->buf + cur->pos, cur->len - cur->pos, cur->depth);
	if (rc < 0) {
		cur->why = tlv->why;
		return rc;
	}
	cur->pos += rc;
	return 1;
}

/*! A cursor over the contents of a constructed element that parent returned.
 *  Its elements are one level deeper; reading one beyond BER_MAX_DEPTH fails.
 *  \returns 0, or -EBADMSG (child->why) for a primitive element */
int ber_cursor_enter(struct ber_cursor *child, const struct ber_cursor *parent,
		     const struct ber_tlv *tlv)
{
	ber_cursor_init(child, tlv->value.data, tlv->value.len, parent->depth + 1);
	if (!tlv->constructed) {
		child->why = "primitive element where a constructed one was expected";
		return -EBADMSG;
	}
	/* the depth limit applies to the elements the child reads, if any */
	return 0;
}

/*! Has the cursor consumed all of its buffer? */
bool ber_cursor_done(const struct ber_cursor *cur)
{
	return cur->pos == cur->len;
}

/*! Check a whole buffer: a series of elements whose constructed ones are
 *  series of elements too, down to the depth limit.  No recursion.
 *  \param[in] depth depth of the elements in buf (1 for a message)
 *  \param[out] why what was wrong, may be NULL
 *  \returns the number of elements, or -EBADMSG */
int ber_validate(const uint8_t *buf, size_t len, unsigned int depth, const char **why)
{
	/* a cursor per level, and one for the contents of the deepest */
	struct ber_cursor stack[BER_MAX_DEPTH + 1];
	struct ber_tlv tlv;
	unsigned int top = 0;
	int count = 0, rc;

	if (depth < 1 || depth > BER_MAX_DEPTH) {
		if (why)
			*why = "nesting too deep";
		return -EBADMSG;
	}
	ber_cursor_init(&stack[0], buf, len, depth);
	for (;;) {
		rc = ber_cursor_next(&stack[top], &tlv);
		if (rc < 0) {
			if (why)
				*why = stack[top].why;
			return rc;
		}
		if (rc == 0) {
			if (top == 0)
				return count;
			top--;
			continue;
		}
		if (count == INT_MAX) {
			if (why)
				*why = "too many elements";
			return -EBADMSG;
		}
		count++;
		if (!tlv.constructed)
			continue;
		if (top + 1 > BER_MAX_DEPTH) {
			if (why)
				*why = "nesting too deep";
			return -EBADMSG;
		}
		rc = ber_cursor_enter(&stack[top + 1], &stack[top], &tlv);
		if (rc < 0) {
			if (why)
				*why = stack[top + 1].why;
			return rc;
		}
		top++;
	}
}

/*! An INTEGER or ENUMERATED value (X.690 §8.3, §8.4) of at most 8 octets.
 *  \returns 0, -EBADMSG (constructed, empty or not minimal), -ERANGE (wider than int64_t) */
int ber_int_get(const struct ber_tlv *tlv, int64_t *val)
{
	const uint8_t *p = tlv->value.data;
	size_t n = tlv->value.len, i;
	uint64_t u;

	if (tlv->constructed || n == 0)
		return -EBADMSG;
	/* §8.3.2: the first nine bits are neither all ones nor all zeros */
	if (n > 1 && ((p[0] == 0x00 && !(p[1] & 0x80)) || (p[0] == 0xff && (p[1] & 0x80))))
		return -EBADMSG;
	if (n > BER_INT_MAX_LEN)
		return -ERANGE;
	u = (p[0] & 0x80) ? UINT64_MAX : 0;
	for (i = 0; i < n; i++)
		u = (u << 8) | p[i];
	*val = (int64_t)u;
	return 0;
}

/*! A BOOLEAN (X.690 §8.2: one octet, any non-zero value is TRUE).
 *  \returns 0 or -EBADMSG */
int ber_bool_get(const struct ber_tlv *tlv, bool *val)
{
	if (tlv->constructed || tlv->value.len != 1)
		return -EBADMSG;
	*val = tlv->value.data[0] != 0;
	return 0;
}

/*! The octets of a primitive OCTET STRING (or of any primitive element).
 *  The constructed (segmented) form of §8.7.3 is refused: nothing in TCAP
 *  or MAP needs it and accepting it would give one value two encodings.
 *  \returns 0 or -EBADMSG */
int ber_octets_get(const struct ber_tlv *tlv, struct ber_slice *val)
{
	if (tlv->constructed)
		return -EBADMSG;
	*val = tlv->value;
	return 0;
}

/*! Check the contents octets of an OBJECT IDENTIFIER (X.690 §8.19): each
 *  subidentifier minimal and at most BER_OID_ARC_MAX_LEN octets.
 *  \returns the number of subidentifiers, or -EBADMSG */
int ber_oid_check(const uint8_t *oid, size_t len)
{
	size_t i, start = 0;
	int arcs = 0;

	if (len == 0 || len > INT_MAX)
		return -EBADMSG;
	for (i = 0; i < len; i++) {
		/* §8.19.2: the leading octet of a subidentifier is not 0x80 */
		if (i == start && oid[i] == 0x80)
			return -EBADMSG;
		if (i - start + 1 > BER_OID_ARC_MAX_LEN)
			return -EBADMSG;
		if (!(oid[i] & 0x80)) {
			arcs++;
			start = i + 1;
		}
	}
	if (start != len)
		return -EBADMSG;
	return arcs;
}

/* Decimal text of a subidentifier of up to BER_OID_ARC_MAX_LEN base-128
 * digits: long division by ten, no wider integer needed. */
static int ber_arc_to_dec(char *out, size_t out_size, const uint8_t *arc, size_t n)
{
	uint8_t d[BER_OID_ARC_MAX_LEN];
	char rev[48];
	size_t i, nrev = 0;
	bool zero;

	for (i = 0; i < n; i++)
		d[i] = arc[i] & 0x7f;
	do {
		unsigned int rem = 0;

		zero = true;
		for (i = 0; i < n; i++) {
			unsigned int cur = rem * 128 + d[i];

			d[i] = cur / 10;
			rem = cur % 10;
			if (d[i])
				zero = false;
		}
		rev[nrev++] = '0' + rem;
	} while (!zero && nrev < sizeof(rev));
	if (nrev + 1 > out_size)
		return -ENOSPC;
	for (i = 0; i < nrev; i++)
		out[i] = rev[nrev - 1 - i];
	out[nrev] = '\0';
	return (int)nrev;
}

/*! The dotted text of an OBJECT IDENTIFIER's contents octets.
 *  \returns the length of the text, -EBADMSG (not an OID), -ERANGE (a first
 *  subidentifier wider than 64 bits), -ENOSPC (out too small) */
int ber_oid_to_str(char *out, size_t out_size, const uint8_t *oid, size_t len)
{
	size_t i, start = 0, pos = 0;
	int n;

	if (ber_oid_check(oid, len) < 0)
		return -EBADMSG;
	if (out_size == 0)
		return -ENOSPC;
	out[0] = '\0';
	for (i = 0; i < len; i++) {
		if (oid[i] & 0x80)
			continue;
		if (start == 0) {
			/* §8.19.4: the first subidentifier holds two arcs */
			uint64_t arc = 0;
			unsigned int x;
			size_t k;

			if (i + 1 > 9)
				return -ERANGE;
			for (k = 0; k <= i; k++)
				arc = (arc << 7) | (oid[k] & 0x7f);
			x = arc < 40 ? 0 : arc < 80 ? 1 : 2;
			n = snprintf(out, out_size, "%u.%llu", x, (unsigned long long)(arc - 40 * x));
			if (n < 0 || (size_t)n >= out_size)
				return -ENOSPC;
		} else {
			if (out_size - pos < 2)
				return -ENOSPC;
			out[pos] = '.';
			n = ber_arc_to_dec(out + pos + 1, out_size - pos - 1, oid + start, i + 1 - start);
			if (n < 0)
				return n;
			n++;
		}
		pos += n;
		start = i + 1;
	}
	return (int)pos;
}

static int ber_arc_put(uint8_t *out, size_t out_size, size_t *pos, uint64_t arc)
{
	uint8_t tmp[10];
	int n = 0;

	do {
		tmp[n++] = arc & 0x7f;
		arc >>= 7;
	} while (arc);
	if (out_size - *pos < (size_t)n)
		return -ENOSPC;
	while (n--)
		out[(*pos)++] = tmp[n] | (n ? 0x80 : 0);
	return 0;
}

/* Base-128 subidentifier of a decimal arc: repeated division by 128 of
 * the decimal digits. */
static int ber_arc_from_dec(uint8_t *out, size_t out_size, size_t *pos, const char *dec, size_t n)
{
	uint8_t d[48], rev[BER_OID_ARC_MAX_LEN];
	size_t i, nrev = 0;
	bool zero;

	if (n == 0 || n > sizeof(d))
		return -EINVAL;
	for (i = 0; i < n; i++)
		d[i] = dec[i] - '0';
	do {
		unsigned int rem = 0;

		zero = true;
		for (i = 0; i < n; i++) {
			unsigned int cur = rem * 10 + d[i];

			d[i] = cur / 128;
			rem = cur % 128;
			if (d[i])
				zero = false;
		}
		if (nrev == sizeof(rev))
			return -EINVAL;
		rev[nrev++] = rem;
	} while (!zero);
	if (out_size - *pos < nrev)
		return -ENOSPC;
	for (i = 0; i < nrev; i++)
		out[(*pos)++] = rev[nrev - 1 - i] | (i + 1 < nrev ? 0x80 : 0);
	return 0;
}

/*! Encode dotted text ("0.4.0.0.1.0.20.3") as OBJECT IDENTIFIER contents
 *  octets.  Arcs after the second may be as wide as BER_OID_ARC_MAX_LEN allows.
 *  \returns the number of octets, -EINVAL (not an OID), -ENOSPC */
int ber_oid_from_str(uint8_t *out, size_t out_size, const char *dotted)
{
	uint64_t first[2] = { 0, 0 };
	const char *p = dotted;
	size_t pos = 0;
	unsigned int n = 0;
	int rc;

	while (*p) {
		const char *dec = p;
		size_t ndig = 0;

		while (p[ndig] >= '0' && p[ndig] <= '9')
			ndig++;
		/* X.660 text: digits, no leading zeros, dots between */
		if (ndig == 0 || (dec[0] == '0' && ndig > 1))
			return -EINVAL;
		p += ndig;
		if (*p == '.') {
			p++;
			if (!*p)
				return -EINVAL;
		} else if (*p) {
			return -EINVAL;
		}
		if (n < 2) {
			uint64_t arc = 0;
			size_t i;

			for (i = 0; i < ndig; i++) {
				if (arc > (UINT64_MAX - 9) / 10)
					return -EINVAL;
				arc = arc * 10 + (uint64_t)(dec[i] - '0');
			}
			first[n++] = arc;
			if (n < 2)
				continue;
			/* X.660: 0 and 1 have 40 arcs below them; 2 any number */
			if (first[0] > 2 || (first[0] < 2 && first[1] >= 40) ||
			    first[1] > UINT64_MAX - 80)
				return -EINVAL;
			rc = ber_arc_put(out, out_size, &pos, first[0] * 40 + first[1]);
		} else {
			n++;
			rc = ber_arc_from_dec(out, out_size, &pos, dec, ndig);
		}
		if (rc < 0)
			return rc;
	}
	if (n < 2)
		return -EINVAL;
	return (int)pos;
}

/*! Are the octets of a slice exactly these? */
bool ber_slice_equal(const struct ber_slice *s, const uint8_t *data, size_t len)
{
	return s->len == len && (len == 0 || memcmp(s->data, data, len) == 0);
}

/* ------------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------------ */

/*! Octets of the minimal definite length octets for a length (X.690 §8.1.3.2 b) */
size_t ber_len_size(size_t len)
{
	size_t n = 1;

	if (len < 0x80)
		return 1;
	while (len) {
		n++;
		len >>= 8;
	}
	return n;
}

/*! Write definite length octets in exactly the given number of octets: 1 is
 *  the short form, k+1 the long form with k octets (leading zeros when the
 *  length needs fewer: valid BER, used to keep a sender's length form).
 *  \returns octets written, -EINVAL (does not fit that form), -ENOSPC */
int ber_len_put(uint8_t *out, size_t out_size, size_t len, size_t octets)
{
	size_t k, i;

	if (octets == 0 || octets - 1 > sizeof(size_t))
		return -EINVAL;
	if (out_size < octets)
		return -ENOSPC;
	if (octets == 1) {
		if (len >= 0x80)
			return -EINVAL;
		out[0] = len;
		return 1;
	}
	k = octets - 1;
	if (k < sizeof(size_t) && (len >> (8 * k)) != 0)
		return -EINVAL;
	out[0] = 0x80 | k;
	for (i = 0; i < k; i++)
		out[k - i] = (len >> (8 * i)) & 0xff;
	return (int)octets;
}

/*! Start writing into buf; nothing is written past size. */
void ber_writer_init(struct ber_writer *w, uint8_t *buf, size_t size)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->size = size;
}

static int ber_fail(struct ber_writer *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

/*! Append octets as they are (an element encoded elsewhere).
 *  \returns 0 or the writer's error (-ENOSPC) */
int ber_put_raw(struct ber_writer *w, const void *data, size_t len)
{
	if (w->err)
		return w->err;
	if (w->size - w->len < len)
		return ber_fail(w, -ENOSPC);
	if (len)
		memcpy(w->buf + w->len, data, len);
	w->len += len;
	return 0;
}

static int ber_put_id(struct ber_writer *w, enum ber_class cls, bool constructed, uint32_t tag)
{
	uint8_t id[5];
	int n = 0, i;

	if (tag > BER_TAG_MAX || cls > BER_CLASS_PRIVATE)
		return ber_fail(w, -EINVAL);
	id[0] = (cls << 6) | (constructed ? 0x20 : 0);
	if (tag < 0x1f) {
		id[0] |= tag;
		return ber_put_raw(w, id, 1);
	}
	id[0] |= 0x1f;
	for (i = 3; i >= 0; i--) {
		uint8_t b = (tag >> (7 * i)) & 0x7f;

		if (!n && !b && i)
			continue;
		id[++n] = b | (i ? 0x80 : 0);
	}
	return ber_put_raw(w, id, n + 1);
}

static int ber_put_len(struct ber_writer *w, size_t len)
{
	uint8_t tmp[sizeof(size_t) + 1];
	int n = ber_len_put(tmp, sizeof(tmp), len, ber_len_size(len));

	if (n < 0)
		return ber_fail(w, n);
	return ber_put_raw(w, tmp, n);
}

/*! Write one element with a definite length.
 *  \returns 0 or the writer's error (-ENOSPC, -EINVAL) */
int ber_put_tlv(struct ber_writer *w, enum ber_class cls, bool constructed, uint32_t tag,
		const void *val, size_t len)
{
	ber_put_id(w, cls, constructed, tag);
	ber_put_len(w, len);
	return ber_put_raw(w, val, len);
}

/*! Write a primitive INTEGER (or ENUMERATED, or an implicitly tagged one) in
 *  the fewest octets (X.690 §8.3.2). */
int ber_put_int(struct ber_writer *w, enum ber_class cls, uint32_t tag, int64_t val)
{
	uint8_t tmp[8];
	int n = 8, i;

	for (i = 0; i < 8; i++)
		tmp[i] = ((uint64_t)val >> (8 * (7 - i))) & 0xff;
	i = 0;
	while (n > 1 && ((tmp[i] == 0x00 && !(tmp[i + 1] & 0x80)) ||
			 (tmp[i] == 0xff && (tmp[i + 1] & 0x80)))) {
		i++;
		n--;
	}
	return ber_put_tlv(w, cls, false, tag, tmp + i, n);
}

/*! Write a BOOLEAN as 0x00 or 0xff (the DER values, X.690 §11.1). */
int ber_put_bool(struct ber_writer *w, enum ber_class cls, uint32_t tag, bool val)
{
	uint8_t v = val ? 0xff : 0x00;

	return ber_put_tlv(w, cls, false, tag, &v, 1);
}

/*! Start a constructed element whose length is known once ber_close() is
 *  called: one length octet is reserved and the contents are moved when
 *  the minimal length needs more. */
int ber_open(struct ber_writer *w, enum ber_class cls, uint32_t tag)
{
	if (w->err)
		return w->err;
	if (w->depth >= BER_MAX_DEPTH)
		return ber_fail(w, -EINVAL);
	ber_put_id(w, cls, true, tag);
	if (w->err)
		return w->err;
	w->open[w->depth++] = w->len;
	return ber_put_raw(w, "", 1);
}

/*! Finish the innermost open element: fix up its length. */
int ber_close(struct ber_writer *w)
{
	size_t at, content, n;

	if (w->err)
		return w->err;
	if (w->depth == 0)
		return ber_fail(w, -EINVAL);
	at = w->open[--w->depth];
	content = w->len - at - 1;
	n = ber_len_size(content);
	if (n > 1) {
		if (w->size - w->len < n - 1)
			return ber_fail(w, -ENOSPC);
		memmove(w->buf + at + n, w->buf + at + 1, content);
		w->len += n - 1;
	}
	ber_len_put(w->buf + at, n, content, n);
	return 0;
}

/*! \returns the number of octets written, or the first error (-ENOSPC,
 *  -EINVAL, also for an element left open) */
int ber_writer_finish(const struct ber_writer *w)
{
	if (w->err)
		return w->err;
	if (w->depth != 0 || w->len > INT_MAX)
		return -EINVAL;
	return (int)w->len;
}
