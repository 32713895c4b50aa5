/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file isup.h
 *  ISDN User Part codec, ITU-T Q.763 (ITU variant, not ANSI T1.113).
 *
 *  The octets handled here start at the Circuit Identification Code and end
 *  with the last octet of the message: no MTP3 routing label, no SIO.
 *
 *  A decoded message keeps its mandatory parameters in the order of the
 *  message's Q.763 table (fixed part, then variable part) in mand[], and its
 *  optional parameters in arrival order in opt[].  Parameters the codec does
 *  not interpret are kept as opaque (code, length, octets) and re-encoded
 *  unchanged.  Decoders clear the whole output structure first, so two
 *  decodes of equal content compare equal with memcmp(). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <osmocom/core/utils.h>

/* Q.763 §1.2: 12 bits of CIC are used in the ITU variant */
#define ISUP_CIC_MAX		0x0fff

/*! Q.703 §2.3.8: an MSU carries at most 272 octets of SIF.  Our limit counts
 *  the SIF: the 4-octet ITU routing label plus the ISUP message from the CIC
 *  to its last octet; the SIO is not counted (Q.704 §2.2). */
#define ISUP_MTP3_SIF_MAX		272
#define ISUP_MTP3_ROUTING_LABEL_LEN	4

#define ISUP_MAX_MAND		5	/*!< IAM: 5 */
#define ISUP_MAX_OPT		64	/*!< optional parameters kept per message */
#define ISUP_NUMBER_MAX_DIGITS	40
#define ISUP_PARAM_MAX_LEN	255	/*!< one length octet */
#define ISUP_PCI_MAX_ENTRIES	32
#define ISUP_PCI_MAX_INSTR	4
#define ISUP_RS_MAX_STATUS	32	/*!< Q.763 §3.43: range 0..255, one bit per circuit */

/*! Q.763 Table 4: message type codes (the subset this codec lays out) */
enum isup_msg_type {
	ISUP_MSG_IAM	= 0x01,
	ISUP_MSG_SAM	= 0x02,
	ISUP_MSG_INR	= 0x03,	/*!< information request (national use) */
	ISUP_MSG_INF	= 0x04,	/*!< information (national use) */
	ISUP_MSG_COT	= 0x05,	/*!< continuity */
	ISUP_MSG_ACM	= 0x06,
	ISUP_MSG_CON	= 0x07,
	ISUP_MSG_ANM	= 0x09,
	ISUP_MSG_REL	= 0x0c,
	ISUP_MSG_SUS	= 0x0d,
	ISUP_MSG_RES	= 0x0e,
	ISUP_MSG_RLC	= 0x10,
	ISUP_MSG_CCR	= 0x11,	/*!< continuity check request */
	ISUP_MSG_RSC	= 0x12,
	ISUP_MSG_BLO	= 0x13,
	ISUP_MSG_UBL	= 0x14,
	ISUP_MSG_BLA	= 0x15,
	ISUP_MSG_UBA	= 0x16,
	ISUP_MSG_GRS	= 0x17,
	ISUP_MSG_CGB	= 0x18,
	ISUP_MSG_CGU	= 0x19,
	ISUP_MSG_CGBA	= 0x1a,
	ISUP_MSG_CGUA	= 0x1b,
	ISUP_MSG_LPA	= 0x24,	/*!< loop back acknowledgement (national use) */
	ISUP_MSG_GRA	= 0x29,
	ISUP_MSG_CQM	= 0x2a,	/*!< circuit group query (national use) */
	ISUP_MSG_CQR	= 0x2b,	/*!< circuit group query response (national use) */
	ISUP_MSG_CPG	= 0x2c,
	ISUP_MSG_UCIC	= 0x2e,
	ISUP_MSG_CFN	= 0x2f,
	ISUP_MSG_FAC	= 0x33,	/*!< facility */
	ISUP_MSG_IDR	= 0x36,	/*!< identification request */
	ISUP_MSG_IRS	= 0x37,	/*!< identification response */
	ISUP_MSG_SGM	= 0x38,
	ISUP_MSG_APM	= 0x41,
};
extern const struct value_string isup_msg_type_names[];
static inline const char *isup_msg_type_name(uint8_t t)
{ return get_value_string(isup_msg_type_names, t); }

