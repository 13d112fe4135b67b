/* Field readers for the Pacifica parsers (see parse_fields.h). */
#include "exchanges/pacifica/parse_fields.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pf_where_init(pf_where *where, const char *name, char *err, size_t errcap) {
    snprintf(where->name, sizeof where->name, "%s", name);
    where->err = err;
    where->errcap = errcap;
}

void pf_where_item(pf_where *where, const char *list_name, size_t index, char *err, size_t errcap) {
    snprintf(where->name, sizeof where->name, "%s[%zu]", list_name, index);
    where->err = err;
    where->errcap = errcap;
}

int pf_fail(const pf_where *where, const char *member, const char *problem) {
    if (where->err && where->errcap)
        snprintf(where->err, where->errcap, "%s%s%s: %s", where->name, member ? "." : "", member ? member : "", problem);
    return -1;
}

const json_t *pf_member(const json_t *object, const char *long_name, const char *short_name) {
    const json_t *value = long_name ? json_object_get(object, long_name) : NULL;
    if (!value && short_name) value = json_object_get(object, short_name);
    return value;
}

const char *pf_name(const char *long_name, const char *short_name) {
    return long_name ? long_name : short_name;
}

static int is_decimal_text(const char *text, size_t length) {
    size_t i = 0, digits = 0;
    if (i < length && text[i] == '-') i++;
    while (i < length && text[i] >= '0' && text[i] <= '9') { i++; digits++; }
    if (!digits) return 0;
    if (i < length && text[i] == '.') {
        size_t fraction = 0;
        i++;
        while (i < length && text[i] >= '0' && text[i] <= '9') { i++; fraction++; }
        if (!fraction) return 0;
    }
    return i == length;
}

static int missing(const json_t *value, int required, const pf_where *where, const char *name) {
    if (value && !json_is_null(value)) return 0;
    if (required) return pf_fail(where, name, value ? "is null" : "is missing");
    return 1;
}

int pf_decimal(const json_t *object, const char *long_name, const char *short_name, pacifica_decimal_text *out,
               int required, const pf_where *where) {
    const char *name = pf_name(long_name, short_name);
    const json_t *value = pf_member(object, long_name, short_name);
    out->text[0] = '\0';
    int absent = missing(value, required, where, name);
    if (absent) return absent < 0 ? -1 : 0;
    /* The venue sends every decimal as a string (spec §2). A number in its place means the
     * payload is not what we think it is: refuse it rather than guess. */
    if (json_is_integer(value)) return pf_fail(where, name, "is a JSON number; expected a decimal string");
    if (json_is_real(value)) return pf_fail(where, name, "is a JSON float (its exact text is lost); expected a decimal string");
    if (!json_is_string(value)) return pf_fail(where, name, "is not a decimal string");
    const char *text = json_string_value(value);
    size_t length = json_string_length(value);
    if (length >= sizeof out->text) return pf_fail(where, name, "decimal text is too long");
    if (!is_decimal_text(text, length)) {
        char problem[96];
        snprintf(problem, sizeof problem, "\"%.40s\" is not a plain decimal", text);
        return pf_fail(where, name, problem);
    }
    memcpy(out->text, text, length + 1);
    return 0;
}

int pf_int(const json_t *object, const char *long_name, const char *short_name, pacifica_optional_int *out,
           int required, const pf_where *where) {
    const char *name = pf_name(long_name, short_name);
    const json_t *value = pf_member(object, long_name, short_name);
    out->value = 0;
    out->present = 0;
    int absent = missing(value, required, where, name);
    if (absent) return absent < 0 ? -1 : 0;
    if (json_is_integer(value)) {
        out->value = (int64_t)json_integer_value(value);
        out->present = 1;
        return 0;
    }
    if (json_is_string(value)) {
        /* Recorders stringify integers ("order_id": "241146145"); accept exactly digits. */
        const char *text = json_string_value(value);
        size_t length = json_string_length(value), i = text[0] == '-' ? 1 : 0;
        if (length > i && length - i <= 18) {
            int digits_only = 1;
            for (size_t k = i; k < length; k++) digits_only &= text[k] >= '0' && text[k] <= '9';
            if (digits_only) {
                out->value = strtoll(text, NULL, 10);
                out->present = 1;
                return 0;
            }
        }
        return pf_fail(where, name, "is a string that is not an integer");
    }
    return pf_fail(where, name, "is not an integer");
}

int pf_bool(const json_t *object, const char *long_name, const char *short_name, int *out, int required,
            const pf_where *where) {
    const char *name = pf_name(long_name, short_name);
    const json_t *value = pf_member(object, long_name, short_name);
    *out = 0;
    int absent = missing(value, required, where, name);
    if (absent) return absent < 0 ? -1 : 0;
    if (!json_is_boolean(value)) return pf_fail(where, name, "is not true or false");
    *out = json_is_true(value);
    return 0;
}

int pf_text(const json_t *object, const char *long_name, const char *short_name, char *out, size_t cap,
            int required, const pf_where *where) {
    const char *name = pf_name(long_name, short_name);
    const json_t *value = pf_member(object, long_name, short_name);
    out[0] = '\0';
    int absent = missing(value, required, where, name);
    if (absent) return absent < 0 ? -1 : 0;
    if (!json_is_string(value)) return pf_fail(where, name, "is not a string");
    size_t length = json_string_length(value);
    if (length >= cap) return pf_fail(where, name, "is too long");
    memcpy(out, json_string_value(value), length + 1);
    return 0;
}

int pf_side(const json_t *object, const char *long_name, const char *short_name, pacifica_side *out, int required,
            const pf_where *where) {
    char text[16];
    *out = PACIFICA_SIDE_NONE;
    if (pf_text(object, long_name, short_name, text, sizeof text, required, where) != 0) return -1;
    if (!text[0]) return 0;
    if (!strcmp(text, "bid") || !strcmp(text, "buy") || !strcmp(text, "long")) *out = PACIFICA_SIDE_BID;
    else if (!strcmp(text, "ask") || !strcmp(text, "sell") || !strcmp(text, "short")) *out = PACIFICA_SIDE_ASK;
    else return pf_fail(where, pf_name(long_name, short_name), "is not \"bid\" or \"ask\"");
    return 0;
}

int pf_alloc_items(void **items, size_t count, size_t size, const pf_where *where) {
    *items = NULL;
    if (count == 0) return 0;
    *items = calloc(count, size);
    if (!*items) return pf_fail(where, NULL, "out of memory");
    return 0;
}

int pf_list(const json_t *data, size_t *count, const pf_where *where) {
    *count = json_is_array(data) ? json_array_size(data) : 0;
    if (json_is_array(data)) return 0;
    return pf_fail(where, NULL, !data || json_is_null(data) ? "no data" : "is not a list");
}
