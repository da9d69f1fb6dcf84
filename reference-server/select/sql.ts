// The S3 Select SQL subset: a lexer and a recursive-descent parser into a small AST. Any input either
// parses or throws a SelectError with S3's parse error codes; nothing else escapes (fuzz-tested).
// The AST types live in sql-ast.ts, the lexer in sql-lexer.ts and the keyword tables in sql-keywords.ts;
// the AST types, containsAgg and lex are re-exported from here so importers need only this module.

import { SelectError } from "./errors.ts";
import type { AggFn, Expr, PathPart, Query, SelectItem } from "./sql-ast.ts";
import { containsAgg } from "./sql-ast.ts";
import { AGGS, CASTS, FUNCS, RESERVED } from "./sql-keywords.ts";
import { lex, type Tok } from "./sql-lexer.ts";

export type { AggFn, CastType, Expr, PathPart, Query, SelectItem } from "./sql-ast.ts";
export { containsAgg } from "./sql-ast.ts";
export { lex } from "./sql-lexer.ts";

const MAX_DEPTH = 200;

class Parser {
  private i = 0;
  private depth = 0;
  private readonly toks: Tok[];
  constructor(toks: Tok[]) {
    this.toks = toks;
  }

  private peek(): Tok {
    return this.toks[Math.min(this.i, this.toks.length - 1)];
  }
  /** The current token, advancing unless it is the end (so reading never runs past it). */
  private next(): Tok {
    const t = this.peek();
    if (t.t !== "eof") this.i++;
    return t;
  }
  private fail(msg?: string): never {
    const t = this.peek();
    const what = t.t === "eof" ? "end of expression" : `token at ${t.pos}`;
    throw new SelectError("ParseUnexpectedToken", msg ?? `Unexpected ${what}`);
  }
  private isKw(w: string, at = 0): boolean {
    const t = this.toks[this.i + at];
    return t?.t === "id" && !t.q && t.v.toUpperCase() === w;
  }
  private kw(w: string): void {
    if (!this.isKw(w)) this.fail(`Expected ${w}`);
    this.i++;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === "op" && t.v === v;
  }
  private op(v: string): void {
    if (!this.isOp(v)) this.fail(`Expected '${v}'`);
    this.i++;
  }

  query(): Query {
    this.kw("SELECT");
    let items: SelectItem[] | undefined;
    if (this.isOp("*")) this.i++;
    else {
      items = [this.item()];
      while (this.isOp(",")) {
        this.i++;
        items.push(this.item());
      }
    }
    this.kw("FROM");
    const src = this.next();
    if (src.t !== "id" || src.v.toLowerCase() !== "s3object") {
      throw new SelectError("ParseUnexpectedToken", "The FROM clause must name S3Object");
    }
    const from = this.pathTail();
    let alias: string | undefined;
    if (this.isKw("AS")) this.i++;
    const a = this.peek();
    if (a.t === "id" && (a.q || !RESERVED.has(a.v.toUpperCase()))) {
      alias = a.v;
      this.i++;
    }
    let where: Expr | undefined;
    if (this.isKw("WHERE")) {
      this.i++;
      where = this.expr();
    }
    let limit: number | undefined;
    if (this.isKw("LIMIT")) {
      this.i++;
      const n = this.next();
      if (n.t !== "num" || !Number.isSafeInteger(n.v) || n.v < 0) {
        throw new SelectError("ParseUnexpectedToken", "LIMIT takes a non-negative integer");
      }
      limit = n.v;
    }
    if (this.peek().t !== "eof") this.fail();
    return { items, from, alias, where, limit };
  }

  private item(): SelectItem {
    const e = this.expr();
    let alias: string | undefined;
    if (this.isKw("AS")) {
      this.i++;
      const t = this.next();
      if (t.t !== "id") this.fail("Expected an alias");
      alias = t.v;
    } else {
      const t = this.peek();
      if (t.t === "id" && (t.q || !RESERVED.has(t.v.toUpperCase()))) {
        alias = t.v;
        this.i++;
      }
    }
    return { e, alias };
  }

  private pathTail(): PathPart[] {
    const parts: PathPart[] = [];
    for (;;) {
      if (this.isOp(".")) {
        this.i++;
        const t = this.next();
        if (t.t !== "id") this.fail("Expected a name after '.'");
        parts.push({ name: t.v, quoted: t.q });
      } else if (this.isOp("[")) {
        this.i++;
        const t = this.next();
        if (t.t === "op" && t.v === "*") parts.push({ star: true });
        else if (t.t === "num" && Number.isSafeInteger(t.v)) parts.push({ index: t.v });
        else if (t.t === "str") parts.push({ name: t.v, quoted: true });
        else this.fail("Expected an index, a name or * inside [ ]");
        this.op("]");
      } else return parts;
    }
  }

