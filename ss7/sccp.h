/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file sccp.h
 *  SCCP connectionless messages, ITU-T Q.713 (ITU variant only: 14-bit
 *  point codes, ITU address indicator; ANSI T1.112 differs and is not
 *  handled): UDT, UDTS, XUDT and XUDTS with their party addresses, and the
 *  splitting of long user data into XUDT segments (Q.714 §4.1.1.2).
 *
 *  The octets handled here are the SCCP message from its message type on,
 *  as carried in an MTP-TRANSFER with service indicator 3: no routing label.
 *
 *  A decoded message points into the buffer it was decoded from (data);
 *  its addresses are copies, so that a caller can rewrite them (global title
 *  digits, TT, NP, routing indicator, SSN, PC) and encode the message again
 *  with the user data untouched.  Decoders do not log: they return
 *  -EBADMSG or -ENOTSUP and, when given a buffer, a text naming the field,
 *  so that the caller logs once with the peer's point code. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <osmocom/core/utils.h>

/*! Q.713 §3.4.2.1: ITU signalling point codes have 14 bits */
#define SCCP_PC_MAX		0x3fff
/*! Global title digits kept per address; E.164, E.212 and E.214 numbers
 *  have at most 15 */
#define SCCP_GT_DIGITS_MAX	32
/*! An encoded party address takes at most AI, PC, SSN, TT, NP/ES, NAI and
 *  the digits */
#define SCCP_ADDR_MAX_LEN	(6 + SCCP_GT_DIGITS_MAX / 2)
/*! Q.713 §3.18: the hop counter counts down from at most 15 */
#define SCCP_HOP_COUNTER_MAX	15
/*! Q.713 §3.17: four bits of remaining segments, so at most 16 segments */
#define SCCP_SEGMENTS_MAX	16
/*! Q.714 §4.1.1.2: the largest user data a connectionless message may be
 *  segmented from: 16 segments */
#define SCCP_SEGMENTED_DATA_MAX	3952
/*! Q.703 §2.3.8: an MSU carries at most 272 octets of SIF, of which the ITU
 *  routing label takes 4 (Q.704 §2.2) */
#define SCCP_MTP3_SIF_MAX		272
#define SCCP_MTP3_ROUTING_LABEL_LEN	4

/*! Q.713 §2.1, Table 1: the connectionless message types handled here */
enum sccp_msg_type {
	SCCP_MSGT_UDT	= 0x09,
	SCCP_MSGT_UDTS	= 0x0a,
	SCCP_MSGT_XUDT	= 0x11,
	SCCP_MSGT_XUDTS	= 0x12,
};
extern const struct value_string sccp_msg_type_names[];
static inline const char *sccp_msg_type_name(uint8_t t)
{ return get_value_string(sccp_msg_type_names, t); }

/*! Q.713 §3.4.1: routing indicator (bit 7 of the address indicator) */
enum sccp_ri {
	SCCP_RI_GT	= 0,	/*!< route on global title */
	SCCP_RI_SSN	= 1,	/*!< route on DPC (MTP routing label) and SSN */
};
extern const struct value_string sccp_ri_names[];

/*! Q.713 §3.4.1: global title indicator */
enum sccp_gti {
	SCCP_GTI_NONE		= 0,
	SCCP_GTI_NAI		= 1,	/*!< nature of address indicator and odd/even only */
	SCCP_GTI_TT		= 2,	/*!< translation type only */
	SCCP_GTI_TT_NP_ES	= 3,	/*!< TT, numbering plan and encoding scheme */
	SCCP_GTI_TT_NP_ES_NAI	= 4,	/*!< TT, NP, ES and nature of address indicator */
};
extern const struct value_string sccp_gti_names[];

/*! Q.713 §3.4.2.3.3: numbering plan (the values MAP traffic uses) */
enum sccp_np {
	SCCP_NP_UNKNOWN	= 0,
	SCCP_NP_E164	= 1,	/*!< ISDN/telephony */
	SCCP_NP_GENERIC	= 2,
	SCCP_NP_X121	= 3,
	SCCP_NP_F69	= 4,
	SCCP_NP_E210	= 5,
	SCCP_NP_E212	= 6,	/*!< land mobile */
	SCCP_NP_E214	= 7,	/*!< ISDN/mobile */
	SCCP_NP_PRIVATE	= 14,
};
extern const struct value_string sccp_np_names[];

