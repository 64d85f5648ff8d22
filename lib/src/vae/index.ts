export * from "./model";
export * from "./loss";
export * from "./latent";
export * from "./presets";
export * from "./train";
export * from "./eval";
export * from "./pretrained";
