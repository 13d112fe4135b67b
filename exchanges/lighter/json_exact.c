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

/* Length of the JSON number (RFC 8259 grammar: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?)
 * at text[0..length), or 0 when it is not one; *real is set when it has a fraction or an
 * exponent. */
static size_t json_number_length(const char *text, size_t length, int *real) {
    size_t i = 0;
    *real = 0;
    if (i < length && text[i] == '-') i++;
    if (i < length && text[i] == '0') {
        i++;
    } else if (i < length && text[i] >= '1' && text[i] <= '9') {
        while (i < length && text[i] >= '0' && text[i] <= '9') i++;
    } else {
        return 0;
    }
    if (i < length && text[i] == '.') {
        size_t digits_from = ++i;
        while (i < length && text[i] >= '0' && text[i] <= '9') i++;
        if (i == digits_from) return 0;
        *real = 1;
    }
    if (i < length && (text[i] == 'e' || text[i] == 'E')) {
        i++;
        if (i < length && (text[i] == '+' || text[i] == '-')) i++;
        size_t digits_from = i;
        while (i < length && text[i] >= '0' && text[i] <= '9') i++;
        if (i == digits_from) return 0;
        *real = 1;
    }
    return i;
}

/* Copies text into a new buffer with every fractional/exponent number token wrapped in quotes.
 * Only characters outside strings are looked at, so string contents are never touched. Only a
 * token that is a whole, valid JSON real in a value position is quoted: anything else
 * ("--4.3", "1.e5", "01.5", "1.5.5", a number used as a key) is copied as it is, so jansson
 * refuses it exactly as it would without us (quoted, it would have become a string the
 * decimal parser might even accept, or a valid key). */
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
            size_t end = i;
            while (end < length && is_number_char(text[end])) end++;
            int real;
            int quote = json_number_length(text + i, end - i, &real) == end - i && real;
            /* A number followed by ':' sits where a key belongs; quoted, it would become a
             * valid key. Left alone, jansson refuses it. */
            size_t next = end;
            while (next < length && (text[next] == ' ' || text[next] == '\t' || text[next] == '\n' || text[next] == '\r'))
                next++;
            if (next < length && text[next] == ':') quote = 0;
            if (quote) out[o++] = '"';
            memcpy(out + o, text + i, end - i);
            o += end - i;
            if (quote) out[o++] = '"';
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
    /* A real at the root cannot be replaced in place (the caller holds the pointer). */
    if (json_is_real(root)) return -1;
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
