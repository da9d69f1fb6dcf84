// CORS as S3 does it: the bucket's configuration (validated as PutBucketCors does, stored in the bucket
// record's attrs.cors), the first rule matching an origin / method / request headers, the OPTIONS
// preflight answer, and the headers added to actual responses of requests that carry an Origin.

import type { IncomingMessage, ServerResponse } from "node:http";
import { S3Error } from "../http/s3-error.ts";
import type { ParsedXml } from "../http/xml.ts";
import type { StorageEngine } from "../storage/engine.ts";
import { xmlStrings } from "./xml-lists.ts";

export interface CorsRule {
  id?: string;
  allowedMethods: string[];
  allowedOrigins: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

export const CORS_METHODS = new Set(["GET", "PUT", "POST", "DELETE", "HEAD"]);
export const MAX_CORS_RULES = 100;
const MAX_ID_CHARS = 255;

function invalidRequest(message: string): S3Error {
  return new S3Error("InvalidRequest", { message });
}

/** A CORSConfiguration document (already parsed) → rules, refused as AWS refuses them. */
export function parseCorsConfiguration(doc: ParsedXml): CorsRule[] {
  const rules = doc.CORSRule;
  if (!Array.isArray(rules) || rules.length === 0) throw new S3Error("MalformedXML");
  if (rules.length > MAX_CORS_RULES) {
    throw invalidRequest(
      `The number of CORS rules should not exceed allowed limit of ${MAX_CORS_RULES} rules.`,
    );
  }
  return rules.map((raw) => {
    if (typeof raw !== "object" || raw === null) throw new S3Error("MalformedXML");
    const node = raw as ParsedXml;
    const allowedMethods = xmlStrings(node, "AllowedMethod");
    const allowedOrigins = xmlStrings(node, "AllowedOrigin");
    const allowedHeaders = xmlStrings(node, "AllowedHeader");
    const exposeHeaders = xmlStrings(node, "ExposeHeader");
    const id = xmlStrings(node, "ID");
    const maxAge = xmlStrings(node, "MaxAgeSeconds");
    // The schema: one or more methods and origins, at most one ID and one MaxAgeSeconds.
    if (allowedMethods.length === 0 || allowedOrigins.length === 0 || id.length > 1 || maxAge.length > 1)
      throw new S3Error("MalformedXML");
    for (const m of allowedMethods) {
      if (!CORS_METHODS.has(m))
        throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    }
    for (const o of allowedOrigins) {
      if (wildcards(o) > 1) throw invalidRequest(`AllowedOrigin "${o}" can not have more than one wildcard.`);
    }
    for (const h of allowedHeaders) {
      if (wildcards(h) > 1) throw invalidRequest(`AllowedHeader "${h}" can not have more than one wildcard.`);
    }
    for (const h of exposeHeaders) {
      if (h.includes("*"))
        throw invalidRequest(
          `ExposeHeader "${h}" contains wildcard. We currently do not support wildcard for ExposeHeader.`,
        );
    }
    if (id[0] !== undefined && [...id[0]].length > MAX_ID_CHARS)
      throw new S3Error("InvalidArgument", {
        message: `ID length should not exceed allowed limit of ${MAX_ID_CHARS}`,
        extra: { ArgumentName: "ID", ArgumentValue: id[0] },
      });
    // xs:int: digits with an optional sign, in range.
    if (
      maxAge[0] !== undefined &&
      (!/^[+-]?\d{1,10}$/.test(maxAge[0]) || Math.abs(Number(maxAge[0])) > 2 ** 31 - 1)
    )
      throw new S3Error("MalformedXML");
    return {
      ...(id[0] === undefined ? {} : { id: id[0] }),
      allowedMethods,
      allowedOrigins,
      allowedHeaders,
      exposeHeaders,
      ...(maxAge[0] === undefined ? {} : { maxAgeSeconds: Number(maxAge[0]) }),
    };
  });
}

/** Rules as GetBucketCors renders them, in the schema's element order. */
export function renderCorsRules(rules: readonly CorsRule[]): Record<string, unknown>[] {
  return rules.map((r) => ({
    ID: r.id,
    AllowedHeader: r.allowedHeaders,
    AllowedMethod: r.allowedMethods,
    AllowedOrigin: r.allowedOrigins,
    ExposeHeader: r.exposeHeaders,
    MaxAgeSeconds: r.maxAgeSeconds,
  }));
}

/** The rules stored on a bucket record's attrs, or undefined when CORS is not configured. */
export function corsRulesOf(attrs: Record<string, unknown>): CorsRule[] | undefined {
  const c = attrs.cors;
  return Array.isArray(c) && c.length > 0 ? (c as CorsRule[]) : undefined;
}

function wildcards(s: string): number {
  return s.split("*").length - 1;
}

/** `*` matches any run of characters; the rest literally (case-sensitive for origins). */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  const star = p.indexOf("*");
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

/** The first rule allowing this origin, method and every requested header. */
export function matchRule(
  rules: readonly CorsRule[],
  origin: string,
  method: string,
  requestHeaders: readonly string[] = [],
): CorsRule | undefined {
  return rules.find(
    (r) =>
      r.allowedOrigins.some((o) => wildcardMatch(o, origin)) &&
      r.allowedMethods.includes(method) &&
      requestHeaders.every((h) => r.allowedHeaders.some((a) => wildcardMatch(a, h, true))),
  );
}

const VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

/** The Access-Control-* headers a matching rule grants. */
export function corsHeaders(
  rule: CorsRule,
  origin: string,
  requestHeaders?: readonly string[],
): Record<string, string> {
  // A rule open to any origin answers `*` and no credentials; a named (or patterned) origin is echoed.
  const any = rule.allowedOrigins.includes("*");
  const h: Record<string, string> = {
    "access-control-allow-origin": any ? "*" : origin,
    "access-control-allow-methods": rule.allowedMethods.join(", "),
  };
  if (!any) h["access-control-allow-credentials"] = "true";
  if (requestHeaders && requestHeaders.length > 0)
    h["access-control-allow-headers"] = requestHeaders.join(", ");
  if (rule.exposeHeaders.length > 0) h["access-control-expose-headers"] = rule.exposeHeaders.join(", ");
  if (rule.maxAgeSeconds !== undefined) h["access-control-max-age"] = String(rule.maxAgeSeconds);
  h.vary = VARY;
  return h;
}

function forbidden(message: string, method: string, resourceType: "BUCKET" | "OBJECT"): S3Error {
  return new S3Error("AccessForbidden", {
    message,
    extra: { Method: method, ResourceType: resourceType },
  });
}

/**
 * OPTIONS on a bucket or object URL: unauthenticated. 400 without Origin or Access-Control-Request-Method,
 * 403 when the bucket has no CORS configuration or no rule allows the request, else 200 with the grant.
 */
export function answerPreflight(
  engine: StorageEngine,
  bucket: string | undefined,
  isObject: boolean,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const origin = req.headers.origin;
  const method = req.headers["access-control-request-method"];
  if (origin === undefined || origin === "") {
    throw new S3Error("BadRequest", { message: "Insufficient information. Origin request header needed." });
  }
  if (method === undefined || method === "") {
    throw new S3Error("BadRequest", { message: "Invalid Access-Control-Request-Method: null" });
  }
  if (!CORS_METHODS.has(method)) {
    throw new S3Error("BadRequest", { message: `Invalid Access-Control-Request-Method: ${method}` });
  }
  const resourceType = isObject ? "OBJECT" : "BUCKET";
  const rec = bucket === undefined ? undefined : engine.getBucket(bucket);
  if (bucket !== undefined && !rec) throw new S3Error("NoSuchBucket", { extra: { BucketName: bucket } });
  const rules = rec ? corsRulesOf(rec.attrs) : undefined;
  if (!rules) throw forbidden("CORSResponse: CORS is not enabled for this bucket.", method, resourceType);
  const requested = (req.headers["access-control-request-headers"] ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
  const rule = matchRule(rules, origin, method, requested);
  if (!rule) {
    throw forbidden(
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      method,
      resourceType,
    );
  }
  res.writeHead(200, { ...corsHeaders(rule, origin, requested), "content-length": "0" });
  res.end();
}

/**
 * Before an actual request is handled: when it carries an Origin and a rule of its bucket allows it,
 * the grant goes on whatever response follows (errors included).
 */
export function applyCors(
  engine: StorageEngine,
  bucket: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const origin = req.headers.origin;
  if (origin === undefined || bucket === undefined) return;
  const rec = engine.getBucket(bucket);
  const rules = rec ? corsRulesOf(rec.attrs) : undefined;
  if (!rules) return;
  const rule = matchRule(rules, origin, req.method ?? "GET");
  if (!rule) {
    res.setHeader("vary", VARY);
    return;
  }
  for (const [name, value] of Object.entries(corsHeaders(rule, origin))) res.setHeader(name, value);
}
