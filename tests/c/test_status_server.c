/* The status server on a real loop and real sockets (runtime/status_server.c): answers taken
 * by an owner later (as the Lua binding does), keep-alive, HEAD, big bodies, server-sent
 * events, time limits, methods, the Host rule on loopback, the token off loopback, and a
 * fuzzed set of request paths and headers that must never crash the server or reach the owner
 * malformed. The loop runs on the main thread; the client runs on a second thread with
 * blocking sockets, so the server is exercised exactly as a browser or a scraper would.
 * HEDGE_FUZZ_CASES sets the number of fuzzed requests (default 1000), HEDGE_FUZZ_SEED the seed. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "runtime/status_server.h"
#include "tests/c/tap.h"

static const char *TOKEN = "test-token-abcdefghijklmnop";

static uv_loop_t loop;
static rt_status_host *host;
static rt_status_server *plain_server, *token_server;
static int plain_port, token_port;
static uv_async_t finished;
static uv_timer_t serve_timer, later_timer, tick_timer;
static uint64_t later_id;
static rt_status_server *later_server;
static int ticks;
/* What the owner saw (read by the client thread only after the loop thread wrote them and
 * the client waited for an answer that depends on them, or after the join). */
static volatile int owner_requests, owner_bad_requests;

/* ---- the owner (on the loop thread) ------------------------------------------------------ */

static void answer_text(rt_status_server *srv, uint64_t id, int status, const char *text) {
    rt_status_server_respond(srv, id, status, "text/plain", text, strlen(text), NULL);
}

static void on_later(uv_timer_t *t) {
    (void)t;
    answer_text(later_server, later_id, 200, "later\n");
}

static void on_tick(uv_timer_t *t) {
    (void)t;
    char event[64];
    int n = snprintf(event, sizeof event, "data: tick %d\n\n", ++ticks);
    rt_status_server_broadcast(plain_server, event, (size_t)n);
}

static void handle(rt_status_server *srv, const rt_status_request *r) {
    owner_requests++;
    if (r->path[0] != '/' || strpbrk(r->path, "\r\n") || strlen(r->path) >= RT_STATUS_PATH_MAX) owner_bad_requests++;
    if (strcmp(r->path, "/hello") == 0) {
        answer_text(srv, r->id, 200, "hello\n");
    } else if (strcmp(r->path, "/echo") == 0) {
        char body[2048];
        snprintf(body, sizeof body, "path=%s\nquery=%s\nhead=%d\naccept=%s\n", r->path, r->query, r->head, r->accept);
        answer_text(srv, r->id, 200, body);
    } else if (strcmp(r->path, "/big") == 0) {
        size_t n = 300000;
        char *big = malloc(n);
        for (size_t i = 0; i < n; i++) big[i] = (char)('a' + i % 26);
        rt_status_server_respond(srv, r->id, 200, "text/plain", big, n, NULL);
        free(big);
    } else if (strcmp(r->path, "/later") == 0) {
        later_id = r->id;
        later_server = srv;
        uv_timer_start(&later_timer, on_later, 150, 0);
    } else if (strcmp(r->path, "/never") == 0) {
        /* left unanswered: the server answers 503 after answer_timeout_s */
    } else if (strcmp(r->path, "/events") == 0) {
        const char first[] = "data: first\n\n";
        rt_status_server_open_stream(srv, r->id, first, sizeof first - 1);
        uv_timer_start(&tick_timer, on_tick, 30, 30);
    } else if (strcmp(r->path, "/headers") == 0) {
        const char *bad[] = {"x-bad\r\ninjected: 1", NULL};
        int refused = rt_status_server_respond(srv, r->id, 200, "text/plain", "x", 1, bad);
        const char *good[] = {"x-test: one", "content-security-policy: default-src 'self'", NULL};
        const char *text = refused == -1 ? "injection refused\n" : "injection ACCEPTED\n";
        rt_status_server_respond(srv, r->id, 200, "text/plain", text, strlen(text), good);
    } else if (strcmp(r->path, "/twice") == 0) {
        answer_text(srv, r->id, 200, "first\n");
        if (rt_status_server_respond(srv, r->id, 200, "text/plain", "second\n", 7, NULL) == 0) owner_bad_requests++;
    } else {
        answer_text(srv, r->id, 404, "not found\n");
    }
}

