#pragma once
/*! \file isup_identity.h
 *  The identity fields of an IAM in the neutral form of iwf/number.h, both
 *  ways, and what a backward message means to the SIP side.  This keeps the
 *  ISUP codec inside ss7/ (STYLE, rooms): the call layer builds and reads
 *  IAMs through these functions only. */

#include <stdbool.h>
#include <stdint.h>

#include "iwf/number.h"
#include "ss7/isup.h"

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