/*! Q.763 Table 5: parameter name codes (those this code names; every code
 *  of Table 5 is in isup_param_names[]) */
enum isup_param_code {
	ISUP_PAR_END_OF_OPT		= 0x00,
	ISUP_PAR_CALL_REF		= 0x01,	/*!< call reference (national use) */
	ISUP_PAR_TMR			= 0x02,	/*!< transmission medium requirement */
	ISUP_PAR_CALLED_PARTY_NUMBER	= 0x04,
	ISUP_PAR_SUBSEQUENT_NUMBER	= 0x05,
	ISUP_PAR_NCI			= 0x06,	/*!< nature of connection indicators */
	ISUP_PAR_FCI			= 0x07,	/*!< forward call indicators */
	ISUP_PAR_OFCI			= 0x08,	/*!< optional forward call indicators */
	ISUP_PAR_CPC			= 0x09,	/*!< calling party's category */
	ISUP_PAR_CALLING_PARTY_NUMBER	= 0x0a,
	ISUP_PAR_REDIRECTING_NUMBER	= 0x0b,
	ISUP_PAR_INR_IND		= 0x0e,	/*!< information request indicators */
	ISUP_PAR_INF_IND		= 0x0f,	/*!< information indicators */
	ISUP_PAR_CONTINUITY		= 0x10,	/*!< continuity indicators */
	ISUP_PAR_BCI			= 0x11,	/*!< backward call indicators */
	ISUP_PAR_CAUSE			= 0x12,
	ISUP_PAR_REDIRECTION_INFO	= 0x13,
	ISUP_PAR_CGSMT			= 0x15,	/*!< circuit group supervision msg type */
	ISUP_PAR_RANGE_STATUS		= 0x16,
	ISUP_PAR_SUSPEND_RESUME		= 0x22,
	ISUP_PAR_EVENT_INFO		= 0x24,
	ISUP_PAR_CIRCUIT_STATE		= 0x26,	/*!< circuit state indicator (national use) */
	ISUP_PAR_ORIG_CALLED_NUMBER	= 0x28,
	ISUP_PAR_OBCI			= 0x29,	/*!< optional backward call indicators */
	ISUP_PAR_MCI			= 0x38,	/*!< message compatibility information */
	ISUP_PAR_PCI			= 0x39,	/*!< parameter compatibility information */
	ISUP_PAR_MCID_REQ		= 0x3b,	/*!< MCID request indicators */
	ISUP_PAR_MCID_RSP		= 0x3c,	/*!< MCID response indicators */
	ISUP_PAR_HOP_COUNTER		= 0x3d,
	ISUP_PAR_APP_TRANSPORT		= 0x78,
	ISUP_PAR_GENERIC_NUMBER		= 0xc0,
};
extern const struct value_string isup_param_names[];
static inline const char *isup_param_name(uint8_t c)
{ return get_value_string(isup_param_names, c); }

/*! Whether \a code is a parameter name of Q.763 Table 5 (ITU, with its
 *  national-use codes), whether this codec interprets it or keeps it opaque.
 *  A code outside the table is an unrecognized parameter, Q.764 §2.9.5.3.2. */
bool isup_param_known(uint8_t code);

/*! Q.763 §3.9/§3.10/§3.26/§3.38/§3.45: Nature of address indicator */
enum isup_nai {
	ISUP_NAI_SUBSCRIBER	= 1,
	ISUP_NAI_UNKNOWN	= 2,
	ISUP_NAI_NATIONAL	= 3,
	ISUP_NAI_INTERNATIONAL	= 4,
};
extern const struct value_string isup_nai_names[];

