// The lock rules as pure functions: what blocks a delete, which retention changes are allowed, and how
// configuration documents and dates are read. The HTTP tests prove the same rules end to end.

import { describe, expect, test } from "vitest";
import { S3Error } from "../http/s3-error.ts";
import { parseLockConfiguration, retainUntilFor } from "./config.ts";
import { parseLegalHoldDocument, parseRetentionDocument } from "./documents.ts";
import { lockBlocksDelete, lockResponseHeaders, type Retention, retentionChangeAllowed } from "./state.ts";
import { parseRetainUntil } from "./write.ts";

const NOW = Date.UTC(2030, 0, 1);
const gov = (until: number): Retention => ({ mode: "GOVERNANCE", retainUntil: until });
const comp = (until: number): Retention => ({ mode: "COMPLIANCE", retainUntil: until });
const rec = (attrs: Record<string, unknown>) => ({ attrs });

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof S3Error ? e.code : String(e);
  }
  return "ok";
};

describe("lockBlocksDelete", () => {
  test("legal hold always, COMPLIANCE until its date, GOVERNANCE unless bypassed", () => {
    expect(lockBlocksDelete(rec({ legalHold: true }), NOW, true)).toBe("legal-hold");
    expect(lockBlocksDelete(rec({ legalHold: false }), NOW, false)).toBeUndefined();
    expect(lockBlocksDelete(rec({ retention: comp(NOW + 1) }), NOW, true)).toBe("retention");
    expect(lockBlocksDelete(rec({ retention: comp(NOW) }), NOW, false)).toBeUndefined();
    expect(lockBlocksDelete(rec({ retention: gov(NOW + 1) }), NOW, false)).toBe("retention");
    expect(lockBlocksDelete(rec({ retention: gov(NOW + 1) }), NOW, true)).toBeUndefined();
    // Garbage in a record from disk locks nothing rather than throwing.
    expect(lockBlocksDelete(rec({ retention: { mode: "FOREVER", retainUntil: NOW + 1 } }), NOW, false)).toBe(
      undefined,
    );
  });
});

describe("retentionChangeAllowed", () => {
  const cases: [string, Retention | undefined, Retention | undefined, boolean, boolean][] = [
    ["none → any", undefined, comp(NOW + 5), false, true],
    ["expired COMPLIANCE → removed", comp(NOW - 1), undefined, false, true],
    ["COMPLIANCE extended", comp(NOW + 5), comp(NOW + 6), false, true],
    ["COMPLIANCE same date", comp(NOW + 5), comp(NOW + 5), false, true],
    ["COMPLIANCE shortened, even bypassing", comp(NOW + 5), comp(NOW + 4), true, false],
    ["COMPLIANCE → GOVERNANCE, even bypassing", comp(NOW + 5), gov(NOW + 9), true, false],
    ["COMPLIANCE removed, even bypassing", comp(NOW + 5), undefined, true, false],
    ["GOVERNANCE extended", gov(NOW + 5), gov(NOW + 6), false, true],
    ["GOVERNANCE shortened", gov(NOW + 5), gov(NOW + 4), false, false],
    ["GOVERNANCE shortened, bypassing", gov(NOW + 5), gov(NOW + 4), true, true],
    ["GOVERNANCE → COMPLIANCE", gov(NOW + 5), comp(NOW + 5), false, false],
    ["GOVERNANCE → COMPLIANCE, bypassing", gov(NOW + 5), comp(NOW + 5), true, true],
    ["GOVERNANCE removed, bypassing", gov(NOW + 5), undefined, true, true],
  ];
  test.each(cases)("%s", (_name, cur, next, bypass, allowed) => {
    expect(retentionChangeAllowed(cur, next, NOW, bypass)).toBe(allowed);
  });
});

describe("documents and dates", () => {
  test("lock configuration: Enabled, one rule, Mode and exactly one period", () => {
    const doc = (inner: string) =>
      `<ObjectLockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner}</ObjectLockConfiguration>`;
    expect(parseLockConfiguration(doc("<ObjectLockEnabled>Enabled</ObjectLockEnabled>"))).toEqual({});
    expect(
      parseLockConfiguration(
        doc(
          "<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Days>7</Days></DefaultRetention></Rule>",
        ),
      ),
    ).toEqual({ rule: { mode: "COMPLIANCE", days: 7 } });
    const rule = (dr: string) =>
      doc(
        `<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention>${dr}</DefaultRetention></Rule>`,
      );
    expect(codeOf(() => parseLockConfiguration(rule("<Mode>GOVERNANCE</Mode><Years>101</Years>")))).toBe(
      "InvalidRetentionPeriod",
    );
    expect(codeOf(() => parseLockConfiguration(rule("<Days>1</Days>")))).toBe("MalformedXML");
    expect(
      codeOf(() => parseLockConfiguration(doc("<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule/>"))),
    ).toBe("MalformedXML");
    expect(
      codeOf(() =>
        parseLockConfiguration(
          doc(
            "<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days></DefaultRetention></Rule><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>2</Days></DefaultRetention></Rule>",
          ),
        ),
      ),
    ).toBe("MalformedXML");
  });

  test("retain-until for a rule: days of 24 h, calendar years (leap days included)", () => {
    expect(retainUntilFor({ mode: "GOVERNANCE", days: 2 }, NOW)).toBe(NOW + 2 * 86_400_000);
    expect(
      new Date(retainUntilFor({ mode: "GOVERNANCE", years: 1 }, Date.UTC(2031, 5, 1))).toISOString(),
    ).toBe("2032-06-01T00:00:00.000Z");
  });

  test("retention and legal hold documents; dates must be ISO 8601 with a zone", () => {
    expect(
      parseRetentionDocument(
        "<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>2030-02-01T00:00:00Z</RetainUntilDate></Retention>",
      ),
    ).toEqual(gov(Date.UTC(2030, 1, 1)));
    expect(parseRetentionDocument("<Retention/>")).toBeUndefined();
    expect(codeOf(() => parseRetentionDocument("<Retention><Mode>GOVERNANCE</Mode></Retention>"))).toBe(
      "MalformedXML",
    );
    expect(parseLegalHoldDocument("<LegalHold><Status>OFF</Status></LegalHold>")).toBe(false);
    expect(codeOf(() => parseLegalHoldDocument("<LegalHold/>"))).toBe("MalformedXML");
    expect(parseRetainUntil("2030-01-01T01:00:00.500+01:00")).toBe(Date.UTC(2030, 0, 1, 0, 0, 0, 500));
    expect([
      parseRetainUntil("2030-01-01"),
      parseRetainUntil("tomorrow"),
      parseRetainUntil("2030-13-01T00:00:00Z"),
    ]).toEqual([undefined, undefined, undefined]);
  });

  test("response headers only for what was set", () => {
    expect(lockResponseHeaders(rec({}))).toEqual({});
    expect(lockResponseHeaders(rec({ retention: comp(NOW), legalHold: false }))).toEqual({
      "x-amz-object-lock-mode": "COMPLIANCE",
      "x-amz-object-lock-retain-until-date": "2030-01-01T00:00:00.000Z",
      "x-amz-object-lock-legal-hold": "OFF",
    });
  });
});
