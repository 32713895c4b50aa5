/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Freeing the OpenSSL connection objects Sofia-SIP leaves behind (see
 * sip_tls.h, sip_tls_reclaim_init()).
 *
 * Sofia-SIP 1.12.11 (Debian 12) ends a TLS transport in tls_free() with
 * SSL_shutdown() and BIO_free() of the socket BIO, but never SSL_free():
 * every TLS connection, accepted or made, failed handshake or finished
 * call, leaves its SSL object, its record buffers and the BIO allocated
 * (about 40 to 80 kB).  At a border that accepts TLS, that is memory an
 * attacker can make grow by connecting.
 *
 * We cannot change Sofia, but OpenSSL tells us of every SSL object made
 * and freed through the ex_data callbacks of an index of our own.  The
 * objects of Sofia's SSL_CTX (recognised by our certificate) are tracked.
 * Sofia frees its tls_t, and with it its last pointer to the SSL, before
 * it closes the socket (tport_close(), tport_zap_secondary()), so once
 * the socket the SSL was made for is gone (its descriptor closed or now
 * another socket: st_dev/st_ino differ), no one holds the SSL any more
 * and we free it.  SSL_set_bio() took two references on the one socket
 * BIO and Sofia dropped one; Sofia also dropped a reference to the SSL_CTX
 * that the SSL holds: we take both back before SSL_free() drops them.
 * A Sofia that frees its SSL objects itself is noticed by the free
 * callback: they leave the list and are never touched here.
 *
 * Sofia's transports live on the event loop thread; so does this list.
 * SSL objects made elsewhere (libcurl, other threads) are of other
 * SSL_CTXs and are only looked at, never tracked. */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <osmocom/core/linuxlist.h>
#include <osmocom/core/timer.h>

#include "sip/sip_tls.h"
#include "src/core/logging.h"

struct tracked_ssl {
	struct llist_head entry;
	SSL *ssl;
	bool has_socket;	/*!< dev/ino below are the socket's */
	dev_t dev;
	ino_t ino;
};

static int ex_index = -1;
static X509 *sofia_leaf;	/*!< our certificate: marks Sofia's SSL_CTX */
static LLIST_HEAD(tracked);
static unsigned int n_tracked;
/*! looks at new SSL objects on the next loop turn */
static struct osmo_timer_list record_timer;
static unsigned int n_unrecorded;
static unsigned int n_early;	/*!< freed by the record pass */

static bool socket_gone(struct tracked_ssl *t);
static void reclaim_one(struct tracked_ssl *t);

static void record_cb(void *data)
{
	struct tracked_ssl *t, *n;

	(void)data;
	n_unrecorded = 0;
	llist_for_each_entry_safe(t, n, &tracked, entry) {
		if (t->has_socket)
			continue;
		if (socket_gone(t)) {
			reclaim_one(t);
			n_early++;
		}
	}
}

static bool is_sofias(SSL *ssl)
{
	X509 *leaf;

	if (!sofia_leaf)
		return false;
	leaf = SSL_CTX_get0_certificate(SSL_get_SSL_CTX(ssl));
	return leaf && X509_cmp(leaf, sofia_leaf) == 0;
}

static void ssl_new_cb(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
	struct tracked_ssl *t;

	(void)ptr, (void)argl, (void)argp;
	if (!is_sofias(parent))
		return;
	t = calloc(1, sizeof(*t));
	if (!t)
		return;	/* untracked: Sofia's leak, no worse than without us */
	if (CRYPTO_set_ex_data(ad, idx, t) != 1) {
		free(t);
		return;
	}
	t->ssl = parent;
	llist_add_tail(&t->entry, &tracked);
	n_tracked++;
	if (!n_unrecorded++)
		osmo_timer_schedule(&record_timer, 0, 0);
}

static void ssl_free_cb(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
	struct tracked_ssl *t = ptr;

	(void)parent, (void)ad, (void)idx, (void)argl, (void)argp;
	if (!t)
		return;
	llist_del(&t->entry);
	n_tracked--;
	free(t);
}

int sip_tls_reclaim_init(const char *cert_path)
{
	FILE *f;
	X509 *x;

	if (ex_index < 0) {
		osmo_timer_setup(&record_timer, record_cb, NULL);
		ex_index = SSL_get_ex_new_index(0, NULL, ssl_new_cb, NULL, ssl_free_cb);
		if (ex_index < 0)
			return -ENOMEM;
	}
	f = fopen(cert_path, "r");
	if (!f)
		return -errno;
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!x)
		return -EBADMSG;
	X509_free(sofia_leaf);
	sofia_leaf = x;
	return 0;
}

/* Has the socket this SSL was made for gone?  Records it on first sight,
 * which is the loop turn after SSL_new() (record_timer): Sofia gives the
 * SSL its socket in the same call that makes it.  A descriptor closed, or
 * no longer a socket, at first sight means that socket is gone too. */
static bool socket_gone(struct tracked_ssl *t)
{
	struct stat st;
	int fd = SSL_get_fd(t->ssl);

	if (fd < 0)
		return false;	/* no socket yet */
	if (fstat(fd, &st) < 0)
		return true;
	if (!t->has_socket) {
		if (!S_ISSOCK(st.st_mode))
			return true;
		t->dev = st.st_dev;
		t->ino = st.st_ino;
		t->has_socket = true;
		return false;
	}
	return st.st_dev != t->dev || st.st_ino != t->ino;
}

static void reclaim_one(struct tracked_ssl *t)
{
	SSL *ssl = t->ssl;
	BIO *rbio = SSL_get_rbio(ssl);

	/* Sofia's BIO_free() dropped one of the two references SSL_set_bio()
	 * holds on a BIO used both ways; SSL_free() drops two */
	if (rbio && rbio == SSL_get_wbio(ssl))
		BIO_up_ref(rbio);
	/* and its tls_free() of a connection, which copies the type of the
	 * listening context, drops a reference to the SSL_CTX that the SSL
	 * holds: SSL_free() drops it again */
	SSL_CTX_up_ref(SSL_get_SSL_CTX(ssl));
	SSL_free(ssl);	/* ssl_free_cb() unlinks and frees t */
}

unsigned int sip_tls_reclaim(bool all)
{
	struct tracked_ssl *t, *n;
	unsigned int freed = n_early;

	n_early = 0;

	llist_for_each_entry_safe(t, n, &tracked, entry) {
		if (all || socket_gone(t)) {
			reclaim_one(t);
			freed++;
		}
	}
	return freed;
}

unsigned int sip_tls_reclaim_tracked(void)
{
	return n_tracked;
}

void sip_tls_reclaim_exit(void)
{
	osmo_timer_del(&record_timer);
	n_unrecorded = 0;
	X509_free(sofia_leaf);
	sofia_leaf = NULL;
}