/*! Q.763 §3.10 c): address presentation restricted indicator */
enum isup_apri {
	ISUP_APRI_ALLOWED	= 0,
	ISUP_APRI_RESTRICTED	= 1,
	ISUP_APRI_NOT_AVAILABLE	= 2,
};
extern const struct value_string isup_apri_names[];

/*! Q.763 §3.10 d): screening indicator */
enum isup_si {
	ISUP_SI_USER_NOT_VERIFIED	= 0,
	ISUP_SI_USER_VERIFIED_PASSED	= 1,
	ISUP_SI_USER_VERIFIED_FAILED	= 2,
	ISUP_SI_NETWORK_PROVIDED	= 3,
};
extern const struct value_string isup_si_names[];

/*! Q.763 §3.26: Generic number, number qualifier indicator */
enum isup_number_qualifier {
	ISUP_NQ_ADDITIONAL_CALLED	= 1,
	ISUP_NQ_ADDITIONAL_CONNECTED	= 5,
	ISUP_NQ_ADDITIONAL_CALLING	= 6,
};

/*! Q.763 §3.37 event indicator */
enum isup_event {
	ISUP_EVENT_ALERTING		= 1,
	ISUP_EVENT_PROGRESS		= 2,
	ISUP_EVENT_INBAND_INFO		= 3,
	ISUP_EVENT_FWD_BUSY		= 4,
	ISUP_EVENT_FWD_NO_REPLY		= 5,
	ISUP_EVENT_FWD_UNCONDITIONAL	= 6,
};
extern const struct value_string isup_event_names[];

/*! A number parameter: Called/Calling Party Number, Generic Number,
 *  Original Called Number, Redirecting Number.  Fields a parameter does not
 *  have are 0 and ignored by the encoder.  Digits are ASCII: '0'-'9' and
 *  'A'-'F' for the nibbles 0xA-0xF; in a Called Party Number 'F' is the ST
 *  (end of pulsing) signal, Q.763 §3.9. */
struct isup_number {
	uint8_t qualifier;	/*!< Generic Number only, enum isup_number_qualifier */
	uint8_t nai;		/*!< 7 bits, enum isup_nai */
	uint8_t inn_ni;		/*!< CdPN: INN (1 = routing to internal network number not allowed);
				 *   CgPN, GN: NI (1 = incomplete) */
	uint8_t npi;		/*!< 3 bits, 1 = ISDN/E.164 */
	uint8_t apri;		/*!< 2 bits, enum isup_apri (not in CdPN) */
	uint8_t si;		/*!< 2 bits, enum isup_si (CgPN, GN only) */
	char digits[ISUP_NUMBER_MAX_DIGITS + 1];
};

/*! Q.763 §3.51 Subsequent number */
struct isup_subsequent_number {
	char digits[ISUP_NUMBER_MAX_DIGITS + 1];
};

/*! Q.763 §3.12 Cause indicators (Q.850 values) */
struct isup_cause {
	uint8_t coding;		/*!< 2 bits, 0 = ITU-T */
	uint8_t location;	/*!< 4 bits */
	bool has_rec;		/*!< octet 1a present */
	uint8_t rec;		/*!< 7 bits, recommendation */
	uint8_t value;		/*!< 7 bits, cause value */
	uint8_t diag_len;
	uint8_t diag[ISUP_PARAM_MAX_LEN];	/*!< diagnostics, opaque */
};

/*! Q.763 §3.35 Nature of connection indicators */
struct isup_nci {
	uint8_t satellite;	/*!< bits BA */
	uint8_t continuity;	/*!< bits DC */
	uint8_t echo;		/*!< bit E: outgoing echo control device included */
};

