import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startChildServer } from "./child-target.ts";

describe("servers in a child process", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "parity-child-"));
    await writeFile(
      join(dir, "fails.mjs"),
      'process.stderr.write("cannot load reference-server/server.ts\\n"); process.exit(1);',
    );
    await writeFile(
      join(dir, "serves.mjs"),
      'process.stdout.write(JSON.stringify({ endpoint: "http://127.0.0.1:1", accessKeyId: "a", secretAccessKey: "s" }) + "\\n");' +
        'setInterval(() => {}, 1000); process.once("SIGTERM", () => process.exit(0));' +
        'if (process.argv[2] === "crash") setTimeout(() => { console.error("boom"); process.exit(3); }, 10);',
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test("a child that cannot start rejects with its own explanation", async () => {
    await expect(startChildServer(join(dir, "fails.mjs"), [], "reference server")).rejects.toThrow(
      "reference server process exited (code 1): cannot load reference-server/server.ts",
    );
  });

  test("a child that listens hands over its endpoint, and closes on request without a death", async () => {
    const server = await startChildServer(join(dir, "serves.mjs"), [], "peer");
    expect(server).toMatchObject({ endpoint: "http://127.0.0.1:1", accessKeyId: "a", secretAccessKey: "s" });
    await server.close();
    expect(server.death()).toBeUndefined();
  });

  test("a child that dies during the run reports why", async () => {
    const server = await startChildServer(join(dir, "serves.mjs"), ["crash"], "peer");
    await expect.poll(() => server.death()).toBe("peer process exited (code 3): boom");
    await server.close();
  });
});
