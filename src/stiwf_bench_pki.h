#pragma once
/*! \file stiwf_bench_pki.h
 *  Certificates the benchmarks make in memory: a trust anchor, and SHAKEN
 *  end-entity certificates as ATIS-1000080 §6.4.1 profiles them (SKI/AKI,
 *  CA:FALSE, digitalSignature, the SHAKEN certificate policy, TNAuthList
 *  with one SPC).  Nothing is written to disk. */

#include <stdbool.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/*! A certificate for \a key named \a cn, signed by \a issuer_key; self-signed
 *  when \a issuer is NULL.  \a ca makes a CA certificate; otherwise an end
 *  entity whose TNAuthList carries the SPC \a spc (1 to 32 characters).
 *  Valid from an hour ago for a day.  \returns the certificate or NULL. */
X509 *bench_pki_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key, bool ca,
		     const char *spc);
