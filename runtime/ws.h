/* WebSocket client on the libuv loop: libwebsockets 4.1 with our loop passed in as a
 * foreign loop (NOTES-loop.md). Host names are resolved with uv_getaddrinfo first, because
 * lws would resolve them with a blocking call on the loop thread; the name is still used
 * for SNI and the certificate check. Messages are reassembled from fragments. Pings from
 * the server are answered by lws; our own pings keep idle connections checked.
 *
 * Callbacks run from loop callbacks and must not run Lua: record and wake, nothing more.
 * After on_close no callback is made for that connection again. */
#ifndef HEDGE_RUNTIME_WS_H
#define HEDGE_RUNTIME_WS_H

#include <stddef.h>
#include <uv.h>

typedef struct rt_ws_context rt_ws_context;
typedef struct rt_ws_conn rt_ws_conn;

typedef enum rt_ws_close_kind {
    RT_WS_CLOSED_CLEANLY = 0,   /* a close frame was exchanged (either side started it) */
    RT_WS_CLOSED_NETWORK,       /* refused, TLS failure, dropped without a close frame */
    RT_WS_CLOSED_TIMEOUT        /* the peer stopped answering pings */
} rt_ws_close_kind;

typedef struct rt_ws_events {
    void (*on_open)(rt_ws_conn *conn, void *user);
    void (*on_message)(rt_ws_conn *conn, const char *data, size_t len, int binary, void *user);
    /* code: the close code from the peer's close frame (1000, 1001, ...), 0 when none. */
    void (*on_close)(rt_ws_conn *conn, rt_ws_close_kind kind, int code, const char *reason, void *user);
} rt_ws_events;

typedef struct rt_ws_options {
    const char *const *headers;   /* extra handshake headers "Name: value", NULL-terminated */
    int ping_interval_s;          /* send a ping after this much silence; 0 = 20 s */
    int pong_timeout_s;           /* give up this long after the last sign of life; 0 = 3 x ping */
} rt_ws_options;

/* ca_file: CA bundle trusted in addition to the system store (tests), or NULL. */
rt_ws_context *rt_ws_context_new(uv_loop_t *loop, const char *ca_file, char *err, size_t errcap);
const char *rt_ws_context_ca_file(const rt_ws_context *ctx);
/* Step 1 of shutdown, from a plain loop callback: closes every connection (on_close runs
 * for each) and starts destroying the lws context. Run the loop, then rt_ws_context_free. */
void rt_ws_context_shutdown(rt_ws_context *ctx);
void rt_ws_context_free(rt_ws_context *ctx);

/* Starts connecting to ws:// or wss:// url. Returns NULL with err filled for a malformed
 * URL; connection failures arrive as on_close(RT_WS_CLOSED_NETWORK). */
rt_ws_conn *rt_ws_connect(rt_ws_context *ctx, const char *url, const rt_ws_options *opts,
                          const rt_ws_events *events, void *user, char *err, size_t errcap);
/* Queues a message; returns -1 when the connection is not open. */
int rt_ws_send(rt_ws_conn *conn, const char *data, size_t len, int binary);
/* Sends a close frame with code and reason; on_close follows. */
void rt_ws_close(rt_ws_conn *conn, int code, const char *reason);
/* The owner forgets the connection: no more callbacks; it is closed if still open and
 * freed once lws is done with it. */
void rt_ws_release(rt_ws_conn *conn);
int rt_ws_is_open(const rt_ws_conn *conn);
#endif
