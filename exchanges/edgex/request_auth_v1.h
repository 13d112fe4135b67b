/* edgeX v1 private-request authentication (spec section 6):
 *   sign_string = timestamp || METHOD || path || rendered_params
 *   m = Keccak-256(sign_string) mod N, signed with the Stark key;
 *   headers X-edgeX-Api-Timestamp: <timestamp>, X-edgeX-Api-Signature: hex64(r) || hex64(s). */
#ifndef HEDGE_EXCHANGES_EDGEX_REQUEST_AUTH_V1_H
#define HEDGE_EXCHANGES_EDGEX_REQUEST_AUTH_V1_H

#include <stdint.h>

#include "exchanges/edgex/error.h"
#include "exchanges/edgex/keys.h"
#include "exchanges/edgex/stark_ecdsa.h"
#include "exchanges/edgex/text.h"

#define EDGEX_V1_HEADER_TIMESTAMP "X-edgeX-Api-Timestamp"
#define EDGEX_V1_HEADER_SIGNATURE "X-edgeX-Api-Signature"

typedef struct edgex_v1_request_auth {
    int64_t timestamp_ms;            /* what was signed; send this one */
    char timestamp[21];              /* header value */
    edgex_text sign_string;
    uint8_t keccak[32];
    edgex_u256 msg_hash;             /* keccak mod N */
    edgex_stark_signature signature;
    char signature_hex[129];         /* header value */
} edgex_v1_request_auth;

void edgex_v1_request_auth_init(edgex_v1_request_auth *auth);
void edgex_v1_request_auth_free(edgex_v1_request_auth *auth);

/* The sign string and its reduced Keccak hash, without signing. */
int edgex_v1_request_hash(edgex_v1_request_auth *out, int64_t timestamp_ms, const char *method, const char *path,
                          const char *rendered_params, edgex_error *err);

/* Signs; rendered_params comes from edgex_render_query / edgex_render_json_body ("" if none).
 * If the reduced hash is >= 2^251 (probability about 2^-55) the timestamp is moved forward
 * by 1 ms and the request signed again, so always send out->timestamp. */
int edgex_v1_request_sign(edgex_v1_request_auth *out, const edgex_stark_key *key, int64_t timestamp_ms,
                          const char *method, const char *path, const char *rendered_params, edgex_error *err);

#endif
