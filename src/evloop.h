#pragma once
/*! \file evloop.h
 *  One event loop for the whole daemon (DESIGN §5): glib's GMainLoop, whose
 *  poll function also serves libosmocore's file descriptors and timers, so
 *  that Sofia-SIP (through its glib root), libosmo-sigtran, libcurl and the
 *  call FSMs all run on one thread. */

#include <glib.h>

/*! Make the default GMainContext poll libosmocore fds and run its timers.
 *  Call once, before any g_main_loop_run() on the default context. */
void stiwf_evloop_install(void);

/*! Undo stiwf_evloop_install(). */
void stiwf_evloop_uninstall(void);
