/* edgeX v2 private-request authentication (spec V.5):
 *   sign_string = timestamp || METHOD || path || rendered_params
 *   key         = ASCII of Base64(UTF-8 api_secret)   (encoded, not decoded: the SDK rule)
 *   signature   = lower-case hex HMAC-SHA256(key, sign_string)
 * sent as X-edgeX-Api-Key, X-edgeX-Passphrase, X-edgeX-Timestamp, X-edgeX-Signature. */
#ifndef HEDGE_EXCHANGES_EDGEX_REQUEST_AUTH_V2_H
#define HEDGE_EXCHANGES_EDGEX_REQUEST_AUTH_V2_H

#include <stdint.h>

#include "exchanges/edgex/error.h"
#include "exchanges/edgex/text.h"

#define EDGEX_V2_HEADER_API_KEY "X-edgeX-Api-Key"
#define EDGEX_V2_HEADER_PASSPHRASE "X-edgeX-Passphrase"
#define EDGEX_V2_HEADER_TIMESTAMP "X-edgeX-Timestamp"
#define EDGEX_V2_HEADER_SIGNATURE "X-edgeX-Signature"

/* Checks the three credentials before use: present, and nothing that cannot travel in an
 * HTTP header (control characters). Errors name the variables (EDGEX_API_KEY,
 * EDGEX_API_PASSPHRASE, EDGEX_API_SECRET), never the values. */
int edgex_v2_check_credentials(const char *api_key, const char *api_passphrase, const char *api_secret,
                               edgex_error *err);

typedef struct edgex_v2_request_auth {
    int64_t timestamp_ms;
    char timestamp[21];
    edgex_text sign_string;
    char signature[65];
} edgex_v2_request_auth;

void edgex_v2_request_auth_init(edgex_v2_request_auth *auth);
void edgex_v2_request_auth_free(edgex_v2_request_auth *auth);

/* The HMAC key text (tests only: it is as secret as the API secret; wipe it). */
int edgex_v2_hmac_key_text(edgex_text *out, const char *api_secret, edgex_error *err);

int edgex_v2_request_sign(edgex_v2_request_auth *out, const char *api_secret, int64_t timestamp_ms,
                          const char *method, const char *path, const char *rendered_params, edgex_error *err);

/* The optional Sec-WebSocket-Protocol value: Base64 without "=" of the compact JSON
 * {"X-edgeX-Api-Key":..,"X-edgeX-Passphrase":..,"X-edgeX-Signature":..,"X-edgeX-Timestamp":..}. */
int edgex_v2_ws_protocol_value(edgex_text *out, const char *api_key, const char *api_passphrase,
                               const edgex_v2_request_auth *auth, edgex_error *err);

#endif
