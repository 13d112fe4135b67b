/* Who may read the status server (runtime/status_server.c): the listen address, the bearer
 * token and the Host header rule, kept apart from the sockets so that every rule can be
 * tested on its own.
 *
 * The rules (issue 11):
 *  - the server binds a numeric address given as "IP:PORT" ("127.0.0.1:8080", "[::1]:8080",
 *    "0.0.0.0:9100"); "localhost" means 127.0.0.1. Port 0 takes any free port (tests).
 *  - bound to loopback (127.0.0.0/8, ::1) a token is optional; bound anywhere else one is
 *    required, so that the bot's positions are never readable by whoever reaches the port.
 *  - with a token, every request must carry it: "Authorization: Bearer TOKEN", or HTTP Basic
 *    with the token as the password (what a browser sends after its login prompt; the user
 *    name is ignored). Only a hash of the token is kept, compared in constant time.
 *  - without a token (loopback only) the Host header must name a loopback host. Otherwise a
 *    web page could read the status through DNS rebinding (its own name resolving to
 *    127.0.0.1 makes the browser treat our answers as same-origin). */
#ifndef HEDGE_RUNTIME_STATUS_ACCESS_H
#define HEDGE_RUNTIME_STATUS_ACCESS_H

#include <stddef.h>

#define RT_STATUS_ADDRESS_MAX 64
/* A token shorter than this is refused: it could be guessed, and the log redaction needs length. */
#define RT_STATUS_TOKEN_MIN_LEN 16
#define RT_STATUS_TOKEN_MAX_LEN 256

typedef struct rt_status_listen {
    char address[RT_STATUS_ADDRESS_MAX];   /* numeric, without brackets: "127.0.0.1", "::1" */
    int port;                              /* 0..65535 */
    int ipv6;
    int loopback;
} rt_status_listen;

/* Parses "IP:PORT", "[IPv6]:PORT" or "localhost:PORT". -1 with err naming the problem. */
int rt_status_listen_parse(const char *text, rt_status_listen *out, char *err, size_t errcap);

typedef struct rt_status_token {
    int set;
    unsigned char hash[32];                /* BLAKE2b-256 of the token */
} rt_status_token;

/* Keeps a hash of the token. The token must be RT_STATUS_TOKEN_MIN_LEN..MAX_LEN printable
 * ASCII bytes without spaces (it travels in a header). The caller wipes its own copy. */
int rt_status_token_set(rt_status_token *token, const char *text, size_t len, char *err, size_t errcap);
void rt_status_token_clear(rt_status_token *token);
/* 1 when the Authorization header value carries the token (Bearer or Basic), else 0. */
int rt_status_token_accepts(const rt_status_token *token, const char *authorization, size_t len);

/* 1 when a Host header value names a loopback host: localhost, 127.x.y.z or [::1], with or
 * without a port. */
int rt_status_host_is_loopback(const char *host, size_t len);

/* 1 when a decoded request path is acceptable: starts with '/', no control bytes. */
int rt_status_path_is_clean(const char *path, size_t len);
#endif
