// Decode throughput of the body verifiers, single-threaded, in memory (no sockets): 128 MiB of random data
// framed in 64 KiB aws-chunked chunks, fed as 64 KiB reads that drift across chunk boundaries like socket
// reads. Prints JSON; `--out FILE` also writes it there.
//   node reference-server/auth/bench/chunked-decode.ts [--mib 128] [--runs 5] [--out FILE]

import { createHash, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { verifyBody } from "../payload.ts";
import { signingKey } from "../signing-key.ts";
import { encodeAwsChunked } from "../test-support.ts";
import type { PayloadMode } from "../types.ts";

const { values } = parseArgs({
  options: {
    mib: { type: "string", default: "128" },
    runs: { type: "string", default: "5" },
    out: { type: "string" },
  },
});
const size = Number(values.mib) * 1024 * 1024;
const runs = Number(values.runs);
const CHUNK = 64 * 1024;
const READ = 64 * 1024;

const data = randomBytes(size);
const key = signingKey("secret", "20240301", "us-east-1", "s3");
const signing = {
  seed: "0".repeat(64),
  key,
  scope: "20240301/us-east-1/s3/aws4_request",
  timestamp: "20240301T000000Z",
};
const crc = "AAAAAA==";

function reads(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < body.length; i += READ) out.push(body.subarray(i, i + READ));
  return out;
}

async function* source(parts: Buffer[]) {
  yield* parts;
}

async function measure(parts: Buffer[], mode: PayloadMode, headers: Record<string, string>): Promise<number> {
  const times: number[] = [];
  // Run 0 warms up the JIT and faults in the pages; it is not counted.
  for (let r = 0; r <= runs; r++) {
    const start = process.hrtime.bigint();
    let n = 0;
    for await (const piece of verifyBody(source(parts), mode, headers)) n += piece.length;
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    if (n !== size) throw new Error(`decoded ${n} of ${size} bytes`);
    if (r > 0) times.push(secs);
  }
  times.sort((a, b) => a - b);
  return size / times[Math.floor(times.length / 2)] / 1e9;
}

function sha256Baseline(): number {
  const start = process.hrtime.bigint();
  const h = createHash("sha256");
  for (let i = 0; i < size; i += CHUNK) h.update(data.subarray(i, i + CHUNK));
  h.digest();
  return size / (Number(process.hrtime.bigint() - start) / 1e9) / 1e9;
}

const unsignedBody = reads(
  encodeAwsChunked(data, { chunkSize: CHUNK, trailers: [["x-amz-checksum-crc32", crc]] }),
);
const signedBody = reads(encodeAwsChunked(data, { chunkSize: CHUNK, signing }));
const signedMode: PayloadMode = {
  mode: "streaming-signed",
  seedSignature: signing.seed,
  signingKey: key,
  scope: signing.scope,
  timestamp: signing.timestamp,
  trailer: false,
};
const length = { "x-amz-decoded-content-length": String(size) };

const result = {
  bench: "auth/chunked-decode",
  node: process.version,
  mib: size / 1024 / 1024,
  chunkBytes: CHUNK,
  readBytes: READ,
  runs,
  gbPerSecond: {
    passThroughUnsigned: await measure(reads(data), { mode: "unsigned" }, {}),
    awsChunkedUnsignedTrailer: await measure(
      unsignedBody,
      { mode: "streaming-unsigned-trailer" },
      {
        ...length,
        "x-amz-trailer": "x-amz-checksum-crc32",
      },
    ),
    awsChunkedSigned: await measure(signedBody, signedMode, length),
    sha256Mode: await measure(
      reads(data),
      { mode: "sha256", expected: createHash("sha256").update(data).digest("hex") },
      {},
    ),
    sha256BaselineNoFraming: sha256Baseline(),
  },
};
const json = JSON.stringify(result, null, 2);
console.log(json);
if (values.out) writeFileSync(values.out, json + "\n");
