/* secp256k1 signing and Ethereum addresses through libsecp256k1 (see eth_sign.h). */
#include "exchanges/edgex/eth_sign.h"

#include <pthread.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sodium.h>
#include <string.h>

#include "exchanges/edgex/hex.h"
#include "exchanges/edgex/keccak.h"

static secp256k1_context *context;
static pthread_once_t context_once = PTHREAD_ONCE_INIT;

static void create_context(void) {
    context = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (!context) return;
    /* Blinding for the library's constant-time signing; it does not change signatures. */
    uint8_t seed[32];
    if (sodium_init() >= 0) {
        randombytes_buf(seed, sizeof seed);
        if (!secp256k1_context_randomize(context, seed)) {
            secp256k1_context_destroy(context);
            context = NULL;
        }
        sodium_memzero(seed, sizeof seed);
    }
}

static const secp256k1_context *get_context(void) {
    pthread_once(&context_once, create_context);
    return context;
}

int edgex_eth_public_key(uint8_t public_key[65], const uint8_t private_key[32], edgex_error *err) {
    const secp256k1_context *ctx = get_context();
    if (!ctx) return edgex_fail(err, EDGEX_E_CRYPTO, "libsecp256k1 context could not be created");
    if (!secp256k1_ec_seckey_verify(ctx, private_key))
        return edgex_fail(err, EDGEX_E_KEY, "secp256k1 private key must be in [1, n)");
    secp256k1_pubkey pub;
    size_t len = 65;
    if (!secp256k1_ec_pubkey_create(ctx, &pub, private_key) ||
        !secp256k1_ec_pubkey_serialize(ctx, public_key, &len, &pub, SECP256K1_EC_UNCOMPRESSED) || len != 65)
        return edgex_fail(err, EDGEX_E_CRYPTO, "secp256k1 public key derivation failed");
    return EDGEX_OK;
}

void edgex_eth_address_from_public_key(uint8_t address[20], const uint8_t public_key[65]) {
    uint8_t hash[32];
    edgex_keccak256(public_key + 1, 64, hash);
    memcpy(address, hash + 12, 20);
}

void edgex_eth_address_checksum(const uint8_t address[20], char out[43]) {
    char lower[41];
    uint8_t hash[32];
    edgex_bytes_to_hex(address, 20, lower);
    edgex_keccak256(lower, 40, hash);
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < 40; i++) {
        int nibble = (hash[i / 2] >> (i % 2 ? 0 : 4)) & 15;
        char c = lower[i];
        out[2 + i] = (c >= 'a' && c <= 'f' && nibble >= 8) ? (char)(c - 'a' + 'A') : c;
    }
    out[42] = '\0';
}

int edgex_eth_address_parse(uint8_t address[20], const char *text, edgex_error *err) {
    if (!text || text[0] != '0' || (text[1] != 'x' && text[1] != 'X') ||
        edgex_hex_to_bytes(text + 2, strlen(text + 2), address, 20) != 0)
        return edgex_fail(err, EDGEX_E_INPUT, "address must be 0x followed by 40 hex digits");
    return EDGEX_OK;
}

int edgex_eth_sign_digest(edgex_eth_signature *out, const uint8_t private_key[32], const uint8_t digest[32],
                          edgex_error *err) {
    const secp256k1_context *ctx = get_context();
    if (!ctx) return edgex_fail(err, EDGEX_E_CRYPTO, "libsecp256k1 context could not be created");
    secp256k1_ecdsa_recoverable_signature sig;
    /* NULL nonce function = RFC 6979 with HMAC-SHA256, no extra data; the library emits low-S. */
    if (!secp256k1_ecdsa_sign_recoverable(ctx, &sig, digest, private_key, NULL, NULL))
        return edgex_fail(err, EDGEX_E_KEY, "secp256k1 signing failed (invalid private key)");
    uint8_t compact[64];
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, compact, &recid, &sig);
    memcpy(out->r, compact, 32);
    memcpy(out->s, compact + 32, 32);
    out->recovery_id = recid;
    out->v = (uint8_t)(27 + recid);
    return EDGEX_OK;
}

void edgex_eth_signature_rsv(const edgex_eth_signature *sig, uint8_t out[65]) {
    memcpy(out, sig->r, 32);
    memcpy(out + 32, sig->s, 32);
    out[64] = sig->v;
}

void edgex_eth_signature_hex(const edgex_eth_signature *sig, char out[131]) {
    uint8_t rsv[65];
    edgex_eth_signature_rsv(sig, rsv);
    edgex_bytes_to_hex(rsv, 65, out);
}

int edgex_eth_signature_from_hex(edgex_eth_signature *out, const char *hex, edgex_error *err) {
    uint8_t rsv[65];
    if (hex && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex += 2;
    if (!hex || edgex_hex_to_bytes(hex, strlen(hex), rsv, 65) != 0)
        return edgex_fail(err, EDGEX_E_INPUT, "signature must be 130 hex digits (r || s || v)");
    int recid = rsv[64] >= 27 ? rsv[64] - 27 : rsv[64];
    if (recid != 0 && recid != 1) return edgex_fail(err, EDGEX_E_INPUT, "signature v must be 27 or 28");
    memcpy(out->r, rsv, 32);
    memcpy(out->s, rsv + 32, 32);
    out->recovery_id = recid;
    out->v = (uint8_t)(27 + recid);
    return EDGEX_OK;
}

int edgex_eth_recover_address(uint8_t address[20], const uint8_t digest[32], const edgex_eth_signature *sig,
                              edgex_error *err) {
    const secp256k1_context *ctx = get_context();
    if (!ctx) return edgex_fail(err, EDGEX_E_CRYPTO, "libsecp256k1 context could not be created");
    uint8_t compact[64], public_key[65];
    memcpy(compact, sig->r, 32);
    memcpy(compact + 32, sig->s, 32);
    secp256k1_ecdsa_recoverable_signature rsig;
    secp256k1_pubkey pub;
    size_t len = 65;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rsig, compact, sig->recovery_id) ||
        !secp256k1_ecdsa_recover(ctx, &pub, &rsig, digest) ||
        !secp256k1_ec_pubkey_serialize(ctx, public_key, &len, &pub, SECP256K1_EC_UNCOMPRESSED))
        return edgex_fail(err, EDGEX_E_VERIFY, "no public key recovers from this signature");
    edgex_eth_address_from_public_key(address, public_key);
    return EDGEX_OK;
}
