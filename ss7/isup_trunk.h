/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file isup_trunk.h
 *  ISUP call control, ITU-T Q.764 basic call, for a border IWF: one trunk
 *  per SS7 peer (its DPC and its circuits), per-circuit state, circuit
 *  maintenance (reset, blocking, unequipped CIC) and the calls on the
 *  circuits, with an API for the call layer that joins SIP and ISUP.
 *
 *  Messages leave through isup_trunk_ops.send (stiwf_mtp_user_send() in the
 *  daemon) and arrive through isup_trunk_rx().
 *
 *  Circuit selection for outgoing calls: among the idle, unblocked,
 *  equipped circuits, those this side controls for dual seizure
 *  (Q.764 §2.9.1.4: the higher point code controls the even CICs) are
 *  preferred; among equals the least recently used circuit is taken, which
 *  spreads the load and keeps a just-released circuit resting so that a late
 *  message for its old call does not hit a new one. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <osmocom/core/tdef.h>
#include <osmocom/core/utils.h>

#include "ss7/isup.h"

struct isup_trunk;
struct isup_call;


/*! Timer numbers of Q.764 Annex A used here (the T of the "isup" osmo_tdef
 *  group, settable with "timer isup TNN" in the VTY). */
#define ISUP_T1		1	/*!< REL sent: retransmit REL */
#define ISUP_T2		2	/*!< user-initiated SUS received: await RES, then release (cause 102) */
#define ISUP_T5		5	/*!< REL sent: give up, RSC and alert */
#define ISUP_T6		6	/*!< network-initiated SUS received: await RES, then release (cause 102) */
#define ISUP_T7		7	/*!< IAM sent: await ACM/CON */
#define ISUP_T8		8	/*!< IAM with a continuity check received: await COT */
#define ISUP_T9		9	/*!< ACM received: await answer (Q.118), 0 = off */
#define ISUP_T12	12	/*!< BLO sent: retransmit */
#define ISUP_T13	13	/*!< BLO sent: alert, retransmit every T13 */
#define ISUP_T14	14	/*!< UBL sent: retransmit */
#define ISUP_T15	15	/*!< UBL sent: alert, retransmit every T15 */
#define ISUP_T16	16	/*!< RSC sent: retransmit */
#define ISUP_T17	17	/*!< RSC sent: alert, retransmit every T17 */
#define ISUP_T18	18	/*!< CGB sent: retransmit */
#define ISUP_T19	19	/*!< CGB sent: alert, retransmit every T19 */
#define ISUP_T20	20	/*!< CGU sent: retransmit */
#define ISUP_T21	21	/*!< CGU sent: alert, retransmit every T21 */
#define ISUP_T22	22	/*!< GRS sent: retransmit */
#define ISUP_T23	23	/*!< GRS sent: alert, retransmit every T23 */
#define ISUP_T27	27	/*!< COT "check failed" received: await CCR, then RSC */
#define ISUP_T34	34	/*!< first segment received: await SGM */
#define ISUP_T35	35	/*!< overlap: latest address message received, awaiting more digits */
#define ISUP_T38	38	/*!< network-initiated SUS on an international call: await RES */

/*! Q.850 cause values the call control itself uses */
#define ISUP_CAUSE_NORMAL_CLEARING	16
#define ISUP_CAUSE_USER_BUSY		17
#define ISUP_CAUSE_NO_USER_RESPONDING	18
#define ISUP_CAUSE_NO_ANSWER		19
#define ISUP_CAUSE_CALL_REJECTED	21
#define ISUP_CAUSE_ADDRESS_INCOMPLETE	28	/*!< invalid number format (address incomplete) */
#define ISUP_CAUSE_NORMAL_UNSPECIFIED	31
#define ISUP_CAUSE_NO_CIRCUIT		34
#define ISUP_CAUSE_TEMPORARY_FAILURE	41
#define ISUP_CAUSE_RESOURCE_UNAVAIL	47
#define ISUP_CAUSE_SERVICE_UNAVAIL	63
#define ISUP_CAUSE_MSG_TYPE_UNKNOWN	97
#define ISUP_CAUSE_PARAM_UNKNOWN	99	/*!< parameter non-existent or not implemented */
#define ISUP_CAUSE_RECOVERY_ON_TIMER	102
#define ISUP_CAUSE_MSG_PARAM_DISCARDED	110	/*!< message with unrecognized parameter, discarded */
#define ISUP_CAUSE_PROTOCOL_ERROR	111

/*! The ISUP timers, one table for all trunks (seconds). */
extern struct osmo_tdef isup_tdefs[];

