/* Shared helpers of the stiwf tool's subcommands. */

#include <errno.h>
#include <stdlib.h>

#include "src/stiwf_tool.h"

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
