// Instructions a request costs the reference server: `npm run bench:instructions [-- get|put] [count]`.
// Throughput here moves ±30 % between identical runs, which hides most 5 % changes; instruction counts
// repeat within ~1.5 %. The server runs under valgrind (cachegrind, no cache simulation: only
// instructions are counted, every thread of the process, JIT code included) while this process sends it,
// over loopback at concurrency 8 with SigV4, WARM requests and then `count` more of 4 KiB objects. A run
// with the warm-up only is subtracted, which leaves the steady-state cost of `count` requests: start-up,
// JIT compilation and shutdown cancel out. Both runs go at once (one each core).
// Writes bench/results/instructions.json. Needs valgrind (`apt-get install valgrind`).

import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Pool } from "undici";
import { type RequestJob, request, sign } from "./server-client.ts";
import type { OpOutcome } from "./server-lib.ts";

const op = (process.argv[2] ?? "get") as "get" | "put";
// PUTs: fewer warm-up requests and more counted ones. The warm-up-only run is subtracted, so its own
// variation lands on each counted request divided by `count`, and a PUT's work varies more (group-commit
// sizes and record-log compactions depend on timing): 1,500 + 300 or 600 gave 3.7–4.6M a PUT over three
// runs of the same code, 300 + 1,000 gave 5.13–5.27M in five runs of six (5.72M in the sixth).
const defaults = op === "put" ? { count: 1000, warm: 300 } : { count: 2000, warm: 1500 };
const count = Number(process.argv[3] ?? defaults.count);
const WARM = Number(process.env.BENCH_WARM ?? defaults.warm);
const CONCURRENCY = 8;
const OBJECTS = 64;
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

if ((op !== "get" && op !== "put") || !(count > 0)) {
  console.error("usage: node bench/instructions.ts [get|put] [count > 0]");
  process.exit(2);
}
if (spawnSync("valgrind", ["--version"]).status !== 0) {
  console.error("bench:instructions needs valgrind: apt-get install valgrind");
  process.exit(2);
}

interface Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** One server under valgrind, driven through `ops` requests after the warm-up; its instruction count. */
async function countedRun(ops: number): Promise<number> {
  const log = path.join(os.tmpdir(), `parity-instructions-${process.pid}-${ops}.log`);
  const child = spawn(
    "valgrind",
    [
      "--tool=cachegrind",
      "--cache-sim=no",
      "--cachegrind-out-file=/dev/null",
      // V8 writes machine code into memory it then runs: valgrind must see it.
      "--smc-check=all-non-file",
      `--log-file=${log}`,
      process.execPath,
      path.join(import.meta.dirname, "instructions-server.ts"),
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  try {
    const server = await new Promise<Server>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString("utf8");
        if (out.includes("\n")) resolve(JSON.parse(out.split("\n", 1)[0]) as Server);
      });
      child.once("exit", (code) => reject(new Error(`server under valgrind exited (${code}); see ${log}`)));
    });
    await drive(server, ops);
  } finally {
    child.kill("SIGTERM");
  }
  if ((await exited) !== 0) throw new Error(`server under valgrind failed; see ${log}`);
  const text = await fs.readFile(log, "utf8");
  await fs.rm(log, { force: true });
  const refs = /I\s+refs:\s+([\d,]+)/.exec(text);
  if (!refs) throw new Error(`no instruction count in valgrind's log:\n${text.slice(-2000)}`);
  return Number(refs[1].replaceAll(",", ""));
}

async function drive(server: Server, ops: number): Promise<void> {
  const url = new URL(server.endpoint);
  // Under valgrind a request may take seconds: the timeout only guards against a hung server.
  const job: RequestJob = {
    ...server,
    region: "us-east-1",
    bucket: "bench",
    payload: "UNSIGNED-PAYLOAD",
    size: 4096,
    requestTimeoutMs: 600_000,
  };
  const pool = new Pool(url.origin, { connections: CONCURRENCY, pipelining: 1 });
  const body = randomBytes(job.size);
  const expectOk = async (outcome: Promise<OpOutcome>, what: string) => {
    const { error } = await outcome;
    if (error) throw new Error(`${what}: ${error}`);
  };
  const round = async (n: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < n) {
          const key = String(next++ % OBJECTS);
          if (op === "get") await expectOk(request(job, pool, "GET", key, undefined), `GET ${key}`);
          else await expectOk(request(job, pool, "PUT", key, body), `PUT ${key}`);
        }
      }),
    );
  };
  try {
    const created = await fetch(`${server.endpoint}/${job.bucket}`, {
      method: "PUT",
      headers: sign(job, "PUT", url.host, `/${job.bucket}`, EMPTY_SHA256),
    });
    if (!created.ok) throw new Error(`CreateBucket: HTTP ${created.status} ${await created.text()}`);
    for (let i = 0; i < OBJECTS; i++) await expectOk(request(job, pool, "PUT", String(i), body), "PUT");
    await round(WARM);
    await round(ops);
  } finally {
    await pool.destroy();
  }
}

console.log(
  `counting ${op.toUpperCase()} 4 KiB: ${WARM} warm-up requests, then 0 and ${count} (two servers under valgrind)…`,
);
const started = performance.now();
const [base, counted] = await Promise.all([countedRun(0), countedRun(count)]);
const perRequest = Math.round((counted - base) / count);
const result = {
  op: `${op.toUpperCase()} 4 KiB`,
  instructionsPerRequest: perRequest,
  count,
  warmup: WARM,
  concurrency: CONCURRENCY,
  runs: { warmupOnly: base, withCount: counted },
  method:
    "server under valgrind --tool=cachegrind --cache-sim=no (all threads); (instructions with `count` requests after the warm-up − with the warm-up only) / count",
  node: process.version,
  date: new Date().toISOString(),
};
await fs.mkdir(path.join(import.meta.dirname, "results"), { recursive: true });
await fs.writeFile(
  path.join(import.meta.dirname, "results", "instructions.json"),
  `${JSON.stringify(result, null, 2)}\n`,
);
console.log(
  `${result.op}: ${perRequest.toLocaleString("en")} instructions a request (server process, all threads; ${((performance.now() - started) / 1000).toFixed(0)} s)`,
);
