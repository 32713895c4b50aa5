/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file tcap.h
 *  TCAP messages, ITU-T Q.773 (the ASN.1 of the ITU white book, as
 *  Wireshark's TCAP dissector, osmocom and jSS7 read it): decode into a
 *  struct of slices of the input, encode from such a struct, and add or
 *  remove one user-information EXTERNAL in a message as sent.
 *
 *  Input and output are the SCCP user data: the TCAP message itself.
 *
 *  The signature EXTERNAL (ARCHITECTURE §2.3)
 *  ------------------------------------
 *  The hop signature of a MAP dialogue travels as one more EXTERNAL in the
 *  user-information of the dialogue PDU: the AARQ of a Begin, or the AARE
 *  of the first Continue or of an End.  A TC-BEGIN with it:
 *
 *      62 L  Begin [APPLICATION 2]
 *        48 L  otid [APPLICATION 8]
 *        6B L  dialoguePortion [APPLICATION 11]
 *          28 L  EXTERNAL
 *            06 07 00 11 86 05 01 01 01   dialogue-as-id 0.0.17.773.1.1.1
 *            A0 L  single-ASN1-type [0]
 *              60 L  AARQ [APPLICATION 0]
 *                80 02 07 80              protocol-version [0]: version1
 *                A1 L 06 L <AC OID>       application-context-name [1]
 *                BE L  user-information [30]
 *                  28 L ...               the EXTERNALs the sender put there
 *                                         (e.g. MAP-OpenInfo), unchanged
 *                  28 L                   the signature EXTERNAL, last:
 *                    06 05 88 37 97 71 01   direct-reference TCAP_STIWF_SIG_OID
 *                    81 L <token>           encoding octet-aligned [1]
 *        6C L  components [APPLICATION 12], unchanged
 *
 *  tcap_userinfo_insert() rewrites nothing but the length octets of the
 *  elements that enclose the new EXTERNAL (Begin, dialogue portion,
 *  EXTERNAL, [0], AARQ and [30]); [30] is created at the end of the AARQ
 *  when absent.  Every other octet is copied as sent.  tcap_userinfo_strip()
 *  undoes it: strip(insert(x)) == x, octet for octet, for every x insert
 *  accepts.  To make that hold, the enclosing lengths keep their form:
 *   - an indefinite length stays indefinite (the contents grow, the
 *     end-of-contents octets stay where they close);
 *   - a minimal definite length stays minimal (it may gain an octet);
 *   - a longer-than-needed definite length (e.g. 81 05) keeps its number of
 *     octets; insert refuses (-ENOTSUP) when it would have to grow, or would
 *     become minimal, because strip could then not tell it from the
 *     minimal case;
 *   - strip removes the [30] together with the EXTERNAL when it was the
 *     only one and [30] has a minimal definite length, which is what insert
 *     creates; insert therefore refuses an existing empty "BE 00".
 *  A message without a dialogue portion (a MAP v1 Begin, a later Continue)
 *  cannot carry the EXTERNAL: insert returns -ENOTSUP.
 *
 *  The OID: TCAP_STIWF_SIG_OID is 2.999.3057.1, under the arc X.660 sets
 *  aside for examples ({joint-iso-itu-t(2) example(999)}).  Nobody is
 *  assigned OIDs there, so it cannot collide with a registered one and says
 *  plainly that it is a placeholder; 3057 points at Q.3057.  It is short
 *  because tshark 4.0 prints the 2.25 UUID OID of ARCHITECTURE §2.3 (an arc of
 *  128 bits) as "(*** Malformed OID ***)" and gives no ber.direct_reference
 *  for it (our decoder accepts such arcs, up to 140 bits); tshark shows
 *  2.999.3057.1 as direct-reference "joint-iso-itu-t.999.3057.1" and the
 *  token under octet-aligned, without any expert note
 *  (tests/ss7/tcap_tshark.sh).  It must become an OID registered to the
 *  operator (or a 2.25 UUID once the verifiers cope with it) before it
 *  crosses a border. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <osmocom/core/utils.h>

#include "ss7/ber.h"

/*! Most components in one message we decode. */
#define TCAP_MAX_COMPONENTS	16
/*! Most EXTERNALs in one user-information we decode. */
#define TCAP_MAX_USERINFO	8
/*! Longest transaction ID (Q.773 §3.1: SIZE (1..4)). */
#define TCAP_TID_MAX_LEN	4

/*! The signature EXTERNAL's direct-reference, 2.999.3057.1 (see above). */
#define TCAP_STIWF_SIG_OID		"\x88\x37\x97\x71\x01"
#define TCAP_STIWF_SIG_OID_LEN		5
#define TCAP_STIWF_SIG_OID_TEXT		"2.999.3057.1"

/*! dialogue-as-id 0.0.17.773.1.1.1 and uniDialogue-as-id 0.0.17.773.1.2.1 (Q.773 §4.2.2) */
extern const uint8_t tcap_dialogue_as_id[7];
extern const uint8_t tcap_unidialogue_as_id[7];

/*! Message types: the tag numbers of [APPLICATION n] (Q.773 §3.1). */
enum tcap_msg_type {
	TCAP_MSG_UNIDIRECTIONAL	= 1,
	TCAP_MSG_BEGIN		= 2,
	TCAP_MSG_END		= 4,
	TCAP_MSG_CONTINUE	= 5,
	TCAP_MSG_ABORT		= 7,
};
extern const struct value_string tcap_msg_type_names[];

/*! The dialogue PDU in a dialogue portion (Q.773 §4.2.2, tag numbers + 1
 *  so that 0 means none). */
enum tcap_dlg_pdu {
	TCAP_DLG_NONE = 0,
	TCAP_DLG_AARQ,		/*!< [APPLICATION 0] in a Begin */
	TCAP_DLG_AARE,		/*!< [APPLICATION 1] in a Continue, End or Abort */
	TCAP_DLG_ABRT,		/*!< [APPLICATION 4] in an Abort */
	TCAP_DLG_AUDT,		/*!< [APPLICATION 0] of the unidialogue, in a Unidirectional */
};
extern const struct value_string tcap_dlg_pdu_names[];

/*! Component types: the tag numbers of [n] (Q.773 §3.2). */
enum tcap_comp_type {
	TCAP_COMP_INVOKE		= 1,
	TCAP_COMP_RESULT_LAST		= 2,
	TCAP_COMP_ERROR			= 3,
	TCAP_COMP_REJECT		= 4,
	TCAP_COMP_RESULT_NOT_LAST	= 7,
};
extern const struct value_string tcap_comp_type_names[];

/*! P-AbortCause (Q.773 §3.1). */
enum tcap_pabort_cause {
	TCAP_PABORT_UNRECOGNIZED_MSG_TYPE	= 0,
	TCAP_PABORT_UNRECOGNIZED_TID		= 1,
	TCAP_PABORT_BADLY_FORMATTED_TP		= 2,
	TCAP_PABORT_INCORRECT_TP		= 3,
	TCAP_PABORT_RESOURCE_LIMITATION		= 4,
};
extern const struct value_string tcap_pabort_cause_names[];

/*! The encoding CHOICE of an EXTERNAL (X.690 §8.18). */
enum tcap_ext_encoding {
	TCAP_EXT_SINGLE_ASN1	= 0,	/*!< [0] the value is one BER element */
	TCAP_EXT_OCTET_ALIGNED	= 1,	/*!< [1] IMPLICIT OCTET STRING */
	TCAP_EXT_ARBITRARY	= 2,	/*!< [2] IMPLICIT BIT STRING */
};

/*! One EXTERNAL of a user-information. */
struct tcap_external {
	/*! the EXTERNAL as sent, tag to last octet */
	struct ber_slice raw;
	/*! direct-reference: contents octets of the OID (len 0 when absent) */
	struct ber_slice oid;
	bool has_indirect_ref;
	int64_t indirect_ref;
	enum tcap_ext_encoding encoding;
	/*! contents of the encoding: the inner element for [0], the octets for [1] and [2] */
	struct ber_slice value;
};

/*! One component.  Local and global codes share the code fields: the
 *  operation of an Invoke or a ReturnResult, the error of a ReturnError. */
struct tcap_component {
	enum tcap_comp_type type;
	/*! the component as sent */
	struct ber_slice raw;
	/*! false only for a Reject whose invoke ID is "not derivable" (NULL) */
	bool has_invoke_id;
	int8_t invoke_id;
	bool has_linked_id;
	int8_t linked_id;
	/*! an operation (or error) code is present; always for Invoke and ReturnError */
	bool has_code;
	bool code_global;
	int64_t code_local;
	/*! contents octets of the OID of a global code */
	struct ber_slice code_oid;
	/*! the parameter element as sent, tag included (len 0 when absent) */
	struct ber_slice param;
	/*! Reject: the problem's CHOICE tag ([0] general .. [3] returnError) and value */
	uint8_t problem_tag;
	int64_t problem;
};

/*! A decoded message.  Every slice points into the buffer that was decoded
 *  (or, to encode, into the caller's data). */
struct tcap_msg {
	enum tcap_msg_type type;
	/*! the whole message as sent */
	struct ber_slice raw;
	bool has_otid;
	uint8_t otid_len;
	uint8_t otid[TCAP_TID_MAX_LEN];
	bool has_dtid;
	uint8_t dtid_len;
	uint8_t dtid[TCAP_TID_MAX_LEN];
	/*! Abort: the P-AbortCause [APPLICATION 10] (then there is no dialogue portion) */
	bool has_pabort;
	int64_t pabort_cause;

	/*! the dialogue portion [APPLICATION 11] as sent (len 0 when absent) */
	struct ber_slice dialogue;
	enum tcap_dlg_pdu dlg_pdu;
	/*! AARQ, AARE, AUDT: protocol-version [0] BIT STRING contents (len 0 when absent) */
	struct ber_slice proto_version;
	/*! AARQ, AARE, AUDT: application-context-name, contents octets of the OID */
	struct ber_slice acn;
	/*! AARE: result [2] (0 accepted, 1 reject-permanent) */
	int64_t result;
	/*! AARE: result-source-diagnostic [3]: 1 dialogue-service-user, 2 -provider, and the value */
	uint8_t rsd_source;
	int64_t rsd_value;
	/*! ABRT: abort-source [0] (0 dialogue-service-user, 1 -provider) */
	int64_t abort_source;
	/*! user-information [30] as sent (len 0 when absent) */
	struct ber_slice userinfo;
	unsigned int num_userinfo;
	struct tcap_external userinfo_ext[TCAP_MAX_USERINFO];

	/*! the component portion [APPLICATION 12] as sent (len 0 when absent) */
	struct ber_slice components;
	unsigned int num_components;
	struct tcap_component comp[TCAP_MAX_COMPONENTS];
};

int tcap_msg_decode(struct tcap_msg *msg, const uint8_t *buf, size_t len);
int tcap_msg_encode(uint8_t *out, size_t out_size, const struct tcap_msg *msg);

const struct tcap_external *tcap_userinfo_find(const struct tcap_msg *msg,
					       const uint8_t *oid, size_t oid_len);
int tcap_userinfo_insert(uint8_t *out, size_t out_size, const uint8_t *msg, size_t len,
			 const uint8_t *oid, size_t oid_len, const uint8_t *val, size_t val_len);
int tcap_userinfo_strip(uint8_t *out, size_t out_size, const uint8_t *msg, size_t len,
			const uint8_t *oid, size_t oid_len);
