/* Helpers shared by the edgeX vector handlers (edgex.c for v1, edgex_v2.c for v2): readers for
 * the vector encodings and "expected X, found Y" reporters that prefix the case id (the shared
 * runner prints a case's "name", and these vectors call it "id"). Every function returns 1 on
 * success, or 0 after writing why. */
#ifndef HEDGE_TESTS_VECTORS_EDGEX_SUPPORT_H
#define HEDGE_TESTS_VECTORS_EDGEX_SUPPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "exchanges/edgex/u256.h"
#include "tests/vectors/vector.h"

/* Reads a required string field (nested objects with "a.b" paths are not supported: pass the
 * object). */
int ev_str(const json_t *obj, const char *key, const char **out, char *why, size_t cap);
int ev_u256(const json_t *obj, const char *key, edgex_u256 *out, char *why, size_t cap);
int ev_bytes(const json_t *obj, const char *key, uint8_t *out, size_t len, char *why, size_t cap);
int ev_i64(const json_t *obj, const char *key, int64_t *out, char *why, size_t cap);

int ev_expect_str(char *why, size_t cap, const char *field, const char *expected, const char *found);
/* Compares found with obj[key]; a missing key is a failure (the vectors are complete). */
int ev_expect_field(const json_t *obj, const char *key, const char *found, char *why, size_t cap);
int ev_expect_u64(const json_t *obj, const char *key, uint64_t found, char *why, size_t cap);
int ev_expect_int(const json_t *obj, const char *key, long long found, char *why, size_t cap);
/* "0x" + minimal hex, as the vectors write big integers. */
int ev_expect_u256(const json_t *obj, const char *key, const edgex_u256 *found, char *why, size_t cap);
/* "0x" + full lower-case hex of len bytes. */
int ev_expect_hex(const json_t *obj, const char *key, const uint8_t *found, size_t len, char *why, size_t cap);
int ev_expect_bool(const json_t *obj, const char *key, int found, char *why, size_t cap);

/* Prefixes why with "[id] " (when the case has an id) so failures are easy to find. */
int ev_fail_with_id(const json_t *vector_case, char *why, size_t cap);

#endif
