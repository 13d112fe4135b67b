/* Key parsing and derivation for both edgeX generations (see keys.h). The hex text is decoded
 * straight into the key structure, and every temporary copy is wiped, so no stray copy of the
 * secret is left on the stack by this file. */
#include "exchanges/edgex/keys.h"

#include <sodium.h>
#include <string.h>

#include "exchanges/edgex/eth_sign.h"
#include "exchanges/edgex/hex.h"
#include "exchanges/edgex/stark_ecdsa.h"
#include "exchanges/edgex/stark_scalar.h"

/* Decodes min_digits..max_digits hex digits (optional 0x) into 32 big-endian bytes. Returns 0,
 * or -1 (with out wiped) naming the problem in *problem. */
static int decode_secret_hex(uint8_t out[32], const char *text, size_t min_digits, size_t max_digits,
                             const char **problem) {
    memset(out, 0, 32);
    if (!text) {
        *problem = "is not set";
        return -1;
    }
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text += 2;
    size_t len = strlen(text);
    if (len < min_digits || len > max_digits) {
        *problem = min_digits == max_digits ? "must be exactly 64 hex digits (an optional 0x prefix is allowed)"
                                            : "must be 1 to 64 hex digits (an optional 0x prefix is allowed)";
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        int d = edgex_hex_digit((unsigned char)text[len - 1 - i]);
        if (d < 0) {
            sodium_memzero(out, 32);
            *problem = "contains a character that is not a hex digit";
            return -1;
        }
        out[31 - i / 2] |= (uint8_t)(i % 2 ? d << 4 : d);
    }
    return 0;
}

int edgex_stark_key_parse(edgex_stark_key *out, const char *text, const char *source, edgex_error *err) {
    const char *name = source ? source : "stark private key";
    const char *problem = NULL;
    uint8_t bytes[32];
    memset(out, 0, sizeof *out);
    if (decode_secret_hex(bytes, text, 64, 64, &problem) != 0) return edgex_fail(err, EDGEX_E_KEY, "%s %s", name, problem);
    edgex_u256_from_bytes(&out->private_key, bytes);
    sodium_memzero(bytes, sizeof bytes);
    if (edgex_u256_is_zero_ct(&out->private_key) | !edgex_u256_lt_ct(&out->private_key, &STARK_CURVE_ORDER)) {
        edgex_stark_key_wipe(out);
        return edgex_fail(err, EDGEX_E_KEY, "%s must be a number in [1, N) (N = the Stark curve order)", name);
    }
    if (edgex_stark_public_key(&out->public_key, &out->private_key, err) != EDGEX_OK) {
        edgex_stark_key_wipe(out);
        return edgex_fail(err, EDGEX_E_KEY, "%s: public key derivation failed", name);
    }
    stark_point_to_u256(&out->public_x, &out->public_y, &out->public_key);
    return EDGEX_OK;
}

void edgex_stark_key_wipe(edgex_stark_key *key) { sodium_memzero(key, sizeof *key); }

int edgex_stark_key_check_l2key(const edgex_stark_key *key, const char *l2_key_hex, edgex_error *err) {
    edgex_u256 x;
    if (edgex_u256_from_hex(&x, l2_key_hex) != 0)
        return edgex_fail(err, EDGEX_E_INPUT, "account l2Key is not a hex number");
    if (edgex_u256_cmp(&x, &key->public_x) != 0)
        return edgex_fail(err, EDGEX_E_KEY, "the configured stark private key does not belong to this account (l2Key differs)");
    return EDGEX_OK;
}

int edgex_eth_key_parse(edgex_eth_key *out, const char *text, const char *source, edgex_error *err) {
    const char *name = source ? source : "signer private key";
    const char *problem = NULL;
    memset(out, 0, sizeof *out);
    if (decode_secret_hex(out->private_key, text, 64, 64, &problem) != 0)
        return edgex_fail(err, EDGEX_E_KEY, "%s %s", name, problem);
    edgex_error inner;
    int rc = edgex_eth_public_key(out->public_key, out->private_key, &inner);
    if (rc != EDGEX_OK) {
        edgex_eth_key_wipe(out);
        if (rc == EDGEX_E_KEY)
            return edgex_fail(err, EDGEX_E_KEY, "%s must be a number in [1, n) (n = the secp256k1 group order)", name);
        return edgex_fail(err, rc, "%s: %s", name, inner.message);
    }
    edgex_eth_address_from_public_key(out->address, out->public_key);
    edgex_eth_address_checksum(out->address, out->address_checksum);
    return EDGEX_OK;
}

void edgex_eth_key_wipe(edgex_eth_key *key) { sodium_memzero(key, sizeof *key); }
