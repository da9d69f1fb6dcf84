// GetBucketMetricsConfiguration: GET ?metrics&id= returns one CloudWatch request metrics configuration as stored, or
// NoSuchConfiguration. Without an id the same route lists them (ListBucketMetricsConfigurations).

import { METRICS_FAMILY } from "../../config/families.ts";
import { getIdConfig } from "../../config/id-configs.ts";
import type { Handler } from "../../http/context.ts";

export const getBucketMetricsConfiguration: Handler = (r) => getIdConfig(r, METRICS_FAMILY);
