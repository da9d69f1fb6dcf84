// The one entry point: decide which authentication the request uses, verify it, and say how its body
// must be verified. Pure: no I/O, the clock and the key store are injected.

import { S3Error } from "../http/s3-error.ts";
import { headerValue } from "./encoding.ts";
import { authenticateV2Header, authenticateV2Query } from "./sigv2.ts";
import { anonymousPayloadMode } from "./sigv4.ts";
import { authenticateV4Header } from "./sigv4-header.ts";
import { authenticateV4Presigned } from "./sigv4-presigned.ts";
import type { AuthContext, AuthOptions, AuthRequest, CredentialLookup } from "./types.ts";

const V4_QUERY = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature"];
const V2_QUERY = ["AWSAccessKeyId", "Signature"];

function queryHas(query: AuthRequest["query"]): (name: string) => boolean {
  if (!Array.isArray(query)) return (name) => query.has(name);
  return (name) => query.some(([k]) => k === name);
}

/** Throws S3Error for any request that claims authentication and fails it. */
export function authenticate(req: AuthRequest, lookup: CredentialLookup, opts: AuthOptions): AuthContext {
  const authorization = headerValue(req.headers, "authorization");
  const has = queryHas(req.query);
  const v4Query = V4_QUERY.some(has);
  const v2Query = V2_QUERY.some(has);

  if ((authorization !== undefined && (v4Query || v2Query)) || (v4Query && v2Query)) {
    throw new S3Error("InvalidArgument", {
      message:
        "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
      extra: { ArgumentName: "Authorization", ArgumentValue: authorization ?? "" },
    });
  }
  if (authorization !== undefined) {
    if (authorization.startsWith("AWS4-HMAC-SHA256 "))
      return authenticateV4Header(req, authorization, lookup, opts);
    if (authorization.startsWith("AWS ")) return authenticateV2Header(req, authorization, lookup, opts);
    throw new S3Error("InvalidArgument", {
      message: "Unsupported Authorization Type",
      extra: { ArgumentName: "Authorization", ArgumentValue: authorization },
    });
  }
  if (v4Query) return authenticateV4Presigned(req, lookup, opts);
  if (v2Query) return authenticateV2Query(req, lookup, opts);
  return { kind: "anonymous", payload: anonymousPayloadMode(req.headers) };
}
