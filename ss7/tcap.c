/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TCAP message codec, ITU-T Q.773.  See tcap.h. */

#include <errno.h>
#include <limits.h>
#include <string.h>

#include <osmocom/core/logging.h>
#include <osmocom/core/utils.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/tcap.h"

/* Q.773 §4.2.2: { itu-t recommendation q 773 as(1) dialogue-as(1) version1(1) }
 * and { ... as(1) unidialogue-as(2) version1(1) } */
const uint8_t tcap_dialogue_as_id[7] = { 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01 };
const uint8_t tcap_unidialogue_as_id[7] = { 0x00, 0x11, 0x86, 0x05, 0x01, 0x02, 0x01 };

const struct value_string tcap_msg_type_names[] = {
	{ TCAP_MSG_UNIDIRECTIONAL,	"Unidirectional" },
	{ TCAP_MSG_BEGIN,		"Begin" },
	{ TCAP_MSG_END,			"End" },
	{ TCAP_MSG_CONTINUE,		"Continue" },
	{ TCAP_MSG_ABORT,		"Abort" },
	{ 0, NULL }
};

const struct value_string tcap_dlg_pdu_names[] = {
	{ TCAP_DLG_NONE,	"none" },
	{ TCAP_DLG_AARQ,	"AARQ" },
	{ TCAP_DLG_AARE,	"AARE" },
	{ TCAP_DLG_ABRT,	"ABRT" },
	{ TCAP_DLG_AUDT,	"AUDT" },
	{ 0, NULL }
};

const struct value_string tcap_comp_type_names[] = {
	{ TCAP_COMP_INVOKE,		"Invoke" },
	{ TCAP_COMP_RESULT_LAST,	"ReturnResultLast" },
	{ TCAP_COMP_ERROR,		"ReturnError" },
	{ TCAP_COMP_REJECT,		"Reject" },
	{ TCAP_COMP_RESULT_NOT_LAST,	"ReturnResultNotLast" },
	{ 0, NULL }
};

const struct value_string tcap_pabort_cause_names[] = {
	{ TCAP_PABORT_UNRECOGNIZED_MSG_TYPE,	"unrecognizedMessageType" },
	{ TCAP_PABORT_UNRECOGNIZED_TID,		"unrecognizedTransactionID" },
	{ TCAP_PABORT_BADLY_FORMATTED_TP,	"badlyFormattedTransactionPortion" },
	{ TCAP_PABORT_INCORRECT_TP,		"incorrectTransactionPortion" },
	{ TCAP_PABORT_RESOURCE_LIMITATION,	"resourceLimitation" },
	{ 0, NULL }
};

/* Q.773 §3.1 tags, [APPLICATION n] */
#define TCAP_TAG_OTID		8
#define TCAP_TAG_DTID		9
#define TCAP_TAG_PABORT		10
#define TCAP_TAG_DIALOGUE	11
#define TCAP_TAG_COMPONENTS	12
/* §4.2.2: dialogue PDUs, [APPLICATION n] */
#define TCAP_TAG_AARQ		0
#define TCAP_TAG_AARE		1
#define TCAP_TAG_ABRT		4
/* §4.2.2: user-information [30] */
#define TCAP_TAG_USERINFO	30

/* Depths of the elements (the message is 1) */
#define D_MSG		1
#define D_PORTION	2	/* otid, dtid, dialogue portion, components */
#define D_EXT		3	/* the dialogue portion's EXTERNAL; a component */
#define D_ASN1		4	/* [0] of it; the fields of a component */
#define D_PDU		5	/* AARQ, AARE, ABRT, AUDT */
#define D_PDU_FIELD	6	/* their fields, [30] */
#define D_USER_EXT	7	/* an EXTERNAL of the user-information */

static int tcap_bad(const char *field, const char *why)
{
	LOGP(DSS7, LOGL_NOTICE, "TCAP %s: %s\n", field, why ? why : "malformed");
	return -EBADMSG;
}

/* The next element of a cursor; *have tells whether there was one. */
static int tcap_next(struct ber_cursor *cur, struct ber_tlv *tlv, bool *have, const char *field)
{
	int rc = ber_cursor_next(cur, tlv);

	*have = rc == 1;
	if (rc < 0)
		return tcap_bad(field, cur->why);
	return 0;
}

static int tcap_enter(struct ber_cursor *child, const struct ber_cursor *parent,
		      const struct ber_tlv *tlv, const char *field)
{
	if (ber_cursor_enter(child, parent, tlv) < 0)
		return tcap_bad(field, child->why);
	return 0;
}

/* The rest of a cursor must be empty. */
static int tcap_end(struct ber_cursor *cur, const char *field)
{
	struct ber_tlv tlv;
	bool have;
	int rc = tcap_next(cur, &tlv, &have, field);

	if (rc < 0)
		return rc;
	if (have)
		return tcap_bad(field, "unexpected element");
	return 0;
}

/* A constructed element holding exactly one element (an explicit tag). */
static int tcap_explicit(struct ber_tlv *inner, const struct ber_cursor *parent,
			 const struct ber_tlv *outer, const char *field)
{
	struct ber_cursor c;
	bool have;
	int rc;

	rc = tcap_enter(&c, parent, outer, field);
	if (rc < 0)
		return rc;
	rc = tcap_next(&c, inner, &have, field);
	if (rc < 0)
		return rc;
	if (!have)
		return tcap_bad(field, "empty");
	return tcap_end(&c, field);
}

static int tcap_int(const struct ber_tlv *tlv, int64_t *val, const char *field)
{
	int rc = ber_int_get(tlv, val);

	if (rc == -ERANGE)
		return tcap_bad(field, "INTEGER wider than 64 bits");
	if (rc < 0)
		return tcap_bad(field, "not a valid INTEGER");
	return 0;
}

/* Q.773 §3.2: InvokeIdType ::= INTEGER (-128..127) */
static int tcap_invoke_id(const struct ber_tlv *tlv, int8_t *id, const char *field)
{
	int64_t v;
	int rc = tcap_int(tlv, &v, field);

	if (rc < 0)
		return rc;
	if (v < -128 || v > 127)
		return tcap_bad(field, "outside -128..127");
	*id = v;
	return 0;
}

static int tcap_oid(const struct ber_tlv *tlv, struct ber_slice *oid, const char *field)
{
	if (tlv->constructed || ber_oid_check(tlv->value.data, tlv->value.len) < 0)
		return tcap_bad(field, "not a valid OBJECT IDENTIFIER");
	*oid = tlv->value;
	return 0;
}

/* Every element inside a value we hand out is well-formed BER, so that what
 * decodes here can be walked by later code without surprises. */
static int tcap_check_tree(const struct ber_slice *s, unsigned int depth, const char *field)
{
	const char *why = NULL;

	if (ber_validate(s->data, s->len, depth, &why) < 0)
		return tcap_bad(field, why);
	return 0;
}

