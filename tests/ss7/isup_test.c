/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of ss7/isup.c: ITU-T Q.763 message and parameter codec,
 * digits, and Q.764 simple segmentation. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/isup.h"
#include "tests/cunit_main.h"

#define BUF_MAX 4096

/* Well-formed messages, hand-assembled from Q.763 (CIC 21 unless noted).
 * Each decodes to its full length and re-encodes to the same octets. */
static const struct {
	const char *name;
	const char *hex;
} vectors[] = {
	/* NCI 00, FCI 20 01, CPC 0a, TMR 00, ptrs 02 09,
	 * CdPN intl. E.164 "123456789F" (ST),
	 * CgPN intl. "4930123456" network provided, GN qualifier 6 "491701234",
	 * hop counter 16, APP ACI 90 new sequence, PCI for APP, an opaque 0x31,
	 * end of optional parameters */
	{ "IAM", "150001" "00" "2001" "0a" "00" "0209"
		 "07041021436587f9"
		 "0a07041394032143" "65"
		 "c008068410947110" "3204"
		 "3d0110"
		 "7807da80c00102abcd"
		 "39027880"
		 "3102000a"
		 "00" },
	{ "IAM CIC 4095, no optional part", "ff0f01" "00" "2001" "0a" "00" "0200"
		 "0403100201" },
	{ "SAM", "150002" "0200" "03802103" },
	/* Q.763 §3.51: even, "123" and the ST signal */
	{ "SAM with ST", "150002" "0200" "030021f3" },
	{ "ACM", "150006" "1614" "01" "290101" "00" },
	{ "CON", "150007" "1614" "00" },
	{ "CPG", "15002c" "01" "01" "290101" "00" },
	{ "ANM", "150009" "00" },
	{ "ANM with BCI", "150009" "01" "11021614" "00" },
	{ "REL", "15000c" "0200" "028090" },
	{ "REL with rec. and diagnostics, opaque ACL", "15000c" "0207" "05008199" "0102" "270101" "00" },
	{ "RLC", "150010" "00" },
	{ "RLC with cause", "150010" "01" "1202849f" "00" },
	{ "SUS", "15000d" "01" "00" },
	{ "RES", "15000e" "00" "00" },
	/* Q.763 §3.52: network initiated, with a call reference */
	{ "SUS network initiated, call reference", "15000d" "01" "01" "0105785634" "3812" "00" },
	{ "RES network initiated", "15000e" "01" "00" },
	{ "RSC", "150012" },
	{ "BLO", "150013" },
	{ "BLA", "150015" },
	{ "UBL", "150014" },
	{ "UBA", "150016" },
	{ "UCIC", "15002e" },
	{ "GRS", "150017" "01" "011e" },
	{ "GRA", "150029" "01" "051e00000000" },
	{ "CGB", "150018" "00" "01" "051effffff7f" },
	{ "CGBA", "15001a" "00" "01" "051effffff7f" },
	{ "CGU", "150019" "01" "01" "0207ff" },
	{ "CGUA", "15001b" "01" "01" "0207ff" },
	{ "CFN", "15002f" "0200" "0280e1" },
	{ "APM", "150041" "01" "7806da80c0010203" "00" },
	{ "APM two-octet ACI and segmentation local reference",
		"150041" "01" "7807" "0181" "81" "0185" "aabb" "00" },
	{ "SGM", "150038" "01" "0a0403132143" "c00806841094711032" "04" "00" },
	/* INR: CgPN and CPC requested, national bits 0101; call reference
	 * 0x785634 at SPC 0x1238 */
	{ "INR", "150003" "0950" "01" "0105785634" "3812" "00" },
	/* INF: CgPN included, CPC included; CgPN national "123456" network
	 * provided, CPC ordinary */
	{ "INF", "150004" "2300" "01" "0a050313214365" "09010a" "00" },
	{ "COT", "150005" "01" },
	{ "CCR", "150011" },
	{ "LPA", "150024" },
	/* CQM for 4 circuits (range 3), no status */
	{ "CQM", "15002a" "01" "0103" },
	/* CQR: range 3, then idle, incoming busy locally blocked, outgoing
	 * busy, idle remotely hardware blocked */
	{ "CQR", "15002b" "02" "03" "0103" "04" "0c05082c" },
	/* FAC: MCI of two octets (release call, BNI release call; then 01),
	 * call transfer number kept opaque */
	{ "FAC", "150033" "01" "38024281" "4506884083603308" "00" },
	/* IDR: MCID and holding requested, MCI discard message */
	{ "IDR", "150036" "01" "3b0103" "380188" "00" },
	/* IRS: MCID included, CgPN */
	{ "IRS", "150037" "01" "3c0101" "0a050313214365" "00" },
	{ "IAM with OCN, RDN, redirection info, OFCI", "150001" "00" "2001" "0a" "00" "0205"
		"03031021" "280403102143" "0b058310214305" "13020314" "080104" "00" },
};

static int hex2bin(const char *hex, uint8_t *out, size_t max)
{
	int rc = osmo_hexparse(hex, out, max);

	CU_ASSERT_FATAL(rc > 0);
	return rc;
}

static void test_vectors_roundtrip(void)
{
	uint8_t in[BUF_MAX], out[BUF_MAX];
	struct isup_msg *m1 = malloc(sizeof(*m1)), *m2 = malloc(sizeof(*m2));
	unsigned int i;

	CU_ASSERT_FATAL(m1 && m2);
	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		int len = hex2bin(vectors[i].hex, in, sizeof(in));
		int rc;

		rc = isup_msg_decode(m1, in, len);
		if (rc != len)
			fprintf(stderr, "vector %s: decode %d of %d\n", vectors[i].name, rc, len);
		CU_ASSERT_EQUAL(rc, len);
		rc = isup_msg_encode(out, sizeof(out), m1);
		CU_ASSERT_EQUAL(rc, len);
		if (rc == len && memcmp(in, out, len)) {
			fprintf(stderr, "vector %s: re-encoded %s\n", vectors[i].name, osmo_hexdump_nospc(out, rc));
			CU_FAIL("re-encoding differs");
		}
		rc = isup_msg_decode(m2, out, len);
		CU_ASSERT_EQUAL(rc, len);
		CU_ASSERT(memcmp(m1, m2, sizeof(*m1)) == 0);
	}
	free(m1);
	free(m2);
}

