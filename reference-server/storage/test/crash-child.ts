// Child process for crash.test.ts: many concurrent PUTs and overwrites, printing START/ACK lines
// synchronously so the parent knows exactly what was acknowledged when it sends SIGKILL.
import { writeSync } from "node:fs";
import { Keyring } from "../../crypto/master-key.ts";
import { StorageEngine } from "../engine.ts";
import { contentFor } from "./crash-content.ts";
import { TEST_BLOCK_SIZE } from "./helpers.ts";

const [dataDir, keyB64, keyId] = process.argv.slice(2);
const keyring = new Keyring(new Map([[keyId, Buffer.from(keyB64, "base64")]]), keyId);
const engine = await StorageEngine.open({
  dataDir,
  keyring,
  blockSize: TEST_BLOCK_SIZE,
  inlineThreshold: 16 * 1024,
});
if (!engine.getBucket("crash")) await engine.createBucket({ name: "crash", owner: "o" });
writeSync(1, "READY\n");
const KEYS = 6;
let seq = Number(process.env.SEQ_BASE ?? 0);
async function worker(): Promise<void> {
  for (;;) {
    const key = `k${Math.floor(Math.random() * KEYS)}`;
    const s = ++seq;
    writeSync(1, `START ${key} ${s}\n`);
    const data = contentFor(key, s);
    await engine.putObject({
      bucket: "crash",
      key,
      body: (async function* () {
        for (let i = 0; i < data.length; i += 8192) yield data.subarray(i, i + 8192);
      })(),
    });
    writeSync(1, `ACK ${key} ${s}\n`);
  }
}
await Promise.all([worker(), worker(), worker(), worker()]);
