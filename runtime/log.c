/* The logger: level filtering, sinks, and the one path every line takes
 * (format -> redact -> console and file). See runtime/log.h for the contract. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "runtime/log_internal.h"

#define MODULE_NAME_MAX 63
#define MODULE_OVERRIDES_MAX 64
#define DEFAULT_MODULE "hedge"

typedef struct module_override {
    char name[MODULE_NAME_MAX + 1];
    rt_log_level level;
} module_override;

typedef struct log_levels {
    rt_log_level default_level;
    module_override overrides[MODULE_OVERRIDES_MAX];
    size_t override_count;
} log_levels;

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static log_levels levels = {.default_level = RT_LOG_INFO};
static int file_fd = -1;
static rt_log_console_writer console_writer;
static void *console_ctx;
static int console_json = -1; /* -1: decide from isatty(stderr) at the first line */
static int console_colour = -1;
static int console_enabled = 1;
static int64_t (*clock_now_ms)(void);

/* A console writer that logs would deadlock on log_lock; such nested lines are dropped. */
static __thread int inside_log;

static const char *const level_names[] = {"trace", "debug", "info", "warn", "error", "off"};

const char *rt_log_level_name(rt_log_level level) {
    if ((int)level < RT_LOG_TRACE || level > RT_LOG_OFF) return "?";
    return level_names[level];
}

int rt_log_level_from_name(const char *name, rt_log_level *out) {
    if (!name) return -1;
    for (int i = RT_LOG_TRACE; i <= RT_LOG_OFF; i++) {
        if (strcasecmp(name, level_names[i]) == 0) {
            if (out) *out = (rt_log_level)i;
            return 0;
        }
    }
    if (strcasecmp(name, "warning") == 0) {
        if (out) *out = RT_LOG_WARN;
        return 0;
    }
    return -1;
}

static int64_t real_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The level that applies to `module`: an override for the name itself, else for its
 * dotted parents ("lighter.ws" falls back to "lighter"), else the default. */
static rt_log_level threshold_for(const log_levels *table, const char *module) {
    if (!module || !*module || table->override_count == 0) return table->default_level;
    size_t len = strlen(module);
    for (;;) {
        for (size_t i = 0; i < table->override_count; i++) {
            const char *name = table->overrides[i].name;
            if (strlen(name) == len && memcmp(name, module, len) == 0) return table->overrides[i].level;
        }
        while (len > 0 && module[len - 1] != '.') len--;
        if (len == 0) return table->default_level;
        len--; /* drop the dot */
    }
}

static int valid_level(rt_log_level level) { return (int)level >= RT_LOG_TRACE && level <= RT_LOG_OFF; }

int rt_log_enabled(rt_log_level level, const char *module) {
    if ((int)level < RT_LOG_TRACE || level >= RT_LOG_OFF) return 0;
    if (inside_log) return 0; /* a line logged from inside a sink is dropped, see emit() */
    pthread_mutex_lock(&log_lock);
    int enabled = level >= threshold_for(&levels, module);
    pthread_mutex_unlock(&log_lock);
    return enabled;
}

static int set_level_in(log_levels *table, const char *module, size_t module_len, rt_log_level level) {
    if (!module) {
        table->default_level = level;
        return 0;
    }
    if (module_len == 0 || module_len > MODULE_NAME_MAX) return -1;
    for (size_t i = 0; i < table->override_count; i++) {
        module_override *entry = &table->overrides[i];
        if (strlen(entry->name) == module_len && memcmp(entry->name, module, module_len) == 0) {
            entry->level = level;
            return 0;
        }
    }
    if (table->override_count == MODULE_OVERRIDES_MAX) return -1;
    module_override *entry = &table->overrides[table->override_count++];
    memcpy(entry->name, module, module_len);
    entry->name[module_len] = '\0';
    entry->level = level;
    return 0;
}

int rt_log_set_level(const char *module, rt_log_level level) {
    if (!valid_level(level)) return -1;
    pthread_mutex_lock(&log_lock);
    int result = set_level_in(&levels, module, module ? strlen(module) : 0, level);
    pthread_mutex_unlock(&log_lock);
    return result;
}

