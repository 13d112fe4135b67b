/* Lighter API keys and Schnorr signatures with good and bad input: every malformed private
 * key is refused with an error naming the problem and never repeating key text, failed loads
 * leave no key bytes behind, wiping clears the key, and signatures made with random nonces
 * verify (and stop verifying when anything is changed). */
#include <string.h>

#include "exchanges/lighter/sign.h"
#include "tests/c/tap.h"

/* Key of shared/vectors/lighter (a test key), its public key, and the group order n. */
#define TEST_KEY "76cc88d990d78188882f4fa274441c06cd610781c47fe4648c9df72603e27922551591f7f79acf1d"
#define TEST_PUB "8867af80a18b00de52723a206060eded42953bc5b49245271fac3be62d3cd5df4b851c51df16d7fe"
#define ORDER_N_LE "e1ff8b9496d90fe89ca024d7395c88e83906b8cfe6ffff7f16000000f1ffff7f07000080fdffff7f"
#define ORDER_N_MINUS_1_LE "e0ff8b9496d90fe89ca024d7395c88e83906b8cfe6ffff7f16000000f1ffff7f07000080fdffff7f"

static int all_zero(const void *bytes, size_t length) {
    const unsigned char *p = bytes;
    for (size_t i = 0; i < length; i++)
        if (p[i]) return 0;
    return 1;
}

static int leaks(const char *err, const char *secret) {
    size_t length = strlen(secret);
    for (size_t i = 0; i + 8 <= length; i++) {
        char piece[9];
        memcpy(piece, secret + i, 8);
        piece[8] = '\0';
        if (strstr(err, piece)) return 1;
    }
    return 0;
}

static void refused(const char *hex, size_t len, const char *expected_fragment, const char *what) {
    lighter_key key;
    char err[200] = "";
    memset(&key, 0xA5, sizeof key);   /* stale bytes that a failed load must clear */
    int rc = lighter_key_from_hex(&key, hex, len, err, sizeof err);
    is_int(rc, -1, "%s: refused", what);
    ok(strstr(err, expected_fragment) != NULL, "%s: error says '%s' (%s)", what, expected_fragment, err);
    ok(!hex || !leaks(err, hex), "%s: error does not repeat key text", what);
    ok(all_zero(&key, sizeof key), "%s: no key bytes left behind", what);
}

static void test_valid_keys(void) {
    lighter_key key;
    char err[200], pub[81], priv[81];
    is_int(lighter_key_from_hex(&key, TEST_KEY, strlen(TEST_KEY), err, sizeof err), 0, "vector key loads");
    lighter_key_public_hex(pub, &key);
    is_str(pub, TEST_PUB, "public key matches the official signer");
    lighter_key_private_hex(priv, &key);
    is_str(priv, TEST_KEY, "private key hex round-trips");

    is_int(lighter_key_from_hex(&key, "0x" TEST_KEY, strlen(TEST_KEY) + 2, err, sizeof err), 0, "0x prefix accepted");
    lighter_key_public_hex(pub, &key);
    is_str(pub, TEST_PUB, "0x prefix: same public key");

    char upper[81];
    for (size_t i = 0; i < 80; i++) upper[i] = (char)(TEST_KEY[i] >= 'a' ? TEST_KEY[i] - 32 : TEST_KEY[i]);
    upper[80] = '\0';
    is_int(lighter_key_from_hex(&key, upper, 80, err, sizeof err), 0, "upper-case hex accepted");
    lighter_key_public_hex(pub, &key);
    is_str(pub, TEST_PUB, "upper-case: same public key");

    is_int(lighter_key_from_hex(&key, ORDER_N_MINUS_1_LE, 80, err, sizeof err), 0, "n - 1 is a valid key");
    lighter_key_wipe(&key);
    ok(all_zero(&key, sizeof key), "lighter_key_wipe clears the whole key");
}

static void test_bad_keys(void) {
    refused(NULL, 0, "empty", "NULL key");
    refused("", 0, "empty", "empty key");
    refused(TEST_KEY, 79, "got 79", "79 characters");
    refused(TEST_KEY "0", 81, "got 81", "81 characters");
    refused("0x", 2, "got 0", "bare 0x");
    refused("76cc88d990d78188882f4fa274441c06cd610781c47fe4648c9df72603e27922551591f7f79acf", 78, "80 hex characters",
            "an Ethereum-sized key");
    char bad[81];
    memcpy(bad, TEST_KEY, 81);
    bad[16] = 'g';
    refused(bad, 80, "position 17", "non-hex letter");
    memcpy(bad, TEST_KEY, 81);
    bad[79] = ' ';
    refused(bad, 80, "position 80", "trailing space");
    memcpy(bad, TEST_KEY, 81);
    bad[0] = (char)0xC3;
    refused(bad, 80, "position 1", "non-ASCII byte");
    refused("00000000000000000000000000000000000000000000000000000000000000000000000000000000", 80, "zero", "zero key");
    refused(ORDER_N_LE, 80, "group order", "key equal to n");
    refused("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", 80, "group order",
            "key above n");
}

