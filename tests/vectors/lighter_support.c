/* Strict readers and reporters for the Lighter vector handlers (see lighter_support.h). */
#include "tests/vectors/lighter_support.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int missing(char *why, size_t cap, const char *key, const char *what) {
    return vector_mismatch(why, cap, key, what, "a missing or mistyped value");
}

/* Parses an optionally negative decimal integer with no spaces, sign only when allowed. */
static int parse_decimal(const char *text, int allow_negative, uint64_t *magnitude, int *negative) {
    const char *p = text;
    *negative = 0;
    if (allow_negative && *p == '-') { *negative = 1; p++; }
    if (*p < '0' || *p > '9') return 0;
    uint64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9') return 0;
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10) return 0;
        v = v * 10 + d;
    }
    *magnitude = v;
    return 1;
}

int lv_u64(const json_t *obj, const char *key, uint64_t *out, char *why, size_t cap) {
    const json_t *v = json_object_get(obj, key);
    if (json_is_integer(v) && json_integer_value(v) >= 0) { *out = (uint64_t)json_integer_value(v); return 1; }
    int negative;
    if (json_is_string(v) && parse_decimal(json_string_value(v), 0, out, &negative)) return 1;
    return missing(why, cap, key, "an unsigned 64-bit decimal");
}

int lv_int64(const json_t *obj, const char *key, int64_t *out, char *why, size_t cap) {
    const json_t *v = json_object_get(obj, key);
    if (json_is_integer(v)) { *out = (int64_t)json_integer_value(v); return 1; }
    uint64_t magnitude;
    int negative;
    if (json_is_string(v) && parse_decimal(json_string_value(v), 1, &magnitude, &negative)) {
        if (!negative && magnitude <= (uint64_t)INT64_MAX) { *out = (int64_t)magnitude; return 1; }
        if (negative && magnitude <= (uint64_t)INT64_MAX + 1) { *out = (int64_t)(0 - magnitude); return 1; }
    }
    return missing(why, cap, key, "a signed 64-bit decimal");
}

int lv_u64_array(const json_t *obj, const char *key, uint64_t *out, size_t max, size_t *count, char *why, size_t cap) {
    const json_t *arr = json_object_get(obj, key);
    if (!json_is_array(arr) || json_array_size(arr) > max) return missing(why, cap, key, "an array of decimals");
    size_t i;
    const json_t *item;
    json_array_foreach(arr, i, item) {
        uint64_t v;
        int negative;
        if (!json_is_string(item) || !parse_decimal(json_string_value(item), 0, &v, &negative))
            return missing(why, cap, key, "decimal strings only");
        out[i] = v;
    }
    *count = json_array_size(arr);
    return 1;
}

int lv_fp5(const json_t *obj, const char *key, lighter_fp5 *out, char *why, size_t cap) {
    size_t n;
    if (!lv_u64_array(obj, key, out->c, 5, &n, why, cap)) return 0;
    if (n != 5) return missing(why, cap, key, "five limbs");
    for (int i = 0; i < 5; i++)
        if (out->c[i] >= LIGHTER_GF_P) return missing(why, cap, key, "canonical limbs (< p)");
    return 1;
}

int lv_hex(const json_t *obj, const char *key, uint8_t *out, size_t len, char *why, size_t cap) {
    const char *hex = vector_str(obj, key);
    if (!hex || strlen(hex) != 2 * len || vector_hex(hex, out, len) != (long)len)
        return missing(why, cap, key, "hex of the right length");
    return 1;
}

void lv_to_hex(char *out, const uint8_t *bytes, size_t len) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * len] = '\0';
}

void lv_u320_to_decimal(char *out, size_t cap, const uint8_t le[40]) {
    /* Repeated division by 10 over 32-bit words: slow and obviously right, fine for tests. */
    uint32_t words[10];
    for (int i = 0; i < 10; i++)
        words[i] = (uint32_t)le[4 * i] | (uint32_t)le[4 * i + 1] << 8 | (uint32_t)le[4 * i + 2] << 16 | (uint32_t)le[4 * i + 3] << 24;
    char tmp[128];
    size_t len = 0;
    for (;;) {
        uint64_t rem = 0;
        int nonzero = 0;
        for (int i = 9; i >= 0; i--) {
            uint64_t cur = rem << 32 | words[i];
            words[i] = (uint32_t)(cur / 10);
            rem = cur % 10;
            if (words[i]) nonzero = 1;
        }
        tmp[len++] = (char)('0' + rem);
        if (!nonzero) break;
    }
    size_t i = 0;
    for (; i < len && i + 1 < cap; i++) out[i] = tmp[len - 1 - i];
    out[i] = '\0';
}

