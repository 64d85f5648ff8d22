export * from "./params";
export * from "./layers";
export * from "./checkpoint";
export * from "./mnist-batches";
export * from "./adam";
export * from "./norm";
export * from "./generator";
