/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ES256 signatures of PASSporTs (RFC 7518 §3.4) and the per-thread cache of
 * the OpenSSL contexts that make them cheap (ARCHITECTURE §5).  The public
 * functions are declared in sip/passport.h. */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include "sip/passport.h"
#include "sip/stir_error.h"

/* ------------------------------------------------------------------------
 * ES256, RFC 7518 §3.4: raw R||S on the wire, DER inside OpenSSL
 *
 * ARCHITECTURE §5: keys are loaded once, so that a signature costs one ECDSA
 * operation.  EVP_DigestSignInit()/EVP_DigestVerifyInit() per operation
 * fetch SHA-256 and build a new EVP_PKEY_CTX every time (about a tenth of
 * an ES256 signing).  Instead, SHA-256 is fetched once per process, and
 * each thread keeps an EVP_MD_CTX and, for the last few keys it used, an
 * EVP_PKEY_CTX initialised for signing or verification.  The contexts are
 * the thread's own (an EVP_PKEY_CTX may not be shared between threads) and
 * are freed when the thread ends.  A slot holds a reference to its key, so
 * while it is cached no other key can take its address: comparing the
 * pointers is enough to find it.
 * ------------------------------------------------------------------------ */

/* A signer uses one key; a verifier meets a few signers' keys in turn. */
#define ES256_SLOTS	8

struct es256_slot {
	EVP_PKEY *key;		/* our reference; NULL: free slot */
	EVP_PKEY_CTX *sign;	/* EVP_PKEY_sign_init() done, NULL until needed */
	EVP_PKEY_CTX *verify;	/* EVP_PKEY_verify_init() done, NULL until needed */
};

struct es256_thread {
	EVP_MD_CTX *md;
	struct es256_slot slot[ES256_SLOTS];
	unsigned int victim;	/* next slot to reuse when all are taken */
};

static pthread_once_t es256_once = PTHREAD_ONCE_INIT;
static pthread_key_t es256_tkey;
static bool es256_tkey_ok;
static EVP_MD *es256_sha256;	/* fetched once, never freed */
static __thread struct es256_thread *es256_tls;

static void es256_slot_clear(struct es256_slot *s)
{
	EVP_PKEY_CTX_free(s->sign);
	EVP_PKEY_CTX_free(s->verify);
	EVP_PKEY_free(s->key);
	memset(s, 0, sizeof(*s));
}

/* pthread key destructor: the thread ends */
static void es256_thread_free(void *data)
{
	struct es256_thread *t = data;
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < ES256_SLOTS; i++)
		es256_slot_clear(&t->slot[i]);
	EVP_MD_CTX_free(t->md);
	free(t);
	es256_tls = NULL;
}

static void es256_init_once(void)
{
	es256_sha256 = EVP_MD_fetch(NULL, OSSL_DIGEST_NAME_SHA2_256, NULL);
	es256_tkey_ok = pthread_key_create(&es256_tkey, es256_thread_free) == 0;
}

/* This thread's contexts, created on first use; NULL when out of memory. */
static struct es256_thread *es256_thread_get(void)
{
	struct es256_thread *t = es256_tls;

	if (t)
		return t;
	if (pthread_once(&es256_once, es256_init_once) != 0 || !es256_sha256 || !es256_tkey_ok)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->md = EVP_MD_CTX_new();
	if (!t->md || pthread_setspecific(es256_tkey, t) != 0) {
		EVP_MD_CTX_free(t->md);
		free(t);
		return NULL;
	}
	es256_tls = t;
	return t;
}

/* The slot of key when this thread has one (so key is P-256), else NULL. */
static struct es256_slot *es256_slot_find(EVP_PKEY *key)
{
	struct es256_thread *t = es256_tls;
	unsigned int i;

	if (!t || !key)
		return NULL;
	for (i = 0; i < ES256_SLOTS; i++) {
		if (t->slot[i].key == key)
			return &t->slot[i];
	}
	return NULL;
}

