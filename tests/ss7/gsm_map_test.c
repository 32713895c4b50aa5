/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of ss7/gsm_map.c: the screening fields of MAP operations from
 * other stacks' encodings (RestComm jSS7's MAP parameter tests, and whole
 * TCAP messages from SigFW, go-tcap, aionetworking and jSS7), the
 * application-context table, TBCD digits, refusals, prefixes and bit flips. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <osmocom/core/application.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/gsm_map.h"
#include "ss7/tcap.h"
#include "tests/ss7/tcap_vectors_ind.h"
#include "tests/cunit_main.h"

#define BUF_MAX 4096

static struct tcap_msg msg;
static struct gsm_map_info info;

static int hex2bin(const char *hex, uint8_t *out, size_t max)
{
	int rc = osmo_hexparse(hex, out, max);

	CU_ASSERT_FATAL(rc >= 0);
	return rc;
}

static void quiet(bool on)
{
	log_set_category_filter(osmo_stderr_target, DSS7, 1, on ? LOGL_FATAL : LOGL_DEBUG);
}

struct want_addr {
	enum gsm_map_addr_role role;
	uint8_t ton, npi;
	const char *digits;
};

/* Check info against what a source states: the IMSI (NULL: none) and the
 * addresses listed; every other address must be absent. */
static void check_info(const char *name, const struct gsm_map_info *i, const char *imsi,
		       const struct want_addr *want, unsigned int n)
{
	unsigned int r, k;

	CU_ASSERT_EQUAL(i->has_imsi, imsi != NULL);
	if (imsi && i->has_imsi && strcmp(i->imsi, imsi)) {
		fprintf(stderr, "%s: imsi %s, want %s\n", name, i->imsi, imsi);
		CU_FAIL("imsi");
	}
	for (r = 0; r < _NUM_GSM_MAP_ADDR; r++) {
		const struct want_addr *w = NULL;

		for (k = 0; k < n; k++) {
			if (want[k].digits && want[k].role == r)
				w = &want[k];
		}
		if (!w) {
			if (i->addr[r].present)
				fprintf(stderr, "%s: unexpected %s %s\n", name,
					get_value_string(gsm_map_addr_role_names, r), i->addr[r].digits);
			CU_ASSERT(!i->addr[r].present);
			continue;
		}
		if (!i->addr[r].present || strcmp(i->addr[r].digits, w->digits) ||
		    i->addr[r].ton != w->ton || i->addr[r].npi != w->npi)
			fprintf(stderr, "%s: %s %s ton %u npi %u, want %s ton %u npi %u\n", name,
				get_value_string(gsm_map_addr_role_names, r), i->addr[r].digits,
				i->addr[r].ton, i->addr[r].npi, w->digits, w->ton, w->npi);
		CU_ASSERT(i->addr[r].present);
		CU_ASSERT_STRING_EQUAL(i->addr[r].digits, w->digits);
		CU_ASSERT_EQUAL(i->addr[r].ton, w->ton);
		CU_ASSERT_EQUAL(i->addr[r].npi, w->npi);
	}
}

/* MAP arguments encoded by RestComm jSS7's MAP tests, with the values each
 * test asserts after decoding (tests/ss7/tcap_map_vectors.md) */
