/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file isup_internal.h
 *  Objects shared by isup_trunk.c, isup_call_fsm.c and isup_trunk_vty.c;
 *  not for users of the trunk API (isup_trunk.h). */

#include <stdbool.h>
#include <stdint.h>

#include <osmocom/core/fsm.h>
#include <osmocom/core/linuxlist.h>
#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/timer.h>

#include "ss7/isup.h"
#include "ss7/isup_trunk.h"

/* Q.850 §2.2.5 location of causes we generate: the IWF is the point where
 * the call leaves the ISUP network ("network beyond interworking point"
 * for causes the owner, i.e. the SIP side, gives) or a transit network for
 * our own timers and protocol errors. */
#define ISUP_LOC_TRANSIT	0x03
#define ISUP_LOC_BEYOND_IWP	0x0a

/*! The most parameter codes a cause diagnostic names (Q.764 §2.9.5.3.2) */
#define ISUP_DIAG_MAX	16

/*! A request retransmitted on a short timer until acknowledged, with a
 *  maintenance alert when the long timer expires and retransmission every
 *  long period from then on (Q.764 Annex A: T12/T13, T14/T15, T16/T17,
 *  T18/T19, T20/T21, T22/T23). */
struct isup_retx {
	struct osmo_timer_list timer;
	int t_short, t_long;
	unsigned long elapsed_s;	/*!< since the first transmission */
	unsigned long period_s;		/*!< the period now running */
	/*! send again; \a alert on the first expiry of the long timer */
	void (*resend)(struct isup_retx *rx, bool alert);
	bool alerted;
};

/*! The retransmission of an RSC (T16/T17) or of a BLO or UBL (T12/T13,
 *  T14/T15) we sent on one circuit: allocated when it is sent, freed when
 *  it is acknowledged or given up */
struct isup_cic_retx {
	struct isup_retx retx;
	struct isup_cic *cic;
};

/*! Q.764 §2.1.12: a first segment awaiting its SGM, T34; allocated when
 *  it arrives, freed when the SGM, another message or T34 ends the wait */
struct isup_cic_seg {
	struct osmo_timer_list t34;
	struct isup_cic *cic;
	struct isup_msg msg;
};

/*! One circuit.  A configured circuit is idle nearly all the time, and a
 *  node has thousands: what only a running procedure needs lives in its
 *  own allocation, NULL while none runs (docs/BENCHMARKS.md, "Memory
 *  of an idle circuit"). */
struct isup_cic {
	struct isup_trunk *trunk;
	uint16_t cic;
	bool unequipped;		/*!< the peer sent UCIC, Q.764 §2.12 */
	bool await_reset;		/*!< RSC or GRS sent, no RLC or GRA yet */
	bool peer_seizing;		/*!< dual seizure lost: the peer's IAM takes it */
	uint8_t blocking;		/*!< ISUP_BLK_* */
	/*! RSC we sent, no RLC yet; retransmitted by \a rsc when it could
	 *  be allocated */
	bool rsc_sent;
	/*! BLO or UBL we sent, no BLA or UBA yet (0: none); retransmitted
	 *  by \a blk when it could be allocated */
	uint8_t blk_type;
	struct isup_call *call;		/*!< NULL when idle */
	uint64_t last_used;		/*!< for least-recently-used selection */

	struct isup_cic_retx *rsc;	/*!< T16/T17 while \a rsc_sent */
	struct isup_cic_retx *blk;	/*!< T12/T13 or T14/T15 while \a blk_type */
	struct isup_cic_seg *seg;	/*!< T34 */
};

/*! A circuit group request we sent: GRS, CGB or CGU */
struct isup_grp_req {
	struct llist_head list;
	struct isup_trunk *trunk;
	uint8_t type;
	uint16_t first;
	uint8_t range;
	struct isup_range_status rs;	/*!< as sent (CGB/CGU status bits) */
	struct isup_retx retx;
};

struct isup_trunk {
	struct llist_head list;		/*!< in the list of all trunks */
	char *name;
	uint32_t opc, dpc;
	uint8_t ni;
	size_t max_sif_len;
	/* Q.764 §2.1.1.2: overlap address signalling on incoming calls */
	bool overlap;
	uint8_t ov_min_digits, ov_max_digits;
	struct isup_trunk_ops ops;
	void *priv;
	bool available;			/*!< MTP user part can send */
	bool resetting;			/*!< reset of all circuits not yet acknowledged */

