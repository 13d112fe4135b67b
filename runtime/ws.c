/* WebSocket client: libwebsockets 4.1.6 on a foreign libuv loop. Debian's build has three
 * traps (NOTES-loop.md), handled here:
 *  - the libuv event library is a plugin loaded at run time (package libwebsockets-evlib-uv);
 *  - returning -1 from a callback drops the socket without a close frame, so a polite close
 *    is lws_close_reason + lws_set_timeout(LWS_TO_KILL_SYNC), called from loop code;
 *  - lws resolves names with a blocking getaddrinfo, so we resolve with uv_getaddrinfo and
 *    hand lws the address, keeping the name for SNI and certificate checks. */
#include "runtime/ws.h"

#include <arpa/inet.h>
#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "runtime/log.h"

#define DEFAULT_PING_S 20
#define MAX_HEADERS 32

typedef enum conn_state { CONN_RESOLVING, CONN_CONNECTING, CONN_OPEN, CONN_CLOSING, CONN_CLOSED } conn_state;

typedef struct out_message {
    struct out_message *next;
    size_t len;
    int binary;
    unsigned char data[];         /* LWS_PRE bytes of room, then the payload */
} out_message;

struct rt_ws_conn {
    rt_ws_context *ctx;
    struct lws *wsi;
    conn_state state;
    rt_ws_events events;
    void *user;
    int released;
    char *host, *path, *address;
    int port, tls;
    char *headers[MAX_HEADERS];
    size_t header_count;
    lws_retry_bo_t retry;         /* must outlive the wsi: lws keeps a pointer */
    uv_getaddrinfo_t resolver;
    int resolving;
    out_message *out_head, *out_tail;
    int close_requested, close_code;
    char close_reason[124];
    char *rx;
    size_t rx_len, rx_cap;
    int peer_close_code;
    char peer_close_reason[124];
    rt_ws_conn *prev, *next;
};

struct rt_ws_context {
    uv_loop_t *loop;
    struct lws_context *lws;
    char *ca_file;
    rt_ws_conn *conns;
    int shutting_down;
};

/* ---- connection bookkeeping --------------------------------------------------------------- */

static void unlink_conn(rt_ws_conn *c) {
    if (!c->ctx) return;
    if (c->prev) c->prev->next = c->next; else c->ctx->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    c->prev = c->next = NULL;
}

static void free_conn(rt_ws_conn *c) {
    unlink_conn(c);
    while (c->out_head) { out_message *m = c->out_head; c->out_head = m->next; free(m); }
    for (size_t i = 0; i < c->header_count; i++) free(c->headers[i]);
    free(c->host);
    free(c->path);
    free(c->address);
    free(c->rx);
    free(c);
}

/* The connection is finished: tell the owner once, then free it if the owner let go. */
static void deliver_close(rt_ws_conn *c, rt_ws_close_kind kind, int code, const char *reason) {
    if (c->state == CONN_CLOSED) return;
    c->state = CONN_CLOSED;
    if (c->wsi) lws_set_opaque_user_data(c->wsi, NULL);
    c->wsi = NULL;
    if (!c->released && c->events.on_close) c->events.on_close(c, kind, code, reason ? reason : "", c->user);
    if (c->released && !c->resolving) free_conn(c);
}

/* ---- lws protocol callback ---------------------------------------------------------------- */

static void append_rx(rt_ws_conn *c, const void *in, size_t len) {
    if (c->rx_len + len + 1 > c->rx_cap) {
        size_t cap = c->rx_cap ? c->rx_cap : 4096;
        while (cap < c->rx_len + len + 1) cap *= 2;
        char *grown = realloc(c->rx, cap);
        if (!grown) { fprintf(stderr, "hedge: out of memory\n"); abort(); }
        c->rx = grown;
        c->rx_cap = cap;
    }
    memcpy(c->rx + c->rx_len, in, len);
    c->rx_len += len;
    c->rx[c->rx_len] = '\0';
}

