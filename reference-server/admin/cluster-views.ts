// Read-only views of the engine for the management API: topology with states, buckets, placement.

import type { AccountStore } from "../iam/accounts.ts";
import type { LocalDisk } from "../storage/disk.ts";
import type { StorageEngine } from "../storage/engine.ts";
import type { Fault } from "../storage/faults.ts";
import type { BucketRecord } from "../storage/index-db.ts";
import type { ObjectVersionRecord } from "../storage/meta-record.ts";

export const BUCKET_TYPES = ["performance", "archive"] as const;
export type BucketType = (typeof BUCKET_TYPES)[number];

export type DiskState = "online" | "offline" | "slow" | "full";

export interface DiskView {
  id: string;
  state: DiskState;
  /** Ids of the active faults covering this disk (whatever level they target). */
  faults: string[];
  slowMs?: number;
  path: string;
}

/** An aggregate: its state is its disks' common state, or "degraded" when they differ. */
export interface ElementView {
  id: string;
  state: DiskState | "degraded";
  diskStates: Record<DiskState, number>;
  /** Active faults that target exactly this element. */
  faults: string[];
}

// Offline hides the rest (nothing is served); full only matters to writes, slow to latency.
function diskState(d: LocalDisk): DiskState {
  if (d.fault.offline) return "offline";
  if (d.fault.full) return "full";
  if (d.fault.slowMs > 0) return "slow";
  return "online";
}

export function diskView(engine: StorageEngine, faults: Fault[], id: string): DiskView {
  const d = engine.ctx.disks.get(id)!;
  const view: DiskView = {
    id,
    state: diskState(d),
    faults: faults.filter((f) => f.disks.includes(id)).map((f) => f.id),
    path: d.root,
  };
  if (d.fault.slowMs > 0) view.slowMs = d.fault.slowMs;
  return view;
}

function aggregate(id: string, disks: DiskView[], faults: Fault[]): ElementView {
  const counts: Record<DiskState, number> = { online: 0, offline: 0, slow: 0, full: 0 };
  for (const d of disks) counts[d.state]++;
  const states = Object.entries(counts).filter(([, n]) => n > 0);
  return {
    id,
    state: states.length === 1 ? (states[0][0] as DiskState) : "degraded",
    diskStates: counts,
    faults: faults.filter((f) => f.target === id).map((f) => f.id),
  };
}

/** Faults as the API shows them: dates in ISO 8601 like everything else. */
export function faultView(f: Fault) {
  return { ...f, createdAt: new Date(f.createdAt).toISOString() };
}

export function topologyView(engine: StorageEngine) {
  const faults = engine.faults.list();
  const t = engine.topology;
  return {
    dataShards: t.dataShards,
    parityShards: t.parityShards,
    maxShardsPerRack: t.maxShardsPerRack,
    ...aggregateCounts(
      t.disks.map((d) => diskView(engine, faults, d.id)),
      faults,
    ),
    zones: t.zones.map((z) => {
      const racks = z.racks.map((r) => {
        const nodes = r.nodes.map((n) => {
          const disks = n.disks.map((d) => diskView(engine, faults, d.id));
          return { ...aggregate(n.id, disks, faults), disks };
        });
        return {
          ...aggregate(
            r.id,
            nodes.flatMap((n) => n.disks),
            faults,
          ),
          nodes,
        };
      });
      const zoneDisks = racks.flatMap((r) => r.nodes.flatMap((n) => n.disks));
      return { ...aggregate(z.id, zoneDisks, faults), racks };
    }),
  };
}

function aggregateCounts(disks: DiskView[], faults: Fault[]) {
  const { state, diskStates } = aggregate("", disks, faults);
  return { state, diskStates, activeFaults: faults.length };
}

export function bucketView(engine: StorageEngine, accounts: AccountStore, b: BucketRecord) {
  const usage = engine.usage(b.name);
  const owner = accounts.findAccount(b.owner);
  const type = BUCKET_TYPES.includes(b.attrs.type as BucketType)
    ? (b.attrs.type as BucketType)
    : "performance";
  return {
    name: b.name,
    region: b.region,
    type,
    owner: b.owner,
    ownerName: owner?.name ?? null,
    tenant: owner?.tenant ?? null,
    createdAt: new Date(b.createdAt).toISOString(),
    versioning: b.versioning,
    objectLock: b.objectLock,
    objects: usage.objects,
    bytes: usage.bytes,
    versions: usage.versions,
  };
}

export function placementView(engine: StorageEngine, rec: ObjectVersionRecord) {
  const faults = engine.faults.list();
  const k = engine.topology.dataShards;
  const distribution = rec.erasure?.distribution ?? {};
  const zones = Object.entries(distribution).map(([zone, diskIds]) => {
    const shards = diskIds.map((id, index) => {
      const spec = engine.topology.byId.get(id);
      const d = spec ? diskView(engine, faults, id) : { id, state: "offline" as const, faults: [], path: "" }; // topology changed since the write
      return {
        index,
        kind: index < k ? "data" : "parity",
        disk: id,
        rack: spec?.rack ?? null,
        node: spec?.node ?? null,
        state: d.state,
        faults: d.faults,
      };
    });
    const online = shards.filter((s) => s.state !== "offline").length;
    return { zone, shardsOnline: online, readable: online >= k, shards };
  });
  return {
    bucket: rec.bucket,
    key: rec.key,
    versionId: rec.versionId,
    size: rec.size,
    etag: rec.etag,
    inline: rec.inline,
    dataShards: k,
    parityShards: engine.topology.parityShards,
    // Disk states only: a wiped or corrupted shard on an online disk shows up in heal, not here.
    readable: zones.some((z) => z.readable),
    zones,
  };
}
