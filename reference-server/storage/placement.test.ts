import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { placeObject } from "./placement.ts";
import {
  buildTopology,
  type DiskSpec,
  type Topology,
  type TopologyConfig,
  TopologyError,
} from "./topology.ts";

const DATA = "/data";
const defaultTopology = buildTopology(undefined, DATA);

// Shards per node a zone can reach with per-node load ≤ t: each rack holds min(limit, Σ min(t, disks)).
function capacityWithNodeLoad(zone: Topology["zones"][number], limit: number, t: number): number {
  let capacity = 0;
  for (const rack of zone.racks) {
    capacity += Math.min(
      limit,
      rack.nodes.reduce((sum, node) => sum + Math.min(t, node.disks.length), 0),
    );
  }
  return capacity;
}

function checkInvariants(topology: Topology, placement: Map<string, DiskSpec[]>): void {
  const n = topology.dataShards + topology.parityShards;
  expect([...placement.keys()]).toEqual(topology.zones.map((z) => z.id));
  for (const zone of topology.zones) {
    const disks = placement.get(zone.id)!;
    expect(disks).toHaveLength(n);
    expect(new Set(disks.map((d) => d.id)).size).toBe(n);
    for (const disk of disks) {
      expect(disk.zone).toBe(zone.id);
      expect(topology.byId.get(disk.id)).toBe(disk);
    }
    const perRack = new Map<string, number>();
    const perNode = new Map<string, number>();
    for (const disk of disks) {
      perRack.set(disk.rack, (perRack.get(disk.rack) ?? 0) + 1);
      perNode.set(disk.node, (perNode.get(disk.node) ?? 0) + 1);
    }
    expect(Math.max(...perRack.values())).toBeLessThanOrEqual(topology.maxShardsPerRack);
    const maxNode = Math.max(...perNode.values());
    const nodes = zone.racks.reduce((sum, rack) => sum + rack.nodes.length, 0);
    const even = Math.ceil(n / nodes);
    // No node above ceil(n / nodes) when the topology allows it...
    if (capacityWithNodeLoad(zone, topology.maxShardsPerRack, even) >= n)
      expect(maxNode).toBeLessThanOrEqual(even);
    // ...and in any case no node above the smallest load that can place n shards at all.
    let smallest = 1;
    while (capacityWithNodeLoad(zone, topology.maxShardsPerRack, smallest) < n) smallest++;
    expect(maxNode).toBeLessThanOrEqual(smallest);
  }
}

const ids = (placement: Map<string, DiskSpec[]>) =>
  Object.fromEntries([...placement].map(([zone, disks]) => [zone, disks.map((d) => d.id)]));

// Random valid topologies: random racks of random nodes, padded with racks until every zone can hold
// k+m shards under the rack limit.
const topologyConfig: fc.Arbitrary<TopologyConfig> = fc
  .record({
    k: fc.integer({ min: 1, max: 12 }),
    m: fc.integer({ min: 1, max: 4 }),
    limitSeed: fc.nat(),
    zones: fc.array(
      fc.array(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), {
        minLength: 1,
        maxLength: 6,
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ k, m, limitSeed, zones }) => {
    const limit = 1 + (limitSeed % m);
    const layout = zones.map((racks) => {
      const padded = racks.map((nodes) => nodes.slice());
      let capacity = padded.reduce(
        (sum, nodes) =>
          sum +
          Math.min(
            limit,
            nodes.reduce((a, b) => a + b),
          ),
        0,
      );
      for (let i = 0; capacity < k + m; i++, capacity += limit)
        padded.push(i % 2 === 0 ? [limit] : [1, limit]);
      return { racks: padded.map((nodes) => ({ nodes: nodes.map((disks) => ({ disks })) })) };
    });
    return { dataShards: k, parityShards: m, maxShardsPerRack: limit, layout };
  });

const bucketName = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
const objectKey = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "grapheme", maxLength: 50 }));

