// Evaluation of the SQL AST over one record: CSV records are string fields (by position, or by header name
// when FileHeaderInfo is USE), JSON records are parsed values. `undefined` is MISSING, `null` is NULL;
// comparisons with either are unknown (null), and WHERE keeps a record only when the result is true.

import { SelectError } from "./errors.ts";
import type { AggFn, Expr, PathPart, Query } from "./sql.ts";

export type Value = string | number | boolean | null | undefined | Value[] | { [k: string]: Value };

export interface CsvRecord {
  kind: "csv";
  fields: string[];
  /** Header names (FileHeaderInfo USE). */
  names?: string[];
}
export interface JsonRecord {
  kind: "json";
  value: Value;
}
export type Row = CsvRecord | JsonRecord;

export interface EvalContext {
  alias?: string;
}

function lookupName(names: string[], part: { name: string; quoted: boolean }): number {
  if (part.quoted) return names.indexOf(part.name);
  const lower = part.name.toLowerCase();
  return names.findIndex((n) => n.toLowerCase() === lower);
}

function step(v: Value, part: PathPart): Value {
  if (v === null || v === undefined) return undefined;
  if ("star" in part) return v;
  if ("index" in part) return Array.isArray(v) ? v[part.index] : undefined;
  if (typeof v !== "object" || Array.isArray(v)) return undefined;
  if (Object.hasOwn(v, part.name)) return v[part.name];
  if (part.quoted) return undefined;
  const lower = part.name.toLowerCase();
  const key = Object.keys(v).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : v[key];
}

export function resolvePath(row: Row, parts: PathPart[], ctx: EvalContext): Value {
  let rest = parts;
  const first = parts[0];
  // A leading alias (s.name, s._1) names the record itself.
  if (
    rest.length > 1 &&
    "name" in first &&
    ctx.alias !== undefined &&
    (first.quoted ? first.name === ctx.alias : first.name.toLowerCase() === ctx.alias.toLowerCase())
  ) {
    rest = rest.slice(1);
  }
  if (row.kind === "csv") {
    const head = rest[0];
    if (!("name" in head)) return undefined;
    let v: Value;
    const pos = /^_(\d+)$/.exec(head.name);
    if (pos) {
      const n = Number(pos[1]);
      if (n < 1) throw new SelectError("InvalidColumnIndex", `The column index ${head.name} is invalid.`);
      v = row.fields[n - 1];
    } else if (row.names) {
      const i = lookupName(row.names, head);
      v = i < 0 ? undefined : row.fields[i];
    }
    return rest.length > 1 ? undefined : v;
  }
  let v = row.value;
  for (const p of rest) v = step(v, p);
  return v;
}

function toNumber(v: Value): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** -1, 0, 1, or null when the two cannot be compared. */
function compare(a: Value, b: Value): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (typeof a === "number" || typeof b === "number") {
    const x = toNumber(a);
    const y = toNumber(b);
    if (x === undefined || y === undefined) return null;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (typeof a === "boolean" || typeof b === "boolean") {
    const s = typeof a === "boolean" ? b : a;
    const bool = typeof a === "boolean" ? a : b;
    if (typeof s !== "string" || !/^(true|false)$/i.test(s)) return null;
    const eq = s.toLowerCase() === String(bool);
    return eq ? 0 : 1;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? 0 : null;
}

function truth(v: Value): boolean | null {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  return null;
}

function likeRegex(pat: string, esc: string | undefined): RegExp {
  let re = "";
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i];
    if (esc !== undefined && c === esc && i + 1 < pat.length) {
      re += pat[++i].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    } else if (c === "%") re += "[\\s\\S]*";
    else if (c === "_") re += "[\\s\\S]";
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "u");
}

function cast(v: Value, type: "INT" | "FLOAT" | "STRING" | "BOOL"): Value {
  if (v === null || v === undefined) return v;
  const fail = () =>
    new SelectError(
      "CastFailed",
      "Attempt to convert from one data type to another using CAST failed in the SQL expression.",
    );
  switch (type) {
    case "INT": {
      if (typeof v === "number") return Math.trunc(v);
      if (typeof v === "boolean") return v ? 1 : 0;
      if (typeof v === "string" && /^\s*[+-]?\d+(\.\d*)?\s*$/.test(v)) return Math.trunc(Number(v));
      throw fail();
    }
    case "FLOAT": {
      const n = toNumber(v);
      if (n === undefined) throw fail();
      return n;
    }
    case "STRING":
      return typeof v === "object" ? JSON.stringify(v) : String(v);
    case "BOOL": {
      const b = typeof v === "number" ? v !== 0 : truth(v);
      if (b === null) throw fail();
      return b;
    }
  }
}

function arith(op: string, a: Value, b: Value): Value {
  if (op === "||") {
    if (a === null || a === undefined || b === null || b === undefined) return null;
    return String(a) + String(b);
  }
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === undefined || y === undefined) return null;
  switch (op) {
    case "+":
      return x + y;
    case "-":
      return x - y;
    case "*":
      return x * y;
    case "/":
      if (y === 0) throw new SelectError("EvaluatorInvalidArguments", "Division by zero");
      return Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y;
    default:
      if (y === 0) throw new SelectError("EvaluatorInvalidArguments", "Division by zero");
      return x % y;
  }
}

