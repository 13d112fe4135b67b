/* Field readers for the Lighter parsers (see parse_fields.h). */
#include "exchanges/lighter/parse_fields.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchanges/lighter/json_exact.h"

void lf_where_init(lf_where *where, const char *name, char *err, size_t errcap) {
    snprintf(where->name, sizeof where->name, "%s", name);
    where->err = err;
    where->errcap = errcap;
}

void lf_where_item(lf_where *where, const char *list_name, size_t index, char *err, size_t errcap) {
    snprintf(where->name, sizeof where->name, "%s[%zu]", list_name, index);
    where->err = err;
    where->errcap = errcap;
}

int lf_fail(const lf_where *where, const char *member, const char *problem) {
    if (where->err && where->errcap)
        snprintf(where->err, where->errcap, "%s%s%s: %s", where->name, member ? "." : "", member ? member : "", problem);
    return -1;
}

/* 1: absent and optional (nothing to read); 0: present; -1: absent and required. */
static int absent(const json_t *value, int required, const lf_where *where, const char *name) {
    if (value && !json_is_null(value)) return 0;
    if (required) return lf_fail(where, name, value ? "is null" : "is missing");
    return 1;
}

int lf_decimal(const json_t *object, const char *name, lighter_decimal_text *out, int required, const lf_where *where) {
    const json_t *value = json_object_get(object, name);
    out->text[0] = '\0';
    out->present = 0;
    int a = absent(value, required, where, name);
    if (a) return a < 0 ? -1 : 0;
    if (json_is_integer(value)) {
        snprintf(out->text, sizeof out->text, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        out->present = 1;
        return 0;
    }
    if (json_is_real(value)) return lf_fail(where, name, "is a JSON float whose exact text is lost (load with lighter_json_load)");
    if (!json_is_string(value)) return lf_fail(where, name, "is not a decimal");
    const char *text = json_string_value(value);
    if (lighter_decimal_plain(text, json_string_length(value), out->text, sizeof out->text) != 0) {
        char problem[96];
        snprintf(problem, sizeof problem, "\"%.40s\" is not a decimal number", text);
        return lf_fail(where, name, problem);
    }
    out->present = 1;
    return 0;
}

int lf_int(const json_t *object, const char *name, lighter_optional_int *out, int required, const lf_where *where) {
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
        /* Recorders stringify integers ("market_id": "35"): exactly digits, at most 18 of them. */
        const char *text = json_string_value(value);
        size_t length = json_string_length(value), i = text[0] == '-' ? 1 : 0;
        int digits_only = length > i && length - i <= 18;
        for (size_t k = i; digits_only && k < length; k++) digits_only = text[k] >= '0' && text[k] <= '9';
        if (digits_only) {
            out->value = strtoll(text, NULL, 10);
            out->present = 1;
            return 0;
        }
        return lf_fail(where, name, "is a string that is not an integer");
    }
    return lf_fail(where, name, "is not an integer");
}

int lf_int_required(const json_t *object, const char *name, int64_t *out, const lf_where *where) {
    lighter_optional_int v;
    if (lf_int(object, name, &v, LF_REQUIRED, where) != 0) return -1;
    *out = v.value;
    return 0;
}

int lf_bool(const json_t *object, const char *name, int *out, int required, const lf_where *where) {
    const json_t *value = json_object_get(object, name);
    *out = 0;
    int a = absent(value, required, where, name);
    if (a) return a < 0 ? -1 : 0;
    if (json_is_boolean(value)) { *out = json_is_true(value); return 0; }
    if (json_is_integer(value) && (json_integer_value(value) == 0 || json_integer_value(value) == 1)) {
        *out = json_integer_value(value) == 1;
        return 0;
    }
    if (json_is_string(value) && (strcmp(json_string_value(value), "true") == 0 || strcmp(json_string_value(value), "false") == 0)) {
        *out = strcmp(json_string_value(value), "true") == 0;
        return 0;
    }
    return lf_fail(where, name, "is not true or false");
}

int lf_text(const json_t *object, const char *name, char *out, size_t cap, int required, const lf_where *where) {
    const json_t *value = json_object_get(object, name);
    out[0] = '\0';
    int a = absent(value, required, where, name);
    if (a) return a < 0 ? -1 : 0;
    if (json_is_integer(value)) {
        snprintf(out, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        return 0;
    }
    if (!json_is_string(value)) return lf_fail(where, name, "is not a string");
    if (json_string_length(value) >= cap) return lf_fail(where, name, "is too long");
    memcpy(out, json_string_value(value), json_string_length(value) + 1);
    return 0;
}

const json_t *lf_array(const json_t *object, const char *name, const lf_where *where) {
    const json_t *value = json_object_get(object, name);
    if (!value) { lf_fail(where, name, "is missing"); return NULL; }
    if (!json_is_array(value)) { lf_fail(where, name, json_is_null(value) ? "is null, not a list" : "is not a list"); return NULL; }
    return value;
}

int lf_alloc(void **items, size_t count, size_t size, const lf_where *where) {
    *items = NULL;
    if (count == 0) return 0;
    *items = calloc(count, size);
    if (!*items) return lf_fail(where, NULL, "out of memory");
    return 0;
}

long lf_grouped_count(const json_t *value) {
    if (json_is_array(value)) return (long)json_array_size(value);
    if (!json_is_object(value)) return -1;
    long total = 0;
    const char *key;
    json_t *member;
    json_object_foreach((json_t *)value, key, member) {
        if (!json_is_array(member)) return -1;
        total += (long)json_array_size(member);
    }
    return total;
}
