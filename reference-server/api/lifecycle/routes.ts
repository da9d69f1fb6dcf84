// Routes of the lifecycle area, merged into the route table by http/routes.ts.

import type { RouteEntries } from "../../http/route-key.ts";

export const ROUTES: RouteEntries = [];