static int tcap_tid(const struct ber_tlv *tlv, uint8_t *tid, uint8_t *tid_len, const char *field)
{
	/* Q.773 §3.1: OCTET STRING (SIZE (1..4)) */
	if (tlv->constructed || tlv->value.len < 1 || tlv->value.len > TCAP_TID_MAX_LEN)
		return tcap_bad(field, "not 1 to 4 octets");
	memcpy(tid, tlv->value.data, tlv->value.len);
	*tid_len = tlv->value.len;
	return 0;
}

/* ------------------------------------------------------------------------
 * Dialogue portion
 * ------------------------------------------------------------------------ */

/* EXTERNAL (X.690 §8.18) of a user-information */
static int tcap_external_decode(struct tcap_external *ext, const struct ber_cursor *parent,
				const struct ber_tlv *tlv)
{
	const char *f = "user-information EXTERNAL";
	struct ber_cursor c;
	struct ber_tlv t;
	bool have;
	int rc;

	memset(ext, 0, sizeof(*ext));
	ext->raw = tlv->raw;
	if (!ber_tlv_is(tlv, BER_CLASS_UNIVERSAL, true, BER_TAG_EXTERNAL))
		return tcap_bad("user-information", "element is not an EXTERNAL");
	rc = tcap_enter(&c, parent, tlv, f);
	if (rc < 0)
		return rc;
	rc = tcap_next(&c, &t, &have, f);
	if (rc < 0)
		return rc;
	if (have && ber_tlv_is(&t, BER_CLASS_UNIVERSAL, false, BER_TAG_OID)) {
		rc = tcap_oid(&t, &ext->oid, "user-information direct-reference");
		if (rc < 0)
			return rc;
		rc = tcap_next(&c, &t, &have, f);
		if (rc < 0)
			return rc;
	}
	if (have && ber_tlv_is(&t, BER_CLASS_UNIVERSAL, false, BER_TAG_INTEGER)) {
		rc = tcap_int(&t, &ext->indirect_ref, "user-information indirect-reference");
		if (rc < 0)
			return rc;
		ext->has_indirect_ref = true;
		rc = tcap_next(&c, &t, &have, f);
		if (rc < 0)
			return rc;
	}
	if (have && ber_tlv_is(&t, BER_CLASS_UNIVERSAL, false, BER_TAG_OBJECT_DESCRIPTOR)) {
		rc = tcap_next(&c, &t, &have, f);
		if (rc < 0)
			return rc;
	}
	if (!have)
		return tcap_bad(f, "encoding missing");
	if (ber_tlv_is(&t, BER_CLASS_CONTEXT, true, TCAP_EXT_SINGLE_ASN1)) {
		struct ber_tlv inner;

		rc = tcap_explicit(&inner, &c, &t, "user-information single-ASN1-type");
		if (rc < 0)
			return rc;
		rc = tcap_check_tree(&inner.raw, c.depth + 1, "user-information single-ASN1-type");
		if (rc < 0)
			return rc;
		ext->encoding = TCAP_EXT_SINGLE_ASN1;
		ext->value = inner.raw;
	} else if (ber_tlv_is(&t, BER_CLASS_CONTEXT, false, TCAP_EXT_OCTET_ALIGNED)) {
		ext->encoding = TCAP_EXT_OCTET_ALIGNED;
		ext->value = t.value;
	} else if (ber_tlv_is(&t, BER_CLASS_CONTEXT, false, TCAP_EXT_ARBITRARY)) {
		/* BIT STRING: the unused-bits octet comes first */
		if (t.value.len < 1 || t.value.data[0] > 7)
			return tcap_bad("user-information arbitrary", "not a valid BIT STRING");
		ext->encoding = TCAP_EXT_ARBITRARY;
		ext->value = t.value;
	} else {
		return tcap_bad(f, "unknown encoding");
	}
	return tcap_end(&c, f);
}

/* user-information [30] IMPLICIT SEQUENCE OF EXTERNAL */
static int tcap_userinfo_decode(struct tcap_msg *msg, const struct ber_cursor *parent,
				const struct ber_tlv *tlv)
{
	struct ber_cursor c;
	struct ber_tlv t;
	bool have;
	int rc;

	msg->userinfo = tlv->raw;
	rc = tcap_enter(&c, parent, tlv, "user-information");
	if (rc < 0)
		return rc;
	for (;;) {
		rc = tcap_next(&c, &t, &have, "user-information");
		if (rc < 0)
			return rc;
		if (!have)
			return 0;
		if (msg->num_userinfo == TCAP_MAX_USERINFO) {
			LOGP(DSS7, LOGL_NOTICE, "TCAP user-information: more than %u EXTERNALs\n",
			     TCAP_MAX_USERINFO);
			return -E2BIG;
		}
		rc = tcap_external_decode(&msg->userinfo_ext[msg->num_userinfo], &c, &t);
		if (rc < 0)
			return rc;
		msg->num_userinfo++;
	}
}

/* application-context-name [1] OBJECT IDENTIFIER (explicit) */
static int tcap_acn_decode(struct tcap_msg *msg, const struct ber_cursor *parent,
			   const struct ber_tlv *tlv)
{
	struct ber_tlv oid;
	int rc = tcap_explicit(&oid, parent, tlv, "application-context-name");

	if (rc < 0)
		return rc;
	if (!ber_tlv_is(&oid, BER_CLASS_UNIVERSAL, false, BER_TAG_OID))
		return tcap_bad("application-context-name", "not an OBJECT IDENTIFIER");
	return tcap_oid(&oid, &msg->acn, "application-context-name");
}

/* An explicitly tagged INTEGER: result [2], the choices of result-source-diagnostic */
static int tcap_explicit_int(int64_t *val, const struct ber_cursor *parent,
			     const struct ber_tlv *tlv, const char *field)
{
	struct ber_tlv t;
	int rc = tcap_explicit(&t, parent, tlv, field);

	if (rc < 0)
		return rc;
	if (!ber_tlv_is(&t, BER_CLASS_UNIVERSAL, false, BER_TAG_INTEGER))
		return tcap_bad(field, "not an INTEGER");
	return tcap_int(&t, val, field);
}

