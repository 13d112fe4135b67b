/* The shared vector runner's handler interface.
 * A vector file is {"description", "source", "cases": [ {...}, ... ]}; the runner picks the
 * handler by the file's base name ("goldilocks" for .../goldilocks.json) and calls it on each
 * case. A venue file in tests/vectors/ declares its table with VECTOR_HANDLERS(table), and
 * the table registers itself at start-up, so adding a venue needs no edit here. */
#ifndef HEDGE_TESTS_VECTOR_H
#define HEDGE_TESTS_VECTOR_H
#include <jansson.h>
#include <stddef.h>

/* Returns 1 when the case passes. On failure returns 0 and writes into why what differed
 * (expected and found) — never secret material other than what the vector file itself holds. */
typedef int (*vector_case_check)(const json_t *vector_case, const json_t *vector_file, char *why, size_t why_size);

struct vector_handler {
    const char *file_name;   /* base name without ".json" */
    vector_case_check check;
};

void vector_register(const struct vector_handler *table);   /* table ends with {NULL, NULL} */

#define VECTOR_HANDLERS(table) \
    static void __attribute__((constructor)) register_##table(void) { vector_register(table); }

/* Helpers for handlers. vector_str returns NULL when the key is absent or not a string. */
const char *vector_str(const json_t *obj, const char *key);
/* Decodes hex (optional 0x prefix) into out; returns the byte count or -1 on bad hex/overflow. */
long vector_hex(const char *hex, unsigned char *out, size_t cap);
/* Formats why with "field: expected X, found Y". Always returns 0 so a check can `return`. */
int vector_mismatch(char *why, size_t why_size, const char *field, const char *expected, const char *found);
#endif
