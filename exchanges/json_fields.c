/* Venue-neutral member readers (see json_fields.h). */
#include "exchanges/json_fields.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Context names are hints in error messages: a very deep one is cut, never an error. */
__attribute__((format(printf, 2, 3)))
static void set_name(jfield_where *where, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    vsnprintf(where->name, sizeof where->name, fmt, args);
    va_end(args);
}

void jfield_where_init(jfield_where *where, const char *name, char *err, size_t errcap) {
    set_name(where, "%s", name);
    where->err = err;
    where->errcap = errcap;
}

void jfield_where_item(jfield_where *where, const char *list, size_t index, char *err, size_t errcap) {
    set_name(where, "%s[%zu]", list, index);
    where->err = err;
    where->errcap = errcap;
}

void jfield_where_nested_item(jfield_where *where, const jfield_where *parent, const char *list, size_t index) {
    if (parent && parent->name[0]) set_name(where, "%s.%s[%zu]", parent->name, list, index);
    else set_name(where, "%s[%zu]", list, index);
    where->err = parent ? parent->err : NULL;
    where->errcap = parent ? parent->errcap : 0;
}

void jfield_where_nested_member(jfield_where *where, const jfield_where *parent, const char *member) {
    if (parent->name[0]) set_name(where, "%s.%s", parent->name, member);
    else set_name(where, "%s", member);
    where->err = parent->err;
    where->errcap = parent->errcap;
}

int jfield_fail(const jfield_where *where, const char *member, const char *problem) {
    if (where->err && where->errcap)
        snprintf(where->err, where->errcap, "%s%s%s: %s", where->name, member && where->name[0] ? "." : "",
                 member ? member : "", problem);
    return -1;
}

int jfield_absent(const json_t *value, int required, const jfield_where *where, const char *name) {
    if (value && !json_is_null(value)) return 0;
    if (required) return jfield_fail(where, name, value ? "is null" : "is missing");
    return 1;
}

int jfield_is_plain_decimal(const char *text, size_t length) {
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

int jfield_copy_plain_decimal(const char *text, size_t length, const char *name, char *out, size_t cap,
                              const jfield_where *where) {
    if (length >= cap) return jfield_fail(where, name, "decimal text is too long");
    if (!jfield_is_plain_decimal(text, length)) {
        char problem[96];
        snprintf(problem, sizeof problem, "\"%.40s\" is not a plain decimal", text);
        return jfield_fail(where, name, problem);
    }
    memcpy(out, text, length + 1);
    return 0;
}

int jfield_int(const json_t *value, const char *name, venue_optional_int *out, int required,
               const jfield_where *where) {
    out->value = 0;
    out->present = 0;
    int a = jfield_absent(value, required, where, name);
    if (a) return a < 0 ? -1 : 0;
    if (json_is_integer(value)) {
        out->value = (int64_t)json_integer_value(value);
        out->present = 1;
        return 0;
    }
    if (json_is_string(value)) {
        const char *text = json_string_value(value);
        size_t length = json_string_length(value), sign = text[0] == '-' ? 1 : 0;
        if (length > sign && length - sign <= 18 && strspn(text + sign, "0123456789") == length - sign) {
            out->value = strtoll(text, NULL, 10);
            out->present = 1;
            return 0;
        }
        return jfield_fail(where, name, "is a string that is not an integer");
    }
    return jfield_fail(where, name, "is not an integer");
}

int jfield_bool(const json_t *value, const char *name, int *out, int required, const jfield_where *where) {
    *out = 0;
    int a = jfield_absent(value, required, where, name);
    if (a) return a < 0 ? -1 : 0;
    if (!json_is_boolean(value)) return jfield_fail(where, name, "is not true or false");
    *out = json_is_true(value);
    return 0;
}

int jfield_text(const json_t *value, const char *name, char *out, size_t cap, int required,
                const jfield_where *where) {
    out[0] = '\0';
    int a = jfield_absent(value, required, where, name);
    if (a) return a < 0 ? -1 : 0;
    if (!json_is_string(value)) return jfield_fail(where, name, "is not a string");
    size_t length = json_string_length(value);
    if (length >= cap) return jfield_fail(where, name, "is too long");
    memcpy(out, json_string_value(value), length + 1);
    return 0;
}

int jfield_alloc_items(void **items, size_t count, size_t size, const jfield_where *where) {
    *items = NULL;
    if (count == 0) return 0;
    *items = calloc(count, size);
    if (!*items) return jfield_fail(where, NULL, "out of memory");
    return 0;
}
