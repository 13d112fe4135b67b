/* Error values for Lua: tables shaped as DESIGN §5 says ({kind, op, msg, retryable, ...})
 * with a shared metatable whose __tostring gives "kind: msg", so that printing or
 * concatenating an error is readable. Functions that can fail return nil, err. */
#ifndef HEDGE_BINDINGS_ERRORS_H
#define HEDGE_BINDINGS_ERRORS_H
#include <lua.h>

/* Pushes a new error table; retryable is derived from the kind. */
void lerr_push(lua_State *L, const char *kind, const char *op, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Pushes nil and the error; returns 2 (use as `return lerr_return(...)`). */
int lerr_return(lua_State *L, const char *kind, const char *op, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Pushes nil and an error of a venue module ({kind, op, msg, retryable, venue}); returns 2. */
int lerr_return_venue(lua_State *L, const char *venue, const char *kind, const char *op, const char *message);
/* Sets t[key] = value on the error table at the top of the stack. */
void lerr_set_string(lua_State *L, const char *key, const char *value);
void lerr_set_number(lua_State *L, const char *key, double value);
void lerr_set_bool(lua_State *L, const char *key, int value);
/* Gives the error table at the top of the stack the shared metatable. */
void lerr_set_metatable(lua_State *L);
#endif
