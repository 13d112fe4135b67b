/* edgeX key handling with bad input: every malformed key (v1 Stark key, v2 signer key, v2 API
 * credentials) is refused with an error that names its variable and never repeats the key
 * text; values are range-checked, not reduced; failed loads and wipes leave no key bytes. */
#include <string.h>

#include "exchanges/edgex/sign.h"
#include "tests/c/tap.h"

/* made-up keys of shared/vectors/edgex */
#define STARK_KEY_A "04a787a45c81df4d32a612cbed36d7d809bce582380b77819fdf3f4b830e8159"
#define STARK_KEY_A_X "0x7cfd567866d64aab6ddb46cd2b1aa35d3dd75b6abbd72c88836c956f7000621"
#define SIGNER_KEY_A "1b1abd2526be3aaaea2ed0f74d9a99b68bb4876788e003b8284d5550cd7a6711"
#define SIGNER_KEY_A_ADDRESS "0xd50B138Aa56B15be2AB0d6D59AfC41cB7A1f8863"
#define STARK_ORDER_HEX "0800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2f"
#define SECP_ORDER_HEX "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"

static int all_zero(const void *bytes, size_t length) {
    const unsigned char *p = bytes;
    for (size_t i = 0; i < length; i++)
        if (p[i]) return 0;
    return 1;
}

/* The error must name the variable and must not contain any 8-character piece of the key. */
static void error_is_safe(const edgex_error *err, const char *variable, const char *secret, const char *what) {
    ok(strstr(err->message, variable) != NULL, "%s: error names %s (%s)", what, variable, err->message);
    int leaked = 0;
    size_t length = secret ? strlen(secret) : 0;
    for (size_t i = 0; i + 8 <= length; i++) {
        char piece[9];
        memcpy(piece, secret + i, 8);
        piece[8] = '\0';
        if (strstr(err->message, piece)) leaked = 1;
    }
    ok(!leaked, "%s: error does not repeat key text", what);
}

static void stark_rejects(const char *text, const char *what) {
    edgex_stark_key key;
    edgex_error err;
    memset(&key, 0x5a, sizeof key);
    is_int(edgex_stark_key_parse(&key, text, "EDGEX_STARK_PRIVATE_KEY", &err), EDGEX_E_KEY, "stark key %s: rejected", what);
    error_is_safe(&err, "EDGEX_STARK_PRIVATE_KEY", text, what);
    ok(all_zero(&key, sizeof key), "stark key %s: nothing left in the key struct", what);
}

static void signer_rejects(const char *text, const char *what) {
    edgex_eth_key key;
    edgex_error err;
    memset(&key, 0x5a, sizeof key);
    is_int(edgex_eth_key_parse(&key, text, "EDGEX_TRADING_PRIVATE_KEY", &err), EDGEX_E_KEY, "signer key %s: rejected", what);
    error_is_safe(&err, "EDGEX_TRADING_PRIVATE_KEY", text, what);
    ok(all_zero(&key, sizeof key), "signer key %s: nothing left in the key struct", what);
}

