/* The interactive REPL: libedit's callback interface on a uv_poll of stdin, so the loop keeps
 * running (WebSocket traffic, other tasks) while the prompt waits. Each complete chunk runs
 * in its own task (it may wait on HTTP); the prompt comes back when the chunk's task ends.
 * Ctrl-C cancels the running chunk, or clears the line at the prompt; Ctrl-D exits.
 *
 * libedit quirks handled here (NOTES-loop.md, Q3): rl_redisplay is unusable, so output
 * printed while the prompt shows erases the prompt area, prints, and redraws with
 * rl_forced_update_display; the line handler is re-installed after every line; SIGWINCH is
 * ours to forward (rl_resize_terminal).
 *
 * Without a terminal on stdin, lines are read plainly (no prompt, no editing), so the REPL
 * can be driven by a pipe. Tab completion reads Lua tables with raw accesses only: no Lua
 * code runs inside libedit's callbacks. */
#include "bindings/repl.h"

#include <editline/readline.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bindings/host.h"
#include "bindings/module.h"
#include "bindings/scheduler.h"
#include "runtime/log.h"

HEDGE_LUA_MODULE("hedge.repl_core", luaopen_hedge_repl_core)

#define PROMPT "hedge> "
#define CONTINUATION_PROMPT "  ...> "

static struct {
    lua_State *L;
    int tty;
    int active;              /* the REPL exists */
    int reading;             /* a prompt is showing and stdin is polled */
    int handler_installed;
    uv_poll_t stdin_poll;
    uv_signal_t winch;
    char *pending;           /* lines of an incomplete chunk */
    size_t pending_len;
    int chunk_task_ref;      /* registry ref of the running chunk's task handle */
    char history_path[4096];
    char *plain_buffer;      /* non-tty line assembly */
    size_t plain_len;
    int stdin_eof;           /* non-tty input is exhausted */
    int stdin_pollable;      /* 0 for regular files and /dev/null: read whole at start */
    int eof;
    hedge_shutdown_hook hook;
} repl;

static void start_reading(void);
static void show_prompt(void);

/* ---- output that does not break the prompt -------------------------------------------- */

static void print_around_prompt(const char *text, size_t len) {
    if (!repl.tty || !repl.reading || !repl.handler_installed) {
        fwrite(text, 1, len, stdout);
        fflush(stdout);
        return;
    }
    int rows = 0, cols = 0;
    rl_get_screen_size(&rows, &cols);
    const char *prompt = repl.pending_len ? CONTINUATION_PROMPT : PROMPT;
    int up = cols > 0 ? (int)(strlen(prompt) + (size_t)(rl_point > 0 ? rl_point : 0)) / cols : 0;
    if (up) printf("\r\033[%dA\033[J", up); else fputs("\r\033[J", stdout);
    fwrite(text, 1, len, stdout);
    if (len && text[len - 1] != '\n') fputc('\n', stdout);
    fflush(stdout);
    rl_forced_update_display();
}

static void log_writer(const char *text, size_t len, void *ctx) {
    (void)ctx;
    print_around_prompt(text, len);
}

/* ---- chunks ------------------------------------------------------------------------------ */

static void append_pending(const char *line) {
    size_t n = strlen(line);
    char *grown = realloc(repl.pending, repl.pending_len + n + 2);
    if (!grown) { fprintf(stderr, "hedge: out of memory\n"); abort(); }
    repl.pending = grown;
    if (repl.pending_len) repl.pending[repl.pending_len++] = '\n';
    memcpy(repl.pending + repl.pending_len, line, n);
    repl.pending_len += n;
    repl.pending[repl.pending_len] = '\0';
}

static void clear_pending(void) {
    free(repl.pending);
    repl.pending = NULL;
    repl.pending_len = 0;
}

/* A chunk is incomplete when Lua's parser stops at the end of the text ("<eof>"). */
static int chunk_is_incomplete(lua_State *L, const char *text, size_t len) {
    if (luaL_loadbuffer(L, text, len, "=stdin") == 0) { lua_pop(L, 1); return 0; }
    size_t mlen;
    const char *msg = lua_tolstring(L, -1, &mlen);
    /* LuaJIT says "... near '<eof>'" (quoted), PUC Lua "... near <eof>". */
    int incomplete = msg && ((mlen >= 7 && strcmp(msg + mlen - 7, "'<eof>'") == 0) ||
                             (mlen >= 5 && strcmp(msg + mlen - 5, "<eof>") == 0));
    lua_pop(L, 1);
    return incomplete;
}