/*! Q.713 §3.4.2.3.1: nature of address indicator */
enum sccp_nai {
	SCCP_NAI_UNKNOWN	= 0,
	SCCP_NAI_SUBSCRIBER	= 1,
	SCCP_NAI_NATIONAL_USE	= 2,	/*!< reserved for national use */
	SCCP_NAI_NATIONAL	= 3,	/*!< national significant number */
	SCCP_NAI_INTERNATIONAL	= 4,
};
extern const struct value_string sccp_nai_names[];

/*! Q.713 §3.12: return cause of UDTS and XUDTS */
enum sccp_return_cause {
	SCCP_RC_NO_TRANSLATION_NATURE	= 0x00,	/*!< no translation for an address of such nature */
	SCCP_RC_NO_TRANSLATION_ADDRESS	= 0x01,	/*!< no translation for this specific address */
	SCCP_RC_SUBSYSTEM_CONGESTION	= 0x02,
	SCCP_RC_SUBSYSTEM_FAILURE	= 0x03,
	SCCP_RC_UNEQUIPPED_USER		= 0x04,
	SCCP_RC_MTP_FAILURE		= 0x05,
	SCCP_RC_NETWORK_CONGESTION	= 0x06,
	SCCP_RC_UNQUALIFIED		= 0x07,
	SCCP_RC_ERROR_IN_TRANSPORT	= 0x08,	/*!< error in message transport */
	SCCP_RC_ERROR_IN_LOCAL_PROC	= 0x09,	/*!< error in local processing */
	SCCP_RC_CANNOT_REASSEMBLE	= 0x0a,	/*!< destination cannot perform reassembly */
	SCCP_RC_SCCP_FAILURE		= 0x0b,
	SCCP_RC_HOP_COUNTER_VIOLATION	= 0x0c,
	SCCP_RC_SEGMENTATION_NOT_SUPPORTED = 0x0d,
	SCCP_RC_SEGMENTATION_FAILURE	= 0x0e,
};
extern const struct value_string sccp_return_cause_names[];
static inline const char *sccp_return_cause_name(uint8_t c)
{ return get_value_string(sccp_return_cause_names, c); }

/*! Q.713 §3.4.2.3: a global title.  Digits are ASCII '0'-'9' and 'A'-'F'
 *  for the BCD nibbles 0xA-0xF (0xB and 0xC are codes 11 and 12, 0xF is ST);
 *  the odd/even indicator and the encoding scheme follow from their number.
 *  Fields the GTI does not carry are 0 and ignored by the encoder. */
struct sccp_gt {
	uint8_t gti;		/*!< enum sccp_gti; SCCP_GTI_NONE: no global title */
	uint8_t tt;		/*!< translation type (GTI 2, 3, 4) */
	uint8_t np;		/*!< 4 bits, enum sccp_np (GTI 3, 4) */
	uint8_t nai;		/*!< 7 bits, enum sccp_nai (GTI 1, 4) */
	char digits[SCCP_GT_DIGITS_MAX + 1];
};

/*! Q.713 §3.4: a called or calling party address */
struct sccp_addr {
	bool national;		/*!< bit 8 of the address indicator (reserved for national use) */
	uint8_t ri;		/*!< enum sccp_ri */
	bool has_pc;
	uint16_t pc;		/*!< 14 bits */
	bool has_ssn;
	uint8_t ssn;
	struct sccp_gt gt;
};

/*! Q.713 §3.17: segmentation parameter of XUDT and XUDTS */
struct sccp_segmentation {
	bool first;		/*!< F: the first segment */
	uint8_t proto_class;	/*!< C: the protocol class the user asked for, 0 or 1 */
	uint8_t remaining;	/*!< segments that follow this one, 0..15 */
	uint32_t local_ref;	/*!< segmentation local reference, 24 bits */
};

/*! One UDT, UDTS, XUDT or XUDTS.  Fields a type does not have are 0 and
 *  ignored by the encoder (which refuses optional parameters on UDT/UDTS). */
