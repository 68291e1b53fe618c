import { afterEach, beforeEach } from "vitest";
import { FakeArtifactServer } from "../fakes/artifact-server.js";
import { FAL_KEY, FakeFal } from "../fakes/fal.js";
import { runAction, type ActionOptions, type ActionRun } from "./action.js";

export interface RunFakes {
  fal: FakeFal;
  artifacts: FakeArtifactServer;
  /** FAL_*_URL and ACTIONS_RESULTS_URL (with its token) pointing at both fakes. */
  env(): Record<string, string>;
  /** The built action, run for real on `manifest` against both fakes, with catalog prices and the test key. */
  realRun(manifest: string, opts?: ActionOptions): Promise<ActionRun>;
}

/** A fresh loopback fal and artifact service for every test of the calling file, closed after it. */
export function useRunFakes(): RunFakes {
  // Filled in before each test; the object stays the same, so tests may hold on to it.
  const fakes: RunFakes = {
    env: () => ({ ...fakes.fal.env(), ...fakes.artifacts.env() }),
    realRun: (manifest, opts = {}) =>
      runAction({
        ...opts,
        inputs: { "dry-run": "false", "fal-key": FAL_KEY, "price-source": "catalog", "billing-timeout": "5", ...opts.inputs },
        files: { "fal-jobs.yaml": manifest, ...opts.files },
        env: { ...fakes.env(), ...opts.env },
      }),
  } as Partial<RunFakes> as RunFakes;
  beforeEach(async () => {
    fakes.fal = await FakeFal.start();
    fakes.artifacts = await FakeArtifactServer.start();
  });
  afterEach(async () => {
    await fakes.fal.close();
    await fakes.artifacts.close();
  });
  return fakes;
}
