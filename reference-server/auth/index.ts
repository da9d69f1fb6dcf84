// Public surface of the authentication layer; the HTTP layer imports from here only.

export { authenticate } from "./authenticate.ts";
export { MIN_CHUNK_SIZE } from "./chunked.ts";
export { declaredTrailers, storedContentEncoding, type VerifiedBody, verifyBody } from "./payload.ts";
export { authenticatePostPolicy, type PostAuth, type PostPolicy } from "./post-policy.ts";
export { clearSigningKeyCache } from "./signing-key.ts";
export type {
  AuthContext,
  AuthOptions,
  AuthRequest,
  CredentialLookup,
  Credentials,
  HeaderValue,
  PayloadMode,
} from "./types.ts";
