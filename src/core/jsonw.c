/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A bounded writer of compact JSON (see jsonw.h) */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "src/core/jsonw.h"

void jsonw_init(struct jsonw *w, char *buf, size_t size)
{
	w->buf = buf;
	w->size = size;
	w->len = 0;
	w->comma = false;
	w->full = size == 0;
	if (size > 0)
		buf[0] = '\0';
}

/* n bytes of p, or nothing and the writer full */
static bool put(struct jsonw *w, const char *p, size_t n)
{
	if (w->full)
		return false;
	if (n >= w->size - w->len) {
		w->full = true;
		return false;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	w->buf[w->len] = '\0';
	return true;
}

/* ',' when a member came before, then "key": */
static bool member(struct jsonw *w, const char *key)
{
	size_t klen;

	if (w->comma && !put(w, ",", 1))
		return false;
	w->comma = true;
	if (!key)
		return true;
	klen = strlen(key);
	if (w->full || klen + 3 >= w->size - w->len) {
		w->full = true;
		return false;
	}
	w->buf[w->len++] = '"';
	memcpy(w->buf + w->len, key, klen);
	w->len += klen;
	w->buf[w->len++] = '"';
	w->buf[w->len++] = ':';
	w->buf[w->len] = '\0';
	return true;
}

void jsonw_open(struct jsonw *w, const char *key)
{
	if (!member(w, key))
		return;
	put(w, "{", 1);
	w->comma = false;
}

void jsonw_close(struct jsonw *w)
{
	put(w, "}", 1);
	w->comma = true;
}

void jsonw_array_open(struct jsonw *w, const char *key)
{
	if (!member(w, key))
		return;
	put(w, "[", 1);
	w->comma = false;
}

void jsonw_array_close(struct jsonw *w)
{
	put(w, "]", 1);
	w->comma = true;
}

/* The length of the UTF-8 sequence at s[0..n) (1..4), or 0 when it is
 * not a valid one: the checks of jansson's utf8_check_first() and
 * utf8_check_full() (RFC 3629 §4: no continuation byte first, no overlong
 * form, no surrogate, nothing above U+10FFFF) */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char u = s[0];
	uint32_t v;
	size_t len, i;

	if (u < 0x80)
		return 1;
	if (u >= 0xC2 && u <= 0xDF) {
		len = 2;
		v = u & 0x1F;
	} else if (u >= 0xE0 && u <= 0xEF) {
		len = 3;
		v = u & 0x0F;
	} else if (u >= 0xF0 && u <= 0xF4) {
		len = 4;
		v = u & 0x07;
	} else {
		return 0;	/* a continuation byte, 0xC0, 0xC1, 0xF5.. */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000))
		return 0;
	return len;
}

bool jsonw_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, l;

	while (i < n) {
		l = utf8_seq(u + i, n - i);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

static const char hex[] = "0123456789ABCDEF";

/* s[0..n) escaped between quotes; false, with the writer back where it
 * was, when it is not valid UTF-8 */
static bool put_string(struct jsonw *w, const unsigned char *s, size_t n)
{
	size_t start = w->len, i = 0, run = 0, l;
	char esc[6];

	if (!put(w, "\"", 1))
		return true;
	while (i < n) {
		unsigned char c = s[i];
		size_t elen;

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0x80) {
			l = utf8_seq(s + i, n - i);
			if (!l)
				goto invalid;
			i += l;
			continue;
		}
		/* a byte to escape: the run before it first */
		if (!put(w, (const char *)s + run, i - run))
			return true;
		esc[0] = '\\';
		elen = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xF];
			elen = 6;
			break;
		}
		if (!put(w, esc, elen))
			return true;
		run = ++i;
	}
	put(w, (const char *)s + run, n - run);
	put(w, "\"", 1);
	return true;

invalid:
	w->len = start;
	w->buf[start] = '\0';
	return false;
}

void jsonw_str(struct jsonw *w, const char *key, const char *s)
{
	jsonw_strn(w, key, s, s ? strlen(s) : 0);
}

void jsonw_strn(struct jsonw *w, const char *key, const char *s, size_t n)
{
	if (!member(w, key))
		return;
	/* json_string() returns NULL for a string that is not valid UTF-8:
	 * here the member stays, with null */
	if (!s || !put_string(w, (const unsigned char *)s, n))
		put(w, "null", 4);
}

void jsonw_int(struct jsonw *w, const char *key, long long v)
{
	char d[24];
	size_t i = sizeof(d);
	/* the magnitude as unsigned: LLONG_MIN too */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	if (!member(w, key))
		return;
	do {
		d[--i] = '0' + u % 10;
		u /= 10;
	} while (u);
	if (v < 0)
		d[--i] = '-';
	put(w, d + i, sizeof(d) - i);
}

void jsonw_bool(struct jsonw *w, const char *key, bool v)
{
	if (!member(w, key))
		return;
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void jsonw_null(struct jsonw *w, const char *key)
{
	if (!member(w, key))
		return;
	put(w, "null", 4);
}

void jsonw_raw(struct jsonw *w, const char *key, const char *json)
{
	if (!member(w, key))
		return;
	put(w, json, strlen(json));
}

int jsonw_end(struct jsonw *w)
{
	if (w->full) {
		if (w->size > 0)
			w->buf[0] = '\0';
		w->len = 0;
		return -ENOSPC;
	}
	return (int)w->len;
}
