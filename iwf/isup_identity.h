/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file isup_identity.h
 *  The identity fields of an IAM in the neutral form of iwf/number.h, both
 *  ways, the call identity the HOP signature covers, and what a backward
 *  message means to the SIP side.  These functions join the ISUP codec of
 *  ss7/ to the number rules of iwf/number.h; they live in iwf/ so that ss7/
 *  depends on nothing above it (docs/STYLE.md, rooms). */

#include <stdbool.h>
#include <stdint.h>

#include "iwf/number.h"
#include "sip/divert.h"
#include "ss7/isup.h"
#include "ss7/sigtoken.h"

/*! Build an IAM on \a cic from \a id (Q.1912.5 §6.1.3): NCI (no satellite,
 *  no continuity check), FCI (national/international by \a international,
 *  ISUP all the way, ISDN access), CPC from \a id, TMR 3.1 kHz audio
 *  (Q.763 §3.54: a call from a SIP network may carry modem/fax), Called
 *  Party Number, Calling Party Number and the Generic Number qualifier 6
 *  when present.
 *  \param[out] iam cleared, then filled
 *  \returns 0, -EINVAL (no called number, digits out of range), -EMSGSIZE */
int isup_iam_from_identity(struct isup_msg *iam, uint16_t cic, const struct iwf_isup_identity *id,
			   bool international);

/*! Read the identity fields of a received IAM.
 *  \param[out] id cleared, then filled
 *  \returns 0, -EINVAL (not an IAM), -EBADMSG (a number with more digits
 *  than iwf/number.h keeps) */
int isup_iam_to_identity(struct iwf_isup_identity *id, const struct isup_msg *iam);

/*! The SIP provisional response an ACM or CPG stands for (Q.1912.5 §7.2.1.x,
 *  3GPP TS 29.163 §7.2.3.2): ACM "subscriber free" and CPG "alerting" are
 *  180 Ringing; any other ACM or CPG is 183 Session Progress.
 *  \returns 180, 183, or 0 when the message says nothing the SIP side
 *  needs (a CPG of another event) */
int isup_msg_sip_progress(const struct isup_msg *msg);

/*! Whether an ACM or CPG says in-band information (tones, announcements)
 *  is available: the Optional Backward Call Indicators' in-band bit
 *  (Q.763 §3.37) or a CPG of event "in-band information" (§3.21).  The
 *  SIP side then gets the early media SDP with its 18x. */
bool isup_msg_inband(const struct isup_msg *msg);

/*! Generic Notification Indicator (Q.763 §3.25, code 0x2c), its values
 *  those of Q.931 §4.5.22 notification descriptions: the ones a call hold
 *  (Q.733.2) sends in a CPG. */
#define IWF_PAR_GENERIC_NOTIFICATION	0x2c
#define IWF_GNI_REMOTE_HOLD		0x79
#define IWF_GNI_REMOTE_RETRIEVAL	0x7a

/*! The first notification of a CPG's Generic Notification Indicator
 *  (7 bits), or -1 when it has none. */
int isup_msg_notification(const struct isup_msg *msg);

/*! Add a Generic Notification Indicator with one notification (7 bits)
 *  to a CPG.  \returns 0, or -ENOSPC */
int isup_msg_add_notification(struct isup_msg *msg, uint8_t notification);

/*! An ISUP number in E.164 form, by its Nature of Address indicator (the
 *  rule is iwf_number_e164() of iwf/number.h with only the country code
 *  set, so that the P-Asserted-Identity agrees with what HOP signs):
 *  - international (4): the digits as they are;
 *  - national (significant) (3): \a cc, then the digits (a national
 *    significant number carries no trunk prefix, Q.763 §3.10 b);
 *  - subscriber (1), unknown (2) and the others: refused, as the area code
 *    or the prefixes that an exchange would apply are not known here.
 *  Only the digits 0-9 are accepted; a trailing ST ('F', Q.763 §3.9) is
 *  dropped.  The result has 1..15 digits (E.164 §6).
 *  \param[in] cc the peer's country code (E.164 digits), or NULL
 *  \returns 0, -EDOM when the number cannot be made E.164, -ENOSPC */
int sigtoken_number_e164(char *out, size_t size, const struct isup_number *num, const char *cc);

/*! The identity HOP signs, from an IAM: Calling Party Number (with its
 *  APRI; absent: "" and ISUP_APRI_NOT_AVAILABLE; present with no digits:
 *  "" and its APRI), Called Party Number, and the first Generic Number with
 *  qualifier 6 "additional calling party number" (absent: "").
 *  \param[in] cc country code for national numbers, or NULL
 *  \returns 0, -EINVAL when \a iam is not an IAM, -EDOM when a number
 *  cannot be made E.164 (see sigtoken_number_e164()) */
int sigtoken_call_from_iam(struct sigtoken_call *call, const struct isup_msg *iam, const char *cc);

/*! Read a forwarded call's redirection from an IAM (Q.1912.5, docs/FORWARDING.md):
 *  Redirecting Number (Q.763 §3.44) is the last diverting number, Original
 *  Called Number (§3.38) the first (the Redirecting Number when absent),
 *  Redirection Information (§3.45) gives reasons and counter (absent:
 *  reasons unknown, counter 1).  A presentation-restricted number restricts.
 *  \param[out] d cleared; d->present stays false without OCN and RDN
 *  \param[in] cc country code for national numbers, or NULL
 *  \returns 0, -EDOM when a number cannot be made E.164 (logged) */
int isup_iam_divert_get(struct sip_divert *d, const struct isup_msg *iam, const char *cc);

/*! Add Original Called Number, Redirecting Number (international, E.164
 *  digits) and Redirection Information for \a d to \a iam, replacing any
 *  there: redirecting indicator "call diverted" (3), or "call diverted, all
 *  redirection information presentation restricted" (4) when restricted;
 *  an original reason above 3 goes as unknown (Q.763 §3.45 a has 0..3).
 *  \returns 0, -EINVAL (not present, a number not known to be E.164 or
 *  not 1..15 digits), -EMSGSIZE */
int isup_iam_divert_put(struct isup_msg *iam, const struct sip_divert *d);
