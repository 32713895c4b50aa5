/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Print ISUP messages built with the encoder, one per line as
 * "NAME HEX", for tests/ss7/isup_tshark.sh to hand to tshark. */

#include <stdio.h>
#include <string.h>

#include <osmocom/core/application.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/utils.h>

#include "config.h"
#include "iwf/e2e_passport.h"
#include "iwf/isup_identity.h"
#include "sip/passport.h"
#include "src/core/logging.h"
#include "ss7/isup.h"
#include "ss7/sigtoken.h"

static struct isup_msg msg;

static void number(struct isup_number *n, uint8_t nai, const char *digits)
{
	n->nai = nai;
	n->npi = 1;
	osmo_strlcpy(n->digits, digits, sizeof(n->digits));
}

static int print(const char *name)
{
	uint8_t out[1024];
	int rc = isup_msg_encode(out, sizeof(out), &msg);

	if (rc < 0) {
		fprintf(stderr, "%s: encode failed: %d\n", name, rc);
		return -1;
	}
	printf("%s %s\n", name, osmo_hexdump_nospc(out, rc));
	return 0;
}

/* IAM, CIC 21: CdPN intl. 4930123456, CgPN intl. 4921987654 restricted,
 * network provided; GN additional calling 15550001; hop counter 20; APP
 * ACI 90 with PCI "pass on" for it. */
static int iam(void)
{
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_IAM, 21);
	p = isup_msg_param_find(&msg, ISUP_PAR_NCI);
	p->u.nci.echo = 1;
	p = isup_msg_param_find(&msg, ISUP_PAR_FCI);
	p->u.fci.international = 1;
	p->u.fci.isup = 1;
	p->u.fci.isdn_access = 1;
	p = isup_msg_param_find(&msg, ISUP_PAR_CPC);
	p->u.u8 = 0x0a;
	p = isup_msg_param_find(&msg, ISUP_PAR_TMR);
	p->u.u8 = 0;
	p = isup_msg_param_find(&msg, ISUP_PAR_CALLED_PARTY_NUMBER);
	number(&p->u.number, ISUP_NAI_INTERNATIONAL, "4930123456");
	p = isup_msg_opt_add(&msg, ISUP_PAR_CALLING_PARTY_NUMBER);
	number(&p->u.number, ISUP_NAI_INTERNATIONAL, "4921987654");
	p->u.number.apri = ISUP_APRI_RESTRICTED;
	p->u.number.si = ISUP_SI_NETWORK_PROVIDED;
	p = isup_msg_opt_add(&msg, ISUP_PAR_GENERIC_NUMBER);
	number(&p->u.number, ISUP_NAI_NATIONAL, "15550001");
	p->u.number.qualifier = ISUP_NQ_ADDITIONAL_CALLING;
	p = isup_msg_opt_add(&msg, ISUP_PAR_HOP_COUNTER);
	p->u.u8 = 20;
	p = isup_msg_opt_add(&msg, ISUP_PAR_APP_TRANSPORT);
	p->u.app.aci = 90;
	p->u.app.si = 1;
	/* Q.765: the first segment of a new sequence starts with the
	 * originating and destination address fields (both empty here) */
	p->u.app.info_len = 6;
	memcpy(p->u.app.info, "\x00\x00\x01\x02\x03\x04", 6);
	p = isup_msg_opt_add(&msg, ISUP_PAR_PCI);
	p->u.pci.num = 1;
	p->u.pci.entry[0].code = ISUP_PAR_APP_TRANSPORT;
	p->u.pci.entry[0].num_instr = 1;
	return print("IAM");
}

/* IAM of a forwarded call, CIC 24 (Q.763 §3.38, §3.44, §3.45): the call
 * for +4930111 was forwarded on busy to +4930222; the original called and
 * the redirecting number are the same, presentation allowed; redirection
 * information: call diverted (3), original reason user busy (1), counter
 * 1, redirecting reason user busy (1). */
