/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file sccp_user.h
 *  stiwf's own SCCP, connectionless classes 0 and 1 (Q.714 §4): the MTP
 *  user of service indicator 3 on one cs7 instance, through ss7/mtp_user.h
 *  and without a libosmo-sigtran SCCP instance (libosmo-sigtran 1.6 does no
 *  global title translation, always sends UDT, and takes SI 3 for itself
 *  when its SCCP instance is created).  This node is the end point of the
 *  MTP routing label: routing on global titles is the caller's business
 *  (ss7/sccp_route.h).
 *
 *  Received UDT and XUDT go to the rx callback, segmented XUDT once
 *  reassembled (ss7/sccp_reasm.h); received UDTS and XUDTS to the notice
 *  callback.  Without the callback they are logged at DEBUG, counted and
 *  dropped.  A malformed message is logged once, naming the field and the
 *  OPC, counted and dropped.  Sending picks UDT or XUDT as asked, or XUDT
 *  segments when the data does not fit one message of max-message-length. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ss7/mtp_user.h"
#include "ss7/sccp.h"
#include "ss7/sccp_reasm.h"

struct sccp_user;

/*! Configuration of one SCCP user */
struct sccp_user_cfg {
	uint32_t cs7_instance;		/*!< the "cs7 instance" carrying it */
	size_t max_sif;			/*!< MTP3 SIF of one message, routing label included:
					 *   272 for MTP3 links, more for peers reached only over M3UA */
	struct sccp_reasm_cfg reasm;	/*!< bounds of the reassembly of received segments */
};

/*! Counters of an SCCP user (rate_ctr group "sccp", index: the cs7 instance) */
enum sccp_user_ctr {
	SCCP_CTR_RX_UDT,
	SCCP_CTR_RX_XUDT,		/*!< segments included */
	SCCP_CTR_RX_UDTS,
	SCCP_CTR_RX_XUDTS,
	SCCP_CTR_RX_SEGMENT,		/*!< XUDT with a segmentation parameter */
	SCCP_CTR_RX_REASSEMBLED,	/*!< messages reassembled from segments */
	SCCP_CTR_TX_UDT,
	SCCP_CTR_TX_XUDT,		/*!< segments included */
	SCCP_CTR_TX_SEGMENT,
	SCCP_CTR_TX_UDTS,
	SCCP_CTR_TX_XUDTS,
	SCCP_CTR_TX_FAILED,		/*!< messages MTP did not take */
	SCCP_CTR_DROP_MALFORMED,
	SCCP_CTR_DROP_UNSUPPORTED,	/*!< other message types, GTI or encoding schemes */
	SCCP_CTR_DROP_NO_USER,		/*!< no callback for it */
	SCCP_CTR_DROP_REASM_TIMEOUT,
	SCCP_CTR_DROP_REASM_INCONSISTENT,
	SCCP_CTR_DROP_REASM_TOO_LARGE,
	SCCP_CTR_DROP_REASM_EVICTED,
	_NUM_SCCP_CTR
};

/*! A received message as handed to a callback */
struct sccp_user_ind {
	struct stiwf_mtp_addr mtp;	/*!< OPC, DPC, SLS, NI (of the last segment) */
	struct sccp_msg msg;		/*!< rx: UDT or XUDT; notice: UDTS or XUDTS;
					 *   msg.data is valid during the call only */
	bool reassembled;		/*!< msg was put together from XUDT segments */
};

/*! Called on the loop for each received message */
typedef void (*sccp_user_ind_cb)(struct sccp_user *u, const struct sccp_user_ind *ind, void *priv);

/*! Sends one encoded SCCP message (an MTP-TRANSFER.req of SI 3).
 *  \returns 0 or a negative errno */
typedef int (*sccp_user_send_fn)(struct sccp_user *u, uint32_t dpc, uint8_t sls, const uint8_t *data,
				 size_t len, void *priv);

/*! Be the MTP user of SI 3 on cfg->cs7_instance (stiwf_mtp_user_bind()).
 *  rx_cb and notice_cb may be NULL: what they would get is then counted
 *  and dropped.
 *  \returns the user, or NULL (logged: no such instance, SI 3 taken, bad
 *           bounds) */
struct sccp_user *sccp_user_bind(void *ctx, const struct sccp_user_cfg *cfg, sccp_user_ind_cb rx_cb,
				 sccp_user_ind_cb notice_cb, void *priv);

/*! An SCCP user over another transport: send_fn takes each encoded
 *  message, sccp_user_rx() gives it each received one.
 *  \returns the user, or NULL */
struct sccp_user *sccp_user_alloc(void *ctx, const struct sccp_user_cfg *cfg, sccp_user_send_fn send_fn,
				  void *send_priv, sccp_user_ind_cb rx_cb, sccp_user_ind_cb notice_cb, void *priv);

/*! One received SCCP message (MTP-TRANSFER.ind of SI 3). */
void sccp_user_rx(struct sccp_user *u, const struct stiwf_mtp_addr *addr, const uint8_t *data, size_t len);

/*! Send m (UDT, XUDT, UDTS or XUDTS; its data and addresses as given) to
 *  dpc with sls.  A UDT or XUDT without segmentation parameter whose data
 *  does not fit one message goes as XUDT segments (Q.714 §4.1.1.2), all
 *  with sls; an XUDT or XUDTS without hop counter gets 15.
 *  \returns 0, -EINVAL (a field out of range), -EMSGSIZE (too long even
 *           for 16 segments or SCCP_SEGMENTED_DATA_MAX, or a UDTS, XUDTS or
 *           segment that does not fit), or what MTP said (-ENETDOWN: no
 *           AS active) */
int sccp_user_send(struct sccp_user *u, uint32_t dpc, uint8_t sls, const struct sccp_msg *m);

/*! The message return procedure (Q.714 §4.2) for a received message: a
 *  UDTS (for a UDT) or XUDTS (for an XUDT, with its segmentation and
 *  importance) with the given cause to the OPC, called and calling address
 *  swapped, carrying the user data, cut to what fits one message.
 *  \returns 0, -EPERM when the message did not ask for return (no return
 *           option; UDTS and XUDTS are never returned), or as
 *           sccp_user_send() */
int sccp_user_return(struct sccp_user *u, const struct sccp_user_ind *ind, enum sccp_return_cause cause);

/*! \returns the own point code of the cs7 instance (0 without one) */
uint32_t sccp_user_local_pc(const struct sccp_user *u);

/*! \returns whether MTP can carry messages now (an AS is active) */
bool sccp_user_available(const struct sccp_user *u);

/*! \returns pc as the cs7 instance's configuration writes it */
const char *sccp_user_pc_str(const struct sccp_user *u, uint32_t pc);

/*! \returns the cs7 instance of the user */
uint32_t sccp_user_cs7_instance(const struct sccp_user *u);

/*! \returns the reassemblies in progress */
unsigned int sccp_user_reassembling(const struct sccp_user *u);

/*! \returns the current value of a counter, enum sccp_user_ctr */
uint64_t sccp_user_ctr_get(const struct sccp_user *u, unsigned int idx);

/*! The users that exist, in creation order (for the VTY): entries are
 *  struct sccp_user, walk them with sccp_user_next(). */
struct sccp_user *sccp_user_next(struct sccp_user *prev);

/*! Unbind (when bound) and free. */
void sccp_user_free(struct sccp_user *u);