	/*! sorted by CIC; the circuits are allocated a range at a time
	 *  (isup_trunk_add_cics()), never as talloc contexts of their own */
	struct isup_cic **cics;
	unsigned int num_cics;
	uint64_t use_seq;

	struct llist_head grp_reqs;	/*!< struct isup_grp_req */
	struct rate_ctr_group *ctrs;

	/* encoding scratch: an isup_msg is large */
	struct isup_msg *tx_first, *tx_sgm, *rx_msg;
	bool in_free;

	/* Q.764 §2.9.5.3.2: the unrecognized parameters of the REL being
	 * processed, named in the cause of the RLC that answers it */
	uint8_t rlc_diag_len;
	uint8_t rlc_diag[ISUP_DIAG_MAX];
};

/*! An outgoing or incoming call on a circuit: the priv of its FSM
 *  instance (isup_call_fsm.c). */
struct isup_call {
	struct osmo_fsm_inst *fi;
	struct isup_trunk *trunk;
	struct isup_cic *cic;
	bool outgoing;
	void *priv;			/*!< the owner's */
	bool owner_gone;		/*!< released callback called or release requested */
	struct isup_msg *iam;		/*!< outgoing: kept for repeat attempts */
	unsigned int attempts;
	bool backward_rx;		/*!< a backward message arrived (no more dual seizure) */
	uint8_t rel_cause;
	uint8_t rel_diag_len;		/*!< the diagnostic of our REL, repeated with it */
	uint8_t rel_diag[ISUP_DIAG_MAX];
	unsigned long rel_elapsed_s;	/*!< T5 accounting while awaiting RLC */
	unsigned long rel_period_s;	/*!< the T1/T5 period now running */
	/* what an INF answers to an INR (Q.764 §2.1.6): from our own IAM */
	bool has_cgpn;
	struct isup_number cgpn;
	bool has_cpc;
	uint8_t cpc;
	/* Q.764 §2.5: the call is treated as international (FCI bit A of
	 * its IAM): a network-initiated suspension runs T38, not T6 */
	bool international;
	uint8_t sus_ind;		/*!< suspend/resume indicator of the SUS in force */
};

/* isup_trunk.c, for the call FSM and the VTY */
void isup_tdefs_init(void);
struct llist_head *isup_trunk_list(void);
int isup_trunk_tx(struct isup_trunk *t, const struct isup_msg *msg);
int isup_trunk_tx_simple(struct isup_trunk *t, uint8_t type, uint16_t cic);
int isup_trunk_tx_rel(struct isup_trunk *t, uint16_t cic, uint8_t cause, uint8_t location);
int isup_trunk_tx_rel_diag(struct isup_trunk *t, uint16_t cic, uint8_t cause, uint8_t location,
			   const uint8_t *diag, uint8_t diag_len);
/*! RLC for a REL; with cause 99 naming the REL's unrecognized parameters
 *  while that REL is processed (Q.764 §2.9.5.3.2) */
int isup_trunk_tx_rlc(struct isup_trunk *t, uint16_t cic);
struct isup_cic *isup_trunk_cic_pick(struct isup_trunk *t, const struct isup_cic *except);
void isup_cic_reset_start(struct isup_cic *c);
void isup_trunk_ctr_rel(struct isup_trunk *t, uint8_t cause);
void isup_trunk_alert(struct isup_trunk *t, uint16_t cic, const char *what);
bool isup_trunk_controls(const struct isup_trunk *t, uint16_t cic);

/* isup_call_fsm.c */
void isup_call_detach(struct isup_call *call);
/*! Release circuit \a c that has no call with REL \a cause (and the
 *  diagnostic, may be NULL) and complete it (T1/T5) without an owner.
 *  \returns 0 or -ENOMEM */
int isup_call_fsm_release_circuit(struct isup_trunk *t, struct isup_cic *c, uint8_t cause,
				  const uint8_t *diag, uint8_t diag_len);
/*! Hand the IAM of an incoming call to the owner (or release it, cause 63,
 *  when the trunk has none). */
void isup_call_offer(struct isup_call *call, const struct isup_msg *iam);
