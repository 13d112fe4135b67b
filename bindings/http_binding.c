/* "hedge.http": http.request{method, url, headers, body, timeout, connect_timeout, ca_file}
 *   -> {status, headers = {lower-case name = value}, body, http_version, elapsed_ms}
 *   or nil, err with err.kind "network" | "timeout" | "cancelled" and err.request_sent
 * (true when request bytes left: for a state-changing call the outcome is then unknown).
 * Any HTTP status is a response, not an error: venue code maps 4xx/5xx to its own kinds.
 * Durations are seconds. Unknown option keys and wrong types raise (programmer errors). */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "bindings/errors.h"
#include "bindings/host.h"
#include "bindings/module.h"
#include "bindings/scheduler.h"

HEDGE_LUA_MODULE("hedge.http_core", luaopen_hedge_http_core)

#define MAX_HEADERS 64

typedef struct http_op {
    sched_wait wait;
    rt_http_transfer *transfer;
    rt_http_error_kind error;
    char error_text[256];
    int request_sent;
    long status;
    long http_version;
    double elapsed_ms;
    char *body;
    size_t body_len;
    char **header_names, **header_values;
    size_t header_count;
    char *url;
} http_op;

static void free_op(http_op *op) {
    for (size_t i = 0; i < op->header_count; i++) { free(op->header_names[i]); free(op->header_values[i]); }
    free(op->header_names);
    free(op->header_values);
    free(op->body);
    free(op->url);
    free(op);
}

static char *copy_bytes(const char *s, size_t n) {
    char *c = malloc(n + 1);
    if (!c) { abort(); }
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

static void on_done(rt_http_transfer *transfer, const rt_http_response *r, void *ctx) {
    (void)transfer;
    http_op *op = ctx;
    op->transfer = NULL;
    op->error = r->error;
    memcpy(op->error_text, r->error_text, sizeof op->error_text);
    op->request_sent = r->request_sent;
    op->status = r->status;
    op->http_version = r->http_version;
    op->elapsed_ms = r->total_ms;
    op->body = copy_bytes(r->body ? r->body : "", r->body_len);
    op->body_len = r->body_len;
    if (r->header_count) {
        op->header_names = calloc(r->header_count, sizeof(char *));
        op->header_values = calloc(r->header_count, sizeof(char *));
        if (!op->header_names || !op->header_values) abort();
        for (size_t i = 0; i < r->header_count; i++) {
            op->header_names[i] = strdup(r->headers[i].name);
            op->header_values[i] = strdup(r->headers[i].value);
        }
        op->header_count = r->header_count;
    }
    sched_wake(&op->wait);
}

static int push_results(lua_State *L, sched_wait *w) {
    http_op *op = (http_op *)w;
    if (op->error != RT_HTTP_OK) {
        lua_pushnil(L);
        lerr_push(L, rt_http_error_kind_name(op->error), "http", "%s: %s", op->url, op->error_text);
        lerr_set_bool(L, "request_sent", op->request_sent);
        lerr_set_string(L, "url", op->url);
        free_op(op);
        return 2;
    }
    lua_createtable(L, 0, 5);
    lua_pushinteger(L, op->status);
    lua_setfield(L, -2, "status");
    lua_pushlstring(L, op->body, op->body_len);
    lua_setfield(L, -2, "body");
    lua_pushinteger(L, op->http_version);
    lua_setfield(L, -2, "http_version");
    lua_pushnumber(L, op->elapsed_ms);
    lua_setfield(L, -2, "elapsed_ms");
    lua_createtable(L, 0, (int)op->header_count);
    for (size_t i = 0; i < op->header_count; i++) {
        /* Repeated headers are joined as RFC 9110 allows. */
        lua_getfield(L, -1, op->header_names[i]);
        if (lua_isstring(L, -1)) {
            lua_pushstring(L, ", ");
            lua_pushstring(L, op->header_values[i]);
            lua_concat(L, 3);
        } else {
            lua_pop(L, 1);
            lua_pushstring(L, op->header_values[i]);
        }
        lua_setfield(L, -2, op->header_names[i]);
    }
    lua_setfield(L, -2, "headers");
    free_op(op);
    return 1;
}

static void abort_op(sched_wait *w) {
    http_op *op = (http_op *)w;
    if (op->transfer) rt_http_cancel(op->transfer);
    free_op(op);
}

static const char *const known_keys[] = {"method", "url", "headers", "body", "timeout", "connect_timeout", "ca_file", NULL};

static void check_keys(lua_State *L) {
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
        lua_pop(L, 1);
        int known = 0;
        if (lua_type(L, -1) == LUA_TSTRING)
            for (int i = 0; known_keys[i]; i++) if (strcmp(lua_tostring(L, -1), known_keys[i]) == 0) known = 1;
        if (!known) luaL_error(L, "http.request: unknown option '%s'", lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, -1));
    }
}

