// Steps that use this action are checked against its action.yml: actionlint knows the inputs of popular actions only,
// and a README snippet with a misspelt input or output would be a broken workflow for whoever copies it. A step that
// may run for real (dry-run not "true") must sit in a `concurrency:` group that is never cancelled: without one, two
// quick pushes start two paid batches at once, and with cancel-in-progress a paid batch is cancelled half way.
import { isMap, isScalar, isSeq } from "yaml";

/** `./` in this repository's workflows; `OWNER/fal-jobs-action@REF` in the README's. */
const THIS_ACTION = /^(?:\.\/?|[^/\s]+\/fal-jobs-action@\S+)$/;

/** A workflow or job with a `concurrency:` group that never cancels a run in progress (an expression might). */
function serialized(node) {
  if (!isMap(node) || !node.has("concurrency")) return false;
  const cancel = String(node.getIn(["concurrency", "cancel-in-progress"]) ?? "false").trim();
  return cancel === "false";
}

/**
 * @param {import("yaml").Document} doc a parsed workflow
 * @param {string} source the text doc was parsed from
 * @param {{ inputs: Set<string>, outputs: Set<string> }} action
 * @returns {Array<{ offset: number, message: string }>}
 */
export function actionUsageProblems(doc, source, action) {
  const problems = [];
  const jobs = doc.get("jobs");
  if (!isMap(jobs)) return problems;
  for (const { value: job } of jobs.items) {
    const steps = isMap(job) ? job.get("steps") : undefined;
    if (!isSeq(steps)) continue;
    const ids = new Set();
    for (const step of steps.items) {
      if (!isMap(step) || !THIS_ACTION.test(String(step.get("uses") ?? ""))) continue;
      const id = step.get("id");
      if (typeof id === "string") ids.add(id);
      const withMap = step.get("with");
      if (!isMap(withMap)) continue;
      for (const { key, value } of withMap.items) {
        const name = isScalar(key) ? String(key.value) : "";
        if (!action.inputs.has(name)) problems.push({ offset: key.range[0], message: `input "${name}" is not an input of this action (action.yml has ${[...action.inputs].join(", ")})` });
        const real = name === "dry-run" && String(isScalar(value) ? value.value : "").trim().toLowerCase() !== "true";
        // A job's own group is the one that holds it; else the workflow's.
        if (real && !serialized(job.has("concurrency") ? job : doc.contents)) {
          problems.push({ offset: key.range[0], message: 'a real run (dry-run not "true") needs `concurrency:` with `cancel-in-progress: false` on its workflow or job: otherwise two quick pushes start two paid batches at once' });
        }
      }
    }
    // Outputs of this action's steps read anywhere in the same job.
    const text = source.slice(job.range[0], job.range[2]);
    for (const m of text.matchAll(/\bsteps\.([A-Za-z_][\w-]*)\.outputs\.([\w-]+)/g)) {
      if (ids.has(m[1]) && !action.outputs.has(m[2])) {
        problems.push({ offset: job.range[0] + m.index, message: `output "${m[2]}" is not an output of this action (action.yml has ${[...action.outputs].join(", ")})` });
      }
    }
  }
  return problems;
}
