/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MAP field extraction, 3GPP TS 29.002.  See gsm_map.h. */

#include <errno.h>
#include <string.h>

#include <osmocom/core/logging.h>
#include <osmocom/core/utils.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/gsm_map.h"

const struct value_string gsm_map_op_names[] = {
	{ GSM_MAP_OP_UPDATE_LOCATION,		"updateLocation" },
	{ GSM_MAP_OP_CANCEL_LOCATION,		"cancelLocation" },
	{ GSM_MAP_OP_PROVIDE_ROAMING_NUMBER,	"provideRoamingNumber" },
	{ GSM_MAP_OP_INSERT_SUBSCRIBER_DATA,	"insertSubscriberData" },
	{ GSM_MAP_OP_DELETE_SUBSCRIBER_DATA,	"deleteSubscriberData" },
	{ GSM_MAP_OP_SEND_PARAMETERS,		"sendParameters" },
	{ GSM_MAP_OP_SEND_ROUTING_INFO,		"sendRoutingInfo" },
	{ GSM_MAP_OP_UPDATE_GPRS_LOCATION,	"updateGprsLocation" },
	{ GSM_MAP_OP_SEND_ROUTING_INFO_FOR_GPRS, "sendRoutingInfoForGprs" },
	{ GSM_MAP_OP_RESET,			"reset" },
	{ GSM_MAP_OP_MT_FORWARD_SM,		"mt-forwardSM" },
	{ GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM,	"sendRoutingInfoForSM" },
	{ GSM_MAP_OP_MO_FORWARD_SM,		"mo-forwardSM/forwardSM" },
	{ GSM_MAP_OP_REPORT_SM_DELIVERY_STATUS,	"reportSM-DeliveryStatus" },
	{ GSM_MAP_OP_SEND_IDENTIFICATION,	"sendIdentification" },
	{ GSM_MAP_OP_SEND_AUTHENTICATION_INFO,	"sendAuthenticationInfo" },
	{ GSM_MAP_OP_RESTORE_DATA,		"restoreData" },
	{ GSM_MAP_OP_SEND_IMSI,			"sendIMSI" },
	{ GSM_MAP_OP_PROCESS_USSD_REQUEST,	"processUnstructuredSS-Request" },
	{ GSM_MAP_OP_USSD_REQUEST,		"unstructuredSS-Request" },
	{ GSM_MAP_OP_USSD_NOTIFY,		"unstructuredSS-Notify" },
	{ GSM_MAP_OP_ALERT_SERVICE_CENTRE,	"alertServiceCentre" },
	{ GSM_MAP_OP_PURGE_MS,			"purgeMS" },
	{ GSM_MAP_OP_PROVIDE_SUBSCRIBER_INFO,	"provideSubscriberInfo" },
	{ GSM_MAP_OP_ANY_TIME_INTERROGATION,	"anyTimeInterrogation" },
	{ GSM_MAP_OP_PROVIDE_SUBSCRIBER_LOCATION, "provideSubscriberLocation" },
	{ GSM_MAP_OP_SEND_ROUTING_INFO_FOR_LCS,	"sendRoutingInfoForLCS" },
	{ 0, NULL }
};

const struct value_string gsm_map_ac_names[] = {
	{ GSM_MAP_AC_UNKNOWN,			"unknown" },
	{ GSM_MAP_AC_NETWORK_LOC_UP,		"networkLocUpContext" },
	{ GSM_MAP_AC_LOCATION_CANCELLATION,	"locationCancellationContext" },
	{ GSM_MAP_AC_ROAMING_NUMBER_ENQUIRY,	"roamingNumberEnquiryContext" },
	{ GSM_MAP_AC_LOCATION_INFO_RETRIEVAL,	"locationInfoRetrievalContext" },
	{ GSM_MAP_AC_RESET,			"resetContext" },
	{ GSM_MAP_AC_INFO_RETRIEVAL,		"infoRetrievalContext" },
	{ GSM_MAP_AC_SUBSCRIBER_DATA_MNGT,	"subscriberDataMngtContext" },
	{ GSM_MAP_AC_NETWORK_UNSTRUCTURED_SS,	"networkUnstructuredSsContext" },
	{ GSM_MAP_AC_SHORT_MSG_GATEWAY,		"shortMsgGatewayContext" },
	{ GSM_MAP_AC_SHORT_MSG_MO_RELAY,	"shortMsgMO-RelayContext" },
	{ GSM_MAP_AC_SHORT_MSG_ALERT,		"shortMsgAlertContext" },
	{ GSM_MAP_AC_SHORT_MSG_MT_RELAY,	"shortMsgMT-RelayContext" },
	{ GSM_MAP_AC_IMSI_RETRIEVAL,		"imsiRetrievalContext" },
	{ GSM_MAP_AC_MS_PURGING,		"msPurgingContext" },
	{ GSM_MAP_AC_SUBSCRIBER_INFO_ENQUIRY,	"subscriberInfoEnquiryContext" },
	{ GSM_MAP_AC_ANY_TIME_INFO_ENQUIRY,	"anyTimeInfoEnquiryContext" },
	{ GSM_MAP_AC_GPRS_LOCATION_UPDATE,	"gprsLocationUpdateContext" },
	{ GSM_MAP_AC_GPRS_LOCATION_INFO_RETRIEVAL, "gprsLocationInfoRetrievalContext" },
	{ 0, NULL }
};

