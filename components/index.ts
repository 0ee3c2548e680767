export * from "./platform";
export * from "./maxcompute/warehouse";
export * from "./dataworks/workspace";
export * from "./dataworks/batch-sync";
