/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of ss7/tcap.c: Q.773 messages from other stacks decoded to the
 * values they state, encode/decode round trips of every message type, the
 * decoder's limits, truncation and bit flips, and the user-information
 * EXTERNAL insert/strip that the signature rides on. */

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
#include "ss7/ber.h"
#include "ss7/tcap.h"
#include "tests/ss7/tcap_util.h"
#include "tests/ss7/tcap_vectors_ind.h"
#include "tests/cunit_main.h"

#define BUF_MAX 4096
#define NOCODE INT64_MIN

static struct tcap_msg m1, m2, m3;

static int hex2bin(const char *hex, uint8_t *out, size_t max)
{
	int rc = osmo_hexparse(hex, out, max);

	CU_ASSERT_FATAL(rc > 0);
	return rc;
}

/* the decoders log every refusal; the loops below make thousands */
static void quiet(bool on)
{
	log_set_category_filter(osmo_stderr_target, DSS7, 1, on ? LOGL_FATAL : LOGL_DEBUG);
}

static const char *oid_text(const struct ber_slice *s)
{
	static char text[128];

	if (ber_oid_to_str(text, sizeof(text), s->data, s->len) < 0)
		return "";
	return text;
}

/* What each independent vector must decode to (the values its source
 * states, tests/ss7/tcap_map_vectors.md) */
static const struct {
	const char *name;
	enum tcap_msg_type type;
	const char *otid, *dtid;
	enum tcap_dlg_pdu dlg;
	const char *acn;
	unsigned int num_userinfo, num_comp;
	enum tcap_comp_type comp0;
	int comp0_id;
	int64_t comp0_code;
	/* we re-encode it to the same octets (it uses minimal definite lengths) */
	bool exact;
} expect[] = {
	{ "jss7_ussd_nad1053", TCAP_MSG_BEGIN, "1a0002e1", NULL, TCAP_DLG_AARQ, "0.4.0.0.1.0.19.2",
	  1, 1, TCAP_COMP_INVOKE, 0, 59, false },
	{ "jss7_ussd_nad1053_definite", TCAP_MSG_BEGIN, "1a0002e1", NULL, TCAP_DLG_AARQ,
	  "0.4.0.0.1.0.19.2", 1, 1, TCAP_COMP_INVOKE, 0, 59, true },
	{ "jss7_begin_dialogue_only", TCAP_MSG_BEGIN, "08a50001", NULL, TCAP_DLG_AARQ,
	  "0.4.0.1.1.1.3.0", 0, 0, 0, 0, 0, true },
	{ "jss7_cap_initialdp", TCAP_MSG_BEGIN, "6e00024e", NULL, TCAP_DLG_AARQ, "0.4.0.0.1.0.50.1",
	  0, 1, TCAP_COMP_INVOKE, 0, 0, false },
	{ "jss7_abort_pabort", TCAP_MSG_ABORT, NULL, "7ba53413", TCAP_DLG_NONE, NULL, 0, 0, 0, 0, 0, true },
	{ "jss7_unidirectional", TCAP_MSG_UNIDIRECTIONAL, NULL, NULL, TCAP_DLG_AUDT, "1.0.2.3.4",
	  0, 1, TCAP_COMP_INVOKE, -128, 591, true },
	{ "jss7_continue", TCAP_MSG_CONTINUE, "08a50001", "08a40001", TCAP_DLG_NONE, NULL,
	  0, 1, TCAP_COMP_INVOKE, 1, 55, true },
	{ "aio_srism_begin", TCAP_MSG_BEGIN, "00000001", NULL, TCAP_DLG_AARQ, "0.4.0.0.1.0.20.2",
	  0, 1, TCAP_COMP_INVOKE, -1, 45, true },
	{ "aio_sai_result", TCAP_MSG_CONTINUE, "840001ff", "a5050001", TCAP_DLG_AARE,
	  "0.4.0.0.1.0.14.3", 0, 1, TCAP_COMP_RESULT_LAST, 1, 56, true },
	{ "aio_sai_invoke", TCAP_MSG_CONTINUE, "a5050001", "840001ff", TCAP_DLG_NONE, NULL,
	  0, 1, TCAP_COMP_INVOKE, 2, 56, true },
	{ "aio_end_error", TCAP_MSG_END, NULL, "57180000", TCAP_DLG_AARE, "0.4.0.0.1.0.5.3",
	  0, 1, TCAP_COMP_ERROR, 1, 11, true },
	{ "sigfw_ati", TCAP_MSG_BEGIN, "00000002", NULL, TCAP_DLG_AARQ, "0.4.0.0.1.0.29.3",
	  1, 1, TCAP_COMP_INVOKE, 0, 71, true },
	{ "sigfw_psl", TCAP_MSG_BEGIN, "00000053", NULL, TCAP_DLG_AARQ, "0.4.0.0.1.0.38.3",
	  0, 1, TCAP_COMP_INVOKE, 1, 83, true },
	{ "sigfw_sai_continue", TCAP_MSG_CONTINUE, "33119839", "02035ea2", TCAP_DLG_NONE, NULL,
	  0, 1, TCAP_COMP_INVOKE, 2, 56, true },
	{ "sigfw_ussd", TCAP_MSG_BEGIN, "00000001", NULL, TCAP_DLG_AARQ, "0.4.0.0.1.0.19.2",
	  1, 1, TCAP_COMP_INVOKE, 0, 59, true },
	{ "sigfw_cancel_location", TCAP_MSG_BEGIN, "00000003", NULL, TCAP_DLG_AARQ, "0.4.0.0.1.0.2.3",
	  0, 1, TCAP_COMP_INVOKE, 1, 3, true },
	{ "sigfw_psi", TCAP_MSG_BEGIN, "00000046", NULL, TCAP_DLG_AARQ, "0.4.0.0.1.0.28.3",
	  0, 1, TCAP_COMP_INVOKE, 1, 70, true },
	{ "sigfw_prn", TCAP_MSG_BEGIN, "00000004", NULL, TCAP_DLG_AARQ, "0.4.0.0.1.0.3.2",
	  0, 1, TCAP_COMP_INVOKE, 1, 4, true },
	{ "gomaja_end_two_components", TCAP_MSG_END, NULL, "0086e897", TCAP_DLG_AARE,
	  "0.4.0.0.1.0.20.3", 0, 2, TCAP_COMP_RESULT_LAST, 0, 45, true },
	{ "gomaja_srism", TCAP_MSG_BEGIN, "004734a8", NULL, TCAP_DLG_AARQ, "0.4.0.0.1.0.20.3",
	  0, 1, TCAP_COMP_INVOKE, 0, 45, true },
	{ "gomaja_srism_error", TCAP_MSG_END, NULL, "004734a8", TCAP_DLG_AARE, "0.4.0.0.1.0.20.3",
	  0, 1, TCAP_COMP_ERROR, 0, 1, true },
	{ "gomaja_abort_version", TCAP_MSG_ABORT, NULL, "02b0d1c4", TCAP_DLG_AARE,
	  "0.4.0.0.1.0.20.2", 0, 0, 0, 0, 0, true },
	{ "gomaja_srism_result", TCAP_MSG_END, NULL, "02b0d1c6", TCAP_DLG_AARE, "0.4.0.0.1.0.20.2",
	  0, 1, TCAP_COMP_RESULT_LAST, 0, 45, true },
	{ "gomaja_begin_no_components", TCAP_MSG_BEGIN, "008bd040", NULL, TCAP_DLG_AARQ,
	  "0.4.0.0.1.0.25.3", 0, 0, 0, 0, 0, true },
	{ "gomaja_continue_aare", TCAP_MSG_CONTINUE, "0419000f", "008bd040", TCAP_DLG_AARE,
	  "0.4.0.0.1.0.25.3", 0, 0, 0, 0, 0, true },
	{ "gomaja_mtfsm_fragment", TCAP_MSG_CONTINUE, "008bd040", "0419000f", TCAP_DLG_NONE, NULL,
	  0, 1, TCAP_COMP_INVOKE, 1, 44, true },
	{ "gomaja_result_continue", TCAP_MSG_CONTINUE, "0419000f", "008bd040", TCAP_DLG_NONE, NULL,
	  0, 1, TCAP_COMP_RESULT_LAST, 1, NOCODE, true },
	{ "gomaja_result_end", TCAP_MSG_END, NULL, "008bd040", TCAP_DLG_NONE, NULL,
	  0, 1, TCAP_COMP_RESULT_LAST, 2, NOCODE, true },
	{ "gomaja_report_sm_delivery_status", TCAP_MSG_BEGIN, "03c940ec", NULL, TCAP_DLG_AARQ,
	  "0.4.0.0.1.0.20.3", 0, 1, TCAP_COMP_INVOKE, 0, 47, true },
	{ "gomaja_mtfsm", TCAP_MSG_BEGIN, "03c93f57", NULL, TCAP_DLG_AARQ, "0.4.0.0.1.0.25.3",
	  0, 1, TCAP_COMP_INVOKE, 0, 44, true },
	{ "gomaja_abort_user", TCAP_MSG_ABORT, NULL, "03c93f57", TCAP_DLG_ABRT, NULL,
	  1, 0, 0, 0, 0, true },
	{ "gomaja_alert_service_centre", TCAP_MSG_BEGIN, "00d199b0", NULL, TCAP_DLG_AARQ,
	  "0.4.0.0.1.0.23.2", 0, 1, TCAP_COMP_INVOKE, 1, 64, true },
	{ "gomaja_alert_no_dialogue", TCAP_MSG_BEGIN, "7c0801f8", NULL, TCAP_DLG_NONE, NULL,
	  0, 1, TCAP_COMP_INVOKE, 1, 49, true },
	{ "gomaja_forwardsm_no_dialogue", TCAP_MSG_BEGIN, "8c150d06", NULL, TCAP_DLG_NONE, NULL,
	  0, 1, TCAP_COMP_INVOKE, 0, 46, true },
	{ "gomaja_sri", TCAP_MSG_BEGIN, "03ed2d12", NULL, TCAP_DLG_AARQ, "0.4.0.0.1.0.5.3",
	  0, 1, TCAP_COMP_INVOKE, -59, 22, true },
	{ "gomaja_fsm_fragment2", TCAP_MSG_CONTINUE, "008bd040", "0419000f", TCAP_DLG_NONE, NULL,
	  0, 1, TCAP_COMP_INVOKE, 2, 44, true },
	{ "gomaja_fsm_result", TCAP_MSG_END, NULL, "00000001", TCAP_DLG_AARE, "0.4.0.0.1.0.25.3",
	  0, 1, TCAP_COMP_RESULT_LAST, 0, NOCODE, true },
	{ "gomaja_error_indefinite", TCAP_MSG_END, NULL, "00519a28", TCAP_DLG_AARE,
	  "0.4.0.0.1.0.25.3", 0, 1, TCAP_COMP_ERROR, 0, 6, false },
	{ "gomaja_error_indefinite_der", TCAP_MSG_END, NULL, "00519a28", TCAP_DLG_AARE,
	  "0.4.0.0.1.0.25.3", 0, 1, TCAP_COMP_ERROR, 0, 6, true },
	{ "gomaja_cap_indefinite", TCAP_MSG_BEGIN, "b70801a1", NULL, TCAP_DLG_AARQ,
	  "0.4.0.0.1.0.50.1", 0, 1, TCAP_COMP_INVOKE, 0, 0, false },
	{ "gomaja_cap_indefinite_der", TCAP_MSG_BEGIN, "b70801a1", NULL, TCAP_DLG_AARQ,
	  "0.4.0.0.1.0.50.1", 0, 1, TCAP_COMP_INVOKE, 0, 0, true },
};

