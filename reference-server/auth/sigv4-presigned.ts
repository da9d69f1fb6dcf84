// SigV4 presigned URLs: X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders,
// X-Amz-Signature in the query; the canonical query is every other parameter, sorted.

import { S3Error } from "../http/s3-error.ts";
import { ALGORITHM, canonicalQuery } from "./canonical-request.ts";
import { firstQueryValue, headerValue, isoSeconds, parseAmzDate, queryPairs } from "./encoding.ts";
import { checkPayloadHash, checkScope, DEFAULT_MAX_SKEW_MS, parseCredential, verifyV4 } from "./sigv4.ts";
import type { AuthContext, AuthOptions, AuthRequest, CredentialLookup } from "./types.ts";

export const MAX_PRESIGNED_EXPIRES = 604800;
const CREDENTIAL_PREFIX = "Error parsing the X-Amz-Credential parameter; ";

function paramsError(message: string): S3Error {
  return new S3Error("AuthorizationQueryParametersError", { message });
}

export function authenticateV4Presigned(
  req: AuthRequest,
  lookup: CredentialLookup,
  opts: AuthOptions,
): AuthContext {
  const pairs = queryPairs(req.query);
  const param = (name: string) => firstQueryValue(pairs, name);
  const algorithm = param("X-Amz-Algorithm");
  const credentialText = param("X-Amz-Credential");
  const signature = param("X-Amz-Signature");
  const amzDate = param("X-Amz-Date");
  const signedHeadersText = param("X-Amz-SignedHeaders");
  const expiresText = param("X-Amz-Expires");
  if (
    algorithm === undefined ||
    credentialText === undefined ||
    signature === undefined ||
    amzDate === undefined ||
    signedHeadersText === undefined ||
    expiresText === undefined
  ) {
    throw paramsError(
      "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
    );
  }
  if (algorithm !== ALGORITHM) throw paramsError(`X-Amz-Algorithm only supports "${ALGORITHM}"`);

  const date = parseAmzDate(amzDate);
  if (!date) throw paramsError(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  if (!/^-?\d+$/.test(expiresText)) throw paramsError("X-Amz-Expires should be a number");
  const expires = Number(expiresText);
  if (expires < 0) throw paramsError("X-Amz-Expires must be non-negative");
  if (expires > MAX_PRESIGNED_EXPIRES) {
    throw paramsError(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_EXPIRES}`);
  }

  const credential = parseCredential(credentialText);
  if (!credential) {
    throw paramsError(
      `${CREDENTIAL_PREFIX}the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
    );
  }
  checkScope(credential, amzDate, opts, "AuthorizationQueryParametersError", CREDENTIAL_PREFIX);

  const signedHeaders = signedHeadersText.split(";");
  if (signedHeaders.some((n) => n === "" || n !== n.toLowerCase())) {
    throw paramsError("X-Amz-SignedHeaders must be a list of lower-case header names separated by ';'");
  }

  // A URL may be used long after signing but not before: the clock skew allowance applies forward only.
  const now = opts.now.getTime();
  if (date.getTime() - now > (opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS)) {
    throw new S3Error("AccessDenied", { message: "Request is not valid yet" });
  }
  const expiresAt = new Date(date.getTime() + expires * 1000);
  if (now > expiresAt.getTime()) {
    throw new S3Error("AccessDenied", {
      message: "Request has expired",
      extra: {
        "X-Amz-Expires": expiresText,
        Expires: isoSeconds(expiresAt),
        ServerTime: isoSeconds(opts.now),
      },
    });
  }

  // The JS SDK's presigner hoists the header under its lower-case name, other SDKs use X-Amz-Content-Sha256.
  const hoisted = pairs.find(([k]) => k.toLowerCase() === "x-amz-content-sha256")?.[1];
  const payloadHash = headerValue(req.headers, "x-amz-content-sha256") ?? hoisted ?? "UNSIGNED-PAYLOAD";
  checkPayloadHash(payloadHash);

  return verifyV4(
    req,
    {
      style: "presigned",
      credential,
      signedHeaders,
      signature,
      timestamp: amzDate,
      payloadHash,
      query: canonicalQuery(pairs, "X-Amz-Signature"),
      token: param("X-Amz-Security-Token") ?? headerValue(req.headers, "x-amz-security-token"),
      expiresAt,
    },
    lookup,
  );
}