/*! How many circuits (IAMs) an outgoing call tries before it fails with
 *  cause 34: the first seizure plus automatic repeat attempts (Q.764
 *  §2.9.1.4 dual seizure, §2.12 unequipped CIC, §2.8.2 blocking, §2.9.3
 *  reset of a circuit awaiting its first backward message). */
#define ISUP_CALL_MAX_ATTEMPTS	3

/*! Call processing state of a circuit, as "show isup trunk" shows it. */
enum isup_cic_state {
	ISUP_CIC_ST_IDLE,
	ISUP_CIC_ST_OUT_BUSY,		/*!< our IAM */
	ISUP_CIC_ST_IN_BUSY,		/*!< the peer's IAM */
	ISUP_CIC_ST_AWAIT_RESET,	/*!< RSC or GRS sent, no RLC/GRA yet */
	ISUP_CIC_ST_UNEQUIPPED,		/*!< the peer answered UCIC */
	ISUP_CIC_ST_UNKNOWN,		/*!< not a circuit of this trunk */
};
extern const struct value_string isup_cic_state_names[];

/*! Blocking states of a circuit, a bit mask */
#define ISUP_BLK_LOCAL_MAINT	0x01	/*!< we sent BLO/CGB */
#define ISUP_BLK_REMOTE_MAINT	0x02	/*!< we received BLO/CGB */
#define ISUP_BLK_LOCAL_HW	0x04
#define ISUP_BLK_REMOTE_HW	0x08	/*!< we received CGB "hardware failure oriented" */

/*! Rate counters of a trunk */
enum isup_trunk_ctr {
	ISUP_TRUNK_CTR_CALL_OUT,		/*!< outgoing calls attempted */
	ISUP_TRUNK_CTR_CALL_IN,			/*!< incoming IAMs accepted */
	ISUP_TRUNK_CTR_CALL_ANSWERED,
	ISUP_TRUNK_CTR_CALL_REPEAT,		/*!< automatic repeat attempts */
	ISUP_TRUNK_CTR_CALL_NO_CIRCUIT,		/*!< no circuit free */
	ISUP_TRUNK_CTR_DUAL_SEIZURE,
	ISUP_TRUNK_CTR_REL_NORMAL,		/*!< REL cause 16 (either way) */
	ISUP_TRUNK_CTR_REL_BUSY,		/*!< REL cause 17 */
	ISUP_TRUNK_CTR_REL_NO_ANSWER,		/*!< REL cause 18/19 */
	ISUP_TRUNK_CTR_REL_REJECTED,		/*!< REL cause 21 */
	ISUP_TRUNK_CTR_REL_TIMER,		/*!< REL cause 102 */
	ISUP_TRUNK_CTR_REL_OTHER,		/*!< REL any other cause */
	ISUP_TRUNK_CTR_RSC_TX,
	ISUP_TRUNK_CTR_RSC_RX,
	ISUP_TRUNK_CTR_GRS_TX,
	ISUP_TRUNK_CTR_GRS_RX,
	ISUP_TRUNK_CTR_T5_EXPIRED,		/*!< no RLC after REL: circuit reset */
	ISUP_TRUNK_CTR_UCIC_RX,
	ISUP_TRUNK_CTR_UCIC_TX,
	ISUP_TRUNK_CTR_CFN_RX,
	ISUP_TRUNK_CTR_CFN_TX,
	ISUP_TRUNK_CTR_UNEXPECTED,		/*!< message discarded in its state */
	ISUP_TRUNK_CTR_MALFORMED,
	ISUP_TRUNK_CTR_MAINT_ALERT,		/*!< T5/T13/T15/T17/T19/T21/T23 expiry */
	ISUP_TRUNK_CTR_UNRECOGNIZED,		/*!< messages of an unrecognized or unimplemented
						 *   type, or with unrecognized parameters */
	ISUP_TRUNK_CTR_INR_RX,			/*!< INR received and answered with INF */
	ISUP_TRUNK_CTR_CQM_RX,			/*!< CQM received and answered with CQR */
	ISUP_TRUNK_CTR_SAM_RX,			/*!< SAMs received while collecting digits */
	ISUP_TRUNK_CTR_T35_EXPIRED,		/*!< digit collection ended by T35 */
	ISUP_TRUNK_CTR_SUS_RX,			/*!< SUS received on an answered call */
	ISUP_TRUNK_CTR_APM_RX,			/*!< APM received on a call (discarded, Q.765) */
};

