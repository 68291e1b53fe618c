/** One problem in a manifest, positioned so CI can annotate the exact line. */
export interface ManifestIssue {
  file: string;
  line: number; // 1-based
  column: number; // 1-based
  /** Where in the document, e.g. `jobs[2].input.num_images` ("" for the root). */
  path: string;
  message: string;
}

/** Problems in a file the user wrote or committed: the manifest, the lock or the repository catalog (`what`). Reported with positions, exit code 2, nothing submitted. */
export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ManifestIssue[],
    readonly what: "manifest" | "lock" | "catalog" = "manifest",
  ) {
    super(`${file}: ${countProblems(issues.length)}\n${issues.map(formatIssue).join("\n")}`);
    this.name = "ManifestError";
  }
}

/** "1 problem", "3 problems". */
export function countProblems(n: number): string {
  return `${n} problem${n === 1 ? "" : "s"}`;
}

export function formatIssue(i: ManifestIssue): string {
  const where = i.path ? ` ${i.path}:` : "";
  return `${i.file}:${i.line}:${i.column}:${where} ${i.message}`;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out;
}
