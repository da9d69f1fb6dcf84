import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type CombinableCrc, checksumOf, crcCombine, isCombinableCrc } from "./checksums.ts";

const CRCS: CombinableCrc[] = ["CRC32", "CRC32C", "CRC64NVME"];
const raw = async (alg: CombinableCrc, data: Uint8Array) =>
  Buffer.from(await checksumOf(alg, data), "base64");

describe("crcCombine", () => {
  test.each(CRCS)("%s: combining the CRCs of A and B gives the CRC of A‖B", async (alg) => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.uint8Array({ maxLength: 600 }), async (a, b) => {
        const combined = crcCombine(alg, await raw(alg, a), await raw(alg, b), b.length);
        expect(combined.toString("base64")).toBe(await checksumOf(alg, Buffer.concat([a, b])));
      }),
      { numRuns: 200 },
    );
  });

  test.each(CRCS)("%s: a left fold over any split of a buffer gives its CRC", async (alg) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 8 }),
        async (ps) => {
          let crc: Buffer = await raw(alg, ps[0]);
          for (const p of ps.slice(1)) crc = crcCombine(alg, crc, await raw(alg, p), p.length);
          expect(crc.toString("base64")).toBe(await checksumOf(alg, Buffer.concat(ps)));
        },
      ),
      { numRuns: 100 },
    );
  });

  test.each(CRCS)("%s: long second halves (the shift is not per byte)", async (alg) => {
    const a = Buffer.from("prefix");
    const b = Buffer.alloc(3 * 1024 * 1024 + 17, 0xa5);
    const combined = crcCombine(alg, await raw(alg, a), await raw(alg, b), b.length);
    expect(combined.toString("base64")).toBe(await checksumOf(alg, Buffer.concat([a, b])));
    expect(combined.length).toBe(alg === "CRC64NVME" ? 8 : 4);
  });

  test("only CRCs combine", () => {
    expect(CRCS.every(isCombinableCrc)).toBe(true);
    expect(["SHA1", "SHA256", "MD5", "toString"].some(isCombinableCrc)).toBe(false);
  });
});
