import { createHmac, randomBytes } from "node:crypto";
import fc from "fast-check";
import { expect, test } from "vitest";
import { canonicalHeaderValue } from "./canonical-request.ts";
import { isoBasic, parseAmzDate } from "./encoding.ts";
import { hmacHex, signingKey } from "./signing-key.ts";

// The rule as SigV4 states it, applied unconditionally (canonicalHeaderValue skips it when it is a no-op).
const fold = (v: string) =>
  v
    .replace(/[\r\n]/g, " ")
    .replace(/[ \t]+/g, " ")
    .replace(/^ | $/g, "");

test("canonical header values: the fast path agrees with folding for any mix of spaces, tabs and breaks", () => {
  const ws = fc.string({ unit: fc.constantFrom(" ", "\t", "\r", "\n", "a", "é", ",", "\v") });
  fc.assert(
    fc.property(ws, (v) => {
      expect(canonicalHeaderValue(v)).toBe(fold(v));
    }),
  );
  expect(canonicalHeaderValue("  a \t b  ")).toBe("a b");
  expect(canonicalHeaderValue("plain value")).toBe("plain value");
});

test("isoBasic is yyyyMMdd'T'HHmmss'Z' and round-trips through parseAmzDate", () => {
  const day = fc.date({
    min: new Date("1970-01-01T00:00:00Z"),
    max: new Date("9999-12-31T23:59:59Z"),
    noInvalidDate: true,
  });
  fc.assert(
    fc.property(day, (d) => {
      const text = isoBasic(d);
      expect(text).toMatch(/^\d{8}T\d{6}Z$/);
      expect(parseAmzDate(text)?.getTime()).toBe(Math.floor(d.getTime() / 1000) * 1000);
    }),
  );
  expect(isoBasic(new Date("2013-05-24T00:00:00.123Z"))).toBe("20130524T000000Z");
});

test("hmacHex with a cached signing key equals node's HMAC over the raw derived key", () => {
  const key = signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3");
  const raw = key.export();
  for (const msg of ["", "abc", randomBytes(2000).toString("latin1")]) {
    expect(hmacHex(key, msg)).toBe(createHmac("sha256", raw).update(msg).digest("hex"));
  }
});
