/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of ss7/sccp.c (Q.713 codec and XUDT segmentation),
 * ss7/sccp_reasm.c (Q.714 reassembly) and ss7/sccp_user.c (the SI 3 user):
 * vectors from other stacks, round trips of every message type and global
 * title type, every prefix and every flipped bit, address rewriting,
 * segmentation and reassembly with its bounds and timer, the message return
 * procedure, and the SI 3 binding on a libosmo-sigtran cs7 instance.
 *
 * Independent vectors: SCCP octets encoded by stacks not written here,
 * checked against the fields their authors state.
 *   [OSMO]  osmocom/libosmo-sccp tests/sccp/sccp_test.c (bssmap_reset,
 *           bssmap_reset_ack, bssmap_paging, bssmap_udt, tcap_global_title)
 *   [XUA]   osmocom/libosmo-sigtran tests/xua/xua_test.c (addr_bin0..2 and
 *           the expected octets of enc_cases: party addresses only)
 *   [JSS7D] RestComm/jss7 sccp/sccp-impl/src/test/java/org/mobicents/protocols/
 *           ss7/sccp/impl/message/SccpDataMessageTest.java (getDataUdt,
 *           getDataUdt1, getDataXudt, getDataXudt1..3)
 *   [JSS7N] RestComm/jss7 .../message/SccpNoticeMessageTest.java (getDataUdtS,
 *           getDataXudt1)
 *   [JSS7S] RestComm/jss7 .../message/MessageSegmentationTest.java
 *           (getDataSegm1..3: 600 octets in three XUDT segments)
 *   [OTC]   sebastiw/otc test/otc_sccp_codec_tests.erl (udt, xudt,
 *           xudt_opt_segmentation, udts, xudts, xudts_arbitrary_pointers)
 * The same octets seed the fuzz corpus (tests/fuzz/corpus/sccp/SOURCES). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <osmocom/core/application.h>
#include <osmocom/core/msgb.h>
#include <osmocom/core/prim.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/timer_compat.h>
#include <osmocom/core/utils.h>
#include <osmocom/sigtran/mtp_sap.h>
#include <osmocom/sigtran/osmo_ss7.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/sccp.h"
#include "ss7/sccp_reasm.h"
#include "ss7/sccp_user.h"
#include "tests/cunit_main.h"

#define BUF_MAX 4096

static void *test_ctx;

/* Expected fields of a party address */
struct want_addr {
	uint8_t ri;
	int pc;			/* -1: none */
	int ssn;		/* -1: none */
	uint8_t gti;
	uint8_t tt, np, nai;
	const char *digits;	/* with gti != 0 */
};

#define NO_SEG	.seg_rem = -1
#define NO_IMP	.importance = -1

static const struct vector {
	const char *name;
	const char *hex;
	uint8_t type;
	uint8_t pclass;
	bool ret;
	uint8_t cause;
	uint8_t hop;
	struct want_addr called, calling;
	size_t data_len;
	const char *data_prefix;	/* the first data octets */
	int seg_first, seg_class, seg_rem;
	uint32_t seg_ref;
	int importance;
	const char *reencoded;		/* our encoding when it differs: parameters in Q.713 order */
} vectors[] = {
	{ "[OSMO] bssmap_reset: UDT, SSN 254 both ways",
	  "09000305070242fe0242fe06000430040120",
	  SCCP_MSGT_UDT, 0, false, 0, 0,
	  { SCCP_RI_SSN, -1, 254 }, { SCCP_RI_SSN, -1, 254 },
	  6, "000430040120", NO_SEG, NO_IMP },
	{ "[OSMO] bssmap_reset_ack: UDT, PC and SSN",
	  "090003070b044301 00fe04435c00fe03000131",
	  SCCP_MSGT_UDT, 0, false, 0, 0,
	  { SCCP_RI_SSN, 1, 254 }, { SCCP_RI_SSN, 92, 254 },
	  3, "000131", NO_SEG, NO_IMP },
	{ "[OSMO] bssmap_paging",
	  "090003070b04430100fe04435c00fe10000e52080829471002013197611a0106",
	  SCCP_MSGT_UDT, 0, false, 0, 0,
	  { SCCP_RI_SSN, 1, 254 }, { SCCP_RI_SSN, 92, 254 },
	  16, "000e5208", NO_SEG, NO_IMP },
	{ "[OSMO] bssmap_udt: paging without PC",
	  "09000305070242fe0242fe10000e52080829471002013197611a0106",
	  SCCP_MSGT_UDT, 0, false, 0, 0,
	  { SCCP_RI_SSN, -1, 254 }, { SCCP_RI_SSN, -1, 254 },
	  16, "000e5208", NO_SEG, NO_IMP },
	{ "[OSMO] tcap_global_title: UDT class 1 with return, GTI 4 both ways",
	  "0981030d180a120700120453840900170b12060012044487200020659a6581974804260001984904510103df6c8188a1"
	  "81850201440201073080a780a08004012b30803012830110840107850791445776671697860120300682011884010400"
	  "000000a306040142840105a306040151840105a306040131840105a309040112840105820102a30904011184010581"
	  "0101a306040114840100a30b0401418401043003830110a30b040141840104300382011800000000",
	  SCCP_MSGT_UDT, 1, true, 0, 0,
	  { SCCP_RI_GT, -1, 7, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 4, "3548900071" },
	  { SCCP_RI_GT, -1, 6, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 4, "447802000256" },
	  154, "6581974804", NO_SEG, NO_IMP },
	{ "[JSS7D] getDataUdt: UDT class 1 from a Dialogic MTU trace",
	  "090103050902420804430100085d625b4804000200306b1a2818060700118605010101a00d600ba109060704000001"
	  "0019026c37a13502010102012e302d800589674523f18406a121436587f9041c2c090421436587f904001130926060"
	  "62000bc8329bfd065ddf723619",
	  SCCP_MSGT_UDT, 1, false, 0, 0,
	  { SCCP_RI_SSN, -1, 8 }, { SCCP_RI_SSN, 1, 8 },
	  93, "625b4804", NO_SEG, NO_IMP },
	{ "[JSS7D] getDataUdt1: UDT carrying SCMG",
	  "09000305090242010443010001050308020000",
	  SCCP_MSGT_UDT, 0, false, 0, 0,
	  { SCCP_RI_SSN, -1, 1 }, { SCCP_RI_SSN, 1, 1 },
	  5, "0308020000", NO_SEG, NO_IMP },
	{ "[JSS7D] getDataXudt: XUDT from a trace, called address after the data",
	  "11810f2b030f000c120800110432843000808100196417490303b5d76c10a20e020101300902012c30040402"
	  "00000c120800110432843000008400",
	  SCCP_MSGT_XUDT, 1, true, 0, 15,
	  { SCCP_RI_GT, -1, 8, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 4, "2348030000480" },
	  { SCCP_RI_GT, -1, 8, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 4, "2348030008180" },
	  25, "64174903", NO_SEG, NO_IMP,
	  "11810f04101c000c1208001104328430000084000c120800110432843000808100196417490303b5d76c10a20e02"
	  "0101300902012c300404020000" },
	{ "[JSS7D] getDataXudt1: XUDT with segmentation and importance",
	  "11810f04060a0f0242080443010006050b0c0d0e0f1004c2640000120107 00",
	  SCCP_MSGT_XUDT, 1, true, 0, 15,
	  { SCCP_RI_SSN, -1, 8 }, { SCCP_RI_SSN, 1, 6 },
	  5, "0b0c0d0e0f", 1, 1, 2, 100, 7 },
	{ "[JSS7D] getDataXudt2: XUDT with importance only",
	  "11810f04060a0f0242080443010006050b0c0d0e0f12010700",
	  SCCP_MSGT_XUDT, 1, true, 0, 15,
	  { SCCP_RI_SSN, -1, 8 }, { SCCP_RI_SSN, 1, 6 },
	  5, "0b0c0d0e0f", NO_SEG, .importance = 7 },
	{ "[JSS7D] getDataXudt3: XUDT without optional part",
	  "11810f04060a000242080443010006050b0c0d0e0f",
	  SCCP_MSGT_XUDT, 1, true, 0, 15,
	  { SCCP_RI_SSN, -1, 8 }, { SCCP_RI_SSN, 1, 6 },
	  5, "0b0c0d0e0f", NO_SEG, NO_IMP },
	{ "[JSS7N] getDataUdtS: UDTS, no translation for an address of such nature",
	  "0a00030d110a529200110499999999090403be069283658180480400000001490400173a266b2a28280607001186"
	  "05010101a01d611b80020780a109060704000001003201a203020100a305a1030201006c46a13c020102020117"
	  "3034a032300680010e810101300680010d810101300b800111810101a203800101300b800111810101a2038001"
	  "023006800112810101a10602010302011f",
	  SCCP_MSGT_UDTS, 0, false, SCCP_RC_NO_TRANSLATION_NATURE, 0,
	  { SCCP_RI_SSN, -1, 146, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 4, "999999999" },
	  { SCCP_RI_GT, 1726, 146 },
	  131, "658180", NO_SEG, NO_IMP },
	{ "[JSS7N] getDataXudt1: XUDTS, no translation for this specific address",
	  "12010f04060a0f0242080443010006050b0c0d0e0f12010700",
	  SCCP_MSGT_XUDTS, 0, false, SCCP_RC_NO_TRANSLATION_ADDRESS, 15,
	  { SCCP_RI_SSN, -1, 8 }, { SCCP_RI_SSN, 1, 6 },
	  5, "0b0c0d0e0f", NO_SEG, .importance = 7 },
	{ "[OTC] udt: class 0 with return, GTI 4 even and odd",
	  "0980030e190b12080012046427112211220b1206001108642789786706180102030405060708090a0b0c0d0e0f10"
	  "1112131415161718",
	  SCCP_MSGT_UDT, 0, true, 0, 0,
	  { SCCP_RI_GT, -1, 8, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 4, "467211221122" },
	  { SCCP_RI_GT, -1, 6, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 8, "46729887766" },
	  24, "01020304", NO_SEG, NO_IMP },
	{ "[OTC] xudt",
	  "11810f040f1a000b12080012046427112211220b1206001108642789786706180102030405060708090a0b0c0d0e"
	  "0f101112131415161718",
	  SCCP_MSGT_XUDT, 1, true, 0, 15,
	  { SCCP_RI_GT, -1, 8, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 4, "467211221122" },
	  { SCCP_RI_GT, -1, 6, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 8, "46729887766" },
	  24, "01020304", NO_SEG, NO_IMP },
	/* otc reads bit 8 of the segmentation octet as "first" when it is 0;
	 * Q.713 §3.17 (and jSS7) say 1 means the first segment */
	{ "[OTC] xudt_opt_segmentation",
	  "11010d040f1a320b12080012046427112211220b1206001108642789786706180102030405060708090a0b0c0d0e"
	  "0f10111213141516171810040102030400",
	  SCCP_MSGT_XUDT, 1, false, 0, 13,
	  { SCCP_RI_GT, -1, 8, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 4, "467211221122" },
	  { SCCP_RI_GT, -1, 6, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 8, "46729887766" },
	  24, "01020304", 0, 0, 1, 0x040302, NO_IMP },
	{ "[OTC] udts",
	  "0a01030e190b12060011086427897867060b1208001204642711221122180102030405060708090a0b0c0d0e0f10"
	  "1112131415161718",
	  SCCP_MSGT_UDTS, 0, false, SCCP_RC_NO_TRANSLATION_ADDRESS, 0,
	  { SCCP_RI_GT, -1, 6, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 8, "46729887766" },
	  { SCCP_RI_GT, -1, 8, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 4, "467211221122" },
	  24, "01020304", NO_SEG, NO_IMP },
	{ "[OTC] xudts",
	  "12010f040f1a000b12060011086427897867060b1208001204642711221122180102030405060708090a0b0c0d0e"
	  "0f101112131415161718",
	  SCCP_MSGT_XUDTS, 0, false, SCCP_RC_NO_TRANSLATION_ADDRESS, 15,
	  { SCCP_RI_GT, -1, 6, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 8, "46729887766" },
	  { SCCP_RI_GT, -1, 8, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 4, "467211221122" },
	  24, "01020304", NO_SEG, NO_IMP },
	{ "[OTC] xudts_arbitrary_pointers: calling before called",
	  "12070f10031a000b12060011086427897867060b1208001204642711221122180102030405060708090a0b0c0d0e"
	  "0f101112131415161718",
	  SCCP_MSGT_XUDTS, 0, false, SCCP_RC_UNQUALIFIED, 15,
	  { SCCP_RI_GT, -1, 8, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 4, "467211221122" },
	  { SCCP_RI_GT, -1, 6, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 8, "46729887766" },
	  24, "01020304", NO_SEG, NO_IMP,
	  /* otc's "Expected": the same message in the usual order */
	  "12070f040f1a000b12080012046427112211220b1206001108642789786706180102030405060708090a0b0c0d0e"
	  "0f101112131415161718" },
};

