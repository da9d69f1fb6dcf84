// Condition operators of the IAM policy language: parsing of an operator name (with the `IfExists`
// suffix and the `ForAnyValue:` / `ForAllValues:` set qualifiers), validation of keys and values, and
// evaluation against a request's condition context.
//
// Semantics follow the IAM reference: several keys in one operator block AND; several values of one key
// OR for positive operators and NOR for negated ones; a key absent from the request makes a positive
// operator false, a negated operator true, `...IfExists` true; ForAllValues is true on an absent or empty
// key, ForAnyValue false.

import { globMatch } from "./glob.ts";
import { cidrContains, parseCidr, parseIp } from "./ip.ts";

type Test = (
  policyValue: string,
  requestValue: string,
  variable?: (n: string) => string | undefined,
) => boolean;

interface OperatorSpec {
  readonly negated: boolean;
  readonly test: Test;
  /** Policy values this operator accepts; anything else makes the policy malformed. */
  readonly validValue: (v: string) => boolean;
}

const anyString = () => true;
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;
const isNumber = (v: string) => NUMBER.test(v.trim());

/** ISO 8601 date/time or epoch seconds, in ms; NaN when neither. */
export function parseDate(v: string): number {
  const t = v.trim();
  if (/^-?\d+$/.test(t)) return Number(t) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return Number.NaN;
  return Date.parse(t);
}

const num = (cmp: (a: number, b: number) => boolean): Test => {
  return (pv, rv) => isNumber(rv) && cmp(Number(rv), Number(pv));
};
const date = (cmp: (a: number, b: number) => boolean): Test => {
  return (pv, rv) => {
    const r = parseDate(rv);
    const p = parseDate(pv);
    return !Number.isNaN(r) && !Number.isNaN(p) && cmp(r, p);
  };
};

const eq = (a: number, b: number) => a === b;
const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;

const stringEquals: Test = (pv, rv, variable) =>
  variable ? globMatch(escapeWildcards(pv), rv, { variable }) : pv === rv;
const stringEqualsIgnoreCase: Test = (pv, rv, variable) =>
  variable
    ? globMatch(escapeWildcards(pv), rv, { ignoreCase: true, variable })
    : pv.toLowerCase() === rv.toLowerCase();
const stringLike: Test = (pv, rv, variable) => globMatch(pv, rv, variable ? { variable } : {});

// Equality operators compare literally; routing them through the glob matcher (for variables) needs the
// policy value's own `*` and `?` turned into their literal variable escapes.
function escapeWildcards(v: string): string {
  return v.replace(/\$\{[^}]*\}|[*?]/g, (m) => (m.length === 1 ? `\${${m}}` : m));
}

/** ARNs compare component by component (six colon-separated parts), each with wildcards. */
const arnLike: Test = (pv, rv, variable) => {
  const p = splitArn(pv);
  const r = splitArn(rv);
  if (!p || !r) return false;
  return p.every((part, i) => globMatch(part, r[i]!, variable ? { variable } : {}));
};

