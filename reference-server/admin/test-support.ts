// A live management API on a temp data dir, for the admin and CLI tests.

import { rm } from "node:fs/promises";
import { AccountStore } from "../iam/accounts.ts";
import type { StorageEngine } from "../storage/engine.ts";
import { chunks, openTestEngine } from "../storage/test/helpers.ts";
import { type RunningAdminServer, startAdminServer } from "./server.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests navigate response JSON of many shapes.
type Json = any;

export interface TestAdmin {
  engine: StorageEngine;
  accounts: AccountStore;
  admin: RunningAdminServer;
  dataDir: string;
  /** fetch against the API with the right token unless `token` says otherwise (null: none). */
  api(
    method: string,
    path: string,
    body?: unknown,
    token?: string | null,
  ): Promise<{ status: number; json: Json; text: string }>;
  put(bucket: string, key: string, data: Buffer): Promise<void>;
  close(): Promise<void>;
}

export async function startTestAdmin(): Promise<TestAdmin> {
  const { engine, dataDir, keyring } = await openTestEngine();
  const accounts = await AccountStore.open({ dataDir, keyring, env: {}, durable: false });
  const admin = await startAdminServer({ engine, accounts });
  return {
    engine,
    accounts,
    admin,
    dataDir,
    async api(method, path, body, token) {
      const headers: Record<string, string> = {};
      const t = token === undefined ? admin.token : token;
      if (t !== null) headers.authorization = `Bearer ${t}`;
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(admin.endpoint + path, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = text === "" ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json, text };
    },
    async put(bucket, key, data) {
      await engine.putObject({ bucket, key, body: chunks(data), size: data.length });
    },
    async close() {
      await admin.close();
      await engine.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
