/* The Lighter venue's signing entry point: everything the REST/WS client (client.c) needs to
 * load an API key, sign transactions and build auth tokens. The primitives behind it
 * (goldilocks, quintic, poseidon2, ecgfp5, scalar, schnorr) stay internal to this folder. */
#ifndef HEDGE_EXCHANGES_LIGHTER_SIGN_H
#define HEDGE_EXCHANGES_LIGHTER_SIGN_H

#include "exchanges/lighter/auth.h"
#include "exchanges/lighter/keys.h"
#include "exchanges/lighter/schnorr.h"
#include "exchanges/lighter/tx.h"

#endif
