/* stiwf passport: sign and decode PASSporTs (RFC 8225/8588) from scripts.
 * The contract other tools rely on:
 *
 *   stiwf passport sign --key FILE --x5u URL --attest A|B|C --orig TN --dest TN
 *                       [--dest TN]... [--origid UUID] [--iat EPOCH]
 *     prints the Identity header value: <passport>;info=<URL>;alg=ES256;ppt=shaken
 *   stiwf passport decode VALUE
 *     header and claims as JSON, no verification
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "certs/credential.h"
#include "sip/identity.h"
#include "sip/passport.h"
#include "sip/tn.h"
#include "src/stiwf_tool.h"

#define IDENTITY_VALUE_MAX 4096

/* RFC 4122 §4.4: a random (version 4) UUID for origid when none is given */
static int uuid_v4(char *out, size_t len)
{
	unsigned char b[16];

	if (RAND_bytes(b, sizeof(b)) != 1)
		return -EIO;
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	if (snprintf(out, len, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		     b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		     b[13], b[14], b[15]) >= (int)len)
		return -ENOSPC;
	return 0;
}

static void sign_usage(FILE *out)
{
	fprintf(out,
		"Usage: stiwf passport sign --key FILE --x5u URL --attest A|B|C --orig TN --dest TN\n"
		"                           [--dest TN]... [--origid UUID] [--iat EPOCH]\n"
		"Sign a SHAKEN PASSporT (RFC 8225, RFC 8588) with ES256 and print the Identity\n"
		"header value (RFC 8224): <passport>;info=<URL>;alg=ES256;ppt=shaken\n"
		"  --key FILE     PEM private key (P-256), mode 0600 or stricter\n"
		"  --x5u URL      where the signer's certificate chain is published\n"
		"  --attest L     attestation level A, B or C\n"
		"  --orig TN      calling number: digits, +E.164, tel: or sip: URI\n"
		"  --dest TN      called number (repeat for several)\n"
		"  --origid UUID  origination identifier (default: a random UUID)\n"
		"  --iat EPOCH    issued-at time (default: now)\n");
}

static int cmd_sign(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "x5u", required_argument, NULL, 'x' },
		{ "attest", required_argument, NULL, 'a' },
		{ "orig", required_argument, NULL, 'o' },
		{ "dest", required_argument, NULL, 'd' },
		{ "origid", required_argument, NULL, 'u' },
		{ "iat", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *key_path = NULL, *x5u = NULL, *origid = NULL, *orig_in = NULL;
	const char *dest_in[PASSPORT_DEST_TN_MAX];
	char orig[STIWF_TN_MAX + 1], dest[PASSPORT_DEST_TN_MAX][STIWF_TN_MAX + 1];
	const char *dest_p[PASSPORT_DEST_TN_MAX];
	char uuid[40], token[IDENTITY_VALUE_MAX];
	unsigned int n_dest = 0, i;
	struct passport *pp = NULL;
	EVP_PKEY *key = NULL;
	long long iat = (long long)time(NULL);
	char attest = 0;
	int opt, rc = STIWF_EXIT_USAGE;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "k:x:a:o:d:u:i:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'k':
			key_path = optarg;
			break;
		case 'x':
			x5u = optarg;
			break;
		case 'a':
			if (strlen(optarg) != 1 || !strchr("ABC", optarg[0])) {
				fprintf(stderr, "stiwf passport sign: --attest must be A, B or C\n");
				return STIWF_EXIT_USAGE;
			}
			attest = optarg[0];
			break;
		case 'o':
			orig_in = optarg;
			break;
		case 'd':
			if (n_dest >= PASSPORT_DEST_TN_MAX) {
				fprintf(stderr, "stiwf passport sign: at most %d --dest\n", PASSPORT_DEST_TN_MAX);
				return STIWF_EXIT_USAGE;
			}
			dest_in[n_dest++] = optarg;
			break;
		case 'u':
			origid = optarg;
			break;
		case 'i':
			if (stiwf_tool_parse_epoch(optarg, &iat) < 0) {
				fprintf(stderr, "stiwf passport sign: bad --iat '%s'\n", optarg);
				return STIWF_EXIT_USAGE;
			}
			break;
		case 'h':
			sign_usage(stdout);
			return 0;
		default:
			sign_usage(stderr);
			return STIWF_EXIT_USAGE;
		}
	}
	if (!key_path || !x5u || !attest || !orig_in || n_dest == 0 || optind != argc) {
		sign_usage(stderr);
		return STIWF_EXIT_USAGE;
	}
	if (stiwf_tn_normalize(orig_in, strlen(orig_in), orig, sizeof(orig)) < 0) {
		fprintf(stderr, "stiwf passport sign: --orig '%s' is not a telephone number\n", orig_in);
		return STIWF_EXIT_USAGE;
	}
	for (i = 0; i < n_dest; i++) {
		if (stiwf_tn_normalize(dest_in[i], strlen(dest_in[i]), dest[i], sizeof(dest[i])) < 0) {
			fprintf(stderr, "stiwf passport sign: --dest '%s' is not a telephone number\n", dest_in[i]);
			return STIWF_EXIT_USAGE;
		}
		dest_p[i] = dest[i];
	}
	if (!origid) {
		if (uuid_v4(uuid, sizeof(uuid)) < 0)
			return 1;
		origid = uuid;
	}

	rc = credential_key_load(key_path, &key);
	if (rc < 0) {
		fprintf(stderr, "stiwf passport sign: cannot use the key %s: %s\n", key_path,
			rc == -EPERM ? "readable by group or others (chmod 600)" : strerror(-rc));
		return 1;
	}
	pp = calloc(1, sizeof(*pp));
	if (!pp) {
		rc = 1;
		goto out;
	}
	rc = passport_init_shaken(pp, x5u, attest, orig, dest_p, n_dest, (int64_t)iat, origid);
	if (rc < 0) {
		fprintf(stderr, "stiwf passport sign: bad --x5u, --origid or numbers\n");
		rc = STIWF_EXIT_USAGE;
		goto out;
	}
	rc = passport_sign(pp, key);
	if (rc < 0) {
		fprintf(stderr, "stiwf passport sign: signing failed (%s): is the key P-256?\n", strerror(-rc));
		rc = 1;
		goto out;
	}
	if (passport_full_form(pp, token, sizeof(token)) < 0) {
		rc = 1;
		goto out;
	}
	/* RFC 8224 §4.1; secsipid and others need ;info= (it is mandatory) */
	printf("%s;info=<%s>;alg=ES256;ppt=shaken\n", token, x5u);
	rc = 0;
