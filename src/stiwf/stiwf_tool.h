/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file stiwf_tool.h
 *  Shared bits of the stiwf tool's subcommands. */

/*! Exit codes of every subcommand: 0 success, 1 the operation failed
 *  (verification failed, peer refused, ...), 2 usage error. */
#define STIWF_EXIT_USAGE 2

/*! Parse seconds since the epoch: decimal, 0..2^40, nothing after.
 *  \returns 0 or -EINVAL */
int stiwf_tool_parse_epoch(const char *s, long long *out);

struct fetch_policy;

/*! Add "permit CIDR" (--fetch-permit) to the address ACL of \a pol: the
 *  tools refuse loopback and private space as the daemon does, unless
 *  told.  \returns 0, -EINVAL (not a prefix), -ENOSPC */
int stiwf_tool_fetch_permit(struct fetch_policy *pol, const char *cidr);

int stiwf_cmd_cert(int argc, char **argv);
int stiwf_cmd_passport(int argc, char **argv);
int stiwf_cmd_isup(int argc, char **argv);
int stiwf_cmd_tcap(int argc, char **argv);
int stiwf_cmd_bench(int argc, char **argv);
