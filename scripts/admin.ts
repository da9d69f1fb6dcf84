// `parity admin ...`: the reference server's management API from the shell (docs/admin-api.md).

import { parseArgs } from "node:util";
import * as fmt from "./admin-format.ts";
import { usageCommand } from "./admin-usage.ts";

export interface AdminIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo: AdminIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
};

export const ADMIN_USAGE = `usage: parity admin <command> [args] [--endpoint URL] [--token TOKEN] [--json]

  tenants [list]                         tenants and their account counts
  tenants create NAME | delete NAME
  accounts [list] [--tenant T]           storage accounts (never with secrets)
  accounts show ACCOUNT_ID
  accounts create --tenant T NAME        prints the key pair: the secret is shown only once
  accounts reset-key ACCOUNT_ID          new key pair; the old one stops working
  accounts delete ACCOUNT_ID
  buckets [list] [--tenant T]            region, type, owner, objects and bytes
  buckets show BUCKET | set-type BUCKET performance|archive
  buckets roles BUCKET
  buckets grant BUCKET ACCOUNT_ID Maintainer|Writer|Reader | revoke BUCKET ACCOUNT_ID
  buckets retention BUCKET [DAYS]        show or set how long objects are kept (0: forever)
  buckets network BUCKET [private|public|custom CIDR,...]
                                         show or set which addresses may reach the bucket
  topology [--disks]                     zones, racks (nodes, disks) and their state
  faults [list]
  faults inject TARGET KIND [--slow-ms N] [--files N] [--bucket B --key K]
                                         TARGET: az2, az1-r2, az1-r2-n1, az1-r2-n1-d2
                                         KIND: offline, wipe, corrupt, slow, full
  faults restore FAULT_ID
  heal [--shallow]                       repair what faults broke and print the report (--shallow:
                                         check file sizes, not every block checksum)
  placement BUCKET KEY [--version-id V]  shard placement per zone with disk states
  usage [--tenant T]                     objects and bytes per bucket, totals per tenant
  billing [--tenant T] [--from DATE] [--to DATE]
                                         storage in GiB-hours and GiB-months (720 h) per tenant and
                                         bucket; default period: this month so far (UTC)

The endpoint and token come from --endpoint / --token or ADMIN_ENDPOINT / ADMIN_TOKEN, as printed by
\`parity serve\`. --json prints the API's JSON answer instead of tables.
`;

class UsageError extends Error {}
class ApiError extends Error {}

interface Client {
  call(method: string, path: string, body?: unknown): Promise<unknown>;
}

function client(endpoint: string, token: string): Client {
  return {
    async call(method, path, body) {
      let res: Response;
      try {
        res = await fetch(endpoint + path, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          // Heal walks every version and may take long; anything else answers quickly or is stuck.
          signal: path === "/heal" ? undefined : AbortSignal.timeout(60_000),
        });
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        const why = cause?.code ?? cause?.message ?? (e as Error).message;
        throw new ApiError(
          `cannot reach the admin API at ${endpoint} (${why}). Is \`parity serve\` running? ` +
            "Set --endpoint or ADMIN_ENDPOINT to its ADMIN_ENDPOINT line.",
        );
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = text === "" ? undefined : JSON.parse(text);
      } catch {
        throw new ApiError(`${endpoint} answered ${res.status} with non-JSON: is it the admin port?`);
      }
      if (res.ok) return json;
      const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      const code = err?.code ?? `HTTP ${res.status}`;
      if (res.status === 401) {
        throw new ApiError(
          `the admin API refused the token (${code}): use the ADMIN_TOKEN printed by \`parity serve\` ` +
            "(--token or ADMIN_TOKEN).",
        );
      }
      throw new ApiError(`${code} (${res.status}): ${err?.message ?? text}`);
    },
  };
}

const enc = encodeURIComponent;

function need(args: string[], n: number, what: string): string[] {
  if (args.length !== n) throw new UsageError(`expected ${what}`);
  return args;
}

type Out = { json: unknown; text: string; err?: string };

