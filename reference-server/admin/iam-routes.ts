// Tenants, storage accounts and role bindings over the management API.

import { type AccountStore, ROLES, type Role } from "../iam/accounts.ts";
import type { StorageEngine } from "../storage/engine.ts";
import { AdminError, type Router, stringField } from "./http.ts";

export function requireBucket(engine: StorageEngine, bucket: string) {
  const b = engine.getBucket(bucket);
  if (!b) throw new AdminError(404, "NoSuchBucket", `bucket ${JSON.stringify(bucket)} does not exist`);
  return b;
}

export function addIamRoutes(router: Router, engine: StorageEngine, accounts: AccountStore): void {
  router
    .add("GET", "/tenants", () => ({ body: { tenants: accounts.listTenants() } }))
    .add("POST", "/tenants", async ({ body }) => {
      const name = stringField(await body(), "name", true);
      return { status: 201, body: await accounts.createTenant(name) };
    })
    .add("GET", "/tenants/:tenant", ({ params }) => ({ body: accounts.getTenant(params.tenant) }))
    .add("DELETE", "/tenants/:tenant", async ({ params }) => {
      await accounts.deleteTenant(params.tenant);
      return { status: 204, body: null };
    })

    .add("GET", "/accounts", ({ query }) => ({
      body: { accounts: accounts.listAccounts(query.get("tenant") ?? undefined) },
    }))
    .add("POST", "/accounts", async ({ body }) => {
      const b = await body();
      const created = await accounts.createAccount(
        stringField(b, "tenant", true),
        stringField(b, "name", true),
      );
      return { status: 201, body: created };
    })
    .add("GET", "/accounts/:id", ({ params }) => ({
      body: { ...accounts.getAccount(params.id), roles: accounts.listBindings({ accountId: params.id }) },
    }))
    .add("POST", "/accounts/:id/reset-key", async ({ params }) => ({
      body: await accounts.resetKey(params.id),
    }))
    .add("DELETE", "/accounts/:id", async ({ params }) => {
      await accounts.deleteAccount(params.id);
      return { status: 204, body: null };
    })

    .add("GET", "/buckets/:bucket/roles", ({ params }) => {
      requireBucket(engine, params.bucket);
      return { body: { bucket: params.bucket, roles: accounts.listBindings({ bucket: params.bucket }) } };
    })
    .add("PUT", "/buckets/:bucket/roles/:accountId", async ({ params, body }) => {
      requireBucket(engine, params.bucket);
      const role = stringField(await body(), "role", true);
      if (!ROLES.includes(role as Role)) {
        throw new AdminError(400, "InvalidRole", `role must be one of ${ROLES.join(", ")}`);
      }
      return { body: await accounts.bindRole(params.bucket, params.accountId, role as Role) };
    })
    .add("DELETE", "/buckets/:bucket/roles/:accountId", async ({ params }) => {
      await accounts.unbindRole(params.bucket, params.accountId);
      return { status: 204, body: null };
    });
}
