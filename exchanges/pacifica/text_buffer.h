/* A growable byte buffer for the JSON texts the Pacifica signer produces (signed message,
 * request body, WebSocket envelope). Appends never fail loudly: an allocation failure sets
 * out_of_memory and later appends do nothing, so a writer checks once at the end.
 * Reusing one buffer (pacifica_text_reset) keeps the signing hot path free of allocations. */
#ifndef HEDGE_EXCHANGES_PACIFICA_TEXT_BUFFER_H
#define HEDGE_EXCHANGES_PACIFICA_TEXT_BUFFER_H

#include <stddef.h>
#include <stdint.h>

typedef struct pacifica_text {
    char *data;          /* always NUL-terminated once anything was appended */
    size_t length;
    size_t capacity;
    int out_of_memory;
} pacifica_text;

#define PACIFICA_TEXT_INIT {NULL, 0, 0, 0}

void pacifica_text_init(pacifica_text *text);
void pacifica_text_reset(pacifica_text *text);   /* length 0, memory kept */
void pacifica_text_free(pacifica_text *text);
void pacifica_text_append(pacifica_text *text, const char *bytes, size_t length);
void pacifica_text_append_cstr(pacifica_text *text, const char *cstr);
void pacifica_text_append_char(pacifica_text *text, char c);
void pacifica_text_append_int(pacifica_text *text, int64_t value);
/* Hands the bytes to the caller (who frees them) and leaves text empty. */
char *pacifica_text_take(pacifica_text *text);

#endif
