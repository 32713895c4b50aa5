/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ISDN User Part codec, ITU-T Q.763 (ITU variant).  See isup.h. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/utils.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/isup.h"

const struct value_string isup_msg_type_names[] = {
	{ ISUP_MSG_IAM,		"IAM" },
	{ ISUP_MSG_SAM,		"SAM" },
	{ ISUP_MSG_INR,		"INR" },
	{ ISUP_MSG_INF,		"INF" },
	{ ISUP_MSG_COT,		"COT" },
	{ ISUP_MSG_ACM,		"ACM" },
	{ ISUP_MSG_CON,		"CON" },
	{ ISUP_MSG_ANM,		"ANM" },
	{ ISUP_MSG_REL,		"REL" },
	{ ISUP_MSG_SUS,		"SUS" },
	{ ISUP_MSG_RES,		"RES" },
	{ ISUP_MSG_RLC,		"RLC" },
	{ ISUP_MSG_CCR,		"CCR" },
	{ ISUP_MSG_RSC,		"RSC" },
	{ ISUP_MSG_BLO,		"BLO" },
	{ ISUP_MSG_UBL,		"UBL" },
	{ ISUP_MSG_BLA,		"BLA" },
	{ ISUP_MSG_UBA,		"UBA" },
	{ ISUP_MSG_GRS,		"GRS" },
	{ ISUP_MSG_CGB,		"CGB" },
	{ ISUP_MSG_CGU,		"CGU" },
	{ ISUP_MSG_CGBA,	"CGBA" },
	{ ISUP_MSG_CGUA,	"CGUA" },
	{ ISUP_MSG_LPA,		"LPA" },
	{ ISUP_MSG_GRA,		"GRA" },
	{ ISUP_MSG_CQM,		"CQM" },
	{ ISUP_MSG_CQR,		"CQR" },
	{ ISUP_MSG_CPG,		"CPG" },
	{ ISUP_MSG_UCIC,	"UCIC" },
	{ ISUP_MSG_CFN,		"CFN" },
	{ ISUP_MSG_FAC,		"FAC" },
	{ ISUP_MSG_IDR,		"IDR" },
	{ ISUP_MSG_IRS,		"IRS" },
	{ ISUP_MSG_SGM,		"SGM" },
	{ ISUP_MSG_APM,		"APM" },
	{ 0, NULL }
};

/* Q.763 Table 5, every parameter name code with the name Q.763 gives it,
 * including its national-use codes and the codes added by its amendments
 * (pivot routing, redirection, number portability).  A code not in this
 * table is an unrecognized parameter (Q.764 §2.9.5.3.2); spare codes and
 * those "reserved (used in 1984/1988 version)" are not in it. */
const struct value_string isup_param_names[] = {
	{ ISUP_PAR_END_OF_OPT,		"end of optional parameters" },
	{ ISUP_PAR_CALL_REF,		"call reference" },
	{ ISUP_PAR_TMR,			"transmission medium requirement" },
	{ 0x03,				"access transport" },
	{ ISUP_PAR_CALLED_PARTY_NUMBER,	"called party number" },
	{ ISUP_PAR_SUBSEQUENT_NUMBER,	"subsequent number" },
	{ ISUP_PAR_NCI,			"nature of connection indicators" },
	{ ISUP_PAR_FCI,			"forward call indicators" },
	{ ISUP_PAR_OFCI,		"optional forward call indicators" },
	{ ISUP_PAR_CPC,			"calling party's category" },
	{ ISUP_PAR_CALLING_PARTY_NUMBER, "calling party number" },
	{ ISUP_PAR_REDIRECTING_NUMBER,	"redirecting number" },
	{ 0x0c,				"redirection number" },
	{ 0x0d,				"connection request" },
	{ ISUP_PAR_INR_IND,		"information request indicators" },
	{ ISUP_PAR_INF_IND,		"information indicators" },
	{ ISUP_PAR_CONTINUITY,		"continuity indicators" },
	{ ISUP_PAR_BCI,			"backward call indicators" },
	{ ISUP_PAR_CAUSE,		"cause indicators" },
	{ ISUP_PAR_REDIRECTION_INFO,	"redirection information" },
	{ ISUP_PAR_CGSMT,		"circuit group supervision message type" },
	{ ISUP_PAR_RANGE_STATUS,	"range and status" },
	{ 0x18,				"facility indicator" },
	{ 0x1a,				"closed user group interlock code" },
	{ 0x1d,				"user service information" },
	{ 0x1e,				"signalling point code" },
	{ 0x20,				"user-to-user information" },
	{ 0x21,				"connected number" },
	{ ISUP_PAR_SUSPEND_RESUME,	"suspend/resume indicators" },
	{ 0x23,				"transit network selection" },
	{ ISUP_PAR_EVENT_INFO,		"event information" },
	{ 0x25,				"circuit assignment map" },
	{ ISUP_PAR_CIRCUIT_STATE,	"circuit state indicator" },
	{ 0x27,				"automatic congestion level" },
	{ ISUP_PAR_ORIG_CALLED_NUMBER,	"original called number" },
	{ ISUP_PAR_OBCI,		"optional backward call indicators" },
	{ 0x2a,				"user-to-user indicators" },
	{ 0x2b,				"origination ISC point code" },
	{ 0x2c,				"generic notification indicator" },
	{ 0x2d,				"call history information" },
	{ 0x2e,				"access delivery information" },
	{ 0x2f,				"network specific facility" },
	{ 0x30,				"user service information prime" },
	{ 0x31,				"propagation delay counter" },
	{ 0x32,				"remote operations" },
	{ 0x33,				"service activation" },
	{ 0x34,				"user teleservice information" },
	{ 0x35,				"transmission medium used" },
	{ 0x36,				"call diversion information" },
	{ 0x37,				"echo control information" },
	{ ISUP_PAR_MCI,			"message compatibility information" },
	{ ISUP_PAR_PCI,			"parameter compatibility information" },
	{ 0x3a,				"MLPP precedence" },
	{ ISUP_PAR_MCID_REQ,		"MCID request indicators" },
	{ ISUP_PAR_MCID_RSP,		"MCID response indicators" },
	{ ISUP_PAR_HOP_COUNTER,		"hop counter" },
	{ 0x3e,				"transmission medium requirement prime" },
	{ 0x3f,				"location number" },
	{ 0x40,				"redirection number restriction" },
	{ 0x43,				"call transfer reference" },
	{ 0x44,				"loop prevention indicators" },
	{ 0x45,				"call transfer number" },
	{ 0x4b,				"CCSS" },
	{ 0x4c,				"forward GVNS" },
	{ 0x4d,				"backward GVNS" },
	{ 0x4e,				"redirect capability" },
	{ 0x5b,				"network management controls" },
	{ 0x65,				"correlation id" },
	{ 0x66,				"SCF id" },
	{ 0x6e,				"call diversion treatment indicators" },
	{ 0x6f,				"called IN number" },
	{ 0x70,				"call offering treatment indicators" },
	{ 0x71,				"charged party identification" },
	{ 0x72,				"conference treatment indicators" },
	{ 0x73,				"display information" },
	{ 0x74,				"UID action indicators" },
	{ 0x75,				"UID capability indicators" },
	{ 0x77,				"redirect counter" },
	{ ISUP_PAR_APP_TRANSPORT,	"application transport" },
	{ 0x79,				"collect call request" },
	{ 0x7a,				"CCNR possible indicator" },
	{ 0x7b,				"pivot capability" },
	{ 0x7c,				"pivot routing indicators" },
	{ 0x7d,				"called directory number" },
	{ 0x7f,				"original called IN number" },
	{ 0x81,				"calling geodetic location" },
	{ 0x82,				"HTR information" },
	{ 0x84,				"network routing number" },
	{ 0x85,				"query on release capability" },
	{ 0x86,				"pivot status" },
	{ 0x87,				"pivot counter" },
	{ 0x88,				"pivot routing forward information" },
	{ 0x89,				"pivot routing backward information" },
	{ 0x8a,				"redirect status" },
	{ 0x8b,				"redirect forward information" },
	{ 0x8c,				"redirect backward information" },
	{ 0x8d,				"number portability forward information" },
	{ 0x8e,				"forward CAT indicators" },
	{ 0x8f,				"backward CAT indicators" },
	{ 0x96,				"automatic re-routing" },
	{ 0xa6,				"IEPS call information" },
	{ 0xa8,				"VED information" },
	{ ISUP_PAR_GENERIC_NUMBER,	"generic number" },
	{ 0xc1,				"generic digits" },
	{ 0, NULL }
};

const struct value_string isup_nai_names[] = {
	{ ISUP_NAI_SUBSCRIBER,		"subscriber number" },
	{ ISUP_NAI_UNKNOWN,		"unknown" },
	{ ISUP_NAI_NATIONAL,		"national (significant) number" },
	{ ISUP_NAI_INTERNATIONAL,	"international number" },
	{ 0, NULL }
};

const struct value_string isup_apri_names[] = {
	{ ISUP_APRI_ALLOWED,		"presentation allowed" },
	{ ISUP_APRI_RESTRICTED,		"presentation restricted" },
	{ ISUP_APRI_NOT_AVAILABLE,	"address not available" },
	{ 0, NULL }
};

