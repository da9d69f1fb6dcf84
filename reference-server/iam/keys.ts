// Key pairs: generated ones, and the root pair fixed by options or the environment.

import { randomBytes, randomInt } from "node:crypto";
import { IamError } from "./errors.ts";

export const ROOT_ACCESS_KEY_ENV = "PARITY_ROOT_ACCESS_KEY";
export const ROOT_SECRET_KEY_ENV = "PARITY_ROOT_SECRET_KEY";

export interface RootInput {
  accessKeyId: string;
  secretAccessKey: string;
  /** Keep an existing root principal (bucket owner id) when adopting root credentials. */
  principal?: string;
}

// Access keys appear in SigV4 credential scopes ("AK/20250101/region/s3/aws4_request"): no "/".
const ACCESS_KEY = /^[A-Za-z0-9._~+=@-]{3,128}$/;
const SECRET_KEY = /^[\x21-\x7e]{8,128}$/;
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export function newAccessKeyId(): string {
  let s = "PK";
  while (s.length < 20) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

export function newSecret(): string {
  return randomBytes(30).toString("base64");
}

/** Given root credentials, validated; undefined when neither is set (then they are generated). */
export function givenRoot(root: RootInput | undefined, env: NodeJS.ProcessEnv): RootInput | undefined {
  const given = root ?? {
    accessKeyId: env[ROOT_ACCESS_KEY_ENV] || undefined,
    secretAccessKey: env[ROOT_SECRET_KEY_ENV] || undefined,
  };
  const { accessKeyId, secretAccessKey } = given;
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new IamError(
      "InvalidRootCredentials",
      `set both ${ROOT_ACCESS_KEY_ENV} and ${ROOT_SECRET_KEY_ENV}, or neither (then they are generated)`,
    );
  }
  if (!ACCESS_KEY.test(accessKeyId)) {
    throw new IamError(
      "InvalidRootCredentials",
      `root access key must be 3-128 characters of ${ACCESS_KEY.source}`,
    );
  }
  // The value is a secret: say what is wrong with it, never echo it.
  if (!SECRET_KEY.test(secretAccessKey)) {
    throw new IamError("InvalidRootCredentials", "root secret key must be 8-128 printable ASCII characters");
  }
  return { accessKeyId, secretAccessKey, principal: root?.principal };
}
