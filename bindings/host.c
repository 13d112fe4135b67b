/* The hedge executable: owns the loop and the Lua state, runs the main script as a task,
 * starts the REPL, and shuts everything down in the order libcurl and libwebsockets need
 * (NOTES-loop.md): abort waits, close WebSockets and curl from a plain loop callback, let
 * uv_run drain the closing handles, then free what remains.
 *
 *   hedge SCRIPT [args]      run SCRIPT in a task; exit when every task has finished
 *   hedge -e CODE [args]     run CODE the same way
 *   hedge -i [SCRIPT [args]] start the REPL (SCRIPT's tasks keep running beside it)
 *   hedge                    the REPL
 *   hedge --version
 * Exit status: 0 ok, 1 runtime error, 2 usage or configuration error, 130 interrupted (SIGINT),
 * 143 terminated (SIGTERM). */
#include "bindings/host.h"

#include <lauxlib.h>
#include <luajit.h>
#include <lualib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bindings/repl.h"
#include "bindings/scheduler.h"
#include "runtime/clock.h"
#include "runtime/log.h"

#ifndef HEDGE_VERSION
#define HEDGE_VERSION "unknown"
#endif

struct hedge_embedded_module { const char *name; const char *chunk_name; const unsigned char *source; size_t length; };
struct hedge_c_module { const char *name; int (*open)(lua_State *L); };
extern const struct hedge_embedded_module hedge_embedded_modules[];
extern const struct hedge_c_module hedge_c_modules[];

static hedge_host host;
static hedge_shutdown_hook *shutdown_hooks;
static uv_signal_t sigint_watch, sigterm_watch;
static uv_timer_t exit_timer;
static void (*printer)(const char *text, size_t len);

hedge_host *hedge_host_get(void) { return &host; }

void hedge_host_add_shutdown_hook(hedge_shutdown_hook *hook) {
    hook->next = shutdown_hooks;
    shutdown_hooks = hook;
}

void hedge_host_set_printer(void (*fn)(const char *text, size_t len)) { printer = fn; }

void hedge_host_print(const char *text, size_t len) {
    if (printer) { printer(text, len); return; }
    fwrite(text, 1, len, stdout);
    fflush(stdout);
}

/* ---- shutdown ------------------------------------------------------------------------- */

static void on_handle_closed(uv_handle_t *h) { (void)h; }

static void begin_shutdown(uv_timer_t *timer) {
    (void)timer;
    sched_close();                         /* abort every wait first: nothing may wake a task now */
    for (hedge_shutdown_hook *h = shutdown_hooks; h; h = h->next)
        if (h->before_loop_exit) h->before_loop_exit();
    rt_http_shutdown(host.http);
    uv_close((uv_handle_t *)&sigint_watch, on_handle_closed);
    uv_close((uv_handle_t *)&sigterm_watch, on_handle_closed);
    uv_close((uv_handle_t *)&exit_timer, on_handle_closed);
}

void hedge_host_request_exit(int exit_code) {
    if (host.shutting_down) return;
    host.shutting_down = 1;
    host.exit_code = exit_code;
    /* Deferred to a timer callback so that it never runs inside Lua or a library callback. */
    uv_timer_start(&exit_timer, begin_shutdown, 0, 0);
}

static void on_all_tasks_done(void *ctx) {
    (void)ctx;
    if (!host.interactive) hedge_host_request_exit(host.exit_code);
}

static void on_signal(uv_signal_t *watch, int signum) {
    (void)watch;
    if (host.interactive && hedge_repl_interrupt()) return;
    host.interrupts++;
    if (host.interrupts > 1 || host.main_task_ref == LUA_NOREF) {
        hedge_host_request_exit(130);
        return;
    }
    if (host.trap_signals) {
        /* A script that traps signals (the bot) finishes its current step, persists, and exits
         * on its own; only a second signal stops it at once. */
        host.stop_requested = signum;
        rt_log(RT_LOG_WARN, "hedge", "%s: finishing the current step, then exiting (press Ctrl-C again to exit at once)",
               signum == SIGINT ? "interrupted" : "terminated");
        return;
    }
    rt_log(RT_LOG_WARN, "hedge", "%s: stopping (press Ctrl-C again to exit at once)", signum == SIGINT ? "interrupted" : "terminated");
    lua_rawgeti(host.L, LUA_REGISTRYINDEX, host.main_task_ref);
    sched_task *t = lua_touserdata(host.L, -1);
    lua_pop(host.L, 1);
    if (host.exit_code == 0) host.exit_code = signum == SIGINT ? 130 : 143;
    if (t) sched_cancel(t);
}

/* ---- Lua state ------------------------------------------------------------------------ */

static int load_embedded(lua_State *L) {
    const struct hedge_embedded_module *m = lua_touserdata(L, lua_upvalueindex(1));
    if (luaL_loadbuffer(L, (const char *)m->source, m->length, m->chunk_name) != 0) return lua_error(L);
    lua_pushstring(L, m->name);
    lua_call(L, 1, 1);
    return 1;
}