const struct value_string gsm_map_addr_role_names[] = {
	{ GSM_MAP_ADDR_MSISDN,		"msisdn" },
	{ GSM_MAP_ADDR_VLR,		"vlr-number" },
	{ GSM_MAP_ADDR_MSC,		"msc-number" },
	{ GSM_MAP_ADDR_SGSN,		"sgsn-number" },
	{ GSM_MAP_ADDR_SC,		"service-centre-address" },
	{ GSM_MAP_ADDR_HLR,		"hlr-number" },
	{ GSM_MAP_ADDR_GMSC,		"gmsc-address" },
	{ GSM_MAP_ADDR_GSMSCF,		"gsmscf-address" },
	{ GSM_MAP_ADDR_GGSN,		"ggsn-number" },
	{ GSM_MAP_ADDR_DEST_REF,	"destination-reference" },
	{ GSM_MAP_ADDR_ORIG_REF,	"origination-reference" },
	{ 0, NULL }
};

/* 29.002 §17.3.3: map-ac { itu-t(0) identified-organization(4) etsi(0)
 * mobileDomain(0) gsm-Network(1) ac-Id(0) } */
static const uint8_t gsm_map_ac_prefix[5] = { 0x04, 0x00, 0x00, 0x01, 0x00 };
/* 29.002 §17.4: map-DialogueAS 0.4.0.0.1.1.1.1 */
static const uint8_t gsm_map_dialogue_as[7] = { 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01 };

/* Depth of a component's parameter inside a TCAP message; parameters
 * decoded on their own start at depth 1 (only the limit matters) */
#define D_PARAM		1

/* TBCD digits 0xA-0xE of an AddressString (29.002 §17.7.8, TBCD-STRING) */
static const char gsm_map_tbcd[] = "0123456789*#abc";

static int gsm_map_bad(int64_t opcode, const char *field, const char *why)
{
	LOGP(DSS7, LOGL_NOTICE, "MAP %s %s: %s\n",
	     get_value_string(gsm_map_op_names, (uint32_t)opcode), field, why ? why : "malformed");
	return -EBADMSG;
}

/* TBCD-STRING (29.002 §17.7.8): two digits an octet, the low nibble first;
 * 0xF fills the high nibble of the last octet of an odd count, nowhere else. */
static int gsm_map_tbcd_decode(char *out, size_t out_size, const uint8_t *in, size_t len,
			       bool digits_only)
{
	size_t i, n = 0;

	for (i = 0; i < len * 2; i++) {
		uint8_t d = (i & 1) ? in[i / 2] >> 4 : in[i / 2] & 0x0f;

		if (d == 0x0f) {
			if (i != len * 2 - 1)
				return -EBADMSG;
			break;
		}
		if (digits_only && d > 9)
			return -EBADMSG;
		if (n + 1 >= out_size)
			return -EBADMSG;
		out[n++] = gsm_map_tbcd[d];
	}
	out[n] = '\0';
	return (int)n;
}

/*! The digits of an IMSI (29.002 §17.7.8: TBCD-STRING (SIZE (3..8)), digits only).
 *  \returns the number of digits, or -EBADMSG */
int gsm_map_imsi_decode(char *out, size_t out_size, const uint8_t *in, size_t len)
{
	int n;

	if (len < 3 || len > 8)
		return -EBADMSG;
	n = gsm_map_tbcd_decode(out, out_size, in, len, true);
	if (n < 0 || n > GSM_MAP_IMSI_MAX_DIGITS)
		return -EBADMSG;
	return n;
}

/*! An AddressString: bit 8 of the first octet is "no extension" (1),
 *  bits 7-5 the nature of address, bits 4-1 the numbering plan; TBCD digits follow.
 *  \returns 0 or -EBADMSG */
int gsm_map_addr_decode(struct gsm_map_addr *addr, const uint8_t *in, size_t len)
{
	memset(addr, 0, sizeof(*addr));
	if (len < 1 || len > GSM_MAP_ADDR_MAX_OCTETS)
		return -EBADMSG;
	addr->ton = (in[0] >> 4) & 0x07;
	addr->npi = in[0] & 0x0f;
	if (gsm_map_tbcd_decode(addr->digits, sizeof(addr->digits), in + 1, len - 1, false) < 0)
		return -EBADMSG;
	addr->present = true;
	return 0;
}

/*! The application context of a MAP dialogue from its OID's contents octets.
 *  \returns 0, -ENOENT (not one of the MAP contexts we know) */
int gsm_map_ac_decode(enum gsm_map_ac *ac, uint8_t *version, const uint8_t *oid, size_t len)
{
	*ac = GSM_MAP_AC_UNKNOWN;
	*version = 0;
	if (len != 7 || memcmp(oid, gsm_map_ac_prefix, sizeof(gsm_map_ac_prefix)) ||
	    oid[5] & 0x80 || oid[6] & 0x80 || oid[6] < 1 || oid[6] > 4 ||
	    !get_value_string_or_null(gsm_map_ac_names, oid[5]) || oid[5] == 0)
		return -ENOENT;
	*ac = oid[5];
	*version = oid[6];
	return 0;
}

/*! The contents octets of the OID of an application context and version.
 *  \returns 7, -EINVAL, -ENOSPC */
int gsm_map_ac_encode(uint8_t *out, size_t out_size, enum gsm_map_ac ac, uint8_t version)
{
	if (ac == GSM_MAP_AC_UNKNOWN || ac > 127 || version < 1 || version > 4)
		return -EINVAL;
	if (out_size < 7)
		return -ENOSPC;
	memcpy(out, gsm_map_ac_prefix, sizeof(gsm_map_ac_prefix));
	out[5] = ac;
	out[6] = version;
	return 7;
}

/* ------------------------------------------------------------------------
 * Reading fields
 * ------------------------------------------------------------------------ */

struct gsm_map_rd {
	struct gsm_map_info *info;
	int64_t opcode;
};