static int iam_forwarded(void)
{
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_IAM, 24);
	p = isup_msg_param_find(&msg, ISUP_PAR_FCI);
	p->u.fci.isup = 1;
	p = isup_msg_param_find(&msg, ISUP_PAR_CPC);
	p->u.u8 = 0x0a;
	p = isup_msg_param_find(&msg, ISUP_PAR_CALLED_PARTY_NUMBER);
	number(&p->u.number, ISUP_NAI_INTERNATIONAL, "4930222");
	p = isup_msg_opt_add(&msg, ISUP_PAR_CALLING_PARTY_NUMBER);
	number(&p->u.number, ISUP_NAI_INTERNATIONAL, "4921987654");
	p->u.number.si = ISUP_SI_NETWORK_PROVIDED;
	p = isup_msg_opt_add(&msg, ISUP_PAR_ORIG_CALLED_NUMBER);
	number(&p->u.number, ISUP_NAI_INTERNATIONAL, "4930111");
	p = isup_msg_opt_add(&msg, ISUP_PAR_REDIRECTING_NUMBER);
	number(&p->u.number, ISUP_NAI_NATIONAL, "30111");
	p->u.number.apri = ISUP_APRI_RESTRICTED;
	p = isup_msg_opt_add(&msg, ISUP_PAR_REDIRECTION_INFO);
	p->u.redir.indicator = 3;
	p->u.redir.orig_reason = 1;
	p->u.redir.has_octet2 = true;
	p->u.redir.counter = 1;
	p->u.redir.reason = 1;
	return print("IAMFWD");
}

/* ACM, CIC 21: BCI charge, subscriber free, ordinary subscriber, ISUP all
 * the way, ISDN access; OBCI in-band information available. */
static int acm(void)
{
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_ACM, 21);
	p = isup_msg_param_find(&msg, ISUP_PAR_BCI);
	p->u.bci.charge = 2;
	p->u.bci.called_status = 1;
	p->u.bci.called_category = 1;
	p->u.bci.isup = 1;
	p->u.bci.isdn_access = 1;
	p = isup_msg_opt_add(&msg, ISUP_PAR_OBCI);
	p->u.obci.inband = 1;
	return print("ACM");
}

static int anm(void)
{
	isup_msg_init(&msg, ISUP_MSG_ANM, 21);
	return print("ANM");
}

/* REL, CIC 21: cause 16 normal call clearing, location public network
 * serving the remote user (4). */
static int rel(void)
{
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_REL, 21);
	p = isup_msg_param_find(&msg, ISUP_PAR_CAUSE);
	p->u.cause.location = 4;
	p->u.cause.value = 16;
	return print("REL");
}

static int rlc(void)
{
	isup_msg_init(&msg, ISUP_MSG_RLC, 21);
	return print("RLC");
}

/* CPG, CIC 21: event alerting. */
static int cpg(void)
{
	isup_msg_init(&msg, ISUP_MSG_CPG, 21);
	msg.mand[0].u.event.event = ISUP_EVENT_ALERTING;
	return print("CPG");
}

/* GRS, CIC 100: range 29 (30 circuits). */
static int grs(void)
{
	isup_msg_init(&msg, ISUP_MSG_GRS, 100);
	msg.mand[0].u.range_status.range = 29;
	return print("GRS");
}

/* Messages of message type only, CIC 30 */
static int simple(uint8_t type)
{
	isup_msg_init(&msg, type, 30);
	return print(isup_msg_type_name(type));
}

/* CON, CIC 21: BCI as the trunk sends it (subscriber free, ordinary
 * subscriber, interworking encountered). */
static int con(void)
{
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_CON, 21);
	p = isup_msg_param_find(&msg, ISUP_PAR_BCI);
	p->u.bci.called_status = 1;
	p->u.bci.called_category = 1;
	p->u.bci.interworking = 1;
	return print("CON");
}

/* GRA, CIC 100, range 29: circuits 100 and 107 locally blocked. */
static int gra(void)
{
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_GRA, 100);
	p = isup_msg_param_find(&msg, ISUP_PAR_RANGE_STATUS);
	p->u.range_status.range = 29;
	p->u.range_status.status_len = 4;
	p->u.range_status.status[0] = 0x81;
	return print("GRA");
}

/* CGB, CGBA, CGU, CGUA, CIC 100: range 9, hardware failure oriented for
 * CGB/CGBA, maintenance for CGU/CGUA; circuits 100, 101 and 109. */
static int cg(uint8_t type)
{
	struct isup_param *p;

	isup_msg_init(&msg, type, 100);
	isup_msg_param_find(&msg, ISUP_PAR_CGSMT)->u.u8 = type == ISUP_MSG_CGB || type == ISUP_MSG_CGBA;
	p = isup_msg_param_find(&msg, ISUP_PAR_RANGE_STATUS);
	p->u.range_status.range = 9;
	p->u.range_status.status_len = 2;
	p->u.range_status.status[0] = 0x03;
	p->u.range_status.status[1] = 0x02;
	return print(isup_msg_type_name(type));
}

/* CFN, CIC 21, as the trunk answers an unrecognized parameter 0xf4 and
 * 0xfe: cause 99, location transit network (3), the codes as diagnostic. */
