#pragma once
/*! \file vty_client.h
 *  A minimal client of stiwfd's VTY console (telnet on 127.0.0.1), so that
 *  scripts and tests can run console commands without a telnet program. */

#include <stdio.h>

/*! Connect, run each command in turn, write their output to out.
 *  \param[in] timeout_ms limit for connecting and for each answer
 *  \returns 0, or a negative errno (-ETIMEDOUT, -ECONNREFUSED, ...);
 *           -EPROTO when a command answered with a "%" error line */
int stiwf_vty_client_run(const char *host, int port, const char *const *cmds, int n_cmds,
			 int timeout_ms, FILE *out);
