/* Parameter rendering for request signatures (see request_render.h). */
#include "exchanges/edgex/request_render.h"

#include <stdlib.h>
#include <string.h>

static int safe_char(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-' || c == ',';
}

static int safe_text(const char *s) {
    for (; *s; s++)
        if (!safe_char((unsigned char)*s)) return 0;
    return 1;
}

static int compare_params(const void *a, const void *b) {
    return strcmp(((const edgex_query_param *)a)->name, ((const edgex_query_param *)b)->name);
}

int edgex_render_query(edgex_text *out, const edgex_query_param *params, size_t count, int keep_empty,
                       edgex_error *err) {
    edgex_text_reset(out);
    if (count == 0) return EDGEX_OK;
    edgex_query_param *sorted = malloc(count * sizeof *sorted);
    if (!sorted) return edgex_fail(err, EDGEX_E_BUFFER, "out of memory rendering the query");
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        const char *name = params[i].name, *value = params[i].value;
        if (!name || !*name || !safe_text(name)) {
            free(sorted);
            return edgex_fail(err, EDGEX_E_INPUT, "query parameter %zu: the name must be made of A-Z a-z 0-9 . _ - ,", i + 1);
        }
        if (!value) value = "";
        if (!safe_text(value)) {
            free(sorted);
            return edgex_fail(err, EDGEX_E_INPUT,
                              "query parameter %s: the value must be made of A-Z a-z 0-9 . _ - , (other characters "
                              "are signed differently by the SDKs)", name);
        }
        if (!*value && !keep_empty) continue;
        sorted[n].name = name;
        sorted[n].value = value;
        n++;
    }
    qsort(sorted, n, sizeof *sorted, compare_params);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(sorted[i - 1].name, sorted[i].name) == 0) {
            const char *dup = sorted[i].name;
            free(sorted);
            edgex_text_reset(out);
            return edgex_fail(err, EDGEX_E_INPUT, "query parameter %s appears twice", dup);
        }
        if (i) edgex_text_putc(out, '&');
        edgex_text_puts(out, sorted[i].name);
        edgex_text_putc(out, '=');
        edgex_text_puts(out, sorted[i].value);
    }
    free(sorted);
    if (out->failed) return edgex_fail(err, EDGEX_E_BUFFER, "out of memory rendering the query");
    return EDGEX_OK;
}

static int compare_keys(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static int render_value(edgex_text *out, const json_t *v, const char *where, int depth, edgex_error *err);

static int render_object(edgex_text *out, const json_t *obj, int depth, edgex_error *err) {
    size_t count = json_object_size(obj);
    if (count == 0) return EDGEX_OK;
    const char **keys = malloc(count * sizeof *keys);
    if (!keys) return edgex_fail(err, EDGEX_E_BUFFER, "out of memory rendering the body");
    size_t n = 0;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value) keys[n++] = key;
    qsort(keys, n, sizeof *keys, compare_keys);
    int rc = EDGEX_OK;
    for (size_t i = 0; i < n && rc == EDGEX_OK; i++) {
        if (i) edgex_text_putc(out, '&');
        edgex_text_puts(out, keys[i]);
        edgex_text_putc(out, '=');
        rc = render_value(out, json_object_get(obj, keys[i]), keys[i], depth + 1, err);
    }
    free(keys);
    return rc;
}

static int render_value(edgex_text *out, const json_t *v, const char *where, int depth, edgex_error *err) {
    if (depth > 16) return edgex_fail(err, EDGEX_E_INPUT, "body field %s is nested too deeply", where);
    switch (json_typeof(v)) {
    case JSON_OBJECT: return render_object(out, v, depth, err);
    case JSON_ARRAY: {
        size_t i;
        json_t *item;
        json_array_foreach((json_t *)v, i, item) {
            if (i) edgex_text_putc(out, '&');
            int rc = render_value(out, item, where, depth + 1, err);
            if (rc) return rc;
        }
        return EDGEX_OK;
    }
    case JSON_STRING: edgex_text_append(out, json_string_value(v), json_string_length(v)); return EDGEX_OK;
    case JSON_TRUE: edgex_text_puts(out, "true"); return EDGEX_OK;
    case JSON_FALSE: edgex_text_puts(out, "false"); return EDGEX_OK;
    case JSON_NULL: return EDGEX_OK;
    default:
        return edgex_fail(err, EDGEX_E_INPUT, "body field %s is a JSON number: send numbers as strings", where);
    }
}

int edgex_render_json_body(edgex_text *out, const json_t *body, edgex_error *err) {
    edgex_text_reset(out);
    if (!json_is_object(body)) return edgex_fail(err, EDGEX_E_INPUT, "request body must be a JSON object");
    int rc = render_object(out, body, 0, err);
    if (rc == EDGEX_OK && out->failed) rc = edgex_fail(err, EDGEX_E_BUFFER, "out of memory rendering the body");
    if (rc) edgex_text_reset(out);
    return rc;
}

int edgex_check_method_and_path(const char *method, const char *path, edgex_error *err) {
    if (!method || !*method) return edgex_fail(err, EDGEX_E_INPUT, "method is empty");
    for (const char *p = method; *p; p++)
        if (*p < 'A' || *p > 'Z') return edgex_fail(err, EDGEX_E_INPUT, "method must be upper case (GET, POST)");
    if (!path || path[0] != '/') return edgex_fail(err, EDGEX_E_INPUT, "path must start with /");
    for (const char *p = path; *p; p++)
        if (*p == '?' || *p == '#' || (unsigned char)*p <= ' ')
            return edgex_fail(err, EDGEX_E_INPUT, "path must not contain a query, fragment or whitespace");
    return EDGEX_OK;
}

int edgex_request_target(edgex_text *out, const char *path, const char *rendered_query, edgex_error *err) {
    edgex_text_reset(out);
    edgex_text_puts(out, path);
    if (rendered_query && *rendered_query) {
        edgex_text_putc(out, '?');
        edgex_text_puts(out, rendered_query);
    }
    if (out->failed) return edgex_fail(err, EDGEX_E_BUFFER, "out of memory building the request target");
    return EDGEX_OK;
}
