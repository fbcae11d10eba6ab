/**
 * Static reference data for demo settlement days: real ISINs (check digits verified by the tests),
 * real-looking firm BICs and the CSDs each market settles in. Prices are plausible ranges, not quotes.
 *
 * Bonds are counted in bonds of 1,000 face value and priced per bond (a 99.8125 % clean price is
 * 998.125), so `quantity × price` is the principal for every instrument: the trade model carries no
 * percent-of-par price type.
 */

import { DEFAULT_SETTLEMENT_CYCLES, standardCycle } from '../settlement/index.ts';

export type DeskId = 'EQ-US' | 'EQ-EU' | 'EQ-APAC' | 'FI-RATES' | 'FI-CREDIT';

export interface SecurityRef {
  readonly isin: string;
  readonly name: string;
  readonly kind: 'EQUITY' | 'BOND';
  readonly desk: DeskId;
  readonly currency: string;
  /** The CSD's BIC: decides the market, its calendar and settlement cycle. */
  readonly placeOfSettlement: string;
  /** Price range per share (per 1,000-face bond), as decimal strings. */
  readonly priceLow: string;
  readonly priceHigh: string;
  /** Decimals a price is quoted with; one unit of the last decimal stays under 1 bp of `priceLow`. */
  readonly priceDecimals: number;
  /** Quantities are whole multiples of the lot, up to `maxLots` lots. */
  readonly lotSize: number;
  readonly maxLots: number;
}

const DTC = 'DTCYUS33';
const FED = 'FRNYUS33';
const CREST = 'CRSTGB22';
const EUROCLEAR = 'MGTCBEBE';
const CLEARSTREAM = 'DAKVDEFF';
const SIX_SIS = 'INSECHZZ';
const JASDEC = 'JJSDJPJT';

type Row = [isin: string, name: string, low: string, high: string, decimals: number];

function equities(
  desk: DeskId,
  currency: string,
  place: string,
  lotSize: number,
  maxLots: number,
  rows: Row[],
): SecurityRef[] {
  return rows.map(([isin, name, priceLow, priceHigh, priceDecimals]) => ({
    isin,
    name,
    kind: 'EQUITY',
    desk,
    currency,
    placeOfSettlement: place,
    priceLow,
    priceHigh,
    priceDecimals,
    lotSize,
    maxLots,
  }));
}

function bonds(
  desk: DeskId,
  currency: string,
  place: string,
  lotSize: number,
  maxLots: number,
  rows: Row[],
): SecurityRef[] {
  return equities(desk, currency, place, lotSize, maxLots, rows).map((s) => ({ ...s, kind: 'BOND' }));
}

export const SECURITIES: readonly SecurityRef[] = [
  ...equities('EQ-US', 'USD', DTC, 100, 200, [
    ['US0378331005', 'Apple Inc.', '220.00', '260.00', 2],
    ['US5949181045', 'Microsoft Corp.', '480.00', '520.00', 2],
    ['US0231351067', 'Amazon.com Inc.', '210.00', '240.00', 2],
    ['US67066G1040', 'NVIDIA Corp.', '140.00', '190.00', 2],
    ['US02079K3059', 'Alphabet Inc. A', '240.00', '290.00', 2],
    ['US30303M1027', 'Meta Platforms Inc. A', '580.00', '780.00', 2],
    ['US46625H1005', 'JPMorgan Chase & Co.', '290.00', '320.00', 2],
    ['US4592001014', 'IBM Corp.', '280.00', '310.00', 2],
    ['US3453708600', 'Ford Motor Co.', '10.0000', '13.0000', 4],
  ]),
  ...equities('EQ-EU', 'GBP', CREST, 100, 500, [
    ['GB0002634946', 'BAE Systems plc', '17.000', '19.500', 3],
    ['GB0007980591', 'BP plc', '4.2000', '4.8000', 4],
    ['GB0005405286', 'HSBC Holdings plc', '9.5000', '11.0000', 4],
    ['GB0009895292', 'AstraZeneca plc', '110.00', '130.00', 2],
    ['GB00BP6MXD84', 'Shell plc', '26.000', '29.000', 3],
  ]),
  ...equities('EQ-EU', 'EUR', CLEARSTREAM, 10, 500, [
    ['DE0007164600', 'SAP SE', '230.00', '270.00', 2],
    ['DE0007236101', 'Siemens AG', '200.00', '240.00', 2],
    ['DE0008404005', 'Allianz SE', '330.00', '380.00', 2],
    ['DE0005557508', 'Deutsche Telekom AG', '27.000', '32.000', 3],
  ]),
  ...equities('EQ-EU', 'EUR', EUROCLEAR, 10, 500, [
    ['FR0000120271', 'TotalEnergies SE', '52.000', '58.000', 3],
    ['FR0000121014', 'LVMH', '520.00', '640.00', 2],
    ['FR0000131104', 'BNP Paribas SA', '60.000', '80.000', 3],
    ['NL0010273215', 'ASML Holding NV', '700.00', '900.00', 2],
    ['IT0000072618', 'Intesa Sanpaolo SpA', '4.5000', '5.5000', 4],
  ]),
  ...equities('EQ-EU', 'CHF', SIX_SIS, 10, 500, [
    ['CH0038863350', 'Nestlé SA', '75.000', '85.000', 3],
    ['CH0012032048', 'Roche Holding AG', '250.00', '280.00', 2],
    ['CH0012005267', 'Novartis AG', '95.000', '105.000', 3],
  ]),
  ...equities('EQ-APAC', 'JPY', JASDEC, 100, 100, [
    ['JP3633400001', 'Toyota Motor Corp.', '2600.0', '3000.0', 1],
    ['JP3435000009', 'Sony Group Corp.', '3500.0', '4200.0', 1],
    ['JP3436100006', 'SoftBank Group Corp.', '9000.0', '18000.0', 1],
    ['JP3902900004', 'Mitsubishi UFJ Financial Group', '2000.0', '2400.0', 1],
  ]),
  ...bonds('FI-RATES', 'USD', FED, 100, 250, [
    ['US91282CJZ59', 'US Treasury note', '960.000', '1010.000', 3],
    ['US91282CKQ32', 'US Treasury note', '970.000', '1015.000', 3],
    ['US912810TV08', 'US Treasury bond', '850.000', '980.000', 3],
  ]),
  ...bonds('FI-RATES', 'EUR', CLEARSTREAM, 100, 250, [
    ['DE0001102580', 'Bundesanleihe', '880.000', '940.000', 3],
    ['DE0001102614', 'Bundesanleihe', '890.000', '960.000', 3],
  ]),
  ...bonds('FI-CREDIT', 'USD', DTC, 10, 500, [
    ['US037833DV96', 'Apple Inc. senior note', '900.000', '1000.000', 3],
    ['US594918BY93', 'Microsoft Corp. senior note', '920.000', '1010.000', 3],
  ]),
  ...bonds('FI-CREDIT', 'EUR', EUROCLEAR, 10, 500, [
    ['XS2010039035', 'Eurobond, corporate', '940.000', '1005.000', 3],
    ['FR0013508470', 'French corporate bond', '930.000', '1000.000', 3],
  ]),
];

