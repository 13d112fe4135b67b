/* Pacifica key loading (see keys.h). */
#include "exchanges/pacifica/keys.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchanges/pacifica/base58.h"

const pacifica_key_names pacifica_env_key_names = {"API_PRIVATE", "SOL_WALLET", "API_PUBLIC"};

static int keys_library_ready(char *err, size_t errcap) {
    if (sodium_init() < 0) {
        if (err) snprintf(err, errcap, "libsodium failed to initialise");
        return -1;
    }
    return 0;
}

int pacifica_address_format(char *out, size_t cap, const uint8_t public_key[PACIFICA_PUBLIC_KEY_BYTES]) {
    return pacifica_base58_encode(public_key, PACIFICA_PUBLIC_KEY_BYTES, out, cap) < 0 ? -1 : 0;
}

int pacifica_keypair_from_seed(pacifica_keypair *out, const uint8_t seed[PACIFICA_SEED_BYTES]) {
    if (keys_library_ready(NULL, 0) != 0) return -1;
    if (crypto_sign_seed_keypair(out->public_key, out->secret_key, seed) != 0 ||
        pacifica_address_format(out->address, sizeof out->address, out->public_key) != 0) {
        pacifica_keypair_wipe(out);
        return -1;
    }
    return 0;
}

void pacifica_keypair_wipe(pacifica_keypair *keypair) {
    if (keypair) sodium_memzero(keypair, sizeof *keypair);
}

int pacifica_keypair_from_base58(pacifica_keypair *out, const char *secret_base58, const char *source_name,
                                 char *err, size_t errcap) {
    const char *name = source_name ? source_name : "secret key";
    pacifica_keypair_wipe(out);
    if (keys_library_ready(err, errcap) != 0) return -1;
    if (!secret_base58 || !*secret_base58) {
        if (err) snprintf(err, errcap, "%s is not set (expected a base58 Solana secret key)", name);
        return -1;
    }
    uint8_t decoded[PACIFICA_BASE58_MAX_BYTES];
    char why[160];
    long length = pacifica_base58_decode(secret_base58, strlen(secret_base58), decoded, sizeof decoded,
                                         why, sizeof why);
    int rc = -1;
    if (length < 0) {
        if (err) snprintf(err, errcap, "%s is not valid base58: %s", name, why);
    } else if (length != PACIFICA_SECRET_KEY_BYTES && length != PACIFICA_SEED_BYTES) {
        if (err) snprintf(err, errcap, "%s decodes to %ld bytes; expected a 64-byte Solana secret key "
                          "(seed + public key) or a 32-byte seed", name, length);
    } else if (pacifica_keypair_from_seed(out, decoded) != 0) {
        if (err) snprintf(err, errcap, "%s: key derivation failed", name);
    } else if (length == PACIFICA_SECRET_KEY_BYTES &&
               sodium_memcmp(out->public_key, decoded + PACIFICA_SEED_BYTES, PACIFICA_PUBLIC_KEY_BYTES) != 0) {
        if (err) snprintf(err, errcap, "%s is inconsistent: its second half is not the public key of its "
                          "first half (a corrupted key or two keys pasted together)", name);
    } else {
        rc = 0;
    }
    sodium_memzero(decoded, sizeof decoded);
    sodium_memzero(why, sizeof why);
    if (rc != 0) pacifica_keypair_wipe(out);
    return rc;
}

int pacifica_address_parse(uint8_t public_key[PACIFICA_PUBLIC_KEY_BYTES], const char *address,
                           const char *source_name, char *err, size_t errcap) {
    const char *name = source_name ? source_name : "address";
    if (!address || !*address) {
        if (err) snprintf(err, errcap, "%s is not set (expected a base58 Solana address)", name);
        return -1;
    }
    uint8_t decoded[PACIFICA_BASE58_MAX_BYTES];
    char why[160];
    long length = pacifica_base58_decode(address, strlen(address), decoded, sizeof decoded, why, sizeof why);
    if (length < 0) {
        if (err) snprintf(err, errcap, "%s is not valid base58: %s", name, why);
        return -1;
    }
    if (length != PACIFICA_PUBLIC_KEY_BYTES) {
        if (err) snprintf(err, errcap, "%s decodes to %ld bytes; a Solana address is 32 bytes", name, length);
        return -1;
    }
    memcpy(public_key, decoded, PACIFICA_PUBLIC_KEY_BYTES);
    return 0;
}

int pacifica_signer_load(pacifica_signer *out, const char *secret_base58, const char *account_address,
                         const char *agent_public_address, const pacifica_key_names *names,
                         char *err, size_t errcap) {
    if (!names) names = &pacifica_env_key_names;
    pacifica_signer_wipe(out);
    if (pacifica_keypair_from_base58(&out->key, secret_base58, names->secret, err, errcap) != 0) return -1;

    if (agent_public_address && *agent_public_address) {
        uint8_t agent[PACIFICA_PUBLIC_KEY_BYTES];
        if (pacifica_address_parse(agent, agent_public_address, names->agent_public, err, errcap) != 0) goto fail;
        if (sodium_memcmp(agent, out->key.public_key, sizeof agent) != 0) {
            if (err) snprintf(err, errcap, "%s does not match the public key of %s (%s); check that the "
                              "agent key pair was copied together", names->agent_public, names->secret,
                              out->key.address);
            goto fail;
        }
    }
    if (account_address && *account_address) {
        if (pacifica_address_parse(out->account, account_address, names->account, err, errcap) != 0) goto fail;
    } else {
        memcpy(out->account, out->key.public_key, sizeof out->account);
    }
    if (pacifica_address_format(out->account_address, sizeof out->account_address, out->account) != 0) {
        if (err) snprintf(err, errcap, "%s: cannot format the account address", names->account);
        goto fail;
    }
    out->is_agent = sodium_memcmp(out->account, out->key.public_key, sizeof out->account) != 0;
    return 0;
fail:
    pacifica_signer_wipe(out);
    return -1;
}

int pacifica_signer_from_env(pacifica_signer *out, char *err, size_t errcap) {
    const pacifica_key_names *names = &pacifica_env_key_names;
    return pacifica_signer_load(out, getenv(names->secret), getenv(names->account), getenv(names->agent_public),
                                names, err, errcap);
}

void pacifica_signer_wipe(pacifica_signer *signer) {
    if (signer) sodium_memzero(signer, sizeof *signer);
}
