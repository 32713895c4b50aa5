/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>
/*! \file call_fsm.h
 *  The state of one IWF call (a SIP leg and an ISUP leg joined) as an
 *  osmo_fsm.  The owner's API is in iwf/call.h. */

#include <stdint.h>

#include <osmocom/core/fsm.h>

struct iwf_call;

enum iwf_call_state {
	IWF_CALL_ST_VERIFY,	/*!< STI-VS, or HOP/TSCA/PASSporT checks of an IAM */
	IWF_CALL_ST_SIGN,	/*!< HOP signature (worker pool) or STI-AS under way */
	IWF_CALL_ST_SETUP,	/*!< IAM or INVITE sent, no backward message yet */
	IWF_CALL_ST_ALERTING,	/*!< ACM/CPG or 180/183 passed on */
	IWF_CALL_ST_ACTIVE,	/*!< answered both ways */
};

/*! What a 180/183 or an ACM/CPG says about ringing and early media. */
struct iwf_progress {
	int status;		/*!< 180, 183, or 0 (nothing for the other side) */
	/*! SIP: the 18x carries SDP; ISUP: in-band information is available
	 *  (OBCI, or a CPG "in-band information") */
	bool early_media;
};

enum iwf_call_event {
	IWF_CALL_EV_VERIFIED,		/*!< verification finished; results in the call */
	IWF_CALL_EV_SIGNED,		/*!< data: int * (0 or -errno) */
	IWF_CALL_EV_ISUP_PROGRESS,	/*!< data: struct iwf_progress * */
	IWF_CALL_EV_ISUP_ANSWER,
	IWF_CALL_EV_ISUP_REL,		/*!< data: uint8_t * (Q.850 cause); ISUP leg gone */
	IWF_CALL_EV_SIP_PROGRESS,	/*!< data: struct iwf_progress * */
	IWF_CALL_EV_SIP_ANSWER,		/*!< 200 received (out) or ACK received (in) */
	IWF_CALL_EV_SIP_FAILED,		/*!< data: int * (final status); SIP leg gone */
	IWF_CALL_EV_SIP_BYE,		/*!< BYE, CANCEL or session lost; SIP leg gone */
	IWF_CALL_EV_SHUTDOWN,		/*!< stiwfd stops, or "clear call" */
	IWF_CALL_EV_SIP_HOLD,		/*!< data: bool * (true: held, false: resumed) */
	_NUM_IWF_CALL_EV
};

extern const struct value_string iwf_call_state_names[];
extern const struct value_string iwf_call_event_names[];

/*! Allocate a call and start its FSM in IWF_CALL_ST_VERIFY.  The call is
 *  a talloc child of the FSM instance: terminating the FSM frees it.
 *  \returns the call, or NULL */
struct iwf_call *iwf_call_fsm_start(void *ctx, uint32_t id);
