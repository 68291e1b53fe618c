// `npm run bench`: bundles the benchmark harness (TypeScript, importing src/ and the
// loopback fakes) with ncc into bench/.build, then runs it. Arguments pass through
// (`npm run bench -- --smoke` runs every benchmark with tiny sizes).
import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ncc from "@vercel/ncc";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "bench/.build");
await mkdir(out, { recursive: true });
const { code, assets } = await ncc(path.join(root, "bench/main.ts"), { minify: false, sourceMap: false, quiet: true, target: "es2023" });
await writeFile(path.join(out, "main.js"), code);
for (const [name, asset] of Object.entries(assets ?? {})) {
  if (/^\d+\.index\.js$/.test(name)) await writeFile(path.join(out, name), asset.source);
}
await writeFile(path.join(out, "package.json"), JSON.stringify({ type: "module" }));
// Module sizes of the action's bundle, for the bundle benchmark.
const { stats } = await ncc(path.join(root, "src/index.ts"), { quiet: true, target: "es2023" });
const json = stats.toJson({ modules: true, nestedModules: true, chunks: true, assets: false });
const slim = (m) => ({ name: m.name, size: m.size, chunks: m.chunks, modules: m.modules?.map(slim) });
await writeFile(path.join(out, "index-stats.json"), JSON.stringify({ modules: json.modules.map(slim), chunks: json.chunks.map((c) => ({ id: c.id, initial: c.initial })) }));
const r = spawnSync(process.execPath, [path.join(out, "main.js"), ...process.argv.slice(2)], { stdio: "inherit", cwd: root });
process.exit(r.status ?? 1);
