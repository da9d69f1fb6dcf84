// Usage and billing over the management API: live usage per bucket, and the bill per tenant in
// GiB-hours (and GiB-months of 720 hours) from the hourly usage samples.

import { type AccountStore, ROOT_TENANT } from "../iam/accounts.ts";
import { meterOf } from "../metering/registry.ts";
import { bucketUsage } from "../metering/usage.ts";
import type { StorageEngine } from "../storage/engine.ts";
import { AdminError, type Router } from "./http.ts";

/** An ISO 8601 date or date-time (`2026-03-01`, `2026-03-01T10:00:00Z`) as ms. */
function instant(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === "") return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new AdminError(400, "InvalidArgument", `${name} must be an ISO 8601 date or date-time, got ${v}`);
  }
  return ms;
}

function startOfMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function addUsageRoutes(router: Router, engine: StorageEngine, accounts: AccountStore): void {
  router
    .add("GET", "/usage", ({ query }) => {
      const tenant = query.get("tenant");
      if (tenant !== null && tenant !== ROOT_TENANT) accounts.getTenant(tenant);
      const buckets = bucketUsage(engine, accounts).filter((b) => tenant === null || b.tenant === tenant);
      const totals = new Map<
        string | null,
        { tenant: string | null; buckets: number; objects: number; bytes: number; storedBytes: number }
      >();
      for (const b of buckets) {
        const t = totals.get(b.tenant) ?? {
          tenant: b.tenant,
          buckets: 0,
          objects: 0,
          bytes: 0,
          storedBytes: 0,
        };
        t.buckets++;
        t.objects += b.objects;
        t.bytes += b.bytes;
        t.storedBytes += b.storedBytes;
        totals.set(b.tenant, t);
      }
      return { body: { buckets, tenants: [...totals.values()] } };
    })
    .add("GET", "/billing", async ({ query }) => {
      const meter = meterOf(engine);
      if (!meter) {
        throw new AdminError(503, "MeteringUnavailable", "no usage meter runs with this storage engine");
      }
      const tenant = query.get("tenant") ?? undefined;
      if (tenant !== undefined && tenant !== ROOT_TENANT) accounts.getTenant(tenant);
      const now = meter.clock();
      const from = instant(query, "from") ?? startOfMonth(now);
      const to = instant(query, "to") ?? now;
      if (to <= from) throw new AdminError(400, "InvalidArgument", "to must be after from");
      return { body: await meter.bill({ from, to, tenant }) };
    });
}
