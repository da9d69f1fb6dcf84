// Topology of the reference server: zones → racks → nodes → disks, built and validated from config.
// A Topology is frozen once built: placement caches structures derived from it (see placement.ts).

import { dirname, isAbsolute, join, normalize } from "node:path";

export interface DiskSpec {
  id: string; // "az1-r2-n1-d2"
  zone: string; // "az1"
  rack: string; // "az1-r2"
  node: string; // "az1-r2-n1"
  path: string; // join(dataDir, id) unless the layout gives one
}
export interface NodeSpec {
  id: string;
  disks: DiskSpec[];
}
export interface RackSpec {
  id: string;
  nodes: NodeSpec[];
}
export interface ZoneSpec {
  id: string;
  racks: RackSpec[];
}
export interface Topology {
  zones: ZoneSpec[];
  dataShards: number;
  parityShards: number;
  maxShardsPerRack: number;
  disks: DiskSpec[]; // all disks, zone by zone, in layout order
  byId: Map<string, DiskSpec>;
}

export type TopologyConfig = {
  dataShards?: number;
  parityShards?: number;
  maxShardsPerRack?: number;
  // Either the regular shape...
  zones?: number;
  racksPerZone?: number;
  nodesPerRack?: number;
  disksPerNode?: number;
  // ...or an explicit layout for irregular clusters.
  layout?: {
    id?: string;
    racks: { id?: string; nodes: { id?: string; disks: number | { id?: string; path?: string }[] }[] }[];
  }[];
};

export const DEFAULT_TOPOLOGY_CONFIG: TopologyConfig = Object.freeze({
  dataShards: 12,
  parityShards: 4,
  maxShardsPerRack: 4,
  zones: 3,
  racksPerZone: 4,
  nodesPerRack: 2,
  disksPerNode: 2,
});

export class TopologyError extends Error {
  readonly code: "InvalidTopology" = "InvalidTopology";
  override readonly name = "TopologyError";
}

// Reed-Solomon over GF(2^8) has at most 256 distinct evaluation points, hence 256 shards a stripe.
const MAX_STRIPE = 256;
// Every disk is a directory on this machine: the cap turns a typo (zones: 30000) into an error
// instead of an out-of-memory crash.
const MAX_DISKS = 65_536;

// A segment has no "-": full ids join segments with "-", so parentIds() can derive the ancestors
// from the id alone and "a"+"b-c" can never collide with "a-b"+"c".
const SEGMENT = /^[a-z0-9]+$/;
const FULL_ID = /^[a-z0-9]+(-[a-z0-9]+){0,3}$/;

const LEVELS = ["zone", "rack", "node", "disk"] as const;
type Level = (typeof LEVELS)[number];
const PREFIX: Record<Level, string> = { zone: "az", rack: "r", node: "n", disk: "d" };

const SHAPE_KEYS = ["zones", "racksPerZone", "nodesPerRack", "disksPerNode"] as const;
const CONFIG_KEYS = new Set<string>([
  "dataShards",
  "parityShards",
  "maxShardsPerRack",
  "layout",
  ...SHAPE_KEYS,
]);

function fail(message: string): never {
  throw new TopologyError(message);
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) fail(`unknown setting "${key}" in ${where} (allowed: ${allowed.join(", ")})`);
  }
}

function integer(value: unknown, name: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    fail(`${name} must be an integer ≥ ${min}, got ${show(value)}`);
  }
  return value;
}

function setting(config: Record<string, unknown>, name: string, fallback: number, min: number): number {
  return config[name] === undefined ? fallback : integer(config[name], name, min);
}

interface Builder {
  dataDir: string;
  ids: Set<string>;
  paths: Map<string, string>; // normalized path → disk id
  diskCount: number;
}

function childId(
  b: Builder,
  level: Level,
  raw: unknown,
  index: number,
  parent: { level: Level; id: string } | undefined,
): string {
  const where = parent ? `${level} ${index + 1} of ${parent.level} ${parent.id}` : `${level} ${index + 1}`;
  let segment: string;
  if (raw === undefined) {
    segment = PREFIX[level] + (index + 1);
  } else {
    if (typeof raw !== "string" || !SEGMENT.test(raw)) {
      fail(
        `${where} has invalid id ${show(raw)}: an id may only use a-z and 0-9 ` +
          `("-" joins the levels, as in az1-r2-n1-d2)`,
      );
    }
    segment = raw;
  }
  const id = parent ? `${parent.id}-${segment}` : segment;
  if (b.ids.has(id)) fail(`duplicate ${level} id ${id}${parent ? ` in ${parent.level} ${parent.id}` : ""}`);
  b.ids.add(id);
  return id;
}

function list(value: unknown, what: string, where: string): unknown[] {
  if (!Array.isArray(value)) fail(`${where}: ${what} must be a list, got ${show(value)}`);
  if (value.length === 0) fail(`${where} has no ${what}`);
  return value;
}

