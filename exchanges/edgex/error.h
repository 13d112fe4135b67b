/* Error reporting shared by the edgeX signing code.
 *
 * Every function that can fail on input returns 0 on success or a negative EDGEX_E_* code, and
 * (when err is not NULL) writes a message that names the offending field or variable. Messages
 * never contain secret material: callers pass the *name* of a key ("EDGEX_STARK_PRIVATE_KEY"),
 * never its value. */
#ifndef HEDGE_EXCHANGES_EDGEX_ERROR_H
#define HEDGE_EXCHANGES_EDGEX_ERROR_H

#include <stddef.h>

enum edgex_status {
    EDGEX_OK = 0,
    EDGEX_E_INPUT = -1,      /* malformed or out-of-range input (a field, a number, a hex string) */
    EDGEX_E_KEY = -2,        /* malformed or out-of-range private key */
    EDGEX_E_INEXACT = -3,    /* a quantity is not an exact multiple of the venue's unit */
    EDGEX_E_BUFFER = -4,     /* caller's output buffer is too small */
    EDGEX_E_CRYPTO = -5,     /* a cryptographic step failed (library error, rare retry exhausted) */
    EDGEX_E_VERIFY = -6      /* a signature did not verify */
};

typedef struct edgex_error {
    int code;
    char message[240];
} edgex_error;

/* Fills err (if not NULL) and returns code, so a caller can `return edgex_fail(...)`. */
__attribute__((format(printf, 3, 4)))
int edgex_fail(edgex_error *err, int code, const char *fmt, ...);

/* Short stable name of a status ("input", "key", "inexact", ...), used as the Lua error kind. */
const char *edgex_status_name(int code);

#endif