static bool key_is_p256(EVP_PKEY *key)
{
	char group[32];
	size_t glen = 0;

	if (!key)
		return false;
	/* only P-256 keys get a slot */
	if (es256_slot_find(key))
		return true;
	if (!EVP_PKEY_is_a(key, "EC"))
		return false;
	if (!EVP_PKEY_get_group_name(key, group, sizeof(group), &glen))
		return false;
	return strcmp(group, SN_X9_62_prime256v1) == 0;
}

/* The slot of a P-256 key, taking one for it when needed.
 * \returns 0, -EINVAL (not a P-256 key), -ENOMEM */
static int es256_slot_get(EVP_PKEY *key, struct es256_thread **tout, struct es256_slot **sout)
{
	struct es256_thread *t = es256_thread_get();
	struct es256_slot *s;
	unsigned int i;

	if (!t)
		return -ENOMEM;
	s = es256_slot_find(key);
	if (!s) {
		if (!key_is_p256(key))
			return -EINVAL;
		for (i = 0; i < ES256_SLOTS && t->slot[i].key; i++)
			;
		if (i == ES256_SLOTS) {
			i = t->victim;
			t->victim = (t->victim + 1) % ES256_SLOTS;
		}
		s = &t->slot[i];
		es256_slot_clear(s);
		if (!EVP_PKEY_up_ref(key))
			return -ENOMEM;
		s->key = key;
	}
	*tout = t;
	*sout = s;
	return 0;
}

/* A context of key for signing or verification, made once per thread:
 * the same as EVP_DigestSignInit()/EVP_DigestVerifyInit() with SHA-256 do,
 * but kept. */
static EVP_PKEY_CTX *es256_pctx(struct es256_slot *s, bool sign)
{
	EVP_PKEY_CTX **pc = sign ? &s->sign : &s->verify;

	if (*pc)
		return *pc;
	*pc = EVP_PKEY_CTX_new_from_pkey(NULL, s->key, NULL);
	if (!*pc)
		return NULL;
	if ((sign ? EVP_PKEY_sign_init(*pc) : EVP_PKEY_verify_init(*pc)) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(*pc, es256_sha256) != 1) {
		EVP_PKEY_CTX_free(*pc);
		*pc = NULL;
	}
	return *pc;
}

/* SHA-256 of the signing input (RFC 7518 §3.4) */
static int es256_digest(struct es256_thread *t, const struct passport *pp, uint8_t md[32])
{
	unsigned int n = 0;

	if (EVP_DigestInit_ex2(t->md, es256_sha256, NULL) != 1 ||
	    EVP_DigestUpdate(t->md, pp->signing_input, pp->signing_input_len) != 1 ||
	    EVP_DigestFinal_ex(t->md, md, &n) != 1 || n != 32)
		return -EIO;
	return 0;
}

/* DER INTEGER of a 32-octet unsigned big-endian value; returns its length */
static size_t der_put_uint(uint8_t *out, const uint8_t *v, size_t n)
{
	size_t i = 0;
	bool pad;

	while (n > 1 && v[0] == 0) {
		v++;
		n--;
	}
	pad = v[0] & 0x80;
	out[i++] = 0x02;
	out[i++] = (uint8_t)(n + pad);
	if (pad)
		out[i++] = 0x00;
	memcpy(out + i, v, n);
	return i + n;
}

/* ECDSA-Sig-Value (RFC 3279 §2.2.3) from raw R||S, without allocating:
 * at most 2 + 2 * (2 + 33) = 72 octets, so the lengths fit one octet. */
static size_t es256_raw_to_der(uint8_t der[72], const uint8_t raw[PASSPORT_ES256_SIG_LEN])
{
	size_t n = 2;

	n += der_put_uint(der + n, raw, 32);
	n += der_put_uint(der + n, raw + 32, 32);
	der[0] = 0x30;
	der[1] = (uint8_t)(n - 2);
	return n;
}

/* One DER INTEGER of the signature (short form length, positive, minimal)
 * into a 32-octet big-endian field.  \returns octets consumed or -EIO */
