/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MTP user part binding on libosmo-sigtran.
 *
 * Receiving: libosmo-sigtran calls the user's prim_cb with an
 * MTP-TRANSFER.ind whose msgb carries the user part message at l2h; the
 * callback owns and frees the msgb.  Sending: an MTP-TRANSFER.req primitive
 * in a msgb, which the library takes over.
 *
 * Availability: libosmo-sigtran 1.6 gives an ASP-role user no
 * MTP-PAUSE/RESUME, so the AS states of the instance are sampled every
 * 100 ms and changes reported once. */

#include <errno.h>
#include <string.h>

#include <osmocom/core/msgb.h>
#include <osmocom/core/prim.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/sigtran/mtp_sap.h>
#include <osmocom/sigtran/osmo_ss7.h>
#include <osmocom/sigtran/sigtran_sap.h>

#include "config.h"
#include "src/core/logging.h"
#include "ss7/mtp_user.h"

#define MTP_STATE_POLL_MS 100
/* Q.703 §2.3.8: at most 272 octets of SIF; M3UA may carry more, the user
 * part decides.  This bounds what we hand to the library. */
#define MTP_USER_MAX_LEN 4096

struct stiwf_mtp_user {
	struct osmo_ss7_instance *inst;
#if STIWF_SS7_USER_API == 1
	struct osmo_ss7_user user;
#else
	struct osmo_ss7_user *user;
#endif
	uint8_t si;
	bool registered;
	bool available;
	stiwf_mtp_rx_cb rx_cb;
	stiwf_mtp_state_cb state_cb;
	void *priv;
	struct osmo_timer_list state_timer;
};

static uint32_t inst_primary_pc(const struct osmo_ss7_instance *inst)
{
#if STIWF_SS7_USER_API == 1
	return inst->cfg.primary_pc;
#else
	return osmo_ss7_instance_get_primary_pc(inst);
#endif
}

static uint8_t inst_ni(const struct osmo_ss7_instance *inst)
{
#if STIWF_SS7_USER_API == 1
	return inst->cfg.network_indicator;
#else
	return osmo_ss7_instance_get_network_indicator(inst);
#endif
}

static bool inst_any_as_active(struct osmo_ss7_instance *inst)
{
#if STIWF_SS7_USER_API == 1
	struct osmo_ss7_as *as;

	llist_for_each_entry(as, &inst->as_list, list) {
		if (osmo_ss7_as_active(as))
			return true;
	}
	return false;
#else
	/* 2.2+ keeps the AS list private; M3UA is the protocol we use. */
	struct osmo_ss7_as *as = osmo_ss7_as_find_by_proto(inst, OSMO_SS7_ASP_PROT_M3UA);

	return as && osmo_ss7_as_active(as);
#endif
}

static int mtp_user_prim_cb(struct osmo_prim_hdr *oph, void *ctx)
{
	struct stiwf_mtp_user *u = ctx;
	struct osmo_mtp_prim *omp = (struct osmo_mtp_prim *)oph;
	struct stiwf_mtp_addr addr;

	if (oph->sap != MTP_SAP_USER) {
		LOGP(DSS7, LOGL_ERROR, "MTP user SI %u: primitive for SAP %u ignored\n", u->si, oph->sap);
		goto out;
	}
	switch (OSMO_PRIM_HDR(oph)) {
	case OSMO_PRIM(OSMO_MTP_PRIM_TRANSFER, PRIM_OP_INDICATION):
		addr.opc = omp->u.transfer.opc;
		addr.dpc = omp->u.transfer.dpc;
		addr.sls = omp->u.transfer.sls;
		addr.ni = omp->u.transfer.sio >> 6;
		if (!oph->msg->l2h) {
			LOGP(DSS7, LOGL_ERROR, "MTP-TRANSFER.ind from %s without user data\n",
			     osmo_ss7_pointcode_print(u->inst, addr.opc));
			break;
		}
		u->rx_cb(u, &addr, msgb_l2(oph->msg), msgb_l2len(oph->msg), u->priv);
		break;
	case OSMO_PRIM(OSMO_MTP_PRIM_PAUSE, PRIM_OP_INDICATION):
		LOGP(DSS7, LOGL_NOTICE, "MTP-PAUSE for %s\n",
		     osmo_ss7_pointcode_print(u->inst, omp->u.pause.affected_dpc));
		break;
	case OSMO_PRIM(OSMO_MTP_PRIM_RESUME, PRIM_OP_INDICATION):
		LOGP(DSS7, LOGL_NOTICE, "MTP-RESUME for %s\n",
		     osmo_ss7_pointcode_print(u->inst, omp->u.resume.affected_dpc));
		break;
	case OSMO_PRIM(OSMO_MTP_PRIM_STATUS, PRIM_OP_INDICATION):
		LOGP(DSS7, LOGL_NOTICE, "MTP-STATUS for %s cause %u\n",
		     osmo_ss7_pointcode_print(u->inst, omp->u.status.affected_dpc), omp->u.status.cause);
		break;
	default:
		LOGP(DSS7, LOGL_ERROR, "MTP user SI %u: unexpected primitive %u/%u\n", u->si,
		     oph->primitive, oph->operation);
		break;
	}
out:
	msgb_free(oph->msg);
	return 0;
}