static int gsm_map_imsi(struct gsm_map_rd *rd, const struct ber_tlv *t, const char *field)
{
	char digits[GSM_MAP_IMSI_MAX_DIGITS + 1];

	if (t->constructed)
		return gsm_map_bad(rd->opcode, field, "constructed");
	if (gsm_map_imsi_decode(digits, sizeof(digits), t->value.data, t->value.len) < 0)
		return gsm_map_bad(rd->opcode, field, "not a valid IMSI");
	/* Two IMSIs that differ would let each node pick the one it reads */
	if (rd->info->has_imsi && strcmp(rd->info->imsi, digits))
		return gsm_map_bad(rd->opcode, field, "a second, different IMSI");
	rd->info->has_imsi = true;
	osmo_strlcpy(rd->info->imsi, digits, sizeof(rd->info->imsi));
	return 0;
}

static int gsm_map_addr(struct gsm_map_rd *rd, const struct ber_tlv *t, enum gsm_map_addr_role role)
{
	const char *field = get_value_string(gsm_map_addr_role_names, role);
	struct gsm_map_addr a;

	if (t->constructed)
		return gsm_map_bad(rd->opcode, field, "constructed");
	if (gsm_map_addr_decode(&a, t->value.data, t->value.len) < 0)
		return gsm_map_bad(rd->opcode, field, "not a valid AddressString");
	if (rd->info->addr[role].present)
		return gsm_map_bad(rd->opcode, field, "present twice");
	rd->info->addr[role] = a;
	return 0;
}

/* Start reading the elements of a constructed element */
static int gsm_map_enter(struct gsm_map_rd *rd, struct ber_cursor *child,
			 const struct ber_cursor *parent, const struct ber_tlv *t, const char *field)
{
	if (ber_cursor_enter(child, parent, t) < 0)
		return gsm_map_bad(rd->opcode, field, child->why);
	return 0;
}

static int gsm_map_next(struct gsm_map_rd *rd, struct ber_cursor *c, struct ber_tlv *t,
			const char *field)
{
	int rc = ber_cursor_next(c, t);

	if (rc < 0)
		return gsm_map_bad(rd->opcode, field, c->why);
	return rc;
}

static bool is_ctx(const struct ber_tlv *t, uint32_t tag)
{
	return ber_tlv_is(t, BER_CLASS_CONTEXT, false, tag);
}

static bool is_ctx_cons(const struct ber_tlv *t, uint32_t tag)
{
	return ber_tlv_is(t, BER_CLASS_CONTEXT, true, tag);
}

static bool is_octets(const struct ber_tlv *t)
{
	return ber_tlv_is(t, BER_CLASS_UNIVERSAL, false, BER_TAG_OCTET_STRING);
}

static bool is_seq(const struct ber_tlv *t)
{
	return ber_tlv_is(t, BER_CLASS_UNIVERSAL, true, BER_TAG_SEQUENCE);
}

/* The one element of the parameter */
static int gsm_map_param(struct gsm_map_rd *rd, struct ber_cursor *top, struct ber_tlv *t,
			 const uint8_t *param, size_t len)
{
	int rc;

	ber_cursor_init(top, param, len, D_PARAM);
	rc = gsm_map_next(rd, top, t, "parameter");
	if (rc < 0)
		return rc;
	if (rc == 0)
		return gsm_map_bad(rd->opcode, "parameter", "missing");
	if (!ber_cursor_done(top))
		return gsm_map_bad(rd->opcode, "parameter", "octets after the parameter");
	return 0;
}

/* Read the elements of a SEQUENCE; each calls fn with its index.  Elements
 * fn does not know are skipped (extensions, fields screening needs not). */
typedef int (*gsm_map_elem_fn)(struct gsm_map_rd *rd, struct ber_cursor *c,
			       const struct ber_tlv *t, unsigned int idx);

static int gsm_map_each(struct gsm_map_rd *rd, const struct ber_cursor *parent,
			const struct ber_tlv *seq, gsm_map_elem_fn fn, const char *field)
{
	struct ber_cursor c;
	struct ber_tlv t;
	unsigned int idx = 0;
	int rc;

	rc = gsm_map_enter(rd, &c, parent, seq, field);
	if (rc < 0)
		return rc;
	for (;;) {
		rc = gsm_map_next(rd, &c, &t, field);
		if (rc <= 0)
			return rc;
		rc = fn(rd, &c, &t, idx++);
		if (rc < 0)
			return rc;
	}
}

/* ------------------------------------------------------------------------
 * Arguments
 * ------------------------------------------------------------------------ */

/* UpdateLocationArg (29.002 §17.7.1): v2/v3 { imsi IMSI, msc-Number [1],
 * vlr-Number ISDN-AddressString, ... }; v1 { imsi, locationInfo CHOICE {
 * roamingNumber [0], msc-Number [1] }, vlr-Number, ... } */
static int ul_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		   unsigned int idx)
{
	if (idx == 0) {
		if (!is_octets(t))
			return gsm_map_bad(rd->opcode, "imsi", "missing");
		return gsm_map_imsi(rd, t, "imsi");
	}
	if (is_ctx(t, 1))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_MSC);
	if (is_octets(t) && !rd->info->addr[GSM_MAP_ADDR_VLR].present)
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_VLR);
	return 0;
}

/* Identity ::= CHOICE { imsi IMSI, imsi-WithLMSI SEQUENCE { imsi, lmsi } } */
static int identity_read(struct gsm_map_rd *rd, const struct ber_cursor *parent,
			 const struct ber_tlv *t)
{
	struct ber_cursor c;
	struct ber_tlv e;
	int rc;

	if (is_octets(t))
		return gsm_map_imsi(rd, t, "imsi");
	if (!is_seq(t))
		return gsm_map_bad(rd->opcode, "identity", "neither imsi nor imsi-WithLMSI");
	rc = gsm_map_enter(rd, &c, parent, t, "imsi-WithLMSI");
	if (rc < 0)
		return rc;
	rc = gsm_map_next(rd, &c, &e, "imsi-WithLMSI");
	if (rc < 0)
		return rc;
	if (rc == 0 || !is_octets(&e))
		return gsm_map_bad(rd->opcode, "imsi-WithLMSI imsi", "missing");
	return gsm_map_imsi(rd, &e, "imsi-WithLMSI imsi");
}

