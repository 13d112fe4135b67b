/* The status server: libwebsockets 4.1.6's HTTP server on our libuv loop (foreign loop, like
 * runtime/ws.c). Debian's build has the traps NOTES-loop.md lists; here they mean:
 *  - the libuv event library is the plugin package libwebsockets-evlib-uv, loaded at run time;
 *  - a connection is never closed by returning -1 from a callback: we ask lws to kill it with
 *    lws_set_timeout(LWS_TO_KILL_ASYNC), which is safe inside and outside callbacks;
 *  - the context is destroyed twice, with the loop run in between (rt_status_host_shutdown,
 *    then rt_status_host_free once uv_run has returned).
 *
 * Each connection gets a session (ours, hung on the wsi as opaque user data). A request is
 * checked (method, access, sizes), copied out of lws's header storage during LWS_CALLBACK_HTTP
 * (the only time it is available), and queued for the owner. The answer is written from
 * LWS_CALLBACK_HTTP_WRITEABLE: headers first, then the body in chunks, then either the
 * connection waits for the next request (keep-alive) or it is killed. */
#include "runtime/status_server.h"

#include <libwebsockets.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/clock.h"
#include "runtime/log.h"
#include "runtime/status_access.h"

#define DEFAULT_MAX_QUEUED 32
#define DEFAULT_ANSWER_TIMEOUT_S 30
#define DEFAULT_STREAM_BACKLOG (1u << 20)
#define BODY_CHUNK 16384
#define HEADER_ROOM 4096
#define EXTRA_HEADERS_MAX 2048
#define AUTH_HEADER_MAX 1024

typedef enum session_state {
    SESSION_IDLE,        /* waiting for a request (or its headers) */
    SESSION_QUEUED,      /* a request waits for the owner */
    SESSION_HANDED,      /* the owner took it and has not answered yet */
    SESSION_RESPONDING,  /* writing an answer */
    SESSION_STREAM       /* a server-sent event stream */
} session_state;

typedef struct chunk {
    struct chunk *next;
    size_t len;
    char data[];
} chunk;

typedef struct session {
    rt_status_server *server;
    struct lws *wsi;
    struct session *prev, *next;       /* the server's sessions */
    struct session *queue_next;        /* the server's queue of requests for the owner */
    session_state state;
    rt_status_request request;
    int64_t received_ms;
    /* the answer */
    int status;
    char content_type[64];
    char *extra_headers;               /* "Name: value\0Name: value\0\0" */
    char *body;
    size_t body_len, body_sent;
    int headers_sent, close_after;
    /* the stream */
    chunk *out_head, *out_tail;
    size_t out_bytes;
} session;

struct rt_status_server {
    rt_status_host *host;
    rt_status_server *host_next;
    struct lws_vhost *vhost;
    rt_status_listen listen;
    rt_status_token token;
    int port;
    int max_queued, answer_timeout_s;
    size_t max_stream_backlog;
    void (*on_request)(rt_status_server *server, void *user);
    void *user;
    session *sessions;
    session *queue_head, *queue_tail;
    int queued, connections, streams;
    uint64_t next_request_id;
    rt_status_stats stats;
    uv_timer_t timer;
    int stopping, vhost_gone, timer_closed;
};

struct rt_status_host {
    uv_loop_t *loop;
    struct lws_context *lws;
    rt_status_server *servers;
    int shutting_down;
    unsigned char scratch[LWS_PRE + HEADER_ROOM + BODY_CHUNK];
};

/* ---- sessions ---------------------------------------------------------------------------- */

static void free_answer(session *s) {
    free(s->body);
    free(s->extra_headers);
    s->body = s->extra_headers = NULL;
    s->body_len = s->body_sent = 0;
    s->headers_sent = 0;
}

static void unqueue(session *s) {
    rt_status_server *srv = s->server;
    session **link = &srv->queue_head, *prev = NULL;
    while (*link && *link != s) { prev = *link; link = &(*link)->queue_next; }
    if (!*link) return;
    *link = s->queue_next;
    if (srv->queue_tail == s) srv->queue_tail = prev;
    s->queue_next = NULL;
    srv->queued--;
}

