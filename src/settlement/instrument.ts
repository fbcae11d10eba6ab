import { type Dec, dec } from './decimal.ts';
import type { InstrumentClass } from './model.ts';

/** What notional is computed from. */
export interface NotionalFields {
  readonly quantity: string;
  readonly price: string;
  readonly instrumentClass?: InstrumentClass | undefined;
}

/**
 * A trade's notional in its currency, exact: quantity × price for equities (the default); for bonds,
 * whose quantity is the face amount and price a percentage of par, face × price / 100 (1,000,000
 * nominal at 99.50 is 995,000, not 99.5 million). Priority and reports use it.
 */
export function notionalOf(t: NotionalFields): Dec {
  const gross = dec(t.quantity).times(dec(t.price));
  return t.instrumentClass === 'BOND' ? gross.div(100) : gross;
}
