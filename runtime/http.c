/* libcurl multi on libuv. The pattern: curl tells us which sockets to watch (socket callback)
 * and when to wake it (timer callback); we translate both into uv handles and hand events
 * back with curl_multi_socket_action. The timer callback only arms the uv timer; it never
 * calls curl itself (curl forbids re-entering the multi handle from its own callbacks). */
#include "runtime/http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_TIMEOUT_MS 30000L
#define DEFAULT_CONNECT_TIMEOUT_MS 10000L

#define EASY_POOL_MAX 32

struct rt_http {
    uv_loop_t *loop;
    CURLM *multi;
    CURL *easy_pool[EASY_POOL_MAX];   /* reset handles kept for reuse: creating one per request
                                         costs more than the request itself on loopback */
    int easy_pooled;
    uv_timer_t timer;
    rt_http_transfer *transfers;   /* doubly linked list of live transfers */
    rt_http_stats stats;
    int shutting_down;
};

struct rt_http_transfer {
    rt_http *http;
    CURL *easy;
    struct curl_slist *header_list;
    rt_http_done_fn done;
    void *ctx;
    char *body;
    size_t body_len, body_cap;
    rt_http_header *headers;
    size_t header_count, header_cap;
    char *request_body;            /* our copy of the body, handed to curl by on_read_body */
    size_t request_len, request_off;
    char curl_error[CURL_ERROR_SIZE];
    rt_http_transfer *prev, *next;
};

typedef struct socket_watch {
    uv_poll_t poll;
    curl_socket_t fd;
    rt_http *http;
} socket_watch;

static void check_finished(rt_http *http);

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) { fprintf(stderr, "hedge: out of memory\n"); abort(); }
    return q;
}

const char *rt_http_error_kind_name(rt_http_error_kind kind) {
    switch (kind) {
    case RT_HTTP_OK: return "ok";
    case RT_HTTP_NETWORK: return "network";
    case RT_HTTP_TIMEOUT: return "timeout";
    case RT_HTTP_CANCELLED: return "cancelled";
    case RT_HTTP_BAD_REQUEST: return "bad_request";
    }
    return "unknown";
}

/* ---- curl -> uv ------------------------------------------------------------------------ */

static void on_poll_closed(uv_handle_t *handle) { free(handle->data); }

static void on_socket_event(uv_poll_t *poll, int status, int events) {
    socket_watch *watch = poll->data;
    rt_http *http = watch->http;
    int flags = 0;
    if (status < 0) flags = CURL_CSELECT_ERR;
    if (events & UV_READABLE) flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
    int running;
    curl_multi_socket_action(http->multi, watch->fd, flags, &running);
    check_finished(http);
}

static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp) {
    rt_http *http = userp;
    socket_watch *watch = socketp;
    if (what == CURL_POLL_REMOVE) {
        if (watch) {
            uv_poll_stop(&watch->poll);
            uv_close((uv_handle_t *)&watch->poll, on_poll_closed);
            curl_multi_assign(http->multi, fd, NULL);
        }
        return 0;
    }
    if (!watch) {
        watch = calloc(1, sizeof *watch);
        if (!watch) return -1;
        watch->fd = fd;
        watch->http = http;
        if (uv_poll_init_socket(http->loop, &watch->poll, fd) != 0) { free(watch); return -1; }
        watch->poll.data = watch;
        curl_multi_assign(http->multi, fd, watch);
    }
    int events = 0;
    if (what & CURL_POLL_IN) events |= UV_READABLE;
    if (what & CURL_POLL_OUT) events |= UV_WRITABLE;
    uv_poll_start(&watch->poll, events, on_socket_event);
    return 0;
}

static void on_timer(uv_timer_t *timer) {
    rt_http *http = timer->data;
    int running;
    curl_multi_socket_action(http->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_finished(http);
}

static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp) {
    rt_http *http = userp;
    if (timeout_ms < 0) uv_timer_stop(&http->timer);
    else uv_timer_start(&http->timer, on_timer, (uint64_t)timeout_ms, 0);
    return 0;
}

