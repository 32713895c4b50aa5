/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
/*! \file tn.h
 *  Telephone-number canonicalisation for STIR (RFC 8224 §8.3): the form in
 *  which PASSporT "tn" claims are signed and compared. */

#include <stddef.h>

/*! Most digits of an international (E.164) number, ITU-T E.164 §6. */
#define STIWF_TN_E164_MAX	15
/*! Most digits we accept for national or local forms. */
#define STIWF_TN_MAX		20

/*! Canonicalise a telephone number: digits only, no '+', no visual
 *  separators (RFC 8224 §8.3).
 *
 *  Accepted input, optionally in angle brackets after a display name (a
 *  name-addr as in From or P-Asserted-Identity, header parameters after
 *  '>' ignored):
 *  - a plain number, "+1 (202) 555-0100" or "2025550100";
 *  - a tel URI (RFC 3966): global "tel:+1-202-555-0100" or local
 *    "tel:555-0100;phone-context=+1-202" (a global phone-context is
 *    prefixed; a domain-name one leaves the local digits as they are);
 *    parameters such as isub, ext, npdi, rn, cic, tgrp, trunk-context
 *    (RFC 3966, RFC 4694, RFC 4904) do not change the number;
 *  - a sip:/sips: URI whose user part is a telephone-subscriber with
 *    ";user=phone" (RFC 3261 §19.1.6), or, without it, a user part of
 *    digits with an optional leading '+' as carriers send.
 *  Letters (including the hex digits RFC 3966 allows in local numbers),
 *  '*', '#', percent escapes and empty numbers are rejected.
 *
 *  \param[in] in the input, need not be NUL-terminated
 *  \param[in] len length of in
 *  \param[out] out the digits, NUL-terminated (empty on error)
 *  \param[in] outlen size of out
 *  \returns the number of digits, -EINVAL for input that is not a telephone
 *  number or is longer than STIWF_TN_MAX digits (STIWF_TN_E164_MAX for a
 *  global number), -ENOSPC when out is too small */
int stiwf_tn_normalize(const char *in, size_t len, char *out, size_t outlen);
