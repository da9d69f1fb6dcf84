// Parsing and validation of a bucket policy document, with the MalformedPolicy messages AWS S3 gives.
// Validation is syntactic: a principal is checked for form (account id, IAM/STS ARN, canonical id), not
// looked up; resources must be this bucket's ARNs; actions must be S3 actions applying to a resource of
// the statement; condition operators, keys and values must be ones IAM knows.

import { S3Error } from "../../http/s3-error.ts";
import { type ResourceType, S3_ACTIONS } from "./actions.ts";
import {
  type ConditionClause,
  ConditionError,
  parseOperator,
  validConditionKey,
  validConditionValue,
} from "./conditions.ts";
import { globMatch } from "./glob.ts";

/** AWS's bucket policy size limit. */
export const MAX_POLICY_BYTES = 20 * 1024;

export type PolicyVersion = "2012-10-17" | "2008-10-17";

export interface PrincipalSpec {
  /** `"*"` or `{"AWS": "*"}`: everyone, anonymous callers included. */
  readonly wildcard: boolean;
  readonly aws: readonly string[];
  readonly canonical: readonly string[];
  readonly service: readonly string[];
  readonly federated: readonly string[];
}

export interface ListElement {
  /** NotAction / NotResource: the statement covers everything except these. */
  readonly not: boolean;
  readonly patterns: readonly string[];
}

export interface Statement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly principal: PrincipalSpec;
  /** NotPrincipal: the statement covers every caller except these. */
  readonly notPrincipal: boolean;
  readonly action: ListElement;
  readonly resource: ListElement;
  readonly conditions: readonly ConditionClause[];
}

export interface ParsedPolicy {
  readonly version: PolicyVersion;
  readonly id?: string;
  readonly statements: readonly Statement[];
}

export function malformed(message: string): S3Error {
  return new S3Error("MalformedPolicy", { message });
}

const TOP_FIELDS = new Set(["Version", "Id", "Statement"]);
const STATEMENT_FIELDS = new Set([
  "Sid",
  "Effect",
  "Principal",
  "NotPrincipal",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
]);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function parsePolicyDocument(text: string, bucket: string): ParsedPolicy {
  if (Buffer.byteLength(text, "utf8") > MAX_POLICY_BYTES) {
    throw malformed("Policy exceeds the maximum allowed document size.");
  }
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  }
  if (!isObject(doc)) throw malformed("Policies must be valid JSON and the first byte must be '{'");
  for (const k of Object.keys(doc)) if (!TOP_FIELDS.has(k)) throw malformed(`Unknown field ${k}`);
  const version = doc.Version ?? "2008-10-17";
  if (version !== "2012-10-17" && version !== "2008-10-17") {
    throw malformed("The policy must contain a valid version string");
  }
  if (doc.Id !== undefined && typeof doc.Id !== "string") throw malformed("Id must be a string");
  if (doc.Statement === undefined) throw malformed("Missing required field Statement");
  const raw = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (raw.length === 0) throw malformed("Could not parse the policy: Statement is empty!");
  const statements = raw.map((s) => parseStatement(s, bucket, version));
  return { version, ...(typeof doc.Id === "string" ? { id: doc.Id } : {}), statements };
}

function parseStatement(s: Json, bucket: string, version: PolicyVersion): Statement {
  if (!isObject(s)) throw malformed("Statement must be an object");
  for (const k of Object.keys(s)) if (!STATEMENT_FIELDS.has(k)) throw malformed(`Unknown field ${k}`);
  if (s.Sid !== undefined && typeof s.Sid !== "string") throw malformed("Sid must be a string");
  if (s.Effect === undefined) throw malformed("Missing required field Effect");
  if (s.Effect !== "Allow" && s.Effect !== "Deny") throw malformed(`Invalid effect: ${String(s.Effect)}`);
  const principal = exclusive(s, "Principal", "NotPrincipal");
  const action = exclusive(s, "Action", "NotAction");
  const resource = exclusive(s, "Resource", "NotResource");
  const stmt: Statement = {
    ...(typeof s.Sid === "string" ? { sid: s.Sid } : {}),
    effect: s.Effect,
    principal: parsePrincipal(principal.value),
    notPrincipal: principal.not,
    action: { not: action.not, patterns: parseActions(action.value) },
    resource: { not: resource.not, patterns: parseResources(resource.value, bucket, version) },
    conditions: parseConditions(s.Condition),
  };
  if (!stmt.action.not && !stmt.resource.not) checkActionsApply(stmt, bucket, version);
  return stmt;
}

function exclusive(s: JsonObject, name: string, notName: string): { value: Json; not: boolean } {
  const has = s[name] !== undefined;
  const hasNot = s[notName] !== undefined;
  if (has && hasNot) throw malformed(`Statement cannot have both ${name} and ${notName}`);
  if (!has && !hasNot) throw malformed(`Missing required field ${name}`);
  return has ? { value: s[name]!, not: false } : { value: s[notName]!, not: true };
}

/** A string, or a non-empty array of strings; undefined when the value is neither. */
function stringList(v: Json): string[] | undefined {
  if (typeof v === "string") return [v];
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return v.every((x) => typeof x === "string") ? (v as string[]) : undefined;
}

