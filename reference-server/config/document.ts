// Reading a configuration document from a request, and keeping configurations in the bucket record's
// attrs, shared by every configuration action so each handler is only its own rules.

import { bucketOf, readSmallBody, type S3Request, sendXml } from "../http/context.ts";
import { verifyDocumentDigests } from "../http/object-headers.ts";
import { S3Error } from "../http/s3-error.ts";
import { parseXml, type XmlNode } from "../http/xml.ts";
import { readShape, type StructShape } from "./shape.ts";

/** Configuration documents are small; AWS caps them well under this. */
const MAX_DOCUMENT_BYTES = 1 << 20;

/**
 * The request's configuration document, validated against its shape. `checksumRequired`: the operations
 * the service model marks as needing Content-MD5 or an x-amz-checksum-* (tagging, replication, ...).
 */
export async function readConfig(
  r: S3Request,
  root: string,
  shape: StructShape,
  checksumRequired: boolean,
): Promise<XmlNode> {
  const { data, trailers } = await readSmallBody(r, MAX_DOCUMENT_BYTES);
  if (data.length === 0) throw new S3Error("MissingRequestBodyError");
  await verifyDocumentDigests(r, data, trailers, checksumRequired);
  return readShape(parseXml(data.toString("utf8"), root), shape);
}

/** A configuration stored in the bucket's attrs under `name`, or undefined. */
export function storedConfig<T = XmlNode>(r: S3Request, name: string): T | undefined {
  return bucketOf(r).attrs[name] as T | undefined;
}

/** Store (or, with undefined, remove) a configuration durably in the bucket record. */
export async function storeConfig(r: S3Request, name: string, value: unknown): Promise<void> {
  await r.engine.updateBucket(r.bucket!, (b) => {
    const attrs = { ...b.attrs };
    if (value === undefined) delete attrs[name];
    else attrs[name] = value;
    return { ...b, attrs };
  });
}

/** Read-modify-write of a stored configuration under the bucket's lock (id-keyed families). */
export async function updateConfig<T>(
  r: S3Request,
  name: string,
  update: (current: T | undefined) => T | undefined,
): Promise<void> {
  await r.engine.updateBucket(r.bucket!, (b) => {
    const attrs = { ...b.attrs };
    const next = update(attrs[name] as T | undefined);
    if (next === undefined) delete attrs[name];
    else attrs[name] = next;
    return { ...b, attrs };
  });
}

/** 200 with the configuration document. */
export function sendConfig(r: S3Request, root: string, body: XmlNode): void {
  sendXml(r, root, body);
}

/** An InvalidArgument naming the argument, as AWS reports configuration rule violations. */
export function invalidArgument(message: string, name?: string, value?: string): S3Error {
  const extra: Record<string, string> = {};
  if (name !== undefined) extra.ArgumentName = name;
  if (value !== undefined) extra.ArgumentValue = value;
  return new S3Error("InvalidArgument", name === undefined ? { message } : { message, extra });
}

export function invalidRequest(message: string): S3Error {
  return new S3Error("InvalidRequest", { message });
}