static const struct {
	const char *name;
	const char *source;
	enum gsm_map_op op;
	int rc;
	const char *imsi;
	struct want_addr addr[3];
	const char *hex;
} params[] = {
	{ "ul_v3", "RestComm/jss7 map-impl UpdateLocationRequestTest getEncodedData",
	  GSM_MAP_OP_UPDATE_LOCATION, 0, "1111122222",
	  { { GSM_MAP_ADDR_MSC, 1, 1, "22228" }, { GSM_MAP_ADDR_VLR, 1, 1, "22229" } },
	  "3019040511112122228104912222f80404912222f9a60485020380" },
	{ "ul_v3_full", "RestComm/jss7 map-impl UpdateLocationRequestTest getEncodedData2",
	  GSM_MAP_OP_UPDATE_LOCATION, 0, "1111122233",
	  { { GSM_MAP_ADDR_MSC, 1, 1, "22228" }, { GSM_MAP_ADDR_VLR, 1, 1, "22229" } },
	  "3050040511112122338104912222f80404912222f98a04010305083027a020300a06032a03040b0c0d0e0f30"
	  "0506032a0306300b06032a030515161718191aa1031f2021a604850203808b008c008f009000" },
	{ "ul_v1", "RestComm/jss7 map-impl UpdateLocationRequestTest getEncodedData_V1",
	  GSM_MAP_OP_UPDATE_LOCATION, 0, "1111122233",
	  { { GSM_MAP_ADDR_VLR, 1, 1, "22221" } },
	  "3013040511112122338004912222f00404912222f1" },
	{ "cl_v3", "RestComm/jss7 map-impl CancelLocationRequestTest getEncodedData",
	  GSM_MAP_OP_CANCEL_LOCATION, 0, "1111122222",
	  { { GSM_MAP_ADDR_MSC, 1, 1, "22228" }, { GSM_MAP_ADDR_VLR, 1, 1, "22229" } },
	  "a348040511112122220201013027a020300a06032a03040b0c0d0e0f300506032a0306300b06032a03051516"
	  "1718191aa1031f20218001008304912222f88404912222f9850400036227" },
	{ "cl_v3_lmsi", "RestComm/jss7 map-impl CancelLocationRequestTest getEncodedData1",
	  GSM_MAP_OP_CANCEL_LOCATION, 0, "1111122222",
	  { { GSM_MAP_ADDR_MSC, 1, 1, "22228" }, { GSM_MAP_ADDR_VLR, 1, 1, "22229" } },
	  "a354300d040511112122220404000362270201013027a020300a06032a03040b0c0d0e0f300506032a030630"
	  "0b06032a030515161718191aa1031f2021800100810082008304912222f88404912222f9850400036227" },
	{ "cl_v2", "RestComm/jss7 map-impl CancelLocationRequestTest getEncodedData2",
	  GSM_MAP_OP_CANCEL_LOCATION, 0, "1111122222",
	  { { 0 } },
	  "04051111212222" },
	{ "cl_v2_lmsi", "RestComm/jss7 map-impl CancelLocationRequestTest getEncodedData3",
	  GSM_MAP_OP_CANCEL_LOCATION, 0, "1111122222",
	  { { 0 } },
	  "300d04051111212222040400036227" },
	{ "purge_v2", "RestComm/jss7 map-impl PurgeMSRequestTest getData1",
	  GSM_MAP_OP_PURGE_MS, 0, "1111122222",
	  { { GSM_MAP_ADDR_VLR, 1, 1, "22234" } },
	  "300d040511112122220404912232f4" },
	{ "purge_v3", "RestComm/jss7 map-impl PurgeMSRequestTest getData2",
	  GSM_MAP_OP_PURGE_MS, 0, "1111122222",
	  { { GSM_MAP_ADDR_VLR, 1, 1, "22234" }, { GSM_MAP_ADDR_SGSN, 1, 1, "22235" } },
	  "a33c040511112122228004912232f48104912232f53027a020300a06032a03040b0c0d0e0f300506032a0306"
	  "300b06032a030515161718191aa1031f2021" },
	{ "sai_v3", "RestComm/jss7 map-impl SendAuthenticationInfoRequestTest getEncodedData",
	  GSM_MAP_OP_SEND_AUTHENTICATION_INFO, 0, "250070200119220",
	  { { 0 } },
	  "3015800852000702109122f00201048301008403b9fec5" },
	{ "sai_v3b", "RestComm/jss7 map-impl SendAuthenticationInfoRequestTest getEncodedData2",
	  GSM_MAP_OP_SEND_AUTHENTICATION_INFO, 0, "250070200362704",
	  { { 0 } },
	  "3014800852000702302607f402010505008100830100" },
	{ "sendimsi", "RestComm/jss7 map-impl SendImsiRequestTest getEncodedData",
	  GSM_MAP_OP_SEND_IMSI, 0, NULL,
	  { { GSM_MAP_ADDR_MSISDN, 1, 1, "2323871462" } },
	  "0406913232784126" },
	{ "sri_v3", "RestComm/jss7 map-impl SendRoutingInformationRequestTest getData1",
	  GSM_MAP_OP_SEND_ROUTING_INFO, 0, NULL,
	  { { GSM_MAP_ADDR_MSISDN, 1, 1, "29113123311" }, { GSM_MAP_ADDR_GMSC, 1, 1, "49883700292" } },
	  "308201008007919211133213f1a13104040102030405003027a020300a06032a03040b0c0d0e0f300506032a"
	  "0306300b06032a030515161718191aa1031f202182010583010184008501058607919488730092f2870513fa"
	  "3d3dea880102a903820116aa090a010204040a141e28ab04030204e08c00ad27a020300a06032a03040b0c0d"
	  "0e0f300506032a0306300b06032a030515161718191aa1031f20218e01078f00900105b1320a010104040a14"
	  "1e283027a020300a06032a03040b0c0d0e0f300506032a0306300b06032a030515161718191aa1031f202192"
	  "010193009401029500960097009800b903820116ba090a010204040a141e289b0206c09c009d0101" },
	{ "sri_v2", "RestComm/jss7 map-impl SendRoutingInformationRequestTest getData2",
	  GSM_MAP_OP_SEND_ROUTING_INFO, 0, NULL,
	  { { GSM_MAP_ADDR_MSISDN, 1, 1, "29113123311" } },
	  "304a8007919211133213f1a13104040102030405003027a020300a06032a03040b0c0d0e0f300506032a0306"
	  "300b06032a030515161718191aa1031f2021820105aa090a010204040a141e28" },
	{ "srism_simple", "RestComm/jss7 map-impl SendRoutingInfoForSMRequestTest getEncodedDataSimple",
	  GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM, 0, NULL,
	  { { GSM_MAP_ADDR_MSISDN, 1, 1, "13457745551" }, { GSM_MAP_ADDR_SC, 1, 1, "9821113333" } },
	  "30148007913154775455f18101008206918912113333" },
	{ "srism_full", "RestComm/jss7 map-impl SendRoutingInfoForSMRequestTest getEncodedDataFull",
	  GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM, 0, NULL,
	  { { GSM_MAP_ADDR_MSISDN, 1, 1, "111222333" }, { GSM_MAP_ADDR_SC, 3, 8, "4444" } },
	  "304680069111212233f38101ff8203b84444a627a020300a06032a03040b0c0d0e0f300506032a0306300b06"
	  "032a030515161718191aa1031f202187008801018906916931039761" },
	{ "mtfsm", "RestComm/jss7 map-impl MtForwardShortMessageRequestTest getEncodedData",
	  GSM_MAP_OP_MT_FORWARD_SM, 0, "011222221128514",
	  { { GSM_MAP_ADDR_SC, 1, 1, "18129600096" } },
	  "3049800810212222118215f48407918121690090f604340b16212c37424d0001020304050607090801020202"
	  "0202020303030303030303030304040404040463584d42372c2c21160b0b00" },
	{ "mtfsm_full", "RestComm/jss7 map-impl MtForwardShortMessageRequestTest getEncodedDataFull",
	  GSM_MAP_OP_MT_FORWARD_SM, 0, "100883344556677",
	  { { GSM_MAP_ADDR_SC, 1, 1, "1111122222" } },
	  "3046800801803843546576f7840691111121222204070b16212c37424d05003027a020300a06032a03040b0c"
	  "0d0e0f300506032a0306300b06032a030515161718191aa1031f2021" },
	{ "mofsm_simple", "RestComm/jss7 map-impl MoForwardShortMessageRequestTest getEncodedDataSimple",
	  GSM_MAP_OP_MO_FORWARD_SM, 0, NULL,
	  { { GSM_MAP_ADDR_SC, 1, 1, "223334990223" }, { GSM_MAP_ADDR_MSISDN, 1, 1, "2311231234334" } },
	  "3026840791223343992032820891321132214333f404110b16212c37424d00010203040506070908" },
	{ "mofsm_complex", "RestComm/jss7 map-impl MoForwardShortMessageRequestTest getEncodedDataComplex",
	  GSM_MAP_OP_MO_FORWARD_SM, 0, "001012233349902",
	  { { GSM_MAP_ADDR_SC, 1, 1, "2311231234334" }, { GSM_MAP_ADDR_MSISDN, 1, 1, "223334990223" } },
	  "3047840891321132214333f482079122334399203204280b16212c37424d0001020304050607090801020202"
	  "02020203030303030303030303040404040404040800012132339409f2" },
	{ "mofsm_nodaoa", "RestComm/jss7 map-impl MoForwardShortMessageRequestTest getEncodedDataNoDaOa",
	  GSM_MAP_OP_MO_FORWARD_SM, 0, NULL,
	  { { 0 } },
	  "303a8500850004340b16212c37424d0001020304050607090801020202020202030303030303030303030404"
	  "0404040463584d42372c2c21160b0b00" },
	{ "mofsm_full", "RestComm/jss7 map-impl MoForwardShortMessageRequestTest getEncodedDataFull (sm-RP-DA imsi 201011234567890, imsi 240881122334455)",
	  GSM_MAP_OP_MO_FORWARD_SM, -EBADMSG, NULL,
	  { { 0 } },
	  "3050800802011132547698f08406b6103254769804090b16212c37424d58633027a020300a06032a03040b0c"
	  "0d0e0f300506032a0306300b06032a030515161718191aa1031f2021040842801821324354f5" },
	{ "fsm_v2", "RestComm/jss7 map-impl ForwardShortMessageRequestTest getEncodedDataComplex (forwardSM v2)",
	  GSM_MAP_OP_MO_FORWARD_SM, 0, NULL,
	  { { GSM_MAP_ADDR_SC, 1, 1, "2311231234334" }, { GSM_MAP_ADDR_MSISDN, 1, 1, "223334990223" } },
	  "303f840891321132214333f482079122334399203204280b16212c37424d0001020304050607090801020202"
	  "020202030303030303030303030404040404040500" },
	{ "ati", "RestComm/jss7 map-impl AnyTimeInterrogationRequestTest (real trace) data",
	  GSM_MAP_OP_ANY_TIME_INTERROGATION, 0, NULL,
	  { { GSM_MAP_ADDR_MSISDN, 1, 1, "553499775190" }, { GSM_MAP_ADDR_GSMSCF, 1, 1, "553496629943" } },
	  "301aa009810791554399771509a10480008100830791554369269934" },
	{ "psi", "RestComm/jss7 map-impl ProvideSubscriberInfoRequestTest getEncodedData",
	  GSM_MAP_OP_PROVIDE_SUBSCRIBER_INFO, 0, "111222333444",
	  { { 0 } },
	  "300c8006112122334344a2028000" },
	{ "psi_full", "RestComm/jss7 map-impl ProvideSubscriberInfoRequestTest getEncodedData2",
	  GSM_MAP_OP_PROVIDE_SUBSCRIBER_INFO, 0, "111222333444",
	  { { 0 } },
	  "303e800611212233434481040b16212ca2028000a327a020300a06032a03040b0c0d0e0f300506032a030630"
	  "0b06032a030515161718191aa1031f2021840104" },
	{ "srigprs", "RestComm/jss7 map-impl SendRoutingInfoForGprsRequestTest getEncodedData",
	  GSM_MAP_OP_SEND_ROUTING_INFO_FOR_GPRS, 0, "1111122222333",
	  { { GSM_MAP_ADDR_GGSN, 1, 1, "88880000" } },
	  "30108007111121222233f382059188880000" },
	{ "srigprs_full", "RestComm/jss7 map-impl SendRoutingInfoForGprsRequestTest getEncodedData2",
	  GSM_MAP_OP_SEND_ROUTING_INFO_FOR_GPRS, 0, "1111122222333",
	  { { GSM_MAP_ADDR_GGSN, 1, 1, "88880000" } },
	  "30408007111121222233f3810504c0a8041682059188880000a327a020300a06032a03040b0c0d0e0f300506"
	  "032a0306300b06032a030515161718191aa1031f2021" },
	{ "prn_v2", "RestComm/jss7 map-impl ProvideRoamingNumberRequestTest getEncodedData1",
	  GSM_MAP_OP_PROVIDE_ROAMING_NUMBER, 0, "011220200198227",
	  { { GSM_MAP_ADDR_MSC, 1, 1, "22228" }, { GSM_MAP_ADDR_MSISDN, 1, 1, "22227" } },
	  "308184800810210202108922f78104912222f88204912222f7840400036227a5320a010204040a141e283027"
	  "a020300a06032a03040b0c0d0e0f300506032a0306300b06032a030515161718191aa1031f2021a6320a0102"
	  "04040a141e283027a020300a06032a03040b0c0d0e0f300506032a0306300b06032a030515161718191aa103"
	  "1f2021" },
	{ "dsd", "RestComm/jss7 map-impl DeleteSubscriberDataRequestTest getEncodedData",
	  GSM_MAP_OP_DELETE_SUBSCRIBER_DATA, 0, "111222333444",
	  { { 0 } },
	  "30088006112122334344" },
	{ "dsd_full", "RestComm/jss7 map-impl DeleteSubscriberDataRequestTest getEncodedData2",
	  GSM_MAP_OP_DELETE_SUBSCRIBER_DATA, 0, "111222333444",
	  { { 0 } },
	  "304a8006112122334344a103820130a20604012104011184008502000b870088008900a627a020300a06032a"
	  "03040b0c0d0e0f300506032a0306300b06032a030515161718191aa1031f2021" },
	{ "ussd", "RestComm/jss7 map-impl ProcessUnstructuredSSRequestTest (real trace) testDecode data",
	  GSM_MAP_OP_PROCESS_USSD_REQUEST, 0, NULL,
	  { { 0 } },
	  "300a04010f04052ad98c3602" },
	{ "isd", "RestComm/jss7 map-impl InsertSubscriberDataRequestTest getData1 getData1",
	  GSM_MAP_OP_INSERT_SUBSCRIBER_DATA, 0, "1111122222",
	  { { GSM_MAP_ADDR_MSISDN, 1, 1, "22234" } },
	  "30820422800511112122228104912232f4820105830101a403040116a603040110a777a07504010030473045"
	  "82011684010f8504912222f8880202058601a4870102a927a020300a06032a03040b0c0d0e0f300506032a03"
	  "06300b06032a030515161718191aa1031f20218a04912222f7a027a020300a06032a03040b0c0d0e0f300506"
	  "032a0306300b06032a030515161718191aa1031f2021a8340305034ad55550030204503027a020300a06032a"
	  "03040b0c0d0e0f300506032a0306300b06032a030515161718191aa1031f20218900aa0404020002ab383036"
	  "0403ffffff05003027a020300a06032a03040b0c0d0e0f300506032a0306300b06032a030515161718191aa1"
	  "031f20218004f5ffffffac3e303c0403ffffff3027a020300a06032a03040b0c0d0e0f300506032a0306300b"
	  "06032a030515161718191aa1031f2021030205a0800207808104f5ffffffad8202d0a017301230100a010402"
	  "0103800591112233f3810101800102a127a020300a06032a03040b0c0d0e0f300506032a0306300b06032a03"
	  "0515161718191aa1031f2021a263303430030401600404912232f5a027a020300a06032a03040b0c0d0e0f30"
	  "0506032a0306300b06032a030515161718191aa1031f20213027a020300a06032a03040b0c0d0e0f30050603"
	  "2a0306300b06032a030515161718191aa1031f202180008100a45c305a0a0102a01c800101a10c0404912232"
	  "f40404912232f5a209020102020104020101a106820116830110820100a303040107a427a020300a06032a03"
	  "040b0c0d0e0f300506032a0306300b06032a030515161718191aa1031f2021a53e3006040183040102020103"
	  "8004912232f5a127a020300a06032a03040b0c0d0e0f300506032a0306300b06032a030515161718191aa103"
	  "1f202182008300a66ca03a30388001018101038204912232f5830100a427a020300a06032a03040b0c0d0e0f"
	  "300506032a0306300b06032a030515161718191aa1031f2021810108a227a020300a06032a03040b0c0d0e0f"
	  "300506032a0306300b06032a030515161718191aa1031f202183008400a7163011300f0a010c020103800491"
	  "2232f5810101800102a81530130a010da006820116830110a106040107040106a96fa03d303b0404912232f4"
	  "0201070404912232f50201003027a020300a06032a03040b0c0d0e0f300506032a0306300b06032a03051516"
	  "1718191aa1031f2021810102a227a020300a06032a03040b0c0d0e0f300506032a0306300b06032a03051516"
	  "1718191aa1031f202183008400aa6ca03a30388001018101038204912232f5830100a427a020300a06032a03"
	  "040b0c0d0e0f300506032a0306300b06032a030515161718191aa1031f2021810108a227a020300a06032a03"
	  "040b0c0d0e0f300506032a0306300b06032a030515161718191aa1031f202183008400ab0d300b0a0101a006"
	  "0a01000a0102" },
};

