#pragma once
/*! \file ss7.h
 *  The SS7 room's entry points for the daemon: libosmo-sigtran set-up and
 *  its "cs7 instance" configuration nodes (ASP role). */

struct vty;

/*! Initialise libosmo-sigtran and install its cs7 VTY nodes.
 *  \returns 0 or a negative errno */
int stiwf_ss7_init(void *ctx);

/*! VTY go_parent hook for the cs7 nodes. */
int stiwf_ss7_vty_go_parent(struct vty *vty);
