/* Levelled, redacting log for the runtime, the venues and Lua scripts.
 *
 * Every line goes through one path: filter by level (a default plus per-module overrides such
 * as "lighter=debug"; "lighter.ws" falls back to "lighter"), format the whole message, redact
 * every registered secret in the formatted message and again in the FINAL line (so a secret
 * split across two printf arguments is still caught, and so is one that JSON escaping would
 * alter), then hand the redacted bytes to each sink: the console (human text on a
 * tty, JSON lines otherwise, or a writer installed by the REPL) and an optional append-only
 * JSON-lines file.
 *
 * Human format: "HH:MM:SS.mmm LEVEL module: message" (UTC; colour only on a tty).
 * JSON format:  {"ts":<ms>,"level":"info","module":"x","msg":"..."}
 *
 * The logger is process-global and guarded by a mutex, so any thread may log. Functions that
 * can fail return 0 on success and -1 on failure. */
#ifndef HEDGE_RUNTIME_LOG_H
#define HEDGE_RUNTIME_LOG_H

#include <stddef.h>
#include <stdint.h>

typedef enum rt_log_level {
    RT_LOG_TRACE,
    RT_LOG_DEBUG,
    RT_LOG_INFO,
    RT_LOG_WARN,
    RT_LOG_ERROR,
    RT_LOG_OFF
} rt_log_level;

/* printf-style message; dropped cheaply when the level is filtered out. */
void rt_log(rt_log_level level, const char *module, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Preformatted message (from Lua): `text` may contain any bytes, including NUL. */
void rt_log_text(rt_log_level level, const char *module, const char *text, size_t len);
/* 1 when a line at `level` for `module` would be written (lets callers skip costly formatting). */
int rt_log_enabled(rt_log_level level, const char *module);

/* module NULL sets the default level; otherwise an override for that module only.
 * Returns -1 for an out-of-range level or an empty/overlong module name. */
int rt_log_set_level(const char *module /* NULL = default */, rt_log_level level);
/* "trace", "debug", "info", "warn" (or "warning"), "error", "off"; case-insensitive. */
int rt_log_level_from_name(const char *name, rt_log_level *out);
/* Lower-case name of a level ("info"); "?" for an out-of-range value. */
const char *rt_log_level_name(rt_log_level level);
/* Applies a spec like "info,lighter=debug,edgex=trace": bare names set the default.
 * On failure nothing is changed and err names the bad item. */
int rt_log_configure(const char *spec, char *err, size_t errcap);

/* Opens `path` for appending JSON lines (replacing any open file). */
int rt_log_open_file(const char *path, char *err, size_t errcap);
void rt_log_close_file(void);

typedef void (*rt_log_console_writer)(const char *text, size_t len, void *ctx);
/* The REPL installs a prompt-safe printer; NULL = stderr. The writer receives one complete,
 * redacted line including its trailing '\n'. It is called with the logger's lock held, so it
 * must not call rt_log_* setters; a line it logs is dropped (never a deadlock). */
void rt_log_set_console_writer(rt_log_console_writer writer, void *ctx);
/* json = 1: JSON lines; 0: human. Default: human when stderr is a tty, JSON lines otherwise. */
void rt_log_set_console_format(int json);
/* 0 silences the console (a service that logs only to its file); 1 (the default) restores it. */
void rt_log_set_console_enabled(int enabled);

/* Registers a secret that must never appear in any output. Copies the bytes (the caller may
 * wipe its own copy). Returns 0 (also when the same secret is already registered) or one of
 * the RT_LOG_SECRET_* codes below; rt_log_secret_error_text says what is wrong. Secrets
 * shorter than RT_LOG_SECRET_MIN_LEN bytes are refused: they would redact ordinary text. */
#define RT_LOG_SECRET_MIN_LEN 4
enum {
    RT_LOG_SECRET_TOO_SHORT = -1,
    RT_LOG_SECRET_NO_MEMORY = -2,
    RT_LOG_SECRET_BAD_ARGUMENT = -3 /* NULL secret */
};
int rt_log_add_secret(const char *secret, size_t len);
const char *rt_log_secret_error_text(int code);
/* malloc'd, NUL-terminated copy of text with every registered secret replaced by "[REDACTED]";
 * *out_len (if not NULL) gets its length. NULL only when memory runs out. Caller frees. */
char *rt_redact(const char *text, size_t len, size_t *out_len);

/* Injectable wall clock in Unix milliseconds (tests); NULL restores the real clock. */
void rt_log_set_clock(int64_t (*now_ms)(void));
/* Forgets secrets (wiping their copies), levels, the file, the writer, the clock and the
 * console format (tests, shutdown). */
void rt_log_reset(void);

#endif
