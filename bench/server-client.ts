// HTTP load client for bench/server.ts, run in a worker thread so its CPU does not serialize with the
// server's event loop: an undici Pool (keep-alive, one connection per concurrent operation), SigV4
// (Authorization header) signed per request with node:crypto, every operation recorded by runPlan.
// Loopback only.

import { createHash, createHmac, createSecretKey, hash, type KeyObject, randomBytes } from "node:crypto";
import { parentPort } from "node:worker_threads";
import { type Dispatcher, Pool } from "undici";
import { type ClientJob, type OpOutcome, type RunResult, runPlan } from "./server-lib.ts";

const UNSIGNED = "UNSIGNED-PAYLOAD";
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The signing key as a KeyObject: node's createHmac imports raw key bytes at ~20 µs a call, which the
// client would pay per request on the same 2 cores as the server.
const keyCache = new Map<string, KeyObject>();

export function signingKey(secret: string, day: string, region: string): KeyObject {
  // Keyed by the secret too: one client may sign for several servers (bench/instructions.ts runs two).
  const id = `${secret}/${day}/${region}`;
  let k = keyCache.get(id);
  if (!k) {
    let raw = createHmac("sha256", `AWS4${secret}`).update(day).digest();
    for (const part of [region, "s3", "aws4_request"]) raw = createHmac("sha256", raw).update(part).digest();
    k = createSecretKey(raw);
    keyCache.set(id, k);
  }
  return k;
}

/** SigV4 headers for a path-style request without query string (keys here need no escaping). */
export function sign(
  job: Pick<ClientJob, "accessKeyId" | "secretAccessKey" | "region">,
  method: string,
  host: string,
  path: string,
  payloadHash: string,
  now = new Date(),
): Record<string, string> {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const signed = "host;x-amz-content-sha256;x-amz-date";
  const canonical = [
    method,
    path,
    "",
    `host:${host}`,
    `x-amz-content-sha256:${payloadHash}`,
    `x-amz-date:${amzDate}`,
    "",
    signed,
    payloadHash,
  ].join("\n");
  const scope = `${day}/${job.region}/s3/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, hash("sha256", canonical, "hex")].join("\n");
  const signature = createHmac("sha256", signingKey(job.secretAccessKey, day, job.region))
    .update(toSign)
    .digest("hex");
  return {
    host,
    "x-amz-date": amzDate,
    "x-amz-content-sha256": payloadHash,
    authorization: `AWS4-HMAC-SHA256 Credential=${job.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`,
  };
}

const bodies = new Map<number, Buffer>();
/** A random body of `size` bytes, made once per size (also the bare server's bodies). */
export function bodyOf(size: number): Buffer {
  let b = bodies.get(size);
  if (!b) {
    b = randomBytes(size);
    bodies.set(size, b);
  }
  return b;
}

const endpoints = new Map<string, URL>();
function endpointOf(job: RequestJob): URL {
  let url = endpoints.get(job.endpoint);
  if (!url) {
    url = new URL(job.endpoint);
    endpoints.set(job.endpoint, url);
  }
  return url;
}

/** What one signed request needs of a job (bench/instructions.ts sends them too). */
export type RequestJob = Pick<
  ClientJob,
  | "endpoint"
  | "accessKeyId"
  | "secretAccessKey"
  | "region"
  | "bucket"
  | "payload"
  | "size"
  | "requestTimeoutMs"
>;

/**
 * One signed PUT or GET of `key` through `pool` (undici); a non-2xx status, a short GET body or a failure
 * is in `error`. undici's dispatcher, not node:http: at c=1 the client's CPU is in every round trip,
 * and node:http's request objects and streams cost ~40 µs more a request (bare 4 KiB GET at c=1: 3,743
 * -> 4,386/s, client thread 166 -> 123 µs a request, same run; 64 MiB bare GET 10-12 -> 15-17 Gbit/s).
 */
export function request(
  job: RequestJob,
  pool: Dispatcher,
  method: "PUT" | "GET",
  key: string,
  body: Buffer | undefined,
): Promise<OpOutcome> {
  const url = endpointOf(job);
  const path = `/${job.bucket}/${key}`;
  const payloadHash = !body
    ? EMPTY_SHA256
    : job.payload === "sha256"
      ? createHash("sha256").update(body).digest("hex")
      : UNSIGNED;
  const headers: Record<string, string> = sign(job, method, url.host, path, payloadHash);
  if (body) headers["content-length"] = String(body.length);
  return new Promise<OpOutcome>((resolve) => {
    let firstByte = 0;
    let status = 0;
    let got = 0;
    let errText = "";
    const ok = () => status >= 200 && status < 300;
    pool.dispatch(
      {
        path,
        method,
        headers,
        body,
        headersTimeout: job.requestTimeoutMs,
        bodyTimeout: job.requestTimeoutMs,
      },
      {
        onRequestStart() {},
        onResponseStart(_c, statusCode) {
          firstByte = performance.now();
          status = statusCode;
        },
        onResponseData(_c, c: Buffer) {
          got += c.length;
          if (!ok() && errText.length < 400) errText += c.toString("utf8", 0, Math.min(c.length, 400));
        },
        onResponseEnd() {
          if (!ok()) {
            const code = /<Code>([^<]*)<\/Code>/.exec(errText)?.[1];
            resolve({ firstByte, bytes: 0, status, error: `HTTP ${status}${code ? ` ${code}` : ""}` });
          } else if (method === "GET" && got !== job.size) {
            resolve({ firstByte, bytes: got, status, error: `short body: ${got} of ${job.size} bytes` });
          } else resolve({ firstByte, bytes: method === "GET" ? got : body!.length, status });
        },
        onResponseError(_c, e) {
          resolve({ firstByte: firstByte || performance.now(), bytes: 0, status, error: String(e) });
        },
      },
    );
  });
}

async function run(job: ClientJob): Promise<RunResult> {
  const pool = new Pool(endpointOf(job).origin, { connections: job.plan.concurrency, pipelining: 1 });
  const body = job.op === "put" ? bodyOf(job.size) : undefined;
  let cpu0 = process.threadCpuUsage();
  let t0 = performance.now();
  try {
    const result = await runPlan(
      job.plan,
      (w, seq) =>
        job.op === "put"
          ? request(job, pool, "PUT", `${job.keyPrefix}${w}-${seq % job.keysPerWorker}`, body)
          : request(job, pool, "GET", job.getKeys[(w * 7919 + seq) % job.getKeys.length], undefined),
      () => {
        cpu0 = process.threadCpuUsage();
        t0 = performance.now();
        parentPort?.postMessage({ phase: "measure" });
      },
    );
    const cpu = process.threadCpuUsage(cpu0);
    result.clientThreadCpuCores = (cpu.user + cpu.system) / 1000 / (performance.now() - t0);
    return result;
  } finally {
    await pool.destroy();
  }
}

parentPort?.on("message", (job: ClientJob) => {
  run(job).then(
    (r) => parentPort!.postMessage({ ok: true, result: r }),
    (e: unknown) => parentPort!.postMessage({ ok: false, error: String(e) }),
  );
});
