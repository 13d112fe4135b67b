/* runtime/log: level filtering, exact human and JSON lines, JSON escaping, and redaction of
 * registered secrets on every sink. A fixed clock and a capturing console writer make every
 * line exact. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/log.h"
#include "tests/c/tap.h"

static char captured[8192];
static size_t captured_len;
static int captured_lines;

static void capture(const char *text, size_t len, void *ctx) {
    (void)ctx;
    if (captured_len + len >= sizeof captured) len = sizeof captured - 1 - captured_len;
    memcpy(captured + captured_len, text, len);
    captured_len += len;
    captured[captured_len] = '\0';
    captured_lines++;
}

static void clear_capture(void) {
    captured_len = 0;
    captured[0] = '\0';
    captured_lines = 0;
}

/* 2023-11-14T22:13:20.123Z */
static int64_t fixed_clock(void) { return 1700000000123LL; }

static void fresh(int json) {
    rt_log_reset();
    rt_log_set_clock(fixed_clock);
    rt_log_set_console_writer(capture, NULL);
    rt_log_set_console_format(json);
    clear_capture();
}

static void test_level_names(void) {
    rt_log_level level = RT_LOG_OFF;
    is_int(rt_log_level_from_name("debug", &level), 0, "level name 'debug' known");
    is_int(level, RT_LOG_DEBUG, "'debug' is RT_LOG_DEBUG");
    is_int(rt_log_level_from_name("WARN", &level), 0, "level names are case-insensitive");
    is_int(level, RT_LOG_WARN, "'WARN' is RT_LOG_WARN");
    is_int(rt_log_level_from_name("off", &level), 0, "'off' known");
    is_int(level, RT_LOG_OFF, "'off' is RT_LOG_OFF");
    level = RT_LOG_INFO;
    is_int(rt_log_level_from_name("verbose", &level), -1, "unknown level name refused");
    is_int(level, RT_LOG_INFO, "unknown name leaves the output alone");
    is_int(rt_log_level_from_name(NULL, &level), -1, "NULL level name refused");
    is_str(rt_log_level_name(RT_LOG_ERROR), "error", "name of RT_LOG_ERROR");
    is_int(rt_log_set_level(NULL, (rt_log_level)42), -1, "out-of-range level refused");
    is_int(rt_log_set_level("", RT_LOG_INFO), -1, "empty module name refused");
}

static void test_levels(void) {
    fresh(0);
    ok(!rt_log_enabled(RT_LOG_DEBUG, "lighter"), "default level info: debug disabled");
    ok(rt_log_enabled(RT_LOG_INFO, "lighter"), "default level info: info enabled");
    rt_log(RT_LOG_DEBUG, "lighter", "dropped");
    rt_log(RT_LOG_INFO, "lighter", "kept");
    is_int(captured_lines, 1, "only the info line is written");

    is_int(rt_log_set_level("lighter", RT_LOG_DEBUG), 0, "override lighter=debug");
    ok(rt_log_enabled(RT_LOG_DEBUG, "lighter"), "lighter debug enabled");
    ok(rt_log_enabled(RT_LOG_DEBUG, "lighter.ws"), "child module lighter.ws inherits lighter's level");
    ok(!rt_log_enabled(RT_LOG_DEBUG, "lighterx"), "lighterx is not a child of lighter");
    ok(!rt_log_enabled(RT_LOG_DEBUG, "pacifica"), "pacifica still at the default");
    ok(!rt_log_enabled(RT_LOG_TRACE, "lighter"), "lighter trace still disabled");
    is_int(rt_log_set_level("lighter.ws", RT_LOG_ERROR), 0, "override lighter.ws=error");
    ok(!rt_log_enabled(RT_LOG_WARN, "lighter.ws"), "the more specific override wins");
    ok(rt_log_enabled(RT_LOG_DEBUG, "lighter.rest"), "sibling keeps the parent override");

    clear_capture();
    rt_log(RT_LOG_DEBUG, "lighter", "a");
    rt_log(RT_LOG_DEBUG, "pacifica", "b");
    is_int(captured_lines, 1, "per-module filtering on real lines");

    is_int(rt_log_set_level(NULL, RT_LOG_WARN), 0, "default to warn");
    ok(!rt_log_enabled(RT_LOG_INFO, "edgex"), "edgex info disabled at warn");
    ok(rt_log_enabled(RT_LOG_DEBUG, "lighter"), "override survives a default change");
    ok(!rt_log_enabled(RT_LOG_OFF, "lighter"), "RT_LOG_OFF is never a level to log at");

    char err[160];
    is_int(rt_log_configure("error, pacifica=trace ,edgex = debug", err, sizeof err), 0, "configure spec");
    ok(rt_log_enabled(RT_LOG_TRACE, "pacifica"), "configure: pacifica=trace");
    ok(rt_log_enabled(RT_LOG_DEBUG, "edgex") && !rt_log_enabled(RT_LOG_TRACE, "edgex"), "configure: edgex=debug");
    ok(!rt_log_enabled(RT_LOG_WARN, "other"), "configure: default error");
    is_int(rt_log_configure("info,lighter=loud", err, sizeof err), -1, "configure: unknown level refused");
    is_str(err, "log levels: unknown level 'loud' (trace, debug, info, warn, error, off)", "configure error names the level");
    ok(!rt_log_enabled(RT_LOG_WARN, "other"), "a refused spec changes nothing");
    is_int(rt_log_configure("info,,x=debug", err, sizeof err), -1, "configure: empty item refused");
    is_str(err, "log levels: empty item at offset 5", "configure error names the offset");
    is_int(rt_log_configure("=debug", err, sizeof err), -1, "configure: empty module refused");
}

