/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file gsm_map.h
 *  The fields of MAP operations (3GPP TS 29.002) that border screening
 *  needs (GSMA FS.11 categories: who asks about which subscriber, from
 *  which node), read from a decoded TCAP component.  Only those fields are
 *  read; everything else in an argument, extensions included, is skipped.
 *  The parameter shapes of MAP v1, v2 and v3 are told apart by their tags,
 *  so an operation decodes whatever version its sender used.  Named
 *  gsm_map so that it is not mistaken for the certificate map (certs/map). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <osmocom/core/utils.h>

#include "ss7/tcap.h"

/*! IMSI: at most 15 digits (3GPP TS 23.003 §2.2). */
#define GSM_MAP_IMSI_MAX_DIGITS		15
/*! AddressString: at most 20 octets, the first one TON/NPI (29.002 §17.7.8). */
#define GSM_MAP_ADDR_MAX_OCTETS		20
#define GSM_MAP_ADDR_MAX_DIGITS		((GSM_MAP_ADDR_MAX_OCTETS - 1) * 2)

/*! Operation codes, local values (29.002 §17.5). */
enum gsm_map_op {
	GSM_MAP_OP_UPDATE_LOCATION		= 2,
	GSM_MAP_OP_CANCEL_LOCATION		= 3,
	GSM_MAP_OP_PROVIDE_ROAMING_NUMBER	= 4,
	GSM_MAP_OP_INSERT_SUBSCRIBER_DATA	= 7,
	GSM_MAP_OP_DELETE_SUBSCRIBER_DATA	= 8,
	GSM_MAP_OP_SEND_PARAMETERS		= 9,
	GSM_MAP_OP_SEND_ROUTING_INFO		= 22,
	GSM_MAP_OP_UPDATE_GPRS_LOCATION		= 23,
	GSM_MAP_OP_SEND_ROUTING_INFO_FOR_GPRS	= 24,
	GSM_MAP_OP_RESET			= 37,
	GSM_MAP_OP_MT_FORWARD_SM		= 44,
	GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM	= 45,
	GSM_MAP_OP_MO_FORWARD_SM		= 46,	/*!< forwardSM in MAP v1 and v2 */
	GSM_MAP_OP_REPORT_SM_DELIVERY_STATUS	= 47,
	GSM_MAP_OP_SEND_IDENTIFICATION		= 55,
	GSM_MAP_OP_SEND_AUTHENTICATION_INFO	= 56,
	GSM_MAP_OP_RESTORE_DATA			= 57,
	GSM_MAP_OP_SEND_IMSI			= 58,
	GSM_MAP_OP_PROCESS_USSD_REQUEST		= 59,
	GSM_MAP_OP_USSD_REQUEST			= 60,
	GSM_MAP_OP_USSD_NOTIFY			= 61,
	GSM_MAP_OP_ALERT_SERVICE_CENTRE		= 64,
	GSM_MAP_OP_PURGE_MS			= 67,
	GSM_MAP_OP_PROVIDE_SUBSCRIBER_INFO	= 70,
	GSM_MAP_OP_ANY_TIME_INTERROGATION	= 71,
	GSM_MAP_OP_PROVIDE_SUBSCRIBER_LOCATION	= 83,
	GSM_MAP_OP_SEND_ROUTING_INFO_FOR_LCS	= 85,
};
extern const struct value_string gsm_map_op_names[];

/*! Application contexts: the X of 0.4.0.0.1.0.X.V (29.002 §17.3.3). */
enum gsm_map_ac {
	GSM_MAP_AC_UNKNOWN			= 0,
	GSM_MAP_AC_NETWORK_LOC_UP		= 1,
	GSM_MAP_AC_LOCATION_CANCELLATION	= 2,
	GSM_MAP_AC_ROAMING_NUMBER_ENQUIRY	= 3,
	GSM_MAP_AC_LOCATION_INFO_RETRIEVAL	= 5,
	GSM_MAP_AC_RESET			= 10,
	GSM_MAP_AC_INFO_RETRIEVAL		= 14,
	GSM_MAP_AC_SUBSCRIBER_DATA_MNGT		= 16,
	GSM_MAP_AC_NETWORK_UNSTRUCTURED_SS	= 19,
	GSM_MAP_AC_SHORT_MSG_GATEWAY		= 20,
	GSM_MAP_AC_SHORT_MSG_MO_RELAY		= 21,	/*!< shortMsgRelayContext in v1 */
	GSM_MAP_AC_SHORT_MSG_ALERT		= 23,
	GSM_MAP_AC_SHORT_MSG_MT_RELAY		= 25,
	GSM_MAP_AC_IMSI_RETRIEVAL		= 26,
	GSM_MAP_AC_MS_PURGING			= 27,
	GSM_MAP_AC_SUBSCRIBER_INFO_ENQUIRY	= 28,
	GSM_MAP_AC_ANY_TIME_INFO_ENQUIRY	= 29,
	GSM_MAP_AC_GPRS_LOCATION_UPDATE		= 32,
	GSM_MAP_AC_GPRS_LOCATION_INFO_RETRIEVAL	= 33,
};
extern const struct value_string gsm_map_ac_names[];

