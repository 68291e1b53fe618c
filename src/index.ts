import { run } from "./main.js";

// The runner's entry point (action.yml `main: dist/index.js`).
await run();