/* ---- transfers ------------------------------------------------------------------------- */

/* Hands curl the request body once, front to back (see the comment where it is set). */
static size_t on_read_body(char *buf, size_t size, size_t nitems, void *userp) {
    rt_http_transfer *t = userp;
    size_t room = size * nitems, left = t->request_len - t->request_off;
    size_t n = left < room ? left : room;
    if (n) memcpy(buf, t->request_body + t->request_off, n);
    t->request_off += n;
    return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp) {
    rt_http_transfer *t = userp;
    size_t n = size * nmemb;
    if (t->body_len + n + 1 > t->body_cap) {
        size_t cap = t->body_cap ? t->body_cap : 4096;
        while (cap < t->body_len + n + 1) cap *= 2;
        t->body = xrealloc(t->body, cap);
        t->body_cap = cap;
    }
    memcpy(t->body + t->body_len, data, n);
    t->body_len += n;
    t->body[t->body_len] = '\0';
    return n;
}

static void clear_headers(rt_http_transfer *t) {
    for (size_t i = 0; i < t->header_count; i++) {
        free(t->headers[i].name);
        free(t->headers[i].value);
    }
    t->header_count = 0;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userp) {
    rt_http_transfer *t = userp;
    size_t n = size * nmemb;
    /* A status line starts a new header block (after 100 Continue, for instance). */
    if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) { clear_headers(t); return n; }
    const char *colon = memchr(data, ':', n);
    if (!colon) return n;
    size_t name_len = (size_t)(colon - data);
    const char *value = colon + 1;
    size_t value_len = n - name_len - 1;
    while (value_len && (*value == ' ' || *value == '\t')) { value++; value_len--; }
    while (value_len && (value[value_len - 1] == '\r' || value[value_len - 1] == '\n' || value[value_len - 1] == ' '))
        value_len--;
    if (t->header_count == t->header_cap) {
        t->header_cap = t->header_cap ? t->header_cap * 2 : 16;
        t->headers = xrealloc(t->headers, t->header_cap * sizeof *t->headers);
    }
    rt_http_header *h = &t->headers[t->header_count++];
    h->name = strndup(data, name_len);
    h->value = strndup(value, value_len);
    if (!h->name || !h->value) { fprintf(stderr, "hedge: out of memory\n"); abort(); }
    for (char *p = h->name; *p; p++) *p = (char)tolower((unsigned char)*p);
    return n;
}

static void unlink_transfer(rt_http_transfer *t) {
    rt_http *http = t->http;
    if (t->prev) t->prev->next = t->next; else http->transfers = t->next;
    if (t->next) t->next->prev = t->prev;
    t->prev = t->next = NULL;
}

static void free_transfer(rt_http_transfer *t) {
    rt_http *http = t->http;
    clear_headers(t);
    free(t->headers);
    free(t->body);
    free(t->request_body);
    curl_slist_free_all(t->header_list);
    if (t->easy && !http->shutting_down && http->easy_pooled < EASY_POOL_MAX) {
        curl_easy_reset(t->easy);     /* back to defaults; connections live in the multi's cache */
        http->easy_pool[http->easy_pooled++] = t->easy;
    } else if (t->easy) {
        curl_easy_cleanup(t->easy);
    }
    free(t);
}

static rt_http_error_kind classify(CURLcode code) {
    switch (code) {
    case CURLE_OK: return RT_HTTP_OK;
    case CURLE_OPERATION_TIMEDOUT: return RT_HTTP_TIMEOUT;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_BAD_FUNCTION_ARGUMENT: return RT_HTTP_BAD_REQUEST;
    default: return RT_HTTP_NETWORK;
    }
}