static void test_iam_fields(void)
{
	uint8_t in[BUF_MAX];
	struct isup_msg *m = malloc(sizeof(*m));
	const struct isup_param *p;
	int len;

	CU_ASSERT_FATAL(m != NULL);
	len = hex2bin(vectors[0].hex, in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(m, in, len), len);
	CU_ASSERT_EQUAL(m->cic, 21);
	CU_ASSERT_EQUAL(m->type, ISUP_MSG_IAM);
	CU_ASSERT_EQUAL(m->num_mand, 5);
	CU_ASSERT_EQUAL(m->num_opt, 6);

	p = isup_msg_param_find_c(m, ISUP_PAR_FCI);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(p->u.fci.isup, 1);
	CU_ASSERT_EQUAL(p->u.fci.isdn_access, 1);
	CU_ASSERT_EQUAL(p->u.fci.international, 0);
	p = isup_msg_param_find_c(m, ISUP_PAR_CPC);
	CU_ASSERT_EQUAL(p->u.u8, 0x0a);

	p = isup_msg_param_find_c(m, ISUP_PAR_CALLED_PARTY_NUMBER);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(p->u.number.nai, ISUP_NAI_INTERNATIONAL);
	CU_ASSERT_EQUAL(p->u.number.npi, 1);
	CU_ASSERT_EQUAL(p->u.number.inn_ni, 0);
	CU_ASSERT_STRING_EQUAL(p->u.number.digits, "123456789F");

	p = isup_msg_param_find_c(m, ISUP_PAR_CALLING_PARTY_NUMBER);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(p->u.number.nai, ISUP_NAI_INTERNATIONAL);
	CU_ASSERT_EQUAL(p->u.number.apri, ISUP_APRI_ALLOWED);
	CU_ASSERT_EQUAL(p->u.number.si, ISUP_SI_NETWORK_PROVIDED);
	CU_ASSERT_STRING_EQUAL(p->u.number.digits, "4930123456");

	p = isup_msg_param_find_c(m, ISUP_PAR_GENERIC_NUMBER);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(p->u.number.qualifier, ISUP_NQ_ADDITIONAL_CALLING);
	CU_ASSERT_EQUAL(p->u.number.si, ISUP_SI_USER_NOT_VERIFIED);
	CU_ASSERT_STRING_EQUAL(p->u.number.digits, "491701234");

	p = isup_msg_param_find_c(m, ISUP_PAR_HOP_COUNTER);
	CU_ASSERT_EQUAL(p->u.u8, 16);

	p = isup_msg_param_find_c(m, ISUP_PAR_APP_TRANSPORT);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(p->u.app.aci, 90);
	CU_ASSERT_EQUAL(p->u.app.sni, 0);
	CU_ASSERT_EQUAL(p->u.app.rci, 0);
	CU_ASSERT_EQUAL(p->u.app.si, 1);
	CU_ASSERT_EQUAL(p->u.app.apm_seg, 0);
	CU_ASSERT_EQUAL(p->u.app.has_slr, false);
	CU_ASSERT_EQUAL(p->u.app.info_len, 4);
	CU_ASSERT(memcmp(p->u.app.info, "\x01\x02\xab\xcd", 4) == 0);

	p = isup_msg_param_find_c(m, ISUP_PAR_PCI);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(p->u.pci.num, 1);
	CU_ASSERT_EQUAL(p->u.pci.entry[0].code, ISUP_PAR_APP_TRANSPORT);
	CU_ASSERT_EQUAL(p->u.pci.entry[0].num_instr, 1);
	CU_ASSERT_EQUAL(p->u.pci.entry[0].instr[0], 0);

	/* the parameter we do not interpret, kept in arrival order */
	CU_ASSERT_EQUAL(m->opt[5].code, 0x31);
	CU_ASSERT(m->opt[5].opaque);
	CU_ASSERT_EQUAL(m->opt[5].u.opaque.len, 2);
	CU_ASSERT_EQUAL(m->opt[5].u.opaque.data[1], 0x0a);
	free(m);
}

