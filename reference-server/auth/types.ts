// The authentication layer's contract with the HTTP layer. Everything here is plain data: `authenticate`
// runs once per request, before the body is read, and its result decides how the body is verified.

import type { KeyObject } from "node:crypto";

export type HeaderValue = string | string[] | undefined;

export interface AuthRequest {
  method: string;
  /** Path as received on the request line, still percent-encoded, without the query string. */
  rawPath: string;
  /** Decoded query pairs in request order (`new URLSearchParams(rawQuery)` is fine). */
  query: URLSearchParams | [string, string][];
  /**
   * Lower-case header names, node:http style. `req.headersDistinct` is preferred over `req.headers`:
   * node joins repeated headers with ", " where S3 signs them joined with ",".
   */
  headers: Record<string, HeaderValue>;
  /** Bucket named by the Host header for virtual-hosted-style requests; SigV2 signs `/bucket/key`. */
  virtualHostBucket?: string;
}

export type Credentials = {
  accessKeyId: string;
  secretAccessKey: string;
  /** Account id the key belongs to. */
  principal: string;
  /** Set for temporary credentials: the request must then carry this exact x-amz-security-token. */
  sessionToken?: string;
};

export type CredentialLookup = (accessKeyId: string) => Credentials | undefined;

export interface AuthOptions {
  now: Date;
  /** Region this endpoint serves; when set, a credential scope naming another region is refused. */
  region?: string;
  /** Allowed clock difference; AWS uses 15 minutes. */
  maxSkewMs?: number;
}

export type PayloadMode =
  /** UNSIGNED-PAYLOAD, SigV2, anonymous without a hash. */
  | { mode: "unsigned" }
  /** Lower-case hex SHA-256 the body must hash to. */
  | { mode: "sha256"; expected: string }
  /** STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: every chunk is signed, chained from the seed. */
  | {
      mode: "streaming-signed";
      seedSignature: string;
      signingKey: KeyObject;
      scope: string;
      timestamp: string;
      trailer: boolean;
    }
  /** STREAMING-UNSIGNED-PAYLOAD-TRAILER: aws-chunked framing, no chunk signatures, checksum trailer. */
  | { mode: "streaming-unsigned-trailer" };

export type AuthContext =
  | { kind: "anonymous"; payload: PayloadMode }
  | {
      kind: "signed";
      version: "v4" | "v2";
      method: "header" | "presigned";
      accessKeyId: string;
      principal: string;
      region?: string;
      signedHeaders?: string[];
      expiresAt?: Date;
      payload: PayloadMode;
    };