static void test_independent_vectors(void)
{
	uint8_t in[BUF_MAX], out[BUF_MAX];
	unsigned int i;

	CU_ASSERT_EQUAL(ARRAY_SIZE(expect), ARRAY_SIZE(ind_vectors));
	for (i = 0; i < ARRAY_SIZE(expect); i++) {
		const char *hex = ind_hex(expect[i].name);
		int len, rc;

		CU_ASSERT_FATAL(hex != NULL);
		len = hex2bin(hex, in, sizeof(in));
		rc = tcap_msg_decode(&m1, in, len);
		if (rc != len)
			fprintf(stderr, "vector %s: decode %d of %d\n", expect[i].name, rc, len);
		CU_ASSERT_EQUAL(rc, len);
		if (rc != len)
			continue;
		CU_ASSERT_EQUAL(m1.type, expect[i].type);
		CU_ASSERT_EQUAL(m1.has_otid, expect[i].otid != NULL);
		if (expect[i].otid)
			CU_ASSERT_STRING_EQUAL(osmo_hexdump_nospc(m1.otid, m1.otid_len), expect[i].otid);
		CU_ASSERT_EQUAL(m1.has_dtid, expect[i].dtid != NULL);
		if (expect[i].dtid)
			CU_ASSERT_STRING_EQUAL(osmo_hexdump_nospc(m1.dtid, m1.dtid_len), expect[i].dtid);
		CU_ASSERT_EQUAL(m1.dlg_pdu, expect[i].dlg);
		if (expect[i].acn) {
			CU_ASSERT_STRING_EQUAL(oid_text(&m1.acn), expect[i].acn);
		} else {
			CU_ASSERT_EQUAL(m1.acn.len, 0);
		}
		CU_ASSERT_EQUAL(m1.num_userinfo, expect[i].num_userinfo);
		CU_ASSERT_EQUAL(m1.num_components, expect[i].num_comp);
		if (expect[i].num_comp) {
			CU_ASSERT_EQUAL(m1.comp[0].type, expect[i].comp0);
			CU_ASSERT_EQUAL(m1.comp[0].invoke_id, expect[i].comp0_id);
			CU_ASSERT_EQUAL(m1.comp[0].has_code, expect[i].comp0_code != NOCODE);
			if (expect[i].comp0_code != NOCODE) {
				CU_ASSERT(!m1.comp[0].code_global);
				CU_ASSERT_EQUAL(m1.comp[0].code_local, expect[i].comp0_code);
			}
		}
		/* the slices of what was sent */
		CU_ASSERT_EQUAL(m1.raw.data, in);
		CU_ASSERT_EQUAL(m1.raw.len, (size_t)len);

		/* encode: the same octets where the sender used minimal
		 * definite lengths; always the same message */
		rc = tcap_msg_encode(out, sizeof(out), &m1);
		CU_ASSERT(rc > 0);
		if (rc <= 0)
			continue;
		if (expect[i].exact) {
			if (rc != len || memcmp(in, out, len))
				fprintf(stderr, "vector %s re-encoded as %s\n", expect[i].name,
					osmo_hexdump_nospc(out, rc));
			CU_ASSERT(rc == len && memcmp(in, out, len) == 0);
		}
		CU_ASSERT_EQUAL(tcap_msg_decode(&m2, out, rc), rc);
		CU_ASSERT(tcap_msg_same(&m1, &m2));
	}
}

