/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/* Helpers shared by the TCAP/MAP unit tests and fuzz harnesses: comparing
 * two decoded messages field by field, and re-writing a message with the
 * indefinite length form on chosen levels. */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ss7/ber.h"
#include "ss7/tcap.h"

static inline bool tcap_slice_same(const struct ber_slice *a, const struct ber_slice *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* Do two decoded messages say the same, whatever their length forms? */
static inline bool tcap_msg_same(const struct tcap_msg *a, const struct tcap_msg *b)
{
	unsigned int i;

	if (a->type != b->type || a->has_otid != b->has_otid || a->has_dtid != b->has_dtid ||
	    a->otid_len != b->otid_len || a->dtid_len != b->dtid_len ||
	    memcmp(a->otid, b->otid, a->otid_len) || memcmp(a->dtid, b->dtid, a->dtid_len) ||
	    a->has_pabort != b->has_pabort || a->pabort_cause != b->pabort_cause ||
	    a->dlg_pdu != b->dlg_pdu || !tcap_slice_same(&a->proto_version, &b->proto_version) ||
	    !tcap_slice_same(&a->acn, &b->acn) || a->result != b->result ||
	    a->rsd_source != b->rsd_source || a->rsd_value != b->rsd_value ||
	    a->abort_source != b->abort_source ||
	    (a->userinfo.len || a->num_userinfo) != (b->userinfo.len || b->num_userinfo) ||
	    a->num_userinfo != b->num_userinfo || a->num_components != b->num_components)
		return false;
	for (i = 0; i < a->num_userinfo; i++) {
		const struct tcap_external *x = &a->userinfo_ext[i], *y = &b->userinfo_ext[i];

		if (!tcap_slice_same(&x->oid, &y->oid) || x->has_indirect_ref != y->has_indirect_ref ||
		    x->indirect_ref != y->indirect_ref || x->encoding != y->encoding ||
		    !tcap_slice_same(&x->value, &y->value))
			return false;
	}
	for (i = 0; i < a->num_components; i++) {
		const struct tcap_component *x = &a->comp[i], *y = &b->comp[i];

		if (x->type != y->type || x->has_invoke_id != y->has_invoke_id ||
		    x->invoke_id != y->invoke_id || x->has_linked_id != y->has_linked_id ||
		    x->linked_id != y->linked_id || x->has_code != y->has_code ||
		    x->code_global != y->code_global || x->code_local != y->code_local ||
		    !tcap_slice_same(&x->code_oid, &y->code_oid) ||
		    !tcap_slice_same(&x->param, &y->param) || x->problem_tag != y->problem_tag ||
		    x->problem != y->problem)
			return false;
	}
	return true;
}

/* Re-write a BER buffer with the indefinite length form on every constructed
 * element whose depth (1 = outermost) is in the bit mask; the rest keeps its
 * octets when nothing inside changes, else gets a minimal definite length.
 * Returns the new length or a negative errno. */
static inline int ber_to_indef_rec(struct ber_writer *w, const uint8_t *buf, size_t len,
				   unsigned int depth, uint32_t mask)
{
	struct ber_cursor c;
	struct ber_tlv t;
	int rc;

	ber_cursor_init(&c, buf, len, depth);
	while ((rc = ber_cursor_next(&c, &t)) == 1) {
		if (!t.constructed) {
			ber_put_raw(w, t.raw.data, t.raw.len);
			continue;
		}
		if (mask & (1u << depth)) {
			ber_put_raw(w, t.raw.data, t.id_len);
			ber_put_raw(w, "\x80", 1);
			rc = ber_to_indef_rec(w, t.value.data, t.value.len, depth + 1, mask);
			if (rc < 0)
				return rc;
			ber_put_raw(w, "\x00\x00", 2);
		} else {
			ber_open(w, t.cls, t.tag);
			rc = ber_to_indef_rec(w, t.value.data, t.value.len, depth + 1, mask);
			if (rc < 0)
				return rc;
			ber_close(w);
		}
	}
	return rc < 0 ? rc : 0;
}

static inline int ber_to_indef(uint8_t *out, size_t out_size, const uint8_t *in, size_t len,
			       uint32_t mask)
{
	struct ber_writer w;
	int rc;

	ber_writer_init(&w, out, out_size);
	rc = ber_to_indef_rec(&w, in, len, 1, mask);
	if (rc < 0)
		return rc;
	return ber_writer_finish(&w);
}

/* Depths in a TCAP message, for the mask */
#define INDEF_MSG		(1u << 1)
#define INDEF_PORTIONS		(1u << 2)	/* dialogue and component portions */
#define INDEF_DLG_EXT		(1u << 3)	/* the EXTERNAL; each component */
#define INDEF_DLG_ASN1		(1u << 4)	/* [0]; a component's parameter */
#define INDEF_DLG_PDU		(1u << 5)
#define INDEF_DLG_FIELDS	(1u << 6)	/* acn [1], [30] */
#define INDEF_USER_EXT		(1u << 7)
#define INDEF_ALL		0xfffffffeu
