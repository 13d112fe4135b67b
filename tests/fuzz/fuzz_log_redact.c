/* libFuzzer target: secret redaction (runtime/log_redact.c) and the log path around it
 * (runtime/log.c, log_format.c), the last line of defence between a key and a log file.
 *
 * Input: a flags byte, up to four secrets separated by NUL bytes, then the message text. The
 * secrets are registered; the text goes through rt_redact and through rt_log_text to a console
 * writer (JSON lines or human format, by the flags byte). Neither output may contain any
 * registered secret, and a text with no secret in it comes out of rt_redact unchanged.
 * Secrets holding '[' or ']', or lying inside the word "REDACTED", are not registered: such a
 * "secret" could be spelled by the replacement mark itself, which leaks nothing; nor are
 * secrets holding a newline (no key has one). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include "tests/fuzz/fuzz.h"

#include "runtime/log.h"
#include "runtime/log_internal.h"

#define MAX_SECRETS 4

static struct {
    const char *bytes;
    size_t length;
} secrets[MAX_SECRETS];
static size_t secret_count;

static char captured[1 << 16];
static size_t captured_length;
static int captured_overflow;

static void capture(const char *text, size_t length, void *context) {
    (void)context;
    if (captured_length + length > sizeof captured) {
        captured_overflow = 1;
        return;
    }
    memcpy(captured + captured_length, text, length);
    captured_length += length;
}

static int registrable(const char *bytes, size_t length) {
    if (length < RT_LOG_SECRET_MIN_LEN) return 0;
    if (memchr(bytes, '[', length) || memchr(bytes, ']', length)) return 0;
    /* Keys are single-line (hedge.env checks their format); a "secret" of newlines would
     * redact the line's own terminator. */
    if (memchr(bytes, '\n', length)) return 0;
    return memmem("REDACTED", 8, bytes, length) == NULL;
}

static void check_no_secret(const char *text, size_t length, const char *where) {
    for (size_t i = 0; i < secret_count; i++)
        FUZZ_CHECK(memmem(text, length, secrets[i].bytes, secrets[i].length) == NULL,
                   "secret %zu (%zu bytes) survives in %s", i, secrets[i].length, where);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    unsigned flags = data[0];
    const char *cursor = (const char *)data + 1, *end = (const char *)data + size;
    size_t wanted = flags % MAX_SECRETS + 1;
    secret_count = 0;
    rt_log_reset();
    for (size_t i = 0; i < wanted && cursor < end; i++) {
        const char *nul = memchr(cursor, '\0', (size_t)(end - cursor));
        if (!nul) break;
        size_t length = (size_t)(nul - cursor);
        if (registrable(cursor, length)) {
            FUZZ_CHECK(rt_log_add_secret(cursor, length) == 0, "a %zu-byte secret was refused", length);
            secrets[secret_count].bytes = cursor;
            secrets[secret_count].length = length;
            secret_count++;
        } else if (length < RT_LOG_SECRET_MIN_LEN) {
            FUZZ_CHECK(rt_log_add_secret(cursor, length) == RT_LOG_SECRET_TOO_SHORT, "a short secret was taken");
        }
        cursor = nul + 1;
    }
    const char *text = cursor;
    size_t length = (size_t)(end - cursor);

    size_t redacted_length = 0;
    char *redacted = rt_redact(text, length, &redacted_length);
    FUZZ_CHECK(redacted != NULL, "rt_redact returned NULL");
    FUZZ_CHECK(redacted[redacted_length] == '\0', "rt_redact result not terminated");
    check_no_secret(redacted, redacted_length, "rt_redact output");
    int any_secret = 0;
    for (size_t i = 0; i < secret_count; i++) any_secret |= memmem(text, length, secrets[i].bytes, secrets[i].length) != NULL;
    if (!any_secret)
        FUZZ_CHECK(redacted_length == length && memcmp(redacted, text, length) == 0, "text without secrets changed");
    free(redacted);

    captured_length = 0;
    captured_overflow = 0;
    rt_log_set_console_writer(capture, NULL);
    rt_log_set_console_format((flags & 0x10) != 0);
    rt_log_text(RT_LOG_INFO, "fuzz", text, length);
    FUZZ_CHECK(!captured_overflow, "log line longer than the capture buffer");
    FUZZ_CHECK(captured_length > 0 && captured[captured_length - 1] == '\n', "no complete log line");
    check_no_secret(captured, captured_length, "the log line");
    rt_log_reset();
    return 0;
}