static int cfn(void)
{
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_CFN, 21);
	p = isup_msg_param_find(&msg, ISUP_PAR_CAUSE);
	p->u.cause.location = 3;
	p->u.cause.value = 99;
	p->u.cause.diag_len = 2;
	p->u.cause.diag[0] = 0xf4;
	p->u.cause.diag[1] = 0xfe;
	return print("CFN");
}

/* RLC, CIC 21, answering a REL with an unrecognized parameter 0xf4:
 * cause 99 with the code as diagnostic. */
static int rlc_cause(void)
{
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_RLC, 21);
	p = isup_msg_opt_add(&msg, ISUP_PAR_CAUSE);
	p->u.cause.location = 3;
	p->u.cause.value = 99;
	p->u.cause.diag_len = 1;
	p->u.cause.diag[0] = 0xf4;
	return print("RLCCAUSE");
}

/* REL, CIC 21, releasing for an unrecognized message 0x99: cause 97, the
 * message type as diagnostic. */
static int rel_diag(void)
{
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_REL, 21);
	p = isup_msg_param_find(&msg, ISUP_PAR_CAUSE);
	p->u.cause.location = 3;
	p->u.cause.value = 97;
	p->u.cause.diag_len = 1;
	p->u.cause.diag[0] = 0x99;
	return print("RELDIAG");
}

/* INR, CIC 21: calling party address and category requested, call
 * reference 805240 at SPC 2121. */
static int inr(void)
{
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_INR, 21);
	p = isup_msg_param_find(&msg, ISUP_PAR_INR_IND);
	p->u.inr.cgpn = 1;
	p->u.inr.cpc = 1;
	p = isup_msg_opt_add(&msg, ISUP_PAR_CALL_REF);
	p->u.call_ref.call_id = 805240;
	p->u.call_ref.spc = 2121;
	return print("INR");
}

/* INF, CIC 21, as the trunk answers that INR: solicited, CgPN included
 * (international 4930123456, network provided), CPC included (ordinary). */
static int inf(void)
{
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_INF, 21);
	p = isup_msg_param_find(&msg, ISUP_PAR_INF_IND);
	p->u.inf.cgpn = ISUP_INF_CGPN_INCLUDED;
	p->u.inf.cpc = 1;
	p = isup_msg_opt_add(&msg, ISUP_PAR_CALLING_PARTY_NUMBER);
	number(&p->u.number, ISUP_NAI_INTERNATIONAL, "4930123456");
	p->u.number.si = ISUP_SI_NETWORK_PROVIDED;
	p = isup_msg_opt_add(&msg, ISUP_PAR_CPC);
	p->u.u8 = 0x0a;
	return print("INF");
}

/* INF, CIC 22: the calling party address not available, nothing else. */
static int inf_na(void)
{
	isup_msg_init(&msg, ISUP_MSG_INF, 22);
	msg.mand[0].u.inf.cgpn = ISUP_INF_CGPN_NOT_AVAILABLE;
	return print("INFNA");
}

/* COT, CIC 21: continuity check successful. */
static int cot(void)
{
	isup_msg_init(&msg, ISUP_MSG_COT, 21);
	msg.mand[0].u.u8 = 1;
	return print("COT");
}

/* SAM, CIC 21: subsequent number "0001" and ST (Q.763 §3.51). */
static int sam(void)
{
	isup_msg_init(&msg, ISUP_MSG_SAM, 21);
	strcpy(msg.mand[0].u.subsequent.digits, "0001F");
	return print("SAM");
}

/* SUS and RES, CIC 21: network initiated (Q.763 §3.52). */
static int sus_res(void)
{
	isup_msg_init(&msg, ISUP_MSG_SUS, 21);
	msg.mand[0].u.u8 = 1;
	if (print("SUS"))
		return 1;
	isup_msg_init(&msg, ISUP_MSG_RES, 21);
	msg.mand[0].u.u8 = 1;
	return print("RES");
}

/* CQM, CIC 1, range 3 (4 circuits). */
static int cqm(void)
{
	isup_msg_init(&msg, ISUP_MSG_CQM, 1);
	msg.mand[0].u.range_status.range = 3;
	return print("CQM");
}

/* CQR, CIC 1, range 3, as the trunk answers that CQM: idle; incoming busy
 * and locally blocked for maintenance; outgoing busy and remotely blocked
 * for hardware failure; transient (awaiting a reset acknowledgement). */
