/* Field readers shared by the Pacifica parsers (internal to exchanges/pacifica/parse_*.c), on
 * top of the venue-neutral readers of exchanges/json_fields.h.
 *
 * Each reader looks a member up by its long REST name or its short WebSocket name (either
 * may be NULL), accepts JSON null/absence for optional fields, and on a malformed value
 * writes "<where>.<name>: <problem>" into err and returns -1. */
#ifndef HEDGE_EXCHANGES_PACIFICA_PARSE_FIELDS_H
#define HEDGE_EXCHANGES_PACIFICA_PARSE_FIELDS_H

#include <jansson.h>
#include <stddef.h>

#include "exchanges/json_fields.h"
#include "exchanges/pacifica/parse.h"

/* The member named long_name or short_name (first found), or NULL. */
const json_t *pf_member(const json_t *object, const char *long_name, const char *short_name);
/* Name used in errors for a member. */
const char *pf_name(const char *long_name, const char *short_name);

/* Plain decimal text (optional '-', digits, optional fraction) in a JSON string, as the venue
 * sends every decimal. A JSON number in its place is refused: a real has already lost its
 * literal text, and an integer there means the payload is not the shape we know. */
int pf_decimal(const json_t *object, const char *long_name, const char *short_name, pacifica_decimal_text *out,
               int required, const jfield_where *where);
/* JSON integer or a string of digits (optional '-'). */
int pf_int(const json_t *object, const char *long_name, const char *short_name, pacifica_optional_int *out,
           int required, const jfield_where *where);
int pf_bool(const json_t *object, const char *long_name, const char *short_name, int *out, int required,
            const jfield_where *where);
/* String copied into out (capacity cap); too long is an error. */
int pf_text(const json_t *object, const char *long_name, const char *short_name, char *out, size_t cap,
            int required, const jfield_where *where);
/* "bid"/"ask" (also "buy"/"sell", "long"/"short"). */
int pf_side(const json_t *object, const char *long_name, const char *short_name, pacifica_side *out, int required,
            const jfield_where *where);

/* *count = number of items of a JSON array; anything else is an error. */
int pf_list(const json_t *data, size_t *count, const jfield_where *where);

#endif
