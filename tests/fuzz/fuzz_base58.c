/* libFuzzer target: base58 (exchanges/pacifica/base58.c), which decodes secret keys from the
 * environment and encodes every signature.
 *
 * The input is used twice: as bytes to encode and as text to decode. Both directions are
 * compared with a deliberately naive reference written here (schoolbook base conversion one
 * digit at a time, no limbs), and each must invert the other: decode(encode(x)) == x, and for
 * text that decodes, encode(decode(t)) == t (base58 has one spelling per byte string). */
#include "tests/fuzz/fuzz.h"

#include "exchanges/pacifica/base58.h"

static const char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* Reference encoder: repeated division of a big-endian byte string by 58. */
static size_t reference_encode(const uint8_t *bytes, size_t length, char *out) {
    uint8_t number[PACIFICA_BASE58_MAX_BYTES];
    char reversed[PACIFICA_BASE58_ENCODED_CAP(PACIFICA_BASE58_MAX_BYTES)];
    size_t zeros = 0, n = 0;
    while (zeros < length && bytes[zeros] == 0) zeros++;
    memcpy(number, bytes, length);
    size_t start = zeros;
    while (start < length) {
        unsigned remainder = 0;
        for (size_t i = start; i < length; i++) {
            unsigned value = remainder * 256 + number[i];
            number[i] = (uint8_t)(value / 58);
            remainder = value % 58;
        }
        reversed[n++] = alphabet[remainder];
        while (start < length && number[start] == 0) start++;
    }
    size_t total = 0;
    for (size_t i = 0; i < zeros; i++) out[total++] = '1';
    while (n) out[total++] = reversed[--n];
    out[total] = '\0';
    return total;
}

/* Reference decoder: multiply-accumulate into a big-endian byte string. -1 on a bad character. */
static long reference_decode(const char *text, size_t length, uint8_t *out, size_t cap) {
    uint8_t number[PACIFICA_BASE58_ENCODED_CAP(PACIFICA_BASE58_MAX_BYTES)] = {0};
    size_t width = sizeof number, ones = 0;
    while (ones < length && text[ones] == '1') ones++;
    for (size_t i = ones; i < length; i++) {
        const char *hit = text[i] ? memchr(alphabet, text[i], 58) : NULL;
        if (!hit) return -1;
        unsigned carry = (unsigned)(hit - alphabet);
        for (size_t j = width; j-- > 0;) {
            carry += number[j] * 58u;
            number[j] = (uint8_t)carry;
            carry >>= 8;
        }
    }
    size_t first = 0;
    while (first < width && number[first] == 0) first++;
    size_t total = ones + (width - first);
    if (total > cap) return -2;
    memset(out, 0, ones);
    memcpy(out + ones, number + first, width - first);
    return (long)total;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char text[PACIFICA_BASE58_ENCODED_CAP(PACIFICA_BASE58_MAX_BYTES)];
    char expected_text[sizeof text];
    uint8_t bytes[PACIFICA_BASE58_MAX_BYTES + 1], expected_bytes[sizeof text];
    char err[128];

    /* bytes -> text */
    long n = pacifica_base58_encode(data, size, text, sizeof text);
    if (size > PACIFICA_BASE58_MAX_BYTES) {
        FUZZ_CHECK(n == -1, "encoded %zu bytes, more than the documented maximum", size);
    } else {
        FUZZ_CHECK(n >= 0, "encode of %zu bytes failed with a big enough buffer", size);
        size_t expected = reference_encode(data, size, expected_text);
        FUZZ_CHECK((size_t)n == expected && memcmp(text, expected_text, expected + 1) == 0,
                   "encode differs from the reference: \"%s\" vs \"%s\"", text, expected_text);
        FUZZ_CHECK(pacifica_base58_encode(data, size, text, (size_t)n) == -1, "encode into a buffer one short");
        long back = pacifica_base58_decode(text, (size_t)n, bytes, sizeof bytes, err, sizeof err);
        FUZZ_CHECK(back == (long)size && memcmp(bytes, data, size) == 0, "decode(encode(x)) != x");
    }

    /* text -> bytes */
    long got = pacifica_base58_decode((const char *)data, size, bytes, sizeof bytes, err, sizeof err);
    fuzz_check_failure_text(got < 0 ? -1 : 0, err, sizeof err, "pacifica_base58_decode");
    if (size > PACIFICA_BASE58_ENCODED_CAP(PACIFICA_BASE58_MAX_BYTES)) {
        FUZZ_CHECK(got == -1, "decoded a text longer than the documented maximum");
        return 0;
    }
    long expected = reference_decode((const char *)data, size, expected_bytes, sizeof bytes);
    if (expected == -1) {
        FUZZ_CHECK(got == -1, "accepted a character outside the alphabet");
        return 0;
    }
    if (expected == -2) {
        FUZZ_CHECK(got == -1, "decoded more bytes than the buffer holds");
        return 0;
    }
    FUZZ_CHECK(got == expected && memcmp(bytes, expected_bytes, (size_t)got) == 0, "decode differs from the reference");
    if (got > PACIFICA_BASE58_MAX_BYTES) return 0; /* longer than the encoder takes */
    n = pacifica_base58_encode(bytes, (size_t)got, text, sizeof text);
    FUZZ_CHECK(n == (long)size && memcmp(text, data, size) == 0, "encode(decode(t)) != t");
    return 0;
}
