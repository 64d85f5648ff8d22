/**
 * Messages safe to show a student. A failure message can carry whatever the graded code threw or
 * returned, and graded code could throw the text of any file it managed to read. Before a report
 * is written, every run of at least SPAN characters (whitespace collapsed) that also occurs in a
 * secret file (the references, the instructor's hidden tests and their probes) is replaced by a
 * marker, and each message is cut to MAX_CHARS. Public files (the lesson tests, probes, harness,
 * library) are not secret: a student release ships them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Shortest run of characters that counts as copied from a secret file. */
export const SPAN = 32;
/** Longest message kept in a report. */
export const MAX_CHARS = 2000;
export const REMOVED = "[…removed: text from a file the graded code may not see…]";

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: "utf8" })
    .map((f) => join(path, f))
    .filter((f) => statSync(f).isFile() && statSync(f).size < 2_000_000);
}

/** Text with whitespace runs collapsed to one space, and where each kept character came from. */
function collapse(text: string): { text: string; from: number[] } {
  let out = "";
  const from: number[] = [];
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      if (space) continue;
      space = true;
      out += " ";
    } else {
      space = false;
      out += ch;
    }
    from.push(i);
  }
  return { text: out, from };
}

export class Redactor {
  private readonly spans = new Set<string>();

  /** `secrets`: files and folders whose text must not reach a report. */
  constructor(secrets: string[]) {
    for (const file of secrets.flatMap(files)) {
      const { text } = collapse(readFileSync(file, "utf8"));
      for (let i = 0; i + SPAN <= text.length; i++) this.spans.add(text.slice(i, i + SPAN));
    }
  }

  /** The message with secret text replaced and its length capped. */
  clean(message: string): string {
    let out = message;
    if (this.spans.size > 0 && message.length >= SPAN) {
      const { text, from } = collapse(message);
      const hit = new Uint8Array(message.length);
      for (let i = 0; i + SPAN <= text.length; i++) {
        if (!this.spans.has(text.slice(i, i + SPAN))) continue;
        const start = from[i] as number;
        const end = from[i + SPAN - 1] as number;
        hit.fill(1, start, end + 1);
      }
      out = "";
      for (let i = 0; i < message.length; i++) {
        if (!hit[i]) out += message[i];
        else if (i === 0 || !hit[i - 1]) out += REMOVED;
      }
    }
    return out.length > MAX_CHARS ? `${out.slice(0, MAX_CHARS)}\n[…message cut at ${MAX_CHARS} characters]` : out;
  }
}
