import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  buildTopology,
  DEFAULT_TOPOLOGY_CONFIG,
  disksUnder,
  parentIds,
  type TopologyConfig,
  TopologyError,
} from "./topology.ts";

const DATA = "/var/lib/parity";

function refused(config: unknown, message: string | RegExp): void {
  let error: unknown;
  try {
    buildTopology(config as TopologyConfig, DATA);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(TopologyError);
  expect((error as TopologyError).code).toBe("InvalidTopology");
  if (typeof message === "string") expect((error as Error).message).toBe(message);
  else expect((error as Error).message).toMatch(message);
}

describe("default topology", () => {
  const t = buildTopology(undefined, DATA);

  test("3 zones × 4 racks × 2 nodes × 2 disks, 12+4, ≤4 a rack", () => {
    expect(t.dataShards).toBe(12);
    expect(t.parityShards).toBe(4);
    expect(t.maxShardsPerRack).toBe(4);
    expect(t.zones.map((z) => z.id)).toEqual(["az1", "az2", "az3"]);
    for (const zone of t.zones) {
      expect(zone.racks.map((r) => r.id)).toEqual([1, 2, 3, 4].map((r) => `${zone.id}-r${r}`));
      for (const rack of zone.racks) {
        expect(rack.nodes.map((n) => n.id)).toEqual([`${rack.id}-n1`, `${rack.id}-n2`]);
        for (const node of rack.nodes)
          expect(node.disks.map((d) => d.id)).toEqual([`${node.id}-d1`, `${node.id}-d2`]);
      }
    }
    expect(t.disks).toHaveLength(48);
    expect(t.byId.size).toBe(48);
  });

  test("disk ids, parents and paths are readable and stable", () => {
    expect(t.byId.get("az1-r2-n1-d2")).toEqual({
      id: "az1-r2-n1-d2",
      zone: "az1",
      rack: "az1-r2",
      node: "az1-r2-n1",
      path: join(DATA, "az1-r2-n1-d2"),
    });
    expect(t.disks[0].id).toBe("az1-r1-n1-d1");
    expect(t.disks[47].id).toBe("az3-r4-n2-d2");
    for (const disk of t.disks) expect(t.byId.get(disk.id)).toBe(disk);
  });

  test("undefined, {} and DEFAULT_TOPOLOGY_CONFIG give the same topology", () => {
    expect(buildTopology({}, DATA)).toEqual(t);
    expect(buildTopology(DEFAULT_TOPOLOGY_CONFIG, DATA)).toEqual(t);
    expect(DEFAULT_TOPOLOGY_CONFIG).toEqual({
      dataShards: 12,
      parityShards: 4,
      maxShardsPerRack: 4,
      zones: 3,
      racksPerZone: 4,
      nodesPerRack: 2,
      disksPerNode: 2,
    });
  });

  test("is frozen, so caches derived from it cannot go stale", () => {
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen(t.disks)).toBe(true);
    expect(Object.isFrozen(t.zones[0].racks[0].nodes[0].disks[0])).toBe(true);
    expect(() => t.disks.push(t.disks[0])).toThrow(TypeError);
  });
});