/* [XUA] party addresses, encoded by libosmo-sigtran's osmo_sccp_addr_encode()
 * or taken from its parser test; each re-encodes to the same octets */
static const struct {
	const char *hex;
	bool national;
	struct want_addr a;
} addr_vectors[] = {
	{ "92060012041999967639 98", true, { SCCP_RI_GT, -1, 6, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 4, "919969679389" } },
	{ "12080012041989969299 29", false, { SCCP_RI_GT, -1, 8, SCCP_GTI_TT_NP_ES_NAI, 0, 1, 4, "919869299992" } },
	{ "42fe", false, { SCCP_RI_SSN, -1, 254 } },
	{ "410004", false, { SCCP_RI_SSN, 1024, -1 } },
	{ "41ff3f", false, { SCCP_RI_SSN, 16383, -1 } },
	{ "43ff3f5a", false, { SCCP_RI_SSN, 16383, 0x5a } },
	{ "45ff3f7f", false, { SCCP_RI_SSN, 16383, -1, SCCP_GTI_NAI, 0, 0, 0x7f, "" } },
	{ "0403", false, { SCCP_RI_GT, -1, -1, SCCP_GTI_NAI, 0, 0, 3, "" } },
	{ "0c03112103", false, { SCCP_RI_GT, -1, -1, SCCP_GTI_TT_NP_ES, 3, 1, 0, "123" } },
	{ "0c03122143", false, { SCCP_RI_GT, -1, -1, SCCP_GTI_TT_NP_ES, 3, 1, 0, "1234" } },
	{ "100312042143", false, { SCCP_RI_GT, -1, -1, SCCP_GTI_TT_NP_ES_NAI, 3, 1, 4, "1234" } },
	{ "10031204a1fb", false, { SCCP_RI_GT, -1, -1, SCCP_GTI_TT_NP_ES_NAI, 3, 1, 4, "1ABF" } },
};

/* hex with spaces allowed */
static int hex2bin(const char *hex, uint8_t *out, size_t max)
{
	char clean[2 * BUF_MAX + 1];
	size_t n = 0;
	int rc;

	for (; *hex && n < sizeof(clean) - 1; hex++) {
		if (*hex != ' ')
			clean[n++] = *hex;
	}
	clean[n] = '\0';
	rc = osmo_hexparse(clean, out, max);
	CU_ASSERT_FATAL(rc > 0);
	return rc;
}

static void check_addr(const char *name, const char *which, const struct sccp_addr *a, const struct want_addr *w)
{
	bool ok = a->ri == w->ri && a->has_pc == (w->pc >= 0) && (w->pc < 0 || a->pc == w->pc) &&
		  a->has_ssn == (w->ssn >= 0) && (w->ssn < 0 || a->ssn == w->ssn) && a->gt.gti == w->gti;

	if (ok && w->gti) {
		ok = a->gt.tt == w->tt && a->gt.np == w->np && a->gt.nai == w->nai &&
		     !strcmp(a->gt.digits, w->digits ? w->digits : "");
	}
	if (!ok) {
		char buf[128];

		fprintf(stderr, "\n  %s: %s address %s\n", name, which, sccp_addr_to_str_buf(buf, sizeof(buf), a));
	}
	CU_ASSERT(ok);
}

static bool addr_equal(const struct sccp_addr *a, const struct sccp_addr *b)
{
	return a->national == b->national && a->ri == b->ri && a->has_pc == b->has_pc &&
	       (!a->has_pc || a->pc == b->pc) && a->has_ssn == b->has_ssn && (!a->has_ssn || a->ssn == b->ssn) &&
	       a->gt.gti == b->gt.gti && a->gt.tt == b->gt.tt && a->gt.np == b->gt.np && a->gt.nai == b->gt.nai &&
	       !strcmp(a->gt.digits, b->gt.digits);
}

static bool msg_equal(const struct sccp_msg *a, const struct sccp_msg *b)
{
	return a->type == b->type && a->proto_class == b->proto_class && a->return_on_error == b->return_on_error &&
	       a->cause == b->cause && a->hop_counter == b->hop_counter &&
	       a->has_segmentation == b->has_segmentation &&
	       (!a->has_segmentation ||
		(a->seg.first == b->seg.first && a->seg.proto_class == b->seg.proto_class &&
		 a->seg.remaining == b->seg.remaining && a->seg.local_ref == b->seg.local_ref)) &&
	       a->has_importance == b->has_importance && (!a->has_importance || a->importance == b->importance) &&
	       addr_equal(&a->called, &b->called) && addr_equal(&a->calling, &b->calling) &&
	       a->data_len == b->data_len && !memcmp(a->data, b->data, a->data_len);
}

static void test_vectors(void)
{
	uint8_t in[BUF_MAX], out[BUF_MAX], want[BUF_MAX], prefix[64];
	struct sccp_msg m, m2;
	char err[160];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		const struct vector *v = &vectors[i];
		int len = hex2bin(v->hex, in, sizeof(in));
		int rc, plen;

		rc = sccp_msg_decode(&m, in, len, err, sizeof(err));
		if (rc != len)
			fprintf(stderr, "\n  %s: decode %d of %d: %s\n", v->name, rc, len, err);
		CU_ASSERT_EQUAL_FATAL(rc, len);
		CU_ASSERT_EQUAL(m.type, v->type);
		if (v->type == SCCP_MSGT_UDT || v->type == SCCP_MSGT_XUDT) {
			CU_ASSERT_EQUAL(m.proto_class, v->pclass);
			CU_ASSERT_EQUAL(m.return_on_error, v->ret);
		} else {
			CU_ASSERT_EQUAL(m.cause, v->cause);
		}
		CU_ASSERT_EQUAL(m.hop_counter, v->hop);
		check_addr(v->name, "called", &m.called, &v->called);
		check_addr(v->name, "calling", &m.calling, &v->calling);
		CU_ASSERT_EQUAL(m.data_len, v->data_len);
		plen = hex2bin(v->data_prefix, prefix, sizeof(prefix));
		CU_ASSERT(m.data_len >= (size_t)plen && !memcmp(m.data, prefix, plen));
		CU_ASSERT_EQUAL(m.has_segmentation, v->seg_rem >= 0);
		if (v->seg_rem >= 0) {
			CU_ASSERT_EQUAL(m.seg.first, v->seg_first);
			CU_ASSERT_EQUAL(m.seg.proto_class, v->seg_class);
			CU_ASSERT_EQUAL(m.seg.remaining, v->seg_rem);
			CU_ASSERT_EQUAL(m.seg.local_ref, v->seg_ref);
		}
		CU_ASSERT_EQUAL(m.has_importance, v->importance >= 0);
		if (v->importance >= 0)
			CU_ASSERT_EQUAL(m.importance, v->importance);

		/* our encoding: the same octets, or the stated canonical form */
		rc = sccp_msg_encode(out, sizeof(out), &m);
		plen = v->reencoded ? hex2bin(v->reencoded, want, sizeof(want)) : len;
		if (!v->reencoded)
			memcpy(want, in, len);
		if (rc != plen || memcmp(out, want, plen))
			fprintf(stderr, "\n  %s: re-encoded %s\n", v->name, rc > 0 ? osmo_hexdump_nospc(out, rc) : "-");
		CU_ASSERT_EQUAL(rc, plen);
		CU_ASSERT(rc == plen && !memcmp(out, want, plen));
		CU_ASSERT_EQUAL(sccp_msg_decode(&m2, out, rc, NULL, 0), rc);
		CU_ASSERT(msg_equal(&m, &m2));
	}
}

