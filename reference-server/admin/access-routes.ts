// Network access per bucket over the management API: private (the provider's own networks), public (any
// address) or custom (a list of IPv4 CIDR blocks), stored as the bucket's attrs.network and enforced by
// access/network.ts on every S3 request to the bucket.

import { normaliseCustomCidrs } from "../access/network.ts";
import { NETWORK_MODES, type NetworkMode, networkAccess } from "../access/settings.ts";
import type { StorageEngine } from "../storage/engine.ts";
import { AdminError, type Router } from "./http.ts";
import { requireBucket } from "./iam-routes.ts";

/** At most this many blocks in a custom list (one bucket record holds them). */
export const MAX_CUSTOM_CIDRS = 100;

export function addAccessRoutes(router: Router, engine: StorageEngine): void {
  router
    .add("GET", "/buckets/:bucket/network", ({ params }) => {
      const b = requireBucket(engine, params.bucket);
      return { body: { bucket: b.name, ...networkAccess(b) } };
    })
    .add("PUT", "/buckets/:bucket/network", async ({ params, body }) => {
      requireBucket(engine, params.bucket);
      const b = await body();
      const mode = b.mode;
      if (typeof mode !== "string" || !NETWORK_MODES.includes(mode as NetworkMode)) {
        throw new AdminError(400, "InvalidField", `"mode" must be one of ${NETWORK_MODES.join(", ")}`);
      }
      let cidrs: string[] = [];
      if (mode === "custom") {
        if (!Array.isArray(b.cidrs) || b.cidrs.length === 0 || b.cidrs.length > MAX_CUSTOM_CIDRS) {
          throw new AdminError(
            400,
            "InvalidField",
            `"cidrs" must list 1 to ${MAX_CUSTOM_CIDRS} IPv4 CIDR blocks for the custom mode`,
          );
        }
        const n = normaliseCustomCidrs(b.cidrs as string[]);
        if ("invalid" in n) {
          throw new AdminError(400, "InvalidField", `not an IPv4 CIDR block: ${JSON.stringify(n.invalid)}`);
        }
        cidrs = n.cidrs;
      } else if (b.cidrs !== undefined) {
        throw new AdminError(400, "InvalidField", `"cidrs" is only for the custom mode`);
      }
      const updated = await engine.updateBucket(params.bucket, (cur) => ({
        ...cur,
        attrs: { ...cur.attrs, network: mode === "custom" ? { mode, cidrs } : { mode } },
      }));
      return { body: { bucket: updated.name, ...networkAccess(updated) } };
    });
}
