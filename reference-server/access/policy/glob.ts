// IAM wildcards: `*` matches any run of characters (slashes included), `?` exactly one. Policy variables
// (`${aws:username}`, and the escapes `${*}`, `${?}`, `${$}`) are resolved while compiling, so a value
// that came from a variable is matched literally, never as a wildcard.

export interface GlobOptions {
  readonly ignoreCase?: boolean;
  /** Resolves `${name}`; absent when the policy language version has no variables (2008-10-17). */
  readonly variable?: (name: string) => string | undefined;
}

// A compiled pattern: one entry per code point, STAR for `*`, ONE for `?`.
const STAR = 0;
const ONE = 1;
type Atom = string | typeof STAR | typeof ONE;

const VARIABLE = /\$\{([^}]*)\}/y;

/** Atoms of a pattern, or undefined when a variable names a key the request does not have. */
function compile(pattern: string, opts: GlobOptions): Atom[] | undefined {
  const atoms: Atom[] = [];
  const literal = (text: string) => {
    for (const c of opts.ignoreCase ? text.toLowerCase() : text) atoms.push(c);
  };
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "$" && opts.variable && pattern[i + 1] === "{") {
      VARIABLE.lastIndex = i;
      const m = VARIABLE.exec(pattern);
      if (m) {
        const name = m[1]!.trim();
        if (name === "*" || name === "?" || name === "$") literal(name);
        else {
          const value = opts.variable(name);
          if (value === undefined) return undefined;
          literal(value);
        }
        i += m[0].length;
        continue;
      }
    }
    if (c === "*") {
      // Consecutive stars are one star.
      if (atoms.at(-1) !== STAR) atoms.push(STAR);
    } else if (c === "?") atoms.push(ONE);
    else literal(c);
    i += 1;
  }
  return atoms;
}

/**
 * Does `text` match the IAM wildcard `pattern`? Greedy matching that backtracks to the last star only:
 * exact for `*`/`?` globs, O(n·m) at worst, and no regex (so no catastrophic backtracking).
 */
export function globMatch(pattern: string, text: string, opts: GlobOptions = {}): boolean {
  const atoms = compile(pattern, opts);
  if (atoms === undefined) return false;
  const subject = [...(opts.ignoreCase ? text.toLowerCase() : text)];
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < subject.length) {
    const a = atoms[p];
    if (a !== undefined && a !== STAR && (a === ONE || a === subject[s])) {
      p += 1;
      s += 1;
    } else if (a === STAR) {
      starP = p;
      starS = s;
      p += 1;
    } else if (starP >= 0) {
      p = starP + 1;
      starS += 1;
      s = starS;
    } else return false;
  }
  while (atoms[p] === STAR) p += 1;
  return p === atoms.length;
}

/** Does a policy value hold a wildcard (variables' literal escapes `${*}` / `${?}` excepted)? */
export function hasWildcard(value: string): boolean {
  return /[*?]/.test(value.replace(/\$\{[*?$]\}/g, ""));
}

export function hasVariable(value: string): boolean {
  return /\$\{[^}]*\}/.test(value);
}
