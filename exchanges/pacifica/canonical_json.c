/* Canonical and compact JSON writers for Pacifica (see canonical_json.h). */
#include "exchanges/pacifica/canonical_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where in the value the writer is, for error messages ("data.take_profit.stop_price"). The
 * segments are only pointers and indexes; the text is rendered when a message needs it, so the
 * signing hot path never formats a path it will not print. */
#define JSON_PATH_SEGMENTS (PACIFICA_JSON_MAX_DEPTH + 4)

struct json_path {
    const char *prefix;                 /* the caller's path_prefix, "" for none */
    struct {
        const char *key;                /* NULL: an array index */
        size_t key_length, index;
    } segments[JSON_PATH_SEGMENTS];
    size_t depth;                       /* may exceed JSON_PATH_SEGMENTS; the rest is not shown */
    char text[256];
};

static void json_path_init(struct json_path *path, const char *prefix) {
    path->prefix = prefix ? prefix : "";
    path->depth = 0;
    path->text[0] = '\0';
}

static size_t json_path_push_key(struct json_path *path, const char *key, size_t key_length) {
    size_t saved = path->depth;
    if (path->depth < JSON_PATH_SEGMENTS) {
        path->segments[path->depth].key = key;
        path->segments[path->depth].key_length = key_length;
    }
    path->depth++;
    return saved;
}

static size_t json_path_push_index(struct json_path *path, size_t index) {
    size_t saved = path->depth;
    if (path->depth < JSON_PATH_SEGMENTS) {
        path->segments[path->depth].key = NULL;
        path->segments[path->depth].index = index;
    }
    path->depth++;
    return saved;
}

static void json_path_pop(struct json_path *path, size_t saved) { path->depth = saved; }

static const char *json_path_name(struct json_path *path) {
    size_t used = 0, cap = sizeof path->text;
    int n = snprintf(path->text, cap, "%s", path->prefix);
    used = n > 0 ? (size_t)n : 0;
    size_t shown = path->depth < JSON_PATH_SEGMENTS ? path->depth : JSON_PATH_SEGMENTS;
    for (size_t i = 0; i < shown && used + 1 < cap; i++) {
        if (path->segments[i].key) {
            size_t length = path->segments[i].key_length > 64 ? 64 : path->segments[i].key_length;
            n = snprintf(path->text + used, cap - used, "%s%.*s", used ? "." : "", (int)length, path->segments[i].key);
        } else {
            n = snprintf(path->text + used, cap - used, "[%zu]", path->segments[i].index);
        }
        if (n > 0) used += (size_t)n < cap - used ? (size_t)n : cap - 1 - used;
    }
    return used ? path->text : "(top level)";
}

/* Decodes one UTF-8 sequence at bytes[*at]; returns the code point or -1 if malformed
 * (overlong forms, surrogates and values above U+10FFFF are malformed). */
static long utf8_next(const unsigned char *bytes, size_t length, size_t *at) {
    unsigned char lead = bytes[*at];
    size_t extra;
    long code, minimum;
    if (lead < 0x80) { (*at)++; return lead; }
    if ((lead & 0xE0) == 0xC0) { extra = 1; code = lead & 0x1F; minimum = 0x80; }
    else if ((lead & 0xF0) == 0xE0) { extra = 2; code = lead & 0x0F; minimum = 0x800; }
    else if ((lead & 0xF8) == 0xF0) { extra = 3; code = lead & 0x07; minimum = 0x10000; }
    else return -1;
    if (extra > length - *at - 1) return -1; /* sequence cut short by the end of the text */
    for (size_t k = 1; k <= extra; k++) {
        unsigned char next = bytes[*at + k];
        if ((next & 0xC0) != 0x80) return -1;
        code = (code << 6) | (next & 0x3F);
    }
    if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return -1;
    *at += extra + 1;
    return code;
}

