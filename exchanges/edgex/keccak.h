/* Keccak-256 as Ethereum uses it: the original Keccak padding (0x01 ... 0x80), rate 136
 * bytes, 32-byte output. It is NOT FIPS-202 SHA3-256 (padding 0x06); OpenSSL 3.0 only ships
 * the latter, hence this file. Shared by the v1 request signature and v2 EIP-712. */
#ifndef HEDGE_EXCHANGES_EDGEX_KECCAK_H
#define HEDGE_EXCHANGES_EDGEX_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#define EDGEX_KECCAK256_RATE 136

typedef struct edgex_keccak256_ctx {
    uint64_t state[25];
    size_t used;   /* bytes absorbed into the current block */
} edgex_keccak256_ctx;

void edgex_keccak256_init(edgex_keccak256_ctx *ctx);
void edgex_keccak256_update(edgex_keccak256_ctx *ctx, const void *data, size_t len);
void edgex_keccak256_final(edgex_keccak256_ctx *ctx, uint8_t out[32]);
void edgex_keccak256(const void *data, size_t len, uint8_t out[32]);

#endif