function addDisk(
  b: Builder,
  zone: string,
  rack: string,
  node: string,
  id: string,
  rawPath: unknown,
): DiskSpec {
  if (++b.diskCount > MAX_DISKS) fail(`topology has more than ${MAX_DISKS} disks`);
  let path: string;
  if (rawPath === undefined) {
    path = join(b.dataDir, id);
  } else {
    if (typeof rawPath !== "string" || rawPath === "" || rawPath.includes("\0")) {
      fail(`disk ${id} has invalid path ${show(rawPath)}`);
    }
    path = isAbsolute(rawPath) ? normalize(rawPath) : join(b.dataDir, rawPath);
  }
  const key = normalize(path).replace(/[\\/]+$/, "") || path;
  const other = b.paths.get(key);
  if (other !== undefined) fail(`disks ${other} and ${id} share the path ${path}`);
  b.paths.set(key, id);
  return Object.freeze({ id, zone, rack, node, path });
}

function buildLayout(b: Builder, layout: unknown): ZoneSpec[] {
  const zones: ZoneSpec[] = [];
  for (const [zi, rawZone] of list(layout, "zones", "layout").entries()) {
    if (!isPlainObject(rawZone)) fail(`layout zone ${zi + 1} must be an object, got ${show(rawZone)}`);
    checkKeys(rawZone, ["id", "racks"], `layout zone ${zi + 1}`);
    const zoneId = childId(b, "zone", rawZone.id, zi, undefined);
    const racks: RackSpec[] = [];
    for (const [ri, rawRack] of list(rawZone.racks, "racks", `zone ${zoneId}`).entries()) {
      if (!isPlainObject(rawRack)) fail(`rack ${ri + 1} of zone ${zoneId} must be an object`);
      checkKeys(rawRack, ["id", "nodes"], `rack ${ri + 1} of zone ${zoneId}`);
      const rackId = childId(b, "rack", rawRack.id, ri, { level: "zone", id: zoneId });
      const nodes: NodeSpec[] = [];
      for (const [ni, rawNode] of list(rawRack.nodes, "nodes", `rack ${rackId}`).entries()) {
        if (!isPlainObject(rawNode)) fail(`node ${ni + 1} of rack ${rackId} must be an object`);
        checkKeys(rawNode, ["id", "disks"], `node ${ni + 1} of rack ${rackId}`);
        const nodeId = childId(b, "node", rawNode.id, ni, { level: "rack", id: rackId });
        const disks: DiskSpec[] = [];
        const rawDisks = rawNode.disks;
        if (typeof rawDisks === "number" || rawDisks === undefined) {
          const count = integer(rawDisks, `disks of node ${nodeId}`, 1);
          for (let di = 0; di < count; di++) {
            const diskId = childId(b, "disk", undefined, di, { level: "node", id: nodeId });
            disks.push(addDisk(b, zoneId, rackId, nodeId, diskId, undefined));
          }
        } else {
          for (const [di, rawDisk] of list(rawDisks, "disks", `node ${nodeId}`).entries()) {
            if (!isPlainObject(rawDisk)) fail(`disk ${di + 1} of node ${nodeId} must be an object`);
            checkKeys(rawDisk, ["id", "path"], `disk ${di + 1} of node ${nodeId}`);
            const diskId = childId(b, "disk", rawDisk.id, di, { level: "node", id: nodeId });
            disks.push(addDisk(b, zoneId, rackId, nodeId, diskId, rawDisk.path));
          }
        }
        nodes.push(Object.freeze({ id: nodeId, disks: Object.freeze(disks) as DiskSpec[] }));
      }
      racks.push(Object.freeze({ id: rackId, nodes: Object.freeze(nodes) as NodeSpec[] }));
    }
    zones.push(Object.freeze({ id: zoneId, racks: Object.freeze(racks) as RackSpec[] }));
  }
  return zones;
}

// A disk directory inside another disk's directory would make the two share a failure and a listing.
function checkNestedPaths(b: Builder): void {
  for (const [path, id] of b.paths) {
    for (let up = dirname(path); up !== path; ) {
      const outer = b.paths.get(up);
      if (outer !== undefined) fail(`disk ${id} (${path}) is inside the directory of disk ${outer}`);
      const next = dirname(up);
      if (next === up) break;
      up = next;
    }
  }
}

function checkZoneCapacity(zone: ZoneSpec, k: number, m: number, perRack: number): void {
  const n = k + m;
  let disks = 0;
  let capacity = 0;
  let diskLimited = false;
  for (const rack of zone.racks) {
    let rackDisks = 0;
    for (const node of rack.nodes) rackDisks += node.disks.length;
    disks += rackDisks;
    if (rackDisks < perRack) diskLimited = true;
    capacity += Math.min(perRack, rackDisks);
  }
  if (capacity >= n) return;
  // Name the binding constraint: the rack limit if every rack could fill it, else the disk count.
  if (diskLimited && disks < n) {
    fail(
      `zone ${zone.id} has ${disks} disk${disks === 1 ? "" : "s"}, but ${k}+${m} needs ${n} distinct disks`,
    );
  }
  const racks = zone.racks.length;
  fail(
    `zone ${zone.id} has ${racks} rack${racks === 1 ? "" : "s"}: with at most ${perRack} shards a rack` +
      `${diskLimited ? " and one shard a disk" : ""} it can hold ${capacity} shards, but ${k}+${m} needs ${n}`,
  );
}

