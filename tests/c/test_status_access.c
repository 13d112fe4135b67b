/* The status server's access rules on their own (runtime/status_access.c): listen addresses,
 * the token in Bearer and Basic form, the loopback Host rule, path hygiene. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "runtime/status_access.h"
#include "tests/c/tap.h"

static void test_listen(void) {
    rt_status_listen l;
    char err[256];
    is_int(rt_status_listen_parse("127.0.0.1:8080", &l, err, sizeof err), 0, "127.0.0.1:8080 parses");
    is_str(l.address, "127.0.0.1", "address kept");
    is_int(l.port, 8080, "port kept");
    ok(l.loopback && !l.ipv6, "127.0.0.1 is IPv4 loopback");
    is_int(rt_status_listen_parse("127.9.9.9:0", &l, err, sizeof err), 0, "any 127/8 address, port 0");
    ok(l.loopback && l.port == 0, "127.9.9.9 is loopback; port 0 means any free port");
    is_int(rt_status_listen_parse("localhost:9", &l, err, sizeof err), 0, "localhost parses");
    is_str(l.address, "127.0.0.1", "localhost is bound as 127.0.0.1 (no name resolution)");
    is_int(rt_status_listen_parse("[::1]:9100", &l, err, sizeof err), 0, "[::1]:9100 parses");
    ok(l.ipv6 && l.loopback && strcmp(l.address, "::1") == 0, "::1 is IPv6 loopback, brackets dropped");
    is_int(rt_status_listen_parse("0.0.0.0:9100", &l, err, sizeof err), 0, "0.0.0.0:9100 parses");
    ok(!l.loopback, "0.0.0.0 is not loopback");
    is_int(rt_status_listen_parse("[::]:9100", &l, err, sizeof err), 0, "[::]:9100 parses");
    ok(!l.loopback && l.ipv6, ":: is not loopback");
    is_int(rt_status_listen_parse("10.1.2.3:65535", &l, err, sizeof err), 0, "a LAN address with the largest port");
    ok(!l.loopback, "10.1.2.3 is not loopback");

    struct { const char *text, *says; } bad[] = {
        {"", "empty"},
        {"8080", "expected IP:PORT"},
        {":8080", "missing"},
        {"127.0.0.1:", "port must be a number"},
        {"127.0.0.1:65536", "port must be a number"},
        {"127.0.0.1:80x", "port must be a number"},
        {"127.0.0.1:-1", "port must be a number"},
        {"example.com:80", "not a numeric IP address"},
        {"::1:80", "expected IP:PORT"},
        {"[::1]80", "[ADDRESS]:PORT"},
        {"[]:80", "bad IPv6"},
        {"[zz::1]:80", "not a numeric IP"},
        {"300.1.1.1:80", "not a numeric IP"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = rt_status_listen_parse(bad[i].text, &l, err, sizeof err);
        ok(rc == -1 && strstr(err, bad[i].says), "\"%s\" refused: %s", bad[i].text, err);
    }
    ok(rt_status_listen_parse(NULL, &l, err, sizeof err) == -1, "NULL refused without a crash");
}

static const char *TOKEN = "s3cret-token-0123456789";

static void basic_header(char *out, size_t cap, const char *user_pass) {
    char b64[512];
    sodium_bin2base64(b64, sizeof b64, (const unsigned char *)user_pass, strlen(user_pass), sodium_base64_VARIANT_ORIGINAL);
    snprintf(out, cap, "Basic %s", b64);
}

static void test_token(void) {
    rt_status_token t;
    char err[256];
    is_int(rt_status_token_set(&t, TOKEN, strlen(TOKEN), err, sizeof err), 0, "a 23-character token is kept");
    ok(t.set, "the token is set");
    ok(memmem(&t, sizeof t, TOKEN, strlen(TOKEN)) == NULL, "only its hash is stored, not the token");
    char h[600];
    snprintf(h, sizeof h, "Bearer %s", TOKEN);
    ok(rt_status_token_accepts(&t, h, strlen(h)), "Bearer TOKEN accepted");
    snprintf(h, sizeof h, "bearer   %s  ", TOKEN);
    ok(rt_status_token_accepts(&t, h, strlen(h)), "scheme case and extra spaces do not matter");
    snprintf(h, sizeof h, "Bearer %sx", TOKEN);
    ok(!rt_status_token_accepts(&t, h, strlen(h)), "a longer token is refused");
    snprintf(h, sizeof h, "Bearer %.*s", (int)strlen(TOKEN) - 1, TOKEN);
    ok(!rt_status_token_accepts(&t, h, strlen(h)), "a prefix of the token is refused");
    ok(!rt_status_token_accepts(&t, "Bearer ", 7), "an empty bearer is refused");
    ok(!rt_status_token_accepts(&t, TOKEN, strlen(TOKEN)), "the bare token without a scheme is refused");
    snprintf(h, sizeof h, "Token %s", TOKEN);
    ok(!rt_status_token_accepts(&t, h, strlen(h)), "an unknown scheme is refused");
    char up[300];
    snprintf(up, sizeof up, "anyone:%s", TOKEN);
    basic_header(h, sizeof h, up);
    ok(rt_status_token_accepts(&t, h, strlen(h)), "Basic with the token as password accepted (user ignored)");
    snprintf(up, sizeof up, ":%s", TOKEN);
    basic_header(h, sizeof h, up);
    ok(rt_status_token_accepts(&t, h, strlen(h)), "Basic with an empty user name accepted");
    snprintf(up, sizeof up, "%s:wrong-password-0000000", TOKEN);
    basic_header(h, sizeof h, up);
    ok(!rt_status_token_accepts(&t, h, strlen(h)), "Basic with the token as user name and a wrong password refused");
    basic_header(h, sizeof h, TOKEN);
    ok(!rt_status_token_accepts(&t, h, strlen(h)), "Basic without a colon refused");
    ok(!rt_status_token_accepts(&t, "Basic !!!notbase64!!!", 21), "Basic with bad base64 refused");
    char huge[4000];
    memset(huge, 'A', sizeof huge);
    memcpy(huge, "Basic ", 6);
    ok(!rt_status_token_accepts(&t, huge, sizeof huge), "an oversized Basic value refused without overflow");
    memcpy(huge, "Bearer ", 7);
    ok(!rt_status_token_accepts(&t, huge, sizeof huge), "an oversized Bearer value refused");
    ok(!rt_status_token_accepts(&t, NULL, 0), "no header refused");

    rt_status_token none;
    memset(&none, 0, sizeof none);
    snprintf(h, sizeof h, "Bearer %s", TOKEN);
    ok(!rt_status_token_accepts(&none, h, strlen(h)), "an unset token accepts nothing");

    ok(rt_status_token_set(&t, "short", 5, err, sizeof err) == -1 && strstr(err, "shorter than 16"), "a short token refused: %s", err);
    ok(rt_status_token_set(&t, "has a space in it 123", 21, err, sizeof err) == -1 && strstr(err, "character 4"),
       "a token with a space refused, naming the position only: %s", err);
    ok(strstr(err, "has a") == NULL, "the message does not quote the token");
    char longtok[300];
    memset(longtok, 'k', sizeof longtok);
    ok(rt_status_token_set(&t, longtok, sizeof longtok, err, sizeof err) == -1 && strstr(err, "longer than 256"), "a 300-character token refused");
    rt_status_token_set(&t, TOKEN, strlen(TOKEN), err, sizeof err);
    rt_status_token_clear(&t);
    ok(!t.set, "clear forgets the token");
}

static void test_host_rule(void) {
    const char *good[] = {"localhost", "LOCALHOST:8080", "127.0.0.1", "127.0.0.1:1", "127.1.2.3:65535", "[::1]", "[::1]:9100"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        ok(rt_status_host_is_loopback(good[i], strlen(good[i])), "Host %s is loopback", good[i]);
    const char *bad[] = {"", "evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.evil.example",
                         "10.0.0.1", "[::2]", "[::1", "[::1]x", "127.0.0.1:99999", "127.0.0.1:8a", "0.0.0.0",
                         "[::ffff:127.0.0.1]:80", "localhost:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ok(!rt_status_host_is_loopback(bad[i], strlen(bad[i])), "Host \"%s\" is refused", bad[i]);
    ok(!rt_status_host_is_loopback("localhost\0.evil", 15), "a NUL inside the Host header is refused");
    char longhost[200];
    memset(longhost, 'a', sizeof longhost);
    ok(!rt_status_host_is_loopback(longhost, sizeof longhost), "an overlong Host header is refused");
}

static void test_paths(void) {
    ok(rt_status_path_is_clean("/", 1), "/ is clean");
    ok(rt_status_path_is_clean("/api/state", 10), "/api/state is clean");
    ok(!rt_status_path_is_clean("", 0), "an empty path is not");
    ok(!rt_status_path_is_clean("api", 3), "a path without a leading / is not");
    ok(!rt_status_path_is_clean("/a\nb", 4), "a newline is not allowed");
    ok(!rt_status_path_is_clean("/a\0b", 4), "a NUL is not allowed");
    ok(!rt_status_path_is_clean("/a\x7f", 3), "DEL is not allowed");
}

int main(void) {
    if (sodium_init() < 0) return 1;
    test_listen();
    test_token();
    test_host_rule();
    test_paths();
    return done_testing();
}
