/* "hedge.store_core": runtime/store for Lua; bindings/lua/hedge/store.lua ("hedge.store") is the
 * interface scripts use, this is its C half.
 *
 *   local s, err = core.open(path, read_only, exclusive)     -- store | nil, err
 *   s:state_get() / s:state_set(t) / s:hedge_get() / s:hedge_set(t) / s:hedge_clear(reason)
 *   s:add(kind, t) -> id       kind: "intent", "fill", "funding", "cycle", "event"
 *   s:intent_update(id, t) / s:intent_find(venue, client_id) / s:intent_list_open()
 *   s:get(kind, id) / s:list(kind, limit, newest_first, after_id, field, value)
 *   s:begin() / s:commit() / s:rollback() / s:depth() / s:path() / s:schema_version() / s:close()
 *   core.fields(kind) -> {{name=, type=, required=, auto=, fixed=, choices=}, ...};  core.null
 *
 * Records are Lua tables keyed by field name. Integers are Lua numbers (integral, |n| < 2^53),
 * booleans are booleans, decimals and text are strings; an id field also takes an integral
 * number. core.null clears a field. An unknown field or a value of the wrong Lua type is a
 * programmer error and raises; a value the store refuses (bad decimal text, unknown status,
 * duplicate client id, missing row, corrupt file, disk full) is nil, err with err.kind one of
 * invalid, not_found, conflict, corrupt, incompatible, busy, io.
 *
 * The store has one connection, so a transaction belongs to the coroutine that began it: any
 * other task touching the store while it is open raises instead of silently joining it. */
#include <lauxlib.h>
#include <math.h>
#include <string.h>

#include "bindings/errors.h"
#include "bindings/module.h"
#include "runtime/store.h"

HEDGE_LUA_MODULE("hedge.store_core", luaopen_hedge_store_core)

#define STORE_TYPE "hedge.store"
#define ERR_MAX 1024
#define SAFE_INTEGER 9007199254740992.0 /* 2^53 */

typedef struct lua_store {
    rt_store *store;
    lua_State *owner;   /* the coroutine whose transaction is open, else NULL */
} lua_store;

static char null_sentinel;

static lua_store *check_open(lua_State *L) {
    lua_store *ls = luaL_checkudata(L, 1, STORE_TYPE);
    if (!ls->store) luaL_error(L, "hedge.store: the store is closed");
    if (ls->owner && ls->owner != L)
        luaL_error(L, "hedge.store: another task has a transaction open on this store (a transaction must not wait)");
    return ls;
}

/* Data errors become nil, err; misuse raises. */
static int fail(lua_State *L, int status, const char *op, const char *msg) {
    if (status == RT_STORE_MISUSE) return luaL_error(L, "%s: %s", op, msg);
    return lerr_return(L, rt_store_status_name(status), op, "%s", msg);
}

static const char *const kind_names[RT_STORE_KIND_COUNT] = {"state", "hedge", "intent", "fill", "funding", "cycle", "event"};

static rt_store_kind check_kind(lua_State *L, int arg) {
    const char *name = luaL_checkstring(L, arg);
    for (int k = 0; k < RT_STORE_KIND_COUNT; k++)
        if (strcmp(name, kind_names[k]) == 0) return (rt_store_kind)k;
    luaL_argerror(L, arg, lua_pushfstring(L, "unknown record kind '%s' (state, hedge, intent, fill, funding, cycle, event)", name));
    return RT_STORE_STATE;
}

static int64_t check_whole(lua_State *L, int idx, const char *what) {
    lua_Number n = lua_tonumber(L, idx);
    if (lua_type(L, idx) != LUA_TNUMBER || n != floor(n) || fabs(n) >= SAFE_INTEGER)
        luaL_error(L, "hedge.store: %s must be a whole number below 2^53, got %s", what,
                   lua_type(L, idx) == LUA_TNUMBER ? lua_tostring(L, idx) : luaL_typename(L, idx));
    return (int64_t)n;
}

