/* libFuzzer target: the WebSocket client (runtime/ws.c over libwebsockets) reading whatever a
 * server sends after the handshake.
 *
 * A server on the same libuv loop answers each connection with a correct 101 handshake and then
 * the fuzz input as the raw byte stream (frames of any opcode, length, masking, fragmentation,
 * control frames, close codes and reasons, garbage), and hangs up. The client must deliver
 * only whole, NUL-terminated messages, end with exactly one on_close whose reason fits, and
 * never crash or leak (ASan). This is the code path every venue's market data takes.
 * Seeds: hand-made frames around the shared fixtures' WebSocket payloads (tests/fuzz/seeds.mjs). */
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <strings.h>
#include <uv.h>

#include "runtime/ws.h"
#include "tests/fuzz/fuzz.h"

#define REQUEST_CAP 8192

static uv_loop_t loop;
static uv_tcp_t listener;
static rt_ws_context *context;
static char url[64];

static const uint8_t *input;
static size_t input_size;

typedef struct server_conn {
    uv_tcp_t tcp;
    char request[REQUEST_CAP];
    size_t request_length;
    int answered;
    char *response;
} server_conn;

static struct {
    int closed, close_count, open;
    size_t messages;
} client;

static void on_server_closed(uv_handle_t *handle) {
    server_conn *s = handle->data;
    free(s->response);
    free(s);
}

static void hang_up(server_conn *s) {
    if (!uv_is_closing((uv_handle_t *)&s->tcp)) uv_close((uv_handle_t *)&s->tcp, on_server_closed);
}

static void on_written(uv_write_t *request, int status) {
    (void)status;
    server_conn *s = request->data;
    free(request);
    hang_up(s);   /* everything sent: the stream ends here */
}

static void allocate(uv_handle_t *handle, size_t suggested, uv_buf_t *buf) {
    (void)suggested;
    server_conn *s = handle->data;
    if (s->answered) { /* after the handshake the client's frames (pongs, close echo) are read and dropped */
        static char sink[4096];
        *buf = uv_buf_init(sink, sizeof sink);
        return;
    }
    *buf = uv_buf_init(s->request + s->request_length, (unsigned)(REQUEST_CAP - 1 - s->request_length));
}

/* Sec-WebSocket-Accept = base64(SHA-1(key + the RFC 6455 GUID)). */
static int accept_value(const char *request, char *out, size_t cap) {
    const char *line = strcasestr(request, "\r\nSec-WebSocket-Key:");
    if (!line) return -1;
    line += strlen("\r\nSec-WebSocket-Key:");
    while (*line == ' ') line++;
    const char *end = strstr(line, "\r\n");
    if (!end || end - line > 64) return -1;
    char joined[128];
    int n = snprintf(joined, sizeof joined, "%.*s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", (int)(end - line), line);
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1((const unsigned char *)joined, (size_t)n, digest);
    if (cap < 4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1) return -1;
    EVP_EncodeBlock((unsigned char *)out, digest, SHA_DIGEST_LENGTH);
    return 0;
}

static void on_server_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
    (void)buf;
    server_conn *s = stream->data;
    if (nread < 0) { hang_up(s); return; }
    if (s->answered) return;
    s->request_length += (size_t)nread;
    s->request[s->request_length] = '\0';
    if (!strstr(s->request, "\r\n\r\n")) {
        if (s->request_length >= REQUEST_CAP - 1) hang_up(s);
        return;
    }
    char accept[64];
    FUZZ_CHECK(accept_value(s->request, accept, sizeof accept) == 0, "client handshake without a key:\n%s", s->request);
    s->answered = 1;
    static const char head[] = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Accept: ";
    size_t head_length = strlen(head) + strlen(accept) + 4;
    s->response = malloc(head_length + input_size + 1);
    FUZZ_CHECK(s->response != NULL, "out of memory");
    snprintf(s->response, head_length + 1, "%s%s\r\n\r\n", head, accept);
    if (input_size) memcpy(s->response + head_length, input, input_size);
    uv_write_t *request = malloc(sizeof *request);
    FUZZ_CHECK(request != NULL, "out of memory");
    request->data = s;
    uv_buf_t out = uv_buf_init(s->response, (unsigned)(head_length + input_size));
    if (uv_write(request, stream, &out, 1, on_written) != 0) {
        free(request);
        hang_up(s);
    }
}

static void on_connection(uv_stream_t *server, int status) {
    if (status < 0) return;
    server_conn *s = calloc(1, sizeof *s);
    FUZZ_CHECK(s != NULL, "out of memory");
    uv_tcp_init(&loop, &s->tcp);
    s->tcp.data = s;
    if (uv_accept(server, (uv_stream_t *)&s->tcp) != 0) { hang_up(s); return; }
    uv_read_start((uv_stream_t *)&s->tcp, allocate, on_server_read);
}

static void on_open(rt_ws_conn *conn, void *user) {
    (void)conn;
    (void)user;
    client.open = 1;
}

static void on_message(rt_ws_conn *conn, const char *data, size_t length, int binary, void *user) {
    (void)conn;
    (void)binary;
    (void)user;
    FUZZ_CHECK(client.open && !client.closed, "a message outside the open state");
    FUZZ_CHECK(length <= input_size, "a %zu-byte message from %zu bytes of input", length, input_size);
    FUZZ_CHECK(data[length] == '\0', "message not NUL-terminated");
    client.messages++;
}

static void on_close(rt_ws_conn *conn, rt_ws_close_kind kind, int code, const char *reason, void *user) {
    (void)conn;
    (void)user;
    client.close_count++;
    client.closed = 1;
    FUZZ_CHECK(kind == RT_WS_CLOSED_CLEANLY || kind == RT_WS_CLOSED_NETWORK || kind == RT_WS_CLOSED_TIMEOUT,
               "close kind %d", (int)kind);
    FUZZ_CHECK(code >= 0 && code <= 0xFFFF, "close code %d", code);
    FUZZ_CHECK(reason != NULL && strlen(reason) < 124, "close reason too long");
}

static int setup(void) {
    uv_loop_init(&loop);
    char err[256];
    context = rt_ws_context_new(&loop, NULL, err, sizeof err);
    FUZZ_CHECK(context != NULL, "%s", err);
    uv_tcp_init(&loop, &listener);
    struct sockaddr_in address;
    uv_ip4_addr("127.0.0.1", 0, &address);
    FUZZ_CHECK(uv_tcp_bind(&listener, (const struct sockaddr *)&address, 0) == 0, "bind");
    FUZZ_CHECK(uv_listen((uv_stream_t *)&listener, 128, on_connection) == 0, "listen");
    struct sockaddr_in bound;
    int length = sizeof bound;
    uv_tcp_getsockname(&listener, (struct sockaddr *)&bound, &length);
    snprintf(url, sizeof url, "ws://127.0.0.1:%d/fuzz", ntohs(bound.sin_port));
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int ready;
    if (!ready) ready = setup();
    input = data;
    input_size = size;
    memset(&client, 0, sizeof client);
    rt_ws_events events = {on_open, on_message, on_close};
    char err[256];
    rt_ws_conn *conn = rt_ws_connect(context, url, NULL, &events, NULL, err, sizeof err);
    FUZZ_CHECK(conn != NULL, "%s", err);
    while (!client.closed) uv_run(&loop, UV_RUN_ONCE);
    FUZZ_CHECK(client.close_count == 1, "on_close ran %d times", client.close_count);
    rt_ws_release(conn);
    /* Let lws finish with the socket before the next input. */
    uv_run(&loop, UV_RUN_NOWAIT);
    return 0;
}