  expr(): Expr {
    if (++this.depth > MAX_DEPTH)
      throw new SelectError("ParseUnsupportedSyntax", "Expression too deeply nested");
    try {
      return this.or();
    } finally {
      this.depth--;
    }
  }
  private or(): Expr {
    let l = this.and();
    while (this.isKw("OR")) {
      this.i++;
      l = { k: "bin", op: "OR", l, r: this.and() };
    }
    return l;
  }
  private and(): Expr {
    let l = this.not();
    while (this.isKw("AND")) {
      this.i++;
      l = { k: "bin", op: "AND", l, r: this.not() };
    }
    return l;
  }
  private not(): Expr {
    if (this.isKw("NOT")) {
      this.i++;
      if (++this.depth > MAX_DEPTH)
        throw new SelectError("ParseUnsupportedSyntax", "Expression too deeply nested");
      try {
        return { k: "un", op: "NOT", e: this.not() };
      } finally {
        this.depth--;
      }
    }
    return this.cmp();
  }
  private cmp(): Expr {
    const l = this.add();
    const t = this.peek();
    if (t.t === "op" && ["=", "<>", "!=", "<", "<=", ">", ">="].includes(t.v)) {
      this.i++;
      return { k: "bin", op: t.v === "!=" ? "<>" : t.v, l, r: this.add() };
    }
    let not = false;
    if (this.isKw("NOT") && (this.isKw("LIKE", 1) || this.isKw("BETWEEN", 1) || this.isKw("IN", 1))) {
      not = true;
      this.i++;
    }
    if (this.isKw("LIKE")) {
      this.i++;
      const pat = this.add();
      let esc: Expr | undefined;
      if (this.isKw("ESCAPE")) {
        this.i++;
        esc = this.add();
      }
      return { k: "like", e: l, pat, esc, not };
    }
    if (this.isKw("BETWEEN")) {
      this.i++;
      const lo = this.add();
      this.kw("AND");
      return { k: "between", e: l, lo, hi: this.add(), not };
    }
    if (this.isKw("IN")) {
      this.i++;
      this.op("(");
      const list = [this.expr()];
      while (this.isOp(",")) {
        this.i++;
        list.push(this.expr());
      }
      this.op(")");
      return { k: "in", e: l, list, not };
    }
    if (not) this.fail();
    if (this.isKw("IS")) {
      this.i++;
      let isNot = false;
      if (this.isKw("NOT")) {
        isNot = true;
        this.i++;
      }
      if (this.isKw("NULL")) {
        this.i++;
        return { k: "is", e: l, what: "NULL", not: isNot };
      }
      if (this.isKw("MISSING")) {
        this.i++;
        return { k: "is", e: l, what: "MISSING", not: isNot };
      }
      this.fail("Expected NULL or MISSING after IS");
    }
    return l;
  }
  private add(): Expr {
    let l = this.mul();
    for (;;) {
      const t = this.peek();
      if (t.t === "op" && (t.v === "+" || t.v === "-" || t.v === "||")) {
        this.i++;
        l = { k: "bin", op: t.v, l, r: this.mul() };
      } else return l;
    }
  }
  private mul(): Expr {
    let l = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.t === "op" && (t.v === "*" || t.v === "/" || t.v === "%")) {
        this.i++;
        l = { k: "bin", op: t.v, l, r: this.unary() };
      } else return l;
    }
  }
  private unary(): Expr {
    if (this.isOp("-")) {
      this.i++;
      if (++this.depth > MAX_DEPTH)
        throw new SelectError("ParseUnsupportedSyntax", "Expression too deeply nested");
      try {
        return { k: "un", op: "-", e: this.unary() };
      } finally {
        this.depth--;
      }
    }
    if (this.isOp("+")) {
      this.i++;
      return this.unary();
    }
    return this.primary();
  }
  private primary(): Expr {
    const t = this.next();
    if (t.t === "num") return { k: "lit", v: t.v };
    if (t.t === "str") return { k: "lit", v: t.v };
    if (t.t === "op" && t.v === "(") {
      const e = this.expr();
      this.op(")");
      return e;
    }
    if (t.t !== "id") {
      this.i--;
      throw new SelectError(
        "ParseExpectedExpression",
        `Did not find the expected SQL expression at ${t.pos}`,
      );
    }
    const up = t.v.toUpperCase();
    if (!t.q) {
      if (up === "TRUE" || up === "FALSE") return { k: "lit", v: up === "TRUE" };
      if (up === "NULL") return { k: "lit", v: null };
      if (up === "CAST" && this.isOp("(")) {
        this.i++;
        const e = this.expr();
        this.kw("AS");
        const ty = this.next();
        const type = ty.t === "id" ? CASTS[ty.v.toUpperCase()] : undefined;
        if (!type) throw new SelectError("ParseUnsupportedSyntax", "Unsupported CAST type");
        this.op(")");
        return { k: "cast", e, type };
      }
      if (AGGS.has(up) && this.isOp("(")) {
        this.i++;
        if (up === "COUNT" && this.isOp("*")) {
          this.i++;
          this.op(")");
          return { k: "agg", fn: "COUNT" };
        }
        const e = this.expr();
        this.op(")");
        return { k: "agg", fn: up as AggFn, e };
      }
      if (FUNCS.has(up) && this.isOp("(")) {
        this.i++;
        const args: Expr[] = [];
        if (!this.isOp(")")) {
          args.push(this.expr());
          while (this.isOp(",")) {
            this.i++;
            args.push(this.expr());
          }
        }
        this.op(")");
        return { k: "fn", name: up, args };
      }
      if (RESERVED.has(up)) {
        this.i--;
        throw new SelectError(
          "ParseExpectedExpression",
          `Did not find the expected SQL expression at ${t.pos}`,
        );
      }
    }
    return { k: "path", parts: [{ name: t.v, quoted: t.q }, ...this.pathTail()] };
  }
}

/** Parse a SELECT statement; every failure is a SelectError with a Parse* code. */
export function parseQuery(sql: string): Query {
  if (sql.length > 256 * 1024) {
    throw new SelectError("ExpressionTooLong", "The SQL expression is too long: the maximum is 256 KB");
  }
  const q = new Parser(lex(sql)).query();
  const aggs = q.items?.filter((it) => containsAgg(it.e)) ?? [];
  if (aggs.length > 0 && aggs.length !== q.items!.length) {
    throw new SelectError(
      "ParseUnsupportedSyntax",
      "Aggregate and non-aggregate expressions cannot be mixed in the SELECT list",
    );
  }
  if (q.where && containsAgg(q.where)) {
    throw new SelectError("ParseUnsupportedSyntax", "Aggregate functions are not allowed in WHERE");
  }
  return q;
}