function splitArn(v: string): string[] | undefined {
  const parts = v.split(":");
  if (parts.length < 6 || (parts[0] !== "arn" && parts[0] !== "*")) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

const ipTest: Test = (pv, rv) => {
  const c = parseCidr(pv);
  const ip = parseIp(rv);
  return c !== undefined && ip !== undefined && cidrContains(c, ip);
};

const isBool = (v: string) => /^(true|false)$/i.test(v);
const isBase64 = (v: string) => /^[A-Za-z0-9+/]*={0,2}$/.test(v);
const isCidr = (v: string) => parseCidr(v) !== undefined;
const validArn = (v: string) => v === "*" || splitArn(v) !== undefined;

const isDate = (v: string) => !Number.isNaN(parseDate(v));
type Row = readonly [name: string, negated: boolean, test: Test, validValue: (v: string) => boolean];

const OPERATORS: ReadonlyMap<string, OperatorSpec> = new Map<string, OperatorSpec>(
  (
    [
      ["StringEquals", false, stringEquals, anyString],
      ["StringNotEquals", true, stringEquals, anyString],
      ["StringEqualsIgnoreCase", false, stringEqualsIgnoreCase, anyString],
      ["StringNotEqualsIgnoreCase", true, stringEqualsIgnoreCase, anyString],
      ["StringLike", false, stringLike, anyString],
      ["StringNotLike", true, stringLike, anyString],
      ["NumericEquals", false, num(eq), isNumber],
      ["NumericNotEquals", true, num(eq), isNumber],
      ["NumericLessThan", false, num(lt), isNumber],
      ["NumericLessThanEquals", false, num(le), isNumber],
      ["NumericGreaterThan", false, num(gt), isNumber],
      ["NumericGreaterThanEquals", false, num(ge), isNumber],
      ["DateEquals", false, date(eq), isDate],
      ["DateNotEquals", true, date(eq), isDate],
      ["DateLessThan", false, date(lt), isDate],
      ["DateLessThanEquals", false, date(le), isDate],
      ["DateGreaterThan", false, date(gt), isDate],
      ["DateGreaterThanEquals", false, date(ge), isDate],
      ["Bool", false, (pv: string, rv: string) => pv.toLowerCase() === rv.toLowerCase(), isBool],
      ["BinaryEquals", false, (pv: string, rv: string) => pv === rv, isBase64],
      ["IpAddress", false, ipTest, isCidr],
      ["NotIpAddress", true, ipTest, isCidr],
      ["ArnEquals", false, arnLike, validArn],
      ["ArnNotEquals", true, arnLike, validArn],
      ["ArnLike", false, arnLike, validArn],
      ["ArnNotLike", true, arnLike, validArn],
    ] satisfies Row[]
  ).map(([name, negated, test, validValue]) => [name.toLowerCase(), { negated, test, validValue }]),
);

export type SetQualifier = "ForAnyValue" | "ForAllValues";

export interface ConditionClause {
  /** The operator as written in the policy, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** Base operator, lower-cased (`stringlike`), or `null` for the Null check. */
  readonly base: string;
  readonly qualifier?: SetQualifier;
  readonly ifExists: boolean;
  readonly negated: boolean;
  /** Condition key, lower-cased (keys are case-insensitive). */
  readonly key: string;
  readonly values: readonly string[];
}

export class ConditionError extends Error {}

/** Parses an operator name; throws ConditionError("Unknown condition operator") if it is none. */
export function parseOperator(
  name: string,
): Pick<ConditionClause, "base" | "qualifier" | "ifExists" | "negated"> {
  let rest = name;
  let qualifier: SetQualifier | undefined;
  const q = /^(ForAnyValue|ForAllValues):/i.exec(rest);
  if (q) {
    qualifier = q[1]!.toLowerCase() === "foranyvalue" ? "ForAnyValue" : "ForAllValues";
    rest = rest.slice(q[0].length);
  }
  const ifExists = /IfExists$/i.test(rest) && rest.length > "IfExists".length;
  if (ifExists) rest = rest.slice(0, -"IfExists".length);
  const base = rest.toLowerCase();
  if (base === "null") {
    // Null tests presence itself: IfExists and set qualifiers make no sense on it.
    if (ifExists || qualifier) throw new ConditionError("Unknown condition operator");
    return { base, ifExists: false, negated: false };
  }
  const spec = OPERATORS.get(base);
  if (!spec) throw new ConditionError("Unknown condition operator");
  return { base, ifExists, negated: spec.negated, ...(qualifier ? { qualifier } : {}) };
}

/** Is `value` acceptable for the operator? */
export function validConditionValue(base: string, value: string): boolean {
  if (base === "null") return isBool(value);
  return OPERATORS.get(base)?.validValue(value) ?? false;
}

// Keys S3 understands besides the global `aws:` ones (lower-cased); tag keys take a suffix.
const S3_KEYS = new Set(
  [
    "accesspointnetworkorigin",
    "authtype",
    "dataaccesspointaccount",
    "dataaccesspointarn",
    "delimiter",
    "if-match",
    "if-none-match",
    "locationconstraint",
    "max-keys",
    "object-lock-legal-hold",
    "object-lock-mode",
    "object-lock-remaining-retention-days",
    "object-lock-retain-until-date",
    "objectcreationoperation",
    "prefix",
    "requestobjecttagkeys",
    "resourceaccount",
    "signatureage",
    "signatureversion",
    "tlsversion",
    "versionid",
  ].map((k) => `s3:${k}`),
);
const S3_KEY_PREFIXES = ["s3:x-amz-", "s3:existingobjecttag/", "s3:requestobjecttag/"];

/** A condition key a bucket policy may use (lower-cased input). */
export function validConditionKey(key: string): boolean {
  if (/^aws:[a-z0-9][a-z0-9_/.:-]*$/.test(key)) return true;
  if (S3_KEYS.has(key)) return true;
  return S3_KEY_PREFIXES.some((p) => key.startsWith(p) && key.length > p.length);
}

/** Evaluates one clause against the request's condition values (keys lower-cased). */
export function evaluateClause(
  c: ConditionClause,
  context: ReadonlyMap<string, readonly string[]>,
  variable?: (name: string) => string | undefined,
): boolean {
  const present = context.get(c.key);
  const values = present ?? [];
  if (c.base === "null") {
    const absent = values.length === 0;
    return c.values.some((v) => (v.toLowerCase() === "true" ? absent : !absent));
  }
  if (values.length === 0) {
    if (c.qualifier === "ForAllValues") return true;
    if (c.qualifier === "ForAnyValue") return false;
    return c.ifExists || c.negated;
  }
  const test = OPERATORS.get(c.base)!.test;
  const matches = (rv: string) => c.values.some((pv) => test(pv, rv, variable));
  const satisfied = (rv: string) => (c.negated ? !matches(rv) : matches(rv));
  if (c.qualifier === "ForAllValues") return values.every(satisfied);
  if (c.qualifier === "ForAnyValue") return values.some(satisfied);
  return c.negated ? values.every(satisfied) : values.some(satisfied);
}
