// The website endpoint (`<bucket>.s3-website...` hosts): anonymous GET and HEAD only, the index document
// for "/" and "dir/", a 302 from "dir" to "dir/" when only its index exists, redirects from
// RedirectAllRequestsTo, routing rules and x-amz-website-redirect-location, the error document served
// with the original status, and HTML error pages (not XML) as AWS's website endpoint answers.

import { type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import { pipeline } from "node:stream/promises";
import { TLSSocket } from "node:tls";
import { getObject } from "../api/GetObject.ts";
import { headObject } from "../api/HeadObject.ts";
import type { S3Request, S3ServerConfig } from "../http/context.ts";
import { toS3Error } from "../http/error-map.ts";
import { objectResponseHeaders } from "../http/object-headers.ts";
import { S3Error } from "../http/s3-error.ts";
import type { BucketRecord } from "../storage/index-db.ts";
import type { ObjectVersionRecord } from "../storage/meta-record.ts";
import { mayBrowser } from "./access.ts";
import { type RoutingRule, type WebsiteConfig, websiteConfigOf } from "./website-config.ts";

interface Site {
  config: S3ServerConfig;
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  hostId: string;
  bucket: string;
}

/** Answers one website-endpoint request; never throws (every failure becomes an HTML page). */
export async function serveWebsite(site: Site): Promise<void> {
  try {
    await serve(site);
  } catch (e) {
    if (site.res.headersSent) {
      site.res.destroy();
      return;
    }
    sendHtmlError(site, toS3Error(e));
  }
}

function request(site: Site, key: string | undefined, rec?: BucketRecord): S3Request {
  return {
    req: site.req,
    res: site.res,
    config: site.config,
    engine: site.config.engine,
    method: site.req.method ?? "GET",
    bucket: site.bucket,
    key,
    query: new URLSearchParams(),
    auth: { kind: "anonymous", payload: { mode: "unsigned" } },
    principal: "",
    ...(rec ? { bucketRecord: rec } : {}),
    requestId: site.requestId,
    action: site.req.method === "HEAD" ? "HeadObject" : "GetObject",
    expectsContinue: false,
    secureTransport: site.req.socket instanceof TLSSocket,
  };
}

async function serve(site: Site): Promise<void> {
  const method = site.req.method ?? "GET";
  if (method !== "GET" && method !== "HEAD") {
    throw new S3Error("MethodNotAllowed", { extra: { Method: method, ResourceType: "OBJECT" } });
  }
  const rec = site.config.engine.getBucket(site.bucket);
  if (!rec) throw new S3Error("NoSuchBucket", { extra: { BucketName: site.bucket } });
  const web = websiteConfigOf(rec.attrs);
  if (!web) throw new S3Error("NoSuchWebsiteConfiguration", { extra: { BucketName: site.bucket } });
  const url = site.req.url ?? "/";
  const q = url.indexOf("?");
  const rawPath = q >= 0 ? url.slice(0, q) : url;
  if (web.redirectAll) {
    const proto = web.redirectAll.protocol ?? protocolOf(site);
    return redirect(site, 301, `${proto}://${web.redirectAll.hostName}${rawPath}`);
  }
  let key: string;
  try {
    key = decodeURIComponent(rawPath.slice(1));
  } catch {
    throw new S3Error("InvalidURI");
  }
  const before = web.routingRules.find(
    (r) => r.condition?.httpErrorCodeReturnedEquals === undefined && prefixMatches(r, key),
  );
  if (before) return ruleRedirect(site, before, key);

  const suffix = web.indexSuffix ?? "index.html";
  const target = key === "" || key.endsWith("/") ? key + suffix : key;
  const found = current(site, target);
  if (found) {
    const r = request(site, target, rec);
    if (!(await mayBrowser(r, "GetObject", undefined)))
      return fail(site, web, rec, key, new S3Error("AccessDenied"));
    const to = found.headers["x-amz-website-redirect-location"];
    if (to !== undefined) return redirect(site, 301, to);
    try {
      return await (method === "HEAD" ? headObject(r) : getObject(r));
    } catch (e) {
      if (site.res.headersSent) throw e;
      return fail(site, web, rec, key, toS3Error(e));
    }
  }
  // "dir" without its slash: when "dir/<index>" exists, AWS sends the browser to "dir/".
  if (key !== "" && !key.endsWith("/") && current(site, `${key}/${suffix}`)) {
    return redirect(site, 302, `/${encodePath(key)}/`);
  }
  const list = await mayBrowser(request(site, undefined, rec), "ListObjects", undefined);
  // Without the right to list, a missing key is indistinguishable from a forbidden one.
  return fail(
    site,
    web,
    rec,
    key,
    list ? new S3Error("NoSuchKey", { extra: { Key: target } }) : new S3Error("AccessDenied"),
  );
}

/** The current version of a key, unless absent or a delete marker. */
function current(site: Site, key: string): ObjectVersionRecord | undefined {
  if (key === "" || Buffer.byteLength(key) > 1024) return undefined;
  const v = site.config.engine.versionsOf(site.bucket, key)[0];
  return v && !v.deleteMarker ? v : undefined;
}

function prefixMatches(rule: RoutingRule, key: string): boolean {
  const prefix = rule.condition?.keyPrefixEquals;
  return prefix === undefined || key.startsWith(prefix);
}

/** An error on the way to an object: a routing rule for its code, the error document, or the HTML page. */
async function fail(
  site: Site,
  web: WebsiteConfig,
  rec: BucketRecord,
  key: string,
  err: S3Error,
): Promise<void> {
  const code = String(err.status);
  const rule = web.routingRules.find(
    (r) => r.condition?.httpErrorCodeReturnedEquals === code && prefixMatches(r, key),
  );
  if (rule) return ruleRedirect(site, rule, key);
  if (web.errorKey === undefined || err.status < 400 || err.status >= 500) return sendHtmlError(site, err);
  const doc = current(site, web.errorKey);
  const r = request(site, web.errorKey, rec);
  let docErr: S3Error | undefined;
  if (!doc) docErr = new S3Error("NoSuchKey", { extra: { Key: web.errorKey } });
  else if (!(await mayBrowser(r, "GetObject", undefined))) docErr = new S3Error("AccessDenied");
  if (docErr || !doc) return sendHtmlError(site, err, docErr);
  // The error document, with the original error's status.
  const headers = { ...objectResponseHeaders(doc, rec), "content-length": String(doc.size) };
  if (site.req.method === "HEAD") {
    site.res.writeHead(err.status, headers);
    site.res.end();
    return;
  }
  const got = await site.config.engine.getObject({
    bucket: site.bucket,
    key: web.errorKey,
    versionId: doc.versionId,
  });
  site.res.writeHead(err.status, headers);
  await pipeline(got.body, site.res);
}

function ruleRedirect(site: Site, rule: RoutingRule, key: string): void {
  const r = rule.redirect;
  const prefix = rule.condition?.keyPrefixEquals ?? "";
  const newKey =
    r.replaceKeyWith ??
    (r.replaceKeyPrefixWith !== undefined ? r.replaceKeyPrefixWith + key.slice(prefix.length) : key);
  const proto = r.protocol ?? protocolOf(site);
  const host = r.hostName ?? site.req.headers.host ?? "localhost";
  redirect(site, Number(r.httpRedirectCode ?? "301"), `${proto}://${host}/${encodePath(newKey)}`);
}

function redirect(site: Site, status: number, location: string): void {
  site.res.writeHead(status, { location, "content-length": "0" });
  site.res.end();
}

function protocolOf(site: Site): "http" | "https" {
  return site.req.socket instanceof TLSSocket ? "https" : "http";
}

function encodePath(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function items(err: S3Error): string {
  const lines = [`<li>Code: ${escapeHtml(err.code)}</li>`, `<li>Message: ${escapeHtml(err.message)}</li>`];
  for (const [name, value] of Object.entries(err.extra ?? {}))
    lines.push(`<li>${escapeHtml(name)}: ${escapeHtml(value)}</li>`);
  return lines.join("\n");
}

/** AWS's website error page; `docErr` says why the configured error document could not be served. */
export function sendHtmlError(site: Site, err: S3Error, docErr?: S3Error): void {
  const title = `${err.status} ${STATUS_CODES[err.status] ?? "Error"}`;
  let html = `<html>\n<head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<ul>\n${items(err)}\n`;
  html += `<li>RequestId: ${escapeHtml(site.requestId)}</li>\n<li>HostId: ${escapeHtml(site.hostId)}</li>\n</ul>\n`;
  if (docErr) {
    html += `<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n${items(docErr)}\n</ul>\n`;
  }
  html += "<hr/>\n</body>\n</html>\n";
  const body = Buffer.from(html, "utf8");
  const headers: Record<string, string> = {
    "content-type": "text/html; charset=utf-8",
    "content-length": String(body.length),
  };
  if (err.code === "MethodNotAllowed") headers.allow = "GET, HEAD";
  site.res.writeHead(err.status, headers);
  site.res.end(site.req.method === "HEAD" ? undefined : body);
}
