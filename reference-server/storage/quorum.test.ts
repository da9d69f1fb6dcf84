import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DiskError, type DiskErrorCode } from "./errors.ts";
import { recordVerdict, reduceQuorumErrs } from "./quorum.ts";

const e = (code: DiskErrorCode, i = 0) => new DiskError(code, `d${i}`);

describe("reduceQuorumErrs", () => {
  test("success, a shared error, or no quorum", () => {
    expect(reduceQuorumErrs([null, null, e("DiskOffline")], 2)).toEqual({ kind: "ok" });
    expect(reduceQuorumErrs([e("FileNotFound"), e("FileNotFound"), null], 2)).toEqual({
      kind: "error",
      code: "FileNotFound",
    });
    expect(reduceQuorumErrs([e("FileNotFound"), e("DiskOffline"), null], 2)).toEqual({ kind: "noQuorum" });
    expect(reduceQuorumErrs([e("DiskOffline"), e("DiskOffline"), null], 2, ["DiskOffline"])).toEqual({
      kind: "noQuorum",
    });
  });
});

describe("recordVerdict (12+4)", () => {
  const zone = (found: number, missing: number, offline: number) => [
    ...Array.from({ length: found }, () => null),
    ...Array.from({ length: missing }, (_, i) => e("FileNotFound", i)),
    ...Array.from({ length: offline }, (_, i) => e("DiskOffline", i)),
  ];

  test("not found and too many disks down are never confused", () => {
    expect(recordVerdict(zone(12, 4, 0), 12)).toBe("present");
    expect(recordVerdict(zone(11, 5, 0), 12)).toBe("absent");
    expect(recordVerdict(zone(0, 16, 0), 12)).toBe("absent");
    // 11 found and 5 offline: the record may well be on 12 disks; we cannot say it is absent.
    expect(recordVerdict(zone(11, 0, 5), 12)).toBe("unknown");
    expect(recordVerdict(zone(0, 4, 12), 12)).toBe("unknown");
  });

  test("for any split of 16 answers the verdict matches what is knowable", () => {
    fc.assert(
      fc.property(fc.nat(16), fc.nat(16), (a, b) => {
        const found = Math.min(a, 16);
        const missing = Math.min(b, 16 - found);
        const offline = 16 - found - missing;
        const v = recordVerdict(zone(found, missing, offline), 12);
        if (found >= 12) expect(v).toBe("present");
        else if (found + offline < 12) expect(v).toBe("absent");
        else expect(v).toBe("unknown");
      }),
    );
  });
});
