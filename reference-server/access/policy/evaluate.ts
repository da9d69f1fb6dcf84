// Evaluation of a parsed bucket policy for one request: a statement applies when its principal, action,
// resource and every condition clause match; an applying Deny wins over any Allow.

import { evaluateClause } from "./conditions.ts";
import { globMatch } from "./glob.ts";
import type { ListElement, ParsedPolicy, PrincipalSpec, Statement } from "./parse.ts";

export interface EvaluationRequest {
  readonly principals: readonly string[];
  readonly anonymous: boolean;
  readonly action: string;
  readonly resource: string;
  readonly conditions: ReadonlyMap<string, readonly string[]>;
}

export type Decision = "Allow" | "Deny" | "NoMatch";

export function evaluate(p: ParsedPolicy, req: EvaluationRequest): Decision {
  // Policy variables exist from version 2012-10-17 on; in 2008-10-17 `${...}` is literal text.
  const variable =
    p.version === "2012-10-17"
      ? (name: string) => {
          const v = req.conditions.get(name.toLowerCase());
          return v !== undefined && v.length === 1 ? v[0] : undefined;
        }
      : undefined;
  let allowed = false;
  for (const s of p.statements) {
    if (!applies(s, req, variable)) continue;
    if (s.effect === "Deny") return "Deny";
    allowed = true;
  }
  return allowed ? "Allow" : "NoMatch";
}

function applies(
  s: Statement,
  req: EvaluationRequest,
  variable: ((name: string) => string | undefined) | undefined,
): boolean {
  const principal = principalMatches(s.principal, req);
  if (s.notPrincipal ? principal : !principal) return false;
  if (!listMatches(s.action, req.action, { ignoreCase: true })) return false;
  if (!listMatches(s.resource, req.resource, variable ? { variable } : {})) return false;
  return s.conditions.every((c) => evaluateClause(c, req.conditions, variable));
}

function listMatches(
  el: ListElement,
  value: string,
  opts: { ignoreCase?: boolean; variable?: (n: string) => string | undefined },
): boolean {
  const hit = el.patterns.some((p) => globMatch(p, value, opts));
  return el.not ? !hit : hit;
}

const ROOT_ARN = /^arn:aws:iam::([^:]+):root$/;

export function principalMatches(spec: PrincipalSpec, req: EvaluationRequest): boolean {
  if (spec.wildcard) return true;
  if (req.anonymous) return false;
  const mine = new Set(req.principals);
  // An account id and its root ARN name the same principal; the caller may list either form.
  const sameAccount = (v: string) => {
    const root = ROOT_ARN.exec(v);
    return mine.has(v) || (root ? mine.has(root[1]!) : mine.has(`arn:aws:iam::${v}:root`));
  };
  return (
    spec.aws.some(sameAccount) ||
    spec.canonical.some((v) => mine.has(v)) ||
    spec.service.some((v) => mine.has(v)) ||
    spec.federated.some((v) => mine.has(v))
  );
}