const ACCOUNT = "(?:\\d{12}|[0-9a-f]{32}|[0-9a-f]{64})";
// Account ids are AWS's 12 digits; the reference server's own accounts have hex ids (32 hex for storage
// accounts, 64 for the root), which it also uses as canonical ids, so both forms are principals here.
const AWS_PRINCIPAL = new RegExp(
  `^(?:${ACCOUNT}|arn:aws:iam::${ACCOUNT}:(?:root|user/.+|role/.+)|arn:aws:sts::${ACCOUNT}:(?:assumed-role|federated-user)/.+)$`,
);
const CANONICAL = /^(?:[0-9a-f]{64}|[0-9a-f]{32})$/;
const SERVICE = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(?:\.cn)?$/;

function parsePrincipal(v: Json): PrincipalSpec {
  const invalid = () => malformed("Invalid principal in policy");
  if (v === "*") return { wildcard: true, aws: [], canonical: [], service: [], federated: [] };
  if (!isObject(v) || Object.keys(v).length === 0) throw invalid();
  const spec = {
    wildcard: false,
    aws: [] as string[],
    canonical: [] as string[],
    service: [] as string[],
    federated: [] as string[],
  };
  for (const [kind, raw] of Object.entries(v)) {
    const values = stringList(raw);
    if (!values) throw invalid();
    for (const value of values) {
      if (kind === "AWS") {
        if (value === "*") spec.wildcard = true;
        else if (AWS_PRINCIPAL.test(value)) spec.aws.push(value);
        else throw invalid();
      } else if (kind === "CanonicalUser") {
        if (!CANONICAL.test(value)) throw invalid();
        spec.canonical.push(value);
      } else if (kind === "Service") {
        if (!SERVICE.test(value)) throw invalid();
        spec.service.push(value);
      } else if (kind === "Federated") {
        if (value === "") throw invalid();
        spec.federated.push(value);
      } else throw invalid();
    }
  }
  return spec;
}

function parseActions(v: Json): string[] {
  const list = stringList(v);
  if (!list) throw malformed("Policy has invalid action");
  for (const a of list) {
    if (a === "*") continue;
    if (!/^s3:[A-Za-z*?]+$/i.test(a) || knownActionsMatching(a).length === 0) {
      throw malformed("Policy has invalid action");
    }
  }
  return list;
}

/** Known S3 actions (lower-cased) an action pattern covers. */
function knownActionsMatching(pattern: string): string[] {
  if (pattern === "*") return [...S3_ACTIONS.keys()];
  return [...S3_ACTIONS.keys()].filter((a) => globMatch(pattern, a, { ignoreCase: true }));
}

const arnOf = (bucket: string) => `arn:aws:s3:::${bucket}`;
// For form checks a variable stands for anything it could resolve to.
const asWildcards = (p: string, version: PolicyVersion) =>
  version === "2012-10-17" ? p.replace(/\$\{[^}]*\}/g, "*") : p;

function parseResources(v: Json, bucket: string, version: PolicyVersion): string[] {
  const list = stringList(v);
  if (!list) throw malformed("Policy has invalid resource");
  for (const r of list) {
    if (!resourceTypes(r, bucket, version).size) throw malformed("Policy has invalid resource");
  }
  return list;
}

/** What a resource pattern can name in this bucket: the bucket itself, its objects, both or neither. */
function resourceTypes(pattern: string, bucket: string, version: PolicyVersion): Set<ResourceType> {
  const arn = arnOf(bucket);
  const p = asWildcards(pattern, version);
  const types = new Set<ResourceType>();
  if (globMatch(p, arn)) types.add("bucket");
  if (pattern.startsWith(`${arn}/`) || globMatch(p, `${arn}/x`)) types.add("object");
  return types;
}

function checkActionsApply(s: Statement, bucket: string, version: PolicyVersion): void {
  const types = new Set<ResourceType>();
  for (const r of s.resource.patterns) for (const t of resourceTypes(r, bucket, version)) types.add(t);
  for (const a of s.action.patterns) {
    const applies = knownActionsMatching(a).some((k) => types.has(S3_ACTIONS.get(k)!));
    if (!applies) throw malformed("Action does not apply to any resource(s) in statement");
  }
}

function parseConditions(v: Json | undefined): ConditionClause[] {
  if (v === undefined) return [];
  if (!isObject(v)) throw malformed("Invalid Condition: must be an object");
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(v)) {
    let op: ReturnType<typeof parseOperator>;
    try {
      op = parseOperator(operator);
    } catch (e) {
      if (e instanceof ConditionError) throw malformed(e.message);
      throw e;
    }
    if (!isObject(block)) throw malformed(`Invalid Condition block for ${operator}`);
    for (const [rawKey, rawValues] of Object.entries(block)) {
      const key = rawKey.toLowerCase();
      if (!validConditionKey(key)) throw malformed("Policy has an invalid condition key");
      const items = Array.isArray(rawValues) ? rawValues : [rawValues];
      if (items.length === 0) throw malformed(`Invalid Condition value for ${operator}`);
      const values = items.map((x) => {
        // IAM takes numbers and booleans as their text.
        if (typeof x !== "string" && typeof x !== "number" && typeof x !== "boolean") {
          throw malformed(`Invalid Condition value for ${operator}`);
        }
        const text = String(x);
        if (!validConditionValue(op.base, text)) throw malformed(`Invalid Condition value for ${operator}`);
        return text;
      });
      clauses.push({ operator, ...op, key, values });
    }
  }
  return clauses;
}
