/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The address ACL of certificate fetches (fetch.h): which addresses a
 * fetch may connect to.
 *
 * An x5u URL comes from whoever sent the INVITE, and a repository or CRL
 * URL from a certificate or a redirect: without this check, a SIP peer
 * could make the verifier connect to its loopback, its LAN or the cloud
 * metadata service, and read open ports from the time a call takes to
 * fail (server-side request forgery).  The check runs on the address
 * libcurl is about to connect to, after DNS, so a name that resolves (or
 * is rebound) to such an address is caught as well as a literal one in
 * any of the spellings libcurl accepts ("2130706433", "0x7f.1").
 *
 * Order of the decision (fetch_policy.acl):
 *  1. an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address;
 *  2. a cloud metadata address is refused unless a permit line names
 *     exactly it: "permit 100.64.0.0/10" for a CGNAT repository must not
 *     open 100.100.100.200;
 *  3. the configured lines in order: the first one that matches decides;
 *  4. the special-purpose ranges below: refused;
 *  5. an IPv6 address that embeds an IPv4 one (NAT64, 6to4) whose IPv4
 *     address is special-purpose: refused;
 *  6. anything else: allowed. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "certs/fetch.h"

struct special_range {
	uint8_t family;
	uint8_t prefix_len;
	uint8_t addr[16];
	const char *what;
};

/* RFC 6890 and the IANA IPv4 Special-Purpose Address Registry, plus the
 * ranges that are not globally reachable for other reasons (RFC 1918 and
 * RFC 6598 space is where internal services live). */
static const struct special_range special4[] = {
	{ AF_INET, 8, { 0 }, "\"this network\" (RFC 791, RFC 6890)" },
	{ AF_INET, 8, { 10 }, "private (RFC 1918)" },
	{ AF_INET, 10, { 100, 64 }, "shared address space, CGNAT (RFC 6598)" },
	{ AF_INET, 8, { 127 }, "loopback (RFC 1122)" },
	{ AF_INET, 16, { 169, 254 }, "link-local (RFC 3927)" },
	{ AF_INET, 12, { 172, 16 }, "private (RFC 1918)" },
	{ AF_INET, 24, { 192, 0, 0 }, "IETF protocol assignments (RFC 6890)" },
	{ AF_INET, 24, { 192, 0, 2 }, "documentation, TEST-NET-1 (RFC 5737)" },
	{ AF_INET, 24, { 192, 88, 99 }, "6to4 relay anycast (RFC 7526)" },
	{ AF_INET, 16, { 192, 168 }, "private (RFC 1918)" },
	{ AF_INET, 15, { 198, 18 }, "benchmarking (RFC 2544)" },
	{ AF_INET, 24, { 198, 51, 100 }, "documentation, TEST-NET-2 (RFC 5737)" },
	{ AF_INET, 24, { 203, 0, 113 }, "documentation, TEST-NET-3 (RFC 5737)" },
	{ AF_INET, 4, { 224 }, "multicast (RFC 5771)" },
	{ AF_INET, 4, { 240 }, "reserved and limited broadcast (RFC 1112, RFC 919)" },
};

/* RFC 6890 and the IANA IPv6 Special-Purpose Address Registry.  The
 * IPv4-mapped block is handled before (as IPv4); NAT64 and 6to4 are
 * judged by the IPv4 address they embed (embedded4()). */
static const struct special_range special6[] = {
	{ AF_INET6, 128, { 0 }, "unspecified (RFC 4291)" },
	{ AF_INET6, 128, { [15] = 1 }, "loopback (RFC 4291)" },
	{ AF_INET6, 96, { 0 }, "IPv4-compatible, deprecated (RFC 4291 §2.5.5.1)" },
	{ AF_INET6, 48, { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 }, "local-use IPv4/IPv6 translation (RFC 8215)" },
	{ AF_INET6, 64, { 0x01, 0x00 }, "discard-only (RFC 6666)" },
	{ AF_INET6, 32, { 0x20, 0x01, 0x0d, 0xb8 }, "documentation (RFC 3849)" },
	{ AF_INET6, 23, { 0x20, 0x01 }, "IETF protocol assignments, Teredo (RFC 2928, RFC 4380)" },
	{ AF_INET6, 20, { 0x3f, 0xff }, "documentation (RFC 9637)" },
	{ AF_INET6, 16, { 0x5f, 0x00 }, "segment routing SIDs (RFC 9602)" },
	{ AF_INET6, 7, { 0xfc }, "unique local (RFC 4193)" },
	{ AF_INET6, 10, { 0xfe, 0x80 }, "link-local (RFC 4291)" },
	{ AF_INET6, 10, { 0xfe, 0xc0 }, "site-local, deprecated (RFC 3879)" },
	{ AF_INET6, 8, { 0xff }, "multicast (RFC 4291)" },
};