/* CancelLocationArg v3 ::= [3] SEQUENCE { identity, cancellationType, ...,
 * newMSC-Number [3], newVLR-Number [4], ... } */
static int cl_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		   unsigned int idx)
{
	if (idx == 0)
		return identity_read(rd, c, t);
	if (is_ctx(t, 3))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_MSC);
	if (is_ctx(t, 4))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_VLR);
	return 0;
}

/* InsertSubscriberDataArg: imsi [0], msisdn [1], ... (all versions) */
static int isd_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		    unsigned int idx)
{
	if (is_ctx(t, 0))
		return gsm_map_imsi(rd, t, "imsi");
	if (is_ctx(t, 1))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_MSISDN);
	return 0;
}

/* PurgeMS-Arg v3 ::= [3] SEQUENCE { imsi, vlr-Number [0], sgsn-Number [1], ... } */
static int purge3_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		       unsigned int idx)
{
	if (idx == 0) {
		if (!is_octets(t))
			return gsm_map_bad(rd->opcode, "imsi", "missing");
		return gsm_map_imsi(rd, t, "imsi");
	}
	if (is_ctx(t, 0))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_VLR);
	if (is_ctx(t, 1))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_SGSN);
	return 0;
}

/* PurgeMS-Arg v2 ::= SEQUENCE { imsi, vlr-Number, ... } */
static int purge2_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		       unsigned int idx)
{
	if (idx == 0) {
		if (!is_octets(t))
			return gsm_map_bad(rd->opcode, "imsi", "missing");
		return gsm_map_imsi(rd, t, "imsi");
	}
	if (idx == 1 && is_octets(t))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_VLR);
	return 0;
}

/* SendAuthenticationInfoArg v3 ::= SEQUENCE { imsi [0], numberOfRequestedVectors, ... } */
static int sai_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		    unsigned int idx)
{
	if (is_ctx(t, 0))
		return gsm_map_imsi(rd, t, "imsi");
	return 0;
}

/* SendRoutingInfoArg ::= SEQUENCE { msisdn [0], ..., gmsc-OrGsmSCF-Address [6] (v3), ... } */
static int sri_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		    unsigned int idx)
{
	if (is_ctx(t, 0))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_MSISDN);
	if (is_ctx(t, 6))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_GMSC);
	return 0;
}

/* RoutingInfoForSM-Arg ::= SEQUENCE { msisdn [0], sm-RP-PRI [1],
 * serviceCentreAddress [2], ..., imsi [12] (Rel-11 on) } */
static int srism_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		      unsigned int idx)
{
	if (is_ctx(t, 0))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_MSISDN);
	if (is_ctx(t, 2))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_SC);
	if (is_ctx(t, 12))
		return gsm_map_imsi(rd, t, "imsi");
	return 0;
}

/* MT-ForwardSM-Arg, MO-ForwardSM-Arg and v1/v2 ForwardSM-Arg ::= SEQUENCE {
 * sm-RP-DA, sm-RP-OA, sm-RP-UI, ..., imsi IMSI (MO v3 only) }
 * SM-RP-DA ::= CHOICE { imsi [0], lmsi [1], serviceCentreAddressDA [4], noSM-RP-DA [5] }
 * SM-RP-OA ::= CHOICE { msisdn [2], serviceCentreAddressOA [4], noSM-RP-OA [5] } */
static int fsm_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		    unsigned int idx)
{
	switch (idx) {
	case 0:
		if (is_ctx(t, 0))
			return gsm_map_imsi(rd, t, "sm-RP-DA imsi");
		if (is_ctx(t, 4))
			return gsm_map_addr(rd, t, GSM_MAP_ADDR_SC);
		if (is_ctx(t, 1) || is_ctx(t, 5))
			return 0;
		return gsm_map_bad(rd->opcode, "sm-RP-DA", "unknown choice");
	case 1:
		if (is_ctx(t, 2))
			return gsm_map_addr(rd, t, GSM_MAP_ADDR_MSISDN);
		if (is_ctx(t, 4))
			return gsm_map_addr(rd, t, GSM_MAP_ADDR_SC);
		if (is_ctx(t, 5))
			return 0;
		return gsm_map_bad(rd->opcode, "sm-RP-OA", "unknown choice");
	case 2:
		if (!is_octets(t))
			return gsm_map_bad(rd->opcode, "sm-RP-UI", "missing");
		return 0;
	default:
		/* 29.002 §17.7.6: in MO-ForwardSM-Arg the IMSI of the sender
		 * follows the extension marker; MT-ForwardSM-Arg has none */
		if (rd->opcode == GSM_MAP_OP_MO_FORWARD_SM && is_octets(t))
			return gsm_map_imsi(rd, t, "imsi");
		return 0;
	}
}

/* SubscriberIdentity ::= CHOICE { imsi [0], msisdn [1] } (explicit, a tagged CHOICE) */
static int subscriber_identity_read(struct gsm_map_rd *rd, const struct ber_cursor *parent,
				    const struct ber_tlv *t)
{
	struct ber_cursor c;
	struct ber_tlv e;
	int rc;

	rc = gsm_map_enter(rd, &c, parent, t, "subscriberIdentity");
	if (rc < 0)
		return rc;
	rc = gsm_map_next(rd, &c, &e, "subscriberIdentity");
	if (rc < 0)
		return rc;
	if (rc == 0)
		return gsm_map_bad(rd->opcode, "subscriberIdentity", "empty");
	if (!ber_cursor_done(&c))
		return gsm_map_bad(rd->opcode, "subscriberIdentity", "more than one choice");
	if (is_ctx(&e, 0))
		return gsm_map_imsi(rd, &e, "subscriberIdentity imsi");
	if (is_ctx(&e, 1))
		return gsm_map_addr(rd, &e, GSM_MAP_ADDR_MSISDN);
	return gsm_map_bad(rd->opcode, "subscriberIdentity", "unknown choice");
}

