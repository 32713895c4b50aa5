/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file call_echo.h
 *  The call owner of stiwfd until the IWF call layer exists: "test-mode
 *  echo" answers every incoming INVITE itself, and "sip test-call" places
 *  outgoing calls whose outcome is logged.  It uses only the neutral API of
 *  sip/sip_call.h, as the IWF will. */

struct stiwf_sip_agent;

/*! Install "sip test-call" (enable node); before the config is read. */
void call_echo_vty_init(void *ctx);

/*! Become the call owner of agent. */
void call_echo_attach(struct stiwf_sip_agent *agent);