/* The fields of AARQ, AARE, AUDT and ABRT (Q.773 §4.2.2) */
static int tcap_pdu_decode(struct tcap_msg *msg, const struct ber_cursor *parent,
			   const struct ber_tlv *pdu)
{
	const char *f = get_value_string(tcap_dlg_pdu_names, msg->dlg_pdu);
	struct ber_cursor c;
	struct ber_tlv t;
	bool have;
	int rc;

	rc = tcap_enter(&c, parent, pdu, f);
	if (rc < 0)
		return rc;
	rc = tcap_next(&c, &t, &have, f);
	if (rc < 0)
		return rc;

	if (msg->dlg_pdu == TCAP_DLG_ABRT) {
		/* abort-source [0] IMPLICIT ABRT-source (INTEGER) */
		if (!have || !ber_tlv_is(&t, BER_CLASS_CONTEXT, false, 0))
			return tcap_bad("ABRT abort-source", "missing");
		rc = tcap_int(&t, &msg->abort_source, "ABRT abort-source");
		if (rc < 0)
			return rc;
		rc = tcap_next(&c, &t, &have, f);
		if (rc < 0)
			return rc;
	} else {
		/* protocol-version [0] IMPLICIT BIT STRING DEFAULT {version1} */
		if (have && ber_tlv_is(&t, BER_CLASS_CONTEXT, false, 0)) {
			if (t.value.len < 1 || t.value.data[0] > 7)
				return tcap_bad("protocol-version", "not a valid BIT STRING");
			msg->proto_version = t.value;
			rc = tcap_next(&c, &t, &have, f);
			if (rc < 0)
				return rc;
		}
		if (!have || !ber_tlv_is(&t, BER_CLASS_CONTEXT, true, 1))
			return tcap_bad("application-context-name", "missing");
		rc = tcap_acn_decode(msg, &c, &t);
		if (rc < 0)
			return rc;
		rc = tcap_next(&c, &t, &have, f);
		if (rc < 0)
			return rc;
	}

	if (msg->dlg_pdu == TCAP_DLG_AARE) {
		struct ber_tlv choice;

		/* result [2] Associate-result */
		if (!have || !ber_tlv_is(&t, BER_CLASS_CONTEXT, true, 2))
			return tcap_bad("AARE result", "missing");
		rc = tcap_explicit_int(&msg->result, &c, &t, "AARE result");
		if (rc < 0)
			return rc;
		rc = tcap_next(&c, &t, &have, f);
		if (rc < 0)
			return rc;
		/* result-source-diagnostic [3] CHOICE { dialogue-service-user [1],
		 * dialogue-service-provider [2] } */
		if (!have || !ber_tlv_is(&t, BER_CLASS_CONTEXT, true, 3))
			return tcap_bad("AARE result-source-diagnostic", "missing");
		rc = tcap_explicit(&choice, &c, &t, "AARE result-source-diagnostic");
		if (rc < 0)
			return rc;
		if (choice.cls != BER_CLASS_CONTEXT || !choice.constructed ||
		    (choice.tag != 1 && choice.tag != 2))
			return tcap_bad("AARE result-source-diagnostic", "unknown choice");
		msg->rsd_source = choice.tag;
		{
			struct ber_cursor cc;

			ber_cursor_init(&cc, t.value.data, t.value.len, c.depth + 1);
			rc = tcap_explicit_int(&msg->rsd_value, &cc, &choice,
					       "AARE result-source-diagnostic");
			if (rc < 0)
				return rc;
		}
		rc = tcap_next(&c, &t, &have, f);
		if (rc < 0)
			return rc;
	}

	if (have && ber_tlv_is(&t, BER_CLASS_CONTEXT, true, TCAP_TAG_USERINFO)) {
		rc = tcap_userinfo_decode(msg, &c, &t);
		if (rc < 0)
			return rc;
		rc = tcap_next(&c, &t, &have, f);
		if (rc < 0)
			return rc;
	}
	if (have)
		return tcap_bad(f, "unexpected element");
	return 0;
}

/* dialoguePortion [APPLICATION 11] EXPLICIT EXTERNAL (Q.773 §3.1) */
static int tcap_dialogue_decode(struct tcap_msg *msg, const struct ber_cursor *parent,
				const struct ber_tlv *tlv)
{
	const char *f = "dialogue portion";
	struct ber_cursor dc, c;
	struct ber_tlv ext, t, pdu;
	bool have, uni;
	int rc;

	msg->dialogue = tlv->raw;
	rc = tcap_explicit(&ext, parent, tlv, f);
	if (rc < 0)
		return rc;
	if (!ber_tlv_is(&ext, BER_CLASS_UNIVERSAL, true, BER_TAG_EXTERNAL))
		return tcap_bad(f, "not an EXTERNAL");
	/* the cursor EXTERNAL was read from, for the depth */
	ber_cursor_init(&dc, tlv->value.data, tlv->value.len, parent->depth + 1);
	rc = tcap_enter(&c, &dc, &ext, f);
	if (rc < 0)
		return rc;

	/* direct-reference: dialogue-as-id, or uniDialogue-as-id in a
	 * Unidirectional (Q.773 §4.2.2) */
	rc = tcap_next(&c, &t, &have, f);
	if (rc < 0)
		return rc;
	if (!have || !ber_tlv_is(&t, BER_CLASS_UNIVERSAL, false, BER_TAG_OID))
		return tcap_bad(f, "direct-reference missing");
	uni = msg->type == TCAP_MSG_UNIDIRECTIONAL;
	if (!ber_slice_equal(&t.value, uni ? tcap_unidialogue_as_id : tcap_dialogue_as_id, 7))
		return tcap_bad(f, uni ? "direct-reference is not uniDialogue-as-id"
				       : "direct-reference is not dialogue-as-id");

	/* encoding single-ASN1-type [0] */
	rc = tcap_next(&c, &t, &have, f);
	if (rc < 0)
		return rc;
	if (!have || !ber_tlv_is(&t, BER_CLASS_CONTEXT, true, 0))
		return tcap_bad(f, "single-ASN1-type missing");
	rc = tcap_explicit(&pdu, &c, &t, f);
	if (rc < 0)
		return rc;
	rc = tcap_end(&c, f);
	if (rc < 0)
		return rc;

	/* which PDU each message may carry (Q.773 §4.2.2, Q.774 §3.2) */
	if (pdu.cls != BER_CLASS_APPLICATION || !pdu.constructed)
		return tcap_bad(f, "not a dialogue PDU");
	switch (msg->type) {
	case TCAP_MSG_UNIDIRECTIONAL:
		if (pdu.tag == TCAP_TAG_AARQ)
			msg->dlg_pdu = TCAP_DLG_AUDT;
		break;
	case TCAP_MSG_BEGIN:
		if (pdu.tag == TCAP_TAG_AARQ)
			msg->dlg_pdu = TCAP_DLG_AARQ;
		break;
	case TCAP_MSG_CONTINUE:
	case TCAP_MSG_END:
		if (pdu.tag == TCAP_TAG_AARE)
			msg->dlg_pdu = TCAP_DLG_AARE;
		break;
	case TCAP_MSG_ABORT:
		if (pdu.tag == TCAP_TAG_AARE)
			msg->dlg_pdu = TCAP_DLG_AARE;
		else if (pdu.tag == TCAP_TAG_ABRT)
			msg->dlg_pdu = TCAP_DLG_ABRT;
		break;
	}
	if (msg->dlg_pdu == TCAP_DLG_NONE)
		return tcap_bad(f, "dialogue PDU not allowed in this message type");
	{
		struct ber_cursor pc;

		/* the cursor the PDU was read from: inside [0] */
		ber_cursor_init(&pc, t.value.data, t.value.len, c.depth + 1);
		return tcap_pdu_decode(msg, &pc, &pdu);
	}
}

/* ------------------------------------------------------------------------
 * Components
 * ------------------------------------------------------------------------ */

/* OPERATION ::= CHOICE { localValue INTEGER, globalValue OBJECT IDENTIFIER },
 * the same for ERROR */