/* Fields the sources state beyond the table */
static void test_vector_fields(void)
{
	uint8_t in[BUF_MAX];
	const struct tcap_external *ext;
	int len;

	/* a USSD dialogue with a MAP-OpenInfo in the AARQ (Wireshark's nad1053.pcap) */
	len = hex2bin(ind_hex("jss7_ussd_nad1053"), in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, in, len), len);
	CU_ASSERT_STRING_EQUAL(osmo_hexdump_nospc(m1.proto_version.data, m1.proto_version.len), "0780");
	ext = &m1.userinfo_ext[0];
	CU_ASSERT_STRING_EQUAL(oid_text(&ext->oid), "0.4.0.0.1.1.1.1");
	CU_ASSERT_EQUAL(ext->encoding, TCAP_EXT_SINGLE_ASN1);
	CU_ASSERT_EQUAL(ext->value.len, 0x27);
	CU_ASSERT_EQUAL(ext->value.data[0], 0xa0);
	CU_ASSERT_EQUAL(ext->raw.len, 0x34);
	CU_ASSERT(tcap_userinfo_find(&m1, ext->oid.data, ext->oid.len) == ext);
	/* the component portion is indefinite: its raw slice ends with the EOC */
	CU_ASSERT_EQUAL(m1.components.len, 24);
	CU_ASSERT(memcmp(m1.components.data + 22, "\x00\x00", 2) == 0);
	CU_ASSERT_STRING_EQUAL(osmo_hexdump_nospc(m1.comp[0].param.data, m1.comp[0].param.len),
			       "300a04010f04052a596c3602");
	CU_ASSERT_STRING_EQUAL(osmo_hexdump_nospc(m1.comp[0].raw.data, m1.comp[0].raw.len),
			       "a11202010002013b300a04010f04052a596c3602");
	CU_ASSERT_EQUAL(m1.dialogue.data, in + 8);
	CU_ASSERT_EQUAL(m1.dialogue.len, 0x56);

	/* P-Abort with cause 126 */
	len = hex2bin(ind_hex("jss7_abort_pabort"), in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, in, len), len);
	CU_ASSERT(m1.has_pabort);
	CU_ASSERT_EQUAL(m1.pabort_cause, 126);

	/* the unidirectional's parameter */
	len = hex2bin(ind_hex("jss7_unidirectional"), in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, in, len), len);
	CU_ASSERT_STRING_EQUAL(osmo_hexdump_nospc(m1.comp[0].param.data, m1.comp[0].param.len),
			       "0403010203");

	/* an AARE refusing the version: reject-permanent, user diagnostic 2 */
	len = hex2bin(ind_hex("gomaja_abort_version"), in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, in, len), len);
	CU_ASSERT_EQUAL(m1.result, 1);
	CU_ASSERT_EQUAL(m1.rsd_source, 1);
	CU_ASSERT_EQUAL(m1.rsd_value, 2);

	/* a U-Abort with a MAP user abort in the ABRT */
	len = hex2bin(ind_hex("gomaja_abort_user"), in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, in, len), len);
	CU_ASSERT_EQUAL(m1.abort_source, 0);
	CU_ASSERT_STRING_EQUAL(oid_text(&m1.userinfo_ext[0].oid), "0.4.0.0.1.1.1.1");
	CU_ASSERT_STRING_EQUAL(osmo_hexdump_nospc(m1.userinfo_ext[0].value.data,
						  m1.userinfo_ext[0].value.len), "a4028000");

	/* two components of an End */
	len = hex2bin(ind_hex("gomaja_end_two_components"), in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, in, len), len);
	CU_ASSERT_EQUAL(m1.comp[1].type, TCAP_COMP_INVOKE);
	CU_ASSERT_EQUAL(m1.comp[1].invoke_id, 1);
	CU_ASSERT_EQUAL(m1.comp[1].code_local, 63);
	CU_ASSERT_EQUAL(m1.rsd_source, 1);
	CU_ASSERT_EQUAL(m1.rsd_value, 0);
}

/* Messages with indefinite lengths re-encode as the other stacks' own
 * definite re-encodings of them */
static void test_cross_encoder(void)
{
	static const char *pairs[][2] = {
		{ "jss7_ussd_nad1053", "jss7_ussd_nad1053_definite" },
		{ "gomaja_error_indefinite", "gomaja_error_indefinite_der" },
		{ "gomaja_cap_indefinite", "gomaja_cap_indefinite_der" },
	};
	uint8_t in[BUF_MAX], want[BUF_MAX], out[BUF_MAX];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pairs); i++) {
		int len = hex2bin(ind_hex(pairs[i][0]), in, sizeof(in));
		int wlen = hex2bin(ind_hex(pairs[i][1]), want, sizeof(want));
		int rc;

		CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, in, len), len);
		rc = tcap_msg_encode(out, sizeof(out), &m1);
		CU_ASSERT_EQUAL(rc, wlen);
		CU_ASSERT(rc == wlen && memcmp(out, want, wlen) == 0);
	}
}

/* ------------------------------------------------------------------------
 * Building every message type
 * ------------------------------------------------------------------------ */

static const uint8_t acn_nlu3[] = { 0x04, 0x00, 0x00, 0x01, 0x00, 0x01, 0x03 };
static const uint8_t pv1[] = { 0x07, 0x80 };
static const uint8_t map_dialogue_as[] = { 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01 };
/* map-open { destinationReference 91 ..., originationReference 91 ... } */
static const uint8_t map_open[] = { 0xa0, 0x0c, 0x80, 0x04, 0x91, 0x21, 0x43, 0xf5,
				    0x81, 0x04, 0x91, 0x65, 0x87, 0xf9 };
