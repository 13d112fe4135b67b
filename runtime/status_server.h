/* A small read-only HTTP server on the libuv loop: libwebsockets' server side, with our loop
 * passed in as a foreign loop like the WebSocket client (runtime/ws.c, NOTES-loop.md). It
 * serves the bot's status page, its JSON and its Prometheus metrics (issue 11).
 *
 * What the server decides itself, before its owner sees anything:
 *  - access (runtime/status_access.h): the token when one is set, the Host header otherwise;
 *  - methods: only GET and HEAD (the server can change nothing, so nothing else is taken);
 *  - limits: paths and queries longer than RT_STATUS_PATH_MAX / RT_STATUS_QUERY_MAX (414),
 *    too many requests waiting for the owner (503), too many connections (refused by lws);
 *  - time: a request its owner has not answered within answer_timeout_s gets 503.
 * Everything else is queued for the owner, who takes requests with rt_status_server_next and
 * answers each with rt_status_server_respond (or turns it into a server-sent event stream
 * with rt_status_server_open_stream, then rt_status_server_broadcast writes to every stream).
 * The owner hears of new requests through on_request, called from a loop callback; like every
 * runtime callback it must only record and wake (no Lua).
 *
 * Lifetime: one rt_status_host per loop (one lws context), any number of servers (one lws
 * vhost each). Shutdown follows the lws order of NOTES-loop.md: rt_status_host_shutdown from
 * a plain loop callback, let uv_run return, then rt_status_host_free. */
#ifndef HEDGE_RUNTIME_STATUS_SERVER_H
#define HEDGE_RUNTIME_STATUS_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#define RT_STATUS_PATH_MAX 512
#define RT_STATUS_QUERY_MAX 1024

typedef struct rt_status_host rt_status_host;
typedef struct rt_status_server rt_status_server;

rt_status_host *rt_status_host_new(uv_loop_t *loop, char *err, size_t errcap);
/* Step 1 of shutdown (from a plain loop callback, never inside lws or Lua): stops every server
 * and starts destroying the lws context. Run the loop until it returns, then free. */
void rt_status_host_shutdown(rt_status_host *host);
void rt_status_host_free(rt_status_host *host);

typedef struct rt_status_server_options {
    const char *listen;            /* "127.0.0.1:8080", "[::1]:0", "0.0.0.0:9100" (status_access.h) */
    const char *token;             /* NULL: none (loopback only). Only a hash is kept; wipe yours */
    size_t token_len;
    int max_connections;           /* 0: 64 */
    int max_queued;                /* requests waiting for the owner; 0: 32 */
    int answer_timeout_s;          /* 0: 30 */
    size_t max_stream_backlog;     /* bytes queued for one slow event-stream reader before it is dropped; 0: 1 MiB */
    void (*on_request)(rt_status_server *server, void *user);
    void *user;
} rt_status_server_options;

/* Binds and listens. NULL with err naming the problem: a bad address, no token off loopback,
 * the port in use, ... */
rt_status_server *rt_status_server_start(rt_status_host *host, const rt_status_server_options *options,
                                         char *err, size_t errcap);
/* The port actually bound (useful with port 0). */
int rt_status_server_port(const rt_status_server *server);
/* Stops listening and closes every connection; no callback is made after this, and the
 * server must not be used again (it is freed once lws lets go of it). */
void rt_status_server_stop(rt_status_server *server);

typedef struct rt_status_request {
    uint64_t id;
    int head;                       /* HEAD: answer as for GET; the body is not sent */
    char path[RT_STATUS_PATH_MAX];  /* decoded by lws, starts with '/' */
    char query[RT_STATUS_QUERY_MAX];/* decoded arguments joined with '&' ("from=1&to=2"), or "" */
    char accept[256];               /* the Accept header, or "" */
} rt_status_request;

/* Takes the oldest queued request: 1 when one was taken, 0 when none is waiting. */
int rt_status_server_next(rt_status_server *server, rt_status_request *out);

/* Answers request id. extra_headers: NULL-terminated "Name: value" strings, or NULL. Returns 0,
 * or -1 when the request is gone (the client left or it timed out) or the arguments are bad. */
int rt_status_server_respond(rt_status_server *server, uint64_t id, int status, const char *content_type,
                             const char *body, size_t len, const char *const *extra_headers);
/* Answers request id with a text/event-stream that stays open; first_event (may be NULL) is
 * written at once. Returns 0 or -1 as above. */
int rt_status_server_open_stream(rt_status_server *server, uint64_t id, const char *first_event, size_t len);
/* Queues data (whole server-sent events, "data: ...\n\n") to every open stream; returns how
 * many streams took it. A stream whose backlog passes max_stream_backlog is closed. */
int rt_status_server_broadcast(rt_status_server *server, const char *data, size_t len);

typedef struct rt_status_stats {
    uint64_t requests;              /* every request seen, refused ones included */
    uint64_t refused_auth, refused_host, refused_method, refused_busy, refused_bad, timeouts;
    int connections, streams, queued;
} rt_status_stats;
void rt_status_server_stats(const rt_status_server *server, rt_status_stats *out);
#endif