static void mtp_user_state_poll(void *data)
{
	struct stiwf_mtp_user *u = data;
	bool now = inst_any_as_active(u->inst);

	if (now != u->available) {
		u->available = now;
		LOGP(DSS7, now ? LOGL_NOTICE : LOGL_ERROR, "SS7 instance %s: user part SI %u %s\n",
		     osmo_ss7_pointcode_print(u->inst, inst_primary_pc(u->inst)), u->si,
		     now ? "available (AS active)" : "unavailable (no AS active)");
		if (u->state_cb)
			u->state_cb(u, now, u->priv);
	}
	osmo_timer_schedule(&u->state_timer, 0, MTP_STATE_POLL_MS * 1000);
}

/* Client ASPs made from the config need a layer manager, or they never
 * send ASP-UP (libosmo-sigtran 1.6; ARCHITECTURE §6). */
static void mtp_user_attach_lm(struct osmo_ss7_instance *inst)
{
#if STIWF_SS7_USER_API == 1
	struct osmo_ss7_asp *asp;

	llist_for_each_entry(asp, &inst->asp_list, list) {
		if (asp->cfg.is_server || asp->lm)
			continue;
		if (osmo_ss7_asp_use_default_lm(asp, LOGL_INFO) < 0)
			LOGP(DSS7, LOGL_ERROR, "ASP %s: cannot attach the default layer manager\n",
			     asp->cfg.name);
		else
			LOGP(DSS7, LOGL_INFO, "ASP %s: default layer manager attached\n", asp->cfg.name);
	}
#else
	/* 2.2+ attaches it to client ASPs configured in the VTY itself. */
	(void)inst;
#endif
}

/* The ASP-role VTY of libosmo-sigtran 1.6 has no route-table node.  An IWF
 * with a single AS towards its STP sends everything there: give the
 * instance that default route, as libosmo-sigtran's simple client does. */
static void mtp_user_default_route(struct osmo_ss7_instance *inst)
{
#if STIWF_SS7_USER_API == 1
	struct osmo_ss7_as *as, *only = NULL;
	unsigned int n = 0;

	llist_for_each_entry(as, &inst->as_list, list) {
		only = as;
		n++;
	}
	if (n != 1 || osmo_ss7_route_find_dpc_mask(inst->rtable_system, 0, 0))
		return;
	if (!osmo_ss7_route_create(inst->rtable_system, 0, 0, only->cfg.name))
		LOGP(DSS7, LOGL_ERROR, "cannot add the default route via AS %s\n", only->cfg.name);
	else
		LOGP(DSS7, LOGL_INFO, "default route via AS %s\n", only->cfg.name);
#else
	(void)inst;
#endif
}

static int mtp_user_talloc_destructor(struct stiwf_mtp_user *u)
{
	osmo_timer_del(&u->state_timer);
	if (u->registered) {
#if STIWF_SS7_USER_API == 1
		osmo_ss7_user_unregister(u->inst, u->si, &u->user);
#else
		osmo_ss7_user_unregister(u->user, u->si);
#endif
		u->registered = false;
	}
#if STIWF_SS7_USER_API != 1
	if (u->user)
		osmo_ss7_user_destroy(u->user);
#endif
	return 0;
}

