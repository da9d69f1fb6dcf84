// The reference server for bench/instructions.ts, meant to run under valgrind: starts on a temporary data
// dir, prints `{ endpoint, accessKeyId, secretAccessKey }` on one line, stops on SIGTERM or when the
// bench's end of stdin closes (the bench is gone).
import "../reference-server/storage/io-threads.ts";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startReferenceServer } from "../reference-server/server.ts";
import { stopWithParent } from "../suites/harness/child-target.ts";

const dataDir = await mkdtemp(path.join(os.tmpdir(), "parity-instructions-"));
const server = await startReferenceServer({ dataDir, port: 0, host: "127.0.0.1", region: "us-east-1" });
const { endpoint, accessKeyId, secretAccessKey } = server;
process.stdout.write(`${JSON.stringify({ endpoint, accessKeyId, secretAccessKey })}\n`);
stopWithParent(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});