static void append_unicode_escape(pacifica_text *out, unsigned code_unit) {
    static const char hex[] = "0123456789abcdef";
    char escape[6] = {'\\', 'u', hex[(code_unit >> 12) & 0xF], hex[(code_unit >> 8) & 0xF],
                      hex[(code_unit >> 4) & 0xF], hex[code_unit & 0xF]};
    pacifica_text_append(out, escape, sizeof escape);
}

static int write_string_at(pacifica_text *out, const char *text, size_t length, unsigned flags,
                           struct json_path *path, char *err, size_t errcap) {
    const unsigned char *bytes = (const unsigned char *)text;
    pacifica_text_append_char(out, '"');
    size_t at = 0;
    while (at < length) {
        /* Runs of plain printable characters are copied in one go. */
        size_t run = at;
        while (run < length && bytes[run] >= 0x20 && bytes[run] < 0x7F && bytes[run] != '"' && bytes[run] != '\\')
            run++;
        if (run > at) {
            pacifica_text_append(out, text + at, run - at);
            at = run;
            continue;
        }
        size_t start = at;
        long code = utf8_next(bytes, length, &at);
        if (code < 0) {
            if (err) snprintf(err, errcap, "%s: invalid UTF-8 at byte %zu", json_path_name(path), start + 1);
            return -1;
        }
        if (code == '"') { pacifica_text_append(out, "\\\"", 2); continue; }
        if (code == '\\') { pacifica_text_append(out, "\\\\", 2); continue; }
        if ((flags & PACIFICA_JSON_PRINTABLE_ASCII_ONLY) && (code < 0x20 || code >= 0x7F)) {
            /* Python and JavaScript clients disagree on these characters, so the venue may
             * rebuild a different message than we signed: refuse rather than guess. */
            if (err) snprintf(err, errcap, "%s: character at position %zu is not printable ASCII "
                              "(signed text must be U+0020..U+007E)", json_path_name(path), start + 1);
            return -1;
        }
        switch (code) {
        case '\b': pacifica_text_append(out, "\\b", 2); break;
        case '\f': pacifica_text_append(out, "\\f", 2); break;
        case '\n': pacifica_text_append(out, "\\n", 2); break;
        case '\r': pacifica_text_append(out, "\\r", 2); break;
        case '\t': pacifica_text_append(out, "\\t", 2); break;
        default:
            if (code >= 0x10000) {
                long offset = code - 0x10000;
                append_unicode_escape(out, (unsigned)(0xD800 + (offset >> 10)));
                append_unicode_escape(out, (unsigned)(0xDC00 + (offset & 0x3FF)));
            } else {
                append_unicode_escape(out, (unsigned)code);
            }
        }
    }
    pacifica_text_append_char(out, '"');
    return 0;
}

struct json_member {
    const char *key;
    size_t key_length;
    json_t *value;
};

static int compare_members(const void *a, const void *b) {
    const struct json_member *left = a, *right = b;
    size_t common = left->key_length < right->key_length ? left->key_length : right->key_length;
    int order = memcmp(left->key, right->key, common);
    if (order) return order;
    /* A key that is a prefix of another sorts first. */
    return (left->key_length > right->key_length) - (left->key_length < right->key_length);
}

static int write_value(pacifica_text *out, const json_t *value, unsigned flags, int depth,
                       struct json_path *path, char *err, size_t errcap);

