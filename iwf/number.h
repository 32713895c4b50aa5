/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file number.h
 *  Calling and called identity across the border (docs/STANDARDS.md §4.4):
 *  SIP P-Asserted-Identity / From / Privacy / Request-URI <-> ISUP Calling
 *  Party Number, Generic Number (qualifier 6), Called Party Number, after
 *  ITU-T Q.1912.5 §6.1.3 and §7.1.3, 3GPP TS 29.163 and RFC 3398 §7.2.1 and
 *  §8.2.1, and RFC 3323 for anonymity.
 *
 *  The types here are neutral: iwf/ knows neither Sofia-SIP nor the ISUP
 *  codec.  The numeric values of the enums are those of Q.763 §3.9/§3.10,
 *  so that ss7/ converts a struct isup_number field by field (ss7/sigtoken.c
 *  does so for the E.164 rule below); sip/ fills struct iwf_sip_tn from the
 *  user part of a tel: or sip: URI (iwf_sip_tn_parse()).
 *
 *  One rule makes an ISUP number E.164: iwf_number_e164().  The HOP
 *  signature (ARCHITECTURE §2.2), the PASSporT rebuilt from the IAM and the
 *  P-Asserted-Identity all go through it, so they cannot disagree. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <osmocom/core/utils.h>

/*! E.164 §6: at most 15 digits in an international number */
#define IWF_E164_MAX		15
/*! Most digits of a number in any form (national with a trunk prefix, ...) */
#define IWF_NUMBER_MAX_DIGITS	20
/*! Longest country code (E.164 §6.2.1) */
#define IWF_CC_MAX		3
/*! Longest trunk or international prefix (e.g. "0", "00", "011") */
#define IWF_PREFIX_MAX		4
/*! Longest area code prepended to a subscriber number */
#define IWF_AREA_CODE_MAX	8
/*! Longest display name we keep */
#define IWF_DISPLAY_MAX		63

/*! Q.763 Table 4 default, Q.1912.5: "ordinary calling subscriber" */
#define IWF_CPC_ORDINARY	0x0a

/*! Nature of address indicator, Q.763 §3.9 c) / §3.10 b) */
enum iwf_nai {
	IWF_NAI_SUBSCRIBER	= 1,
	IWF_NAI_UNKNOWN		= 2,
	IWF_NAI_NATIONAL	= 3,	/*!< national (significant) number */
	IWF_NAI_INTERNATIONAL	= 4,
};
extern const struct value_string iwf_nai_names[];

/*! Numbering plan indicator, Q.763 §3.9 e) */
enum iwf_npi {
	IWF_NPI_ISDN		= 1,	/*!< ISDN (telephony) numbering plan, E.164 */
};

/*! Address presentation restricted indicator, Q.763 §3.10 e) */
enum iwf_pres {
	IWF_PRES_ALLOWED	= 0,
	IWF_PRES_RESTRICTED	= 1,
	IWF_PRES_NOT_AVAILABLE	= 2,
};
extern const struct value_string iwf_pres_names[];

/*! Screening indicator, Q.763 §3.10 f) */
enum iwf_screening {
	IWF_SCREEN_USER_NOT_VERIFIED	= 0,
	IWF_SCREEN_USER_PASSED		= 1,
	IWF_SCREEN_USER_FAILED		= 2,
	IWF_SCREEN_NETWORK		= 3,
};
extern const struct value_string iwf_screening_names[];

/*! Generic Number qualifier, Q.763 §3.26 */
#define IWF_GN_ADDITIONAL_CALLING	6

/*! How a peer wants numbers on its ISUP side (per peer `number-format`). */
enum iwf_number_format {
	IWF_NUMFMT_INTERNATIONAL,	/*!< NAI 4, E.164 digits with the country code */
	IWF_NUMFMT_NATIONAL,		/*!< NAI 3 for numbers of the peer's country */
};
extern const struct value_string iwf_number_format_names[];

/*! A peer's numbering rules.  Only \a cc is needed for the rule the HOP
 *  signature uses; the prefixes are optional extras (empty: off). */