static void test_off(void) {
    fresh(0);
    char path[] = "/tmp/hedge_test_log_off_XXXXXX";
    int fd = mkstemp(path);
    ok(fd >= 0, "temporary file for the off test");
    close(fd);
    char err[256];
    is_int(rt_log_open_file(path, err, sizeof err), 0, "open file sink");
    rt_log_set_level(NULL, RT_LOG_OFF);
    rt_log(RT_LOG_ERROR, "lighter", "must not appear");
    rt_log_text(RT_LOG_ERROR, "lighter", "nor this", 8);
    is_int(captured_lines, 0, "level off: nothing reaches the console writer");
    rt_log_close_file();
    FILE *file = fopen(path, "rb");
    fseek(file, 0, SEEK_END);
    is_int(ftell(file), 0, "level off: nothing reaches the file");
    fclose(file);
    unlink(path);
    ok(!rt_log_enabled(RT_LOG_ERROR, NULL), "level off: error disabled");
}

static void test_formats(void) {
    fresh(0);
    rt_log(RT_LOG_INFO, "lighter", "order %s filled %d", "abc", 3);
    is_str(captured, "22:13:20.123 INFO lighter: order abc filled 3\n", "human line exact");
    clear_capture();
    rt_log(RT_LOG_ERROR, NULL, "no module");
    is_str(captured, "22:13:20.123 ERROR hedge: no module\n", "missing module shows as hedge");
    clear_capture();
    rt_log(RT_LOG_WARN, "x", "bell\x07 esc\x1b[31m\ttab\nnext");
    is_str(captured, "22:13:20.123 WARN x: bell\\x07 esc\\x1b[31m\ttab\nnext\n",
           "human: control bytes shown as \\xNN, tab and newline kept");

    fresh(1);
    rt_log(RT_LOG_INFO, "lighter", "order %s filled", "abc");
    is_str(captured, "{\"ts\":1700000000123,\"level\":\"info\",\"module\":\"lighter\",\"msg\":\"order abc filled\"}\n",
           "JSON line exact");
    clear_capture();
    rt_log_set_level(NULL, RT_LOG_TRACE);
    rt_log(RT_LOG_TRACE, "a\"b", "q\"uote back\\slash nl\n cr\r nul-free \x01\x1f del\x7f");
    is_str(captured,
           "{\"ts\":1700000000123,\"level\":\"trace\",\"module\":\"a\\\"b\",\"msg\":\"q\\\"uote back\\\\slash nl\\u000a cr\\u000d "
           "nul-free \\u0001\\u001f del\x7f\"}\n",
           "JSON escaping of quotes, backslashes and control characters");
    clear_capture();
    static const char bytes[] = "nul\0after \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 bad\xff \xc3 \xed\xa0\x80 \xc0\xaf";
    rt_log_text(RT_LOG_DEBUG, "m", bytes, sizeof bytes - 1);
    is_str(captured,
           "{\"ts\":1700000000123,\"level\":\"debug\",\"module\":\"m\",\"msg\":\"nul\\u0000after \xc3\xa9 \xe2\x82\xac "
           "\xf0\x9f\x98\x80 bad\\ufffd \\ufffd \\ufffd\\ufffd\\ufffd \\ufffd\\ufffd\"}\n",
           "JSON: NUL escaped, valid UTF-8 kept, invalid bytes become U+FFFD");

    fresh(1);
    char long_text[3000];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    rt_log(RT_LOG_INFO, "m", "%s!", long_text);
    is_int((long long)captured_len, (long long)(strlen("{\"ts\":1700000000123,\"level\":\"info\",\"module\":\"m\",\"msg\":\"\"}\n") + 3000),
           "a message longer than the stack buffer is written whole");
    ok(captured_len > 3 && memcmp(captured + captured_len - 5, "x!\"}\n", 5) == 0, "long message ends intact");
}

