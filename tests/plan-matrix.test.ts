/**
 * No URN and no resource input changes by accident: the plans of the example stacks at
 * every stage and engine equal, byte for byte, the JSON kept in tests/golden/plans/.
 * A deliberate change regenerates them: UPDATE_GOLDEN=1 npx jest tests/plan-matrix.test.ts
 */
import * as fs from "fs";
import * as path from "path";
import { GOLDEN_DIR, MATRIX, matrixPlanText } from "./support/plan-matrix";

describe("plan matrix (dev, prod) x stages x engines", () => {
  // The SLS Scheduled SQL starts at the hour the program runs (its fromTime; ignoreChanges keeps a
  // later `up` from touching it): a fixed clock keeps the recorded plans comparable over time.
  beforeAll(() => jest.spyOn(Date, "now").mockReturnValue(Date.UTC(2026, 10, 30, 10, 0, 0)));
  afterAll(() => jest.restoreAllMocks());

  it.each(MATRIX.map((c) => [c.file, c] as const))("%s is byte-identical to the golden plan", async (_f, c) => {
    const text = await matrixPlanText(c);
    const file = path.join(GOLDEN_DIR, c.file);
    if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(file, text);
    expect(text).toBe(fs.readFileSync(file, "utf8"));
  });
});