static void test_other_fields(void)
{
	uint8_t in[BUF_MAX];
	struct isup_msg *m = malloc(sizeof(*m));
	const struct isup_param *p;
	int len;

	CU_ASSERT_FATAL(m != NULL);

	len = hex2bin("15000c" "0207" "05008199" "0102" "270101" "00", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(m, in, len), len);
	p = isup_msg_param_find_c(m, ISUP_PAR_CAUSE);
	CU_ASSERT_EQUAL(p->u.cause.coding, 0);
	CU_ASSERT_EQUAL(p->u.cause.location, 0);
	CU_ASSERT(p->u.cause.has_rec);
	CU_ASSERT_EQUAL(p->u.cause.rec, 1);
	CU_ASSERT_EQUAL(p->u.cause.value, 25);
	CU_ASSERT_EQUAL(p->u.cause.diag_len, 2);

	len = hex2bin("150006" "1614" "01" "290101" "00", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(m, in, len), len);
	p = isup_msg_param_find_c(m, ISUP_PAR_BCI);
	CU_ASSERT_EQUAL(p->u.bci.charge, 2);
	CU_ASSERT_EQUAL(p->u.bci.called_status, 1);
	CU_ASSERT_EQUAL(p->u.bci.called_category, 1);
	CU_ASSERT_EQUAL(p->u.bci.isup, 1);
	CU_ASSERT_EQUAL(p->u.bci.isdn_access, 1);
	p = isup_msg_param_find_c(m, ISUP_PAR_OBCI);
	CU_ASSERT_EQUAL(p->u.obci.inband, 1);

	len = hex2bin("15002c" "01" "01" "290101" "00", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(m, in, len), len);
	CU_ASSERT_EQUAL(m->mand[0].u.event.event, ISUP_EVENT_ALERTING);

	len = hex2bin("150018" "00" "01" "051effffff7f", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(m, in, len), len);
	CU_ASSERT_EQUAL(m->mand[0].u.u8, 0);
	CU_ASSERT_EQUAL(m->mand[1].u.range_status.range, 30);
	CU_ASSERT_EQUAL(m->mand[1].u.range_status.status_len, 4);

	len = hex2bin("150002" "0200" "03802103", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(m, in, len), len);
	CU_ASSERT_STRING_EQUAL(m->mand[0].u.subsequent.digits, "123");

	len = hex2bin("150041" "01" "7807" "0181" "81" "0185" "aabb" "00", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(m, in, len), len);
	p = isup_msg_param_find_c(m, ISUP_PAR_APP_TRANSPORT);
	CU_ASSERT_EQUAL(p->u.app.aci, 129);
	CU_ASSERT_EQUAL(p->u.app.rci, 1);
	CU_ASSERT_EQUAL(p->u.app.si, 0);
	CU_ASSERT_EQUAL(p->u.app.apm_seg, 1);
	CU_ASSERT(p->u.app.has_slr);
	CU_ASSERT_EQUAL(p->u.app.slr, 5);
	CU_ASSERT_EQUAL(p->u.app.info_len, 2);

	len = hex2bin("150003" "0950" "01" "0105785634" "3812" "00", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(m, in, len), len);
	p = isup_msg_param_find_c(m, ISUP_PAR_INR_IND);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(p->u.inr.cgpn, 1);
	CU_ASSERT_EQUAL(p->u.inr.holding, 0);
	CU_ASSERT_EQUAL(p->u.inr.cpc, 1);
	CU_ASSERT_EQUAL(p->u.inr.charge, 0);
	CU_ASSERT_EQUAL(p->u.inr.mcid, 0);
	CU_ASSERT_EQUAL(p->u.inr.national, 5);
	p = isup_msg_param_find_c(m, ISUP_PAR_CALL_REF);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(p->u.call_ref.call_id, 0x785634);
	CU_ASSERT_EQUAL(p->u.call_ref.spc, 0x1238);

	len = hex2bin("150004" "2300" "01" "0a050313214365" "09010a" "00", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(m, in, len), len);
	p = isup_msg_param_find_c(m, ISUP_PAR_INF_IND);
	CU_ASSERT_EQUAL(p->u.inf.cgpn, ISUP_INF_CGPN_INCLUDED);
	CU_ASSERT_EQUAL(p->u.inf.cpc, 1);
	CU_ASSERT_EQUAL(p->u.inf.hold, 0);
	CU_ASSERT_EQUAL(p->u.inf.unsolicited, 0);
	p = isup_msg_param_find_c(m, ISUP_PAR_CALLING_PARTY_NUMBER);
	CU_ASSERT_STRING_EQUAL(p->u.number.digits, "123456");

	/* the jSS7 INF (tshark: call ID 805240, SPC 14409); the spare bits of
	 * the indicators are not kept, the rest is */
	len = hex2bin("0c0b04e3a00101050c4978493800", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(m, in, len), len);
	CU_ASSERT_EQUAL(m->cic, 2828);
	p = isup_msg_param_find_c(m, ISUP_PAR_INF_IND);
	CU_ASSERT_EQUAL(p->u.inf.cgpn, 3);
	CU_ASSERT_EQUAL(p->u.inf.cpc, 1);
	CU_ASSERT_EQUAL(p->u.inf.charge, 1);
	CU_ASSERT_EQUAL(p->u.inf.unsolicited, 1);
	CU_ASSERT_EQUAL(p->u.inf.national, 0xa);
	p = isup_msg_param_find_c(m, ISUP_PAR_CALL_REF);
	CU_ASSERT_EQUAL(p->u.call_ref.call_id, 805240);
	CU_ASSERT_EQUAL(p->u.call_ref.spc, 14409);

	len = hex2bin("150005" "01", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(m, in, len), len);
	CU_ASSERT_EQUAL(m->mand[0].u.u8, 1);

	len = hex2bin("15002b" "02" "03" "0103" "04" "0c05082c", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(m, in, len), len);
	CU_ASSERT_EQUAL(m->num_mand, 2);
	CU_ASSERT_EQUAL(m->mand[0].u.range_status.range, 3);
	CU_ASSERT_EQUAL(m->mand[0].u.range_status.status_len, 0);
	CU_ASSERT_EQUAL(m->mand[1].u.csi.num, 4);
	CU_ASSERT_EQUAL(ISUP_CSI_CALL(m->mand[1].u.csi.state[0]), ISUP_CSI_CALL_IDLE);
	CU_ASSERT_EQUAL(ISUP_CSI_CALL(m->mand[1].u.csi.state[1]), ISUP_CSI_CALL_IN_BUSY);
	CU_ASSERT_EQUAL(ISUP_CSI_MAINT(m->mand[1].u.csi.state[1]), ISUP_CSI_BLK_LOCAL);
	CU_ASSERT_EQUAL(ISUP_CSI_CALL(m->mand[1].u.csi.state[2]), ISUP_CSI_CALL_OUT_BUSY);
	CU_ASSERT_EQUAL(ISUP_CSI_HW(m->mand[1].u.csi.state[3]), ISUP_CSI_BLK_REMOTE);

	len = hex2bin("150033" "01" "38024281" "4506884083603308" "00", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(m, in, len), len);
	p = isup_msg_param_find_c(m, ISUP_PAR_MCI);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(p->u.mci.num_instr, 2);
	CU_ASSERT_EQUAL(p->u.mci.instr[0], ISUP_PCI_RELEASE_CALL | 0x40);
	CU_ASSERT_EQUAL(p->u.mci.instr[1], 0x01);
	p = isup_msg_param_find_c(m, 0x45);
	CU_ASSERT(p && p->opaque && p->u.opaque.len == 6);

	len = hex2bin("150036" "01" "3b0103" "380188" "00", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(m, in, len), len);
	CU_ASSERT_EQUAL(isup_msg_param_find_c(m, ISUP_PAR_MCID_REQ)->u.u8, 3);
	CU_ASSERT_EQUAL(isup_msg_param_find_c(m, ISUP_PAR_MCI)->u.mci.instr[0], ISUP_PCI_DISCARD_MESSAGE);

	len = hex2bin(vectors[ARRAY_SIZE(vectors) - 1].hex, in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(isup_msg_decode(m, in, len), len);
	p = isup_msg_param_find_c(m, ISUP_PAR_ORIG_CALLED_NUMBER);
	CU_ASSERT_STRING_EQUAL(p->u.number.digits, "1234");
	CU_ASSERT_EQUAL(p->u.number.npi, 1);
	p = isup_msg_param_find_c(m, ISUP_PAR_REDIRECTING_NUMBER);
	CU_ASSERT_STRING_EQUAL(p->u.number.digits, "12345");
	p = isup_msg_param_find_c(m, ISUP_PAR_REDIRECTION_INFO);
	CU_ASSERT_EQUAL(p->u.redir.indicator, 3);
	CU_ASSERT_EQUAL(p->u.redir.counter, 4);
	CU_ASSERT_EQUAL(p->u.redir.reason, 1);
	p = isup_msg_param_find_c(m, ISUP_PAR_OFCI);
	CU_ASSERT_EQUAL(p->u.ofci.segmentation, 1);
	CU_ASSERT(isup_msg_awaits_sgm(m));
	free(m);
}

/* Every prefix of every valid vector must fail cleanly. */
static void test_truncation(void)
{
	struct isup_msg *m = malloc(sizeof(*m));
	unsigned int i;
	int n;

	CU_ASSERT_FATAL(m != NULL);
	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		uint8_t in[BUF_MAX];
		int len = hex2bin(vectors[i].hex, in, sizeof(in));

		for (n = 0; n < len; n++) {
			/* an exact-size copy, so that ASAN sees a read past the end */
			uint8_t *cut = malloc(n ? n : 1);
			int rc;

			CU_ASSERT_FATAL(cut != NULL);
			memcpy(cut, in, n);
			rc = isup_msg_decode(m, cut, n);
			if (rc >= 0)
				fprintf(stderr, "vector %s: prefix %d decoded (%d)\n", vectors[i].name, n, rc);
			CU_ASSERT(rc < 0);
			free(cut);
		}
	}
	free(m);
}

/* Flip every bit of every vector: decode or fail cleanly; what decodes
 * re-encodes, and the re-encoding decodes to the same message. */
