// The console's retention setting over the management API: one number of days per bucket (0 keeps
// objects forever), stored as the lifecycle rule "parity-retention" (lifecycle/retention.ts).

import { MAX_RULES } from "../lifecycle/document.ts";
import { MAX_RETENTION_DAYS, retentionDays, withRetention } from "../lifecycle/retention.ts";
import { LIFECYCLE_ATTR, lifecycleOf } from "../lifecycle/types.ts";
import type { StorageEngine } from "../storage/engine.ts";
import { AdminError, type Router } from "./http.ts";
import { requireBucket } from "./iam-routes.ts";

export function addLifecycleRoutes(router: Router, engine: StorageEngine): void {
  router
    .add("GET", "/buckets/:bucket/retention", ({ params }) => {
      const b = requireBucket(engine, params.bucket);
      return { body: { bucket: b.name, days: retentionDays(lifecycleOf(b)) } };
    })
    .add("PUT", "/buckets/:bucket/retention", async ({ params, body }) => {
      requireBucket(engine, params.bucket);
      const days = (await body()).days;
      if (typeof days !== "number" || !Number.isInteger(days) || days < 0 || days > MAX_RETENTION_DAYS) {
        throw new AdminError(
          400,
          "InvalidField",
          `"days" must be an integer from 0 (keep forever) to ${MAX_RETENTION_DAYS}`,
        );
      }
      const updated = await engine.updateBucket(params.bucket, (b) => {
        const next = withRetention(lifecycleOf(b), days);
        if (next && next.rules.length > MAX_RULES) {
          throw new AdminError(409, "TooManyRules", `the bucket already has ${MAX_RULES} lifecycle rules`);
        }
        const attrs = { ...b.attrs };
        if (next) attrs[LIFECYCLE_ATTR] = next;
        else delete attrs[LIFECYCLE_ATTR];
        return { ...b, attrs };
      });
      return { body: { bucket: updated.name, days: retentionDays(lifecycleOf(updated)) } };
    });
}