static const char *opt_string(lua_State *L, const char *key, const char *def, size_t *len) {
    lua_getfield(L, 1, key);
    const char *s = def;
    if (len) *len = def ? strlen(def) : 0;
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "http.request: '%s' must be a string", key);
        s = lua_tolstring(L, -1, len);
    }
    lua_pop(L, 1);   /* the string stays alive: it is referenced by the options table */
    return s;
}

static long opt_seconds_ms(lua_State *L, const char *key) {
    lua_getfield(L, 1, key);
    long ms = 0;
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TNUMBER) luaL_error(L, "http.request: '%s' must be a number of seconds", key);
        double s = lua_tonumber(L, -1);
        if (!(s > 0) || s > 86400) luaL_error(L, "http.request: '%s' must be between 0 and 86400 seconds", key);
        ms = (long)(s * 1000.0 + 0.5);
        if (ms < 1) ms = 1;
    }
    lua_pop(L, 1);
    return ms;
}

static int http_request(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    sched_check_task(L, "http.request");
    check_keys(L);
    rt_http_request req;
    memset(&req, 0, sizeof req);
    req.url = opt_string(L, "url", NULL, NULL);
    if (!req.url) return luaL_error(L, "http.request: 'url' is required");
    req.method = opt_string(L, "method", "GET", NULL);
    req.body = opt_string(L, "body", NULL, &req.body_len);
    req.ca_file = opt_string(L, "ca_file", NULL, NULL);
    req.timeout_ms = opt_seconds_ms(L, "timeout");
    req.connect_timeout_ms = opt_seconds_ms(L, "connect_timeout");

    /* Headers: {["Content-Type"] = "application/json"} or {"Content-Type: application/json"}. */
    const char *headers[MAX_HEADERS + 1];
    int nheaders = 0;
    lua_newtable(L);                          /* keeps formatted header lines alive */
    int anchor = lua_gettop(L);
    lua_getfield(L, 1, "headers");
    int headers_index = lua_gettop(L);
    if (!lua_isnil(L, -1)) {
        if (!lua_istable(L, -1)) return luaL_error(L, "http.request: 'headers' must be a table");
        lua_pushnil(L);
        while (lua_next(L, headers_index) != 0) {
            if (nheaders == MAX_HEADERS) return luaL_error(L, "http.request: more than %d headers", MAX_HEADERS);
            if (lua_type(L, -2) == LUA_TNUMBER && lua_type(L, -1) == LUA_TSTRING) {
                headers[nheaders++] = lua_tostring(L, -1);
                lua_pop(L, 1);
            } else if (lua_type(L, -2) == LUA_TSTRING && (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER)) {
                /* converting the value (not the key) to a string in place is safe inside lua_next */
                lua_pushfstring(L, "%s: %s", lua_tostring(L, -2), lua_tostring(L, -1));
                headers[nheaders++] = lua_tostring(L, -1);
                lua_rawseti(L, anchor, nheaders);   /* anchored until the request has copied it */
                lua_pop(L, 1);
            } else {
                return luaL_error(L, "http.request: headers must map names to strings");
            }
        }
    }
    headers[nheaders] = NULL;
    req.headers = headers;

    http_op *op = calloc(1, sizeof *op);
    if (!op) return luaL_error(L, "out of memory");
    op->wait.push_results = push_results;
    op->wait.abort = abort_op;
    op->url = strdup(req.url);
    char err[256];
    op->transfer = rt_http_start(hedge_host_get()->http, &req, on_done, op, err, sizeof err);
    if (!op->transfer) {
        free_op(op);
        return lerr_return(L, "bad_request", "http", "%s", err);
    }
    return sched_park(L, &op->wait);
}

int luaopen_hedge_http_core(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"request", http_request},
        {NULL, NULL},
    };
    lua_newtable(L);
    luaL_register(L, NULL, functions);
    return 1;
}
