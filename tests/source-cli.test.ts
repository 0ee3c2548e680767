/** The source tools read a stack as it would be at the stage asked for (what promote is about to write). */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { resolveSource } from "../cli/source-options";
import { CommandIo } from "../cli/command";

const io: CommandIo = { stdout: () => undefined, stderr: () => undefined, readStdin: async () => "", env: {} };
const root = path.join(__dirname, "..");

describe("resolveSource --stack", () => {
  it("with --stage mature, an initial stack's realtime tables are checked (the DTS checks apply)", async () => {
    const now = await resolveSource({ stack: "prod" }, io, root);
    expect([now.stage, now.realtimeTables]).toEqual(["initial", []]);
    const promoted = await resolveSource({ stack: "prod", stage: "mature" }, io, root);
    expect(promoted.stage).toBe("mature");
    expect(promoted.realtimeTables).toEqual(["users", "photo_records", "page_views"]);
  });

  it("reads --config-file instead of Pulumi.<stack>.yaml", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-src-"));
    const f = path.join(dir, "stack.yaml");
    fs.writeFileSync(
      f,
      fs.readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8").replace("host: rm-uf6wjk5xxxxxxxxxx.mysql.rds.aliyuncs.com", "host: 127.0.0.9"),
    );
    try {
      expect((await resolveSource({ stack: "prod", configFile: f }, io, root)).endpoint.host).toBe("127.0.0.9");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