const struct value_string isup_si_names[] = {
	{ ISUP_SI_USER_NOT_VERIFIED,	"user provided, not verified" },
	{ ISUP_SI_USER_VERIFIED_PASSED,	"user provided, verified and passed" },
	{ ISUP_SI_USER_VERIFIED_FAILED,	"user provided, verified and failed" },
	{ ISUP_SI_NETWORK_PROVIDED,	"network provided" },
	{ 0, NULL }
};

const struct value_string isup_event_names[] = {
	{ ISUP_EVENT_ALERTING,		"alerting" },
	{ ISUP_EVENT_PROGRESS,		"progress" },
	{ ISUP_EVENT_INBAND_INFO,	"in-band information available" },
	{ ISUP_EVENT_FWD_BUSY,		"call forwarded on busy" },
	{ ISUP_EVENT_FWD_NO_REPLY,	"call forwarded on no reply" },
	{ ISUP_EVENT_FWD_UNCONDITIONAL,	"call forwarded unconditional" },
	{ 0, NULL }
};

/* Q.763 Tables 32-52: the layout of each message we handle (ITU).  Fixed
 * parameters with their lengths, then the mandatory variable parameters
 * (at most two: CQR), then whether a pointer to an optional part follows. */
struct isup_layout {
	uint8_t type;
	uint8_t num_fixed;
	struct {
		uint8_t code;
		uint8_t len;
	} fixed[4];
	uint8_t num_var;
	uint8_t var[2];
	bool opt;
};

static const struct isup_layout isup_layouts[] = {
	/* Q.763 Table 32 */
	{ ISUP_MSG_IAM, 4, { { ISUP_PAR_NCI, 1 }, { ISUP_PAR_FCI, 2 }, { ISUP_PAR_CPC, 1 },
			     { ISUP_PAR_TMR, 1 } }, 1, { ISUP_PAR_CALLED_PARTY_NUMBER }, true },
	{ ISUP_MSG_SAM, 0, {}, 1, { ISUP_PAR_SUBSEQUENT_NUMBER }, true },
	{ ISUP_MSG_INR, 1, { { ISUP_PAR_INR_IND, 2 } }, 0, {}, true },
	{ ISUP_MSG_INF, 1, { { ISUP_PAR_INF_IND, 2 } }, 0, {}, true },
	{ ISUP_MSG_COT, 1, { { ISUP_PAR_CONTINUITY, 1 } }, 0, {}, false },
	{ ISUP_MSG_ACM, 1, { { ISUP_PAR_BCI, 2 } }, 0, {}, true },
	{ ISUP_MSG_CON, 1, { { ISUP_PAR_BCI, 2 } }, 0, {}, true },
	{ ISUP_MSG_CPG, 1, { { ISUP_PAR_EVENT_INFO, 1 } }, 0, {}, true },
	{ ISUP_MSG_ANM, 0, {}, 0, {}, true },
	{ ISUP_MSG_REL, 0, {}, 1, { ISUP_PAR_CAUSE }, true },
	{ ISUP_MSG_RLC, 0, {}, 0, {}, true },
	{ ISUP_MSG_SUS, 1, { { ISUP_PAR_SUSPEND_RESUME, 1 } }, 0, {}, true },
	{ ISUP_MSG_RES, 1, { { ISUP_PAR_SUSPEND_RESUME, 1 } }, 0, {}, true },
	/* message type only */
	{ ISUP_MSG_RSC, 0, {}, 0, {}, false },
	{ ISUP_MSG_BLO, 0, {}, 0, {}, false },
	{ ISUP_MSG_BLA, 0, {}, 0, {}, false },
	{ ISUP_MSG_UBL, 0, {}, 0, {}, false },
	{ ISUP_MSG_UBA, 0, {}, 0, {}, false },
	{ ISUP_MSG_UCIC, 0, {}, 0, {}, false },
	{ ISUP_MSG_CCR, 0, {}, 0, {}, false },
	{ ISUP_MSG_LPA, 0, {}, 0, {}, false },
	/* circuit group messages */
	{ ISUP_MSG_GRS, 0, {}, 1, { ISUP_PAR_RANGE_STATUS }, false },
	{ ISUP_MSG_GRA, 0, {}, 1, { ISUP_PAR_RANGE_STATUS }, false },
	{ ISUP_MSG_CGB, 1, { { ISUP_PAR_CGSMT, 1 } }, 1, { ISUP_PAR_RANGE_STATUS }, false },
	{ ISUP_MSG_CGBA, 1, { { ISUP_PAR_CGSMT, 1 } }, 1, { ISUP_PAR_RANGE_STATUS }, false },
	{ ISUP_MSG_CGU, 1, { { ISUP_PAR_CGSMT, 1 } }, 1, { ISUP_PAR_RANGE_STATUS }, false },
	{ ISUP_MSG_CGUA, 1, { { ISUP_PAR_CGSMT, 1 } }, 1, { ISUP_PAR_RANGE_STATUS }, false },
	{ ISUP_MSG_CQM, 0, {}, 1, { ISUP_PAR_RANGE_STATUS }, false },
	{ ISUP_MSG_CQR, 0, {}, 2, { ISUP_PAR_RANGE_STATUS, ISUP_PAR_CIRCUIT_STATE }, false },
	{ ISUP_MSG_CFN, 0, {}, 1, { ISUP_PAR_CAUSE }, true },
	/* optional part only */
	{ ISUP_MSG_APM, 0, {}, 0, {}, true },
	{ ISUP_MSG_SGM, 0, {}, 0, {}, true },
	{ ISUP_MSG_FAC, 0, {}, 0, {}, true },
	{ ISUP_MSG_IDR, 0, {}, 0, {}, true },
	{ ISUP_MSG_IRS, 0, {}, 0, {}, true },
};

static const struct isup_layout *isup_layout_find(uint8_t type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(isup_layouts); i++) {
		if (isup_layouts[i].type == type)
			return &isup_layouts[i];
	}
	return NULL;
}

bool isup_msg_type_known(uint8_t type)
{
	return isup_layout_find(type) != NULL;
}

bool isup_param_known(uint8_t code)
{
	return code != ISUP_PAR_END_OF_OPT && get_value_string_or_null(isup_param_names, code) != NULL;
}

bool isup_param_is_typed(uint8_t code)
{
	switch (code) {
	case ISUP_PAR_TMR:
	case ISUP_PAR_CALLED_PARTY_NUMBER:
	case ISUP_PAR_SUBSEQUENT_NUMBER:
	case ISUP_PAR_NCI:
	case ISUP_PAR_FCI:
	case ISUP_PAR_OFCI:
	case ISUP_PAR_CPC:
	case ISUP_PAR_CALLING_PARTY_NUMBER:
	case ISUP_PAR_REDIRECTING_NUMBER:
	case ISUP_PAR_BCI:
	case ISUP_PAR_CAUSE:
	case ISUP_PAR_REDIRECTION_INFO:
	case ISUP_PAR_CGSMT:
	case ISUP_PAR_RANGE_STATUS:
	case ISUP_PAR_SUSPEND_RESUME:
	case ISUP_PAR_EVENT_INFO:
	case ISUP_PAR_ORIG_CALLED_NUMBER:
	case ISUP_PAR_OBCI:
	case ISUP_PAR_PCI:
	case ISUP_PAR_HOP_COUNTER:
	case ISUP_PAR_APP_TRANSPORT:
	case ISUP_PAR_GENERIC_NUMBER:
	case ISUP_PAR_CALL_REF:
	case ISUP_PAR_INR_IND:
	case ISUP_PAR_INF_IND:
	case ISUP_PAR_CONTINUITY:
	case ISUP_PAR_CIRCUIT_STATE:
	case ISUP_PAR_MCI:
	case ISUP_PAR_MCID_REQ:
	case ISUP_PAR_MCID_RSP:
		return true;
	default:
		return false;
	}
}

/* ------------------------------------------------------------------------
 * Digits
 * ------------------------------------------------------------------------ */

static const char isup_hex_digits[] = "0123456789ABCDEF";

int isup_digits_decode(char *out, size_t out_size, const uint8_t *buf, size_t len, bool odd)
{
	size_t ndigits, i;

	if (out_size < 1)
		return -ENOSPC;
	out[0] = '\0';
	if (odd && len == 0)
		return -EBADMSG;
	ndigits = 2 * len - (odd ? 1 : 0);
	if (out_size - 1 < ndigits)
		return -ENOSPC;
	for (i = 0; i < ndigits; i++) {
		uint8_t nib = (i & 1) ? (buf[i / 2] >> 4) : (buf[i / 2] & 0x0f);

		out[i] = isup_hex_digits[nib];
	}
	out[ndigits] = '\0';
	return ndigits;
}

