/* 256-bit unsigned integer helpers (see u256.h). These handle public values (hashes, amounts,
 * signature halves); secret scalars go through the constant-time code in stark_scalar.c. */
#include "exchanges/edgex/u256.h"

#include <string.h>

#include "exchanges/edgex/hex.h"

int edgex_u256_from_hex(edgex_u256 *out, const char *text) {
    if (!text) return -1;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text += 2;
    size_t len = strlen(text);
    if (len == 0 || len > 64) return -1;
    edgex_u256 v = {{0, 0, 0, 0}};
    for (size_t i = 0; i < len; i++) {
        int d = edgex_hex_digit((unsigned char)text[len - 1 - i]);
        if (d < 0) return -1;
        v.limb[i / 16] |= (uint64_t)d << (4 * (i % 16));
    }
    *out = v;
    return 0;
}

int edgex_u256_from_decimal(edgex_u256 *out, const char *text) {
    if (!text || !*text) return -1;
    edgex_u256 v = {{0, 0, 0, 0}};
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        /* v = v * 10 + digit, failing on a carry out of 256 bits */
        unsigned __int128 carry = (unsigned)(*p - '0');
        for (int i = 0; i < 4; i++) {
            carry += (unsigned __int128)v.limb[i] * 10;
            v.limb[i] = (uint64_t)carry;
            carry >>= 64;
        }
        if (carry) return -1;
    }
    *out = v;
    return 0;
}

int edgex_u256_from_text(edgex_u256 *out, const char *text) {
    if (text && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) return edgex_u256_from_hex(out, text);
    return edgex_u256_from_decimal(out, text);
}

void edgex_u256_from_bytes(edgex_u256 *out, const uint8_t in[32]) {
    for (int i = 0; i < 4; i++) {
        uint64_t w = 0;
        for (int j = 0; j < 8; j++) w = w << 8 | in[(3 - i) * 8 + j];
        out->limb[i] = w;
    }
}

void edgex_u256_to_bytes(uint8_t out[32], const edgex_u256 *a) {
    for (int i = 0; i < 4; i++) {
        uint64_t w = a->limb[i];
        for (int j = 7; j >= 0; j--) {
            out[(3 - i) * 8 + j] = (uint8_t)w;
            w >>= 8;
        }
    }
}

void edgex_u256_from_u64(edgex_u256 *out, uint64_t v) {
    out->limb[0] = v;
    out->limb[1] = out->limb[2] = out->limb[3] = 0;
}

int edgex_u256_cmp(const edgex_u256 *a, const edgex_u256 *b) {
    for (int i = 3; i >= 0; i--) {
        if (a->limb[i] != b->limb[i]) return a->limb[i] < b->limb[i] ? -1 : 1;
    }
    return 0;
}

int edgex_u256_lt_ct(const edgex_u256 *a, const edgex_u256 *b) {
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        unsigned __int128 d = (unsigned __int128)a->limb[i] - b->limb[i] - borrow;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return (int)borrow;
}

int edgex_u256_is_zero_ct(const edgex_u256 *a) {
    uint64_t x = a->limb[0] | a->limb[1] | a->limb[2] | a->limb[3];
    return (int)(((x | (0 - x)) >> 63) ^ 1);
}

int edgex_u256_is_zero(const edgex_u256 *a) {
    return (a->limb[0] | a->limb[1] | a->limb[2] | a->limb[3]) == 0;
}

unsigned edgex_u256_bit_length(const edgex_u256 *a) {
    for (int i = 3; i >= 0; i--) {
        if (a->limb[i]) return (unsigned)(64 * i + 64 - __builtin_clzll(a->limb[i]));
    }
    return 0;
}

int edgex_u256_shl(edgex_u256 *out, const edgex_u256 *a, unsigned shift) {
    edgex_u256 r = {{0, 0, 0, 0}};
    unsigned words = shift / 64, bits = shift % 64;
    int lost = 0;
    for (int i = 3; i >= 0; i--) {
        int dst = i + (int)words;
        uint64_t lo = a->limb[i] << bits;
        uint64_t hi = bits ? a->limb[i] >> (64 - bits) : 0;
        if (dst < 4) r.limb[dst] |= lo;
        else if (lo) lost = 1;
        if (dst + 1 < 4) r.limb[dst + 1] |= hi;
        else if (hi) lost = 1;
    }
    *out = r;
    return lost;
}

void edgex_u256_shr(edgex_u256 *out, const edgex_u256 *a, unsigned shift) {
    edgex_u256 r = {{0, 0, 0, 0}};
    unsigned words = shift / 64, bits = shift % 64;
    for (int i = 0; i < 4; i++) {
        int src = i + (int)words;
        if (src >= 4) break;
        uint64_t v = a->limb[src] >> bits;
        if (bits && src + 1 < 4) v |= a->limb[src + 1] << (64 - bits);
        r.limb[i] = v;
    }
    *out = r;
}

uint64_t edgex_u256_add(edgex_u256 *out, const edgex_u256 *a, const edgex_u256 *b) {
    unsigned __int128 c = 0;
    for (int i = 0; i < 4; i++) {
        c += (unsigned __int128)a->limb[i] + b->limb[i];
        out->limb[i] = (uint64_t)c;
        c >>= 64;
    }
    return (uint64_t)c;
}

uint64_t edgex_u256_sub(edgex_u256 *out, const edgex_u256 *a, const edgex_u256 *b) {
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        unsigned __int128 d = (unsigned __int128)a->limb[i] - b->limb[i] - borrow;
        out->limb[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return borrow;
}

void edgex_u256_to_hex64(const edgex_u256 *a, char out[65]) {
    uint8_t bytes[32];
    edgex_u256_to_bytes(bytes, a);
    edgex_bytes_to_hex(bytes, 32, out);
}

void edgex_u256_to_hex(const edgex_u256 *a, char out[67]) {
    char full[65];
    edgex_u256_to_hex64(a, full);
    const char *p = full;
    while (*p == '0' && p[1]) p++;
    out[0] = '0';
    out[1] = 'x';
    memcpy(out + 2, p, strlen(p) + 1);
}

void edgex_u256_to_decimal(const edgex_u256 *a, char out[80]) {
    /* Repeated division by 10^19 keeps the loop short; the value is public. */
    edgex_u256 v = *a;
    char tmp[80];
    size_t n = 0;
    const uint64_t chunk = 10000000000000000000ull;
    do {
        unsigned __int128 rem = 0;
        for (int i = 3; i >= 0; i--) {
            unsigned __int128 cur = rem << 64 | v.limb[i];
            v.limb[i] = (uint64_t)(cur / chunk);
            rem = cur % chunk;
        }
        uint64_t r = (uint64_t)rem;
        int more = !edgex_u256_is_zero(&v);
        for (int d = 0; d < 19 && (more || r); d++) {
            tmp[n++] = (char)('0' + r % 10);
            r /= 10;
        }
        if (!more) break;
    } while (1);
    if (n == 0) tmp[n++] = '0';
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}
