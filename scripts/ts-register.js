// Registers ts-node with the SWC transpiler (what `ts-node --swc` does in the npm scripts),
// for processes started with `node -r` (the bench's fresh plan processes).
require("ts-node").register({ transpileOnly: true, swc: true });
