/* Venue-neutral readers of JSON payload members, shared by the venue parsers
 * (exchanges/<venue>/parse_fields.c build their own conventions on top: Pacifica's long/short
 * member names, Lighter's numbers-as-text, edgeX's empty strings).
 *
 * Every reader takes the member's value (already looked up; NULL when absent) and the name to
 * report it under, accepts null/absence for optional members, and on a malformed value writes
 * "<where>.<name>: <problem>" into the caller's error buffer and returns -1. */
#ifndef HEDGE_EXCHANGES_JSON_FIELDS_H
#define HEDGE_EXCHANGES_JSON_FIELDS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "exchanges/venue.h"

enum { JFIELD_OPTIONAL = 0, JFIELD_REQUIRED = 1 };

/* Where a reader reports errors: a context name such as "positions[2]" (cut when very long: it
 * is a hint in a message, never an error), and the caller's buffer (err may be NULL: quiet). */
typedef struct jfield_where {
    char name[96];
    char *err;
    size_t errcap;
} jfield_where;

void jfield_where_init(jfield_where *where, const char *name, char *err, size_t errcap);
/* "<list>[index]", reporting into err. */
void jfield_where_item(jfield_where *where, const char *list, size_t index, char *err, size_t errcap);
/* "<parent>.<list>[index]" (or "<list>[index]" when parent is NULL or unnamed), reporting where
 * parent does (nowhere when parent is NULL). */
void jfield_where_nested_item(jfield_where *where, const jfield_where *parent, const char *list, size_t index);
/* "<parent>.<member>" (or "<member>" when parent is unnamed), reporting where parent does. */
void jfield_where_nested_member(jfield_where *where, const jfield_where *parent, const char *member);

/* Writes "<where>.<member>: <problem>" ("<member>: ..." for an unnamed where, "<where>: ..."
 * without a member) and returns -1. */
int jfield_fail(const jfield_where *where, const char *member, const char *problem);

/* 1: absent or null and optional (nothing to read); 0: present; -1 (error written): absent or
 * null and required. */
int jfield_absent(const json_t *value, int required, const jfield_where *where, const char *name);

/* Plain decimal text: optional '-', digits, optionally '.' and digits (no exponent, no '+'). */
int jfield_is_plain_decimal(const char *text, size_t length);

/* Copies text (a JSON string's length bytes) into out when it is a plain decimal shorter than
 * cap; otherwise an error naming it ("decimal text is too long", "\"1e5\" is not a plain decimal"). */
int jfield_copy_plain_decimal(const char *text, size_t length, const char *name, char *out, size_t cap,
                              const jfield_where *where);

/* A JSON integer, or a string of at most 18 digits with an optional '-' (recorders stringify
 * integers; 18 digits always fit int64). */
int jfield_int(const json_t *value, const char *name, venue_optional_int *out, int required,
               const jfield_where *where);
/* JSON true or false. */
int jfield_bool(const json_t *value, const char *name, int *out, int required, const jfield_where *where);
/* A JSON string copied into out (capacity cap); too long is an error. */
int jfield_text(const json_t *value, const char *name, char *out, size_t cap, int required,
                const jfield_where *where);

/* Allocates count zeroed items of size bytes (count 0 gives NULL); -1 on exhaustion. */
int jfield_alloc_items(void **items, size_t count, size_t size, const jfield_where *where);

#endif
