export * from "./config";
export * from "./losses";
export * from "./models";
export * from "./gan";
export * from "./train";
export * from "./pretrained";
