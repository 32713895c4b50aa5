/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The hop signature of a MAP dialogue (stiwf profile v1, ARCHITECTURE §2.3).
 * See tcap_sig.h for where it goes and what it signs. */

#include <errno.h>
#include <string.h>

#include <osmocom/core/logging.h>
#include <osmocom/core/utils.h>

#include "config.h"
#include "certs/keyid.h"
#include "src/core/logging.h"
#include "ss7/ber.h"
#include "ss7/sigtoken.h"
#include "ss7/tcap.h"
#include "ss7/tcap_sig.h"

static int sig_bad(const char *field, const char *why)
{
	LOGP(DSS7, LOGL_NOTICE, "TCAP signature %s: %s\n", field, why);
	return -EBADMSG;
}

/* E.164 §6: 0..15 decimal digits ("" or NULL: no ORIG) */
static int orig_len(const char *orig)
{
	size_t i, n = orig ? strnlen(orig, SIGTOKEN_E164_MAX + 1) : 0;

	if (n > SIGTOKEN_E164_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (orig[i] < '0' || orig[i] > '9')
			return -EINVAL;
	}
	return (int)n;
}

/* Only these carry the EXTERNAL (tcap.h, Q.773 §4.2.2) */
static bool sig_carrier(const struct tcap_msg *m)
{
	return (m->type == TCAP_MSG_BEGIN && m->dlg_pdu == TCAP_DLG_AARQ) ||
	       ((m->type == TCAP_MSG_CONTINUE || m->type == TCAP_MSG_END) && m->dlg_pdu == TCAP_DLG_AARE);
}

/* ------------------------------------------------------------------------
 * Token
 * ------------------------------------------------------------------------ */

int tcap_sig_token_decode(struct tcap_sig_token *tok, const uint8_t *buf, size_t len)
{
	struct sigtoken t;

	memset(tok, 0, sizeof(*tok));
	/* sigtoken_decode() logs what it refuses */
	if (sigtoken_decode(&t, buf, len) < 0)
		return -EBADMSG;
	if (!t.has_hop)
		return sig_bad("token", "no HOP TLV");
	/* the signed input does not cover them: refused, not carried unsigned */
	if (t.has_passport)
		return sig_bad("token", "a PASSPORT TLV, which a TCAP signature does not cover");
	if (t.has_verdict)
		return sig_bad("token", "a VERDICT TLV, which a TCAP signature does not cover");
	if (t.has_bind)
		return sig_bad("token", "a BIND TLV, which a TCAP signature does not cover");
	if (t.has_div)
		return sig_bad("token", "a DIV TLV, which a TCAP signature does not cover");
	tok->hop = t.hop;
	if (t.has_orig) {
		tok->has_orig = true;
		memcpy(tok->orig_gt, t.orig.digits, t.orig.len);
		tok->orig_gt[t.orig.len] = '\0';
	}
	return 0;
}

int tcap_sig_token_encode(uint8_t *out, size_t size, const struct tcap_sig_token *tok)
{
	struct sigtoken t;

	memset(&t, 0, sizeof(t));
	t.has_hop = true;
	t.hop = tok->hop;
	if (tok->has_orig && sigtoken_orig_set(&t, tok->orig_gt) < 0)
		return -EINVAL;
	return sigtoken_encode(out, size, &t);
}

/* ------------------------------------------------------------------------
 * Signed input
 * ------------------------------------------------------------------------ */

struct sig_buf {
	uint8_t *out;
	size_t size;
	size_t off;
	int err;
};

static void sb_put(struct sig_buf *b, const void *data, size_t len)
{
	if (b->err)
		return;
	if (b->size - b->off < len) {
		b->err = -ENOSPC;
		return;
	}
	if (len)
		memcpy(b->out + b->off, data, len);
	b->off += len;
}

static void sb_u8(struct sig_buf *b, uint8_t v)
{
	sb_put(b, &v, 1);
}

static void sb_be(struct sig_buf *b, uint64_t v, unsigned int octets)
{
	uint8_t o[8];
	unsigned int i;

	for (i = 0; i < octets; i++)
		o[i] = v >> (8 * (octets - 1 - i));
	sb_put(b, o, octets);
}

