// The meter and the bill: hourly samples on an injected clock, kept on disk, summed into GiB-hours and
// GiB-months of 720 hours per tenant.

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { computeBill, HOUR_MS, type SampledBucket } from "./billing.ts";
import { UsageMeter } from "./meter.ts";

const GiB = 1024 ** 3;
const T0 = Date.UTC(2026, 0, 10, 8, 0, 0);

let dir: string;
let now: number;
let stored: SampledBucket[];

function meter(): UsageMeter {
  return new UsageMeter({ dataDir: dir, clock: () => now, source: () => stored, intervalMs: 0 });
}
const bucket = (name: string, tenant: string | null, bytes: number): SampledBucket => ({
  bucket: name,
  owner: `owner-of-${name}`,
  tenant,
  objects: 1,
  bytes,
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "parity-meter-"));
  now = T0;
  stored = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the seeds' example", () => {
  test("30 GiB for 1 hour then 30 GiB for 2 hours bills (1×30 + 2×30)/720 GiB-month", async () => {
    const m = meter();
    // Hour 0: bucket "a" holds 30 GiB. Hours 1 and 2: it is gone, "b" holds 30 GiB.
    stored = [bucket("a", "acme", 30 * GiB)];
    await m.sampleNow();
    now = T0 + HOUR_MS + 10 * 60_000; // samples are filed under their hour, whenever in it they are taken
    stored = [bucket("b", "acme", 30 * GiB)];
    await m.sampleNow();
    now = T0 + 2 * HOUR_MS + 59 * 60_000;
    await m.sampleNow();
    const bill = await m.bill({ from: T0, to: T0 + 3 * HOUR_MS });
    expect(bill.tenants).toEqual([
      {
        tenant: "acme",
        gibHours: 90,
        gibMonths: (1 * 30 + 2 * 30) / 720,
        buckets: [
          { bucket: "a", owner: "owner-of-a", hours: 1, gibHours: 30, gibMonths: 30 / 720 },
          { bucket: "b", owner: "owner-of-b", hours: 2, gibHours: 60, gibMonths: 60 / 720 },
        ],
      },
    ]);
    expect(bill.tenants[0].gibMonths).toBe(0.125);
    expect([bill.hoursMetered, bill.hoursPerMonth, bill.from, bill.to]).toEqual([
      3,
      720,
      "2026-01-10T08:00:00.000Z",
      "2026-01-10T11:00:00.000Z",
    ]);
  });

  test("the same example in one bucket, with samples read back by a restarted meter", async () => {
    stored = [bucket("a", "acme", 30 * GiB)];
    const first = meter();
    for (let h = 0; h < 3; h++) {
      now = T0 + h * HOUR_MS;
      await first.sampleNow();
    }
    await first.close();
    const again = meter();
    const bill = await again.bill({ from: T0, to: T0 + 3 * HOUR_MS });
    expect(bill.tenants.map((t) => [t.tenant, t.gibHours, t.gibMonths])).toEqual([["acme", 90, 0.125]]);
    const file = await readFile(join(dir, "metering", "usage-2026-01.jsonl"), "utf8");
    expect(file.trim().split("\n")).toHaveLength(3);
  });
});

describe("billing rules", () => {
  test("tenants are billed apart; --tenant keeps one, listed even with nothing to bill", async () => {
    const m = meter();
    stored = [bucket("a", "acme", 2 * GiB), bucket("z", "zeta", 6 * GiB), bucket("s", "system", GiB)];
    await m.sampleNow();
    const all = await m.bill({ from: T0, to: T0 + HOUR_MS });
    expect(all.tenants.map((t) => [t.tenant, t.gibHours])).toEqual([
      ["acme", 2],
      ["system", 1],
      ["zeta", 6],
    ]);
    expect(
      (await m.bill({ from: T0, to: T0 + HOUR_MS, tenant: "zeta" })).tenants.map((t) => t.tenant),
    ).toEqual(["zeta"]);
    const none = await m.bill({ from: T0, to: T0 + HOUR_MS, tenant: "empty" });
    expect(none.tenants).toEqual([{ tenant: "empty", gibHours: 0, gibMonths: 0, buckets: [] }]);
  });

  test("a later sample of the same hour replaces an earlier one; unsampled hours are not billed", async () => {
    const m = meter();
    stored = [bucket("a", "acme", GiB)];
    await m.sampleNow();
    now = T0 + 30 * 60_000;
    stored = [bucket("a", "acme", 4 * GiB)];
    await m.sampleNow();
    // The server was down for hours 1-4; hour 5 is sampled again.
    now = T0 + 5 * HOUR_MS;
    await m.sampleNow();
    const bill = await m.bill({ from: T0, to: T0 + 6 * HOUR_MS });
    expect([bill.hoursMetered, bill.tenants[0].gibHours]).toEqual([2, 8]);
  });

  test("a period that cuts an hour bills the part inside it; samples outside are ignored", async () => {
    const m = meter();
    stored = [bucket("a", "acme", 720 * GiB)];
    for (let h = 0; h < 4; h++) {
      now = T0 + h * HOUR_MS;
      await m.sampleNow();
    }
    const bill = await m.bill({ from: T0 + HOUR_MS + 15 * 60_000, to: T0 + 3 * HOUR_MS });
    expect([bill.hoursMetered, bill.tenants[0].gibHours, bill.tenants[0].gibMonths]).toEqual([
      1.75, 1260, 1.75,
    ]);
  });

  test("periods spanning months read every month's file", async () => {
    const m = meter();
    stored = [bucket("a", "acme", GiB)];
    now = Date.UTC(2026, 0, 31, 23, 0, 0);
    await m.sampleNow();
    now = Date.UTC(2026, 1, 1, 0, 0, 0);
    await m.sampleNow();
    const bill = await m.bill({ from: Date.UTC(2026, 0, 31), to: Date.UTC(2026, 1, 2) });
    expect(bill.tenants[0].gibHours).toBe(2);
  });

  test("large figures stay exact: 1 PiB for a 720-hour month is 1 048 576 GiB-months", () => {
    const samples = Array.from({ length: 720 }, (_, h) => ({
      hour: T0 + h * HOUR_MS,
      at: T0 + h * HOUR_MS,
      buckets: [bucket("big", "acme", 1024 ** 5)],
    }));
    const bill = computeBill(samples, { from: T0, to: T0 + 720 * HOUR_MS });
    expect([bill.tenants[0].gibMonths, bill.tenants[0].gibHours]).toEqual([1_048_576, 1_048_576 * 720]);
  });
});