static int write_object(pacifica_text *out, const json_t *object, unsigned flags, int depth,
                        struct json_path *path, char *err, size_t errcap) {
    size_t count = json_object_size(object);
    struct json_member stack_members[32];
    struct json_member *members = stack_members;
    if (count > sizeof stack_members / sizeof stack_members[0]) {
        members = malloc(count * sizeof *members);
        if (!members) {
            if (err) snprintf(err, errcap, "%s: out of memory", json_path_name(path));
            return -1;
        }
    }
    size_t n = 0;
    const char *key;
    size_t key_length;
    json_t *member_value;
    json_object_keylen_foreach((json_t *)object, key, key_length, member_value) {
        members[n].key = key;
        members[n].key_length = key_length;
        members[n].value = member_value;
        n++;
    }
    if (flags & PACIFICA_JSON_SORT_KEYS) qsort(members, n, sizeof *members, compare_members);

    int rc = 0;
    pacifica_text_append_char(out, '{');
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (i) pacifica_text_append_char(out, ',');
        size_t saved = json_path_push_key(path, members[i].key, members[i].key_length);
        rc = write_string_at(out, members[i].key, members[i].key_length, flags, path, err, errcap);
        if (rc == 0) {
            pacifica_text_append_char(out, ':');
            rc = write_value(out, members[i].value, flags, depth + 1, path, err, errcap);
        }
        json_path_pop(path, saved);
    }
    if (rc == 0) pacifica_text_append_char(out, '}');
    if (members != stack_members) free(members);
    return rc;
}

static int write_value(pacifica_text *out, const json_t *value, unsigned flags, int depth,
                       struct json_path *path, char *err, size_t errcap) {
    if (depth > PACIFICA_JSON_MAX_DEPTH) {
        if (err) snprintf(err, errcap, "%s: nested deeper than %d levels", json_path_name(path),
                          PACIFICA_JSON_MAX_DEPTH);
        return -1;
    }
    switch (json_typeof(value)) {
    case JSON_OBJECT:
        return write_object(out, value, flags, depth, path, err, errcap);
    case JSON_ARRAY: {
        pacifica_text_append_char(out, '[');
        for (size_t i = 0; i < json_array_size(value); i++) {
            if (i) pacifica_text_append_char(out, ',');
            size_t saved = json_path_push_index(path, i);
            int rc = write_value(out, json_array_get(value, i), flags, depth + 1, path, err, errcap);
            json_path_pop(path, saved);
            if (rc) return rc;
        }
        pacifica_text_append_char(out, ']');
        return 0;
    }
    case JSON_STRING:
        return write_string_at(out, json_string_value(value), json_string_length(value), flags, path, err, errcap);
    case JSON_INTEGER:
        pacifica_text_append_int(out, (int64_t)json_integer_value(value));
        return 0;
    case JSON_REAL:
        if (err) snprintf(err, errcap, "%s: floating-point number not allowed in signed JSON "
                          "(send decimals as strings, integers as integers)", json_path_name(path));
        return -1;
    case JSON_TRUE:
        pacifica_text_append(out, "true", 4);
        return 0;
    case JSON_FALSE:
        pacifica_text_append(out, "false", 5);
        return 0;
    case JSON_NULL:
        pacifica_text_append(out, "null", 4);
        return 0;
    }
    if (err) snprintf(err, errcap, "%s: unknown JSON value type", json_path_name(path));
    return -1;
}

int pacifica_json_write(pacifica_text *out, const json_t *value, unsigned flags, const char *path_prefix,
                        char *err, size_t errcap) {
    struct json_path path;
    json_path_init(&path, path_prefix);
    if (!value) {
        if (err) snprintf(err, errcap, "%s: no JSON value", json_path_name(&path));
        return -1;
    }
    int rc = write_value(out, value, flags, 0, &path, err, errcap);
    if (rc == 0 && out->out_of_memory) {
        if (err) snprintf(err, errcap, "out of memory while writing JSON");
        return -1;
    }
    return rc;
}

int pacifica_canonical_json_write(pacifica_text *out, const json_t *value, char *err, size_t errcap) {
    return pacifica_json_write(out, value, PACIFICA_JSON_SORT_KEYS, NULL, err, errcap);
}

int pacifica_json_write_string(pacifica_text *out, const char *bytes, size_t length, unsigned flags,
                               char *err, size_t errcap) {
    struct json_path path;
    json_path_init(&path, "string");
    int rc = write_string_at(out, bytes, length, flags, &path, err, errcap);
    if (rc == 0 && out->out_of_memory) {
        if (err) snprintf(err, errcap, "out of memory while writing JSON");
        return -1;
    }
    return rc;
}
