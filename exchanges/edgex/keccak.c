/* Keccak-f[1600] sponge with the original Keccak padding (see keccak.h). Written from the
 * Keccak reference description: theta, rho+pi, chi, iota over 24 rounds; lanes are read
 * little-endian. */
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

/* Rotation offset of lane (x, y), indexed x + 5y. */
static const unsigned ROTATIONS[25] = {
    0, 1, 62, 28, 27,
    36, 44, 6, 55, 20,
    3, 10, 43, 25, 39,
    41, 45, 15, 21, 8,
    18, 2, 61, 56, 14,
};

static inline uint64_t rotl(uint64_t v, unsigned n) { return n ? (v << n) | (v >> (64 - n)) : v; }

static void keccak_f1600(uint64_t a[25]) {
    for (int round = 0; round < 24; round++) {
        uint64_t c[5], d[5], b[25];
        for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; x++) d[x] = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
        for (int i = 0; i < 25; i++) a[i] ^= d[i % 5];
        /* rho and pi: lane (x, y) moves to (y, 2x + 3y) after its rotation */
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], ROTATIONS[x + 5 * y]);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 5; x++)
                a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
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
