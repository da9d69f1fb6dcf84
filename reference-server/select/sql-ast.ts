// The S3 Select SQL AST: the node types the parser builds and the evaluator walks, plus AST-only helpers.

export type Expr =
  | { k: "lit"; v: string | number | boolean | null }
  | { k: "path"; parts: PathPart[] }
  | { k: "un"; op: "-" | "NOT"; e: Expr }
  | { k: "bin"; op: string; l: Expr; r: Expr }
  | { k: "like"; e: Expr; pat: Expr; esc?: Expr; not: boolean }
  | { k: "is"; e: Expr; what: "NULL" | "MISSING"; not: boolean }
  | { k: "between"; e: Expr; lo: Expr; hi: Expr; not: boolean }
  | { k: "in"; e: Expr; list: Expr[]; not: boolean }
  | { k: "cast"; e: Expr; type: CastType }
  | { k: "fn"; name: string; args: Expr[] }
  | { k: "agg"; fn: AggFn; e?: Expr };

export type PathPart = { name: string; quoted: boolean } | { index: number } | { star: true };
export type CastType = "INT" | "FLOAT" | "STRING" | "BOOL";
export type AggFn = "COUNT" | "SUM" | "AVG" | "MIN" | "MAX";

export interface SelectItem {
  e: Expr;
  alias?: string;
}

export interface Query {
  /** undefined: SELECT * */
  items?: SelectItem[];
  from: PathPart[];
  alias?: string;
  where?: Expr;
  limit?: number;
}

export function containsAgg(e: Expr): boolean {
  switch (e.k) {
    case "agg":
      return true;
    case "lit":
    case "path":
      return false;
    case "un":
    case "cast":
    case "is":
      return containsAgg(e.e);
    case "bin":
      return containsAgg(e.l) || containsAgg(e.r);
    case "like":
      return containsAgg(e.e) || containsAgg(e.pat) || (e.esc !== undefined && containsAgg(e.esc));
    case "between":
      return containsAgg(e.e) || containsAgg(e.lo) || containsAgg(e.hi);
    case "in":
      return containsAgg(e.e) || e.list.some(containsAgg);
    case "fn":
      return e.args.some(containsAgg);
  }
}
