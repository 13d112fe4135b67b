/* The secret registry and the redactor that every log line, and any error text a caller
 * chooses to pass through rt_redact, goes through before it leaves the process.
 *
 * Redaction marks every byte covered by any occurrence of any secret (occurrences may
 * overlap each other or other secrets) and then replaces each maximal marked run with one
 * "[REDACTED]": so two overlapping secrets never leave a fragment of either behind. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "runtime/log_internal.h"

#define REDACTED_MARK "[REDACTED]"
#define REDACTED_MARK_LEN (sizeof REDACTED_MARK - 1)

typedef struct secret_entry {
    char *bytes;
    size_t len;
} secret_entry;

/* A lock of its own (not the logger's) so rt_redact can be used from anywhere; when both are
 * held the order is always logger lock, then this one. */
static pthread_mutex_t secrets_lock = PTHREAD_MUTEX_INITIALIZER;
static secret_entry *secrets;
static size_t secret_count, secret_capacity;

const char *rt_log_secret_error_text(int code) {
    switch (code) {
    case 0: return "ok";
    case RT_LOG_SECRET_TOO_SHORT:
        return "secret refused: shorter than 4 bytes, it would redact ordinary text";
    case RT_LOG_SECRET_NO_MEMORY: return "secret refused: out of memory";
    case RT_LOG_SECRET_BAD_ARGUMENT: return "secret refused: NULL pointer";
    default: return "unknown secret registration error";
    }
}

int rt_log_add_secret(const char *secret, size_t len) {
    if (!secret) return RT_LOG_SECRET_BAD_ARGUMENT;
    if (len < RT_LOG_SECRET_MIN_LEN) return RT_LOG_SECRET_TOO_SHORT;
    int result = 0;
    pthread_mutex_lock(&secrets_lock);
    for (size_t i = 0; i < secret_count; i++)
        if (secrets[i].len == len && memcmp(secrets[i].bytes, secret, len) == 0) goto done;
    if (secret_count == secret_capacity) {
        size_t capacity = secret_capacity ? secret_capacity * 2 : 8;
        secret_entry *grown = realloc(secrets, capacity * sizeof *grown);
        if (!grown) {
            result = RT_LOG_SECRET_NO_MEMORY;
            goto done;
        }
        secrets = grown;
        secret_capacity = capacity;
    }
    char *copy = malloc(len);
    if (!copy) {
        result = RT_LOG_SECRET_NO_MEMORY;
        goto done;
    }
    memcpy(copy, secret, len);
    secrets[secret_count].bytes = copy;
    secrets[secret_count].len = len;
    secret_count++;
done:
    pthread_mutex_unlock(&secrets_lock);
    return result;
}

void rt_log_forget_secrets(void) {
    pthread_mutex_lock(&secrets_lock);
    for (size_t i = 0; i < secret_count; i++) {
        sodium_memzero(secrets[i].bytes, secrets[i].len);
        free(secrets[i].bytes);
    }
    free(secrets);
    secrets = NULL;
    secret_count = secret_capacity = 0;
    pthread_mutex_unlock(&secrets_lock);
}

static char *copy_plain(const char *text, size_t len, size_t *out_len) {
    char *copy = malloc(len + 1);
    if (!copy) return NULL;
    if (len) memcpy(copy, text, len);
    copy[len] = '\0';
    if (out_len) *out_len = len;
    return copy;
}

char *rt_redact(const char *text, size_t len, size_t *out_len) {
    if (!text) len = 0;
    pthread_mutex_lock(&secrets_lock);
    if (secret_count == 0 || len == 0) {
        pthread_mutex_unlock(&secrets_lock);
        return copy_plain(text, len, out_len);
    }
    unsigned char *covered = calloc(len, 1);
    if (!covered) {
        pthread_mutex_unlock(&secrets_lock);
        return NULL; /* never fall back to the unredacted text */
    }
    int any = 0;
    for (size_t s = 0; s < secret_count; s++) {
        const secret_entry *secret = &secrets[s];
        const char *from = text;
        const char *end = text + len;
        while ((size_t)(end - from) >= secret->len) {
            const char *hit = memmem(from, (size_t)(end - from), secret->bytes, secret->len);
            if (!hit) break;
            memset(covered + (hit - text), 1, secret->len);
            any = 1;
            from = hit + 1; /* next search from the following byte: occurrences may overlap */
        }
    }
    pthread_mutex_unlock(&secrets_lock);
    if (!any) {
        free(covered);
        return copy_plain(text, len, out_len);
    }
    size_t size = 0;
    for (size_t i = 0; i < len; i++) {
        if (!covered[i]) size++;
        else if (i == 0 || !covered[i - 1]) size += REDACTED_MARK_LEN;
    }
    char *result = malloc(size + 1);
    if (result) {
        size_t n = 0;
        for (size_t i = 0; i < len; i++) {
            if (!covered[i]) result[n++] = text[i];
            else if (i == 0 || !covered[i - 1]) {
                memcpy(result + n, REDACTED_MARK, REDACTED_MARK_LEN);
                n += REDACTED_MARK_LEN;
            }
        }
        result[n] = '\0';
        if (out_len) *out_len = n;
    }
    free(covered);
    return result;
}
