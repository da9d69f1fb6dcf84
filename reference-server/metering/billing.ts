// The bill: storage in GiB-hours per tenant over a period, from the hourly samples, and the same in
// GiB-months of 720 hours. Each sample stands for its whole UTC hour (the meter keeps one per hour); an
// hour without a sample (the server was not running) is not billed. A period that cuts an hour bills
// the part of it inside the period. 30 GiB for 1 hour then 30 GiB for 2 hours is 90 GiB-hours, i.e.
// (1×30 + 2×30)/720 = 0.125 GiB-month.

export const HOUR_MS = 3_600_000;
export const HOURS_PER_MONTH = 720;
const GIB = 1n << 30n;

export interface SampledBucket {
  bucket: string;
  owner: string;
  tenant: string | null;
  objects: number;
  /** Bytes billed for the hour: every stored version. */
  bytes: number;
}

export interface UsageSample {
  /** Start of the UTC hour the sample stands for (ms). */
  hour: number;
  /** When it was taken (ms, the server's clock). */
  at: number;
  buckets: SampledBucket[];
}

export interface BucketBill {
  bucket: string;
  owner: string;
  /** Hours of the period in which the bucket was metered (fractions for cut hours). */
  hours: number;
  gibHours: number;
  gibMonths: number;
}

export interface TenantBill {
  tenant: string | null;
  gibHours: number;
  gibMonths: number;
  buckets: BucketBill[];
}

export interface BillingReport {
  from: string;
  to: string;
  hoursPerMonth: number;
  /** Hours of the period that have a sample. */
  hoursMetered: number;
  tenants: TenantBill[];
}

/**
 * byteMs / divisor as the nearest double: the integer part exactly, the remainder divided in floating
 * point, so exact inputs give exact answers (90 GiB-hours is 0.125 GiB-month, not 0.12499999).
 */
function scaled(byteMs: bigint, divisor: bigint): number {
  return Number(byteMs / divisor) + Number(byteMs % divisor) / Number(divisor);
}
const gibHours = (byteMs: bigint) => scaled(byteMs, BigInt(HOUR_MS) * GIB);
const gibMonths = (byteMs: bigint) => scaled(byteMs, BigInt(HOUR_MS) * GIB * BigInt(HOURS_PER_MONTH));

/**
 * The bill for [from, to) (ms). `tenant` keeps one tenant (listed even with nothing to bill). Samples
 * may come in any order; a later sample of the same hour replaces an earlier one.
 */
export function computeBill(
  samples: readonly UsageSample[],
  period: { from: number; to: number; tenant?: string },
): BillingReport {
  const byHour = new Map<number, UsageSample>();
  for (const s of samples) {
    const cur = byHour.get(s.hour);
    if (!cur || s.at >= cur.at) byHour.set(s.hour, s);
  }
  let meteredMs = 0;
  const tenants = new Map<string | null, Map<string, { owner: string; ms: number; byteMs: bigint }>>();
  if (period.tenant !== undefined) tenants.set(period.tenant, new Map());
  for (const s of [...byHour.values()].sort((a, b) => a.hour - b.hour)) {
    const ms = Math.min(s.hour + HOUR_MS, period.to) - Math.max(s.hour, period.from);
    if (ms <= 0) continue;
    meteredMs += ms;
    for (const b of s.buckets) {
      if (period.tenant !== undefined && b.tenant !== period.tenant) continue;
      let t = tenants.get(b.tenant);
      if (!t) {
        t = new Map();
        tenants.set(b.tenant, t);
      }
      const acc = t.get(b.bucket) ?? { owner: b.owner, ms: 0, byteMs: 0n };
      acc.owner = b.owner;
      acc.ms += ms;
      acc.byteMs += BigInt(b.bytes) * BigInt(ms);
      t.set(b.bucket, acc);
    }
  }
  const list: TenantBill[] = [...tenants.entries()]
    .map(([tenant, buckets]) => {
      let total = 0n;
      const rows = [...buckets.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([bucket, acc]) => {
          total += acc.byteMs;
          return {
            bucket,
            owner: acc.owner,
            hours: acc.ms / HOUR_MS,
            gibHours: gibHours(acc.byteMs),
            gibMonths: gibMonths(acc.byteMs),
          };
        });
      return { tenant, gibHours: gibHours(total), gibMonths: gibMonths(total), buckets: rows };
    })
    .sort((a, b) => String(a.tenant).localeCompare(String(b.tenant)));
  return {
    from: new Date(period.from).toISOString(),
    to: new Date(period.to).toISOString(),
    hoursPerMonth: HOURS_PER_MONTH,
    hoursMetered: meteredMs / HOUR_MS,
    tenants: list,
  };
}