/*! What an address is in the operation. */
enum gsm_map_addr_role {
	GSM_MAP_ADDR_MSISDN,
	GSM_MAP_ADDR_VLR,
	GSM_MAP_ADDR_MSC,
	GSM_MAP_ADDR_SGSN,
	GSM_MAP_ADDR_SC,	/*!< service centre: sm-RP-OA/-DA, serviceCentreAddress */
	GSM_MAP_ADDR_HLR,
	GSM_MAP_ADDR_GMSC,	/*!< gmsc-OrGsmSCF-Address of SendRoutingInfo */
	GSM_MAP_ADDR_GSMSCF,	/*!< gsmSCF-Address of AnyTimeInterrogation */
	GSM_MAP_ADDR_GGSN,	/*!< ggsn-Number of SendRoutingInfoForGprs */
	GSM_MAP_ADDR_DEST_REF,	/*!< destinationReference of MAP-OpenInfo */
	GSM_MAP_ADDR_ORIG_REF,	/*!< originationReference of MAP-OpenInfo */
	_NUM_GSM_MAP_ADDR
};
extern const struct value_string gsm_map_addr_role_names[];

/*! An AddressString (29.002 §17.7.8): TON/NPI octet, then TBCD digits. */
struct gsm_map_addr {
	bool present;
	/*! nature of address indicator, bits 7-5 (1 = international) */
	uint8_t ton;
	/*! numbering plan indicator, bits 4-1 (1 = E.164, 6 = E.212) */
	uint8_t npi;
	/*! 0-9, and '*', '#', 'a', 'b', 'c' for TBCD 0xA-0xE */
	char digits[GSM_MAP_ADDR_MAX_DIGITS + 1];
};

/*! What was read from one component. */
struct gsm_map_info {
	/*! operation code (local value) */
	int64_t opcode;
	/*! the parameter was a result (ReturnResult), not an argument (Invoke) */
	bool result;
	/*! application context of the dialogue and its version, 0 when unknown;
	 *  a Begin without a dialogue portion is MAP v1 */
	enum gsm_map_ac ac;
	uint8_t version;
	bool has_imsi;
	char imsi[GSM_MAP_IMSI_MAX_DIGITS + 1];
	struct gsm_map_addr addr[_NUM_GSM_MAP_ADDR];
};

/*! The TCAP Abort a MAP border node answers a refused message with. */
enum gsm_map_abort {
	/*! a TC-BEGIN with AARQ: U-Abort, AARE reject-permanent,
	 *  dialogue-service-user no-reason-given, and MAP-RefuseInfo
	 *  { reason noReasonGiven } (MAP-OPEN "dialogue refused") */
	GSM_MAP_ABORT_REFUSE,
	/*! a MAP v1 TC-BEGIN (no dialogue portion): U-Abort without one */
	GSM_MAP_ABORT_V1,
	/*! a TC-CONTINUE of an unknown transaction: P-Abort unrecognizedTransactionID */
	GSM_MAP_ABORT_UNKNOWN_TID,
	/*! a TC-CONTINUE of an established dialogue: U-Abort, ABRT
	 *  dialogue-service-user and MAP-UserAbortInfo { userSpecificReason } */
	GSM_MAP_ABORT_USER,
};
extern const struct value_string gsm_map_abort_names[];

/*! Encode the TCAP Abort of \a kind towards the originator of a refused
 *  message: DTID = its OTID (Q.773 §3.1).
 *  \param[in] acn, acn_len the application context of the dialogue (its OID's
 *  contents octets; REFUSE needs one, the others ignore it)
 *  \returns octets written, -EINVAL, -ENOSPC */
int gsm_map_abort_encode(uint8_t *out, size_t size, enum gsm_map_abort kind, const uint8_t *dtid,
			 size_t dtid_len, const uint8_t *acn, size_t acn_len);

int gsm_map_ac_decode(enum gsm_map_ac *ac, uint8_t *version, const uint8_t *oid, size_t len);
int gsm_map_ac_encode(uint8_t *out, size_t out_size, enum gsm_map_ac ac, uint8_t version);
int gsm_map_imsi_decode(char *out, size_t out_size, const uint8_t *in, size_t len);
int gsm_map_addr_decode(struct gsm_map_addr *addr, const uint8_t *in, size_t len);

int gsm_map_arg_decode(struct gsm_map_info *info, int64_t opcode, const uint8_t *param, size_t len);
int gsm_map_res_decode(struct gsm_map_info *info, int64_t opcode, const uint8_t *param, size_t len);
int gsm_map_open_info_decode(struct gsm_map_info *info, const struct tcap_msg *msg);
int gsm_map_component_decode(struct gsm_map_info *info, const struct tcap_msg *msg,
			     const struct tcap_component *comp);
