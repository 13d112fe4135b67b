/* Pacifica keys: Ed25519 keypairs in Solana formats and the signer identity of an account.
 *
 * Secret key text (what Solana wallets export and the seeds' API_PRIVATE holds) is base58 of
 * 64 bytes = seed || public key; a bare 32-byte seed in base58 is accepted too. The 64-byte
 * form must carry the public key that the seed derives: libsodium signs with the public key
 * stored in sk[32..63], so a mismatched half would silently produce signatures that verify
 * under no key. Every error names the variable the text came from and never echoes key text.
 * Secret bytes live only in pacifica_keypair.secret_key; call pacifica_keypair_wipe (or
 * pacifica_signer_wipe) when done. */
#ifndef HEDGE_EXCHANGES_PACIFICA_KEYS_H
#define HEDGE_EXCHANGES_PACIFICA_KEYS_H

#include <stddef.h>
#include <stdint.h>

#define PACIFICA_PUBLIC_KEY_BYTES 32
#define PACIFICA_SECRET_KEY_BYTES 64
#define PACIFICA_SEED_BYTES 32
#define PACIFICA_SIGNATURE_BYTES 64
/* base58 text capacities including the NUL (32 bytes -> at most 44 chars, 64 -> at most 88). */
#define PACIFICA_ADDRESS_CAP 48
#define PACIFICA_SIGNATURE_BASE58_CAP 96

typedef struct pacifica_keypair {
    uint8_t secret_key[PACIFICA_SECRET_KEY_BYTES]; /* libsodium layout: seed || public key */
    uint8_t public_key[PACIFICA_PUBLIC_KEY_BYTES];
    char address[PACIFICA_ADDRESS_CAP];            /* base58 of public_key */
} pacifica_keypair;

/* Derives the keypair of a 32-byte seed. Returns 0 or -1. */
int pacifica_keypair_from_seed(pacifica_keypair *out, const uint8_t seed[PACIFICA_SEED_BYTES]);

/* Loads a base58 secret key (64-byte Solana form or 32-byte seed). source_name is what error
 * messages call the text ("API_PRIVATE"). Returns 0, or -1 with err set; *out is wiped on
 * failure. */
int pacifica_keypair_from_base58(pacifica_keypair *out, const char *secret_base58, const char *source_name,
                                 char *err, size_t errcap);

void pacifica_keypair_wipe(pacifica_keypair *keypair);

/* Parses a base58 account address / public key (exactly 32 bytes). Returns 0 or -1 with err
 * naming source_name. */
int pacifica_address_parse(uint8_t public_key[PACIFICA_PUBLIC_KEY_BYTES], const char *address,
                           const char *source_name, char *err, size_t errcap);

/* base58 of a 32-byte public key into out (PACIFICA_ADDRESS_CAP bytes). Returns 0 or -1. */
int pacifica_address_format(char *out, size_t cap, const uint8_t public_key[PACIFICA_PUBLIC_KEY_BYTES]);

/* Who signs for which account. When the signing key is not the account's own key it is an
 * agent wallet ("API agent key"): requests then carry "agent_wallet": <its address>. */
typedef struct pacifica_signer {
    pacifica_keypair key;
    uint8_t account[PACIFICA_PUBLIC_KEY_BYTES];
    char account_address[PACIFICA_ADDRESS_CAP];
    int is_agent;
} pacifica_signer;

/* Names used in error messages for the three inputs of pacifica_signer_load. */
typedef struct pacifica_key_names {
    const char *secret;       /* e.g. "API_PRIVATE" */
    const char *account;      /* e.g. "SOL_WALLET" */
    const char *agent_public; /* e.g. "API_PUBLIC" */
} pacifica_key_names;

/* The seed bot's environment variables: SOL_WALLET (account address), API_PUBLIC (agent
 * public key), API_PRIVATE (the secret key that signs). */
extern const pacifica_key_names pacifica_env_key_names;

/* Builds a signer. secret_base58 is required. account_address may be NULL or "" (the key signs
 * for its own account). agent_public_address may be NULL or ""; when given it must equal the
 * public key of the secret, which catches a secret pasted into the wrong variable. */
int pacifica_signer_load(pacifica_signer *out, const char *secret_base58, const char *account_address,
                         const char *agent_public_address, const pacifica_key_names *names,
                         char *err, size_t errcap);

/* pacifica_signer_load from getenv() with pacifica_env_key_names. */
int pacifica_signer_from_env(pacifica_signer *out, char *err, size_t errcap);

void pacifica_signer_wipe(pacifica_signer *signer);

#endif