static int isup_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int isup_digits_encode(uint8_t *out, size_t out_size, const char *digits, bool *odd)
{
	size_t ndigits, noct, i;

	ndigits = strlen(digits);
	noct = (ndigits + 1) / 2;
	*odd = ndigits & 1;
	if (out_size < noct)
		return -ENOSPC;
	for (i = 0; i < ndigits; i++) {
		int v = isup_digit_value(digits[i]);

		if (v < 0) {
			LOGP(DSS7, LOGL_ERROR, "ISUP digits: invalid character 0x%02x at %zu\n",
			     (uint8_t)digits[i], i);
			return -EINVAL;
		}
		if (i & 1)
			out[i / 2] |= v << 4;
		else
			out[i / 2] = v;	/* the high nibble stays 0: filler when odd */
	}
	return noct;
}

/* ------------------------------------------------------------------------
 * Parameter values
 * ------------------------------------------------------------------------ */

#define PNAME(code)	isup_param_name(code)

static int bad(uint8_t code, const char *what)
{
	LOGP(DSS7, LOGL_NOTICE, "ISUP %s (0x%02x): %s\n", PNAME(code), code, what);
	return -EBADMSG;
}

static int inval(uint8_t code, const char *field, unsigned int val)
{
	LOGP(DSS7, LOGL_ERROR, "ISUP %s (0x%02x): %s %u out of range\n", PNAME(code), code, field, val);
	return -EINVAL;
}

static int bad_digits(uint8_t code)
{
	LOGP(DSS7, LOGL_ERROR, "ISUP %s (0x%02x): address signals: not 0-9, A-F\n", PNAME(code), code);
	return -EINVAL;
}

/* Q.763 §3.9 (CdPN), §3.10 (CgPN), §3.26 (GN), §3.39 (OCN), §3.44 (RDN) */
static int number_decode(struct isup_number *num, uint8_t code, const uint8_t *buf, size_t len)
{
	bool odd;
	int rc;

	if (code == ISUP_PAR_GENERIC_NUMBER) {
		if (len < 1)
			return bad(code, "number qualifier missing");
		num->qualifier = buf[0];
		buf++;
		len--;
	}
	if (len < 2)
		return bad(code, "shorter than its two indicator octets");
	odd = buf[0] & 0x80;
	num->nai = buf[0] & 0x7f;
	num->npi = (buf[1] >> 4) & 0x07;
	switch (code) {
	case ISUP_PAR_CALLED_PARTY_NUMBER:
		num->inn_ni = buf[1] >> 7;
		break;
	case ISUP_PAR_CALLING_PARTY_NUMBER:
	case ISUP_PAR_GENERIC_NUMBER:
		num->inn_ni = buf[1] >> 7;
		num->apri = (buf[1] >> 2) & 0x03;
		num->si = buf[1] & 0x03;
		break;
	default:	/* OCN, RDN: NI and SI are spare */
		num->apri = (buf[1] >> 2) & 0x03;
		break;
	}
	if (len - 2 > ISUP_NUMBER_MAX_DIGITS / 2 + 1)
		return bad(code, "address signals: too many digits");
	rc = isup_digits_decode(num->digits, sizeof(num->digits), buf + 2, len - 2, odd);
	if (rc == -EBADMSG)
		return bad(code, "odd/even indicator odd without address signals");
	if (rc < 0)
		return bad(code, "address signals: too many digits");
	return 0;
}

static int number_encode(uint8_t *out, size_t size, uint8_t code, const struct isup_number *num)
{
	size_t off = 0;
	bool odd;
	int rc;

	if (num->nai > 0x7f)
		return inval(code, "nature of address indicator", num->nai);
	if (num->npi > 7)
		return inval(code, "numbering plan indicator", num->npi);
	if (num->inn_ni > 1)
		return inval(code, "INN/NI", num->inn_ni);
	if (num->apri > 3)
		return inval(code, "address presentation restricted indicator", num->apri);
	if (num->si > 3)
		return inval(code, "screening indicator", num->si);
	if (strnlen(num->digits, sizeof(num->digits)) == sizeof(num->digits))
		return inval(code, "number of digits", sizeof(num->digits));

	if (code == ISUP_PAR_GENERIC_NUMBER) {
		if (size < 1)
			return -ENOSPC;
		out[off++] = num->qualifier;
	}
	if (size - off < 2)
		return -ENOSPC;
	rc = isup_digits_encode(out + off + 2, size - off - 2, num->digits, &odd);
	if (rc == -EINVAL)
		return bad_digits(code);
	if (rc < 0)
		return rc;
	out[off] = (odd ? 0x80 : 0) | num->nai;
	out[off + 1] = num->npi << 4;
	switch (code) {
	case ISUP_PAR_CALLED_PARTY_NUMBER:
		out[off + 1] |= num->inn_ni << 7;
		break;
	case ISUP_PAR_CALLING_PARTY_NUMBER:
	case ISUP_PAR_GENERIC_NUMBER:
		out[off + 1] |= (num->inn_ni << 7) | (num->apri << 2) | num->si;
		break;
	default:
		out[off + 1] |= num->apri << 2;
		break;
	}
	return off + 2 + rc;
}

/* Q.763 §3.12 and Q.850 §2.2 */
static int cause_decode(struct isup_cause *c, uint8_t code, const uint8_t *buf, size_t len)
{
	size_t off = 1;

	if (len < 2)
		return bad(code, "shorter than 2 octets");
	c->coding = (buf[0] >> 5) & 0x03;
	c->location = buf[0] & 0x0f;
	if (!(buf[0] & 0x80)) {
		/* octet 1a: recommendation */
		if (len < 3)
			return bad(code, "recommendation octet 1a without cause value");
		if (!(buf[1] & 0x80))
			return bad(code, "extension bit of recommendation octet 1a not set");
		c->has_rec = true;
		c->rec = buf[1] & 0x7f;
		off = 2;
	}
	if (!(buf[off] & 0x80))
		return bad(code, "extension bit of the cause value octet not set");
	c->value = buf[off] & 0x7f;
	off++;
	c->diag_len = len - off;
	memcpy(c->diag, buf + off, len - off);
	return 0;
}

static int cause_encode(uint8_t *out, size_t size, uint8_t code, const struct isup_cause *c)
{
	size_t need = 2 + (c->has_rec ? 1 : 0) + c->diag_len;
	size_t off = 0;

	if (c->coding > 3)
		return inval(code, "coding standard", c->coding);
	if (c->location > 15)
		return inval(code, "location", c->location);
	if (c->rec > 0x7f)
		return inval(code, "recommendation", c->rec);
	if (c->value > 0x7f)
		return inval(code, "cause value", c->value);
	if (size < need)
		return -ENOSPC;
	out[off++] = (c->has_rec ? 0 : 0x80) | (c->coding << 5) | c->location;
	if (c->has_rec)
		out[off++] = 0x80 | c->rec;
	out[off++] = 0x80 | c->value;
	memcpy(out + off, c->diag, c->diag_len);
	return need;
}

/* Q.763 §3.82 Application transport */
static int app_decode(struct isup_app *a, uint8_t code, const uint8_t *buf, size_t len)
{
	size_t off = 0;

	if (len < 3)
		return bad(code, "shorter than 3 octets");
	if (buf[0] & 0x80) {
		a->aci = buf[0] & 0x7f;
		off = 1;
	} else {
		if (!(buf[1] & 0x80))
			return bad(code, "application context identifier longer than 2 octets");
		a->aci = ((buf[0] & 0x7f) << 7) | (buf[1] & 0x7f);
		off = 2;
	}
	if (len - off < 2)
		return bad(code, "truncated after the application context identifier");
	if (!(buf[off] & 0x80))
		return bad(code, "extension bit of the SNI/RCI octet not set");
	a->sni = (buf[off] >> 1) & 1;
	a->rci = buf[off] & 1;
	off++;
	a->si = (buf[off] >> 6) & 1;
	a->apm_seg = buf[off] & 0x3f;
	if (!(buf[off] & 0x80)) {
		/* octet 3a: segmentation local reference */
		if (len - off < 2)
			return bad(code, "segmentation local reference octet 3a missing");
		if (!(buf[off + 1] & 0x80))
			return bad(code, "extension bit of the segmentation local reference not set");
		a->has_slr = true;
		a->slr = buf[off + 1] & 0x7f;
		off++;
	}
	off++;
	a->info_len = len - off;
	memcpy(a->info, buf + off, len - off);
	return 0;
}

static int app_encode(uint8_t *out, size_t size, uint8_t code, const struct isup_app *a)
{
	size_t need = (a->aci > 0x7f ? 2 : 1) + 2 + (a->has_slr ? 1 : 0) + a->info_len;
	size_t off = 0;

	if (a->aci > 0x3fff)
		return inval(code, "application context identifier", a->aci);
	if (a->sni > 1)
		return inval(code, "send notification indicator", a->sni);
	if (a->rci > 1)
		return inval(code, "release call indicator", a->rci);
	if (a->si > 1)
		return inval(code, "sequence indicator", a->si);
	if (a->apm_seg > 0x3f)
		return inval(code, "APM segmentation indicator", a->apm_seg);
	if (a->slr > 0x7f)
		return inval(code, "segmentation local reference", a->slr);
	if (size < need)
		return -ENOSPC;
	if (a->aci > 0x7f) {
		out[off++] = (a->aci >> 7) & 0x7f;
		out[off++] = 0x80 | (a->aci & 0x7f);
	} else {
		out[off++] = 0x80 | a->aci;
	}
	out[off++] = 0x80 | (a->sni << 1) | a->rci;
	out[off++] = (a->has_slr ? 0 : 0x80) | (a->si << 6) | a->apm_seg;
	if (a->has_slr)
		out[off++] = 0x80 | a->slr;
	memcpy(out + off, a->info, a->info_len);
	return need;
}