static int cqr(void)
{
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_CQR, 1);
	msg.mand[0].u.range_status.range = 3;
	p = isup_msg_param_find(&msg, ISUP_PAR_CIRCUIT_STATE);
	p->u.csi.num = 4;
	p->u.csi.state[0] = ISUP_CSI(0, ISUP_CSI_CALL_IDLE, 0);
	p->u.csi.state[1] = ISUP_CSI(ISUP_CSI_BLK_LOCAL, ISUP_CSI_CALL_IN_BUSY, 0);
	p->u.csi.state[2] = ISUP_CSI(0, ISUP_CSI_CALL_OUT_BUSY, ISUP_CSI_BLK_REMOTE);
	p->u.csi.state[3] = ISUP_CSI_TRANSIENT;
	return print("CQR");
}

/* FAC, CIC 21: MCI release call, send notification; call transfer
 * number 3806338 kept opaque. */
static int fac(void)
{
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_FAC, 21);
	p = isup_msg_opt_add(&msg, ISUP_PAR_MCI);
	p->u.mci.num_instr = 1;
	p->u.mci.instr[0] = ISUP_PCI_RELEASE_CALL | ISUP_PCI_SEND_NOTIFICATION;
	p = isup_msg_opt_add(&msg, 0x45);
	p->u.opaque.len = 6;
	memcpy(p->u.opaque.data, "\x88\x43\x83\x60\x33\x08", 6);
	return print("FAC");
}

/* IDR, CIC 21: MCID requested; MCI discard message, pass on not possible:
 * discard information. */
static int idr(void)
{
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_IDR, 21);
	p = isup_msg_opt_add(&msg, ISUP_PAR_MCID_REQ);
	p->u.u8 = 1;
	p = isup_msg_opt_add(&msg, ISUP_PAR_MCI);
	p->u.mci.num_instr = 1;
	p->u.mci.instr[0] = ISUP_PCI_DISCARD_MESSAGE | ISUP_MCI_PASS_ON_NOT_POSSIBLE;
	return print("IDR");
}

/* IRS, CIC 21: MCID included, the calling party number. */
static int irs(void)
{
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_IRS, 21);
	p = isup_msg_opt_add(&msg, ISUP_PAR_MCID_RSP);
	p->u.u8 = 1;
	p = isup_msg_opt_add(&msg, ISUP_PAR_CALLING_PARTY_NUMBER);
	number(&p->u.number, ISUP_NAI_NATIONAL, "30123456");
	return print("IRS");
}

/* IAM, CIC 22, carrying a signalling token (ARCHITECTURE §2.1) in an APP
 * parameter with ACI 90 and the PCI entry for it.  With \a x5u_len 169 the
 * token takes two APP segments and the IAM is split for the 272-octet MTP3
 * limit: "IAMTOKSEG" and "SGMTOK" are the two messages. */
static int iam_token(void *ctx, struct sigtoken_key *key, size_t x5u_len)
{
	static struct isup_msg first, sgm;
	struct sigtoken_call call;
	struct sigtoken tok;
	struct isup_param *p;
	size_t i;
	int rc;

	isup_msg_init(&msg, ISUP_MSG_IAM, 22);
	p = isup_msg_param_find(&msg, ISUP_PAR_FCI);
	p->u.fci.international = 1;
	p->u.fci.isup = 1;
	p = isup_msg_param_find(&msg, ISUP_PAR_CPC);
	p->u.u8 = 0x0a;
	p = isup_msg_param_find(&msg, ISUP_PAR_CALLED_PARTY_NUMBER);
	number(&p->u.number, ISUP_NAI_INTERNATIONAL, "12025550100");
	p = isup_msg_opt_add(&msg, ISUP_PAR_CALLING_PARTY_NUMBER);
	number(&p->u.number, ISUP_NAI_INTERNATIONAL, "4930123456");
	p->u.number.si = ISUP_SI_NETWORK_PROVIDED;

	memset(&tok, 0, sizeof(tok));
	tok.has_passport = true;
	tok.passport.attest = 'A';
	tok.passport.iat = 1700000000;
	sigtoken_uuid_from_str(tok.passport.origid, "8f4e1a2b-0c3d-4e5f-9a6b-7c8d9e0f1a2b");
	osmo_strlcpy(tok.passport.x5u, "https://cert.example.org/", sizeof(tok.passport.x5u));
	for (i = strlen(tok.passport.x5u); i < x5u_len; i++)
		tok.passport.x5u[i] = 'a' + i % 26;
	tok.passport.x5u[x5u_len] = '\0';
	tok.passport.x5u_len = x5u_len;
	tok.has_verdict = true;
	tok.verdict.verstat = SIGTOKEN_VERSTAT_PASSED;
	if (sigtoken_call_from_iam(&call, &msg, NULL) < 0 ||
	    sigtoken_hop_sign(&tok, key, 1700000001, &call) < 0 ||
	    sigtoken_iam_put(&msg, &tok, SIGTOKEN_ACI_DEFAULT) < 0) {
		fprintf(stderr, "IAM with token: cannot build it\n");
		return -1;
	}
	rc = isup_msg_segment(&msg, ISUP_MTP3_SIF_MAX, &first, &sgm);
	if (rc == 0)
		return print("IAMTOK");
	if (rc != 1)
		return -1;
	msg = first;
	if (print("IAMTOKSEG") < 0)
		return -1;
	msg = sgm;
	return print("SGMTOK");
}