/*! Q.763 §3.23 Forward call indicators */
struct isup_fci {
	uint8_t international;	/*!< A */
	uint8_t e2e_method;	/*!< CB */
	uint8_t interworking;	/*!< D */
	uint8_t e2e_info;	/*!< E */
	uint8_t isup;		/*!< F: ISDN user part used all the way */
	uint8_t isup_pref;	/*!< HG */
	uint8_t isdn_access;	/*!< I */
	uint8_t sccp_method;	/*!< KJ */
	uint8_t national;	/*!< M..P, reserved for national use */
};

/*! Q.763 §3.5 Backward call indicators */
struct isup_bci {
	uint8_t charge;		/*!< BA */
	uint8_t called_status;	/*!< DC */
	uint8_t called_category; /*!< FE */
	uint8_t e2e_method;	/*!< HG */
	uint8_t interworking;	/*!< I */
	uint8_t e2e_info;	/*!< J */
	uint8_t isup;		/*!< K */
	uint8_t holding;	/*!< L */
	uint8_t isdn_access;	/*!< M */
	uint8_t echo;		/*!< N */
	uint8_t sccp_method;	/*!< PO */
};

/*! Q.763 §3.38 Optional forward call indicators */
struct isup_ofci {
	uint8_t cug;		/*!< BA closed user group call indicator */
	uint8_t segmentation;	/*!< C simple segmentation indicator */
	uint8_t clir;		/*!< H connected line identity request */
};

/*! Q.763 §3.37 Optional backward call indicators */
struct isup_obci {
	uint8_t inband;		/*!< A in-band information available */
	uint8_t diversion;	/*!< B call diversion may occur */
	uint8_t segmentation;	/*!< C simple segmentation indicator */
	uint8_t mlpp;		/*!< D MLPP user */
	uint8_t national;	/*!< H..E, reserved for national use */
};

/*! Q.763 §3.21 Event information */
struct isup_event_info {
	uint8_t event;		/*!< 7 bits, enum isup_event */
	uint8_t pres_restricted; /*!< H */
};

/*! Q.763 §3.45 Redirection information */
struct isup_redir_info {
	uint8_t indicator;	/*!< CBA redirecting indicator */
	uint8_t orig_reason;	/*!< HGFE original redirection reason */
	bool has_octet2;
	uint8_t counter;	/*!< KJI redirection counter */
	uint8_t reason;		/*!< PONM redirecting reason */
};

/*! Q.763 §3.43 Range and status; status is absent in GRS, CQM and CQR */
struct isup_range_status {
	uint8_t range;
	uint8_t status_len;	/*!< 0 or (range + 8) / 8 */
	uint8_t status[ISUP_RS_MAX_STATUS];
};

/*! Q.763 §3.82 Application transport.  \a info is everything after octet 3
 *  (or 3a).  When the sequence indicator says "new sequence", Q.765 puts the
 *  originating and destination address fields (each a length octet, 0 when
 *  absent) at the start of it; they stay inside \a info (tshark decodes them
 *  so and flags a packet malformed without them). */
struct isup_app {
	uint16_t aci;		/*!< application context identifier, 14 bits */
	uint8_t sni;		/*!< send notification indicator */
	uint8_t rci;		/*!< release call indicator */
	uint8_t si;		/*!< sequence indicator: 1 = new sequence */
	uint8_t apm_seg;	/*!< APM segmentation indicator, 6 bits: segments to follow */
	bool has_slr;		/*!< octet 3a present */
	uint8_t slr;		/*!< segmentation local reference, 7 bits */
	uint8_t info_len;
	uint8_t info[ISUP_PARAM_MAX_LEN];	/*!< encapsulated application information */
};

/*! Q.763 §3.8 Call reference (national use) */
struct isup_call_ref {
	uint32_t call_id;	/*!< call identity, 24 bits */
	uint16_t spc;		/*!< signalling point code, 14 bits */
};