describe("configured topologies", () => {
  test("regular shape with partial settings keeps the other defaults", () => {
    const t = buildTopology(
      { zones: 1, disksPerNode: 4, dataShards: 6, parityShards: 3, maxShardsPerRack: 3 },
      "d",
    );
    expect(t.zones).toHaveLength(1);
    expect(t.disks).toHaveLength(4 * 2 * 4);
    expect(t.disks[3]).toMatchObject({ id: "az1-r1-n1-d4", path: join("d", "az1-r1-n1-d4") });
    expect([t.dataShards, t.parityShards, t.maxShardsPerRack]).toEqual([6, 3, 3]);
  });

  test("explicit layout: ids optional, disk counts or lists, paths absolute or relative to dataDir", () => {
    const t = buildTopology(
      {
        dataShards: 2,
        parityShards: 1,
        maxShardsPerRack: 1,
        layout: [
          {
            id: "paris",
            racks: [
              { id: "a", nodes: [{ disks: 2 }] },
              { nodes: [{ id: "x", disks: [{ id: "ssd", path: "/mnt/ssd0" }, { path: "big/d" }] }] },
              { nodes: [{ disks: 1 }, { disks: 1 }] },
            ],
          },
        ],
      },
      DATA,
    );
    expect(t.disks.map((d) => d.id)).toEqual([
      "paris-a-n1-d1",
      "paris-a-n1-d2",
      "paris-r2-x-ssd",
      "paris-r2-x-d2",
      "paris-r3-n1-d1",
      "paris-r3-n2-d1",
    ]);
    expect(t.byId.get("paris-r2-x-ssd")).toEqual({
      id: "paris-r2-x-ssd",
      zone: "paris",
      rack: "paris-r2",
      node: "paris-r2-x",
      path: "/mnt/ssd0",
    });
    expect(t.byId.get("paris-r2-x-d2")?.path).toBe(join(DATA, "big/d"));
  });

  test("smallest durable shape: a mirror over two racks", () => {
    const t = buildTopology(
      {
        dataShards: 1,
        parityShards: 1,
        maxShardsPerRack: 1,
        zones: 1,
        racksPerZone: 2,
        nodesPerRack: 1,
        disksPerNode: 1,
      },
      DATA,
    );
    expect(t.disks.map((d) => d.id)).toEqual(["az1-r1-n1-d1", "az1-r2-n1-d1"]);
  });
});