static void test_bitflip(void)
{
	struct isup_msg *m1 = malloc(sizeof(*m1)), *m2 = malloc(sizeof(*m2));
	uint8_t out[BUF_MAX];
	unsigned int i, decoded = 0, failed = 0;
	int bit;

	CU_ASSERT_FATAL(m1 && m2);
	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		uint8_t in[BUF_MAX];
		int len = hex2bin(vectors[i].hex, in, sizeof(in));

		for (bit = 0; bit < len * 8; bit++) {
			uint8_t *buf = malloc(len);
			int rc, rc2;

			CU_ASSERT_FATAL(buf != NULL);
			memcpy(buf, in, len);
			buf[bit / 8] ^= 1 << (bit % 8);
			rc = isup_msg_decode(m1, buf, len);
			free(buf);
			if (rc < 0) {
				CU_ASSERT(rc == -EBADMSG || rc == -ENOTSUP);
				failed++;
				continue;
			}
			CU_ASSERT(rc <= len);
			decoded++;
			rc = isup_msg_encode(out, sizeof(out), m1);
			if (rc < 0)
				continue;
			rc2 = isup_msg_decode(m2, out, rc);
			CU_ASSERT_EQUAL(rc2, rc);
			CU_ASSERT(memcmp(m1, m2, sizeof(*m1)) == 0);
		}
	}
	/* both outcomes must occur, or the loop tests nothing */
	CU_ASSERT(decoded > 0);
	CU_ASSERT(failed > 0);
	free(m1);
	free(m2);
}

static void test_malformed(void)
{
	static const struct {
		const char *name;
		const char *hex;
		int rc;
	} bad[] = {
		{ "unknown message type (FOT)", "150008" "00", -ENOTSUP },
		{ "INR indicators of 1 octet", "150003" "09", -EBADMSG },
		{ "INF without pointer", "150004" "2300", -EBADMSG },
		{ "COT without indicators", "150005", -EBADMSG },
		{ "CQM with status", "15002a" "01" "020300", -EBADMSG },
		{ "CQR with 3 states for 4 circuits", "15002b" "02" "03" "0103" "03" "0c0c0c", -EBADMSG },
		{ "CQR without circuit states", "15002b" "02" "03" "0103" "00", -EBADMSG },
		{ "CQR second pointer past the end", "15002b" "02" "09" "0103" "01" "0c", -EBADMSG },
		{ "call reference of 4 octets", "150003" "0950" "01" "010478563438" "00", -EBADMSG },
		{ "MCI without last octet", "150033" "01" "380142" "00", -EBADMSG },
		{ "MCI with an octet after the last", "150033" "01" "38028800" "00", -EBADMSG },
		{ "MCI of 5 octets", "150033" "01" "38050000000080" "00", -EBADMSG },
		{ "MCID request of 2 octets", "150036" "01" "3b020300" "00", -EBADMSG },
		{ "IAM pointer to CdPN 0", "150001" "00" "2001" "0a" "00" "0000" "0403100201", -EBADMSG },
		{ "IAM pointer past the end", "150001" "00" "2001" "0a" "00" "0900" "0403100201", -EBADMSG },
		{ "IAM CdPN too short", "150001" "00" "2001" "0a" "00" "0200" "0104", -EBADMSG },
		{ "IAM optional part without end", "150001" "00" "2001" "0a" "00" "0206" "0403100201"
			"0a0403132143", -EBADMSG },
		{ "IAM optional parameter past the end", "150001" "00" "2001" "0a" "00" "0206" "0403100201"
			"0a0903132143" "00", -EBADMSG },
		{ "CgPN odd without digits", "150001" "00" "2001" "0a" "00" "0206" "0403100201"
			"0a028313" "00", -EBADMSG },
		{ "OFCI of 2 octets", "150001" "00" "2001" "0a" "00" "0206" "0403100201"
			"08020000" "00", -EBADMSG },
		{ "hop counter of 0 octets", "150001" "00" "2001" "0a" "00" "0206" "0403100201"
			"3d00" "00", -EBADMSG },
		{ "APP octet 2 without extension bit", "150041" "01" "7803da00c0" "00", -EBADMSG },
		{ "APP octet 3a missing", "150041" "01" "7803da8040" "00", -EBADMSG },
		{ "APP of 2 octets", "150041" "01" "7802da80" "00", -EBADMSG },
		{ "PCI instruction indicators without end", "150041" "01" "39027800" "00", -EBADMSG },
		{ "cause of 1 octet", "15000c" "0200" "0180", -EBADMSG },
		{ "cause value without extension bit", "15000c" "0200" "028010", -EBADMSG },
		{ "GRS with status", "150017" "01" "02" "0700", -EBADMSG },
		{ "GRA without status", "150029" "01" "01" "07", -EBADMSG },
		{ "CGB status length not matching the range", "150018" "00" "01" "04" "0fffffff", -EBADMSG },
		{ "redirection information of 3 octets", "150001" "00" "2001" "0a" "00" "0206" "0403100201"
			"1303000000" "00", -EBADMSG },
		{ "SAM subsequent number of 0 octets", "150002" "0200" "00", -EBADMSG },
		{ "SAM odd without address signals", "150002" "0200" "0180", -EBADMSG },
		{ "SAM with 42 digits", "150002" "0200" "16" "00"
			"111111111111111111111111111111111111111111", -EBADMSG },
		{ "SAM without pointer", "150002", -EBADMSG },
		{ "SUS without indicators", "15000d", -EBADMSG },
		{ "RES optional pointer past the end", "15000e" "01" "05", -EBADMSG },
		{ "CdPN with 42 digits", "150001" "00" "2001" "0a" "00" "0200"
			"17" "0410" "111111111111111111111111111111111111111111", -EBADMSG },
	};
	struct isup_msg *m = malloc(sizeof(*m));
	uint8_t in[BUF_MAX];
	unsigned int i;

	CU_ASSERT_FATAL(m != NULL);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int len = hex2bin(bad[i].hex, in, sizeof(in));
		int rc = isup_msg_decode(m, in, len);

		if (rc != bad[i].rc)
			fprintf(stderr, "malformed %s: got %d\n", bad[i].name, rc);
		CU_ASSERT_EQUAL(rc, bad[i].rc);
	}
	free(m);
}

static void fill_number(struct isup_number *n, const char *digits)
{
	n->nai = ISUP_NAI_INTERNATIONAL;
	n->npi = 1;
	osmo_strlcpy(n->digits, digits, sizeof(n->digits));
}

/* Build one message of every type from fields, with non-zero values where
 * the fields allow: decode(encode(x)) == x. */
