// Shard placement: which disk of each zone holds which shard of an object.
//
// Pure and deterministic across processes and versions: the disks are found again from (bucket, key,
// topology) alone, so changing the hash or the selection order moves every stored shard. The golden
// test in placement.test.ts pins it.
//
// Per zone, disks are ranked by a rendezvous (HRW) score hash(key, disk), and taken best first while
// they respect the limits: one shard a disk, ≤ maxShardsPerRack a rack, ≤ T a node, T being the
// smallest node load that can place k+m shards at all (so nodes fill as evenly as the rack limit
// allows). Those limits form a laminar matroid, so the greedy never gets stuck before k+m disks.
// Shard i goes to the i-th disk taken: the order is the key's own, so parity moves from key to key.
// Rendezvous keeps disks balanced over keys and moves few objects when disks are added, though the
// shard indices after a newly inserted disk shift (a per-index ranking would avoid it at k+m times
// the hashing cost).

import { hash } from "node:crypto";
import { type DiskSpec, type Topology, TopologyError } from "./topology.ts";

interface ZonePlan {
  id: string;
  disks: DiskSpec[];
  seedA: Uint32Array; // per disk, from SHA-256 of its id
  seedB: Uint32Array;
  nodeOf: Int32Array;
  rackOf: Int32Array;
  nodeCap: Int32Array;
  rackCap: number;
  // Scratch state, reset on every call (placement is synchronous).
  order: Float64Array;
  nodeLoad: Int32Array;
  rackLoad: Int32Array;
}

interface Plan {
  shards: number;
  zones: ZonePlan[];
}

const plans = new WeakMap<Topology, Plan>();

// murmur3 finalizer: a cheap bijective 32-bit mixer with full avalanche.
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function planZone(topology: Topology, index: number): ZonePlan {
  const zone = topology.zones[index];
  const shards = topology.dataShards + topology.parityShards;
  const perRack = topology.maxShardsPerRack;
  const disks: DiskSpec[] = [];
  const nodeOf: number[] = [];
  const rackOf: number[] = [];
  const nodeDisks: number[] = [];
  const rackNodes: number[][] = [];
  for (const rack of zone.racks) {
    const nodesOfRack: number[] = [];
    for (const node of rack.nodes) {
      nodesOfRack.push(nodeDisks.length);
      for (const disk of node.disks) {
        disks.push(disk);
        nodeOf.push(nodeDisks.length);
        rackOf.push(rackNodes.length);
      }
      nodeDisks.push(node.disks.length);
    }
    rackNodes.push(nodesOfRack);
  }
  // Smallest per-node load T that still fits k+m shards under the rack limit: nodes are then filled
  // as evenly as the rack limit allows.
  const maxNodeDisks = Math.max(...nodeDisks);
  let nodeLimit = 0;
  for (let t = 1; t <= maxNodeDisks && nodeLimit === 0; t++) {
    let capacity = 0;
    for (const nodes of rackNodes) {
      let rackCapacity = 0;
      for (const n of nodes) rackCapacity += Math.min(t, nodeDisks[n]);
      capacity += Math.min(perRack, rackCapacity);
    }
    if (capacity >= shards) nodeLimit = t;
  }
  if (disks.length > 65536) throw new TopologyError(`zone ${zone.id} has more than 65536 disks`);
  if (nodeLimit === 0) {
    throw new TopologyError(
      `zone ${zone.id} cannot place ${shards} shards with at most ${perRack} a rack (use buildTopology)`,
    );
  }
  const seedA = new Uint32Array(disks.length);
  const seedB = new Uint32Array(disks.length);
  for (const [i, disk] of disks.entries()) {
    const digest = hash("sha256", disk.id, "buffer");
    seedA[i] = digest.readUInt32BE(0);
    seedB[i] = digest.readUInt32BE(4);
  }
  return {
    id: zone.id,
    disks,
    seedA,
    seedB,
    nodeOf: Int32Array.from(nodeOf),
    rackOf: Int32Array.from(rackOf),
    nodeCap: Int32Array.from(nodeDisks, (count) => Math.min(nodeLimit, count)),
    rackCap: perRack,
    order: new Float64Array(disks.length),
    nodeLoad: new Int32Array(nodeDisks.length),
    rackLoad: new Int32Array(rackNodes.length),
  };
}

function planFor(topology: Topology): Plan {
  let plan = plans.get(topology);
  if (plan === undefined) {
    const shards = topology.dataShards + topology.parityShards;
    plan = {
      shards,
      zones: topology.zones.map((_, i) => planZone(topology, i)),
    };
    plans.set(topology, plan);
  }
  return plan;
}

function placeInZone(zone: ZonePlan, ks: number, shards: number): DiskSpec[] {
  const { disks, seedA, seedB, nodeOf, rackOf, nodeCap, rackCap, order, nodeLoad, rackLoad } = zone;
  const count = disks.length;
  // Rendezvous ranking: score in the high bits, disk index in the low 16 (ties resolve by index), so
  // a native numeric sort of a Float64Array ranks the disks without a comparator.
  for (let d = 0; d < count; d++) order[d] = fmix32(fmix32(ks ^ seedA[d]) ^ seedB[d]) * 65536 + d;
  if (count <= 64) {
    // Insertion sort: for a zone's handful of disks it beats the native sort's call overhead.
    for (let i = 1; i < count; i++) {
      const v = order[i];
      let j = i - 1;
      while (j >= 0 && order[j] > v) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = v;
    }
  } else {
    order.sort();
  }
  nodeLoad.fill(0);
  rackLoad.fill(0);
  const out = new Array<DiskSpec>(shards);
  let shard = 0;
  for (let i = count - 1; shard < shards; i--) {
    const d = order[i] % 65536;
    const node = nodeOf[d];
    const rack = rackOf[d];
    if (nodeLoad[node] >= nodeCap[node] || rackLoad[rack] >= rackCap) continue;
    nodeLoad[node]++;
    rackLoad[rack]++;
    out[shard++] = disks[d];
  }
  return out;
}

/** The k+m disks of every zone for an object; array index = shard index. */
export function placeObject(bucket: string, key: string, topology: Topology): Map<string, DiskSpec[]> {
  const plan = planFor(topology);
  const digest = hash("sha256", bucket + "/" + key, "buffer");
  const w0 = digest.readUInt32BE(0);
  const w1 = digest.readUInt32BE(4);
  const ks = fmix32(w0) ^ w1;
  const result = new Map<string, DiskSpec[]>();
  for (const zone of plan.zones) result.set(zone.id, placeInZone(zone, ks, plan.shards));
  return result;
}
