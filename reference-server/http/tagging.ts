// Object tags: validation (S3's limits), the x-amz-tagging header form and where tags live on a version.

import { StorageError } from "../storage/errors.ts";
import type { ObjectVersionRecord } from "../storage/meta-record.ts";
import { header, type S3Request } from "./context.ts";
import { S3Error } from "./s3-error.ts";

export type TagSet = [key: string, value: string][];

export const MAX_TAGS = 10;
const MAX_KEY_CHARS = 128;
const MAX_VALUE_CHARS = 256;
// Letters, digits, white space and + - = . _ : / @, in any script (S3's documented tag alphabet).
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function validateTags(tags: TagSet): TagSet {
  const invalid = (message: string) => new S3Error("InvalidTag", { message });
  // AWS answers too many tags with BadRequest, not InvalidTag (on PutObjectTagging and x-amz-tagging).
  if (tags.length > MAX_TAGS) {
    throw new S3Error("BadRequest", { message: `Object tags cannot be greater than ${MAX_TAGS}` });
  }
  const seen = new Set<string>();
  for (const [k, v] of tags) {
    const kLen = [...k].length;
    if (kLen < 1 || kLen > MAX_KEY_CHARS || !TAG_CHARS.test(k))
      throw invalid("The TagKey you have provided is invalid");
    if ([...v].length > MAX_VALUE_CHARS || !TAG_CHARS.test(v))
      throw invalid("The TagValue you have provided is invalid");
    if (k.toLowerCase().startsWith("aws:")) throw invalid("Your TagKey cannot be prefixed with aws:");
    if (seen.has(k)) throw invalid("Cannot provide multiple Tags with the same key");
    seen.add(k);
  }
  return tags;
}

/** x-amz-tagging: `k1=v1&k2=v2`, form-encoded; undefined when the header is absent. */
export function headerTags(r: S3Request, name = "x-amz-tagging"): TagSet | undefined {
  const text = header(r, name);
  if (text === undefined) return undefined;
  const tags: TagSet = [...new URLSearchParams(text)].map(([k, v]) => [k, v]);
  return validateTags(tags);
}

export function tagsOf(rec: Pick<ObjectVersionRecord, "attrs">): TagSet {
  const t = rec.attrs.tags;
  return Array.isArray(t) ? (t as TagSet) : [];
}

/** x-amz-tagging-count for GET/HEAD, when the version has tags. */
export function tagCountHeader(rec: ObjectVersionRecord): Record<string, string> {
  const n = tagsOf(rec).length;
  return n > 0 ? { "x-amz-tagging-count": String(n) } : {};
}

/** The version a tagging request names, without SSE-C (tags are metadata, not content). */
export function taggedVersion(r: S3Request, versionId: string | undefined): ObjectVersionRecord {
  const versions = r.engine.versionsOf(r.bucket!, r.key!);
  const rec = versionId === undefined ? versions[0] : versions.find((v) => v.versionId === versionId);
  if (!rec) {
    throw versionId === undefined
      ? new StorageError("NoSuchKey", "The specified key does not exist.", { key: r.key })
      : new StorageError("NoSuchVersion", "The specified version does not exist.", { key: r.key, versionId });
  }
  if (rec.deleteMarker) {
    throw versionId === undefined
      ? new StorageError("NoSuchKey", "The specified key does not exist.", {
          key: r.key,
          deleteMarker: true,
          versionId: rec.versionId,
          lastModified: rec.modTime,
        })
      : new StorageError("MethodNotAllowed", "The specified method is not allowed against this resource.", {
          deleteMarker: true,
          versionId: rec.versionId,
          method: r.method,
          lastModified: rec.modTime,
        });
  }
  return rec;
}
