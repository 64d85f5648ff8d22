/**
 * Test texts for tokenizers, built deterministically (nothing large is committed): passages of
 * Moby Dick plus crafted lines with the cases byte-level BPE must get right — accents and other
 * scripts, emoji (skin tones, ZWJ families, flags, keycaps), digits, contractions, code, and
 * runs of spaces, tabs and newlines.
 */
import { loadMobyDick } from "../data/mobyDick";
import { Rng } from "../random";

/** Hand-written lines; together with the passages they exercise every branch of the GPT-2 pattern. */
const CRAFTED: readonly string[] = [
  "Numbers: 0 7 42 365 1851 2024 12345 1234567 3.14159 1,000,000 -17 +3 1e10 0x1F 007 99% $1,999.99",
  "31415926535897932384626433832795028841971693993751 and 2718281828459045",
  "Dates and times: 1851-10-18, 18/10/1851, 12:30:45, 7am, 11pm, 1st 2nd 3rd 4th, ½ ¾ ² ³ Ⅻ",
  "Spaces:  two   three    four     five      six       seven        eight",
  "\ttab\tseparated\t\tcolumns\t \t and mixed \t whitespace",
  "trailing spaces   ",
  "   leading spaces, then a blank line with spaces",
  "    ",
  "",
  "\r\nWindows line ends\r\n and a no-break\u00a0space, a thin\u2009space, an ideographic\u3000space",
  "          ten spaces before, ten after          ",
  "Contractions: I'm you're he's we've they'll I'd can't won't it's IT'S O'Brien's 'quoted' rock 'n' roll",
  "Curly quotes: don\u2019t \u201cCall me Ishmael,\u201d he said \u2014 \u2018twice\u2019\u2026",
  "Accents: naïve café résumé façade coöperate Ångström Œuvre São Paulo Zürich Łódź Dvořák",
  "Combining: e\u0301 versus \u00e9, n\u0303 versus \u00f1; ligature \ufb01sh; full width ＡＢＣ１２３",
  "Ελληνικά: κῆτος, φάλαινα. Русский: кит, Моби Дик. Українська: ґава їжак.",
  "日本語: 鯨は大きい。中文：鲸鱼很大。한국어: 고래는 크다.",
  "العربية: حوت كبير. עברית: לווייתן. हिन्दी: व्हेल मछली. ไทย: ปลาวาฬ. ქართული: ვეშაპი",
  "Math: ∑ ∫ ≤ ≥ √2 π ≈ 3.14 ∞ ∂x/∂t ∀x∃y 𝔸𝔹ℂ 𝒙² ⊕ ⊗",
  "Emoji: 🐳🐋 🐟 ⚓️ 🌊🌊🌊 👍🏽 👩‍👩‍👧‍👦 🏳️‍🌈 🇬🇧🇺🇸🇯🇵 1️⃣ #️⃣ ❤️ ✨ 🤖 🧜‍♀️",
  "whale🐳whale 🐳 whale 🐳🐳 2🐳 🐳2 a🐳b",
  "Code: function f(x) { return x ** 2; } // square",
  "if (a != b && c >= d) { arr[i] = obj.key ?? null; } else { i++; }",
  "https://example.com/moby-dick?chapter=42&q=white+whale#top user@example.com C:\\Users\\ishmael\\",
  "<p class=\"ship\">Pequod</p> <br/> &amp; &lt;tag&gt; {\"json\": [1, 2.5, true, null]}",
  "Punctuation: !!! ??? ... --- *** ___ === ~~~ ''' \"\"\" ((())) [[[]]] {{{}}} ;;; ::",
  "Repeats: aaaaaaaaaaaaaaaaaaaaaaaaaaaa hahahahahahaha zzzzzz !!!!!!!!!!!!!!!!!!!! ----------",
  "Case: WHALE Whale whale wHaLe MOBY-DICK Moby-Dick moby-dick",
  "Mixed: abc123def 123abc abc-123 ABC_def_456 x1y2z3 3D 4K 1080p",
  "End of the crafted part, with trailing spaces and newlines  \n\n",
];

/** Pieces the random part draws from: words, digits, whitespace runs, symbols, emoji, scripts. */
const PIECES: readonly string[] = [
  " the", " whale", " Ahab", " sea", "ship", "'s", "'ll", " 42", "1851", "007", " 3.5",
  " ", "  ", "   ", "\n", "\n\n", "\t", " \n", ".", ",", "—", "!?", "…", "(", ")", "\"",
  "🐳", "👍🏽", "👩‍👧", "🇫🇷", "é", "ñ", "ß", "κῆτος", "кит", "鯨", "고래", "حوت", "ॐ", "𝔸",
];

/** Seeded text of `n` pieces drawn from a mixed pool (for property checks such as round trips). */
export function randomTokenizerText(rng: Rng, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += PIECES[rng.int(PIECES.length)];
  return s;
}

/**
 * The tokenizer test text: five Moby Dick passages (the contents with chapter numbers, the
 * etymology in Greek and Hebrew, the indented extracts and the opening, the middle of the book,
 * its end), the crafted lines, and a seeded random part. About 14,500 characters.
 */
export function tokenizerTestText(): string {
  const book = loadMobyDick().text;
  const opening = book.indexOf("Call me Ishmael");
  const etymology = book.indexOf("ETYMOLOGY.", 2000);
  const middle = Math.floor(book.length / 2);
  const passages = [
    book.slice(0, 1200),
    book.slice(etymology, etymology + 1500),
    book.slice(opening - 2500, opening + 2000),
    book.slice(middle, middle + 2000),
    book.slice(book.length - 1200),
  ];
  return [...passages, CRAFTED.join("\n"), randomTokenizerText(new Rng(4), 300)].join("\n");
}
