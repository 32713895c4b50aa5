/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file ss7.h
 *  The SS7 room's entry points for the daemon: libosmo-sigtran set-up and
 *  its "cs7 instance" configuration nodes (ASP role). */

struct vty;
struct osmo_tdef_group;

/*! The timer groups of the SS7 room ("timer isup", "timer sccp"), ended
 *  by an empty entry: src/stiwfd/cfg.c gives them to the VTY with the others */
extern struct osmo_tdef_group stiwf_ss7_tdef_groups[];

/*! Initialise libosmo-sigtran and install its cs7 VTY nodes.
 *  \returns 0 or a negative errno */
int stiwf_ss7_init(void *ctx);

/*! VTY go_parent hook for the cs7 nodes. */
int stiwf_ss7_vty_go_parent(struct vty *vty);