/* AnyTimeInterrogationArg ::= SEQUENCE { subscriberIdentity [0], requestedInfo [1],
 * gsmSCF-Address [3], extensionContainer [2], ... } */
static int ati_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		    unsigned int idx)
{
	if (is_ctx_cons(t, 0))
		return subscriber_identity_read(rd, c, t);
	if (is_ctx(t, 3))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_GSMSCF);
	return 0;
}

/* ProvideSubscriberInfoArg ::= SEQUENCE { imsi [0], lmsi [1], requestedInfo [2], ... };
 * SendRoutingInfoForGprsArg ::= SEQUENCE { imsi [0], ggsn-Address [1], ggsn-Number [2], ... } */
static int psi_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		    unsigned int idx)
{
	if (is_ctx(t, 0))
		return gsm_map_imsi(rd, t, "imsi");
	if (rd->opcode == GSM_MAP_OP_SEND_ROUTING_INFO_FOR_GPRS && is_ctx(t, 2))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_GGSN);
	return 0;
}

/* ProvideRoamingNumberArg ::= SEQUENCE { imsi [0], msc-Number [1], msisdn [2], ... }
 * (v2, v3); DeleteSubscriberDataArg ::= SEQUENCE { imsi [0], basicServiceList [1], ... } */
static int prn_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		    unsigned int idx)
{
	if (is_ctx(t, 0))
		return gsm_map_imsi(rd, t, "imsi");
	if (rd->opcode == GSM_MAP_OP_PROVIDE_ROAMING_NUMBER && is_ctx(t, 1))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_MSC);
	if (rd->opcode == GSM_MAP_OP_PROVIDE_ROAMING_NUMBER && is_ctx(t, 2))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_MSISDN);
	return 0;
}

/* USSD-Arg ::= SEQUENCE { ussd-DataCodingScheme, ussd-String, ...,
 * alertingPattern, msisdn [0] } */
static int ussd_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		     unsigned int idx)
{
	if (is_ctx(t, 0))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_MSISDN);
	return 0;
}

static void gsm_map_info_init(struct gsm_map_info *info, int64_t opcode, bool result)
{
	memset(info, 0, sizeof(*info));
	info->opcode = opcode;
	info->result = result;
}

/*! Read the screening fields of an operation's argument (an Invoke's parameter).
 *  \param[out] info cleared, then filled
 *  \param[in] opcode the local operation code
 *  \param[in] param, len the parameter element as sent (tcap_component.param)
 *  \returns 0, -ENOTSUP (an operation we do not read), -EBADMSG (logged) */
