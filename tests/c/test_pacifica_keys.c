/* exchanges/pacifica base58 and key loading with bad input: every malformed key is refused
 * with an error that names its variable and never repeats the key text, failed loads leave
 * no key bytes behind, and the seed bot's environment variables are read as documented. */
#include <stdlib.h>
#include <string.h>

#include "exchanges/pacifica/base58.h"
#include "exchanges/pacifica/keys.h"
#include "tests/c/tap.h"

/* Test keys from shared/vectors/pacifica/keypairs.json (made-up keys). */
#define MAIN_SECRET "3TA2wDJU3ESmFXSTFpPAKHgCetg23zUVswAp8vS48HWCDxP5qiMy9hCjTJZ7caCtRLsHVHVv2BaaNFRzD9y3xwgH"
#define MAIN_SEED "9FYFsZSkSojD9dNY2y6ZJjSwDufWemf8t27jK3gWEWRE"
#define MAIN_ADDRESS "CgyGKJ8fU5ehxBFEd2XA6U8ZJirUCRDZh7oWyBjrferh"
#define AGENT_SECRET "3MYmr2skPYRXK2eaidvsexLEZTkSFwaZCJtAf67KwGrJLiuvQPnk7UAftijUcHGsMYgSY2VE9DeyohxwQ8K3NbRo"
#define AGENT_ADDRESS "D5HAUaDDPPV9ASj8PVJLdTevsBQSAiVFj9PahXD1kZh7"
/* Main seed followed by the agent's public key: both halves valid, but not one key. */
#define MIXED_SECRET "3TA2wDJU3ESmFXSTFpPAKHgCetg23zUVswAp8vS48HWCELgyzzSX513Afa31P2z4xLPf3k3szUrGQH23wVSD3rWh"

static int all_zero(const void *bytes, size_t length) {
    const unsigned char *p = bytes;
    for (size_t i = 0; i < length; i++)
        if (p[i]) return 0;
    return 1;
}

/* The error must name the variable and must not contain any 8-character piece of the key. */
static void error_is_safe(const char *err, const char *variable, const char *secret, const char *what) {
    ok(strstr(err, variable) != NULL, "%s: error names %s (%s)", what, variable, err);
    int leaked = 0;
    size_t length = strlen(secret);
    for (size_t i = 0; i + 8 <= length; i++) {
        char piece[9];
        memcpy(piece, secret + i, 8);
        piece[8] = '\0';
        if (strstr(err, piece)) leaked = 1;
    }
    ok(!leaked, "%s: error does not repeat key text", what);
}

static void test_base58_errors(void) {
    unsigned char out[64];
    char err[160];
    is_int(pacifica_base58_decode("2NEpo7TZRRrLZSi2U", 17, out, sizeof out, err, sizeof err), 12, "decodes Hello World!");
    ok(memcmp(out, "Hello World!", 12) == 0, "decoded bytes are Hello World!");
    is_int(pacifica_base58_decode("2NEp 7", 6, out, sizeof out, err, sizeof err), -1, "space refused");
    is_str(err, "character at position 5 is not in the base58 alphabet", "error gives the position");
    is_int(pacifica_base58_decode("abc0", 4, out, sizeof out, err, sizeof err), -1, "digit 0 refused");
    is_int(pacifica_base58_decode("\xc3\xa9", 2, out, sizeof out, err, sizeof err), -1, "non-ASCII refused");
    is_int(pacifica_base58_decode("2NEpo7TZRRrLZSi2U", 17, out, 11, err, sizeof err), -1, "too small output refused");
    ok(strstr(err, "12 bytes") != NULL, "error says how many bytes (%s)", err);
    is_int(pacifica_base58_decode("", 0, out, sizeof out, err, sizeof err), 0, "empty text is zero bytes");

    char text[8];
    const unsigned char hello[] = "Hello World!";
    is_int(pacifica_base58_encode(hello, 12, text, sizeof text), -1, "encode into a short buffer refused");
    char big[PACIFICA_BASE58_ENCODED_CAP(PACIFICA_BASE58_MAX_BYTES + 1)];
    unsigned char many[PACIFICA_BASE58_MAX_BYTES + 1];
    memset(many, 7, sizeof many);
    is_int(pacifica_base58_encode(many, sizeof many, big, sizeof big), -1, "encode beyond the size limit refused");
    char leading[8];
    const unsigned char zeros[] = {0, 0, 1};
    is_int(pacifica_base58_encode(zeros, 3, leading, sizeof leading), 3, "leading zeros encode");
    is_str(leading, "112", "each leading zero byte is a '1'");
}

