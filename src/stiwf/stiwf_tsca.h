/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file stiwf_tsca.h
 *  What the tool's verifying subcommands ("stiwf isup decode --verify",
 *  "stiwf tcap verify") share: the key of a hop signer found by its key-id,
 *  either in one certificate (--cert) or through the TSCA signer directory
 *  (certs/tsca.h: --trust, --cert-dir, --crl, --repo, --repo-ca,
 *  --fetch-permit), with what the directory said about the signer; and the
 *  file readers and the loop runner of the tools. */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "certs/fetch.h"
#include "certs/tsca.h"
#include "ss7/sigtoken.h"

/*! Most --crl options */
#define STIWF_TSCA_MAX_CRLS	16

/*! The TSCA signer directory of one run of the tool. */
struct stiwf_tsca {
	/* the options, NULL when not given */
	const char *trust;		/*!< --trust: TSCA roots (when NULL, no directory) */
	const char *cert_dir;		/*!< --cert-dir: signer chains by key-id */
	const char *repo;		/*!< --repo: "https://host/{key-id}.pem" */
	const char *repo_ca;		/*!< --repo-ca */
	const char *crls[STIWF_TSCA_MAX_CRLS];
	unsigned int num_crls;
	const char *permits[FETCH_MAX_ACL];	/*!< --fetch-permit, also for other fetches of the run */
	unsigned int num_permits;
	/* what stiwf_tsca_setup() builds */
	struct truststore *ts;
	struct fetcher *f;
	struct cert_cache *cache;
	struct cert_domain *d;
	struct tsca_dir *td;
};

/*! Add a --crl (\a cmd names the command in the error).
 *  \returns 0 or STIWF_EXIT_USAGE (said why on stderr) */
int stiwf_tsca_add_crl(struct stiwf_tsca *t, const char *cmd, const char *path);

/*! Add a --fetch-permit prefix.
 *  \returns 0 or STIWF_EXIT_USAGE (not a prefix, too many; said on stderr) */
int stiwf_tsca_add_permit(struct stiwf_tsca *t, const char *cmd, const char *cidr);

/*! Load the roots and CRLs, make the repository fetcher (when --repo) and
 *  the directory.
 *  \returns 0, 1 (cannot load; said why on stderr) or STIWF_EXIT_USAGE */
int stiwf_tsca_setup(void *ctx, struct stiwf_tsca *t, const char *cmd);

/*! Where a verifying command finds the key of a key-id, and what the TSCA
 *  directory said about the signer on its last answer. */
struct stiwf_keys {
	struct sigtoken_key *single;	/*!< --cert; NULL when the directory answers */
	struct tsca_dir *td;		/*!< the directory, or NULL */
	time_t at;			/*!< the time the chain is checked at */
	bool done;
	enum tsca_err err;
	enum tsca_policy policy;
	enum tsca_source source;
	struct sigtoken_key *found;
	char subject[TSCA_SUBJECT_MAX];
	char detail[256];
};

/*! The prepared key of \a key_id: the --cert one when its key-id matches,
 *  or the directory's (running the loop until it answers; the key belongs
 *  to the directory).
 *  \returns the key, or NULL (see stiwf_keys_why()) */
struct sigtoken_key *stiwf_keys_find(struct stiwf_keys *ks, const uint8_t *key_id);

/*! Why stiwf_keys_find() found no key. */
const char *stiwf_keys_why(const struct stiwf_keys *ks);

/*! Add what the directory said about the signer to \a o: "policy" and
 *  "signer" (its subject), or "detail"; and "source".  Nothing without a
 *  directory answer. */
void stiwf_keys_json(json_t *o, const struct stiwf_keys *ks);

/*! Run the loop until *done; the fetchers' own timeouts end every
 *  request, a 30 s guard only a bug.  \returns 0 or -ETIMEDOUT */
int stiwf_tool_run_until_done(const bool *done);

/*! One PEM or DER certificate.  \returns it, or NULL (said on stderr) */
X509 *stiwf_tool_read_cert(const char *path);

/*! A certificate chain file (leaf first), bounded like a fetched one.
 *  \returns it, or NULL (said on stderr) */
STACK_OF(X509) *stiwf_tool_read_chain(const char *path);

/*! The fetch policy of a tool: the --fetch-permit lines of \a t, and
 *  \a own_url's port allowed for that URL (the fetcher allows 443 and
 *  8443; test servers and labs listen elsewhere). */
void stiwf_tool_fetch_policy(struct fetch_policy *pol, const struct stiwf_tsca *t, const char *own_url);
