/* Field readers shared by the Lighter parsers (internal to exchanges/lighter/parse_*.c), on top
 * of the venue-neutral readers of exchanges/json_fields.h.
 *
 * Each reader takes an object and a member name, accepts null/absence for optional members and
 * on a malformed value writes "<where>.<name>: <problem>" into err and returns -1. */
#ifndef HEDGE_EXCHANGES_LIGHTER_PARSE_FIELDS_H
#define HEDGE_EXCHANGES_LIGHTER_PARSE_FIELDS_H

#include <jansson.h>
#include <stddef.h>

#include "exchanges/json_fields.h"
#include "exchanges/lighter/parse.h"

/* Decimal text: a string (plain or exponent notation, or "") or a JSON integer; a JSON real is
 * refused (its literal was lost: load payloads with lighter_json_load). */
int lf_decimal(const json_t *object, const char *name, lighter_decimal_text *out, int required, const jfield_where *where);
/* JSON integer or a string of digits (optional '-'). */
int lf_int(const json_t *object, const char *name, lighter_optional_int *out, int required, const jfield_where *where);
/* The same into a plain int64 (required). */
int lf_int_required(const json_t *object, const char *name, int64_t *out, const jfield_where *where);
/* true/false (also the strings "true"/"false", and 0/1). */
int lf_bool(const json_t *object, const char *name, int *out, int required, const jfield_where *where);
/* A string (a JSON integer is written out in decimal); too long is an error. */
int lf_text(const json_t *object, const char *name, char *out, size_t cap, int required, const jfield_where *where);

/* The array member `name` (required), or an error. */
const json_t *lf_array(const json_t *object, const char *name, const jfield_where *where);
/* Total items of an array, or of every array value of an object keyed by market id (the WS
 * "{"0": [...], "1": [...]}" form). -1 when the value is neither. */
long lf_grouped_count(const json_t *value);

#endif