/* Q.763 §3.41 Parameter compatibility information */
static int pci_decode(struct isup_pci *p, uint8_t code, const uint8_t *buf, size_t len)
{
	size_t off = 0;

	if (len < 2)
		return bad(code, "shorter than one entry");
	while (off < len) {
		unsigned int n = 0;

		if (p->num == ISUP_PCI_MAX_ENTRIES)
			return bad(code, "too many entries");
		if (len - off < 2)
			return bad(code, "entry without instruction indicators");
		p->entry[p->num].code = buf[off++];
		while (1) {
			if (off >= len)
				return bad(code, "instruction indicators truncated (extension bit)");
			if (n == ISUP_PCI_MAX_INSTR)
				return bad(code, "instruction indicators longer than 4 octets");
			p->entry[p->num].instr[n++] = buf[off] & 0x7f;
			if (buf[off++] & 0x80)
				break;
		}
		p->entry[p->num].num_instr = n;
		p->num++;
	}
	return 0;
}

static int pci_encode(uint8_t *out, size_t size, uint8_t code, const struct isup_pci *p)
{
	size_t off = 0;
	unsigned int i, j;

	if (p->num < 1 || p->num > ISUP_PCI_MAX_ENTRIES)
		return inval(code, "number of entries", p->num);
	for (i = 0; i < p->num; i++) {
		unsigned int n = p->entry[i].num_instr;

		if (n < 1 || n > ISUP_PCI_MAX_INSTR)
			return inval(code, "number of instruction octets", n);
		if (size - off < 1 + n)
			return -ENOSPC;
		out[off++] = p->entry[i].code;
		for (j = 0; j < n; j++) {
			if (p->entry[i].instr[j] > 0x7f)
				return inval(code, "instruction indicators", p->entry[i].instr[j]);
			out[off++] = p->entry[i].instr[j] | (j == n - 1 ? 0x80 : 0);
		}
	}
	return off;
}

/* Q.763 §3.33 Message compatibility information: instruction indicators,
 * the extension bit set in the last octet, nothing after it */
static int mci_decode(struct isup_mci *m, uint8_t code, const uint8_t *buf, size_t len)
{
	size_t off = 0;

	if (len < 1)
		return bad(code, "instruction indicators missing");
	while (1) {
		if (off >= len)
			return bad(code, "instruction indicators truncated (extension bit)");
		if (m->num_instr == ISUP_PCI_MAX_INSTR)
			return bad(code, "instruction indicators longer than 4 octets");
		m->instr[m->num_instr++] = buf[off] & 0x7f;
		if (buf[off++] & 0x80)
			break;
	}
	if (off != len)
		return bad(code, "octets after the last instruction indicator");
	return 0;
}

static int mci_encode(uint8_t *out, size_t size, uint8_t code, const struct isup_mci *m)
{
	unsigned int j, n = m->num_instr;

	if (n < 1 || n > ISUP_PCI_MAX_INSTR)
		return inval(code, "number of instruction octets", n);
	if (size < n)
		return -ENOSPC;
	for (j = 0; j < n; j++) {
		if (m->instr[j] > 0x7f)
			return inval(code, "instruction indicators", m->instr[j]);
		out[j] = m->instr[j] | (j == n - 1 ? 0x80 : 0);
	}
	return n;
}

/* Q.763 §3.14 Circuit state indicator: one octet per circuit, HG spare */
static int csi_decode(struct isup_circuit_state *cs, uint8_t code, const uint8_t *buf, size_t len)
{
	size_t i;

	if (len < 1)
		return bad(code, "no circuit state");
	cs->num = len;
	for (i = 0; i < len; i++)
		cs->state[i] = buf[i] & 0x3f;
	return 0;
}

static int csi_encode(uint8_t *out, size_t size, uint8_t code, const struct isup_circuit_state *cs)
{
	unsigned int i;

	if (cs->num < 1)
		return inval(code, "number of circuit states", cs->num);
	for (i = 0; i < cs->num; i++) {
		if (cs->state[i] > 0x3f)
			return inval(code, "circuit state", cs->state[i]);
	}
	if (size < cs->num)
		return -ENOSPC;
	memcpy(out, cs->state, cs->num);
	return cs->num;
}

/* Q.763 §3.43 Range and status */
static int range_status_decode(struct isup_range_status *rs, uint8_t code, const uint8_t *buf, size_t len)
{
	if (len < 1)
		return bad(code, "range missing");
	rs->range = buf[0];
	if (len == 1)
		return 0;
	/* one status bit per circuit: range + 1 bits */
	if (len - 1 != (size_t)rs->range / 8 + 1)
		return bad(code, "status length does not match the range");
	rs->status_len = len - 1;
	memcpy(rs->status, buf + 1, len - 1);
	return 0;
}

static int range_status_encode(uint8_t *out, size_t size, uint8_t code, const struct isup_range_status *rs)
{
	if (rs->status_len && rs->status_len != rs->range / 8 + 1)
		return inval(code, "status length", rs->status_len);
	if (size < 1u + rs->status_len)
		return -ENOSPC;
	out[0] = rs->range;
	memcpy(out + 1, rs->status, rs->status_len);
	return 1 + rs->status_len;
}

static int fixed_len_check(uint8_t code, size_t len, size_t want)
{
	if (len != want) {
		LOGP(DSS7, LOGL_NOTICE, "ISUP %s (0x%02x): length %zu, expected %zu\n",
		     PNAME(code), code, len, want);
		return -EBADMSG;
	}
	return 0;
}

