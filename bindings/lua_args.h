/* Arguments of the venue signer modules (bindings/<venue>_signer.c) read from Lua: option and
 * record tables, strings, booleans and exact integers, with errors naming the field.
 *
 * Conventions (DESIGN §5): a wrong type or an unknown key is a programmer error and raises; a
 * value of an acceptable type that cannot be used (a fractional number where an integer is
 * wanted, a digit string beyond 64 bits) is a data error, written into the caller's buffer so
 * that the caller returns nil, err. */
#ifndef HEDGE_BINDINGS_LUA_ARGS_H
#define HEDGE_BINDINGS_LUA_ARGS_H

#include <lua.h>
#include <stddef.h>
#include <stdint.h>

/* lua_type() of LuaJIT FFI cdata; lua.h has no name for it. */
#define LARGS_TYPE_CDATA 10

/* Raises "<what>: table expected, got <type>" unless the value at idx is a table. */
void largs_table(lua_State *L, int idx, const char *what);
/* Raises "<what>: unknown <noun> <key>" unless the value at idx is a table whose keys are all
 * strings listed in known (NULL-terminated). noun says what the table holds: "field" for a
 * record (an order), "option" for options. */
void largs_only_known(lua_State *L, int idx, const char *what, const char *noun, const char *const *known);

/* t[key] of the table at idx as a string, or NULL when absent; raises "<key> must be a string,
 * not a <type>" for another type. The string stays valid while the table holds it. */
const char *largs_string(lua_State *L, int idx, const char *key);
/* The same with its length (binary-safe). */
const char *largs_lstring(lua_State *L, int idx, const char *key, size_t *length);
/* t[key] as a boolean (absent: dflt); raises "<key> must be a boolean, not a <type>" otherwise. */
int largs_bool(lua_State *L, int idx, const char *key, int dflt);

/* What an integer read found. */
enum { LARGS_BAD = -1, LARGS_ABSENT = 0, LARGS_OK = 1 };

/* The value at idx as an exact int64, for the field `name`: a Lua number that is an integer
 * below 2^53 in magnitude (beyond it doubles are not exact), a decimal string (optional '-', up
 * to 19 digits, within int64), or an int64/uint64 cdata within int64. nil or none is
 * LARGS_ABSENT; an unusable value of those types is LARGS_BAD with err naming the field; any
 * other type raises. */
int largs_int64_at(lua_State *L, int idx, const char *name, int64_t *out, char *err, size_t errcap);
/* The same for t[key] of the table at idx. */
int largs_int64(lua_State *L, int idx, const char *key, int64_t *out, char *err, size_t errcap);

/* Decimal integer text (optional '-', 1 to 19 digits) within int64: 0 and *out, or -1. */
int largs_parse_int64(const char *text, size_t length, int64_t *out);

/* The kind of the FFI cdata at idx: "decimal" (rt_decimal), "int64", "uint64", or NULL for any
 * other; *type_name (when not NULL) gets the ctype's name for messages, valid until the next
 * call into Lua. */
const char *largs_cdata_kind(lua_State *L, int idx, const char **type_name);

#endif
