/* Member readers for the edgeX parsers (see parse_fields.h). */
#include "exchanges/edgex/parse_fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The refusal for a JSON number where edgeX sends a string. */
static int number_instead_of_string(const jfield_where *where, const char *name, const json_t *value, const char *what) {
    char problem[96];
    snprintf(problem, sizeof problem, "is a JSON %s; edgeX sends %s as a string", json_is_real(value) ? "float" : "number", what);
    return jfield_fail(where, name, problem);
}

int edgex_field_decimal(const json_t *object, const char *name, edgex_decimal_text *out, int required,
                        const jfield_where *where) {
    return edgex_value_decimal(json_object_get(object, name), name, out, required, where);
}

int edgex_value_decimal(const json_t *value, const char *name, edgex_decimal_text *out, int required,
                        const jfield_where *where) {
    out->text[0] = '\0';
    out->state = EDGEX_VALUE_ABSENT;
    int a = jfield_absent(value, required, where, name);
    if (a) return a < 0 ? -1 : 0;
    if (json_is_number(value)) return number_instead_of_string(where, name, value, "decimals");
    if (!json_is_string(value)) return jfield_fail(where, name, "is not a decimal string");
    const char *text = json_string_value(value);
    size_t length = json_string_length(value);
    if (length == 0) {
        if (required) return jfield_fail(where, name, "is empty");
        out->state = EDGEX_VALUE_EMPTY;
        return 0;
    }
    if (jfield_copy_plain_decimal(text, length, name, out->text, sizeof out->text, where) != 0) return -1;
    out->state = EDGEX_VALUE_SET;
    return 0;
}

int edgex_field_id(const json_t *object, const char *name, edgex_id_text *out, int required, const jfield_where *where) {
    const json_t *value = json_object_get(object, name);
    out->text[0] = '\0';
    int a = jfield_absent(value, required, where, name);
    if (a) return a < 0 ? -1 : 0;
    /* Ids above 2^53 lose digits in a double; the venue never sends them as numbers. */
    if (json_is_number(value)) return number_instead_of_string(where, name, value, "ids");
    if (!json_is_string(value)) return jfield_fail(where, name, "is not an id string");
    const char *text = json_string_value(value);
    size_t length = json_string_length(value);
    if (length == 0) return required ? jfield_fail(where, name, "is empty") : 0;
    if (length > 20 || strspn(text, "0123456789") != length) {
        char problem[96];
        snprintf(problem, sizeof problem, "\"%.40s\" is not a decimal id", text);
        return jfield_fail(where, name, problem);
    }
    memcpy(out->text, text, length + 1);
    return 0;
}

int edgex_field_int(const json_t *object, const char *name, edgex_optional_int *out, int required,
                    const jfield_where *where) {
    const json_t *value = json_object_get(object, name);
    /* edgeX writes "" for an unset time or count: absent, not a malformed integer. */
    if (json_is_string(value) && json_string_length(value) == 0) {
        out->value = 0;
        out->present = 0;
        return required ? jfield_fail(where, name, "is empty") : 0;
    }
    return jfield_int(value, name, out, required, where);
}

int edgex_field_bool(const json_t *object, const char *name, int *out, int required, const jfield_where *where) {
    return jfield_bool(json_object_get(object, name), name, out, required, where);
}

int edgex_field_text(const json_t *object, const char *name, char *out, size_t cap, int required,
                     const jfield_where *where) {
    return jfield_text(json_object_get(object, name), name, out, cap, required, where);
}

int edgex_field_hex(const json_t *object, const char *name, char *out, size_t cap, int required,
                    const jfield_where *where) {
    if (edgex_field_text(object, name, out, cap, required, where) != 0) return -1;
    size_t length = strlen(out);
    if (length == 0) return required ? jfield_fail(where, name, "is empty") : 0;
    if (length < 3 || out[0] != '0' || (out[1] != 'x' && out[1] != 'X') ||
        strspn(out + 2, "0123456789abcdefABCDEF") != length - 2) {
        char problem[96];
        snprintf(problem, sizeof problem, "\"%.40s\" is not 0x-prefixed hex", out);
        out[0] = '\0';
        return jfield_fail(where, name, problem);
    }
    return 0;
}

int edgex_field_side(const json_t *object, const char *name, edgex_wire_side *out, int required,
                     const jfield_where *where) {
    char text[24];
    *out = EDGEX_WIRE_SIDE_NONE;
    if (edgex_field_text(object, name, text, sizeof text, required, where) != 0) return -1;
    if (!text[0]) return required ? jfield_fail(where, name, "is empty") : 0;
    if (strcasecmp(text, "BUY") == 0) *out = EDGEX_WIRE_BUY;
    else if (strcasecmp(text, "SELL") == 0) *out = EDGEX_WIRE_SELL;
    /* Unused TP/SL legs say UNKNOWN_ORDER_SIDE: no side, not an error. */
    else if (strncmp(text, "UNKNOWN", 7) != 0) return jfield_fail(where, name, "is not BUY or SELL");
    return 0;
}

int edgex_field_list(const json_t *value, const char *name, size_t *count, int required, const jfield_where *where) {
    *count = 0;
    if (!value || json_is_null(value)) return required ? jfield_fail(where, name, value ? "is null" : "is missing") : 0;
    if (!json_is_array(value)) return jfield_fail(where, name, "is not a list");
    *count = json_array_size(value);
    return 0;
}

int edgex_parse_list_of(const json_t *data, const char *name, const jfield_where *parent, int required, void **items,
                        size_t *count, size_t size, edgex_item_parser parse_item, edgex_item_release free_item,
                        char *err, size_t errcap) {
    jfield_where where;
    if (parent) where = *parent;
    else jfield_where_init(&where, "", err, errcap);
    *items = NULL;
    *count = 0;
    size_t n;
    if (edgex_field_list(data, name, &n, required, &where) != 0 || jfield_alloc_items(items, n, size, &where) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        jfield_where at;
        jfield_where_nested_item(&at, &where, name, i);
        const json_t *element = json_array_get(data, i);
        void *item = (char *)*items + i * size;
        int rc = json_is_object(element) ? parse_item(element, item, &at) : jfield_fail(&at, NULL, "is not an object");
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