/* IAM, CIC 23, as "stiwf isup iam --passport" builds it: a real signed
 * SHAKEN PASSporT reduced to the PASSPORT TLV (iwf/e2e_passport.h), a
 * VERDICT and the HOP over both: "IAME2E". */
static int iam_e2e(struct sigtoken_key *key, EVP_PKEY *pkey)
{
	static struct passport pp;
	const char *dest[1] = { "12025550100" };
	struct sigtoken_call call;
	struct sigtoken tok;
	struct isup_param *p;

	isup_msg_init(&msg, ISUP_MSG_IAM, 23);
	p = isup_msg_param_find(&msg, ISUP_PAR_FCI);
	p->u.fci.international = 1;
	p->u.fci.isup = 1;
	p = isup_msg_param_find(&msg, ISUP_PAR_CPC);
	p->u.u8 = 0x0a;
	p = isup_msg_param_find(&msg, ISUP_PAR_CALLED_PARTY_NUMBER);
	number(&p->u.number, ISUP_NAI_INTERNATIONAL, "12025550100");
	p = isup_msg_opt_add(&msg, ISUP_PAR_CALLING_PARTY_NUMBER);
	number(&p->u.number, ISUP_NAI_INTERNATIONAL, "4930123456");
	p->u.number.si = ISUP_SI_NETWORK_PROVIDED;

	memset(&tok, 0, sizeof(tok));
	if (passport_init_shaken(&pp, "https://cert.example.org/sp-a-chain.pem", 'B', "4930123456", dest, 1,
				 1700000000, "8f4e1a2b-0c3d-4e5f-9a6b-7c8d9e0f1a2b") < 0 ||
	    passport_sign(&pp, pkey) < 0 ||
	    e2e_passport_to_tlv(&tok.passport, &pp, "4930123456", "12025550100") != E2E_PP_OK) {
		fprintf(stderr, "IAM end to end: cannot make the PASSPORT TLV\n");
		return -1;
	}
	tok.has_passport = true;
	tok.has_verdict = true;
	tok.verdict.verstat = SIGTOKEN_VERSTAT_PASSED;
	if (sigtoken_call_from_iam(&call, &msg, NULL) < 0 ||
	    sigtoken_hop_sign(&tok, key, 1700000001, &call) < 0 ||
	    sigtoken_iam_put(&msg, &tok, SIGTOKEN_ACI_DEFAULT) < 0) {
		fprintf(stderr, "IAM end to end: cannot build it\n");
		return -1;
	}
	return print("IAME2E");
}

int main(int argc, char **argv)
{
	void *ctx = talloc_named_const(NULL, 0, "isup_vectors");
	struct sigtoken_key *key;
	EVP_PKEY *pkey;
	int rc;

	if (stiwf_logging_init(ctx) < 0)
		return 1;
	if (iam() || iam_forwarded() || acm() || anm() || rel() || rlc() || cpg() || grs())
		return 1;
	if (con() || gra() || cg(ISUP_MSG_CGB) || cg(ISUP_MSG_CGBA) || cg(ISUP_MSG_CGU) || cg(ISUP_MSG_CGUA) ||
	    simple(ISUP_MSG_RSC) || simple(ISUP_MSG_BLO) || simple(ISUP_MSG_BLA) || simple(ISUP_MSG_UBL) ||
	    simple(ISUP_MSG_UBA) || simple(ISUP_MSG_UCIC) || simple(ISUP_MSG_CCR) || simple(ISUP_MSG_LPA) ||
	    cfn() || rlc_cause() || rel_diag() || inr() || inf() || inf_na() || cot() || sam() || sus_res() || cqm() || cqr() ||
	    fac() || idr() || irs())
		return 1;
	pkey = EVP_EC_gen("P-256");
	key = pkey ? sigtoken_key_alloc(ctx, pkey) : NULL;
	if (!key)
		return 1;
	rc = iam_token(ctx, key, 40) || iam_token(ctx, key, SIGTOKEN_X5U_MAX) || iam_e2e(key, pkey);
	talloc_free(key);
	EVP_PKEY_free(pkey);
	return rc ? 1 : 0;
}
