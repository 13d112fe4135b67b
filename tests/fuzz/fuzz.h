/* Shared pieces of the libFuzzer targets in tests/fuzz/ (built and run by tests/fuzz/run).
 *
 * A target is one C file defining LLVMFuzzerTestOneInput. Besides crashing (which ASan and
 * UBSan turn every memory or arithmetic fault into), a target checks the contracts the code
 * promises in its header — a parser failure names the problem, a classified error message is
 * one printable line, a decimal text a parser accepted is a decimal — and aborts through
 * FUZZ_CHECK when one is broken, so libFuzzer saves the input like any other crash. */
#ifndef HEDGE_TESTS_FUZZ_FUZZ_H
#define HEDGE_TESTS_FUZZ_FUZZ_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchanges/venue.h"
#include "runtime/decimal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(condition, ...)                                                    \
    do {                                                                              \
        if (!(condition)) {                                                           \
            fprintf(stderr, "fuzz contract broken (%s:%d): ", __FILE__, __LINE__);    \
            fprintf(stderr, __VA_ARGS__);                                             \
            fputc('\n', stderr);                                                      \
            abort();                                                                  \
        }                                                                             \
    } while (0)

/* A failed parse must leave a non-empty, NUL-terminated message within its buffer. */
static inline void fuzz_check_failure_text(int rc, const char *err, size_t cap, const char *who) {
    if (rc == 0) return;
    FUZZ_CHECK(memchr(err, '\0', cap) != NULL, "%s: error text not terminated", who);
    FUZZ_CHECK(err[0] != '\0', "%s failed without saying why", who);
}

/* A classified venue error: a known kind, and a message on one printable line
 * (exchanges/venue.h: "the venue's words, printable, one line"). */
static inline void fuzz_check_venue_error(const venue_error *e, const char *who) {
    FUZZ_CHECK(e->kind > VENUE_ERROR_NONE && e->kind < VENUE_ERROR_KIND_COUNT, "%s: kind %d out of range", who,
               (int)e->kind);
    FUZZ_CHECK(memchr(e->message, '\0', sizeof e->message) != NULL, "%s: message not terminated", who);
    FUZZ_CHECK(e->message[0] != '\0', "%s: empty message", who);
    for (const unsigned char *p = (const unsigned char *)e->message; *p; p++)
        FUZZ_CHECK(*p >= 0x20 && *p != 0x7F, "%s: control byte 0x%02x in the message", who, *p);
    FUZZ_CHECK(e->retryable == venue_error_kind_is_retryable(e->kind), "%s: retryable flag disagrees with the kind",
               who);
}

/* A decimal text a parser accepted is "" (absent) or a number rt_decimal_parse reads; it may
 * be too long for 38 digits (the caller then reports the overflow), never malformed. */
static inline void fuzz_check_decimal_text(const char *text, size_t cap, const char *who) {
    FUZZ_CHECK(memchr(text, '\0', cap) != NULL, "%s: decimal text not terminated", who);
    if (!text[0]) return;
    rt_decimal d;
    int status = rt_decimal_parse(&d, text, strlen(text), NULL, 0);
    FUZZ_CHECK(status == RT_DECIMAL_OK || status == RT_DECIMAL_OVERFLOW, "%s: accepted \"%s\", not a decimal", who,
               text);
}

/* Subtrees worth handing to every parser: the root, and the values one and two levels down
 * (a parser of "data" or of "positions" gets its own shape somewhere in there). */
#define FUZZ_MAX_CANDIDATES 40

static inline void fuzz_add_children(const json_t *value, const json_t **out, size_t *count) {
    if (json_is_object(value)) {
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)value, key, member) {
            if (*count == FUZZ_MAX_CANDIDATES) return;
            out[(*count)++] = member;
        }
    } else if (json_is_array(value)) {
        for (size_t i = 0; i < json_array_size(value) && *count < FUZZ_MAX_CANDIDATES; i++)
            out[(*count)++] = json_array_get(value, i);
    }
}

static inline size_t fuzz_candidates(const json_t *root, const json_t **out) {
    size_t count = 0;
    out[count++] = root;
    fuzz_add_children(root, out, &count);
    size_t first_level = count;
    for (size_t i = 1; i < first_level && count < FUZZ_MAX_CANDIDATES; i++) fuzz_add_children(out[i], out, &count);
    return count;
}

/* The HTTP statuses each error classifier is asked about for one body. */
static const int fuzz_http_statuses[] = {0, 200, 400, 401, 404, 422, 429, 500, 503};
#define FUZZ_HTTP_STATUS_COUNT (sizeof fuzz_http_statuses / sizeof fuzz_http_statuses[0])

#endif
