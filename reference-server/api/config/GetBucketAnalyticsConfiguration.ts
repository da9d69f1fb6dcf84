// GetBucketAnalyticsConfiguration: GET ?analytics&id= returns one storage class analysis configuration as stored, or
// NoSuchConfiguration. Without an id the same route lists them (ListBucketAnalyticsConfigurations).

import { ANALYTICS_FAMILY } from "../../config/families.ts";
import { getIdConfig } from "../../config/id-configs.ts";
import type { Handler } from "../../http/context.ts";

export const getBucketAnalyticsConfiguration: Handler = (r) => getIdConfig(r, ANALYTICS_FAMILY);
