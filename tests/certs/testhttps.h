/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/* Test helper: start and stop tests/certs/httpsd (see there for what it
 * serves) with a server certificate for 127.0.0.1 from a throw-away test CA
 * made with the openssl CLI.  Its document root is the test PKI's shaken/
 * directory (tests/certs/testpki.h). */

/* Start the server; 0 or -1.  Reads its READY line, no sleeping. */
int testhttps_start(void);
void testhttps_stop(void);
/* The test CA that issued the server certificate. */
const char *testhttps_ca_file(void);
unsigned int testhttps_port(void);
/* A port that accepts TCP connections and never answers. */
unsigned int testhttps_raw_port(void);
/* "https://127.0.0.1:PORT" + path, in one of a few rotating static buffers. */
const char *testhttps_url(const char *path);
/* How many requests for path (no query) the server has seen so far. */
unsigned int testhttps_count(const char *path);
