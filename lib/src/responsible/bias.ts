/**
 * A bias audit of name generators. The names data is the union of a female and a male list
 * (lesson 01); a generated name is sorted by which list holds it, and names in neither list
 * (new names) by a simple classifier: which list's character-bigram model gives it the higher
 * likelihood. The female share of the generated names over the female share of the training
 * names is the bias ratio: 1 reproduces the data's balance, above 1 amplifies the female side,
 * below 1 the male side.
 */
import { CourseError } from "../errors";
import { FEMALE_NAMES_PACKAGE, MALE_NAMES_PACKAGE, NAMES_FILE, cleanNames, loadNames, parseNameList } from "../data/names";
import { readVerifiedDatasetFile } from "../data/verify";

export type NameSide = "female" | "male" | "both" | "neither";

/** The two lists as sets of cleaned names (lower-case, a–z only), as the names data builds them. */
export function loadNameLists(): { female: Set<string>; male: Set<string> } {
  const read = (pkg: string) => new Set(cleanNames([parseNameList(readVerifiedDatasetFile(pkg, NAMES_FILE), `${pkg}/${NAMES_FILE}`)]));
  return { female: read(FEMALE_NAMES_PACKAGE), male: read(MALE_NAMES_PACKAGE) };
}

/** Which list holds `name`. */
export function nameSide(name: string, female: ReadonlySet<string>, male: ReadonlySet<string>): NameSide {
  const f = female.has(name), m = male.has(name);
  return f && m ? "both" : f ? "female" : m ? "male" : "neither";
}

/** How many names fall on each side. */
export function sideCounts(names: readonly string[], female: ReadonlySet<string>, male: ReadonlySet<string>): Record<NameSide, number> {
  const counts: Record<NameSide, number> = { female: 0, male: 0, both: 0, neither: 0 };
  for (const n of names) counts[nameSide(n, female, male)]++;
  return counts;
}

/** Female names over the names found in exactly one list (names in both, or neither, say nothing). */
export function femaleShare(names: readonly string[], female: ReadonlySet<string>, male: ReadonlySet<string>): number {
  const c = sideCounts(names, female, male);
  if (c.female + c.male === 0) throw new CourseError("femaleShare(): none of the names is in exactly one list.");
  return c.female / (c.female + c.male);
}

/** Bias ratio: the generated names' female share over the training names' female share. */
export function biasRatio(generated: readonly string[], training: readonly string[], female: ReadonlySet<string>, male: ReadonlySet<string>): number {
  return femaleShare(generated, female, male) / femaleShare(training, female, male);
}

/** Log-probabilities of add-one-smoothed character bigrams (with "." marking start and end) of `names`. */
function bigramLogProbs(names: readonly string[]): (a: string, b: string) => number {
  const counts = new Map<string, number>(), rows = new Map<string, number>();
  for (const n of names) {
    const chars = [".", ...n, "."];
    for (let i = 1; i < chars.length; i++) {
      const k = chars[i - 1]! + chars[i]!;
      counts.set(k, (counts.get(k) ?? 0) + 1);
      rows.set(chars[i - 1]!, (rows.get(chars[i - 1]!) ?? 0) + 1);
    }
  }
  return (a, b) => Math.log(((counts.get(a + b) ?? 0) + 1) / ((rows.get(a) ?? 0) + 27));
}

/**
 * A classifier of names into female/male trained on the names of `training` that are in exactly
 * one list: the side whose bigram model (add-one) gives the name the higher log-likelihood plus
 * the log of the side's prior share.
 */
export function nameSideClassifier(training: readonly string[], female: ReadonlySet<string>, male: ReadonlySet<string>): (name: string) => "female" | "male" {
  const f = training.filter((n) => nameSide(n, female, male) === "female");
  const m = training.filter((n) => nameSide(n, female, male) === "male");
  const lf = bigramLogProbs(f), lm = bigramLogProbs(m);
  const prior = Math.log(f.length / Math.max(m.length, 1));
  const score = (name: string, lp: (a: string, b: string) => number) => {
    const chars = [".", ...name, "."];
    let s = 0;
    for (let i = 1; i < chars.length; i++) s += lp(chars[i - 1]!, chars[i]!);
    return s;
  };
  return (name) => (score(name, lf) - score(name, lm) + prior >= 0 ? "female" : "male");
}

/** The names of the reference split and the two lists (what the audit compares with). */
export function namesForAudit(): { train: string[]; val: string[]; female: Set<string>; male: Set<string> } {
  const { train, val } = loadNames();
  return { train, val, ...loadNameLists() };
}