int isup_param_decode(struct isup_param *par, uint8_t code, const uint8_t *buf, size_t len)
{
	int rc = 0;

	memset(par, 0, sizeof(*par));
	par->code = code;
	if (len > ISUP_PARAM_MAX_LEN)
		return bad(code, "longer than 255 octets");

	switch (code) {
	case ISUP_PAR_CALLED_PARTY_NUMBER:
	case ISUP_PAR_CALLING_PARTY_NUMBER:
	case ISUP_PAR_REDIRECTING_NUMBER:
	case ISUP_PAR_ORIG_CALLED_NUMBER:
	case ISUP_PAR_GENERIC_NUMBER:
		rc = number_decode(&par->u.number, code, buf, len);
		break;
	case ISUP_PAR_SUBSEQUENT_NUMBER:
		/* Q.763 §3.51: O/E and spare, then digits */
		if (len < 1)
			return bad(code, "odd/even octet missing");
		if (len - 1 > ISUP_NUMBER_MAX_DIGITS / 2)
			return bad(code, "address signals: too many digits");
		rc = isup_digits_decode(par->u.subsequent.digits, sizeof(par->u.subsequent.digits),
					buf + 1, len - 1, buf[0] & 0x80);
		if (rc < 0)
			return bad(code, "odd/even indicator odd without address signals");
		rc = 0;
		break;
	case ISUP_PAR_CAUSE:
		rc = cause_decode(&par->u.cause, code, buf, len);
		break;
	case ISUP_PAR_APP_TRANSPORT:
		rc = app_decode(&par->u.app, code, buf, len);
		break;
	case ISUP_PAR_PCI:
		rc = pci_decode(&par->u.pci, code, buf, len);
		break;
	case ISUP_PAR_RANGE_STATUS:
		rc = range_status_decode(&par->u.range_status, code, buf, len);
		break;
	case ISUP_PAR_REDIRECTION_INFO:
		/* Q.763 §3.45 */
		if (len < 1 || len > 2)
			return bad(code, "length not 1 or 2");
		par->u.redir.indicator = buf[0] & 0x07;
		par->u.redir.orig_reason = buf[0] >> 4;
		if (len == 2) {
			par->u.redir.has_octet2 = true;
			par->u.redir.counter = buf[1] & 0x07;
			par->u.redir.reason = buf[1] >> 4;
		}
		break;
	case ISUP_PAR_FCI:
		/* Q.763 §3.23 */
		rc = fixed_len_check(code, len, 2);
		if (rc < 0)
			return rc;
		par->u.fci.international = buf[0] & 1;
		par->u.fci.e2e_method = (buf[0] >> 1) & 3;
		par->u.fci.interworking = (buf[0] >> 3) & 1;
		par->u.fci.e2e_info = (buf[0] >> 4) & 1;
		par->u.fci.isup = (buf[0] >> 5) & 1;
		par->u.fci.isup_pref = (buf[0] >> 6) & 3;
		par->u.fci.isdn_access = buf[1] & 1;
		par->u.fci.sccp_method = (buf[1] >> 1) & 3;
		par->u.fci.national = buf[1] >> 4;
		break;
	case ISUP_PAR_BCI:
		/* Q.763 §3.5 */
		rc = fixed_len_check(code, len, 2);
		if (rc < 0)
			return rc;
		par->u.bci.charge = buf[0] & 3;
		par->u.bci.called_status = (buf[0] >> 2) & 3;
		par->u.bci.called_category = (buf[0] >> 4) & 3;
		par->u.bci.e2e_method = (buf[0] >> 6) & 3;
		par->u.bci.interworking = buf[1] & 1;
		par->u.bci.e2e_info = (buf[1] >> 1) & 1;
		par->u.bci.isup = (buf[1] >> 2) & 1;
		par->u.bci.holding = (buf[1] >> 3) & 1;
		par->u.bci.isdn_access = (buf[1] >> 4) & 1;
		par->u.bci.echo = (buf[1] >> 5) & 1;
		par->u.bci.sccp_method = (buf[1] >> 6) & 3;
		break;
	case ISUP_PAR_NCI:
		/* Q.763 §3.35 */
		rc = fixed_len_check(code, len, 1);
		if (rc < 0)
			return rc;
		par->u.nci.satellite = buf[0] & 3;
		par->u.nci.continuity = (buf[0] >> 2) & 3;
		par->u.nci.echo = (buf[0] >> 4) & 1;
		break;
	case ISUP_PAR_OFCI:
		/* Q.763 §3.38 */
		rc = fixed_len_check(code, len, 1);
		if (rc < 0)
			return rc;
		par->u.ofci.cug = buf[0] & 3;
		par->u.ofci.segmentation = (buf[0] >> 2) & 1;
		par->u.ofci.clir = buf[0] >> 7;
		break;
	case ISUP_PAR_OBCI:
		/* Q.763 §3.37 */
		rc = fixed_len_check(code, len, 1);
		if (rc < 0)
			return rc;
		par->u.obci.inband = buf[0] & 1;
		par->u.obci.diversion = (buf[0] >> 1) & 1;
		par->u.obci.segmentation = (buf[0] >> 2) & 1;
		par->u.obci.mlpp = (buf[0] >> 3) & 1;
		par->u.obci.national = buf[0] >> 4;
		break;
	case ISUP_PAR_EVENT_INFO:
		/* Q.763 §3.21 */
		rc = fixed_len_check(code, len, 1);
		if (rc < 0)
			return rc;
		par->u.event.event = buf[0] & 0x7f;
		par->u.event.pres_restricted = buf[0] >> 7;
		break;
	case ISUP_PAR_HOP_COUNTER:
		/* Q.763 §3.80: 5 bits, HGF spare */
		rc = fixed_len_check(code, len, 1);
		if (rc < 0)
			return rc;
		par->u.u8 = buf[0] & 0x1f;
		break;
	case ISUP_PAR_CGSMT:
		/* Q.763 §3.13: BA type indicator, rest spare */
		rc = fixed_len_check(code, len, 1);
		if (rc < 0)
			return rc;
		par->u.u8 = buf[0] & 0x03;
		break;
	case ISUP_PAR_SUSPEND_RESUME:
		/* Q.763 §3.52: A, rest spare */
		rc = fixed_len_check(code, len, 1);
		if (rc < 0)
			return rc;
		par->u.u8 = buf[0] & 0x01;
		break;
	case ISUP_PAR_CPC:		/* Q.763 §3.11 */
	case ISUP_PAR_TMR:		/* Q.763 §3.54 */
		rc = fixed_len_check(code, len, 1);
		if (rc < 0)
			return rc;
		par->u.u8 = buf[0];
		break;
	case ISUP_PAR_CONTINUITY:
		/* Q.763 §3.18: A continuity (1 = check successful), rest spare */
		rc = fixed_len_check(code, len, 1);
		if (rc < 0)
			return rc;
		par->u.u8 = buf[0] & 0x01;
		break;
	case ISUP_PAR_MCID_REQ:		/* Q.763 §3.31: A MCID, B holding; rest spare */
	case ISUP_PAR_MCID_RSP:		/* Q.763 §3.32: A MCID included, B hold provided */
		rc = fixed_len_check(code, len, 1);
		if (rc < 0)
			return rc;
		par->u.u8 = buf[0] & 0x03;
		break;
	case ISUP_PAR_CALL_REF:
		/* Q.763 §3.8: call identity (3 octets, most significant
		 * first as tshark and jSS7 read it), then a 14-bit signalling
		 * point code, least significant octet first as in §3.50 */
		rc = fixed_len_check(code, len, 5);
		if (rc < 0)
			return rc;
		par->u.call_ref.call_id = ((uint32_t)buf[0] << 16) | (buf[1] << 8) | buf[2];
		par->u.call_ref.spc = (buf[3] | (buf[4] << 8)) & 0x3fff;
		break;
	case ISUP_PAR_INR_IND:
		/* Q.763 §3.29: C, F, G and L-I spare */
		rc = fixed_len_check(code, len, 2);
		if (rc < 0)
			return rc;
		par->u.inr.cgpn = buf[0] & 1;
		par->u.inr.holding = (buf[0] >> 1) & 1;
		par->u.inr.cpc = (buf[0] >> 3) & 1;
		par->u.inr.charge = (buf[0] >> 4) & 1;
		par->u.inr.mcid = buf[0] >> 7;
		par->u.inr.national = buf[1] >> 4;
		break;
	case ISUP_PAR_INF_IND:
		/* Q.763 §3.28: E-D and L-I spare */
		rc = fixed_len_check(code, len, 2);
		if (rc < 0)
			return rc;
		par->u.inf.cgpn = buf[0] & 3;
		par->u.inf.hold = (buf[0] >> 2) & 1;
		par->u.inf.cpc = (buf[0] >> 5) & 1;
		par->u.inf.charge = (buf[0] >> 6) & 1;
		par->u.inf.unsolicited = buf[0] >> 7;
		par->u.inf.national = buf[1] >> 4;
		break;
	case ISUP_PAR_CIRCUIT_STATE:
		rc = csi_decode(&par->u.csi, code, buf, len);
		break;
	case ISUP_PAR_MCI:
		rc = mci_decode(&par->u.mci, code, buf, len);
		break;
	default:
		par->opaque = true;
		par->u.opaque.len = len;
		memcpy(par->u.opaque.data, buf, len);
		break;
	}
	if (rc < 0)
		return rc;
	return len;
}

static int u8_encode(uint8_t *out, size_t size, uint8_t code, uint8_t v, uint8_t max, const char *field)
{
	if (v > max)
		return inval(code, field, v);
	if (size < 1)
		return -ENOSPC;
	out[0] = v;
	return 1;
}

