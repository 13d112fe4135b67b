/* StarkEx ECDSA signing and verification (see stark_ecdsa.h).
 *
 * Constant-time discipline for the secrets (d and k): the nonce candidate is formed with a
 * masked select instead of a branch, k*G goes through stark_mul_generator (masked table scan,
 * no branch on digits), and s is computed with Montgomery arithmetic mod N whose inversion
 * follows the public exponent N - 2. The only decisions taken on secret-derived data are the
 * accept/reject tests of RFC 6979 candidates, which reveal nothing about the accepted k. */
#include "exchanges/edgex/stark_ecdsa.h"

#include <sodium.h>
#include <string.h>

#include "exchanges/edgex/hex.h"
#include "exchanges/edgex/hmac_sha256.h"
#include "exchanges/edgex/stark_scalar.h"

static const edgex_u256 TWO_POW_251 = {{0, 0, 0, 1ull << 59}};

/* a < b as an all-ones mask, without data-dependent branches. */
static uint64_t lt_mask(const edgex_u256 *a, const edgex_u256 *b) { return 0 - (uint64_t)edgex_u256_lt_ct(a, b); }

static int in_signing_range(const edgex_u256 *v) {   /* 1 <= v < 2^251 (public values) */
    return !edgex_u256_is_zero(v) && edgex_u256_cmp(v, &TWO_POW_251) < 0;
}

int edgex_stark_public_key(stark_point *out, const edgex_u256 *private_key, edgex_error *err) {
    if (edgex_u256_is_zero_ct(private_key) | !lt_mask(private_key, &STARK_CURVE_ORDER))
        return edgex_fail(err, EDGEX_E_KEY, "stark private key must be in [1, N)");
    stark_proj p;
    stark_mul_generator(&p, private_key);
    if (stark_proj_to_point(out, &p) != 0) return edgex_fail(err, EDGEX_E_CRYPTO, "public key is the point at infinity");
    sodium_memzero(&p, sizeof p);
    return EDGEX_OK;
}

/* RFC 6979 state (K, V) for one signature, HMAC-SHA256, as specified in spec section 8.5. */
typedef struct rfc6979 {
    edgex_hmac_sha256 mac;
    uint8_t k[32], v[32];
} rfc6979;

static int rfc6979_start(rfc6979 *g, const edgex_u256 *d, const edgex_u256 *m) {
    uint8_t seed[32 + 1 + 32 + 32];
    if (edgex_hmac_sha256_open(&g->mac) != 0) return -1;
    memset(g->v, 0x01, 32);
    memset(g->k, 0x00, 32);
    memcpy(seed, g->v, 32);
    edgex_u256_to_bytes(seed + 33, d);
    edgex_u256_to_bytes(seed + 65, m);
    int rc = 0;
    for (uint8_t sep = 0; sep < 2 && rc == 0; sep++) {
        memcpy(seed, g->v, 32);
        seed[32] = sep;
        rc |= edgex_hmac_sha256_mac(&g->mac, g->k, 32, seed, sizeof seed, g->k);
        rc |= edgex_hmac_sha256_mac(&g->mac, g->k, 32, g->v, 32, g->v);
    }
    sodium_memzero(seed, sizeof seed);
    return rc;
}

/* Next candidate: V = HMAC(K, V); k = int(V) >> 4, except when the first byte is 0, where the
 * libraries the vectors come from keep int(V) unshifted (they drop leading zero bytes before
 * truncating to 252 bits). The choice is a masked select, not a branch. */
static int rfc6979_candidate(rfc6979 *g, edgex_u256 *k) {
    if (edgex_hmac_sha256_mac(&g->mac, g->k, 32, g->v, 32, g->v) != 0) return -1;
    edgex_u256 whole, shifted;
    edgex_u256_from_bytes(&whole, g->v);
    edgex_u256_shr(&shifted, &whole, 4);
    uint64_t first = g->v[0];
    uint64_t keep_whole = ((first | (0 - first)) >> 63) - 1;   /* all ones iff first == 0 */
    for (int i = 0; i < 4; i++) k->limb[i] = (whole.limb[i] & keep_whole) | (shifted.limb[i] & ~keep_whole);
    sodium_memzero(&whole, sizeof whole);
    sodium_memzero(&shifted, sizeof shifted);
    return 0;
}

static int rfc6979_reseed(rfc6979 *g) {
    uint8_t buf[33];
    memcpy(buf, g->v, 32);
    buf[32] = 0x00;
    int rc = edgex_hmac_sha256_mac(&g->mac, g->k, 32, buf, sizeof buf, g->k);
    rc |= edgex_hmac_sha256_mac(&g->mac, g->k, 32, g->v, 32, g->v);
    sodium_memzero(buf, sizeof buf);
    return rc;
}

