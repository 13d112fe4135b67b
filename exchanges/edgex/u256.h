/* Plain 256-bit unsigned integers (four little-endian 64-bit limbs): the common currency
 * between the wire (hex, big-endian bytes) and the modular arithmetic of stark_field.c and
 * stark_scalar.c. No modular reduction happens here. */
#ifndef HEDGE_EXCHANGES_EDGEX_U256_H
#define HEDGE_EXCHANGES_EDGEX_U256_H

#include <stddef.h>
#include <stdint.h>

typedef struct edgex_u256 {
    uint64_t limb[4];   /* limb[0] is the least significant */
} edgex_u256;

/* "0x"-prefixed or bare hex, 1..64 digits, either case. Returns 0 or -1. */
int edgex_u256_from_hex(edgex_u256 *out, const char *text);
/* Unsigned decimal digits (no sign, no spaces, leading zeros allowed), must fit 256 bits. */
int edgex_u256_from_decimal(edgex_u256 *out, const char *text);
/* Either form: "0x..." hex or decimal digits (EIP-712 numbers, chain ids, resolutions). */
int edgex_u256_from_text(edgex_u256 *out, const char *text);
void edgex_u256_from_bytes(edgex_u256 *out, const uint8_t in[32]);   /* big-endian */
void edgex_u256_to_bytes(uint8_t out[32], const edgex_u256 *a);      /* big-endian */
void edgex_u256_from_u64(edgex_u256 *out, uint64_t v);

int edgex_u256_cmp(const edgex_u256 *a, const edgex_u256 *b);      /* -1, 0, 1 (variable time) */
/* 1 if a < b else 0, in time independent of the values (for range checks on secrets). */
int edgex_u256_lt_ct(const edgex_u256 *a, const edgex_u256 *b);
/* 1 if a == 0 else 0, constant time. */
int edgex_u256_is_zero_ct(const edgex_u256 *a);
int edgex_u256_is_zero(const edgex_u256 *a);
unsigned edgex_u256_bit_length(const edgex_u256 *a);

/* out = a << shift (0 <= shift < 256); returns the bits shifted out as nonzero, else 0. */
int edgex_u256_shl(edgex_u256 *out, const edgex_u256 *a, unsigned shift);
void edgex_u256_shr(edgex_u256 *out, const edgex_u256 *a, unsigned shift);
/* out = a + b; returns the carry. out = a - b; returns the borrow. */
uint64_t edgex_u256_add(edgex_u256 *out, const edgex_u256 *a, const edgex_u256 *b);
uint64_t edgex_u256_sub(edgex_u256 *out, const edgex_u256 *a, const edgex_u256 *b);

/* "0x" + lower-case hex without leading zeros ("0x0" for zero): the vectors' convention. */
void edgex_u256_to_hex(const edgex_u256 *a, char out[67]);
/* Exactly 64 lower-case hex digits, no prefix: the wire form of signature halves. */
void edgex_u256_to_hex64(const edgex_u256 *a, char out[65]);
/* Decimal digits (at most 78) and a NUL. */
void edgex_u256_to_decimal(const edgex_u256 *a, char out[80]);

#endif
