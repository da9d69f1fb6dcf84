import { setFlagsFromString } from "node:v8";

/**
 * Let V8 count Buffer memory within its global heap limit instead of against a fixed allowance.
 *
 * Why: by default every 64 MB of newly allocated ArrayBuffer memory starts a full mark-compact,
 * whatever is still live. A GET decrypts into a fresh buffer per 64 KiB package (node:crypto cannot
 * decrypt into a given buffer), so serving 64 MiB cost a full collection; V8's marking threads then
 * took a third of the machine's CPU. With this flag, `npm run bench:server` saw 247 → 20 mark-compacts
 * over the 64 MiB GET scenarios, and 1.4–1.9× their throughput in interleaved runs.
 *
 * Memory stays bounded because nothing allocates per chunk while it waits long: the 2 GiB PUT's RSS
 * growth (bench:engine) is ~140 MB with the flag. It was 409 MB before the MD5 offload copied chunks
 * into a shared ring (md5-offload.ts) rather than a fresh buffer each.
 *
 * The flag is read as the heap computes its limits, so setting it once the process runs takes effect.
 */
let tuned = false;
export function tuneGarbageCollection(): void {
  if (tuned) return;
  tuned = true;
  setFlagsFromString("--external-memory-accounted-in-global-limit");
}
