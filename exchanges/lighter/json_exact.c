/* Literal-preserving JSON loading for Lighter payloads (see json_exact.h). */
#include "exchanges/lighter/json_exact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchanges/json_fields.h"
#include "runtime/decimal.h"

static int is_number_char(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* Copies text into a new buffer with every fractional/exponent number token wrapped in quotes.
 * Only characters outside strings are looked at, so string contents are never touched; a token
 * that is not valid JSON stays invalid (quoted, it becomes a string the decimal parser refuses). */
static char *quote_reals(const char *text, size_t length, size_t *out_length) {
    /* Every real literal has at least 3 characters ("1.5", "1e5") and gains 2 quotes. */
    char *out = malloc(length + length / 3 * 2 + 3);
    if (!out) return NULL;
    size_t o = 0;
    int in_string = 0;
    for (size_t i = 0; i < length;) {
        char c = text[i];
        if (in_string) {
            out[o++] = c;
            if (c == '\\' && i + 1 < length) { out[o++] = text[i + 1]; i += 2; continue; }
            if (c == '"') in_string = 0;
            i++;
            continue;
        }
        if (c == '"') { in_string = 1; out[o++] = c; i++; continue; }
        if (c == '-' || (c >= '0' && c <= '9')) {
            size_t end = i, fractional = 0;
            while (end < length && is_number_char(text[end])) {
                if (text[end] == '.' || text[end] == 'e' || text[end] == 'E') fractional = 1;
                end++;
            }
            if (fractional) out[o++] = '"';
            memcpy(out + o, text + i, end - i);
            o += end - i;
            if (fractional) out[o++] = '"';
            i = end;
            continue;
        }
        out[o++] = c;
        i++;
    }
    out[o] = '\0';
    *out_length = o;
    return out;
}

json_t *lighter_json_load(const char *text, size_t length, char *err, size_t errcap) {
    if (!text || length == 0) {
        snprintf(err, errcap, "the answer is empty, not JSON");
        return NULL;
    }
    size_t quoted_length;
    char *quoted = quote_reals(text, length, &quoted_length);
    if (!quoted) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    json_error_t error;
    json_t *root = json_loadb(quoted, quoted_length, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &error);
    free(quoted);
    if (!root) snprintf(err, errcap, "not JSON: %s (near byte %d)", error.text, error.position);
    return root;
}

static int convert(json_t *value) {
    if (json_is_object(value)) {
        const char *key;
        json_t *member;
        json_object_foreach(value, key, member) {
            if (json_is_real(member)) {
                rt_decimal d;
                char text[RT_DECIMAL_TEXT_MAX];
                if (rt_decimal_from_double(&d, json_real_value(member)) != RT_DECIMAL_OK) return -1;
                rt_decimal_format(&d, text, sizeof text, -1);
                if (json_object_set_new(value, key, json_string(text)) != 0) return -1;
            } else if (convert(member) != 0) {
                return -1;
            }
        }
    } else if (json_is_array(value)) {
        for (size_t i = 0; i < json_array_size(value); i++) {
            json_t *item = json_array_get(value, i);
            if (json_is_real(item)) {
                rt_decimal d;
                char text[RT_DECIMAL_TEXT_MAX];
                if (rt_decimal_from_double(&d, json_real_value(item)) != RT_DECIMAL_OK) return -1;
                rt_decimal_format(&d, text, sizeof text, -1);
                if (json_array_set_new(value, i, json_string(text)) != 0) return -1;
            } else if (convert(item) != 0) {
                return -1;
            }
        }
    }
    return 0;
}

int lighter_json_reals_to_text(json_t *root) {
    return convert(root);
}

int lighter_decimal_plain(const char *text, size_t length, char *out, size_t cap) {
    if (length == 0) {
        if (cap < 1) return -1;
        out[0] = '\0';
        return 0;
    }
    if (jfield_is_plain_decimal(text, length)) {
        if (length >= cap) return -1;
        memcpy(out, text, length);
        out[length] = '\0';
        return 0;
    }
    /* An exponent form: exact through rt_decimal, printed with every digit it carries. */
    int has_exponent = 0;
    for (size_t i = 0; i < length; i++) has_exponent |= text[i] == 'e' || text[i] == 'E';
    if (!has_exponent) return -1;
    rt_decimal d;
    if (rt_decimal_parse(&d, text, length, NULL, 0) != RT_DECIMAL_OK) return -1;
    char plain[RT_DECIMAL_TEXT_MAX];
    size_t n = rt_decimal_format(&d, plain, sizeof plain, d.scale);
    if (n == 0 || n >= cap) return -1;
    memcpy(out, plain, n + 1);
    return 0;
}
