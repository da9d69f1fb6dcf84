// `parity admin usage` and `parity admin billing`: requests and tables (docs/admin-api.md, "Usage and
// billing").

import { bytes, table } from "./admin-format.ts";

type Row = Record<string, unknown>;
type Call = (method: string, path: string) => Promise<unknown>;

const num = (v: unknown, digits: number) => (typeof v === "number" ? Number(v.toFixed(digits)) : v);

export function usageText(body: { buckets: Row[]; tenants: Row[] }): string {
  const buckets = table(
    ["BUCKET", "TENANT", "OBJECTS", "SIZE", "VERSIONS", "STORED"],
    body.buckets.map((b) => [
      b.bucket,
      b.tenant,
      b.objects,
      bytes(b.bytes as number),
      b.versions,
      bytes(b.storedBytes as number),
    ]),
  );
  const tenants = table(
    ["TENANT", "BUCKETS", "OBJECTS", "SIZE", "STORED"],
    body.tenants.map((t) => [
      t.tenant,
      t.buckets,
      t.objects,
      bytes(t.bytes as number),
      bytes(t.storedBytes as number),
    ]),
  );
  return `${buckets}\n${tenants}`;
}

export function billingText(r: Row & { tenants: (Row & { buckets: Row[] })[] }): string {
  const head =
    `period ${r.from} – ${r.to}: ${num(r.hoursMetered, 3)} hour(s) metered; ` +
    `a month is ${r.hoursPerMonth} hours\n\n`;
  const rows = r.tenants.flatMap((t) => [
    [t.tenant, "(all)", num(t.gibHours, 6), num(t.gibMonths, 6)],
    ...t.buckets.map((b) => ["", b.bucket, num(b.gibHours, 6), num(b.gibMonths, 6)]),
  ]);
  return head + table(["TENANT", "BUCKET", "GIB-HOURS", "GIB-MONTHS"], rows);
}

/** The request and rendering of `usage` / `billing`; undefined for any other command. */
export async function usageCommand(
  call: Call,
  group: string,
  o: { tenant?: string; from?: string; to?: string },
): Promise<{ json: unknown; text: string } | undefined> {
  const q = new URLSearchParams();
  if (o.tenant) q.set("tenant", o.tenant);
  if (group === "usage") {
    const body = await call("GET", `/usage${q.size ? `?${q}` : ""}`);
    return { json: body, text: usageText(body as never) };
  }
  if (group === "billing") {
    if (o.from) q.set("from", o.from);
    if (o.to) q.set("to", o.to);
    const body = await call("GET", `/billing${q.size ? `?${q}` : ""}`);
    return { json: body, text: billingText(body as never) };
  }
  return undefined;
}