static void rfc6979_finish(rfc6979 *g) {
    edgex_hmac_sha256_close(&g->mac);
    sodium_memzero(g->k, sizeof g->k);
    sodium_memzero(g->v, sizeof g->v);
}

/* Tries one nonce. Returns 1 with *out filled when k gives a valid signature, 0 to move on. */
static int try_nonce(edgex_stark_signature *out, const edgex_u256 *k, const stark_scalar *d_mont,
                     const stark_scalar *m_mont) {
    stark_proj kg;
    stark_point r_point;
    stark_mul_generator(&kg, k);
    if (stark_proj_to_point(&r_point, &kg) != 0) return 0;
    edgex_u256 r;
    stark_felt_to_u256(&r, &r_point.x);
    if (!in_signing_range(&r)) return 0;

    /* With u = m + r d: s = u / k and w = 1 / s = k / u. One inversion of X = k u serves
     * both: s = u^2 / X, w = k^2 / X. X = 0 exactly when u = 0 (k != 0), i.e. s = 0. */
    stark_scalar r_mont, k_mont, u, x, x_inv, s_mont, w_mont;
    stark_scalar_from_u256(&r_mont, &r);           /* r < 2^251 < N */
    stark_scalar_from_u256(&k_mont, k);            /* caller checked k < N */
    stark_scalar_mul(&u, &r_mont, d_mont);
    stark_scalar_add(&u, &u, m_mont);
    stark_scalar_mul(&x, &k_mont, &u);
    stark_scalar_inv(&x_inv, &x);
    stark_scalar_mul(&s_mont, &u, &u);
    stark_scalar_mul(&s_mont, &s_mont, &x_inv);
    stark_scalar_mul(&w_mont, &k_mont, &k_mont);
    stark_scalar_mul(&w_mont, &w_mont, &x_inv);
    edgex_u256 s, w;
    stark_scalar_to_u256(&s, &s_mont);
    stark_scalar_to_u256(&w, &w_mont);
    int ok = !edgex_u256_is_zero(&s) && in_signing_range(&w);
    if (ok) {
        out->r = r;
        out->s = s;
    }
    sodium_memzero(&kg, sizeof kg);
    sodium_memzero(&k_mont, sizeof k_mont);
    sodium_memzero(&u, sizeof u);
    sodium_memzero(&x, sizeof x);
    sodium_memzero(&x_inv, sizeof x_inv);
    sodium_memzero(&w_mont, sizeof w_mont);
    return ok;
}

int edgex_stark_sign(edgex_stark_signature *out, const edgex_u256 *private_key, const edgex_u256 *msg_hash,
                     edgex_u256 *k_used, edgex_error *err) {
    if (edgex_u256_is_zero_ct(private_key) | !lt_mask(private_key, &STARK_CURVE_ORDER))
        return edgex_fail(err, EDGEX_E_KEY, "stark private key must be in [1, N)");
    if (edgex_u256_cmp(msg_hash, &TWO_POW_251) >= 0)
        return edgex_fail(err, EDGEX_E_INPUT, "message hash must be below 2^251");

    stark_scalar d_mont, m_mont;
    stark_scalar_from_u256(&d_mont, private_key);
    stark_scalar_from_u256(&m_mont, msg_hash);
    edgex_u256 n_minus_1 = STARK_CURVE_ORDER, two = {{2, 0, 0, 0}}, k;
    n_minus_1.limb[0] -= 1;

    rfc6979 gen;
    int rc = EDGEX_E_CRYPTO, found = 0;
    if (rfc6979_start(&gen, private_key, msg_hash) == 0) {
        /* Each candidate passes with probability about 1/2; 64 failures in a row would mean
         * a broken generator rather than bad luck (2^-64). */
        for (int attempt = 0; attempt < 64 && !found; attempt++) {
            if (rfc6979_candidate(&gen, &k) != 0) break;
            /* accept 1 < k < N - 1 */
            if (!lt_mask(&k, &two) && lt_mask(&k, &n_minus_1)) found = try_nonce(out, &k, &d_mont, &m_mont);
            if (!found && rfc6979_reseed(&gen) != 0) break;
        }
        if (found) {
            rc = EDGEX_OK;
            if (k_used) *k_used = k;
        }
    }
    rfc6979_finish(&gen);
    sodium_memzero(&k, sizeof k);
    sodium_memzero(&d_mont, sizeof d_mont);
    if (rc != EDGEX_OK) return edgex_fail(err, EDGEX_E_CRYPTO, "stark signature: no valid nonce found");
    return rc;
}

