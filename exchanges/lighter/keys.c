/* API key parsing and derivation. The hex decoder runs in constant time over the secret
 * characters (nibble values come from masks, not from branches or a lookup table); only the
 * overall "valid or not" outcome is branched on, and only then is the first bad position
 * searched for the error message. */
#include "exchanges/lighter/keys.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "exchanges/lighter/ecgfp5.h"
#include "exchanges/lighter/schnorr.h"

static void set_error(char *err, size_t errcap, const char *msg) {
    if (err && errcap) snprintf(err, errcap, "%s", msg);
}

/* Nibble value of c, or a value with bit 8 set when c is not a hex digit; no branch on c.
 * (x - k) & ~x has its sign bit set exactly when 0 <= x < k. */
static unsigned hex_nibble(unsigned char c) {
    int32_t digit = (int32_t)c - '0';
    int32_t letter = (int32_t)(c | 0x20) - 'a';
    unsigned is_digit = (unsigned)((digit - 10) & ~digit) >> 31;
    unsigned is_letter = (unsigned)((letter - 6) & ~letter) >> 31;
    unsigned value = ((0u - is_digit) & (unsigned)digit) | ((0u - is_letter) & (unsigned)(letter + 10));
    return (value & 15) | ((1u - (is_digit | is_letter)) << 8);
}

int lighter_key_from_bytes(lighter_key *key, const uint8_t bytes[LIGHTER_SCALAR_BYTES], char *err, size_t errcap) {
    lighter_scalar sk;
    int canonical = lighter_scalar_from_bytes_canonical(&sk, bytes);
    int zero = (int)(lighter_scalar_is_zero_mask(&sk) & 1);
    if (!canonical || zero) {
        sodium_memzero(&sk, sizeof sk);
        sodium_memzero(key, sizeof *key);
        set_error(err, errcap, !canonical ? "API private key is not below the ECgFp5 group order n (not a valid 40-byte little-endian scalar)"
                                          : "API private key is zero");
        return -1;
    }
    lighter_point pk;
    lighter_fp5 w;
    lighter_point_mul_generator(&pk, &sk);
    lighter_point_encode(&w, &pk);
    lighter_fp5_to_bytes(key->public_key, &w);
    key->secret = sk;
    sodium_memzero(&sk, sizeof sk);
    sodium_memzero(&pk, sizeof pk);
    return 0;
}

int lighter_key_from_hex(lighter_key *key, const char *hex, size_t len, char *err, size_t errcap) {
    sodium_memzero(key, sizeof *key);   /* a failed load leaves no old key behind */
    if (!hex || len == 0) {
        set_error(err, errcap, "API private key is empty");
        return -1;
    }
    if (len >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) {
        hex += 2;
        len -= 2;
    }
    if (len != LIGHTER_PRIVATE_KEY_HEX_CHARS) {
        if (err && errcap)
            snprintf(err, errcap, "API private key must be %d hex characters (40 bytes, optionally prefixed with 0x); got %zu",
                     LIGHTER_PRIVATE_KEY_HEX_CHARS, len);
        return -1;
    }
    uint8_t bytes[LIGHTER_SCALAR_BYTES];
    unsigned bad = 0;
    for (size_t i = 0; i < LIGHTER_SCALAR_BYTES; i++) {
        unsigned hi = hex_nibble((unsigned char)hex[2 * i]), lo = hex_nibble((unsigned char)hex[2 * i + 1]);
        bad |= hi | lo;
        bytes[i] = (uint8_t)((hi << 4) | (lo & 15));
    }
    if (bad & 0x100) {
        size_t position = 0;
        while (position < len && !(hex_nibble((unsigned char)hex[position]) & 0x100)) position++;
        sodium_memzero(bytes, sizeof bytes);
        if (err && errcap)
            snprintf(err, errcap, "API private key has a non-hex character at position %zu", position + 1);
        return -1;
    }
    int rc = lighter_key_from_bytes(key, bytes, err, errcap);
    sodium_memzero(bytes, sizeof bytes);
    return rc;
}

int lighter_key_generate(lighter_key *key) {
    lighter_scalar sk;
    if (lighter_scalar_random(&sk) != 0) return -1;
    uint8_t bytes[LIGHTER_SCALAR_BYTES];
    lighter_scalar_to_bytes(bytes, &sk);
    int rc = lighter_key_from_bytes(key, bytes, NULL, 0);
    sodium_memzero(bytes, sizeof bytes);
    sodium_memzero(&sk, sizeof sk);
    return rc;
}

static void to_hex(char *out, const uint8_t *bytes, size_t len) {
    /* sodium_bin2hex is constant-time, which matters for the private key. */
    sodium_bin2hex(out, 2 * len + 1, bytes, len);
}

void lighter_key_public_hex(char out[2 * LIGHTER_PUBLIC_KEY_BYTES + 1], const lighter_key *key) {
    to_hex(out, key->public_key, LIGHTER_PUBLIC_KEY_BYTES);
}

void lighter_key_private_hex(char out[LIGHTER_PRIVATE_KEY_HEX_CHARS + 1], const lighter_key *key) {
    uint8_t bytes[LIGHTER_SCALAR_BYTES];
    lighter_scalar_to_bytes(bytes, &key->secret);
    to_hex(out, bytes, sizeof bytes);
    sodium_memzero(bytes, sizeof bytes);
}

void lighter_key_wipe(lighter_key *key) { sodium_memzero(key, sizeof *key); }

int lighter_public_key_to_fp5(lighter_fp5 *out, const uint8_t public_key[LIGHTER_PUBLIC_KEY_BYTES]) {
    return lighter_fp5_from_bytes(out, public_key) ? 0 : -1;
}