static void test_param_vectors(void)
{
	uint8_t in[BUF_MAX];
	unsigned int i, ops = 0;
	bool seen[128] = { false };

	for (i = 0; i < ARRAY_SIZE(params); i++) {
		int len = hex2bin(params[i].hex, in, sizeof(in));
		int rc;

		if (params[i].rc)
			quiet(true);
		rc = gsm_map_arg_decode(&info, params[i].op, in, len);
		quiet(false);
		if (rc != params[i].rc)
			fprintf(stderr, "%s: %d\n", params[i].name, rc);
		CU_ASSERT_EQUAL(rc, params[i].rc);
		if (rc < 0)
			continue;
		CU_ASSERT_EQUAL(info.opcode, params[i].op);
		CU_ASSERT(!info.result);
		check_info(params[i].name, &info, params[i].imsi, params[i].addr, ARRAY_SIZE(params[i].addr));
		if (!seen[params[i].op])
			ops++;
		seen[params[i].op] = true;
	}
	/* every operation the screening reads has an independent vector */
	CU_ASSERT_EQUAL(ops, 16);
}

/* Whole TCAP messages from other stacks: operation, context, version and
 * fields.  The sources state the operations and contexts (and aionetworking
 * the AddressString octets); the digits are our reading of those octets,
 * which tcap_tshark.sh has tshark confirm for our own encodings. */
