/* v2 setMarginMode signature and body (see margin_v2.h). */
#include "exchanges/edgex/margin_v2.h"

#include <string.h>

#include "exchanges/edgex/eip712.h"
#include "exchanges/edgex/hex.h"
#include "exchanges/edgex/keccak.h"
#include "exchanges/edgex/quantities.h"

void edgex_v2_margin_init(edgex_v2_margin *margin) {
    memset(margin, 0, sizeof *margin);
    edgex_text_init(&margin->body);
    edgex_text_init(&margin->rendered_params);
}

void edgex_v2_margin_free(edgex_v2_margin *margin) {
    edgex_text_free(&margin->body);
    edgex_text_free(&margin->rendered_params);
}

static void json_field(edgex_text *t, const char *key, const char *value, int first) {
    if (!first) edgex_text_putc(t, ',');
    edgex_text_json_string(t, key);
    edgex_text_putc(t, ':');
    edgex_text_json_string(t, value);
}

int edgex_v2_margin_sign(edgex_v2_margin *out, const edgex_v2_margin_input *in, const edgex_eth_key *key,
                         edgex_error *err) {
    if (!in->domain_separator) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 domain separator is missing");
    int rc = edgex_parse_id(&out->account_id, in->account_id, "account_id", err);
    if (!rc) rc = edgex_parse_id(&out->contract_id, in->contract_id, "contract_id", err);
    if (!rc) rc = edgex_check_client_order_id(in->client_id, err);
    if (rc) return rc;
    if (in->margin_mode != 0 && in->margin_mode != 1) return edgex_fail(err, EDGEX_E_INPUT, "margin_mode must be 0 or 1");
    if (in->now_ms <= 0) return edgex_fail(err, EDGEX_E_INPUT, "now_ms must be positive milliseconds");

    rc = edgex_l2_nonce(&out->nonce, in->client_id, out->client_id_sha256, err);
    if (rc) return rc;
    int64_t next_hour = (in->now_ms + EDGEX_MS_PER_HOUR - 1) / EDGEX_MS_PER_HOUR * EDGEX_MS_PER_HOUR;
    out->l2_expire_time_ms = next_hour + 14 * EDGEX_MS_PER_DAY;

    uint8_t words[6][32];
    memcpy(words[0], edgex_eip712_type_hash(EDGEX_EIP712_MARGIN), 32);
    edgex_eip712_word_u64(words[1], out->account_id);
    edgex_eip712_word_u64(words[2], out->contract_id);
    edgex_eip712_word_u64(words[3], (uint64_t)in->margin_mode);
    edgex_eip712_word_u64(words[4], out->nonce);
    edgex_eip712_word_address(words[5], key->address);
    edgex_keccak256(words, sizeof words, out->struct_hash);
    edgex_eip712_digest(out->digest, in->domain_separator, out->struct_hash);
    rc = edgex_eth_sign_digest(&out->signature, key->private_key, out->digest, err);
    if (rc) return rc;
    edgex_eth_signature_hex(&out->signature, out->signature_hex);
    memcpy(out->signer_address, key->address_checksum, sizeof out->signer_address);

    char mode[2] = {(char)('0' + in->margin_mode), 0}, nonce[21], expire[21];
    edgex_format_u64(out->nonce, nonce);
    edgex_format_u64((uint64_t)out->l2_expire_time_ms, expire);
    edgex_text *b = &out->body;
    edgex_text_reset(b);
    edgex_text_putc(b, '{');
    json_field(b, "accountId", in->account_id, 1);
    json_field(b, "contractId", in->contract_id, 0);
    json_field(b, "marginMode", mode, 0);
    json_field(b, "l2Nonce", nonce, 0);
    json_field(b, "l2ExpireTime", expire, 0);
    json_field(b, "signer", out->signer_address, 0);
    json_field(b, "l2Signature", out->signature_hex, 0);
    edgex_text_putc(b, '}');

    /* the same fields, keys in byte order */
    edgex_text *r = &out->rendered_params;
    edgex_text_reset(r);
    const char *sorted[][2] = {{"accountId", in->account_id}, {"contractId", in->contract_id},
                               {"l2ExpireTime", expire},      {"l2Nonce", nonce},
                               {"l2Signature", out->signature_hex}, {"marginMode", mode},
                               {"signer", out->signer_address}};
    for (size_t i = 0; i < sizeof sorted / sizeof sorted[0]; i++) {
        if (i) edgex_text_putc(r, '&');
        edgex_text_puts(r, sorted[i][0]);
        edgex_text_putc(r, '=');
        edgex_text_puts(r, sorted[i][1]);
    }
    if (b->failed || r->failed) return edgex_fail(err, EDGEX_E_BUFFER, "out of memory writing the body");
    return EDGEX_OK;
}
