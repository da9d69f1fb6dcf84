// PostObject: an HTML form upload to the bucket URL. The fields before the file are read (small,
// bounded), the form's own signature (SigV4 or V2 policy) is verified, the policy's conditions are
// checked, then the file part streams into the engine, bounded by content-length-range while it flows.
// The answer is success_action_redirect (303), or success_action_status 200 / 201 (PostResponse) / 204.

import { writeAclAttrs } from "../../access/acl-write.ts";
import { authenticatePostPolicy } from "../../auth/index.ts";
import { authorizeBrowserAction } from "../../browser/access.ts";
import { formBoundary } from "../../browser/multipart.ts";
import { checkPolicy, type LengthRange, limitLength } from "../../browser/post-conditions.ts";
import { credentialsOf, formRequest, formTags, readFormFields } from "../../browser/post-form.ts";
import {
  header,
  MAX_KEY_BYTES,
  requestBody,
  type S3Request,
  sendEmpty,
  sendXml,
} from "../../http/context.ts";
import { requestStoredHeaders, sseResponseHeaders, versionHeader } from "../../http/object-headers.ts";
import { S3Error } from "../../http/s3-error.ts";
import { writeLockAttrs } from "../../lock/write.ts";
import { storageClassFor } from "../../restore/state.ts";
import { writeEncryption } from "../objects-extra/sse.ts";

/** AWS caps a POST upload at 5 GB, like a single PUT. */
export const MAX_POST_OBJECT_SIZE = 5 * 1024 ** 3;
/** What may follow the file part (ignored fields, the closing delimiter) before the connection is dropped. */
const MAX_TRAILING_BYTES = 64 * 1024;

export async function postObject(r: S3Request): Promise<void> {
  const boundary = formBoundary(header(r, "content-type"));
  if (boundary === undefined) throw new S3Error("RequestIsNotMultiPartContent");
  const bucket = r.engine.getBucket(r.bucket!);
  if (!bucket) throw new S3Error("NoSuchBucket", { extra: { BucketName: r.bucket! } });
  r.bucketRecord = bucket;

  const form = await readFormFields(requestBody(r), boundary);
  const auth = authenticatePostPolicy(form.raw, credentialsOf(r), {
    now: new Date(),
    region: r.config.region,
  });
  // A form without signature fields is anonymous, unless the request itself was signed with a header.
  const principal =
    auth.kind === "signed" ? auth.principal : r.auth.kind === "signed" ? r.principal : undefined;

  const keyField = form.fields.get("key");
  if (keyField === undefined) {
    throw new S3Error("InvalidArgument", {
      message:
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
      extra: { ArgumentName: "key", ArgumentValue: "" },
    });
  }
  // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal ${filename} form variable
  const key = keyField.replaceAll("${filename}", form.file.filename ?? "");
  if (key === "") {
    throw new S3Error("InvalidArgument", {
      message: "User key must have a length greater than 0.",
      extra: { ArgumentName: "key", ArgumentValue: "" },
    });
  }
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new S3Error("KeyTooLongError", {
      extra: { Size: String(Buffer.byteLength(key)), MaxSizeAllowed: String(MAX_KEY_BYTES) },
    });
  }
  const policyRange =
    auth.kind === "signed" && auth.policy
      ? checkPolicy(auth.policy, form.fields, form.names, r.bucket!, key)
      : undefined;
  await authorizeBrowserAction(r, "PutObject", principal, key);

  // The form's fields read as PutObject reads its headers: one set of rules for both uploads.
  // The form's signer is the writer (object ownership and ACLs are decided for them, as on PutObject).
  const view = formRequest(
    { ...r, key, ...(auth.kind === "signed" ? { auth, principal: auth.principal } : {}) },
    form.fields,
  );
  const stored = requestStoredHeaders(view);
  const { sse, attrs: sseAttrs } = writeEncryption(view);
  const tags = formTags(form.fields);
  const lock = writeLockAttrs(view, bucket, { body: false });
  const acl = writeAclAttrs(view, bucket);
  const range: LengthRange = {
    min: policyRange?.min ?? 0,
    max: Math.min(policyRange?.max ?? MAX_POST_OBJECT_SIZE, MAX_POST_OBJECT_SIZE),
  };
  const rec = await r.engine.putObject({
    bucket: r.bucket!,
    key,
    body: limitLength(form.reader.body(), range),
    headers: stored.headers,
    userMeta: stored.userMeta,
    storageClass: storageClassFor(bucket, stored.storageClass),
    attrs: { ...(tags ? { tags } : {}), ...sseAttrs, ...lock, ...acl },
    sse,
  });
  // Fields after the file are ignored; a short tail is read so the connection can serve the next request.
  if (!(await form.reader.drain(MAX_TRAILING_BYTES))) r.res.setHeader("connection", "close");

  const etag = `"${rec.etag}"`;
  const location = objectUrl(r, key);
  const headers = {
    etag,
    location,
    ...versionHeader(bucket, rec.versionId),
    ...sseResponseHeaders(rec.encryption, rec.attrs),
  };
  const redirect = redirectTarget(form.fields.get("success_action_redirect") ?? form.fields.get("redirect"));
  if (redirect) {
    redirect.searchParams.append("bucket", r.bucket!);
    redirect.searchParams.append("key", key);
    redirect.searchParams.append("etag", etag);
    return sendEmpty(r, 303, { ...headers, location: redirect.href });
  }
  const status = form.fields.get("success_action_status");
  if (status === "201") {
    return sendXml(
      r,
      "PostResponse",
      { "@_xmlns": undefined, Location: location, Bucket: r.bucket!, Key: key, ETag: etag },
      { status: 201, headers },
    );
  }
  sendEmpty(r, status === "200" ? 200 : 204, headers);
}

/** An absolute http(s) URL to redirect to; anything else is ignored and the status answer applies. */
function redirectTarget(text: string | undefined): URL | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    const u = new URL(text);
    return u.protocol === "http:" || u.protocol === "https:" ? u : undefined;
  } catch {
    return undefined;
  }
}

/** The new object's URL as the client addressed the bucket (virtual host or path style). */
function objectUrl(r: S3Request, key: string): string {
  const scheme = r.secureTransport ? "https" : "http";
  const host = header(r, "host") ?? "localhost";
  const path = key.split("/").map(encodeURIComponent).join("/");
  const virtual = !(r.req.url ?? "/").startsWith(`/${r.bucket}`);
  return virtual
    ? `${scheme}://${host}/${path}`
    : `${scheme}://${host}/${encodeURIComponent(r.bucket!)}/${path}`;
}