struct iwf_number_plan {
	char cc[IWF_CC_MAX + 1];	/*!< the peer's country code, "" when unset */
	enum iwf_number_format format;	/*!< numbers we send to ISUP */
	/*! SIP -> ISUP: take a SIP number without '+' that starts with \a cc
	 *  as E.164 (North American carriers send 1NPANXXXXXX so).  Off: such
	 *  a number is a national significant number. */
	bool cc_without_plus;
	/*! SIP -> ISUP: use the From number as Calling Party Number (screening
	 *  "user provided, not verified") when there is no P-Asserted-Identity
	 *  (Q.1912.5 leaves it to the operator). */
	bool from_as_calling;
	/*! The national trunk prefix ("0"): a SIP number without '+' that
	 *  starts with it, and an ISUP number with NAI "unknown" that starts
	 *  with it, is a national number once the prefix is stripped. */
	char trunk_prefix[IWF_PREFIX_MAX + 1];
	/*! The international prefix ("00", "011"): such a number is E.164 once
	 *  it is stripped (same two cases as \a trunk_prefix). */
	char intl_prefix[IWF_PREFIX_MAX + 1];
	/*! ISUP -> SIP: the area code (national destination code) that makes a
	 *  subscriber number (NAI 1) national; "" refuses subscriber numbers. */
	char area_code[IWF_AREA_CODE_MAX + 1];
	uint8_t cpc;			/*!< Calling Party's Category we send, IWF_CPC_ORDINARY */
};

/*! A number parameter of ISUP in neutral form: Calling or Called Party
 *  Number or Generic Number.  ss7/ copies the fields of struct isup_number. */
struct iwf_party_number {
	bool present;
	uint8_t nai;		/*!< enum iwf_nai */
	uint8_t npi;		/*!< enum iwf_npi */
	uint8_t pres;		/*!< enum iwf_pres (not in a Called Party Number) */
	uint8_t screening;	/*!< enum iwf_screening (Calling, Generic only) */
	char digits[IWF_NUMBER_MAX_DIGITS + 1];	/*!< '0'-'9' */
};

/*! The identity fields of an IAM, in neutral form */
struct iwf_isup_identity {
	struct iwf_party_number calling;	/*!< Calling Party Number */
	struct iwf_party_number called;		/*!< Called Party Number */
	struct iwf_party_number addl_calling;	/*!< Generic Number, qualifier 6 */
	uint8_t cpc;				/*!< Calling Party's Category */
};

/*! A telephone number from, or for, a SIP URI user part */
struct iwf_sip_tn {
	bool present;
	bool global;		/*!< written with '+': E.164 (RFC 3966 global number) */
	char digits[IWF_NUMBER_MAX_DIGITS + 1];	/*!< without '+' and separators */
};

/*! RFC 3323 §4.2 privacy values of the Privacy header, as bits */
enum iwf_privacy {
	IWF_PRIVACY_HEADER	= 0x01,
	IWF_PRIVACY_SESSION	= 0x02,
	IWF_PRIVACY_USER	= 0x04,
	IWF_PRIVACY_ID		= 0x08,	/*!< RFC 3325 §9.3 */
	IWF_PRIVACY_CRITICAL	= 0x10,
	IWF_PRIVACY_NONE	= 0x20,
};

/*! The identity fields of an INVITE, in neutral form */
struct iwf_sip_identity {
	struct iwf_sip_tn pai;		/*!< P-Asserted-Identity (tel URI preferred) */
	struct iwf_sip_tn from;		/*!< From user part, when it is a number */
	bool from_anonymous;		/*!< From is RFC 3323 anonymous */
	char from_display[IWF_DISPLAY_MAX + 1];
	unsigned int privacy;		/*!< enum iwf_privacy bits */
	struct iwf_sip_tn ruri;		/*!< Request-URI user part */
	struct iwf_sip_tn to;		/*!< To user part, when the Request-URI has no number */
};

/*! RFC 3323 §4.1.1.3: the From of an anonymous call */
#define IWF_ANONYMOUS_DISPLAY	"Anonymous"
#define IWF_ANONYMOUS_URI	"sip:anonymous@anonymous.invalid"

/*! Set \a plan to the defaults: no country code, international format,
 *  cc_without_plus on, From not used as calling number, no prefixes,
 *  CPC 0x0A. */
void iwf_number_plan_init(struct iwf_number_plan *plan);

/*! Set the country code of \a plan.
 *  \returns 0, or -EINVAL (logged, naming the field) unless 1..3 digits */