static int on_lws_event(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len) {
    (void)user;
    rt_ws_conn *c = wsi ? lws_get_opaque_user_data(wsi) : NULL;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
        if (!c) break;
        unsigned char **p = (unsigned char **)in, *end = *p + len;
        for (size_t i = 0; i < c->header_count; i++) {
            char *h = c->headers[i];
            char *colon = strchr(h, ':');
            const char *value = colon + 1;
            while (*value == ' ') value++;
            char name[128];
            snprintf(name, sizeof name, "%.*s:", (int)(colon - h), h);
            if (lws_add_http_header_by_name(wsi, (const unsigned char *)name, (const unsigned char *)value,
                                            (int)strlen(value), p, end))
                return -1;
        }
        break;
    }
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        if (!c) break;
        c->state = CONN_OPEN;
        if (!c->released && c->events.on_open) c->events.on_open(c, c->user);
        if (c->out_head) lws_callback_on_writable(wsi);
        break;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        if (!c) break;
        if (lws_is_first_fragment(wsi)) c->rx_len = 0;
        append_rx(c, in, len);
        if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0) {
            if (!c->released && c->events.on_message)
                c->events.on_message(c, c->rx, c->rx_len, lws_frame_is_binary(wsi), c->user);
            c->rx_len = 0;
        }
        break;
    case LWS_CALLBACK_CLIENT_WRITEABLE: {
        if (!c || !c->out_head) break;
        out_message *m = c->out_head;
        int n = lws_write(wsi, m->data + LWS_PRE, m->len, m->binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT);
        c->out_head = m->next;
        if (!c->out_head) c->out_tail = NULL;
        free(m);
        if (n < 0) { rt_log(RT_LOG_DEBUG, "ws", "write failed on %s", c->host); break; }
        if (c->out_head) lws_callback_on_writable(wsi);
        break;
    }
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        if (!c) break;
        if (len >= 2) {
            const unsigned char *b = in;
            c->peer_close_code = b[0] << 8 | b[1];
            snprintf(c->peer_close_reason, sizeof c->peer_close_reason, "%.*s", (int)(len - 2), (const char *)in + 2);
        }
        c->state = CONN_CLOSING;
        break;   /* returning 0 lets lws echo the close frame */
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        if (!c) break;
        deliver_close(c, RT_WS_CLOSED_NETWORK, 0, in ? (const char *)in : "connection failed");
        break;
    case LWS_CALLBACK_CLIENT_CLOSED:
        if (!c) break;
        if (c->peer_close_code || c->close_requested)
            deliver_close(c, RT_WS_CLOSED_CLEANLY, c->peer_close_code ? c->peer_close_code : c->close_code,
                          c->peer_close_code ? c->peer_close_reason : c->close_reason);
        else
            deliver_close(c, RT_WS_CLOSED_NETWORK, 0, "connection dropped without a close frame");
        break;
    case LWS_CALLBACK_WSI_DESTROY:
        /* Safety net: any path that ends the wsi without one of the events above. */
        if (c) deliver_close(c, RT_WS_CLOSED_NETWORK, 0, "connection ended");
        break;
    default:
        break;
    }
    return 0;
}