static void set_error(char *err, size_t errcap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_error(char *err, size_t errcap, const char *fmt, ...) {
    if (!err || errcap == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errcap, fmt, ap);
    va_end(ap);
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

int rt_log_configure(const char *spec, char *err, size_t errcap) {
    if (!spec) {
        set_error(err, errcap, "log levels: no specification");
        return -1;
    }
    /* Work on a copy of the table so that a bad item changes nothing. */
    pthread_mutex_lock(&log_lock);
    log_levels staged = levels;
    pthread_mutex_unlock(&log_lock);
    const char *item = spec;
    for (;;) {
        const char *end = strchr(item, ',');
        if (!end) end = item + strlen(item);
        const char *start = item, *stop = end;
        while (start < stop && is_space(*start)) start++;
        while (stop > start && is_space(stop[-1])) stop--;
        if (start == stop) {
            set_error(err, errcap, "log levels: empty item at offset %zu", (size_t)(start - spec));
            return -1;
        }
        const char *equals = memchr(start, '=', (size_t)(stop - start));
        const char *module = NULL, *module_end = NULL, *name = start;
        if (equals) {
            module = start;
            module_end = equals;
            while (module_end > module && is_space(module_end[-1])) module_end--;
            name = equals + 1;
            while (name < stop && is_space(*name)) name++;
        }
        char level_name[16];
        size_t name_len = (size_t)(stop - name);
        rt_log_level level;
        if (name_len == 0 || name_len >= sizeof level_name) {
            set_error(err, errcap, "log levels: '%.*s' has no valid level (trace, debug, info, warn, error, off)",
                      (int)(stop - start), start);
            return -1;
        }
        memcpy(level_name, name, name_len);
        level_name[name_len] = '\0';
        if (rt_log_level_from_name(level_name, &level) != 0) {
            set_error(err, errcap, "log levels: unknown level '%s' (trace, debug, info, warn, error, off)", level_name);
            return -1;
        }
        if (set_level_in(&staged, module, module ? (size_t)(module_end - module) : 0, level) != 0) {
            set_error(err, errcap, "log levels: bad module name in '%.*s' (1 to %d characters, at most %d modules)",
                      (int)(stop - start), start, MODULE_NAME_MAX, MODULE_OVERRIDES_MAX);
            return -1;
        }
        if (*end == '\0') break;
        item = end + 1;
    }
    pthread_mutex_lock(&log_lock);
    levels = staged;
    pthread_mutex_unlock(&log_lock);
    return 0;
}

static void write_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return; /* nowhere left to report a failing log sink */
        }
        data += n;
        len -= (size_t)n;
    }
}

/* Redacts the formatted line and hands it to one sink. */
static void deliver(const rt_log_buffer *line, int fd, rt_log_console_writer writer, void *ctx) {
    size_t len;
    char *safe = rt_redact(line->data, line->len, &len);
    if (!safe) return; /* out of memory: dropping the line beats leaking a secret */
    if (writer) writer(safe, len, ctx);
    else write_all(fd, safe, len);
    free(safe);
}