static int tcap_code_decode(struct tcap_component *comp, const struct ber_tlv *t, const char *field)
{
	comp->has_code = true;
	if (ber_tlv_is(t, BER_CLASS_UNIVERSAL, false, BER_TAG_INTEGER))
		return tcap_int(t, &comp->code_local, field);
	if (ber_tlv_is(t, BER_CLASS_UNIVERSAL, false, BER_TAG_OID)) {
		comp->code_global = true;
		return tcap_oid(t, &comp->code_oid, field);
	}
	return tcap_bad(field, "neither a local nor a global value");
}

static int tcap_param_decode(struct tcap_component *comp, const struct ber_cursor *c,
			     const struct ber_tlv *t)
{
	comp->param = t->raw;
	return tcap_check_tree(&t->raw, c->depth, "parameter");
}

static int tcap_component_decode(struct tcap_component *comp, const struct ber_cursor *parent,
				 const struct ber_tlv *tlv)
{
	const char *f;
	struct ber_cursor c;
	struct ber_tlv t;
	bool have;
	int rc;

	memset(comp, 0, sizeof(*comp));
	comp->raw = tlv->raw;
	if (tlv->cls != BER_CLASS_CONTEXT || !tlv->constructed ||
	    !get_value_string_or_null(tcap_comp_type_names, tlv->tag))
		return tcap_bad("component", "unknown component type");
	comp->type = tlv->tag;
	f = get_value_string(tcap_comp_type_names, comp->type);
	rc = tcap_enter(&c, parent, tlv, f);
	if (rc < 0)
		return rc;
	rc = tcap_next(&c, &t, &have, f);
	if (rc < 0)
		return rc;

	/* invokeID; a Reject may say "not derivable" with a NULL */
	if (have && ber_tlv_is(&t, BER_CLASS_UNIVERSAL, false, BER_TAG_INTEGER)) {
		rc = tcap_invoke_id(&t, &comp->invoke_id, "invokeID");
		if (rc < 0)
			return rc;
		comp->has_invoke_id = true;
	} else if (comp->type == TCAP_COMP_REJECT && have &&
		   ber_tlv_is(&t, BER_CLASS_UNIVERSAL, false, BER_TAG_NULL) && t.value.len == 0) {
		comp->has_invoke_id = false;
	} else {
		return tcap_bad("invokeID", "missing");
	}
	rc = tcap_next(&c, &t, &have, f);
	if (rc < 0)
		return rc;

	switch (comp->type) {
	case TCAP_COMP_INVOKE:
		/* Invoke ::= SEQUENCE { invokeID, linkedID [0] IMPLICIT
		 * InvokeIdType OPTIONAL, operationCode, parameter ANY OPTIONAL } */
		if (have && ber_tlv_is(&t, BER_CLASS_CONTEXT, false, 0)) {
			rc = tcap_invoke_id(&t, &comp->linked_id, "linkedID");
			if (rc < 0)
				return rc;
			comp->has_linked_id = true;
			rc = tcap_next(&c, &t, &have, f);
			if (rc < 0)
				return rc;
		}
		if (!have)
			return tcap_bad("Invoke operationCode", "missing");
		rc = tcap_code_decode(comp, &t, "Invoke operationCode");
		if (rc < 0)
			return rc;
		rc = tcap_next(&c, &t, &have, f);
		if (rc < 0)
			return rc;
		if (have) {
			rc = tcap_param_decode(comp, &c, &t);
			if (rc < 0)
				return rc;
		}
		return tcap_end(&c, f);

	case TCAP_COMP_RESULT_LAST:
	case TCAP_COMP_RESULT_NOT_LAST:
		/* ReturnResult ::= SEQUENCE { invokeID, result SEQUENCE {
		 * operationCode, parameter } OPTIONAL } */
		if (have) {
			struct ber_cursor rc2;

			if (!ber_tlv_is(&t, BER_CLASS_UNIVERSAL, true, BER_TAG_SEQUENCE))
				return tcap_bad(f, "result is not a SEQUENCE");
			rc = tcap_enter(&rc2, &c, &t, f);
			if (rc < 0)
				return rc;
			rc = tcap_next(&rc2, &t, &have, f);
			if (rc < 0)
				return rc;
			if (!have)
				return tcap_bad("ReturnResult operationCode", "missing");
			rc = tcap_code_decode(comp, &t, "ReturnResult operationCode");
			if (rc < 0)
				return rc;
			rc = tcap_next(&rc2, &t, &have, f);
			if (rc < 0)
				return rc;
			if (have) {
				rc = tcap_param_decode(comp, &rc2, &t);
				if (rc < 0)
					return rc;
			}
			rc = tcap_end(&rc2, f);
			if (rc < 0)
				return rc;
		}
		return tcap_end(&c, f);

	case TCAP_COMP_ERROR:
		/* ReturnError ::= SEQUENCE { invokeID, errorCode, parameter ANY OPTIONAL } */
		if (!have)
			return tcap_bad("ReturnError errorCode", "missing");
		rc = tcap_code_decode(comp, &t, "ReturnError errorCode");
		if (rc < 0)
			return rc;
		rc = tcap_next(&c, &t, &have, f);
		if (rc < 0)
			return rc;
		if (have) {
			rc = tcap_param_decode(comp, &c, &t);
			if (rc < 0)
				return rc;
		}
		return tcap_end(&c, f);

	case TCAP_COMP_REJECT:
		/* problem CHOICE { generalProblem [0], invokeProblem [1],
		 * returnResultProblem [2], returnErrorProblem [3] } IMPLICIT INTEGER */
		if (!have || t.cls != BER_CLASS_CONTEXT || t.constructed || t.tag > 3)
			return tcap_bad("Reject problem", "missing");
		comp->problem_tag = t.tag;
		rc = tcap_int(&t, &comp->problem, "Reject problem");
		if (rc < 0)
			return rc;
		return tcap_end(&c, f);
	}
	return tcap_bad(f, "unknown component type");
}

static int tcap_components_decode(struct tcap_msg *msg, const struct ber_cursor *parent,
				  const struct ber_tlv *tlv)
{
	struct ber_cursor c;
	struct ber_tlv t;
	bool have;
	int rc;

	msg->components = tlv->raw;
	rc = tcap_enter(&c, parent, tlv, "components");
	if (rc < 0)
		return rc;
	for (;;) {
		rc = tcap_next(&c, &t, &have, "components");
		if (rc < 0)
			return rc;
		if (!have)
			break;
		if (msg->num_components == TCAP_MAX_COMPONENTS) {
			LOGP(DSS7, LOGL_NOTICE, "TCAP components: more than %u components\n",
			     TCAP_MAX_COMPONENTS);
			return -E2BIG;
		}
		rc = tcap_component_decode(&msg->comp[msg->num_components], &c, &t);
		if (rc < 0)
			return rc;
		msg->num_components++;
	}
	/* Q.773 §3.1: ComponentPortion ::= SEQUENCE SIZE (1..MAX) OF Component */
	if (msg->num_components == 0)
		return tcap_bad("components", "empty");
	return 0;
}

/* ------------------------------------------------------------------------
 * Message
 * ------------------------------------------------------------------------ */