/* UpdateLocationArg: imsi 262019876543210, msc and vlr 4912345 */
static const uint8_t ul_arg[] = { 0x30, 0x18, 0x04, 0x08, 0x62, 0x02, 0x91, 0x78, 0x56, 0x34,
				  0x12, 0xf0, 0x81, 0x05, 0x91, 0x94, 0x21, 0x43, 0xf5,
				  0x04, 0x05, 0x91, 0x94, 0x21, 0x43, 0xf5 };
static const uint8_t global_op[] = { 0x88, 0x37, 0x01 };

static void msg_begin(struct tcap_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = TCAP_MSG_BEGIN;
	m->has_otid = true;
	m->otid_len = 4;
	memcpy(m->otid, "\x10\x20\x30\x40", 4);
	m->dlg_pdu = TCAP_DLG_AARQ;
	m->proto_version = (struct ber_slice){ pv1, sizeof(pv1) };
	m->acn = (struct ber_slice){ acn_nlu3, sizeof(acn_nlu3) };
	m->num_userinfo = 2;
	m->userinfo_ext[0].oid = (struct ber_slice){ map_dialogue_as, sizeof(map_dialogue_as) };
	m->userinfo_ext[0].encoding = TCAP_EXT_SINGLE_ASN1;
	m->userinfo_ext[0].value = (struct ber_slice){ map_open, sizeof(map_open) };
	m->userinfo_ext[1].oid = (struct ber_slice){ (const uint8_t *)"\x88\x37\x02", 3 };
	m->userinfo_ext[1].has_indirect_ref = true;
	m->userinfo_ext[1].indirect_ref = 5;
	m->userinfo_ext[1].encoding = TCAP_EXT_OCTET_ALIGNED;
	m->userinfo_ext[1].value = (struct ber_slice){ (const uint8_t *)"token", 5 };
	m->num_components = 2;
	m->comp[0].type = TCAP_COMP_INVOKE;
	m->comp[0].has_invoke_id = true;
	m->comp[0].invoke_id = 1;
	m->comp[0].has_code = true;
	m->comp[0].code_local = 2;
	m->comp[0].param = (struct ber_slice){ ul_arg, sizeof(ul_arg) };
	m->comp[1].type = TCAP_COMP_INVOKE;
	m->comp[1].has_invoke_id = true;
	m->comp[1].invoke_id = -2;
	m->comp[1].has_linked_id = true;
	m->comp[1].linked_id = 1;
	m->comp[1].has_code = true;
	m->comp[1].code_global = true;
	m->comp[1].code_oid = (struct ber_slice){ global_op, sizeof(global_op) };
}

static void msg_continue(struct tcap_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = TCAP_MSG_CONTINUE;
	m->has_otid = true;
	m->otid_len = 1;
	m->otid[0] = 0x77;
	m->has_dtid = true;
	m->dtid_len = 4;
	memcpy(m->dtid, "\x10\x20\x30\x40", 4);
	m->dlg_pdu = TCAP_DLG_AARE;
	m->proto_version = (struct ber_slice){ pv1, sizeof(pv1) };
	m->acn = (struct ber_slice){ acn_nlu3, sizeof(acn_nlu3) };
	m->result = 0;
	m->rsd_source = 1;
	m->rsd_value = 0;
	m->num_components = 4;
	m->comp[0].type = TCAP_COMP_RESULT_NOT_LAST;
	m->comp[0].has_invoke_id = true;
	m->comp[0].invoke_id = 1;
	m->comp[0].has_code = true;
	m->comp[0].code_local = 2;
	m->comp[0].param = (struct ber_slice){ (const uint8_t *)"\x04\x02\x91\xf1", 4 };
	m->comp[1].type = TCAP_COMP_RESULT_LAST;
	m->comp[1].has_invoke_id = true;
	m->comp[1].invoke_id = 1;
	m->comp[2].type = TCAP_COMP_ERROR;
	m->comp[2].has_invoke_id = true;
	m->comp[2].invoke_id = 3;
	m->comp[2].has_code = true;
	m->comp[2].code_local = 34;
	m->comp[3].type = TCAP_COMP_REJECT;
	m->comp[3].has_invoke_id = false;
	m->comp[3].problem_tag = 0;
	m->comp[3].problem = 1;
}

static void test_build_roundtrip(void)
{
	uint8_t out[BUF_MAX];
	struct tcap_msg *m = &m3;
	int rc, step;

	for (step = 0; step < 8; step++) {
		switch (step) {
		case 0:
			msg_begin(m);
			break;
		case 1:
			msg_continue(m);
			break;
		case 2:
			/* End with a refusing AARE, provider diagnostic 2 */
			msg_continue(m);
			m->type = TCAP_MSG_END;
			m->has_otid = false;
			m->otid_len = 0;
			m->result = 1;
			m->rsd_source = 2;
			m->rsd_value = 2;
			m->comp[3].has_invoke_id = true;
			m->comp[3].invoke_id = 5;
			m->comp[3].problem_tag = 1;
			m->comp[3].problem = 2;
			break;
		case 3:
			/* Abort with a P-AbortCause */
			memset(m, 0, sizeof(*m));
			m->type = TCAP_MSG_ABORT;
			m->has_dtid = true;
			m->dtid_len = 2;
			m->has_pabort = true;
			m->pabort_cause = TCAP_PABORT_RESOURCE_LIMITATION;
			break;
		case 4:
			/* U-Abort with an ABRT carrying user information */
			memset(m, 0, sizeof(*m));
			m->type = TCAP_MSG_ABORT;
			m->has_dtid = true;
			m->dtid_len = 3;
			m->dlg_pdu = TCAP_DLG_ABRT;
			m->abort_source = 1;
			m->num_userinfo = 1;
			m->userinfo_ext[0].oid = (struct ber_slice){ map_dialogue_as, 7 };
			m->userinfo_ext[0].encoding = TCAP_EXT_ARBITRARY;
			m->userinfo_ext[0].value = (struct ber_slice){ (const uint8_t *)"\x04\xf0", 2 };
			break;
		case 5:
			/* Abort refusing the dialogue with an AARE */
			msg_continue(m);
			m->type = TCAP_MSG_ABORT;
			m->has_otid = false;
			m->otid_len = 0;
			m->num_components = 0;
			m->result = 1;
			break;
		case 6:
			/* Unidirectional with an AUDT */
			msg_begin(m);
			m->type = TCAP_MSG_UNIDIRECTIONAL;
			m->has_otid = false;
			m->otid_len = 0;
			m->dlg_pdu = TCAP_DLG_AUDT;
			break;
		case 7:
			/* a MAP v1 Begin: no dialogue portion */
			msg_begin(m);
			m->dlg_pdu = TCAP_DLG_NONE;
			m->proto_version.len = 0;
			m->acn.len = 0;
			m->num_userinfo = 0;
			break;
		}
		rc = tcap_msg_encode(out, sizeof(out), m);
		if (rc <= 0)
			fprintf(stderr, "step %d: encode %d\n", step, rc);
		CU_ASSERT(rc > 0);
		if (rc <= 0)
			continue;
		CU_ASSERT_EQUAL(tcap_msg_decode(&m1, out, rc), rc);
		/* the decoded message has the fields it was built from */
		if (!tcap_msg_same(m, &m1))
			fprintf(stderr, "step %d: decoded %s differs\n", step, osmo_hexdump_nospc(out, rc));
		CU_ASSERT(tcap_msg_same(m, &m1));
		/* and re-encodes to the same octets */
		CU_ASSERT_EQUAL(tcap_msg_encode(out + rc, sizeof(out) - rc, &m1), rc);
		CU_ASSERT(memcmp(out, out + rc, rc) == 0);
		/* every smaller buffer is -ENOSPC */
		{
			int n;

			for (n = 0; n < rc; n++)
				CU_ASSERT_EQUAL(tcap_msg_encode(out + 2 * rc, n, m), -ENOSPC);
		}
	}

	/* the exact octets of a Begin, checked by hand against Q.773 */
	msg_begin(m);
	m->num_userinfo = 1;
	m->num_components = 1;
	rc = tcap_msg_encode(out, sizeof(out), m);
	CU_ASSERT_STRING_EQUAL(osmo_hexdump_nospc(out, rc > 0 ? rc : 0),
		"6267" "480410203040"
		"6b3b" "2839" "060700118605010101" "a02e" "602c" "80020780"
		"a109" "06070400000100010" "3"
		"be1b" "2819" "060704000001010101" "a00e" "a00c" "80049121" "43f5" "8104916587f9"
		"6c22" "a120" "020101" "020102"
		"3018" "040862029178563412f0" "81059194" "2143f5" "04059194" "2143f5");
}

