// Preloaded into the action (NODE_OPTIONS=--import) to record which Node builtins it loaded.
import { writeFileSync } from "node:fs";

process.on("exit", () => {
  const loaded = process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice("NativeModule ".length));
  writeFileSync(process.env.RECORD_BUILTINS_TO, JSON.stringify(loaded));
});
