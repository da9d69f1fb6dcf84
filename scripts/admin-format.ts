// Human-readable rendering of management API answers for `parity admin` (--json skips all of this).

type Row = Record<string, unknown>;

/** Left-aligned columns, two spaces apart; numbers right-aligned. */
export function table(headers: string[], rows: unknown[][]): string {
  if (rows.length === 0) return "(none)\n";
  const cells = rows.map((r) => r.map((c) => (c === undefined || c === null ? "-" : String(c))));
  const numeric = headers.map((_, i) => rows.every((r) => typeof r[i] === "number"));
  const width = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(width[i]) : c.padEnd(width[i])))
      .join("  ")
      .trimEnd();
  return [line(headers), ...cells.map(line)].join("\n") + "\n";
}

export function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

const day = (iso: unknown) => (typeof iso === "string" ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-");

export function tenants(body: { tenants: Row[] }): string {
  return table(
    ["TENANT", "ACCOUNTS", "CREATED"],
    body.tenants.map((t) => [t.name, t.accounts, day(t.createdAt)]),
  );
}

export function accounts(body: { accounts: Row[] }): string {
  return table(
    ["ACCOUNT ID", "TENANT", "NAME", "ACCESS KEY ID", "KEY CREATED"],
    body.accounts.map((a) => [
      a.accountId,
      a.tenant,
      a.root ? `${a.name} (root)` : a.name,
      a.accessKeyId,
      day(a.keyCreatedAt),
    ]),
  );
}

export function account(a: Row & { roles?: Row[] }): string {
  const lines = [
    `account      ${a.accountId}${a.root ? " (root)" : ""}`,
    `tenant       ${a.tenant}`,
    `name         ${a.name}`,
    `access key   ${a.accessKeyId} (issued ${day(a.keyCreatedAt)})`,
    `created      ${day(a.createdAt)}`,
  ];
  let out = lines.join("\n") + "\n";
  if (a.roles && a.roles.length > 0) out += "\n" + roles({ roles: a.roles });
  return out;
}

/** Credentials in `eval`-able lines on stdout; the warning goes to stderr. */
export function issued(a: Row): { out: string; err: string } {
  return {
    out: `AWS_ACCESS_KEY_ID=${a.accessKeyId}\nAWS_SECRET_ACCESS_KEY=${a.secretAccessKey}\n`,
    err:
      `account ${a.accountId} (${a.tenant}/${a.name}): new key pair issued.\n` +
      "The secret is shown only this once: store it now.\n",
  };
}

export function buckets(body: { buckets: Row[] }): string {
  return table(
    ["BUCKET", "REGION", "TYPE", "OWNER", "OBJECTS", "SIZE", "CREATED"],
    body.buckets.map((b) => [
      b.name,
      b.region,
      b.type,
      b.tenant ? `${b.tenant}/${b.ownerName}` : b.owner,
      b.objects,
      bytes(b.bytes as number),
      day(b.createdAt),
    ]),
  );
}

export function roles(body: { roles: Row[] }): string {
  return table(
    ["BUCKET", "ACCOUNT ID", "ROLE", "SINCE"],
    body.roles.map((r) => [r.bucket, r.accountId, r.role, day(r.createdAt)]),
  );
}

interface Element extends Row {
  id: string;
  state: string;
  diskStates: Record<string, number>;
  faults: string[];
}

function stateLine(e: Element, depth: number): string {
  const counts = Object.entries(e.diskStates)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(", ");
  const faults = e.faults.length > 0 ? `  faults: ${e.faults.join(", ")}` : "";
  return `${"  ".repeat(depth)}${e.id.padEnd(16 - 2 * depth)} ${e.state.padEnd(9)} disks: ${counts}${faults}`;
}

export function topology(
  t: Row & { zones: (Element & { racks: (Element & { nodes: (Element & { disks: Row[] })[] })[] })[] },
  showDisks: boolean,
): string {
  const counts = Object.entries(t.diskStates as Record<string, number>)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(", ");
  const out = [
    `erasure ${t.dataShards}+${t.parityShards} in each zone, at most ${t.maxShardsPerRack} shards a rack`,
    `state ${t.state}: disks ${counts}; ${t.activeFaults} active fault(s)`,
    "",
  ];
  for (const z of t.zones) {
    out.push(stateLine(z, 0));
    for (const r of z.racks) {
      out.push(stateLine(r, 1));
      if (!showDisks) continue;
      for (const n of r.nodes) {
        out.push(stateLine(n, 2));
        for (const d of n.disks) {
          const faults =
            (d.faults as string[]).length > 0 ? `  faults: ${(d.faults as string[]).join(", ")}` : "";
          const slow = d.slowMs ? ` (+${d.slowMs} ms)` : "";
          out.push(`${"  ".repeat(3)}${String(d.id).padEnd(10)} ${d.state}${slow}${faults}`);
        }
      }
    }
  }
  if (!showDisks) out.push("", "(--disks lists nodes and disks)");
  return out.join("\n") + "\n";
}

export function faults(body: { faults: Row[] }): string {
  return table(
    ["FAULT", "TARGET", "KIND", "DISKS", "SINCE", "PARAMS"],
    body.faults.map((f) => [
      f.id,
      f.target,
      f.kind,
      (f.disks as string[]).length,
      day(f.createdAt),
      Object.keys(f.params as Row).length > 0 ? JSON.stringify(f.params) : "",
    ]),
  );
}

export function fault(f: Row): string {
  const damaged = Array.isArray(f.damaged) ? `, ${f.damaged.length} file(s) damaged` : "";
  return `fault ${f.id}: ${f.kind} on ${f.target} (${(f.disks as string[]).length} disk(s)${damaged})\n`;
}

export function heal(r: Row & { repaired: Row[]; unrecoverable: Row[]; skippedOffline: string[] }): string {
  const out = [
    `heal ${r.deep ? "(deep) " : ""}${day(r.startedAt)} → ${day(r.finishedAt)}`,
    `versions scanned ${r.versionsScanned}, healthy ${r.versionsHealthy}, repaired ${r.repaired.length}, ` +
      `unrecoverable ${r.unrecoverable.length}`,
    `bucket records repaired ${r.bucketRecordsRepaired}, garbage removed ${r.garbageRemoved}`,
  ];
  if (r.skippedOffline.length > 0) out.push(`skipped (offline): ${r.skippedOffline.join(", ")}`);
  for (const x of r.repaired) {
    const shards = (x.shards as string[]).length;
    const records = (x.records as string[]).length;
    out.push(`  repaired ${x.bucket}/${x.key} (${x.versionId}): ${shards} shard(s), ${records} record(s)`);
  }
  for (const x of r.unrecoverable)
    out.push(`  UNRECOVERABLE ${x.bucket}/${x.key} (${x.versionId}): ${x.error}`);
  return out.join("\n") + "\n";
}

export function placement(p: Row & { zones: (Row & { shards: Row[] })[] }): string {
  const out = [
    `${p.bucket}/${p.key}  version ${p.versionId}  ${bytes(p.size as number)}  ${p.dataShards}+${p.parityShards}` +
      `${p.inline ? "  (inline in metadata records)" : ""}  ${p.readable ? "readable" : "NOT READABLE"}`,
  ];
  for (const z of p.zones) {
    out.push(
      "",
      `${z.zone}: ${z.shardsOnline}/${z.shards.length} shards on online disks${z.readable ? "" : " — zone cannot serve it"}`,
    );
    out.push(
      table(
        ["SHARD", "KIND", "DISK", "STATE", "FAULTS"],
        z.shards.map((s) => [s.index, s.kind, s.disk, s.state, (s.faults as string[]).join(",")]),
      ).trimEnd(),
    );
  }
  return out.join("\n") + "\n";
}
