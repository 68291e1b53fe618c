// Steps that use this action are checked against its action.yml: actionlint knows the inputs of popular actions only,
// and a README snippet with a misspelt input or output would be a broken workflow for whoever copies it.
import { isMap, isScalar, isSeq } from "yaml";

/** `./` in this repository's workflows; `OWNER/fal-jobs-action@REF` in the README's. */
const THIS_ACTION = /^(?:\.\/?|[^/\s]+\/fal-jobs-action@\S+)$/;

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
      for (const { key } of withMap.items) {
        const name = isScalar(key) ? String(key.value) : "";
        if (!action.inputs.has(name)) problems.push({ offset: key.range[0], message: `input "${name}" is not an input of this action (action.yml has ${[...action.inputs].join(", ")})` });
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