/*! Decode a TCAP message (the whole SCCP user data).
 *  \param[out] msg the message; its slices point into buf
 *  \param[in] buf the message
 *  \param[in] len its length; octets after the message are an error
 *  \returns len, -EBADMSG (malformed, logged naming the field), -E2BIG (more
 *  than TCAP_MAX_COMPONENTS components or TCAP_MAX_USERINFO EXTERNALs) */
int tcap_msg_decode(struct tcap_msg *msg, const uint8_t *buf, size_t len)
{
	struct ber_cursor top, c;
	struct ber_tlv m, t;
	bool have;
	int rc;

	memset(msg, 0, sizeof(*msg));
	ber_cursor_init(&top, buf, len, D_MSG);
	rc = tcap_next(&top, &m, &have, "message");
	if (rc < 0)
		return rc;
	if (!have)
		return tcap_bad("message", "empty");
	if (!ber_cursor_done(&top))
		return tcap_bad("message", "octets after the message");
	if (m.cls != BER_CLASS_APPLICATION || !m.constructed ||
	    !get_value_string_or_null(tcap_msg_type_names, m.tag))
		return tcap_bad("message type", "not an ITU TCAP message");
	msg->type = m.tag;
	msg->raw = m.raw;

	rc = tcap_enter(&c, &top, &m, "message");
	if (rc < 0)
		return rc;
	rc = tcap_next(&c, &t, &have, "message");
	if (rc < 0)
		return rc;

	if (msg->type == TCAP_MSG_BEGIN || msg->type == TCAP_MSG_CONTINUE) {
		if (!have || !ber_tlv_is(&t, BER_CLASS_APPLICATION, false, TCAP_TAG_OTID))
			return tcap_bad("otid", "missing");
		rc = tcap_tid(&t, msg->otid, &msg->otid_len, "otid");
		if (rc < 0)
			return rc;
		msg->has_otid = true;
		rc = tcap_next(&c, &t, &have, "message");
		if (rc < 0)
			return rc;
	}
	if (msg->type == TCAP_MSG_CONTINUE || msg->type == TCAP_MSG_END ||
	    msg->type == TCAP_MSG_ABORT) {
		if (!have || !ber_tlv_is(&t, BER_CLASS_APPLICATION, false, TCAP_TAG_DTID))
			return tcap_bad("dtid", "missing");
		rc = tcap_tid(&t, msg->dtid, &msg->dtid_len, "dtid");
		if (rc < 0)
			return rc;
		msg->has_dtid = true;
		rc = tcap_next(&c, &t, &have, "message");
		if (rc < 0)
			return rc;
	}

	if (msg->type == TCAP_MSG_ABORT) {
		/* reason CHOICE { p-abortCause, u-abortCause DialoguePortion } OPTIONAL */
		if (have && ber_tlv_is(&t, BER_CLASS_APPLICATION, false, TCAP_TAG_PABORT)) {
			rc = tcap_int(&t, &msg->pabort_cause, "P-AbortCause");
			if (rc < 0)
				return rc;
			msg->has_pabort = true;
		} else if (have && ber_tlv_is(&t, BER_CLASS_APPLICATION, true, TCAP_TAG_DIALOGUE)) {
			rc = tcap_dialogue_decode(msg, &c, &t);
			if (rc < 0)
				return rc;
		} else if (have) {
			return tcap_bad("Abort reason", "neither a P-AbortCause nor a dialogue portion");
		}
		rc = tcap_end(&c, "message");
		return rc < 0 ? rc : (int)len;
	}

	if (have && ber_tlv_is(&t, BER_CLASS_APPLICATION, true, TCAP_TAG_DIALOGUE)) {
		rc = tcap_dialogue_decode(msg, &c, &t);
		if (rc < 0)
			return rc;
		rc = tcap_next(&c, &t, &have, "message");
		if (rc < 0)
			return rc;
	}
	if (have && ber_tlv_is(&t, BER_CLASS_APPLICATION, true, TCAP_TAG_COMPONENTS)) {
		rc = tcap_components_decode(msg, &c, &t);
		if (rc < 0)
			return rc;
		rc = tcap_next(&c, &t, &have, "message");
		if (rc < 0)
			return rc;
	}
	if (have)
		return tcap_bad("message", "unexpected element");
	if (msg->type == TCAP_MSG_UNIDIRECTIONAL && msg->num_components == 0)
		return tcap_bad("components", "missing");
	return (int)len;
}

/* ------------------------------------------------------------------------
 * Encoding
 * ------------------------------------------------------------------------ */

static void tcap_put_code(struct ber_writer *w, const struct tcap_component *comp)
{
	if (comp->code_global)
		ber_put_tlv(w, BER_CLASS_UNIVERSAL, false, BER_TAG_OID, comp->code_oid.data,
			    comp->code_oid.len);
	else
		ber_put_int(w, BER_CLASS_UNIVERSAL, BER_TAG_INTEGER, comp->code_local);
}

static int tcap_component_encode(struct ber_writer *w, const struct tcap_component *comp)
{
	if (!get_value_string_or_null(tcap_comp_type_names, comp->type))
		return -EINVAL;
	if (comp->type != TCAP_COMP_REJECT && !comp->has_invoke_id)
		return -EINVAL;
	if ((comp->type == TCAP_COMP_INVOKE || comp->type == TCAP_COMP_ERROR) && !comp->has_code)
		return -EINVAL;
	if (comp->has_code && comp->code_global &&
	    ber_oid_check(comp->code_oid.data, comp->code_oid.len) < 0)
		return -EINVAL;
	if ((comp->type == TCAP_COMP_RESULT_LAST || comp->type == TCAP_COMP_RESULT_NOT_LAST) &&
	    comp->param.len && !comp->has_code)
		return -EINVAL;

	ber_open(w, BER_CLASS_CONTEXT, comp->type);
	if (comp->has_invoke_id)
		ber_put_int(w, BER_CLASS_UNIVERSAL, BER_TAG_INTEGER, comp->invoke_id);
	else
		ber_put_tlv(w, BER_CLASS_UNIVERSAL, false, BER_TAG_NULL, NULL, 0);
	switch (comp->type) {
	case TCAP_COMP_INVOKE:
		if (comp->has_linked_id)
			ber_put_int(w, BER_CLASS_CONTEXT, 0, comp->linked_id);
		tcap_put_code(w, comp);
		ber_put_raw(w, comp->param.data, comp->param.len);
		break;
	case TCAP_COMP_RESULT_LAST:
	case TCAP_COMP_RESULT_NOT_LAST:
		if (comp->has_code) {
			ber_open(w, BER_CLASS_UNIVERSAL, BER_TAG_SEQUENCE);
			tcap_put_code(w, comp);
			ber_put_raw(w, comp->param.data, comp->param.len);
			ber_close(w);
		}
		break;
	case TCAP_COMP_ERROR:
		tcap_put_code(w, comp);
		ber_put_raw(w, comp->param.data, comp->param.len);
		break;
	case TCAP_COMP_REJECT:
		if (comp->problem_tag > 3)
			return -EINVAL;
		ber_put_int(w, BER_CLASS_CONTEXT, comp->problem_tag, comp->problem);
		break;
	}
	return ber_close(w);
}

