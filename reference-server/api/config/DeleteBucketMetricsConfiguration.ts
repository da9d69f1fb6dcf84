// DeleteBucketMetricsConfiguration: DELETE ?metrics&id= removes one CloudWatch request metrics configuration (204), or
// NoSuchConfiguration when the bucket has none by that id.

import { METRICS_FAMILY } from "../../config/families.ts";
import { deleteIdConfig } from "../../config/id-configs.ts";
import type { Handler } from "../../http/context.ts";

export const deleteBucketMetricsConfiguration: Handler = (r) => deleteIdConfig(r, METRICS_FAMILY);