static void test_encode_invalid(void)
{
	uint8_t out[BUF_MAX];
	struct tcap_msg *m = &m3;
	unsigned int i;

	msg_begin(m);
	m->has_otid = false;
	CU_ASSERT_EQUAL(tcap_msg_encode(out, sizeof(out), m), -EINVAL);
	msg_begin(m);
	m->otid_len = 5;
	CU_ASSERT_EQUAL(tcap_msg_encode(out, sizeof(out), m), -EINVAL);
	msg_begin(m);
	m->dlg_pdu = TCAP_DLG_AARE;
	CU_ASSERT_EQUAL(tcap_msg_encode(out, sizeof(out), m), -EINVAL);
	msg_begin(m);
	m->type = TCAP_MSG_UNIDIRECTIONAL;
	m->dlg_pdu = TCAP_DLG_AUDT;
	m->num_components = 0;
	CU_ASSERT_EQUAL(tcap_msg_encode(out, sizeof(out), m), -EINVAL);
	msg_begin(m);
	m->num_components = TCAP_MAX_COMPONENTS + 1;
	CU_ASSERT_EQUAL(tcap_msg_encode(out, sizeof(out), m), -EINVAL);
	msg_begin(m);
	m->acn.len = 0;
	CU_ASSERT_EQUAL(tcap_msg_encode(out, sizeof(out), m), -EINVAL);
	msg_begin(m);
	m->comp[0].has_code = false;
	CU_ASSERT_EQUAL(tcap_msg_encode(out, sizeof(out), m), -EINVAL);
	msg_begin(m);
	m->type = 3;
	CU_ASSERT_EQUAL(tcap_msg_encode(out, sizeof(out), m), -EINVAL);
	msg_continue(m);
	m->rsd_source = 3;
	CU_ASSERT_EQUAL(tcap_msg_encode(out, sizeof(out), m), -EINVAL);
	msg_continue(m);
	m->comp[3].problem_tag = 4;
	CU_ASSERT_EQUAL(tcap_msg_encode(out, sizeof(out), m), -EINVAL);
	/* an Abort has a cause or a dialogue portion, never both, never components */
	msg_continue(m);
	m->type = TCAP_MSG_ABORT;
	m->has_pabort = true;
	m->num_components = 0;
	CU_ASSERT_EQUAL(tcap_msg_encode(out, sizeof(out), m), -EINVAL);
	for (i = 0; i < 2; i++) {
		msg_begin(m);
		m->has_pabort = i;
		m->dlg_pdu = i ? TCAP_DLG_AARQ : TCAP_DLG_ABRT;
		CU_ASSERT_EQUAL(tcap_msg_encode(out, sizeof(out), m), -EINVAL);
	}
}

/* ------------------------------------------------------------------------
 * What the decoder refuses
 * ------------------------------------------------------------------------ */

