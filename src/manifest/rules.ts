import { MAX_COMBINATIONS_PER_MANIFEST, MAX_RUNS_PER_MANIFEST } from "./schema.js";
import { matrixReferences, renderedLength } from "./template.js";

/**
 * The rules the schema cannot express: unique job ids, `units` or
 * `max_cost`, matrix references that name an axis, and how far the jobs
 * expand. They read the data as written, not the schema's output, so they
 * run in the same pass as the schema: a duplicate id is reported together
 * with a typo elsewhere, not only once the typo is fixed. Each rule looks only
 * at parts that have the shape it needs; the schema reports the rest.
 */

/** Characters the matrices may render into inputs and labels, all jobs together (strings without references are shared). */
const MAX_RENDERED_CHARS = 25_000_000;

export interface RuleIssue {
  path: Array<string | number>;
  message: string;
}

export function checkRules(data: unknown): RuleIssue[] {
  const out: RuleIssue[] = [];
  const jobs = isRecord(data) && Array.isArray(data.jobs) ? data.jobs : [];
  const seen = new Map<string, number>();
  let totalRuns = 0;
  let totalCombos = 0;
  let rendered = 0;
  jobs.forEach((job: unknown, i) => {
    if (!isRecord(job)) return;
    if (typeof job.id === "string") {
      const prev = seen.get(job.id);
      if (prev !== undefined) out.push({ path: ["jobs", i, "id"], message: `duplicate job id "${job.id}" (also jobs[${prev}]): give each job its own id` });
      else seen.set(job.id, i);
    }
    if (job.units !== undefined && job.max_cost !== undefined) {
      out.push({ path: ["jobs", i, "max_cost"], message: "set either `units` or `max_cost`, not both" });
    }
    const matrix = job.matrix === undefined ? {} : isRecord(job.matrix) ? job.matrix : undefined;
    if (matrix === undefined) return; // not a map: the schema says so, and no reference can be checked against it
    const axes = Object.keys(matrix);
    for (const ref of matrixReferences(job.input, ["input"])) {
      const known = axes.length ? `the axes are ${axes.join(", ")}` : "this job has no `matrix`";
      if (!ref.isAxis) {
        const message = `\`\${{ ${ref.name} }}\` is not filled in: only \`\${{ matrix.<axis> }}\` is (${known}); write the value itself, or use a matrix axis`;
        out.push({ path: ["jobs", i, ...ref.path], message });
      } else if (!axes.includes(ref.name)) {
        out.push({ path: ["jobs", i, ...ref.path], message: `\${{ matrix.${ref.name} }} names no matrix axis (${known}): fix the name, or add the axis under \`matrix:\`` });
      }
    }
    const values = Object.values(matrix);
    const repeat = job.repeat ?? 1;
    if (!values.every(Array.isArray) || !Number.isSafeInteger(repeat) || (repeat as number) < 1) return;
    const combos = values.reduce((n: number, v) => n * v.length, 1);
    totalRuns += combos * (repeat as number);
    totalCombos += combos;
    if (axes.length > 0 && rendered <= MAX_RENDERED_CHARS) {
      const jobChars = combos * renderedPerCombo(job.input, matrix as Record<string, unknown[]>);
      rendered += jobChars;
      if (rendered > MAX_RENDERED_CHARS) {
        out.push({
          path: ["jobs", i, "matrix"],
          message:
            `this job's ${combos} combinations render up to ${jobChars} characters of inputs and labels; the limit is ${MAX_RENDERED_CHARS} characters ` +
            "for the manifest: use fewer matrix values, or shorter strings around `${{ matrix.* }}`",
        });
      }
    }
  });
  if (totalCombos > MAX_COMBINATIONS_PER_MANIFEST) {
    out.push({
      path: ["jobs"],
      message: `the matrices expand to ${totalCombos} matrix combinations; the limit is ${MAX_COMBINATIONS_PER_MANIFEST} (identical runs need no matrix: use \`repeat\`; or split the manifest)`,
    });
  }
  if (totalRuns > MAX_RUNS_PER_MANIFEST) {
    out.push({ path: ["jobs"], message: `the jobs expand to ${totalRuns} runs; the limit is ${MAX_RUNS_PER_MANIFEST} (lower repeat or split the matrix)` });
  }
  return out;
}

/** Characters one combination of a job renders: its templated strings and its label (`a=cat,b=square`). */
function renderedPerCombo(input: unknown, matrix: Record<string, unknown[]>): number {
  const longest = new Map<string, number>();
  let label = 0;
  for (const [axis, values] of Object.entries(matrix)) {
    let max = 0;
    for (const v of values) max = Math.max(max, typeof v === "string" ? v.length : (JSON.stringify(v)?.length ?? 0));
    longest.set(axis, max);
    label += axis.length + max + 2;
  }
  return label + renderedLength(input, (axis) => longest.get(axis) ?? "undefined".length);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