static void build_msg(struct isup_msg *m, uint8_t type)
{
	struct isup_param *p;
	unsigned int i, k;

	CU_ASSERT_FATAL(isup_msg_init(m, type, 0x0abc) == 0);
	for (i = 0; i < m->num_mand; i++) {
		p = &m->mand[i];
		switch (p->code) {
		case ISUP_PAR_NCI:
			p->u.nci.satellite = 1;
			p->u.nci.continuity = 2;
			p->u.nci.echo = 1;
			break;
		case ISUP_PAR_FCI:
			p->u.fci.international = 1;
			p->u.fci.e2e_method = 3;
			p->u.fci.isup = 1;
			p->u.fci.isup_pref = 2;
			p->u.fci.isdn_access = 1;
			p->u.fci.sccp_method = 1;
			p->u.fci.national = 9;
			break;
		case ISUP_PAR_CPC:
			p->u.u8 = 0x0a;
			break;
		case ISUP_PAR_TMR:
			p->u.u8 = 3;
			break;
		case ISUP_PAR_CALLED_PARTY_NUMBER:
			fill_number(&p->u.number, "4930123456789F");
			p->u.number.inn_ni = 1;
			break;
		case ISUP_PAR_SUBSEQUENT_NUMBER:
			osmo_strlcpy(p->u.subsequent.digits, "98765", sizeof(p->u.subsequent.digits));
			break;
		case ISUP_PAR_BCI:
			p->u.bci.charge = 2;
			p->u.bci.called_status = 1;
			p->u.bci.called_category = 1;
			p->u.bci.e2e_method = 2;
			p->u.bci.holding = 1;
			p->u.bci.echo = 1;
			p->u.bci.sccp_method = 3;
			break;
		case ISUP_PAR_EVENT_INFO:
			p->u.event.event = ISUP_EVENT_PROGRESS;
			p->u.event.pres_restricted = 1;
			break;
		case ISUP_PAR_CAUSE:
			p->u.cause.location = 4;
			p->u.cause.value = 17;
			p->u.cause.diag_len = 3;
			memcpy(p->u.cause.diag, "\x01\x02\x03", 3);
			break;
		case ISUP_PAR_SUSPEND_RESUME:
			p->u.u8 = 1;
			break;
		case ISUP_PAR_CGSMT:
			p->u.u8 = 1;
			break;
		case ISUP_PAR_INR_IND:
			p->u.inr.cgpn = 1;
			p->u.inr.holding = 1;
			p->u.inr.cpc = 1;
			p->u.inr.mcid = 1;
			p->u.inr.national = 0xc;
			break;
		case ISUP_PAR_INF_IND:
			p->u.inf.cgpn = ISUP_INF_CGPN_NOT_AVAILABLE;
			p->u.inf.charge = 1;
			p->u.inf.unsolicited = 1;
			p->u.inf.national = 3;
			break;
		case ISUP_PAR_CONTINUITY:
			p->u.u8 = 1;
			break;
		case ISUP_PAR_CIRCUIT_STATE:
			p->u.csi.num = 11;
			for (k = 0; k < 11; k++)
				p->u.csi.state[k] = ISUP_CSI(k % 4, (k / 4) % 4, k % 3);
			break;
		case ISUP_PAR_RANGE_STATUS:
			p->u.range_status.range = 10;
			if (type != ISUP_MSG_GRS && type != ISUP_MSG_CQM && type != ISUP_MSG_CQR) {
				p->u.range_status.status_len = 2;
				p->u.range_status.status[0] = 0xa5;
				p->u.range_status.status[1] = 0x03;
			}
			break;
		default:
			CU_FAIL("mandatory parameter without a builder");
		}
	}
	if (!isup_msg_opt_add(m, ISUP_PAR_HOP_COUNTER))
		return;	/* no optional part */

	m->opt[0].u.u8 = 12;
	p = isup_msg_opt_add(m, ISUP_PAR_CALLING_PARTY_NUMBER);
	fill_number(&p->u.number, "4930123");
	p->u.number.apri = ISUP_APRI_RESTRICTED;
	p->u.number.si = ISUP_SI_NETWORK_PROVIDED;
	p = isup_msg_opt_add(m, ISUP_PAR_GENERIC_NUMBER);
	fill_number(&p->u.number, "1555000111");
	p->u.number.qualifier = ISUP_NQ_ADDITIONAL_CALLING;
	p->u.number.inn_ni = 1;
	p = isup_msg_opt_add(m, ISUP_PAR_ORIG_CALLED_NUMBER);
	fill_number(&p->u.number, "12");
	p->u.number.apri = ISUP_APRI_NOT_AVAILABLE;
	p = isup_msg_opt_add(m, ISUP_PAR_REDIRECTING_NUMBER);
	fill_number(&p->u.number, "123");
	p = isup_msg_opt_add(m, ISUP_PAR_REDIRECTION_INFO);
	p->u.redir.indicator = 4;
	p->u.redir.orig_reason = 2;
	p->u.redir.has_octet2 = true;
	p->u.redir.counter = 5;
	p->u.redir.reason = 3;
	p = isup_msg_opt_add(m, ISUP_PAR_CAUSE);
	p->u.cause.has_rec = true;
	p->u.cause.rec = 3;
	p->u.cause.coding = 3;
	p->u.cause.value = 127;
	p = isup_msg_opt_add(m, ISUP_PAR_OFCI);
	p->u.ofci.cug = 3;
	p->u.ofci.clir = 1;
	p = isup_msg_opt_add(m, ISUP_PAR_OBCI);
	p->u.obci.diversion = 1;
	p->u.obci.mlpp = 1;
	p->u.obci.national = 0xf;
	p = isup_msg_opt_add(m, ISUP_PAR_EVENT_INFO);
	p->u.event.event = 0x7f;
	p = isup_msg_opt_add(m, ISUP_PAR_APP_TRANSPORT);
	p->u.app.aci = 0x3fff;
	p->u.app.sni = 1;
	p->u.app.rci = 1;
	p->u.app.apm_seg = 0x3f;
	p->u.app.has_slr = true;
	p->u.app.slr = 0x7f;
	p->u.app.info_len = 200;
	memset(p->u.app.info, 0x5a, 200);
	p = isup_msg_opt_add(m, ISUP_PAR_PCI);
	p->u.pci.num = 2;
	p->u.pci.entry[0].code = ISUP_PAR_APP_TRANSPORT;
	p->u.pci.entry[0].num_instr = 1;
	p->u.pci.entry[1].code = 0xc1;
	p->u.pci.entry[1].num_instr = 2;
	p->u.pci.entry[1].instr[0] = ISUP_PCI_DISCARD_PARAM | ISUP_PCI_SEND_NOTIFICATION;
	p->u.pci.entry[1].instr[1] = 0x01;
	p = isup_msg_opt_add(m, ISUP_PAR_MCI);
	p->u.mci.num_instr = 2;
	p->u.mci.instr[0] = ISUP_PCI_RELEASE_CALL | ISUP_MCI_PASS_ON_NOT_POSSIBLE;
	p->u.mci.instr[1] = 0x7f;
	p = isup_msg_opt_add(m, ISUP_PAR_CALL_REF);
	p->u.call_ref.call_id = 0xfedcba;
	p->u.call_ref.spc = 0x3fff;
	p = isup_msg_opt_add(m, ISUP_PAR_MCID_REQ);
	p->u.u8 = 2;
	p = isup_msg_opt_add(m, ISUP_PAR_MCID_RSP);
	p->u.u8 = 1;
	p = isup_msg_opt_add(m, 0x31);
	CU_ASSERT(p->opaque);
	p->u.opaque.len = 0;
	p = isup_msg_opt_add(m, 0xc1);
	p->u.opaque.len = 3;
	memcpy(p->u.opaque.data, "\x01\x02\x03", 3);
}

