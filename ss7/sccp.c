/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SCCP connectionless messages and party addresses, ITU-T Q.713 (see
 * sccp.h), and their segmentation into XUDT, Q.714 §4.1.1.2. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ss7/sccp.h"

/* Q.713 §3.4.1: address indicator */
#define AI_PC		0x01
#define AI_SSN		0x02
#define AI_GTI_SHIFT	2
#define AI_GTI_MASK	0x0f
#define AI_RI_SSN	0x40
#define AI_NATIONAL	0x80

/* Q.713 §3.4.2.3.2: encoding scheme of GTI 3 and 4 */
#define ES_BCD_ODD	1
#define ES_BCD_EVEN	2

/* Q.713 §3.6: protocol class octet */
#define PCLASS_MASK	0x0f
#define PCLASS_RETURN	0x80

/* Q.713 Table 2: parameter name codes of the optional part */
#define PNC_END_OF_OPTIONAL	0x00
#define PNC_SEGMENTATION	0x10
#define PNC_IMPORTANCE		0x12

#define SEG_FIRST	0x80
#define SEG_CLASS1	0x40
#define SEG_REMAINING	0x0f

#define ADDR_MAX_LEN	SCCP_ADDR_MAX_LEN
/* The SCCP part of an MSU; M3UA may carry more, nothing here needs it */
#define MSG_MAX_LEN	65535

const struct value_string sccp_msg_type_names[] = {
	{ SCCP_MSGT_UDT,	"UDT" },
	{ SCCP_MSGT_UDTS,	"UDTS" },
	{ SCCP_MSGT_XUDT,	"XUDT" },
	{ SCCP_MSGT_XUDTS,	"XUDTS" },
	{ 0, NULL }
};

const struct value_string sccp_ri_names[] = {
	{ SCCP_RI_GT,	"GT" },
	{ SCCP_RI_SSN,	"SSN" },
	{ 0, NULL }
};

const struct value_string sccp_gti_names[] = {
	{ SCCP_GTI_NONE,	"none" },
	{ SCCP_GTI_NAI,		"NAI" },
	{ SCCP_GTI_TT,		"TT" },
	{ SCCP_GTI_TT_NP_ES,	"TT+NP+ES" },
	{ SCCP_GTI_TT_NP_ES_NAI, "TT+NP+ES+NAI" },
	{ 0, NULL }
};

const struct value_string sccp_np_names[] = {
	{ SCCP_NP_UNKNOWN,	"unknown" },
	{ SCCP_NP_E164,		"E.164" },
	{ SCCP_NP_GENERIC,	"generic" },
	{ SCCP_NP_X121,		"X.121" },
	{ SCCP_NP_F69,		"F.69" },
	{ SCCP_NP_E210,		"E.210" },
	{ SCCP_NP_E212,		"E.212" },
	{ SCCP_NP_E214,		"E.214" },
	{ SCCP_NP_PRIVATE,	"private" },
	{ 0, NULL }
};

const struct value_string sccp_nai_names[] = {
	{ SCCP_NAI_UNKNOWN,		"unknown" },
	{ SCCP_NAI_SUBSCRIBER,		"subscriber" },
	{ SCCP_NAI_NATIONAL_USE,	"national use" },
	{ SCCP_NAI_NATIONAL,		"national" },
	{ SCCP_NAI_INTERNATIONAL,	"international" },
	{ 0, NULL }
};

const struct value_string sccp_return_cause_names[] = {
	{ SCCP_RC_NO_TRANSLATION_NATURE,	"no translation for an address of such nature" },
	{ SCCP_RC_NO_TRANSLATION_ADDRESS,	"no translation for this specific address" },
	{ SCCP_RC_SUBSYSTEM_CONGESTION,		"subsystem congestion" },
	{ SCCP_RC_SUBSYSTEM_FAILURE,		"subsystem failure" },
	{ SCCP_RC_UNEQUIPPED_USER,		"unequipped user" },
	{ SCCP_RC_MTP_FAILURE,			"MTP failure" },
	{ SCCP_RC_NETWORK_CONGESTION,		"network congestion" },
	{ SCCP_RC_UNQUALIFIED,			"unqualified" },
	{ SCCP_RC_ERROR_IN_TRANSPORT,		"error in message transport" },
	{ SCCP_RC_ERROR_IN_LOCAL_PROC,		"error in local processing" },
	{ SCCP_RC_CANNOT_REASSEMBLE,		"destination cannot perform reassembly" },
	{ SCCP_RC_SCCP_FAILURE,			"SCCP failure" },
	{ SCCP_RC_HOP_COUNTER_VIOLATION,	"hop counter violation" },
	{ SCCP_RC_SEGMENTATION_NOT_SUPPORTED,	"segmentation not supported" },
	{ SCCP_RC_SEGMENTATION_FAILURE,		"segmentation failure" },
	{ 0, NULL }
};

