import { describe, expect, it } from "vitest";
import { checkModels, suggestModel, type LiveModels } from "../src/check/model-check.js";
import { ManifestError } from "../src/manifest/errors.js";
import { parseManifest } from "../src/manifest/load.js";
import { endpointIdProblem, idFromFalUrl } from "../src/manifest/schema.js";
import { bundledCatalog } from "../src/pricing/bundled-catalog.js";

const KNOWN = new Map([...bundledCatalog().entries.keys()].map((id) => [id, {}]));
const skipped: LiveModels = { status: "skipped", reason: "no fal key" };

function check(jobs: Array<{ model: string; pricedByManifest?: boolean }>, live: LiveModels = skipped, livePriced: string[] = []) {
  return checkModels({ jobs: jobs.map((j) => ({ pricedByManifest: false, ...j })), known: KNOWN, livePriced: new Set(livePriced), live, repoCatalogFile: "fal-jobs.catalog.json" });
}

describe("model ids", () => {
  it("suggests the known id a typo most likely meant", () => {
    const ids = [...KNOWN.keys()];
    expect(suggestModel("fal-ai/flux-dev", ids)).toBe("fal-ai/flux/dev");
    expect(suggestModel("fal-ai/flux/shnell", ids)).toBe("fal-ai/flux/schnell");
    expect(suggestModel("flux/dev", ids)).toBe("fal-ai/flux/dev");
    expect(suggestModel("FAL-AI/Veo3", ids)).toBe("fal-ai/veo3");
    expect(suggestModel("fal-ai/kling-video/v2.1/master/text-to-vdeo", ids)).toBe("fal-ai/kling-video/v2.1/master/text-to-video");
    expect(suggestModel("acme/private-lora", ids)).toBeUndefined();
  });

  it("reads the id out of a pasted fal.ai model page URL, in the manifest and on the command line", () => {
    expect(idFromFalUrl("https://fal.ai/models/fal-ai/flux/dev")).toBe("fal-ai/flux/dev");
    expect(idFromFalUrl("https://fal.ai/models/fal-ai/flux/dev/api")).toBe("fal-ai/flux/dev");
    expect(idFromFalUrl("https://fal.ai/models/fal-ai/veo3.1/playground?share=1")).toBe("fal-ai/veo3.1");
    expect(idFromFalUrl("https://example.com/models/fal-ai/flux/dev")).toBeUndefined();
    expect(endpointIdProblem("https://fal.ai/models/fal-ai/flux/dev/llms.txt")).toBe("that is the model's page; its id is fal-ai/flux/dev");
    expect(endpointIdProblem("fal-ai/flux/dev")).toBeUndefined();
    expect(endpointIdProblem("fal-ai/../x")).toMatch(/`\.` or `\.\.` segments/);
    let err: unknown;
    try {
      parseManifest("version: 1\njobs:\n  - id: a\n    model: https://fal.ai/models/fal-ai/flux/dev/api\n");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ManifestError);
    expect((err as ManifestError).issues).toEqual([
      { file: "fal-jobs.yaml", line: 4, column: 12, path: "jobs[0].model", message: "this is the model's page on fal.ai, not its id: write `fal-ai/flux/dev`" },
    ]);
  });

  it("without a key: a misspelt id is an error even when the manifest prices it; an id near nothing is an error unless the manifest prices it", () => {
    const { issues, warnings } = check([
      { model: "fal-ai/flux/dev" },
      { model: "fal-ai/flux-dev", pricedByManifest: true },
      { model: "acme/private-lora", pricedByManifest: true },
      { model: "acme/unpriced" },
    ]);
    expect(issues.map((i) => [i.path, i.message.split(" (")[0]])).toEqual([
      [["jobs", 1, "model"], "unknown model `fal-ai/flux-dev` — did you mean `fal-ai/flux/dev`?"],
      [["jobs", 3, "model"], "unknown model `acme/unpriced`: it is in neither the bundled catalog nor fal-jobs.catalog.json, so nothing knows its price or its inputs: run `fal-jobs catalog update` with FAL_KEY set and commit fal-jobs.catalog.json"],
    ]);
    // The fix of the misspelling says how to keep the id if it is right after all: no dead end.
    expect(issues[0]!.message).toMatch(/If `fal-ai\/flux-dev` is right, run `fal-jobs catalog update` with FAL_KEY set and commit fal-jobs\.catalog\.json\.$/);
    expect(warnings).toEqual([expect.stringMatching(/^acme\/private-lora is in no catalog, so its id was not checked \(no fal key\): it is priced by the manifest alone/)]);
  });

  it("with a key: fal's model API decides for ids no catalog lists; a deprecated model warns with its replacement", () => {
    const live: LiveModels = {
      status: "ok",
      models: new Map([
        ["fal-ai/brand-new", { endpoint_id: "fal-ai/brand-new", status: "active" as const }],
        ["fal-ai/old-model", { endpoint_id: "fal-ai/old-model", status: "deprecated" as const, replaced_by: "fal-ai/new-model" }],
      ]),
    };
    const { issues, warnings } = check(
      [{ model: "fal-ai/brand-new" }, { model: "fal-ai/old-model" }, { model: "fal-ai/flux-dev" }, { model: "acme/own-app", pricedByManifest: true }, { model: "acme/missing" }, { model: "acme/priced-live" }],
      live,
      ["acme/priced-live"],
    );
    expect(issues.map((i) => i.message)).toEqual([
      "unknown model `fal-ai/flux-dev` — did you mean `fal-ai/flux/dev`? (fal's model API does not list it.)",
      expect.stringMatching(/^unknown model `acme\/missing`: fal's model API does not list it, so nothing knows its price or its inputs: check the id/),
    ]);
    expect(warnings).toEqual([
      "fal-ai/old-model is deprecated at fal (it still runs): fal names fal-ai/new-model as its replacement",
      "fal's model API does not list acme/own-app: it is priced by the manifest alone. If it is not your own app, check the id",
    ]);
  });

  it("when fal's model API fails, the catalogs decide and the warning says so", () => {
    const { issues, warnings } = check([{ model: "acme/x", pricedByManifest: true }, { model: "fal-ai/flux/dev" }], { status: "failed", error: "model API answered 503" });
    expect(issues).toEqual([]);
    expect(warnings).toContain("fal's model API failed (model API answered 503); model ids were checked against the catalogs only");
  });
});
