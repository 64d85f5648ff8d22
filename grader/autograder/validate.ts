/**
 * The fields Gradescope documents for results.json
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/, "Output format"): the problems
 * of a results object, empty when it has only documented fields of the documented types.
 */
const VISIBILITY = ["hidden", "after_due_date", "after_published", "visible"];
const FORMATS = ["text", "html", "simple_format", "md", "ansi"];

type Check = (v: unknown) => boolean;
const num: Check = (v) => typeof v === "number" && Number.isFinite(v);
const str: Check = (v) => typeof v === "string";
const obj: Check = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const oneOf = (values: string[]): Check => (v) => typeof v === "string" && values.includes(v);

const TOP: Record<string, Check> = {
  score: num, execution_time: num, output: str, output_format: oneOf(FORMATS), test_output_format: oneOf(FORMATS),
  test_name_format: oneOf(FORMATS), visibility: oneOf(VISIBILITY), stdout_visibility: oneOf(VISIBILITY), extra_data: obj,
  tests: Array.isArray, leaderboard: Array.isArray,
};

const TEST: Record<string, Check> = {
  score: num, max_score: num, status: oneOf(["passed", "failed"]), name: str, name_format: oneOf(FORMATS), number: str,
  output: str, output_format: oneOf(FORMATS), tags: Array.isArray, visibility: oneOf(VISIBILITY), extra_data: obj,
  execution_time: num,
};

function fields(what: string, value: Record<string, unknown>, spec: Record<string, Check>): string[] {
  const problems: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const check = spec[key];
    if (!check) problems.push(`${what}: "${key}" is not a documented field`);
    else if (!check(v)) problems.push(`${what}: "${key}" has the wrong type or value (${JSON.stringify(v)})`);
  }
  return problems;
}

export function gradescopeProblems(results: Record<string, unknown>): string[] {
  const problems = fields("results", results, TOP);
  const tests = Array.isArray(results.tests) ? (results.tests as unknown[]) : [];
  if (results.score === undefined && tests.some((t) => obj(t) && (t as { score?: unknown }).score === undefined)) {
    problems.push("results: no score, and not every test has one");
  }
  tests.forEach((t, i) => {
    if (!obj(t)) problems.push(`tests[${i}] is not an object`);
    else problems.push(...fields(`tests[${i}]`, t as Record<string, unknown>, TEST));
  });
  return problems;
}