static void finish(rt_http_transfer *t, CURLcode code) {
    rt_http *http = t->http;
    rt_http_response resp;
    memset(&resp, 0, sizeof resp);
    resp.error = classify(code);
    if (code != CURLE_OK)
        snprintf(resp.error_text, sizeof resp.error_text, "%s", t->curl_error[0] ? t->curl_error : curl_easy_strerror(code));
    long request_size = 0, connects = 0;
    curl_easy_getinfo(t->easy, CURLINFO_REQUEST_SIZE, &request_size);
    curl_easy_getinfo(t->easy, CURLINFO_NUM_CONNECTS, &connects);
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &resp.status);
    curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME, &resp.total_ms);
    long version = 0;
    curl_easy_getinfo(t->easy, CURLINFO_HTTP_VERSION, &version);
    resp.http_version = version == CURL_HTTP_VERSION_2_0 ? 2 : 1;
    resp.total_ms *= 1000.0;
    resp.request_sent = request_size > 0;
    resp.headers = t->headers;
    resp.header_count = t->header_count;
    resp.body = t->body ? t->body : "";
    resp.body_len = t->body_len;
    http->stats.connections_opened += (uint64_t)connects;
    if (resp.error == RT_HTTP_OK) http->stats.completed++; else http->stats.failed++;
    t->done(t, &resp, t->ctx);
    free_transfer(t);
}

static void check_finished(rt_http *http) {
    CURLMsg *msg;
    int pending;
    while ((msg = curl_multi_info_read(http->multi, &pending))) {
        if (msg->msg != CURLMSG_DONE) continue;
        CURL *easy = msg->easy_handle;
        CURLcode code = msg->data.result;
        rt_http_transfer *t = NULL;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
        curl_multi_remove_handle(http->multi, easy);
        unlink_transfer(t);
        finish(t, code);
    }
}

rt_http_transfer *rt_http_start(rt_http *http, const rt_http_request *req, rt_http_done_fn done, void *ctx,
                                char *err, size_t errcap) {
    if (http->shutting_down) { snprintf(err, errcap, "http client is shutting down"); return NULL; }
    if (!req->url || !req->method) { snprintf(err, errcap, "request needs a method and a url"); return NULL; }
    rt_http_transfer *t = calloc(1, sizeof *t);
    if (!t) { snprintf(err, errcap, "out of memory"); return NULL; }
    t->http = http;
    t->done = done;
    t->ctx = ctx;
    t->easy = http->easy_pooled ? http->easy_pool[--http->easy_pooled] : curl_easy_init();
    if (!t->easy) { free(t); snprintf(err, errcap, "curl_easy_init failed"); return NULL; }
    CURL *e = t->easy;
    long timeout = req->timeout_ms > 0 ? req->timeout_ms : DEFAULT_TIMEOUT_MS;
    long connect_timeout = req->connect_timeout_ms > 0 ? req->connect_timeout_ms
                         : (timeout < DEFAULT_CONNECT_TIMEOUT_MS ? timeout : DEFAULT_CONNECT_TIMEOUT_MS);
    curl_easy_setopt(e, CURLOPT_PRIVATE, t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->curl_error);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    /* Over TLS, wait for ALPN to tell whether a connection in progress can be multiplexed
     * (HTTP/2) instead of opening another. Plain http is HTTP/1.1 here: waiting would only
     * serialise concurrent requests behind one connection. */
    if (req->url && strncasecmp(req->url, "https://", 8) == 0) curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);      /* never switched off, not even for tests */
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");     /* gzip/deflate when the server offers it */
    curl_easy_setopt(e, CURLOPT_USERAGENT, "hedge/1");
    if (req->ca_file) curl_easy_setopt(e, CURLOPT_CAINFO, req->ca_file);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
    if (curl_easy_setopt(e, CURLOPT_URL, req->url) != CURLE_OK) {
        snprintf(err, errcap, "malformed url");
        free_transfer(t);
        return NULL;
    }
    if (strcmp(req->method, "GET") == 0) {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(req->method, "HEAD") == 0) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
    }
    if (req->body || strcmp(req->method, "POST") == 0 || strcmp(req->method, "PUT") == 0) {
        t->request_body = malloc(req->body_len + 1);
        if (!t->request_body) { snprintf(err, errcap, "out of memory"); free_transfer(t); return NULL; }
        if (req->body_len) memcpy(t->request_body, req->body, req->body_len);
        t->request_body[req->body_len] = '\0';
        t->request_len = req->body_len;
        /* The body goes through a read callback with no seek callback, never POSTFIELDS: when a
         * reused connection dies before any answer byte, libcurl re-sends the request on a fresh
         * connection by itself, and with POSTFIELDS it would (an order the venue took, sent a
         * second time). Unable to rewind a body it already sent, curl fails the transfer
         * instead, and the caller sees an outcome it must resolve (venues.base). */
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        curl_easy_setopt(e, CURLOPT_READFUNCTION, on_read_body);
        curl_easy_setopt(e, CURLOPT_READDATA, t);
    }
    /* curl adds "Expect: 100-continue" to large POSTs, costing a round trip: never wanted. */
    t->header_list = curl_slist_append(NULL, "Expect:");
    for (const char *const *h = req->headers; h && *h; h++) {
        if (strchr(*h, '\r') || strchr(*h, '\n') || !strchr(*h, ':')) {
            snprintf(err, errcap, "malformed header (needs 'Name: value' on one line)");
            free_transfer(t);
            return NULL;
        }
        t->header_list = curl_slist_append(t->header_list, *h);
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->header_list);

    t->next = http->transfers;
    if (http->transfers) http->transfers->prev = t;
    http->transfers = t;
    CURLMcode mc = curl_multi_add_handle(http->multi, e);
    if (mc != CURLM_OK) {
        unlink_transfer(t);
        snprintf(err, errcap, "curl_multi_add_handle: %s", curl_multi_strerror(mc));
        free_transfer(t);
        return NULL;
    }
    http->stats.started++;
    return t;
}