static const struct lws_protocols protocols[] = {
    {"hedge-ws", on_lws_event, 0, 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static void lws_log_to_ours(int level, const char *line) {
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    rt_log_text(level == LLL_ERR ? RT_LOG_DEBUG : RT_LOG_TRACE, "lws", line, n);
}

/* ---- context ------------------------------------------------------------------------------ */

rt_ws_context *rt_ws_context_new(uv_loop_t *loop, const char *ca_file, char *err, size_t errcap) {
    /* lws reports connection failures through callbacks too; its own log is only detail. */
    lws_set_log_level(LLL_ERR, lws_log_to_ours);
    rt_ws_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx) { snprintf(err, errcap, "out of memory"); return NULL; }
    ctx->loop = loop;
    if (ca_file) ctx->ca_file = strdup(ca_file);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    void *foreign_loops[1] = {loop};
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    info.foreign_loops = foreign_loops;
    info.client_ssl_ca_filepath = ctx->ca_file;
    info.pcontext = &ctx->lws;                 /* lws clears it once the context is really gone */
    info.fd_limit_per_thread = 1024;
    ctx->lws = lws_create_context(&info);
    if (!ctx->lws) {
        snprintf(err, errcap, "cannot create the WebSocket context (is the libwebsockets-evlib-uv package installed?)");
        free(ctx->ca_file);
        free(ctx);
        return NULL;
    }
    return ctx;
}

const char *rt_ws_context_ca_file(const rt_ws_context *ctx) { return ctx->ca_file; }

void rt_ws_context_shutdown(rt_ws_context *ctx) {
    if (ctx->shutting_down) return;
    ctx->shutting_down = 1;
    for (rt_ws_conn *c = ctx->conns, *next; c; c = next) {
        next = c->next;
        if (c->state == CONN_OPEN) rt_ws_close(c, 1001, "going away");
        else if (c->state == CONN_RESOLVING) uv_cancel((uv_req_t *)&c->resolver);
    }
    for (rt_ws_conn *c = ctx->conns, *next; c; c = next) {
        next = c->next;
        if (c->state != CONN_RESOLVING) deliver_close(c, RT_WS_CLOSED_NETWORK, 0, "shutting down");
    }
    if (ctx->lws) lws_context_destroy(ctx->lws);   /* first call: closes lws's own uv handles */
}

void rt_ws_context_free(rt_ws_context *ctx) {
    if (ctx->lws) lws_context_destroy(ctx->lws);   /* second call: frees the context, unloads the plugin */
    for (rt_ws_conn *c = ctx->conns, *next; c; c = next) {
        next = c->next;
        c->ctx = NULL;
        c->prev = c->next = NULL;
        if (c->released) free_conn(c);             /* otherwise its owner frees it on release */
    }
    free(ctx->ca_file);
    free(ctx);
}

/* ---- connecting --------------------------------------------------------------------------- */

static int parse_url(rt_ws_conn *c, const char *url, char *err, size_t errcap) {
    const char *rest;
    if (strncasecmp(url, "ws://", 5) == 0) { c->tls = 0; rest = url + 5; c->port = 80; }
    else if (strncasecmp(url, "wss://", 6) == 0) { c->tls = 1; rest = url + 6; c->port = 443; }
    else { snprintf(err, errcap, "url must start with ws:// or wss://"); return -1; }
    const char *host_end = rest + strcspn(rest, ":/?");
    if (host_end == rest) { snprintf(err, errcap, "url has no host"); return -1; }
    if (*rest == '[') {   /* [IPv6]:port */
        const char *close = strchr(rest, ']');
        if (!close) { snprintf(err, errcap, "url has an unterminated IPv6 address"); return -1; }
        c->host = strndup(rest + 1, (size_t)(close - rest - 1));
        host_end = close + 1;
    } else {
        c->host = strndup(rest, (size_t)(host_end - rest));
    }
    const char *p = host_end;
    if (*p == ':') {
        char *end;
        long port = strtol(p + 1, &end, 10);
        if (end == p + 1 || port <= 0 || port > 65535) { snprintf(err, errcap, "url has a bad port"); return -1; }
        c->port = (int)port;
        p = end;
    }
    if (*p == '\0') c->path = strdup("/");
    else if (*p == '/') c->path = strdup(p);
    else if (*p == '?') { c->path = malloc(strlen(p) + 2); if (c->path) { c->path[0] = '/'; strcpy(c->path + 1, p); } }
    else { snprintf(err, errcap, "url has unexpected text after the host"); return -1; }
    if (!c->host || !c->path) { snprintf(err, errcap, "out of memory"); return -1; }
    return 0;
}

static void start_lws_connect(rt_ws_conn *c) {
    struct lws_client_connect_info ci;
    memset(&ci, 0, sizeof ci);
    ci.context = c->ctx->lws;
    ci.address = c->address;
    ci.port = c->port;
    ci.path = c->path;
    ci.host = c->host;
    ci.origin = c->host;
    ci.ssl_connection = c->tls ? LCCSCF_USE_SSL : 0;
    ci.local_protocol_name = "hedge-ws";
    ci.opaque_user_data = c;
    ci.retry_and_idle_policy = &c->retry;
    ci.pwsi = &c->wsi;
    c->state = CONN_CONNECTING;
    if (!lws_client_connect_via_info(&ci) && c->state == CONN_CONNECTING) {
        c->wsi = NULL;
        deliver_close(c, RT_WS_CLOSED_NETWORK, 0, "cannot start the connection");
    }
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res) {
    rt_ws_conn *c = req->data;
    c->resolving = 0;
    char ip[INET6_ADDRSTRLEN] = "";
    if (status == 0 && res) {
        if (res->ai_family == AF_INET6) inet_ntop(AF_INET6, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, ip, sizeof ip);
        else inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, ip, sizeof ip);
    }
    if (res) uv_freeaddrinfo(res);
    if (!c->ctx || c->ctx->shutting_down || c->close_requested || c->released) {
        /* deliver_close frees a released connection itself (resolving is 0 by now): freeing it
         * here as well was a double free when a connect was cancelled while resolving. */
        deliver_close(c, RT_WS_CLOSED_NETWORK, 0, "closed before connecting");
        return;
    }
    if (status != 0 || !ip[0]) {
        char why[200];
        snprintf(why, sizeof why, "cannot resolve %s: %s", c->host, status ? uv_strerror(status) : "no address");
        deliver_close(c, RT_WS_CLOSED_NETWORK, 0, why);
        return;
    }
    c->address = strdup(ip);
    start_lws_connect(c);
}