/* Hands the text to hedge.repl.run_chunk in a new task; the prompt returns when it ends. */
static void run_chunk(const char *text) {
    lua_State *L = repl.L;
    lua_getglobal(L, "require");
    lua_pushstring(L, "hedge.repl");
    if (lua_pcall(L, 1, 1, 0) != 0) {
        fprintf(stderr, "hedge: REPL module failed to load: %s\n", lua_tostring(L, -1));
        lua_pop(L, 1);
        start_reading();
        return;
    }
    lua_getfield(L, -1, "run_chunk");
    lua_remove(L, -2);
    lua_pushstring(L, text);
    sched_spawn(L, 1);
    luaL_unref(L, LUA_REGISTRYINDEX, repl.chunk_task_ref);
    repl.chunk_task_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

static void stop_reading(void) {
    if (!repl.reading) return;
    repl.reading = 0;
    if (repl.stdin_pollable) uv_poll_stop(&repl.stdin_poll);
    if (repl.tty && repl.handler_installed) {
        rl_callback_handler_remove();
        repl.handler_installed = 0;
    }
}

/* Ctrl-D at a terminal means "leave now". The end of piped input only ends the REPL: tasks a
 * script started (hedge -i SCRIPT < commands) run to their end, as with `hedge SCRIPT`. */
static void end_of_input(void) {
    hedge_host *host = hedge_host_get();
    if (repl.tty || sched_live_count() == 0) {
        hedge_host_request_exit(host->exit_code);
        return;
    }
    host->interactive = 0;   /* the last task to finish now ends the process */
}

/* One complete line of input (without its newline). NULL means end of input. */
static void take_line(char *line) {
    lua_State *L = repl.L;
    if (!line) {
        if (repl.tty) fputc('\n', stdout);
        stop_reading();
        repl.eof = 1;
        if (repl.chunk_task_ref == LUA_NOREF) end_of_input();
        return;
    }
    if (repl.tty && line[0]) {
        add_history(line);
        if (repl.history_path[0] && write_history(repl.history_path) != 0)
            rt_log(RT_LOG_WARN, "repl", "cannot write the history file %s", repl.history_path);
    }
    append_pending(line);
    /* `=expr` is shorthand for `return expr`; a bare expression is tried as `return expr` too. */
    /* The value is passed through a helper call rather than returned directly, so that
     * `return f()` is not a tail call and errors keep the "stdin:1:" position. */
    const char *text = repl.pending;
#define AS_VALUE "local function values(...) return select('#', ...), ... end return values(%s\n)"
    if (text[0] == '=') {
        lua_pushfstring(L, AS_VALUE, text + 1);
    } else {
        lua_pushfstring(L, AS_VALUE, text);
        size_t n;
        const char *as_return = lua_tolstring(L, -1, &n);
        if (luaL_loadbuffer(L, as_return, n, "=stdin") == 0) {
            lua_pop(L, 1);                     /* compiled: keep "return ..." on the stack */
        } else {
            lua_pop(L, 2);
            lua_pushstring(L, text);
        }
    }
    size_t len;
    const char *chunk = lua_tolstring(L, -1, &len);
    if (chunk_is_incomplete(L, chunk, len)) {
        lua_pop(L, 1);
        return;                                 /* on_readline shows the continuation prompt */
    }
    stop_reading();
    run_chunk(chunk);
    lua_pop(L, 1);
    clear_pending();
}

static void on_readline(char *line) {
    /* libedit leaves unbuffered mode before calling us and does not re-arm: re-install. */
    repl.handler_installed = 0;
    take_line(line);
    free(line);
    if (repl.reading) show_prompt();
}

static void show_prompt(void) {
    if (!repl.tty) return;
    rl_callback_handler_install(repl.pending_len ? CONTINUATION_PROMPT : PROMPT, on_readline);
    repl.handler_installed = 1;
}

/* Non-tty input: split what arrives into lines; one line at a time while no chunk runs. */
static void drain_plain_lines(void) {
    char *nl;
    while (repl.reading && repl.plain_len && (nl = memchr(repl.plain_buffer, '\n', repl.plain_len))) {
        size_t line_len = (size_t)(nl - repl.plain_buffer);
        char *line = strndup(repl.plain_buffer, line_len);
        memmove(repl.plain_buffer, nl + 1, repl.plain_len - line_len - 1);
        repl.plain_len -= line_len + 1;
        take_line(line);
        free(line);
    }
}

/* End of input: run what is left (a last line without a newline), then end the REPL. If a
 * chunk is still running, this happens again when the prompt would come back. */
static void finish_plain_input(void) {
    drain_plain_lines();
    if (!repl.reading) return;
    if (repl.plain_len) {
        char *rest = strndup(repl.plain_buffer, repl.plain_len);
        repl.plain_len = 0;
        take_line(rest);
        free(rest);
        if (!repl.reading) return;
    }
    take_line(NULL);
}

static void append_plain(const char *data, size_t n) {
    char *grown = realloc(repl.plain_buffer, repl.plain_len + n + 1);
    if (!grown) { fprintf(stderr, "hedge: out of memory\n"); abort(); }
    repl.plain_buffer = grown;
    memcpy(repl.plain_buffer + repl.plain_len, data, n);
    repl.plain_len += n;
}

static void read_plain(void) {
    char buf[4096];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n > 0) {
        append_plain(buf, (size_t)n);
        drain_plain_lines();
        return;
    }
    repl.stdin_eof = 1;
    uv_poll_stop(&repl.stdin_poll);
    finish_plain_input();
}