static void test_message_vectors(void)
{
	static const struct {
		const char *name;
		unsigned int comp;
		int rc;
		int64_t op;
		enum gsm_map_ac ac;
		uint8_t version;
		bool result;
		const char *imsi;
		struct want_addr addr[4];
	} want[] = {
		{ "sigfw_ati", 0, 0, GSM_MAP_OP_ANY_TIME_INTERROGATION, GSM_MAP_AC_ANY_TIME_INFO_ENQUIRY, 3,
		  false, "11111111111111",
		  { { GSM_MAP_ADDR_GSMSCF, 1, 6, "111111111111111" },
		    { GSM_MAP_ADDR_DEST_REF, 1, 6, "111111111111111" },
		    { GSM_MAP_ADDR_ORIG_REF, 1, 6, "11111111111" } } },
		{ "sigfw_ussd", 0, 0, GSM_MAP_OP_PROCESS_USSD_REQUEST, GSM_MAP_AC_NETWORK_UNSTRUCTURED_SS, 2,
		  false, NULL,
		  { { GSM_MAP_ADDR_MSISDN, 1, 1, "11111111111" },
		    { GSM_MAP_ADDR_DEST_REF, 1, 6, "111111111111111" },
		    { GSM_MAP_ADDR_ORIG_REF, 1, 6, "11111111111" } } },
		{ "sigfw_cancel_location", 0, 0, GSM_MAP_OP_CANCEL_LOCATION,
		  GSM_MAP_AC_LOCATION_CANCELLATION, 3, false, "111111111111111", { { 0 } } },
		{ "sigfw_psi", 0, 0, GSM_MAP_OP_PROVIDE_SUBSCRIBER_INFO, GSM_MAP_AC_SUBSCRIBER_INFO_ENQUIRY, 3,
		  false, "111111111111111", { { 0 } } },
		/* provideRoamingNumber: the IMSI the category 2 screening needs */
		{ "sigfw_prn", 0, 0, GSM_MAP_OP_PROVIDE_ROAMING_NUMBER,
		  GSM_MAP_AC_ROAMING_NUMBER_ENQUIRY, 2, false, "111111111111111",
		  { { GSM_MAP_ADDR_MSC, 1, 1, "11111111111" }, { GSM_MAP_ADDR_MSISDN, 1, 1, "11111111111" } } },
		/* sendAuthenticationInfo v3 asking for more vectors: no argument */
		{ "sigfw_sai_continue", 0, 0, GSM_MAP_OP_SEND_AUTHENTICATION_INFO, GSM_MAP_AC_UNKNOWN, 0,
		  false, NULL, { { 0 } } },
		{ "aio_srism_begin", 0, 0, GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM,
		  GSM_MAP_AC_SHORT_MSG_GATEWAY, 2, false, NULL,
		  { { GSM_MAP_ADDR_MSISDN, 1, 1, "41792457333" }, { GSM_MAP_ADDR_SC, 1, 1, "41799797800" } } },
		{ "gomaja_srism", 0, 0, GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM, GSM_MAP_AC_SHORT_MSG_GATEWAY, 3,
		  false, NULL,
		  { { GSM_MAP_ADDR_MSISDN, 1, 1, "2348090567803" }, { GSM_MAP_ADDR_SC, 1, 1, "2348090000507" } } },
		/* what sendRoutingInfoForSM reveals: the IMSI and the serving node */
		{ "gomaja_end_two_components", 0, 0, GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM,
		  GSM_MAP_AC_SHORT_MSG_GATEWAY, 3, true, "621601247143452",
		  { { GSM_MAP_ADDR_MSC, 1, 1, "2348090000502" } } },
		{ "gomaja_srism_result", 0, 0, GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM,
		  GSM_MAP_AC_SHORT_MSG_GATEWAY, 2, true, "603011825931734",
		  { { GSM_MAP_ADDR_MSC, 1, 1, "213661000221" } } },
		{ "gomaja_mtfsm", 0, 0, GSM_MAP_OP_MT_FORWARD_SM, GSM_MAP_AC_SHORT_MSG_MT_RELAY, 3, false,
		  "472010016231833", { { GSM_MAP_ADDR_SC, 1, 1, "46721497100" } } },
		/* a Continue without dialogue portion: the version is the dialogue's */
		{ "gomaja_mtfsm_fragment", 0, 0, GSM_MAP_OP_MT_FORWARD_SM, GSM_MAP_AC_UNKNOWN, 0, false,
		  "621600112879166", { { GSM_MAP_ADDR_SC, 1, 1, "2348090000507" } } },
		/* a Begin without dialogue portion is MAP v1: forwardSM */
		{ "gomaja_forwardsm_no_dialogue", 0, 0, GSM_MAP_OP_MO_FORWARD_SM, GSM_MAP_AC_UNKNOWN, 1,
		  false, "234100080813836", { { GSM_MAP_ADDR_SC, 1, 1, "9613488888" } } },
		{ "gomaja_alert_no_dialogue", 0, -ENOTSUP, 49, GSM_MAP_AC_UNKNOWN, 1, false, NULL,
		  { { 0 } } },
		{ "gomaja_sri", 0, 0, GSM_MAP_OP_SEND_ROUTING_INFO, GSM_MAP_AC_LOCATION_INFO_RETRIEVAL, 3,
		  false, NULL,
		  { { GSM_MAP_ADDR_MSISDN, 1, 1, "252888" }, { GSM_MAP_ADDR_GMSC, 1, 1, "252669010123" } } },
		/* Wireshark's nad1053.pcap: the MAP-OpenInfo references */
		{ "jss7_ussd_nad1053", 0, 0, GSM_MAP_OP_PROCESS_USSD_REQUEST,
		  GSM_MAP_AC_NETWORK_UNSTRUCTURED_SS, 2, false, NULL,
		  { { GSM_MAP_ADDR_DEST_REF, 3, 3, "8050903171560" },
		    { GSM_MAP_ADDR_ORIG_REF, 1, 1, "18763808834" } } },
		/* CAMEL shares the ac-Id arc; its context is not MAP */
		{ "jss7_cap_initialdp", 0, -ENOTSUP, 0, GSM_MAP_AC_UNKNOWN, 0, false, NULL, { { 0 } } },
		{ "sigfw_psl", 0, -ENOTSUP, 0, GSM_MAP_AC_UNKNOWN, 0, false, NULL, { { 0 } } },
	};
	uint8_t in[BUF_MAX];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		int len = hex2bin(ind_hex(want[i].name), in, sizeof(in));
		int rc;

		CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&msg, in, len), len);
		CU_ASSERT_FATAL(want[i].comp < msg.num_components);
		rc = gsm_map_component_decode(&info, &msg, &msg.comp[want[i].comp]);
		if (rc != want[i].rc)
			fprintf(stderr, "%s: %d\n", want[i].name, rc);
		CU_ASSERT_EQUAL(rc, want[i].rc);
		CU_ASSERT_EQUAL(info.ac, want[i].ac);
		CU_ASSERT_EQUAL(info.version, want[i].version);
		if (want[i].op)
			CU_ASSERT_EQUAL(info.opcode, want[i].op);
		if (rc < 0)
			continue;
		CU_ASSERT_EQUAL(info.result, want[i].result);
		check_info(want[i].name, &info, want[i].imsi, want[i].addr, ARRAY_SIZE(want[i].addr));
	}
}

