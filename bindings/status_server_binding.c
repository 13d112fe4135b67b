/* "hedge.status_core": the status HTTP server (runtime/status_server.c) for Lua. The user-facing
 * module is hedge.status_server, which routes requests to handlers.
 *   listen{listen = "127.0.0.1:8080", token = nil, answer_timeout = 30, max_queued = 32} -> server | nil, err
 *   server:accept([timeout]) -> request | nil, err       (parks the task; err.kind "timeout" or "closed")
 *       request = {id, path, query, head (boolean), accept}
 *   server:respond(id, status, content_type, body [, {"Name: value", ...}]) -> true | nil, err ("gone")
 *   server:stream(id [, first_event]) -> true | nil, err   (a text/event-stream that stays open)
 *   server:broadcast(text) -> number of streams that took it
 *   server:port(), server:stats(), server:close()
 * Requests queue in C as they arrive; one task at a time may wait in accept. */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "bindings/errors.h"
#include "bindings/host.h"
#include "bindings/module.h"
#include "bindings/scheduler.h"
#include "runtime/status_server.h"

HEDGE_LUA_MODULE("hedge.status_core", luaopen_hedge_status_core)

#define SERVER_METATABLE "hedge.status.server"
#define MAX_EXTRA_HEADERS 16

typedef struct accept_wait accept_wait;

typedef struct lua_server {
    rt_status_server *server;          /* NULL once closed (by Lua or by the host's shutdown) */
    accept_wait *waiter;
    int closed;
    struct lua_server *next;           /* every open server, for the shutdown */
} lua_server;

struct accept_wait {
    sched_wait wait;
    lua_server *ls;
    uv_timer_t timer;
    int timer_started, timed_out;
};

static rt_status_host *status_host;
static hedge_shutdown_hook shutdown_hook;
static lua_server *open_servers;

/* ---- waits ------------------------------------------------------------------------------- */

static void on_timer_closed(uv_handle_t *h) { free(h->data); }

static void release_wait(accept_wait *w) {
    if (w->ls && w->ls->waiter == w) w->ls->waiter = NULL;
    if (w->timer_started) {
        uv_timer_stop(&w->timer);
        uv_close((uv_handle_t *)&w->timer, on_timer_closed);
    } else {
        free(w);
    }
}

static void on_accept_timeout(uv_timer_t *t) {
    accept_wait *w = t->data;
    w->timed_out = 1;
    sched_wake(&w->wait);
}

static void push_request(lua_State *L, const rt_status_request *r) {
    lua_createtable(L, 0, 5);
    lua_pushnumber(L, (lua_Number)r->id);   /* ids stay far below 2^53 */
    lua_setfield(L, -2, "id");
    lua_pushstring(L, r->path);
    lua_setfield(L, -2, "path");
    lua_pushstring(L, r->query);
    lua_setfield(L, -2, "query");
    lua_pushboolean(L, r->head);
    lua_setfield(L, -2, "head");
    lua_pushstring(L, r->accept);
    lua_setfield(L, -2, "accept");
}

/* Takes a queued request, or reports why there is none. */
static int push_next(lua_State *L, lua_server *ls, int timed_out) {
    rt_status_request r;
    if (ls->server && rt_status_server_next(ls->server, &r)) {
        push_request(L, &r);
        return 1;
    }
    lua_pushnil(L);
    if (!ls->server) lerr_push(L, "closed", "status.accept", "the status server is closed");
    else if (timed_out) lerr_push(L, "timeout", "status.accept", "no request within the timeout");
    else lerr_push(L, "closed", "status.accept", "woken without a request");
    return 2;
}

static int accept_push(lua_State *L, sched_wait *sw) {
    accept_wait *w = (accept_wait *)sw;
    lua_server *ls = w->ls;
    int timed_out = w->timed_out;
    release_wait(w);
    return push_next(L, ls, timed_out);
}

static void accept_abort(sched_wait *sw) { release_wait((accept_wait *)sw); }

/* From the server's callback (inside lws): only wake. */
static void on_request(rt_status_server *server, void *user) {
    (void)server;
    lua_server *ls = user;
    if (ls->waiter) sched_wake(&ls->waiter->wait);
}

/* ---- lifetime ----------------------------------------------------------------------------- */

static void forget(lua_server *ls) {
    for (lua_server **link = &open_servers; *link; link = &(*link)->next)
        if (*link == ls) { *link = ls->next; break; }
    ls->next = NULL;
}

static void close_server(lua_server *ls) {
    if (ls->server) {
        rt_status_server_stop(ls->server);
        ls->server = NULL;
        forget(ls);
    }
    ls->closed = 1;
    if (ls->waiter) sched_wake(&ls->waiter->wait);
}

static void status_before_exit(void) {
    /* The host stops every server itself; the Lua objects only forget theirs. */
    while (open_servers) {
        lua_server *ls = open_servers;
        open_servers = ls->next;
        ls->server = NULL;
        ls->closed = 1;
        ls->next = NULL;
    }
    if (status_host) rt_status_host_shutdown(status_host);
}

