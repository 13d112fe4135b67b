/* edgex_error helpers: one place that formats messages so every caller reports the same way. */
#include "exchanges/edgex/error.h"

#include <stdarg.h>
#include <stdio.h>

int edgex_fail(edgex_error *err, int code, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

const char *edgex_status_name(int code) {
    switch (code) {
    case EDGEX_OK: return "ok";
    case EDGEX_E_INPUT: return "invalid_input";
    case EDGEX_E_KEY: return "invalid_key";
    case EDGEX_E_INEXACT: return "inexact";
    case EDGEX_E_BUFFER: return "buffer";
    case EDGEX_E_CRYPTO: return "crypto";
    case EDGEX_E_VERIFY: return "verify";
    default: return "unknown";
    }
}
