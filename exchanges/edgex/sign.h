/* edgeX signing: the one header the edgeX client (client.c) includes.
 *
 * v1 (StarkEx, legacy; spec sections 6-8):
 *   keys.h             edgex_stark_key_parse / _wipe / _check_l2key
 *   order_v1.h         edgex_v1_order_sign: quantities, Pedersen hash chain, Stark ECDSA, body
 *   request_auth_v1.h  edgex_v1_request_sign: Keccak-256 of the request string mod N, signed
 *   stark_ecdsa.h      sign / verify (RFC 6979 nonces), pedersen.h the hash itself
 * v2 (current; spec section V):
 *   keys.h             edgex_eth_key_parse / _wipe (signer key, address)
 *   eip712.h           domain separator (once per process, from metadata)
 *   order_v2.h         edgex_v2_order_sign: quantities, EIP-712 digest, secp256k1 r||s||v, body
 *   margin_v2.h        edgex_v2_margin_sign (setMarginMode)
 *   request_auth_v2.h  edgex_v2_request_sign: HMAC-SHA256 headers
 * Both: request_render.h renders query parameters and JSON bodies exactly as they are signed.
 *
 * Typical v2 use:
 *   edgex_eth_key key; edgex_eth_key_parse(&key, getenv("EDGEX_TRADING_PRIVATE_KEY"),
 *                                          "EDGEX_TRADING_PRIVATE_KEY", &err);
 *   uint8_t domain[32]; edgex_eip712_domain_separator(domain, NULL, "EdgeX", "1", chain_id,
 *                                                     contract_address, &err);
 *   edgex_v2_order order; edgex_v2_order_init(&order);
 *   edgex_v2_order_sign(&order, &input, &key, &err);        -> order.body
 *   edgex_v2_request_sign(&auth, secret, now_ms, "POST", "/api/v2/private/order/createOrder",
 *                         edgex_text_str(&order.rendered_params), &err);  -> headers
 *   edgex_v2_order_free(&order); ... edgex_eth_key_wipe(&key);
 * Every function returns 0 or a negative EDGEX_E_* code with a message in edgex_error. */
#ifndef HEDGE_EXCHANGES_EDGEX_SIGN_H
#define HEDGE_EXCHANGES_EDGEX_SIGN_H

#include "exchanges/edgex/eip712.h"
#include "exchanges/edgex/error.h"
#include "exchanges/edgex/eth_sign.h"
#include "exchanges/edgex/keys.h"
#include "exchanges/edgex/margin_v2.h"
#include "exchanges/edgex/order_v1.h"
#include "exchanges/edgex/order_v2.h"
#include "exchanges/edgex/pedersen.h"
#include "exchanges/edgex/quantities.h"
#include "exchanges/edgex/request_auth_v1.h"
#include "exchanges/edgex/request_auth_v2.h"
#include "exchanges/edgex/request_render.h"
#include "exchanges/edgex/stark_ecdsa.h"

#endif