static int verify_range(const edgex_u256 *msg_hash, const edgex_stark_signature *sig, edgex_u256 *w,
                        edgex_error *err) {
    if (edgex_u256_cmp(msg_hash, &TWO_POW_251) >= 0)
        return edgex_fail(err, EDGEX_E_INPUT, "message hash must be below 2^251");
    if (!in_signing_range(&sig->r)) return edgex_fail(err, EDGEX_E_INPUT, "signature r must be in [1, 2^251)");
    stark_scalar s_mont, w_mont;
    if (edgex_u256_is_zero(&sig->s) || stark_scalar_from_u256(&s_mont, &sig->s) != 0)
        return edgex_fail(err, EDGEX_E_INPUT, "signature s must be in [1, N)");
    stark_scalar_inv(&w_mont, &s_mont);
    stark_scalar_to_u256(w, &w_mont);
    if (!in_signing_range(w)) return edgex_fail(err, EDGEX_E_INPUT, "signature w = 1/s must be in [1, 2^251)");
    return EDGEX_OK;
}

/* x of (m w) G + sign * (r w) Q, compared with r. */
static int check_point(const edgex_u256 *msg_hash, const edgex_stark_signature *sig, const edgex_u256 *w,
                       const stark_point *q) {
    stark_scalar w_mont, a, b;
    stark_scalar_from_u256(&w_mont, w);
    stark_scalar_from_u256(&a, msg_hash);
    stark_scalar_from_u256(&b, &sig->r);
    stark_scalar_mul(&a, &a, &w_mont);
    stark_scalar_mul(&b, &b, &w_mont);
    edgex_u256 u1, u2;
    stark_scalar_to_u256(&u1, &a);
    stark_scalar_to_u256(&u2, &b);
    stark_proj p1, p2, sum;
    stark_mul_vartime(&p1, stark_curve_generator(), &u1);
    stark_mul_vartime(&p2, q, &u2);
    stark_proj_add(&sum, &p1, &p2);
    stark_point x;
    if (stark_proj_to_point(&x, &sum) != 0) return 0;
    edgex_u256 xr;
    stark_felt_to_u256(&xr, &x.x);
    return edgex_u256_cmp(&xr, &sig->r) == 0;
}

int edgex_stark_verify(const edgex_u256 *msg_hash, const edgex_stark_signature *sig, const stark_point *public_key,
                       edgex_error *err) {
    edgex_u256 w;
    int rc = verify_range(msg_hash, sig, &w, err);
    if (rc) return rc;
    if (!stark_point_is_on_curve(public_key)) return edgex_fail(err, EDGEX_E_INPUT, "public key is not on the curve");
    if (!check_point(msg_hash, sig, &w, public_key))
        return edgex_fail(err, EDGEX_E_VERIFY, "stark signature does not verify");
    return EDGEX_OK;
}

int edgex_stark_verify_x(const edgex_u256 *msg_hash, const edgex_stark_signature *sig, const edgex_u256 *public_x,
                         edgex_error *err) {
    edgex_u256 w;
    int rc = verify_range(msg_hash, sig, &w, err);
    if (rc) return rc;
    stark_point q;
    if (stark_felt_from_u256(&q.x, public_x) != 0 || stark_curve_y_from_x(&q.y, &q.x) != 0)
        return edgex_fail(err, EDGEX_E_INPUT, "public key x is not the x of a curve point");
    if (check_point(msg_hash, sig, &w, &q)) return EDGEX_OK;
    stark_felt_neg(&q.y, &q.y);
    if (check_point(msg_hash, sig, &w, &q)) return EDGEX_OK;
    return edgex_fail(err, EDGEX_E_VERIFY, "stark signature does not verify");
}

void edgex_stark_signature_to_hex(const edgex_stark_signature *sig, char out[129]) {
    edgex_u256_to_hex64(&sig->r, out);
    edgex_u256_to_hex64(&sig->s, out + 64);
}

int edgex_stark_signature_from_hex(edgex_stark_signature *out, const char *hex, edgex_error *err) {
    uint8_t bytes[64];
    if (!hex || edgex_hex_to_bytes(hex, strlen(hex), bytes, 64) != 0)
        return edgex_fail(err, EDGEX_E_INPUT, "stark signature must be 128 hex digits (r || s)");
    edgex_u256_from_bytes(&out->r, bytes);
    edgex_u256_from_bytes(&out->s, bytes + 32);
    return EDGEX_OK;
}