static void test_build_roundtrip(void)
{
	struct isup_msg *m1 = malloc(sizeof(*m1)), *m2 = malloc(sizeof(*m2));
	uint8_t out[BUF_MAX];
	unsigned int i;

	CU_ASSERT_FATAL(m1 && m2);
	for (i = 0; isup_msg_type_names[i].str; i++) {
		uint8_t type = isup_msg_type_names[i].value;
		int rc, n;

		build_msg(m1, type);
		rc = isup_msg_encode(out, sizeof(out), m1);
		if (rc < 0)
			fprintf(stderr, "build %s: encode %d\n", isup_msg_type_name(type), rc);
		CU_ASSERT_FATAL(rc > 0);
		CU_ASSERT_EQUAL(isup_msg_decode(m2, out, rc), rc);
		if (memcmp(m1, m2, sizeof(*m1)))
			fprintf(stderr, "build %s: decode(encode(x)) != x\n", isup_msg_type_name(type));
		CU_ASSERT(memcmp(m1, m2, sizeof(*m1)) == 0);
		/* every shorter output buffer fails with -ENOSPC */
		for (n = 0; n < rc; n++)
			CU_ASSERT_EQUAL(isup_msg_encode(out, n, m1), -ENOSPC);
	}
	free(m1);
	free(m2);
}

static void test_encode_invalid(void)
{
	struct isup_msg *m = malloc(sizeof(*m));
	struct isup_param *p;
	uint8_t out[BUF_MAX];

	CU_ASSERT_FATAL(m != NULL);
	CU_ASSERT_EQUAL(isup_msg_init(m, 0x08, 1), -EINVAL);
	CU_ASSERT_EQUAL(isup_msg_init(m, ISUP_MSG_RLC, 4096), -EINVAL);

	build_msg(m, ISUP_MSG_IAM);
	m->cic = 4096;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);

	build_msg(m, ISUP_MSG_IAM);
	p = isup_msg_param_find(m, ISUP_PAR_CALLED_PARTY_NUMBER);
	osmo_strlcpy(p->u.number.digits, "12x4", sizeof(p->u.number.digits));
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);

	build_msg(m, ISUP_MSG_IAM);
	isup_msg_param_find(m, ISUP_PAR_CALLED_PARTY_NUMBER)->u.number.nai = 0x80;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);

	build_msg(m, ISUP_MSG_IAM);
	isup_msg_param_find(m, ISUP_PAR_NCI)->u.nci.satellite = 4;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);

	build_msg(m, ISUP_MSG_IAM);
	isup_msg_param_find(m, ISUP_PAR_HOP_COUNTER)->u.u8 = 32;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);

	/* APP value longer than 255 octets */
	build_msg(m, ISUP_MSG_APM);
	p = isup_msg_param_find(m, ISUP_PAR_APP_TRANSPORT);
	p->u.app.info_len = 255;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EMSGSIZE);

	/* no optional part in RSC */
	build_msg(m, ISUP_MSG_RSC);
	CU_ASSERT(isup_msg_opt_add(m, ISUP_PAR_HOP_COUNTER) == NULL);
	m->num_opt = 1;
	m->opt[0].code = ISUP_PAR_HOP_COUNTER;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);

	/* GRS must not carry status, CGB must */
	build_msg(m, ISUP_MSG_GRS);
	m->mand[0].u.range_status.status_len = 2;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);
	build_msg(m, ISUP_MSG_CGB);
	m->mand[1].u.range_status.status_len = 0;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);

	/* CQM, CQR: no status; CQR: one circuit state per circuit */
	build_msg(m, ISUP_MSG_CQM);
	m->mand[0].u.range_status.status_len = 2;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);
	build_msg(m, ISUP_MSG_CQR);
	m->mand[1].u.csi.num = 10;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);
	build_msg(m, ISUP_MSG_CQR);
	m->mand[1].u.csi.state[0] = 0x40;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);

	/* fields of the new parameters out of range */
	build_msg(m, ISUP_MSG_COT);
	m->mand[0].u.u8 = 2;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);
	build_msg(m, ISUP_MSG_INF);
	m->mand[0].u.inf.cgpn = 4;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);
	build_msg(m, ISUP_MSG_INR);
	m->mand[0].u.inr.national = 16;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);
	build_msg(m, ISUP_MSG_FAC);
	isup_msg_param_find(m, ISUP_PAR_CALL_REF)->u.call_ref.spc = 0x4000;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);
	build_msg(m, ISUP_MSG_FAC);
	isup_msg_param_find(m, ISUP_PAR_MCI)->u.mci.num_instr = 0;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);
	build_msg(m, ISUP_MSG_IDR);
	isup_msg_param_find(m, ISUP_PAR_MCID_REQ)->u.u8 = 4;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);

	/* mandatory parameters not as in Q.763 */
	build_msg(m, ISUP_MSG_ACM);
	m->num_mand = 0;
	CU_ASSERT_EQUAL(isup_msg_encode(out, sizeof(out), m), -EINVAL);
	free(m);
}

/* Q.764 §2.9.5.3.1: an unrecognized message is read as a message with an
 * optional part only, to find its message compatibility information */
