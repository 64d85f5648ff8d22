/**
 * A byte-level BPE tokenizer: ranked merges plus a vocabulary (symbol string → id), the two
 * files GPT-2 ships as vocab.bpe and encoder.json.
 */
import { CourseError } from "../errors";
import { BYTE_TO_UNICODE, type Merge, bpeWord, pairKey, pretokenize, symbolsToText, toSymbols } from "./bpe-core";

export class BpeTokenizer {
  /** merge rank → the pair it joins. */
  readonly merges: readonly Merge[];
  /** `pairKey(a, b)` → rank (lower merges first). */
  readonly ranks: ReadonlyMap<string, number>;
  /** symbol string → id (GPT-2's encoder.json). */
  readonly vocab: ReadonlyMap<string, number>;
  /** id → symbol string. */
  readonly tokens: readonly string[];
  private readonly cache = new Map<string, number[]>();

  constructor(merges: readonly Merge[], vocab: ReadonlyMap<string, number>) {
    this.merges = merges;
    this.ranks = new Map(merges.map(([a, b], r) => [pairKey(a, b), r]));
    this.vocab = vocab;
    const tokens: string[] = [];
    for (const [s, id] of vocab) {
      if (tokens[id] !== undefined) throw new CourseError(`Vocabulary ids must be unique; ${id} is used twice.`);
      tokens[id] = s;
    }
    this.tokens = tokens;
    for (const b of BYTE_TO_UNICODE) {
      if (!vocab.has(b)) throw new CourseError(`The vocabulary lacks the byte symbol ${JSON.stringify(b)}: every byte needs an id.`);
    }
    for (const [a, b] of merges) {
      if (!vocab.has(a + b)) throw new CourseError(`The merge "${a} ${b}" makes ${JSON.stringify(a + b)}, which has no id.`);
    }
  }

  /**
   * The tokenizer a merge list defines on its own: byte b has id b, and each merge that makes a
   * new string gets the next id (256, 257, …), in rank order.
   */
  static fromMerges(merges: readonly Merge[]): BpeTokenizer {
    const vocab = new Map<string, number>(BYTE_TO_UNICODE.map((s, b) => [s, b]));
    for (const [a, b] of merges) if (!vocab.has(a + b)) vocab.set(a + b, vocab.size);
    return new BpeTokenizer(merges, vocab);
  }

  /** Vocabulary size V (the largest id + 1). */
  get size(): number {
    return this.tokens.length;
  }

  /** Ids of one pre-token (cached: books repeat their words). */
  encodeChunk(chunk: string): number[] {
    let ids = this.cache.get(chunk);
    if (!ids) {
      ids = bpeWord(toSymbols(chunk), this.ranks).map((s) => this.vocab.get(s) as number);
      this.cache.set(chunk, ids);
    }
    return ids;
  }

  /** Text → ids: pre-tokenise, then BPE inside each pre-token. */
  encode(text: string): number[] {
    const ids: number[] = [];
    for (const chunk of pretokenize(text)) for (const id of this.encodeChunk(chunk)) ids.push(id);
    return ids;
  }

  /** Ids → text. Ids that end inside a UTF-8 character decode to U+FFFD there. */
  decode(ids: readonly number[]): string {
    return symbolsToText(ids.map((id) => this.token(id)).join(""));
  }

  /** The symbol string of one id, e.g. "Ġwhale". */
  token(id: number): string {
    const s = this.tokens[id];
    if (s === undefined) throw new CourseError(`Token id ${id} is not in the vocabulary (ids 0–${this.size - 1}).`);
    return s;
  }

  /** How each id reads as text, for display: [" the", " whale", "."]. */
  pieces(ids: readonly number[]): string[] {
    return ids.map((id) => symbolsToText(this.token(id)));
  }
}
