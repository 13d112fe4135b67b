/* Parsed venue payloads (C structs of exchanges/<venue>/parse.h, jansson trees) as plain Lua
 * values: the helpers the "<venue>.parse" modules (bindings/<venue>_parse.c) share.
 *
 * Conventions of those modules: integers are Lua numbers when exact (|n| < 2^53) and digit
 * strings otherwise; text that is empty (absent or null in the payload) is left out (nil);
 * every parsed item keeps its raw payload under `info`; a payload that cannot be read gives
 * nil and a message. The set_* functions set t[key] on the table at the top of the stack. */
#ifndef HEDGE_BINDINGS_LUA_PUSH_H
#define HEDGE_BINDINGS_LUA_PUSH_H

#include <jansson.h>
#include <lua.h>
#include <stddef.h>
#include <stdint.h>

#include "exchanges/venue.h"

/* The error buffer size of the parse modules' messages. */
#define LPUSH_ERR_CAP 512

/* ---- scalars --------------------------------------------------------------------------------- */

void lpush_int64(lua_State *L, int64_t value);
void lpush_set_int64(lua_State *L, const char *key, int64_t value);
/* Left out when not present. */
void lpush_set_optional_int(lua_State *L, const char *key, const venue_optional_int *value);
/* Left out when text is "". */
void lpush_set_text(lua_State *L, const char *key, const char *text);
void lpush_set_bool(lua_State *L, const char *key, int value);

/* ---- raw JSON -------------------------------------------------------------------------------- */

/* Pushes value as Lua values (objects and arrays as tables, JSON null members left out), or
 * leaves the stack as it was and returns -1 when it nests deeper than any venue answer. */
int lpush_json(lua_State *L, const json_t *value);
/* t.info = raw; left out when raw is NULL or nests too deep. */
void lpush_set_info(lua_State *L, const json_t *raw);
/* Element i of a JSON array (NULL when list is not one): the raw row of a parsed item. */
const json_t *lpush_json_item(const json_t *list, size_t i);

/* ---- module functions ------------------------------------------------------------------------ */

/* The string argument at index as JSON (any value), or NULL with err naming the problem
 * ("the answer is empty, not JSON", "the answer is not JSON: ..."). Raises for a non-string. */
json_t *lpush_load_json_arg(lua_State *L, int index, char *err, size_t cap);
/* Pushes nil and message; returns 2 (use as `return lpush_fail(L, err)`). */
int lpush_fail(lua_State *L, const char *message);
/* Pushes {kind, msg, code?, http_status, retryable} for a classified venue error. */
void lpush_venue_error(lua_State *L, const venue_error *e);
/* The modules' json(text) -> value | nil, message: any JSON as plain Lua values. */
int lpush_json_function(lua_State *L);

/* ---- data kinds ------------------------------------------------------------------------------ */

/* Pushes one Lua value read from data, or returns -1 with err set and the stack as it was. */
typedef int (*lpush_data_fn)(lua_State *L, const json_t *data, char *err, size_t cap);

typedef struct lpush_kind {
    const char *kind;
    lpush_data_fn push;
} lpush_kind;

/* The pusher of `kind` in kinds[0..count), or NULL. */
lpush_data_fn lpush_find_kind(const lpush_kind *kinds, size_t count, const char *kind);
/* Pushes true: for answers whose data is not read. */
int lpush_nothing(lua_State *L, const json_t *data, char *err, size_t cap);
/* Pushes data as plain Lua values (lpush_json), for records without a parser of their own
 * (small records whose integers are all the caller reads, funding payments whose decimals are
 * strings): the caller checks the types. */
int lpush_raw_data(lua_State *L, const json_t *data, char *err, size_t cap);

/* Pushes a Lua list of count parsed items, each with its raw row raw_of(raw, i) (raw_of takes a
 * const json_t * and a size_t and must accept a NULL raw). */
#define LPUSH_ITEMS(L, items, count, push_item, raw, raw_of)                 \
    do {                                                                     \
        lua_createtable(L, (int)(count), 0);                                 \
        for (size_t item_ = 0; item_ < (count); item_++) {                   \
            push_item(L, &(items)[item_], raw_of(raw, item_));               \
            lua_rawseti(L, -2, (int)item_ + 1);                              \
        }                                                                    \
    } while (0)

/* Defines `static int fn_name(L, data, err, cap)` (an lpush_data_fn) for a list kind: parse data
 * with parse_fn into a list_type ({items, count}), push the items as LPUSH_ITEMS does with the
 * rows raw_of(data, i), free the list. */
#define LPUSH_LIST_KIND(fn_name, list_type, parse_fn, free_fn, push_item, raw_of)           \
    static int fn_name(lua_State *L, const json_t *data, char *err, size_t cap) {          \
        list_type list;                                                                     \
        if (parse_fn(data, &list, err, cap) != 0) return -1;                                \
        LPUSH_ITEMS(L, list.items, list.count, push_item, data, raw_of);                    \
        free_fn(&list);                                                                     \
        return 0;                                                                           \
    }

#endif
