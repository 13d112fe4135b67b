/* Growable text buffer (see text.h). */
#include "exchanges/edgex/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void edgex_text_init(edgex_text *t) {
    t->data = NULL;
    t->len = t->cap = 0;
    t->failed = 0;
}

void edgex_text_free(edgex_text *t) {
    free(t->data);
    edgex_text_init(t);
}

void edgex_text_reset(edgex_text *t) {
    t->len = 0;
    t->failed = 0;
    if (t->data) t->data[0] = '\0';
}

static int reserve(edgex_text *t, size_t extra) {
    if (t->failed) return -1;
    if (t->len + extra + 1 <= t->cap) return 0;
    size_t cap = t->cap ? t->cap : 256;
    while (cap < t->len + extra + 1) cap *= 2;
    char *p = realloc(t->data, cap);
    if (!p) {
        t->failed = 1;
        return -1;
    }
    t->data = p;
    t->cap = cap;
    return 0;
}

void edgex_text_append(edgex_text *t, const char *s, size_t n) {
    if (reserve(t, n) != 0) return;
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

void edgex_text_puts(edgex_text *t, const char *s) { edgex_text_append(t, s, strlen(s)); }

void edgex_text_putc(edgex_text *t, char c) { edgex_text_append(t, &c, 1); }

void edgex_text_json_string(edgex_text *t, const char *s) {
    edgex_text_putc(t, '"');
    const char *run = s;
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c != 0 && c != '"' && c != '\\' && c >= 0x20) continue;
        edgex_text_append(t, run, (size_t)(p - run));
        if (c == 0) break;
        char esc[7];
        switch (c) {
        case '"': edgex_text_puts(t, "\\\""); break;
        case '\\': edgex_text_puts(t, "\\\\"); break;
        case '\b': edgex_text_puts(t, "\\b"); break;
        case '\f': edgex_text_puts(t, "\\f"); break;
        case '\n': edgex_text_puts(t, "\\n"); break;
        case '\r': edgex_text_puts(t, "\\r"); break;
        case '\t': edgex_text_puts(t, "\\t"); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            edgex_text_puts(t, esc);
        }
        run = p + 1;
    }
    edgex_text_putc(t, '"');
}

const char *edgex_text_str(const edgex_text *t) { return t->data && t->len ? t->data : ""; }