rt_ws_conn *rt_ws_connect(rt_ws_context *ctx, const char *url, const rt_ws_options *opts,
                          const rt_ws_events *events, void *user, char *err, size_t errcap) {
    if (ctx->shutting_down) { snprintf(err, errcap, "shutting down"); return NULL; }
    rt_ws_conn *c = calloc(1, sizeof *c);
    if (!c) { snprintf(err, errcap, "out of memory"); return NULL; }
    c->events = *events;
    c->user = user;
    if (parse_url(c, url, err, errcap) != 0) { free_conn(c); return NULL; }
    for (const char *const *h = opts ? opts->headers : NULL; h && *h; h++) {
        if (c->header_count == MAX_HEADERS) { snprintf(err, errcap, "too many headers"); free_conn(c); return NULL; }
        if (!strchr(*h, ':') || strpbrk(*h, "\r\n")) {
            snprintf(err, errcap, "malformed header (needs 'Name: value' on one line)");
            free_conn(c);
            return NULL;
        }
        c->headers[c->header_count++] = strdup(*h);
    }
    int ping = opts && opts->ping_interval_s > 0 ? opts->ping_interval_s : DEFAULT_PING_S;
    int hangup = opts && opts->pong_timeout_s > 0 ? opts->pong_timeout_s : 3 * ping;
    c->retry.secs_since_valid_ping = (uint16_t)ping;
    c->retry.secs_since_valid_hangup = (uint16_t)(hangup > ping ? hangup : ping + 1);
    c->ctx = ctx;
    c->next = ctx->conns;
    if (ctx->conns) ctx->conns->prev = c;
    ctx->conns = c;
    c->state = CONN_RESOLVING;
    c->resolver.data = c;
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    int rc = uv_getaddrinfo(ctx->loop, &c->resolver, on_resolved, c->host, NULL, &hints);
    if (rc != 0) {
        snprintf(err, errcap, "cannot resolve %s: %s", c->host, uv_strerror(rc));
        free_conn(c);
        return NULL;
    }
    c->resolving = 1;
    return c;
}

int rt_ws_send(rt_ws_conn *c, const char *data, size_t len, int binary) {
    if (c->state != CONN_OPEN || !c->wsi) return -1;
    out_message *m = malloc(sizeof *m + LWS_PRE + len);
    if (!m) return -1;
    m->next = NULL;
    m->len = len;
    m->binary = binary;
    memcpy(m->data + LWS_PRE, data, len);
    if (c->out_tail) c->out_tail->next = m; else c->out_head = m;
    c->out_tail = m;
    lws_callback_on_writable(c->wsi);
    return 0;
}

void rt_ws_close(rt_ws_conn *c, int code, const char *reason) {
    if (c->state == CONN_CLOSED || c->close_requested) return;
    c->close_requested = 1;
    c->close_code = code;
    snprintf(c->close_reason, sizeof c->close_reason, "%s", reason ? reason : "");
    if (c->state == CONN_RESOLVING) return;               /* on_resolved will not connect */
    if (!c->wsi) return;
    if (c->state == CONN_OPEN || c->state == CONN_CLOSING) {
        c->state = CONN_CLOSING;
        lws_close_reason(c->wsi, (enum lws_close_status)code, (unsigned char *)c->close_reason, strlen(c->close_reason));
    }
    /* Never "return -1" from a callback: Debian's _DEBUG lws would drop the frame. */
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
}

void rt_ws_release(rt_ws_conn *c) {
    c->released = 1;
    if (!c->ctx) { if (!c->resolving) free_conn(c); return; }
    if (c->state == CONN_CLOSED) { if (!c->resolving) free_conn(c); return; }
    rt_ws_close(c, 1000, "released");
}

int rt_ws_is_open(const rt_ws_conn *c) { return c->state == CONN_OPEN; }