static void test_unrecognized(void)
{
	static const struct {
		const char *name;
		const char *hex;
		int rc;
		uint8_t num_opt;
	} v[] = {
		/* a type Q.763 does not define, MCI "discard message, send
		 * notification", then a parameter Q.763 does not define */
		{ "0x99 with MCI", "150099" "01" "38018c" "f40102" "00", 11, 2 },
		{ "0x99 no optional part", "150099" "00", 4, 0 },
		{ "UPT (optional part only, not laid out)", "150034" "01" "380188" "00", 8, 1 },
		{ "0x99 truncated", "150099" "01" "3802", -EBADMSG, 0 },
		{ "0x99 without pointer", "150099", -EBADMSG, 0 },
		{ "0x99 pointer past the end", "150099" "05" "00", -EBADMSG, 0 },
		{ "0x99 bad MCI", "150099" "01" "380108" "00", -EBADMSG, 0 },
		/* laid out or with a mandatory part: not read so */
		{ "IAM", "150001" "00", -EINVAL, 0 },
		{ "USR (mandatory variable part)", "15002d" "0201" "00" "00", -EINVAL, 0 },
		{ "FAR (facility indicator)", "15001f" "02" "00", -EINVAL, 0 },
		{ "shorter than the header", "1500", -EBADMSG, 0 },
	};
	struct isup_msg *m = malloc(sizeof(*m));
	uint8_t in[BUF_MAX];
	unsigned int i;

	CU_ASSERT_FATAL(m != NULL);
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		int len = hex2bin(v[i].hex, in, sizeof(in));
		int rc = isup_msg_decode_unrecognized(m, in, len);

		if (rc != v[i].rc)
			fprintf(stderr, "unrecognized %s: got %d\n", v[i].name, rc);
		CU_ASSERT_EQUAL(rc, v[i].rc);
		if (rc >= 0)
			CU_ASSERT_EQUAL(m->num_opt, v[i].num_opt);
	}
	CU_ASSERT_EQUAL(isup_msg_decode_unrecognized(m, in, hex2bin("150099" "01" "38018c" "f40102" "00",
								 in, sizeof(in))), 11);
	CU_ASSERT_EQUAL(m->type, 0x99);
	CU_ASSERT_EQUAL(m->opt[0].code, ISUP_PAR_MCI);
	CU_ASSERT_EQUAL(m->opt[0].u.mci.instr[0], ISUP_PCI_DISCARD_MESSAGE | ISUP_PCI_SEND_NOTIFICATION);
	CU_ASSERT(m->opt[1].opaque);
	/* it cannot be encoded: the codec has no layout for it */
	CU_ASSERT_EQUAL(isup_msg_encode(in, sizeof(in), m), -EINVAL);

	/* Q.763 Table 5 codes, typed or opaque, are known; others are not */
	CU_ASSERT(isup_param_known(ISUP_PAR_CALLING_PARTY_NUMBER));
	CU_ASSERT(isup_param_known(0x1d));	/* USI, kept opaque */
	CU_ASSERT(isup_param_known(0x31));	/* propagation delay counter */
	CU_ASSERT(isup_param_known(0xc1));
	CU_ASSERT(!isup_param_known(ISUP_PAR_END_OF_OPT));
	CU_ASSERT(!isup_param_known(0x14));	/* spare */
	CU_ASSERT(!isup_param_known(0xf4));
	CU_ASSERT(!isup_param_known(0xfe));
	free(m);
}

static void test_digits(void)
{
	uint8_t bcd[16];
	char s[8];
	bool odd;

	CU_ASSERT_EQUAL(isup_digits_encode(bcd, sizeof(bcd), "12345", &odd), 3);
	CU_ASSERT(odd);
	CU_ASSERT(memcmp(bcd, "\x21\x43\x05", 3) == 0);	/* filler 0000 */
	CU_ASSERT_EQUAL(isup_digits_decode(s, sizeof(s), bcd, 3, odd), 5);
	CU_ASSERT_STRING_EQUAL(s, "12345");

	CU_ASSERT_EQUAL(isup_digits_encode(bcd, sizeof(bcd), "0F", &odd), 1);
	CU_ASSERT(!odd);
	CU_ASSERT_EQUAL(bcd[0], 0xf0);

	/* a non-zero filler is ignored */
	CU_ASSERT_EQUAL(isup_digits_decode(s, sizeof(s), (const uint8_t *)"\x21\xa3", 2, true), 3);
	CU_ASSERT_STRING_EQUAL(s, "123");
	CU_ASSERT_EQUAL(isup_digits_decode(s, sizeof(s), (const uint8_t *)"\xcb", 1, false), 2);
	CU_ASSERT_STRING_EQUAL(s, "BC");

	CU_ASSERT_EQUAL(isup_digits_encode(bcd, sizeof(bcd), "", &odd), 0);
	CU_ASSERT(!odd);
	CU_ASSERT_EQUAL(isup_digits_decode(s, sizeof(s), bcd, 0, false), 0);
	CU_ASSERT_STRING_EQUAL(s, "");
	CU_ASSERT_EQUAL(isup_digits_decode(s, sizeof(s), bcd, 0, true), -EBADMSG);

	/* bounds: 7 digits + NUL fit in 8, 8 do not */
	CU_ASSERT_EQUAL(isup_digits_decode(s, sizeof(s), (const uint8_t *)"\x11\x11\x11\x01", 4, true), 7);
	CU_ASSERT_EQUAL(isup_digits_decode(s, sizeof(s), (const uint8_t *)"\x11\x11\x11\x11", 4, false),
			-ENOSPC);
	CU_ASSERT_EQUAL(isup_digits_decode(s, 0, bcd, 0, false), -ENOSPC);
	CU_ASSERT_EQUAL(isup_digits_encode(bcd, 2, "12345", &odd), -ENOSPC);
	CU_ASSERT_EQUAL(isup_digits_encode(bcd, sizeof(bcd), "12a", &odd), -EINVAL);
	CU_ASSERT_EQUAL(isup_digits_encode(bcd, sizeof(bcd), "1*", &odd), -EINVAL);
}

/* An IAM with a calling party number and two APPs of \a info octets. */
static void build_big_iam(struct isup_msg *m, unsigned int info1, unsigned int info2)
{
	struct isup_param *p;

	build_msg(m, ISUP_MSG_IAM);
	m->num_opt = 0;
	memset(m->opt, 0, sizeof(m->opt));
	p = isup_msg_opt_add(m, ISUP_PAR_CALLING_PARTY_NUMBER);
	fill_number(&p->u.number, "4930123456");
	p = isup_msg_opt_add(m, ISUP_PAR_APP_TRANSPORT);
	p->u.app.aci = 90;
	p->u.app.si = 1;
	p->u.app.info_len = info1;
	memset(p->u.app.info, 0x11, info1);
	p = isup_msg_opt_add(m, ISUP_PAR_APP_TRANSPORT);
	p->u.app.aci = 91;
	p->u.app.si = 1;
	p->u.app.info_len = info2;
	memset(p->u.app.info, 0x22, info2);
}