static void test_malformed(void)
{
	static const struct {
		const char *what;
		const char *hex;
		int rc;
	} bad[] = {
		{ "empty", "", -EBADMSG },
		{ "an octet after the message",
		  "6516480408a50001490408a400016c08a10602010102013700", -EBADMSG },
		{ "[APPLICATION 3] is no message",
		  "6306480408a50001", -EBADMSG },
		{ "ANSI TCAP (PRIVATE class)",
		  "e20ac7080000000100000001", -EBADMSG },
		{ "a primitive message",
		  "4206480408a50001", -EBADMSG },
		{ "Begin without otid",
		  "620a6c08a106020101020137", -EBADMSG },
		{ "otid of 5 octets",
		  "620748050102030405", -EBADMSG },
		{ "otid empty",
		  "62024800", -EBADMSG },
		{ "a dtid in a Begin",
		  "620c480400000001490400000001", -EBADMSG },
		{ "End without dtid",
		  "640a6c08a106020101020137", -EBADMSG },
		{ "dialogue portion with another OID",
		  "62224804000000016b1a2818060700118605010201a00d600ba109060704000001000203", -EBADMSG },
		{ "an AARE in a Begin",
		  "622e4804000000016b262824060700118605010101a0196117a109060704000001001403a203020100a305a1"
		  "03020100", -EBADMSG },
		{ "an AARQ in an End",
		  "64224904000000016b1a2818060700118605010101a00d600ba109060704000001001403", -EBADMSG },
		{ "an AARQ without application-context-name",
		  "621b4804000000016b132811060700118605010101a006600480020780", -EBADMSG },
		{ "an unknown field in the AARQ",
		  "62244804000000016b1c281a060700118605010101a00f600da1090607040000010014038200", -EBADMSG },
		{ "an empty component portion",
		  "62084804000000016c00", -EBADMSG },
		{ "a Unidirectional without components",
		  "61206b1e281c060700118605010201a011600f80020780a109060704000001001403", -EBADMSG },
		{ "component type [5]",
		  "62104804000000016c08a506020101020137", -EBADMSG },
		{ "invoke ID 128",
		  "62114804000000016c09a10702020080020137", -EBADMSG },
		{ "Invoke without operation code",
		  "620d4804000000016c05a103020101", -EBADMSG },
		{ "Invoke with two parameters",
		  "62144804000000016c0ca10a02010102010204000400", -EBADMSG },
		{ "a parameter that is not BER inside",
		  "62154804000000016c0da10b0201010201023003040500", -EBADMSG },
		{ "Reject problem [4]",
		  "620f4804000000016c07a4050500840101", -EBADMSG },
		{ "P-AbortCause in a Continue",
		  "650f4804000000014904000000014a0101", -EBADMSG },
		{ "Abort with components",
		  "67104904000000016c08a106020101020137", -EBADMSG },
		{ "an AARE without result",
		  "64294904000000016b21281f060700118605010101a0146112a109060704000001001403a305a103020100", -EBADMSG },
		{ "a dialogue portion holding two EXTERNALs",
		  "62244804000000016b1c2818060700118605010101a00d600ba1090607040000010014032800", -EBADMSG },
		{ "a user-information element that is not an EXTERNAL",
		  "62264804000000016b1e281c060700118605010101a011600fa109060704000001001403be023000", -EBADMSG },
		{ "an EXTERNAL without encoding",
		  "622b4804000000016b232821060700118605010101a0166014a109060704000001001403be07280506038837"
		  "01", -EBADMSG },
		{ "an EXTERNAL with a constructed octet-aligned",
		  "62304804000000016b282826060700118605010101a01b6019a109060704000001001403be0c280a06038837"
		  "01a103040178", -EBADMSG },
		{ "an application-context-name that is no OID",
		  "621d4804000000016b152813060700118605010101a0086006a10406020480", -EBADMSG },
		{ "a 2.25 UUID OID in a user-information EXTERNAL decodes",
		  "624c4804000000016b442842060700118605010101a0376035a109060704000001000103be28282606146981"
		  "828ca3dec2ecda8ff58bfaf4ddbbdadba506810e000102030405060708090a0b0c0d", 0 },
	};
	uint8_t in[BUF_MAX];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char clean[BUF_MAX];
		const char *p;
		size_t k = 0;
		int len, rc;

		for (p = bad[i].hex; *p; p++) {
			if (*p != ' ')
				clean[k++] = *p;
		}
		clean[k] = '\0';
		len = osmo_hexparse(clean, in, sizeof(in));
		CU_ASSERT_FATAL(len >= 0);
		rc = tcap_msg_decode(&m1, in, len);
		if (bad[i].rc == 0 ? rc != len : rc != bad[i].rc)
			fprintf(stderr, "%s: %d\n", bad[i].what, rc);
		if (bad[i].rc == 0) {
			CU_ASSERT_EQUAL(rc, len);
		} else {
			CU_ASSERT_EQUAL(rc, bad[i].rc);
		}
	}
}

/* More components or EXTERNALs than we keep: -E2BIG */
static void test_limits(void)
{
	uint8_t buf[BUF_MAX];
	struct ber_writer w;
	unsigned int i, n;
	int len;

	for (n = TCAP_MAX_COMPONENTS; n <= TCAP_MAX_COMPONENTS + 1; n++) {
		ber_writer_init(&w, buf, sizeof(buf));
		ber_open(&w, BER_CLASS_APPLICATION, TCAP_MSG_BEGIN);
		ber_put_tlv(&w, BER_CLASS_APPLICATION, false, 8, "\x01", 1);
		ber_open(&w, BER_CLASS_APPLICATION, 12);
		for (i = 0; i < n; i++) {
			ber_open(&w, BER_CLASS_CONTEXT, TCAP_COMP_INVOKE);
			ber_put_int(&w, BER_CLASS_UNIVERSAL, BER_TAG_INTEGER, i);
			ber_put_int(&w, BER_CLASS_UNIVERSAL, BER_TAG_INTEGER, 55);
			ber_close(&w);
		}
		ber_close(&w);
		ber_close(&w);
		len = ber_writer_finish(&w);
		CU_ASSERT_EQUAL(tcap_msg_decode(&m1, buf, len), n > TCAP_MAX_COMPONENTS ? -E2BIG : len);
	}
	for (n = TCAP_MAX_USERINFO; n <= TCAP_MAX_USERINFO + 1; n++) {
		ber_writer_init(&w, buf, sizeof(buf));
		ber_open(&w, BER_CLASS_APPLICATION, TCAP_MSG_BEGIN);
		ber_put_tlv(&w, BER_CLASS_APPLICATION, false, 8, "\x01", 1);
		ber_open(&w, BER_CLASS_APPLICATION, 11);
		ber_open(&w, BER_CLASS_UNIVERSAL, BER_TAG_EXTERNAL);
		ber_put_tlv(&w, BER_CLASS_UNIVERSAL, false, BER_TAG_OID, tcap_dialogue_as_id, 7);
		ber_open(&w, BER_CLASS_CONTEXT, 0);
		ber_open(&w, BER_CLASS_APPLICATION, 0);
		ber_open(&w, BER_CLASS_CONTEXT, 1);
		ber_put_tlv(&w, BER_CLASS_UNIVERSAL, false, BER_TAG_OID, acn_nlu3, 7);
		ber_close(&w);
		ber_open(&w, BER_CLASS_CONTEXT, 30);
		for (i = 0; i < n; i++) {
			ber_open(&w, BER_CLASS_UNIVERSAL, BER_TAG_EXTERNAL);
			ber_put_tlv(&w, BER_CLASS_UNIVERSAL, false, BER_TAG_OID, "\x88\x37\x01", 3);
			ber_put_tlv(&w, BER_CLASS_CONTEXT, false, 1, "x", 1);
			ber_close(&w);
		}
		while (w.depth)
			ber_close(&w);
		len = ber_writer_finish(&w);
		CU_ASSERT_EQUAL(tcap_msg_decode(&m1, buf, len), n > TCAP_MAX_USERINFO ? -E2BIG : len);
	}
}

/* Every prefix of every vector fails; every bit flip fails cleanly or
 * decodes to a message that re-encodes and decodes the same */
static void test_truncation_bitflip(void)
{
	uint8_t in[BUF_MAX], out[BUF_MAX];
	unsigned int i, decoded = 0, failed = 0;

	quiet(true);
	for (i = 0; i < ARRAY_SIZE(ind_vectors); i++) {
		int len = hex2bin(ind_vectors[i].hex, in, sizeof(in));
		int n, bit;

		for (n = 0; n < len; n++) {
			uint8_t *cut = malloc(n ? n : 1);

			CU_ASSERT_FATAL(cut != NULL);
			memcpy(cut, in, n);
			CU_ASSERT(tcap_msg_decode(&m1, cut, n) < 0);
			free(cut);
		}
		for (bit = 0; bit < len * 8; bit++) {
			uint8_t *buf = malloc(len);
			int rc;

			CU_ASSERT_FATAL(buf != NULL);
			memcpy(buf, in, len);
			buf[bit / 8] ^= 1 << (bit % 8);
			rc = tcap_msg_decode(&m1, buf, len);
			if (rc < 0) {
				CU_ASSERT(rc == -EBADMSG || rc == -E2BIG);
				failed++;
			} else {
				CU_ASSERT_EQUAL(rc, len);
				decoded++;
				rc = tcap_msg_encode(out, sizeof(out), &m1);
				CU_ASSERT(rc > 0);
				if (rc > 0) {
					CU_ASSERT_EQUAL(tcap_msg_decode(&m2, out, rc), rc);
					CU_ASSERT(tcap_msg_same(&m1, &m2));
				}
			}
			free(buf);
		}
	}
	quiet(false);
	/* both outcomes happen: the loop is not vacuous */
	CU_ASSERT(decoded > 100);
	CU_ASSERT(failed > 100);
}

