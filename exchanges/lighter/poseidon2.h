/* Poseidon2 permutation (width 12 over Goldilocks, x^7 S-box, 8 full + 22 partial rounds) and
 * the overwrite-mode sponge Lighter hashes with (lighter.md §7.3, §7.4). Nothing here touches
 * secrets, but the code is branch-free anyway because it is straight-line arithmetic. */
#ifndef HEDGE_EXCHANGES_LIGHTER_POSEIDON2_H
#define HEDGE_EXCHANGES_LIGHTER_POSEIDON2_H

#include <stddef.h>
#include <stdint.h>

#include "exchanges/lighter/quintic.h"

#define LIGHTER_POSEIDON2_WIDTH 12
#define LIGHTER_POSEIDON2_RATE 8
#define LIGHTER_POSEIDON2_FULL_ROUNDS 8
#define LIGHTER_POSEIDON2_PARTIAL_ROUNDS 22

extern const uint64_t lighter_poseidon2_external_constants[LIGHTER_POSEIDON2_FULL_ROUNDS][LIGHTER_POSEIDON2_WIDTH];
extern const uint64_t lighter_poseidon2_internal_constants[LIGHTER_POSEIDON2_PARTIAL_ROUNDS];
extern const uint64_t lighter_poseidon2_internal_diagonal[LIGHTER_POSEIDON2_WIDTH];

/* Permutes the state in place. Input lanes may be non-canonical; output lanes are canonical. */
void lighter_poseidon2_permute(uint64_t state[LIGHTER_POSEIDON2_WIDTH]);

/* hash_n_to_m_no_pad: absorbs `count` inputs (each reduced mod p first) 8 at a time by
 * overwriting lanes 0..7, then squeezes `out_count` canonical elements. No padding, no length
 * encoding; the empty input gives zeros. */
void lighter_poseidon2_hash_no_pad(const uint64_t *inputs, size_t count, uint64_t *out, size_t out_count);

/* HashToQuinticExtension: the first five squeezed elements read as an Fp5 element. */
void lighter_poseidon2_hash_to_fp5(lighter_fp5 *out, const uint64_t *inputs, size_t count);

#endif