/*! Q.763 §3.29 Information request indicators (national use) */
struct isup_inr_ind {
	uint8_t cgpn;		/*!< A: calling party address requested */
	uint8_t holding;	/*!< B: holding requested (national use) */
	uint8_t cpc;		/*!< D: calling party's category requested */
	uint8_t charge;		/*!< E: charge information requested (national use) */
	uint8_t mcid;		/*!< H: malicious call identification requested (ISUP'88) */
	uint8_t national;	/*!< P..M, reserved for national use */
};

/*! Q.763 §3.28 Information indicators, calling party address response */
enum isup_inf_cgpn {
	ISUP_INF_CGPN_NOT_INCLUDED	= 0,
	ISUP_INF_CGPN_NOT_AVAILABLE	= 1,
	ISUP_INF_CGPN_INCLUDED		= 3,
};

/*! Q.763 §3.28 Information indicators (national use) */
struct isup_inf_ind {
	uint8_t cgpn;		/*!< BA: enum isup_inf_cgpn */
	uint8_t hold;		/*!< C: hold provided */
	uint8_t cpc;		/*!< F: calling party's category included */
	uint8_t charge;		/*!< G: charge information included */
	uint8_t unsolicited;	/*!< H: 0 solicited, 1 unsolicited */
	uint8_t national;	/*!< P..M, reserved for national use */
};

/*! Q.763 §3.14 Circuit state indicator: one octet per circuit of the range */
#define ISUP_CSI_MAINT(o)	((o) & 0x03)		/*!< BA maintenance blocking state */
#define ISUP_CSI_CALL(o)	(((o) >> 2) & 0x03)	/*!< DC call processing state */
#define ISUP_CSI_HW(o)		(((o) >> 4) & 0x03)	/*!< FE hardware blocking state */
#define ISUP_CSI(maint, call, hw)	((maint) | ((call) << 2) | ((hw) << 4))
/*! DC call processing state; with DC 00 the BA bits say 00 transient or 11 unequipped */
enum isup_csi_call {
	ISUP_CSI_CALL_NONE	= 0,
	ISUP_CSI_CALL_IN_BUSY	= 1,
	ISUP_CSI_CALL_OUT_BUSY	= 2,
	ISUP_CSI_CALL_IDLE	= 3,
};
#define ISUP_CSI_TRANSIENT	0x00	/*!< DC 00, BA 00 */
#define ISUP_CSI_UNEQUIPPED	0x03	/*!< DC 00, BA 11 */
/*! BA (with DC not 00) and FE: blocking states */
#define ISUP_CSI_BLK_LOCAL	0x01
#define ISUP_CSI_BLK_REMOTE	0x02

struct isup_circuit_state {
	uint8_t num;		/*!< circuits: range + 1 in a CQR */
	uint8_t state[ISUP_PARAM_MAX_LEN];	/*!< HG spare, always 0 */
};

/*! Q.763 §3.41 instruction indicators, first octet */
#define ISUP_PCI_TRANSIT		0x01	/*!< A: transit exchange interpretation */
#define ISUP_PCI_RELEASE_CALL		0x02	/*!< B */
#define ISUP_PCI_SEND_NOTIFICATION	0x04	/*!< C */
#define ISUP_PCI_DISCARD_MESSAGE	0x08	/*!< D */
#define ISUP_PCI_DISCARD_PARAM		0x10	/*!< E */
#define ISUP_PCI_PASS_ON_NOT_POSSIBLE	0x60	/*!< GF */

/*! Q.763 §3.33 message compatibility information, instruction indicators,
 *  first octet; A to D as in ISUP_PCI_* above */
#define ISUP_MCI_PASS_ON_NOT_POSSIBLE	0x10	/*!< E: 0 release call, 1 discard information */
#define ISUP_MCI_BNI			0x60	/*!< GF: broadband/narrowband interworking */

