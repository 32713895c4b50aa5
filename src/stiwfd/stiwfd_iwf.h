/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file stiwfd_iwf.h
 *  stiwfd's live IWF objects, built from the configuration (iwf/peer.h)
 *  once it has been read and checked: one setup function per room
 *  (certs/, ss7/, then the call layer that joins them to sip/). */

#include <stdbool.h>
#include <stddef.h>

struct stiwf_sip_agent;
struct stiwf_workq;
struct stiwfd_iwf;

/*! Trust stores, fetchers and caches of both domains, the STI-VS, the
 *  STI-AS and TSCA credentials (key files open to group or others are
 *  refused), the TSCA signer directory, the domain map and the HOP replay
 *  cache.  \returns 0 or a negative errno (logged, naming what failed) */
int stiwfd_certs_setup(struct stiwfd_iwf *d);

/*! Before the SIP agent starts: check the sip-peers of transport tls
 *  against the sip node (a TLS listener, no plain TCP one, a tls-subject
 *  each), give the agent their names and install their pins.
 *  \param[in] ctx owner of the name list put in g_sip_cfg
 *  \returns 0, or -EINVAL with err saying why */
int stiwfd_tls_setup(void *ctx, char *err, size_t errlen);
/*! Before the SIP agent starts: the header names of the sip-peers'
 *  via-proxy lines, for the SIP layer to collect (sip_call_info.trusted).
 *  \returns 0, or -EINVAL with err saying why */
int stiwfd_proxy_setup(char *err, size_t errlen);

/*! Read the CRL files again and fetch the distribution-point CRLs again
 *  that are due now (truststore.h, resolve.h), or all of them when
 *  \a force (SIGHUP).  A timer runs it every minute once
 *  stiwfd_certs_setup() succeeded.  \returns how many CRLs were read
 *  again with a change, plus the fetches started */
int stiwfd_certs_refresh(struct stiwfd_iwf *d, bool force);

/*! The MTP user (SI 5) on every cs7 instance an ss7-peer uses, and a
 *  trunk per ss7-peer (received messages dispatched by OPC; GRS when the
 *  user part becomes available).  \returns 0 or a negative errno */
int stiwfd_ss7_setup(struct stiwfd_iwf *d);

/*! The call layer on \a sip.  \returns 0 or a negative errno */
int stiwfd_calls_setup(struct stiwfd_iwf *d, struct stiwf_sip_agent *sip);

/*! \returns the runtime, empty; free it with stiwfd_iwf_free() */
struct stiwfd_iwf *stiwfd_iwf_alloc(void *ctx, struct stiwf_workq *wq);

/*! Release every call (both legs), then free trunks, MTP users and the
 *  certificate machinery.  The SIP agent must still be running. */
void stiwfd_iwf_free(struct stiwfd_iwf *d);