static int tcap_external_encode(struct ber_writer *w, const struct tcap_external *ext)
{
	if (ext->oid.len && ber_oid_check(ext->oid.data, ext->oid.len) < 0)
		return -EINVAL;
	ber_open(w, BER_CLASS_UNIVERSAL, BER_TAG_EXTERNAL);
	if (ext->oid.len)
		ber_put_tlv(w, BER_CLASS_UNIVERSAL, false, BER_TAG_OID, ext->oid.data, ext->oid.len);
	if (ext->has_indirect_ref)
		ber_put_int(w, BER_CLASS_UNIVERSAL, BER_TAG_INTEGER, ext->indirect_ref);
	switch (ext->encoding) {
	case TCAP_EXT_SINGLE_ASN1:
		ber_open(w, BER_CLASS_CONTEXT, TCAP_EXT_SINGLE_ASN1);
		ber_put_raw(w, ext->value.data, ext->value.len);
		ber_close(w);
		break;
	case TCAP_EXT_OCTET_ALIGNED:
	case TCAP_EXT_ARBITRARY:
		ber_put_tlv(w, BER_CLASS_CONTEXT, false, ext->encoding, ext->value.data,
			    ext->value.len);
		break;
	default:
		return -EINVAL;
	}
	return ber_close(w);
}

static int tcap_dialogue_encode(struct ber_writer *w, const struct tcap_msg *msg)
{
	unsigned int i;
	uint32_t pdu_tag;
	int rc;

	switch (msg->dlg_pdu) {
	case TCAP_DLG_AARQ:
		if (msg->type != TCAP_MSG_BEGIN)
			return -EINVAL;
		pdu_tag = TCAP_TAG_AARQ;
		break;
	case TCAP_DLG_AUDT:
		if (msg->type != TCAP_MSG_UNIDIRECTIONAL)
			return -EINVAL;
		pdu_tag = TCAP_TAG_AARQ;
		break;
	case TCAP_DLG_AARE:
		if (msg->type != TCAP_MSG_CONTINUE && msg->type != TCAP_MSG_END &&
		    msg->type != TCAP_MSG_ABORT)
			return -EINVAL;
		pdu_tag = TCAP_TAG_AARE;
		break;
	case TCAP_DLG_ABRT:
		if (msg->type != TCAP_MSG_ABORT)
			return -EINVAL;
		pdu_tag = TCAP_TAG_ABRT;
		break;
	default:
		return -EINVAL;
	}
	if (msg->dlg_pdu != TCAP_DLG_ABRT && ber_oid_check(msg->acn.data, msg->acn.len) < 0)
		return -EINVAL;
	if (msg->dlg_pdu == TCAP_DLG_AARE && msg->rsd_source != 1 && msg->rsd_source != 2)
		return -EINVAL;
	if (msg->num_userinfo > TCAP_MAX_USERINFO)
		return -EINVAL;

	ber_open(w, BER_CLASS_APPLICATION, TCAP_TAG_DIALOGUE);
	ber_open(w, BER_CLASS_UNIVERSAL, BER_TAG_EXTERNAL);
	if (msg->type == TCAP_MSG_UNIDIRECTIONAL)
		ber_put_tlv(w, BER_CLASS_UNIVERSAL, false, BER_TAG_OID, tcap_unidialogue_as_id, 7);
	else
		ber_put_tlv(w, BER_CLASS_UNIVERSAL, false, BER_TAG_OID, tcap_dialogue_as_id, 7);
	ber_open(w, BER_CLASS_CONTEXT, 0);
	ber_open(w, BER_CLASS_APPLICATION, pdu_tag);
	if (msg->dlg_pdu == TCAP_DLG_ABRT) {
		ber_put_int(w, BER_CLASS_CONTEXT, 0, msg->abort_source);
	} else {
		if (msg->proto_version.len)
			ber_put_tlv(w, BER_CLASS_CONTEXT, false, 0, msg->proto_version.data,
				    msg->proto_version.len);
		ber_open(w, BER_CLASS_CONTEXT, 1);
		ber_put_tlv(w, BER_CLASS_UNIVERSAL, false, BER_TAG_OID, msg->acn.data, msg->acn.len);
		ber_close(w);
	}
	if (msg->dlg_pdu == TCAP_DLG_AARE) {
		ber_open(w, BER_CLASS_CONTEXT, 2);
		ber_put_int(w, BER_CLASS_UNIVERSAL, BER_TAG_INTEGER, msg->result);
		ber_close(w);
		ber_open(w, BER_CLASS_CONTEXT, 3);
		ber_open(w, BER_CLASS_CONTEXT, msg->rsd_source);
		ber_put_int(w, BER_CLASS_UNIVERSAL, BER_TAG_INTEGER, msg->rsd_value);
		ber_close(w);
		ber_close(w);
	}
	if (msg->num_userinfo || msg->userinfo.len) {
		ber_open(w, BER_CLASS_CONTEXT, TCAP_TAG_USERINFO);
		for (i = 0; i < msg->num_userinfo; i++) {
			rc = tcap_external_encode(w, &msg->userinfo_ext[i]);
			if (rc < 0)
				return rc;
		}
		ber_close(w);
	}
	ber_close(w);
	ber_close(w);
	ber_close(w);
	return ber_close(w);
}

static void tcap_put_tid(struct ber_writer *w, uint32_t tag, const uint8_t *tid, uint8_t len)
{
	ber_put_tlv(w, BER_CLASS_APPLICATION, false, tag, tid, len);
}

/*! Encode a TCAP message with definite, minimal lengths.  Parameters and
 *  single-ASN1-type values are copied as they are.
 *  \returns octets written, -EINVAL (fields inconsistent with the type), -ENOSPC */
int tcap_msg_encode(uint8_t *out, size_t out_size, const struct tcap_msg *msg)
{
	struct ber_writer w;
	unsigned int i;
	bool want_otid = msg->type == TCAP_MSG_BEGIN || msg->type == TCAP_MSG_CONTINUE;
	bool want_dtid = msg->type == TCAP_MSG_CONTINUE || msg->type == TCAP_MSG_END ||
			 msg->type == TCAP_MSG_ABORT;
	int rc;

	if (!get_value_string_or_null(tcap_msg_type_names, msg->type))
		return -EINVAL;
	if (want_otid && (!msg->has_otid || msg->otid_len < 1 || msg->otid_len > TCAP_TID_MAX_LEN))
		return -EINVAL;
	if (want_dtid && (!msg->has_dtid || msg->dtid_len < 1 || msg->dtid_len > TCAP_TID_MAX_LEN))
		return -EINVAL;
	if (msg->num_components > TCAP_MAX_COMPONENTS)
		return -EINVAL;
	if (msg->type == TCAP_MSG_UNIDIRECTIONAL && msg->num_components == 0)
		return -EINVAL;
	if (msg->type == TCAP_MSG_ABORT &&
	    (msg->num_components || (msg->has_pabort && msg->dlg_pdu != TCAP_DLG_NONE)))
		return -EINVAL;
	if (msg->type != TCAP_MSG_ABORT && msg->has_pabort)
		return -EINVAL;

	ber_writer_init(&w, out, out_size);
	ber_open(&w, BER_CLASS_APPLICATION, msg->type);
	if (want_otid)
		tcap_put_tid(&w, TCAP_TAG_OTID, msg->otid, msg->otid_len);
	if (want_dtid)
		tcap_put_tid(&w, TCAP_TAG_DTID, msg->dtid, msg->dtid_len);
	if (msg->has_pabort)
		ber_put_int(&w, BER_CLASS_APPLICATION, TCAP_TAG_PABORT, msg->pabort_cause);
	if (msg->dlg_pdu != TCAP_DLG_NONE) {
		rc = tcap_dialogue_encode(&w, msg);
		if (rc < 0)
			return rc;
	}
	if (msg->num_components) {
		ber_open(&w, BER_CLASS_APPLICATION, TCAP_TAG_COMPONENTS);
		for (i = 0; i < msg->num_components; i++) {
			rc = tcap_component_encode(&w, &msg->comp[i]);
			if (rc < 0)
				return rc;
		}
		ber_close(&w);
	}
	ber_close(&w);
	return ber_writer_finish(&w);
}