async function dispatch(
  api: Client,
  group: string,
  action: string | undefined,
  args: string[],
  o: Record<string, string | boolean | undefined>,
): Promise<Out> {
  const str = (k: string) => o[k] as string | undefined;
  const num = (k: string) => {
    const v = str(k);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new UsageError(`--${k} must be a non-negative integer`);
    return Number(v);
  };
  const show = (json: unknown, render: (j: never) => string): Out => ({ json, text: render(json as never) });
  switch (`${group} ${action ?? "list"}`) {
    case "tenants list":
      return show(await api.call("GET", "/tenants"), fmt.tenants);
    case "tenants create": {
      const [name] = need(args, 1, "tenants create NAME");
      const t = await api.call("POST", "/tenants", { name });
      return { json: t, text: `created tenant ${name}\n` };
    }
    case "tenants delete": {
      const [name] = need(args, 1, "tenants delete NAME");
      await api.call("DELETE", `/tenants/${enc(name)}`);
      return { json: { deleted: name }, text: `deleted tenant ${name}\n` };
    }
    case "accounts list": {
      const tenant = str("tenant");
      return show(await api.call("GET", `/accounts${tenant ? `?tenant=${enc(tenant)}` : ""}`), fmt.accounts);
    }
    case "accounts show": {
      const [id] = need(args, 1, "accounts show ACCOUNT_ID");
      return show(await api.call("GET", `/accounts/${enc(id)}`), fmt.account);
    }
    case "accounts create":
    case "accounts reset-key": {
      let a: unknown;
      if (action === "create") {
        const [name] = need(args, 1, "accounts create --tenant T NAME");
        const tenant = str("tenant");
        if (!tenant) throw new UsageError("accounts create needs --tenant T");
        a = await api.call("POST", "/accounts", { tenant, name });
      } else {
        const [id] = need(args, 1, "accounts reset-key ACCOUNT_ID");
        a = await api.call("POST", `/accounts/${enc(id)}/reset-key`);
      }
      const { out, err } = fmt.issued(a as Record<string, unknown>);
      return { json: a, text: out, err };
    }
    case "accounts delete": {
      const [id] = need(args, 1, "accounts delete ACCOUNT_ID");
      await api.call("DELETE", `/accounts/${enc(id)}`);
      return { json: { deleted: id }, text: `deleted account ${id}\n` };
    }
    case "buckets list": {
      const tenant = str("tenant");
      return show(await api.call("GET", `/buckets${tenant ? `?tenant=${enc(tenant)}` : ""}`), fmt.buckets);
    }
    case "buckets show": {
      const [b] = need(args, 1, "buckets show BUCKET");
      return show({ buckets: [await api.call("GET", `/buckets/${enc(b)}`)] }, fmt.buckets);
    }
    case "buckets set-type": {
      const [b, type] = need(args, 2, "buckets set-type BUCKET performance|archive");
      return show({ buckets: [await api.call("PATCH", `/buckets/${enc(b)}`, { type })] }, fmt.buckets);
    }
    case "buckets roles": {
      const [b] = need(args, 1, "buckets roles BUCKET");
      return show(await api.call("GET", `/buckets/${enc(b)}/roles`), fmt.roles);
    }
    case "buckets grant": {
      const [b, id, role] = need(args, 3, "buckets grant BUCKET ACCOUNT_ID ROLE");
      const r = await api.call("PUT", `/buckets/${enc(b)}/roles/${enc(id)}`, { role });
      return { json: r, text: `account ${id} is ${role} on bucket ${b}\n` };
    }
    case "buckets revoke": {
      const [b, id] = need(args, 2, "buckets revoke BUCKET ACCOUNT_ID");
      await api.call("DELETE", `/buckets/${enc(b)}/roles/${enc(id)}`);
      return {
        json: { bucket: b, accountId: id, revoked: true },
        text: `account ${id} has no role on ${b} now\n`,
      };
    }
    case "buckets retention": {
      if (args.length < 1 || args.length > 2)
        throw new UsageError("expected buckets retention BUCKET [DAYS]");
      const [b, d] = args;
      if (d !== undefined && !/^\d+$/.test(d)) throw new UsageError("DAYS must be a non-negative integer");
      const path = `/buckets/${enc(b)}/retention`;
      const body = d === undefined ? undefined : { days: Number(d) };
      const r = (await api.call(body ? "PUT" : "GET", path, body)) as { days: number };
      const kept = r.days === 0 ? "kept forever" : `deleted ${r.days} day(s) after written or replaced`;
      return { json: r, text: `bucket ${b}: objects are ${kept}\n` };
    }
    case "buckets network": {
      const [b, mode, list] = args;
      if (b === undefined || args.length > 3 || (mode === "custom") !== (list !== undefined))
        throw new UsageError("expected buckets network BUCKET [private|public|custom CIDR,...]");
      const path = `/buckets/${enc(b)}/network`;
      const body =
        mode === undefined ? undefined : mode === "custom" ? { mode, cidrs: list!.split(",") } : { mode };
      const r = (await api.call(body ? "PUT" : "GET", path, body)) as { mode: string; cidrs: string[] };
      const what =
        r.mode === "public"
          ? "any address"
          : r.mode === "private"
            ? "the provider's networks only"
            : r.cidrs.join(", ");
      return { json: r, text: `bucket ${b}: network ${r.mode} (${what})\n` };
    }
    case "faults list":
      return show(await api.call("GET", "/faults"), fmt.faults);
    case "faults inject": {
      const [target, kind] = need(args, 2, "faults inject TARGET KIND");
      const params: Record<string, unknown> = {};
      if (num("slow-ms") !== undefined) params.slowMs = num("slow-ms");
      if (num("files") !== undefined) params.files = num("files");
      if (str("bucket") !== undefined) params.bucket = str("bucket");
      if (str("key") !== undefined) params.key = str("key");
      return show(await api.call("POST", "/faults", { target, kind, params }), fmt.fault);
    }
    case "faults restore": {
      const [id] = need(args, 1, "faults restore FAULT_ID");
      const r = (await api.call("DELETE", `/faults/${enc(id)}`)) as {
        restored: Record<string, unknown>;
        note?: string;
      };
      const f = r.restored;
      return {
        json: r,
        text: `restored ${f.id} (${f.kind} on ${f.target})\n${r.note ? `note: ${r.note}\n` : ""}`,
      };
    }
    default:
      throw new UsageError(`unknown command: ${group}${action ? ` ${action}` : ""}`);
  }
}

