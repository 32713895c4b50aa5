/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Prints SCCP messages as stiwf's SCCP user sends them, one per line:
 * "NAME HEX".  tests/ss7/sccp_tshark.sh has tshark decode each and compare
 * the fields with the ones set here: every message type (UDT, UDTS, XUDT,
 * XUDTS), every global title type (none, 1, 2, 3, 4; odd and even digits)
 * and an XUDT split in segments that tshark must reassemble. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/application.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "src/core/logging.h"
#include "ss7/sccp.h"
#include "ss7/sccp_user.h"

static const char *cur_name;
static unsigned int cur_seg;

static int print_send(struct sccp_user *u, uint32_t dpc, uint8_t sls, const uint8_t *data, size_t len, void *priv)
{
	if (cur_seg)
		printf("%s%u %s\n", cur_name, cur_seg++, osmo_hexdump_nospc(data, len));
	else
		printf("%s %s\n", cur_name, osmo_hexdump_nospc(data, len));
	return 0;
}

static void addr(struct sccp_addr *a, uint8_t ri, int pc, int ssn, uint8_t gti, uint8_t tt, uint8_t np,
		 uint8_t nai, const char *digits)
{
	memset(a, 0, sizeof(*a));
	a->ri = ri;
	a->has_pc = pc >= 0;
	a->pc = pc >= 0 ? (uint16_t)pc : 0;
	a->has_ssn = ssn >= 0;
	a->ssn = ssn >= 0 ? (uint8_t)ssn : 0;
	a->gt.gti = gti;
	a->gt.tt = tt;
	a->gt.np = np;
	a->gt.nai = nai;
	if (gti && sccp_gt_set_digits(&a->gt, digits) < 0)
		abort();
}

static void emit(struct sccp_user *u, const char *name, const struct sccp_msg *m)
{
	cur_name = name;
	if (sccp_user_send(u, 200, 1, m) < 0) {
		fprintf(stderr, "sccp_vectors: %s not sent\n", name);
		exit(1);
	}
}

int main(void)
{
	void *ctx = talloc_named_const(NULL, 0, "sccp_vectors");
	static const struct sccp_user_cfg cfg = {
		.max_sif = 272,
		.reasm = { .max_octets = 3952, .max_segments = 16, .max_parallel = 4 },
	};
	/* opaque user data: no dissector claims SSN 250 */
	static const uint8_t opaque[] = "stiwf SCCP user data";
	/* a TCAP Begin carrying MAP, from osmocom's libosmo-sccp tests
	 * (tcap_global_title), for the MAP SSNs */
	static const char tcap_hex[] =
		"6581974804260001984904510103df6c8188a18185020144020107308"
		"0a780a08004012b30803012830110840107850791445776671697860120300682011884010400000000a306040142840105a306040151840105a306040131840105a309040112840105820102a309040111840105810101a306040114840100a30b0401418401043003830110a30b040141840104300382011800000000";
	uint8_t tcap[256], big[700];
	struct sccp_user *u;
	struct sccp_user_ind ind = { .mtp = { .opc = 200, .dpc = 100, .sls = 1 } };
	struct sccp_msg m;
	int tcap_len;
	size_t i;

	if (stiwf_logging_init(ctx) < 0)
		return 1;
	log_set_log_level(osmo_stderr_target, LOGL_ERROR);
	u = sccp_user_alloc(ctx, &cfg, print_send, NULL, NULL, NULL, NULL);
	tcap_len = osmo_hexparse(tcap_hex, tcap, sizeof(tcap));
	if (!u || tcap_len != 154)
		return 1;
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + 1);

	/* UDT, no GT: route on PC and SSN, class 0 */
	memset(&m, 0, sizeof(m));
	m.type = SCCP_MSGT_UDT;
	addr(&m.called, SCCP_RI_SSN, 200, 250, SCCP_GTI_NONE, 0, 0, 0, NULL);
	addr(&m.calling, SCCP_RI_SSN, 100, 250, SCCP_GTI_NONE, 0, 0, 0, NULL);
	m.data = opaque;
	m.data_len = sizeof(opaque) - 1;
	emit(u, "UDT_GTI0", &m);

	/* GTI 1, odd digits; class 1 with return */
	m.proto_class = 1;
	m.return_on_error = true;
	addr(&m.called, SCCP_RI_GT, -1, 250, SCCP_GTI_NAI, 0, 0, SCCP_NAI_INTERNATIONAL, "4930123");
	addr(&m.calling, SCCP_RI_GT, -1, 250, SCCP_GTI_NAI, 0, 0, SCCP_NAI_NATIONAL, "301234");
	emit(u, "UDT_GTI1", &m);

	/* GTI 2 (TT only, even digits) */
	addr(&m.called, SCCP_RI_GT, -1, 250, SCCP_GTI_TT, 9, 0, 0, "12345678");
	addr(&m.calling, SCCP_RI_GT, 100, 250, SCCP_GTI_TT, 9, 0, 0, "8765");
	emit(u, "UDT_GTI2", &m);

	/* GTI 3: TT, NP E.214, odd and even */
	addr(&m.called, SCCP_RI_GT, -1, 250, SCCP_GTI_TT_NP_ES, 0, SCCP_NP_E214, 0, "491720012345678");
	addr(&m.calling, SCCP_RI_GT, -1, 250, SCCP_GTI_TT_NP_ES, 0, SCCP_NP_E164, 0, "4930000000");
	emit(u, "UDT_GTI3", &m);

	/* GTI 4 with MAP over TCAP: HLR called, VLR calling */
	addr(&m.called, SCCP_RI_GT, -1, 6, SCCP_GTI_TT_NP_ES_NAI, 0, SCCP_NP_E164, SCCP_NAI_INTERNATIONAL,
	     "491720000001");
	addr(&m.calling, SCCP_RI_GT, -1, 7, SCCP_GTI_TT_NP_ES_NAI, 0, SCCP_NP_E164, SCCP_NAI_INTERNATIONAL,
	     "4930000000123");
	m.data = tcap;
	m.data_len = (size_t)tcap_len;
	emit(u, "UDT_GTI4", &m);

	/* the message return procedure for that UDT: a UDTS */
	ind.msg = m;
	cur_name = "UDTS";
	if (sccp_user_return(u, &ind, SCCP_RC_UNEQUIPPED_USER) < 0)
		return 1;

	/* XUDT with hop counter and importance */
	m.type = SCCP_MSGT_XUDT;
	m.hop_counter = 12;
	m.has_importance = true;
	m.importance = 4;
	emit(u, "XUDT", &m);
	ind.msg = m;
	cur_name = "XUDTS";
	if (sccp_user_return(u, &ind, SCCP_RC_HOP_COUNTER_VIOLATION) < 0)
		return 1;

	/* 700 octets: XUDT segments for a 272-octet SIF */
	memset(&m, 0, sizeof(m));
	m.type = SCCP_MSGT_UDT;
	m.proto_class = 0;
	addr(&m.called, SCCP_RI_GT, -1, 250, SCCP_GTI_TT_NP_ES_NAI, 0, SCCP_NP_E164, SCCP_NAI_INTERNATIONAL,
	     "491720000001");
	addr(&m.calling, SCCP_RI_GT, -1, 250, SCCP_GTI_TT_NP_ES_NAI, 0, SCCP_NP_E164, SCCP_NAI_INTERNATIONAL,
	     "4930000000");
	m.data = big;
	m.data_len = sizeof(big);
	cur_seg = 1;
	emit(u, "XSEG", &m);

	sccp_user_free(u);
	log_fini();
	talloc_free(ctx);
	return 0;
}