/* ------------------------------------------------------------------------
 * Inserting and removing one user-information EXTERNAL
 * ------------------------------------------------------------------------ */

/*! The EXTERNAL of the user-information whose direct-reference is this OID.
 *  \returns the first one, or NULL */
const struct tcap_external *tcap_userinfo_find(const struct tcap_msg *msg,
					       const uint8_t *oid, size_t oid_len)
{
	unsigned int i;

	for (i = 0; i < msg->num_userinfo; i++) {
		if (ber_slice_equal(&msg->userinfo_ext[i].oid, oid, oid_len))
			return &msg->userinfo_ext[i];
	}
	return NULL;
}

/* An element that encloses the splice point, by offset into the message */
struct tcap_encl {
	size_t off;
	size_t id_len;
	size_t hdr_len;
	size_t content_len;
	bool indefinite;
};

/* Longest chain: message, dialogue portion, EXTERNAL, [0], PDU, [30] */
#define TCAP_ENCL_MAX	6

static void tcap_encl_set(struct tcap_encl *e, const uint8_t *msg, const struct ber_tlv *t)
{
	e->off = t->raw.data - msg;
	e->id_len = t->id_len;
	e->hdr_len = t->hdr_len;
	e->content_len = t->value.len;
	e->indefinite = t->indefinite;
}

/* The chain of elements from the message down to the dialogue PDU (and its
 * [30] when present) of a message that decoded. */
static int tcap_encl_locate(struct tcap_encl *encl, unsigned int *n, struct ber_tlv *pdu,
			    const uint8_t *buf, size_t len, const struct tcap_msg *msg)
{
	struct ber_tlv t;
	struct ber_cursor c;
	int rc;

	*n = 0;
	/* message */
	if (ber_tlv_read(&t, buf, len, D_MSG) < 0)
		return -EBADMSG;
	tcap_encl_set(&encl[(*n)++], buf, &t);
	/* dialogue portion */
	if (ber_tlv_read(&t, msg->dialogue.data, msg->dialogue.len, D_PORTION) < 0)
		return -EBADMSG;
	tcap_encl_set(&encl[(*n)++], buf, &t);
	/* its EXTERNAL */
	if (ber_tlv_read(&t, t.value.data, t.value.len, D_EXT) < 0)
		return -EBADMSG;
	tcap_encl_set(&encl[(*n)++], buf, &t);
	/* direct-reference, then [0] */
	ber_cursor_init(&c, t.value.data, t.value.len, D_ASN1);
	if (ber_cursor_next(&c, &t) != 1 || ber_cursor_next(&c, &t) != 1)
		return -EBADMSG;
	tcap_encl_set(&encl[(*n)++], buf, &t);
	/* the PDU */
	rc = ber_tlv_read(pdu, t.value.data, t.value.len, D_PDU);
	if (rc < 0)
		return rc;
	tcap_encl_set(&encl[(*n)++], buf, pdu);
	/* [30] */
	if (msg->userinfo.len) {
		if (ber_tlv_read(&t, msg->userinfo.data, msg->userinfo.len, D_PDU_FIELD) < 0)
			return -EBADMSG;
		tcap_encl_set(&encl[(*n)++], buf, &t);
	}
	return 0;
}

/* The number of length octets an enclosing element gets when its contents
 * change from old_len to new_len (see tcap.h for why). */
static int tcap_len_octets(size_t old_octets, size_t old_len, size_t new_len, bool grow)
{
	size_t min_new = ber_len_size(new_len);

	if (old_octets == ber_len_size(old_len))
		return min_new;
	/* the sender's length was longer than needed: keep its size */
	if (!grow)
		return old_octets;
	if (min_new >= old_octets)
		return -ENOTSUP;
	return old_octets;
}

/* Copy in to out, replacing in[cut, cut_end) by ins and rewriting the
 * length octets of the enclosing elements (outermost first). */
static int tcap_splice(uint8_t *out, size_t out_size, const uint8_t *in, size_t in_len,
		       const struct tcap_encl *encl, unsigned int n, size_t cut, size_t cut_end,
		       const uint8_t *ins, size_t ins_len, bool grow)
{
	size_t octets[TCAP_ENCL_MAX] = { 0 }, content[TCAP_ENCL_MAX] = { 0 };
	int64_t delta = (int64_t)ins_len - (int64_t)(cut_end - cut);
	size_t pos = 0, prev = 0, total;
	unsigned int i;
	int rc;

	for (i = n; i-- > 0;) {
		size_t old_octets = encl[i].hdr_len - encl[i].id_len;

		if (encl[i].indefinite) {
			/* 0x80 stays; the end-of-contents follows the new contents */
			octets[i] = 1;
			continue;
		}
		if ((int64_t)encl[i].content_len + delta < 0)
			return -EINVAL;
		content[i] = encl[i].content_len + delta;
		rc = tcap_len_octets(old_octets, encl[i].content_len, content[i], grow);
		if (rc < 0) {
			LOGP(DSS7, LOGL_NOTICE, "TCAP user-information: a length of %zu octets "
			     "for %zu cannot change reversibly\n", old_octets, encl[i].content_len);
			return rc;
		}
		octets[i] = rc;
		delta += (int64_t)octets[i] - (int64_t)old_octets;
	}
	if ((int64_t)in_len + delta < 0 || (uint64_t)((int64_t)in_len + delta) > out_size)
		return -ENOSPC;
	total = in_len + delta;
	if (total > INT_MAX)
		return -ENOSPC;

	for (i = 0; i < n; i++) {
		size_t id_end = encl[i].off + encl[i].id_len;

		memcpy(out + pos, in + prev, id_end - prev);
		pos += id_end - prev;
		if (encl[i].indefinite)
			out[pos] = 0x80;
		else
			ber_len_put(out + pos, octets[i], content[i], octets[i]);
		pos += octets[i];
		prev = encl[i].off + encl[i].hdr_len;
	}
	memcpy(out + pos, in + prev, cut - prev);
	pos += cut - prev;
	if (ins_len)
		memcpy(out + pos, ins, ins_len);
	pos += ins_len;
	memcpy(out + pos, in + cut_end, in_len - cut_end);
	pos += in_len - cut_end;
	return pos == total ? (int)total : -EINVAL;
}