static void test_addr_vectors(void)
{
	uint8_t in[64], out[64];
	struct sccp_addr a;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(addr_vectors); i++) {
		int len = hex2bin(addr_vectors[i].hex, in, sizeof(in));
		int rc = sccp_addr_decode(&a, in, len, NULL, 0);

		CU_ASSERT_EQUAL(rc, len);
		CU_ASSERT_EQUAL(a.national, addr_vectors[i].national);
		check_addr(addr_vectors[i].hex, "vector", &a, &addr_vectors[i].a);
		rc = sccp_addr_encode(out, sizeof(out), &a);
		CU_ASSERT_EQUAL(rc, len);
		CU_ASSERT(rc == len && !memcmp(in, out, len));
	}
}

/* Messages and addresses built here: every type, every GTI, odd and even */

static void set_gt(struct sccp_addr *a, uint8_t gti, const char *digits)
{
	memset(a, 0, sizeof(*a));
	a->ri = gti ? SCCP_RI_GT : SCCP_RI_SSN;
	a->has_ssn = true;
	a->ssn = 6;
	a->gt.gti = gti;
	switch (gti) {
	case SCCP_GTI_NAI:
		a->gt.nai = SCCP_NAI_INTERNATIONAL;
		break;
	case SCCP_GTI_TT:
		a->gt.tt = 9;
		break;
	case SCCP_GTI_TT_NP_ES:
		a->gt.tt = 0;
		a->gt.np = SCCP_NP_E214;
		break;
	case SCCP_GTI_TT_NP_ES_NAI:
		a->gt.tt = 0;
		a->gt.np = SCCP_NP_E164;
		a->gt.nai = SCCP_NAI_INTERNATIONAL;
		break;
	default:
		a->has_pc = true;
		a->pc = 0x2abc;
		break;
	}
	if (gti)
		CU_ASSERT_EQUAL_FATAL(sccp_gt_set_digits(&a->gt, digits), 0);
}

static void test_build_roundtrip(void)
{
	static const uint8_t types[] = { SCCP_MSGT_UDT, SCCP_MSGT_UDTS, SCCP_MSGT_XUDT, SCCP_MSGT_XUDTS };
	/* odd and even counts; GTI 2 takes even counts only */
	static const char *const digits[] = { "4930123456", "49301234567", "", "1", "0123456789ABCDEF0123456789ABCDEF" };
	uint8_t data[255], buf[BUF_MAX], buf2[BUF_MAX];
	struct sccp_msg m, d;
	unsigned int t, g, k, n = 0;
	int rc;

	for (k = 0; k < sizeof(data); k++)
		data[k] = (uint8_t)(k * 7);
	for (t = 0; t < ARRAY_SIZE(types); t++) {
		for (g = SCCP_GTI_NONE; g <= SCCP_GTI_TT_NP_ES_NAI; g++) {
			for (k = 0; k < ARRAY_SIZE(digits); k++) {
				if (g == SCCP_GTI_TT && strlen(digits[k]) % 2)
					continue;
				memset(&m, 0, sizeof(m));
				m.type = types[t];
				set_gt(&m.called, (uint8_t)g, digits[k]);
				set_gt(&m.calling, SCCP_GTI_TT_NP_ES_NAI, "4930000000");
				m.calling.national = true;
				if (m.type == SCCP_MSGT_UDT || m.type == SCCP_MSGT_XUDT) {
					m.proto_class = (uint8_t)(k % 2);
					m.return_on_error = g % 2;
				} else {
					m.cause = (uint8_t)(k + g);
				}
				if (m.type == SCCP_MSGT_XUDT || m.type == SCCP_MSGT_XUDTS) {
					m.hop_counter = (uint8_t)(1 + k + g);
					m.has_importance = k % 2;
					m.importance = 5;
					m.has_segmentation = g % 2;
					m.seg = (struct sccp_segmentation){ .first = true, .proto_class = 1,
									    .remaining = 15, .local_ref = 0xabcdef };
				}
				m.data = data;
				m.data_len = 1 + (k * 50) % 200;
				rc = sccp_msg_encode(buf, sizeof(buf), &m);
				CU_ASSERT_FATAL(rc > 0);
				CU_ASSERT_EQUAL(sccp_msg_decode(&d, buf, rc, NULL, 0), rc);
				CU_ASSERT(msg_equal(&m, &d));
				CU_ASSERT_EQUAL(sccp_msg_encode(buf2, sizeof(buf2), &d), rc);
				CU_ASSERT(!memcmp(buf, buf2, rc));
				n++;
			}
		}
	}
	CU_ASSERT(n > 70);
}

/* Q.713 §3.4.2.3: BCD digits, the first in bits 1-4, a filler after an odd count */
static void test_digits(void)
{
	uint8_t buf[64];
	struct sccp_addr a, d;
	int rc;

	set_gt(&a, SCCP_GTI_TT_NP_ES_NAI, "12345");
	rc = sccp_addr_encode(buf, sizeof(buf), &a);
	CU_ASSERT_EQUAL(rc, 8);
	/* AI: GTI 4, SSN; SSN 6; TT 0; NP 1 ES 1 (odd); NAI 4; 21 43 05 */
	CU_ASSERT(!memcmp(buf, "\x12\x06\x00\x11\x04\x21\x43\x05", 8));
	set_gt(&a, SCCP_GTI_TT_NP_ES_NAI, "123456");
	rc = sccp_addr_encode(buf, sizeof(buf), &a);
	CU_ASSERT_EQUAL(rc, 8);
	CU_ASSERT(!memcmp(buf, "\x12\x06\x00\x12\x04\x21\x43\x65", 8));
	set_gt(&a, SCCP_GTI_NAI, "123");
	rc = sccp_addr_encode(buf, sizeof(buf), &a);
	CU_ASSERT_EQUAL(rc, 5);
	/* GTI 1: odd/even in bit 8 of the NAI octet */
	CU_ASSERT(!memcmp(buf, "\x06\x06\x84\x21\x03", 5));

	/* a filler that is not 0 is not a digit */
	CU_ASSERT_EQUAL(sccp_addr_decode(&d, (const uint8_t *)"\x12\x06\x00\x11\x04\x21\x43\xf5", 8, NULL, 0), 8);
	CU_ASSERT_STRING_EQUAL(d.gt.digits, "12345");
	/* GTI 2 has no odd/even indicator: every nibble is a digit */
	CU_ASSERT_EQUAL(sccp_addr_decode(&d, (const uint8_t *)"\x08\x09\x21\x03", 4, NULL, 0), 4);
	CU_ASSERT_STRING_EQUAL(d.gt.digits, "1230");
	set_gt(&a, SCCP_GTI_TT, "123");
	CU_ASSERT_EQUAL(sccp_addr_encode(buf, sizeof(buf), &a), -EINVAL);

	/* odd count, no digit octets; more than 32 digits; reserved GTI and ES */
	CU_ASSERT_EQUAL(sccp_addr_decode(&d, (const uint8_t *)"\x10\x00\x11\x04", 4, NULL, 0), -EBADMSG);
	memset(buf, 0x11, sizeof(buf));
	buf[0] = 0x10;
	buf[2] = 0x12;
	CU_ASSERT_EQUAL(sccp_addr_decode(&d, buf, 4 + 17, NULL, 0), -EBADMSG);
	CU_ASSERT_EQUAL(sccp_addr_decode(&d, buf, 4 + 16, NULL, 0), 20);
	CU_ASSERT_EQUAL(strlen(d.gt.digits), 32);
	CU_ASSERT_EQUAL(sccp_addr_decode(&d, (const uint8_t *)"\x14\x00\x12\x04\x21", 5, NULL, 0), -ENOTSUP);
	CU_ASSERT_EQUAL(sccp_addr_decode(&d, (const uint8_t *)"\x10\x00\x13\x04\x21", 5, NULL, 0), -ENOTSUP);
	CU_ASSERT_EQUAL(sccp_addr_decode(&d, (const uint8_t *)"\x42\x08\x00", 3, NULL, 0), -EBADMSG);

	/* the encoder refuses what it cannot write */
	CU_ASSERT_EQUAL(sccp_gt_set_digits(&a.gt, "12x4"), -EINVAL);
	CU_ASSERT_EQUAL(sccp_gt_set_digits(&a.gt, "123456789012345678901234567890123"), -EINVAL);
	set_gt(&a, SCCP_GTI_NONE, "");
	a.pc = 0x4000;
	CU_ASSERT_EQUAL(sccp_addr_encode(buf, sizeof(buf), &a), -EINVAL);
	set_gt(&a, SCCP_GTI_TT_NP_ES_NAI, "1");
	strcpy(a.gt.digits, "1g");
	CU_ASSERT_EQUAL(sccp_addr_encode(buf, sizeof(buf), &a), -EINVAL);
}