static int der_get_uint(uint8_t out[32], const uint8_t *der, size_t len)
{
	size_t n;

	if (len < 2 || der[0] != 0x02)
		return -EIO;
	n = der[1];
	if (n == 0 || n > 0x7f || len - 2 < n)
		return -EIO;
	der += 2;
	/* not negative, no superfluous leading zero */
	if ((der[0] & 0x80) || (n > 1 && der[0] == 0 && !(der[1] & 0x80)))
		return -EIO;
	if (der[0] == 0 && n > 1) {
		der++;
		n--;
		if (n > 32)
			return -EIO;
		memset(out, 0, 32 - n);
		memcpy(out + 32 - n, der, n);
		return (int)n + 3;
	}
	if (n > 32)
		return -EIO;
	memset(out, 0, 32 - n);
	memcpy(out + 32 - n, der, n);
	return (int)n + 2;
}

/* raw R||S from OpenSSL's ECDSA-Sig-Value, parsed in place (what
 * d2i_ECDSA_SIG() and two BN_bn2binpad() did, without their allocations) */
static int es256_der_to_raw(uint8_t raw[PASSPORT_ES256_SIG_LEN], const uint8_t *der, size_t len)
{
	size_t seqlen;
	int n, m;

	if (len < 2 || der[0] != 0x30)
		return -EIO;
	seqlen = der[1];
	if (seqlen > 0x7f || len - 2 != seqlen)
		return -EIO;
	n = der_get_uint(raw, der + 2, seqlen);
	if (n < 0)
		return n;
	m = der_get_uint(raw + 32, der + 2 + n, seqlen - n);
	if (m < 0 || (size_t)n + m != seqlen)
		return -EIO;
	return 0;
}

int passport_sig_create(struct passport *pp, EVP_PKEY *key)
{
	struct es256_thread *t;
	struct es256_slot *s;
	EVP_PKEY_CTX *pc;
	uint8_t md[32], der[80];
	size_t derlen = sizeof(der);
	int rc;

	pp->sig_len = 0;
	if (!pp->signing_input_len)
		return -EINVAL;
	rc = es256_slot_get(key, &t, &s);
	if (rc == -EINVAL)
		return -EIO;	/* not an ES256 key: no ES256 signature */
	if (rc < 0)
		return rc;
	pc = es256_pctx(s, true);
	if (!pc)
		return -ENOMEM;
	rc = es256_digest(t, pp, md);
	if (rc < 0)
		return rc;
	if (EVP_PKEY_sign(pc, der, &derlen, md, sizeof(md)) != 1) {
		/* start afresh next time */
		es256_slot_clear(s);
		return -EIO;
	}
	rc = es256_der_to_raw(pp->sig, der, derlen);
	if (rc < 0)
		return rc;
	pp->sig_len = PASSPORT_ES256_SIG_LEN;
	return 0;
}

bool passport_key_is_p256(EVP_PKEY *key)
{
	return key_is_p256(key);
}

int passport_sig_verify(const struct passport *pp, EVP_PKEY *pub)
{
	struct es256_thread *t;
	struct es256_slot *s;
	EVP_PKEY_CTX *pc;
	uint8_t der[72], md[32];
	size_t derlen;
	int rc;

	rc = es256_slot_get(pub, &t, &s);
	if (rc == -EINVAL)
		return STIR_ERR_UNSUPPORTED_CRED;
	if (rc < 0)
		return key_is_p256(pub) ? STIR_ERR_INVALID_IDENTITY : STIR_ERR_UNSUPPORTED_CRED;
	if (pp->sig_len != PASSPORT_ES256_SIG_LEN || !pp->signing_input_len)
		return STIR_ERR_INVALID_IDENTITY;
	derlen = es256_raw_to_der(der, pp->sig);
	pc = es256_pctx(s, false);
	rc = STIR_ERR_INVALID_IDENTITY;
	if (pc && es256_digest(t, pp, md) == 0) {
		switch (EVP_PKEY_verify(pc, der, derlen, md, sizeof(md))) {
		case 1:
			rc = 0;
			break;
		case 0:
			break;		/* the signature does not verify */
		default:
			/* an error rather than a verdict: start afresh next time */
			es256_slot_clear(s);
			break;
		}
	}
	/* a failed verification leaves its reason on this thread's queue */
	ERR_clear_error();
	return rc;
}
