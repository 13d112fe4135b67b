/* HMAC-SHA256 over a reusable OpenSSL digest context (see hmac_sha256.h). */
#include "exchanges/edgex/hmac_sha256.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

static EVP_MD *sha256_md;   /* fetched once; lives for the process */
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch_sha256(void) { sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL); }

int edgex_hmac_sha256_open(edgex_hmac_sha256 *h) {
    pthread_once(&fetch_once, fetch_sha256);
    h->digest_ctx = sha256_md ? EVP_MD_CTX_new() : NULL;
    return h->digest_ctx ? 0 : -1;
}

void edgex_hmac_sha256_close(edgex_hmac_sha256 *h) {
    EVP_MD_CTX_free(h->digest_ctx);
    h->digest_ctx = NULL;
}

int edgex_hmac_sha256_mac(edgex_hmac_sha256 *h, const uint8_t *key, size_t key_len, const uint8_t *data,
                          size_t data_len, uint8_t out[32]) {
    if (key_len > 64) return -1;
    EVP_MD_CTX *ctx = h->digest_ctx;
    uint8_t pad[64], inner[32];
    unsigned int n = 0;
    int ok = 1;
    memset(pad, 0x36, sizeof pad);
    for (size_t i = 0; i < key_len; i++) pad[i] ^= key[i];
    ok &= EVP_DigestInit_ex2(ctx, sha256_md, NULL);
    ok &= EVP_DigestUpdate(ctx, pad, sizeof pad);
    ok &= EVP_DigestUpdate(ctx, data, data_len);
    ok &= EVP_DigestFinal_ex(ctx, inner, &n);
    memset(pad, 0x5c, sizeof pad);
    for (size_t i = 0; i < key_len; i++) pad[i] ^= key[i];
    ok &= EVP_DigestInit_ex2(ctx, sha256_md, NULL);
    ok &= EVP_DigestUpdate(ctx, pad, sizeof pad);
    ok &= EVP_DigestUpdate(ctx, inner, sizeof inner);
    ok &= EVP_DigestFinal_ex(ctx, out, &n);
    /* The padded key blocks and the inner hash derive from the (secret) key. */
    sodium_memzero(pad, sizeof pad);
    sodium_memzero(inner, sizeof inner);
    return ok == 1 ? 0 : -1;
}

int edgex_sha256(const void *data, size_t len, uint8_t out[32]) {
    pthread_once(&fetch_once, fetch_sha256);
    unsigned int n = 0;
    return sha256_md && EVP_Digest(data, len, out, &n, sha256_md, NULL) == 1 && n == 32 ? 0 : -1;
}