static void test_application_contexts(void)
{
	uint8_t oid[16];
	enum gsm_map_ac ac;
	uint8_t v;
	unsigned int i;
	char text[64];

	/* every context of the table round trips, and has the OID 0.4.0.0.1.0.X.V */
	for (i = 0; gsm_map_ac_names[i].str; i++) {
		enum gsm_map_ac a = gsm_map_ac_names[i].value;
		int n;

		if (a == GSM_MAP_AC_UNKNOWN)
			continue;
		n = gsm_map_ac_encode(oid, sizeof(oid), a, 3);
		CU_ASSERT_EQUAL(n, 7);
		CU_ASSERT_EQUAL(gsm_map_ac_decode(&ac, &v, oid, n), 0);
		CU_ASSERT_EQUAL(ac, a);
		CU_ASSERT_EQUAL(v, 3);
		snprintf(text, sizeof(text), "0.4.0.0.1.0.%u.3", a);
		CU_ASSERT_EQUAL(ber_oid_from_str(oid + 8, 8, text), 7);
		CU_ASSERT(memcmp(oid, oid + 8, 7) == 0);
	}
	/* the ones screening needs, by name */
	CU_ASSERT_STRING_EQUAL(get_value_string(gsm_map_ac_names, GSM_MAP_AC_NETWORK_LOC_UP), "networkLocUpContext");
	CU_ASSERT_STRING_EQUAL(get_value_string(gsm_map_ac_names, 27), "msPurgingContext");
	CU_ASSERT_STRING_EQUAL(get_value_string(gsm_map_ac_names, 20), "shortMsgGatewayContext");
	CU_ASSERT_STRING_EQUAL(get_value_string(gsm_map_ac_names, 25), "shortMsgMT-RelayContext");
	CU_ASSERT_STRING_EQUAL(get_value_string(gsm_map_ac_names, 21), "shortMsgMO-RelayContext");
	CU_ASSERT_STRING_EQUAL(get_value_string(gsm_map_ac_names, 29), "anyTimeInfoEnquiryContext");
	CU_ASSERT_STRING_EQUAL(get_value_string(gsm_map_ac_names, 33), "gprsLocationInfoRetrievalContext");
	CU_ASSERT_STRING_EQUAL(get_value_string(gsm_map_op_names, 46), "mo-forwardSM/forwardSM");
	CU_ASSERT_STRING_EQUAL(get_value_string(gsm_map_op_names, 59), "processUnstructuredSS-Request");

	/* not MAP: another ac-Id, version 0 or 5, another arc, another length */
	CU_ASSERT_EQUAL(gsm_map_ac_decode(&ac, &v, (const uint8_t *)"\x04\x00\x00\x01\x00\x32\x01", 7), -ENOENT);
	CU_ASSERT_EQUAL(gsm_map_ac_decode(&ac, &v, (const uint8_t *)"\x04\x00\x00\x01\x00\x01\x00", 7), -ENOENT);
	CU_ASSERT_EQUAL(gsm_map_ac_decode(&ac, &v, (const uint8_t *)"\x04\x00\x00\x01\x00\x01\x05", 7), -ENOENT);
	CU_ASSERT_EQUAL(gsm_map_ac_decode(&ac, &v, (const uint8_t *)"\x04\x00\x00\x01\x01\x01\x01", 7), -ENOENT);
	CU_ASSERT_EQUAL(gsm_map_ac_decode(&ac, &v, (const uint8_t *)"\x04\x00\x00\x01\x00\x01", 6), -ENOENT);
	CU_ASSERT_EQUAL(ac, GSM_MAP_AC_UNKNOWN);
	CU_ASSERT_EQUAL(gsm_map_ac_encode(oid, sizeof(oid), GSM_MAP_AC_UNKNOWN, 1), -EINVAL);
	CU_ASSERT_EQUAL(gsm_map_ac_encode(oid, sizeof(oid), GSM_MAP_AC_NETWORK_LOC_UP, 0), -EINVAL);
	CU_ASSERT_EQUAL(gsm_map_ac_encode(oid, 6, GSM_MAP_AC_NETWORK_LOC_UP, 1), -ENOSPC);
}

