import { createHash } from "node:crypto";

/** Deterministic content of write `seq` of `key`: a header naming it, then hash-derived bytes. */
export function contentFor(key: string, seq: number): Buffer {
  const size = [100, 5_000, 40_000, 150_000][seq % 4];
  const out = Buffer.alloc(size + 32);
  out.write(`${key}:${seq}:`.padEnd(32, "."), 0);
  let block = createHash("sha256").update(`${key}/${seq}`).digest();
  for (let o = 32; o < out.length; o += 32) {
    block.copy(out, o);
    block = createHash("sha256").update(block).digest();
  }
  return out;
}

export function parseContent(b: Buffer): { key: string; seq: number } | null {
  const m = /^([^:]+):(\d+):/.exec(b.subarray(0, 32).toString("latin1"));
  return m ? { key: m[1], seq: Number(m[2]) } : null;
}
