// PutBucketAnalyticsConfiguration: PUT ?analytics&id= stores one storage class analysis configuration (the body's Id must be
// the query's), validated against the service model and the family's rules; at most 1,000 a bucket.

import { ANALYTICS_FAMILY } from "../../config/families.ts";
import { putIdConfig } from "../../config/id-configs.ts";
import type { Handler } from "../../http/context.ts";

export const putBucketAnalyticsConfiguration: Handler = (r) => putIdConfig(r, ANALYTICS_FAMILY);