static void test_digits(void)
{
	struct gsm_map_addr a;
	char imsi[GSM_MAP_IMSI_MAX_DIGITS + 1];

	CU_ASSERT_EQUAL(gsm_map_imsi_decode(imsi, sizeof(imsi), (const uint8_t *)"\x21\x43\xf5", 3), 5);
	CU_ASSERT_STRING_EQUAL(imsi, "12345");
	CU_ASSERT_EQUAL(gsm_map_imsi_decode(imsi, sizeof(imsi),
					    (const uint8_t *)"\x62\x02\x91\x78\x56\x34\x12\xf0", 8), 15);
	CU_ASSERT_STRING_EQUAL(imsi, "262019876543210");
	/* filler before the last nibble, letters, too short, too long, 16 digits */
	CU_ASSERT_EQUAL(gsm_map_imsi_decode(imsi, sizeof(imsi), (const uint8_t *)"\xf1\x43\x65", 3), -EBADMSG);
	CU_ASSERT_EQUAL(gsm_map_imsi_decode(imsi, sizeof(imsi), (const uint8_t *)"\x2a\x43\x65", 3), -EBADMSG);
	CU_ASSERT_EQUAL(gsm_map_imsi_decode(imsi, sizeof(imsi), (const uint8_t *)"\x21\x43", 2), -EBADMSG);
	CU_ASSERT_EQUAL(gsm_map_imsi_decode(imsi, sizeof(imsi),
					    (const uint8_t *)"\x11\x11\x11\x11\x11\x11\x11\x11\xf1", 9), -EBADMSG);
	CU_ASSERT_EQUAL(gsm_map_imsi_decode(imsi, sizeof(imsi),
					    (const uint8_t *)"\x11\x11\x11\x11\x11\x11\x11\x11", 8), -EBADMSG);

	/* AddressString: TON/NPI, then TBCD with * # a b c */
	CU_ASSERT_EQUAL(gsm_map_addr_decode(&a, (const uint8_t *)"\x91\x94\x21\x43\xf5", 5), 0);
	CU_ASSERT(a.present);
	CU_ASSERT_EQUAL(a.ton, 1);
	CU_ASSERT_EQUAL(a.npi, 1);
	CU_ASSERT_STRING_EQUAL(a.digits, "4912345");
	CU_ASSERT_EQUAL(gsm_map_addr_decode(&a, (const uint8_t *)"\x81\xba\xdc\xfe", 4), 0);
	CU_ASSERT_EQUAL(a.ton, 0);
	CU_ASSERT_STRING_EQUAL(a.digits, "*#abc");
	CU_ASSERT_EQUAL(gsm_map_addr_decode(&a, (const uint8_t *)"\x91", 1), 0);
	CU_ASSERT_STRING_EQUAL(a.digits, "");
	CU_ASSERT_EQUAL(gsm_map_addr_decode(&a, (const uint8_t *)"", 0), -EBADMSG);
	CU_ASSERT(!a.present);
	CU_ASSERT_EQUAL(gsm_map_addr_decode(&a, (const uint8_t *)"\x91\x1f", 2), -EBADMSG);
	{
		uint8_t big[GSM_MAP_ADDR_MAX_OCTETS + 1];

		memset(big, 0x11, sizeof(big));
		big[0] = 0x91;
		CU_ASSERT_EQUAL(gsm_map_addr_decode(&a, big, GSM_MAP_ADDR_MAX_OCTETS), 0);
		CU_ASSERT_EQUAL(strlen(a.digits), GSM_MAP_ADDR_MAX_DIGITS);
		CU_ASSERT_EQUAL(gsm_map_addr_decode(&a, big, sizeof(big)), -EBADMSG);
	}
}

