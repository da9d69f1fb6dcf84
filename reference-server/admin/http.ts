// Plumbing of the management API: JSON errors, body reading, bearer tokens and a small route matcher.

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** An error the API answers with `{ "error": { "code", "message" } }` and this HTTP status. */
export class AdminError extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail?: Record<string, unknown>;
  constructor(status: number, code: string, message: string, detail?: Record<string, unknown>) {
    super(message);
    this.name = "AdminError";
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

export const MAX_BODY_BYTES = 64 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = status === 204 ? "" : JSON.stringify(body, null, 2) + "\n";
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(data),
    // Responses may carry a secret (account creation, key reset): never cache them.
    "cache-control": "no-store",
  });
  res.end(data);
}

export function sendError(res: ServerResponse, e: AdminError): void {
  if (e.status === 401) res.setHeader("www-authenticate", 'Bearer realm="parity-admin"');
  sendJson(res, e.status, { error: { code: e.code, message: e.message, ...(e.detail ?? {}) } });
}

/** The JSON body as an object; an empty body is `{}`. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY_BYTES) {
      throw new AdminError(413, "BodyTooLarge", `request bodies are limited to ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AdminError(400, "InvalidJSON", "the request body is not valid JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AdminError(400, "InvalidJSON", "the request body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

export function stringField(body: Record<string, unknown>, name: string, required: true): string;
export function stringField(
  body: Record<string, unknown>,
  name: string,
  required?: false,
): string | undefined;
export function stringField(
  body: Record<string, unknown>,
  name: string,
  required = false,
): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required) throw new AdminError(400, "MissingField", `the body needs a "${name}" string`);
    return undefined;
  }
  if (typeof v !== "string") throw new AdminError(400, "InvalidField", `"${name}" must be a string`);
  return v;
}

export function generateAdminToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Constant-time: both sides are hashed first, so lengths do not leak either. */
export function checkBearer(req: IncomingMessage, token: string): void {
  const header = req.headers.authorization;
  if (header === undefined || header === "") {
    throw new AdminError(401, "MissingToken", "send the admin token as 'Authorization: Bearer <token>'");
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const digest = (s: string) => createHash("sha256").update(s).digest();
  if (!m || !timingSafeEqual(digest(m[1]), digest(token))) {
    throw new AdminError(401, "InvalidToken", "the admin token is not valid");
  }
}

export interface RouteContext {
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  body: () => Promise<Record<string, unknown>>;
}

export interface RouteResult {
  status?: number; // default 200
  body: unknown;
}

export type Handler = (ctx: RouteContext) => Promise<RouteResult> | RouteResult;

export interface Route {
  method: string;
  /** "/accounts/:id/reset-key"; one "*name" segment may match several segments (object keys). */
  pattern: string;
  handler: Handler;
}

interface CompiledRoute extends Route {
  segments: string[];
}

export class Router {
  private readonly routes: CompiledRoute[] = [];

  /** Every endpoint, for the docs check. */
  list(): { method: string; pattern: string }[] {
    return this.routes.map((r) => ({ method: r.method, pattern: r.pattern }));
  }

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, pattern, handler, segments: pattern.split("/").filter(Boolean) });
    return this;
  }

  /**
   * The route for a raw path (percent-encoded, no query). Segments are decoded one by one, so an object
   * key may be sent with its "/" raw or as %2F. 404 for an unknown path, 405 for a known path and
   * another method.
   */
  match(method: string, rawPath: string): { route: Route; params: Record<string, string> } {
    const raw = rawPath.split("/").slice(1);
    if (raw.length > 0 && raw[raw.length - 1] === "" && raw.length > 1) raw.pop();
    let segments: string[];
    try {
      segments = raw.map((s) => decodeURIComponent(s));
    } catch {
      throw new AdminError(400, "InvalidPath", "the path is not valid percent-encoding");
    }
    const allowed: string[] = [];
    for (const r of this.routes) {
      const params = matchSegments(r.segments, segments);
      if (!params) continue;
      if (r.method === method) return { route: r, params };
      allowed.push(r.method);
    }
    if (allowed.length > 0) {
      throw new AdminError(
        405,
        "MethodNotAllowed",
        `${method} is not allowed here; use ${allowed.join(", ")}`,
      );
    }
    throw new AdminError(404, "NoSuchRoute", `no endpoint ${method} ${rawPath}; see docs/admin-api.md`);
  }
}

function matchSegments(pattern: string[], path: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  const star = pattern.findIndex((p) => p.startsWith("*"));
  if (star < 0) {
    if (pattern.length !== path.length) return undefined;
  } else if (path.length < pattern.length) {
    return undefined;
  }
  const tail = star < 0 ? 0 : pattern.length - star - 1;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (i === star) {
      params[p.slice(1)] = path.slice(i, path.length - tail).join("/");
      continue;
    }
    const s = star >= 0 && i > star ? path[path.length - (pattern.length - i)] : path[i];
    if (p.startsWith(":")) {
      if (s === "") return undefined;
      params[p.slice(1)] = s;
    } else if (p !== s) {
      return undefined;
    }
  }
  return params;
}
