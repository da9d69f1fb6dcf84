// The conditions of a browser POST policy, checked against the form as AWS does: every condition must
// hold, every form field (but the signature's own and x-ignore-* ones) must be named by a condition, and
// content-length-range bounds the file, checked while it streams (see lengthRange / limitLength).

import type { PostPolicy } from "../auth/index.ts";
import { S3Error } from "../http/s3-error.ts";

export interface LengthRange {
  min: number;
  max: number;
}

type Check = { op: "eq" | "starts-with"; field: string; value: string; text: string };

/** Fields a policy need not name (AWS: the signature's own fields, the file and x-ignore-* fields). */
const EXEMPT = new Set(["x-amz-signature", "file", "policy", "awsaccesskeyid", "signature"]);

function invalid(detail: string): S3Error {
  return new S3Error("InvalidPolicyDocument", { message: `Invalid Policy: ${detail}` });
}

function denied(detail: string): S3Error {
  return new S3Error("AccessDenied", { message: `Invalid according to Policy: ${detail}` });
}

/** AWS quotes a failed condition in its array form: ["eq", "$key", "value"]. */
function conditionText(op: string, field: string, value: string): string {
  return `[${[op, `$${field}`, value].map((x) => JSON.stringify(x)).join(", ")}]`;
}

function integer(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  if (typeof v === "string" && /^\d{1,16}$/.test(v)) return Number(v);
  return undefined;
}

/** The policy's conditions as checks and its length range; malformed documents are InvalidPolicyDocument. */
export function compileConditions(policy: PostPolicy): { checks: Check[]; range?: LengthRange } {
  const conditions = policy.conditions;
  if (conditions === undefined) return { checks: [] };
  if (!Array.isArray(conditions)) throw invalid("Invalid 'conditions' value: must be a List.");
  const checks: Check[] = [];
  let range: LengthRange | undefined;
  for (const c of conditions) {
    if (Array.isArray(c)) {
      const op = typeof c[0] === "string" ? c[0].toLowerCase() : undefined;
      if (op === "content-length-range") {
        const min = integer(c[1]);
        const max = integer(c[2]);
        if (c.length !== 3 || min === undefined || max === undefined) {
          throw invalid("Invalid Condition: 'content-length-range' requires two integer bounds.");
        }
        range = { min, max };
        continue;
      }
      if (op !== "eq" && op !== "starts-with") {
        throw invalid(`Invalid Condition: unknown operation '${String(c[0])}'.`);
      }
      if (c.length !== 3 || typeof c[1] !== "string" || !c[1].startsWith("$")) {
        throw invalid(`Invalid Condition: '${op}' requires a $field and a value.`);
      }
      if (typeof c[2] !== "string") throw invalid("Invalid Condition: value must be a string.");
      const field = c[1].slice(1).toLowerCase();
      checks.push({ op, field, value: c[2], text: conditionText(op, c[1].slice(1), c[2]) });
    } else if (typeof c === "object" && c !== null) {
      const entries = Object.entries(c);
      if (entries.length === 0) throw invalid("Invalid Simple-Condition: a condition must name a field.");
      for (const [field, value] of entries) {
        if (typeof value !== "string") throw invalid("Invalid Simple-Condition: value must be a string.");
        checks.push({ op: "eq", field: field.toLowerCase(), value, text: conditionText("eq", field, value) });
      }
    } else {
      throw invalid("Invalid Condition: a condition must be a list or an object.");
    }
  }
  return { checks, range };
}

function holds(check: Check, actual: string): boolean {
  if (check.op === "eq") return actual === check.value;
  // A Content-Type may list several types; each must carry the prefix.
  if (check.field === "content-type") return actual.split(",").every((t) => t.trim().startsWith(check.value));
  return actual.startsWith(check.value);
}

/**
 * Checks the form against the policy. `fields`: the fields before the file, lower-cased names → values;
 * `names`: the names as sent (for the error text); `bucket` and `key` (after ${filename}) are matched as
 * the `bucket` and `key` fields. Returns the length range the file must fall in.
 */
export function checkPolicy(
  policy: PostPolicy,
  fields: ReadonlyMap<string, string>,
  names: readonly string[],
  bucket: string,
  key: string,
): LengthRange | undefined {
  const { checks, range } = compileConditions(policy);
  const value = (field: string) =>
    field === "bucket" ? bucket : field === "key" ? key : (fields.get(field) ?? "");
  for (const c of checks) {
    if (!holds(c, value(c.field))) throw denied(`Policy Condition failed: ${c.text}`);
  }
  const named = new Set(checks.map((c) => c.field));
  const extra = names.filter((n) => {
    const l = n.toLowerCase();
    return !EXEMPT.has(l) && !l.startsWith("x-ignore-") && !named.has(l);
  });
  if (extra.length > 0) throw denied(`Extra input fields: ${extra.join(", ")}`);
  return range;
}

/**
 * The file's bytes, counted as they pass: past the policy's (or S3's) maximum the upload stops with
 * EntityTooLarge; an upload that ends short of the minimum fails with EntityTooSmall before the engine
 * sees its end, so nothing is committed either way.
 */
export async function* limitLength(
  body: AsyncIterable<Buffer>,
  range: LengthRange,
  onSize: (n: number) => void = () => {},
): AsyncGenerator<Buffer> {
  let n = 0;
  for await (const chunk of body) {
    n += chunk.length;
    if (n > range.max) {
      throw new S3Error("EntityTooLarge", {
        extra: { ProposedSize: String(n), MaxSizeAllowed: String(range.max) },
      });
    }
    yield chunk;
  }
  if (n < range.min) {
    throw new S3Error("EntityTooSmall", {
      extra: { ProposedSize: String(n), MinSizeAllowed: String(range.min) },
    });
  }
  onSize(n);
}
