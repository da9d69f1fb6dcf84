import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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

  test("a child stops by itself when the harness is killed without closing it", async () => {
    const lib = JSON.stringify(fileURLToPath(new URL("./child-target.ts", import.meta.url)));
    await writeFile(
      join(dir, "stops.ts"),
      `import { stopWithParent } from ${lib};\n` +
        'process.stdout.write(JSON.stringify({ endpoint: "http://127.0.0.1:1", accessKeyId: "a", secretAccessKey: "s", pid: process.pid }) + "\\n");\n' +
        "setInterval(() => {}, 1000);\nstopWithParent(async () => {});\n",
    );
    await writeFile(
      join(dir, "harness.ts"),
      `import { startChildServer } from ${lib};\n` +
        `const s = await startChildServer(${JSON.stringify(join(dir, "stops.ts"))}, [], "peer");\n` +
        'process.stdout.write(JSON.stringify(s) + "\\n");\nsetInterval(() => {}, 1000);\n',
    );
    const harness = spawn(process.execPath, [join(dir, "harness.ts")], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const line = await new Promise<string>((resolve) => {
      let out = "";
      harness.stdout.on("data", (c: Buffer) => {
        out += c.toString("utf8");
        if (out.includes("\n")) resolve(out.split("\n", 1)[0]);
      });
    });
    const { pid } = JSON.parse(line) as { pid: number };
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive()).toBe(true);
    harness.kill("SIGKILL");
    await expect.poll(alive, { timeout: 15_000 }).toBe(false);
  });
});
