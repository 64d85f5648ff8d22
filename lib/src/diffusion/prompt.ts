/**
 * Text prompts → digit classes. A tiny, honest "text encoder": it reads a digit written as a
 * numeral ("7", "a handwritten 3") or as an English word ("seven", "draw a nine"), and refuses,
 * with a message, anything that names no digit or names two different ones.
 */
import { CourseError } from "../errors";

/** English names of the digits 0–9. */
export const DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"] as const;

const ALIASES: Record<string, number> = { oh: 0, nought: 0, naught: 0, nil: 0 };

/** The digit a prompt asks for, e.g. "draw a 7" → 7, "Seven!" → 7, "a handwritten three" → 3. */
export function promptToClass(prompt: string): number {
  const words = prompt.toLowerCase().match(/[a-z]+|[0-9]+/g) ?? [];
  const found = new Set<number>();
  for (const word of words) {
    if (/^[0-9]+$/.test(word)) {
      if (word.length > 1) {
        throw new CourseError(`The prompt "${prompt}" asks for ${word}; the model draws single digits 0–9, e.g. "a handwritten 3".`);
      }
      found.add(Number(word));
    } else {
      const index = (DIGIT_WORDS as readonly string[]).indexOf(word);
      if (index >= 0) found.add(index);
      else if (word in ALIASES) found.add(ALIASES[word]!);
    }
  }
  if (found.size === 0) {
    throw new CourseError(
      `The prompt "${prompt}" names no digit. Write one digit as a numeral or a word, e.g. "seven", "a handwritten 3" or "draw a 7".`,
    );
  }
  if (found.size > 1) {
    throw new CourseError(`The prompt "${prompt}" names several digits (${[...found].join(", ")}); ask for one at a time.`);
  }
  return [...found][0]!;
}

/** `count` digit labels that cycle through 0–9, so every digit gets the same share (for FID). */
export function balancedDigits(count: number, classes = 10): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => i % classes);
}
