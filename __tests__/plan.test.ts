import { describe, expect, it } from "vitest";
import { parseManifest } from "../src/manifest/load.js";
import { buildPlan, countRuns, iterateRuns } from "../src/plan/expand.js";
import fc from "fast-check";
import { compileTemplate } from "../src/manifest/template.js";
import { canonicalJson, compileCanonical } from "../src/lock/canonical.js";

describe("plan expansion", () => {
  const plan = buildPlan(
    parseManifest(`version: 1
defaults: {concurrency: 8, timeout: 2m}
jobs:
  - id: thumbs
    model: fal-ai/flux/schnell
    matrix: {animal: [cat, dog], size: [square, {width: 640, height: 480}], n: [1, 3]}
    input: {prompt: "a \${{ matrix.animal }} (\${{ matrix.n }})", image_size: "\${{ matrix.size }}", num_images: "\${{ matrix.n }}"}
    repeat: 2
    timeout: 30s
  - id: hero
    model: fal-ai/flux/dev
    input: {prompt: hero}
    repeat: 3
`),
  );

  it("expands the matrix as a cartesian product times repeat", () => {
    expect(plan.jobs[0]!.variants).toHaveLength(8);
    expect(plan.jobs[0]!.runCount).toBe(16);
    expect(plan.jobs[1]!.runCount).toBe(3);
    expect(plan.totalRuns).toBe(19);
    expect([...iterateRuns(plan)]).toHaveLength(19);
  });

  it("keeps the type of a value when the string is exactly one reference", () => {
    const v = plan.jobs[0]!.variants.find((x) => x.label.startsWith("animal=dog,") && x.label.includes("size={") && x.label.endsWith(",n=3"))!;
    expect(v.input).toEqual({ prompt: "a dog (3)", image_size: { width: 640, height: 480 }, num_images: 3 });
  });

  it("gives every run a stable, unique id", () => {
    const ids = [...iterateRuns(plan)].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe("thumbs[animal=cat,size=square,n=1]#1");
    expect(ids[1]).toBe("thumbs[animal=cat,size=square,n=1]#2");
    expect(ids).toContain('thumbs[animal=dog,size={"width":640,"height":480},n=3]#2');
    expect(ids.slice(-3)).toEqual(["hero#1", "hero#2", "hero#3"]);
  });

  it("resolves per-job settings over defaults over built-ins", () => {
    expect(plan.jobs[0]!.settings).toEqual({ concurrency: 8, timeoutMs: 30_000, retries: 5, cache: true });
    expect(plan.jobs[1]!.settings).toEqual({ concurrency: 8, timeoutMs: 120_000, retries: 5, cache: true });
  });

  it("shares one input object across the repeats of a variant", () => {
    const runs = [...iterateRuns(plan)].filter((r) => r.job.id === "hero");
    expect(runs[0]!.variant.input).toBe(runs[2]!.variant.input);
  });
});

describe("counting runs before planning", () => {
  it("counts what buildPlan makes, for any matrix and repeat", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ axes: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }), repeat: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 4 }), (jobs) => {
        const yaml = ["version: 1", "jobs:", ...jobs.map((j, i) => {
          const matrix = j.axes.length ? `, matrix: {${j.axes.map((n, a) => `a${a}: [${Array.from({ length: n }, (_, v) => v).join(", ")}]`).join(", ")}}` : "";
          return `  - {id: j${i}, model: fal-ai/flux/dev, repeat: ${j.repeat}, input: {prompt: x}${matrix}}`;
        })].join("\n");
        const manifest = parseManifest(yaml);
        expect(countRuns(manifest)).toBe(buildPlan(manifest).totalRuns);
      }),
      { seed: 20261202, numRuns: 200 },
    );
  });
});

describe("compiled templates", () => {
  // The straightforward recursive substitution the compiled renderer must equal.
  const reference = (value: unknown, combo: Record<string, unknown>): unknown => {
    if (typeof value === "string") {
      const exact = /^\$\{\{\s*matrix\.([A-Za-z_][\w-]*)\s*\}\}$/.exec(value);
      if (exact) return combo[exact[1]!];
      return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
        const v = combo[/^matrix\.([A-Za-z_][\w-]*)$/.exec(expr.trim())?.[1] ?? "\u0000"];
        return typeof v === "string" ? v : JSON.stringify(v);
      });
    }
    if (Array.isArray(value)) return value.map((v) => reference(v, combo));
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reference(v, combo)]));
    return value;
  };
  const axis = fc.constantFrom("a", "b", "size");
  const text = fc.array(fc.oneof(fc.string({ maxLength: 4 }), axis.map((n) => `\${{ matrix.${n} }}`), axis.map((n) => `\${{matrix.${n}}}`)), { maxLength: 4 }).map((xs) => xs.join(""));
  // Keys include `__proto__`, which YAML gives as an own key and which fal must receive as one.
  const input = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: "small" }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie("node"), { maxLength: 3 }), fc.dictionary(fc.oneof(fc.string({ maxLength: 3 }), fc.constant("__proto__")), tie("node"), { maxKeys: 3 })),
  })).node;
  const combo = fc.record({ a: fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), b: fc.jsonValue({ maxDepth: 1 }), size: fc.constantFrom("square", 2) });

  it("render exactly what recursive substitution gives, for any input and combination", () => {
    fc.assert(fc.property(input, combo, (i, c) => {
        expect(compileTemplate(i)(c)).toEqual(reference(i, c));
      }), { numRuns: 500 });
  });

  it("encode for run keys (compileCanonical) exactly as canonicalJson does, for any input and combination", () => {
    // Axes that may be missing from the combination, and keys that objects treat specially.
    const someAxis = fc.constantFrom("a", "b", "size", "gone");
    const someText = fc.array(fc.oneof(fc.string({ maxLength: 4 }), someAxis.map((n) => `\${{ matrix.${n} }}`)), { maxLength: 3 }).map((xs) => xs.join(""));
    const key = fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom("__proto__", "constructor", "é", "A", "10", "2"));
    const someInput = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, someText, fc.double(), fc.constantFrom(-0, 1e21, 0.1), fc.boolean(), fc.constant(null), fc.array(tie("node"), { maxLength: 3 }), fc.dictionary(key, tie("node"), { maxKeys: 4 })),
    })).node;
    fc.assert(fc.property(someInput, combo, (i, c) => {
        const encode = compileCanonical(i);
        const rendered = compileTemplate(i)(c);
        expect(encode(rendered)).toBe(canonicalJson(rendered));
      }), { numRuns: 1000 });
  });

  it("share the parts without references instead of copying them", () => {
    const input = { prompt: "a ${{ matrix.a }}", style: { palette: ["red", "blue"] } };
    const render = compileTemplate(input);
    const [x, y] = [render({ a: "cat" }), render({ a: "dog" })] as Array<typeof input>;
    expect([x.prompt, y.prompt]).toEqual(["a cat", "a dog"]);
    expect(x.style).toBe(input.style);
    expect(y.style).toBe(input.style);
  });
});
