/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz the URL and address policy of certs/fetch.c and certs/fetch_acl.c:
 * fetch_url_check() on a hostile URL (an x5u from an INVITE, a Location
 * of a redirect) under a policy with ACL lines and a configured URL
 * template, fetch_addr_check_str() on the same bytes as an address, and
 * fetch_acl_rule_parse() on them as an ACL line, whose format must read
 * back to the same rule. */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <osmocom/core/logging.h>

#include "certs/fetch.h"
#include "src/core/logging.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fetch_policy pol, plain;
	static int ready;
	struct fetch_acl_rule r, back;
	char why[192], txt[FETCH_ACL_STR_MAX], action[8];
	const char *sp;
	char *s;
	int rc;

	if (!ready) {
		log_init(&stiwf_log_info, NULL);
		fetch_policy_init(&plain);
		fetch_policy_init(&pol);
		pol.allow_http = 1;
		if (fetch_acl_rule_parse(&pol.acl[pol.num_acl++], "deny", "127.0.0.2/32") < 0 ||
		    fetch_acl_rule_parse(&pol.acl[pol.num_acl++], "permit", "127.0.0.0/8") < 0 ||
		    fetch_acl_rule_parse(&pol.acl[pol.num_acl++], "permit", "fd00::/8") < 0 ||
		    fetch_acl_rule_parse(&pol.acl[pol.num_acl++], "deny", "0.0.0.0/0") < 0)
			abort();
		pol.own_urls[pol.num_own_urls++] = "https://repo.example:9443/tsca/{key-id}.pem";
		pol.own_urls[pol.num_own_urls++] = "https://cr.example:9444/sti.pem";
		pol.deny_hosts[pol.num_deny_hosts++] = ".evil.example";
		ready = 1;
	}
	s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';

	rc = fetch_url_check(&pol, s, why, sizeof(why));
	if (rc != 0 && rc != -EINVAL && rc != -EPERM && rc != -ENOMEM)
		abort();
	if (rc && !why[0])
		abort();
	rc = fetch_url_check(&plain, s, why, sizeof(why));
	if (rc != 0 && rc != -EINVAL && rc != -EPERM && rc != -ENOMEM)
		abort();
	/* a URL with a query string never passes */
	if (rc == 0 && strpbrk(s, "?#"))
		abort();

	rc = fetch_addr_check_str(&pol, s, why, sizeof(why));
	if (rc != 0 && rc != -EINVAL && rc != -EPERM)
		abort();
	rc = fetch_addr_check_str(&plain, s, why, sizeof(why));
	if (rc != 0 && rc != -EINVAL && rc != -EPERM)
		abort();

	/* as an ACL line: what is written reads back the same */
	if (fetch_acl_rule_parse(&r, size % 2 ? "permit" : "deny", s) == 0) {
		if (fetch_acl_rule_format(txt, sizeof(txt), &r) < 0)
			abort();
		sp = strchr(txt, ' ');
		if (!sp || (size_t)(sp - txt) >= sizeof(action))
			abort();
		memcpy(action, txt, (size_t)(sp - txt));
		action[sp - txt] = '\0';
		if (fetch_acl_rule_parse(&back, action, sp + 1) < 0 || memcmp(&back, &r, sizeof(r)))
			abort();
	}
	free(s);
	return 0;
}