/* Reads the record table at idx into values; strings stay owned by the table. */
static void read_record(lua_State *L, int idx, const rt_store_table *t, rt_store_value *values, const char *op) {
    luaL_checktype(L, idx, LUA_TTABLE);
    rt_store_record_clear(values);
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "%s: %s fields are named by strings, got a %s key", op, t->record_name, luaL_typename(L, -2));
        const char *name = lua_tostring(L, -2);
        int i = rt_store_column_index(t, name);
        if (i < 0) luaL_error(L, "%s: %s has no field '%s'", op, t->record_name, name);
        const rt_store_column *c = &t->columns[i];
        rt_store_value *v = &values[i];
        int type = lua_type(L, -1);
        if (type == LUA_TLIGHTUSERDATA && lua_touserdata(L, -1) == &null_sentinel) {
            v->kind = RT_STORE_NULL;
        } else if (c->type == RT_STORE_T_BOOLEAN) {
            if (type != LUA_TBOOLEAN) luaL_error(L, "%s: %s.%s must be a boolean, got %s", op, t->record_name, name, luaL_typename(L, -1));
            *v = (rt_store_value){.kind = RT_STORE_INT, .integer = lua_toboolean(L, -1)};
        } else if (c->type == RT_STORE_T_ID || c->type == RT_STORE_T_INTEGER) {
            if (type != LUA_TNUMBER) luaL_error(L, "%s: %s.%s must be an integer, got %s", op, t->record_name, name, luaL_typename(L, -1));
            char what[96];
            snprintf(what, sizeof what, "%s.%s", t->record_name, name);
            *v = (rt_store_value){.kind = RT_STORE_INT, .integer = check_whole(L, -1, what)};
        } else {
            /* Decimals are never taken from a Lua number: a double is not the text the venue sent. */
            if (type != LUA_TSTRING)
                luaL_error(L, "%s: %s.%s must be a string%s, got %s", op, t->record_name, name,
                           c->type == RT_STORE_T_DECIMAL ? " (decimal text; a Lua number is not exact)" : "",
                           luaL_typename(L, -1));
            size_t len;
            const char *text = lua_tolstring(L, -1, &len);
            *v = (rt_store_value){.kind = RT_STORE_STR, .text = text, .len = len};
        }
        lua_pop(L, 1);
    }
}

static int push_row(void *ctx, const rt_store_table *t, const rt_store_value *values) {
    lua_State *L = ctx;
    lua_createtable(L, 0, t->column_count);
    for (int i = 0; i < t->column_count; i++) {
        const rt_store_value *v = &values[i];
        if (v->kind == RT_STORE_INT) {
            if (t->columns[i].type == RT_STORE_T_BOOLEAN) lua_pushboolean(L, v->integer != 0);
            else lua_pushnumber(L, (lua_Number)v->integer);
        } else if (v->kind == RT_STORE_STR) {
            lua_pushlstring(L, v->text, v->len);
        } else {
            continue;
        }
        lua_setfield(L, -2, t->columns[i].name);
    }
    return 0;
}

/* Appends each row to the table just below the row on the stack. */
static int push_row_into_list(void *ctx, const rt_store_table *t, const rt_store_value *values) {
    lua_State *L = ctx;
    push_row(L, t, values);
    lua_rawseti(L, -2, (int)lua_objlen(L, -2) + 1);
    return 0;
}

/* ---- module functions ------------------------------------------------------------------------- */

static int store_open(lua_State *L) {
    const char *path = luaL_checkstring(L, 1);
    unsigned flags = 0;
    if (lua_toboolean(L, 2)) flags |= RT_STORE_READ_ONLY;
    if (lua_toboolean(L, 3)) flags |= RT_STORE_EXCLUSIVE;
    char err[ERR_MAX];
    rt_store *store = NULL;
    int rc = rt_store_open(&store, path, flags, err, sizeof err);
    if (rc != RT_STORE_OK) return fail(L, rc, "store.open", err);
    lua_store *ls = lua_newuserdata(L, sizeof *ls);
    ls->store = store;
    ls->owner = NULL;
    luaL_getmetatable(L, STORE_TYPE);
    lua_setmetatable(L, -2);
    return 1;
}

