/* Field readers shared by the Lighter parsers (internal to exchanges/lighter/parse_*.c).
 *
 * Each reader takes an object and a member name, accepts null/absence for optional members and
 * on a malformed value writes "<where>.<name>: <problem>" into err and returns -1. */
#ifndef HEDGE_EXCHANGES_LIGHTER_PARSE_FIELDS_H
#define HEDGE_EXCHANGES_LIGHTER_PARSE_FIELDS_H

#include <jansson.h>
#include <stddef.h>

#include "exchanges/lighter/parse.h"

enum { LF_OPTIONAL = 0, LF_REQUIRED = 1 };

typedef struct lf_where {
    char name[96];
    char *err;
    size_t errcap;
} lf_where;

void lf_where_init(lf_where *where, const char *name, char *err, size_t errcap);
void lf_where_item(lf_where *where, const char *list_name, size_t index, char *err, size_t errcap);
int lf_fail(const lf_where *where, const char *member, const char *problem);

/* Decimal text: a string (plain or exponent notation, or "") or a JSON integer; a JSON real is
 * refused (its literal was lost: load payloads with lighter_json_load). */
int lf_decimal(const json_t *object, const char *name, lighter_decimal_text *out, int required, const lf_where *where);
/* JSON integer or a string of digits (optional '-'). */
int lf_int(const json_t *object, const char *name, lighter_optional_int *out, int required, const lf_where *where);
/* The same into a plain int64 (required). */
int lf_int_required(const json_t *object, const char *name, int64_t *out, const lf_where *where);
/* true/false (also the strings "true"/"false", and 0/1). */
int lf_bool(const json_t *object, const char *name, int *out, int required, const lf_where *where);
/* A string (a JSON integer is written out in decimal); too long is an error. */
int lf_text(const json_t *object, const char *name, char *out, size_t cap, int required, const lf_where *where);

/* The array member `name` (required), or an error. */
const json_t *lf_array(const json_t *object, const char *name, const lf_where *where);
/* Allocates count zeroed items (count 0 gives NULL); -1 on exhaustion. */
int lf_alloc(void **items, size_t count, size_t size, const lf_where *where);
/* Total items of an array, or of every array value of an object keyed by market id (the WS
 * "{"0": [...], "1": [...]}" form). -1 when the value is neither. */
long lf_grouped_count(const json_t *value);

#endif
