/* Pieces shared by the log's own files (log.c, log_format.c, log_redact.c); not a public API. */
#ifndef HEDGE_RUNTIME_LOG_INTERNAL_H
#define HEDGE_RUNTIME_LOG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/log.h"

/* A growable byte buffer. An allocation failure sets `failed` and later appends do nothing,
 * so a caller checks once at the end instead of after every append. */
typedef struct rt_log_buffer {
    char *data;
    size_t len;
    size_t cap;
    int failed;
} rt_log_buffer;

void rt_log_buffer_append(rt_log_buffer *buffer, const char *bytes, size_t len);
void rt_log_buffer_append_text(rt_log_buffer *buffer, const char *text);
/* Wipes (the line may have held secrets before redaction) and frees. */
void rt_log_buffer_free(rt_log_buffer *buffer);

/* {"ts":...,"level":"...","module":"...","msg":"..."}\n */
void rt_log_format_json(rt_log_buffer *out, int64_t ts_ms, rt_log_level level, const char *module,
                        const char *msg, size_t msg_len);
/* HH:MM:SS.mmm LEVEL module: message\n (UTC); `colour` wraps LEVEL in an ANSI colour. */
void rt_log_format_human(rt_log_buffer *out, int64_t ts_ms, rt_log_level level, const char *module,
                         const char *msg, size_t msg_len, int colour);
/* JSON string body (no quotes): ", \ and control characters escaped, invalid UTF-8 as U+FFFD. */
void rt_log_json_escape(rt_log_buffer *out, const char *text, size_t len);

/* Forgets every registered secret, wiping the copies. */
void rt_log_forget_secrets(void);

#endif
