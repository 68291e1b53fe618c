import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseManifest } from "../src/manifest/load.js";
import { ManifestError, type ManifestIssue } from "../src/manifest/errors.js";
import { buildPlan } from "../src/plan/expand.js";
import { matrixReferences, scanRefs } from "../src/manifest/template.js";
import { bundledCatalog } from "../src/pricing/bundled-catalog.js";
import { measureUnits } from "../src/pricing/measure.js";
import { resolvePrices } from "../src/pricing/prices.js";
import { estimatePlan } from "../src/estimate/estimate.js";
import { parseDurationMs } from "../src/util/duration.js";
import { costNano } from "../src/util/money.js";

/** Hostile manifest input: parse time, value ranges and size limits. */

function issuesOf(text: string): ManifestIssue[] {
  try {
    parseManifest(text, "fal-jobs.yaml");
  } catch (err) {
    expect(err).toBeInstanceOf(ManifestError);
    return (err as ManifestError).issues;
  }
  throw new Error("expected the manifest to be rejected");
}

function estimate(yaml: string) {
  const m = parseManifest(yaml);
  const plan = buildPlan(m);
  return estimatePlan(plan, resolvePrices(plan.jobs.map((j) => j.model), m.pricing, { status: "skipped", reason: "test" }, bundledCatalog()));
}

/** Milliseconds `fn` takes. */
function timed(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

describe("template and duration parsing take linear time", () => {
  // A guard, not a benchmark: the old regexes took minutes to hours on these.
  const BOUND_MS = 2000;

  it("validates `${{` followed by 20 KB of spaces without a closing `}}`", () => {
    const manifest = (prompt: string) => `version: 1
jobs:
  - id: a
    model: fal-ai/flux/dev
    input: {prompt: "${prompt}"}
`;
    for (const prompt of ["${{" + " ".repeat(20_000), "${{ ".repeat(5_000), "${{" + " ".repeat(20_000) + "}", "${{ matrix.x" + " ".repeat(20_000)]) {
      expect(timed(() => buildPlan(parseManifest(manifest(prompt))))).toBeLessThan(BOUND_MS);
    }
  });

  it("still finds references exactly as before around odd spacing", () => {
    const refs = (s: string) => matrixReferences(s).map((r) => r.name);
    expect(refs("${{matrix.a}}")).toEqual(["a"]);
    expect(refs("${{ \t matrix.a \n }} and ${{ matrix.b}}")).toEqual(["a", "b"]);
    expect(refs("${{ matrix.a } }} ${{ x }}")).toEqual(["x"]);
    expect(refs("${{ ${{ matrix.a }}")).toEqual(["${{ matrix.a"]);
    expect(refs("${{   }}")).toEqual([""]);
    expect(refs("$${{{matrix.a}}}")).toEqual(["{matrix.a"]);
    expect(refs("${{ matrix.a }")).toEqual([]);
  });

  it("scan exactly the spans the old regex matched, on strings dense in `$`, braces and spaces", () => {
    const OLD = /\$\{\{\s*([^}]*?)\s*\}\}/g;
    const piece = fc.constantFrom("$", "{", "}", "${{", "}}", " ", "\t", "\n", "matrix.a", "x");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }).map((p) => p.join("")), (text) => {
        const old = [...text.matchAll(OLD)].map((m) => ({ start: m.index, end: m.index + m[0].length, expr: m[1]!.trim() }));
        expect(scanRefs(text)).toEqual(old);
      }),
      { numRuns: 2000, seed: 10 },
    );
  });

  it("measures `duration: \"5\" + 90 KB of spaces + x` as not a duration, quickly", () => {
    let m: ReturnType<typeof measureUnits> | undefined;
    expect(timed(() => (m = measureUnits("seconds", { duration: "5" + " ".repeat(90_000) + "x" })))).toBeLessThan(BOUND_MS);
    expect(m).toMatchObject({ ok: false });
    const est = estimate(`version: 1
jobs:
  - id: v
    model: fal-ai/kling-video/v2.1/master/text-to-video
    input: {prompt: x, duration: "5${" ".repeat(90_000)}x"}
`);
    expect(est.unknownRuns).toBe(1);
  });
});

describe("YAML aliases", () => {
  it("still share a value between jobs", () => {
    const m = parseManifest(`version: 1
jobs:
  - {id: a, model: fal-ai/flux/dev, input: &common {prompt: x, image_size: square_hd}}
  - {id: b, model: fal-ai/flux/schnell, input: *common}
`);
    expect(m.jobs[1]!.input).toEqual({ prompt: "x", image_size: "square_hd" });
  });

  it("may be used many times when they add little (yaml's own guard refused 101 uses of one scalar)", () => {
    const m = parseManifest(`version: 1
jobs:
  - id: a
    model: fal-ai/flux/dev
    matrix: {seed: [&n 1, ${Array(500).fill("*n").join(", ")}]}
`);
    expect(m.jobs[0]!.matrix!.seed).toHaveLength(501);
  });

  it("that name the value they are in (a cycle) are refused where they are", () => {
    expect(issuesOf(`version: 1
jobs:
  - id: a
    model: fal-ai/flux/dev
    input: &loop {prompt: x, again: *loop}
`)).toEqual([expect.objectContaining({ line: 5, column: 37, message: expect.stringMatching(/\*loop is inside the value it names/) })]);
  });

  it("without an anchor are refused at the alias", () => {
    expect(issuesOf(`version: 1
jobs:
  - {id: a, model: *m}
`)).toEqual([expect.objectContaining({ line: 3, column: 20, message: expect.stringMatching(/\*m has no anchor/) })]);
  });
});

