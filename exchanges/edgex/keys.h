/* Private keys of both edgeX generations, parsed from configuration text.
 *
 * Errors name the source (the environment variable, e.g. EDGEX_STARK_PRIVATE_KEY) and what is
 * wrong, never the key text. Keys hold secret bytes: call the *_wipe function when done (it
 * overwrites them with sodium_memzero). */
#ifndef HEDGE_EXCHANGES_EDGEX_KEYS_H
#define HEDGE_EXCHANGES_EDGEX_KEYS_H

#include <stdint.h>

#include "exchanges/edgex/error.h"
#include "exchanges/edgex/stark_curve.h"
#include "exchanges/edgex/u256.h"

/* v1: Stark key, 1 <= d < N. The public key is derived once at parse time. */
typedef struct edgex_stark_key {
    edgex_u256 private_key;
    stark_point public_key;
    edgex_u256 public_x, public_y;   /* l2Key and l2KeyYCoordinate */
} edgex_stark_key;

/* Accepts exactly 64 hex digits with an optional 0x prefix (spec 8.3): a shorter text is more
 * likely a truncated key than a small one, and would sign for the wrong account. Rejects 0
 * and values >= N rather than reducing them as the SDKs do. */
int edgex_stark_key_parse(edgex_stark_key *out, const char *text, const char *source, edgex_error *err);
void edgex_stark_key_wipe(edgex_stark_key *key);
/* Start-up check that the key belongs to the account: l2_key_hex is account.l2Key (x, hex). */
int edgex_stark_key_check_l2key(const edgex_stark_key *key, const char *l2_key_hex, edgex_error *err);

/* v2: secp256k1 signer key ("SDK Signer" private key), 1 <= d < n. */
typedef struct edgex_eth_key {
    uint8_t private_key[32];
    uint8_t public_key[65];          /* 04 || x || y */
    uint8_t address[20];
    char address_checksum[43];       /* EIP-55, as sent in the signer fields */
} edgex_eth_key;

/* Accepts exactly 64 hex digits with an optional 0x prefix (spec V.2). */
int edgex_eth_key_parse(edgex_eth_key *out, const char *text, const char *source, edgex_error *err);
void edgex_eth_key_wipe(edgex_eth_key *key);

#endif
