/* edgeX vector helpers (see edgex_support.h). */
#include "tests/vectors/edgex_support.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "exchanges/edgex/hex.h"

int ev_str(const json_t *obj, const char *key, const char **out, char *why, size_t cap) {
    *out = vector_str(obj, key);
    if (!*out) return vector_mismatch(why, cap, key, "a string", "nothing");
    return 1;
}

int ev_u256(const json_t *obj, const char *key, edgex_u256 *out, char *why, size_t cap) {
    const char *text;
    if (!ev_str(obj, key, &text, why, cap)) return 0;
    if (edgex_u256_from_text(out, text) != 0) return vector_mismatch(why, cap, key, "a 256-bit integer", text);
    return 1;
}

int ev_bytes(const json_t *obj, const char *key, uint8_t *out, size_t len, char *why, size_t cap) {
    const char *text;
    if (!ev_str(obj, key, &text, why, cap)) return 0;
    if (vector_hex(text, out, len) != (long)len) return vector_mismatch(why, cap, key, "hex of the right length", text);
    return 1;
}

int ev_i64(const json_t *obj, const char *key, int64_t *out, char *why, size_t cap) {
    const json_t *v = json_object_get(obj, key);
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 1;
    }
    uint64_t u;
    if (!json_is_string(v) || edgex_parse_u64(json_string_value(v), &u) != 0 || u > INT64_MAX)
        return vector_mismatch(why, cap, key, "a decimal integer", json_is_string(v) ? json_string_value(v) : "nothing");
    *out = (int64_t)u;
    return 1;
}

int ev_expect_str(char *why, size_t cap, const char *field, const char *expected, const char *found) {
    if (expected && found && strcmp(expected, found) == 0) return 1;
    return vector_mismatch(why, cap, field, expected, found);
}

int ev_expect_field(const json_t *obj, const char *key, const char *found, char *why, size_t cap) {
    return ev_expect_str(why, cap, key, vector_str(obj, key), found);
}

int ev_expect_u64(const json_t *obj, const char *key, uint64_t found, char *why, size_t cap) {
    char text[21];
    edgex_format_u64(found, text);
    return ev_expect_field(obj, key, text, why, cap);
}

int ev_expect_int(const json_t *obj, const char *key, long long found, char *why, size_t cap) {
    const json_t *v = json_object_get(obj, key);
    char exp[32], got[32];
    snprintf(got, sizeof got, "%lld", found);
    if (json_is_integer(v) && json_integer_value(v) == found) return 1;
    snprintf(exp, sizeof exp, "%lld", json_is_integer(v) ? (long long)json_integer_value(v) : -1LL);
    return vector_mismatch(why, cap, key, json_is_integer(v) ? exp : "(not an integer)", got);
}

int ev_expect_u256(const json_t *obj, const char *key, const edgex_u256 *found, char *why, size_t cap) {
    char text[67];
    edgex_u256_to_hex(found, text);
    return ev_expect_field(obj, key, text, why, cap);
}

int ev_expect_hex(const json_t *obj, const char *key, const uint8_t *found, size_t len, char *why, size_t cap) {
    char text[2 + 2 * 256 + 1];
    if (len > 256) return vector_mismatch(why, cap, key, "at most 256 bytes", "more");
    text[0] = '0';
    text[1] = 'x';
    edgex_bytes_to_hex(found, len, text + 2);
    return ev_expect_field(obj, key, text, why, cap);
}

int ev_expect_bool(const json_t *obj, const char *key, int found, char *why, size_t cap) {
    const json_t *v = json_object_get(obj, key);
    if (json_is_boolean(v) && json_is_true(v) == !!found) return 1;
    return vector_mismatch(why, cap, key, json_is_boolean(v) ? (json_is_true(v) ? "true" : "false") : "(not a boolean)",
                           found ? "true" : "false");
}

int ev_fail_with_id(const json_t *vector_case, char *why, size_t cap) {
    const char *id = vector_str(vector_case, "id");
    if (!id) return 0;
    char copy[2048];
    snprintf(copy, sizeof copy, "%s", why);
    snprintf(why, cap, "[%s] %s", id, copy);
    return 0;
}
