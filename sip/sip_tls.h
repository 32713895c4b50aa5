/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file sip_tls.h
 *  SIP over TLS with Sofia-SIP: the files Sofia wants, the protocol floor
 *  and the certificate pins of TLS peers.
 *
 *  Sofia-SIP 1.12.11 takes its TLS credentials from a directory holding
 *  "agent.pem" (private key and certificate chain in one file) and
 *  "cafile.pem" (the certificates it trusts), verifies the peer's chain
 *  both ways (TPTLS_VERIFY_ALL) and reports, per connection, only whether
 *  it verified and the subjects (SAN DNS/URI/IP and CN) of the peer's
 *  certificate.  It never shows the certificate itself, so a SHA-256 pin
 *  is enforced where OpenSSL shows it to us: the X.509 purpose check that
 *  runs on every certificate of every TLS handshake (sip_tls_pins_set()). */

#include <stddef.h>
#include <stdint.h>

/*! Longest certificate subject name of a TLS peer, octets. */
#define SIP_TLS_SUBJECT_MAX	128
/*! Longest chain Sofia accepts from a peer: leaf, intermediates, root. */
#define SIP_TLS_VERIFY_DEPTH	5
/*! Most names kept from a peer certificate. */
#define SIP_TLS_SUBJECTS_MAX	8

/*! A pinned TLS peer certificate: whoever presents \a subject must present
 *  the certificate whose SHA-256 is \a sha256. */
struct sip_tls_pin {
	char subject[SIP_TLS_SUBJECT_MAX];
	uint8_t sha256[32];
};

/*! Make the directory Sofia loads its TLS credentials from: a new private
 *  directory (mode 0700, under $RUNTIME_DIRECTORY, $TMPDIR or /tmp) with
 *  agent.pem (the key of key_path, which group and others must not be
 *  able to read, and the certificates of cert_path) and cafile.pem (the
 *  certificates of ca_path).  Remove it with sip_tls_dir_remove() as soon
 *  as the transports are bound: Sofia reads the files only then.
 *  \param[out] dir the directory's path, allocated under ctx
 *  \returns 0, -EPERM (key file mode), -EBADMSG (no key or certificate),
 *           -errno */
int sip_tls_dir_make(void *ctx, const char *cert_path, const char *key_path, const char *ca_path,
		     char **dir);

/*! Remove what sip_tls_dir_make() made (the key first). */
void sip_tls_dir_remove(const char *dir);

/*! Once per process, before the first TLS context exists: TLS 1.2 as the
 *  lowest protocol version of every SSL_CTX the process makes (Sofia sets
 *  none), and the purpose check that enforces the pins.
 *  \returns 0 or -EIO */
int sip_tls_global_init(void);

/*! Replace the pins (copied).  Called on the event loop; the check runs
 *  there too (Sofia's and libcurl's handshakes), never in the workers.
 *  \returns 0 or -ENOMEM */
int sip_tls_pins_set(const struct sip_tls_pin *pins, size_t n);

/*! Parse "AB:CD:..." or "abcd..." (64 hex digits) into 32 octets.
 *  \returns 0 or -EINVAL */
int sip_tls_fingerprint_parse(const char *text, uint8_t sha256[32]);

/*! Track the OpenSSL connection objects of Sofia's TLS transports, whose
 *  SSL_CTX shows the first certificate of cert_path, so that those Sofia
 *  leaves allocated after closing their socket can be freed
 *  (sip_tls_reclaim.c says why).  Event loop thread only.
 *  \returns 0 or -errno */
int sip_tls_reclaim_init(const char *cert_path);

/*! Free the tracked SSL objects whose socket is closed, or all of them
 *  once Sofia's transports are destroyed (all).  \returns how many */
unsigned int sip_tls_reclaim(bool all);

/*! How many SSL objects of Sofia's are tracked now. */
unsigned int sip_tls_reclaim_tracked(void);

/*! Forget the certificate sip_tls_reclaim_init() loaded. */
void sip_tls_reclaim_exit(void);