/*! Q.763 §3.33 Message compatibility information */
struct isup_mci {
	uint8_t num_instr;	/*!< octets of instruction indicators, >= 1 */
	uint8_t instr[ISUP_PCI_MAX_INSTR];	/*!< without extension bits */
};

/*! Q.763 §3.41 Parameter compatibility information */
struct isup_pci {
	uint8_t num;
	struct {
		uint8_t code;	/*!< the parameter the instructions are for */
		uint8_t num_instr;	/*!< octets of instruction indicators, >= 1 */
		uint8_t instr[ISUP_PCI_MAX_INSTR];	/*!< without extension bits */
	} entry[ISUP_PCI_MAX_ENTRIES];
};

/*! A parameter we keep as octets */
struct isup_opaque {
	uint8_t len;
	uint8_t data[ISUP_PARAM_MAX_LEN];
};

/*! One parameter; \a code selects the member of \a u (see isup_param_is_typed()). */
struct isup_param {
	uint8_t code;
	bool opaque;		/*!< u.opaque is used whatever the code */
	union {
		struct isup_number number;
		struct isup_subsequent_number subsequent;
		struct isup_cause cause;
		struct isup_nci nci;
		struct isup_fci fci;
		struct isup_bci bci;
		struct isup_ofci ofci;
		struct isup_obci obci;
		struct isup_event_info event;
		struct isup_redir_info redir;
		struct isup_range_status range_status;
		struct isup_app app;
		struct isup_pci pci;
		struct isup_mci mci;
		struct isup_call_ref call_ref;
		struct isup_inr_ind inr;
		struct isup_inf_ind inf;
		struct isup_circuit_state csi;
		struct isup_opaque opaque;
		uint8_t u8;	/*!< CPC, TMR, CGSMT, suspend/resume, hop counter,
				 *   continuity indicators, MCID request/response */
	} u;
};

/*! One ISUP message */
struct isup_msg {
	uint16_t cic;
	uint8_t type;			/*!< enum isup_msg_type */
	uint8_t num_mand;
	struct isup_param mand[ISUP_MAX_MAND];	/*!< in the order of Q.763's table */
	uint8_t num_opt;
	struct isup_param opt[ISUP_MAX_OPT];	/*!< in arrival order */
};

/*! Whether this codec knows the message type. */
bool isup_msg_type_known(uint8_t type);

/*! Whether the codec interprets parameter \a code (otherwise it is opaque). */
bool isup_param_is_typed(uint8_t code);

/*! Start a message: clear it and lay out its mandatory parameters (codes set,
 *  values zero) per Q.763.
 *  \returns 0, or -EINVAL for an unknown type or a CIC above 4095 */
int isup_msg_init(struct isup_msg *msg, uint8_t type, uint16_t cic);

/*! Find the first parameter with \a code, mandatory or optional.
 *  \returns the parameter or NULL */
struct isup_param *isup_msg_param_find(struct isup_msg *msg, uint8_t code);
const struct isup_param *isup_msg_param_find_c(const struct isup_msg *msg, uint8_t code);

/*! Append an optional parameter with \a code, cleared.
 *  \returns the parameter, or NULL when the message is full or does not
 *  have an optional part */
struct isup_param *isup_msg_opt_add(struct isup_msg *msg, uint8_t code);

/*! Remove the optional parameter at \a idx. */
void isup_msg_opt_del(struct isup_msg *msg, unsigned int idx);

/*! Decode one parameter value (without code and length octets).
 *  \param[out] par cleared, then filled; par->code is set to \a code
 *  \returns \a len, or -EBADMSG naming the field in a DSS7 log line */
int isup_param_decode(struct isup_param *par, uint8_t code, const uint8_t *buf, size_t len);

/*! Encode one parameter value (without code and length octets).
 *  \returns octets written, -ENOSPC when \a size is too small, -EINVAL for a
 *  field out of its range */
int isup_param_encode(uint8_t *out, size_t size, const struct isup_param *par);

