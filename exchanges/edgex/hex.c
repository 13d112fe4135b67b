/* Hex and decimal text helpers (see hex.h). Strict on purpose: a malformed id or key must be
 * reported, not silently truncated or reinterpreted. */
#include "exchanges/edgex/hex.h"

#include <string.h>

int edgex_hex_digit(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void edgex_bytes_to_hex(const uint8_t *bytes, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

int edgex_hex_to_bytes(const char *hex, size_t hex_len, uint8_t *out, size_t n) {
    if (!hex || hex_len != 2 * n) return -1;
    for (size_t i = 0; i < n; i++) {
        int hi = edgex_hex_digit((unsigned char)hex[2 * i]);
        int lo = edgex_hex_digit((unsigned char)hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

int edgex_parse_u64(const char *text, uint64_t *out) {
    if (!text || !*text) return -1;
    if (text[0] == '0' && text[1] != '\0') return -1;
    uint64_t v = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

size_t edgex_format_u64(uint64_t v, char out[21]) {
    char tmp[21];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return n;
}