static void test_keypair_errors(void) {
    pacifica_keypair key;
    char err[256];

    ok(pacifica_keypair_from_base58(&key, NULL, "API_PRIVATE", err, sizeof err) != 0, "missing secret refused");
    is_str(err, "API_PRIVATE is not set (expected a base58 Solana secret key)", "missing secret message");
    ok(pacifica_keypair_from_base58(&key, "", "API_PRIVATE", err, sizeof err) != 0, "empty secret refused");

    char bad[] = MAIN_SECRET;
    bad[20] = '0';
    ok(pacifica_keypair_from_base58(&key, bad, "API_PRIVATE", err, sizeof err) != 0, "invalid character refused");
    error_is_safe(err, "API_PRIVATE", bad, "invalid character");
    ok(strstr(err, "position 21") != NULL, "invalid character position given (%s)", err);
    ok(all_zero(&key, sizeof key), "failed load leaves the keypair zeroed");

    char spaced[sizeof MAIN_SECRET + 1];
    snprintf(spaced, sizeof spaced, "%s\n", MAIN_SECRET);
    ok(pacifica_keypair_from_base58(&key, spaced, "API_PRIVATE", err, sizeof err) != 0, "trailing newline refused");
    error_is_safe(err, "API_PRIVATE", spaced, "trailing newline");

    char shortened[sizeof MAIN_SECRET];
    memcpy(shortened, MAIN_SECRET, sizeof MAIN_SECRET);
    shortened[60] = '\0';
    ok(pacifica_keypair_from_base58(&key, shortened, "API_PRIVATE", err, sizeof err) != 0, "truncated secret refused");
    error_is_safe(err, "API_PRIVATE", shortened, "truncated secret");
    ok(strstr(err, "expected a 64-byte") != NULL, "truncated secret: says what was expected (%s)", err);

    ok(pacifica_keypair_from_base58(&key, MIXED_SECRET, "API_PRIVATE", err, sizeof err) != 0, "mismatched halves refused");
    error_is_safe(err, "API_PRIVATE", MIXED_SECRET, "mismatched halves");
    ok(strstr(err, "inconsistent") != NULL, "mismatched halves: explained (%s)", err);
    ok(all_zero(&key, sizeof key), "mismatched halves leave no key bytes");

    ok(pacifica_keypair_from_base58(&key, MAIN_SECRET, "API_PRIVATE", err, sizeof err) == 0, "64-byte secret loads");
    is_str(key.address, MAIN_ADDRESS, "64-byte secret gives the main address");
    pacifica_keypair_wipe(&key);
    ok(all_zero(&key, sizeof key), "wipe zeroes the keypair");
    ok(pacifica_keypair_from_base58(&key, MAIN_SEED, "API_PRIVATE", err, sizeof err) == 0, "32-byte seed loads");
    is_str(key.address, MAIN_ADDRESS, "32-byte seed gives the same address");
    pacifica_keypair_wipe(&key);

    unsigned char public_key[32];
    ok(pacifica_address_parse(public_key, "3ejUcc4rS1CHWSgcjSvDAC1Y37844big4SttT4gyUV3", "SOL_WALLET", err, sizeof err) != 0,
       "31-byte address refused");
    ok(strstr(err, "SOL_WALLET") && strstr(err, "31 bytes"), "address error names variable and length (%s)", err);
    ok(pacifica_address_parse(public_key, MAIN_SECRET, "SOL_WALLET", err, sizeof err) != 0,
       "a secret key pasted as address refused");
    error_is_safe(err, "SOL_WALLET", MAIN_SECRET, "secret pasted as address");
}

static void test_signer(void) {
    pacifica_signer signer;
    char err[256];
    ok(pacifica_signer_load(&signer, MAIN_SECRET, NULL, NULL, NULL, err, sizeof err) == 0, "main key alone loads");
    is_str(signer.account_address, MAIN_ADDRESS, "account defaults to the key's own address");
    is_int(signer.is_agent, 0, "own key is not an agent");
    pacifica_signer_wipe(&signer);
    ok(all_zero(&signer, sizeof signer), "signer wipe zeroes everything");

    ok(pacifica_signer_load(&signer, AGENT_SECRET, MAIN_ADDRESS, AGENT_ADDRESS, NULL, err, sizeof err) == 0,
       "agent key for the main account loads");
    is_int(signer.is_agent, 1, "agent key is an agent");
    is_str(signer.key.address, AGENT_ADDRESS, "agent address");
    pacifica_signer_wipe(&signer);

    ok(pacifica_signer_load(&signer, AGENT_SECRET, MAIN_ADDRESS, MAIN_ADDRESS, NULL, err, sizeof err) != 0,
       "API_PUBLIC that is not the secret's public key refused");
    ok(strstr(err, "API_PUBLIC") && strstr(err, "API_PRIVATE"), "mismatch names both variables (%s)", err);
    error_is_safe(err, "API_PUBLIC", AGENT_SECRET, "API_PUBLIC mismatch");
    ok(all_zero(&signer, sizeof signer), "failed signer load leaves nothing behind");

    ok(pacifica_signer_load(&signer, AGENT_SECRET, "not-an-address", NULL, NULL, err, sizeof err) != 0,
       "bad SOL_WALLET refused");
    ok(strstr(err, "SOL_WALLET") != NULL, "bad account names SOL_WALLET (%s)", err);

    static const pacifica_key_names lua_names = {"secret_key", "account", "agent_wallet"};
    ok(pacifica_signer_load(&signer, "xyz", NULL, NULL, &lua_names, err, sizeof err) != 0, "custom names used");
    ok(strstr(err, "secret_key") != NULL, "error uses the caller's name (%s)", err);

    setenv("API_PRIVATE", AGENT_SECRET, 1);
    setenv("SOL_WALLET", MAIN_ADDRESS, 1);
    setenv("API_PUBLIC", AGENT_ADDRESS, 1);
    ok(pacifica_signer_from_env(&signer, err, sizeof err) == 0, "seed bot environment loads");
    is_str(signer.account_address, MAIN_ADDRESS, "SOL_WALLET is the account");
    is_int(signer.is_agent, 1, "API_PRIVATE is the agent key");
    pacifica_signer_wipe(&signer);
    unsetenv("API_PRIVATE");
    ok(pacifica_signer_from_env(&signer, err, sizeof err) != 0, "missing API_PRIVATE refused");
    is_str(err, "API_PRIVATE is not set (expected a base58 Solana secret key)", "missing API_PRIVATE message");
    unsetenv("SOL_WALLET");
    unsetenv("API_PUBLIC");
}

int main(void) {
    /* tap.h defines these as plain statics; referencing them keeps -Wunused-function quiet. */
    (void)tap_plan;
    (void)tap_exit_status;
    diag("exchanges/pacifica keys: base58 and key loading with bad input");
    test_base58_errors();
    test_keypair_errors();
    test_signer();
    return done_testing();
}