int gsm_map_arg_decode(struct gsm_map_info *info, int64_t opcode, const uint8_t *param, size_t len)
{
	struct gsm_map_rd rd = { .info = info, .opcode = opcode };
	struct ber_cursor top;
	struct ber_tlv t;
	gsm_map_elem_fn fn = NULL;
	int rc;

	gsm_map_info_init(info, opcode, false);
	switch (opcode) {
	case GSM_MAP_OP_UPDATE_LOCATION:
	case GSM_MAP_OP_CANCEL_LOCATION:
	case GSM_MAP_OP_INSERT_SUBSCRIBER_DATA:
	case GSM_MAP_OP_PURGE_MS:
	case GSM_MAP_OP_SEND_AUTHENTICATION_INFO:
	case GSM_MAP_OP_SEND_ROUTING_INFO:
	case GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM:
	case GSM_MAP_OP_MT_FORWARD_SM:
	case GSM_MAP_OP_MO_FORWARD_SM:
	case GSM_MAP_OP_ANY_TIME_INTERROGATION:
	case GSM_MAP_OP_PROVIDE_SUBSCRIBER_INFO:
	case GSM_MAP_OP_SEND_IMSI:
	case GSM_MAP_OP_SEND_ROUTING_INFO_FOR_GPRS:
	case GSM_MAP_OP_PROCESS_USSD_REQUEST:
	case GSM_MAP_OP_PROVIDE_ROAMING_NUMBER:
	case GSM_MAP_OP_DELETE_SUBSCRIBER_DATA:
		break;
	default:
		return -ENOTSUP;
	}
	/* 29.002 §17.6.1: sendAuthenticationInfo v3's ARGUMENT is OPTIONAL,
	 * its Invoke asks for more vectors of a segmented dialogue */
	if (len == 0 && opcode == GSM_MAP_OP_SEND_AUTHENTICATION_INFO)
		return 0;
	rc = gsm_map_param(&rd, &top, &t, param, len);
	if (rc < 0)
		return rc;

	switch (opcode) {
	case GSM_MAP_OP_CANCEL_LOCATION:
		/* v3: [3] SEQUENCE; v1 and v2: the Identity itself */
		if (is_ctx_cons(&t, 3))
			return gsm_map_each(&rd, &top, &t, cl_elem, "argument");
		return identity_read(&rd, &top, &t);
	case GSM_MAP_OP_PURGE_MS:
		if (is_ctx_cons(&t, 3))
			return gsm_map_each(&rd, &top, &t, purge3_elem, "argument");
		if (is_seq(&t))
			return gsm_map_each(&rd, &top, &t, purge2_elem, "argument");
		return gsm_map_bad(opcode, "argument", "neither v2 nor v3");
	case GSM_MAP_OP_SEND_AUTHENTICATION_INFO:
		/* v2: SendAuthenticationInfoArg ::= IMSI */
		if (is_octets(&t))
			return gsm_map_imsi(&rd, &t, "imsi");
		fn = sai_elem;
		break;
	case GSM_MAP_OP_SEND_IMSI:
		/* v2: ISDN-AddressString, the MSISDN */
		if (!is_octets(&t))
			return gsm_map_bad(opcode, "msisdn", "not an OCTET STRING");
		return gsm_map_addr(&rd, &t, GSM_MAP_ADDR_MSISDN);
	case GSM_MAP_OP_UPDATE_LOCATION:
		fn = ul_elem;
		break;
	case GSM_MAP_OP_INSERT_SUBSCRIBER_DATA:
		fn = isd_elem;
		break;
	case GSM_MAP_OP_SEND_ROUTING_INFO:
		fn = sri_elem;
		break;
	case GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM:
		fn = srism_elem;
		break;
	case GSM_MAP_OP_MT_FORWARD_SM:
	case GSM_MAP_OP_MO_FORWARD_SM:
		fn = fsm_elem;
		break;
	case GSM_MAP_OP_ANY_TIME_INTERROGATION:
		fn = ati_elem;
		break;
	case GSM_MAP_OP_PROVIDE_SUBSCRIBER_INFO:
	case GSM_MAP_OP_SEND_ROUTING_INFO_FOR_GPRS:
		fn = psi_elem;
		break;
	case GSM_MAP_OP_PROCESS_USSD_REQUEST:
		fn = ussd_elem;
		break;
	case GSM_MAP_OP_PROVIDE_ROAMING_NUMBER:
	case GSM_MAP_OP_DELETE_SUBSCRIBER_DATA:
		fn = prn_elem;
		break;
	}
	if (!is_seq(&t))
		return gsm_map_bad(opcode, "argument", "not a SEQUENCE");
	rc = gsm_map_each(&rd, &top, &t, fn, "argument");
	if (rc < 0)
		return rc;
	/* the fields each argument cannot be without */
	switch (opcode) {
	case GSM_MAP_OP_UPDATE_LOCATION:
		if (!info->addr[GSM_MAP_ADDR_VLR].present)
			return gsm_map_bad(opcode, "vlr-Number", "missing");
		break;
	case GSM_MAP_OP_MT_FORWARD_SM:
	case GSM_MAP_OP_MO_FORWARD_SM:
		/* sm-RP-DA, sm-RP-OA and sm-RP-UI */
		break;
	case GSM_MAP_OP_SEND_AUTHENTICATION_INFO:
	case GSM_MAP_OP_PROVIDE_SUBSCRIBER_INFO:
	case GSM_MAP_OP_SEND_ROUTING_INFO_FOR_GPRS:
	case GSM_MAP_OP_PROVIDE_ROAMING_NUMBER:
	case GSM_MAP_OP_DELETE_SUBSCRIBER_DATA:
		if (!info->has_imsi)
			return gsm_map_bad(opcode, "imsi", "missing");
		break;
	case GSM_MAP_OP_SEND_ROUTING_INFO:
	case GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM:
		if (!info->addr[GSM_MAP_ADDR_MSISDN].present)
			return gsm_map_bad(opcode, "msisdn", "missing");
		break;
	case GSM_MAP_OP_ANY_TIME_INTERROGATION:
		if (!info->has_imsi && !info->addr[GSM_MAP_ADDR_MSISDN].present)
			return gsm_map_bad(opcode, "subscriberIdentity", "missing");
		break;
	default:
		break;
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * Results
 * ------------------------------------------------------------------------ */

/* UpdateLocationRes ::= SEQUENCE { hlr-Number ISDN-AddressString, ... } */
static int ulres_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		      unsigned int idx)
{
	if (idx == 0) {
		if (!is_octets(t))
			return gsm_map_bad(rd->opcode, "hlr-Number", "missing");
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_HLR);
	}
	return 0;
}

/* LocationInfoWithLMSI ::= SEQUENCE { networkNode-Number [1], lmsi, ...,
 * gprsNodeIndicator [5] NULL, additional-Number [6] CHOICE { msc-Number [0],
 * sgsn-Number [1] } } (29.002 §17.7.6) */
static int liwl_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		     unsigned int idx)
{
	if (is_ctx(t, 1))
		/* the MSC's, or the SGSN's with gprsNodeIndicator: reported as MSC */
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_MSC);
	if (is_ctx_cons(t, 6)) {
		struct ber_cursor cc;
		struct ber_tlv e;
		int rc = gsm_map_enter(rd, &cc, c, t, "additional-Number");

		if (rc < 0)
			return rc;
		rc = gsm_map_next(rd, &cc, &e, "additional-Number");
		if (rc <= 0)
			return rc < 0 ? rc : gsm_map_bad(rd->opcode, "additional-Number", "empty");
		if (is_ctx(&e, 1))
			return gsm_map_addr(rd, &e, GSM_MAP_ADDR_SGSN);
		return 0;
	}
	return 0;
}

/* RoutingInfoForSM-Res ::= SEQUENCE { imsi IMSI, locationInfoWithLMSI [0], ... } */
static int srismres_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
			 unsigned int idx)
{
	if (idx == 0) {
		if (!is_octets(t))
			return gsm_map_bad(rd->opcode, "imsi", "missing");
		return gsm_map_imsi(rd, t, "imsi");
	}
	if (is_ctx_cons(t, 0))
		return gsm_map_each(rd, c, t, liwl_elem, "locationInfoWithLMSI");
	return 0;
}

/* SendRoutingInfoRes v3 ::= [3] SEQUENCE { imsi [9], ... } */
static int srires3_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
			unsigned int idx)
{
	if (is_ctx(t, 9))
		return gsm_map_imsi(rd, t, "imsi");
	return 0;
}

/* SendRoutingInfoRes v1/v2 ::= SEQUENCE { imsi IMSI, routingInfo, ... } */
static int srires2_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
			unsigned int idx)
{
	if (idx == 0 && is_octets(t))
		return gsm_map_imsi(rd, t, "imsi");
	return 0;
}