export function evaluate(e: Expr, row: Row, ctx: EvalContext): Value {
  switch (e.k) {
    case "lit":
      return e.v;
    case "path":
      return resolvePath(row, e.parts, ctx);
    case "un": {
      const v = evaluate(e.e, row, ctx);
      if (e.op === "-") {
        const n = toNumber(v);
        return n === undefined ? null : -n;
      }
      const t = truth(v);
      return t === null ? null : !t;
    }
    case "bin": {
      if (e.op === "AND" || e.op === "OR") {
        const l = truth(evaluate(e.l, row, ctx));
        if (e.op === "AND" && l === false) return false;
        if (e.op === "OR" && l === true) return true;
        const r = truth(evaluate(e.r, row, ctx));
        if (e.op === "AND") return r === false ? false : l === null || r === null ? null : true;
        return r === true ? true : l === null || r === null ? null : false;
      }
      const l = evaluate(e.l, row, ctx);
      const r = evaluate(e.r, row, ctx);
      if (["+", "-", "*", "/", "%", "||"].includes(e.op)) return arith(e.op, l, r);
      const c = compare(l, r);
      if (c === null) return null;
      switch (e.op) {
        case "=":
          return c === 0;
        case "<>":
          return c !== 0;
        case "<":
          return c < 0;
        case "<=":
          return c <= 0;
        case ">":
          return c > 0;
        default:
          return c >= 0;
      }
    }
    case "like": {
      const v = evaluate(e.e, row, ctx);
      const p = evaluate(e.pat, row, ctx);
      const esc = e.esc ? evaluate(e.esc, row, ctx) : undefined;
      if (typeof v !== "string" || typeof p !== "string") return null;
      if (esc !== undefined && (typeof esc !== "string" || [...esc].length !== 1)) {
        throw new SelectError("EvaluatorInvalidArguments", "ESCAPE takes one character");
      }
      const m = likeRegex(p, esc as string | undefined).test(v);
      return e.not ? !m : m;
    }
    case "is": {
      const v = evaluate(e.e, row, ctx);
      const hit = e.what === "NULL" ? v === null || v === undefined : v === undefined;
      return e.not ? !hit : hit;
    }
    case "between": {
      const v = evaluate(e.e, row, ctx);
      const a = compare(v, evaluate(e.lo, row, ctx));
      const b = compare(v, evaluate(e.hi, row, ctx));
      if (a === null || b === null) return null;
      const inside = a >= 0 && b <= 0;
      return e.not ? !inside : inside;
    }
    case "in": {
      const v = evaluate(e.e, row, ctx);
      let unknown = false;
      for (const x of e.list) {
        const c = compare(v, evaluate(x, row, ctx));
        if (c === 0) return !e.not;
        if (c === null) unknown = true;
      }
      return unknown ? null : e.not;
    }
    case "cast":
      return cast(evaluate(e.e, row, ctx), e.type);
    case "fn":
      return callFn(
        e.name,
        e.args.map((a) => evaluate(a, row, ctx)),
      );
    case "agg":
      throw new SelectError("ParseUnsupportedSyntax", "Aggregate function used outside the SELECT list");
  }
}

function callFn(name: string, args: Value[]): Value {
  const arity = (n: number) => {
    if (args.length !== n)
      throw new SelectError("EvaluatorInvalidArguments", `${name} takes ${n} argument(s)`);
  };
  const s = (v: Value) => (v === null || v === undefined ? v : String(v));
  switch (name) {
    case "LOWER":
      arity(1);
      return s(args[0])?.toLowerCase() ?? args[0];
    case "UPPER":
      arity(1);
      return s(args[0])?.toUpperCase() ?? args[0];
    case "TRIM":
      arity(1);
      return s(args[0])?.trim() ?? args[0];
    case "CHAR_LENGTH":
    case "CHARACTER_LENGTH": {
      arity(1);
      const v = s(args[0]);
      return v === null || v === undefined ? v : [...v].length;
    }
    case "ABS": {
      arity(1);
      const n = toNumber(args[0]);
      return n === undefined ? null : Math.abs(n);
    }
    case "COALESCE":
      return args.find((a) => a !== null && a !== undefined) ?? null;
    default: {
      arity(2);
      return compare(args[0], args[1]) === 0 ? null : args[0];
    }
  }
}

export function matches(q: Query, row: Row, ctx: EvalContext): boolean {
  return q.where === undefined || evaluate(q.where, row, ctx) === true;
}

/** Running state of one aggregate of the SELECT list. */
export class Aggregate {
  private n = 0;
  private sum = 0;
  private best: Value = null;
  private readonly fn: AggFn;
  private readonly e?: Expr;
  constructor(fn: AggFn, e?: Expr) {
    this.fn = fn;
    this.e = e;
  }

  add(row: Row, ctx: EvalContext): void {
    if (this.e === undefined) {
      this.n++;
      return;
    }
    const v = evaluate(this.e, row, ctx);
    if (v === null || v === undefined) return;
    if (this.fn === "COUNT") {
      this.n++;
      return;
    }
    if (this.fn === "SUM" || this.fn === "AVG") {
      const x = toNumber(v);
      if (x === undefined)
        throw new SelectError("EvaluatorInvalidArguments", `${this.fn} of a non-numeric value`);
      this.sum += x;
      this.n++;
      return;
    }
    const c = this.n === 0 ? null : compare(v, this.best);
    if (this.n === 0 || (c !== null && (this.fn === "MIN" ? c < 0 : c > 0))) this.best = v;
    this.n++;
  }

  result(): Value {
    switch (this.fn) {
      case "COUNT":
        return this.n;
      case "SUM":
        return this.n === 0 ? null : this.sum;
      case "AVG":
        return this.n === 0 ? null : this.sum / this.n;
      default:
        return this.n === 0 ? null : this.best;
    }
  }
}