export interface DeskRef {
  readonly id: DeskId;
  /** Share of the day's trades, in percent. */
  readonly weight: number;
  readonly accounts: readonly string[];
  /** Counterparty firms (BICs) this desk trades with. */
  readonly counterparties: readonly string[];
  /** Commission in basis points of the principal, one picked per trade (decimal strings). */
  readonly feeBps: readonly string[];
}

export const DESKS: readonly DeskRef[] = [
  {
    id: 'EQ-US',
    weight: 35,
    accounts: ['EQUS-GROWTH-01', 'EQUS-VALUE-02', 'EQUS-INDEX-03', 'EQUS-PB-04'],
    counterparties: ['GSCMUS33', 'MSNYUS33', 'CITIUS33', 'JPMSGB2L', 'BARCGB22'],
    feeBps: ['0', '0.5', '1', '1.5', '2'],
  },
  {
    id: 'EQ-EU',
    weight: 25,
    accounts: ['EQEU-CORE-01', 'EQEU-INCOME-02', 'EQEU-PB-03'],
    counterparties: ['BARCGB22', 'HSBCGB2L', 'DEUTDEFF', 'BNPAFRPP', 'UBSWCHZH80A', 'JPMSGB2L', 'GSCMUS33'],
    feeBps: ['0', '1', '2', '3'],
  },
  {
    id: 'EQ-APAC',
    weight: 15,
    accounts: ['EQAP-JAPAN-01', 'EQAP-ASIA-02'],
    counterparties: ['NOMIJPJT', 'MSNYUS33', 'GSCMUS33', 'HSBCGB2L', 'UBSWCHZH80A'],
    feeBps: ['0', '1', '2'],
  },
  {
    id: 'FI-RATES',
    weight: 15,
    accounts: ['FIRT-GOVT-01', 'FIRT-LIQ-02'],
    counterparties: ['CITIUS33', 'JPMSGB2L', 'BARCGB22', 'DEUTDEFF', 'BNPAFRPP', 'GSCMUS33'],
    feeBps: ['0'],
  },
  {
    id: 'FI-CREDIT',
    weight: 10,
    accounts: ['FICR-IG-01', 'FICR-HY-02'],
    counterparties: ['GSCMUS33', 'MSNYUS33', 'BARCGB22', 'BNPAFRPP', 'HSBCGB2L', 'CITIUS33'],
    feeBps: ['0'],
  },
];

/** Every counterparty firm any desk trades with. */
export const COUNTERPARTY_BICS: readonly string[] = [...new Set(DESKS.flatMap((d) => d.counterparties))];

/** A branch of the same firm, for BIC-branch discrepancies (`DEUTDEFF` → `DEUTDEFF500`). */
export function otherBranch(bic: string): string {
  if (bic.length === 11) return bic.slice(0, 8);
  const byCountry: Record<string, string> = {
    US: 'NYC',
    GB: 'LDN',
    DE: '500',
    FR: 'PAR',
    CH: 'ZRH',
    JP: 'TYO',
  };
  return `${bic}${byCountry[bic.slice(4, 6)] ?? '001'}`;
}

/** Where a wrongly instructed trade would claim to settle instead. */
export const WRONG_PLACE: Readonly<Record<string, string>> = {
  [DTC]: EUROCLEAR,
  [FED]: DTC,
  [CREST]: EUROCLEAR,
  [EUROCLEAR]: CLEARSTREAM,
  [CLEARSTREAM]: EUROCLEAR,
  [SIX_SIS]: EUROCLEAR,
  [JASDEC]: EUROCLEAR,
};

/**
 * Settlement cycle in business days on a trade date, from the default cycle table: US T+1 since
 * 28 May 2024; EU, UK and CH T+2, T+1 from 11 Oct 2027; other markets T+2.
 */
export function settlementCycle(market: string, tradeDate: string): number {
  return standardCycle(DEFAULT_SETTLEMENT_CYCLES, market, 'EQUITY', tradeDate);
}

export { minorUnits } from '../settlement/index.ts';

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF', 'JPY'] as const;