void rt_http_cancel(rt_http_transfer *t) {
    rt_http *http = t->http;
    curl_multi_remove_handle(http->multi, t->easy);
    unlink_transfer(t);
    free_transfer(t);
}

rt_http *rt_http_new(uv_loop_t *loop, char *err, size_t errcap) {
    static int global_done;
    if (!global_done) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) { snprintf(err, errcap, "curl_global_init failed"); return NULL; }
        global_done = 1;
    }
    rt_http *http = calloc(1, sizeof *http);
    if (!http) { snprintf(err, errcap, "out of memory"); return NULL; }
    http->loop = loop;
    http->multi = curl_multi_init();
    if (!http->multi) { free(http); snprintf(err, errcap, "curl_multi_init failed"); return NULL; }
    uv_timer_init(loop, &http->timer);
    http->timer.data = http;
    curl_multi_setopt(http->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
    curl_multi_setopt(http->multi, CURLMOPT_SOCKETDATA, http);
    curl_multi_setopt(http->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
    curl_multi_setopt(http->multi, CURLMOPT_TIMERDATA, http);
    curl_multi_setopt(http->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    return http;
}

static void on_timer_closed(uv_handle_t *handle) { (void)handle; }

void rt_http_shutdown(rt_http *http) {
    if (http->shutting_down) return;
    http->shutting_down = 1;
    while (http->transfers) {
        rt_http_transfer *t = http->transfers;
        curl_multi_remove_handle(http->multi, t->easy);
        unlink_transfer(t);
        rt_http_response resp;
        memset(&resp, 0, sizeof resp);
        resp.error = RT_HTTP_CANCELLED;
        snprintf(resp.error_text, sizeof resp.error_text, "cancelled: shutting down");
        resp.body = "";
        t->done(t, &resp, t->ctx);
        free_transfer(t);
    }
    while (http->easy_pooled) curl_easy_cleanup(http->easy_pool[--http->easy_pooled]);
    curl_multi_cleanup(http->multi);   /* fires CURL_POLL_REMOVE for each socket: polls get closed */
    http->multi = NULL;
    uv_timer_stop(&http->timer);
    uv_close((uv_handle_t *)&http->timer, on_timer_closed);
}

void rt_http_free(rt_http *http) { free(http); }

void rt_http_get_stats(const rt_http *http, rt_http_stats *out) { *out = http->stats; }