/* Every prefix of every vector fails: there is no valid shorter message. */
static void test_truncation(void)
{
	struct sccp_msg m;
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		uint8_t in[BUF_MAX];
		int len = hex2bin(vectors[i].hex, in, sizeof(in));

		for (n = 0; n < (unsigned int)len; n++) {
			/* an exact-size copy, so that ASAN sees a read past the end */
			uint8_t *cut = malloc(n ? n : 1);
			int rc;

			CU_ASSERT_FATAL(cut != NULL);
			memcpy(cut, in, n);
			rc = sccp_msg_decode(&m, cut, n, NULL, 0);
			if (rc >= 0)
				fprintf(stderr, "\n  %s: prefix %u decoded\n", vectors[i].name, n);
			CU_ASSERT(rc == -EBADMSG);
			free(cut);
		}
	}
	for (i = 0; i < ARRAY_SIZE(addr_vectors); i++) {
		uint8_t in[64];
		int len = hex2bin(addr_vectors[i].hex, in, sizeof(in));
		struct sccp_addr a;

		for (n = 0; n < (unsigned int)len; n++) {
			uint8_t *cut = malloc(n ? n : 1);
			int rc;

			CU_ASSERT_FATAL(cut != NULL);
			memcpy(cut, in, n);
			rc = sccp_addr_decode(&a, cut, n, NULL, 0);
			/* an address with digits may be shorter and valid:
			 * one digit octet less is still a (shorter) number */
			if (addr_vectors[i].a.gti == SCCP_GTI_NONE || n < 2)
				CU_ASSERT(rc < 0);
			CU_ASSERT(rc < 0 || rc == (int)n);
			free(cut);
		}
	}
}

/* Flip every bit of every vector: decode or fail cleanly; what decodes
 * re-encodes, and the re-encoding decodes to the same message. */
static void test_bitflip(void)
{
	uint8_t out[BUF_MAX];
	struct sccp_msg m1, m2;
	unsigned int i, decoded = 0, failed = 0;
	int bit;

	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		uint8_t in[BUF_MAX];
		int len = hex2bin(vectors[i].hex, in, sizeof(in));

		for (bit = 0; bit < len * 8; bit++) {
			uint8_t *buf = malloc(len);
			int rc, rc2;

			CU_ASSERT_FATAL(buf != NULL);
			memcpy(buf, in, len);
			buf[bit / 8] ^= 1 << (bit % 8);
			rc = sccp_msg_decode(&m1, buf, len, NULL, 0);
			if (rc < 0) {
				CU_ASSERT(rc == -EBADMSG || rc == -ENOTSUP);
				failed++;
				free(buf);
				continue;
			}
			CU_ASSERT_EQUAL(rc, len);
			decoded++;
			rc = sccp_msg_encode(out, sizeof(out), &m1);
			if (rc > 0) {
				rc2 = sccp_msg_decode(&m2, out, rc, NULL, 0);
				CU_ASSERT_EQUAL(rc2, rc);
				CU_ASSERT(msg_equal(&m1, &m2));
			} else {
				/* only GTI 2 with an odd count cannot be written back */
				CU_ASSERT_EQUAL(rc, -EINVAL);
			}
			free(buf);
		}
	}
	CU_ASSERT(decoded > 0);
	CU_ASSERT(failed > 0);
}

static void test_malformed(void)
{
	static const struct {
		const char *hex;
		int rc;
	} bad[] = {
		{ "", -EBADMSG },
		{ "01010203", -ENOTSUP },			/* CR: connection-oriented */
		{ "13000f0700080009000a00000242080242080101", -ENOTSUP },	/* LUDT */
		{ "0902030507 0242fe0242fe01aa", -EBADMSG },	/* protocol class 2 */
		{ "0900000507 0242fe0242fe01aa", -EBADMSG },	/* pointer 0 */
		{ "0900010507 0242fe0242fe01aa", -EBADMSG },	/* pointer into the pointers */
		{ "0900030507 0242fe0242fe00", -EBADMSG },	/* empty data */
		{ "0900030540 0242fe0242fe01aa", -EBADMSG },	/* pointer beyond the end */
		{ "0900030507 0042fe0242fe01aa", -EBADMSG },	/* empty address */
		{ "110000040608 00 024208024208 01aa", -EBADMSG },	/* hop counter 0 */
		{ "110010040608 00 024208024208 01aa", -EBADMSG },	/* hop counter 16 */
		{ "11000f040608 09 024208024208 01aa 1004c2640000", -EBADMSG },	/* no end of optional parameters */
		{ "11000f040608 09 024208024208 01aa 1004c26400", -EBADMSG },	/* segmentation truncated */
		{ "11000f040608 09 024208024208 01aa 1003c26400 00", -EBADMSG },	/* segmentation length 3 */
		{ "11000f040608 09 024208024208 01aa 120107120107 00", -EBADMSG },	/* importance twice */
		{ "11000f040608 09 024208024208 01aa 12020707 00", -EBADMSG },	/* importance length 2 */
		{ "11000f040608 09 024208024208 01aa 10", -EBADMSG },	/* optional length missing */
		{ "11000f040608 30 024208024208 01aa 00", -EBADMSG },	/* optional part beyond the end */
		{ "0900030204 0242fe 01aa", -EBADMSG },		/* called and calling overlap */
		{ "11000f040608 08 024208 024208 0100", -EBADMSG },	/* optional part inside the data */
		{ "0900030508 0242fe 03120011 01aa", -EBADMSG },	/* calling GT truncated */
	};
	static const struct {
		const char *hex;
		const char *digits;
	} good[] = {
		/* unknown optional parameters are skipped */
		{ "11000f040608 09 024208024208 01aa 1302aabb 120103 00", NULL },
		/* parameters may leave gaps */
		{ "0900040608 ff0242fe0242fe01aa", NULL },
	};
	uint8_t in[BUF_MAX];
	struct sccp_msg m;
	char err[160];
	unsigned int i;
	int len;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		len = strlen(bad[i].hex) ? hex2bin(bad[i].hex, in, sizeof(in)) : 0;
		err[0] = '\0';
		CU_ASSERT_EQUAL(sccp_msg_decode(&m, in, len, err, sizeof(err)), bad[i].rc);
		/* and says what is wrong */
		CU_ASSERT(err[0] != '\0');
	}
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		len = hex2bin(good[i].hex, in, sizeof(in));
		CU_ASSERT_EQUAL(sccp_msg_decode(&m, in, len, err, sizeof(err)), len);
	}
	CU_ASSERT(m.data_len == 1 && m.data[0] == 0xaa);
	len = hex2bin(good[0].hex, in, sizeof(in));
	CU_ASSERT_EQUAL(sccp_msg_decode(&m, in, len, NULL, 0), len);
	CU_ASSERT(m.has_importance && m.importance == 3 && !m.has_segmentation);
	/* the error text names the field */
	len = hex2bin(bad[9].hex, in, sizeof(in));
	sccp_msg_decode(&m, in, len, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "hop counter 0"));
	len = hex2bin(bad[ARRAY_SIZE(bad) - 1].hex, in, sizeof(in));
	sccp_msg_decode(&m, in, len, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "calling party address: global title"));
}

static void test_encode_errors(void)
{
	uint8_t data[300], buf[BUF_MAX];
	struct sccp_msg m = { 0 };
	int len, n;

	memset(data, 0x5a, sizeof(data));
	m.type = SCCP_MSGT_UDT;
	set_gt(&m.called, SCCP_GTI_TT_NP_ES_NAI, "4930123456");
	set_gt(&m.calling, SCCP_GTI_TT_NP_ES_NAI, "4930000000");
	m.data = data;
	m.data_len = 100;
	len = sccp_msg_encode(buf, sizeof(buf), &m);
	CU_ASSERT(len > 100);
	/* every buffer that is too small */
	for (n = 0; n < len; n++)
		CU_ASSERT_EQUAL(sccp_msg_encode(buf, n, &m), -ENOSPC);
	m.data_len = 256;
	CU_ASSERT_EQUAL(sccp_msg_encode(buf, sizeof(buf), &m), -EMSGSIZE);
	m.data_len = 0;
	CU_ASSERT_EQUAL(sccp_msg_encode(buf, sizeof(buf), &m), -EINVAL);
	m.data_len = 10;
	m.proto_class = 2;
	CU_ASSERT_EQUAL(sccp_msg_encode(buf, sizeof(buf), &m), -EINVAL);
	m.proto_class = 0;
	m.has_importance = true;	/* not in a UDT */
	CU_ASSERT_EQUAL(sccp_msg_encode(buf, sizeof(buf), &m), -EINVAL);
	m.has_importance = false;
	m.type = SCCP_MSGT_XUDT;
	CU_ASSERT_EQUAL(sccp_msg_encode(buf, sizeof(buf), &m), -EINVAL);	/* hop counter 0 */
	m.hop_counter = 16;
	CU_ASSERT_EQUAL(sccp_msg_encode(buf, sizeof(buf), &m), -EINVAL);
	m.hop_counter = 15;
	m.has_segmentation = true;
	m.seg.local_ref = 0x1000000;
	CU_ASSERT_EQUAL(sccp_msg_encode(buf, sizeof(buf), &m), -EINVAL);
	m.seg.local_ref = 1;
	m.seg.remaining = 16;
	CU_ASSERT_EQUAL(sccp_msg_encode(buf, sizeof(buf), &m), -EINVAL);
	m.seg.remaining = 0;
	CU_ASSERT(sccp_msg_encode(buf, sizeof(buf), &m) > 0);
	/* XUDT with an optional part: its one-octet pointer bounds the data */
	n = sccp_msg_max_data(&m, 4096);
	CU_ASSERT(n > 200 && n < 255);
	m.data_len = (size_t)n;
	CU_ASSERT(sccp_msg_encode(buf, sizeof(buf), &m) > 0);
	m.data_len = (size_t)n + 1;
	CU_ASSERT_EQUAL(sccp_msg_encode(buf, sizeof(buf), &m), -EMSGSIZE);
	m.type = 0x13;
	CU_ASSERT_EQUAL(sccp_msg_encode(buf, sizeof(buf), &m), -EINVAL);
}