/*! What the trunk needs from its owner.  Only \a send is mandatory. */
struct isup_trunk_ops {
	/*! Send one ISUP message (from the CIC on) to \a dpc.
	 *  \returns 0 or a negative errno */
	int (*send)(struct isup_trunk *t, uint32_t dpc, uint8_t sls, const uint8_t *data, size_t len,
		    void *priv);
	/*! A complete IAM arrived (after SGM reassembly): a new incoming call.
	 *  The owner answers with isup_call_send_acm()/_con() or
	 *  isup_call_release() now or later; it may set its own pointer with
	 *  isup_call_set_priv(). */
	void (*incoming)(struct isup_trunk *t, struct isup_call *call, const struct isup_msg *iam, void *priv);
	/*! ACM or CPG received on an outgoing call. */
	void (*progress)(struct isup_call *call, const struct isup_msg *msg, void *call_priv);
	/*! ANM or CON received on an outgoing call. */
	void (*answer)(struct isup_call *call, const struct isup_msg *msg, void *call_priv);
	/*! The call is over for the owner: REL received (\a cause is its cause),
	 *  a timer expired (102 for T7, 19 for T9), the circuit was reset (41)
	 *  or no circuit is left for a repeat attempt (34).  The handle is
	 *  invalid after this callback.  Not called after isup_call_release(). */
	void (*released)(struct isup_call *call, uint8_t cause, void *call_priv);
	/*! An outgoing call moved to another circuit by an automatic repeat
	 *  attempt (dual seizure, UCIC, BLO or reset before a backward message). */
	void (*retry)(struct isup_call *call, uint16_t old_cic, uint16_t new_cic, const char *reason,
		      void *call_priv);
	/*! SUS (\a suspended, \a indicator is the Q.763 §3.52 suspend/resume
	 *  indicator: 0 ISDN subscriber initiated, 1 network initiated) or RES
	 *  received on an answered call.  The trunk supervises the suspension
	 *  itself (T2, T6 or T38; on expiry the released callback says 102). */
	void (*suspend)(struct isup_call *call, bool suspended, uint8_t indicator, void *call_priv);
	/*! Maintenance alert (Q.764 Annex A: T5, T13, T15, T17, T19, T21, T23). */
	void (*alert)(struct isup_trunk *t, uint16_t cic, const char *what, void *priv);
};

/*! Create a trunk towards the SS7 peer \a dpc.
 *  \param[in] opc our own point code (dual seizure control, Q.764 §2.9.1.4)
 *  \param[in] ops callbacks, copied
 *  \returns the trunk or NULL */
struct isup_trunk *isup_trunk_alloc(void *ctx, const char *name, uint32_t opc, uint32_t dpc,
				    const struct isup_trunk_ops *ops, void *priv);

/*! Free a trunk, its calls and circuits; no message is sent and no owner
 *  callback is called. */
void isup_trunk_free(struct isup_trunk *t);

/*! Add the circuits \a first .. \a last (inclusive), idle and in the
 *  "awaiting reset" state until the peer confirmed a reset.
 *  \returns 0, -EINVAL (range above 4095 or reversed), -EEXIST (overlap), -ENOMEM */
int isup_trunk_add_cics(struct isup_trunk *t, uint16_t first, uint16_t last);

/*! Set the network indicator (informational, Q.704 §14.2.2) and the
 *  largest MTP3 SIF the peer takes (ISUP_MTP3_SIF_MAX by default; longer
 *  messages are segmented, Q.764 §2.1.12).  \returns 0 or -EINVAL */
int isup_trunk_set_ni(struct isup_trunk *t, uint8_t ni);
int isup_trunk_set_max_sif(struct isup_trunk *t, size_t max_sif_len);

/*! Q.764 §2.1.1.2 overlap address signalling on incoming calls.  En bloc
 *  (the default): the IAM carries the whole number and is offered at once;
 *  a SAM is unexpected.  Overlap: an IAM whose Called Party Number neither
 *  ends with ST nor has \a max_digits digits is held while SAMs add digits,
 *  T35 restarted on each; it is offered (its Called Party Number completed)
 *  on ST, on \a max_digits, or when T35 expires with at least
 *  \a min_digits digits; with fewer, T35 releases it with cause 28.
 *  \returns 0, or -EINVAL unless 1 <= \a min_digits <= \a max_digits <= 40 */
int isup_trunk_set_overlap(struct isup_trunk *t, bool overlap, unsigned int min_digits,
			   unsigned int max_digits);

/*! Find a trunk by name among all trunks. */
struct isup_trunk *isup_trunk_find(const char *name);

/*! The MTP user part became available (MTP-RESUME, AS active) or not.
 *  On becoming available the trunk resets all its circuits with GRS (RSC
 *  for a lone circuit), Q.764 §2.9.3: any call on them is released. */
void isup_trunk_mtp_available(struct isup_trunk *t, bool available);