static void test_redaction(void) {
    static const char secret[] = "s3cr3tKEYvalue";
    fresh(1);
    is_int(rt_log_add_secret(secret, strlen(secret)), 0, "secret registered");
    is_int(rt_log_add_secret(secret, strlen(secret)), 0, "registering it again is harmless");

    rt_log(RT_LOG_INFO, "m", "key=s3cr3tKEYvalue in the format");
    is_str(captured, "{\"ts\":1700000000123,\"level\":\"info\",\"module\":\"m\",\"msg\":\"key=[REDACTED] in the format\"}\n",
           "secret in the format string redacted");
    clear_capture();
    rt_log(RT_LOG_INFO, "m", "key=%s!", secret);
    ok(strstr(captured, "key=[REDACTED]!") && !strstr(captured, "s3cr3t"), "secret in an argument redacted");
    clear_capture();
    rt_log(RT_LOG_INFO, "m", "key=%s%s.", "s3cr3tK", "EYvalue");
    ok(strstr(captured, "key=[REDACTED].") && !strstr(captured, "s3cr3t") && !strstr(captured, "EYvalue"),
       "secret split across two arguments redacted");
    clear_capture();
    rt_log(RT_LOG_INFO, "m", "%.7s%d%s", "s3cr3tK", 0, "EYvalue");
    ok(strstr(captured, "s3cr3tK0EYvalue") != NULL, "no false positive when the pieces do not form the secret");
    clear_capture();
    rt_log(RT_LOG_INFO, "s3cr3tKEYvalue", "module name");
    ok(strstr(captured, "\"module\":\"[REDACTED]\"") && !strstr(captured, "s3cr3t"), "secret as module name redacted");

    /* A secret with a quote: escaping would turn it into \" in JSON, so the message must be
     * redacted before escaping too. */
    static const char quoted[] = "pa\"ss\nword";
    is_int(rt_log_add_secret(quoted, strlen(quoted)), 0, "secret with a quote and newline registered");
    clear_capture();
    rt_log(RT_LOG_INFO, "m", "pw=%s end", quoted);
    is_str(captured, "{\"ts\":1700000000123,\"level\":\"info\",\"module\":\"m\",\"msg\":\"pw=[REDACTED] end\"}\n",
           "secret that JSON escaping would alter is still redacted");
    rt_log_set_console_format(0);
    clear_capture();
    rt_log(RT_LOG_INFO, "m", "pw=%s end", quoted);
    is_str(captured, "22:13:20.123 INFO m: pw=[REDACTED] end\n", "and in the human format");

    rt_log_set_console_format(1);
    char big[2000];
    memset(big, 'y', sizeof big);
    memcpy(big + 1500, secret, strlen(secret));
    clear_capture();
    rt_log(RT_LOG_INFO, "m", "%.*s", (int)sizeof big, big);
    ok(strstr(captured, "[REDACTED]") && !strstr(captured, "s3cr3t"), "secret inside a long (heap-formatted) line redacted");

    /* Multiple secrets and overlaps. */
    fresh(1);
    is_int(rt_log_add_secret("abcdef", 6), 0, "secret abcdef");
    is_int(rt_log_add_secret("defghi", 6), 0, "secret defghi (overlaps abcdef)");
    is_int(rt_log_add_secret("zzzz", 4), 0, "secret zzzz (4 bytes: the minimum)");
    size_t len = 0;
    char *red = rt_redact("xxabcdefghiyy zzzzz abcdef!defghi", 33, &len);
    is_str(red, "xx[REDACTED]yy [REDACTED] [REDACTED]![REDACTED]", "overlapping and repeated secrets each become one marker");
    is_int((long long)len, (long long)strlen(red), "rt_redact reports the length");
    free(red);
    red = rt_redact("nothing here", 12, &len);
    is_str(red, "nothing here", "text without secrets unchanged");
    free(red);
    red = rt_redact("abcdefabcdef", 12, NULL);
    is_str(red, "[REDACTED]", "adjacent occurrences merge into one marker");
    free(red);

    is_int(rt_log_add_secret("abc", 3), RT_LOG_SECRET_TOO_SHORT, "3-byte secret refused");
    is_str(rt_log_secret_error_text(RT_LOG_SECRET_TOO_SHORT), "secret refused: shorter than 4 bytes, it would redact ordinary text",
           "the refusal says why");
    is_int(rt_log_add_secret(NULL, 10), RT_LOG_SECRET_BAD_ARGUMENT, "NULL secret refused");
    red = rt_redact("abc abcd", 8, NULL);
    is_str(red, "abc abcd", "the refused secret redacts nothing");
    free(red);

    /* The file sink gets redacted JSON lines; read the file back. */
    char path[] = "/tmp/hedge_test_log_file_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    char err[256];
    is_int(rt_log_open_file(path, err, sizeof err), 0, "open the file sink");
    rt_log_set_console_format(0);
    rt_log(RT_LOG_WARN, "pacifica", "signing with %s and %s", "abcdef", "zzzz");
    rt_log_close_file();
    char content[512] = {0};
    FILE *file = fopen(path, "rb");
    size_t got = file ? fread(content, 1, sizeof content - 1, file) : 0;
    if (file) fclose(file);
    content[got] = '\0';
    is_str(content,
           "{\"ts\":1700000000123,\"level\":\"warn\",\"module\":\"pacifica\",\"msg\":\"signing with [REDACTED] and [REDACTED]\"}\n",
           "file sink: JSON line with secrets redacted even when the console is human");
    is_str(captured, "22:13:20.123 WARN pacifica: signing with [REDACTED] and [REDACTED]\n", "console got the human line");
    is_int(rt_log_open_file(path, err, sizeof err), 0, "reopen appends");
    rt_log(RT_LOG_ERROR, "m", "second");
    rt_log_close_file();
    file = fopen(path, "rb");
    got = file ? fread(content, 1, sizeof content - 1, file) : 0;
    if (file) fclose(file);
    content[got] = '\0';
    ok(strstr(content, "[REDACTED]\"}\n{\"ts\":1700000000123,\"level\":\"error\",\"module\":\"m\",\"msg\":\"second\"}\n") != NULL,
       "the second line is appended after the first");
    unlink(path);

    is_int(rt_log_open_file("/nonexistent-dir/abcdef/x.log", err, sizeof err), -1, "unopenable file refused");
    is_str(err, "cannot open log file '/nonexistent-dir/[REDACTED]/x.log': No such file or directory",
           "open error names the path (redacted) and the reason");

    /* Reset forgets (and wipes) the secrets. */
    rt_log_reset();
    red = rt_redact("abcdef", 6, NULL);
    is_str(red, "abcdef", "after reset no secret is registered");
    free(red);
}

