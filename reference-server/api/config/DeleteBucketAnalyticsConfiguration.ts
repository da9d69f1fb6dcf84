// DeleteBucketAnalyticsConfiguration: DELETE ?analytics&id= removes one storage class analysis configuration (204), or
// NoSuchConfiguration when the bucket has none by that id.

import { ANALYTICS_FAMILY } from "../../config/families.ts";
import { deleteIdConfig } from "../../config/id-configs.ts";
import type { Handler } from "../../http/context.ts";

export const deleteBucketAnalyticsConfiguration: Handler = (r) => deleteIdConfig(r, ANALYTICS_FAMILY);
