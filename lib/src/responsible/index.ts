export * from "../lm/pretrained-gpt";
export * from "./watermark";
export * from "./generate-batch";
export * from "./roc";
export * from "./extraction";
export * from "./bias";
export * from "./energy";
export * from "./watermark-eval";
