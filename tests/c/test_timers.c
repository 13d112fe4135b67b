/* Timers and deadlines: the injectable wall clock, the monotonic clock, libuv timers firing
 * in deadline order, and the HTTP client's own timeout and cancellation on the loop. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "runtime/clock.h"
#include "runtime/http.h"
#include "tests/c/tap.h"

static int64_t fixed_now(void *ctx) { return *(int64_t *)ctx; }

static char fired[8];
static int fired_count;
static int64_t fired_at[8];
static int64_t started_at;

static void on_timer(uv_timer_t *t) {
    fired[fired_count] = (char)(intptr_t)t->data;
    fired_at[fired_count] = rt_clock_mono_ms() - started_at;
    fired_count++;
}

static void test_clocks(void) {
    int64_t real = rt_clock_now_ms();
    ok(real > 1700000000000LL, "wall clock is Unix milliseconds (%lld)", (long long)real);
    int64_t pinned = 1234567890123LL;
    rt_clock_set_wall(fixed_now, &pinned);
    is_int(rt_clock_now_ms(), 1234567890123LL, "an injected wall clock is used");
    pinned += 1000;
    is_int(rt_clock_now_ms(), 1234567891123LL, "and followed as it moves");
    int64_t m0 = rt_clock_mono_ms();
    rt_clock_set_wall(NULL, NULL);
    ok(rt_clock_now_ms() >= real, "the real wall clock is restored");
    int64_t u0 = rt_clock_mono_us();
    usleep(20000);
    int64_t u1 = rt_clock_mono_us();
    ok(u1 - u0 >= 20000 && u1 - u0 < 200000, "monotonic clock advances with real time (%lld us)", (long long)(u1 - u0));
    ok(rt_clock_mono_ms() >= m0, "the monotonic clock is unaffected by the injected wall clock");
}

static void test_timer_order(void) {
    uv_loop_t loop;
    uv_loop_init(&loop);
    uv_timer_t a, b, c;
    uv_timer_init(&loop, &a); a.data = (void *)(intptr_t)'a';
    uv_timer_init(&loop, &b); b.data = (void *)(intptr_t)'b';
    uv_timer_init(&loop, &c); c.data = (void *)(intptr_t)'c';
    started_at = rt_clock_mono_ms();
    uv_timer_start(&c, on_timer, 60, 0);
    uv_timer_start(&a, on_timer, 20, 0);
    uv_timer_start(&b, on_timer, 40, 0);
    uv_run(&loop, UV_RUN_DEFAULT);
    is_str(fired, "abc", "timers fire in deadline order, not start order");
    ok(fired_at[0] >= 20 && fired_at[2] >= 60, "no timer fires early (%lld, %lld ms)", (long long)fired_at[0], (long long)fired_at[2]);
    ok(fired_at[2] < 1000, "and none very late (%lld ms; generous: the machine may be loaded)", (long long)fired_at[2]);
    uv_close((uv_handle_t *)&a, NULL);
    uv_close((uv_handle_t *)&b, NULL);
    uv_close((uv_handle_t *)&c, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    is_int(uv_loop_close(&loop), 0, "loop closes with no handle left");
}

/* A listening socket that never accepts: connect succeeds (the kernel queues it), no
 * answer ever comes, so only the client's deadline can end the transfer. */
static int silent_listener(int *port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 8) != 0) return -1;
    socklen_t len = sizeof sa;
    getsockname(fd, (struct sockaddr *)&sa, &len);
    *port = ntohs(sa.sin_port);
    return fd;
}

static rt_http_response last;
static int done_calls;
static int64_t done_at;

static void on_done(rt_http_transfer *t, const rt_http_response *r, void *ctx) {
    (void)t; (void)ctx;
    last.error = r->error;
    last.request_sent = r->request_sent;
    memcpy(last.error_text, r->error_text, sizeof last.error_text);
    done_calls++;
    done_at = rt_clock_mono_ms() - started_at;
}

static uv_timer_t cancel_timer;
static rt_http_transfer *to_cancel;
static void cancel_now(uv_timer_t *t) { (void)t; rt_http_cancel(to_cancel); }

static void on_shutdown_timer(uv_timer_t *t) {
    rt_http_shutdown(t->data);
    uv_close((uv_handle_t *)t, NULL);
}

static void test_http_deadlines(void) {
    int port = 0;
    int fd = silent_listener(&port);
    ok(fd >= 0, "silent listener on 127.0.0.1:%d", port);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);

    uv_loop_t loop;
    uv_loop_init(&loop);
    char err[256];
    rt_http *http = rt_http_new(&loop, err, sizeof err);
    ok(http != NULL, "http client created");
    rt_http_request req;
    memset(&req, 0, sizeof req);
    req.method = "GET";
    req.url = url;
    req.timeout_ms = 150;
    started_at = rt_clock_mono_ms();
    ok(rt_http_start(http, &req, on_done, NULL, err, sizeof err) != NULL, "transfer started");
    uv_run(&loop, UV_RUN_DEFAULT);
    is_int(done_calls, 1, "completion called once");
    is_str(rt_http_error_kind_name(last.error), "timeout", "an unanswered request ends as a timeout");
    ok(done_at >= 150 && done_at < 1000, "at its deadline (%lld ms)", (long long)done_at);
    is_int(last.request_sent, 1, "the request was sent: its outcome is unknown");

    /* cancellation: the callback is never called */
    done_calls = 0;
    req.timeout_ms = 5000;
    to_cancel = rt_http_start(http, &req, on_done, NULL, err, sizeof err);
    uv_timer_init(&loop, &cancel_timer);
    uv_timer_start(&cancel_timer, cancel_now, 30, 0);
    started_at = rt_clock_mono_ms();
    uv_run(&loop, UV_RUN_ONCE);   /* connects */
    while (rt_clock_mono_ms() - started_at < 100) uv_run(&loop, UV_RUN_NOWAIT);
    is_int(done_calls, 0, "a cancelled transfer never completes");
    rt_http_stats stats;
    rt_http_get_stats(http, &stats);
    is_int((long long)stats.started, 2, "two transfers started");
    is_int((long long)stats.failed, 1, "one failed (the timed-out one)");

    /* bad requests are refused up front */
    rt_http_request bad;
    memset(&bad, 0, sizeof bad);
    bad.method = "GET";
    bad.url = url;
    const char *headers[] = {"X-Bad\r\nInjected: 1", NULL};
    bad.headers = headers;
    ok(rt_http_start(http, &bad, on_done, NULL, err, sizeof err) == NULL, "a header with a line break is refused");
    is_str(err, "malformed header (needs 'Name: value' on one line)", "with a clear reason");

    uv_close((uv_handle_t *)&cancel_timer, NULL);
    uv_timer_t shutdown_timer;
    uv_timer_init(&loop, &shutdown_timer);
    shutdown_timer.data = http;
    uv_timer_start(&shutdown_timer, on_shutdown_timer, 0, 0);
    uv_run(&loop, UV_RUN_DEFAULT);
    rt_http_free(http);
    is_int(uv_loop_close(&loop), 0, "loop closes cleanly after the client shut down");
    close(fd);
}

int main(void) {
    test_clocks();
    test_timer_order();
    test_http_deadlines();
    return done_testing();
}
