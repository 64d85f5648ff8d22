/** What a lesson's quality measurement returns: metric name → number. */
export type Metrics = Record<string, number>;
/** What `npm run quality` passes to each lesson's measure(). */
export interface QualityContext {
  /** The folder of the JSON report: lessons write artefacts (sample grids as PNG) here. */
  outDir: string;
  /** Whether `--save-checkpoints` was given: lessons with a pretrained checkpoint rewrite it from this run. */
  saveCheckpoints: boolean;
}