out:
	free(pp);
	EVP_PKEY_free(key);
	return rc;
}

static json_t *passport_to_json(const struct passport *pp)
{
	json_t *o = json_object(), *hdr = json_object(), *cl = json_object(), *dest, *arr;
	unsigned int i;

	if (!o || !hdr || !cl)
		goto fail;
	json_object_set_new(hdr, "alg", json_string(pp->alg));
	if (pp->typ[0])
		json_object_set_new(hdr, "typ", json_string(pp->typ));
	if (pp->ppt_str[0])
		json_object_set_new(hdr, "ppt", json_string(pp->ppt_str));
	if (pp->x5u[0])
		json_object_set_new(hdr, "x5u", json_string(pp->x5u));
	if (pp->attest) {
		char a[2] = { pp->attest, 0 };

		json_object_set_new(cl, "attest", json_string(a));
	}
	dest = json_object();
	arr = json_array();
	for (i = 0; i < pp->num_dest_tn; i++)
		json_array_append_new(arr, json_string(pp->dest_tn[i]));
	json_object_set_new(dest, "tn", arr);
	if (pp->num_dest_uri) {
		arr = json_array();
		for (i = 0; i < pp->num_dest_uri; i++)
			json_array_append_new(arr, json_string(pp->dest_uri[i]));
		json_object_set_new(dest, "uri", arr);
	}
	json_object_set_new(cl, "dest", dest);
	if (pp->has_iat)
		json_object_set_new(cl, "iat", json_integer(pp->iat));
	if (pp->orig_tn[0])
		json_object_set_new(cl, "orig", json_pack("{s:s}", "tn", pp->orig_tn));
	if (pp->origid[0])
		json_object_set_new(cl, "origid", json_string(pp->origid));
	if (pp->div_tn[0])
		json_object_set_new(cl, "div", json_pack("{s:s}", "tn", pp->div_tn));
	json_object_set_new(o, "header", hdr);
	json_object_set_new(o, "claims", cl);
	json_object_set_new(o, "canonical", json_boolean(passport_is_canonical(pp)));
	return o;
fail:
	json_decref(o);
	json_decref(hdr);
	json_decref(cl);
	return NULL;
}

static int cmd_decode(int argc, char **argv)
{
	struct identity_hdr ih;
	struct passport *pp;
	json_t *o;
	int rc;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: stiwf passport decode VALUE\n"
		       "Print the header and claims of the PASSporT in an Identity header value\n"
		       "(the part after \"Identity:\") as JSON, without verifying anything.\n");
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "Usage: stiwf passport decode VALUE\n");
		return STIWF_EXIT_USAGE;
	}
	if (identity_hdr_parse(&ih, argv[1], strlen(argv[1])) < 0) {
		fprintf(stderr, "stiwf passport decode: not an Identity header value (RFC 8224 §4.1)\n");
		return 1;
	}
	if (ih.compact) {
		fprintf(stderr, "stiwf passport decode: compact form: header and claims are not in it\n");
		return 1;
	}
	pp = calloc(1, sizeof(*pp));
	if (!pp)
		return 1;
	rc = passport_decode(pp, ih.token.ptr, ih.token.len);
	if (rc < 0) {
		fprintf(stderr, "stiwf passport decode: the PASSporT does not decode (see the log)\n");
		free(pp);
		return 1;
	}
	o = passport_to_json(pp);
	free(pp);
	if (!o)
		return 1;
	json_object_set_new(o, "info", json_stringn(ih.info.ptr, ih.info.len));
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	printf("\n");
	json_decref(o);
	return 0;
}

int stiwf_cmd_passport(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "sign"))
		return cmd_sign(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "decode"))
		return cmd_decode(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: stiwf passport sign|decode ...\n"
		       "  sign     sign a SHAKEN PASSporT, print the Identity header value\n"
		       "  decode   show the header and claims of an Identity header value\n");
		return 0;
	}
	fprintf(stderr, "Usage: stiwf passport sign|decode ... (--help)\n");
	return STIWF_EXIT_USAGE;
}