/*! Can the trunk carry calls at full load: the user part is available
 *  and the reset of all circuits since it became so is acknowledged
 *  (GRA/RLC, Q.764 §2.9.3)?  A hot standby whose AS is not active is
 *  not ready, nor one that just became active and awaits its GRA. */
bool isup_trunk_ready(const struct isup_trunk *t);

/*! One received ISUP message (from the CIC on, no routing label). \a opc
 *  must be the trunk's peer.  Anything malformed, unknown or unexpected
 *  gets the Q.764 reaction and a log line.
 *  \returns 0 when processed, or a negative errno saying why it was not
 *  (-EBADMSG, -ENOTSUP, -ENOENT unknown CIC, -EPROTO unexpected, -EINVAL
 *  other peer) */
int isup_trunk_rx(struct isup_trunk *t, uint32_t opc, const uint8_t *data, size_t len);

/*! Start an outgoing call: pick a circuit, send \a iam (its CIC is set here;
 *  it is copied and reused for repeat attempts).
 *  \param[out] call the new call
 *  \returns 0, -ENETDOWN (MTP unavailable), -EBUSY (no circuit: cause 34),
 *  -EINVAL (not an IAM, or it does not encode), -ENOMEM, or the send error */
int isup_trunk_call_setup(struct isup_trunk *t, const struct isup_msg *iam, void *call_priv,
			  struct isup_call **call);

/*! Send ACM, CPG, ANM or CON on an incoming call (CPG also on an answered
 *  call).  \a msg may be NULL for a minimal message (ACM/CON: subscriber
 *  free, ordinary subscriber, ISUP all the way; CPG: alerting); its type
 *  must match, its CIC is set here.
 *  \returns 0, -EPROTO (not allowed in the call's state, Q.764 §2.1),
 *  -EINVAL (wrong type, does not encode) or the send error */
int isup_call_send_acm(struct isup_call *call, const struct isup_msg *msg);
int isup_call_send_cpg(struct isup_call *call, const struct isup_msg *msg);
int isup_call_send_anm(struct isup_call *call, const struct isup_msg *msg);
int isup_call_send_con(struct isup_call *call, const struct isup_msg *msg);

/*! Release a call with REL (Q.850 \a cause); the trunk completes the
 *  release (RLC, T1/T5) by itself.  The handle is invalid afterwards and
 *  the released callback is not called.  \returns 0 or -EINVAL */
int isup_call_release(struct isup_call *call, uint8_t cause);

/*! The circuit a call is on now. */
uint16_t isup_call_cic(const struct isup_call *call);
/*! Whether the call was set up by us (IAM sent) */
bool isup_call_is_outgoing(const struct isup_call *call);
void isup_call_set_priv(struct isup_call *call, void *call_priv);
struct isup_trunk *isup_call_trunk(const struct isup_call *call);

/*! Block (BLO) or unblock (UBL) a circuit for maintenance, Q.764 §2.8.2.
 *  \returns 0, -ENOENT (no such circuit), -EALREADY */
int isup_trunk_cic_block(struct isup_trunk *t, uint16_t cic, bool block);

/*! Block (CGB) or unblock (CGU) \a range + 1 circuits from \a first for
 *  maintenance, Q.764 §2.8.3.  \returns 0, -EINVAL, -ENOENT, -EBUSY (one
 *  such request is already outstanding for \a first) */
int isup_trunk_group_block(struct isup_trunk *t, uint16_t first, uint8_t range, bool block);

/*! Reset a circuit (RSC), Q.764 §2.9.3.1: any call on it is released.
 *  \returns 0 or -ENOENT */
int isup_trunk_cic_reset(struct isup_trunk *t, uint16_t cic);

/*! \returns the call processing state of \a cic (ISUP_CIC_ST_UNKNOWN when
 *  not ours) */
enum isup_cic_state isup_trunk_cic_state(const struct isup_trunk *t, uint16_t cic);
/*! \returns the blocking bits (ISUP_BLK_*) of \a cic, 0 when not ours */
unsigned int isup_trunk_cic_blocking(const struct isup_trunk *t, uint16_t cic);
/*! \returns the call on \a cic, or NULL */
struct isup_call *isup_trunk_cic_call(const struct isup_trunk *t, uint16_t cic);
/*! \returns the current value of counter \a idx (enum isup_trunk_ctr) */
uint64_t isup_trunk_ctr_get(const struct isup_trunk *t, unsigned int idx);
/*! \returns the number of circuits that are idle, unblocked and equipped */
unsigned int isup_trunk_cics_free(const struct isup_trunk *t);

/*! Install "show isup trunk [NAME]" and the "isup" timer group in the VTY. */
void isup_trunk_vty_init(void);