static void preload_modules(lua_State *L) {
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "preload");
    for (const struct hedge_c_module *c = hedge_c_modules; c->name; c++) {
        lua_pushcfunction(L, c->open);
        lua_setfield(L, -2, c->name);
    }
    for (const struct hedge_embedded_module *m = hedge_embedded_modules; m->name; m++) {
        lua_pushlightuserdata(L, (void *)m);
        lua_pushcclosure(L, load_embedded, 1);
        lua_setfield(L, -2, m->name);
    }
    lua_pop(L, 2);
}

/* Scripts find their own modules (and scripts/) before the system paths. */
static void set_search_path(lua_State *L, const char *script) {
    char dir[4096] = ".";
    if (script) {
        const char *slash = strrchr(script, '/');
        if (slash) snprintf(dir, sizeof dir, "%.*s", (int)(slash - script), script);
    }
    const char *extra = getenv("HEDGE_PATH");
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "path");
    lua_pushfstring(L, "%s%s%s/?.lua;%s/?/init.lua;./scripts/?.lua;./scripts/?/init.lua;%s",
                    extra ? extra : "", extra ? ";" : "", dir, dir, lua_tostring(L, -1));
    lua_setfield(L, -3, "path");
    lua_pop(L, 2);
}

static void set_arg_table(lua_State *L, char **argv, int script_index, int argc) {
    lua_createtable(L, argc - script_index, script_index + 1);
    for (int i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - script_index);
    }
    lua_setglobal(L, "arg");
}

/* Spawns `chunk` (on top of the stack) as a task through the Lua layer, with args. */
static int spawn_chunk(lua_State *L, char **args, int nargs, int is_main) {
    lua_getglobal(L, "require");
    lua_pushstring(L, "hedge");
    if (lua_pcall(L, 1, 1, 0) != 0) {
        fprintf(stderr, "hedge: cannot load the hedge module: %s\n", lua_tostring(L, -1));
        return -1;
    }
    lua_getfield(L, -1, is_main ? "_run_main" : "_run_background");
    lua_remove(L, -2);
    lua_insert(L, -2);                      /* runner, chunk */
    for (int i = 0; i < nargs; i++) lua_pushstring(L, args[i]);
    if (lua_pcall(L, nargs + 1, 0, 0) != 0) {
        fprintf(stderr, "hedge: %s\n", lua_tostring(L, -1));
        return -1;
    }
    return 0;
}

/* `hedge state` runs scripts/state.lua: from $HEDGE_SCRIPTS, ./scripts, or beside the binary. */
static const char *find_named_script(const char *name, char *buf, size_t cap) {
    const char *dirs[3] = {getenv("HEDGE_SCRIPTS"), "scripts", NULL};
    char exe_dir[4096];
    ssize_t n = readlink("/proc/self/exe", exe_dir, sizeof exe_dir - 1);
    if (n > 0) {
        exe_dir[n] = '\0';
        char *slash = strrchr(exe_dir, '/');
        if (slash) { *slash = '\0'; dirs[2] = exe_dir; }
    }
    for (int i = 0; i < 3; i++) {
        if (!dirs[i]) continue;
        if (i == 2) snprintf(buf, cap, "%s/scripts/%s.lua", dirs[i], name);
        else snprintf(buf, cap, "%s/%s.lua", dirs[i], name);
        if (access(buf, R_OK) == 0) return buf;
    }
    return NULL;
}

static void usage(FILE *out) {
    fprintf(out,
            "usage: hedge SCRIPT [args...]      run a Lua script (e.g. scripts/strategy.lua)\n"
            "       hedge -e CODE [args...]     run Lua code\n"
            "       hedge -i [SCRIPT [args...]] interactive REPL (SCRIPT's tasks keep running)\n"
            "       hedge                       interactive REPL\n"
            "       hedge state [--db PATH]     the bot's state and history as JSON (scripts/state.lua)\n"
            "       hedge --version | --help\n");
}