int lv_scalar_bytes(const json_t *obj, const char *key, uint8_t out[40], char *why, size_t cap) {
    const json_t *s = json_object_get(obj, key);
    if (!json_is_object(s)) return missing(why, cap, key, "a {dec, le_hex} object");
    if (!lv_hex(s, "le_hex", out, 40, why, cap)) return 0;
    const char *dec = vector_str(s, "dec");
    char text[128];
    lv_u320_to_decimal(text, sizeof text, out);
    if (!dec || strcmp(dec, text) != 0) return vector_mismatch(why, cap, key, dec, text);
    return 1;
}

int lv_mismatch_u64(char *why, size_t cap, const char *field, uint64_t expected, uint64_t found) {
    char e[32], f[32];
    snprintf(e, sizeof e, "%" PRIu64, expected);
    snprintf(f, sizeof f, "%" PRIu64, found);
    return vector_mismatch(why, cap, field, e, f);
}

int lv_expect_u64(char *why, size_t cap, const char *field, uint64_t expected, uint64_t found) {
    return expected == found ? 1 : lv_mismatch_u64(why, cap, field, expected, found);
}

int lv_expect_u64s(char *why, size_t cap, const char *field, const uint64_t *expected, const uint64_t *found, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (expected[i] != found[i]) {
            char name[96];
            snprintf(name, sizeof name, "%s[%zu]", field, i);
            return lv_mismatch_u64(why, cap, name, expected[i], found[i]);
        }
    }
    return 1;
}

int lv_expect_fp5(char *why, size_t cap, const char *field, const lighter_fp5 *expected, const lighter_fp5 *found) {
    lighter_fp5 canonical;
    lighter_fp5_canonicalize(&canonical, found);
    return lv_expect_u64s(why, cap, field, expected->c, canonical.c, 5);
}

int lv_expect_bytes_hex(const json_t *obj, const char *key, const uint8_t *found, size_t len, char *why, size_t cap) {
    const char *expected = vector_str(obj, key);
    char text[512];
    if (2 * len + 1 > sizeof text) return vector_mismatch(why, cap, key, "a short value", "too long");
    lv_to_hex(text, found, len);
    if (!expected || strcmp(expected, text) != 0) return vector_mismatch(why, cap, key, expected, text);
    return 1;
}

int lv_expect_fp5_hex(const json_t *obj, const char *key, const lighter_fp5 *found, char *why, size_t cap) {
    uint8_t bytes[LIGHTER_FP5_BYTES];
    lighter_fp5_to_bytes(bytes, found);
    return lv_expect_bytes_hex(obj, key, bytes, sizeof bytes, why, cap);
}

/* Control characters shown as \n, \xNN so a mismatch stays on one TAP diagnostic line. */
static void escape_line(char *out, size_t cap, const char *in) {
    size_t o = 0;
    for (; in && *in && o + 5 < cap; in++) {
        unsigned char ch = (unsigned char)*in;
        if (ch == '\n') { out[o++] = '\\'; out[o++] = 'n'; }
        else if (ch < 0x20) o += (size_t)snprintf(out + o, cap - o, "\\x%02x", ch);
        else out[o++] = (char)ch;
    }
    out[o] = '\0';
}

int lv_expect_str(char *why, size_t cap, const char *field, const char *expected, const char *found) {
    if (expected && found && strcmp(expected, found) == 0) return 1;
    char e[1024], f[1024];
    escape_line(e, sizeof e, expected);
    escape_line(f, sizeof f, found);
    return vector_mismatch(why, cap, field, expected ? e : NULL, found ? f : NULL);
}

int lv_expect_scalar(const json_t *obj, const char *key, const lighter_scalar *found, char *why, size_t cap) {
    uint8_t expected[40], bytes[40];
    if (!lv_scalar_bytes(obj, key, expected, why, cap)) return 0;
    lighter_scalar_to_bytes(bytes, found);
    if (memcmp(expected, bytes, 40) != 0) {
        char e[81], f[81];
        lv_to_hex(e, expected, 40);
        lv_to_hex(f, bytes, 40);
        return vector_mismatch(why, cap, key, e, f);
    }
    return 1;
}