/* wsi_alive: 0 when lws has already freed the connection (the whole context is gone). */
static void free_session(session *s, int wsi_alive) {
    rt_status_server *srv = s->server;
    if (s->state == SESSION_QUEUED) unqueue(s);
    if (s->state == SESSION_STREAM) srv->streams--;
    if (s->prev) s->prev->next = s->next; else srv->sessions = s->next;
    if (s->next) s->next->prev = s->prev;
    srv->connections--;
    free_answer(s);
    while (s->out_head) { chunk *c = s->out_head; s->out_head = c->next; free(c); }
    if (s->wsi && wsi_alive) lws_set_opaque_user_data(s->wsi, NULL);
    free(s);
}

static session *session_of(struct lws *wsi, rt_status_server *srv) {
    session *s = lws_get_opaque_user_data(wsi);
    if (s) return s;
    s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->server = srv;
    s->wsi = wsi;
    s->next = srv->sessions;
    if (srv->sessions) srv->sessions->prev = s;
    srv->sessions = s;
    srv->connections++;
    lws_set_opaque_user_data(wsi, s);
    return s;
}

static void kill_connection(struct lws *wsi) {
    /* Never "return -1": Debian's _DEBUG lws closes twice that way (NOTES-loop.md). */
    lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* ---- answers ----------------------------------------------------------------------------- */

/* Copies "Name: value" strings into one block; -1 for a malformed or oversized set. */
static int copy_extra_headers(session *s, const char *const *headers) {
    size_t total = 1;
    for (const char *const *h = headers; h && *h; h++) {
        const char *colon = strchr(*h, ':');
        if (!colon || colon == *h || strpbrk(*h, "\r\n")) return -1;
        total += strlen(*h) + 1;
    }
    if (total > EXTRA_HEADERS_MAX) return -1;
    char *block = malloc(total), *p = block;
    if (!block) return -1;
    for (const char *const *h = headers; h && *h; h++) {
        size_t n = strlen(*h) + 1;
        memcpy(p, *h, n);
        p += n;
    }
    *p = '\0';
    s->extra_headers = block;
    return 0;
}

static int set_answer(session *s, int status, const char *content_type, const char *body, size_t len,
                      const char *const *headers) {
    free_answer(s);
    if (copy_extra_headers(s, headers) != 0) return -1;
    if (len) {
        s->body = malloc(len);
        if (!s->body) return -1;
        memcpy(s->body, body, len);
    }
    s->body_len = len;
    s->status = status;
    snprintf(s->content_type, sizeof s->content_type, "%s", content_type ? content_type : "text/plain; charset=utf-8");
    s->state = SESSION_RESPONDING;
    lws_callback_on_writable(s->wsi);
    return 0;
}

/* An answer the server gives itself (refusals, timeouts). The connection closes after it when
 * the request may have carried a body we did not read. */
static void refuse(session *s, int status, const char *text, const char *const *headers, int close_after) {
    rt_log(RT_LOG_DEBUG, "status", "%s -> %d %s", s->request.path[0] ? s->request.path : "(request)", status, text);
    s->close_after = close_after;
    if (set_answer(s, status, "text/plain; charset=utf-8", text, strlen(text), headers) != 0) kill_connection(s->wsi);
}

static int add_header(struct lws *wsi, const char *line, unsigned char **p, unsigned char *end) {
    const char *colon = strchr(line, ':');
    char name[128];
    size_t n = (size_t)(colon - line);
    if (n + 2 > sizeof name) return -1;
    memcpy(name, line, n);
    name[n] = ':';
    name[n + 1] = '\0';
    const char *value = colon + 1;
    while (*value == ' ') value++;
    return lws_add_http_header_by_name(wsi, (const unsigned char *)name, (const unsigned char *)value,
                                       (int)strlen(value), p, end);
}

/* Written with every answer: the server's pages must not be cached, sniffed or framed. */
static const char *const common_headers[] = {
    "cache-control: no-store",
    "x-content-type-options: nosniff",
    "x-frame-options: DENY",
    "referrer-policy: no-referrer",
    NULL,
};

static int write_headers(session *s, int is_stream) {
    unsigned char *buf = s->server->host->scratch;
    unsigned char *start = buf + LWS_PRE, *p = start, *end = buf + LWS_PRE + HEADER_ROOM - 1;
    /* Without a length lws announces "connection: close" and the body ends with the connection:
     * what streams need, and what an answer after which we close must say, or a client would
     * send its next request on a connection we are about to drop. */
    lws_filepos_t length = is_stream || s->close_after ? LWS_ILLEGAL_HTTP_CONTENT_LEN : (lws_filepos_t)s->body_len;
    if (lws_add_http_common_headers(s->wsi, (unsigned)s->status, s->content_type, length, &p, end)) return -1;
    for (const char *const *h = common_headers; *h; h++)
        if (add_header(s->wsi, *h, &p, end)) return -1;
    for (const char *h = s->extra_headers; h && *h; h += strlen(h) + 1)
        if (add_header(s->wsi, h, &p, end)) return -1;
    if (lws_finalize_write_http_header(s->wsi, start, &p, end)) return -1;
    s->headers_sent = 1;
    return 0;
}

static void finish_answer(session *s) {
    int close_after = s->close_after;
    free_answer(s);
    s->state = SESSION_IDLE;
    s->close_after = 0;
    if (close_after || lws_http_transaction_completed(s->wsi)) kill_connection(s->wsi);
}

static void write_answer(session *s) {
    if (!s->headers_sent) {
        if (write_headers(s, 0) != 0) { kill_connection(s->wsi); return; }
        if (s->request.head || s->body_len == 0) { finish_answer(s); return; }
        lws_callback_on_writable(s->wsi);
        return;
    }
    size_t n = s->body_len - s->body_sent;
    if (n > BODY_CHUNK) n = BODY_CHUNK;
    unsigned char *buf = s->server->host->scratch + LWS_PRE;
    memcpy(buf, s->body + s->body_sent, n);
    int last = s->body_sent + n == s->body_len;
    if (lws_write(s->wsi, buf, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) < 0) { kill_connection(s->wsi); return; }
    s->body_sent += n;
    if (last) finish_answer(s);
    else lws_callback_on_writable(s->wsi);
}

static void write_stream(session *s) {
    if (!s->headers_sent) {
        if (write_headers(s, 1) != 0) { kill_connection(s->wsi); return; }
        lws_http_mark_sse(s->wsi);
        if (s->out_head) lws_callback_on_writable(s->wsi);
        return;
    }
    chunk *c = s->out_head;
    if (!c) return;
    size_t n = c->len;
    unsigned char *buf = s->server->host->scratch + LWS_PRE;
    if (n > BODY_CHUNK) n = BODY_CHUNK;
    memcpy(buf, c->data, n);
    if (lws_write(s->wsi, buf, n, LWS_WRITE_HTTP) < 0) { kill_connection(s->wsi); return; }
    s->out_bytes -= n;
    if (n < c->len) {
        memmove(c->data, c->data + n, c->len - n);
        c->len -= n;
    } else {
        s->out_head = c->next;
        if (!s->out_head) s->out_tail = NULL;
        free(c);
    }
    if (s->out_head) lws_callback_on_writable(s->wsi);
}

static int queue_stream_data(session *s, const char *data, size_t len) {
    if (len == 0) return 0;
    if (s->out_bytes + len > s->server->max_stream_backlog) {
        /* A reader that stopped reading must not make us buffer without end. */
        rt_log(RT_LOG_DEBUG, "status", "event stream reader fell %zu bytes behind; closing it", s->out_bytes + len);
        kill_connection(s->wsi);
        return -1;
    }
    chunk *c = malloc(sizeof *c + len);
    if (!c) return -1;
    c->next = NULL;
    c->len = len;
    memcpy(c->data, data, len);
    if (s->out_tail) s->out_tail->next = c; else s->out_head = c;
    s->out_tail = c;
    s->out_bytes += len;
    if (s->headers_sent) lws_callback_on_writable(s->wsi);
    return 0;
}

/* ---- requests ---------------------------------------------------------------------------- */

static int copy_header(struct lws *wsi, enum lws_token_indexes token, char *out, size_t cap) {
    out[0] = '\0';
    int len = lws_hdr_total_length(wsi, token);
    if (len <= 0) return 0;
    if ((size_t)len >= cap) return -1;
    if (lws_hdr_copy(wsi, out, (int)cap, token) < 0) return -1;
    return len;
}

/* The query as lws decoded it, one argument per fragment, joined again with '&'. */
static int copy_query(struct lws *wsi, char *out, size_t cap) {
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0;; i++) {
        int len = lws_hdr_fragment_length(wsi, WSI_TOKEN_HTTP_URI_ARGS, i);
        if (len <= 0) break;
        if (used + (size_t)len + 2 > cap) return -1;
        if (used) out[used++] = '&';
        if (lws_hdr_copy_fragment(wsi, out + used, (int)(cap - used), WSI_TOKEN_HTTP_URI_ARGS, i) < 0) return -1;
        used += (size_t)len;
    }
    return 0;
}