/* n, value: one length octet */
static void sb_n(struct sig_buf *b, const void *data, size_t len)
{
	if (len > 0xff) {
		b->err = b->err ? b->err : -EINVAL;
		return;
	}
	sb_u8(b, len);
	sb_put(b, data, len);
}

/* nn, value: two length octets, big-endian */
static void sb_nn(struct sig_buf *b, const void *data, size_t len)
{
	if (len > 0xffff) {
		b->err = b->err ? b->err : -EINVAL;
		return;
	}
	sb_be(b, len, 2);
	sb_put(b, data, len);
}

int tcap_sig_input(uint8_t *out, size_t size, const struct tcap_msg *msg, const struct sigtoken_hop *hop,
		   const char *orig_gt)
{
	struct sig_buf b = { .out = out, .size = size };
	unsigned int i;
	int n = orig_len(orig_gt);

	if (n < 0 || !sig_carrier(msg) || msg->num_userinfo > TCAP_MAX_USERINFO)
		return -EINVAL;
	sb_put(&b, TCAP_SIG_DOMAIN, TCAP_SIG_DOMAIN_LEN);
	sb_u8(&b, hop->alg);
	sb_put(&b, hop->key_id, KEYID_LEN);
	sb_be(&b, hop->iat, 4);
	sb_u8(&b, msg->type);
	sb_n(&b, msg->otid, msg->has_otid ? msg->otid_len : 0);
	sb_n(&b, msg->dtid, msg->has_dtid ? msg->dtid_len : 0);
	sb_u8(&b, msg->dlg_pdu);
	sb_n(&b, msg->acn.data, msg->acn.len);
	if (msg->dlg_pdu == TCAP_DLG_AARE) {
		sb_be(&b, (uint64_t)msg->result, 8);
		sb_u8(&b, msg->rsd_source);
		sb_be(&b, (uint64_t)msg->rsd_value, 8);
	}
	sb_u8(&b, msg->num_userinfo);
	for (i = 0; i < msg->num_userinfo; i++)
		sb_nn(&b, msg->userinfo_ext[i].raw.data, msg->userinfo_ext[i].raw.len);
	sb_nn(&b, msg->components.data, msg->components.len);
	sb_n(&b, orig_gt, n);
	return b.err ? b.err : (int)b.off;
}

/* ------------------------------------------------------------------------
 * Sign, extract, verify
 * ------------------------------------------------------------------------ */

static bool oid_ok(const uint8_t *oid, size_t oid_len)
{
	return oid && oid_len >= 1 && oid_len <= TCAP_SIG_OID_MAX && ber_oid_check(oid, oid_len) >= 0;
}

int tcap_sig_sign(uint8_t *out, size_t size, const uint8_t *tcap, size_t len,
		  struct sigtoken_key *key, uint32_t iat, const char *orig_gt,
		  const uint8_t *oid, size_t oid_len)
{
	uint8_t input[TCAP_SIG_INPUT_MAX], token[TCAP_SIG_TOKEN_MAX];
	struct tcap_sig_token tok;
	struct tcap_msg m;
	int rc, n, tok_len;

	n = orig_len(orig_gt);
	if (n < 0) {
		LOGP(DSS7, LOGL_ERROR, "TCAP signature: ORIG is not 1..%d decimal digits\n", SIGTOKEN_E164_MAX);
		return -EINVAL;
	}
	if (!oid_ok(oid, oid_len)) {
		LOGP(DSS7, LOGL_ERROR, "TCAP signature: the direct-reference is not an OID of 1..%d octets\n",
		     TCAP_SIG_OID_MAX);
		return -EINVAL;
	}
	if (len > TCAP_SIG_MSG_MAX) {
		LOGP(DSS7, LOGL_ERROR, "TCAP signature: a message of %zu octets, more than %d\n", len,
		     TCAP_SIG_MSG_MAX);
		return -EINVAL;
	}
	rc = tcap_msg_decode(&m, tcap, len);
	if (rc < 0)
		return rc;
	if (!sig_carrier(&m)) {
		LOGP(DSS7, LOGL_INFO, "TCAP signature: a %s with %s cannot carry one\n",
		     get_value_string(tcap_msg_type_names, m.type),
		     m.dlg_pdu == TCAP_DLG_NONE ? "no dialogue portion" :
						  get_value_string(tcap_dlg_pdu_names, m.dlg_pdu));
		return -ENOTSUP;
	}
	if (tcap_userinfo_find(&m, oid, oid_len)) {
		LOGP(DSS7, LOGL_NOTICE, "TCAP signature: the message carries one already\n");
		return -EEXIST;
	}

	memset(&tok, 0, sizeof(tok));
	tok.hop.alg = SIGTOKEN_ALG_ES256;
	memcpy(tok.hop.key_id, sigtoken_key_id(key), KEYID_LEN);
	tok.hop.iat = iat;
	if (n > 0) {
		tok.has_orig = true;
		memcpy(tok.orig_gt, orig_gt, n);
		tok.orig_gt[n] = '\0';
	}
	rc = tcap_sig_input(input, sizeof(input), &m, &tok.hop, tok.orig_gt);
	if (rc < 0)
		return rc == -ENOSPC ? -EINVAL : rc;
	rc = sigtoken_key_sign(key, tok.hop.sig, input, rc);
	if (rc < 0)
		return rc;
	tok_len = tcap_sig_token_encode(token, sizeof(token), &tok);
	if (tok_len < 0)
		return tok_len;
	return tcap_userinfo_insert(out, size, tcap, len, oid, oid_len, token, tok_len);
}

