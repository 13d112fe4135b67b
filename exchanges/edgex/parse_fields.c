/* Member readers for the edgeX parsers (see parse_fields.h). */
#include "exchanges/edgex/parse_fields.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Context names are hints in error messages: a very deep one is cut, never an error. */
__attribute__((format(printf, 2, 3)))
static void set_name(edgex_where *where, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    vsnprintf(where->name, sizeof where->name, fmt, args);
    va_end(args);
}

void edgex_where_init(edgex_where *where, const char *name, char *err, size_t errcap) {
    set_name(where, "%s", name);
    where->err = err;
    where->errcap = errcap;
}

void edgex_where_item(edgex_where *where, const edgex_where *parent, const char *list, size_t index) {
    if (parent && parent->name[0]) set_name(where, "%s.%s[%zu]", parent->name, list, index);
    else set_name(where, "%s[%zu]", list, index);
    where->err = parent ? parent->err : NULL;
    where->errcap = parent ? parent->errcap : 0;
}

void edgex_where_member(edgex_where *where, const edgex_where *parent, const char *member) {
    if (parent->name[0]) set_name(where, "%s.%s", parent->name, member);
    else set_name(where, "%s", member);
    where->err = parent->err;
    where->errcap = parent->errcap;
}

int edgex_field_fail(const edgex_where *where, const char *member, const char *problem) {
    if (where->err && where->errcap)
        snprintf(where->err, where->errcap, "%s%s%s: %s", where->name, member && where->name[0] ? "." : "",
                 member ? member : "", problem);
    return -1;
}