static void test_segmentation(void)
{
	struct isup_msg *m = malloc(sizeof(*m)), *first = malloc(sizeof(*first));
	struct isup_msg *sgm = malloc(sizeof(*sgm)), *rx = malloc(sizeof(*rx)), *rx2 = malloc(sizeof(*rx2));
	uint8_t out1[BUF_MAX], out2[BUF_MAX];
	const struct isup_param *p;
	int len, len1, len2;

	CU_ASSERT_FATAL(m && first && sgm && rx && rx2);

	/* fits: no SGM, the first message is the message */
	build_big_iam(m, 20, 20);
	CU_ASSERT_EQUAL(isup_msg_segment(m, ISUP_MTP3_SIF_MAX, first, sgm), 0);
	CU_ASSERT(memcmp(m, first, sizeof(*m)) == 0);

	/* the limit counts the 4-octet routing label and the ISUP message:
	 * a message of exactly 268 octets fits 272, not 271 */
	build_big_iam(m, 100, 100);
	len = isup_msg_encode(out1, sizeof(out1), m);
	CU_ASSERT_FATAL(len > 0);
	build_big_iam(m, 100, 100 + (268 - len));
	CU_ASSERT_EQUAL(isup_msg_encode(out1, sizeof(out1), m), 268);
	CU_ASSERT_EQUAL(isup_msg_segment(m, 272, first, sgm), 0);
	CU_ASSERT_EQUAL(isup_msg_segment(m, 271, first, sgm), 1);

	/* too long: the second APP moves to the SGM */
	build_big_iam(m, 150, 150);
	CU_ASSERT_EQUAL_FATAL(isup_msg_segment(m, ISUP_MTP3_SIF_MAX, first, sgm), 1);
	len1 = isup_msg_encode(out1, sizeof(out1), first);
	len2 = isup_msg_encode(out2, sizeof(out2), sgm);
	CU_ASSERT(len1 > 0 && len1 + ISUP_MTP3_ROUTING_LABEL_LEN <= ISUP_MTP3_SIF_MAX);
	CU_ASSERT(len2 > 0 && len2 + ISUP_MTP3_ROUTING_LABEL_LEN <= ISUP_MTP3_SIF_MAX);
	CU_ASSERT_EQUAL(sgm->type, ISUP_MSG_SGM);
	CU_ASSERT_EQUAL(sgm->cic, m->cic);
	CU_ASSERT_EQUAL(sgm->num_opt, 1);
	CU_ASSERT_EQUAL(sgm->opt[0].u.app.aci, 91);
	p = isup_msg_param_find_c(first, ISUP_PAR_OFCI);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(p->u.ofci.segmentation, 1);

	/* the receiving side: decode both, reassemble, get the original */
	CU_ASSERT_EQUAL(isup_msg_decode(rx, out1, len1), len1);
	CU_ASSERT(isup_msg_awaits_sgm(rx));
	CU_ASSERT_EQUAL(isup_msg_decode(rx2, out2, len2), len2);
	CU_ASSERT_EQUAL(isup_msg_reassemble(rx, rx2), 0);
	CU_ASSERT(!isup_msg_awaits_sgm(rx));
	CU_ASSERT(memcmp(rx, m, sizeof(*m)) == 0);
	/* a second SGM is not expected */
	CU_ASSERT_EQUAL(isup_msg_reassemble(rx, rx2), -EINVAL);

	/* an SGM of another circuit is refused */
	CU_ASSERT_EQUAL(isup_msg_decode(rx, out1, len1), len1);
	rx2->cic++;
	CU_ASSERT_EQUAL(isup_msg_reassemble(rx, rx2), -EINVAL);
	/* an SGM for a message that is not segmented is refused */
	CU_ASSERT_EQUAL(isup_msg_reassemble(m, sgm), -EINVAL);

	/* too long for two segments */
	build_big_iam(m, 250, 250);
	p = isup_msg_opt_add(m, ISUP_PAR_APP_TRANSPORT);
	CU_ASSERT_FATAL(p != NULL);
	((struct isup_param *)p)->u.app.info_len = 250;
	CU_ASSERT_EQUAL(isup_msg_segment(m, ISUP_MTP3_SIF_MAX, first, sgm), -EMSGSIZE);
	/* ... but fine for a peer over M3UA with a larger limit */
	CU_ASSERT_EQUAL(isup_msg_segment(m, 2048, first, sgm), 0);

	/* ACM: the OBCI present keeps its other bits, in both directions */
	build_msg(m, ISUP_MSG_ACM);
	m->num_opt = 0;
	memset(m->opt, 0, sizeof(m->opt));
	{
		struct isup_param *q = isup_msg_opt_add(m, ISUP_PAR_APP_TRANSPORT);

		q->u.app.aci = 90;
		q->u.app.info_len = 185;
		q = isup_msg_opt_add(m, ISUP_PAR_OBCI);
		q->u.obci.inband = 1;
		q = isup_msg_opt_add(m, ISUP_PAR_APP_TRANSPORT);
		q->u.app.aci = 92;
		q->u.app.info_len = 100;
	}
	CU_ASSERT_EQUAL_FATAL(isup_msg_segment(m, 200, first, sgm), 1);
	p = isup_msg_param_find_c(first, ISUP_PAR_OBCI);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(p->u.obci.inband, 1);
	CU_ASSERT_EQUAL(p->u.obci.segmentation, 1);
	/* first fit: the small APP stays in the first segment */
	CU_ASSERT_EQUAL(first->num_opt, 2);
	CU_ASSERT_EQUAL(sgm->num_opt, 1);
	CU_ASSERT_EQUAL(sgm->opt[0].u.app.aci, 90);
	CU_ASSERT_EQUAL(isup_msg_reassemble(first, sgm), 0);
	p = isup_msg_param_find_c(first, ISUP_PAR_OBCI);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(p->u.obci.inband, 1);
	CU_ASSERT_EQUAL(p->u.obci.segmentation, 0);
	CU_ASSERT_EQUAL(first->num_opt, 3);

	/* 64 optional parameters and no OFCI: adding it would leave the
	 * receiver more than it can hold, so segmentation is refused */
	build_big_iam(m, 100, 100);
	while (m->num_opt < ISUP_MAX_OPT) {
		struct isup_param *q = isup_msg_opt_add(m, 0x31);

		CU_ASSERT_FATAL(q != NULL);
		q->u.opaque.len = 1;
	}
	CU_ASSERT_EQUAL(isup_msg_segment(m, ISUP_MTP3_SIF_MAX, first, sgm), -EMSGSIZE);

	/* REL cannot be segmented */
	build_msg(m, ISUP_MSG_REL);
	m->num_opt = 0;
	memset(m->opt, 0, sizeof(m->opt));
	{
		struct isup_param *q = isup_msg_opt_add(m, 0x20);

		q->u.opaque.len = 250;
		q = isup_msg_opt_add(m, 0x21);
		q->u.opaque.len = 50;
	}
	CU_ASSERT_EQUAL(isup_msg_segment(m, ISUP_MTP3_SIF_MAX, first, sgm), -EMSGSIZE);
	CU_ASSERT_EQUAL(isup_msg_segment(m, 4, first, sgm), -EINVAL);

	free(m);
	free(first);
	free(sgm);
	free(rx);
	free(rx2);
}

static const struct cunit_test tests[] = {
	{ "vectors decode and re-encode byte-exact", test_vectors_roundtrip },
	{ "IAM fields", test_iam_fields },
	{ "fields of other messages", test_other_fields },
	{ "every prefix fails", test_truncation },
	{ "every bit flipped", test_bitflip },
	{ "malformed messages", test_malformed },
	{ "decode(encode(x)) == x for every type", test_build_roundtrip },
	{ "encoder rejects invalid fields", test_encode_invalid },
	{ "BCD digits", test_digits },
	{ "unrecognized messages and parameters", test_unrecognized },
	{ "segmentation and reassembly", test_segmentation },
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "isup", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "isup_test",
	.log = CUNIT_LOG_STDERR,
	.suites = suites,
};
