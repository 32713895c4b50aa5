/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared helpers of the stiwf tool's subcommands. */

#include <errno.h>
#include <stdlib.h>

#include "certs/fetch.h"
#include "src/stiwf/stiwf_tool.h"

int stiwf_tool_parse_epoch(const char *s, long long *out)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	/* 2^40 s is some 34,000 years: anything above is a typo */
	if (errno || *end || v > (1ULL << 40))
		return -EINVAL;
	*out = (long long)v;
	return 0;
}

int stiwf_tool_fetch_permit(struct fetch_policy *pol, const char *cidr)
{
	if (pol->num_acl >= FETCH_MAX_ACL)
		return -ENOSPC;
	if (fetch_acl_rule_parse(&pol->acl[pol->num_acl], "permit", cidr) < 0)
		return -EINVAL;
	pol->num_acl++;
	return 0;
}
