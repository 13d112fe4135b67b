/* HMAC-SHA256 (RFC 2104) on top of OpenSSL's SHA-256 digest, for the RFC 6979 nonce loop.
 *
 * Why not OpenSSL's HMAC(): in OpenSSL 3.0 each one-shot HMAC() call fetches and sets up a MAC
 * provider, about 0.9 us here, while this costs about 0.3 us (two prefetched digests); one
 * Stark signature needs 5 to 10 MACs under fresh keys. tests/c/test_edgex_stark.c checks this
 * against HMAC() byte for byte. The v2 request authentication uses HMAC() itself. */
#ifndef HEDGE_EXCHANGES_EDGEX_HMAC_SHA256_H
#define HEDGE_EXCHANGES_EDGEX_HMAC_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct edgex_hmac_sha256 {
    void *digest_ctx;   /* EVP_MD_CTX, reused across MACs */
} edgex_hmac_sha256;

/* Returns 0, or -1 if OpenSSL could not provide SHA-256 or a context. */
int edgex_hmac_sha256_open(edgex_hmac_sha256 *h);
/* Frees the context (OpenSSL cleanses digest state on free). */
void edgex_hmac_sha256_close(edgex_hmac_sha256 *h);

/* out = HMAC-SHA256(key, data); key_len <= 64. Returns 0 or -1. */
int edgex_hmac_sha256_mac(edgex_hmac_sha256 *h, const uint8_t *key, size_t key_len, const uint8_t *data,
                          size_t data_len, uint8_t out[32]);

/* SHA-256 with the same prefetched digest (OpenSSL's one-shot SHA256() fetches the
 * implementation under a lock on every call). Returns 0 or -1. */
int edgex_sha256(const void *data, size_t len, uint8_t out[32]);

#endif
