/* Base58 encode/decode with the Bitcoin alphabet (see base58.h). */
#include "exchanges/pacifica/base58.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char base58_alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* The encoder works in limbs of 58^5 rather than single base-58 digits, and feeds the input
 * four bytes at a time rather than one: a 64-byte signature then costs ~150 limb steps (a
 * quarter of byte-at-a-time, a thirtieth of digit-by-digit), which matters because every signed
 * request encodes one. A limb times 2^32 plus a carry (< 2^33) still fits in 64 bits. */
#define LIMB_BASE 656356768u /* 58^5 */
#define DIGITS_PER_LIMB 5
#define MAX_TEXT_LENGTH (PACIFICA_BASE58_ENCODED_CAP(PACIFICA_BASE58_MAX_BYTES))
#define MAX_ENCODE_LIMBS (MAX_TEXT_LENGTH / DIGITS_PER_LIMB + 2)
/* 58 < 2^6, so each character adds at most 6 bits. */
#define MAX_DECODE_WORDS (MAX_TEXT_LENGTH * 6 / 32 + 2)

static int base58_digit_value(unsigned char c) {
    const char *hit = c ? memchr(base58_alphabet, c, sizeof base58_alphabet - 1) : NULL;
    return hit ? (int)(hit - base58_alphabet) : -1;
}

long pacifica_base58_encode(const uint8_t *bytes, size_t length, char *out, size_t cap) {
    if (length > PACIFICA_BASE58_MAX_BYTES || (length && !bytes) || !out) return -1;
    size_t zeros = 0;
    while (zeros < length && bytes[zeros] == 0) zeros++;

    uint32_t limbs[MAX_ENCODE_LIMBS]; /* little-endian limbs of the value */
    size_t used = 0;
    /* value = value * 256^chunk + next chunk bytes; the first chunk takes the odd bytes so the
     * rest come in whole groups of four. */
    for (size_t i = zeros; i < length;) {
        size_t chunk = (length - i) % 4 ? (length - i) % 4 : 4;
        uint64_t carry = 0;
        for (size_t k = 0; k < chunk; k++) carry = carry << 8 | bytes[i + k];
        unsigned shift = (unsigned)(8 * chunk);
        for (size_t j = 0; j < used; j++) {
            carry += (uint64_t)limbs[j] << shift;
            limbs[j] = (uint32_t)(carry % LIMB_BASE);
            carry /= LIMB_BASE;
        }
        while (carry) {
            limbs[used++] = (uint32_t)(carry % LIMB_BASE);
            carry /= LIMB_BASE;
        }
        i += chunk;
    }

    size_t top_digits = 0;
    if (used) {
        for (uint32_t top = limbs[used - 1]; top; top /= 58) top_digits++;
    }
    size_t digits = used ? (used - 1) * DIGITS_PER_LIMB + top_digits : 0;
    size_t total = zeros + digits;
    if (total + 1 > cap) {
        sodium_memzero(limbs, sizeof limbs);
        return -1;
    }
    memset(out, '1', zeros);
    /* Fill from the least significant digit backwards. */
    char *cursor = out + total;
    *cursor = '\0';
    for (size_t j = 0; j < used; j++) {
        uint32_t limb = limbs[j];
        size_t count = j + 1 == used ? top_digits : DIGITS_PER_LIMB;
        for (size_t k = 0; k < count; k++) {
            *--cursor = base58_alphabet[limb % 58];
            limb /= 58;
        }
    }
    sodium_memzero(limbs, sizeof limbs);
    return (long)total;
}

long pacifica_base58_decode(const char *text, size_t text_length, uint8_t *out, size_t cap,
                            char *err, size_t errcap) {
    if (!text || (cap && !out)) {
        if (err && errcap) snprintf(err, errcap, "no text to decode");
        return -1;
    }
    if (text_length > MAX_TEXT_LENGTH) {
        if (err && errcap) snprintf(err, errcap, "base58 text is too long (%zu characters, at most %d)",
                                    text_length, (int)MAX_TEXT_LENGTH);
        return -1;
    }
    size_t ones = 0;
    while (ones < text_length && text[ones] == '1') ones++;

    uint32_t words[MAX_DECODE_WORDS]; /* little-endian 32-bit words of the value */
    size_t used = 0;
    for (size_t i = ones; i < text_length; i++) {
        int digit = base58_digit_value((unsigned char)text[i]);
        if (digit < 0) {
            sodium_memzero(words, sizeof words);
            if (err && errcap)
                snprintf(err, errcap, "character at position %zu is not in the base58 alphabet", i + 1);
            return -1;
        }
        uint64_t carry = (uint64_t)digit;
        for (size_t j = 0; j < used; j++) {
            carry += (uint64_t)words[j] * 58;
            words[j] = (uint32_t)carry;
            carry >>= 32;
        }
        if (carry) words[used++] = (uint32_t)carry;
    }

    size_t value_bytes = used * 4;
    if (used) {
        uint32_t top = words[used - 1];
        while (!(top >> 24)) { value_bytes--; top <<= 8; }
    }
    size_t total = ones + value_bytes;
    if (total > cap) {
        sodium_memzero(words, sizeof words);
        if (err && errcap) snprintf(err, errcap, "decodes to %zu bytes, more than the %zu expected", total, cap);
        return -1;
    }
    memset(out, 0, ones);
    for (size_t k = 0; k < value_bytes; k++) {
        size_t from_low = value_bytes - 1 - k; /* byte index counted from the least significant */
        out[ones + k] = (uint8_t)(words[from_low / 4] >> (8 * (from_low % 4)));
    }
    sodium_memzero(words, sizeof words);
    return (long)total;
}
