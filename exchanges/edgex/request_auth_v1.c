/* v1 request signatures (see request_auth_v1.h). */
#include "exchanges/edgex/request_auth_v1.h"

#include <stdio.h>
#include <string.h>

#include "exchanges/edgex/hex.h"
#include "exchanges/edgex/keccak.h"
#include "exchanges/edgex/request_render.h"
#include "exchanges/edgex/stark_scalar.h"

void edgex_v1_request_auth_init(edgex_v1_request_auth *auth) {
    memset(auth, 0, sizeof *auth);
    edgex_text_init(&auth->sign_string);
}

void edgex_v1_request_auth_free(edgex_v1_request_auth *auth) { edgex_text_free(&auth->sign_string); }

int edgex_v1_request_hash(edgex_v1_request_auth *out, int64_t timestamp_ms, const char *method, const char *path,
                          const char *rendered_params, edgex_error *err) {
    int rc = edgex_check_method_and_path(method, path, err);
    if (rc) return rc;
    if (timestamp_ms <= 0) return edgex_fail(err, EDGEX_E_INPUT, "timestamp must be positive milliseconds");
    out->timestamp_ms = timestamp_ms;
    edgex_format_u64((uint64_t)timestamp_ms, out->timestamp);
    edgex_text *s = &out->sign_string;
    edgex_text_reset(s);
    edgex_text_puts(s, out->timestamp);
    edgex_text_puts(s, method);
    edgex_text_puts(s, path);
    if (rendered_params) edgex_text_puts(s, rendered_params);
    if (s->failed) return edgex_fail(err, EDGEX_E_BUFFER, "out of memory building the sign string");
    edgex_keccak256(s->data, s->len, out->keccak);
    edgex_u256 digest;
    edgex_u256_from_bytes(&digest, out->keccak);
    stark_order_reduce_vartime(&out->msg_hash, &digest);
    return EDGEX_OK;
}

int edgex_v1_request_sign(edgex_v1_request_auth *out, const edgex_stark_key *key, int64_t timestamp_ms,
                          const char *method, const char *path, const char *rendered_params, edgex_error *err) {
    static const edgex_u256 two_pow_251 = {{0, 0, 0, 1ull << 59}};
    for (int attempt = 0; attempt < 8; attempt++) {
        int rc = edgex_v1_request_hash(out, timestamp_ms + attempt, method, path, rendered_params, err);
        if (rc) return rc;
        if (edgex_u256_cmp(&out->msg_hash, &two_pow_251) >= 0) continue;
        rc = edgex_stark_sign(&out->signature, &key->private_key, &out->msg_hash, NULL, err);
        if (rc) return rc;
        edgex_stark_signature_to_hex(&out->signature, out->signature_hex);
        return EDGEX_OK;
    }
    return edgex_fail(err, EDGEX_E_CRYPTO, "request hash stayed above 2^251 for 8 timestamps");
}
