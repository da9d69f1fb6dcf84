// ListBucketAnalyticsConfigurations: GET ?analytics without an id lists the bucket's storage class analysis configurations in
// id order, 100 a page, with IsTruncated and an opaque continuation token.

import { ANALYTICS_FAMILY } from "../../config/families.ts";
import { listIdConfigs } from "../../config/id-configs.ts";
import type { Handler } from "../../http/context.ts";

export const listBucketAnalyticsConfigurations: Handler = (r) => listIdConfigs(r, ANALYTICS_FAMILY);
