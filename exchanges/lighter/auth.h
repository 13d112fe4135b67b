/* Lighter auth tokens for private REST reads and private WebSocket channels (lighter.md §5):
 *   message = "<deadline_unix_s>:<account_index>:<api_key_index>"
 *   token   = message ":" hex(Schnorr(key, HashToQuinticExtension(message as LE 8-byte chunks)))
 * The server accepts a deadline at most 8 hours ahead; regenerate well before it passes. */
#ifndef HEDGE_EXCHANGES_LIGHTER_AUTH_H
#define HEDGE_EXCHANGES_LIGHTER_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "exchanges/lighter/keys.h"
#include "exchanges/lighter/quintic.h"
#include "exchanges/lighter/scalar.h"

/* 3 × 20 digits + 2 colons + NUL for the message; + ':' and 160 hex for the token. */
#define LIGHTER_AUTH_MESSAGE_MAX 64
#define LIGHTER_AUTH_TOKEN_MAX (LIGHTER_AUTH_MESSAGE_MAX + 1 + 160)
#define LIGHTER_AUTH_MAX_ELEMENTS (LIGHTER_AUTH_MESSAGE_MAX / 8)

/* The message text; returns its length, or -1 with err naming the bad argument. */
int lighter_auth_message(char out[LIGHTER_AUTH_MESSAGE_MAX], int64_t deadline_s, int64_t account_index, int64_t api_key_index,
                         char *err, size_t errcap);
/* The message cut into 8-byte little-endian chunks (last one zero-padded) and its hash.
 * Returns the number of elements. */
size_t lighter_auth_message_hash(lighter_fp5 *hash, uint64_t elements[LIGHTER_AUTH_MAX_ELEMENTS], const char *message, size_t len);

/* Builds a token signed with a fresh random nonce. Returns 0, or -1 with err set. */
int lighter_auth_token(char out[LIGHTER_AUTH_TOKEN_MAX], int64_t deadline_s, int64_t account_index, int64_t api_key_index,
                       const lighter_key *key, char *err, size_t errcap);
/* The same with a given nonce (known-answer tests only). */
int lighter_auth_token_with_k(char out[LIGHTER_AUTH_TOKEN_MAX], int64_t deadline_s, int64_t account_index, int64_t api_key_index,
                              const lighter_key *key, const lighter_scalar *k, char *err, size_t errcap);

#endif