export function buildTopology(config: TopologyConfig | undefined, dataDir: string): Topology {
  const raw: unknown = config ?? DEFAULT_TOPOLOGY_CONFIG;
  if (!isPlainObject(raw)) fail(`topology config must be an object, got ${show(raw)}`);
  checkKeys(raw, [...CONFIG_KEYS], "topology config");
  const d = DEFAULT_TOPOLOGY_CONFIG as Required<Omit<TopologyConfig, "layout">>;

  const k = setting(raw, "dataShards", d.dataShards, 1);
  const m = setting(raw, "parityShards", d.parityShards, 0);
  const perRack = setting(raw, "maxShardsPerRack", d.maxShardsPerRack, 1);
  if (k + m > MAX_STRIPE) {
    fail(
      `dataShards+parityShards is ${k}+${m}=${k + m}, more than the ${MAX_STRIPE} shards a stripe can have`,
    );
  }
  // Durability: a zone must survive the loss of any one rack. A rack holds at most maxShardsPerRack
  // shards of a stripe; if that is ≤ m, losing the rack leaves ≥ k shards, enough to rebuild.
  if (perRack > m) {
    const defaulted = raw.maxShardsPerRack === undefined ? " (the default)" : "";
    fail(
      `maxShardsPerRack ${perRack}${defaulted} exceeds parityShards ${m}: losing one rack could lose ` +
        `${perRack} shards of a stripe, more than the ${m} that ${k}+${m} can rebuild`,
    );
  }

  const b: Builder = { dataDir, ids: new Set(), paths: new Map(), diskCount: 0 };
  let zones: ZoneSpec[];
  if (raw.layout !== undefined) {
    const mixed = SHAPE_KEYS.filter((key) => raw[key] !== undefined);
    if (mixed.length > 0) fail(`layout cannot be combined with ${mixed.join(", ")}: give one or the other`);
    zones = buildLayout(b, raw.layout);
  } else {
    const zoneCount = setting(raw, "zones", d.zones, 1);
    const racks = setting(raw, "racksPerZone", d.racksPerZone, 1);
    const nodes = setting(raw, "nodesPerRack", d.nodesPerRack, 1);
    const disks = setting(raw, "disksPerNode", d.disksPerNode, 1);
    const total = zoneCount * racks * nodes * disks;
    if (total > MAX_DISKS) fail(`topology has ${total} disks, more than the ${MAX_DISKS} allowed`);
    const layout = Array.from({ length: zoneCount }, () => ({
      racks: Array.from({ length: racks }, () => ({
        nodes: Array.from({ length: nodes }, () => ({ disks })),
      })),
    }));
    zones = buildLayout(b, layout);
  }
  checkNestedPaths(b);
  for (const zone of zones) checkZoneCapacity(zone, k, m, perRack);

  const all: DiskSpec[] = [];
  for (const zone of zones)
    for (const rack of zone.racks) for (const node of rack.nodes) all.push(...node.disks);
  return Object.freeze({
    zones: Object.freeze(zones) as ZoneSpec[],
    dataShards: k,
    parityShards: m,
    maxShardsPerRack: perRack,
    disks: Object.freeze(all) as DiskSpec[],
    byId: new Map(all.map((disk) => [disk.id, disk])),
  });
}

/** "az1-r2-n1-d2" → ["az1", "az1-r2", "az1-r2-n1", "az1-r2-n1-d2"]: the element and its ancestors. */
export function parentIds(id: string): string[] {
  if (typeof id !== "string" || !FULL_ID.test(id)) fail(`invalid topology id ${show(id)}`);
  const segments = id.split("-");
  return segments.map((_, i) => segments.slice(0, i + 1).join("-"));
}

const underCache = new WeakMap<Topology, Map<string, DiskSpec[]>>();

/** Every disk under a zone, rack, node or disk id (fault targets name any level). */
export function disksUnder(topology: Topology, id: string): DiskSpec[] {
  let index = underCache.get(topology);
  if (index === undefined) {
    index = new Map();
    for (const disk of topology.disks) {
      for (const ancestor of parentIds(disk.id)) {
        const disks = index.get(ancestor);
        if (disks === undefined) index.set(ancestor, [disk]);
        else disks.push(disk);
      }
    }
    underCache.set(topology, index);
  }
  const disks = index.get(id);
  if (disks === undefined) {
    fail(`unknown topology element ${show(id)} (zones: ${topology.zones.map((z) => z.id).join(", ")})`);
  }
  return disks.slice();
}
