/* Helpers shared by the Lighter vector handlers (lighter.c, lighter_tx.c): strict readers for
 * the vector encodings (decimal strings, Fp5 arrays, {dec, le_hex} scalars, hex) and "expected
 * X, found Y" reporters. Every reader returns 1, or 0 after writing why. */
#ifndef HEDGE_TESTS_VECTORS_LIGHTER_SUPPORT_H
#define HEDGE_TESTS_VECTORS_LIGHTER_SUPPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "exchanges/lighter/quintic.h"
#include "exchanges/lighter/scalar.h"
#include "tests/vectors/vector.h"

/* A canonical decimal string (or JSON integer) that fits in uint64 / int64. */
int lv_u64(const json_t *obj, const char *key, uint64_t *out, char *why, size_t cap);
int lv_int64(const json_t *obj, const char *key, int64_t *out, char *why, size_t cap);
/* An array of decimal strings; *count receives its length (at most max). */
int lv_u64_array(const json_t *obj, const char *key, uint64_t *out, size_t max, size_t *count, char *why, size_t cap);
/* An Fp5 element: exactly five decimal strings, each < p. */
int lv_fp5(const json_t *obj, const char *key, lighter_fp5 *out, char *why, size_t cap);
/* A scalar given as {"dec": ..., "le_hex": ...}: both forms are read and must agree. The value
 * is returned raw (it may be >= n in the non-canonical vectors) as 40 little-endian bytes. */
int lv_scalar_bytes(const json_t *obj, const char *key, uint8_t out[40], char *why, size_t cap);
/* Exactly len bytes of hex. */
int lv_hex(const json_t *obj, const char *key, uint8_t *out, size_t len, char *why, size_t cap);

int lv_mismatch_u64(char *why, size_t cap, const char *field, uint64_t expected, uint64_t found);
int lv_expect_u64(char *why, size_t cap, const char *field, uint64_t expected, uint64_t found);
int lv_expect_u64s(char *why, size_t cap, const char *field, const uint64_t *expected, const uint64_t *found, size_t n);
int lv_expect_fp5(char *why, size_t cap, const char *field, const lighter_fp5 *expected, const lighter_fp5 *found);
/* Compares found (serialised canonically) with the hex string stored under key. */
int lv_expect_fp5_hex(const json_t *obj, const char *key, const lighter_fp5 *found, char *why, size_t cap);
int lv_expect_bytes_hex(const json_t *obj, const char *key, const uint8_t *found, size_t len, char *why, size_t cap);
int lv_expect_str(char *why, size_t cap, const char *field, const char *expected, const char *found);
/* Compares a scalar with a {dec, le_hex} object (both forms). */
int lv_expect_scalar(const json_t *obj, const char *key, const lighter_scalar *found, char *why, size_t cap);

/* Lowercase hex of len bytes into out (2·len + 1 bytes). */
void lv_to_hex(char *out, const uint8_t *bytes, size_t len);
/* Decimal text of a 320-bit little-endian value (out: at least 100 bytes). */
void lv_u320_to_decimal(char *out, size_t cap, const uint8_t le[40]);

#endif