static void serve(uv_timer_t *t) {
    (void)t;
    rt_status_request r;
    rt_status_server *servers[2] = {plain_server, token_server};
    for (int i = 0; i < 2; i++)
        while (servers[i] && rt_status_server_next(servers[i], &r)) handle(servers[i], &r);
}

/* Like the Lua binding: the server's callback only schedules the work. */
static void on_request(rt_status_server *srv, void *user) {
    (void)srv;
    (void)user;
    uv_timer_start(&serve_timer, serve, 0, 0);
}

static void on_closed(uv_handle_t *h) { (void)h; }

static void on_finished(uv_async_t *a) {
    (void)a;
    rt_status_stats st;
    rt_status_server_stats(plain_server, &st);
    ok(st.requests > 0 && st.refused_method > 0 && st.refused_host > 0 && st.timeouts == 1,
       "server counters: %llu requests, %llu wrong methods, %llu wrong hosts, %llu timeouts, %llu bad, %llu busy",
       (unsigned long long)st.requests, (unsigned long long)st.refused_method, (unsigned long long)st.refused_host,
       (unsigned long long)st.timeouts, (unsigned long long)st.refused_bad, (unsigned long long)st.refused_busy);
    rt_status_server_stop(token_server);   /* one server stopped on its own, the other by the host */
    token_server = NULL;
    rt_status_host_shutdown(host);
    plain_server = NULL;
    uv_close((uv_handle_t *)&finished, on_closed);
    uv_close((uv_handle_t *)&serve_timer, on_closed);
    uv_close((uv_handle_t *)&later_timer, on_closed);
    uv_close((uv_handle_t *)&tick_timer, on_closed);
}

/* ---- the client (on its own thread) ------------------------------------------------------- */

static int connect_to(int port, int timeout_ms) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) { close(fd); return -1; }
    return fd;
}

static int send_all(int fd, const char *data, size_t len) {
    while (len) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n <= 0) return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

typedef struct response {
    int status;           /* 0: no status line came */
    char head[4096];      /* the header block */
    char *body;
    size_t body_len;
    int closed;           /* the server closed the connection after it */
} response;

