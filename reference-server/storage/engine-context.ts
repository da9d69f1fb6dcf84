import { randomBytes } from "node:crypto";
import type { Keyring } from "../crypto/master-key.ts";
import type { LocalDisk } from "./disk.ts";
import type { ErasureCodec } from "./erasure/index.ts";
import type { IndexDb } from "./index-db.ts";
import type { ObjectVersionRecord } from "./meta-record.ts";
import { placeObject } from "./placement.ts";
import type { ZoneTarget } from "./stripe-writer.ts";
import type { DiskSpec, Topology } from "./topology.ts";

export interface EngineSettings {
  blockSize: number;
  /** The block size of uploads that did not record theirs: the engine's option, or 1 MiB (the old default). */
  legacyBlockSize: number;
  inlineThreshold: number;
  zoneQuorum: number;
  preferredZone?: string;
}

/** What every engine module shares: the disks, the index, the codec, the clock and the key locks. */
export interface EngineContext {
  topology: Topology;
  disks: Map<string, LocalDisk>;
  index: IndexDb;
  codec: ErasureCodec;
  keyring: Keyring;
  settings: EngineSettings;
  clock: () => number;
  locks: KeyLocks;
  /** Write ids whose data is being written and not yet committed (garbage collection skips them). */
  inflight: Set<string>;
  /** Work that finishes after the request (purging replaced versions); close() waits for it. */
  background(task: Promise<unknown>): void;
  /** Shard found missing or corrupt while serving: queue the version for heal. */
  damaged(record: ObjectVersionRecord, zone: string, diskId: string, reason: string): void;
}

/** Unique, roughly time-ordered ids for writes, versions and uploads. */
export function newId(): string {
  return Date.now().toString(36).padStart(9, "0") + randomBytes(10).toString("hex");
}

export function zoneTargets(ctx: EngineContext, bucket: string, key: string): ZoneTarget[] {
  return [...placeObject(bucket, key, ctx.topology)].map(([zone, specs]) => ({
    zone,
    disks: specs.map((s: DiskSpec) => ctx.disks.get(s.id)!),
  }));
}

export function distributionOf(targets: ZoneTarget[]): Record<string, string[]> {
  return Object.fromEntries(targets.map((t) => [t.zone, t.disks.map((d) => d.id)]));
}

/** Zones of a stored record, preferred zone first; unknown disks (topology changed) are undefined. */
export function zonesOf(
  ctx: EngineContext,
  distribution: Record<string, string[]>,
): { zone: string; disks: (LocalDisk | undefined)[] }[] {
  const zones = Object.keys(distribution);
  const pref = ctx.settings.preferredZone;
  zones.sort((a, b) => zoneOrder(a, b, pref));
  return zones.map((zone) => ({ zone, disks: distribution[zone].map((id) => ctx.disks.get(id)) }));
}

/** Reading order of zones: the preferred one first, then by name. */
function zoneOrder(a: string, b: string, pref: string | undefined): number {
  return a === pref ? -1 : b === pref ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** The disks of the zone zonesOf puts first, without sorting and mapping every zone (small GETs). */
export function firstZoneDisks(
  ctx: EngineContext,
  distribution: Record<string, string[]>,
): (LocalDisk | undefined)[] | undefined {
  const pref = ctx.settings.preferredZone;
  let first: string | undefined;
  for (const zone in distribution) if (first === undefined || zoneOrder(zone, first, pref) < 0) first = zone;
  return first === undefined ? undefined : distribution[first].map((id) => ctx.disks.get(id));
}

/** Per-key mutex: commit steps of one key are serialised, so version order = commit order. */
export class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(bucket: string, key: string, fn: () => Promise<T>): Promise<T> {
    const id = `${bucket}\u0000${key}`;
    const prev = this.tails.get(id) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const tail = prev.then(() => mine);
    this.tails.set(id, tail);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(id) === tail) this.tails.delete(id);
    }
  }
}