/* Instance metadata services: credentials of the host live there. */
static const struct special_range metadata[] = {
	{ AF_INET, 32, { 169, 254, 169, 254 }, "cloud metadata service" },
	{ AF_INET, 32, { 169, 254, 170, 2 }, "cloud metadata service (container credentials)" },
	{ AF_INET, 32, { 100, 100, 100, 200 }, "cloud metadata service" },
	{ AF_INET, 32, { 192, 0, 0, 192 }, "cloud metadata service" },
	{ AF_INET6, 128, { 0xfd, 0x00, 0x0e, 0xc2, [14] = 0x02, [15] = 0x54 }, "cloud metadata service" },
};

/* An address in the form the rules compare. */
struct addr {
	uint8_t family;
	uint8_t a[16];
};

static bool prefix_match(const uint8_t *a, const uint8_t *net, unsigned int bits)
{
	unsigned int whole = bits / 8, rest = bits % 8;

	if (memcmp(a, net, whole) != 0)
		return false;
	if (!rest)
		return true;
	return ((a[whole] ^ net[whole]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

static bool range_match(const struct addr *a, uint8_t family, uint8_t prefix_len, const uint8_t *net)
{
	return a->family == family && prefix_match(a->a, net, prefix_len);
}

static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* ::ffff:a.b.c.d is a.b.c.d (RFC 4291 §2.5.5.2): the kernel connects an
 * AF_INET6 socket to it over IPv4. */
static void addr_normalise(struct addr *a)
{
	if (a->family == AF_INET6 && memcmp(a->a, v4mapped, sizeof(v4mapped)) == 0) {
		memmove(a->a, a->a + 12, 4);
		memset(a->a + 4, 0, 12);
		a->family = AF_INET;
	}
}

static void addr_str(const struct addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family == AF_INET ? AF_INET : AF_INET6, a->a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

static const char *special_what(const struct addr *a)
{
	const struct special_range *t = a->family == AF_INET ? special4 : special6;
	size_t i, n = a->family == AF_INET ? ARRAY_SIZE(special4) : ARRAY_SIZE(special6);

	for (i = 0; i < n; i++) {
		if (range_match(a, t[i].family, t[i].prefix_len, t[i].addr))
			return t[i].what;
	}
	return NULL;
}

/* The IPv4 address inside a NAT64 (RFC 6052 well-known prefix
 * 64:ff9b::/96) or 6to4 (RFC 3056, 2002::/16) address. */
static bool embedded4(const struct addr *a, struct addr *v4)
{
	static const uint8_t nat64[12] = { 0x00, 0x64, 0xff, 0x9b };

	if (a->family != AF_INET6)
		return false;
	memset(v4, 0, sizeof(*v4));
	v4->family = AF_INET;
	if (memcmp(a->a, nat64, sizeof(nat64)) == 0) {
		memcpy(v4->a, a->a + 12, 4);
		return true;
	}
	if (a->a[0] == 0x20 && a->a[1] == 0x02) {
		memcpy(v4->a, a->a + 2, 4);
		return true;
	}
	return false;
}

static int addr_check(const struct fetch_policy *pol, struct addr *a, char *why, size_t why_len)
{
	char s[INET6_ADDRSTRLEN], rule[FETCH_ACL_STR_MAX];
	const struct fetch_acl_rule *r;
	const char *what;
	struct addr v4;
	unsigned int i, full;
	size_t m;

	addr_normalise(a);
	addr_str(a, s, sizeof(s));
	full = a->family == AF_INET ? 32 : 128;
	for (m = 0; m < ARRAY_SIZE(metadata); m++) {
		if (!range_match(a, metadata[m].family, metadata[m].prefix_len, metadata[m].addr))
			continue;
		for (i = 0; i < pol->num_acl && i < FETCH_MAX_ACL; i++) {
			r = &pol->acl[i];
			if (r->prefix_len == full && range_match(a, r->family, r->prefix_len, r->addr)) {
				if (r->permit)
					return 0;
				break;
			}
		}
		snprintf(why, why_len, "address %s refused: %s", s, metadata[m].what);
		return -EPERM;
	}
	for (i = 0; i < pol->num_acl && i < FETCH_MAX_ACL; i++) {
		r = &pol->acl[i];
		if (!range_match(a, r->family, r->prefix_len, r->addr))
			continue;
		if (r->permit)
			return 0;
		fetch_acl_rule_format(rule, sizeof(rule), r);
		snprintf(why, why_len, "address %s refused by the ACL line '%s'", s, rule);
		return -EPERM;
	}
	what = special_what(a);
	if (what) {
		snprintf(why, why_len, "address %s refused: %s; permit it in the ACL if intended", s, what);
		return -EPERM;
	}
	if (embedded4(a, &v4) && (what = special_what(&v4))) {
		char s4[INET_ADDRSTRLEN];

		addr_str(&v4, s4, sizeof(s4));
		snprintf(why, why_len, "address %s refused: it embeds %s, %s", s, s4, what);
		return -EPERM;
	}
	return 0;
}

/*! Check an address a fetch is about to connect to (fetch.h, the order of
 *  the decision in fetch_acl.c).
 *  \param[in] sa an AF_INET or AF_INET6 socket address
 *  \param[out] why the reason of a refusal, naming the address and the range
 *  \returns 0 when allowed, -EPERM when refused, -EAFNOSUPPORT for another family */
int fetch_addr_check(const struct fetch_policy *pol, const struct sockaddr *sa, size_t sa_len,
		     char *why, size_t why_len)
{
	struct addr a = { 0 };

	if (why && why_len)
		why[0] = '\0';
	if (sa && sa->sa_family == AF_INET && sa_len >= sizeof(struct sockaddr_in)) {
		a.family = AF_INET;
		memcpy(a.a, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	} else if (sa && sa->sa_family == AF_INET6 && sa_len >= sizeof(struct sockaddr_in6)) {
		a.family = AF_INET6;
		memcpy(a.a, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	} else {
		snprintf(why, why_len, "not an IP address");
		return -EAFNOSUPPORT;
	}
	return addr_check(pol, &a, why, why_len);
}

/*! As fetch_addr_check(), for an address in text form ("192.0.2.1",
 *  "::1", or "[::1]" as in a URL).
 *  \returns 0, -EPERM, -EINVAL when ip is not an address */
int fetch_addr_check_str(const struct fetch_policy *pol, const char *ip, char *why, size_t why_len)
{
	char buf[INET6_ADDRSTRLEN + 2];
	struct addr a = { 0 };
	size_t n;

	if (why && why_len)
		why[0] = '\0';
	n = ip ? strnlen(ip, sizeof(buf)) : sizeof(buf);
	if (n >= sizeof(buf)) {
		snprintf(why, why_len, "not an IP address");
		return -EINVAL;
	}
	if (n >= 2 && ip[0] == '[' && ip[n - 1] == ']') {
		memcpy(buf, ip + 1, n - 2);
		buf[n - 2] = '\0';
	} else {
		memcpy(buf, ip, n + 1);
	}
	if (inet_pton(AF_INET, buf, a.a) == 1) {
		a.family = AF_INET;
	} else if (inet_pton(AF_INET6, buf, a.a) == 1) {
		a.family = AF_INET6;
	} else {
		snprintf(why, why_len, "not an IP address");
		return -EINVAL;
	}
	return addr_check(pol, &a, why, why_len);
}

/*! Parse one ACL line: \a action "permit" or "deny", \a cidr an IPv4 or
 *  IPv6 address with an optional "/prefix-length" (the whole address
 *  without one).  Host bits beyond the prefix must be zero, so that a
 *  typing error ("10.0.0.1/8") is caught rather than guessed at.  An
 *  IPv4-mapped prefix (::ffff:0:0/96 and longer) becomes the IPv4 rule
 *  it stands for.
 *  \returns 0 or -EINVAL */
int fetch_acl_rule_parse(struct fetch_acl_rule *r, const char *action, const char *cidr)
{
	char buf[INET6_ADDRSTRLEN + 1];
	const char *slash;
	unsigned long plen;
	unsigned int max, i;
	size_t alen;
	char *end;

	if (!r || !action || !cidr)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	if (!strcmp(action, "permit"))
		r->permit = true;
	else if (strcmp(action, "deny"))
		return -EINVAL;
	slash = strchr(cidr, '/');
	alen = slash ? (size_t)(slash - cidr) : strnlen(cidr, sizeof(buf));
	if (alen == 0 || alen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, cidr, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET, buf, r->addr) == 1) {
		r->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, r->addr) == 1) {
		r->family = AF_INET6;
		max = 128;
	} else {
		return -EINVAL;
	}
	plen = max;
	if (slash) {
		if (slash[1] < '0' || slash[1] > '9' || strlen(slash + 1) > 3)
			return -EINVAL;
		plen = strtoul(slash + 1, &end, 10);
		if (*end || plen > max)
			return -EINVAL;
	}
	r->prefix_len = (uint8_t)plen;
	/* host bits must be clear */
	for (i = plen; i < max; i++) {
		if (r->addr[i / 8] & (0x80 >> (i % 8)))
			return -EINVAL;
	}
	if (r->family == AF_INET6 && plen >= 96 && memcmp(r->addr, v4mapped, sizeof(v4mapped)) == 0) {
		memmove(r->addr, r->addr + 12, 4);
		memset(r->addr + 4, 0, 12);
		r->family = AF_INET;
		r->prefix_len = (uint8_t)(plen - 96);
	}
	return 0;
}

/*! Write an ACL line as fetch_acl_rule_parse() reads it: "permit 10.0.0.0/8".
 *  \returns the length, or -ENOSPC */
int fetch_acl_rule_format(char *buf, size_t len, const struct fetch_acl_rule *r)
{
	char s[INET6_ADDRSTRLEN];
	int n;

	if (!inet_ntop(r->family == AF_INET ? AF_INET : AF_INET6, r->addr, s, sizeof(s)))
		snprintf(s, sizeof(s), "?");
	n = snprintf(buf, len, "%s %s/%u", r->permit ? "permit" : "deny", s, r->prefix_len);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return n;
}