int iwf_number_plan_set_cc(struct iwf_number_plan *plan, const char *cc);

/*! An ISUP number in E.164 form (digits, no '+'), by its NAI:
 *  - international (4): the digits as they are;
 *  - national (significant) (3): the country code, then the digits (a
 *    national significant number carries no trunk prefix, Q.763 §3.10 b);
 *  - subscriber (1): country code, \a plan->area_code, digits; refused
 *    without an area code;
 *  - unknown (2): with \a plan->intl_prefix stripped as international, with
 *    \a plan->trunk_prefix stripped as national; refused otherwise;
 *  - others: refused.
 *  Only digits 0-9 are accepted; one trailing ST ('F', Q.763 §3.9) is
 *  dropped.  The result has 1..15 digits (E.164 §6).  With only the country
 *  code set in \a plan this is the rule of the HOP signature (ARCHITECTURE §2.2).
 *  \param[in] plan the peer's rules, or NULL (international numbers only)
 *  \returns 0, -EDOM when the number cannot be made E.164, -ENOSPC */
int iwf_number_e164(char *out, size_t size, const struct iwf_party_number *num,
		    const struct iwf_number_plan *plan);

/*! Parse a SIP URI user part (or a tel URI's telephone-subscriber without
 *  parameters) as a telephone number: an optional '+', then digits with
 *  RFC 3966 visual separators ('-', '.', '(', ')') that are dropped.
 *  \returns 0, or -EINVAL for anything else (letters, '*', '#', empty,
 *  more than IWF_NUMBER_MAX_DIGITS digits, more than 15 after '+') */
int iwf_sip_tn_parse(struct iwf_sip_tn *tn, const char *user, size_t len);

/*! Write \a tn as a URI: "tel:+4930123456" when \a host is NULL, else
 *  "sip:+4930123456@host;user=phone" (RFC 3261 §19.1.6); a national number
 *  is written without '+'.  When \a verstat is not NULL it is added as the
 *  TS 24.229 §7.2A.20 "verstat" parameter.
 *  \returns the length written, -EINVAL, -ENOSPC */
int iwf_sip_tn_uri(char *buf, size_t size, const struct iwf_sip_tn *tn, const char *host,
		   const char *verstat);

/*! SIP -> ISUP (O-IWU, Q.1912.5 §6.1.3):
 *  - Calling Party Number from the P-Asserted-Identity, screening "network
 *    provided"; without one, from the From number when
 *    \a plan->from_as_calling, screening "user provided, not verified";
 *    else absent.  APRI "restricted" for Privacy id, header or user, else
 *    "allowed".
 *  - Generic Number qualifier 6 with the From number, screening "user
 *    provided, not verified", when the From number differs from the
 *    P-Asserted-Identity in E.164 form; its APRI is that of the CgPN.
 *  - Called Party Number from the Request-URI user part, else the To.
 *  Numbers are sent in \a plan->format (national only for numbers of the
 *  peer's country), NPI ISDN.  CPC from \a plan.
 *  \param[out] out cleared, then filled
 *  \returns 0; -EINVAL for a missing or bad called number, a calling number
 *  that cannot be made E.164 (logged, naming the field) */
int iwf_number_sip_to_isup(struct iwf_isup_identity *out, const struct iwf_sip_identity *in,
			   const struct iwf_number_plan *plan);

/*! ISUP -> SIP (I-IWU, Q.1912.5 §7.1.3):
 *  - P-Asserted-Identity from the Calling Party Number in E.164 form,
 *    unless its APRI is "not available" or its screening is "user
 *    provided, not verified/failed" (an unverified number is not asserted;
 *    docs/STANDARDS.md §4.4).
 *  - APRI "restricted": Privacy id, From anonymous (RFC 3323 §4.1.1.3).
 *  - From: the Generic Number qualifier 6 when present and not restricted;
 *    else the Calling Party Number when present and allowed; else
 *    anonymous.
 *  - Request-URI user part from the Called Party Number in E.164 form.
 *  \param[out] out cleared, then filled (all numbers global)
 *  \returns 0; -EINVAL when the called number is missing or cannot be
 *  made E.164, or a calling number cannot (logged, naming the field) */
int iwf_number_isup_to_sip(struct iwf_sip_identity *out, const struct iwf_isup_identity *in,
			   const struct iwf_number_plan *plan);