#define CHK(field, max) do { \
		if ((field) > (max)) \
			return inval(par->code, strrchr(#field, '>') + 1, (field)); \
	} while (0)

int isup_param_encode(uint8_t *out, size_t size, const struct isup_param *par)
{
	uint8_t code = par->code;
	size_t n;
	int rc;

	if (par->opaque) {
		n = par->u.opaque.len;
		if (size < n)
			return -ENOSPC;
		memcpy(out, par->u.opaque.data, n);
		return n;
	}

	switch (code) {
	case ISUP_PAR_CALLED_PARTY_NUMBER:
	case ISUP_PAR_CALLING_PARTY_NUMBER:
	case ISUP_PAR_REDIRECTING_NUMBER:
	case ISUP_PAR_ORIG_CALLED_NUMBER:
	case ISUP_PAR_GENERIC_NUMBER:
		return number_encode(out, size, code, &par->u.number);
	case ISUP_PAR_SUBSEQUENT_NUMBER: {
		bool odd;

		if (strnlen(par->u.subsequent.digits, sizeof(par->u.subsequent.digits))
		    == sizeof(par->u.subsequent.digits))
			return inval(code, "number of digits", sizeof(par->u.subsequent.digits));
		if (size < 1)
			return -ENOSPC;
		rc = isup_digits_encode(out + 1, size - 1, par->u.subsequent.digits, &odd);
		if (rc == -EINVAL)
			return bad_digits(code);
		if (rc < 0)
			return rc;
		out[0] = odd ? 0x80 : 0;
		return rc + 1;
	}
	case ISUP_PAR_CAUSE:
		return cause_encode(out, size, code, &par->u.cause);
	case ISUP_PAR_APP_TRANSPORT:
		return app_encode(out, size, code, &par->u.app);
	case ISUP_PAR_PCI:
		return pci_encode(out, size, code, &par->u.pci);
	case ISUP_PAR_RANGE_STATUS:
		return range_status_encode(out, size, code, &par->u.range_status);
	case ISUP_PAR_REDIRECTION_INFO: {
		const struct isup_redir_info *r = &par->u.redir;

		CHK(r->indicator, 7);
		CHK(r->orig_reason, 15);
		CHK(r->counter, 7);
		CHK(r->reason, 15);
		n = r->has_octet2 ? 2 : 1;
		if (size < n)
			return -ENOSPC;
		out[0] = (r->orig_reason << 4) | r->indicator;
		if (r->has_octet2)
			out[1] = (r->reason << 4) | r->counter;
		return n;
	}
	case ISUP_PAR_FCI: {
		const struct isup_fci *f = &par->u.fci;

		CHK(f->international, 1);
		CHK(f->e2e_method, 3);
		CHK(f->interworking, 1);
		CHK(f->e2e_info, 1);
		CHK(f->isup, 1);
		CHK(f->isup_pref, 3);
		CHK(f->isdn_access, 1);
		CHK(f->sccp_method, 3);
		CHK(f->national, 15);
		if (size < 2)
			return -ENOSPC;
		out[0] = f->international | (f->e2e_method << 1) | (f->interworking << 3) |
			 (f->e2e_info << 4) | (f->isup << 5) | (f->isup_pref << 6);
		out[1] = f->isdn_access | (f->sccp_method << 1) | (f->national << 4);
		return 2;
	}
	case ISUP_PAR_BCI: {
		const struct isup_bci *b = &par->u.bci;

		CHK(b->charge, 3);
		CHK(b->called_status, 3);
		CHK(b->called_category, 3);
		CHK(b->e2e_method, 3);
		CHK(b->interworking, 1);
		CHK(b->e2e_info, 1);
		CHK(b->isup, 1);
		CHK(b->holding, 1);
		CHK(b->isdn_access, 1);
		CHK(b->echo, 1);
		CHK(b->sccp_method, 3);
		if (size < 2)
			return -ENOSPC;
		out[0] = b->charge | (b->called_status << 2) | (b->called_category << 4) |
			 (b->e2e_method << 6);
		out[1] = b->interworking | (b->e2e_info << 1) | (b->isup << 2) | (b->holding << 3) |
			 (b->isdn_access << 4) | (b->echo << 5) | (b->sccp_method << 6);
		return 2;
	}
	case ISUP_PAR_NCI: {
		const struct isup_nci *c = &par->u.nci;

		CHK(c->satellite, 3);
		CHK(c->continuity, 3);
		CHK(c->echo, 1);
		return u8_encode(out, size, code, c->satellite | (c->continuity << 2) | (c->echo << 4),
				 0xff, "value");
	}
	case ISUP_PAR_OFCI: {
		const struct isup_ofci *o = &par->u.ofci;

		CHK(o->cug, 3);
		CHK(o->segmentation, 1);
		CHK(o->clir, 1);
		return u8_encode(out, size, code, o->cug | (o->segmentation << 2) | (o->clir << 7),
				 0xff, "value");
	}
	case ISUP_PAR_OBCI: {
		const struct isup_obci *o = &par->u.obci;

		CHK(o->inband, 1);
		CHK(o->diversion, 1);
		CHK(o->segmentation, 1);
		CHK(o->mlpp, 1);
		CHK(o->national, 15);
		return u8_encode(out, size, code, o->inband | (o->diversion << 1) |
				 (o->segmentation << 2) | (o->mlpp << 3) | (o->national << 4),
				 0xff, "value");
	}
	case ISUP_PAR_EVENT_INFO:
		CHK(par->u.event.event, 0x7f);
		CHK(par->u.event.pres_restricted, 1);
		return u8_encode(out, size, code,
				 par->u.event.event | (par->u.event.pres_restricted << 7), 0xff, "value");
	case ISUP_PAR_HOP_COUNTER:
		return u8_encode(out, size, code, par->u.u8, 0x1f, "hop counter");
	case ISUP_PAR_CGSMT:
		return u8_encode(out, size, code, par->u.u8, 0x03, "type indicator");
	case ISUP_PAR_SUSPEND_RESUME:
		return u8_encode(out, size, code, par->u.u8, 0x01, "suspend/resume indicator");
	case ISUP_PAR_CPC:
	case ISUP_PAR_TMR:
		return u8_encode(out, size, code, par->u.u8, 0xff, "value");
	case ISUP_PAR_CONTINUITY:
		return u8_encode(out, size, code, par->u.u8, 0x01, "continuity indicator");
	case ISUP_PAR_MCID_REQ:
	case ISUP_PAR_MCID_RSP:
		return u8_encode(out, size, code, par->u.u8, 0x03, "indicators");
	case ISUP_PAR_CALL_REF: {
		const struct isup_call_ref *r = &par->u.call_ref;

		CHK(r->call_id, 0xffffff);
		CHK(r->spc, 0x3fff);
		if (size < 5)
			return -ENOSPC;
		out[0] = r->call_id >> 16;
		out[1] = (r->call_id >> 8) & 0xff;
		out[2] = r->call_id & 0xff;
		out[3] = r->spc & 0xff;
		out[4] = r->spc >> 8;
		return 5;
	}
	case ISUP_PAR_INR_IND: {
		const struct isup_inr_ind *r = &par->u.inr;

		CHK(r->cgpn, 1);
		CHK(r->holding, 1);
		CHK(r->cpc, 1);
		CHK(r->charge, 1);
		CHK(r->mcid, 1);
		CHK(r->national, 15);
		if (size < 2)
			return -ENOSPC;
		out[0] = r->cgpn | (r->holding << 1) | (r->cpc << 3) | (r->charge << 4) | (r->mcid << 7);
		out[1] = r->national << 4;
		return 2;
	}
	case ISUP_PAR_INF_IND: {
		const struct isup_inf_ind *f = &par->u.inf;

		CHK(f->cgpn, 3);
		CHK(f->hold, 1);
		CHK(f->cpc, 1);
		CHK(f->charge, 1);
		CHK(f->unsolicited, 1);
		CHK(f->national, 15);
		if (size < 2)
			return -ENOSPC;
		out[0] = f->cgpn | (f->hold << 2) | (f->cpc << 5) | (f->charge << 6) | (f->unsolicited << 7);
		out[1] = f->national << 4;
		return 2;
	}
	case ISUP_PAR_CIRCUIT_STATE:
		return csi_encode(out, size, code, &par->u.csi);
	case ISUP_PAR_MCI:
		return mci_encode(out, size, code, &par->u.mci);
	default:
		/* a parameter we do not interpret must be marked opaque */
		LOGP(DSS7, LOGL_ERROR, "ISUP parameter 0x%02x: not typed and not marked opaque\n", code);
		return -EINVAL;
	}
}

/* ------------------------------------------------------------------------
 * Messages
 * ------------------------------------------------------------------------ */

int isup_msg_init(struct isup_msg *msg, uint8_t type, uint16_t cic)
{
	const struct isup_layout *l = isup_layout_find(type);
	unsigned int i;

	memset(msg, 0, sizeof(*msg));
	if (!l || cic > ISUP_CIC_MAX)
		return -EINVAL;
	msg->cic = cic;
	msg->type = type;
	for (i = 0; i < l->num_fixed; i++)
		msg->mand[msg->num_mand++].code = l->fixed[i].code;
	for (i = 0; i < l->num_var; i++)
		msg->mand[msg->num_mand++].code = l->var[i];
	return 0;
}

const struct isup_param *isup_msg_param_find_c(const struct isup_msg *msg, uint8_t code)
{
	unsigned int i;

	for (i = 0; i < msg->num_mand && i < ISUP_MAX_MAND; i++) {
		if (msg->mand[i].code == code)
			return &msg->mand[i];
	}
	for (i = 0; i < msg->num_opt && i < ISUP_MAX_OPT; i++) {
		if (msg->opt[i].code == code)
			return &msg->opt[i];
	}
	return NULL;
}

struct isup_param *isup_msg_param_find(struct isup_msg *msg, uint8_t code)
{
	return (struct isup_param *)isup_msg_param_find_c(msg, code);
}

struct isup_param *isup_msg_opt_add(struct isup_msg *msg, uint8_t code)
{
	const struct isup_layout *l = isup_layout_find(msg->type);
	struct isup_param *par;

	if (!l || !l->opt || code == ISUP_PAR_END_OF_OPT || msg->num_opt >= ISUP_MAX_OPT)
		return NULL;
	par = &msg->opt[msg->num_opt++];
	memset(par, 0, sizeof(*par));
	par->code = code;
	par->opaque = !isup_param_is_typed(code);
	return par;
}

void isup_msg_opt_del(struct isup_msg *msg, unsigned int idx)
{
	if (idx >= msg->num_opt)
		return;
	memmove(&msg->opt[idx], &msg->opt[idx + 1], (msg->num_opt - idx - 1) * sizeof(msg->opt[0]));
	msg->num_opt--;
	memset(&msg->opt[msg->num_opt], 0, sizeof(msg->opt[0]));
}

/* Q.763 §3.43: the status subfield is absent in GRS, CQM and CQR, and
 * present in the other circuit group messages we handle */
static bool range_status_ok(uint8_t type, const struct isup_range_status *rs)
{
	switch (type) {
	case ISUP_MSG_GRS:
	case ISUP_MSG_CQM:
	case ISUP_MSG_CQR:
		return rs->status_len == 0;
	default:
		return rs->status_len != 0;
	}
}

/* What the message's parameters must agree on: the range and status
 * subfield (above), and in a CQR one circuit state per circuit of the range
 * (Q.763 §3.14).  \returns NULL or what is wrong */
static const char *mand_consistent(const struct isup_msg *msg)
{
	const struct isup_param *rs = NULL, *cs = NULL;
	unsigned int i;

	for (i = 0; i < msg->num_mand && i < ISUP_MAX_MAND; i++) {
		if (msg->mand[i].opaque)
			continue;
		if (msg->mand[i].code == ISUP_PAR_RANGE_STATUS)
			rs = &msg->mand[i];
		else if (msg->mand[i].code == ISUP_PAR_CIRCUIT_STATE)
			cs = &msg->mand[i];
	}
	if (rs && !range_status_ok(msg->type, &rs->u.range_status))
		return rs->u.range_status.status_len ? "range and status: status subfield present" :
		       "range and status: status subfield missing";
	if (rs && cs && cs->u.csi.num != rs->u.range_status.range + 1)
		return "circuit state indicator: not one state per circuit of the range";
	return NULL;
}

static int decode_layout(struct isup_msg *msg, const struct isup_layout *l, const uint8_t *buf, size_t len)
{
	const char *tname = isup_msg_type_name(msg->type);
	const char *why;
	size_t off = 3, end, p, nptr;
	unsigned int i;
	int rc;

	/* mandatory fixed part */
	for (i = 0; i < l->num_fixed; i++) {
		uint8_t code = l->fixed[i].code;
		size_t flen = l->fixed[i].len;

		if (len - off < flen) {
			LOGP(DSS7, LOGL_NOTICE, "ISUP %s CIC %u: %s truncated\n",
			     tname, msg->cic, PNAME(code));
			return -EBADMSG;
		}
		rc = isup_param_decode(&msg->mand[msg->num_mand++], code, buf + off, flen);
		if (rc < 0)
			return rc;
		off += flen;
	}

	/* Q.763 §1.6: pointers, each counting from its own octet */
	nptr = l->num_var + (l->opt ? 1 : 0);
	if (len - off < nptr) {
		LOGP(DSS7, LOGL_NOTICE, "ISUP %s CIC %u: pointers truncated\n", tname, msg->cic);
		return -EBADMSG;
	}
	end = off + nptr;
	p = off;

	for (i = 0; i < l->num_var; i++, p++) {
		uint8_t code = l->var[i];
		size_t target, plen;

		if (buf[p] == 0 || len - p <= buf[p]) {
			LOGP(DSS7, LOGL_NOTICE, "ISUP %s CIC %u: pointer to %s out of the message\n",
			     tname, msg->cic, PNAME(code));
			return -EBADMSG;
		}
		target = p + buf[p];
		plen = buf[target];
		if (len - target - 1 < plen) {
			LOGP(DSS7, LOGL_NOTICE, "ISUP %s CIC %u: %s truncated\n",
			     tname, msg->cic, PNAME(code));
			return -EBADMSG;
		}
		rc = isup_param_decode(&msg->mand[msg->num_mand], code, buf + target + 1, plen);
		if (rc < 0)
			return rc;
		msg->num_mand++;
		if (target + 1 + plen > end)
			end = target + 1 + plen;
	}
	why = mand_consistent(msg);
	if (why) {
		LOGP(DSS7, LOGL_NOTICE, "ISUP %s CIC %u: %s\n", tname, msg->cic, why);
		return -EBADMSG;
	}

	if (l->opt && buf[p] != 0) {
		size_t i_opt;

		if (len - p <= buf[p]) {
			LOGP(DSS7, LOGL_NOTICE, "ISUP %s CIC %u: pointer to optional part out of the message\n",
			     tname, msg->cic);
			return -EBADMSG;
		}
		i_opt = p + buf[p];
		while (1) {
			uint8_t code;
			size_t plen;

			if (i_opt >= len) {
				LOGP(DSS7, LOGL_NOTICE, "ISUP %s CIC %u: optional part without end of optional parameters\n",
				     tname, msg->cic);
				return -EBADMSG;
			}
			code = buf[i_opt];
			if (code == ISUP_PAR_END_OF_OPT) {
				i_opt++;
				break;
			}
			if (len - i_opt < 2) {
				LOGP(DSS7, LOGL_NOTICE, "ISUP %s CIC %u: optional %s: length indicator missing\n",
				     tname, msg->cic, PNAME(code));
				return -EBADMSG;
			}
			plen = buf[i_opt + 1];
			if (len - i_opt - 2 < plen) {
				LOGP(DSS7, LOGL_NOTICE, "ISUP %s CIC %u: optional %s (0x%02x) truncated\n",
				     tname, msg->cic, PNAME(code), code);
				return -EBADMSG;
			}
			if (msg->num_opt >= ISUP_MAX_OPT) {
				LOGP(DSS7, LOGL_NOTICE, "ISUP %s CIC %u: more than %u optional parameters\n",
				     tname, msg->cic, ISUP_MAX_OPT);
				return -EBADMSG;
			}
			rc = isup_param_decode(&msg->opt[msg->num_opt], code, buf + i_opt + 2, plen);
			if (rc < 0)
				return rc;
			msg->num_opt++;
			i_opt += 2 + plen;
		}
		if (i_opt > end)
			end = i_opt;
	}
	return end;
}

/* Q.763 §1.2: CIC, 2 octets, least significant octet first; message type */
static int decode_header(struct isup_msg *msg, const uint8_t *buf, size_t len)
{
	memset(msg, 0, sizeof(*msg));
	if (len < 3) {
		LOGP(DSS7, LOGL_NOTICE, "ISUP: %zu octets, shorter than CIC and message type\n", len);
		return -EBADMSG;
	}
	msg->cic = buf[0] | ((buf[1] & 0x0f) << 8);
	msg->type = buf[2];
	return 0;
}

int isup_msg_decode(struct isup_msg *msg, const uint8_t *buf, size_t len)
{
	const struct isup_layout *l;
	int rc;

	rc = decode_header(msg, buf, len);
	if (rc < 0)
		return rc;
	l = isup_layout_find(msg->type);
	if (!l) {
		LOGP(DSS7, LOGL_NOTICE, "ISUP CIC %u: message type 0x%02x not handled\n",
		     msg->cic, msg->type);
		return -ENOTSUP;
	}
	return decode_layout(msg, l, buf, len);
}

/* Message types of Q.763 Table 4 with a mandatory part that this codec does
 * not lay out: their octets after the message type are no pointer to an
 * optional part */
static bool type_has_mandatory_part(uint8_t type)
{
	switch (type) {
	case 0x1f:	/* FAR: facility indicator */
	case 0x20:	/* FAA */
	case 0x21:	/* FRJ: facility indicator, cause */
	case 0x28:	/* PAM: the message passed along */
	case 0x2d:	/* USR: user-to-user information */
	case 0x30:	/* OLM: message type only */
	case 0x31:	/* CRG: charge information, national format */
		return true;
	default:
		return false;
	}
}

int isup_msg_decode_unrecognized(struct isup_msg *msg, const uint8_t *buf, size_t len)
{
	static const struct isup_layout optional_only = { .opt = true };
	int rc;

	rc = decode_header(msg, buf, len);
	if (rc < 0)
		return rc;
	if (isup_layout_find(msg->type) || type_has_mandatory_part(msg->type))
		return -EINVAL;
	return decode_layout(msg, &optional_only, buf, len);
}

/* Write one parameter value with its length octet in front. */
static int put_lv(uint8_t *out, size_t size, size_t off, const struct isup_param *par)
{
	uint8_t tmp[ISUP_PARAM_MAX_LEN];
	int rc;

	rc = isup_param_encode(tmp, sizeof(tmp), par);
	if (rc == -ENOSPC) {
		LOGP(DSS7, LOGL_ERROR, "ISUP %s: value longer than 255 octets\n", PNAME(par->code));
		return -EMSGSIZE;
	}
	if (rc < 0)
		return rc;
	if (size - off < 1 + (size_t)rc)
		return -ENOSPC;
	out[off] = rc;
	memcpy(out + off + 1, tmp, rc);
	return 1 + rc;
}

static int put_ptr(uint8_t *out, size_t p, size_t target, const char *what)
{
	if (target - p > 0xff) {
		LOGP(DSS7, LOGL_ERROR, "ISUP: pointer to %s does not fit in one octet\n", what);
		return -EMSGSIZE;
	}
	out[p] = target - p;
	return 0;
}

int isup_msg_encode(uint8_t *out, size_t size, const struct isup_msg *msg)
{
	const struct isup_layout *l = isup_layout_find(msg->type);
	const char *why;
	size_t off, p, nptr;
	unsigned int i, m = 0;
	int rc;

	if (!l) {
		LOGP(DSS7, LOGL_ERROR, "ISUP: cannot encode message type 0x%02x\n", msg->type);
		return -EINVAL;
	}
	if (msg->cic > ISUP_CIC_MAX) {
		LOGP(DSS7, LOGL_ERROR, "ISUP: CIC %u above %u\n", msg->cic, ISUP_CIC_MAX);
		return -EINVAL;
	}
	if (msg->num_mand != l->num_fixed + l->num_var || msg->num_mand > ISUP_MAX_MAND) {
		LOGP(DSS7, LOGL_ERROR, "ISUP %s: %u mandatory parameters, not as in Q.763\n",
		     isup_msg_type_name(msg->type), msg->num_mand);
		return -EINVAL;
	}
	if (msg->num_opt > ISUP_MAX_OPT || (msg->num_opt && !l->opt)) {
		LOGP(DSS7, LOGL_ERROR, "ISUP %s: optional parameters in a message without optional part\n",
		     isup_msg_type_name(msg->type));
		return -EINVAL;
	}
	if (size < 3)
		return -ENOSPC;
	out[0] = msg->cic & 0xff;
	out[1] = msg->cic >> 8;
	out[2] = msg->type;
	off = 3;

	for (i = 0; i < l->num_fixed; i++, m++) {
		const struct isup_param *par = &msg->mand[m];

		if (par->code != l->fixed[i].code)
			return inval(par->code, "mandatory parameter in place of fixed parameter", i);
		rc = isup_param_encode(out + off, size - off, par);
		if (rc < 0)
			return rc;
		if (rc != l->fixed[i].len)
			return inval(par->code, "length", rc);
		off += rc;
	}

	nptr = l->num_var + (l->opt ? 1 : 0);
	if (size - off < nptr)
		return -ENOSPC;
	p = off;
	off += nptr;

	for (i = 0; i < l->num_var; i++, p++) {
		const struct isup_param *par = &msg->mand[m++];

		if (par->code != l->var[i])
			return inval(par->code, "mandatory parameter in place of variable parameter", i);
		rc = put_ptr(out, p, off, PNAME(par->code));
		if (rc < 0)
			return rc;
		rc = put_lv(out, size, off, par);
		if (rc < 0)
			return rc;
		off += rc;
	}
	why = mand_consistent(msg);
	if (why) {
		LOGP(DSS7, LOGL_ERROR, "ISUP %s: %s\n", isup_msg_type_name(msg->type), why);
		return -EINVAL;
	}

	if (l->opt) {
		if (msg->num_opt == 0) {
			out[p] = 0;
			return off;
		}
		rc = put_ptr(out, p, off, "optional part");
		if (rc < 0)
			return rc;
		for (i = 0; i < msg->num_opt; i++) {
			const struct isup_param *par = &msg->opt[i];

			if (par->code == ISUP_PAR_END_OF_OPT) {
				LOGP(DSS7, LOGL_ERROR, "ISUP %s: optional parameter with code 0\n",
				     isup_msg_type_name(msg->type));
				return -EINVAL;
			}
			if (size - off < 1)
				return -ENOSPC;
			out[off++] = par->code;
			rc = put_lv(out, size, off, par);
			if (rc < 0)
				return rc;
			off += rc;
		}
		if (size - off < 1)
			return -ENOSPC;
		out[off++] = ISUP_PAR_END_OF_OPT;
	}
	return off;
}

/* ------------------------------------------------------------------------
 * Simple segmentation, Q.764 §2.1.12
 * ------------------------------------------------------------------------ */

/* The parameter that carries the simple segmentation indicator, Q.763 §3.37
 * and §3.38; 0 for a message that cannot be segmented. */
static uint8_t seg_ind_code(uint8_t type)
{
	switch (type) {
	case ISUP_MSG_IAM:
		return ISUP_PAR_OFCI;
	case ISUP_MSG_ACM:
	case ISUP_MSG_CON:
	case ISUP_MSG_ANM:
	case ISUP_MSG_CPG:
		return ISUP_PAR_OBCI;
	default:
		return 0;
	}
}

static int seg_ind_find(const struct isup_msg *msg, uint8_t code)
{
	unsigned int i;

	for (i = 0; i < msg->num_opt; i++) {
		if (msg->opt[i].code == code && !msg->opt[i].opaque)
			return i;
	}
	return -1;
}

static void seg_ind_set(struct isup_param *par, uint8_t v)
{
	if (par->code == ISUP_PAR_OFCI)
		par->u.ofci.segmentation = v;
	else
		par->u.obci.segmentation = v;
}

/* 0 when it fits, -ENOSPC when it does not, else an encoding error */
static int fits(uint8_t *scratch, size_t limit, const struct isup_msg *msg)
{
	int rc = isup_msg_encode(scratch, limit, msg);

	return rc < 0 ? rc : 0;
}

int isup_msg_segment(const struct isup_msg *msg, size_t max_sif_len,
		     struct isup_msg *first, struct isup_msg *sgm)
{
	uint8_t ind_code = seg_ind_code(msg->type);
	struct isup_param *ind;
	uint8_t *scratch;
	size_t limit;
	unsigned int i;
	int ind_idx, rc;

	if (max_sif_len <= ISUP_MTP3_ROUTING_LABEL_LEN + 3)
		return -EINVAL;
	limit = max_sif_len - ISUP_MTP3_ROUTING_LABEL_LEN;
	scratch = malloc(limit);
	if (!scratch)
		return -ENOMEM;

	rc = fits(scratch, limit, msg);
	if (rc == 0) {
		*first = *msg;
		goto out;
	}
	if (rc != -ENOSPC)
		goto out;
	if (!ind_code) {
		LOGP(DSS7, LOGL_ERROR, "ISUP %s CIC %u: longer than %zu octets and not segmentable\n",
		     isup_msg_type_name(msg->type), msg->cic, limit);
		rc = -EMSGSIZE;
		goto out;
	}

	isup_msg_init(sgm, ISUP_MSG_SGM, msg->cic);
	*first = *msg;
	first->num_opt = 0;
	memset(first->opt, 0, sizeof(first->opt));

	/* the indicator goes first, so that it is in the first segment; when it
	 * is added, the receiver must still have room for all parameters */
	ind_idx = seg_ind_find(msg, ind_code);
	if (ind_idx < 0 && msg->num_opt >= ISUP_MAX_OPT) {
		LOGP(DSS7, LOGL_ERROR, "ISUP %s CIC %u: no room to add the %s\n",
		     isup_msg_type_name(msg->type), msg->cic, PNAME(ind_code));
		rc = -EMSGSIZE;
		goto out;
	}
	ind = isup_msg_opt_add(first, ind_code);
	if (!ind) {
		rc = -EMSGSIZE;
		goto out;
	}
	if (ind_idx >= 0)
		*ind = msg->opt[ind_idx];
	seg_ind_set(ind, 1);

	for (i = 0; i < msg->num_opt; i++) {
		if ((int)i == ind_idx)
			continue;
		first->opt[first->num_opt++] = msg->opt[i];
		rc = fits(scratch, limit, first);
		if (rc == 0)
			continue;
		if (rc != -ENOSPC)
			goto out;
		first->num_opt--;
		memset(&first->opt[first->num_opt], 0, sizeof(first->opt[0]));
		sgm->opt[sgm->num_opt++] = msg->opt[i];
	}
	rc = fits(scratch, limit, first);
	if (rc == 0)
		rc = fits(scratch, limit, sgm);
	if (rc == 0 && sgm->num_opt == 0)
		rc = -ENOSPC;
	if (rc == -ENOSPC) {
		LOGP(DSS7, LOGL_ERROR, "ISUP %s CIC %u: does not fit in two segments of %zu octets\n",
		     isup_msg_type_name(msg->type), msg->cic, limit);
		rc = -EMSGSIZE;
	}
	if (rc == 0)
		rc = 1;
out:
	free(scratch);
	return rc;
}

bool isup_msg_awaits_sgm(const struct isup_msg *msg)
{
	uint8_t code = seg_ind_code(msg->type);
	int idx;

	if (!code)
		return false;
	idx = seg_ind_find(msg, code);
	if (idx < 0)
		return false;
	if (code == ISUP_PAR_OFCI)
		return msg->opt[idx].u.ofci.segmentation;
	return msg->opt[idx].u.obci.segmentation;
}

int isup_msg_reassemble(struct isup_msg *msg, const struct isup_msg *sgm)
{
	uint8_t code = seg_ind_code(msg->type);
	struct isup_param *ind;
	unsigned int i;
	int idx;

	if (!isup_msg_awaits_sgm(msg) || sgm->type != ISUP_MSG_SGM || sgm->cic != msg->cic) {
		LOGP(DSS7, LOGL_NOTICE, "ISUP %s CIC %u: SGM does not belong to this message\n",
		     isup_msg_type_name(msg->type), msg->cic);
		return -EINVAL;
	}
	if (sgm->num_opt > ISUP_MAX_OPT || ISUP_MAX_OPT - msg->num_opt < sgm->num_opt) {
		LOGP(DSS7, LOGL_NOTICE, "ISUP %s CIC %u: more than %u optional parameters with the SGM\n",
		     isup_msg_type_name(msg->type), msg->cic, ISUP_MAX_OPT);
		return -EMSGSIZE;
	}
	for (i = 0; i < sgm->num_opt; i++)
		msg->opt[msg->num_opt++] = sgm->opt[i];

	idx = seg_ind_find(msg, code);
	ind = &msg->opt[idx];
	seg_ind_set(ind, 0);
	if ((code == ISUP_PAR_OFCI && !ind->u.ofci.cug && !ind->u.ofci.clir) ||
	    (code == ISUP_PAR_OBCI && !ind->u.obci.inband && !ind->u.obci.diversion &&
	     !ind->u.obci.mlpp && !ind->u.obci.national))
		isup_msg_opt_del(msg, idx);
	return 0;
}
