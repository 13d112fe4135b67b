/* Argument readers for the "edgex.signer" Lua module (bindings/edgex_signer.c).
 *
 * Conventions (DESIGN §5): wrong argument types and unknown option keys are programmer errors
 * and raise; values of the right type that are not acceptable (a malformed decimal, a number
 * that is not an exact integer) are data errors, reported through edgex_error so the caller
 * returns nil, err. */
#ifndef HEDGE_BINDINGS_EDGEX_SIGNER_ARGS_H
#define HEDGE_BINDINGS_EDGEX_SIGNER_ARGS_H

#include <lua.h>
#include <stdint.h>

#include "exchanges/edgex/error.h"

/* Raises unless every key of the table at idx is a string listed in known (NULL-terminated). */
void eargs_only_known(lua_State *L, int idx, const char *what, const char *const *known);
/* Table argument (raises if not a table). */
void eargs_table(lua_State *L, int idx, const char *what);

/* t[key] as a string, or NULL when absent; raises if present with another type. */
const char *eargs_string(lua_State *L, int idx, const char *key);
/* t[key] as a boolean (absent -> dflt); raises if present with another type. */
int eargs_bool(lua_State *L, int idx, const char *key, int dflt);
/* t[key] as an exact integer: a Lua number that is integral with |n| < 2^53, or a decimal
 * string. Returns 0 and sets *present (0 when absent), or a data error naming key. Raises on
 * other types. */
int eargs_int64(lua_State *L, int idx, const char *key, int64_t *out, int *present, edgex_error *err);
/* The same for a positional argument. */
int eargs_int64_at(lua_State *L, int idx, const char *name, int64_t *out, edgex_error *err);

#endif