/* Rewriting the addresses of a received message leaves its user data (and
 * whatever signature it carries) byte for byte as it was. */
static void test_address_rewrite(void)
{
	uint8_t in[BUF_MAX], out[BUF_MAX], data[BUF_MAX];
	struct sccp_msg m, d;
	int len, rc;
	size_t data_len;

	len = hex2bin(vectors[4].hex, in, sizeof(in));	/* tcap_global_title */
	CU_ASSERT_EQUAL_FATAL(sccp_msg_decode(&m, in, len, NULL, 0), len);
	data_len = m.data_len;
	memcpy(data, m.data, data_len);

	/* a GT of another length and parity, TT, NP, RI, SSN and PC */
	CU_ASSERT_EQUAL(sccp_gt_set_digits(&m.called.gt, "491720000001"), 0);
	m.called.gt.tt = 17;
	m.called.gt.np = SCCP_NP_E214;
	m.called.ri = SCCP_RI_SSN;
	m.called.ssn = 149;
	m.called.has_pc = true;
	m.called.pc = 200;
	CU_ASSERT_EQUAL(sccp_gt_set_digits(&m.calling.gt, "4930000000123"), 0);
	rc = sccp_msg_encode(out, sizeof(out), &m);
	CU_ASSERT_FATAL(rc > 0);
	CU_ASSERT_EQUAL(sccp_msg_decode(&d, out, rc, NULL, 0), rc);
	CU_ASSERT_STRING_EQUAL(d.called.gt.digits, "491720000001");
	CU_ASSERT_EQUAL(d.called.gt.tt, 17);
	CU_ASSERT_EQUAL(d.called.gt.np, SCCP_NP_E214);
	CU_ASSERT_EQUAL(d.called.ri, SCCP_RI_SSN);
	CU_ASSERT(d.called.has_pc && d.called.pc == 200 && d.called.ssn == 149);
	CU_ASSERT_STRING_EQUAL(d.calling.gt.digits, "4930000000123");
	CU_ASSERT_EQUAL(d.called.gt.nai, SCCP_NAI_INTERNATIONAL);
	CU_ASSERT(d.return_on_error && d.proto_class == 1);
	CU_ASSERT_EQUAL(d.data_len, data_len);
	CU_ASSERT(!memcmp(d.data, data, data_len));
	/* the length changes moved the data: the pointers follow */
	CU_ASSERT_EQUAL(rc, len + 3 + 1);
}

/* Segmentation */

static void fill(uint8_t *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + seed + i / 256);
}

static void test_segmentation(void)
{
	uint8_t data[SCCP_SEGMENTED_DATA_MAX + 1], buf[BUF_MAX], joined[SCCP_SEGMENTED_DATA_MAX];
	struct sccp_msg tmpl = { 0 }, segs[SCCP_SEGMENTS_MAX], d;
	size_t lens[] = { 1, 200, 229, 230, 600, 1000, 3000, 3700 }, max_sif[] = { 272, 1000 };
	unsigned int i, j, s;
	int n, rc, chunk;

	fill(data, sizeof(data), 3);
	tmpl.type = SCCP_MSGT_UDT;
	tmpl.proto_class = 0;
	tmpl.return_on_error = true;
	set_gt(&tmpl.called, SCCP_GTI_TT_NP_ES_NAI, "491720000001");
	set_gt(&tmpl.calling, SCCP_GTI_TT_NP_ES_NAI, "493000000000");
	for (j = 0; j < ARRAY_SIZE(max_sif); j++) {
		for (i = 0; i < ARRAY_SIZE(lens); i++) {
			size_t off = 0;

			n = sccp_xudt_segment(&tmpl, data, lens[i], max_sif[j], 0x123456, segs, ARRAY_SIZE(segs));
			if (n < 0) {
				/* with two 12-digit GTs, a segment carries at most
				 * 229 octets, whatever the SIF (one-octet pointer):
				 * 3700 octets need 17 segments */
				CU_ASSERT(lens[i] == 3700 && n == -EMSGSIZE);
				continue;
			}
			CU_ASSERT(n >= 1 && n <= SCCP_SEGMENTS_MAX);
			for (s = 0; s < (unsigned int)n; s++) {
				rc = sccp_msg_encode(buf, sizeof(buf), &segs[s]);
				CU_ASSERT_FATAL(rc > 0);
				/* each fits in the SIF with its routing label */
				CU_ASSERT(rc + SCCP_MTP3_ROUTING_LABEL_LEN <= (int)max_sif[j]);
				CU_ASSERT_EQUAL(sccp_msg_decode(&d, buf, rc, NULL, 0), rc);
				CU_ASSERT_EQUAL(d.type, SCCP_MSGT_XUDT);
				CU_ASSERT_EQUAL(d.proto_class, 1);
				CU_ASSERT(d.return_on_error);
				CU_ASSERT(d.has_segmentation && d.seg.first == (s == 0));
				CU_ASSERT_EQUAL(d.seg.proto_class, 0);
				CU_ASSERT_EQUAL(d.seg.remaining, n - 1 - s);
				CU_ASSERT_EQUAL(d.seg.local_ref, 0x123456);
				CU_ASSERT_EQUAL(d.hop_counter, SCCP_HOP_COUNTER_MAX);
				/* all but the last as large as the first */
				if (s + 1 < (unsigned int)n)
					CU_ASSERT_EQUAL(d.data_len, segs[0].data_len);
				memcpy(joined + off, d.data, d.data_len);
				off += d.data_len;
			}
			CU_ASSERT_EQUAL(off, lens[i]);
			CU_ASSERT(!memcmp(joined, data, lens[i]));
		}
	}
	/* the most 16 segments carry at 272 octets, and one more */
	tmpl.type = SCCP_MSGT_XUDT;
	tmpl.has_segmentation = true;
	tmpl.hop_counter = 15;
	chunk = sccp_msg_max_data(&tmpl, 272);
	CU_ASSERT(chunk > 200);
	CU_ASSERT_EQUAL(sccp_xudt_segment(&tmpl, data, 16 * chunk, 272, 1, segs, 16), 16);
	CU_ASSERT_EQUAL(sccp_xudt_segment(&tmpl, data, 16 * chunk + 1, 272, 1, segs, 16), -EMSGSIZE);
	CU_ASSERT_EQUAL(sccp_xudt_segment(&tmpl, data, 2 * chunk + 1, 272, 1, segs, 2), -EMSGSIZE);
	CU_ASSERT_EQUAL(sccp_xudt_segment(&tmpl, data, SCCP_SEGMENTED_DATA_MAX + 1, 8192, 1, segs, 16), -EMSGSIZE);
	/* Q.714's 3952 octets: 16 segments of 247, with SSN-only addresses */
	set_gt(&tmpl.called, SCCP_GTI_NONE, "");
	set_gt(&tmpl.calling, SCCP_GTI_NONE, "");
	tmpl.called.has_pc = tmpl.calling.has_pc = false;
	tmpl.has_importance = false;
	CU_ASSERT_EQUAL(sccp_msg_max_data(&tmpl, 4096), 247);
	CU_ASSERT_EQUAL(sccp_xudt_segment(&tmpl, data, SCCP_SEGMENTED_DATA_MAX, 4096, 1, segs, 16), 16);
	set_gt(&tmpl.called, SCCP_GTI_TT_NP_ES_NAI, "491720000001");
	set_gt(&tmpl.calling, SCCP_GTI_TT_NP_ES_NAI, "493000000000");
	CU_ASSERT_EQUAL(sccp_xudt_segment(&tmpl, data, 0, 272, 1, segs, 16), -EINVAL);
	CU_ASSERT_EQUAL(sccp_xudt_segment(&tmpl, data, 10, 272, 0x1000000, segs, 16), -EINVAL);
	CU_ASSERT_EQUAL(sccp_xudt_segment(&tmpl, data, 10, 40, 1, segs, 16), -EMSGSIZE);
}

/* Reassembly, on a fake clock */

static struct {
	unsigned int n;
	struct sccp_reasm_failure last;
	uint8_t data[256];
} fails;

static void on_fail(struct sccp_reasm *r, const struct sccp_reasm_failure *f, void *priv)
{
	fails.n++;
	fails.last = *f;
	memcpy(fails.data, f->msg.data, f->msg.data_len);
	fails.last.msg.data = fails.data;
}

/* Advance the fake clock second by second, firing timers as they expire.
 * libosmocore 1.7 runs its timers on osmo_gettimeofday(), later versions on
 * the monotonic clock: both are overridden and advanced together. */
static void clock_advance(unsigned int secs)
{
	while (secs--) {
		osmo_clock_override_add(CLOCK_MONOTONIC, 1, 0);
		osmo_gettimeofday_override_add(1, 0);
		osmo_timers_prepare();
		osmo_timers_update();
	}
}

/* n segments of data[0..len) as sccp_xudt_segment() makes them */
static int make_segs(struct sccp_msg *segs, const uint8_t *data, size_t len, uint32_t ref, const char *calling,
		     bool ret)
{
	struct sccp_msg tmpl = { 0 };

	tmpl.type = SCCP_MSGT_UDT;
	tmpl.return_on_error = ret;
	set_gt(&tmpl.called, SCCP_GTI_TT_NP_ES_NAI, "491720000001");
	set_gt(&tmpl.calling, SCCP_GTI_TT_NP_ES_NAI, calling);
	return sccp_xudt_segment(&tmpl, data, len, 272, ref, segs, SCCP_SEGMENTS_MAX);
}

