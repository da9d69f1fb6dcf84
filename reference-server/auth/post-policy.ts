// Browser POST uploads: the form carries a base64 policy and its signature instead of an Authorization
// header. This checks who signed the policy and that it has not expired; evaluating the policy's
// conditions against the other form fields is the POST handler's job (it gets the parsed policy back).

import { createHmac } from "node:crypto";
import { S3Error } from "../http/s3-error.ts";
import { parseAmzDate, safeEqual } from "./encoding.ts";
import { hmacHex, signingKey } from "./signing-key.ts";
import { checkScope, lookupCredentials, parseCredential } from "./sigv4.ts";
import type { AuthContext, AuthOptions, CredentialLookup } from "./types.ts";

export interface PostPolicy {
  expiration?: string;
  conditions?: unknown[];
  [other: string]: unknown;
}

export type PostAuth = AuthContext & { policy?: PostPolicy };

function missingField(name: string): S3Error {
  return new S3Error("InvalidArgument", {
    message: `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`,
    extra: { ArgumentName: name, ArgumentValue: "" },
  });
}

function parsePolicy(base64: string, now: Date): PostPolicy {
  let policy: unknown;
  try {
    policy = JSON.parse(Buffer.from(base64, "base64").toString("utf8"));
  } catch {
    throw new S3Error("InvalidPolicyDocument", { message: "Invalid Policy: Invalid JSON." });
  }
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) {
    throw new S3Error("InvalidPolicyDocument", { message: "Invalid Policy: Invalid JSON." });
  }
  const p = policy as PostPolicy;
  if (typeof p.expiration !== "string") {
    throw new S3Error("InvalidPolicyDocument", { message: "Invalid Policy: Policy missing expiration." });
  }
  const expires = Date.parse(p.expiration);
  if (Number.isNaN(expires)) {
    throw new S3Error("InvalidPolicyDocument", { message: "Invalid Policy: Invalid 'expiration' value." });
  }
  if (now.getTime() > expires) {
    throw new S3Error("AccessDenied", { message: "Invalid according to Policy: Policy expired." });
  }
  return p;
}

/**
 * `fields`: the form fields that precede the file, names as sent (matched case-insensitively).
 * No policy and no signature fields → anonymous upload.
 */
export function authenticatePostPolicy(
  fields: Record<string, string>,
  lookup: CredentialLookup,
  opts: AuthOptions,
): PostAuth {
  const f = new Map(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v]));
  const policyText = f.get("policy");
  const v4 = f.has("x-amz-signature") || f.has("x-amz-algorithm") || f.has("x-amz-credential");
  const v2 = f.has("signature") || f.has("awsaccesskeyid");
  if (policyText === undefined && !v4 && !v2) return { kind: "anonymous", payload: { mode: "unsigned" } };
  if (policyText === undefined) throw missingField("Policy");

  if (v4) {
    const algorithm = f.get("x-amz-algorithm");
    const credentialText = f.get("x-amz-credential");
    const amzDate = f.get("x-amz-date");
    const signature = f.get("x-amz-signature");
    if (algorithm === undefined) throw missingField("X-Amz-Algorithm");
    if (credentialText === undefined) throw missingField("X-Amz-Credential");
    if (amzDate === undefined) throw missingField("X-Amz-Date");
    if (signature === undefined) throw missingField("X-Amz-Signature");
    if (algorithm !== "AWS4-HMAC-SHA256") {
      throw new S3Error("InvalidArgument", {
        message: "Only the AWS4-HMAC-SHA256 algorithm is supported.",
        extra: { ArgumentName: "X-Amz-Algorithm", ArgumentValue: algorithm },
      });
    }
    const credential = parseCredential(credentialText);
    if (!credential || !parseAmzDate(amzDate)) {
      throw new S3Error("InvalidArgument", {
        message: "Invalid X-Amz-Credential or X-Amz-Date in the POST form.",
        extra: { ArgumentName: "X-Amz-Credential", ArgumentValue: credentialText },
      });
    }
    checkScope(
      credential,
      amzDate,
      opts,
      "InvalidArgument",
      "Error parsing the X-Amz-Credential parameter; ",
    );
    const creds = lookupCredentials(lookup, credential.accessKeyId, f.get("x-amz-security-token"));
    const key = signingKey(creds.secretAccessKey, credential.date, credential.region, credential.service);
    if (!safeEqual(hmacHex(key, policyText), signature)) {
      throw new S3Error("SignatureDoesNotMatch", {
        extra: {
          AWSAccessKeyId: credential.accessKeyId,
          StringToSign: policyText,
          SignatureProvided: signature,
        },
      });
    }
    return {
      kind: "signed",
      version: "v4",
      method: "presigned",
      accessKeyId: credential.accessKeyId,
      principal: creds.principal,
      region: credential.region,
      payload: { mode: "unsigned" },
      policy: parsePolicy(policyText, opts.now),
    };
  }

  const accessKeyId = f.get("awsaccesskeyid");
  const signature = f.get("signature");
  if (accessKeyId === undefined) throw missingField("AWSAccessKeyId");
  if (signature === undefined) throw missingField("Signature");
  const creds = lookupCredentials(lookup, accessKeyId, f.get("x-amz-security-token"));
  const expected = createHmac("sha1", creds.secretAccessKey).update(policyText).digest("base64");
  if (!safeEqual(expected, signature)) {
    throw new S3Error("SignatureDoesNotMatch", {
      extra: { AWSAccessKeyId: accessKeyId, StringToSign: policyText, SignatureProvided: signature },
    });
  }
  const policy = parsePolicy(policyText, opts.now);
  return {
    kind: "signed",
    version: "v2",
    method: "presigned",
    accessKeyId,
    principal: creds.principal,
    payload: { mode: "unsigned" },
    policy,
  };
}