static void on_stdin(uv_poll_t *poll, int status, int events) {
    (void)poll; (void)events;
    if (status < 0) { take_line(NULL); return; }
    if (repl.tty) rl_callback_read_char();
    else read_plain();
}

static void start_reading(void) {
    if (repl.eof || hedge_host_get()->shutting_down) return;
    repl.reading = 1;
    show_prompt();
    if (!repl.tty) {
        /* Lines already buffered are taken first; at end of input, finish. */
        if (repl.stdin_eof) { finish_plain_input(); return; }
        drain_plain_lines();
        if (!repl.reading) return;
    }
    if (repl.stdin_pollable) uv_poll_start(&repl.stdin_poll, UV_READABLE, on_stdin);
}

/* Called by hedge.repl when a chunk's task has finished: the prompt comes back. */
static int repl_chunk_done(lua_State *L) {
    luaL_unref(L, LUA_REGISTRYINDEX, repl.chunk_task_ref);
    repl.chunk_task_ref = LUA_NOREF;
    if (repl.eof) end_of_input();
    else start_reading();
    return 0;
}

static int repl_print(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    print_around_prompt(s, len);
    return 0;
}

int hedge_repl_interrupt(void) {
    if (!repl.active) return 0;
    lua_State *L = repl.L;
    if (repl.chunk_task_ref != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, repl.chunk_task_ref);
        sched_task *t = lua_touserdata(L, -1);
        lua_pop(L, 1);
        if (t) sched_cancel(t);
        return 1;
    }
    /* At the prompt: drop the line and any incomplete chunk, show a fresh prompt. */
    clear_pending();
    if (repl.tty && repl.handler_installed) {
        rl_replace_line("", 0);
        rl_callback_handler_remove();
        repl.handler_installed = 0;
        fputs("^C\n", stdout);
        fflush(stdout);
        show_prompt();
    }
    return 1;
}

/* ---- completion ------------------------------------------------------------------------- */

static char **match_list;
static size_t match_count, match_index;

static void add_match(const char *prefix, size_t prefix_len, const char *key, char sep) {
    char **grown = realloc(match_list, (match_count + 1) * sizeof *match_list);
    if (!grown) return;
    match_list = grown;
    size_t klen = strlen(key);
    char *m = malloc(prefix_len + klen + 1);
    if (!m) return;
    memcpy(m, prefix, prefix_len);
    memcpy(m + prefix_len, key, klen + 1);
    (void)sep;
    match_list[match_count++] = m;
}

/* Pushes t[key] with raw access, following __index tables (never functions). */
static int raw_field(lua_State *L, int table_index, const char *key, size_t key_len) {
    lua_pushvalue(L, table_index);
    for (int depth = 0; depth < 8; depth++) {
        if (!lua_istable(L, -1)) break;
        lua_pushlstring(L, key, key_len);
        lua_rawget(L, -2);
        if (!lua_isnil(L, -1)) { lua_remove(L, -2); return 1; }
        lua_pop(L, 1);
        if (!lua_getmetatable(L, -1)) break;
        lua_getfield(L, -1, "__index");
        lua_remove(L, -2);
        lua_remove(L, -2);
    }
    lua_pop(L, 1);
    return 0;
}

static void collect_keys(lua_State *L, int table_index, const char *prefix, size_t prefix_len,
                         const char *partial, size_t partial_len, int depth) {
    if (depth > 4 || !lua_istable(L, table_index)) return;
    lua_pushnil(L);
    while (lua_next(L, table_index) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            const char *k = lua_tostring(L, -1);
            if (strncmp(k, partial, partial_len) == 0 && k[0] != '_') add_match(prefix, prefix_len, k, 0);
        }
    }
    if (lua_getmetatable(L, table_index)) {
        lua_getfield(L, -1, "__index");
        if (lua_istable(L, -1)) collect_keys(L, lua_gettop(L), prefix, prefix_len, partial, partial_len, depth + 1);
        lua_pop(L, 2);
    }
}

static char *next_match(const char *text, int state) {
    (void)text;
    if (state == 0) match_index = 0;
    if (match_index < match_count) {
        char *m = match_list[match_index];
        match_list[match_index++] = NULL;
        return m;
    }
    return NULL;
}

