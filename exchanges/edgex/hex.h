/* Text encodings used on the edgeX wire: lower-case hex of byte strings, strict decimal
 * integers. Kept separate from the arithmetic so parsing rules live in one place. */
#ifndef HEDGE_EXCHANGES_EDGEX_HEX_H
#define HEDGE_EXCHANGES_EDGEX_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Value of one hex digit, or -1. */
int edgex_hex_digit(int c);

/* Writes 2*n lower-case hex digits and a NUL into out (capacity 2*n+1). */
void edgex_bytes_to_hex(const uint8_t *bytes, size_t n, char *out);

/* Decodes exactly 2*n hex digits (no prefix; either case) into out. Returns 0 or -1. */
int edgex_hex_to_bytes(const char *hex, size_t hex_len, uint8_t *out, size_t n);

/* Strict unsigned decimal: digits only, no sign, no spaces, no leading zeros except "0",
 * must fit uint64. Returns 0 or -1. */
int edgex_parse_u64(const char *text, uint64_t *out);

/* Writes the decimal form of v and a NUL; returns the length (at most 20). */
size_t edgex_format_u64(uint64_t v, char out[21]);

#endif