/* LocationInformation ::= SEQUENCE { ..., vlr-number [1], ... } */
static int locinfo_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
			unsigned int idx)
{
	if (is_ctx(t, 1))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_VLR);
	return 0;
}

/* SubscriberInfo ::= SEQUENCE { locationInformation [0], ... } */
static int subinfo_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
			unsigned int idx)
{
	if (is_ctx_cons(t, 0))
		return gsm_map_each(rd, c, t, locinfo_elem, "locationInformation");
	return 0;
}

/* AnyTimeInterrogationRes and ProvideSubscriberInfoRes ::= SEQUENCE {
 * subscriberInfo SubscriberInfo, ... } */
static int atires_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
		       unsigned int idx)
{
	if (idx == 0) {
		if (!is_seq(t))
			return gsm_map_bad(rd->opcode, "subscriberInfo", "missing");
		return gsm_map_each(rd, c, t, subinfo_elem, "subscriberInfo");
	}
	return 0;
}

/*! Read the screening fields of an operation's result (a ReturnResult's
 *  parameter): the HLR of updateLocation, the IMSI and serving node that
 *  sendRoutingInfoForSM reveals, the IMSI of sendRoutingInfo and sendIMSI,
 *  the VLR of anyTimeInterrogation and provideSubscriberInfo.
 *  \returns 0, -ENOTSUP (an operation whose result we do not read), -EBADMSG */
int gsm_map_res_decode(struct gsm_map_info *info, int64_t opcode, const uint8_t *param, size_t len)
{
	struct gsm_map_rd rd = { .info = info, .opcode = opcode };
	struct ber_cursor top;
	struct ber_tlv t;
	int rc;

	gsm_map_info_init(info, opcode, true);
	switch (opcode) {
	case GSM_MAP_OP_UPDATE_LOCATION:
	case GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM:
	case GSM_MAP_OP_SEND_ROUTING_INFO:
	case GSM_MAP_OP_SEND_IMSI:
	case GSM_MAP_OP_ANY_TIME_INTERROGATION:
	case GSM_MAP_OP_PROVIDE_SUBSCRIBER_INFO:
		break;
	default:
		return -ENOTSUP;
	}
	rc = gsm_map_param(&rd, &top, &t, param, len);
	if (rc < 0)
		return rc;

	switch (opcode) {
	case GSM_MAP_OP_UPDATE_LOCATION:
		/* v1 and v2 may send the hlr-Number alone */
		if (is_octets(&t))
			return gsm_map_addr(&rd, &t, GSM_MAP_ADDR_HLR);
		if (!is_seq(&t))
			break;
		return gsm_map_each(&rd, &top, &t, ulres_elem, "result");
	case GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM:
		if (!is_seq(&t))
			break;
		return gsm_map_each(&rd, &top, &t, srismres_elem, "result");
	case GSM_MAP_OP_SEND_ROUTING_INFO:
		if (is_ctx_cons(&t, 3))
			return gsm_map_each(&rd, &top, &t, srires3_elem, "result");
		if (!is_seq(&t))
			break;
		return gsm_map_each(&rd, &top, &t, srires2_elem, "result");
	case GSM_MAP_OP_SEND_IMSI:
		if (!is_octets(&t))
			break;
		return gsm_map_imsi(&rd, &t, "imsi");
	case GSM_MAP_OP_ANY_TIME_INTERROGATION:
	case GSM_MAP_OP_PROVIDE_SUBSCRIBER_INFO:
		if (!is_seq(&t))
			break;
		return gsm_map_each(&rd, &top, &t, atires_elem, "result");
	}
	return gsm_map_bad(opcode, "result", "not of the type of this operation");
}

/* ------------------------------------------------------------------------
 * Dialogue and components
 * ------------------------------------------------------------------------ */

/* MAP-OpenInfo ::= SEQUENCE { destinationReference [0] AddressString,
 * originationReference [1] AddressString, ... } */
static int openinfo_elem(struct gsm_map_rd *rd, struct ber_cursor *c, const struct ber_tlv *t,
			 unsigned int idx)
{
	if (is_ctx(t, 0))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_DEST_REF);
	if (is_ctx(t, 1))
		return gsm_map_addr(rd, t, GSM_MAP_ADDR_ORIG_REF);
	return 0;
}

/*! Read the references of a MAP-OpenInfo (29.002 §17.4: MAP-DialoguePDU
 *  map-open [0], in a user-information EXTERNAL of map-DialogueAS) into the
 *  DEST_REF and ORIG_REF addresses of info; other fields of info stay.
 *  \returns 0 (also when there is none), -EBADMSG */
int gsm_map_open_info_decode(struct gsm_map_info *info, const struct tcap_msg *msg)
{
	const struct tcap_external *ext;
	struct gsm_map_rd rd = { .info = info, .opcode = info->opcode };
	struct ber_cursor top;
	struct ber_tlv t;
	int rc;

	ext = tcap_userinfo_find(msg, gsm_map_dialogue_as, sizeof(gsm_map_dialogue_as));
	if (!ext || ext->encoding != TCAP_EXT_SINGLE_ASN1)
		return 0;
	ber_cursor_init(&top, ext->value.data, ext->value.len, D_PARAM);
	rc = gsm_map_next(&rd, &top, &t, "MAP-DialoguePDU");
	if (rc <= 0)
		return rc < 0 ? rc : gsm_map_bad(rd.opcode, "MAP-DialoguePDU", "empty");
	if (!is_ctx_cons(&t, 0))
		return 0;
	info->addr[GSM_MAP_ADDR_DEST_REF].present = false;
	info->addr[GSM_MAP_ADDR_ORIG_REF].present = false;
	return gsm_map_each(&rd, &top, &t, openinfo_elem, "MAP-OpenInfo");
}

