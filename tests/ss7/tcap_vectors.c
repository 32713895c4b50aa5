/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Print TCAP messages built with our encoder (and with the signature
 * EXTERNAL inserted, or signed for real by tcap_sig_sign() with a key made
 * here), one a line as "NAME CALLED_SSN CALLING_SSN HEX", for
 * tests/ss7/tcap_tshark.sh to hand to tshark inside SCCP and M3UA. */

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <osmocom/core/application.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/ber.h"
#include "ss7/gsm_map.h"
#include "ss7/sigtoken.h"
#include "ss7/tcap.h"
#include "ss7/tcap_sig.h"
#include "tests/ss7/tcap_util.h"

#define SSN_HLR 6
#define SSN_VLR 7
#define SSN_MSC 8

static struct tcap_msg msg;
static uint8_t acn[7];
static const uint8_t pv1[] = { 0x07, 0x80 };
static const uint8_t map_dialogue_as[] = { 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01 };
/* map-open { destinationReference IMSI 262019876543210 as E.212, originationReference 4912345 } */
static const uint8_t map_open[] = { 0xa0, 0x11, 0x80, 0x09, 0x96, 0x62, 0x02, 0x91, 0x78, 0x56,
				    0x34, 0x12, 0xf0, 0x81, 0x04, 0x91, 0x94, 0x21, 0x43 };
/* the signature token, as ARCHITECTURE §2.2 lays it out (version 1, HOP TLV, ES256) */
static const uint8_t token[] = { 0x01, 0x01, 0x0d, 0x01, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
				 0x88, 0x65, 0x53, 0xf1, 0x00 };

/* MAP arguments, built by hand from 29.002 */
/* UpdateLocationArg { imsi 262019876543210, msc-Number [1] 4912345, vlr-Number 4912345 } */
static const uint8_t ul_arg[] = { 0x30, 0x18, 0x04, 0x08, 0x62, 0x02, 0x91, 0x78, 0x56, 0x34, 0x12, 0xf0,
				  0x81, 0x05, 0x91, 0x94, 0x21, 0x43, 0xf5,
				  0x04, 0x05, 0x91, 0x94, 0x21, 0x43, 0xf5 };
/* UpdateLocationRes v3 { hlr-Number 4930000 } */
static const uint8_t ul_res[] = { 0x30, 0x06, 0x04, 0x04, 0x91, 0x94, 0x03, 0x00 };
/* InsertSubscriberDataArg { imsi [0], msisdn [1] 4917012345 } */
static const uint8_t isd_arg[] = { 0x30, 0x12, 0x80, 0x08, 0x62, 0x02, 0x91, 0x78, 0x56, 0x34, 0x12, 0xf0,
				   0x81, 0x06, 0x91, 0x94, 0x71, 0x10, 0x32, 0x54 };
/* SendAuthenticationInfoArg v3 { imsi [0], numberOfRequestedVectors 5 } */
static const uint8_t sai_arg[] = { 0x30, 0x0d, 0x80, 0x08, 0x62, 0x02, 0x91, 0x78, 0x56, 0x34, 0x12, 0xf0,
				   0x02, 0x01, 0x05 };
/* RoutingInfoForSM-Arg { msisdn [0] 4917012345, sm-RP-PRI TRUE, serviceCentreAddress [2] 4917099 } */
static const uint8_t srism_arg[] = { 0x30, 0x12, 0x80, 0x06, 0x91, 0x94, 0x71, 0x10, 0x32, 0x54,
				     0x81, 0x01, 0xff, 0x82, 0x05, 0x91, 0x94, 0x71, 0x90, 0xf9 };
/* PurgeMS-Arg v3 [3] { imsi, vlr-Number [0] 4912345 } */
static const uint8_t purge_arg[] = { 0xa3, 0x11, 0x04, 0x08, 0x62, 0x02, 0x91, 0x78, 0x56, 0x34, 0x12, 0xf0,
				     0x80, 0x05, 0x91, 0x94, 0x21, 0x43, 0xf5 };
/* MT-ForwardSM-Arg { sm-RP-DA imsi [0], sm-RP-OA serviceCentreAddressOA [4] 4917099,
 * sm-RP-UI an SMS-DELIVER (TS 23.040 §9.2.2.1) from 4917012345 saying "hello" } */
