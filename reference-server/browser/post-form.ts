// The form of a browser POST upload: the fields before the file (small, bounded, read whole), and what
// they ask the object to be stored with (content headers, x-amz-meta-*, storage class, SSE, tags, ACL).

import type { IncomingMessage } from "node:http";
import type { CredentialLookup } from "../auth/index.ts";
import type { S3Request, S3ServerConfig } from "../http/context.ts";
import { S3Error } from "../http/s3-error.ts";
import { type TagSet, validateTags } from "../http/tagging.ts";
import { parseXml, xmlList, xmlText } from "../http/xml.ts";
import { MultipartReader, type PartHeaders } from "./multipart.ts";

/** What server.ts adds to the S3 configuration for POST uploads: the form signs with an account's key. */
export interface BrowserConfig {
  readonly credentials?: CredentialLookup;
}

export function credentialsOf(r: S3Request): CredentialLookup {
  const lookup = (r.config as S3ServerConfig & BrowserConfig).credentials;
  if (!lookup) throw new S3Error("InternalError", { message: "POST uploads need the credential store" });
  return lookup;
}

/**
 * The fields before the file, together: AWS refuses more with MaxPostPreDataLengthExceededError. Its
 * limit is not published; 20 KiB holds a policy of a few hundred conditions, full metadata and the
 * signature fields, and bounds what a hostile form makes the server hold.
 */
export const MAX_PRE_DATA_BYTES = 20 * 1024;
const MAX_FIELDS = 256;

export interface PostForm {
  /** Lower-cased field name → value, first occurrence. */
  fields: Map<string, string>;
  /** Field names as sent, in order (for "Extra input fields"). */
  names: string[];
  /** The fields as sent, for the signature check. */
  raw: Record<string, string>;
  file: PartHeaders;
  reader: MultipartReader;
}

function preDataTooLarge(): S3Error {
  return new S3Error("MaxPostPreDataLengthExceededError");
}

/** Reads up to the file part (the field named `file`; AWS ignores fields after it). */
export async function readFormFields(source: AsyncIterable<Uint8Array>, boundary: string): Promise<PostForm> {
  const reader = new MultipartReader(source, boundary);
  const fields = new Map<string, string>();
  const names: string[] = [];
  const raw: Record<string, string> = {};
  let total = 0;
  for (;;) {
    const part = await reader.next();
    if (part === undefined) {
      throw new S3Error("InvalidArgument", {
        message: "POST requires exactly one file upload per request.",
        extra: { ArgumentName: "file", ArgumentValue: "0" },
      });
    }
    const lower = part.name.toLowerCase();
    if (lower === "file") return { fields, names, raw, file: part, reader };
    if (names.length >= MAX_FIELDS) throw preDataTooLarge();
    total += Buffer.byteLength(part.name);
    const value = (await reader.bytes(MAX_PRE_DATA_BYTES - total, preDataTooLarge)).toString("utf8");
    total += Buffer.byteLength(value);
    if (total > MAX_PRE_DATA_BYTES) throw preDataTooLarge();
    if (fields.has(lower)) {
      // One value per name: a second one could be checked by the policy while the other is stored.
      throw new S3Error("InvalidArgument", {
        message: `Bucket POST can only contain one field named '${part.name}'.`,
        extra: { ArgumentName: part.name, ArgumentValue: value },
      });
    }
    fields.set(lower, value);
    names.push(part.name);
    raw[part.name] = value;
  }
}

// Form fields that mean what the request header of the same name means on PutObject.
const AS_HEADERS = new Set([
  "content-type",
  "cache-control",
  "content-disposition",
  "content-encoding",
  "expires",
]);
// Fields of the form's own signature: not object headers.
const SIGNATURE_FIELDS = new Set([
  "x-amz-algorithm",
  "x-amz-credential",
  "x-amz-date",
  "x-amz-signature",
  "x-amz-security-token",
]);

/**
 * The request as PutObject's header readers see it: the form's content fields, x-amz-* fields and `acl`
 * (as x-amz-acl) stand in for the request headers, so storage class, metadata, SSE, default encryption
 * and object lock follow exactly PutObject's rules. Everything else of the request is unchanged.
 */
export function formRequest(r: S3Request, fields: ReadonlyMap<string, string>): S3Request {
  const distinct: Record<string, string[]> = {};
  for (const [name, value] of fields) {
    if (AS_HEADERS.has(name) || (name.startsWith("x-amz-") && !SIGNATURE_FIELDS.has(name)))
      distinct[name] = [value];
  }
  // Validated with PutObject's x-amz-acl (access/acl.ts).
  const acl = fields.get("acl");
  if (acl !== undefined) distinct["x-amz-acl"] = [acl];
  const headers = Object.fromEntries(Object.entries(distinct).map(([k, v]) => [k, v[0]]));
  const req = Object.create(r.req, {
    headersDistinct: { value: distinct },
    headers: { value: { host: r.req.headers.host, ...headers } },
  }) as IncomingMessage;
  return { ...r, req };
}

/** The `tagging` field: a Tagging XML document, as PutObjectTagging takes. */
export function formTags(fields: ReadonlyMap<string, string>): TagSet | undefined {
  const xml = fields.get("tagging");
  if (xml === undefined) return undefined;
  const doc = parseXml(xml, "Tagging");
  const set = doc.TagSet;
  if (set === undefined) throw new S3Error("MalformedXML");
  const node = typeof set === "object" && set !== null ? (set as Record<string, unknown>) : {};
  const tags: TagSet = xmlList(node, "Tag").map((t) => {
    const k = xmlText(t, "Key");
    if (k === undefined) throw new S3Error("MalformedXML");
    return [k, xmlText(t, "Value") ?? ""];
  });
  return validateTags(tags);
}