static int store_fields(lua_State *L) {
    const rt_store_table *t = rt_store_table_get(check_kind(L, 1));
    static const char *const type_names[] = {"id", "integer", "boolean", "decimal", "text", "name", "symbol", "token", "enum", "json"};
    lua_createtable(L, t->column_count, 0);
    for (int i = 0; i < t->column_count; i++) {
        const rt_store_column *c = &t->columns[i];
        lua_createtable(L, 0, 6);
        lua_pushstring(L, c->name);
        lua_setfield(L, -2, "name");
        lua_pushstring(L, type_names[c->type]);
        lua_setfield(L, -2, "type");
        lua_pushboolean(L, (c->flags & RT_STORE_COL_REQUIRED) != 0);
        lua_setfield(L, -2, "required");
        lua_pushboolean(L, (c->flags & RT_STORE_COL_AUTO) != 0);
        lua_setfield(L, -2, "auto");
        lua_pushboolean(L, (c->flags & RT_STORE_COL_FIXED) != 0);
        lua_setfield(L, -2, "fixed");
        if (c->choices) {
            lua_newtable(L);
            int n = 0;
            for (const char *const *ch = c->choices; *ch; ch++) {
                lua_pushstring(L, *ch);
                lua_rawseti(L, -2, ++n);
            }
            lua_setfield(L, -2, "choices");
        }
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* ---- methods ---------------------------------------------------------------------------------- */

static int m_close(lua_State *L) {
    lua_store *ls = luaL_checkudata(L, 1, STORE_TYPE);
    if (ls->store) rt_store_close(ls->store);
    ls->store = NULL;
    ls->owner = NULL;
    return 0;
}

static int m_path(lua_State *L) {
    lua_pushstring(L, rt_store_path(check_open(L)->store));
    return 1;
}

static int m_schema_version(lua_State *L) {
    lua_pushinteger(L, rt_store_schema_version(check_open(L)->store));
    return 1;
}

static int m_state_get(lua_State *L) {
    lua_store *ls = check_open(L);
    char err[ERR_MAX];
    int top = lua_gettop(L);
    int rc = rt_store_state_get(ls->store, push_row, L, err, sizeof err);
    if (rc != RT_STORE_OK) { lua_settop(L, top); return fail(L, rc, "store.state_get", err); }
    return 1;
}

static int m_state_set(lua_State *L) {
    lua_store *ls = check_open(L);
    rt_store_value values[RT_STORE_MAX_COLUMNS];
    read_record(L, 2, rt_store_table_get(RT_STORE_STATE), values, "store.state_set");
    char err[ERR_MAX];
    int rc = rt_store_state_set(ls->store, values, err, sizeof err);
    if (rc != RT_STORE_OK) return fail(L, rc, "store.state_set", err);
    lua_pushboolean(L, 1);
    return 1;
}

static int m_hedge_get(lua_State *L) {
    lua_store *ls = check_open(L);
    char err[ERR_MAX];
    int found = 0, top = lua_gettop(L);
    int rc = rt_store_hedge_get(ls->store, push_row, L, &found, err, sizeof err);
    if (rc != RT_STORE_OK) { lua_settop(L, top); return fail(L, rc, "store.hedge_get", err); }
    if (!found) lua_pushnil(L);
    return 1;
}

static int m_hedge_set(lua_State *L) {
    lua_store *ls = check_open(L);
    rt_store_value values[RT_STORE_MAX_COLUMNS];
    read_record(L, 2, rt_store_table_get(RT_STORE_HEDGE), values, "store.hedge_set");
    char err[ERR_MAX];
    int64_t id = 0;
    int rc = rt_store_hedge_set(ls->store, values, &id, err, sizeof err);
    if (rc != RT_STORE_OK) return fail(L, rc, "store.hedge_set", err);
    lua_pushnumber(L, (lua_Number)id);
    return 1;
}

static int m_hedge_clear(lua_State *L) {
    lua_store *ls = check_open(L);
    const char *reason = luaL_optstring(L, 2, NULL);
    char err[ERR_MAX];
    int cleared = 0;
    int rc = rt_store_hedge_clear(ls->store, reason, &cleared, err, sizeof err);
    if (rc != RT_STORE_OK) return fail(L, rc, "store.hedge_clear", err);
    lua_pushboolean(L, cleared);
    return 1;
}

static int m_add(lua_State *L) {
    lua_store *ls = check_open(L);
    rt_store_kind kind = check_kind(L, 2);
    char op[48];
    snprintf(op, sizeof op, "store.%s_add", kind_names[kind]);
    rt_store_value values[RT_STORE_MAX_COLUMNS];
    read_record(L, 3, rt_store_table_get(kind), values, op);
    char err[ERR_MAX];
    int64_t id = 0;
    int rc = rt_store_add(ls->store, kind, values, &id, err, sizeof err);
    if (rc != RT_STORE_OK) return fail(L, rc, op, err);
    lua_pushnumber(L, (lua_Number)id);
    return 1;
}

static int m_intent_update(lua_State *L) {
    lua_store *ls = check_open(L);
    int64_t id = check_whole(L, 2, "intent id");
    rt_store_value values[RT_STORE_MAX_COLUMNS];
    read_record(L, 3, rt_store_table_get(RT_STORE_INTENT), values, "store.intent_update");
    char err[ERR_MAX];
    int rc = rt_store_intent_update(ls->store, id, values, err, sizeof err);
    if (rc != RT_STORE_OK) return fail(L, rc, "store.intent_update", err);
    lua_pushboolean(L, 1);
    return 1;
}

static int m_intent_find(lua_State *L) {
    lua_store *ls = check_open(L);
    const char *venue = luaL_checkstring(L, 2);
    const char *client_id = luaL_checkstring(L, 3);
    char err[ERR_MAX];
    int top = lua_gettop(L);
    int rc = rt_store_intent_find(ls->store, venue, client_id, push_row, L, err, sizeof err);
    if (rc != RT_STORE_OK) { lua_settop(L, top); return fail(L, rc, "store.intent_find", err); }
    return 1;
}

static int m_intent_list_open(lua_State *L) {
    lua_store *ls = check_open(L);
    char err[ERR_MAX];
    lua_newtable(L);
    int rc = rt_store_intent_list_open(ls->store, push_row_into_list, L, err, sizeof err);
    if (rc != RT_STORE_OK) return fail(L, rc, "store.intent_list_open", err);
    return 1;
}

static int m_get(lua_State *L) {
    lua_store *ls = check_open(L);
    rt_store_kind kind = check_kind(L, 2);
    int64_t id = check_whole(L, 3, "id");
    char err[ERR_MAX];
    int top = lua_gettop(L);
    int rc = rt_store_get(ls->store, kind, id, push_row, L, err, sizeof err);
    if (rc != RT_STORE_OK) { lua_settop(L, top); return fail(L, rc, "store.get", err); }
    return 1;
}

/* list(kind, limit, newest_first, after_id, field, value) */
static int m_list(lua_State *L) {
    lua_store *ls = check_open(L);
    rt_store_kind kind = check_kind(L, 2);
    const rt_store_table *t = rt_store_table_get(kind);
    rt_store_query q = {0};
    if (!lua_isnoneornil(L, 3)) q.limit = check_whole(L, 3, "limit");
    if (q.limit < 0) return luaL_argerror(L, 3, "limit must not be negative");
    q.newest_first = lua_toboolean(L, 4);
    if (!lua_isnoneornil(L, 5)) q.after_id = check_whole(L, 5, "after_id");
    if (!lua_isnoneornil(L, 6)) {
        q.where_column = luaL_checkstring(L, 6);
        int i = rt_store_column_index(t, q.where_column);
        if (i < 0) return luaL_error(L, "store.list: %s has no field '%s'", t->record_name, q.where_column);
        int type = lua_type(L, 7);
        if (type == LUA_TNUMBER) {
            char what[96];
            snprintf(what, sizeof what, "filter %s", q.where_column);
            q.where_value = (rt_store_value){.kind = RT_STORE_INT, .integer = check_whole(L, 7, what)};
        } else if (type == LUA_TBOOLEAN) {
            q.where_value = (rt_store_value){.kind = RT_STORE_INT, .integer = lua_toboolean(L, 7)};
        } else if (type == LUA_TSTRING) {
            size_t len;
            const char *text = lua_tolstring(L, 7, &len);
            q.where_value = (rt_store_value){.kind = RT_STORE_STR, .text = text, .len = len};
        } else if (type == LUA_TLIGHTUSERDATA && lua_touserdata(L, 7) == &null_sentinel) {
            q.where_value = (rt_store_value){.kind = RT_STORE_NULL};
        } else {
            return luaL_argerror(L, 7, "filter value must be a number, boolean, string or store.null");
        }
    }
    char err[ERR_MAX];
    lua_newtable(L);
    int rc = rt_store_list(ls->store, kind, &q, push_row_into_list, L, err, sizeof err);
    if (rc != RT_STORE_OK) return fail(L, rc, "store.list", err);
    return 1;
}

static int m_begin(lua_State *L) {
    lua_store *ls = check_open(L);
    char err[ERR_MAX];
    int rc = rt_store_begin(ls->store, err, sizeof err);
    if (rc != RT_STORE_OK) return fail(L, rc, "store.begin", err);
    ls->owner = L;
    lua_pushboolean(L, 1);
    return 1;
}

static int end_transaction(lua_State *L, int commit) {
    lua_store *ls = check_open(L);
    char err[ERR_MAX];
    int rc = commit ? rt_store_commit(ls->store, err, sizeof err) : rt_store_rollback(ls->store, err, sizeof err);
    if (rt_store_transaction_depth(ls->store) == 0) ls->owner = NULL;
    if (rc != RT_STORE_OK) return fail(L, rc, commit ? "store.commit" : "store.rollback", err);
    lua_pushboolean(L, 1);
    return 1;
}

static int m_commit(lua_State *L) { return end_transaction(L, 1); }
static int m_rollback(lua_State *L) { return end_transaction(L, 0); }

static int m_depth(lua_State *L) {
    lua_store *ls = luaL_checkudata(L, 1, STORE_TYPE);
    lua_pushinteger(L, ls->store ? rt_store_transaction_depth(ls->store) : 0);
    return 1;
}

static int m_tostring(lua_State *L) {
    lua_store *ls = luaL_checkudata(L, 1, STORE_TYPE);
    if (ls->store) lua_pushfstring(L, "hedge.store (%s)", rt_store_path(ls->store));
    else lua_pushliteral(L, "hedge.store (closed)");
    return 1;
}

int luaopen_hedge_store_core(lua_State *L) {
    static const luaL_Reg methods[] = {
        {"close", m_close},
        {"path", m_path},
        {"schema_version", m_schema_version},
        {"state_get", m_state_get},
        {"state_set", m_state_set},
        {"hedge_get", m_hedge_get},
        {"hedge_set", m_hedge_set},
        {"hedge_clear", m_hedge_clear},
        {"add", m_add},
        {"intent_update", m_intent_update},
        {"intent_find", m_intent_find},
        {"intent_list_open", m_intent_list_open},
        {"get", m_get},
        {"list", m_list},
        {"begin", m_begin},
        {"commit", m_commit},
        {"rollback", m_rollback},
        {"depth", m_depth},
        {NULL, NULL},
    };
    if (luaL_newmetatable(L, STORE_TYPE)) {
        lua_newtable(L);
        luaL_register(L, NULL, methods);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, m_close);
        lua_setfield(L, -2, "__gc");
        lua_pushcfunction(L, m_tostring);
        lua_setfield(L, -2, "__tostring");
    }
    lua_pop(L, 1);
    static const luaL_Reg functions[] = {
        {"open", store_open},
        {"fields", store_fields},
        {NULL, NULL},
    };
    lua_newtable(L);
    luaL_register(L, NULL, functions);
    lua_pushlightuserdata(L, &null_sentinel);
    lua_setfield(L, -2, "null");
    lua_pushinteger(L, rt_store_latest_schema_version());
    lua_setfield(L, -2, "schema_version");
    return 1;
}