static long header_number(const char *head, const char *name) {
    char key[64];
    snprintf(key, sizeof key, "\n%s:", name);
    const char *p = strcasestr(head, key);
    return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* Reads one response: the head, then content-length bytes (or up to close when there is none). */
static void read_response(int fd, response *r, int is_head) {
    memset(r, 0, sizeof *r);
    static char buf[1 << 20];
    size_t used = 0;
    char *end = NULL;
    while (!end && used < sizeof buf - 1) {
        ssize_t n = recv(fd, buf + used, sizeof buf - 1 - used, 0);
        if (n <= 0) { r->closed = n == 0; break; }
        used += (size_t)n;
        buf[used] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    if (!end) return;
    size_t head_len = (size_t)(end - buf) + 4;
    snprintf(r->head, sizeof r->head, "%.*s", (int)head_len, buf);
    if (strncmp(buf, "HTTP/1.", 7) == 0) r->status = atoi(buf + 9);
    long want = is_head ? 0 : header_number(r->head, "content-length");
    if (strcasestr(r->head, "content-type: text/event-stream")) want = 0;   /* a stream never ends: the head is enough */
    size_t have = used - head_len;
    while (want < 0 || (long)have < want) {
        if (used >= sizeof buf - 1) break;
        ssize_t n = recv(fd, buf + used, sizeof buf - 1 - used, 0);
        if (n <= 0) { r->closed = n == 0; break; }
        used += (size_t)n;
        have += (size_t)n;
    }
    r->body_len = want >= 0 && (long)have > want ? (size_t)want : have;
    r->body = malloc(r->body_len + 1);
    memcpy(r->body, buf + head_len, r->body_len);
    r->body[r->body_len] = '\0';
}

static void free_response(response *r) { free(r->body); r->body = NULL; }

/* One request on a fresh connection. */
static int exchange(int port, const char *raw, response *r) {
    int fd = connect_to(port, 3000);
    if (fd < 0) { memset(r, 0, sizeof *r); return -1; }
    send_all(fd, raw, strlen(raw));
    read_response(fd, r, strncmp(raw, "HEAD ", 5) == 0);
    close(fd);
    return r->status;
}

static int get_status(int port, const char *path, const char *extra) {
    char raw[2048], host_line[64] = "";
    if (!extra || !strcasestr(extra, "Host:")) snprintf(host_line, sizeof host_line, "Host: 127.0.0.1:%d\r\n", port);
    snprintf(raw, sizeof raw, "GET %s HTTP/1.1\r\n%s%sConnection: close\r\n\r\n", path, host_line, extra ? extra : "");
    response r;
    int status = exchange(port, raw, &r);
    free_response(&r);
    return status;
}

static void test_basics(void) {
    char raw[1024];
    response r;
    snprintf(raw, sizeof raw, "GET /hello HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", plain_port);
    is_int(exchange(plain_port, raw, &r), 200, "GET /hello answered by the owner");
    is_str(r.body, "hello\n", "with the owner's body");
    ok(strcasestr(r.head, "content-type: text/plain") != NULL, "and its content type");
    ok(strcasestr(r.head, "cache-control: no-store") && strcasestr(r.head, "x-content-type-options: nosniff") &&
       strcasestr(r.head, "x-frame-options: DENY"), "every answer carries no-store, nosniff and DENY");
    free_response(&r);

    snprintf(raw, sizeof raw, "GET /echo?from=2026-01-01&to=%%32%%30&x=a%%26b HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
    is_int(exchange(plain_port, raw, &r), 200, "GET with a query");
    ok(strstr(r.body, "query=from=2026-01-01&to=20&x=a&b\n") != NULL, "query arguments decoded and joined");
    ok(strstr(r.body, "accept=text/html\n") != NULL, "the Accept header reaches the owner");
    free_response(&r);

    snprintf(raw, sizeof raw, "GET /%%61pi/%%73tate HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    exchange(plain_port, raw, &r);
    is_int(r.status, 404, "an encoded path is decoded before routing (the owner saw /api/state)");
    free_response(&r);

    snprintf(raw, sizeof raw, "HEAD /big HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    is_int(exchange(plain_port, raw, &r), 200, "HEAD is answered");
    is_int(header_number(r.head, "content-length"), 300000, "with the length a GET would have");
    is_int((long long)r.body_len, 0, "and no body");
    free_response(&r);

    snprintf(raw, sizeof raw, "GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    exchange(plain_port, raw, &r);
    int intact = r.body_len == 300000;
    for (size_t i = 0; intact && i < r.body_len; i++) intact = r.body[i] == (char)('a' + i % 26);
    ok(r.status == 200 && intact, "a 300 kB body arrives whole and in order (%zu bytes)", r.body_len);
    free_response(&r);

    snprintf(raw, sizeof raw, "GET /later HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    is_int(exchange(plain_port, raw, &r), 200, "an answer given 150 ms later by the owner arrives");
    is_str(r.body, "later\n", "with its body");
    free_response(&r);

    snprintf(raw, sizeof raw, "GET /headers HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    exchange(plain_port, raw, &r);
    is_str(r.body, "injection refused\n", "a header with CR/LF is refused by respond");
    ok(strcasestr(r.head, "\r\nx-test: one\r\n") && strcasestr(r.head, "content-security-policy: default-src 'self'"),
       "the owner's extra headers are sent");
    ok(!strcasestr(r.head, "injected"), "nothing was injected");
    free_response(&r);

    snprintf(raw, sizeof raw, "GET /twice HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    exchange(plain_port, raw, &r);
    is_str(r.body, "first\n", "a request is answered once; a second answer is refused");
    free_response(&r);
}

static void test_keep_alive(void) {
    int fd = connect_to(plain_port, 3000);
    char raw[256];
    response r;
    int all = 1;
    for (int i = 0; i < 5; i++) {
        snprintf(raw, sizeof raw, "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        send_all(fd, raw, strlen(raw));
        read_response(fd, &r, 0);
        all = all && r.status == 200 && strcmp(r.body, "hello\n") == 0 && !r.closed;
        free_response(&r);
    }
    ok(all, "five requests on one keep-alive connection");
    snprintf(raw, sizeof raw, "HEAD /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    send_all(fd, raw, strlen(raw));
    read_response(fd, &r, 1);
    int head_ok = r.status == 200;
    free_response(&r);
    ok(head_ok, "HEAD on the kept connection");
    close(fd);
    is_int(get_status(plain_port, "/hello", NULL), 200, "the server still answers after a pipelined pair");
}

static void test_refusals(void) {
    char raw[1024];
    response r;
    snprintf(raw, sizeof raw, "POST /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello");
    is_int(exchange(plain_port, raw, &r), 405, "POST is refused: the server is read-only");
    ok(strcasestr(r.head, "allow: GET, HEAD") != NULL, "405 names the allowed methods");
    free_response(&r);
    const char *methods[] = {"PUT", "DELETE", "PATCH", "OPTIONS"};
    for (int i = 0; i < 4; i++) {
        snprintf(raw, sizeof raw, "%s /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", methods[i]);
        int status = exchange(plain_port, raw, &r);
        free_response(&r);
        ok(status == 405 || status == 0 || status == 400, "%s is refused (%d)", methods[i], status);
    }
    is_int(get_status(plain_port, "/hello", "Host: evil.example\r\n"), 403, "a foreign Host is refused on loopback without a token");
    snprintf(raw, sizeof raw, "GET /hello HTTP/1.0\r\n\r\n");
    is_int(exchange(plain_port, raw, &r), 403, "a request without a Host header is refused");
    free_response(&r);
    is_int(get_status(plain_port, "/hello", "Host: localhost:9999\r\n"), 200, "localhost with any port is accepted");

    char longpath[2000];
    memset(longpath, 'a', sizeof longpath);
    longpath[0] = '/';
    longpath[sizeof longpath - 1] = '\0';
    int status = get_status(plain_port, longpath, NULL);
    ok(status == 414 || status == 400 || status == 431 || status == 0, "a 2000-byte path is refused or the connection closed (%d)", status);
    char longquery[1700] = "/echo?q=";
    memset(longquery + 8, 'b', sizeof longquery - 9);
    longquery[sizeof longquery - 1] = '\0';
    status = get_status(plain_port, longquery, NULL);
    ok(status == 414 || status == 400 || status == 431, "a 1.7 kB query is refused (%d)", status);
    status = get_status(plain_port, "/a%0ab", NULL);
    ok(status == 400 || status == 403 || status == 0, "an encoded newline in the path is refused (%d)", status);
    status = get_status(plain_port, "/a%00b", NULL);
    ok(status == 400 || status == 403 || status == 0, "an encoded NUL in the path is refused (%d)", status);

    int64_t t0 = (int64_t)time(NULL);
    snprintf(raw, sizeof raw, "GET /never HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    is_int(exchange(plain_port, raw, &r), 503, "a request the owner never answers gets 503");
    ok(strstr(r.body, "did not answer in time") != NULL, "saying why");
    ok((int64_t)time(NULL) - t0 <= 4, "after the answer timeout (1 s), not the client's");
    free_response(&r);
}

static void test_event_stream(void) {
    int fd = connect_to(plain_port, 3000);
    const char raw[] = "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
    send_all(fd, raw, sizeof raw - 1);
    char buf[8192];
    size_t used = 0;
    int64_t deadline = (int64_t)time(NULL) + 5;
    while (used < sizeof buf - 1 && (int64_t)time(NULL) < deadline) {
        ssize_t n = recv(fd, buf + used, sizeof buf - 1 - used, 0);
        if (n <= 0) break;
        used += (size_t)n;
        buf[used] = '\0';
        if (strstr(buf, "data: tick 3\n\n")) break;
    }
    buf[used] = '\0';
    ok(strncmp(buf, "HTTP/1.1 200", 12) == 0, "the event stream starts with 200");
    ok(strcasestr(buf, "content-type: text/event-stream") != NULL, "as text/event-stream");
    ok(strcasestr(buf, "content-length") == NULL, "without a length");
    char *first = strstr(buf, "data: first\n\n"), *t1 = strstr(buf, "data: tick 1\n\n"), *t3 = strstr(buf, "data: tick 3\n\n");
    ok(first && t1 && t3 && first < t1 && t1 < t3, "the first event, then broadcasts in order");
    close(fd);
    usleep(100000);
    is_int(get_status(plain_port, "/hello", NULL), 200, "a reader leaving the stream does not disturb the server");
    response r;
    is_int(exchange(plain_port, "HEAD /events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", &r), 200,
           "HEAD on the event stream: 200");
    ok(strcasestr(r.head, "content-type: text/event-stream") && header_number(r.head, "content-length") == 0,
       "its headers, and no stream behind them");
    free_response(&r);
}

static void test_token_server(void) {
    char h[512];
    is_int(get_status(token_port, "/hello", NULL), 401, "off loopback: no token, 401");
    response r;
    char raw[1024];
    snprintf(raw, sizeof raw, "GET /hello HTTP/1.1\r\nHost: 10.9.9.9\r\nConnection: close\r\n\r\n");
    exchange(token_port, raw, &r);
    ok(r.status == 401 && strcasestr(r.head, "www-authenticate: Basic realm=\"hedge status\""), "401 asks for credentials");
    free_response(&r);
    is_int(get_status(token_port, "/hello", "Authorization: Bearer wrong-token-000000000000\r\n"), 401, "a wrong bearer token, 401");
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", TOKEN);
    is_int(get_status(token_port, "/hello", h), 200, "the right bearer token, 200");
    snprintf(h, sizeof h, "Host: some.name.example\r\nAuthorization: Bearer %s\r\n", TOKEN);
    is_int(get_status(token_port, "/hello", h), 200, "with a token any Host is fine (reverse proxies, container names)");
    char up[128], b64[256];
    snprintf(up, sizeof up, "operator:%s", TOKEN);
    sodium_bin2base64(b64, sizeof b64, (unsigned char *)up, strlen(up), sodium_base64_VARIANT_ORIGINAL);
    snprintf(h, sizeof h, "Authorization: Basic %s\r\n", b64);
    is_int(get_status(token_port, "/hello", h), 200, "Basic with the token as password (a browser's login), 200");
    snprintf(raw, sizeof raw, "POST /hello HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: 0\r\n\r\n", TOKEN);
    is_int(exchange(token_port, raw, &r), 405, "even with the token nothing but GET and HEAD");
    free_response(&r);
}

/* ---- fuzzing ------------------------------------------------------------------------------ */

static uint64_t rng_state;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static size_t pick(size_t n) { return (size_t)(rnd() % n); }

static size_t put(char *buf, size_t at, size_t cap, const char *s, size_t n) {
    if (at + n > cap) n = cap - at;
    memcpy(buf + at, s, n);
    return at + n;
}

static size_t put_random_bytes(char *buf, size_t at, size_t cap, size_t n, int printable) {
    for (size_t i = 0; i < n && at < cap; i++) {
        unsigned char c = (unsigned char)(printable ? 0x21 + pick(94) : pick(256));
        buf[at++] = (char)c;
    }
    return at;
}

static size_t fuzz_path(char *buf, size_t at, size_t cap) {
    static const char *const pieces[] = {"/", "/api/state", "/metrics", "/events", "/hello", "/echo?", "..", "/../",
                                         "%00", "%0d%0a", "%zz", "%", "%2e%2e%2f", "?", "&", "=", "#", "//", "%ff",
                                         "\xc3\xa9", " ", "\t", "a=1&b=2", "%25", "\\", "/hello/../hello"};
    int parts = 1 + (int)pick(6);
    for (int i = 0; i < parts; i++) {
        switch (pick(4)) {
        case 0: at = put_random_bytes(buf, at, cap, pick(20), 1); break;
        case 1: if (pick(8) == 0) at = put_random_bytes(buf, at, cap, pick(3000), 1); break;
        default: { const char *p = pieces[pick(sizeof pieces / sizeof pieces[0])]; at = put(buf, at, cap, p, strlen(p)); }
        }
    }
    return at;
}

static size_t fuzz_headers(char *buf, size_t at, size_t cap, int port) {
    static const char *const names[] = {"Host", "Authorization", "Accept", "Connection", "Content-Length",
                                        "Transfer-Encoding", "Upgrade", "Cookie", "X-Forwarded-For", "Range",
                                        "Expect", "If-None-Match", "Sec-WebSocket-Key", "Origin"};
    static const char *const values[] = {"127.0.0.1", "localhost", "evil.example", "close", "keep-alive", "0", "-1",
                                         "99999999999999999999", "chunked", "websocket", "Bearer x", "Basic !!",
                                         "bytes=0-1", "100-continue", "", " ", "\x01\x02", "text/html"};
    char line[128];
    if (pick(3)) {
        int n = snprintf(line, sizeof line, "Host: 127.0.0.1:%d\r\n", port);
        at = put(buf, at, cap, line, (size_t)n);
    }
    int count = (int)pick(pick(10) == 0 ? 200 : 6);
    for (int i = 0; i < count && at < cap; i++) {
        if (pick(10) == 0) { at = put_random_bytes(buf, at, cap, pick(80), 0); at = put(buf, at, cap, "\r\n", 2); continue; }
        const char *name = names[pick(sizeof names / sizeof names[0])];
        at = put(buf, at, cap, name, strlen(name));
        at = put(buf, at, cap, pick(12) ? ": " : " ", pick(12) ? 2 : 1);
        if (pick(10) == 0) at = put_random_bytes(buf, at, cap, pick(pick(4) ? 100 : 9000), 1);
        else { const char *v = values[pick(sizeof values / sizeof values[0])]; at = put(buf, at, cap, v, strlen(v)); }
        at = put(buf, at, cap, pick(15) ? "\r\n" : "\n", pick(15) ? 2 : 1);
    }
    return at;
}

static int is_known_status(int status) {
    return status == 0 || (status >= 200 && status <= 599);
}

static void fuzz(int cases) {
    static char req[64 * 1024];
    static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT",
                                          "TRACE", "get", "G\x01T", "", "GETGETGETGETGETGETGET", "PRI"};
    int weird_status = 0, answered = 0, closed = 0, waited = 0, alive_checks = 0, alive_ok = 0;
    for (int i = 0; i < cases; i++) {
        int port = pick(4) == 0 ? token_port : plain_port;
        size_t at = 0;
        const char *m = methods[pick(sizeof methods / sizeof methods[0])];
        at = put(req, at, sizeof req, m, strlen(m));
        at = put(req, at, sizeof req, " ", 1);
        at = fuzz_path(req, at, sizeof req);
        static const char *const versions[] = {" HTTP/1.1\r\n", " HTTP/1.0\r\n", " HTTP/2.0\r\n", " HTTP/9\r\n", "\r\n", " HTTP/1.1\n"};
        const char *v = versions[pick(6) == 0 ? pick(6) : 0];
        at = put(req, at, sizeof req, v, strlen(v));
        at = fuzz_headers(req, at, sizeof req, port);
        int complete = pick(10) != 0;
        if (complete) at = put(req, at, sizeof req, "\r\n", 2);
        if (pick(20) == 0) at = put_random_bytes(req, at, sizeof req, pick(200), 0);   /* a body nobody asked for */
        if (!complete && pick(2)) at = pick(at + 1);                                      /* cut anywhere */

        /* A request lws still waits on (a promised body, a header block it has not seen end)
         * gets no answer: 250 ms is ample for one that will be answered on loopback. */
        int fd = connect_to(port, complete ? 250 : 20);
        if (fd < 0) { weird_status++; continue; }
        send_all(fd, req, at);
        if (complete) {
            response r;
            read_response(fd, &r, strncmp(req, "HEAD ", 5) == 0);
            if (!is_known_status(r.status)) {
                weird_status++;
                diag("case %d: unexpected answer %d", i, r.status);
            }
            if (r.status) answered++; else if (r.closed) closed++; else waited++;
            free_response(&r);
        }
        close(fd);
        if (getenv("HEDGE_FUZZ_TRACE")) fprintf(stderr, "case %d done\n", i);
        if (i % 100 == 99) {
            alive_checks++;
            if (get_status(plain_port, "/hello", NULL) == 200) alive_ok++;
        }
    }
    diag("fuzz: %d requests, %d answered, %d closed without an answer, %d still waiting for more bytes", cases, answered,
         closed, waited);
    is_int(weird_status, 0, "every fuzzed request got a well-formed status line or a clean close");
    is_int(alive_ok, alive_checks, "the server answered a plain GET after every 100 fuzzed requests (%d checks)", alive_checks);
    is_int(get_status(plain_port, "/hello", NULL), 200, "and answers after the whole run");
    is_int(owner_bad_requests, 0, "no malformed request ever reached the owner");
}

static void *client_main(void *arg) {
    (void)arg;
    test_basics();
    test_keep_alive();
    test_refusals();
    test_event_stream();
    test_token_server();
    const char *cases = getenv("HEDGE_FUZZ_CASES");
    const char *seed = getenv("HEDGE_FUZZ_SEED");
    rng_state = seed ? strtoull(seed, NULL, 10) : (uint64_t)time(NULL) * 2654435761u + (uint64_t)getpid();
    if (!rng_state) rng_state = 1;
    diag("fuzz seed %llu (HEDGE_FUZZ_SEED reproduces a run)", (unsigned long long)rng_state);
    fflush(stdout);
    fuzz(cases ? atoi(cases) : 1000);
    uv_async_send(&finished);
    return NULL;
}

static void test_start_errors(void) {
    char err[256];
    rt_status_server_options o = {.listen = "0.0.0.0:0"};
    ok(rt_status_server_start(host, &o, err, sizeof err) == NULL && strstr(err, "needs a token"),
       "listening off loopback without a token is refused: %s", err);
    o.listen = "0.0.0.0:0";
    o.token = "short";
    o.token_len = 5;
    ok(rt_status_server_start(host, &o, err, sizeof err) == NULL && strstr(err, "shorter than 16"), "a short token is refused: %s", err);
    o.token = TOKEN;
    o.token_len = strlen(TOKEN);
    char taken[64];
    snprintf(taken, sizeof taken, "127.0.0.1:%d", plain_port);
    o.listen = taken;
    ok(rt_status_server_start(host, &o, err, sizeof err) == NULL && strstr(err, "already listens on port"),
       "a port this process listens on is refused: %s", err);
    /* A port held by someone else (here a plain socket) fails in bind. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    bind(fd, (struct sockaddr *)&a, sizeof a);
    listen(fd, 1);
    getsockname(fd, (struct sockaddr *)&a, &alen);
    snprintf(taken, sizeof taken, "127.0.0.1:%d", ntohs(a.sin_port));
    ok(rt_status_server_start(host, &o, err, sizeof err) == NULL && strstr(err, "cannot listen"), "a port in use elsewhere is refused: %s", err);
    close(fd);
    o.listen = "example.com:80";
    ok(rt_status_server_start(host, &o, err, sizeof err) == NULL && strstr(err, "not a numeric IP"), "a host name is refused: %s", err);
}

int main(void) {
    if (sodium_init() < 0) return 1;
    uv_loop_init(&loop);
    char err[256];
    host = rt_status_host_new(&loop, err, sizeof err);
    if (!ok(host != NULL, "the HTTP server context starts on our loop")) { diag("%s", err); return done_testing(); }
    rt_status_server_options o = {.listen = "127.0.0.1:0", .on_request = on_request, .answer_timeout_s = 1};
    plain_server = rt_status_server_start(host, &o, err, sizeof err);
    if (!ok(plain_server != NULL, "a loopback server starts without a token")) { diag("%s", err); return done_testing(); }
    plain_port = rt_status_server_port(plain_server);
    ok(plain_port > 0, "port 0 took a free port (%d)", plain_port);
    rt_status_server_options t = {.listen = "0.0.0.0:0", .token = TOKEN, .token_len = strlen(TOKEN), .on_request = on_request};
    token_server = rt_status_server_start(host, &t, err, sizeof err);
    if (!ok(token_server != NULL, "a server on 0.0.0.0 starts with a token")) { diag("%s", err); return done_testing(); }
    token_port = rt_status_server_port(token_server);
    diag("ports: plain %d, token %d", plain_port, token_port);
    test_start_errors();

    uv_timer_init(&loop, &serve_timer);
    uv_timer_init(&loop, &later_timer);
    uv_timer_init(&loop, &tick_timer);
    uv_async_init(&loop, &finished, on_finished);
    pthread_t client;
    pthread_create(&client, NULL, client_main, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    pthread_join(client, NULL);
    rt_status_host_free(host);
    ok(uv_loop_close(&loop) == 0, "every handle is closed after the shutdown order (loop closes cleanly)");
    ok(owner_requests > 0, "the owner answered %d requests", owner_requests);
    return done_testing();
}