/* Say what is wrong, when the caller asked; return rc. */
static int __attribute__((format(printf, 4, 5)))
fail(int rc, char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;

	if (err && err_len) {
		va_start(ap, fmt);
		vsnprintf(err, err_len, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* Global title digits */

static char nibble_char(uint8_t n)
{
	return n < 10 ? (char)('0' + n) : (char)('A' + n - 10);
}

static int char_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The number of valid digits, or -EINVAL. */
static int digits_len(const char *digits)
{
	size_t n = strnlen(digits, SCCP_GT_DIGITS_MAX + 1);
	size_t i;

	if (n > SCCP_GT_DIGITS_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (char_nibble(digits[i]) < 0)
			return -EINVAL;
	}
	return (int)n;
}

/* Q.713 §3.4.2.3.1: BCD, first digit in bits 1-4; an odd number of digits
 * ends with a filler in bits 5-8, whose value is not checked. */
static int bcd_decode(char *out, const uint8_t *buf, size_t len, bool odd, char *err, size_t err_len)
{
	size_t n, i;

	if (odd && len == 0)
		return fail(-EBADMSG, err, err_len, "global title: odd number of digits, but none");
	n = len > SCCP_GT_DIGITS_MAX ? len : len * 2 - (odd ? 1 : 0);
	if (n > SCCP_GT_DIGITS_MAX)
		return fail(-EBADMSG, err, err_len, "global title: more than %u digits", SCCP_GT_DIGITS_MAX);
	for (i = 0; i < n; i++)
		out[i] = nibble_char(i & 1 ? buf[i / 2] >> 4 : buf[i / 2] & 0x0f);
	out[n] = '\0';
	return 0;
}

static size_t bcd_encode(uint8_t *out, const char *digits, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 2) {
		uint8_t lo = (uint8_t)char_nibble(digits[i]);
		uint8_t hi = i + 1 < n ? (uint8_t)char_nibble(digits[i + 1]) : 0;

		out[i / 2] = (uint8_t)(lo | hi << 4);
	}
	return (n + 1) / 2;
}

int sccp_gt_set_digits(struct sccp_gt *gt, const char *digits)
{
	int n = digits_len(digits);

	if (n < 0)
		return n;
	memcpy(gt->digits, digits, (size_t)n);
	gt->digits[n] = '\0';
	return 0;
}

/* Party addresses */

int sccp_addr_decode(struct sccp_addr *a, const uint8_t *buf, size_t len, char *err, size_t err_len)
{
	size_t off = 1;
	uint8_t ai, gti;
	bool odd = false;
	int rc;

	memset(a, 0, sizeof(*a));
	if (len < 1)
		return fail(-EBADMSG, err, err_len, "address indicator missing");
	if (len > ADDR_MAX_LEN)
		return fail(-EBADMSG, err, err_len, "%zu octets, longer than any address", len);
	ai = buf[0];
	a->national = ai & AI_NATIONAL;
	a->ri = ai & AI_RI_SSN ? SCCP_RI_SSN : SCCP_RI_GT;
	gti = (ai >> AI_GTI_SHIFT) & AI_GTI_MASK;
	/* Q.713 §3.4.2: PC, then SSN, then GT, each when indicated */
	if (ai & AI_PC) {
		if (len - off < 2)
			return fail(-EBADMSG, err, err_len, "point code truncated");
		a->has_pc = true;
		/* §3.4.2.1: 14 bits, least significant octet first; the two
		 * spare bits are not checked */
		a->pc = (uint16_t)(buf[off] | (buf[off + 1] & 0x3f) << 8);
		off += 2;
	}
	if (ai & AI_SSN) {
		if (len - off < 1)
			return fail(-EBADMSG, err, err_len, "subsystem number truncated");
		a->has_ssn = true;
		a->ssn = buf[off++];
	}
	switch (gti) {
	case SCCP_GTI_NONE:
		if (off != len)
			return fail(-EBADMSG, err, err_len, "%zu octets after an address without global title",
				    len - off);
		return (int)len;
	case SCCP_GTI_NAI:
		/* §3.4.2.3.1: odd/even in bit 8, NAI in bits 1-7 */
		if (len - off < 1)
			return fail(-EBADMSG, err, err_len, "global title: nature of address truncated");
		odd = buf[off] & 0x80;
		a->gt.nai = buf[off] & 0x7f;
		off++;
		break;
	case SCCP_GTI_TT:
		/* §3.4.2.3.2: the encoding follows from the translation
		 * type; no odd/even indicator, so every nibble is a digit */
		if (len - off < 1)
			return fail(-EBADMSG, err, err_len, "global title: translation type truncated");
		a->gt.tt = buf[off++];
		break;
	case SCCP_GTI_TT_NP_ES:
	case SCCP_GTI_TT_NP_ES_NAI:
		/* §3.4.2.3.3, §3.4.2.3.4 */
		if (len - off < (gti == SCCP_GTI_TT_NP_ES ? 2u : 3u))
			return fail(-EBADMSG, err, err_len, "global title: TT, NP/ES%s truncated",
				    gti == SCCP_GTI_TT_NP_ES ? "" : " or NAI");
		a->gt.tt = buf[off++];
		a->gt.np = buf[off] >> 4;
		switch (buf[off] & 0x0f) {
		case ES_BCD_ODD:
			odd = true;
			break;
		case ES_BCD_EVEN:
			break;
		default:
			return fail(-ENOTSUP, err, err_len, "global title: encoding scheme %u is not BCD",
				    buf[off] & 0x0f);
		}
		off++;
		if (gti == SCCP_GTI_TT_NP_ES_NAI)
			a->gt.nai = buf[off++] & 0x7f;	/* bit 8 spare */
		break;
	default:
		return fail(-ENOTSUP, err, err_len, "global title indicator %u not handled", gti);
	}
	a->gt.gti = gti;
	rc = bcd_decode(a->gt.digits, buf + off, len - off, odd, err, err_len);
	if (rc < 0)
		return rc;
	return (int)len;
}

int sccp_addr_encode(uint8_t *buf, size_t size, const struct sccp_addr *a)
{
	uint8_t out[ADDR_MAX_LEN];
	const struct sccp_gt *gt = &a->gt;
	size_t n = 1;
	int nd = 0;
	bool odd;

	if (a->ri > SCCP_RI_SSN || (a->has_pc && a->pc > SCCP_PC_MAX) || gt->gti > SCCP_GTI_TT_NP_ES_NAI)
		return -EINVAL;
	if (gt->gti != SCCP_GTI_NONE) {
		nd = digits_len(gt->digits);
		if (nd < 0 || gt->np > 0x0f || gt->nai > 0x7f)
			return -EINVAL;
		/* GTI 2 has no odd/even indicator: a filler would read back
		 * as a digit */
		if (gt->gti == SCCP_GTI_TT && nd % 2)
			return -EINVAL;
	}
	odd = nd % 2;
	out[0] = (uint8_t)((a->national ? AI_NATIONAL : 0) | (a->ri == SCCP_RI_SSN ? AI_RI_SSN : 0) |
			   gt->gti << AI_GTI_SHIFT | (a->has_ssn ? AI_SSN : 0) | (a->has_pc ? AI_PC : 0));
	if (a->has_pc) {
		out[n++] = a->pc & 0xff;
		out[n++] = (uint8_t)(a->pc >> 8);
	}
	if (a->has_ssn)
		out[n++] = a->ssn;
	switch (gt->gti) {
	case SCCP_GTI_NONE:
		break;
	case SCCP_GTI_NAI:
		out[n++] = (uint8_t)((odd ? 0x80 : 0) | gt->nai);
		break;
	case SCCP_GTI_TT:
		out[n++] = gt->tt;
		break;
	case SCCP_GTI_TT_NP_ES:
	case SCCP_GTI_TT_NP_ES_NAI:
		out[n++] = gt->tt;
		out[n++] = (uint8_t)(gt->np << 4 | (odd ? ES_BCD_ODD : ES_BCD_EVEN));
		if (gt->gti == SCCP_GTI_TT_NP_ES_NAI)
			out[n++] = gt->nai;
		break;
	}
	if (gt->gti != SCCP_GTI_NONE)
		n += bcd_encode(out + n, gt->digits, (size_t)nd);
	if (n > size)
		return -ENOSPC;
	memcpy(buf, out, n);
	return (int)n;
}

char *sccp_addr_to_str_buf(char *buf, size_t size, const struct sccp_addr *a)
{
	int n;

	if (!size)
		return buf;
	n = snprintf(buf, size, "RI=%s", get_value_string(sccp_ri_names, a->ri));
	if (a->has_pc && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - n, ",PC=%u", a->pc);
	if (a->has_ssn && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - n, ",SSN=%u", a->ssn);
	if (a->gt.gti != SCCP_GTI_NONE && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - n, ",GT(%u)=tt%u/np%u/nai%u/%s", a->gt.gti, a->gt.tt, a->gt.np,
			 a->gt.nai, a->gt.digits);
	return buf;
}

/* Messages */

/* Q.713 §4.10, §4.11, §4.18, §4.19: the fixed part after the message type
 * (protocol class or return cause, then the hop counter of XUDT/XUDTS) and
 * whether there is a pointer to an optional part. */
static int msg_layout(uint8_t type, unsigned int *n_fixed, bool *optional)
{
	switch (type) {
	case SCCP_MSGT_UDT:
	case SCCP_MSGT_UDTS:
		*n_fixed = 1;
		*optional = false;
		return 0;
	case SCCP_MSGT_XUDT:
	case SCCP_MSGT_XUDTS:
		*n_fixed = 2;
		*optional = true;
		return 0;
	default:
		return -ENOTSUP;
	}
}

static const char *const mand_names[] = { "called party address", "calling party address", "data" };

/* The optional part from buf[t]; *end: the octet after its end. */
static int decode_optional(struct sccp_msg *m, const uint8_t *buf, size_t len, size_t t, size_t *end, char *err,
			   size_t err_len)
{
	const uint8_t *v;
	uint8_t code, plen;

	for (;;) {
		if (t >= len)
			return fail(-EBADMSG, err, err_len, "optional part without end of optional parameters");
		code = buf[t];
		if (code == PNC_END_OF_OPTIONAL) {
			*end = t + 1;
			return 0;
		}
		if (len - t < 2)
			return fail(-EBADMSG, err, err_len, "optional parameter 0x%02x: length missing", code);
		plen = buf[t + 1];
		if (len - t - 2 < plen)
			return fail(-EBADMSG, err, err_len, "optional parameter 0x%02x truncated", code);
		v = buf + t + 2;
		switch (code) {
		case PNC_SEGMENTATION:
			/* Q.713 §3.17 */
			if (m->has_segmentation)
				return fail(-EBADMSG, err, err_len, "segmentation parameter twice");
			if (plen != 4)
				return fail(-EBADMSG, err, err_len, "segmentation: length %u, not 4", plen);
			m->has_segmentation = true;
			m->seg.first = v[0] & SEG_FIRST;
			m->seg.proto_class = v[0] & SEG_CLASS1 ? 1 : 0;
			m->seg.remaining = v[0] & SEG_REMAINING;
			/* least significant octet first, as jSS7 and tshark read it */
			m->seg.local_ref = (uint32_t)v[1] | (uint32_t)v[2] << 8 | (uint32_t)v[3] << 16;
			break;
		case PNC_IMPORTANCE:
			/* Q.713 §3.19: bits 1-3, the others spare */
			if (m->has_importance)
				return fail(-EBADMSG, err, err_len, "importance parameter twice");
			if (plen != 1)
				return fail(-EBADMSG, err, err_len, "importance: length %u, not 1", plen);
			m->has_importance = true;
			m->importance = v[0] & 0x07;
			break;
		default:
			/* unknown optional parameters are skipped, so that
			 * later versions of Q.713 still decode */
			break;
		}
		t += 2 + (size_t)plen;
	}
}

int sccp_msg_decode(struct sccp_msg *m, const uint8_t *buf, size_t len, char *err, size_t err_len)
{
	const uint8_t *val[3];
	uint8_t vlen[3];
	/* where each parameter starts and ends: called, calling, data, optional part */
	size_t start[4], end[4], ptr_off, ptrs_end, o, t;
	unsigned int n_fixed, i, j, n_par = 3;
	bool optional;
	char aerr[96];
	int rc;

	memset(m, 0, sizeof(*m));
	if (len < 1)
		return fail(-EBADMSG, err, err_len, "message type missing");
	if (len > MSG_MAX_LEN)
		return fail(-EBADMSG, err, err_len, "%zu octets, longer than any SCCP message", len);
	m->type = buf[0];
	if (msg_layout(m->type, &n_fixed, &optional) < 0)
		return fail(-ENOTSUP, err, err_len, "message type 0x%02x not handled", m->type);
	ptr_off = 1 + n_fixed;
	ptrs_end = ptr_off + 3 + (optional ? 1 : 0);
	if (len < ptrs_end)
		return fail(-EBADMSG, err, err_len, "%s: fixed part or pointers truncated",
			    sccp_msg_type_name(m->type));

	switch (m->type) {
	case SCCP_MSGT_UDT:
	case SCCP_MSGT_XUDT:
		/* Q.713 §3.6: class in bits 1-4; for classes 0 and 1 the
		 * message handling in bits 5-8, of which only bit 8 means
		 * something (return on error) */
		m->proto_class = buf[1] & PCLASS_MASK;
		m->return_on_error = buf[1] & PCLASS_RETURN;
		if (m->proto_class > 1)
			return fail(-EBADMSG, err, err_len, "%s: protocol class %u", sccp_msg_type_name(m->type),
				    m->proto_class);
		break;
	default:
		m->cause = buf[1];
		break;
	}
	if (n_fixed == 2) {
		m->hop_counter = buf[2];
		if (m->hop_counter < 1 || m->hop_counter > SCCP_HOP_COUNTER_MAX)
			return fail(-EBADMSG, err, err_len, "%s: hop counter %u outside 1..%u",
				    sccp_msg_type_name(m->type), m->hop_counter, SCCP_HOP_COUNTER_MAX);
	}

	/* Q.713 §1.5 (mandatory variable part): each pointer counts from
	 * itself to the length octet of its parameter, which must lie after
	 * the pointers */
	for (i = 0; i < 3; i++) {
		o = ptr_off + i;
		t = o + buf[o];
		if (buf[o] == 0 || t < ptrs_end)
			return fail(-EBADMSG, err, err_len, "%s: pointer to %s is %u", sccp_msg_type_name(m->type),
				    mand_names[i], buf[o]);
		if (t >= len)
			return fail(-EBADMSG, err, err_len, "%s: pointer to %s beyond the message",
				    sccp_msg_type_name(m->type), mand_names[i]);
		vlen[i] = buf[t];
		if (len - t - 1 < vlen[i])
			return fail(-EBADMSG, err, err_len, "%s: %s truncated", sccp_msg_type_name(m->type),
				    mand_names[i]);
		val[i] = buf + t + 1;
		start[i] = t;
		end[i] = t + 1 + vlen[i];
	}
	rc = sccp_addr_decode(&m->called, val[0], vlen[0], aerr, sizeof(aerr));
	if (rc < 0)
		return fail(rc, err, err_len, "%s: called party address: %s", sccp_msg_type_name(m->type), aerr);
	rc = sccp_addr_decode(&m->calling, val[1], vlen[1], aerr, sizeof(aerr));
	if (rc < 0)
		return fail(rc, err, err_len, "%s: calling party address: %s", sccp_msg_type_name(m->type), aerr);
	if (vlen[2] == 0)
		return fail(-EBADMSG, err, err_len, "%s: data empty", sccp_msg_type_name(m->type));
	m->data = val[2];
	m->data_len = vlen[2];

	if (optional && buf[ptrs_end - 1]) {
		o = ptrs_end - 1;
		t = o + buf[o];
		if (t >= len)
			return fail(-EBADMSG, err, err_len, "%s: pointer to the optional part beyond the message",
				    sccp_msg_type_name(m->type));
		rc = decode_optional(m, buf, len, t, &end[3], aerr, sizeof(aerr));
		if (rc < 0)
			return fail(rc, err, err_len, "%s: %s", sccp_msg_type_name(m->type), aerr);
		start[3] = t;
		n_par = 4;
	}
	/* the pointers may order the parameters freely, but no octet may
	 * belong to two of them */
	for (i = 0; i < n_par; i++) {
		for (j = i + 1; j < n_par; j++) {
			if (start[i] < end[j] && start[j] < end[i])
				return fail(-EBADMSG, err, err_len, "%s: %s and %s overlap",
					    sccp_msg_type_name(m->type), i < 3 ? mand_names[i] : "optional part",
					    j < 3 ? mand_names[j] : "optional part");
		}
	}
	return (int)len;
}

/* The encoded length of the optional part of m (0: none) */
static size_t optional_len(const struct sccp_msg *m)
{
	size_t n = (m->has_segmentation ? 6 : 0) + (m->has_importance ? 3 : 0);

	return n ? n + 1 : 0;
}

/* Check the fields of m other than addresses and data; encode the
 * addresses.  \returns 0 or -EINVAL */
static int msg_prepare(const struct sccp_msg *m, unsigned int *n_fixed, uint8_t *cd, int *cdl, uint8_t *cg,
		       int *cgl)
{
	bool optional;

	if (msg_layout(m->type, n_fixed, &optional) < 0)
		return -EINVAL;
	if ((m->type == SCCP_MSGT_UDT || m->type == SCCP_MSGT_XUDT) && m->proto_class > 1)
		return -EINVAL;
	if (*n_fixed == 2 && (m->hop_counter < 1 || m->hop_counter > SCCP_HOP_COUNTER_MAX))
		return -EINVAL;
	if (!optional && (m->has_segmentation || m->has_importance))
		return -EINVAL;
	if (m->has_importance && m->importance > 7)
		return -EINVAL;
	if (m->has_segmentation && (m->seg.proto_class > 1 || m->seg.remaining > SEG_REMAINING ||
				    m->seg.local_ref > 0xffffff))
		return -EINVAL;
	*cdl = sccp_addr_encode(cd, ADDR_MAX_LEN, &m->called);
	*cgl = sccp_addr_encode(cg, ADDR_MAX_LEN, &m->calling);
	if (*cdl < 0 || *cgl < 0)
		return -EINVAL;
	return 0;
}

int sccp_msg_encode(uint8_t *buf, size_t size, const struct sccp_msg *m)
{
	uint8_t cd[ADDR_MAX_LEN], cg[ADDR_MAX_LEN];
	size_t hdr, total, o_called, o_calling, o_data, o_opt, opt, p;
	unsigned int n_fixed;
	int cdl, cgl, rc;

	rc = msg_prepare(m, &n_fixed, cd, &cdl, cg, &cgl);
	if (rc < 0)
		return rc;
	if (!m->data || m->data_len == 0)
		return -EINVAL;
	if (m->data_len > 255)
		return -EMSGSIZE;
	opt = optional_len(m);
	hdr = 1 + n_fixed + (n_fixed == 2 ? 4 : 3);
	o_called = hdr;
	o_calling = o_called + 1 + (size_t)cdl;
	o_data = o_calling + 1 + (size_t)cgl;
	o_opt = o_data + 1 + m->data_len;
	total = o_opt + opt;
	/* Q.713 §1.5: one-octet pointers */
	p = 1 + n_fixed;
	if (o_data - (p + 2) > 255 || (opt && o_opt - (p + 3) > 255))
		return -EMSGSIZE;
	if (total > size)
		return -ENOSPC;

	buf[0] = m->type;
	if (m->type == SCCP_MSGT_UDT || m->type == SCCP_MSGT_XUDT)
		buf[1] = (uint8_t)(m->proto_class | (m->return_on_error ? PCLASS_RETURN : 0));
	else
		buf[1] = m->cause;
	if (n_fixed == 2)
		buf[2] = m->hop_counter;
	buf[p] = (uint8_t)(o_called - p);
	buf[p + 1] = (uint8_t)(o_calling - (p + 1));
	buf[p + 2] = (uint8_t)(o_data - (p + 2));
	if (n_fixed == 2)
		buf[p + 3] = opt ? (uint8_t)(o_opt - (p + 3)) : 0;
	buf[o_called] = (uint8_t)cdl;
	memcpy(buf + o_called + 1, cd, (size_t)cdl);
	buf[o_calling] = (uint8_t)cgl;
	memcpy(buf + o_calling + 1, cg, (size_t)cgl);
	buf[o_data] = (uint8_t)m->data_len;
	memcpy(buf + o_data + 1, m->data, m->data_len);
	if (opt) {
		uint8_t *q = buf + o_opt;

		if (m->has_segmentation) {
			*q++ = PNC_SEGMENTATION;
			*q++ = 4;
			*q++ = (uint8_t)((m->seg.first ? SEG_FIRST : 0) | (m->seg.proto_class ? SEG_CLASS1 : 0) |
					 m->seg.remaining);
			*q++ = m->seg.local_ref & 0xff;
			*q++ = (m->seg.local_ref >> 8) & 0xff;
			*q++ = (m->seg.local_ref >> 16) & 0xff;
		}
		if (m->has_importance) {
			*q++ = PNC_IMPORTANCE;
			*q++ = 1;
			*q++ = m->importance;
		}
		*q = PNC_END_OF_OPTIONAL;
	}
	return (int)total;
}

int sccp_msg_max_data(const struct sccp_msg *m, size_t max_sif)
{
	uint8_t cd[ADDR_MAX_LEN], cg[ADDR_MAX_LEN];
	size_t hdr, base, opt, room, max = 255;
	unsigned int n_fixed;
	int cdl, cgl, rc;

	rc = msg_prepare(m, &n_fixed, cd, &cdl, cg, &cgl);
	if (rc < 0)
		return rc;
	opt = optional_len(m);
	hdr = 1 + n_fixed + (n_fixed == 2 ? 4 : 3);
	/* everything but the data octets */
	base = SCCP_MTP3_ROUTING_LABEL_LEN + hdr + 1 + (size_t)cdl + 1 + (size_t)cgl + 1 + opt;
	if (max_sif <= base)
		return 0;
	room = max_sif - base;
	if (room < max)
		max = room;
	/* the pointer to the data, and to the optional part after it */
	if (hdr + 1 + (size_t)cdl + 1 + (size_t)cgl - (1 + n_fixed + 2) > 255)
		return 0;
	if (opt) {
		size_t before = hdr + 1 + (size_t)cdl + 1 + (size_t)cgl + 1 - (1 + n_fixed + 3);

		if (before >= 255)
			return 0;
		if (255 - before < max)
			max = 255 - before;
	}
	return (int)max;
}

int sccp_xudt_segment(const struct sccp_msg *tmpl, const uint8_t *data, size_t len, size_t max_sif,
		      uint32_t local_ref, struct sccp_msg *segs, unsigned int max_segs)
{
	struct sccp_msg seg = *tmpl;
	size_t chunk, n, i;
	int rc;

	if (!data || len == 0 || tmpl->proto_class > 1 || local_ref > 0xffffff)
		return -EINVAL;
	if (len > SCCP_SEGMENTED_DATA_MAX)
		return -EMSGSIZE;
	/* Q.714 §4.1.1.2: the segments go in class 1, so that MTP keeps
	 * them in sequence; C records the class the user asked for */
	seg.type = SCCP_MSGT_XUDT;
	seg.proto_class = 1;
	seg.cause = 0;
	if (!seg.hop_counter)
		seg.hop_counter = SCCP_HOP_COUNTER_MAX;
	seg.has_segmentation = true;
	seg.seg.first = true;
	seg.seg.proto_class = tmpl->proto_class;
	seg.seg.remaining = 0;
	seg.seg.local_ref = local_ref;
	rc = sccp_msg_max_data(&seg, max_sif);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return -EMSGSIZE;
	chunk = (size_t)rc;
	n = (len + chunk - 1) / chunk;
	if (n > SCCP_SEGMENTS_MAX || n > max_segs)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		segs[i] = seg;
		segs[i].seg.first = i == 0;
		segs[i].seg.remaining = (uint8_t)(n - 1 - i);
		segs[i].data = data + i * chunk;
		segs[i].data_len = i + 1 < n ? chunk : len - i * chunk;
	}
	return (int)n;
}
