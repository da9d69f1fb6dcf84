import { readFile } from "node:fs/promises";
import { Crc64Nvme as SdkCrc64Nvme } from "@aws-sdk/crc64-nvme";
import fc from "fast-check";
import { expect, test } from "vitest";
import { compileCrc64, WASM_URL } from "./build-crc64.ts";
import { Crc64Nvme } from "./crc64.ts";

test("the committed crc64.wasm is exactly what crc64.wat compiles to", async () => {
  expect(Buffer.from(await compileCrc64()).equals(await readFile(WASM_URL))).toBe(true);
});

test("same checksum as the AWS SDK's CRC64NVME for any data and any chunking", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 5000 }),
      fc.array(fc.nat(5000), { maxLength: 5 }),
      async (data, cuts) => {
        const sdk = new SdkCrc64Nvme();
        sdk.update(data);
        const ours = new Crc64Nvme();
        let at = 0;
        for (const c of [...cuts.map((x) => x % (data.length + 1))].sort((a, b) => a - b)) {
          ours.update(data.subarray(at, Math.max(at, c)));
          at = Math.max(at, c);
        }
        ours.update(data.subarray(at));
        expect(ours.digest().toString("hex")).toBe(Buffer.from(await sdk.digest()).toString("hex"));
      },
    ),
    { numRuns: 200 },
  );
});

test("inputs larger than the kernel's buffer", async () => {
  const data = Buffer.alloc(1_000_003, 0xa5);
  const sdk = new SdkCrc64Nvme();
  sdk.update(data);
  const ours = new Crc64Nvme();
  ours.update(data);
  expect(ours.digest().equals(Buffer.from(await sdk.digest()))).toBe(true);
});

test("whole 16 KiB blocks (four interleaved lanes) and the bytes around them, any chunking", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 16_000, max: 400_000 }),
      fc.array(fc.nat(400_000), { maxLength: 4 }),
      fc.integer(),
      async (size, cuts, seed) => {
        const data = Buffer.alloc(size);
        for (let i = 0, x = seed | 1; i < size; i++) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          data[i] = x;
        }
        const sdk = new SdkCrc64Nvme();
        sdk.update(data);
        const ours = new Crc64Nvme();
        let at = 0;
        for (const c of cuts.map((x) => x % (size + 1)).sort((a, b) => a - b)) {
          ours.update(data.subarray(at, Math.max(at, c)));
          at = Math.max(at, c);
        }
        ours.update(data.subarray(at));
        expect(ours.digest().equals(Buffer.from(await sdk.digest()))).toBe(true);
      },
    ),
    { numRuns: 25 },
  );
});

test("data in shared memory (the hash worker's ring), at any offset, gives the same checksum", () => {
  const plain = Buffer.alloc(1_000_003);
  for (let i = 0; i < plain.length; i++) plain[i] = (i * 2654435761) >>> 24;
  const ring = new Uint8Array(new SharedArrayBuffer(plain.length + 64));
  for (const at of [0, 7, 64]) {
    const view = ring.subarray(at, at + plain.length - 64);
    view.set(plain.subarray(0, view.length));
    const a = new Crc64Nvme();
    a.update(plain.subarray(0, view.length));
    const b = new Crc64Nvme();
    b.update(view.subarray(0, 300_001));
    b.update(view.subarray(300_001));
    expect(b.digest().equals(a.digest())).toBe(true);
  }
});
