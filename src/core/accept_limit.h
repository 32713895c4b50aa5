/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file accept_limit.h
 *  Bounds on the connections stiwfd accepts per listening address (SIP over
 *  TCP, the VTY console): neither Sofia-SIP nor libosmovty caps them, and
 *  every accepted connection holds a descriptor and memory until its peer
 *  or an idle timer closes it.  Beyond the bound a connection is accepted
 *  and closed at once, so the listener's backlog keeps draining. */

#include <stdint.h>

/*! Bound the connections accepted on a TCP listener.
 *  \param[in] name what the listener is, for the log ("SIP", "VTY")
 *  \param[in] addr numeric IPv4/IPv6 address the listener is bound to
 *  \param[in] port its TCP port
 *  \param[in] max connections open at once; 0 lifts the bound
 *  \param[in] silent_s shut down a connection on which not one octet
 *  arrived for this many seconds (an osmo_timer checks); 0: never
 *  \returns 0, -EINVAL for an address that is not numeric, -ENOMEM */
int stiwf_accept_limit_set(const char *name, const char *addr, uint16_t port, unsigned int max,
			   unsigned int silent_s);

/*! Connections refused so far on the listener (0 when it has no bound). */
unsigned long stiwf_accept_limit_refused(const char *addr, uint16_t port);

/*! Forget every bound. */
void stiwf_accept_limits_clear(void);