int edgex_is_decimal_text(const char *text, size_t length) {
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

/* 0 = present, 1 = absent (optional), -1 = error (required and absent). */
static int absent(const json_t *value, int required, const edgex_where *where, const char *name) {
    if (value && !json_is_null(value)) return 0;
    if (required) return edgex_field_fail(where, name, value ? "is null" : "is missing");
    return 1;
}

/* The refusal for a JSON number where edgeX sends a string. */
static int number_instead_of_string(const edgex_where *where, const char *name, const json_t *value, const char *what) {
    char problem[96];
    snprintf(problem, sizeof problem, "is a JSON %s; edgeX sends %s as a string", json_is_real(value) ? "float" : "number", what);
    return edgex_field_fail(where, name, problem);
}

int edgex_field_decimal(const json_t *object, const char *name, edgex_decimal_text *out, int required,
                        const edgex_where *where) {
    return edgex_value_decimal(json_object_get(object, name), name, out, required, where);
}

int edgex_value_decimal(const json_t *value, const char *name, edgex_decimal_text *out, int required,
                        const edgex_where *where) {
    out->text[0] = '\0';
    out->state = EDGEX_VALUE_ABSENT;
    int a = absent(value, required, where, name);
    if (a) return a < 0 ? -1 : 0;
    if (json_is_number(value)) return number_instead_of_string(where, name, value, "decimals");
    if (!json_is_string(value)) return edgex_field_fail(where, name, "is not a decimal string");
    const char *text = json_string_value(value);
    size_t length = json_string_length(value);
    if (length == 0) {
        if (required) return edgex_field_fail(where, name, "is empty");
        out->state = EDGEX_VALUE_EMPTY;
        return 0;
    }
    if (length >= sizeof out->text) return edgex_field_fail(where, name, "decimal text is too long");
    if (!edgex_is_decimal_text(text, length)) {
        char problem[96];
        snprintf(problem, sizeof problem, "\"%.40s\" is not a plain decimal", text);
        return edgex_field_fail(where, name, problem);
    }
    memcpy(out->text, text, length + 1);
    out->state = EDGEX_VALUE_SET;
    return 0;
}

int edgex_field_id(const json_t *object, const char *name, edgex_id_text *out, int required, const edgex_where *where) {
    const json_t *value = json_object_get(object, name);
    out->text[0] = '\0';
    int a = absent(value, required, where, name);
    if (a) return a < 0 ? -1 : 0;
    /* Ids above 2^53 lose digits in a double; the venue never sends them as numbers. */
    if (json_is_number(value)) return number_instead_of_string(where, name, value, "ids");
    if (!json_is_string(value)) return edgex_field_fail(where, name, "is not an id string");
    const char *text = json_string_value(value);
    size_t length = json_string_length(value);
    if (length == 0) return required ? edgex_field_fail(where, name, "is empty") : 0;
    if (length > 20 || strspn(text, "0123456789") != length) {
        char problem[96];
        snprintf(problem, sizeof problem, "\"%.40s\" is not a decimal id", text);
        return edgex_field_fail(where, name, problem);
    }
    memcpy(out->text, text, length + 1);
    return 0;
}

int edgex_field_int(const json_t *object, const char *name, edgex_optional_int *out, int required,
                    const edgex_where *where) {
    const json_t *value = json_object_get(object, name);
    out->value = 0;
    out->present = 0;
    int a = absent(value, required, where, name);
    if (a) return a < 0 ? -1 : 0;
    if (json_is_integer(value)) {
        out->value = (int64_t)json_integer_value(value);
        out->present = 1;
        return 0;
    }
    if (json_is_string(value)) {
        const char *text = json_string_value(value);
        size_t length = json_string_length(value), sign = text[0] == '-' ? 1 : 0;
        if (length == 0) return required ? edgex_field_fail(where, name, "is empty") : 0;
        /* 18 digits always fit int64: millisecond times have 13, counts fewer. */
        if (length > sign && length - sign <= 18 && strspn(text + sign, "0123456789") == length - sign) {
            out->value = strtoll(text, NULL, 10);
            out->present = 1;
            return 0;
        }
        return edgex_field_fail(where, name, "is a string that is not an integer");
    }
    return edgex_field_fail(where, name, "is not an integer");
}

int edgex_field_bool(const json_t *object, const char *name, int *out, int required, const edgex_where *where) {
    const json_t *value = json_object_get(object, name);
    *out = 0;
    int a = absent(value, required, where, name);
    if (a) return a < 0 ? -1 : 0;
    if (!json_is_boolean(value)) return edgex_field_fail(where, name, "is not true or false");
    *out = json_is_true(value);
    return 0;
}

int edgex_field_text(const json_t *object, const char *name, char *out, size_t cap, int required,
                     const edgex_where *where) {
    const json_t *value = json_object_get(object, name);
    out[0] = '\0';
    int a = absent(value, required, where, name);
    if (a) return a < 0 ? -1 : 0;
    if (!json_is_string(value)) return edgex_field_fail(where, name, "is not a string");
    size_t length = json_string_length(value);
    if (length >= cap) return edgex_field_fail(where, name, "is too long");
    memcpy(out, json_string_value(value), length + 1);
    return 0;
}

int edgex_field_hex(const json_t *object, const char *name, char *out, size_t cap, int required,
                    const edgex_where *where) {
    if (edgex_field_text(object, name, out, cap, required, where) != 0) return -1;
    size_t length = strlen(out);
    if (length == 0) return required ? edgex_field_fail(where, name, "is empty") : 0;
    if (length < 3 || out[0] != '0' || (out[1] != 'x' && out[1] != 'X') ||
        strspn(out + 2, "0123456789abcdefABCDEF") != length - 2) {
        char problem[96];
        snprintf(problem, sizeof problem, "\"%.40s\" is not 0x-prefixed hex", out);
        out[0] = '\0';
        return edgex_field_fail(where, name, problem);
    }
    return 0;
}

int edgex_field_side(const json_t *object, const char *name, edgex_wire_side *out, int required,
                     const edgex_where *where) {
    char text[24];
    *out = EDGEX_WIRE_SIDE_NONE;
    if (edgex_field_text(object, name, text, sizeof text, required, where) != 0) return -1;
    if (!text[0]) return required ? edgex_field_fail(where, name, "is empty") : 0;
    if (strcasecmp(text, "BUY") == 0) *out = EDGEX_WIRE_BUY;
    else if (strcasecmp(text, "SELL") == 0) *out = EDGEX_WIRE_SELL;
    /* Unused TP/SL legs say UNKNOWN_ORDER_SIDE: no side, not an error. */
    else if (strncmp(text, "UNKNOWN", 7) != 0) return edgex_field_fail(where, name, "is not BUY or SELL");
    return 0;
}

int edgex_field_list(const json_t *value, const char *name, size_t *count, int required, const edgex_where *where) {
    *count = 0;
    if (!value || json_is_null(value)) return required ? edgex_field_fail(where, name, value ? "is null" : "is missing") : 0;
    if (!json_is_array(value)) return edgex_field_fail(where, name, "is not a list");
    *count = json_array_size(value);
    return 0;
}

int edgex_alloc_items(void **items, size_t count, size_t size, const edgex_where *where) {
    *items = NULL;
    if (count == 0) return 0;
    *items = calloc(count, size);
    if (!*items) return edgex_field_fail(where, NULL, "out of memory");
    return 0;
}

int edgex_parse_list_of(const json_t *data, const char *name, const edgex_where *parent, int required, void **items,
                        size_t *count, size_t size, edgex_item_parser parse_item, edgex_item_release free_item,
                        char *err, size_t errcap) {
    edgex_where where;
    if (parent) where = *parent;
    else edgex_where_init(&where, "", err, errcap);
    *items = NULL;
    *count = 0;
    size_t n;
    if (edgex_field_list(data, name, &n, required, &where) != 0 || edgex_alloc_items(items, n, size, &where) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        edgex_where at;
        edgex_where_item(&at, &where, name, i);
        const json_t *element = json_array_get(data, i);
        void *item = (char *)*items + i * size;
        int rc = json_is_object(element) ? parse_item(element, item, &at) : edgex_field_fail(&at, NULL, "is not an object");
        if (rc != 0) {
            if (free_item)
                for (size_t k = 0; k <= i; k++) free_item((char *)*items + k * size);
            free(*items);
            *items = NULL;
            return -1;
        }
    }
    *count = n;
    return 0;
}
