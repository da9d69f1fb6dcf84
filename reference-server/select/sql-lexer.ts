// The S3 Select SQL lexer: turns the query text into tokens, throwing SelectError on bad characters.

import { SelectError } from "./errors.ts";

export type Tok =
  | { t: "id"; v: string; q: boolean; pos: number }
  | { t: "str"; v: string; pos: number }
  | { t: "num"; v: number; pos: number }
  | { t: "op"; v: string; pos: number }
  | { t: "eof"; pos: number };

const OPS = [
  "<>",
  "!=",
  "<=",
  ">=",
  "||",
  "=",
  "<",
  ">",
  "(",
  ")",
  ",",
  ".",
  "*",
  "+",
  "-",
  "/",
  "%",
  "[",
  "]",
];

export function lex(sql: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === "'" || c === '"') {
      let v = "";
      i++;
      for (;;) {
        if (i >= sql.length) throw new SelectError("ParseUnexpectedToken", `Unterminated literal at ${pos}`);
        if (sql[i] === c) {
          if (sql[i + 1] === c) {
            v += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += sql[i++];
      }
      out.push(c === "'" ? { t: "str", v, pos } : { t: "id", v, q: true, pos });
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(sql[i + 1] ?? ""))) {
      const m = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(sql.slice(i))!;
      out.push({ t: "num", v: Number(m[0]), pos });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))!;
      out.push({ t: "id", v: m[0], q: false, pos });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => sql.startsWith(o, i));
    if (!op) throw new SelectError("ParseUnexpectedToken", `Unexpected character '${c}' at ${pos}`);
    out.push({ t: "op", v: op, pos });
    i += op.length;
  }
  out.push({ t: "eof", pos: sql.length });
  return out;
}
