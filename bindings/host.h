/* The process-wide host: the one libuv loop, the Lua state, the HTTP client, the WebSocket
 * context and the exit code. There is exactly one host per process. */
#ifndef HEDGE_BINDINGS_HOST_H
#define HEDGE_BINDINGS_HOST_H

#include <lua.h>
#include <uv.h>

#include "runtime/http.h"

typedef struct hedge_host {
    uv_loop_t loop;
    lua_State *L;
    rt_http *http;
    int exit_code;
    int shutting_down;
    int interactive;          /* the REPL is running: the last task finishing does not exit */
    int main_task_ref;        /* registry ref to the main script's task handle, or LUA_NOREF */
    int interrupts;           /* SIGINT/SIGTERM count while a script runs */
    int trap_signals;         /* the script asked to stop gracefully on the first signal */
    int stop_requested;       /* set by that first signal; the script polls it */
} hedge_host;

hedge_host *hedge_host_get(void);

/* Starts the orderly shutdown from a plain loop callback (never from inside Lua):
 * cancels transfers, closes WebSockets and handles; uv_run then returns. */
void hedge_host_request_exit(int exit_code);

/* Hooks other binding files register so the host can shut them down in the right order. */
typedef struct hedge_shutdown_hook {
    void (*before_loop_exit)(void);   /* from a loop callback: stop and close handles */
    void (*after_loop_exit)(void);    /* after uv_run returned: free what remains */
    struct hedge_shutdown_hook *next;
} hedge_shutdown_hook;
void hedge_host_add_shutdown_hook(hedge_shutdown_hook *hook);

/* Prints text for the user without breaking the REPL prompt (plain stdout otherwise). */
void hedge_host_print(const char *text, size_t len);
void hedge_host_set_printer(void (*printer)(const char *text, size_t len));
#endif