static void take_request(struct lws *wsi, rt_status_server *srv, const char *uri, size_t uri_len) {
    session *s = session_of(wsi, srv);
    if (!s) { kill_connection(wsi); return; }
    srv->stats.requests++;
    memset(&s->request, 0, sizeof s->request);
    s->request.id = ++srv->next_request_id;
    s->received_ms = rt_clock_mono_ms();
    if (s->state != SESSION_IDLE) {
        /* A pipelined request while the previous answer is pending: HTTP/1.1 allows it, but
         * this server answers one at a time. */
        srv->stats.refused_bad++;
        kill_connection(wsi);
        return;
    }
    s->request.head = lws_hdr_total_length(wsi, WSI_TOKEN_HEAD_URI) > 0;
    int is_get = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > 0;
    if (uri_len < sizeof s->request.path) {
        memcpy(s->request.path, uri, uri_len);
        s->request.path[uri_len] = '\0';
    }
    if (!is_get && !s->request.head) {
        static const char *const allow[] = {"allow: GET, HEAD", NULL};
        srv->stats.refused_method++;
        refuse(s, 405, "this server is read-only: only GET and HEAD are answered\n", allow, 1);
        return;
    }
    if (srv->token.set) {
        char auth[AUTH_HEADER_MAX];
        int len = copy_header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION, auth, sizeof auth);
        int accepted = len > 0 && rt_status_token_accepts(&srv->token, auth, (size_t)len);
        sodium_memzero(auth, sizeof auth);   /* it may hold a wrong guess at the token, or the token */
        if (!accepted) {
            static const char *const challenge[] = {"www-authenticate: Basic realm=\"hedge status\", charset=\"UTF-8\"", NULL};
            srv->stats.refused_auth++;
            refuse(s, 401, "a token is required: Authorization: Bearer TOKEN (or the token as the Basic password)\n",
                   challenge, 0);
            return;
        }
    } else {
        char host[128];
        int len = copy_header(wsi, WSI_TOKEN_HOST, host, sizeof host);
        if (len <= 0 || !rt_status_host_is_loopback(host, (size_t)len)) {
            srv->stats.refused_host++;
            refuse(s, 403, "the Host header must name this machine (localhost, 127.0.0.1 or [::1])\n", NULL, 0);
            return;
        }
    }
    if (uri_len >= sizeof s->request.path) {
        srv->stats.refused_bad++;
        refuse(s, 414, "the path is too long\n", NULL, 1);
        return;
    }
    if (!rt_status_path_is_clean(uri, uri_len) || strlen(s->request.path) != uri_len) {
        srv->stats.refused_bad++;
        refuse(s, 400, "the path holds bytes that are not allowed\n", NULL, 1);
        return;
    }
    if (copy_query(wsi, s->request.query, sizeof s->request.query) != 0) {
        srv->stats.refused_bad++;
        refuse(s, 414, "the query is too long\n", NULL, 1);
        return;
    }
    if (copy_header(wsi, WSI_TOKEN_HTTP_ACCEPT, s->request.accept, sizeof s->request.accept) < 0) s->request.accept[0] = '\0';
    if (srv->queued >= srv->max_queued || !srv->on_request) {
        static const char *const retry[] = {"retry-after: 1", NULL};
        srv->stats.refused_busy++;
        refuse(s, 503, "busy: too many requests are waiting\n", retry, 0);
        return;
    }
    s->state = SESSION_QUEUED;
    if (srv->queue_tail) srv->queue_tail->queue_next = s; else srv->queue_head = s;
    srv->queue_tail = s;
    srv->queued++;
    srv->on_request(srv, srv->user);
}

