// Tenants, storage accounts and per-bucket role bindings of the reference server, persisted in
// <dataDir>/iam/accounts.json. Secrets are sealed under the master key (sealing.ts) and only ever
// leave this module twice: once when a key pair is issued, and through lookup() for authentication.

import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { inspect } from "node:util";
import type { Keyring } from "../crypto/master-key.ts";
import { IamError } from "./errors.ts";
import {
  givenRoot,
  newAccessKeyId,
  newSecret,
  ROOT_ACCESS_KEY_ENV,
  ROOT_SECRET_KEY_ENV,
  type RootInput,
} from "./keys.ts";
import { sealSecret, unsealSecret } from "./sealing.ts";
import {
  ROLES,
  type Role,
  type RoleBinding,
  readDocument,
  type StoreDocument,
  type StoredAccount,
  type TenantRecord,
  writeDocument,
} from "./store-file.ts";
import type { AccountInfo, IssuedCredentials, LookupResult, Tenant } from "./types.ts";

export { IamError } from "./errors.ts";
export { ROOT_ACCESS_KEY_ENV, ROOT_SECRET_KEY_ENV } from "./keys.ts";
export { ROLES, type Role, type RoleBinding } from "./store-file.ts";
export type { AccountInfo, IssuedCredentials, LookupResult, Tenant } from "./types.ts";

/** Tenant of the root account; reserved, never listed as a user tenant. */
export const ROOT_TENANT = "system";

export interface AccountStoreOptions {
  dataDir: string;
  keyring: Keyring;
  /** Fixed root credentials; else PARITY_ROOT_ACCESS_KEY / PARITY_ROOT_SECRET_KEY; else generated once. */
  root?: RootInput;
  env?: NodeJS.ProcessEnv;
  clock?: () => number;
  /** fsync the accounts file (default true). */
  durable?: boolean;
}

