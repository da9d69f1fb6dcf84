// The directories that a record log's names make (record-log.ts), for listing: names are paths, and the
// engine lists and removes whole directories of them (an object's records, an upload's parts).

/**
 * For each directory, the names directly in it (files or sub-directories); a directory appears in its
 * parent while it is not empty. Adding or removing a name touches its ancestors only while they appear
 * or vanish, so rewriting a record (the common case) costs nothing here.
 */
export class NameDirectories {
  /** The log's current names: a name still there stays listed. */
  private readonly names: ReadonlyMap<string, unknown>;
  /** Directory → its children's names. */
  private readonly children = new Map<string, Set<string>>();

  constructor(names: ReadonlyMap<string, unknown>) {
    this.names = names;
  }

  /** A name that is a directory of logged names (it has children). */
  isDirectory(name: string): boolean {
    return this.children.has(name);
  }

  /** The names directly under `dir` that hold logged names (files or sub-directories). */
  list(dir: string): string[] {
    return [...(this.children.get(trimSlash(dir)) ?? [])];
  }

  /** Every logged name at or under `prefix`. */
  namesUnder(prefix: string): string[] {
    const p = trimSlash(prefix);
    const out: string[] = [];
    if (this.names.has(p)) out.push(p);
    // Walk the directory index from the prefix: a removal must not scan every name the disk holds.
    const walk = (dir: string) => {
      for (const child of this.children.get(dir) ?? []) {
        const name = dir === "" ? child : `${dir}/${child}`;
        if (this.names.has(name)) out.push(name);
        walk(name);
      }
    };
    walk(p);
    return out;
  }

  /** A name was added to the log. */
  link(name: string): void {
    let child = name;
    while (true) {
      const cut = child.lastIndexOf("/");
      const dir = cut < 0 ? "" : child.slice(0, cut);
      let kids = this.children.get(dir);
      const existed = kids !== undefined;
      if (!kids) {
        kids = new Set();
        this.children.set(dir, kids);
      }
      kids.add(child.slice(cut + 1));
      if (existed || dir === "") return;
      child = dir;
    }
  }

  /** A name left the log. */
  unlink(name: string): void {
    let child = name;
    while (true) {
      // A name that is still a file, or still a non-empty directory, stays listed.
      if (this.names.has(child) || this.children.has(child)) return;
      const cut = child.lastIndexOf("/");
      const dir = cut < 0 ? "" : child.slice(0, cut);
      const kids = this.children.get(dir);
      if (!kids) return;
      kids.delete(child.slice(cut + 1));
      if (kids.size > 0 || dir === "") return;
      this.children.delete(dir);
      child = dir;
    }
  }
}

function trimSlash(p: string): string {
  return p.replace(/^\/+|\/+$/g, "");
}