static void test_sign_verify(void) {
    lighter_key key, other;
    char err[200];
    ok(lighter_key_generate(&key) == 0 && lighter_key_generate(&other) == 0, "keys generated");
    ok(memcmp(&key, &other, sizeof key) != 0, "two generated keys differ");
    char priv[81], pub[81], pub2[81];
    lighter_key_private_hex(priv, &key);
    lighter_key_public_hex(pub, &key);
    lighter_key reloaded;
    is_int(lighter_key_from_hex(&reloaded, priv, 80, err, sizeof err), 0, "generated key reloads");
    lighter_key_public_hex(pub2, &reloaded);
    is_str(pub2, pub, "reloaded key has the same public key");

    lighter_fp5 msg = {{1, 2, 3, 4, 5}};
    uint8_t msg_bytes[40], sig[80], sig2[80];
    lighter_fp5_to_bytes(msg_bytes, &msg);
    is_int(lighter_schnorr_sign(sig, &key.secret, &msg), 0, "sign with a random nonce");
    is_int(lighter_schnorr_sign(sig2, &key.secret, &msg), 0, "sign again");
    ok(memcmp(sig, sig2, 80) != 0, "two signatures of one message use different nonces");
    is_int(lighter_schnorr_verify(key.public_key, msg_bytes, sig, LIGHTER_VERIFY_STRICT), 1, "signature verifies (strict)");
    is_int(lighter_schnorr_verify(key.public_key, msg_bytes, sig2, LIGHTER_VERIFY_OFFICIAL), 1, "signature verifies (official)");
    is_int(lighter_schnorr_verify(other.public_key, msg_bytes, sig, LIGHTER_VERIFY_STRICT), 0, "wrong key rejected");
    uint8_t tampered[80];
    for (int byte = 0; byte < 80; byte += 13) {
        memcpy(tampered, sig, 80);
        tampered[byte] ^= 0x01;
        is_int(lighter_schnorr_verify(key.public_key, msg_bytes, tampered, LIGHTER_VERIFY_OFFICIAL), 0,
               "flipping a bit of signature byte %d is rejected", byte);
    }
    msg_bytes[7] ^= 1;
    is_int(lighter_schnorr_verify(key.public_key, msg_bytes, sig, LIGHTER_VERIFY_STRICT), 0, "changed message rejected");
    msg_bytes[7] ^= 1;
    uint8_t garbage_key[40];
    memset(garbage_key, 0xFF, sizeof garbage_key);
    is_int(lighter_schnorr_verify(garbage_key, msg_bytes, sig, LIGHTER_VERIFY_OFFICIAL), 0, "non-canonical key bytes rejected");
    uint8_t neutral[40] = {0};
    is_int(lighter_schnorr_verify(neutral, msg_bytes, sig, LIGHTER_VERIFY_STRICT), 0, "neutral public key rejected (strict)");

    lighter_scalar zero;
    lighter_scalar_zero(&zero);
    is_int(lighter_schnorr_sign_with_k(sig, &key.secret, &msg, &zero), -1, "nonce k = 0 refused");

    lighter_key_wipe(&key);
    lighter_key_wipe(&other);
    lighter_key_wipe(&reloaded);
}

static void test_random_scalars(void) {
    /* Nonces are uniform in [1, n): check range and that the top bits are used. */
    int top_bit_seen = 0, all_below_n = 1;
    for (int i = 0; i < 200; i++) {
        lighter_scalar k;
        uint8_t bytes[40];
        lighter_scalar r;
        lighter_scalar_random(&k);
        lighter_scalar_to_bytes(bytes, &k);
        if (!lighter_scalar_from_bytes_canonical(&r, bytes) || lighter_scalar_is_zero_mask(&k)) all_below_n = 0;
        if (bytes[39] & 0x40) top_bit_seen = 1;
    }
    ok(all_below_n, "200 random nonces are all in [1, n)");
    ok(top_bit_seen, "random nonces reach the top bits (bit 318)");
}

int main(void) {
    test_valid_keys();
    test_bad_keys();
    test_sign_verify();
    test_random_scalars();
    return done_testing();
}
