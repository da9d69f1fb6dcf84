// SigV4 in the Authorization header:
//   AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=hex

import { S3Error } from "../http/s3-error.ts";
import { ALGORITHM, canonicalQuery } from "./canonical-request.ts";
import { headerValue, isoBasic, parseAmzDate, parseHttpDate, queryPairs } from "./encoding.ts";
import { checkPayloadHash, checkScope, checkSkew, parseCredential, verifyV4 } from "./sigv4.ts";
import type { AuthContext, AuthOptions, AuthRequest, CredentialLookup } from "./types.ts";

const MALFORMED = "The authorization header is malformed; ";

function malformed(detail: string): S3Error {
  return new S3Error("AuthorizationHeaderMalformed", { message: MALFORMED + detail });
}

interface ParsedAuthorization {
  credential: string;
  signedHeaders: string[];
  signature: string;
}

export function parseV4Authorization(authorization: string): ParsedAuthorization {
  // Three named variables rather than a Map: this runs on every signed request.
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  for (const part of authorization.slice(ALGORITHM.length).split(",")) {
    const component = part.trim();
    const eq = component.indexOf("=");
    const name = eq > 0 ? component.slice(0, eq) : "";
    const value = component.slice(eq + 1);
    if (name === "Credential" && credential === undefined) credential = value;
    else if (name === "SignedHeaders" && signedHeaders === undefined) signedHeaders = value;
    else if (name === "Signature" && signature === undefined) signature = value;
    else throw malformed(`the authorization component "${component}" is malformed.`);
  }
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    throw malformed(
      "the authorization header requires three components: Credential, SignedHeaders, and Signature.",
    );
  }
  const names = signedHeaders.split(";");
  if (names.some((n) => n === "" || n !== n.toLowerCase())) {
    throw malformed(`the authorization component "SignedHeaders=${signedHeaders}" is malformed.`);
  }
  return { credential, signedHeaders: names, signature };
}

export function authenticateV4Header(
  req: AuthRequest,
  authorization: string,
  lookup: CredentialLookup,
  opts: AuthOptions,
): AuthContext {
  const parsed = parseV4Authorization(authorization);
  const credential = parseCredential(parsed.credential);
  if (!credential) {
    throw malformed(
      'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    );
  }

  const payloadHash = headerValue(req.headers, "x-amz-content-sha256");
  if (payloadHash === undefined) {
    throw new S3Error("InvalidRequest", {
      message: "Missing required header for this request: x-amz-content-sha256",
    });
  }
  checkPayloadHash(payloadHash);

  const rawTime = headerValue(req.headers, "x-amz-date") ?? headerValue(req.headers, "date");
  // The basic form every SigV4 client sends is already the timestamp; other forms are reformatted.
  const basic = rawTime === undefined ? undefined : parseAmzDate(rawTime);
  const date = basic ?? (rawTime === undefined ? undefined : parseHttpDate(rawTime));
  if (rawTime === undefined || !date) {
    throw new S3Error("AccessDenied", {
      message: "AWS authentication requires a valid Date or x-amz-date header",
    });
  }
  const timestamp = basic ? rawTime : isoBasic(date);
  checkScope(credential, timestamp, opts, "AuthorizationHeaderMalformed", MALFORMED);
  checkSkew(date, rawTime, opts);

  return verifyV4(
    req,
    {
      style: "header",
      credential,
      signedHeaders: parsed.signedHeaders,
      signature: parsed.signature,
      timestamp,
      payloadHash,
      query: canonicalQuery(queryPairs(req.query)),
      token: headerValue(req.headers, "x-amz-security-token"),
    },
    lookup,
  );
}