struct stiwf_mtp_user *stiwf_mtp_user_bind(void *ctx, uint32_t inst_id, uint8_t si,
					   stiwf_mtp_rx_cb rx_cb, stiwf_mtp_state_cb state_cb,
					   void *priv)
{
	struct stiwf_mtp_user *u;
	int rc;

	if (si > 15 || !rx_cb)
		return NULL;
	u = talloc_zero(ctx, struct stiwf_mtp_user);
	if (!u)
		return NULL;
	u->si = si;
	u->rx_cb = rx_cb;
	u->state_cb = state_cb;
	u->priv = priv;
	osmo_timer_setup(&u->state_timer, mtp_user_state_poll, u);
	talloc_set_destructor(u, mtp_user_talloc_destructor);

	u->inst = osmo_ss7_instance_find(inst_id);
	if (!u->inst) {
		LOGP(DSS7, LOGL_ERROR, "no 'cs7 instance %u' in the configuration\n", inst_id);
		goto fail;
	}
#if STIWF_SS7_USER_API == 1
	u->user.inst = u->inst;
	u->user.name = "stiwf";
	u->user.prim_cb = mtp_user_prim_cb;
	u->user.priv = u;
	rc = osmo_ss7_user_register(u->inst, si, &u->user);
#else
	u->user = osmo_ss7_user_create(u->inst, "stiwf");
	if (!u->user)
		goto fail;
	osmo_ss7_user_set_prim_cb(u->user, mtp_user_prim_cb);
	osmo_ss7_user_set_priv(u->user, u);
	rc = osmo_ss7_user_register(u->user, si);
#endif
	if (rc < 0) {
		LOGP(DSS7, LOGL_ERROR, "cs7 instance %u: service indicator %u already has a user\n",
		     inst_id, si);
		goto fail;
	}
	u->registered = true;
	mtp_user_attach_lm(u->inst);
	mtp_user_default_route(u->inst);
	osmo_timer_schedule(&u->state_timer, 0, MTP_STATE_POLL_MS * 1000);
	LOGP(DSS7, LOGL_NOTICE, "cs7 instance %u: user part SI %u bound, local PC %s\n", inst_id, si,
	     osmo_ss7_pointcode_print(u->inst, inst_primary_pc(u->inst)));
	return u;

fail:
	talloc_free(u);
	return NULL;
}

int stiwf_mtp_user_send(struct stiwf_mtp_user *u, uint32_t dpc, uint8_t sls,
			const uint8_t *data, size_t len)
{
	struct osmo_mtp_prim *omp;
	struct msgb *msg;
	int rc;

	if (len == 0 || len > MTP_USER_MAX_LEN)
		return -EMSGSIZE;
	if (!u->available && !inst_any_as_active(u->inst))
		return -ENETDOWN;
	msg = msgb_alloc_headroom(sizeof(*omp) + len + 128, 128, "stiwf MTP-TRANSFER.req");
	if (!msg)
		return -ENOMEM;
	omp = (struct osmo_mtp_prim *)msgb_put(msg, sizeof(*omp));
	osmo_prim_init(&omp->oph, MTP_SAP_USER, OSMO_MTP_PRIM_TRANSFER, PRIM_OP_REQUEST, msg);
	omp->u.transfer.opc = inst_primary_pc(u->inst);
	omp->u.transfer.dpc = dpc;
	omp->u.transfer.sls = sls;
	omp->u.transfer.sio = MTP_SIO(u->si, inst_ni(u->inst));
	msg->l2h = msgb_put(msg, len);
	memcpy(msg->l2h, data, len);

	/* the library takes the msgb, whatever it returns */
#if STIWF_SS7_USER_API == 1
	rc = osmo_ss7_user_mtp_xfer_req(u->inst, omp);
#else
	rc = osmo_ss7_user_mtp_sap_prim_down(u->user, omp);
#endif
	if (rc < 0) {
		LOGP(DSS7, LOGL_ERROR, "MTP-TRANSFER.req to %s failed (%d)\n",
		     osmo_ss7_pointcode_print(u->inst, dpc), rc);
		return -EIO;
	}
	return 0;
}

uint32_t stiwf_mtp_user_local_pc(const struct stiwf_mtp_user *u)
{
	return inst_primary_pc(u->inst);
}

bool stiwf_mtp_user_available(const struct stiwf_mtp_user *u)
{
	return u->available;
}

const char *stiwf_mtp_user_pc_str(const struct stiwf_mtp_user *u, uint32_t pc)
{
	return osmo_ss7_pointcode_print(u->inst, pc);
}

void stiwf_mtp_user_unbind(struct stiwf_mtp_user *u)
{
	talloc_free(u);
}