static void status_after_exit(void) {
    if (status_host) rt_status_host_free(status_host);
    status_host = NULL;
}

static rt_status_host *get_host(char *err, size_t errcap) {
    if (status_host) return status_host;
    if (hedge_host_get()->shutting_down) { snprintf(err, errcap, "shutting down"); return NULL; }
    status_host = rt_status_host_new(&hedge_host_get()->loop, err, errcap);
    if (!status_host) return NULL;
    shutdown_hook.before_loop_exit = status_before_exit;
    shutdown_hook.after_loop_exit = status_after_exit;
    hedge_host_add_shutdown_hook(&shutdown_hook);
    return status_host;
}

/* ---- Lua functions ------------------------------------------------------------------------ */

static lua_server *check_server(lua_State *L) { return luaL_checkudata(L, 1, SERVER_METATABLE); }

static int opt_int_field(lua_State *L, int t, const char *key, int lo, int hi) {
    lua_getfield(L, t, key);
    int v = 0;
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TNUMBER) return luaL_error(L, "status.listen: '%s' must be a number", key);
        lua_Number n = lua_tonumber(L, -1);
        if (!(n >= lo && n <= hi)) return luaL_error(L, "status.listen: '%s' must be between %d and %d", key, lo, hi);
        v = (int)n;
    }
    lua_pop(L, 1);
    return v;
}

static int status_listen(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    static const char *const known[] = {"listen", "token", "answer_timeout", "max_queued", NULL};
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
        lua_pop(L, 1);
        int found = 0;
        if (lua_type(L, -1) == LUA_TSTRING)
            for (int i = 0; known[i]; i++) if (strcmp(known[i], lua_tostring(L, -1)) == 0) found = 1;
        if (!found) return luaL_error(L, "status.listen: unknown option '%s'", lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?");
    }
    rt_status_server_options o;
    memset(&o, 0, sizeof o);
    lua_getfield(L, 1, "listen");
    if (lua_type(L, -1) != LUA_TSTRING) return luaL_error(L, "status.listen: 'listen' must be a string such as \"127.0.0.1:8080\"");
    o.listen = lua_tostring(L, -1);
    lua_getfield(L, 1, "token");
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TSTRING) return luaL_error(L, "status.listen: 'token' must be a string");
        o.token = lua_tolstring(L, -1, &o.token_len);
    }
    o.answer_timeout_s = opt_int_field(L, 1, "answer_timeout", 1, 3600);
    o.max_queued = opt_int_field(L, 1, "max_queued", 1, 1024);
    char err[256];
    rt_status_host *host = get_host(err, sizeof err);
    if (!host) return lerr_return(L, "network", "status.listen", "%s", err);
    lua_server *ls = lua_newuserdata(L, sizeof *ls);
    memset(ls, 0, sizeof *ls);
    luaL_getmetatable(L, SERVER_METATABLE);
    lua_setmetatable(L, -2);
    o.on_request = on_request;
    o.user = ls;
    ls->server = rt_status_server_start(host, &o, err, sizeof err);
    if (!ls->server) {
        ls->closed = 1;
        int bad_request = strstr(err, "listen address") || strstr(err, "token") || strstr(err, "needs a token");
        return lerr_return(L, bad_request ? "bad_request" : "network", "status.listen", "%s", err);
    }
    ls->next = open_servers;
    open_servers = ls;
    return 1;
}

static int server_port(lua_State *L) {
    lua_server *ls = check_server(L);
    if (!ls->server) return lerr_return(L, "closed", "status.port", "the status server is closed");
    lua_pushinteger(L, rt_status_server_port(ls->server));
    return 1;
}

static int server_accept(lua_State *L) {
    lua_server *ls = check_server(L);
    double timeout = luaL_optnumber(L, 2, -1);
    if (!lua_isnoneornil(L, 2) && !(timeout >= 0)) return luaL_argerror(L, 2, "timeout must be a number of seconds >= 0");
    sched_check_task(L, "status.accept");
    if (ls->waiter) return luaL_error(L, "status.accept: another task is already waiting on this server");
    rt_status_request r;
    if (!ls->server) return push_next(L, ls, 0);
    if (rt_status_server_next(ls->server, &r)) { push_request(L, &r); return 1; }
    accept_wait *w = calloc(1, sizeof *w);
    if (!w) return luaL_error(L, "out of memory");
    w->ls = ls;
    w->wait.push_results = accept_push;
    w->wait.abort = accept_abort;
    if (timeout >= 0) {
        uv_timer_init(&hedge_host_get()->loop, &w->timer);
        w->timer.data = w;
        w->timer_started = 1;
        uv_timer_start(&w->timer, on_accept_timeout, (uint64_t)(timeout * 1000.0 + 0.5), 0);
    }
    ls->waiter = w;
    return sched_park(L, &w->wait);
}