describe("durations are in a range a timer can keep", () => {
  it("accepts 1 s to 24 h and names the range otherwise", () => {
    expect(parseDurationMs("1s")).toBe(1000);
    expect(parseDurationMs(1)).toBe(1000);
    expect(parseDurationMs("24h")).toBe(86_400_000);
    expect(parseDurationMs("23h59m60s")).toBe(86_400_000);
    for (const bad of ["600h", "24h1s", 0.0001, "0.5", "999ms", 86_401, "25h"]) expect(() => parseDurationMs(bad), String(bad)).toThrow(/from 1 s to 24 h/);
  });

  it("refuses a manifest timeout out of range at the value, naming the range", () => {
    const issues = issuesOf(`version: 1
defaults: {timeout: 600h}
jobs:
  - {id: a, model: fal-ai/flux/dev, timeout: 0.0001}
  - {id: b, model: fal-ai/flux/dev, timeout: "1e3"}
`);
    expect(issues).toEqual([
      expect.objectContaining({ path: "defaults.timeout", line: 2, column: 21, message: expect.stringMatching(/600h.*from 1 s to 24 h/) }),
      expect.objectContaining({ path: "jobs[0].timeout", line: 4, column: 46, message: expect.stringMatching(/from 1 s to 24 h/) }),
      expect.objectContaining({ path: "jobs[1].timeout", line: 5, column: 46, message: expect.stringMatching(/not a duration/) }),
    ]);
  });
});

describe("a media duration of zero or less is an input error, never $0", () => {
  it.each([0, "0", "0s", "0.0", " 0 sec", -5, "-5"])("duration %j", (duration) => {
    const m = measureUnits("seconds", { duration });
    expect(m).toMatchObject({ ok: false, reason: expect.stringMatching(/`duration` must be > 0/) });
  });

  it("frames and fps must be > 0 and give a finite duration", () => {
    const params = { frames: "num_frames", fps: "fps" } as const;
    expect(measureUnits("seconds", { num_frames: 0, fps: 16 }, params)).toMatchObject({ ok: false, reason: expect.stringMatching(/`num_frames` must be > 0/) });
    expect(measureUnits("seconds", { num_frames: 81, fps: "1e400" }, params)).toMatchObject({ ok: false, reason: expect.stringMatching(/`fps` must be/) });
    expect(measureUnits("seconds", { num_frames: 81, fps: 0 }, params)).toMatchObject({ ok: false, reason: expect.stringMatching(/`fps` must be > 0/) });
  });

  it("a duration past a day, or too long to be a number, is refused, not an infinite cost", () => {
    expect(measureUnits("seconds", { duration: "9".repeat(400) })).toMatchObject({ ok: false, reason: expect.stringMatching(/at most 86400/) });
    expect(measureUnits("five_seconds", { duration: 86_401 })).toMatchObject({ ok: false });
    expect(measureUnits("minutes", { duration: "86400s" })).toMatchObject({ ok: true, units: 1440 });
  });

  it("a video job with `duration: 0` is of unknown cost, with the reason", () => {
    const est = estimate(`version: 1
jobs:
  - id: v
    model: fal-ai/kling-video/v2.1/master/text-to-video
    input: {prompt: x, duration: "0"}
`);
    expect(est.totalNano).toBe(0);
    expect(est.unknownRuns).toBe(1);
    expect(est.jobs[0]!.variants[0]!.problem?.reason).toMatch(/`duration` must be > 0/);
  });
});

