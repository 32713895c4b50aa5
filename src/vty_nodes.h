#pragma once
/*! \file vty_nodes.h
 *  VTY node numbers of stiwf, after libosmocore's (libosmo-sigtran's cs7
 *  nodes are among libosmocore's own). */

#include <osmocom/vty/command.h>

enum stiwf_vty_node {
	STIWF_SIP_NODE = _LAST_OSMOVTY_NODE + 1,
};
