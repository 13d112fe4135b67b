/* The createOrder request body, identical in v1 and v2 (spec 4.4, V.8.1): the field set the
 * Go SDK sends, in its order, all strings except reduceOnly. The same fields are also
 * rendered (sorted key=value, spec 6.1) for the request signature, so the body and the signed
 * string always come from one set of values. */
#ifndef HEDGE_EXCHANGES_EDGEX_ORDER_BODY_H
#define HEDGE_EXCHANGES_EDGEX_ORDER_BODY_H

#include "exchanges/edgex/text.h"

typedef struct edgex_order_body_fields {
    const char *account_id, *contract_id, *price, *size, *type, *side, *time_in_force, *client_order_id;
    const char *expire_time, *l2_nonce, *l2_signature, *l2_expire_time, *l2_value, *l2_size, *l2_limit_fee;
    int reduce_only;
} edgex_order_body_fields;

/* Compact JSON: {"accountId":"...",...,"reduceOnly":false}. */
void edgex_order_body_json(edgex_text *out, const edgex_order_body_fields *f);
/* accountId=...&clientOrderId=...&...&type=... (keys in byte order). The client order id may
 * contain any character: the body rendering signs strings as they are. */
void edgex_order_body_rendered(edgex_text *out, const edgex_order_body_fields *f);

#endif