static int nested_calls;
static void reentrant_writer(const char *text, size_t len, void *ctx) {
    (void)ctx;
    nested_calls++;
    rt_log(RT_LOG_ERROR, "inner", "from inside the writer");
    capture(text, len, NULL);
}

static void test_console_switch(void) {
    fresh(1);
    char path[] = "/tmp/hedge_test_log_console_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    char err[256];
    rt_log_open_file(path, err, sizeof err);
    rt_log_set_console_enabled(0);
    rt_log(RT_LOG_INFO, "m", "file only");
    is_int(captured_lines, 0, "console disabled: nothing on the console");
    rt_log_set_console_enabled(1);
    rt_log(RT_LOG_INFO, "m", "both");
    is_int(captured_lines, 1, "console enabled again");
    rt_log_close_file();
    char content[512] = {0};
    FILE *file = fopen(path, "rb");
    size_t got = file ? fread(content, 1, sizeof content - 1, file) : 0;
    if (file) fclose(file);
    content[got] = '\0';
    ok(strstr(content, "file only") && strstr(content, "both"), "the file got both lines");
    unlink(path);
}

static void test_reentrancy(void) {
    fresh(1);
    rt_log_set_console_writer(reentrant_writer, NULL);
    rt_log(RT_LOG_INFO, "outer", "hello");
    is_int(nested_calls, 1, "a writer that logs does not deadlock or recurse");
    ok(strstr(captured, "outer") && !strstr(captured, "inner"), "the nested line is dropped");
}

int main(void) {
    /* tap.h defines these as plain statics; referencing them keeps -Wunused-function quiet. */
    (void)tap_plan;
    (void)tap_exit_status;
    diag("runtime/log with a fixed clock at 2023-11-14T22:13:20.123Z");
    test_level_names();
    test_levels();
    test_off();
    test_formats();
    test_redaction();
    test_console_switch();
    test_reentrancy();
    rt_log_reset();
    return done_testing();
}