static const uint8_t mtfsm_arg[] = { 0x30, 0x2a, 0x80, 0x08, 0x62, 0x02, 0x91, 0x78, 0x56, 0x34, 0x12, 0xf0,
				     0x84, 0x05, 0x91, 0x94, 0x71, 0x90, 0xf9,
				     0x04, 0x17, 0x04, 0x0a, 0x91, 0x94, 0x71, 0x10, 0x32, 0x54, 0x00, 0x00,
				     0x32, 0x30, 0x10, 0x21, 0x43, 0x65, 0x00, 0x05,
				     0xe8, 0x32, 0x9b, 0xfd, 0x06 };
/* USSD-Arg { ussd-DataCodingScheme 0x0f, ussd-String "*100#" packed } */
static const uint8_t ussd_arg[] = { 0x30, 0x0a, 0x04, 0x01, 0x0f, 0x04, 0x05, 0xaa, 0x18, 0x0c, 0x36, 0x02 };
/* AlertServiceCentreArg { msisdn 4917012345, serviceCentreAddress 4917099 } */
static const uint8_t alert_arg[] = { 0x30, 0x0f, 0x04, 0x06, 0x91, 0x94, 0x71, 0x10, 0x32, 0x54,
				     0x04, 0x05, 0x91, 0x94, 0x71, 0x90, 0xf9 };

static void dialogue(struct tcap_msg *m, enum tcap_msg_type type, enum gsm_map_ac ac, uint8_t version)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	if (type == TCAP_MSG_BEGIN || type == TCAP_MSG_CONTINUE) {
		m->has_otid = true;
		m->otid_len = 4;
		memcpy(m->otid, "\x10\x20\x30\x40", 4);
	}
	if (type == TCAP_MSG_CONTINUE || type == TCAP_MSG_END || type == TCAP_MSG_ABORT) {
		m->has_dtid = true;
		m->dtid_len = 4;
		memcpy(m->dtid, "\x50\x60\x70\x80", 4);
	}
	if (ac == GSM_MAP_AC_UNKNOWN)
		return;
	gsm_map_ac_encode(acn, sizeof(acn), ac, version);
	m->acn = (struct ber_slice){ acn, sizeof(acn) };
	m->proto_version = (struct ber_slice){ pv1, sizeof(pv1) };
	switch (type) {
	case TCAP_MSG_BEGIN:
		m->dlg_pdu = TCAP_DLG_AARQ;
		break;
	case TCAP_MSG_UNIDIRECTIONAL:
		m->dlg_pdu = TCAP_DLG_AUDT;
		break;
	default:
		m->dlg_pdu = TCAP_DLG_AARE;
		m->rsd_source = 1;
		break;
	}
}

static void invoke(struct tcap_msg *m, int8_t id, int64_t op, const uint8_t *arg, size_t len)
{
	struct tcap_component *c = &m->comp[m->num_components++];

	c->type = TCAP_COMP_INVOKE;
	c->has_invoke_id = true;
	c->invoke_id = id;
	c->has_code = true;
	c->code_local = op;
	c->param = (struct ber_slice){ arg, len };
}

/* the key tcap_sig_sign() signs with, when given */
static struct sigtoken_key *sig_key;
/* the calling GT tcap_tshark.sh puts in the SCCP UDT, vouched for in ORIG */
#define SIG_ORIG "49170000002"

static int print(const char *name, int called, int calling, bool sign, uint32_t indef)
{
	uint8_t out[1024], ind[1024], sig[1024];
	const uint8_t *p = out;
	int rc = tcap_msg_encode(out, sizeof(out), &msg);

	if (rc < 0) {
		fprintf(stderr, "%s: encode failed: %d\n", name, rc);
		return -1;
	}
	if (indef) {
		rc = ber_to_indef(ind, sizeof(ind), out, rc, indef);
		if (rc < 0) {
			fprintf(stderr, "%s: indefinite form failed: %d\n", name, rc);
			return -1;
		}
		p = ind;
	}
	if (sign && sig_key) {
		rc = tcap_sig_sign(sig, sizeof(sig), p, rc, sig_key, 1700000000, SIG_ORIG,
				   (const uint8_t *)TCAP_STIWF_SIG_OID, TCAP_STIWF_SIG_OID_LEN);
		if (rc < 0) {
			fprintf(stderr, "%s: sign failed: %d\n", name, rc);
			return -1;
		}
		p = sig;
	} else if (sign) {
		rc = tcap_userinfo_insert(sig, sizeof(sig), p, rc, (const uint8_t *)TCAP_STIWF_SIG_OID,
					  TCAP_STIWF_SIG_OID_LEN, token, sizeof(token));
		if (rc < 0) {
			fprintf(stderr, "%s: insert failed: %d\n", name, rc);
			return -1;
		}
		p = sig;
	}
	printf("%s %d %d %s\n", name, called, calling, osmo_hexdump_nospc(p, rc));
	return 0;
}