/* ---- the lws callback -------------------------------------------------------------------- */

static int on_lws_http(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len) {
    (void)user;
    struct lws_vhost *vh = wsi ? lws_get_vhost(wsi) : NULL;
    rt_status_server *srv = vh ? lws_vhost_user(vh) : NULL;
    session *s = wsi ? lws_get_opaque_user_data(wsi) : NULL;
    switch (reason) {
    case LWS_CALLBACK_HTTP:
        if (!srv || srv->stopping) { kill_connection(wsi); break; }
        take_request(wsi, srv, in ? (const char *)in : "", in ? len : 0);
        break;
    case LWS_CALLBACK_HTTP_BODY:
        break;   /* bodies are never read: only GET and HEAD are served, others are refused and closed */
    case LWS_CALLBACK_HTTP_WRITEABLE:
        if (!s) break;
        if (s->state == SESSION_RESPONDING) write_answer(s);
        else if (s->state == SESSION_STREAM) write_stream(s);
        break;
    case LWS_CALLBACK_CLOSED_HTTP:
    case LWS_CALLBACK_WSI_DESTROY:
        if (s) free_session(s, 1);
        break;
    default:
        break;
    }
    return 0;
}

static const struct lws_protocols protocols[] = {
    {"http", on_lws_http, 0, 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

/* ---- time limits ------------------------------------------------------------------------- */

/* Once a second: requests the owner left unanswered too long get 503. */
static void on_tick(uv_timer_t *timer) {
    rt_status_server *srv = timer->data;
    int64_t now = rt_clock_mono_ms();
    for (session *s = srv->sessions; s; s = s->next) {
        if (s->state != SESSION_QUEUED && s->state != SESSION_HANDED) continue;
        if (now - s->received_ms < (int64_t)srv->answer_timeout_s * 1000) continue;
        if (s->state == SESSION_QUEUED) unqueue(s);
        srv->stats.timeouts++;
        refuse(s, 503, "the bot did not answer in time\n", NULL, 0);
    }
}

/* ---- host -------------------------------------------------------------------------------- */

static void lws_log_to_ours(int level, const char *line) {
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    rt_log_text(level == LLL_ERR ? RT_LOG_DEBUG : RT_LOG_TRACE, "lws", line, n);
}

rt_status_host *rt_status_host_new(uv_loop_t *loop, char *err, size_t errcap) {
    lws_set_log_level(LLL_ERR, lws_log_to_ours);
    rt_status_host *host = calloc(1, sizeof *host);
    if (!host) { snprintf(err, errcap, "out of memory"); return NULL; }
    host->loop = loop;
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    void *foreign_loops[1] = {loop};
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
    info.foreign_loops = foreign_loops;
    info.pcontext = &host->lws;          /* lws clears it once the context is really gone */
    info.fd_limit_per_thread = 256;      /* also the most connections the status servers hold */
    info.max_http_header_data = 4096;
    info.max_http_header_pool = 32;
    info.server_string = "hedge";
    info.user = host;
    host->lws = lws_create_context(&info);
    if (!host->lws) {
        snprintf(err, errcap, "cannot create the HTTP server context (is the libwebsockets-evlib-uv package installed?)");
        free(host);
        return NULL;
    }
    return host;
}

static void maybe_free_server(rt_status_server *srv) {
    if (!srv->vhost_gone || !srv->timer_closed) return;
    rt_status_host *host = srv->host;
    for (rt_status_server **link = &host->servers; *link; link = &(*link)->host_next) {
        if (*link == srv) { *link = srv->host_next; break; }
    }
    while (srv->sessions) free_session(srv->sessions, 0);
    rt_status_token_clear(&srv->token);
    free(srv);
}

static void on_timer_closed(uv_handle_t *handle) {
    rt_status_server *srv = handle->data;
    srv->timer_closed = 1;
    maybe_free_server(srv);
}

static void on_vhost_finalized(struct lws_vhost *vh, void *arg) {
    (void)vh;
    rt_status_server *srv = arg;
    srv->vhost = NULL;
    srv->vhost_gone = 1;
    maybe_free_server(srv);
}

static void stop_server(rt_status_server *srv, int destroy_vhost) {
    if (srv->stopping) return;
    srv->stopping = 1;
    srv->on_request = NULL;
    while (srv->queue_head) unqueue(srv->queue_head);
    uv_timer_stop(&srv->timer);
    uv_close((uv_handle_t *)&srv->timer, on_timer_closed);
    for (session *s = srv->sessions; s; s = s->next) kill_connection(s->wsi);
    if (destroy_vhost && srv->vhost) lws_vhost_destroy(srv->vhost);
}

void rt_status_host_shutdown(rt_status_host *host) {
    if (host->shutting_down) return;
    host->shutting_down = 1;
    /* The context destroys its vhosts itself; destroying them here as well would do it twice. */
    for (rt_status_server *srv = host->servers; srv; srv = srv->host_next) stop_server(srv, 0);
    if (host->lws) lws_context_destroy(host->lws);   /* first call: closes lws's own uv handles */
}

void rt_status_host_free(rt_status_host *host) {
    if (host->lws) lws_context_destroy(host->lws);   /* second call: frees the context, unloads the plugin */
    while (host->servers) {
        rt_status_server *srv = host->servers;
        srv->vhost_gone = srv->timer_closed = 1;     /* the context and the loop are done with both */
        maybe_free_server(srv);
    }
    free(host);
}

/* ---- servers ----------------------------------------------------------------------------- */

rt_status_server *rt_status_server_start(rt_status_host *host, const rt_status_server_options *o, char *err,
                                         size_t errcap) {
    if (host->shutting_down) { snprintf(err, errcap, "shutting down"); return NULL; }
    rt_status_server *srv = calloc(1, sizeof *srv);
    if (!srv) { snprintf(err, errcap, "out of memory"); return NULL; }
    if (rt_status_listen_parse(o->listen, &srv->listen, err, errcap) != 0) { free(srv); return NULL; }
    if (o->token && rt_status_token_set(&srv->token, o->token, o->token_len, err, errcap) != 0) {
        rt_status_token_clear(&srv->token);
        free(srv);
        return NULL;
    }
    if (!srv->listen.loopback && !srv->token.set) {
        snprintf(err, errcap, "listening on %s (not loopback) needs a token: anyone reaching the port could read the bot's positions",
                 srv->listen.address);
        free(srv);
        return NULL;
    }
    for (rt_status_server *other = host->servers; other; other = other->host_next) {
        /* lws would not fail here: a second vhost on a port it already listens on shares the
         * socket (and picks the vhost by Host header). Two servers must never share. */
        if (srv->listen.port != 0 && other->port == srv->listen.port) {
            snprintf(err, errcap, "cannot listen on %s: this process already listens on port %d%s", o->listen, other->port,
                     other->stopping ? " (a stopped server is still closing)" : "");
            rt_status_token_clear(&srv->token);
            free(srv);
            return NULL;
        }
    }
    srv->host = host;
    srv->max_queued = o->max_queued > 0 ? o->max_queued : DEFAULT_MAX_QUEUED;
    srv->answer_timeout_s = o->answer_timeout_s > 0 ? o->answer_timeout_s : DEFAULT_ANSWER_TIMEOUT_S;
    srv->max_stream_backlog = o->max_stream_backlog ? o->max_stream_backlog : DEFAULT_STREAM_BACKLOG;
    srv->on_request = o->on_request;
    srv->user = o->user;

    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = srv->listen.port;
    info.iface = srv->listen.address;
    info.protocols = protocols;
    info.vhost_name = "hedge-status";
    info.options = srv->listen.ipv6 ? 0 : LWS_SERVER_OPTION_DISABLE_IPV6;
    info.keepalive_timeout = 15;
    info.timeout_secs = 10;
    info.user = srv;
    info.finalize = on_vhost_finalized;
    info.finalize_arg = srv;
    srv->vhost = lws_create_vhost(host->lws, &info);
    if (!srv->vhost) {
        snprintf(err, errcap, "cannot listen on %s: the port may be in use or the address not on this machine", o->listen);
        rt_status_token_clear(&srv->token);
        free(srv);
        return NULL;
    }
    srv->port = lws_get_vhost_listen_port(srv->vhost);
    uv_timer_init(host->loop, &srv->timer);
    srv->timer.data = srv;
    uv_timer_start(&srv->timer, on_tick, 1000, 1000);
    uv_unref((uv_handle_t *)&srv->timer);     /* the server alone must not keep the loop running */
    srv->host_next = host->servers;
    host->servers = srv;
    return srv;
}

int rt_status_server_port(const rt_status_server *srv) { return srv->port; }

void rt_status_server_stop(rt_status_server *srv) { stop_server(srv, 1); }

int rt_status_server_next(rt_status_server *srv, rt_status_request *out) {
    session *s = srv->queue_head;
    if (!s || srv->stopping) return 0;
    unqueue(s);
    s->state = SESSION_HANDED;
    *out = s->request;
    return 1;
}

static session *handed(rt_status_server *srv, uint64_t id) {
    if (srv->stopping) return NULL;
    for (session *s = srv->sessions; s; s = s->next)
        if (s->state == SESSION_HANDED && s->request.id == id) return s;
    return NULL;
}

int rt_status_server_respond(rt_status_server *srv, uint64_t id, int status, const char *content_type,
                             const char *body, size_t len, const char *const *extra_headers) {
    session *s = handed(srv, id);
    if (!s || status < 100 || status > 599 || (len && !body)) return -1;
    if (content_type && (strlen(content_type) >= sizeof s->content_type || strpbrk(content_type, "\r\n"))) return -1;
    if (set_answer(s, status, content_type, body, len, extra_headers) != 0) return -1;
    if (rt_log_enabled(RT_LOG_DEBUG, "status"))
        rt_log(RT_LOG_DEBUG, "status", "GET %s -> %d (%zu bytes)", s->request.path, status, len);
    return 0;
}

int rt_status_server_open_stream(rt_status_server *srv, uint64_t id, const char *first_event, size_t len) {
    static const char *const stream_headers[] = {"x-accel-buffering: no", NULL};
    session *s = handed(srv, id);
    if (!s) return -1;
    /* HEAD asks what a GET would get: the stream's headers, and no stream. */
    if (s->request.head) return set_answer(s, 200, "text/event-stream; charset=utf-8", NULL, 0, stream_headers);
    free_answer(s);
    if (copy_extra_headers(s, stream_headers) != 0) return -1;
    s->status = 200;
    snprintf(s->content_type, sizeof s->content_type, "text/event-stream; charset=utf-8");
    s->state = SESSION_STREAM;
    srv->streams++;
    if (first_event && len) queue_stream_data(s, first_event, len);
    lws_callback_on_writable(s->wsi);
    return 0;
}

int rt_status_server_broadcast(rt_status_server *srv, const char *data, size_t len) {
    if (srv->stopping || !data) return 0;
    int taken = 0;
    for (session *s = srv->sessions; s; s = s->next)
        if (s->state == SESSION_STREAM && queue_stream_data(s, data, len) == 0) taken++;
    return taken;
}

void rt_status_server_stats(const rt_status_server *srv, rt_status_stats *out) {
    *out = srv->stats;
    out->connections = srv->connections;
    out->streams = srv->streams;
    out->queued = srv->queued;
}