static void stark_keys(void) {
    stark_rejects(NULL, "unset");
    stark_rejects("", "empty");
    stark_rejects("0x", "prefix only");
    stark_rejects("abc", "3 digits (a truncated key)");
    stark_rejects("0x4a787a45c81df4d32a612cbed36d7d809bce582380b77819fdf3f4b830e8159", "63 digits");
    stark_rejects("04a787a45c81df4d32a612cbed36d7d809bce582380b77819fdf3f4b830e815g", "non-hex character");
    stark_rejects("04a787a45c81df4d 32a612cbed36d7d809bce582380b77819fdf3f4b830e815", "inner space");
    stark_rejects(STARK_KEY_A "\n", "trailing newline");
    stark_rejects("004a787a45c81df4d32a612cbed36d7d809bce582380b77819fdf3f4b830e8159", "65 digits");
    stark_rejects("0000000000000000000000000000000000000000000000000000000000000000", "zero");
    stark_rejects(STARK_ORDER_HEX, "equal to N");
    stark_rejects("0800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d30", "N + 1");
    stark_rejects("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "2^256 - 1");

    edgex_stark_key key, short_key;
    edgex_error err;
    is_int(edgex_stark_key_parse(&key, STARK_KEY_A, "EDGEX_STARK_PRIVATE_KEY", &err), EDGEX_OK, "stark key: 64 digits");
    char x[67];
    edgex_u256_to_hex(&key.public_x, x);
    is_str(x, STARK_KEY_A_X, "stark key: public x (l2Key)");
    is_int(edgex_stark_key_parse(&short_key, "0x" STARK_KEY_A, "EDGEX_STARK_PRIVATE_KEY", &err), EDGEX_OK,
           "stark key: 0x prefix accepted");
    ok(edgex_u256_cmp(&key.private_key, &short_key.private_key) == 0, "stark key: same integer with the prefix");
    is_int(edgex_stark_key_parse(&short_key, "0800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2e",
                                 "EDGEX_STARK_PRIVATE_KEY", &err), EDGEX_OK, "stark key: N - 1 accepted");

    is_int(edgex_stark_key_check_l2key(&key, STARK_KEY_A_X, &err), EDGEX_OK, "l2Key check: matching account");
    is_int(edgex_stark_key_check_l2key(&key, "0x5580341e2c99823a0a35356b8ac84e372dd38fd1f4b50f607b931ec8038c211", &err),
           EDGEX_E_KEY, "l2Key check: another account's key is refused");
    ok(strstr(err.message, "does not belong") != NULL, "l2Key check: says the key does not belong (%s)", err.message);
    is_int(edgex_stark_key_check_l2key(&key, "not hex", &err), EDGEX_E_INPUT, "l2Key check: malformed l2Key");

    edgex_stark_key_wipe(&key);
    ok(all_zero(&key, sizeof key), "stark key: wipe clears private and public parts");
    edgex_stark_key_wipe(&short_key);
}

static void signer_keys(void) {
    signer_rejects(NULL, "unset");
    signer_rejects("", "empty");
    signer_rejects("1b1abd2526be3aaaea2ed0f74d9a99b68bb4876788e003b8284d5550cd7a671", "63 digits");
    signer_rejects("1b1abd2526be3aaaea2ed0f74d9a99b68bb4876788e003b8284d5550cd7a67110", "65 digits");
    signer_rejects("1b1abd2526be3aaaea2ed0f74d9a99b68bb4876788e003b8284d5550cd7a671z", "non-hex character");
    signer_rejects("0000000000000000000000000000000000000000000000000000000000000000", "zero");
    signer_rejects(SECP_ORDER_HEX, "equal to n (not reduced)");
    signer_rejects("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "2^256 - 1");
    signer_rejects(" 1b1abd2526be3aaaea2ed0f74d9a99b68bb4876788e003b8284d5550cd7a6711", "leading space");

    edgex_eth_key key;
    edgex_error err;
    is_int(edgex_eth_key_parse(&key, SIGNER_KEY_A, "EDGEX_TRADING_PRIVATE_KEY", &err), EDGEX_OK, "signer key: 64 digits");
    is_str(key.address_checksum, SIGNER_KEY_A_ADDRESS, "signer key: EIP-55 address");
    is_int(edgex_eth_key_parse(&key, "0x" SIGNER_KEY_A, "EDGEX_TRADING_PRIVATE_KEY", &err), EDGEX_OK,
           "signer key: 0x prefix accepted");
    is_str(key.address_checksum, SIGNER_KEY_A_ADDRESS, "signer key: same address with the prefix");
    is_int(edgex_eth_key_parse(&key, "1B1ABD2526BE3AAAEA2ED0F74D9A99B68BB4876788E003B8284D5550CD7A6711",
                               "EDGEX_TRADING_PRIVATE_KEY", &err), EDGEX_OK, "signer key: upper-case hex accepted");
    is_str(key.address_checksum, SIGNER_KEY_A_ADDRESS, "signer key: same address in upper case");
    edgex_eth_key_wipe(&key);
    ok(all_zero(&key, sizeof key), "signer key: wipe clears everything");
}

static void credentials(void) {
    edgex_error err;
    is_int(edgex_v2_check_credentials("key", "pass", "secret", &err), EDGEX_OK, "credentials: plain values accepted");
    is_int(edgex_v2_check_credentials(NULL, "pass", "secret", &err), EDGEX_E_KEY, "credentials: missing API key");
    ok(strstr(err.message, "EDGEX_API_KEY") != NULL, "credentials: names EDGEX_API_KEY (%s)", err.message);
    is_int(edgex_v2_check_credentials("key", "", "secret", &err), EDGEX_E_KEY, "credentials: empty passphrase");
    ok(strstr(err.message, "EDGEX_API_PASSPHRASE") != NULL, "credentials: names EDGEX_API_PASSPHRASE (%s)", err.message);
    const char *secret = "supersecretvalue\r\nX-Injected: 1";
    is_int(edgex_v2_check_credentials("key", "pass", secret, &err), EDGEX_E_KEY, "credentials: line break in the secret");
    error_is_safe(&err, "EDGEX_API_SECRET", secret, "credentials with a line break");
    is_int(edgex_v2_check_credentials("key\n", "pass", "secret", &err), EDGEX_E_KEY, "credentials: line break in the key");

    edgex_v2_request_auth auth;
    edgex_v2_request_auth_init(&auth);
    is_int(edgex_v2_request_sign(&auth, "", 1795000001137LL, "GET", "/api/v2/private/account/getAccountAsset", "", &err),
           EDGEX_E_KEY, "v2 request: empty secret refused");
    ok(strstr(err.message, "EDGEX_API_SECRET") != NULL, "v2 request: names EDGEX_API_SECRET (%s)", err.message);
    edgex_v2_request_auth_free(&auth);
}

int main(void) {
    stark_keys();
    signer_keys();
    credentials();
    return done_testing();
}