describe("validation", () => {
  test("a zone that cannot hold k+m shards under the rack limit", () => {
    const zone = (racks: number) => ({
      racks: Array.from({ length: racks }, () => ({ nodes: [{ disks: 4 }] })),
    });
    refused(
      { layout: [zone(4), zone(3), zone(4)] },
      "zone az2 has 3 racks: with at most 4 shards a rack it can hold 12 shards, but 12+4 needs 16",
    );
    refused(
      { racksPerZone: 3 },
      "zone az1 has 3 racks: with at most 4 shards a rack it can hold 12 shards, but 12+4 needs 16",
    );
  });

  test("a zone whose racks have too few disks, or too few disks at all", () => {
    refused(
      { layout: [{ racks: [...zoneRacks(3, 5), { nodes: [{ disks: 1 }] }] }] },
      "zone az1 has 4 racks: with at most 4 shards a rack and one shard a disk it can hold 13 shards, but 12+4 needs 16",
    );
    refused({ disksPerNode: 1 }, "zone az1 has 8 disks, but 12+4 needs 16 distinct disks");
    refused(
      { racksPerZone: 1, nodesPerRack: 1, disksPerNode: 1 },
      "zone az1 has 1 disk, but 12+4 needs 16 distinct disks",
    );
  });

  test("non-positive or non-integer counts", () => {
    refused({ zones: 0 }, "zones must be an integer ≥ 1, got 0");
    refused({ racksPerZone: -1 }, "racksPerZone must be an integer ≥ 1, got -1");
    refused({ nodesPerRack: 1.5 }, "nodesPerRack must be an integer ≥ 1, got 1.5");
    refused({ disksPerNode: "2" }, 'disksPerNode must be an integer ≥ 1, got "2"');
    refused({ zones: Number.NaN }, "zones must be an integer ≥ 1, got NaN");
    refused({ zones: Number.POSITIVE_INFINITY }, "zones must be an integer ≥ 1, got Infinity");
    refused(
      { layout: [{ racks: [{ nodes: [{ disks: 0 }] }] }] },
      "disks of node az1-r1-n1 must be an integer ≥ 1, got 0",
    );
    refused(
      { layout: [{ racks: [{ nodes: [{}] }] }] },
      "disks of node az1-r1-n1 must be an integer ≥ 1, got undefined",
    );
  });

  test("stripe geometry: k ≥ 1, m ≥ 0, k+m ≤ 256", () => {
    refused({ dataShards: 0 }, "dataShards must be an integer ≥ 1, got 0");
    refused({ dataShards: 2.5 }, "dataShards must be an integer ≥ 1, got 2.5");
    refused({ parityShards: -1 }, "parityShards must be an integer ≥ 0, got -1");
    refused({ maxShardsPerRack: 0 }, "maxShardsPerRack must be an integer ≥ 1, got 0");
    refused(
      { dataShards: 253 },
      "dataShards+parityShards is 253+4=257, more than the 256 shards a stripe can have",
    );
  });

  test("maxShardsPerRack above parityShards would make one rack's loss fatal", () => {
    refused(
      { maxShardsPerRack: 5 },
      "maxShardsPerRack 5 exceeds parityShards 4: losing one rack could lose 5 shards of a stripe, more than the 4 that 12+4 can rebuild",
    );
    refused({ parityShards: 2 }, /^maxShardsPerRack 4 \(the default\) exceeds parityShards 2/);
    // With no parity no rack can be lost, so m = 0 is refused by the same rule.
    refused({ parityShards: 0, maxShardsPerRack: 1 }, /^maxShardsPerRack 1 exceeds parityShards 0/);
  });

  test("fewer than one zone, rack, node or disk", () => {
    refused({ layout: [] }, "layout has no zones");
    refused({ layout: [{ racks: [] }] }, "zone az1 has no racks");
    refused({ layout: [{ racks: [{ nodes: [] }] }] }, "rack az1-r1 has no nodes");
    refused({ layout: [{ racks: [{ nodes: [{ disks: [] }] }] }] }, "node az1-r1-n1 has no disks");
    refused({ layout: [{}] }, "zone az1: racks must be a list, got undefined");
    refused({ layout: {} }, "layout: zones must be a list, got an object");
  });

  test("duplicate ids, including an explicit id that collides with a generated one", () => {
    refused(
      {
        layout: [
          { id: "eu", racks: zoneRacks(4, 4) },
          { id: "eu", racks: zoneRacks(4, 4) },
        ],
      },
      "duplicate zone id eu",
    );
    refused(
      { layout: [{ racks: [{ id: "r2", nodes: [{ disks: 8 }] }, ...zoneRacks(3, 4)] }] },
      "duplicate rack id az1-r2 in zone az1",
    );
    refused(
      {
        layout: [
          {
            racks: [
              {
                nodes: [
                  { id: "a", disks: 2 },
                  { id: "a", disks: 2 },
                ],
              },
              ...zoneRacks(3, 4),
            ],
          },
        ],
      },
      "duplicate node id az1-r1-a in rack az1-r1",
    );
    refused(
      { layout: [{ racks: [{ nodes: [{ disks: [{ id: "x" }, { id: "x" }] }] }, ...zoneRacks(4, 4)] }] },
      "duplicate disk id az1-r1-n1-x in node az1-r1-n1",
    );
  });

  test("ids outside a-z 0-9 (the '-' is reserved to join levels)", () => {
    const bad = ["AZ1", "eu_west", "eu-west", "", "zone 1", "é"];
    for (const id of bad)
      refused({ layout: [{ id, racks: zoneRacks(4, 4) }] }, /^zone 1 has invalid id .*a-z and 0-9/);
    refused(
      { layout: [{ racks: [{ id: 7, nodes: [{ disks: 4 }] }] }] },
      /^rack 1 of zone az1 has invalid id 7/,
    );
    refused(
      { layout: [{ racks: [{ nodes: [{ disks: [{ id: "D1" }] }] }] }] },
      /^disk 1 of node az1-r1-n1 has invalid id "D1"/,
    );
  });

  test("disk paths that are invalid, shared or nested", () => {
    const withPaths = (a: string, b: string) => ({
      layout: [{ racks: [{ nodes: [{ disks: [{ path: a }, { path: b }] }] }, ...zoneRacks(4, 4)] }],
    });
    refused(withPaths("/a", "/a/"), "disks az1-r1-n1-d1 and az1-r1-n1-d2 share the path /a/");
    refused(withPaths("x", join(DATA, "x")), /share the path/);
    refused(withPaths("az1-r2-n1-d1", "y"), /^disks az1-r1-n1-d1 and az1-r2-n1-d1 share the path/);
    refused(withPaths("/a", "/a/b"), "disk az1-r1-n1-d2 (/a/b) is inside the directory of disk az1-r1-n1-d1");
    refused(withPaths("", "/b"), 'disk az1-r1-n1-d1 has invalid path ""');
  });

  test("unknown settings, mixed shapes and non-objects", () => {
    refused({ dataShard: 12 }, /^unknown setting "dataShard" in topology config \(allowed: .*dataShards/);
    refused(
      { layout: [{ racks: [{ nodes: [{ disk: 2 }] }] }] },
      /^unknown setting "disk" in node 1 of rack az1-r1/,
    );
    refused(
      { zones: 3, layout: [{ racks: zoneRacks(4, 4) }] },
      "layout cannot be combined with zones: give one or the other",
    );
    // An empty "topology:" section in YAML parses as null: it means the defaults.
    expect(buildTopology(null as unknown as TopologyConfig, DATA).disks).toHaveLength(48);
    refused("3 zones", 'topology config must be an object, got "3 zones"');
    refused([], "topology config must be an object, got a list");
    refused({ layout: ["az1"] }, 'layout zone 1 must be an object, got "az1"');
  });

  test("an absurd size is refused before anything is allocated", () => {
    refused(
      { zones: 1_000_000, disksPerNode: 1_000 },
      /^topology has 8000000000 disks, more than the 65536 allowed/,
    );
  });

  test("buildTopology accepts exactly the zones with enough rack capacity (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }), {
          minLength: 1,
          maxLength: 8,
        }),
        (k, m, limitSeed, rackNodes) => {
          const limit = 1 + (limitSeed % m);
          const config = {
            dataShards: k,
            parityShards: m,
            maxShardsPerRack: limit,
            layout: [{ racks: rackNodes.map((nodes) => ({ nodes: nodes.map((disks) => ({ disks })) })) }],
          };
          const capacity = rackNodes.reduce(
            (sum, nodes) =>
              sum +
              Math.min(
                limit,
                nodes.reduce((a, b) => a + b),
              ),
            0,
          );
          if (capacity >= k + m) expect(buildTopology(config, DATA).zones).toHaveLength(1);
          else refused(config, /^zone az1 has \d+ (racks?:|disks?, but)/);
        },
      ),
    );
  });
});

