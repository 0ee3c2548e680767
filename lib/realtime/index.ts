/** The realtime layer's pure modules. */
export * from "./classes";
export * from "./dts-job";
export * from "./rules";
export * from "./config-schema";
export * from "./sql";
export * from "./files";
