// Public shapes of the accounts store.

export interface Tenant {
  name: string;
  createdAt: string;
  accounts: number;
}

/** An account as listed: never with its secret. */
export interface AccountInfo {
  accountId: string;
  tenant: string;
  name: string;
  accessKeyId: string;
  createdAt: string;
  keyCreatedAt: string;
  root: boolean;
}

/** What creation and key reset return, the only time the secret is shown. */
export interface IssuedCredentials extends AccountInfo {
  secretAccessKey: string;
}

/** What the S3 layer needs to verify a signature; assignable to auth's Credentials. */
export interface LookupResult {
  accessKeyId: string;
  secretAccessKey: string;
  principal: string;
  tenant: string;
}
