import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Keyring } from "../../crypto/master-key.ts";
import { StorageEngine } from "../engine.ts";
import { contentFor, parseContent } from "./crash-content.ts";
import { collect, TEST_BLOCK_SIZE, tempDir } from "./helpers.ts";

interface Log {
  started: Map<string, Set<number>>;
  acked: Map<string, number[]>;
}

/**
 * Run the child and SIGKILL it as soon as it has started `killAtStart` writes: the kill point is
 * chosen by count, not by time, so how far the child gets does not depend on the machine speed.
 */
async function runAndKill(
  dataDir: string,
  key: Buffer,
  keyId: string,
  killAtStart: number,
  seqBase: number,
  log: Log,
): Promise<void> {
  const child = spawn(
    process.execPath,
    [path.join(import.meta.dirname, "crash-child.ts"), dataDir, key.toString("base64"), keyId],
    {
      env: { ...process.env, SEQ_BASE: String(seqBase) },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let buf = "";
  let starts = 0;
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let i = buf.indexOf("\n");
      while (i >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const [what, k, s] = line.split(" ");
        if (what === "START") {
          if (++starts === killAtStart) child.kill("SIGKILL");
          const set = log.started.get(k) ?? new Set();
          set.add(Number(s));
          log.started.set(k, set);
        }
        if (what === "ACK") log.acked.set(k, [...(log.acked.get(k) ?? []), Number(s)]);
        i = buf.indexOf("\n");
      }
    });
    child.on("exit", () => resolve());
    child.on("error", reject);
  });
  await exited;
}

describe("crash safety", () => {
  test("SIGKILL at random points during concurrent PUTs and overwrites: every key at an acknowledged old or an in-flight new version, never torn", async () => {
    const key = randomBytes(32);
    const keyId = "crashkey";
    const keyring = new Keyring(new Map([[keyId, key]]), keyId);
    let round = 0;
    let totalAcked = 0;
    let totalInFlight = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 30, max: 700 }), { minLength: 2, maxLength: 3 }),
        async (kills) => {
          const dataDir = await tempDir("parity-crash-");
          const log: Log = { started: new Map(), acked: new Map() };
          for (const [i, ms] of kills.entries()) {
            await runAndKill(dataDir, key, keyId, ms, (round * 10 + i) * 1_000_000, log);
          }
          round++;
          const acked = [...log.acked.values()].reduce((n, a) => n + a.length, 0);
          totalAcked += acked;
          totalInFlight += [...log.started.values()].reduce((n, s) => n + s.size, 0) - acked;
          const engine = await StorageEngine.open({
            dataDir,
            keyring,
            blockSize: TEST_BLOCK_SIZE,
            inlineThreshold: 16 * 1024,
          });
          try {
            for (const [k, started] of log.started) {
              const acked = log.acked.get(k) ?? [];
              const lastAcked = acked.at(-1);
              const ackedSet = new Set(acked);
              const allowed = new Set([...started].filter((s) => !ackedSet.has(s)));
              if (lastAcked !== undefined) allowed.add(lastAcked);
              let got: Buffer | null = null;
              try {
                got = await collect((await engine.getObject({ bucket: "crash", key: k })).body);
              } catch (e) {
                expect((e as { code?: string }).code).toBe("NoSuchKey");
              }
              if (got === null) {
                // Missing is only allowed when nothing for this key was ever acknowledged.
                expect(lastAcked, `key ${k} lost its acknowledged write`).toBeUndefined();
                continue;
              }
              const id = parseContent(got);
              expect(id?.key).toBe(k);
              expect(allowed.has(id!.seq), `key ${k} at seq ${id!.seq}, allowed ${[...allowed]}`).toBe(true);
              expect(got.equals(contentFor(k, id!.seq)), "torn object").toBe(true);
            }
            // Recovery left no pending intents and the listing agrees with reads.
            expect(engine.ctx.index.intents().filter((i) => i.kind !== "delete")).toEqual([]);
          } finally {
            await engine.close();
          }
        },
      ),
      { numRuns: 4 },
    );
    // Not vacuous: writes were acknowledged (at most 4 of each run's writes are in flight at a kill),
    // and the kills caught writes in flight.
    expect(totalAcked).toBeGreaterThan(0);
    expect(totalInFlight).toBeGreaterThan(0);
    // 57-77 s alone here, 115-230 s beside the rest of the suite or other copies of itself (one full run
    // passed 240 s): the children's PUTs and recoveries are CPU-bound on 2 cores.
  }, 480_000);
});