/* What the extraction refuses, so that screening never sees half a message */
static void test_refusals(void)
{
	static const struct {
		const char *what;
		enum gsm_map_op op;
		const char *hex;
		int rc;
	} bad[] = {
		{ "an operation we do not read", GSM_MAP_OP_RESET, "3000", -ENOTSUP },
		{ "provideRoamingNumber without imsi", GSM_MAP_OP_PROVIDE_ROAMING_NUMBER, "30038101 00", -EBADMSG },
		{ "deleteSubscriberData without imsi", GSM_MAP_OP_DELETE_SUBSCRIBER_DATA, "3000", -EBADMSG },
		{ "updateLocation without vlr-Number", GSM_MAP_OP_UPDATE_LOCATION,
		  "300d04051111212222810491 2222f8", -EBADMSG },
		{ "updateLocation without imsi first", GSM_MAP_OP_UPDATE_LOCATION,
		  "300c8104912222f80404912222f9", -EBADMSG },
		{ "two msc-Numbers", GSM_MAP_OP_UPDATE_LOCATION,
		  "30200405111121222281049122 22f88104912222f80404912222f9", -EBADMSG },
		{ "an IMSI of letters", GSM_MAP_OP_SEND_AUTHENTICATION_INFO, "04031a2b3c", -EBADMSG },
		{ "an argument that is not a SEQUENCE", GSM_MAP_OP_SEND_ROUTING_INFO, "0400", -EBADMSG },
		{ "sendRoutingInfo without msisdn", GSM_MAP_OP_SEND_ROUTING_INFO, "3003820105", -EBADMSG },
		{ "a parameter followed by more octets", GSM_MAP_OP_SEND_IMSI, "0402912104 00", -EBADMSG },
		{ "an argument missing", GSM_MAP_OP_UPDATE_LOCATION, "", -EBADMSG },
		{ "an unknown sm-RP-DA", GSM_MAP_OP_MT_FORWARD_SM, "300a8300820291f1040100", -EBADMSG },
		{ "a constructed msisdn", GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM, "3006a0040402 91f1", -EBADMSG },
		{ "anyTimeInterrogation with two identities", GSM_MAP_OP_ANY_TIME_INTERROGATION,
		  "300ca00a800311 11f1810391 11f1", -EBADMSG },
		{ "anyTimeInterrogation without identity", GSM_MAP_OP_ANY_TIME_INTERROGATION,
		  "3004a1028000", -EBADMSG },
		{ "purgeMS v1 shape", GSM_MAP_OP_PURGE_MS, "0405111121 2222", -EBADMSG },
		{ "cancelLocation identity neither", GSM_MAP_OP_CANCEL_LOCATION, "800100", -EBADMSG },
	};
	uint8_t in[BUF_MAX];
	unsigned int i;

	quiet(true);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char clean[512];
		const char *p;
		size_t k = 0;
		int len, rc;

		for (p = bad[i].hex; *p; p++) {
			if (*p != ' ')
				clean[k++] = *p;
		}
		clean[k] = '\0';
		len = hex2bin(clean, in, sizeof(in));
		rc = gsm_map_arg_decode(&info, bad[i].op, in, len);
		if (rc != bad[i].rc)
			fprintf(stderr, "%s: %d\n", bad[i].what, rc);
		CU_ASSERT_EQUAL(rc, bad[i].rc);
	}
	quiet(false);
}

/* Results: what the far end reveals */
static void test_results(void)
{
	static const struct {
		const char *what;
		enum gsm_map_op op;
		const char *hex;
		const char *imsi;
		struct want_addr addr[2];
	} res[] = {
		{ "updateLocation v1/v2 result", GSM_MAP_OP_UPDATE_LOCATION, "04049122 22f8", NULL,
		  { { GSM_MAP_ADDR_HLR, 1, 1, "22228" } } },
		{ "updateLocation v3 result", GSM_MAP_OP_UPDATE_LOCATION, "30060404912222f8", NULL,
		  { { GSM_MAP_ADDR_HLR, 1, 1, "22228" } } },
		{ "sendIMSI result", GSM_MAP_OP_SEND_IMSI, "04051111212222", "1111122222", { { 0 } } },
		{ "sendRoutingInfo v3 result", GSM_MAP_OP_SEND_ROUTING_INFO, "a3078905111121 2222",
		  "1111122222", { { 0 } } },
		{ "sendRoutingInfo v2 result", GSM_MAP_OP_SEND_ROUTING_INFO,
		  "300d040511112122220404912222f8", "1111122222", { { 0 } } },
		{ "anyTimeInterrogation result", GSM_MAP_OP_ANY_TIME_INTERROGATION,
		  "300d300ba009020100810491 2222f9", NULL, { { GSM_MAP_ADDR_VLR, 1, 1, "22229" } } },
		{ "sendRoutingInfoForSM result with an SGSN", GSM_MAP_OP_SEND_ROUTING_INFO_FOR_SM,
		  "301904051111212222a0108104912222f88500a60681049122 22f7", "1111122222",
		  { { GSM_MAP_ADDR_MSC, 1, 1, "22228" }, { GSM_MAP_ADDR_SGSN, 1, 1, "22227" } } },
	};
	uint8_t in[BUF_MAX];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(res); i++) {
		char clean[512];
		const char *p;
		size_t k = 0;
		int len, rc;

		for (p = res[i].hex; *p; p++) {
			if (*p != ' ')
				clean[k++] = *p;
		}
		clean[k] = '\0';
		len = hex2bin(clean, in, sizeof(in));
		rc = gsm_map_res_decode(&info, res[i].op, in, len);
		if (rc)
			fprintf(stderr, "%s: %d\n", res[i].what, rc);
		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT(info.result);
		check_info(res[i].what, &info, res[i].imsi, res[i].addr, ARRAY_SIZE(res[i].addr));
	}
	CU_ASSERT_EQUAL(gsm_map_res_decode(&info, GSM_MAP_OP_PURGE_MS, in, 0), -ENOTSUP);
	quiet(true);
	CU_ASSERT_EQUAL(gsm_map_res_decode(&info, GSM_MAP_OP_SEND_IMSI, (const uint8_t *)"\x30\x00", 2),
			-EBADMSG);
	quiet(false);
}

/* Every prefix of every argument fails; every bit flip fails cleanly or
 * gives digits that are digits */
/* The Aborts a border node answers refused messages with decode to what
 * Q.773/Q.774 and TS 29.002 say they carry (tshark judges them too:
 * tests/src/stiwfd/map_relay_tshark.sh) */
