/* HTTP client on the libuv loop: libcurl's multi interface driven by its socket and timer
 * callbacks (one uv_poll per curl socket, one uv_timer), so requests proceed concurrently
 * on the single loop thread. Connections are kept alive and reused; HTTP/2 is used where
 * the server offers it over TLS. TLS peer and host verification are always on.
 *
 * A transfer's completion callback runs from a loop callback, never from inside curl, and
 * must not start Lua: callers only record the result and wake whoever waits. */
#ifndef HEDGE_RUNTIME_HTTP_H
#define HEDGE_RUNTIME_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

typedef struct rt_http rt_http;
typedef struct rt_http_transfer rt_http_transfer;

/* Why a transfer failed. RT_HTTP_OK means a response arrived (any status code). */
typedef enum rt_http_error_kind {
    RT_HTTP_OK = 0,
    RT_HTTP_NETWORK,     /* refused, reset, DNS, TLS failure, connection dropped mid-response */
    RT_HTTP_TIMEOUT,     /* the deadline passed */
    RT_HTTP_CANCELLED,   /* rt_http_cancel */
    RT_HTTP_BAD_REQUEST  /* the request itself is malformed (bad URL, bad header) */
} rt_http_error_kind;

typedef struct rt_http_request {
    const char *method;            /* "GET", "POST", "DELETE", ... */
    const char *url;
    const char *const *headers;    /* "Name: value" strings, NULL-terminated; may be NULL */
    const char *body;              /* may be NULL */
    size_t body_len;
    long timeout_ms;               /* whole transfer; <= 0 means the default (30 s) */
    long connect_timeout_ms;       /* <= 0 means min(timeout, 10 s) */
    const char *ca_file;           /* CA bundle to trust instead of the system store (tests); NULL = system */
} rt_http_request;

typedef struct rt_http_header {
    char *name;                    /* lower-cased */
    char *value;
} rt_http_header;

typedef struct rt_http_response {
    rt_http_error_kind error;      /* RT_HTTP_OK when a response was received */
    char error_text[256];
    int request_sent;              /* 1 when request bytes reached the socket: a failure after
                                      that leaves the outcome of a state-changing call unknown */
    long status;
    rt_http_header *headers;
    size_t header_count;
    char *body;                    /* NUL-terminated for convenience; body_len excludes the NUL */
    size_t body_len;
    double total_ms;               /* curl's total time */
    long http_version;             /* 1 = HTTP/1.x, 2 = HTTP/2 */
} rt_http_response;

typedef void (*rt_http_done_fn)(rt_http_transfer *transfer, const rt_http_response *response, void *ctx);

rt_http *rt_http_new(uv_loop_t *loop, char *err, size_t errcap);
/* Cancels every transfer (their callbacks run with RT_HTTP_CANCELLED) and releases curl.
 * The uv handles close asynchronously: run the loop afterwards, then rt_http_free. */
void rt_http_shutdown(rt_http *http);
void rt_http_free(rt_http *http);

/* Starts a transfer; `done` is called exactly once unless the transfer is cancelled with
 * rt_http_cancel. Returns NULL (err filled) when the request cannot be started. */
rt_http_transfer *rt_http_start(rt_http *http, const rt_http_request *req, rt_http_done_fn done, void *ctx,
                                char *err, size_t errcap);
/* Aborts a transfer; its callback is not called. Safe only before `done` has run. */
void rt_http_cancel(rt_http_transfer *transfer);

/* Counters for tests and benchmarks. */
typedef struct rt_http_stats {
    uint64_t started, completed, failed, connections_opened;
} rt_http_stats;
void rt_http_get_stats(const rt_http *http, rt_http_stats *out);

const char *rt_http_error_kind_name(rt_http_error_kind kind);
#endif
