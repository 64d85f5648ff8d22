export * from "./errors";
export * from "./random";
export * from "./paths";
export * from "./config";
export * from "./lesson";
export * from "./text/vocab";
export * from "./show/heatmap";