/* ------------------------------------------------------------------------
 * Inserting and stripping the signature EXTERNAL
 * ------------------------------------------------------------------------ */

static const uint8_t token[] = "\x01\x01\x4d\x01 a hop token of the stiwf profile";

/* insert into x, check the result, strip, compare with x; returns insert's rc */
static int insert_strip(const uint8_t *x, int xlen, const char *what)
{
	uint8_t y[BUF_MAX], z[BUF_MAX];
	const struct tcap_external *sig;
	int ylen, zlen;
	unsigned int i;

	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, x, xlen), xlen);
	ylen = tcap_userinfo_insert(y, sizeof(y), x, xlen, (const uint8_t *)TCAP_STIWF_SIG_OID,
				    TCAP_STIWF_SIG_OID_LEN, token, sizeof(token) - 1);
	if (ylen < 0)
		return ylen;
	CU_ASSERT_EQUAL(tcap_msg_decode(&m2, y, ylen), ylen);
	/* the same message, one EXTERNAL more, at the end */
	CU_ASSERT_EQUAL(m2.type, m1.type);
	CU_ASSERT(tcap_slice_same(&m2.acn, &m1.acn));
	CU_ASSERT_EQUAL(m2.num_userinfo, m1.num_userinfo + 1);
	sig = tcap_userinfo_find(&m2, (const uint8_t *)TCAP_STIWF_SIG_OID, TCAP_STIWF_SIG_OID_LEN);
	CU_ASSERT_FATAL(sig != NULL);
	CU_ASSERT_EQUAL(sig, &m2.userinfo_ext[m2.num_userinfo - 1]);
	CU_ASSERT_EQUAL(sig->encoding, TCAP_EXT_OCTET_ALIGNED);
	CU_ASSERT(ber_slice_equal(&sig->value, token, sizeof(token) - 1));
	/* the other EXTERNALs and the components as sent, octet for octet */
	for (i = 0; i < m1.num_userinfo; i++)
		CU_ASSERT(tcap_slice_same(&m1.userinfo_ext[i].raw, &m2.userinfo_ext[i].raw));
	CU_ASSERT(tcap_slice_same(&m1.components, &m2.components));
	/* what follows the components (end-of-contents octets) too */
	if (m1.components.len)
		CU_ASSERT_EQUAL(xlen - (m1.components.data + m1.components.len - x),
				ylen - (m2.components.data + m2.components.len - y));
	/* a second one is refused */
	CU_ASSERT_EQUAL(tcap_userinfo_insert(z, sizeof(z), y, ylen, (const uint8_t *)TCAP_STIWF_SIG_OID,
					     TCAP_STIWF_SIG_OID_LEN, token, 3), -EEXIST);
	/* strip gives back x, octet for octet */
	zlen = tcap_userinfo_strip(z, sizeof(z), y, ylen, (const uint8_t *)TCAP_STIWF_SIG_OID,
				   TCAP_STIWF_SIG_OID_LEN);
	if (zlen != xlen || memcmp(x, z, xlen))
		fprintf(stderr, "%s:\n  in    %s\n", what, osmo_hexdump_nospc(x, xlen));
	CU_ASSERT_EQUAL(zlen, xlen);
	CU_ASSERT(zlen == xlen && memcmp(x, z, xlen) == 0);
	/* an output one octet short of either is -ENOSPC */
	CU_ASSERT_EQUAL(tcap_userinfo_insert(z, ylen - 1, x, xlen, (const uint8_t *)TCAP_STIWF_SIG_OID,
					     TCAP_STIWF_SIG_OID_LEN, token, sizeof(token) - 1), -ENOSPC);
	CU_ASSERT_EQUAL(tcap_userinfo_strip(z, xlen - 1, y, ylen, (const uint8_t *)TCAP_STIWF_SIG_OID,
					    TCAP_STIWF_SIG_OID_LEN), -ENOSPC);
	return ylen;
}

static void test_insert_strip_table(void)
{
	/* which levels get the indefinite form (tests/ss7/tcap_util.h) */
	static const uint32_t masks[] = {
		0, INDEF_ALL, INDEF_MSG | INDEF_PORTIONS, INDEF_DLG_EXT | INDEF_DLG_ASN1,
		INDEF_DLG_PDU, INDEF_DLG_FIELDS, INDEF_MSG | INDEF_DLG_PDU | INDEF_USER_EXT,
	};
	uint8_t in[BUF_MAX], x[BUF_MAX];
	unsigned int i, k, done = 0, refused = 0, with_ui = 0, indef = 0;

	quiet(true);
	for (i = 0; i < ARRAY_SIZE(ind_vectors); i++) {
		int len = hex2bin(ind_vectors[i].hex, in, sizeof(in));
		bool carrier;

		CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m3, in, len), len);
		carrier = (m3.type == TCAP_MSG_BEGIN && m3.dlg_pdu == TCAP_DLG_AARQ) ||
			  ((m3.type == TCAP_MSG_CONTINUE || m3.type == TCAP_MSG_END) &&
			   m3.dlg_pdu == TCAP_DLG_AARE);
		for (k = 0; k < ARRAY_SIZE(masks); k++) {
			int xlen = len, rc;

			if (masks[k]) {
				xlen = ber_to_indef(x, sizeof(x), in, len, masks[k]);
				CU_ASSERT_FATAL(xlen > 0);
			} else {
				memcpy(x, in, len);
			}
			rc = insert_strip(x, xlen, ind_vectors[i].name);
			if (carrier) {
				if (rc < 0)
					fprintf(stderr, "%s mask %x: insert %d\n", ind_vectors[i].name,
						masks[k], rc);
				CU_ASSERT(rc > xlen);
				done++;
				if (m3.num_userinfo)
					with_ui++;
				if (masks[k])
					indef++;
			} else {
				CU_ASSERT_EQUAL(rc, -ENOTSUP);
				refused++;
			}
		}
	}
	quiet(false);
	CU_ASSERT(done >= 150);
	CU_ASSERT(with_ui >= 12);
	CU_ASSERT(indef >= 120);
	CU_ASSERT(refused >= 80);
}