describe("placeObject", () => {
  test("is pinned: the same object maps to the same disks in every process and version", () => {
    // Changing this mapping orphans every stored shard: update it only with a migration.
    expect(ids(placeObject("bucket", "key", defaultTopology))).toEqual(GOLDEN);
  });

  test("default topology: 16 distinct disks a zone, 4 a rack, 2 a node", () => {
    for (let i = 0; i < 500; i++) {
      const placement = placeObject("photos", `2024/img-${i}.jpg`, defaultTopology);
      checkInvariants(defaultTopology, placement);
      for (const disks of placement.values()) {
        const perRack = new Map<string, number>();
        for (const d of disks) perRack.set(d.rack, (perRack.get(d.rack) ?? 0) + 1);
        expect([...perRack.values()]).toEqual([4, 4, 4, 4]);
      }
    }
  });

  test("invariants hold for random keys on random valid topologies (property)", () => {
    fc.assert(
      fc.property(
        topologyConfig,
        fc.array(fc.tuple(bucketName, objectKey), { minLength: 1, maxLength: 20 }),
        (config, objects) => {
          const topology = buildTopology(config, DATA);
          const twin = buildTopology(config, DATA); // a fresh object: no shared cache
          for (const [bucket, key] of objects) {
            const placement = placeObject(bucket, key, topology);
            checkInvariants(topology, placement);
            expect(ids(placeObject(bucket, key, topology))).toEqual(ids(placement));
            expect(ids(placeObject(bucket, key, twin))).toEqual(ids(placement));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test("bucket and key both matter", () => {
    const a = ids(placeObject("b1", "k", defaultTopology));
    expect(ids(placeObject("b2", "k", defaultTopology))).not.toEqual(a);
    expect(ids(placeObject("b1", "k2", defaultTopology))).not.toEqual(a);
  });

  test.each([
    ["4 racks × 2 nodes × 4 disks", { zones: 1, racksPerZone: 4, nodesPerRack: 2, disksPerNode: 4 }],
    ["8 racks × 2 nodes × 2 disks", { zones: 1, racksPerZone: 8, nodesPerRack: 2, disksPerNode: 2 }],
    ["32 racks × 1 node × 1 disk", { zones: 1, racksPerZone: 32, nodesPerRack: 1, disksPerNode: 1 }],
  ])("balances 20,000 keys over a zone of 32 disks: %s", (_, config) => {
    const topology = buildTopology(config, DATA);
    expect(topology.disks).toHaveLength(32);
    const counts = new Map(topology.disks.map((d) => [d.id, 0]));
    const keys = 20_000;
    for (let i = 0; i < keys; i++) {
      for (const disk of placeObject("bucket", `object-${i}`, topology).get("az1")!) {
        counts.set(disk.id, counts.get(disk.id)! + 1);
      }
    }
    const mean = (keys * 16) / 32;
    for (const count of counts.values()) {
      expect(count).toBeGreaterThanOrEqual(mean * 0.85);
      expect(count).toBeLessThanOrEqual(mean * 1.15);
    }
  });

  test("shard order differs by key: each parity index lands on every disk, parity evenly spread", () => {
    const keys = 4_000;
    const n = 16;
    const parityPerDisk = new Map<string, number>();
    const disksOfIndex = Array.from({ length: n }, () => new Set<string>());
    const orders = new Set<string>();
    for (let i = 0; i < keys; i++) {
      const disks = placeObject("logs", `app/${i}.log`, defaultTopology).get("az2")!;
      orders.add(disks.map((d) => d.id).join(","));
      disks.forEach((disk, index) => {
        disksOfIndex[index].add(disk.id);
        if (index >= 12) parityPerDisk.set(disk.id, (parityPerDisk.get(disk.id) ?? 0) + 1);
      });
    }
    expect(orders.size).toBe(keys);
    for (const seen of disksOfIndex) expect(seen.size).toBe(16);
    expect(parityPerDisk.size).toBe(16);
    const mean = (keys * 4) / 16;
    for (const count of parityPerDisk.values()) {
      expect(count).toBeGreaterThanOrEqual(mean * 0.8);
      expect(count).toBeLessThanOrEqual(mean * 1.2);
    }
  });

  test("fills nodes as evenly as the rack limit allows on an irregular zone", () => {
    // 6 shards, ≤ 2 a rack. Rack r1 has one node of 4 disks and one of 1; the others two 1-disk nodes.
    const topology = buildTopology(
      {
        dataShards: 4,
        parityShards: 2,
        maxShardsPerRack: 2,
        layout: [
          {
            racks: [
              { nodes: [{ disks: 4 }, { disks: 1 }] },
              { nodes: [{ disks: 1 }, { disks: 1 }] },
              { nodes: [{ disks: 1 }, { disks: 1 }] },
            ],
          },
        ],
      },
      DATA,
    );
    for (let i = 0; i < 300; i++) {
      const disks = placeObject("b", `k${i}`, topology).get("az1")!;
      checkInvariants(topology, new Map([["az1", disks]]));
      const onBigNode = disks.filter((d) => d.node === "az1-r1-n1").length;
      expect(onBigNode).toBeLessThanOrEqual(1);
    }
  });

  test("refuses a hand-made topology that cannot place k+m shards", () => {
    const valid = buildTopology({ zones: 1 }, DATA);
    const broken: Topology = { ...valid, maxShardsPerRack: 3 };
    expect(() => placeObject("b", "k", broken)).toThrow(TopologyError);
  });
});

const GOLDEN = {
  az1: [
    "az1-r1-n1-d2",
    "az1-r1-n1-d1",
    "az1-r1-n2-d1",
    "az1-r4-n1-d2",
    "az1-r4-n1-d1",
    "az1-r1-n2-d2",
    "az1-r2-n1-d2",
    "az1-r3-n2-d2",
    "az1-r2-n1-d1",
    "az1-r4-n2-d2",
    "az1-r3-n2-d1",
    "az1-r3-n1-d2",
    "az1-r3-n1-d1",
    "az1-r2-n2-d1",
    "az1-r4-n2-d1",
    "az1-r2-n2-d2",
  ],
  az2: [
    "az2-r4-n1-d2",
    "az2-r2-n1-d1",
    "az2-r2-n1-d2",
    "az2-r3-n1-d1",
    "az2-r1-n2-d2",
    "az2-r3-n2-d2",
    "az2-r3-n1-d2",
    "az2-r1-n2-d1",
    "az2-r2-n2-d2",
    "az2-r1-n1-d1",
    "az2-r4-n2-d1",
    "az2-r3-n2-d1",
    "az2-r2-n2-d1",
    "az2-r4-n1-d1",
    "az2-r1-n1-d2",
    "az2-r4-n2-d2",
  ],
  az3: [
    "az3-r4-n1-d2",
    "az3-r1-n1-d1",
    "az3-r3-n1-d1",
    "az3-r2-n2-d2",
    "az3-r3-n2-d2",
    "az3-r2-n1-d2",
    "az3-r2-n1-d1",
    "az3-r3-n1-d2",
    "az3-r1-n1-d2",
    "az3-r4-n1-d1",
    "az3-r2-n2-d1",
    "az3-r4-n2-d1",
    "az3-r1-n2-d1",
    "az3-r3-n2-d1",
    "az3-r4-n2-d2",
    "az3-r1-n2-d2",
  ],
};
