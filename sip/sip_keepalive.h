/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file sip_keepalive.h
 *  Liveness of a SIP peer by OPTIONS (RFC 3261 §11): one OPTIONS every
 *  interval, never two at once.  A final response counts as alive unless
 *  it is 408 (no answer, RFC 3261 §17.1.2.2 timer F) or 503 (the peer is
 *  overloaded or, from Sofia-SIP itself within about a second, a UDP peer
 *  that does not listen: ICMP port unreachable).  After N failures in a
 *  row the peer is down; the first success brings it up again.  The owner
 *  learns each change through a callback (stiwfd marks the sip-peer, and
 *  routes skip it: iwf_route_lookup_up()).
 *
 *  This header does not expose Sofia types (sip/sip_agent.h). */

#include <stdbool.h>

#include <osmocom/core/utils.h>

struct stiwf_sip_agent;
struct sip_keepalive;

/*! Default failures in a row before a peer is down. */
#define SIP_KEEPALIVE_FAILURES_DEFAULT	3

enum sip_keepalive_state {
	SIP_KEEPALIVE_UNKNOWN,		/*!< no answer yet: routes use the peer */
	SIP_KEEPALIVE_UP,
	SIP_KEEPALIVE_DOWN,
};
extern const struct value_string sip_keepalive_state_names[];

/*! Called on every change of state (never from inside sip_keepalive_alloc()). */
typedef void (*sip_keepalive_cb)(struct sip_keepalive *ka, enum sip_keepalive_state st, void *priv);

/*! Start probing \a uri ("sip:host:port;transport=..."; a TLS peer's URI
 *  with maddr) every \a interval_s seconds, the first OPTIONS at once.
 *  \a name names the peer in the logs.  Freed with talloc_free(), which
 *  ends the request in flight; the agent frees the keepalives it has left
 *  before it stops.
 *  \returns the keepalive, or NULL (bad arguments, no agent, out of memory) */
struct sip_keepalive *sip_keepalive_alloc(void *ctx, struct stiwf_sip_agent *agent, const char *name,
					  const char *uri, unsigned int interval_s, unsigned int failures,
					  sip_keepalive_cb cb, void *priv);

/*! When the keepalive is freed (by its owner or with the agent), *ref
 *  becomes NULL: the owner's pointer to it never dangles. */
void sip_keepalive_set_ref(struct sip_keepalive *ka, void **ref);

/*! \returns whether a final response of status \a status says the peer is alive */
bool sip_keepalive_status_alive(int status);

enum sip_keepalive_state sip_keepalive_state(const struct sip_keepalive *ka);

/*! \returns the failures in a row so far */
unsigned int sip_keepalive_failures(const struct sip_keepalive *ka);

/*! \returns the status of the last final response, 0 before the first */
int sip_keepalive_last_status(const struct sip_keepalive *ka);