static void emit(rt_log_level level, const char *module, const char *msg, size_t msg_len) {
    if (inside_log) return;
    inside_log = 1;
    if (!module || !*module) module = DEFAULT_MODULE;
    /* First pass on the bare message: escaping could otherwise split a secret that holds a
     * quote or a control byte so that the pass on the final line no longer sees it. */
    size_t clean_len;
    char *clean = rt_redact(msg, msg_len, &clean_len);
    if (!clean) {
        static const char dropped[] = "log line dropped: out of memory while redacting";
        clean = strdup(dropped);
        clean_len = clean ? sizeof dropped - 1 : 0;
        if (!clean) {
            inside_log = 0;
            return;
        }
    }
    pthread_mutex_lock(&log_lock);
    int64_t now = clock_now_ms ? clock_now_ms() : real_now_ms();
    if (console_json < 0) console_json = isatty(STDERR_FILENO) ? 0 : 1;
    if (console_colour < 0) console_colour = isatty(STDERR_FILENO) && !getenv("NO_COLOR");
    rt_log_buffer line = {0};
    if (console_json)
        rt_log_format_json(&line, now, level, module, clean, clean_len);
    else
        rt_log_format_human(&line, now, level, module, clean, clean_len, console_writer == NULL && console_colour);
    if (console_enabled && !line.failed) deliver(&line, STDERR_FILENO, console_writer, console_ctx);
    if (file_fd >= 0) {
        /* The file is always JSON lines whatever the console shows. */
        if (!console_json) {
            rt_log_buffer_free(&line);
            rt_log_format_json(&line, now, level, module, clean, clean_len);
        }
        if (!line.failed) deliver(&line, file_fd, NULL, NULL);
    }
    pthread_mutex_unlock(&log_lock);
    rt_log_buffer_free(&line);
    free(clean);
    inside_log = 0;
}

void rt_log_text(rt_log_level level, const char *module, const char *text, size_t len) {
    if (!rt_log_enabled(level, module)) return;
    if (!text) len = 0;
    emit(level, module, text ? text : "", len);
}

void rt_log(rt_log_level level, const char *module, const char *fmt, ...) {
    if (!fmt || !rt_log_enabled(level, module)) return;
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    char *text = small;
    if ((size_t)n >= sizeof small) {
        text = malloc((size_t)n + 1);
        if (!text) return;
        va_start(ap, fmt);
        vsnprintf(text, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    emit(level, module, text, (size_t)n);
    /* The unredacted text may hold a secret passed as an argument. */
    sodium_memzero(text, (size_t)n + 1);
    if (text != small) free(text);
}

int rt_log_open_file(const char *path, char *err, size_t errcap) {
    if (!path || !*path) {
        set_error(err, errcap, "log file: empty path");
        return -1;
    }
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        int saved = errno;
        if (err && errcap) {
            char message[512];
            snprintf(message, sizeof message, "cannot open log file '%s': %s", path, strerror(saved));
            /* The path came from configuration; keep any registered secret out of the error. */
            size_t len;
            char *safe = rt_redact(message, strlen(message), &len);
            snprintf(err, errcap, "%s", safe ? safe : "cannot open log file");
            free(safe);
        }
        return -1;
    }
    pthread_mutex_lock(&log_lock);
    int old = file_fd;
    file_fd = fd;
    pthread_mutex_unlock(&log_lock);
    if (old >= 0) close(old);
    return 0;
}

void rt_log_close_file(void) {
    pthread_mutex_lock(&log_lock);
    int old = file_fd;
    file_fd = -1;
    pthread_mutex_unlock(&log_lock);
    if (old >= 0) close(old);
}

void rt_log_set_console_writer(rt_log_console_writer writer, void *ctx) {
    pthread_mutex_lock(&log_lock);
    console_writer = writer;
    console_ctx = ctx;
    pthread_mutex_unlock(&log_lock);
}

void rt_log_set_console_format(int json) {
    pthread_mutex_lock(&log_lock);
    console_json = json ? 1 : 0;
    pthread_mutex_unlock(&log_lock);
}

void rt_log_set_console_enabled(int enabled) {
    pthread_mutex_lock(&log_lock);
    console_enabled = enabled ? 1 : 0;
    pthread_mutex_unlock(&log_lock);
}

void rt_log_set_clock(int64_t (*now_ms)(void)) {
    pthread_mutex_lock(&log_lock);
    clock_now_ms = now_ms;
    pthread_mutex_unlock(&log_lock);
}

void rt_log_reset(void) {
    rt_log_close_file();
    pthread_mutex_lock(&log_lock);
    levels.default_level = RT_LOG_INFO;
    levels.override_count = 0;
    console_writer = NULL;
    console_ctx = NULL;
    console_json = -1;
    console_colour = -1;
    console_enabled = 1;
    clock_now_ms = NULL;
    pthread_mutex_unlock(&log_lock);
    rt_log_forget_secrets();
}
