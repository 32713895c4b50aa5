/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file sccp_reasm.h
 *  Reassembly of segmented XUDT messages (Q.714 §4.1.1.3) with hard bounds:
 *  the user data of one message (at most 3952 octets, Q.714 §4.1.1.2),
 *  the number of its segments, the reassemblies in progress at once (the
 *  oldest goes when one more starts), and the reassembly timer
 *  T(reassembly), after which what arrived is discarded.
 *
 *  A reassembly is keyed by (calling party address, segmentation local
 *  reference, OPC), Q.714 §4.1.1.3.  Segments may arrive in any order;
 *  a segment that repeats one held with the same data is ignored, one with
 *  other data, or a set of segments that cannot belong together (two
 *  first segments with different counts, a segment beyond the count of the
 *  first, a different C bit) ends the reassembly as failed.  Every failure
 *  is reported once through the failure callback, with one of the held
 *  segments (the first when it arrived), so that the caller can return
 *  the message (Q.714 §4.2) when it asked for it. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <osmocom/core/tdef.h>
#include <osmocom/core/utils.h>

#include "ss7/sccp.h"

/*! osmo_tdef number of T(reassembly) in sccp_tdefs ("X1" in the VTY) */
#define SCCP_T_REASSEMBLY	-1

/*! The SCCP timers: T(reassembly), Q.714 §4.1.1.3 (10 to 20 s there);
 *  call sccp_tdefs_init() before reading them. */
extern struct osmo_tdef sccp_tdefs[];

/*! Set the timers to their defaults, once (the configuration may change
 *  them afterwards). */
void sccp_tdefs_init(void);

struct sccp_reasm;

/*! Bounds of a reassembly table */
struct sccp_reasm_cfg {
	size_t max_octets;		/*!< user data of one message, 1..SCCP_SEGMENTED_DATA_MAX */
	unsigned int max_segments;	/*!< segments of one message, 1..SCCP_SEGMENTS_MAX */
	unsigned int max_parallel;	/*!< reassemblies in progress, at least 1 */
};

/*! Why a reassembly failed */
enum sccp_reasm_fail_reason {
	SCCP_REASM_FAIL_TIMEOUT,	/*!< T(reassembly) expired */
	SCCP_REASM_FAIL_INCONSISTENT,	/*!< segments that do not belong together */
	SCCP_REASM_FAIL_TOO_LARGE,	/*!< above max_octets or max_segments */
	SCCP_REASM_FAIL_EVICTED,	/*!< the oldest, dropped for a new one at max_parallel */
};
extern const struct value_string sccp_reasm_fail_names[];

/*! A failed reassembly, as reported to the failure callback */
struct sccp_reasm_failure {
	enum sccp_reasm_fail_reason reason;
	uint32_t opc;			/*!< where the segments came from */
	uint8_t sls;			/*!< SLS of the segment in msg */
	unsigned int held;		/*!< segments held when it failed */
	/*! a held segment (the first one when it arrived; the offending one
	 *  when none is held): addresses, return option, segmentation and
	 *  its data, valid during the callback */
	struct sccp_msg msg;
};

/*! Called once per failed reassembly.  It must not free the table. */
typedef void (*sccp_reasm_fail_cb)(struct sccp_reasm *r, const struct sccp_reasm_failure *f, void *priv);

/*! \returns a reassembly table, or NULL (bad bounds, no memory) */
struct sccp_reasm *sccp_reasm_alloc(void *ctx, const struct sccp_reasm_cfg *cfg, sccp_reasm_fail_cb fail_cb,
				    void *priv);

/*! Feed one XUDT segment (a message with a segmentation parameter)
 *  received from opc with sls.
 *  \param[out] out when the message is complete: an XUDT without
 *              segmentation parameter, with the addresses, hop counter and
 *              importance of the first segment, the protocol class of its
 *              C bit and the user data in order; out->data stays valid
 *              until the next call or sccp_reasm_free()
 *  \returns 1 (complete, out filled), 0 (held, or a repeated segment
 *           ignored), -EBADMSG (inconsistent: the reassembly failed),
 *           -EMSGSIZE (too large: it failed), -EINVAL (no segmentation
 *           parameter), -ENOMEM */
int sccp_reasm_feed(struct sccp_reasm *r, uint32_t opc, uint8_t sls, const struct sccp_msg *seg,
		    struct sccp_msg *out);

/*! \returns the reassemblies in progress */
unsigned int sccp_reasm_count(const struct sccp_reasm *r);

/*! Drop every reassembly in progress (without failure reports) and free. */
void sccp_reasm_free(struct sccp_reasm *r);