async function run(argv: string[], io: AdminIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.stderr(`parity admin: ${(e as Error).message}\n\n${ADMIN_USAGE}`);
    return 2;
  }
  const { values: o, positionals } = parsed;
  const [group, ...rest] = positionals;
  if (o.help || group === undefined || group === "help") {
    io.stdout(ADMIN_USAGE);
    return group === undefined && !o.help ? 2 : 0;
  }
  const endpoint = (o.endpoint ?? io.env.ADMIN_ENDPOINT)?.replace(/\/+$/, "");
  const token = o.token ?? io.env.ADMIN_TOKEN;
  if (!endpoint || !/^https?:\/\/[^/]+$/.test(endpoint)) {
    io.stderr(
      endpoint
        ? `parity admin: ${JSON.stringify(endpoint)} is not an http(s)://host:port endpoint\n`
        : "parity admin: no endpoint: pass --endpoint URL or set ADMIN_ENDPOINT (printed by `parity serve`)\n",
    );
    return 2;
  }
  if (!token) {
    io.stderr("parity admin: no token: pass --token TOKEN or set ADMIN_TOKEN (printed by `parity serve`)\n");
    return 2;
  }
  const api = client(endpoint, token);
  try {
    let out: Out;
    if (group === "topology") {
      const t = await api.call("GET", "/topology");
      out = { json: t, text: fmt.topology(t as never, o.disks === true) };
    } else if (group === "heal") {
      const r = await api.call("POST", "/heal", o.shallow ? { deep: false } : {});
      out = { json: r, text: fmt.heal(r as never) };
    } else if (group === "placement") {
      const [bucket, key] = need(rest, 2, "placement BUCKET KEY");
      const v = o["version-id"] ? `?versionId=${enc(o["version-id"])}` : "";
      const path = `/buckets/${enc(bucket)}/objects/${key.split("/").map(enc).join("/")}/placement${v}`;
      const p = await api.call("GET", path);
      out = { json: p, text: fmt.placement(p as never) };
    } else if (group === "usage" || group === "billing") {
      need(rest, 0, `${group} with options only`);
      out = (await usageCommand((m, p) => api.call(m, p), group, o as Record<string, string>))!;
    } else if (["tenants", "accounts", "buckets", "faults"].includes(group)) {
      out = await dispatch(api, group, rest[0], rest.slice(1), o);
    } else {
      throw new UsageError(`unknown command: ${group}`);
    }
    if (o.json) io.stdout(JSON.stringify(out.json, null, 2) + "\n");
    else {
      io.stdout(out.text);
      if (out.err) io.stderr(out.err);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`parity admin: ${e.message}\n\n${ADMIN_USAGE}`);
      return 2;
    }
    if (e instanceof ApiError) {
      io.stderr(`parity admin: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      endpoint: { type: "string" },
      token: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      tenant: { type: "string" },
      disks: { type: "boolean" },
      shallow: { type: "boolean" },
      "slow-ms": { type: "string" },
      files: { type: "string" },
      bucket: { type: "string" },
      key: { type: "string" },
      "version-id": { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
    },
  });
}

/**
 * `parity admin ...`: `argv` is what follows `admin`. Exit code 0 on success, 1 when the server refused
 * or could not be reached, 2 on a usage error.
 */
export function runAdmin(argv: string[], io: AdminIo = defaultIo): Promise<number> {
  return run(argv, io);
}