/* Length forms, empty user-information, duplicates, no room */
static void test_insert_strip_edges(void)
{
	uint8_t x[BUF_MAX], y[BUF_MAX], z[BUF_MAX];
	const uint8_t *oid = (const uint8_t *)TCAP_STIWF_SIG_OID;
	const size_t ol = TCAP_STIWF_SIG_OID_LEN;
	int xlen, ylen;

	/* a dialogue portion with a longer-than-needed length (81 1e) keeps it */
	xlen = hex2bin("62484804000000016b811e281c060700118605010101a011600f80020780a1090607040000010014"
		       "026c1fa11d0201ff02012d30158007911497427533f38101008207911497797908f0", x, sizeof(x));
	ylen = insert_strip(x, xlen, "non-minimal dialogue portion");
	CU_ASSERT(ylen > 0);
	CU_ASSERT_EQUAL(tcap_userinfo_insert(y, sizeof(y), x, xlen, oid, ol, token, 4),
			ylen - (int)(sizeof(token) - 1 - 4));
	CU_ASSERT(memcmp(y + 8, "\x6b\x81", 2) == 0);

	/* ... but refuses when it would become minimal: strip could not tell */
	xlen = hex2bin("62724804000000016b81692867060700118605010101a05c605a80020780a1090607040000010014"
		       "02be4928470603883701814000000000000000000000000000000000000000000000000000000000"
		       "000000000000000000000000000000000000000000000000000000000000000000000000", x, sizeof(x));
	CU_ASSERT_EQUAL(tcap_msg_decode(&m1, x, xlen), xlen);
	CU_ASSERT_EQUAL(tcap_userinfo_insert(y, sizeof(y), x, xlen, oid, ol, token, sizeof(token) - 1),
			-ENOTSUP);

	/* an empty user-information "BE 00" is refused, "BE 80 00 00" is not */
	xlen = hex2bin("62244804000000016b1c281a060700118605010101a00f600da109060704000001001402be00", x, sizeof(x));
	CU_ASSERT_EQUAL_FATAL(tcap_msg_decode(&m1, x, xlen), xlen);
	CU_ASSERT_EQUAL(m1.num_userinfo, 0);
	CU_ASSERT(m1.userinfo.len == 2);
	CU_ASSERT_EQUAL(tcap_userinfo_insert(y, sizeof(y), x, xlen, oid, ol, token, 4), -ENOTSUP);
	xlen = hex2bin("62264804000000016b1e281c060700118605010101a011600fa109060704000001001402be800000", x, sizeof(x));
	CU_ASSERT(insert_strip(x, xlen, "empty indefinite user-information") > 0);

	/* strip of a message without it, and of one with it twice */
	xlen = hex2bin(ind_hex("sigfw_ussd"), x, sizeof(x));
	CU_ASSERT_EQUAL(tcap_userinfo_strip(z, sizeof(z), x, xlen, oid, ol), -ENOENT);
	ylen = tcap_userinfo_insert(y, sizeof(y), x, xlen, oid, ol, token, 4);
	CU_ASSERT_FATAL(ylen > 0);
	/* a second EXTERNAL with the OID, by inserting under another OID and renaming it */
	{
		uint8_t w[BUF_MAX];
		int wlen = tcap_userinfo_insert(w, sizeof(w), y, ylen, (const uint8_t *)"\x88\x37\x97\x71\x02",
						ol, token, 4);
		int j;

		CU_ASSERT_FATAL(wlen > 0);
		for (j = 0; j + 5 <= wlen; j++) {
			if (!memcmp(w + j, "\x88\x37\x97\x71\x02", 5))
				break;
		}
		CU_ASSERT_FATAL(j + 5 <= wlen);
		w[j + 4] = 0x01;
		CU_ASSERT_EQUAL(tcap_msg_decode(&m1, w, wlen), wlen);
		quiet(true);
		CU_ASSERT_EQUAL(tcap_userinfo_strip(z, sizeof(z), w, wlen, oid, ol), -EBADMSG);
		quiet(false);
	}

	/* messages that cannot carry it */
	xlen = hex2bin(ind_hex("gomaja_forwardsm_no_dialogue"), x, sizeof(x));
	CU_ASSERT_EQUAL(tcap_userinfo_insert(y, sizeof(y), x, xlen, oid, ol, token, 4), -ENOTSUP);
	CU_ASSERT_EQUAL(tcap_userinfo_strip(y, sizeof(y), x, xlen, oid, ol), -ENOENT);
	xlen = hex2bin(ind_hex("gomaja_abort_user"), x, sizeof(x));
	CU_ASSERT_EQUAL(tcap_userinfo_insert(y, sizeof(y), x, xlen, oid, ol, token, 4), -ENOTSUP);
	xlen = hex2bin(ind_hex("jss7_unidirectional"), x, sizeof(x));
	CU_ASSERT_EQUAL(tcap_userinfo_insert(y, sizeof(y), x, xlen, oid, ol, token, 4), -ENOTSUP);

	/* arguments: not an OID, a value too long, a message that does not decode */
	xlen = hex2bin(ind_hex("sigfw_cancel_location"), x, sizeof(x));
	CU_ASSERT_EQUAL(tcap_userinfo_insert(y, sizeof(y), x, xlen, (const uint8_t *)"\x88", 1, token, 4),
			-EINVAL);
	CU_ASSERT_EQUAL(tcap_userinfo_insert(y, sizeof(y), x, xlen, oid, ol, x, 1025), -EINVAL);
	quiet(true);
	CU_ASSERT_EQUAL(tcap_userinfo_insert(y, sizeof(y), x, xlen - 1, oid, ol, token, 4), -EBADMSG);
	quiet(false);

	/* a value of 1024 octets: lengths grow to two octets */
	{
		static uint8_t big[1024];
		int n;

		memset(big, 0x5a, sizeof(big));
		n = tcap_userinfo_insert(y, sizeof(y), x, xlen, oid, ol, big, sizeof(big));
		CU_ASSERT(n > 1024);
		CU_ASSERT_EQUAL(tcap_msg_decode(&m1, y, n), n);
		CU_ASSERT_EQUAL(y[1], 0x82);
		CU_ASSERT_EQUAL(tcap_userinfo_strip(z, sizeof(z), y, n, oid, ol), xlen);
		CU_ASSERT(memcmp(z, x, xlen) == 0);
	}
}

static const struct cunit_test tests[] = {
	{ "other stacks' messages decode to their values", test_independent_vectors },
	{ "fields the sources state", test_vector_fields },
	{ "indefinite forms encode as other stacks' definite ones", test_cross_encoder },
	{ "every message type round trip", test_build_roundtrip },
	{ "encoder refuses inconsistent fields", test_encode_invalid },
	{ "malformed messages", test_malformed },
	{ "component and EXTERNAL limits", test_limits },
	{ "every prefix and every bit flip", test_truncation_bitflip },
	{ "strip(insert(x)) == x over the table", test_insert_strip_table },
	{ "insert and strip edge cases", test_insert_strip_edges },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "tcap", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "tcap_test",
	.log = CUNIT_LOG_STDERR,
	.suites = suites,
};