struct sccp_msg {
	uint8_t type;		/*!< enum sccp_msg_type */
	uint8_t proto_class;	/*!< UDT, XUDT: Q.713 §3.6, 0 or 1 */
	bool return_on_error;	/*!< UDT, XUDT: message handling "return message on error" */
	uint8_t cause;		/*!< UDTS, XUDTS: enum sccp_return_cause */
	uint8_t hop_counter;	/*!< XUDT, XUDTS: 1..15 */
	bool has_segmentation;	/*!< XUDT, XUDTS */
	struct sccp_segmentation seg;
	bool has_importance;	/*!< XUDT, XUDTS */
	uint8_t importance;	/*!< Q.713 §3.19, 0..7 */
	struct sccp_addr called;
	struct sccp_addr calling;
	const uint8_t *data;	/*!< user data; into the decoded buffer */
	size_t data_len;	/*!< 1..255 */
};

/*! Decode a party address (the parameter's value, without its length).
 *  \param[out] err what is wrong, naming the field (when not NULL)
 *  \returns len, -EBADMSG (malformed) or -ENOTSUP (a GTI or encoding
 *           scheme not handled) */
int sccp_addr_decode(struct sccp_addr *a, const uint8_t *buf, size_t len, char *err, size_t err_len);

/*! Encode a party address (value only) into buf.
 *  \returns octets written, -ENOSPC, or -EINVAL for a field out of range */
int sccp_addr_encode(uint8_t *buf, size_t size, const struct sccp_addr *a);

/*! Set the digits of a global title (rewrite).
 *  \returns 0, or -EINVAL when not 0 to SCCP_GT_DIGITS_MAX of '0'-'9', 'A'-'F' */
int sccp_gt_set_digits(struct sccp_gt *gt, const char *digits);

/*! Write a party address for logs: "RI=GT PC=.. SSN=.. GT=4/tt0/np1/nai4/4930..".
 *  \returns buf */
char *sccp_addr_to_str_buf(char *buf, size_t size, const struct sccp_addr *a);

/*! Decode one UDT, UDTS, XUDT or XUDTS.  m->data points into buf.  The
 *  pointers may put the parameters in any order, but no octet may belong
 *  to two of them.  Unknown optional parameters are skipped.
 *  \param[out] err what is wrong, naming the field (when not NULL)
 *  \returns len, -EBADMSG (malformed) or -ENOTSUP (another message type,
 *           a protocol class other than 0 and 1, a GTI or encoding scheme
 *           not handled) */
int sccp_msg_decode(struct sccp_msg *m, const uint8_t *buf, size_t len, char *err, size_t err_len);

/*! Encode m into buf, parameters in the order of Q.713 §4.
 *  \returns octets written, -ENOSPC (buf too small), -EINVAL (a field out
 *           of range) or -EMSGSIZE (the data does not fit one message of
 *           this type: a length or pointer above 255; a decoded message
 *           whose optional part came before long data may not fit either) */
int sccp_msg_encode(uint8_t *buf, size_t size, const struct sccp_msg *m);

/*! The largest user data that m's type, addresses and optional parameters
 *  leave room for in one message of at most max_sif octets of MTP3 SIF
 *  (routing label included).
 *  \returns octets (0 when nothing fits), or -EINVAL */
int sccp_msg_max_data(const struct sccp_msg *m, size_t max_sif);

/*! Split user data into XUDT segments (Q.714 §4.1.1.2): every segment is
 *  an XUDT of protocol class 1, so that MTP keeps them in sequence, with
 *  tmpl's addresses, return option, hop counter and importance; the
 *  segmentation parameter records tmpl->proto_class in its C bit.  All
 *  segments but the last carry the same amount of data, the most that fits
 *  in max_sif.  segs[i].data points into data.
 *  \returns the number of segments (1..16), -EMSGSIZE when the data needs
 *           more than max_segs or 16 segments, -EINVAL */
int sccp_xudt_segment(const struct sccp_msg *tmpl, const uint8_t *data, size_t len, size_t max_sif,
		      uint32_t local_ref, struct sccp_msg *segs, unsigned int max_segs);