static void test_aborts(void)
{
	static const uint8_t tid[] = { 0x10, 0x20, 0x30, 0x40 };
	static const uint8_t map_das[] = { 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01 };
	uint8_t acn[7], out[256];
	int n;

	CU_ASSERT_EQUAL_FATAL(gsm_map_ac_encode(acn, sizeof(acn), GSM_MAP_AC_NETWORK_LOC_UP, 3), 7);

	/* a refused Begin: U-Abort with an AARE refusing, and MAP-RefuseInfo */
	n = gsm_map_abort_encode(out, sizeof(out), GSM_MAP_ABORT_REFUSE, tid, sizeof(tid), acn, sizeof(acn));
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&msg, out, n), n);
	CU_ASSERT_EQUAL(msg.type, TCAP_MSG_ABORT);
	CU_ASSERT(msg.has_dtid && msg.dtid_len == 4 && !memcmp(msg.dtid, tid, 4));
	CU_ASSERT_FALSE(msg.has_otid);
	CU_ASSERT_FALSE(msg.has_pabort);
	CU_ASSERT_EQUAL(msg.dlg_pdu, TCAP_DLG_AARE);
	CU_ASSERT(ber_slice_equal(&msg.acn, acn, sizeof(acn)));
	CU_ASSERT_EQUAL(msg.result, 1);
	CU_ASSERT_EQUAL(msg.rsd_source, 1);
	CU_ASSERT_EQUAL(msg.rsd_value, 1);
	CU_ASSERT_EQUAL_FATAL(msg.num_userinfo, 1);
	CU_ASSERT(ber_slice_equal(&msg.userinfo_ext[0].oid, map_das, sizeof(map_das)));
	CU_ASSERT_EQUAL(msg.userinfo_ext[0].encoding, TCAP_EXT_SINGLE_ASN1);
	CU_ASSERT(ber_slice_equal(&msg.userinfo_ext[0].value, (const uint8_t *)"\xa3\x03\x0a\x01\x00", 5));
	CU_ASSERT_EQUAL(msg.num_components, 0);
	/* without an application context there is nothing to refuse */
	CU_ASSERT_EQUAL(gsm_map_abort_encode(out, sizeof(out), GSM_MAP_ABORT_REFUSE, tid, 4, NULL, 0), -EINVAL);

	/* an unknown transaction: P-Abort */
	n = gsm_map_abort_encode(out, sizeof(out), GSM_MAP_ABORT_UNKNOWN_TID, tid, 2, NULL, 0);
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&msg, out, n), n);
	CU_ASSERT(msg.has_pabort && msg.pabort_cause == TCAP_PABORT_UNRECOGNIZED_TID);
	CU_ASSERT(msg.dtid_len == 2 && !memcmp(msg.dtid, tid, 2));
	CU_ASSERT_EQUAL(msg.dlg_pdu, TCAP_DLG_NONE);
	/* exactly: 67 L 49 02 1020 4A 01 01 */
	CU_ASSERT_EQUAL(n, 9);
	CU_ASSERT(!memcmp(out, "\x67\x07\x49\x02\x10\x20\x4a\x01\x01", 9));

	/* an established dialogue: U-Abort with ABRT and MAP-UserAbortInfo */
	n = gsm_map_abort_encode(out, sizeof(out), GSM_MAP_ABORT_USER, tid, 1, acn, sizeof(acn));
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&msg, out, n), n);
	CU_ASSERT_EQUAL(msg.dlg_pdu, TCAP_DLG_ABRT);
	CU_ASSERT_EQUAL(msg.abort_source, 0);
	CU_ASSERT_EQUAL_FATAL(msg.num_userinfo, 1);
	CU_ASSERT(ber_slice_equal(&msg.userinfo_ext[0].value, (const uint8_t *)"\xa4\x02\x80\x00", 4));

	/* MAP v1: nothing but the DTID */
	n = gsm_map_abort_encode(out, sizeof(out), GSM_MAP_ABORT_V1, tid, 4, NULL, 0);
	CU_ASSERT_EQUAL(n, 8);
	CU_ASSERT(!memcmp(out, "\x67\x06\x49\x04\x10\x20\x30\x40", 8));

	CU_ASSERT_EQUAL(gsm_map_abort_encode(out, sizeof(out), GSM_MAP_ABORT_V1, tid, 0, NULL, 0), -EINVAL);
	CU_ASSERT_EQUAL(gsm_map_abort_encode(out, sizeof(out), GSM_MAP_ABORT_V1, tid, 5, NULL, 0), -EINVAL);
	CU_ASSERT_EQUAL(gsm_map_abort_encode(out, sizeof(out), 9, tid, 4, NULL, 0), -EINVAL);
	CU_ASSERT_EQUAL(gsm_map_abort_encode(out, 10, GSM_MAP_ABORT_REFUSE, tid, 4, acn, sizeof(acn)), -ENOSPC);
}

static void test_truncation_bitflip(void)
{
	uint8_t in[BUF_MAX];
	unsigned int i, ok = 0, bad = 0;

	quiet(true);
	for (i = 0; i < ARRAY_SIZE(params); i++) {
		int len = hex2bin(params[i].hex, in, sizeof(in));
		int n, bit;

		for (n = 1; n < len; n++) {
			uint8_t *cut = malloc(n);

			CU_ASSERT_FATAL(cut != NULL);
			memcpy(cut, in, n);
			CU_ASSERT_EQUAL(gsm_map_arg_decode(&info, params[i].op, cut, n), -EBADMSG);
			free(cut);
		}
		for (bit = 0; bit < len * 8; bit++) {
			uint8_t *buf = malloc(len);
			int rc, r;

			CU_ASSERT_FATAL(buf != NULL);
			memcpy(buf, in, len);
			buf[bit / 8] ^= 1 << (bit % 8);
			rc = gsm_map_arg_decode(&info, params[i].op, buf, len);
			free(buf);
			if (rc < 0) {
				CU_ASSERT_EQUAL(rc, -EBADMSG);
				bad++;
				continue;
			}
			ok++;
			CU_ASSERT(strlen(info.imsi) <= GSM_MAP_IMSI_MAX_DIGITS);
			CU_ASSERT(strspn(info.imsi, "0123456789") == strlen(info.imsi));
			for (r = 0; r < _NUM_GSM_MAP_ADDR; r++)
				CU_ASSERT(strspn(info.addr[r].digits, "0123456789*#abc") ==
					  strlen(info.addr[r].digits));
		}
	}
	quiet(false);
	CU_ASSERT(ok > 1000);
	CU_ASSERT(bad > 1000);
}

static const struct cunit_test tests[] = {
	{ "jSS7's MAP arguments decode to their values", test_param_vectors },
	{ "whole messages from other stacks", test_message_vectors },
	{ "application contexts", test_application_contexts },
	{ "IMSI and AddressString digits", test_digits },
	{ "refusals", test_refusals },
	{ "results", test_results },
	{ "the Aborts of refused messages", test_aborts },
	{ "every prefix and every bit flip", test_truncation_bitflip },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "gsm_map", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "gsm_map_test",
	.log = CUNIT_LOG_STDERR,
	.suites = suites,
};
