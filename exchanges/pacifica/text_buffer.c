/* Growable text buffer (see text_buffer.h). */
#include "exchanges/pacifica/text_buffer.h"

#include <stdlib.h>
#include <string.h>

void pacifica_text_init(pacifica_text *text) {
    text->data = NULL;
    text->length = 0;
    text->capacity = 0;
    text->out_of_memory = 0;
}

void pacifica_text_reset(pacifica_text *text) {
    text->length = 0;
    text->out_of_memory = 0;
    if (text->data) text->data[0] = '\0';
}

void pacifica_text_free(pacifica_text *text) {
    free(text->data);
    pacifica_text_init(text);
}

static int pacifica_text_reserve(pacifica_text *text, size_t extra) {
    if (text->out_of_memory) return 0;
    if (extra > SIZE_MAX / 2 - text->length) { text->out_of_memory = 1; return 0; }
    size_t need = text->length + extra + 1;
    if (need <= text->capacity) return 1;
    size_t grown = text->capacity ? text->capacity : 256;
    while (grown < need) grown *= 2;
    char *bigger = realloc(text->data, grown);
    if (!bigger) { text->out_of_memory = 1; return 0; }
    text->data = bigger;
    text->capacity = grown;
    return 1;
}

void pacifica_text_append(pacifica_text *text, const char *bytes, size_t length) {
    if (!pacifica_text_reserve(text, length)) return;
    if (length) memcpy(text->data + text->length, bytes, length);
    text->length += length;
    text->data[text->length] = '\0';
}

void pacifica_text_append_cstr(pacifica_text *text, const char *cstr) {
    pacifica_text_append(text, cstr, strlen(cstr));
}

void pacifica_text_append_char(pacifica_text *text, char c) {
    if (!pacifica_text_reserve(text, 1)) return;
    text->data[text->length++] = c;
    text->data[text->length] = '\0';
}

void pacifica_text_append_int(pacifica_text *text, int64_t value) {
    /* Written by hand rather than with snprintf: this runs for every timestamp of every
     * signed request and the format is fixed (plain decimal, optional '-'). */
    char digits[24];
    size_t n = 0;
    uint64_t magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    do {
        digits[n++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    if (value < 0) digits[n++] = '-';
    if (!pacifica_text_reserve(text, n)) return;
    while (n) text->data[text->length++] = digits[--n];
    text->data[text->length] = '\0';
}

char *pacifica_text_take(pacifica_text *text) {
    char *bytes = text->data;
    if (!bytes) {
        bytes = malloc(1);
        if (bytes) bytes[0] = '\0';
    }
    pacifica_text_init(text);
    return bytes;
}
