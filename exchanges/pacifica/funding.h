/* Pacifica funding conventions (pacifica.md §5): rates are quoted as a decimal fraction per
 * HOUR ("0.0000125" = 0.00125 %/h), settled at the end of every hour; a positive rate means
 * longs pay shorts. These helpers convert the quote exactly (runtime/decimal) into the forms
 * the strategy compares across venues, and give the sign of a position's hourly payment. */
#ifndef HEDGE_EXCHANGES_PACIFICA_FUNDING_H
#define HEDGE_EXCHANGES_PACIFICA_FUNDING_H

#include <stddef.h>

#include "runtime/decimal.h"

#define PACIFICA_FUNDING_INTERVAL_HOURS 1

typedef struct pacifica_funding_rate {
    rt_decimal hourly;          /* the venue's quote, fraction per hour */
    rt_decimal hourly_percent;  /* hourly × 100 */
    rt_decimal per_8h;          /* hourly × 8, to compare with 8-hour venues */
    rt_decimal per_day;         /* hourly × 24 */
    rt_decimal apr_percent;     /* simple APR in percent: hourly × 24 × 365 × 100 */
    int longs_pay_shorts;       /* rate > 0 */
    int shorts_pay_longs;       /* rate < 0 */
} pacifica_funding_rate;

/* Parses an hourly rate string as the venue sends it and fills every form. All values are
 * exact and normalised (no trailing zeros). Returns 0, or -1 with err naming the problem. */
int pacifica_funding_rate_from_text(pacifica_funding_rate *out, const char *hourly_rate, char *err, size_t errcap);

/* The balance change of one hourly settlement for a position:
 * -(+1 for side "bid" (long), -1 for "ask" (short)) × amount × price × hourly_rate.
 * amount is the unsigned position size, price the settlement price (oracle assumed, see spec).
 * Returns 0, or -1 with err (bad side, negative amount/price, overflow). */
int pacifica_funding_payment(rt_decimal *out, const char *side, const rt_decimal *amount, const rt_decimal *price,
                             const rt_decimal *hourly_rate, char *err, size_t errcap);

/* Simple APR (as a fraction, not percent) of an hourly rate, for ranking decisions only. */
double pacifica_funding_apr_from_hourly(double hourly_rate);

#endif