/*! Read what screening needs from one component of a decoded message: the
 *  operation, the application context and its version, the fields of the
 *  argument (Invoke) or result (ReturnResult), and the references of a
 *  MAP-OpenInfo.
 *  \returns 0, -ENOTSUP (not MAP, or nothing we read: global code, other
 *  component type, other operation; info->opcode and version are still
 *  set when known), -EBADMSG */
int gsm_map_component_decode(struct gsm_map_info *info, const struct tcap_msg *msg,
			     const struct tcap_component *comp)
{
	enum gsm_map_ac ac = GSM_MAP_AC_UNKNOWN;
	uint8_t version = 0;
	int rc;

	memset(info, 0, sizeof(*info));
	if (msg->acn.len) {
		/* a dialogue of another application (CAP, a private one) */
		if (gsm_map_ac_decode(&ac, &version, msg->acn.data, msg->acn.len) < 0)
			return -ENOTSUP;
	} else if (msg->type == TCAP_MSG_BEGIN && msg->dlg_pdu == TCAP_DLG_NONE) {
		/* MAP v1 (GSM 09.02 phase 1) has no application contexts: its
		 * dialogues open without a dialogue portion */
		version = 1;
	}
	if (!comp->has_code || comp->code_global) {
		info->ac = ac;
		info->version = version;
		return -ENOTSUP;
	}
	switch (comp->type) {
	case TCAP_COMP_INVOKE:
		rc = gsm_map_arg_decode(info, comp->code_local, comp->param.data, comp->param.len);
		break;
	case TCAP_COMP_RESULT_LAST:
	case TCAP_COMP_RESULT_NOT_LAST:
		rc = gsm_map_res_decode(info, comp->code_local, comp->param.data, comp->param.len);
		break;
	default:
		info->opcode = comp->code_local;
		rc = -ENOTSUP;
		break;
	}
	info->ac = ac;
	info->version = version;
	if (rc < 0)
		return rc;
	return gsm_map_open_info_decode(info, msg);
}

/* ------------------------------------------------------------------------
 * The Abort of a refused message
 * ------------------------------------------------------------------------ */

const struct value_string gsm_map_abort_names[] = {
	{ GSM_MAP_ABORT_REFUSE,		"dialogue-refused" },
	{ GSM_MAP_ABORT_V1,		"u-abort" },
	{ GSM_MAP_ABORT_UNKNOWN_TID,	"p-abort-unrecognized-tid" },
	{ GSM_MAP_ABORT_USER,		"u-abort-user" },
	{ 0, NULL }
};

/* 29.002 §17.4 MAP-DialogueInformation (IMPLICIT TAGS): MAP-DialoguePDU
 * map-refuse [3] MAP-RefuseInfo { reason Reason ENUMERATED noReasonGiven (0) } */
static const uint8_t gsm_map_refuse_info[] = { 0xa3, 0x03, 0x0a, 0x01, 0x00 };
/* map-userAbort [4] MAP-UserAbortInfo { map-UserAbortChoice userSpecificReason [0] NULL } */
static const uint8_t gsm_map_user_abort_info[] = { 0xa4, 0x02, 0x80, 0x00 };
/* Q.773 §4.2.2 protocol-version: BIT STRING version1, 7 unused bits */
static const uint8_t gsm_map_tcap_version1[] = { 0x07, 0x80 };

int gsm_map_abort_encode(uint8_t *out, size_t size, enum gsm_map_abort kind, const uint8_t *dtid,
			 size_t dtid_len, const uint8_t *acn, size_t acn_len)
{
	struct tcap_msg m;
	struct tcap_external *ext = &m.userinfo_ext[0];

	if (!dtid || dtid_len < 1 || dtid_len > TCAP_TID_MAX_LEN)
		return -EINVAL;
	memset(&m, 0, sizeof(m));
	m.type = TCAP_MSG_ABORT;
	m.has_dtid = true;
	m.dtid_len = dtid_len;
	memcpy(m.dtid, dtid, dtid_len);
	switch (kind) {
	case GSM_MAP_ABORT_REFUSE:
		/* Q.774 §3.2.2.2: the refusal of a dialogue in the initiation
		 * received state is an AARE with result reject-permanent */
		if (!acn || !acn_len)
			return -EINVAL;
		m.dlg_pdu = TCAP_DLG_AARE;
		m.proto_version.data = gsm_map_tcap_version1;
		m.proto_version.len = sizeof(gsm_map_tcap_version1);
		m.acn.data = acn;
		m.acn.len = acn_len;
		m.result = 1;		/* reject-permanent */
		m.rsd_source = 1;	/* dialogue-service-user */
		m.rsd_value = 1;	/* no-reason-given */
		ext->value.data = gsm_map_refuse_info;
		ext->value.len = sizeof(gsm_map_refuse_info);
		break;
	case GSM_MAP_ABORT_USER:
		m.dlg_pdu = TCAP_DLG_ABRT;
		m.abort_source = 0;	/* dialogue-service-user */
		ext->value.data = gsm_map_user_abort_info;
		ext->value.len = sizeof(gsm_map_user_abort_info);
		break;
	case GSM_MAP_ABORT_UNKNOWN_TID:
		m.has_pabort = true;
		m.pabort_cause = TCAP_PABORT_UNRECOGNIZED_TID;
		break;
	case GSM_MAP_ABORT_V1:
		break;
	default:
		return -EINVAL;
	}
	if (m.dlg_pdu != TCAP_DLG_NONE) {
		ext->oid.data = gsm_map_dialogue_as;
		ext->oid.len = sizeof(gsm_map_dialogue_as);
		ext->encoding = TCAP_EXT_SINGLE_ASN1;
		m.num_userinfo = 1;
	}
	return tcap_msg_encode(out, size, &m);
}