describe("size limits keep memory bounded", () => {
  const job = (extra: string) => `version: 1
jobs:
  - id: a
    model: fal-ai/flux/dev
${extra}`;

  it("refuses a manifest text over 1 MiB before parsing it", () => {
    const text = job(`    input: {prompt: "${"x".repeat(1024 * 1024)}"}\n`);
    let issues: ManifestIssue[] = [];
    expect(timed(() => (issues = issuesOf(text)))).toBeLessThan(500);
    expect(issues).toEqual([expect.objectContaining({ line: 1, column: 1, message: expect.stringMatching(/over the limit of 1 MiB.*split/) })]);
  });

  it("refuses a single string over 100,000 characters, at the string", () => {
    const issues = issuesOf(job(`    input: {prompt: "${"x".repeat(100_001)}", seed: 1}\n`));
    expect(issues).toEqual([expect.objectContaining({ line: 5, column: 21, message: expect.stringMatching(/100001 characters; the limit is 100000/) })]);
    expect(() => parseManifest(job(`    input: {prompt: "${"x".repeat(100_000)}"}\n`))).not.toThrow();
  });

  it("refuses numbers past ±2^53 at the number: a size of 1e300 made the estimate Infinity", () => {
    const issues = issuesOf(job(`    input: {image_size: {width: 1e300, height: 1024}, seed: 9007199254740991}\n`));
    expect(issues).toEqual([expect.objectContaining({ line: 5, column: 33, message: expect.stringMatching(/1e\+300 is beyond ±9007199254740991/) })]);
  });

  it("refuses matrices that expand past 100,000 combinations, but not repeats of one", () => {
    const axis = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(", ")}]`;
    const issues = issuesOf(job(`    matrix: {a: ${axis(317)}, b: ${axis(317)}}\n`));
    expect(issues).toEqual([expect.objectContaining({ path: "jobs", message: expect.stringMatching(/100489 matrix combinations; the limit is 100000/) })]);
    expect(parseManifest(job(`    matrix: {a: ${axis(100)}, b: ${axis(1000)}}\n`)).jobs[0]!.matrix!.b).toHaveLength(1000);
    expect(parseManifest(job(`    repeat: 1000000\n`)).jobs[0]!.repeat).toBe(1_000_000);
  });

  it("refuses matrices whose rendered inputs would pass 25 million characters, at the job", () => {
    const axis = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(", ")}]`;
    const long = "y".repeat(1000);
    const issues = issuesOf(job(`    matrix: {a: ${axis(100)}, b: ${axis(300)}}\n    input: {prompt: "${long} \${{ matrix.a }} \${{ matrix.b }}", style: "${long}"}\n`));
    expect(issues).toEqual([expect.objectContaining({ path: "jobs[0].matrix", line: 5, message: expect.stringMatching(/30000 combinations .* the limit is 25000000 characters/) })]);
    // The same matrix with a short prompt is fine: only text that differs per combination counts.
    expect(() => parseManifest(job(`    matrix: {a: ${axis(100)}, b: ${axis(300)}}\n    input: {prompt: "a \${{ matrix.a }}", style: "${long}"}\n`))).not.toThrow();
  });
});

describe("model ids", () => {
  it.each(["fal-ai/../admin", "fal-ai/flux/..", "fal-ai/./flux", "fal-ai//flux", "../fal-ai/flux", "fal-ai/flux/"])("refuses %s at the value", (model) => {
    const issues = issuesOf(`version: 1\njobs:\n  - {id: a, model: "${model}"}\n`);
    expect(issues).toEqual([expect.objectContaining({ path: "jobs[0].model", line: 3, column: 20, message: expect.stringMatching(/owner\/model|`\.` or `\.\.`/) })]);
  });

  it("names dot segments explicitly, for job models and pricing keys", () => {
    const issues = issuesOf(`version: 1
pricing:
  fal-ai/../x: {unit: images, unit_price: 1}
jobs:
  - {id: a, model: fal-ai/flux/../dev}
`);
    expect(issues.map((i) => i.message)).toEqual([expect.stringMatching(/`\.` or `\.\.` segments/), expect.stringMatching(/`\.` or `\.\.` segments/)]);
  });

  it("still accepts dots inside a segment", () => {
    expect(parseManifest(`version: 1\njobs:\n  - {id: a, model: fal-ai/flux-pro/v1.1-ultra}\n`).jobs[0]!.model).toBe("fal-ai/flux-pro/v1.1-ultra");
    expect(parseManifest(`version: 1\njobs:\n  - {id: a, model: fal-ai/.hidden/x..y}\n`).jobs[0]!.model).toBe("fal-ai/.hidden/x..y");
  });
});

describe("a paid run is never estimated at $0 (found by the fuzz test)", () => {
  it("a positive cost rounds to at least one nano-USD", () => {
    expect(costNano(1e-9, 0.025)).toBe(1);
    expect(costNano(1, 1.5e-7)).toBe(150);
    expect(costNano(0, 0.025)).toBe(0);
    expect(costNano(3, 0)).toBe(0);
  });

  it("max_cost must be at least one nano-USD, and amounts and units stay in range", () => {
    const issues = issuesOf(`version: 1
pricing:
  acme/w: {unit: images, unit_price: 2000000}
jobs:
  - {id: a, model: acme/x, max_cost: 0}
  - {id: b, model: acme/y, max_cost: 5e-324}
  - {id: c, model: acme/z, units: 1e12}
`);
    expect(issues.map((i) => i.path)).toEqual(["pricing.acme/w.unit_price", "jobs[0].max_cost", "jobs[1].max_cost", "jobs[2].units"]);
    expect(issues[1]!.message).toMatch(/never costs \$0/);
  });
});
