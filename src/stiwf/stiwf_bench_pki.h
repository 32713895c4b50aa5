/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file stiwf_bench_pki.h
 *  Certificates the benchmarks make in memory: trust anchors, intermediate
 *  CAs, and end-entity certificates as ATIS-1000080 §6.4.1 profiles them
 *  (SKI/AKI, CA:FALSE, digitalSignature, a certificate policy, TNAuthList
 *  with one SPC).  Nothing is written to disk. */

#include <stdbool.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/*! The SHAKEN certificate policy (ATIS-1000080 §6.4.1). */
#define BENCH_PKI_SHAKEN_POLICY "2.16.840.1.114569.1.1.3"

/*! A certificate for \a key named \a cn, signed by \a issuer_key; self-signed
 *  when \a issuer is NULL.  \a ca makes a CA certificate; otherwise an end
 *  entity with the certificate policy \a policy_oid and, unless \a spc is
 *  NULL, a TNAuthList with that SPC (1 to 32 characters): an STI
 *  certificate with BENCH_PKI_SHAKEN_POLICY and an SPC, a TSCA operator
 *  certificate with a TSCA policy and none (ARCHITECTURE §3).  Valid from an
 *  hour ago for a day.  \returns the certificate or NULL. */
X509 *bench_pki_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key, bool ca,
		     const char *policy_oid, const char *spc);