static uint64_t check_id(lua_State *L, int index) {
    lua_Number n = luaL_checknumber(L, index);
    if (!(n >= 1 && n < 9007199254740992.0) || n != (lua_Number)(uint64_t)n) luaL_argerror(L, index, "not a request id");
    return (uint64_t)n;
}

static int server_respond(lua_State *L) {
    lua_server *ls = check_server(L);
    uint64_t id = check_id(L, 2);
    int status = (int)luaL_checkinteger(L, 3);
    if (status < 100 || status > 599) return luaL_argerror(L, 3, "HTTP status must be 100..599");
    const char *content_type = luaL_checkstring(L, 4);
    size_t len;
    const char *body = luaL_checklstring(L, 5, &len);
    const char *headers[MAX_EXTRA_HEADERS + 1];
    int n = 0;
    if (!lua_isnoneornil(L, 6)) {
        luaL_checktype(L, 6, LUA_TTABLE);
        for (int i = 1;; i++) {
            lua_rawgeti(L, 6, i);
            if (lua_isnil(L, -1)) { lua_pop(L, 1); break; }
            if (lua_type(L, -1) != LUA_TSTRING) return luaL_error(L, "status.respond: headers must be \"Name: value\" strings");
            if (n == MAX_EXTRA_HEADERS) return luaL_error(L, "status.respond: at most %d extra headers", MAX_EXTRA_HEADERS);
            headers[n++] = lua_tostring(L, -1);   /* kept alive by the table */
            lua_pop(L, 1);
        }
    }
    headers[n] = NULL;
    if (!ls->server) return lerr_return(L, "closed", "status.respond", "the status server is closed");
    if (rt_status_server_respond(ls->server, id, status, content_type, body, len, headers) != 0)
        return lerr_return(L, "gone", "status.respond", "request %.0f is no longer waiting (client gone, timed out, or answered)", (double)id);
    lua_pushboolean(L, 1);
    return 1;
}

static int server_stream(lua_State *L) {
    lua_server *ls = check_server(L);
    uint64_t id = check_id(L, 2);
    size_t len = 0;
    const char *first = luaL_optlstring(L, 3, NULL, &len);
    if (!ls->server) return lerr_return(L, "closed", "status.stream", "the status server is closed");
    if (rt_status_server_open_stream(ls->server, id, first, len) != 0)
        return lerr_return(L, "gone", "status.stream", "request %.0f is no longer waiting", (double)id);
    lua_pushboolean(L, 1);
    return 1;
}

static int server_broadcast(lua_State *L) {
    lua_server *ls = check_server(L);
    size_t len;
    const char *data = luaL_checklstring(L, 2, &len);
    lua_pushinteger(L, ls->server ? rt_status_server_broadcast(ls->server, data, len) : 0);
    return 1;
}

static int server_stats(lua_State *L) {
    lua_server *ls = check_server(L);
    rt_status_stats st;
    memset(&st, 0, sizeof st);
    if (ls->server) rt_status_server_stats(ls->server, &st);
    lua_createtable(L, 0, 10);
    struct { const char *name; double value; } fields[] = {
        {"requests", (double)st.requests}, {"refused_auth", (double)st.refused_auth},
        {"refused_host", (double)st.refused_host}, {"refused_method", (double)st.refused_method},
        {"refused_busy", (double)st.refused_busy}, {"refused_bad", (double)st.refused_bad},
        {"timeouts", (double)st.timeouts}, {"connections", st.connections}, {"streams", st.streams}, {"queued", st.queued},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        lua_pushnumber(L, fields[i].value);
        lua_setfield(L, -2, fields[i].name);
    }
    lua_pushboolean(L, ls->server == NULL);
    lua_setfield(L, -2, "closed");
    return 1;
}

static int server_close(lua_State *L) {
    close_server(check_server(L));
    return 0;
}

static int server_gc(lua_State *L) {
    lua_server *ls = luaL_checkudata(L, 1, SERVER_METATABLE);
    if (ls->server) { rt_status_server_stop(ls->server); ls->server = NULL; forget(ls); }
    return 0;
}

static int server_tostring(lua_State *L) {
    lua_server *ls = check_server(L);
    if (ls->server) lua_pushfstring(L, "status server on port %d", rt_status_server_port(ls->server));
    else lua_pushliteral(L, "status server (closed)");
    return 1;
}

int luaopen_hedge_status_core(lua_State *L) {
    static const luaL_Reg methods[] = {
        {"port", server_port},
        {"accept", server_accept},
        {"respond", server_respond},
        {"stream", server_stream},
        {"broadcast", server_broadcast},
        {"stats", server_stats},
        {"close", server_close},
        {NULL, NULL},
    };
    if (luaL_newmetatable(L, SERVER_METATABLE)) {
        lua_newtable(L);
        luaL_register(L, NULL, methods);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, server_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushcfunction(L, server_tostring);
        lua_setfield(L, -2, "__tostring");
    }
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushcfunction(L, status_listen);
    lua_setfield(L, -2, "listen");
    return 1;
}