static const struct sccp_reasm_cfg reasm_cfg = { .max_octets = 3952, .max_segments = 16, .max_parallel = 4 };

static void check_whole(const struct sccp_msg *out, const uint8_t *data, size_t len)
{
	CU_ASSERT_EQUAL(out->type, SCCP_MSGT_XUDT);
	CU_ASSERT_FALSE(out->has_segmentation);
	CU_ASSERT_EQUAL(out->proto_class, 0);	/* the C bit */
	CU_ASSERT_STRING_EQUAL(out->called.gt.digits, "491720000001");
	CU_ASSERT_EQUAL(out->data_len, len);
	CU_ASSERT(out->data_len == len && !memcmp(out->data, data, len));
}

static void test_reasm_orders(void)
{
	uint8_t data[1200];
	struct sccp_msg segs[SCCP_SEGMENTS_MAX], out;
	struct sccp_reasm *r = sccp_reasm_alloc(test_ctx, &reasm_cfg, on_fail, NULL);
	int n, i, rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	memset(&fails, 0, sizeof(fails));
	fill(data, sizeof(data), 1);
	n = make_segs(segs, data, sizeof(data), 7, "493000000000", false);
	CU_ASSERT_FATAL(n == 6);

	/* in order */
	for (i = 0; i < n; i++) {
		rc = sccp_reasm_feed(r, 100, 3, &segs[i], &out);
		CU_ASSERT_EQUAL(rc, i + 1 < n ? 0 : 1);
	}
	check_whole(&out, data, sizeof(data));
	CU_ASSERT_EQUAL(sccp_reasm_count(r), 0);

	/* reversed: the first arrives last */
	for (i = n - 1; i >= 0; i--) {
		rc = sccp_reasm_feed(r, 100, 3, &segs[i], &out);
		CU_ASSERT_EQUAL(rc, i > 0 ? 0 : 1);
	}
	check_whole(&out, data, sizeof(data));

	/* shuffled, with every segment twice: copies are ignored */
	{
		static const int order[] = { 3, 3, 0, 5, 0, 1, 5, 4, 2 };

		for (i = 0; i < (int)ARRAY_SIZE(order); i++) {
			rc = sccp_reasm_feed(r, 100, 3, &segs[order[i]], &out);
			CU_ASSERT_EQUAL(rc, i + 1 < (int)ARRAY_SIZE(order) ? 0 : 1);
		}
		check_whole(&out, data, sizeof(data));
	}
	/* a copy arriving after completion starts over and times out */
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 3, &segs[2], &out), 0);
	CU_ASSERT_EQUAL(sccp_reasm_count(r), 1);
	CU_ASSERT_EQUAL(fails.n, 0);
	clock_advance(9);
	CU_ASSERT_EQUAL(fails.n, 0);
	clock_advance(1);
	CU_ASSERT_EQUAL(fails.n, 1);
	CU_ASSERT_EQUAL(fails.last.reason, SCCP_REASM_FAIL_TIMEOUT);
	CU_ASSERT_EQUAL(sccp_reasm_count(r), 0);

	/* a single-segment message completes at once */
	n = make_segs(segs, data, 100, 8, "493000000000", false);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 3, &segs[0], &out), 1);
	check_whole(&out, data, 100);
	sccp_reasm_free(r);
}

static void test_reasm_failures(void)
{
	uint8_t data[1200], other[1200];
	struct sccp_msg segs[SCCP_SEGMENTS_MAX], segs2[SCCP_SEGMENTS_MAX], bad, out;
	struct sccp_reasm *r = sccp_reasm_alloc(test_ctx, &reasm_cfg, on_fail, NULL);
	struct sccp_reasm_cfg small = { .max_octets = 500, .max_segments = 3, .max_parallel = 2 };
	int n, i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	memset(&fails, 0, sizeof(fails));
	fill(data, sizeof(data), 1);
	fill(other, sizeof(other), 2);
	n = make_segs(segs, data, sizeof(data), 9, "493000000000", true);
	CU_ASSERT_FATAL(n == 6);

	/* missing segment: T(reassembly) ends it, reporting the first segment */
	for (i = 0; i < n; i++) {
		if (i != 3)
			CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[i], &out), 0);
	}
	clock_advance(10);
	CU_ASSERT_EQUAL(fails.n, 1);
	CU_ASSERT_EQUAL(fails.last.reason, SCCP_REASM_FAIL_TIMEOUT);
	CU_ASSERT_EQUAL(fails.last.opc, 100);
	CU_ASSERT_EQUAL(fails.last.held, 5);
	CU_ASSERT(fails.last.msg.seg.first && fails.last.msg.return_on_error);
	CU_ASSERT(!memcmp(fails.last.msg.data, data, segs[0].data_len));
	/* ... and the late segment cannot complete anything */
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[3], &out), 0);
	clock_advance(10);
	CU_ASSERT_EQUAL(fails.n, 2);
	CU_ASSERT_FALSE(fails.last.msg.seg.first);	/* the first never came */

	/* a repeated segment with other data */
	n = make_segs(segs2, other, sizeof(other), 9, "493000000000", true);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[0], &out), 0);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[1], &out), 0);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs2[1], &out), -EBADMSG);
	CU_ASSERT_EQUAL(fails.n, 3);
	CU_ASSERT_EQUAL(fails.last.reason, SCCP_REASM_FAIL_INCONSISTENT);
	CU_ASSERT_EQUAL(sccp_reasm_count(r), 0);

	/* two first segments with different counts */
	bad = segs[0];
	bad.seg.remaining = 3;
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[0], &out), 0);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &bad, &out), -EBADMSG);
	/* a segment beyond the count of the first, before and after it */
	bad = segs[1];
	bad.seg.remaining = 7;
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[0], &out), 0);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &bad, &out), -EBADMSG);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &bad, &out), 0);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[0], &out), -EBADMSG);
	/* another C bit */
	bad = segs[2];
	bad.seg.proto_class = 1;
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[0], &out), 0);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &bad, &out), -EBADMSG);
	CU_ASSERT_EQUAL(fails.n, 7);
	CU_ASSERT_EQUAL(sccp_reasm_count(r), 0);

	/* the key: OPC, local reference and calling address apart */
	n = make_segs(segs2, other, sizeof(other), 9, "493000000001", true);
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[i], &out), i + 1 < n ? 0 : 1);
		if (i + 1 == n)
			check_whole(&out, data, sizeof(data));
		CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs2[i], &out), i + 1 < n ? 0 : 1);
		if (i + 1 == n)
			CU_ASSERT(!memcmp(out.data, other, sizeof(other)));
	}
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(sccp_reasm_feed(r, i % 2 ? 100 : 101, 5, &segs[i], &out), 0);
	CU_ASSERT_EQUAL(sccp_reasm_count(r), 2);
	sccp_reasm_free(r);
	CU_ASSERT_EQUAL(fails.n, 7);	/* freeing reports nothing */

	/* bounds: octets, segments, parallel reassemblies */
	r = sccp_reasm_alloc(test_ctx, &small, on_fail, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	memset(&fails, 0, sizeof(fails));
	n = make_segs(segs, data, 600, 1, "493000000000", false);
	CU_ASSERT_FATAL(n == 3);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[0], &out), 0);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[1], &out), 0);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[2], &out), -EMSGSIZE);
	CU_ASSERT_EQUAL(fails.last.reason, SCCP_REASM_FAIL_TOO_LARGE);
	n = make_segs(segs, data, 1000, 2, "493000000000", false);
	CU_ASSERT_FATAL(n == 5);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[0], &out), -EMSGSIZE);	/* 5 > 3 segments */
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[1], &out), -EMSGSIZE);	/* implies 5 */
	CU_ASSERT_EQUAL(fails.n, 3);
	CU_ASSERT_FALSE(fails.last.msg.seg.first);	/* the offending segment is reported */
	CU_ASSERT_EQUAL(sccp_reasm_count(r), 0);
	n = make_segs(segs, data, 400, 3, "493000000000", false);
	CU_ASSERT_FATAL(n == 2);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[0], &out), 0);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 101, 5, &segs[0], &out), 0);
	CU_ASSERT_EQUAL(sccp_reasm_count(r), 2);
	/* a third drops the oldest (OPC 100) */
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 102, 5, &segs[0], &out), 0);
	CU_ASSERT_EQUAL(fails.n, 4);
	CU_ASSERT_EQUAL(fails.last.reason, SCCP_REASM_FAIL_EVICTED);
	CU_ASSERT_EQUAL(fails.last.opc, 100);
	CU_ASSERT_EQUAL(sccp_reasm_count(r), 2);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 101, 5, &segs[1], &out), 1);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &segs[1], &out), 0);	/* its first is gone */
	CU_ASSERT_EQUAL(sccp_reasm_count(r), 2);
	/* no segmentation parameter */
	bad = segs[0];
	bad.has_segmentation = false;
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 100, 5, &bad, &out), -EINVAL);
	sccp_reasm_free(r);
	CU_ASSERT_PTR_NULL(sccp_reasm_alloc(test_ctx, &(struct sccp_reasm_cfg){ 3953, 16, 1 }, NULL, NULL));
	CU_ASSERT_PTR_NULL(sccp_reasm_alloc(test_ctx, &(struct sccp_reasm_cfg){ 100, 17, 1 }, NULL, NULL));
	CU_ASSERT_PTR_NULL(sccp_reasm_alloc(test_ctx, &(struct sccp_reasm_cfg){ 100, 16, 0 }, NULL, NULL));
}

