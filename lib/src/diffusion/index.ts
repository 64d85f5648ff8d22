export * from "./schedule";
export * from "./unet";
export * from "./train";
export * from "./sample";
export * from "./prompt";
export * from "./presets";
export * from "./pretrained";
export * from "./model";