/*! Decode an ISUP message starting at the CIC.
 *  \param[out] msg cleared, then filled
 *  \returns octets consumed, -EBADMSG for malformed input, -ENOTSUP for a
 *  message type this codec does not handle */
int isup_msg_decode(struct isup_msg *msg, const uint8_t *buf, size_t len);

/*! Decode a message whose type this codec does not lay out (isup_msg_decode()
 *  said -ENOTSUP) as every message added to Q.763 since its 1992 edition is
 *  built: a pointer to the optional part right after the message type, so
 *  that its message compatibility information can be found (Q.764
 *  §2.9.5.3.1).  Message types of Q.763 that have a mandatory part
 *  (FAR, FAA, FRJ, PAM, USR, CRG, OLM) are not read so.
 *  \param[out] msg cleared, then filled; it cannot be encoded
 *  \returns octets consumed, -EBADMSG when it is not built so, -EINVAL for a
 *  type this codec lays out or one with a mandatory part */
int isup_msg_decode_unrecognized(struct isup_msg *msg, const uint8_t *buf, size_t len);

/*! Encode an ISUP message starting at the CIC.
 *  \returns octets written, -ENOSPC when \a size is too small, -EINVAL for a
 *  field out of range or parameters not matching the message type,
 *  -EMSGSIZE when a pointer would not fit in its octet */
int isup_msg_encode(uint8_t *out, size_t size, const struct isup_msg *msg);

/*! Split \a msg for a peer whose MTP3 SIF limit is \a max_sif_len (routing
 *  label + ISUP message, see ISUP_MTP3_SIF_MAX), per Q.764 §2.1.12 simple
 *  segmentation: optional parameters that do not fit go in an SGM in their
 *  original order, and the simple segmentation indicator of the Optional
 *  Forward (IAM) or Backward (ACM, CON, ANM, CPG) Call Indicators is set
 *  (the parameter is added when absent).
 *  \param[out] first the message to send first (a copy of \a msg when it fits)
 *  \param[out] sgm the SGM to send after it, when the return value is 1
 *  \returns 0 when no segmentation is needed, 1 when \a sgm must follow,
 *  -EMSGSIZE when the message does not fit in two segments or cannot be
 *  segmented, or another -errno from encoding */
int isup_msg_segment(const struct isup_msg *msg, size_t max_sif_len,
		     struct isup_msg *first, struct isup_msg *sgm);

/*! Whether \a msg is the first segment of a segmented message (Q.764 §2.1.12),
 *  so that an SGM is to be awaited. */
bool isup_msg_awaits_sgm(const struct isup_msg *msg);

/*! Reassemble: append the optional parameters of \a sgm to \a msg and clear
 *  the simple segmentation indicator; an Optional Forward/Backward Call
 *  Indicators parameter left all zero is removed, as it means the same as its
 *  absence.
 *  \returns 0, -EINVAL when \a msg is not a first segment, \a sgm is not an
 *  SGM or the CICs differ, -EMSGSIZE when the parameters do not fit */
int isup_msg_reassemble(struct isup_msg *msg, const struct isup_msg *sgm);

/*! BCD digits to ASCII ('0'-'9', 'A'-'F'), first digit in the low nibble.
 *  \param[in] odd the odd/even indicator: the last high nibble is a filler
 *  \returns the number of digits, or -EBADMSG (odd with no octets) or
 *  -ENOSPC (\a out_size too small for the digits and the NUL) */
int isup_digits_decode(char *out, size_t out_size, const uint8_t *buf, size_t len, bool odd);

/*! ASCII digits ('0'-'9', 'A'-'F') to BCD, filler 0000 when odd.
 *  \param[out] odd set to the odd/even indicator
 *  \returns octets written, -EINVAL for another character, -ENOSPC */
int isup_digits_encode(uint8_t *out, size_t out_size, const char *digits, bool *odd);