int tcap_sig_extract(struct tcap_sig_token *tok, uint8_t *stripped, size_t size, size_t *stripped_len,
		     const uint8_t *tcap, size_t len, const uint8_t *oid, size_t oid_len)
{
	const struct tcap_external *ext = NULL;
	struct tcap_msg m;
	unsigned int i, found = 0;
	int rc;

	memset(tok, 0, sizeof(*tok));
	*stripped_len = 0;
	if (!oid_ok(oid, oid_len))
		return -EINVAL;
	rc = tcap_msg_decode(&m, tcap, len);
	if (rc < 0)
		return rc;
	for (i = 0; i < m.num_userinfo; i++) {
		if (ber_slice_equal(&m.userinfo_ext[i].oid, oid, oid_len)) {
			ext = &m.userinfo_ext[i];
			found++;
		}
	}
	if (!found)
		return -ENOENT;
	if (found > 1)
		return sig_bad("EXTERNAL", "two carry the signature's direct-reference");
	if (!sig_carrier(&m))
		return sig_bad("EXTERNAL", "in a message or dialogue PDU that cannot carry one");
	if (ext->encoding != TCAP_EXT_OCTET_ALIGNED)
		return sig_bad("EXTERNAL", "encoding is not octet-aligned");
	rc = tcap_sig_token_decode(tok, ext->value.data, ext->value.len);
	if (rc < 0)
		return rc;
	rc = tcap_userinfo_strip(stripped, size, tcap, len, oid, oid_len);
	if (rc < 0) {
		memset(tok, 0, sizeof(*tok));
		/* it decoded and carries exactly one: only room can fail */
		return rc == -ENOSPC ? -ENOSPC : -EBADMSG;
	}
	*stripped_len = rc;
	return 0;
}

int tcap_sig_verify(const struct tcap_sig_token *tok, const uint8_t *stripped, size_t len,
		    struct sigtoken_key *key)
{
	uint8_t input[TCAP_SIG_INPUT_MAX];
	struct tcap_msg m;
	int rc;

	if (tok->hop.alg != SIGTOKEN_ALG_ES256)
		return -ENOTSUP;
	if (memcmp(tok->hop.key_id, sigtoken_key_id(key), KEYID_LEN))
		return -EKEYREJECTED;
	if (len > TCAP_SIG_MSG_MAX || tcap_msg_decode(&m, stripped, len) < 0)
		return -EBADMSG;
	rc = tcap_sig_input(input, sizeof(input), &m, &tok->hop, tok->has_orig ? tok->orig_gt : NULL);
	if (rc < 0)
		return -EBADMSG;
	return sigtoken_key_verify(key, tok->hop.sig, input, rc);
}

int tcap_sig_oid_parse(uint8_t *out, size_t size, const char *dotted)
{
	uint8_t buf[TCAP_SIG_OID_MAX];
	int rc;

	if (!dotted)
		return -EINVAL;
	rc = ber_oid_from_str(buf, sizeof(buf), dotted);
	if (rc < 1 || ber_oid_check(buf, rc) < 0 || (size_t)rc > size)
		return -EINVAL;
	memcpy(out, buf, rc);
	return rc;
}
