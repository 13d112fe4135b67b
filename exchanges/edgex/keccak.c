/* Keccak-f[1600] sponge with the original Keccak padding (see keccak.h). Written from the
 * Keccak reference description: theta, rho+pi, chi, iota over 24 rounds; lanes are read
 * little-endian. Checked by shared/vectors/edgex/v2_keccak256.json (rate boundaries). */
#include "exchanges/edgex/keccak.h"

#include <string.h>

static const uint64_t ROUND_CONSTANTS[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull,
};

/* rho and pi together as one cycle over the 24 lanes other than (0, 0): lane PI_LANE[i]
 * receives the previous lane of the cycle rotated by RHO_OFFSET[i]. Both tables follow from
 * the Keccak definition (pi: (x, y) -> (y, 2x + 3y); rho: triangular-number offsets). */
static const unsigned PI_LANE[24] = {10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4,
                                     15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1};
static const unsigned RHO_OFFSET[24] = {1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14,
                                        27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44};

static inline uint64_t rotl(uint64_t v, unsigned n) { return (v << n) | (v >> (64 - n)); }

static void keccak_f1600(uint64_t a[25]) {
    for (int round = 0; round < 24; round++) {
        uint64_t c[5], d;
        for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; x++) {
            d = c[x == 0 ? 4 : x - 1] ^ rotl(c[x == 4 ? 0 : x + 1], 1);
            for (int y = 0; y < 25; y += 5) a[y + x] ^= d;
        }
        uint64_t carry = a[1];
        for (int i = 0; i < 24; i++) {
            uint64_t next = a[PI_LANE[i]];
            a[PI_LANE[i]] = rotl(carry, RHO_OFFSET[i]);
            carry = next;
        }
        for (int y = 0; y < 25; y += 5) {
            uint64_t r0 = a[y], r1 = a[y + 1], r2 = a[y + 2], r3 = a[y + 3], r4 = a[y + 4];
            a[y] = r0 ^ (~r1 & r2);
            a[y + 1] = r1 ^ (~r2 & r3);
            a[y + 2] = r2 ^ (~r3 & r4);
            a[y + 3] = r3 ^ (~r4 & r0);
            a[y + 4] = r4 ^ (~r0 & r1);
        }
        a[0] ^= ROUND_CONSTANTS[round];
    }
}

static void xor_byte(uint64_t state[25], size_t pos, uint8_t byte) {
    state[pos / 8] ^= (uint64_t)byte << (8 * (pos % 8));
}

void edgex_keccak256_init(edgex_keccak256_ctx *ctx) {
    memset(ctx->state, 0, sizeof ctx->state);
    ctx->used = 0;
}

void edgex_keccak256_update(edgex_keccak256_ctx *ctx, const void *data, size_t len) {
    const uint8_t *p = data;
    while (len > 0) {
        if (ctx->used == 0 && len >= EDGEX_KECCAK256_RATE) {
            /* whole block: absorb 17 lanes at once */
            for (int i = 0; i < EDGEX_KECCAK256_RATE / 8; i++) {
                uint64_t lane = 0;
                for (int j = 7; j >= 0; j--) lane = lane << 8 | p[8 * i + j];
                ctx->state[i] ^= lane;
            }
            keccak_f1600(ctx->state);
            p += EDGEX_KECCAK256_RATE;
            len -= EDGEX_KECCAK256_RATE;
            continue;
        }
        xor_byte(ctx->state, ctx->used++, *p++);
        len--;
        if (ctx->used == EDGEX_KECCAK256_RATE) {
            keccak_f1600(ctx->state);
            ctx->used = 0;
        }
    }
}

void edgex_keccak256_final(edgex_keccak256_ctx *ctx, uint8_t out[32]) {
    xor_byte(ctx->state, ctx->used, 0x01);
    xor_byte(ctx->state, EDGEX_KECCAK256_RATE - 1, 0x80);
    keccak_f1600(ctx->state);
    for (int i = 0; i < 32; i++) out[i] = (uint8_t)(ctx->state[i / 8] >> (8 * (i % 8)));
    edgex_keccak256_init(ctx);
}

void edgex_keccak256(const void *data, size_t len, uint8_t out[32]) {
    edgex_keccak256_ctx ctx;
    edgex_keccak256_init(&ctx);
    edgex_keccak256_update(&ctx, data, len);
    edgex_keccak256_final(&ctx, out);
}
