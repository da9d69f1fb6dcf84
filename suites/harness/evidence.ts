// Evidence of a failing check: a summary of each HTTP exchange the SDK made during the test, secrets
// redacted, attached to the test's meta so the runner (another process) receives it with the result.

import { Readable, Writable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";

export interface Exchange {
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    /** Small text bodies only (XML configurations), never object data. */
    readonly body?: string;
  };
  readonly response?: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    /** Error bodies only (small XML), never object data. */
    readonly body?: string;
  };
  readonly error?: string;
}

declare module "vitest" {
  interface TaskMeta {
    s3Evidence?: Exchange[];
  }
}

const SECRET_HEADERS = new Set([
  "x-amz-security-token",
  "x-amz-server-side-encryption-customer-key",
  "x-amz-copy-source-server-side-encryption-customer-key",
  "cookie",
  "set-cookie",
]);
const SECRET_QUERY = new Set(["x-amz-signature", "x-amz-credential", "x-amz-security-token", "signature"]);
const MAX_EXCHANGES = 6;
const MAX_BODY = 4096;

/** Removes signatures, access keys and known secret values from any string. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text
    .replace(/Signature=[0-9a-fA-F]+/g, "Signature=<redacted>")
    .replace(/Credential=[^/,\s&<]+/g, "Credential=<redacted>")
    .replace(/^AWS [^:\s]+:\S+$/, "AWS <redacted>");
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("<redacted>");
  return out;
}

export function redactHeaders(
  headers: Readonly<Record<string, string | undefined>>,
  secrets: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? "<redacted>" : redactText(value, secrets);
  }
  return out;
}

export function redactUrl(url: string, secrets: readonly string[]): string {
  const [base, query] = url.split("?", 2);
  if (query === undefined) return redactText(base, secrets);
  const parts = query.split("&").map((pair) => {
    const name = decodeURIComponent(pair.split("=")[0] ?? "").toLowerCase();
    return SECRET_QUERY.has(name) ? `${pair.split("=")[0]}=<redacted>` : pair;
  });
  return redactText(`${base}?${parts.join("&")}`, secrets);
}

interface RawRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}
interface RawResponse {
  statusCode: number;
  headers: Record<string, string>;
  body?: unknown;
}

function queryString(query: RawRequest["query"]): string {
  if (!query) return "";
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      parts.push(
        one === null ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(one)}`,
      );
    }
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

async function bufferBody(body: unknown): Promise<Buffer | undefined> {
  if (!body || typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== "function") return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export class EvidenceRecorder {
  private exchanges: Exchange[] = [];
  private readonly secrets: string[] = [];

  addSecrets(...values: string[]): void {
    this.secrets.push(...values);
  }

  reset(): void {
    this.exchanges = [];
  }

  record(exchange: Exchange): void {
    this.exchanges.push(exchange);
    if (this.exchanges.length > MAX_EXCHANGES) this.exchanges.shift();
  }

  /** Records an exchange made outside the SDK, redacting it like the SDK's. */
  recordRaw(
    request: Exchange["request"],
    response?: { status: number; headers: Record<string, string>; body: string },
    error?: string,
  ): void {
    this.record({
      request: {
        method: request.method,
        url: redactUrl(request.url, this.secrets),
        headers: redactHeaders(request.headers, this.secrets),
      },
      ...(response
        ? {
            response: {
              status: response.status,
              headers: redactHeaders(response.headers, this.secrets),
              ...(response.body ? { body: redactText(response.body.slice(0, MAX_BODY), this.secrets) } : {}),
            },
          }
        : {}),
      ...(error ? { error: redactText(error, this.secrets) } : {}),
    });
  }

  snapshot(): Exchange[] {
    return [...this.exchanges];
  }

  /**
   * A stream for minio's `traceOn`: minio writes one line at a time (`REQUEST: GET /b/k`, headers,
   * `RESPONSE: 404`, headers, `ERROR BODY:` JSON); each REQUEST line starts a new exchange.
   */
  minioTrace(endpoint: string): Writable {
    type Mutable = {
      request: { method: string; url: string; headers: Record<string, string> };
      response?: { status: number; headers: Record<string, string>; body?: string };
    };
    let current: Mutable | undefined;
    let section: "request" | "response" | "body" = "request";
    const handle = (line: string) => {
      const request = /^REQUEST: (\S+) (.*)$/.exec(line);
      const response = /^RESPONSE: (\d+)$/.exec(line);
      if (request) {
        current = {
          request: { method: request[1], url: redactUrl(endpoint + request[2], this.secrets), headers: {} },
        };
        section = "request";
        this.record(current);
      } else if (!current) {
        return;
      } else if (response) {
        current.response = { status: Number(response[1]), headers: {} };
        section = "response";
      } else if (line === "ERROR BODY:") {
        section = "body";
      } else if (section === "body" && current.response) {
        const body = `${current.response.body ?? ""}${redactText(line, this.secrets)}\n`;
        current.response.body = body.slice(0, MAX_BODY);
      } else if (line.includes(": ")) {
        const at = line.indexOf(": ");
        const headers = section === "response" ? current.response?.headers : current.request.headers;
        if (headers)
          Object.assign(headers, redactHeaders({ [line.slice(0, at)]: line.slice(at + 2) }, this.secrets));
      }
    };
    return new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        for (const line of String(chunk).split("\n")) if (line) handle(line);
        done();
      },
    });
  }

  /** Adds a middleware after signing that records the request as sent and the raw response. */
  attach(client: S3Client): void {
    client.middlewareStack.add(
      (next) => async (args) => {
        const req = args.request as RawRequest;
        const port = req.port ? `:${req.port}` : "";
        const request = {
          method: req.method,
          url: redactUrl(
            `${req.protocol}//${req.hostname}${port}${req.path}${queryString(req.query)}`,
            this.secrets,
          ),
          headers: redactHeaders(req.headers, this.secrets),
        };
        try {
          const result = await next(args);
          const res = result.response as RawResponse;
          let body: string | undefined;
          // Error bodies are small XML: buffer them for the evidence and hand the SDK a fresh stream.
          if (res.statusCode >= 300 && res.body) {
            const buffered = await bufferBody(res.body);
            if (buffered) {
              res.body = Readable.from([buffered]);
              body = redactText(buffered.subarray(0, MAX_BODY).toString("utf8"), this.secrets);
            }
          }
          this.record({
            request,
            response: {
              status: res.statusCode,
              headers: redactHeaders(res.headers, this.secrets),
              ...(body ? { body } : {}),
            },
          });
          return result;
        } catch (error) {
          this.record({ request, error: redactText(String(error), this.secrets) });
          throw error;
        }
      },
      { step: "deserialize", priority: "low", name: "parityEvidence" },
    );
  }
}
