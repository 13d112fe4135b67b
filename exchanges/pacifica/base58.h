/* Base58 (Bitcoin/Solana alphabet) for Pacifica addresses, secret keys and signatures.
 *
 * Alphabet: 123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz. Each leading 0x00
 * byte is one leading '1'. The decoder accepts nothing else: no whitespace, no 0/O/I/l,
 * no non-ASCII. Both directions wipe their scratch space because the same code decodes
 * secret keys. */
#ifndef HEDGE_EXCHANGES_PACIFICA_BASE58_H
#define HEDGE_EXCHANGES_PACIFICA_BASE58_H

#include <stddef.h>
#include <stdint.h>

/* Largest input either direction handles; Pacifica needs 64 bytes at most. */
#define PACIFICA_BASE58_MAX_BYTES 256
/* Characters (plus NUL) needed to encode n bytes: log(256)/log(58) < 1.366. */
#define PACIFICA_BASE58_ENCODED_CAP(n) ((n) * 138 / 100 + 2)

/* Writes the base58 text of bytes[0..length) and a terminating NUL into out.
 * Returns the text length, or -1 if length > PACIFICA_BASE58_MAX_BYTES or cap is too small. */
long pacifica_base58_encode(const uint8_t *bytes, size_t length, char *out, size_t cap);

/* Decodes text[0..text_length) into out. Returns the byte count, or -1 with a message in err
 * (naming the position of the offending character, never the character itself: the text may
 * be a secret key). */
long pacifica_base58_decode(const char *text, size_t text_length, uint8_t *out, size_t cap,
                            char *err, size_t errcap);

#endif
