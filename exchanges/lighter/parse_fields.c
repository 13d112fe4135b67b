/* Field readers for the Lighter parsers (see parse_fields.h). */
#include "exchanges/lighter/parse_fields.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchanges/lighter/json_exact.h"

int lf_decimal(const json_t *object, const char *name, lighter_decimal_text *out, int required, const jfield_where *where) {
    const json_t *value = json_object_get(object, name);
    out->text[0] = '\0';
    out->present = 0;
    int a = jfield_absent(value, required, where, name);
    if (a) return a < 0 ? -1 : 0;
    if (json_is_integer(value)) {
        snprintf(out->text, sizeof out->text, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        out->present = 1;
        return 0;
    }
    if (json_is_real(value)) return jfield_fail(where, name, "is a JSON float whose exact text is lost (load with lighter_json_load)");
    if (!json_is_string(value)) return jfield_fail(where, name, "is not a decimal");
    const char *text = json_string_value(value);
    if (lighter_decimal_plain(text, json_string_length(value), out->text, sizeof out->text) != 0) {
        char problem[96];
        snprintf(problem, sizeof problem, "\"%.40s\" is not a decimal number", text);
        return jfield_fail(where, name, problem);
    }
    out->present = 1;
    return 0;
}

int lf_int(const json_t *object, const char *name, lighter_optional_int *out, int required, const jfield_where *where) {
    return jfield_int(json_object_get(object, name), name, out, required, where);
}

int lf_int_required(const json_t *object, const char *name, int64_t *out, const jfield_where *where) {
    lighter_optional_int v;
    if (lf_int(object, name, &v, JFIELD_REQUIRED, where) != 0) return -1;
    *out = v.value;
    return 0;
}

int lf_bool(const json_t *object, const char *name, int *out, int required, const jfield_where *where) {
    const json_t *value = json_object_get(object, name);
    *out = 0;
    int a = jfield_absent(value, required, where, name);
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
    return jfield_fail(where, name, "is not true or false");
}

int lf_text(const json_t *object, const char *name, char *out, size_t cap, int required, const jfield_where *where) {
    const json_t *value = json_object_get(object, name);
    if (json_is_integer(value)) {
        snprintf(out, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        return 0;
    }
    return jfield_text(value, name, out, cap, required, where);
}

const json_t *lf_array(const json_t *object, const char *name, const jfield_where *where) {
    const json_t *value = json_object_get(object, name);
    if (!value) { jfield_fail(where, name, "is missing"); return NULL; }
    if (!json_is_array(value)) { jfield_fail(where, name, json_is_null(value) ? "is null, not a list" : "is not a list"); return NULL; }
    return value;
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