/* [JSS7S]: three XUDT segments of 600 octets (i % 256) encoded by jSS7 */
static void test_reasm_jss7(void)
{
	static const char *const head[] = { "11810f04060afa0242080443020008f0", "11810f04060afa0242080443020008f0",
					    "11810f04060a82024208044302000878" };
	static const char *const tail[] = { "1004c2010000 12010700", "100441010000 12010700",
					    "100440010000 12010700" };
	static const size_t lens[] = { 240, 240, 120 };
	uint8_t msg[3][BUF_MAX], want[600];
	struct sccp_msg seg[3], out;
	struct sccp_reasm *r = sccp_reasm_alloc(test_ctx, &reasm_cfg, on_fail, NULL);
	size_t off = 0;
	int i, j, n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	for (i = 0; i < 600; i++)
		want[i] = (uint8_t)i;
	for (i = 0; i < 3; i++) {
		n = hex2bin(head[i], msg[i], sizeof(msg[i]));
		for (j = 0; j < (int)lens[i]; j++)
			msg[i][n++] = (uint8_t)(off + j);
		off += lens[i];
		n += hex2bin(tail[i], msg[i] + n, sizeof(msg[i]) - n);
		CU_ASSERT_EQUAL_FATAL(sccp_msg_decode(&seg[i], msg[i], n, NULL, 0), n);
		CU_ASSERT_EQUAL(seg[i].data_len, lens[i]);
		CU_ASSERT(seg[i].has_segmentation && seg[i].seg.proto_class == 1 && seg[i].seg.local_ref == 1);
		CU_ASSERT_EQUAL(seg[i].seg.remaining, 2 - i);
		CU_ASSERT(seg[i].has_importance && seg[i].importance == 7);
	}
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 2, 0, &seg[1], &out), 0);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 2, 0, &seg[0], &out), 0);
	CU_ASSERT_EQUAL(sccp_reasm_feed(r, 2, 0, &seg[2], &out), 1);
	CU_ASSERT_EQUAL(out.data_len, 600);
	CU_ASSERT(out.data_len == 600 && !memcmp(out.data, want, 600));
	CU_ASSERT_EQUAL(out.proto_class, 1);
	CU_ASSERT(out.return_on_error && out.has_importance && out.importance == 7);
	CU_ASSERT(out.calling.has_pc && out.calling.pc == 2 && out.called.ssn == 8);
	sccp_reasm_free(r);
}

/* The SI 3 user over a transport that keeps what it sends */

#define WIRE_MAX 64
static struct {
	unsigned int n;
	uint32_t dpc[WIRE_MAX];
	uint8_t sls[WIRE_MAX];
	uint8_t msg[WIRE_MAX][BUF_MAX];
	size_t len[WIRE_MAX];
	int fail_rc;
} wire;

static int wire_send(struct sccp_user *u, uint32_t dpc, uint8_t sls, const uint8_t *data, size_t len, void *priv)
{
	if (wire.fail_rc)
		return wire.fail_rc;
	CU_ASSERT_FATAL(wire.n < WIRE_MAX && len <= BUF_MAX);
	wire.dpc[wire.n] = dpc;
	wire.sls[wire.n] = sls;
	memcpy(wire.msg[wire.n], data, len);
	wire.len[wire.n++] = len;
	return 0;
}

static struct {
	unsigned int rx, notice;
	struct sccp_user_ind last;
	uint8_t data[BUF_MAX];
	bool return_it;
	int return_rc;
} up;

static void keep_ind(const struct sccp_user_ind *ind)
{
	up.last = *ind;
	memcpy(up.data, ind->msg.data, ind->msg.data_len);
	up.last.msg.data = up.data;
}

static void on_rx(struct sccp_user *u, const struct sccp_user_ind *ind, void *priv)
{
	up.rx++;
	keep_ind(ind);
	if (up.return_it)
		up.return_rc = sccp_user_return(u, ind, SCCP_RC_UNEQUIPPED_USER);
}

static void on_notice(struct sccp_user *u, const struct sccp_user_ind *ind, void *priv)
{
	up.notice++;
	keep_ind(ind);
}

static const struct sccp_user_cfg user_cfg = {
	.cs7_instance = 0,
	.max_sif = 272,
	.reasm = { .max_octets = 3952, .max_segments = 16, .max_parallel = 8 },
};

static void test_user(void)
{
	struct sccp_user *a = sccp_user_alloc(test_ctx, &user_cfg, wire_send, NULL, on_rx, on_notice, NULL);
	struct sccp_user *b = sccp_user_alloc(test_ctx, &user_cfg, wire_send, NULL, NULL, NULL, NULL);
	struct stiwf_mtp_addr from = { .opc = 100, .dpc = 200, .sls = 4 };
	uint8_t data[2000], in[BUF_MAX];
	struct sccp_msg m = { 0 }, d;
	unsigned int i;
	int len;

	CU_ASSERT_FATAL(a && b);
	memset(&wire, 0, sizeof(wire));
	memset(&up, 0, sizeof(up));
	fill(data, sizeof(data), 5);

	/* a UDT is delivered with its addresses, MTP label and class */
	len = hex2bin(vectors[4].hex, in, sizeof(in));
	sccp_user_rx(a, &from, in, len);
	CU_ASSERT_EQUAL(up.rx, 1);
	CU_ASSERT_EQUAL(up.last.mtp.opc, 100);
	CU_ASSERT_EQUAL(up.last.mtp.sls, 4);
	CU_ASSERT_STRING_EQUAL(up.last.msg.called.gt.digits, "3548900071");
	CU_ASSERT(up.last.msg.proto_class == 1 && up.last.msg.return_on_error && !up.last.reassembled);
	CU_ASSERT_EQUAL(up.last.msg.data_len, 154);
	CU_ASSERT_EQUAL(sccp_user_ctr_get(a, SCCP_CTR_RX_UDT), 1);

	/* without a consumer: counted and dropped */
	sccp_user_rx(b, &from, in, len);
	CU_ASSERT_EQUAL(sccp_user_ctr_get(b, SCCP_CTR_DROP_NO_USER), 1);

	/* malformed and unsupported: counted, not delivered */
	sccp_user_rx(a, &from, in, 20);
	sccp_user_rx(a, &from, (const uint8_t *)"\x01\x01\x02\x03", 4);
	CU_ASSERT_EQUAL(up.rx, 1);
	CU_ASSERT_EQUAL(sccp_user_ctr_get(a, SCCP_CTR_DROP_MALFORMED), 1);
	CU_ASSERT_EQUAL(sccp_user_ctr_get(a, SCCP_CTR_DROP_UNSUPPORTED), 1);

	/* the return procedure: a UDTS back to the OPC, addresses swapped */
	up.return_it = true;
	sccp_user_rx(a, &from, in, len);
	CU_ASSERT_EQUAL(up.return_rc, 0);
	CU_ASSERT_EQUAL_FATAL(wire.n, 1);
	CU_ASSERT_EQUAL(wire.dpc[0], 100);
	CU_ASSERT_EQUAL_FATAL(sccp_msg_decode(&d, wire.msg[0], wire.len[0], NULL, 0), (int)wire.len[0]);
	CU_ASSERT_EQUAL(d.type, SCCP_MSGT_UDTS);
	CU_ASSERT_EQUAL(d.cause, SCCP_RC_UNEQUIPPED_USER);
	CU_ASSERT_STRING_EQUAL(d.called.gt.digits, "447802000256");
	CU_ASSERT_STRING_EQUAL(d.calling.gt.digits, "3548900071");
	CU_ASSERT(d.data_len == 154 && !memcmp(d.data, up.data, 154));
	CU_ASSERT_EQUAL(sccp_user_ctr_get(a, SCCP_CTR_TX_UDTS), 1);
	/* ... and only when asked for */
	len = hex2bin(vectors[0].hex, in, sizeof(in));
	sccp_user_rx(a, &from, in, len);
	CU_ASSERT_EQUAL(up.return_rc, -EPERM);
	CU_ASSERT_EQUAL(wire.n, 1);
	up.return_it = false;

	/* a UDTS goes to the notice callback */
	sccp_user_rx(a, &from, wire.msg[0], wire.len[0]);
	CU_ASSERT_EQUAL(up.notice, 1);
	CU_ASSERT_EQUAL(up.last.msg.cause, SCCP_RC_UNEQUIPPED_USER);
	CU_ASSERT_EQUAL(sccp_user_return(a, &up.last, SCCP_RC_UNQUALIFIED), -EPERM);

	/* sending: short data in one UDT ... */
	wire.n = 0;
	m.type = SCCP_MSGT_UDT;
	m.proto_class = 1;
	m.return_on_error = true;
	set_gt(&m.called, SCCP_GTI_TT_NP_ES_NAI, "491720000001");
	set_gt(&m.calling, SCCP_GTI_TT_NP_ES_NAI, "493000000000");
	m.data = data;
	m.data_len = 200;
	CU_ASSERT_EQUAL(sccp_user_send(a, 200, 9, &m), 0);
	CU_ASSERT_EQUAL_FATAL(wire.n, 1);
	CU_ASSERT(wire.dpc[0] == 200 && wire.sls[0] == 9 && wire.msg[0][0] == SCCP_MSGT_UDT);
	/* ... long data in XUDT segments, each within the SIF, same SLS */
	m.data_len = 1500;
	CU_ASSERT_EQUAL(sccp_user_send(a, 200, 9, &m), 0);
	CU_ASSERT(wire.n > 7);
	for (i = 1; i < wire.n; i++) {
		CU_ASSERT(wire.len[i] + SCCP_MTP3_ROUTING_LABEL_LEN <= 272);
		CU_ASSERT(wire.msg[i][0] == SCCP_MSGT_XUDT && wire.sls[i] == 9);
	}
	CU_ASSERT_EQUAL(sccp_user_ctr_get(a, SCCP_CTR_TX_SEGMENT), wire.n - 1);
	/* the far end reassembles it byte for byte, class and return kept */
	up.rx = 0;
	for (i = 1; i < wire.n; i++)
		sccp_user_rx(a, &from, wire.msg[i], wire.len[i]);
	CU_ASSERT_EQUAL(up.rx, 1);
	CU_ASSERT(up.last.reassembled);
	CU_ASSERT(up.last.msg.data_len == 1500 && !memcmp(up.last.msg.data, data, 1500));
	CU_ASSERT(up.last.msg.proto_class == 1 && up.last.msg.return_on_error);
	CU_ASSERT_EQUAL(sccp_user_ctr_get(a, SCCP_CTR_RX_REASSEMBLED), 1);
	/* too long for 16 segments */
	m.data_len = 16 * 230;
	CU_ASSERT_EQUAL(sccp_user_send(a, 200, 9, &m), -EMSGSIZE);
	/* MTP refuses: counted */
	wire.fail_rc = -ENETDOWN;
	m.data_len = 10;
	CU_ASSERT_EQUAL(sccp_user_send(a, 200, 9, &m), -ENETDOWN);
	CU_ASSERT_EQUAL(sccp_user_ctr_get(a, SCCP_CTR_TX_FAILED), 1);
	wire.fail_rc = 0;

	/* a reassembly that times out goes back as XUDTS, segmentation failure */
	wire.n = 0;
	m.data_len = 600;
	CU_ASSERT_EQUAL(sccp_user_send(b, 100, 2, &m), 0);
	CU_ASSERT_EQUAL_FATAL(wire.n, 3);
	sccp_user_rx(a, &from, wire.msg[0], wire.len[0]);
	sccp_user_rx(a, &from, wire.msg[2], wire.len[2]);
	CU_ASSERT_EQUAL(sccp_user_reassembling(a), 1);
	wire.n = 0;
	clock_advance(11);
	CU_ASSERT_EQUAL(sccp_user_reassembling(a), 0);
	CU_ASSERT_EQUAL(sccp_user_ctr_get(a, SCCP_CTR_DROP_REASM_TIMEOUT), 1);
	CU_ASSERT_EQUAL_FATAL(wire.n, 1);
	CU_ASSERT_EQUAL(wire.dpc[0], 100);
	CU_ASSERT_EQUAL_FATAL(sccp_msg_decode(&d, wire.msg[0], wire.len[0], NULL, 0), (int)wire.len[0]);
	CU_ASSERT_EQUAL(d.type, SCCP_MSGT_XUDTS);
	CU_ASSERT_EQUAL(d.cause, SCCP_RC_SEGMENTATION_FAILURE);
	CU_ASSERT(d.has_segmentation && d.seg.first);
	CU_ASSERT_STRING_EQUAL(d.called.gt.digits, "493000000000");
	CU_ASSERT(!memcmp(d.data, data, d.data_len));
	/* without return option: dropped quietly */
	wire.n = 0;
	m.return_on_error = false;
	CU_ASSERT_EQUAL(sccp_user_send(b, 100, 2, &m), 0);
	sccp_user_rx(a, &from, wire.msg[1], wire.len[1]);
	wire.n = 0;
	clock_advance(11);
	CU_ASSERT_EQUAL(wire.n, 0);
	CU_ASSERT_EQUAL(sccp_user_ctr_get(a, SCCP_CTR_DROP_REASM_TIMEOUT), 2);

	sccp_user_free(a);
	sccp_user_free(b);
}

