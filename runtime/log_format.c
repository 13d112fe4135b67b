/* Turns one log record into the bytes of a line: JSON lines for files and pipes, a short
 * human form for terminals. Both escape what could corrupt the output: JSON gets proper
 * string escaping (a venue's error text can hold quotes, newlines or invalid UTF-8), the
 * human form neutralises control characters so a hostile message cannot drive the terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "runtime/log_internal.h"

void rt_log_buffer_append(rt_log_buffer *buffer, const char *bytes, size_t len) {
    if (buffer->failed || len == 0) return;
    if (buffer->len + len + 1 > buffer->cap) {
        size_t cap = buffer->cap ? buffer->cap : 256;
        while (cap < buffer->len + len + 1) cap *= 2;
        /* Not realloc: the old block may hold an unredacted secret and must be wiped. */
        char *data = malloc(cap);
        if (!data) {
            buffer->failed = 1;
            return;
        }
        if (buffer->data) {
            memcpy(data, buffer->data, buffer->len);
            sodium_memzero(buffer->data, buffer->cap);
            free(buffer->data);
        }
        buffer->data = data;
        buffer->cap = cap;
    }
    memcpy(buffer->data + buffer->len, bytes, len);
    buffer->len += len;
    buffer->data[buffer->len] = '\0';
}

void rt_log_buffer_append_text(rt_log_buffer *buffer, const char *text) {
    rt_log_buffer_append(buffer, text, strlen(text));
}

void rt_log_buffer_free(rt_log_buffer *buffer) {
    if (buffer->data) {
        sodium_memzero(buffer->data, buffer->cap);
        free(buffer->data);
    }
    buffer->data = NULL;
    buffer->len = buffer->cap = 0;
    buffer->failed = 0;
}

/* Length of the well-formed UTF-8 sequence starting at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0 when the bytes there are not one. */
static size_t utf8_sequence_length(const unsigned char *s, size_t avail) {
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) need = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else
        return 0;
    if (avail < need) return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < need; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return need;
}

void rt_log_json_escape(rt_log_buffer *out, const char *text, size_t len) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)text;
    size_t run = 0; /* start of the pending run of bytes that need no escaping */
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0x80) {
            size_t n = utf8_sequence_length(s + i, len - i);
            if (n) {
                i += n;
                continue;
            }
        }
        rt_log_buffer_append(out, text + run, i - run);
        if (c == '"') rt_log_buffer_append(out, "\\\"", 2);
        else if (c == '\\') rt_log_buffer_append(out, "\\\\", 2);
        else if (c < 0x20) {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            rt_log_buffer_append(out, esc, sizeof esc);
        } else
            rt_log_buffer_append(out, "\\ufffd", 6); /* a byte that is not valid UTF-8 */
        i++;
        run = i;
    }
    rt_log_buffer_append(out, text + run, len - run);
}

/* Human form: keeps newlines and tabs (multi-line Lua tracebacks stay readable) and shows
 * every other control byte as \xNN, so an ESC from a venue message never reaches the tty. */
static void append_printable(rt_log_buffer *out, const char *text, size_t len) {
    static const char hex[] = "0123456789abcdef";
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c >= 0x20 && c != 0x7f) || c == '\n' || c == '\t') continue;
        rt_log_buffer_append(out, text + run, i - run);
        char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        rt_log_buffer_append(out, esc, sizeof esc);
        run = i + 1;
    }
    rt_log_buffer_append(out, text + run, len - run);
}

static const char *level_upper(rt_log_level level) {
    switch (level) {
    case RT_LOG_TRACE: return "TRACE";
    case RT_LOG_DEBUG: return "DEBUG";
    case RT_LOG_INFO: return "INFO";
    case RT_LOG_WARN: return "WARN";
    case RT_LOG_ERROR: return "ERROR";
    default: return "?";
    }
}

static const char *level_colour(rt_log_level level) {
    switch (level) {
    case RT_LOG_TRACE: return "\x1b[90m";
    case RT_LOG_DEBUG: return "\x1b[36m";
    case RT_LOG_INFO: return "\x1b[32m";
    case RT_LOG_WARN: return "\x1b[33m";
    case RT_LOG_ERROR: return "\x1b[1;31m";
    default: return "";
    }
}

void rt_log_format_json(rt_log_buffer *out, int64_t ts_ms, rt_log_level level, const char *module,
                        const char *msg, size_t msg_len) {
    char head[48];
    int n = snprintf(head, sizeof head, "{\"ts\":%lld,\"level\":\"", (long long)ts_ms);
    rt_log_buffer_append(out, head, (size_t)n);
    rt_log_buffer_append_text(out, rt_log_level_name(level));
    rt_log_buffer_append_text(out, "\",\"module\":\"");
    rt_log_json_escape(out, module, strlen(module));
    rt_log_buffer_append_text(out, "\",\"msg\":\"");
    rt_log_json_escape(out, msg, msg_len);
    rt_log_buffer_append_text(out, "\"}\n");
}

void rt_log_format_human(rt_log_buffer *out, int64_t ts_ms, rt_log_level level, const char *module,
                         const char *msg, size_t msg_len, int colour) {
    /* Floor division so that times before 1970 (only ever from a test clock) stay sane. */
    int64_t seconds = ts_ms / 1000, millis = ts_ms % 1000;
    if (millis < 0) {
        millis += 1000;
        seconds -= 1;
    }
    time_t t = (time_t)seconds;
    struct tm tm;
    char head[32];
    if (gmtime_r(&t, &tm))
        snprintf(head, sizeof head, "%02d:%02d:%02d.%03d ", tm.tm_hour, tm.tm_min, tm.tm_sec, (int)millis);
    else
        snprintf(head, sizeof head, "??:??:??.%03d ", (int)millis);
    rt_log_buffer_append_text(out, head);
    if (colour) rt_log_buffer_append_text(out, level_colour(level));
    rt_log_buffer_append_text(out, level_upper(level));
    if (colour) rt_log_buffer_append_text(out, "\x1b[0m");
    rt_log_buffer_append(out, " ", 1);
    append_printable(out, module, strlen(module));
    rt_log_buffer_append(out, ": ", 2);
    append_printable(out, msg, msg_len);
    rt_log_buffer_append(out, "\n", 1);
}
