// Buckets, topology, faults, heal and placement over the management API.

import type { AccountStore } from "../iam/accounts.ts";
import type { StorageEngine } from "../storage/engine.ts";
import { FAULT_KINDS, type FaultKind, type FaultParams } from "../storage/faults.ts";
import { disksUnder } from "../storage/topology.ts";
import {
  BUCKET_TYPES,
  type BucketType,
  bucketView,
  faultView,
  placementView,
  topologyView,
} from "./cluster-views.ts";
import { AdminError, type Router, stringField } from "./http.ts";
import { requireBucket } from "./iam-routes.ts";

export function addClusterRoutes(router: Router, engine: StorageEngine, accounts: AccountStore): void {
  // One heal pass at a time: two passes would rebuild the same shards concurrently.
  let healing = false;
  router
    .add("GET", "/buckets", ({ query }) => {
      const tenant = query.get("tenant");
      const owner = query.get("owner");
      const buckets = engine
        .listBuckets()
        .map((b) => bucketView(engine, accounts, b))
        .filter((b) => (tenant === null || b.tenant === tenant) && (owner === null || b.owner === owner));
      return { body: { buckets } };
    })
    .add("GET", "/buckets/:bucket", ({ params }) => ({
      body: bucketView(engine, accounts, requireBucket(engine, params.bucket)),
    }))
    .add("PATCH", "/buckets/:bucket", async ({ params, body }) => {
      requireBucket(engine, params.bucket);
      const type = stringField(await body(), "type", true);
      if (!BUCKET_TYPES.includes(type as BucketType)) {
        throw new AdminError(400, "InvalidBucketType", `type must be one of ${BUCKET_TYPES.join(", ")}`);
      }
      const rec = await engine.updateBucket(params.bucket, (b) => ({ ...b, attrs: { ...b.attrs, type } }));
      return { body: bucketView(engine, accounts, rec) };
    })
    .add("GET", "/buckets/:bucket/objects/*key/placement", ({ params, query }) => {
      requireBucket(engine, params.bucket);
      const versionId = query.get("versionId");
      const rec =
        versionId === null
          ? engine.ctx.index.getLatest(params.bucket, params.key)
          : engine.ctx.index.getVersion(params.bucket, params.key, versionId);
      if (!rec || rec.deleteMarker) {
        throw new AdminError(
          404,
          "NoSuchKey",
          `no ${versionId === null ? "current" : `version ${versionId} of`} object ${JSON.stringify(params.key)}` +
            ` in bucket ${params.bucket}${rec?.deleteMarker ? " (it is a delete marker)" : ""}`,
        );
      }
      return { body: placementView(engine, rec) };
    })

    .add("GET", "/topology", () => ({ body: topologyView(engine) }))

    .add("GET", "/faults", () => ({ body: { faults: engine.faults.list().map(faultView) } }))
    .add("POST", "/faults", async ({ body }) => {
      const b = await body();
      const target = stringField(b, "target", true);
      const kind = stringField(b, "kind", true);
      if (!FAULT_KINDS.includes(kind as FaultKind)) {
        throw new AdminError(400, "InvalidFaultKind", `kind must be one of ${FAULT_KINDS.join(", ")}`);
      }
      try {
        disksUnder(engine.topology, target);
      } catch (e) {
        throw new AdminError(400, "InvalidTarget", (e as Error).message);
      }
      const fault = await engine.faults.inject(target, kind as FaultKind, faultParams(b.params));
      return { status: 201, body: faultView(fault) };
    })
    .add("DELETE", "/faults/:id", async ({ params }) => {
      if (!engine.faults.list().some((f) => f.id === params.id)) {
        throw new AdminError(404, "NoSuchFault", `no active fault ${JSON.stringify(params.id)}`);
      }
      const fault = await engine.faults.restore(params.id);
      const healNeeded = fault.kind === "wipe" || fault.kind === "corrupt";
      return {
        body: {
          restored: faultView(fault),
          // Restoring cannot bring back wiped or flipped bytes: only heal rebuilds them.
          note: healNeeded ? "data lost to this fault comes back only through POST /heal" : undefined,
        },
      };
    })

    .add("POST", "/heal", async ({ body }) => {
      const deep = (await body()).deep;
      if (deep !== undefined && typeof deep !== "boolean") {
        throw new AdminError(400, "InvalidField", '"deep" must be a boolean');
      }
      if (healing)
        throw new AdminError(409, "HealInProgress", "a heal pass is already running; retry when it ends");
      healing = true;
      try {
        // Unset: the engine's default (deep), so a bare POST /heal never misses bit rot.
        return { body: await engine.heal(deep === undefined ? {} : { deep }) };
      } finally {
        healing = false;
      }
    });
}

function faultParams(raw: unknown): FaultParams {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new AdminError(400, "InvalidField", '"params" must be an object');
  }
  const p = raw as Record<string, unknown>;
  const out: FaultParams = {};
  for (const [name, value] of Object.entries(p)) {
    switch (name) {
      case "slowMs":
      case "files":
        if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 600_000) {
          throw new AdminError(400, "InvalidField", `params.${name} must be a non-negative integer`);
        }
        out[name] = value;
        break;
      case "bucket":
      case "key":
        if (typeof value !== "string")
          throw new AdminError(400, "InvalidField", `params.${name} must be a string`);
        out[name] = value;
        break;
      default:
        throw new AdminError(400, "InvalidField", `unknown fault parameter ${JSON.stringify(name)}`);
    }
  }
  if ((out.bucket === undefined) !== (out.key === undefined)) {
    throw new AdminError(400, "InvalidField", "params.bucket and params.key go together");
  }
  return out;
}
