/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file cfg.h
 *  stiwfd's configuration: one libosmovty file holding our own nodes
 *  ("sip", ...), libosmocore's ("log", "line vty", "stats") and
 *  libosmo-sigtran's "cs7 instance" nodes. */

#include <stdbool.h>
#include <stddef.h>

#include "src/core/vty_nodes.h"	/* STIWF_VTY_PORT */

/*! Default bound on VTY console sessions open at once ("line vty /
 *  max-sessions"): libosmovty has none of its own. */
#define STIWF_VTY_MAX_SESSIONS 32

#define STIWF_DEFAULT_CONFIG SYSCONFDIR "/stiwf/stiwfd.conf"

/*! Set up the VTY with every node stiwfd knows.
 *  \param[in] ctx talloc context for VTY and configuration state
 *  \returns 0 or a negative errno */
int stiwf_vty_init(void *ctx);

/*! Read a configuration file.  On error, err holds
 *  "FILE:LINE: TEXT: REASON" (or the open error) and nothing of the rest of
 *  the file is applied.
 *  \returns 0, -ENOENT/-EACCES/... when it cannot be opened, -EINVAL on a bad line */
int stiwf_config_read(const char *path, char *err, size_t errlen);

/*! Make the VTY console safe once the configuration is read (before the
 *  console listens):
 *  - without an "enable password" the console is read-only: "enable" asks
 *    for a password nobody knows, so only VIEW commands (show ...) run;
 *  - a console bound to an address other than loopback needs an
 *    "enable password";
 *  - a file holding a VTY password must not be readable by others;
 *  - hidden ("8") passwords are refused: this libosmovty cannot check them.
 *  \param[in] config_path the file read, for the mode check and messages
 *  \param[out] read_only true when no enable password was configured
 *  \returns 0, -EPERM or -EINVAL with err saying why */
int stiwf_vty_secure(const char *config_path, bool *read_only, char *err, size_t errlen);
/*! \returns the configured bound on VTY sessions ("line vty /
 *  max-sessions"), 0 for none */
unsigned int stiwf_vty_max_sessions(void);
