/* Member readers shared by the edgeX parsers (internal to exchanges/edgex/parse_*.c), on top of
 * the venue-neutral readers of exchanges/json_fields.h.
 *
 * Each reader looks one member of a JSON object up, accepts null/absence for optional members,
 * and on a malformed value writes "<where>.<name>: <problem>" into the caller's error buffer and
 * returns -1. The rules follow the wire (spec §2): decimals and ids are JSON strings, flags are
 * booleans, a few counts are JSON integers. */
#ifndef HEDGE_EXCHANGES_EDGEX_PARSE_FIELDS_H
#define HEDGE_EXCHANGES_EDGEX_PARSE_FIELDS_H

#include <jansson.h>
#include <stddef.h>

#include "exchanges/edgex/parse.h"
#include "exchanges/json_fields.h"

/* Plain decimal text: optional '-', digits, optional '.' and digits. "" is EDGEX_VALUE_EMPTY
 * (allowed unless required). */
int edgex_field_decimal(const json_t *object, const char *name, edgex_decimal_text *out, int required,
                        const jfield_where *where);
/* The same for a value that is not an object member (an element of [price, size]). */
int edgex_value_decimal(const json_t *value, const char *name, edgex_decimal_text *out, int required,
                        const jfield_where *where);
/* Decimal id text: digits only (at most 20). "" reads as absent (unless required). */
int edgex_field_id(const json_t *object, const char *name, edgex_id_text *out, int required,
                   const jfield_where *where);
/* A JSON integer or a string of digits (optional '-'), as int64. "" reads as absent. */
int edgex_field_int(const json_t *object, const char *name, edgex_optional_int *out, int required,
                    const jfield_where *where);
int edgex_field_bool(const json_t *object, const char *name, int *out, int required, const jfield_where *where);
/* A string copied into out (capacity cap); too long is an error. */
int edgex_field_text(const json_t *object, const char *name, char *out, size_t cap, int required,
                     const jfield_where *where);
/* 0x-prefixed hex text (either case); "" and null read as absent. */
int edgex_field_hex(const json_t *object, const char *name, char *out, size_t cap, int required,
                    const jfield_where *where);
/* "BUY" / "SELL" (any case). */
int edgex_field_side(const json_t *object, const char *name, edgex_wire_side *out, int required,
                     const jfield_where *where);

/* *count = items of a JSON array (null or absent: 0 when optional); anything else is an error. */
int edgex_field_list(const json_t *value, const char *name, size_t *count, int required, const jfield_where *where);
/* Parses the JSON array `data` into *items (count items of `size` bytes) with parse_item, which
 * reads one element into a zeroed item. On any failure every item parsed so far is released
 * with free_item (when not NULL), the array is freed and -1 returned. `name` names the list
 * in errors ("contractList"); parent (may be NULL) is where the list sits. */
typedef int (*edgex_item_parser)(const json_t *element, void *item, const jfield_where *at);
typedef void (*edgex_item_release)(void *item);
int edgex_parse_list_of(const json_t *data, const char *name, const jfield_where *parent, int required, void **items,
                        size_t *count, size_t size, edgex_item_parser parse_item, edgex_item_release free_item,
                        char *err, size_t errcap);

#endif
