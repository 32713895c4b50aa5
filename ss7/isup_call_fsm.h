/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file isup_call_fsm.h
 *  The call on one ISUP circuit, ITU-T Q.764 §2.1-§2.3 basic call, as an
 *  osmo_fsm.  The owner's API is in isup_trunk.h. */

#include <stdbool.h>
#include <stdint.h>

struct isup_trunk;
struct isup_cic;
struct isup_call;
struct isup_msg;

enum isup_call_state {
	ISUP_CALL_ST_NULL,		/*!< just allocated on its circuit */
	ISUP_CALL_ST_OUT_IAM_SENT,	/*!< T7: awaiting ACM/CON (or ANM, REL) */
	ISUP_CALL_ST_OUT_ALERTING,	/*!< ACM received; T9 when configured */
	ISUP_CALL_ST_IN_IAM_RCVD,	/*!< incoming IAM handed to the owner */
	ISUP_CALL_ST_IN_ALERTING,	/*!< ACM sent */
	ISUP_CALL_ST_ACTIVE,		/*!< ANM or CON sent or received */
	ISUP_CALL_ST_RELEASING,		/*!< REL sent: T1 retransmits, T5 gives up */
	ISUP_CALL_ST_IN_AWAIT_COT,	/*!< incoming IAM asking for a continuity check: T8,
					 *   not yet handed to the owner */
	ISUP_CALL_ST_IN_COT_FAILED,	/*!< COT "check failed" received: T27 until the reset */
	ISUP_CALL_ST_IN_COLLECTING,	/*!< overlap: IAM held, SAMs add digits, T35;
					 *   not yet handed to the owner */
	ISUP_CALL_ST_SUSPENDED,		/*!< answered call, SUS received: T2, T6 or T38 */
};

enum isup_call_event {
	ISUP_CALL_EV_RX_ACM,		/*!< data: const struct isup_msg * */
	ISUP_CALL_EV_RX_CPG,
	ISUP_CALL_EV_RX_ANM,
	ISUP_CALL_EV_RX_CON,
	ISUP_CALL_EV_RX_REL,
	ISUP_CALL_EV_RX_RLC,
	ISUP_CALL_EV_TX_ACM,		/*!< data: struct isup_call_tx * (isup_call_fsm.c) */
	ISUP_CALL_EV_TX_CPG,
	ISUP_CALL_EV_TX_ANM,
	ISUP_CALL_EV_TX_CON,
	ISUP_CALL_EV_TX_REL,
	/*! The circuit is taken from the call (reset, UCIC, blocking, dual
	 *  seizure lost): an outgoing call awaiting its first backward message
	 *  makes a repeat attempt on another circuit, any other call is
	 *  released towards the owner.  data: const struct isup_call_lost * */
	ISUP_CALL_EV_CIRCUIT_LOST,
	ISUP_CALL_EV_RX_INR,		/*!< data: const struct isup_msg * */
	ISUP_CALL_EV_RX_COT,		/*!< data: const struct isup_msg * */
	/*! Q.764 §2.9.5.3: unrecognized information whose instructions say
	 *  "release call".  data: const struct isup_call_rel_req * */
	ISUP_CALL_EV_RELEASE_REQ,
	ISUP_CALL_EV_RX_SAM,		/*!< data: const struct isup_msg * */
	ISUP_CALL_EV_RX_SUS,
	ISUP_CALL_EV_RX_RES,
	ISUP_CALL_EV_RX_APM,
};

/*! Event data of ISUP_CALL_EV_RELEASE_REQ */
struct isup_call_rel_req {
	uint8_t cause;		/*!< 97 (message) or 99 (parameter) */
	const uint8_t *diag;	/*!< the message type or the parameter codes */
	uint8_t diag_len;
};

/*! Why a call lost its circuit (event data of ISUP_CALL_EV_CIRCUIT_LOST) */
struct isup_call_lost {
	uint8_t cause;		/*!< for the owner when no repeat attempt is made */
	const char *reason;	/*!< for logs and the owner's retry callback */
	bool rlc_equivalent;	/*!< RSC/GRS: ends a call awaiting RLC (Q.764 §2.9.3.1) */
	bool release_old;	/*!< repeat attempt: release the old circuit with REL (BLO, Q.764 §2.8.2.1) */
};

/*! Start the FSM of a call on circuit \a c: an outgoing call sends \a iam
 *  (copied), an incoming one waits for the owner, or first for the COT when
 *  \a iam asks for a continuity check (then isup_call_offer() is called on
 *  the COT, not by the caller: see isup_call_awaits_cot()).
 *  \returns the call, or NULL (nothing sent, circuit left as it was) */
struct isup_call *isup_call_fsm_start(struct isup_trunk *t, struct isup_cic *c, bool outgoing,
				      const struct isup_msg *iam, void *priv, int *rc);

/*! Whether an incoming call waits for a COT or for more digits (overlap)
 *  before it goes to the owner */
bool isup_call_awaits_cot(const struct isup_call *call);
