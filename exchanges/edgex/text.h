/* A growable byte string for request bodies and signed strings, with the JSON string escaping
 * the bodies need. An allocation failure is remembered (failed = 1) and reported once by the
 * caller instead of being checked after every append. */
#ifndef HEDGE_EXCHANGES_EDGEX_TEXT_H
#define HEDGE_EXCHANGES_EDGEX_TEXT_H

#include <stddef.h>

typedef struct edgex_text {
    char *data;      /* NUL-terminated when len > 0 or after edgex_text_reset */
    size_t len, cap;
    int failed;
} edgex_text;

void edgex_text_init(edgex_text *t);
void edgex_text_free(edgex_text *t);
void edgex_text_reset(edgex_text *t);   /* keeps the allocation */
void edgex_text_append(edgex_text *t, const char *s, size_t n);
void edgex_text_puts(edgex_text *t, const char *s);
void edgex_text_putc(edgex_text *t, char c);
/* "..." with JSON escapes (\" \\ \b \f \n \r \t, \u00XX for other control characters);
 * other bytes, UTF-8 included, are copied as they are, as JSON.stringify does. */
void edgex_text_json_string(edgex_text *t, const char *s);
/* Returns the string (never NULL; "" when empty). */
const char *edgex_text_str(const edgex_text *t);

#endif
