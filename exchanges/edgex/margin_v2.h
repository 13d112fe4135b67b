/* edgeX v2 setMarginMode (spec V.8.4): EIP-712 SetMarginPreferenceParams
 * {accountId, assetId = contractId, marginMode, nonce = l2Nonce rule on a client id, signer},
 * no expiry inside the signature; the body's l2ExpireTime is the next full hour at or after
 * now, plus 14 days. */
#ifndef HEDGE_EXCHANGES_EDGEX_MARGIN_V2_H
#define HEDGE_EXCHANGES_EDGEX_MARGIN_V2_H

#include <stdint.h>

#include "exchanges/edgex/error.h"
#include "exchanges/edgex/eth_sign.h"
#include "exchanges/edgex/keys.h"
#include "exchanges/edgex/text.h"

typedef struct edgex_v2_margin_input {
    const uint8_t *domain_separator;
    const char *account_id;
    const char *contract_id;
    int margin_mode;                     /* 0 or 1 (which one is cross is undocumented) */
    const char *client_id;               /* source of the nonce */
    int64_t now_ms;
} edgex_v2_margin_input;

typedef struct edgex_v2_margin {
    uint64_t account_id, contract_id;
    uint32_t nonce;
    uint8_t client_id_sha256[32];
    int64_t l2_expire_time_ms;
    uint8_t struct_hash[32], digest[32];
    edgex_eth_signature signature;
    char signature_hex[131];
    char signer_address[43];
    edgex_text body;
    edgex_text rendered_params;
} edgex_v2_margin;

void edgex_v2_margin_init(edgex_v2_margin *margin);
void edgex_v2_margin_free(edgex_v2_margin *margin);
int edgex_v2_margin_sign(edgex_v2_margin *out, const edgex_v2_margin_input *in, const edgex_eth_key *key,
                         edgex_error *err);

#endif
