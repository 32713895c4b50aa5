/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file vty_client.h
 *  A minimal client of stiwfd's VTY console (telnet on 127.0.0.1), so that
 *  scripts and tests can run console commands without a telnet program. */

#include <stdio.h>

/*! Passwords for a console that asks for them (libosmovty's "Password: "). */
struct stiwf_vty_client_auth {
	const char *login_password;	/*!< "line vty" / "login": asked on connect, or NULL */
	const char *enable_password;	/*!< asked after "enable", or NULL */
};

/*! Connect, run each command in turn, write their output to out.
 *  \param[in] auth passwords, or NULL for none
 *  \param[in] timeout_ms limit for connecting and for each answer
 *  \returns 0, or a negative errno (-ETIMEDOUT, -ECONNREFUSED, ...);
 *           -EPROTO when a command answered with a "%" error line;
 *           -EACCES when a password was asked and none was given, or it was refused */
int stiwf_vty_client_run(const char *host, int port, const struct stiwf_vty_client_auth *auth,
			 const char *const *cmds, int n_cmds, int timeout_ms, FILE *out);
