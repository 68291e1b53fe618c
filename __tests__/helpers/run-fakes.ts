import { afterEach, beforeEach } from "vitest";
import { FakeArtifactServer } from "../fakes/artifact-server.js";
import { FakeFal } from "../fakes/fal.js";

export interface RunFakes {
  fal: FakeFal;
  artifacts: FakeArtifactServer;
  /** FAL_*_URL and ACTIONS_RESULTS_URL (with its token) pointing at both fakes. */
  env(): Record<string, string>;
}

/** A fresh loopback fal and artifact service for every test of the calling file, closed after it. */
export function useRunFakes(): RunFakes {
  // Filled in before each test; the object stays the same, so tests may hold on to it.
  const fakes: RunFakes = { env: () => ({ ...fakes.fal.env(), ...fakes.artifacts.env() }) } as Partial<RunFakes> as RunFakes;
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
