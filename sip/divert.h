/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file divert.h
 *  Call diversion in SIP, as ISUP's redirection parameters need it:
 *  the Diversion header (RFC 5806) and the History-Info header (RFC 7044)
 *  with the "cause" URI parameter (RFC 4458), read from an incoming INVITE
 *  and written on an outgoing one.
 *
 *  What is kept is what ISUP carries (Q.763 §3.38 Original called number,
 *  §3.44 Redirecting number, §3.45 Redirection information, mapped as
 *  Q.1912.5 does): the number the call was first diverted from, the number
 *  it was last diverted from, the reasons of the first and the last
 *  diversion, and how many diversions there were.
 *
 *  Both parsers take (buffer, length), never read past it, and log the
 *  field that is wrong on DSIP; an entry whose URI holds no telephone
 *  number is an error too (ISUP cannot carry it). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <osmocom/core/utils.h>

#include "sip/tn.h"

/*! Longest Diversion or History-Info header value we accept, in octets. */
#define SIP_DIVERT_HDR_MAX	2048
/*! Most entries of one header value we look at; more is an error. */
#define SIP_DIVERT_ENTRIES_MAX	16
/*! Q.763 §3.45: the redirection counter has 3 bits, 1..5 used. */
#define SIP_DIVERT_COUNTER_MAX	5

/*! Redirecting reasons, with the values of Q.763 §3.45 (the original
 *  redirection reason has values 0..3 only, Q.763 §3.45 a) */
enum sip_divert_reason {
	SIP_DIVERT_UNKNOWN		= 0,
	SIP_DIVERT_USER_BUSY		= 1,
	SIP_DIVERT_NO_REPLY		= 2,
	SIP_DIVERT_UNCONDITIONAL	= 3,
	SIP_DIVERT_DEFLECT_ALERTING	= 4,
	SIP_DIVERT_DEFLECT_IMMEDIATE	= 5,
	SIP_DIVERT_NOT_REACHABLE	= 6,
};
extern const struct value_string sip_divert_reason_names[];

/*! A diverted call's history, in the terms of ISUP. */
struct sip_divert {
	bool present;				/*!< the call was diverted */
	char orig_called[STIWF_TN_MAX + 1];	/*!< first diverting number (OCN) */
	char redirecting[STIWF_TN_MAX + 1];	/*!< last diverting number (RDN) */
	uint8_t orig_reason;			/*!< enum sip_divert_reason of the first */
	uint8_t reason;				/*!< enum sip_divert_reason of the last */
	uint8_t counter;			/*!< diversions, 1..SIP_DIVERT_COUNTER_MAX */
	bool restricted;			/*!< the diverting party asked for privacy */
	/*! a number came without '+' (not global, RFC 3966 §5.1.4): its
	 *  digits are not known to be E.164 */
	bool national;
};

/*! Parse one Diversion header value (RFC 5806 §4: a comma-separated list
 *  of name-addr with diversion-params, the latest diversion first).  Call
 *  it once per Diversion header in the order they came: entries of later
 *  headers are older diversions.  "counter" (default 1) adds up; "reason"
 *  maps to the ISUP reason (Q.1912.5); "privacy=full|uri" restricts.
 *  \param[in,out] d cleared by the caller before the first header
 *  \returns 0, or -EBADMSG (logged, naming the field) */
int sip_diversion_parse(struct sip_divert *d, const char *buf, size_t len);

/*! Parse one History-Info header value (RFC 7044 §5): entries with "index"
 *  and "rc"/"mp" parameters.  An entry whose URI has an RFC 4458 "cause"
 *  parameter is the target of a diversion; it came from the entry its
 *  "mp" (or "rc") names, else from the entry before it.  Entries without
 *  "cause" are retargets that are not diversions and are skipped.
 *  \param[out] d cleared first; d->present stays false when no entry is a
 *  diversion
 *  \returns 0, or -EBADMSG (logged, naming the field) */
int sip_history_info_parse(struct sip_divert *d, const char *buf, size_t len);

/*! Write the Diversion header value for \a d (RFC 5806): the last
 *  diversion first, then, when the first one differs, the original called
 *  number with counter 1; numbers as tel URIs with '+' (E.164).
 *  \returns the length written (NUL not counted), -ENOSPC, -EINVAL when
 *  \a d is not present or holds a bad number */
int sip_diversion_format(char *out, size_t size, const struct sip_divert *d);

/*! Write a History-Info header value for \a d (RFC 7044, RFC 4458): the
 *  original called number (index 1), the redirecting number when it
 *  differs (index 1.1), and the new target \a target_tn with the cause of
 *  the last diversion, "mp" naming the entry before it; SIP URIs with
 *  user=phone at \a host.
 *  \returns the length written, -ENOSPC, -EINVAL */
int sip_history_info_format(char *out, size_t size, const struct sip_divert *d, const char *target_tn,
			    const char *host);

/*! RFC 4458 §3.4 cause value of a reason (404 for unknown). */
int sip_divert_reason_to_cause(uint8_t reason);

/*! The reason of an RFC 4458 cause value, -EINVAL for another value. */
int sip_divert_reason_from_cause(unsigned int cause);
