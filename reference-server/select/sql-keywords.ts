// The S3 Select SQL vocabulary: reserved words, CAST type names, aggregate and scalar function names.

import type { CastType } from "./sql-ast.ts";

export const RESERVED = new Set([
  "SELECT",
  "FROM",
  "WHERE",
  "LIMIT",
  "AND",
  "OR",
  "NOT",
  "AS",
  "LIKE",
  "ESCAPE",
  "IS",
  "NULL",
  "MISSING",
  "BETWEEN",
  "IN",
  "CAST",
  "TRUE",
  "FALSE",
]);
export const CASTS: Record<string, CastType> = {
  INT: "INT",
  INTEGER: "INT",
  BIGINT: "INT",
  SMALLINT: "INT",
  FLOAT: "FLOAT",
  DOUBLE: "FLOAT",
  DECIMAL: "FLOAT",
  NUMERIC: "FLOAT",
  REAL: "FLOAT",
  STRING: "STRING",
  VARCHAR: "STRING",
  CHAR: "STRING",
  BOOL: "BOOL",
  BOOLEAN: "BOOL",
};
export const AGGS = new Set<string>(["COUNT", "SUM", "AVG", "MIN", "MAX"]);
export const FUNCS = new Set([
  "LOWER",
  "UPPER",
  "CHAR_LENGTH",
  "CHARACTER_LENGTH",
  "TRIM",
  "COALESCE",
  "NULLIF",
  "ABS",
]);
