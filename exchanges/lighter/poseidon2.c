/* Poseidon2 over Goldilocks as used by Lighter. The linear layers accumulate in 128 bits and
 * reduce once per lane: the external layer's coefficients sum to 28 (< 2^5), the internal one
 * adds a full product to a sum of twelve lanes, both comfortably below 2^128. */
#include "exchanges/lighter/poseidon2.h"

#include <string.h>

#include "exchanges/lighter/goldilocks.h"

/* External layer: M4 = [[2,3,1,1],[1,2,3,1],[1,1,2,3],[3,1,1,2]] on each block of four lanes,
 * then every lane adds the sum of the lanes with the same index mod 4. */
static void external_layer(uint64_t s[LIGHTER_POSEIDON2_WIDTH]) {
    lighter_u128 y[LIGHTER_POSEIDON2_WIDTH];
    for (int b = 0; b < LIGHTER_POSEIDON2_WIDTH; b += 4) {
        lighter_u128 x0 = s[b], x1 = s[b + 1], x2 = s[b + 2], x3 = s[b + 3];
        y[b]     = 2 * x0 + 3 * x1 + x2 + x3;
        y[b + 1] = x0 + 2 * x1 + 3 * x2 + x3;
        y[b + 2] = x0 + x1 + 2 * x2 + 3 * x3;
        y[b + 3] = 3 * x0 + x1 + x2 + 2 * x3;
    }
    for (int j = 0; j < 4; j++) {
        lighter_u128 column = y[j] + y[4 + j] + y[8 + j];
        s[j]     = lighter_gf_reduce128(y[j] + column);
        s[4 + j] = lighter_gf_reduce128(y[4 + j] + column);
        s[8 + j] = lighter_gf_reduce128(y[8 + j] + column);
    }
}

/* Internal layer: out[i] = sum(s) + diag[i]·s[i]. */
static void internal_layer(uint64_t s[LIGHTER_POSEIDON2_WIDTH]) {
    lighter_u128 sum = 0;
    for (int i = 0; i < LIGHTER_POSEIDON2_WIDTH; i++) sum += s[i];
    for (int i = 0; i < LIGHTER_POSEIDON2_WIDTH; i++)
        s[i] = lighter_gf_reduce128(sum + (lighter_u128)lighter_poseidon2_internal_diagonal[i] * s[i]);
}

static inline uint64_t sbox(uint64_t x) {
    uint64_t x2 = lighter_gf_square(x);
    uint64_t x3 = lighter_gf_mul(x2, x);
    uint64_t x4 = lighter_gf_square(x2);
    return lighter_gf_mul(x3, x4);
}

static void full_round(uint64_t s[LIGHTER_POSEIDON2_WIDTH], const uint64_t constants[LIGHTER_POSEIDON2_WIDTH]) {
    for (int i = 0; i < LIGHTER_POSEIDON2_WIDTH; i++) s[i] = sbox(lighter_gf_add(s[i], constants[i]));
    external_layer(s);
}

void lighter_poseidon2_permute(uint64_t s[LIGHTER_POSEIDON2_WIDTH]) {
    external_layer(s);
    for (int r = 0; r < LIGHTER_POSEIDON2_FULL_ROUNDS / 2; r++) full_round(s, lighter_poseidon2_external_constants[r]);
    for (int r = 0; r < LIGHTER_POSEIDON2_PARTIAL_ROUNDS; r++) {
        s[0] = sbox(lighter_gf_add(s[0], lighter_poseidon2_internal_constants[r]));
        internal_layer(s);
    }
    for (int r = LIGHTER_POSEIDON2_FULL_ROUNDS / 2; r < LIGHTER_POSEIDON2_FULL_ROUNDS; r++)
        full_round(s, lighter_poseidon2_external_constants[r]);
    for (int i = 0; i < LIGHTER_POSEIDON2_WIDTH; i++) s[i] = lighter_gf_canonical(s[i]);
}

void lighter_poseidon2_hash_no_pad(const uint64_t *inputs, size_t count, uint64_t *out, size_t out_count) {
    uint64_t state[LIGHTER_POSEIDON2_WIDTH] = {0};
    for (size_t start = 0; start < count; start += LIGHTER_POSEIDON2_RATE) {
        size_t chunk = count - start < LIGHTER_POSEIDON2_RATE ? count - start : LIGHTER_POSEIDON2_RATE;
        /* Overwrite mode: lanes past a short last chunk keep their previous values. */
        for (size_t j = 0; j < chunk; j++) state[j] = lighter_gf_canonical(inputs[start + j]);
        lighter_poseidon2_permute(state);
    }
    size_t produced = 0;
    for (;;) {
        for (size_t j = 0; j < LIGHTER_POSEIDON2_RATE && produced < out_count; j++) out[produced++] = state[j];
        if (produced == out_count) break;
        lighter_poseidon2_permute(state);
    }
}

void lighter_poseidon2_hash_to_fp5(lighter_fp5 *out, const uint64_t *inputs, size_t count) {
    lighter_poseidon2_hash_no_pad(inputs, count, out->c, 5);
}