const TENANT_NAME = /^[a-z0-9][a-z0-9-]{1,62}$/;
const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class AccountStore {
  readonly file: string;
  private keyring: Keyring;
  private readonly clock: () => number;
  private readonly durable: boolean;
  private doc: StoreDocument;
  private byId = new Map<string, StoredAccount>();
  private byKey = new Map<string, StoredAccount>();
  /** Decrypted secrets by access key id: authentication must not pay a decryption per request. */
  private readonly secrets = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(file: string, doc: StoreDocument, opts: AccountStoreOptions) {
    this.file = file;
    this.doc = doc;
    this.keyring = opts.keyring;
    this.clock = opts.clock ?? Date.now;
    this.durable = opts.durable ?? true;
    this.reindex();
  }

  static async open(opts: AccountStoreOptions): Promise<AccountStore> {
    const file = join(opts.dataDir, "iam", "accounts.json");
    const store = new AccountStore(file, await readDocument(file), opts);
    await store.ensureRoot(givenRoot(opts.root, opts.env ?? process.env));
    return store;
  }

  /** Switch to a rotated keyring; existing secrets stay readable while their master key is kept. */
  setKeyring(keyring: Keyring): void {
    this.keyring = keyring;
  }

  // ---- authentication
  lookup(accessKeyId: string): LookupResult | undefined {
    const acc = this.byKey.get(accessKeyId);
    if (!acc) return undefined;
    let secret = this.secrets.get(accessKeyId);
    if (secret === undefined) {
      secret = unsealSecret(this.keyring, acc.key.sealed, acc.id, accessKeyId);
      this.secrets.set(accessKeyId, secret);
    }
    return { accessKeyId, secretAccessKey: secret, principal: acc.id, tenant: acc.tenant };
  }

  /** Root credentials, for `parity serve` to print (as MinIO prints its root user). */
  rootCredentials(): LookupResult {
    const root = this.doc.accounts.find((a) => a.root)!;
    return this.lookup(root.key.accessKeyId)!;
  }

  /**
   * After a master key rotation (setKeyring with the new current key): re-seal every secret under the
   * current key, so the old master key can then be dropped from the keyring.
   */
  resealSecrets(): Promise<{ resealed: number }> {
    return this.mutate((doc) => {
      let resealed = 0;
      for (const a of doc.accounts) {
        const { accessKeyId, sealed } = a.key;
        if (sealed.keyId === this.keyring.currentId) continue;
        const secret = unsealSecret(this.keyring, sealed, a.id, accessKeyId);
        a.key.sealed = sealSecret(this.keyring, secret, a.id, accessKeyId);
        resealed++;
      }
      return { resealed };
    });
  }

  // ---- tenants
  listTenants(): Tenant[] {
    return this.doc.tenants.map((t) => this.tenantView(t));
  }

  getTenant(name: string): Tenant {
    const t = this.doc.tenants.find((x) => x.name === name);
    if (!t) throw new IamError("NoSuchTenant", `tenant ${JSON.stringify(name)} does not exist`);
    return this.tenantView(t);
  }

  async createTenant(name: string): Promise<Tenant> {
    if (typeof name !== "string" || !TENANT_NAME.test(name) || name === ROOT_TENANT) {
      throw new IamError(
        "InvalidName",
        `invalid tenant name ${JSON.stringify(name)}: 2-63 characters a-z, 0-9 and "-", starting with a ` +
          `letter or digit ("${ROOT_TENANT}" is reserved)`,
      );
    }
    return this.mutate((doc) => {
      if (doc.tenants.some((t) => t.name === name)) {
        throw new IamError("TenantExists", `tenant ${JSON.stringify(name)} already exists`);
      }
      const t: TenantRecord = { name, createdAt: this.now() };
      doc.tenants.push(t);
      return { ...t, accounts: 0 };
    });
  }

  /** Only an empty tenant can go: deleting accounts is explicit, one by one. */
  deleteTenant(name: string): Promise<void> {
    return this.mutate((doc) => {
      const i = doc.tenants.findIndex((t) => t.name === name);
      if (i < 0) throw new IamError("NoSuchTenant", `tenant ${JSON.stringify(name)} does not exist`);
      const n = doc.accounts.filter((a) => a.tenant === name).length;
      if (n > 0) throw new IamError("TenantNotEmpty", `tenant ${name} still has ${n} account(s)`);
      doc.tenants.splice(i, 1);
    });
  }

  // ---- accounts
  listAccounts(tenant?: string): AccountInfo[] {
    if (tenant !== undefined && tenant !== ROOT_TENANT) this.getTenant(tenant);
    return this.doc.accounts.filter((a) => tenant === undefined || a.tenant === tenant).map(info);
  }

  getAccount(accountId: string): AccountInfo {
    return info(this.account(accountId));
  }

  /** The account owning a principal id, if it is one of ours (bucket owners may predate the store). */
  findAccount(accountId: string): AccountInfo | undefined {
    const a = this.byId.get(accountId);
    return a && info(a);
  }

  async createAccount(tenant: string, name: string): Promise<IssuedCredentials> {
    if (typeof name !== "string" || !ACCOUNT_NAME.test(name)) {
      throw new IamError(
        "InvalidName",
        `invalid account name ${JSON.stringify(name)}: 1-64 characters A-Z, a-z, 0-9, ".", "_", "-"`,
      );
    }
    return this.mutate((doc) => {
      if (!doc.tenants.some((t) => t.name === tenant)) {
        throw new IamError("NoSuchTenant", `tenant ${JSON.stringify(tenant)} does not exist`);
      }
      if (doc.accounts.some((a) => a.tenant === tenant && a.name === name)) {
        throw new IamError("AccountExists", `tenant ${tenant} already has an account named ${name}`);
      }
      const now = this.now();
      const id = randomBytes(16).toString("hex");
      const { key, secret } = this.issueKey(doc, id, now);
      const acc: StoredAccount = { id, tenant, name, createdAt: now, key };
      doc.accounts.push(acc);
      return { issued: { ...info(acc), secretAccessKey: secret }, secret };
    }).then(({ issued, secret }) => {
      this.secrets.set(issued.accessKeyId, secret);
      return issued;
    });
  }

  /** A new key pair; the old access key stops working at once. */
  resetKey(accountId: string): Promise<IssuedCredentials> {
    return this.mutate((doc) => {
      const acc = doc.accounts.find((a) => a.id === accountId);
      if (!acc) throw new IamError("NoSuchAccount", `account ${JSON.stringify(accountId)} does not exist`);
      if (acc.root) {
        throw new IamError(
          "RootAccountImmutable",
          `the root account's key is set by ${ROOT_ACCESS_KEY_ENV} / ${ROOT_SECRET_KEY_ENV} at start`,
        );
      }
      const { key, secret } = this.issueKey(doc, acc.id, this.now());
      acc.key = key;
      return { issued: { ...info(acc), secretAccessKey: secret }, secret };
    }).then(({ issued, secret }) => {
      this.secrets.set(issued.accessKeyId, secret);
      return issued;
    });
  }

  /** Removes the account, its key and its role bindings. Buckets it owns keep their owner id. */
  deleteAccount(accountId: string): Promise<void> {
    return this.mutate((doc) => {
      const i = doc.accounts.findIndex((a) => a.id === accountId);
      if (i < 0) throw new IamError("NoSuchAccount", `account ${JSON.stringify(accountId)} does not exist`);
      if (doc.accounts[i].root)
        throw new IamError("RootAccountImmutable", "the root account cannot be deleted");
      doc.accounts.splice(i, 1);
      doc.bindings = doc.bindings.filter((b) => b.accountId !== accountId);
    });
  }

  // ---- role bindings (stored now; enforced by the access rules of a later issue)
  listBindings(filter: { bucket?: string; accountId?: string } = {}): RoleBinding[] {
    return this.doc.bindings
      .filter(
        (b) =>
          (filter.bucket === undefined || b.bucket === filter.bucket) &&
          (filter.accountId === undefined || b.accountId === filter.accountId),
      )
      .map((b) => ({ ...b }));
  }

  /** One role per account and bucket: binding again replaces the role. */
  async bindRole(bucket: string, accountId: string, role: Role): Promise<RoleBinding> {
    if (!ROLES.includes(role)) {
      throw new IamError("InvalidRole", `invalid role ${JSON.stringify(role)}; expected ${ROLES.join(", ")}`);
    }
    return this.mutate((doc) => {
      if (!doc.accounts.some((a) => a.id === accountId)) {
        throw new IamError("NoSuchAccount", `account ${JSON.stringify(accountId)} does not exist`);
      }
      const binding: RoleBinding = { bucket, accountId, role, createdAt: this.now() };
      doc.bindings = doc.bindings.filter((b) => !(b.bucket === bucket && b.accountId === accountId));
      doc.bindings.push(binding);
      return { ...binding };
    });
  }

  unbindRole(bucket: string, accountId: string): Promise<void> {
    return this.mutate((doc) => {
      const n = doc.bindings.length;
      doc.bindings = doc.bindings.filter((b) => !(b.bucket === bucket && b.accountId === accountId));
      if (doc.bindings.length === n) {
        throw new IamError("NoSuchBinding", `account ${accountId} has no role on bucket ${bucket}`);
      }
    });
  }

  /** For DeleteBucket: a bucket re-created later by someone else must not inherit old bindings. */
  removeBucketBindings(bucket: string): Promise<void> {
    return this.mutate((doc) => {
      doc.bindings = doc.bindings.filter((b) => b.bucket !== bucket);
    });
  }

  // ---- internals
  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  private account(accountId: string): StoredAccount {
    const a = this.byId.get(accountId);
    if (!a) throw new IamError("NoSuchAccount", `account ${JSON.stringify(accountId)} does not exist`);
    return a;
  }

  private tenantView(t: TenantRecord): Tenant {
    return { ...t, accounts: this.doc.accounts.filter((a) => a.tenant === t.name).length };
  }

  private issueKey(
    doc: StoreDocument,
    accountId: string,
    now: string,
    given?: { accessKeyId: string; secretAccessKey: string },
  ): { key: StoredAccount["key"]; secret: string } {
    const taken = new Set(doc.accounts.filter((a) => a.id !== accountId).map((a) => a.key.accessKeyId));
    let accessKeyId = given?.accessKeyId ?? newAccessKeyId();
    if (given && taken.has(accessKeyId)) {
      throw new IamError("InvalidRootCredentials", "the root access key is already used by another account");
    }
    while (taken.has(accessKeyId)) accessKeyId = newAccessKeyId();
    const secret = given?.secretAccessKey ?? newSecret();
    const sealed = sealSecret(this.keyring, secret, accountId, accessKeyId);
    return { key: { accessKeyId, createdAt: now, sealed }, secret };
  }

  /**
   * Serialised read-modify-write: `fn` edits a copy; the copy is written, then becomes the state.
   * A failed write (or a refused change) leaves the state as it was.
   */
  private mutate<T>(fn: (doc: StoreDocument) => T): Promise<T> {
    const run = this.queue.then(async () => {
      const draft = structuredClone(this.doc);
      const result = fn(draft);
      await writeDocument(this.file, draft, this.durable);
      this.doc = draft;
      this.reindex();
      return result;
    });
    this.queue = run.catch(() => {});
    return run;
  }

  private reindex(): void {
    this.byId = new Map(this.doc.accounts.map((a) => [a.id, a]));
    this.byKey = new Map(this.doc.accounts.map((a) => [a.key.accessKeyId, a]));
    for (const k of this.secrets.keys()) if (!this.byKey.has(k)) this.secrets.delete(k);
  }

  private async ensureRoot(
    given: { accessKeyId: string; secretAccessKey: string; principal?: string } | undefined,
  ) {
    const existing = this.doc.accounts.find((a) => a.root);
    if (existing) {
      let current: LookupResult;
      try {
        current = this.lookup(existing.key.accessKeyId)!;
      } catch (e) {
        // Every sealed secret would fail the same way: refuse to start rather than reject every login.
        throw new Error(
          `cannot open the sealed root secret in ${this.file}: the master key (keys.json or ` +
            "PARITY_MASTER_KEY) is not the one the accounts were sealed under, or the file was altered",
          { cause: e },
        );
      }
      if (!given) return;
      if (current.accessKeyId === given.accessKeyId && current.secretAccessKey === given.secretAccessKey)
        return;
      await this.mutate((doc) => {
        const root = doc.accounts.find((a) => a.root)!;
        root.key = this.issueKey(doc, root.id, this.now(), given).key;
      });
      return;
    }
    await this.mutate((doc) => {
      const id = given?.principal ?? randomBytes(32).toString("hex");
      const now = this.now();
      const { key } = this.issueKey(doc, id, now, given);
      doc.accounts.unshift({ id, tenant: ROOT_TENANT, name: "root", createdAt: now, root: true, key });
    });
  }

  toJSON(): { file: string; accounts: number } {
    return { file: this.file, accounts: this.doc.accounts.length };
  }

  // Logging the store must never print cached secrets.
  [inspect.custom](): string {
    return `AccountStore { file: ${this.file}, accounts: ${this.doc.accounts.length} }`;
  }
}

function info(a: StoredAccount): AccountInfo {
  return {
    accountId: a.id,
    tenant: a.tenant,
    name: a.name,
    accessKeyId: a.key.accessKeyId,
    createdAt: a.createdAt,
    keyCreatedAt: a.key.createdAt,
    root: a.root === true,
  };
}