int main(int argc, char **argv) {
    const char *script = NULL, *code = NULL;
    int interactive = 0, script_index = argc;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--version") == 0) { printf("hedge %s (%s)\n", HEDGE_VERSION, LUAJIT_VERSION); return 0; }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) { usage(stdout); return 0; }
        if (strcmp(a, "-i") == 0) { interactive = 1; continue; }
        if (strcmp(a, "-e") == 0) {
            if (i + 1 >= argc) { fprintf(stderr, "hedge: -e needs an argument\n"); usage(stderr); return 2; }
            code = argv[++i];
            script_index = i;
            i++;
            break;
        }
        if (strcmp(a, "--") == 0) { i++; if (i < argc) { script = argv[i]; script_index = i; i++; } break; }
        if (a[0] == '-' && a[1] != '\0') { fprintf(stderr, "hedge: unknown option '%s'\n", a); usage(stderr); return 2; }
        static char named[4096];
        if (strcmp(a, "state") == 0 && access(a, F_OK) != 0) {
            if (!find_named_script("state", named, sizeof named)) {
                fprintf(stderr, "hedge: state: scripts/state.lua not found (set HEDGE_SCRIPTS to the scripts folder)\n");
                return 2;
            }
            a = named;
        }
        script = a;
        script_index = i;
        i++;
        break;
    }
    if (!script && !code) interactive = 1;
    /* `hedge -i` (or bare `hedge`) in a folder with a bot_config.json loads the manual hedging
     * commands (scripts/hedge.lua: funding_all, open, close, status, ...) with the configured
     * venues, as the bot's operators expect; elsewhere it is the plain REPL. */
    static char manual_script[4096];
    if (interactive && !script && !code && getenv("HEDGE_PLAIN_REPL") == NULL && access("bot_config.json", R_OK) == 0 &&
        find_named_script("hedge", manual_script, sizeof manual_script)) {
        script = manual_script;
    }
    if (interactive && code) { fprintf(stderr, "hedge: -i and -e cannot be combined\n"); return 2; }

    /* HEDGE_LOG="info,lighter=debug" sets levels; HEDGE_LOG_FILE appends JSON lines to a file. */
    char log_err[256];
    const char *log_spec = getenv("HEDGE_LOG");
    if (log_spec && rt_log_configure(log_spec, log_err, sizeof log_err) != 0) {
        fprintf(stderr, "hedge: HEDGE_LOG: %s\n", log_err);
        return 2;
    }
    rt_log_set_clock(rt_clock_now_ms);   /* log timestamps follow the (injectable) wall clock */
    const char *log_file = getenv("HEDGE_LOG_FILE");
    if (log_file && rt_log_open_file(log_file, log_err, sizeof log_err) != 0) {
        fprintf(stderr, "hedge: HEDGE_LOG_FILE: %s\n", log_err);
        return 2;
    }

    signal(SIGPIPE, SIG_IGN);
    if (uv_loop_init(&host.loop) != 0) { fprintf(stderr, "hedge: cannot create the event loop\n"); return 1; }
    host.main_task_ref = LUA_NOREF;
    host.interactive = interactive;
    char err[256];
    host.http = rt_http_new(&host.loop, err, sizeof err);
    if (!host.http) { fprintf(stderr, "hedge: %s\n", err); return 1; }

    lua_State *L = luaL_newstate();
    if (!L) { fprintf(stderr, "hedge: cannot create the Lua state\n"); return 1; }
    host.L = L;
    luaL_openlibs(L);
    preload_modules(L);
    set_search_path(L, script);
    if (script == manual_script) {
        set_arg_table(L, argv, argc, argc);   /* the loaded commands get no arguments of ours */
        lua_getglobal(L, "arg");
        lua_pushstring(L, script);
        lua_rawseti(L, -2, 0);
        lua_pop(L, 1);
    } else {
        set_arg_table(L, argv, script_index < argc ? script_index : 0, argc);
    }
    sched_init(L, &host.loop);
    sched_on_idle(on_all_tasks_done, NULL);
    uv_timer_init(&host.loop, &exit_timer);
    uv_signal_init(&host.loop, &sigint_watch);
    uv_signal_init(&host.loop, &sigterm_watch);
    uv_signal_start(&sigint_watch, on_signal, SIGINT);
    uv_signal_start(&sigterm_watch, on_signal, SIGTERM);

    int status = 0;
    if (script || code) {
        int rc = code ? luaL_loadbuffer(L, code, strlen(code), "=(command line)") : luaL_loadfile(L, script);
        if (rc != 0) {
            const char *msg = lua_tostring(L, -1);
            fprintf(stderr, "hedge: %s\n", msg ? msg : "cannot load the script");
            status = rc == LUA_ERRFILE ? 2 : 1;
        } else if (spawn_chunk(L, argv + i, argc - i, !interactive) != 0) {
            status = 1;
        }
    }
    if (status == 0 && interactive && hedge_repl_start(L) != 0) status = 1;

    if (status != 0) {
        host.exit_code = status;
        hedge_host_request_exit(status);
    }
    uv_run(&host.loop, UV_RUN_DEFAULT);
    for (hedge_shutdown_hook *h = shutdown_hooks; h; h = h->next)
        if (h->after_loop_exit) h->after_loop_exit();
    uv_run(&host.loop, UV_RUN_DEFAULT);    /* handles closed by the after-exit hooks */
    rt_http_free(host.http);
    lua_close(L);
    int close_rc = uv_loop_close(&host.loop);
    if (close_rc != 0) rt_log(RT_LOG_WARN, "hedge", "event loop closed with handles still open");
    rt_log_reset();
    fflush(stdout);
    return host.exit_code;
}
