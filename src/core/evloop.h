/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file evloop.h
 *  One event loop for the whole daemon (ARCHITECTURE §5): glib's GMainLoop, whose
 *  poll function also serves libosmocore's file descriptors and timers, so
 *  that Sofia-SIP (through its glib root), libosmo-sigtran, libcurl and the
 *  call FSMs all run on one thread. */

#include <time.h>

#include <glib.h>

/*! Make the default GMainContext poll libosmocore fds and run its timers.
 *  Call once, from the thread that runs the loop and registers the osmo_fds,
 *  before any g_main_loop_run() on the default context.  Any fd number the
 *  process may open is served: no fd_set is used.
 *  \returns 0, or -errno when libosmocore's osmo_fd list cannot be found. */
int stiwf_evloop_install(void);

/*! Undo stiwf_evloop_install(). */
void stiwf_evloop_uninstall(void);

/*! The time in seconds, as time(NULL): on the loop thread of an installed
 *  loop the loop clock's (read at most once per loop phase, see
 *  evloop.c), elsewhere the clock's own.  For the per-call code on the
 *  loop, where a second-resolution time is read several times a call. */
time_t stiwf_evloop_time(void);