/* Which dialogue PDU can carry the EXTERNAL in this message */
static int tcap_userinfo_carrier(const struct tcap_msg *msg)
{
	if ((msg->type == TCAP_MSG_BEGIN && msg->dlg_pdu == TCAP_DLG_AARQ) ||
	    ((msg->type == TCAP_MSG_CONTINUE || msg->type == TCAP_MSG_END) &&
	     msg->dlg_pdu == TCAP_DLG_AARE))
		return 0;
	LOGP(DSS7, LOGL_INFO, "TCAP %s with %s cannot carry a user-information EXTERNAL\n",
	     get_value_string(tcap_msg_type_names, msg->type),
	     msg->dlg_pdu == TCAP_DLG_NONE ? "no dialogue portion"
					   : get_value_string(tcap_dlg_pdu_names, msg->dlg_pdu));
	return -ENOTSUP;
}

/*! Append one EXTERNAL { direct-reference oid, octet-aligned [1] val } to the
 *  user-information of the AARQ of a Begin or the AARE of a Continue or End,
 *  as sent: only the lengths of the enclosing elements change (tcap.h).
 *  \param[out] out the new message; must not overlap msg
 *  \param[in] msg, len the message as received
 *  \param[in] oid contents octets of the direct-reference
 *  \param[in] val the octets of the value (at most 1024)
 *  \returns the new length, -EBADMSG (msg does not decode), -ENOTSUP (no
 *  dialogue portion, other message or PDU, a length form that strip could
 *  not restore), -EEXIST (an EXTERNAL with that OID is there), -E2BIG
 *  (TCAP_MAX_USERINFO reached), -EINVAL (oid not an OID, val too long), -ENOSPC */
int tcap_userinfo_insert(uint8_t *out, size_t out_size, const uint8_t *msg, size_t len,
			 const uint8_t *oid, size_t oid_len, const uint8_t *val, size_t val_len)
{
	struct tcap_encl encl[TCAP_ENCL_MAX];
	uint8_t ext[1024 + 64];
	struct ber_writer w;
	struct tcap_msg m;
	struct ber_tlv pdu;
	unsigned int n;
	size_t cut;
	int rc, ext_len;

	if (ber_oid_check(oid, oid_len) < 0 || oid_len > 32 || val_len > 1024)
		return -EINVAL;
	rc = tcap_msg_decode(&m, msg, len);
	if (rc < 0)
		return rc;
	rc = tcap_userinfo_carrier(&m);
	if (rc < 0)
		return rc;
	if (tcap_userinfo_find(&m, oid, oid_len)) {
		LOGP(DSS7, LOGL_NOTICE, "TCAP user-information: the EXTERNAL to insert is there already\n");
		return -EEXIST;
	}
	if (m.num_userinfo == TCAP_MAX_USERINFO) {
		LOGP(DSS7, LOGL_NOTICE, "TCAP user-information: already %u EXTERNALs\n",
		     TCAP_MAX_USERINFO);
		return -E2BIG;
	}
	rc = tcap_encl_locate(encl, &n, &pdu, msg, len, &m);
	if (rc < 0)
		return rc;

	ber_writer_init(&w, ext, sizeof(ext));
	if (!m.userinfo.len)
		ber_open(&w, BER_CLASS_CONTEXT, TCAP_TAG_USERINFO);
	ber_open(&w, BER_CLASS_UNIVERSAL, BER_TAG_EXTERNAL);
	ber_put_tlv(&w, BER_CLASS_UNIVERSAL, false, BER_TAG_OID, oid, oid_len);
	ber_put_tlv(&w, BER_CLASS_CONTEXT, false, TCAP_EXT_OCTET_ALIGNED, val, val_len);
	ber_close(&w);
	if (!m.userinfo.len)
		ber_close(&w);
	ext_len = ber_writer_finish(&w);
	if (ext_len < 0)
		return ext_len;

	if (m.userinfo.len) {
		const struct tcap_encl *ui = &encl[n - 1];

		/* an empty "BE 00" would look, after strip, like one insert created */
		if (m.num_userinfo == 0 && !ui->indefinite && ui->hdr_len - ui->id_len == 1) {
			LOGP(DSS7, LOGL_NOTICE, "TCAP user-information: empty and minimal, "
			     "strip could not restore it\n");
			return -ENOTSUP;
		}
		cut = ui->off + ui->hdr_len + ui->content_len;
	} else {
		cut = pdu.value.data + pdu.value.len - msg;
	}
	return tcap_splice(out, out_size, msg, len, encl, n, cut, cut, ext, ext_len, true);
}

/*! Remove the user-information EXTERNAL whose direct-reference is oid, and
 *  its [30] when tcap_userinfo_insert() created that: the inverse of insert.
 *  \param[out] out the message without it; must not overlap msg
 *  \returns the new length, -EBADMSG (msg does not decode, or two EXTERNALs
 *  carry the OID), -ENOTSUP (a message whose dialogue PDU cannot carry one),
 *  -ENOENT (none carries the OID), -ENOSPC */
int tcap_userinfo_strip(uint8_t *out, size_t out_size, const uint8_t *msg, size_t len,
			const uint8_t *oid, size_t oid_len)
{
	struct tcap_encl encl[TCAP_ENCL_MAX];
	const struct tcap_external *ext = NULL;
	struct tcap_msg m;
	struct ber_tlv pdu;
	unsigned int i, n, found = 0;
	size_t cut, cut_end;
	int rc;

	rc = tcap_msg_decode(&m, msg, len);
	if (rc < 0)
		return rc;
	if (m.dlg_pdu == TCAP_DLG_NONE)
		return -ENOENT;
	rc = tcap_userinfo_carrier(&m);
	if (rc < 0)
		return rc;
	for (i = 0; i < m.num_userinfo; i++) {
		if (ber_slice_equal(&m.userinfo_ext[i].oid, oid, oid_len)) {
			ext = &m.userinfo_ext[i];
			found++;
		}
	}
	if (!found)
		return -ENOENT;
	if (found > 1)
		return tcap_bad("user-information", "two EXTERNALs carry the same direct-reference");
	rc = tcap_encl_locate(encl, &n, &pdu, msg, len, &m);
	if (rc < 0)
		return rc;

	if (m.num_userinfo == 1 && !encl[n - 1].indefinite &&
	    encl[n - 1].hdr_len - encl[n - 1].id_len == ber_len_size(encl[n - 1].content_len)) {
		/* the [30] insert created: it goes too */
		n--;
		cut = encl[n].off;
		cut_end = m.userinfo.data + m.userinfo.len - msg;
	} else {
		cut = ext->raw.data - msg;
		cut_end = cut + ext->raw.len;
	}
	return tcap_splice(out, out_size, msg, len, encl, n, cut, cut_end, NULL, 0, false);
}
