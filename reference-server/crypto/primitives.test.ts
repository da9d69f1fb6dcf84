import { hkdfSync, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { decodeBase64Strict, hkdfSha256, hkdfSha256ByHmac, importLongLivedKey } from "./primitives.ts";

describe("hkdfSha256", () => {
  test("matches crypto.hkdfSync wherever hkdfSync accepts the info", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ maxLength: 1024 }),
        (ikm, salt, info) => {
          const expected = Buffer.from(hkdfSync("sha256", ikm, salt, info, 32));
          expect(hkdfSha256(ikm, salt, info).equals(expected)).toBe(true);
          expect(hkdfSha256ByHmac(ikm, salt, info, 32).equals(expected)).toBe(true);
        },
      ),
    );
  });

  test("a long-lived key imported once derives the same bytes as given raw", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.uint8Array({ maxLength: 64 }),
        (raw, info) => {
          const ikm = Buffer.from(raw);
          const salt = randomBytes(32);
          const expected = Buffer.from(hkdfSync("sha256", raw, salt, info, 32));
          importLongLivedKey(ikm);
          expect(hkdfSha256(ikm, salt, info).equals(expected)).toBe(true);
        },
      ),
    );
  });

  test("accepts info longer than hkdfSync's 1024-byte limit", () => {
    const info = randomBytes(1100);
    expect(() => hkdfSync("sha256", randomBytes(32), Buffer.alloc(0), info, 32)).toThrow();
    const ikm = randomBytes(32);
    expect(
      hkdfSha256(ikm, Buffer.alloc(0), info).equals(hkdfSha256ByHmac(ikm, Buffer.alloc(0), info, 32)),
    ).toBe(true);
  });
});

describe("decodeBase64Strict", () => {
  test("round-trips canonical base64", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (bytes) => {
        const s = Buffer.from(bytes).toString("base64");
        expect(decodeBase64Strict(s)?.equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  test.each(["abc", "ab!=", "YWJj ZA==", "AB==", "YQ", "====", "YW=j"])("rejects %j", (s) => {
    expect(decodeBase64Strict(s)).toBeUndefined();
  });
});
