// ListBucketMetricsConfigurations: GET ?metrics without an id lists the bucket's CloudWatch request metrics configurations in
// id order, 100 a page, with IsTruncated and an opaque continuation token.

import { METRICS_FAMILY } from "../../config/families.ts";
import { listIdConfigs } from "../../config/id-configs.ts";
import type { Handler } from "../../http/context.ts";

export const listBucketMetricsConfigurations: Handler = (r) => listIdConfigs(r, METRICS_FAMILY);
