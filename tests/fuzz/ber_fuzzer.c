/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz harness of the BER reader (ss7/ber.c): walk any tree; what walks is
 * re-written with indefinite and with minimal definite lengths and must walk
 * to the same number of elements; INTEGERs, BOOLEANs and OIDs found on the
 * way go through their helpers, OIDs through text and back. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ss7/ber.h"
#include "tests/ss7/tcap_util.h"

static uint8_t out[65536];

static void leaves(const uint8_t *buf, size_t len, unsigned int depth)
{
	struct ber_cursor stack[BER_MAX_DEPTH + 1];
	struct ber_tlv t;
	unsigned int top = 0;

	ber_cursor_init(&stack[0], buf, len, depth);
	for (;;) {
		int rc = ber_cursor_next(&stack[top], &t);

		if (rc < 0)
			abort();	/* it walked before */
		if (rc == 0) {
			if (top == 0)
				return;
			top--;
			continue;
		}
		if (t.constructed) {
			if (ber_cursor_enter(&stack[top + 1], &stack[top], &t) < 0)
				abort();
			top++;
			continue;
		}
		if (t.cls == BER_CLASS_UNIVERSAL && t.tag == BER_TAG_INTEGER) {
			int64_t v;

			ber_int_get(&t, &v);
		} else if (t.cls == BER_CLASS_UNIVERSAL && t.tag == BER_TAG_BOOLEAN) {
			bool b;

			ber_bool_get(&t, &b);
		} else if (t.cls == BER_CLASS_UNIVERSAL && t.tag == BER_TAG_OID) {
			char text[512];
			uint8_t enc[256];
			int n = ber_oid_to_str(text, sizeof(text), t.value.data, t.value.len);

			if (n > 0) {
				/* the text encodes back to the same octets */
				int m = ber_oid_from_str(enc, sizeof(enc), text);

				if (m != (int)t.value.len || memcmp(enc, t.value.data, m))
					abort();
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int n, m, k;

	n = ber_validate(data, size, 1, NULL);
	if (n < 0)
		return 0;
	leaves(data, size, 1);
	/* indefinite on every level: the same elements */
	m = ber_to_indef(out, sizeof(out), data, size, INDEF_ALL);
	if (m < 0)
		return 0;	/* deeper than the re-writer allows with its EOCs */
	k = ber_validate(out, m, 1, NULL);
	if (k != n)
		abort();
	/* minimal definite on every level: the same elements */
	m = ber_to_indef(out, sizeof(out), data, size, 0);
	if (m < 0)
		return 0;
	if (ber_validate(out, m, 1, NULL) != n)
		abort();
	return 0;
}
