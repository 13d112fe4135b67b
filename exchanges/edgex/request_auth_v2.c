/* v2 HMAC request signatures (see request_auth_v2.h). */
#include "exchanges/edgex/request_auth_v2.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "exchanges/edgex/hex.h"
#include "exchanges/edgex/request_render.h"

static int header_safe(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return 0;
    return 1;
}

int edgex_v2_check_credentials(const char *api_key, const char *api_passphrase, const char *api_secret,
                               edgex_error *err) {
    const char *names[3] = {"EDGEX_API_KEY", "EDGEX_API_PASSPHRASE", "EDGEX_API_SECRET"};
    const char *values[3] = {api_key, api_passphrase, api_secret};
    for (int i = 0; i < 3; i++) {
        if (!values[i] || !*values[i]) return edgex_fail(err, EDGEX_E_KEY, "%s is not set", names[i]);
        if (!header_safe(values[i]))
            return edgex_fail(err, EDGEX_E_KEY, "%s contains a control character (line break?)", names[i]);
    }
    return EDGEX_OK;
}

void edgex_v2_request_auth_init(edgex_v2_request_auth *auth) {
    memset(auth, 0, sizeof *auth);
    edgex_text_init(&auth->sign_string);
}

void edgex_v2_request_auth_free(edgex_v2_request_auth *auth) { edgex_text_free(&auth->sign_string); }

/* Base64 (standard alphabet, padded) of len bytes into a fresh buffer; NULL on failure. */
static char *base64(const unsigned char *data, size_t len, int *out_len) {
    if (len > (size_t)INT32_MAX / 2) return NULL;
    char *text = malloc(4 * ((len + 2) / 3) + 1);
    if (!text) return NULL;
    *out_len = EVP_EncodeBlock((unsigned char *)text, data, (int)len);
    return text;
}

int edgex_v2_hmac_key_text(edgex_text *out, const char *api_secret, edgex_error *err) {
    int len = 0;
    if (!api_secret) return edgex_fail(err, EDGEX_E_KEY, "EDGEX_API_SECRET is not set");
    char *key = base64((const unsigned char *)api_secret, strlen(api_secret), &len);
    if (!key) return edgex_fail(err, EDGEX_E_BUFFER, "out of memory encoding the API secret");
    edgex_text_reset(out);
    edgex_text_append(out, key, (size_t)len);
    sodium_memzero(key, (size_t)len);
    free(key);
    return out->failed ? edgex_fail(err, EDGEX_E_BUFFER, "out of memory encoding the API secret") : EDGEX_OK;
}

int edgex_v2_request_sign(edgex_v2_request_auth *out, const char *api_secret, int64_t timestamp_ms,
                          const char *method, const char *path, const char *rendered_params, edgex_error *err) {
    int rc = edgex_check_method_and_path(method, path, err);
    if (rc) return rc;
    if (!api_secret || !*api_secret) return edgex_fail(err, EDGEX_E_KEY, "EDGEX_API_SECRET is not set");
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

    int key_len = 0;
    char *key = base64((const unsigned char *)api_secret, strlen(api_secret), &key_len);
    if (!key) return edgex_fail(err, EDGEX_E_BUFFER, "out of memory encoding the API secret");
    unsigned char mac[32];
    unsigned int mac_len = 0;
    int ok = HMAC(EVP_sha256(), key, key_len, (const unsigned char *)s->data, s->len, mac, &mac_len) != NULL &&
             mac_len == 32;
    sodium_memzero(key, (size_t)key_len);
    free(key);
    if (!ok) return edgex_fail(err, EDGEX_E_CRYPTO, "HMAC-SHA256 failed");
    edgex_bytes_to_hex(mac, 32, out->signature);
    return EDGEX_OK;
}

int edgex_v2_ws_protocol_value(edgex_text *out, const char *api_key, const char *api_passphrase,
                               const edgex_v2_request_auth *auth, edgex_error *err) {
    int rc = edgex_v2_check_credentials(api_key, api_passphrase, "unused", err);
    if (rc) return rc;
    edgex_text json;
    edgex_text_init(&json);
    edgex_text_puts(&json, "{\"" EDGEX_V2_HEADER_API_KEY "\":");
    edgex_text_json_string(&json, api_key);
    edgex_text_puts(&json, ",\"" EDGEX_V2_HEADER_PASSPHRASE "\":");
    edgex_text_json_string(&json, api_passphrase);
    edgex_text_puts(&json, ",\"" EDGEX_V2_HEADER_SIGNATURE "\":");
    edgex_text_json_string(&json, auth->signature);
    edgex_text_puts(&json, ",\"" EDGEX_V2_HEADER_TIMESTAMP "\":");
    edgex_text_json_string(&json, auth->timestamp);
    edgex_text_putc(&json, '}');
    int len = 0;
    char *encoded = json.failed ? NULL : base64((const unsigned char *)json.data, json.len, &len);
    if (json.data) sodium_memzero(json.data, json.len);   /* holds the passphrase */
    edgex_text_free(&json);
    if (!encoded) return edgex_fail(err, EDGEX_E_BUFFER, "out of memory encoding the WebSocket protocol value");
    while (len > 0 && encoded[len - 1] == '=') len--;
    edgex_text_reset(out);
    edgex_text_append(out, encoded, (size_t)len);
    free(encoded);
    return out->failed ? edgex_fail(err, EDGEX_E_BUFFER, "out of memory") : EDGEX_OK;
}