int main(int argc, char **argv)
{
	void *ctx = talloc_named_const(NULL, 0, "tcap_vectors");
	struct tcap_component *c;
	int rc = 0;

	if (stiwf_logging_init(ctx) < 0)
		return 1;

	/* updateLocation from a VLR, plain and signed */
	dialogue(&msg, TCAP_MSG_BEGIN, GSM_MAP_AC_NETWORK_LOC_UP, 3);
	invoke(&msg, 1, GSM_MAP_OP_UPDATE_LOCATION, ul_arg, sizeof(ul_arg));
	rc |= print("BEGIN_UL", SSN_HLR, SSN_VLR, false, 0);
	rc |= print("BEGIN_UL_SIG", SSN_HLR, SSN_VLR, true, 0);

	/* USSD with a MAP-OpenInfo: the signature follows the sender's EXTERNAL */
	dialogue(&msg, TCAP_MSG_BEGIN, GSM_MAP_AC_NETWORK_UNSTRUCTURED_SS, 2);
	msg.num_userinfo = 1;
	msg.userinfo_ext[0].oid = (struct ber_slice){ map_dialogue_as, sizeof(map_dialogue_as) };
	msg.userinfo_ext[0].encoding = TCAP_EXT_SINGLE_ASN1;
	msg.userinfo_ext[0].value = (struct ber_slice){ map_open, sizeof(map_open) };
	invoke(&msg, 0, GSM_MAP_OP_PROCESS_USSD_REQUEST, ussd_arg, sizeof(ussd_arg));
	rc |= print("BEGIN_USSD_SIG", SSN_HLR, SSN_MSC, true, 0);

	/* sendAuthenticationInfo with indefinite lengths everywhere, signed */
	dialogue(&msg, TCAP_MSG_BEGIN, GSM_MAP_AC_INFO_RETRIEVAL, 3);
	invoke(&msg, 1, GSM_MAP_OP_SEND_AUTHENTICATION_INFO, sai_arg, sizeof(sai_arg));
	rc |= print("BEGIN_SAI_INDEF_SIG", SSN_HLR, SSN_VLR, true, INDEF_ALL);

	dialogue(&msg, TCAP_MSG_BEGIN, GSM_MAP_AC_SHORT_MSG_GATEWAY, 3);
	invoke(&msg, 1, GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM, srism_arg, sizeof(srism_arg));
	rc |= print("BEGIN_SRISM", SSN_HLR, SSN_MSC, false, 0);

	dialogue(&msg, TCAP_MSG_BEGIN, GSM_MAP_AC_MS_PURGING, 3);
	invoke(&msg, 1, GSM_MAP_OP_PURGE_MS, purge_arg, sizeof(purge_arg));
	rc |= print("BEGIN_PURGE", SSN_HLR, SSN_VLR, false, 0);

	dialogue(&msg, TCAP_MSG_BEGIN, GSM_MAP_AC_SHORT_MSG_MT_RELAY, 3);
	invoke(&msg, 1, GSM_MAP_OP_MT_FORWARD_SM, mtfsm_arg, sizeof(mtfsm_arg));
	rc |= print("BEGIN_MTFSM_SIG", SSN_MSC, SSN_MSC, true, 0);

	/* the HLR's insertSubscriberData in the first Continue, plain and signed */
	dialogue(&msg, TCAP_MSG_CONTINUE, GSM_MAP_AC_NETWORK_LOC_UP, 3);
	invoke(&msg, 2, GSM_MAP_OP_INSERT_SUBSCRIBER_DATA, isd_arg, sizeof(isd_arg));
	rc |= print("CONTINUE_ISD", SSN_VLR, SSN_HLR, false, 0);
	rc |= print("CONTINUE_ISD_SIG", SSN_VLR, SSN_HLR, true, 0);

	/* the updateLocation result in an End, plain and signed */
	dialogue(&msg, TCAP_MSG_END, GSM_MAP_AC_NETWORK_LOC_UP, 3);
	c = &msg.comp[msg.num_components++];
	c->type = TCAP_COMP_RESULT_LAST;
	c->has_invoke_id = true;
	c->invoke_id = 1;
	c->has_code = true;
	c->code_local = GSM_MAP_OP_UPDATE_LOCATION;
	c->param = (struct ber_slice){ ul_res, sizeof(ul_res) };
	rc |= print("END_UL_RESULT", SSN_VLR, SSN_HLR, false, 0);
	rc |= print("END_UL_RESULT_SIG", SSN_VLR, SSN_HLR, true, 0);

	/* an End without dialogue portion: a ReturnError (unknownSubscriber) and a Reject */
	dialogue(&msg, TCAP_MSG_END, GSM_MAP_AC_UNKNOWN, 0);
	c = &msg.comp[msg.num_components++];
	c->type = TCAP_COMP_ERROR;
	c->has_invoke_id = true;
	c->invoke_id = 1;
	c->has_code = true;
	c->code_local = 1;
	c = &msg.comp[msg.num_components++];
	c->type = TCAP_COMP_REJECT;
	c->has_invoke_id = true;
	c->invoke_id = 2;
	c->problem_tag = 1;
	c->problem = 2;
	rc |= print("END_ERROR_REJECT", SSN_VLR, SSN_HLR, false, 0);

	/* a P-Abort, and a U-Abort with an ABRT */
	dialogue(&msg, TCAP_MSG_ABORT, GSM_MAP_AC_UNKNOWN, 0);
	msg.has_pabort = true;
	msg.pabort_cause = TCAP_PABORT_UNRECOGNIZED_TID;
	rc |= print("ABORT_P", SSN_VLR, SSN_HLR, false, 0);
	dialogue(&msg, TCAP_MSG_ABORT, GSM_MAP_AC_UNKNOWN, 0);
	msg.dlg_pdu = TCAP_DLG_ABRT;
	msg.abort_source = 0;
	rc |= print("ABORT_U", SSN_VLR, SSN_HLR, false, 0);

	/* a Unidirectional with an AUDT: alertServiceCentreWithoutResult */
	dialogue(&msg, TCAP_MSG_UNIDIRECTIONAL, GSM_MAP_AC_SHORT_MSG_ALERT, 1);
	invoke(&msg, 1, 49, alert_arg, sizeof(alert_arg));
	rc |= print("UNI", SSN_MSC, SSN_HLR, false, 0);

	/* signed for real: updateLocation with a MAP-OpenInfo, and its result
	 * in an End with AARE */
	{
		EVP_PKEY *pkey = EVP_EC_gen("P-256");

		sig_key = pkey ? sigtoken_key_alloc(ctx, pkey) : NULL;
		EVP_PKEY_free(pkey);
		if (!sig_key) {
			fprintf(stderr, "no P-256 key\n");
			rc = 1;
		}
	}
	if (sig_key) {
		dialogue(&msg, TCAP_MSG_BEGIN, GSM_MAP_AC_NETWORK_LOC_UP, 3);
		msg.num_userinfo = 1;
		msg.userinfo_ext[0].oid = (struct ber_slice){ map_dialogue_as, sizeof(map_dialogue_as) };
		msg.userinfo_ext[0].encoding = TCAP_EXT_SINGLE_ASN1;
		msg.userinfo_ext[0].value = (struct ber_slice){ map_open, sizeof(map_open) };
		invoke(&msg, 1, GSM_MAP_OP_UPDATE_LOCATION, ul_arg, sizeof(ul_arg));
		rc |= print("SIGNED_BEGIN_UL", SSN_HLR, SSN_VLR, true, 0);

		dialogue(&msg, TCAP_MSG_END, GSM_MAP_AC_NETWORK_LOC_UP, 3);
		c = &msg.comp[msg.num_components++];
		c->type = TCAP_COMP_RESULT_LAST;
		c->has_invoke_id = true;
		c->invoke_id = 1;
		c->has_code = true;
		c->code_local = GSM_MAP_OP_UPDATE_LOCATION;
		c->param = (struct ber_slice){ ul_res, sizeof(ul_res) };
		rc |= print("SIGNED_END_UL", SSN_VLR, SSN_HLR, true, 0);
	}

	log_fini();
	talloc_free(ctx);
	talloc_free(osmo_ctx);
	return rc ? 1 : 0;
}
