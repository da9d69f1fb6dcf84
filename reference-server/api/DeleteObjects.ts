// DeleteObjects: up to 1000 keys in one request; each key succeeds or fails on its own.

import { iamAction } from "../access/actions.ts";
import { permits } from "../access/authorize.ts";
import { isVersionId, MAX_KEY_BYTES, readSmallBody, type S3Request, sendXml } from "../http/context.ts";
import { toS3Error } from "../http/error-map.ts";
import { verifyDocumentDigests } from "../http/object-headers.ts";
import { S3Error } from "../http/s3-error.ts";
import { parseXml, type XmlNode, xmlList, xmlText } from "../http/xml.ts";
import { deleteGuard } from "../lock/guard.ts";

const MAX_KEYS = 1000;

export async function deleteObjects(r: S3Request): Promise<void> {
  const { data, trailers } = await readSmallBody(r, 8 << 20);
  await verifyDocumentDigests(r, data, trailers, true);
  const doc = parseXml(data.toString("utf8"), "Delete");
  const quiet = xmlText(doc, "Quiet")?.toLowerCase() === "true";
  const objects = xmlList(doc, "Object");
  if (objects.length === 0 || objects.length > MAX_KEYS) throw new S3Error("MalformedXML");
  const targets = objects.map((o) => {
    const key = xmlText(o, "Key");
    if (key === undefined || key === "") throw new S3Error("MalformedXML");
    return { key, versionId: xmlText(o, "VersionId") };
  });
  const deleted: XmlNode[] = [];
  const errors: XmlNode[] = [];
  // Locked versions are refused per key (AccessDenied), under the key lock.
  const guard = deleteGuard(r);
  // One at a time: deletes of one key serialise in the engine anyway, and order stays the request's.
  for (const t of targets) {
    try {
      if (Buffer.byteLength(t.key) > MAX_KEY_BYTES) throw new S3Error("KeyTooLongError");
      // A malformed id names no version: a per-key NoSuchVersion, not a failed request (as AWS answers).
      if (t.versionId !== undefined && !isVersionId(t.versionId)) {
        throw new S3Error("NoSuchVersion", { extra: { Key: t.key, VersionId: t.versionId } });
      }
      // Each key is authorized on its own: s3:DeleteObject (s3:DeleteObjectVersion) on that key.
      if (!permits(r, iamAction("DeleteObject", t.versionId), t.key, t.versionId))
        throw new S3Error("AccessDenied");
      const out = await r.engine.deleteObject({
        bucket: r.bucket!,
        key: t.key,
        versionId: t.versionId,
        guard,
      });
      if (quiet) continue;
      const versioned = r.bucketRecord?.versioning !== "Unversioned";
      // Creating a marker or removing one by id both answer DeleteMarker and the marker's version id.
      deleted.push({
        Key: t.key,
        VersionId: t.versionId,
        DeleteMarker: out.deleteMarker ? true : undefined,
        DeleteMarkerVersionId: out.deleteMarker && versioned ? out.versionId : undefined,
      });
    } catch (e) {
      const err = toS3Error(e);
      errors.push({ Key: t.key, VersionId: t.versionId, Code: err.code, Message: err.message });
    }
  }
  sendXml(r, "DeleteResult", { Deleted: deleted, Error: errors });
}