static char **complete(const char *text, int start, int end) {
    (void)start; (void)end;
    lua_State *L = repl.L;
    for (size_t i = match_index; i < match_count; i++) free(match_list[i]);
    free(match_list);
    match_list = NULL;
    match_count = match_index = 0;
    rl_attempted_completion_over = 1;           /* never fall back to file names */
    int top = lua_gettop(L);
    /* text is an expression chain like "hedge.ht" or "obj:me": resolve all but the last part. */
    const char *last_sep = NULL;
    for (const char *p = text; *p; p++) if (*p == '.' || *p == ':') last_sep = p;
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    if (last_sep) {
        const char *part = text;
        while (part < last_sep) {
            const char *stop = part;
            while (stop < last_sep && *stop != '.' && *stop != ':') stop++;
            if (!raw_field(L, lua_gettop(L), part, (size_t)(stop - part))) { lua_settop(L, top); return NULL; }
            lua_remove(L, -2);
            part = stop + 1;
        }
    }
    const char *partial = last_sep ? last_sep + 1 : text;
    collect_keys(L, lua_gettop(L), text, (size_t)(partial - text), partial, strlen(partial), 0);
    lua_settop(L, top);
    if (match_count == 0) return NULL;
    return rl_completion_matches(text, next_match);
}

/* ---- life cycle -------------------------------------------------------------------------- */

static void on_winch(uv_signal_t *w, int signum) {
    (void)w; (void)signum;
    if (repl.tty) rl_resize_terminal();
}

static void on_closed(uv_handle_t *h) { (void)h; }

static void repl_shutdown(void) {
    if (!repl.active) return;
    stop_reading();
    rt_log_set_console_writer(NULL, NULL);
    hedge_host_set_printer(NULL);
    if (repl.stdin_pollable) uv_close((uv_handle_t *)&repl.stdin_poll, on_closed);
    uv_close((uv_handle_t *)&repl.winch, on_closed);
    clear_pending();
    free(repl.plain_buffer);
    repl.plain_buffer = NULL;
    for (size_t i = match_index; i < match_count; i++) free(match_list[i]);
    free(match_list);
    match_list = NULL;
    repl.active = 0;
}

int hedge_repl_start(lua_State *L) {
    hedge_host *host = hedge_host_get();
    repl.L = L;
    repl.tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    repl.chunk_task_ref = LUA_NOREF;
    repl.stdin_pollable = uv_poll_init(&host->loop, &repl.stdin_poll, STDIN_FILENO) == 0;
    if (!repl.stdin_pollable) {
        /* A regular file or /dev/null cannot be polled: it is all there already, read it now. */
        char buf[4096];
        ssize_t n;
        while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0) append_plain(buf, (size_t)n);
        repl.stdin_eof = 1;
    }
    uv_signal_init(&host->loop, &repl.winch);
    if (repl.tty) {
        uv_signal_start(&repl.winch, on_winch, SIGWINCH);
        rl_catch_signals = 0;
        rl_catch_sigwinch = 0;
        rl_readline_name = "hedge";
        rl_attempted_completion_function = complete;
        rl_completion_append_character = '\0';   /* no space after a completed name: "(" or "." follow */
        const char *hist = getenv("HEDGE_HISTORY");
        const char *home = getenv("HOME");
        if (hist) snprintf(repl.history_path, sizeof repl.history_path, "%s", hist);
        else if (home) snprintf(repl.history_path, sizeof repl.history_path, "%s/.hedge_history", home);
        using_history();
        stifle_history(2000);
        if (repl.history_path[0]) read_history(repl.history_path);
        rt_log_set_console_writer(log_writer, NULL);
        hedge_host_set_printer(print_around_prompt);
    }
    /* `hedge` is at hand in the REPL without a require. */
    lua_getglobal(L, "require");
    lua_pushstring(L, "hedge");
    if (lua_pcall(L, 1, 1, 0) != 0) {
        fprintf(stderr, "hedge: %s\n", lua_tostring(L, -1));
        lua_pop(L, 1);
        return -1;
    }
    lua_setglobal(L, "hedge");
    repl.hook.before_loop_exit = repl_shutdown;
    hedge_host_add_shutdown_hook(&repl.hook);
    repl.active = 1;
    if (repl.tty) {
        fputs("hedge REPL (Lua). Ctrl-C cancels the running chunk, Ctrl-D exits, Tab completes.\n", stdout);
        fflush(stdout);
    }
    start_reading();
    return 0;
}

int luaopen_hedge_repl_core(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"chunk_done", repl_chunk_done},
        {"print", repl_print},
        {NULL, NULL},
    };
    lua_newtable(L);
    luaL_register(L, NULL, functions);
    return 1;
}
