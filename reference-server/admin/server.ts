// The management API of the reference server: JSON over HTTP on its own port, behind a bearer token.
// Endpoints are documented in docs/admin-api.md.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CryptoError } from "../crypto/errors.ts";
import { type AccountStore, IamError } from "../iam/accounts.ts";
import type { StorageEngine } from "../storage/engine.ts";
import { StorageError, type StorageErrorCode } from "../storage/errors.ts";
import { addAccessRoutes } from "./access-routes.ts";
import { addClusterRoutes } from "./cluster-routes.ts";
import {
  AdminError,
  checkBearer,
  generateAdminToken,
  Router,
  readJson,
  sendError,
  sendJson,
} from "./http.ts";
import { addIamRoutes } from "./iam-routes.ts";
import { addLifecycleRoutes } from "./lifecycle-routes.ts";
import { addUsageRoutes } from "./usage-routes.ts";

export { AdminError, generateAdminToken } from "./http.ts";

export interface AdminServerOptions {
  engine: StorageEngine;
  accounts: AccountStore;
  token: string;
  /** Called with server-side errors (5xx); default: console.error. They never carry secrets or the token. */
  onError?: (e: unknown, method: string, path: string) => void;
}

const STORAGE_STATUS: Partial<Record<StorageErrorCode, number>> = {
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NoSuchVersion: 404,
  InvalidArgument: 400,
  InsufficientReadQuorum: 503,
  InsufficientWriteQuorum: 503,
};

function toAdminError(e: unknown): AdminError {
  if (e instanceof AdminError) return e;
  if (e instanceof IamError) return new AdminError(e.status, e.code, e.message);
  if (e instanceof StorageError) {
    const status = STORAGE_STATUS[e.code] ?? 500;
    return new AdminError(status, e.code, e.message);
  }
  if (e instanceof CryptoError) {
    // A secret that no longer opens (master key dropped, file tampered): a server-side problem.
    return new AdminError(500, e.code, e.message);
  }
  return new AdminError(500, "InternalError", "internal error; see the server log");
}

export function adminRouter(engine: StorageEngine, accounts: AccountStore): Router {
  const router = new Router();
  // Unauthenticated on purpose: readiness probes and `parity serve` scripts wait on it.
  router.add("GET", "/health", () => ({ body: { status: "ok" } }));
  addIamRoutes(router, engine, accounts);
  addClusterRoutes(router, engine, accounts);
  addLifecycleRoutes(router, engine);
  addAccessRoutes(router, engine);
  addUsageRoutes(router, engine, accounts);
  return router;
}

export function createAdminServer(opts: AdminServerOptions): Server {
  if (typeof opts.token !== "string" || opts.token.length < 16) {
    throw new Error("the admin token must be at least 16 characters");
  }
  const router = adminRouter(opts.engine, opts.accounts);
  const onError =
    opts.onError ??
    ((e: unknown, method: string, path: string) => console.error(`admin API ${method} ${path}:`, e));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const rawPath = q < 0 ? url : url.slice(0, q);
    try {
      // Everything but /health needs the token, unknown paths too: no probing without it.
      if (rawPath !== "/health") checkBearer(req, opts.token);
      const { route, params } = router.match(method, rawPath);
      const result = await route.handler({
        req,
        params,
        query: new URLSearchParams(q < 0 ? "" : url.slice(q + 1)),
        body: () => readJson(req),
      });
      sendJson(res, result.status ?? 200, result.body);
    } catch (e) {
      const err = toAdminError(e);
      if (err.status >= 500) onError(e, method, rawPath);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, err);
    } finally {
      // A request whose body was never read must not leave the connection stuck.
      if (!req.readableEnded) req.resume();
    }
  };
  return createServer((req, res) => {
    void handle(req, res);
  });
}

export interface RunningAdminServer {
  endpoint: string;
  token: string;
  server: Server;
  close(): Promise<void>;
}

/** Listen on loopback (port 0 picks a free one); a token is generated when none is given. */
export async function startAdminServer(
  opts: Omit<AdminServerOptions, "token"> & { token?: string; port?: number; host?: string },
): Promise<RunningAdminServer> {
  const token = opts.token ?? generateAdminToken();
  const server = createAdminServer({ ...opts, token });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    endpoint: `http://${urlHost}:${port}`,
    token,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
