export * from "./schedule";
export * from "./fit";
export * from "./progress";
export * from "./settings";
