/* Auth-token construction (lighter.md §5). */
#include "exchanges/lighter/auth.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "exchanges/lighter/poseidon2.h"
#include "exchanges/lighter/schnorr.h"

int lighter_auth_message(char out[LIGHTER_AUTH_MESSAGE_MAX], int64_t deadline_s, int64_t account_index, int64_t api_key_index,
                         char *err, size_t errcap) {
    const char *problem = NULL;
    if (deadline_s <= 0) problem = "auth token deadline must be a positive Unix time in seconds";
    else if (account_index < 0 || account_index > (INT64_C(1) << 48) - 2) problem = "auth token account index is out of range 0..2^48-2";
    else if (api_key_index < 0 || api_key_index > 254) problem = "auth token API key index is out of range 0..254";
    if (problem) {
        if (err && errcap) snprintf(err, errcap, "%s", problem);
        return -1;
    }
    return snprintf(out, LIGHTER_AUTH_MESSAGE_MAX, "%" PRId64 ":%" PRId64 ":%" PRId64, deadline_s, account_index, api_key_index);
}

size_t lighter_auth_message_hash(lighter_fp5 *hash, uint64_t elements[LIGHTER_AUTH_MAX_ELEMENTS], const char *message, size_t len) {
    size_t count = (len + 7) / 8;
    if (count > LIGHTER_AUTH_MAX_ELEMENTS) count = LIGHTER_AUTH_MAX_ELEMENTS;   /* messages are < 64 bytes */
    for (size_t i = 0; i < count; i++) {
        uint64_t v = 0;
        for (size_t j = 0; j < 8 && 8 * i + j < len; j++) v |= (uint64_t)(uint8_t)message[8 * i + j] << (8 * j);
        elements[i] = v;   /* ASCII bytes: always < p */
    }
    lighter_poseidon2_hash_to_fp5(hash, elements, count);
    return count;
}

static int build_token(char out[LIGHTER_AUTH_TOKEN_MAX], int64_t deadline_s, int64_t account_index, int64_t api_key_index,
                       const lighter_key *key, const lighter_scalar *k, char *err, size_t errcap) {
    char message[LIGHTER_AUTH_MESSAGE_MAX];
    int len = lighter_auth_message(message, deadline_s, account_index, api_key_index, err, errcap);
    if (len < 0) return -1;
    lighter_fp5 hash;
    uint64_t elements[LIGHTER_AUTH_MAX_ELEMENTS];
    lighter_auth_message_hash(&hash, elements, message, (size_t)len);
    uint8_t sig[LIGHTER_SIGNATURE_BYTES];
    int rc = k ? lighter_schnorr_sign_with_k(sig, &key->secret, &hash, k) : lighter_schnorr_sign(sig, &key->secret, &hash);
    if (rc != 0) {
        if (err && errcap) snprintf(err, errcap, "%s", k ? "signing nonce k must not be zero" : "libsodium could not be initialised");
        return -1;
    }
    memcpy(out, message, (size_t)len);
    out[len] = ':';
    sodium_bin2hex(out + len + 1, LIGHTER_AUTH_TOKEN_MAX - (size_t)len - 1, sig, sizeof sig);
    return 0;
}

int lighter_auth_token(char out[LIGHTER_AUTH_TOKEN_MAX], int64_t deadline_s, int64_t account_index, int64_t api_key_index,
                       const lighter_key *key, char *err, size_t errcap) {
    return build_token(out, deadline_s, account_index, api_key_index, key, NULL, err, errcap);
}

int lighter_auth_token_with_k(char out[LIGHTER_AUTH_TOKEN_MAX], int64_t deadline_s, int64_t account_index, int64_t api_key_index,
                              const lighter_key *key, const lighter_scalar *k, char *err, size_t errcap) {
    return build_token(out, deadline_s, account_index, api_key_index, key, k, err, errcap);
}
