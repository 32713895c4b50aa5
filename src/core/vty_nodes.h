/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file vty_nodes.h
 *  VTY node numbers of stiwf, after libosmocore's (libosmo-sigtran's cs7
 *  nodes are among libosmocore's own). */

#include <osmocom/vty/command.h>

/*! Default TCP port of the VTY console (bound to 127.0.0.1 unless
 *  "line vty / bind" says otherwise): stiwfd listens on it, the tool's
 *  "stiwf vty" connects to it. */
#define STIWF_VTY_PORT 4270

enum stiwf_vty_node {
	STIWF_SIP_NODE = _LAST_OSMOVTY_NODE + 1,
	/* "show running-config" writes the nodes in this order: the trust
	 * domains, then the peers, then the routes that name them. */
	STIWF_STIR_NODE,	/*!< "stir": the SHAKEN trust domain (iwf/peer_vty.c) */
	STIWF_TSCA_NODE,	/*!< "tsca": the TSCA trust domain */
	STIWF_SIP_PEER_NODE,	/*!< "sip-peer NAME" */
	STIWF_SS7_PEER_NODE,	/*!< "ss7-peer NAME" */
	STIWF_ROUTE_NODE,	/*!< never entered: writes the top-level "route" lines */
	STIWF_LINE_VTY_NODE,	/*!< never entered: writes "line vty / max-sessions" */
	STIWF_SCCP_NODE,	/*!< "sccp": stiwf's own SCCP (ss7/sccp_vty.c) */
	STIWF_MAP_NODE,		/*!< never entered: writes map-category, map-log, map-dialogues */
	STIWF_MAP_PEER_NODE,	/*!< "map-peer NAME": the MAP border (iwf/map_peer_vty.c) */
	STIWF_METRICS_NODE,	/*!< never entered: writes "metrics listen" (src/core/metrics.c) */
};
