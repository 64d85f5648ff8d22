export * from "./model";
export * from "./loss";
export * from "./sample";
export * from "./train";
export * from "./batches";
export * from "./bigram";
