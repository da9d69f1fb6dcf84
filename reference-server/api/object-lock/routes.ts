// Routes of the object-lock area, merged into the route table by http/routes.ts.

import type { RouteEntries } from "../../http/route-key.ts";

export const ROUTES: RouteEntries = [];
