/**
 * What `fal-jobs init` writes: a commented starter manifest, and the README's two recommended workflows (the pull
 * request's estimate, and the real run on a trusted event). The workflows are the README's own text: a test
 * compares them, so the README and `init` cannot drift apart.
 */

const STARTER_MANIFEST = `# fal-jobs.yaml: the fal.ai jobs this repository generates, written by \`fal-jobs init\`.
#   fal-jobs validate    check it (every problem with its line and column)
#   fal-jobs estimate    what it would cost, against the budget (no key needed)
#   fal-jobs run         run it for real (needs FAL_KEY; shows the estimate and asks first)
#   fal-jobs models      the models the price catalog knows, with their units and prices
# Editor completion: \`fal-jobs schema > fal-jobs.schema.json\`, then put this line at the top:
#   # yaml-language-server: $schema=./fal-jobs.schema.json
version: 1

# USD for the whole manifest. A workflow's \`budget\` input or \`--budget\` may lower it, never raise it.
budget: 1.00

# For every job, unless the job sets its own.
defaults:
  concurrency: 4   # runs of one job in flight at once
  timeout: 10m     # per run: the fal request is cancelled when it passes

jobs:
  - id: hero                 # unique: letters, digits, - and _
    model: fal-ai/flux/dev   # a fal endpoint id
    input:                   # what fal receives
      prompt: "A lighthouse on a cliff at dusk, oil painting"
      image_size: landscape_16_9
      num_images: 1
    repeat: 2                # two runs of the same input

  # A matrix makes one run per combination: here 2 × 2 = 4 runs.
  - id: icons
    model: fal-ai/flux/schnell
    matrix:
      subject: [fox, owl]
      style: [flat, watercolor]
    input:
      prompt: "a \${{ matrix.subject }} icon, \${{ matrix.style }} style"
      image_size: square_hd
`;

/** README, "1. Estimate on every pull request". */
const PR_WORKFLOW = `# .github/workflows/fal-cost.yml
name: fal cost
on: pull_request
permissions:
  contents: read
jobs:
  estimate:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write      # for the sticky comment
    steps:
      - uses: actions/checkout@v6
        with:
          persist-credentials: false
      - uses: fal-jobs-action/fal-jobs-action@v1
        with:
          manifest: fal-jobs.yaml
          budget: "25"           # USD; the manifest may only lower it
`;

/** README, "2. Run for real on a trusted event". */
const RUN_WORKFLOW = `name: fal generate
on:
  push:
    branches: [main]
    paths: [fal-jobs.yaml]
  workflow_dispatch:
# Runs take turns: a second push waits for the first batch (it is never cancelled half-paid) and then sees its lock.
concurrency:
  group: fal-generate-\${{ github.ref }}
  cancel-in-progress: false
permissions:
  contents: read
jobs:
  generate:
    runs-on: ubuntu-latest
    environment: fal          # put FAL_KEY (and optionally FAL_ADMIN_KEY) here, with reviewers if you like
    timeout-minutes: 60
    permissions:
      contents: write         # lock-save: commit writes fal-jobs.lock.json back to the branch
      pull-requests: write    # the comment on the merged pull request; on a protected branch, the lock's pull request
      actions: read           # a re-run reads what earlier attempts left (see "Re-runs resume")
    steps:
      - uses: actions/checkout@v6
        with:
          persist-credentials: false
          ref: \${{ github.ref }}   # the branch head, not the event's commit: it has the lock of every earlier run
      - id: fal
        uses: fal-jobs-action/fal-jobs-action@v1
        with:
          dry-run: "false"
          budget: "25"
          fal-key: \${{ secrets.FAL_KEY }}
          fal-admin-key: \${{ secrets.FAL_ADMIN_KEY }}   # optional: billed cost from fal's own billing records
          deadline: 50m                                  # cancel in time to upload and report
          lock-save: commit                              # see "The lock" below
      - env:
          BILLED: \${{ steps.fal.outputs.billed-cost }}
          URL: \${{ steps.fal.outputs.artifact-url }}
        run: echo "billed $BILLED; outputs at $URL"
`;

/** Path (relative to the folder `init` writes in) → content, in the order they are written and listed. */
export const INIT_FILES: ReadonlyArray<readonly [string, string]> = [
  ["fal-jobs.yaml", STARTER_MANIFEST],
  [".github/workflows/fal-cost.yml", PR_WORKFLOW],
  [".github/workflows/fal-generate.yml", RUN_WORKFLOW],
];
