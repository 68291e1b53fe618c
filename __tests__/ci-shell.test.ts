import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/action.js";

/**
 * .ci/run (CI, and the release workflow's verification) sets `-euo pipefail` and then sources .ci/node24.sh. The
 * sourced file once ended with `set +euo pipefail`, so every failing step after it — lint, tests — let CI pass.
 */
const bash = (script: string) => spawnSync("bash", ["-c", script], { cwd: ROOT, encoding: "utf8" });

describe(".ci/node24.sh, sourced", () => {
  it("keeps the caller's set -euo pipefail: the first failing command after it stops the script", () => {
    const res = bash('set -euo pipefail; . .ci/node24.sh; node --version; false; echo "went on"');
    expect(res.stdout).toMatch(/^v24\./);
    expect(res.stdout).not.toContain("went on");
    expect(res.status).toBe(1);
    const options = bash("set -euo pipefail; . .ci/node24.sh; set -o");
    for (const option of ["errexit", "nounset", "pipefail"]) expect(options.stdout).toMatch(new RegExp(`^${option}\\s+on$`, "m"));
  });

  it("leaves a shell that had none of them as it was (an interactive shell must not start exiting on errors)", () => {
    const res = bash('. .ci/node24.sh; false; echo "went on"; set -o');
    expect(res.stdout).toContain("went on");
    for (const option of ["errexit", "nounset", "pipefail"]) expect(res.stdout).toMatch(new RegExp(`^${option}\\s+off$`, "m"));
    expect(res.status).toBe(0);
  });
});
