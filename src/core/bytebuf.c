/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bounded reading and writing of octet strings (src/core/bytebuf.h).  The
 * comparisons subtract on the safe side (docs/STYLE.md, OpenSSH): what is
 * left is len - pos, never pos + n against len, which could wrap. */

#include <errno.h>
#include <string.h>

#include <glib.h>

#include "src/core/bytebuf.h"

void bytebuf_rd_init(struct bytebuf_rd *r, const uint8_t *buf, size_t len)
{
	r->ptr = buf;
	r->len = buf ? len : 0;
	r->pos = 0;
}

void bytebuf_wr_init(struct bytebuf_wr *w, uint8_t *out, size_t size)
{
	w->ptr = out;
	w->len = out ? size : 0;
	w->pos = 0;
}

size_t bytebuf_left(const struct bytebuf_rd *r)
{
	return r->pos < r->len ? r->len - r->pos : 0;
}

size_t bytebuf_room(const struct bytebuf_wr *w)
{
	return w->pos < w->len ? w->len - w->pos : 0;
}

int bytebuf_get_ptr(struct bytebuf_rd *r, const uint8_t **p, size_t n)
{
	*p = NULL;
	if (bytebuf_left(r) < n)
		return -EBADMSG;
	/* no arithmetic on the NULL of an empty reader */
	*p = r->ptr ? r->ptr + r->pos : NULL;
	r->pos += n;
	return 0;
}

int bytebuf_get_bytes(struct bytebuf_rd *r, void *out, size_t n)
{
	const uint8_t *p;

	if (bytebuf_get_ptr(r, &p, n) < 0) {
		memset(out, 0, n);
		return -EBADMSG;
	}
	if (n)
		memcpy(out, p, n);
	return 0;
}

int bytebuf_get_u8(struct bytebuf_rd *r, uint8_t *v)
{
	const uint8_t *p;

	*v = 0;
	if (bytebuf_get_ptr(r, &p, 1) < 0)
		return -EBADMSG;
	*v = p[0];
	return 0;
}

int bytebuf_get_u16be(struct bytebuf_rd *r, uint16_t *v)
{
	const uint8_t *p;

	*v = 0;
	if (bytebuf_get_ptr(r, &p, 2) < 0)
		return -EBADMSG;
	*v = (uint16_t)((p[0] << 8) | p[1]);
	return 0;
}

int bytebuf_get_u32be(struct bytebuf_rd *r, uint32_t *v)
{
	const uint8_t *p;

	*v = 0;
	if (bytebuf_get_ptr(r, &p, 4) < 0)
		return -EBADMSG;
	*v = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
	return 0;
}

int bytebuf_get_lv(struct bytebuf_rd *r, const uint8_t **v, size_t *vlen)
{
	size_t n;

	*v = NULL;
	*vlen = 0;
	if (bytebuf_left(r) < 1)
		return -EBADMSG;
	n = r->ptr[r->pos];
	if (bytebuf_left(r) - 1 < n)
		return -EBADMSG;
	r->pos++;
	*vlen = n;
	return bytebuf_get_ptr(r, v, n);
}

int bytebuf_put_bytes(struct bytebuf_wr *w, const void *v, size_t n)
{
	if (bytebuf_room(w) < n)
		return -ENOSPC;
	if (n)
		memcpy(w->ptr + w->pos, v, n);
	w->pos += n;
	return 0;
}

int bytebuf_put_u8(struct bytebuf_wr *w, uint8_t v)
{
	return bytebuf_put_bytes(w, &v, 1);
}

int bytebuf_put_u16be(struct bytebuf_wr *w, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v & 0xff };

	return bytebuf_put_bytes(w, b, sizeof(b));
}

int bytebuf_put_u32be(struct bytebuf_wr *w, uint32_t v)
{
	uint8_t b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };

	return bytebuf_put_bytes(w, b, sizeof(b));
}

int bytebuf_put_lv(struct bytebuf_wr *w, const void *v, size_t n)
{
	if (n > 255)
		return -EINVAL;
	if (bytebuf_room(w) < 1 || bytebuf_room(w) - 1 < n)
		return -ENOSPC;
	w->ptr[w->pos++] = (uint8_t)n;
	return bytebuf_put_bytes(w, v, n);
}

int bytebuf_put_tlv(struct bytebuf_wr *w, uint8_t type, const void *v, size_t n)
{
	if (n > 255)
		return -EINVAL;
	if (bytebuf_room(w) < 2 || bytebuf_room(w) - 2 < n)
		return -ENOSPC;
	w->ptr[w->pos++] = type;
	return bytebuf_put_lv(w, v, n);
}

int bytebuf_put_hex(struct bytebuf_wr *w, const char *hex, size_t n)
{
	size_t i;

	if (n % 2)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (g_ascii_xdigit_value(hex[i]) < 0)
			return -EINVAL;
	}
	if (bytebuf_room(w) < n / 2)
		return -ENOSPC;
	for (i = 0; i < n; i += 2)
		w->ptr[w->pos++] = (uint8_t)((g_ascii_xdigit_value(hex[i]) << 4) | g_ascii_xdigit_value(hex[i + 1]));
	return 0;
}
