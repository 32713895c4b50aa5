/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file mtp_user.h
 *  An MTP3 user part (ISUP is service indicator 5, stiwf's own SCCP 3) on
 *  libosmo-sigtran: the messages of one service indicator of one cs7
 *  instance, over M3UA to an STP or SG.  Hides which osmo_ss7_user API the
 *  library has (1.6 in Debian 12; 2.2 changed it).  Service indicator 3 is
 *  free as long as nothing creates a libosmo-sigtran SCCP instance on the
 *  cs7 instance (that takes it); libosmo-sigtran 1.6 hands SI 3 traffic
 *  to whichever user registered it. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*! Q.704 §14.2.1 service indicators */
#define STIWF_MTP_SI_SCCP 3
#define STIWF_MTP_SI_ISUP 5

struct stiwf_mtp_user;

/*! Where an MTP-TRANSFER came from or goes to. */
struct stiwf_mtp_addr {
	uint32_t opc;
	uint32_t dpc;
	uint8_t sls;
	uint8_t ni;		/*!< network indicator, Q.704 §14.2.2 */
};

/*! Called on the loop for each MTP-TRANSFER.ind; data is valid only during
 *  the call. */
typedef void (*stiwf_mtp_rx_cb)(struct stiwf_mtp_user *u, const struct stiwf_mtp_addr *addr,
				const uint8_t *data, size_t len, void *priv);

/*! Called when the user part can send (an AS of the instance became
 *  active) or can no longer send (none is). */
typedef void (*stiwf_mtp_state_cb)(struct stiwf_mtp_user *u, bool available, void *priv);

/*! Register as the MTP user for service indicator si on cs7 instance
 *  inst_id (configured in the "cs7 instance" node).  Client ASPs of that
 *  instance get the default layer manager, so that they send ASP-UP and
 *  ASP-ACTIVE by themselves.
 *  \returns the user, or NULL (logged: no such instance, SI taken) */
struct stiwf_mtp_user *stiwf_mtp_user_bind(void *ctx, uint32_t inst_id, uint8_t si,
					   stiwf_mtp_rx_cb rx_cb, stiwf_mtp_state_cb state_cb,
					   void *priv);

/*! Send one user part message (for ISUP: from the CIC on, no routing label).
 *  \returns 0, -ENETDOWN when no AS is active, -EMSGSIZE, -ENOMEM, -EIO */
int stiwf_mtp_user_send(struct stiwf_mtp_user *u, uint32_t dpc, uint8_t sls,
			const uint8_t *data, size_t len);

/*! \returns the instance's own (primary) point code */
uint32_t stiwf_mtp_user_local_pc(const struct stiwf_mtp_user *u);

/*! \returns whether an AS of the instance is active */
bool stiwf_mtp_user_available(const struct stiwf_mtp_user *u);

/*! Format a point code the way the instance's config writes it. */
const char *stiwf_mtp_user_pc_str(const struct stiwf_mtp_user *u, uint32_t pc);

/*! Unregister and free. */
void stiwf_mtp_user_unbind(struct stiwf_mtp_user *u);
