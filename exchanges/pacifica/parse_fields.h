/* Field readers shared by the Pacifica parsers (internal to exchanges/pacifica/parse_*.c).
 *
 * Each reader looks a member up by its long REST name or its short WebSocket name (either
 * may be NULL), accepts JSON null/absence for optional fields, and on a malformed value
 * writes "<where>.<name>: <problem>" into err and returns -1. */
#ifndef HEDGE_EXCHANGES_PACIFICA_PARSE_FIELDS_H
#define HEDGE_EXCHANGES_PACIFICA_PARSE_FIELDS_H

#include <jansson.h>
#include <stddef.h>

#include "exchanges/pacifica/parse.h"

enum { PF_OPTIONAL = 0, PF_REQUIRED = 1 };

/* Where a reader reports errors: a context name such as "positions[2]". */
typedef struct pf_where {
    char name[64];
    char *err;
    size_t errcap;
} pf_where;

void pf_where_init(pf_where *where, const char *name, char *err, size_t errcap);
void pf_where_item(pf_where *where, const char *list_name, size_t index, char *err, size_t errcap);

/* The member named long_name or short_name (first found), or NULL. */
const json_t *pf_member(const json_t *object, const char *long_name, const char *short_name);
/* Name used in errors for a member. */
const char *pf_name(const char *long_name, const char *short_name);

/* Plain decimal text (optional '-', digits, optional fraction) in a JSON string, as the venue
 * sends every decimal. A JSON number in its place is refused: a real has already lost its
 * literal text, and an integer there means the payload is not the shape we know. */
int pf_decimal(const json_t *object, const char *long_name, const char *short_name, pacifica_decimal_text *out,
               int required, const pf_where *where);
/* JSON integer or a string of digits (optional '-'). */
int pf_int(const json_t *object, const char *long_name, const char *short_name, pacifica_optional_int *out,
           int required, const pf_where *where);
int pf_bool(const json_t *object, const char *long_name, const char *short_name, int *out, int required,
            const pf_where *where);
/* String copied into out (capacity cap); too long is an error. */
int pf_text(const json_t *object, const char *long_name, const char *short_name, char *out, size_t cap,
            int required, const pf_where *where);
/* "bid"/"ask" (also "buy"/"sell", "long"/"short"). */
int pf_side(const json_t *object, const char *long_name, const char *short_name, pacifica_side *out, int required,
            const pf_where *where);

/* *count = number of items of a JSON array; anything else is an error. */
int pf_list(const json_t *data, size_t *count, const pf_where *where);

int pf_fail(const pf_where *where, const char *member, const char *problem);

/* Allocates count zeroed items of size bytes (count 0 gives NULL); -1 on exhaustion. */
int pf_alloc_items(void **items, size_t count, size_t size, const pf_where *where);

#endif
