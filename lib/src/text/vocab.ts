/**
 * Character vocabularies. Id 0 is a boundary token (default ".") that marks both the start and
 * the end of a word, as in makemore; the other characters follow in sorted order.
 */
import { CourseError } from "../errors";

export class CharVocab {
  /** id → character; `itos[0]` is the boundary token. */
  readonly itos: readonly string[];
  private readonly stoi: ReadonlyMap<string, number>;

  private constructor(chars: string[], readonly boundary: string) {
    this.itos = [boundary, ...chars];
    this.stoi = new Map(this.itos.map((c, i) => [c, i]));
  }

  /** The vocabulary of every character in `words`, plus the boundary token at id 0. */
  static fromWords(words: readonly string[], boundary = "."): CharVocab {
    const chars = new Set<string>();
    for (const w of words) for (const c of w) chars.add(c);
    if (chars.has(boundary)) {
      throw new CourseError(
        `The boundary token "${boundary}" also occurs inside the words; pick another boundary.`,
      );
    }
    return new CharVocab([...chars].sort(), boundary);
  }

  /** Number of ids, boundary included (V). */
  get size(): number {
    return this.itos.length;
  }

  /** The id of one character; throws a readable error for an unknown one. */
  id(c: string): number {
    const i = this.stoi.get(c);
    if (i === undefined) {
      throw new CourseError(
        `Character ${JSON.stringify(c)} is not in the vocabulary (${this.size} symbols: ` +
          `${this.itos.join("")}).`,
      );
    }
    return i;
  }

  /** Ids of a word, without boundaries. */
  encode(word: string): number[] {
    return [...word].map((c) => this.id(c));
  }

  /** The word for ids; boundary ids are dropped. */
  decode(ids: readonly number[]): string {
    return ids
      .filter((i) => i !== 0)
      .map((i) => this.itos[i] ?? "?")
      .join("");
  }
}