function zoneRacks(racks: number, disks: number) {
  return Array.from({ length: racks }, () => ({ nodes: [{ disks }] }));
}

describe("parentIds", () => {
  test("lists the element and its ancestors, zone first", () => {
    expect(parentIds("az1-r2-n1-d2")).toEqual(["az1", "az1-r2", "az1-r2-n1", "az1-r2-n1-d2"]);
    expect(parentIds("az1-r2")).toEqual(["az1", "az1-r2"]);
    expect(parentIds("az3")).toEqual(["az3"]);
  });

  test("refuses what cannot be a topology id", () => {
    for (const id of ["", "az1--r2", "-az1", "AZ1", "a-b-c-d-e", "az1-r2-"]) {
      expect(() => parentIds(id)).toThrow(TopologyError);
    }
  });
});

describe("disksUnder", () => {
  const t = buildTopology(undefined, DATA);

  test("zone, rack, node and disk", () => {
    expect(disksUnder(t, "az2").map((d) => d.id)).toEqual(
      t.disks.filter((d) => d.zone === "az2").map((d) => d.id),
    );
    expect(disksUnder(t, "az2")).toHaveLength(16);
    expect(disksUnder(t, "az1-r3").map((d) => d.id)).toEqual([
      "az1-r3-n1-d1",
      "az1-r3-n1-d2",
      "az1-r3-n2-d1",
      "az1-r3-n2-d2",
    ]);
    expect(disksUnder(t, "az3-r4-n2").map((d) => d.id)).toEqual(["az3-r4-n2-d1", "az3-r4-n2-d2"]);
    expect(disksUnder(t, "az1-r1-n1-d1")).toEqual([t.byId.get("az1-r1-n1-d1")]);
  });

  test("unknown ids are a TopologyError naming the id", () => {
    expect(() => disksUnder(t, "az4")).toThrow(/unknown topology element "az4"/);
    expect(() => disksUnder(t, "az1-r5")).toThrow(TopologyError);
    expect(() => disksUnder(t, "nonsense id")).toThrow(TopologyError);
  });

  test("returns a copy: callers cannot corrupt the index", () => {
    disksUnder(t, "az1").length = 0;
    expect(disksUnder(t, "az1")).toHaveLength(16);
  });

  test("every disk is under each of its parentIds, and only there (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...t.disks), (disk) => {
        const ids = parentIds(disk.id);
        expect(ids).toEqual([disk.zone, disk.rack, disk.node, disk.id]);
        for (const id of ids) expect(disksUnder(t, id)).toContain(disk);
      }),
    );
    const racks = t.zones.flatMap((z) => z.racks.map((r) => r.id));
    expect(racks.reduce((sum, id) => sum + disksUnder(t, id).length, 0)).toBe(48);
  });
});
