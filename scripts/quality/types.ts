/** What a lesson's quality measurement returns: metric name → number. */
export type Metrics = Record<string, number>;