#if STIWF_SS7_USER_API == 1
/* libosmo-sigtran 1.6 lets a plain MTP user take service indicator 3 when
 * no SCCP instance exists, beside ISUP on SI 5, and hands it SI 3 traffic.
 * (Later versions keep the instance's fields and osmo_ss7_mtp_to_user()
 * to themselves.) */
static void isup_rx(struct stiwf_mtp_user *u, const struct stiwf_mtp_addr *a, const uint8_t *data, size_t len,
		    void *priv)
{
	(*(unsigned int *)priv)++;
}

static void mtp_deliver(struct osmo_ss7_instance *inst, uint8_t si, const uint8_t *data, size_t len)
{
	struct msgb *msg = msgb_alloc(sizeof(struct osmo_mtp_prim) + len + 16, "test MTP-TRANSFER.ind");
	struct osmo_mtp_prim *omp;

	CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
	omp = (struct osmo_mtp_prim *)msgb_put(msg, sizeof(*omp));
	osmo_prim_init(&omp->oph, MTP_SAP_USER, OSMO_MTP_PRIM_TRANSFER, PRIM_OP_INDICATION, msg);
	omp->u.transfer.opc = 100;
	omp->u.transfer.dpc = 200;
	omp->u.transfer.sls = 1;
	omp->u.transfer.sio = MTP_SIO(si, 0);
	msg->l2h = msgb_put(msg, len);
	memcpy(msg->l2h, data, len);
	/* the user's primitive callback frees the msgb */
	CU_ASSERT_EQUAL(osmo_ss7_mtp_to_user(inst, omp), 0);
}

static void test_si3_binding(void)
{
	struct sccp_user_cfg cfg = user_cfg;
	struct osmo_ss7_instance *inst;
	struct stiwf_mtp_user *isup;
	struct sccp_user *u, *u2;
	unsigned int isup_n = 0;
	uint8_t in[BUF_MAX];
	int len;

	CU_ASSERT_EQUAL_FATAL(osmo_ss7_init(), 0);
	inst = osmo_ss7_instance_find_or_create(test_ctx, 7);
	CU_ASSERT_PTR_NOT_NULL_FATAL(inst);
	CU_ASSERT_PTR_NULL(inst->sccp);
	isup = stiwf_mtp_user_bind(test_ctx, 7, STIWF_MTP_SI_ISUP, isup_rx, NULL, &isup_n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(isup);
	cfg.cs7_instance = 7;
	memset(&up, 0, sizeof(up));
	u = sccp_user_bind(test_ctx, &cfg, on_rx, on_notice, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	/* one user per SI */
	CU_ASSERT_PTR_NULL(sccp_user_bind(test_ctx, &cfg, on_rx, on_notice, NULL));
	cfg.cs7_instance = 8;
	CU_ASSERT_PTR_NULL(sccp_user_bind(test_ctx, &cfg, on_rx, on_notice, NULL));

	len = hex2bin(vectors[4].hex, in, sizeof(in));
	mtp_deliver(inst, STIWF_MTP_SI_SCCP, in, len);
	CU_ASSERT_EQUAL(up.rx, 1);
	CU_ASSERT_EQUAL(up.last.mtp.opc, 100);
	CU_ASSERT_STRING_EQUAL(up.last.msg.calling.gt.digits, "447802000256");
	mtp_deliver(inst, STIWF_MTP_SI_ISUP, (const uint8_t *)"\x01\x00\x10", 3);
	CU_ASSERT_EQUAL(isup_n, 1);
	CU_ASSERT_EQUAL(up.rx, 1);
	/* sending needs an active AS: there is none */
	CU_ASSERT_FALSE(sccp_user_available(u));
	CU_ASSERT_EQUAL(sccp_user_send(u, 100, 0, &up.last.msg), -ENETDOWN);

	/* unbound, SI 3 is free again */
	sccp_user_free(u);
	cfg.cs7_instance = 7;
	u2 = sccp_user_bind(test_ctx, &cfg, NULL, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(u2);
	mtp_deliver(inst, STIWF_MTP_SI_SCCP, in, len);
	CU_ASSERT_EQUAL(up.rx, 1);
	CU_ASSERT_EQUAL(sccp_user_ctr_get(u2, SCCP_CTR_DROP_NO_USER), 1);
	sccp_user_free(u2);
	stiwf_mtp_user_unbind(isup);
	osmo_ss7_instance_destroy(inst);
}
#endif

static int setup(void *root)
{
	test_ctx = talloc_named_const(root, 0, "test");
	msgb_talloc_ctx_init(root, 0);
	/* the hostile-input loops would log a lot */
	if (!getenv("SCCP_TEST_LOG"))
		log_set_log_level(osmo_stderr_target, LOGL_FATAL);
	osmo_clock_override_enable(CLOCK_MONOTONIC, true);
	osmo_gettimeofday_override = true;
	return 0;
}

static const struct cunit_test tests[] = {
	{ "vectors of other stacks decode to their fields", test_vectors },
	{ "party address vectors of libosmo-sigtran", test_addr_vectors },
	{ "decode(encode(x)) == x, every type and GTI", test_build_roundtrip },
	{ "BCD digits, odd and even", test_digits },
	{ "every prefix fails", test_truncation },
	{ "every bit flipped", test_bitflip },
	{ "malformed messages name the field", test_malformed },
	{ "encoder bounds", test_encode_errors },
	{ "address rewrite keeps the user data", test_address_rewrite },
	{ "XUDT segmentation", test_segmentation },
	{ "reassembly: in order, reversed, copies, timer", test_reasm_orders },
	{ "reassembly: failures and bounds", test_reasm_failures },
	{ "reassembly of jSS7's segments", test_reasm_jss7 },
	{ "SCCP user: delivery, return, segmenting", test_user },
#if STIWF_SS7_USER_API == 1
	{ "SI 3 on a libosmo-sigtran 1.6 cs7 instance", test_si3_binding },
#endif
	{ NULL }
};

static const struct cunit_suite suites[] = {
	{ "sccp", NULL, NULL, tests },
	{ NULL }
};

const struct cunit_program cunit_program = {
	.name = "sccp_test",
	.log = CUNIT_LOG_STDERR,
	.setup = setup,
	.suites = suites,
};
