/**
 * Dense ids (0, 1, 2 … in first-seen order) for the strings of a batch's level-1 keys (ISINs).
 *
 * Why not a `Map<string, number>`: at a million trades a side the batch holds tens of thousands of
 * ISINs, and a Map of them (its hash table, its entries and the key strings it compares against, all
 * in different places) outgrows the L2 cache, so every look-up misses it two or three times. Here a
 * string of exactly 12 Latin-1 characters (every ISIN) is packed into three 32-bit words and kept, with
 * its id, in one open-addressing table of 16 bytes an entry, at most half full: one look-up reads the
 * string's own characters and, nearly always, one cache line of the table, which stays within L2 up to
 * ~60,000 ISINs. Any other string (the matcher takes unvalidated records too) goes through a Map.
 */
export class DenseIds {
  /** Per entry: the three packed words, then id + 1 (0: empty). The entry count is a power of two. */
  #table: Int32Array;
  #mask: number;
  #size = 0;
  readonly #other = new Map<string, number>();
  /** The packed words of the string last looked at (`#pack`). */
  #w0 = 0;
  #w1 = 0;
  #w2 = 0;

  constructor(expected = 1024) {
    let entries = 64;
    while (entries < expected * 2) entries *= 2;
    this.#table = new Int32Array(entries * ENTRY);
    this.#mask = entries - 1;
  }

  /** How many distinct strings have ids. */
  get size(): number {
    return this.#size;
  }

  /** The id of `s`, given the next one if it has none yet. */
  intern(s: string): number {
    if (!this.#pack(s)) {
      let id = this.#other.get(s);
      if (id === undefined) {
        id = this.#size++;
        this.#other.set(s, id);
      }
      return id;
    }
    const at = this.#slot();
    const table = this.#table;
    const entry = table[at + ID] as number;
    if (entry !== 0) return entry - 1;
    const id = this.#size++;
    table[at] = this.#w0;
    table[at + 1] = this.#w1;
    table[at + 2] = this.#w2;
    table[at + ID] = id + 1;
    if (this.#size * 2 > this.#mask + 1) this.#grow();
    return id;
  }

  /** The id of `s`, or −1 if it has none. */
  find(s: string): number {
    if (!this.#pack(s)) return this.#other.get(s) ?? -1;
    return (this.#table[this.#slot() + ID] as number) - 1;
  }

  /** Packs `s` into `#w0…#w2`; false when it is not 12 characters of codes 1–255. */
  #pack(s: string): boolean {
    if (s.length !== 12) return false;
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let bad = 0;
    for (let k = 0; k < 4; k++) {
      const a = s.charCodeAt(k);
      const b = s.charCodeAt(k + 4);
      const c = s.charCodeAt(k + 8);
      bad |= (a - 1) | (b - 1) | (c - 1) | (255 - a) | (255 - b) | (255 - c);
      w0 |= a << (k * 8);
      w1 |= b << (k * 8);
      w2 |= c << (k * 8);
    }
    this.#w0 = w0;
    this.#w1 = w1;
    this.#w2 = w2;
    return bad >= 0;
  }

  /** The entry offset holding the packed words, or the empty one where they would go. */
  #slot(): number {
    const table = this.#table;
    const mask = this.#mask;
    const w0 = this.#w0;
    const w1 = this.#w1;
    const w2 = this.#w2;
    for (let e = hashWords(w0, w1, w2) & mask; ; e = (e + 1) & mask) {
      const at = e * ENTRY;
      if (table[at + ID] === 0 || (table[at] === w0 && table[at + 1] === w1 && table[at + 2] === w2))
        return at;
    }
  }

  #grow(): void {
    const old = this.#table;
    this.#table = new Int32Array(old.length * 2);
    this.#mask = (this.#mask + 1) * 2 - 1;
    for (let at = 0; at < old.length; at += ENTRY) {
      if (old[at + ID] === 0) continue;
      this.#w0 = old[at] as number;
      this.#w1 = old[at + 1] as number;
      this.#w2 = old[at + 2] as number;
      this.#table.set(old.subarray(at, at + ENTRY), this.#slot());
    }
  }
}

/** Int32s per table entry. */
const ENTRY = 4;
/** Where an entry keeps its id + 1. */
const ID = 3;

function hashWords(w0: number, w1: number, w2: number): number {
  let h = Math.imul(w0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ w1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ w2, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
