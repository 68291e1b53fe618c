// Bundles the action (dist/index.js) and the CLI (dist/cli.js) with @vercel/ncc.
// dist/ is committed: the runner executes dist/index.js as is.
import { mkdir, rm, writeFile, chmod } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ncc from "@vercel/ncc";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");

const entries = [
  { src: "src/index.ts", out: "index.js" },
  { src: "src/cli.ts", out: "cli.js", executable: true },
];

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const licenses = new Map();
const emitted = new Map();
for (const entry of entries) {
  const { code, assets } = await ncc(path.join(root, entry.src), {
    minify: false,
    sourceMap: false,
    license: "licenses.txt",
    quiet: true,
    target: "es2023",
  });
  const file = path.join(dist, entry.out);
  await writeFile(file, code);
  if (entry.executable) await chmod(file, 0o755);
  for (const [name, asset] of Object.entries(assets ?? {})) {
    if (name === "licenses.txt") licenses.set(entry.out, asset.source.toString());
    else if (name === "package.json") continue;
    else if (/^\d+\.index\.js$/.test(name)) {
      // A lazily loaded chunk (dynamic import inside a dependency): ship it beside the bundle, prefixed per entry.
      await writeFile(path.join(dist, name), asset.source);
      if (emitted.has(name) && emitted.get(name) !== asset.source.toString()) throw new Error(`chunk ${name} differs between bundles`);
      emitted.set(name, asset.source.toString());
    } else throw new Error(`unexpected asset ${name} from ${entry.src}: bundle it or ship it explicitly`);
  }
}
// The action bundle holds every third-party package the CLI holds, so its notice file covers both.
await writeFile(path.join(dist, "licenses.txt"), licenses.get("index.js") ?? "");
await writeFile(path.join(dist, "package.json"), `${JSON.stringify({ type: "module" }, null, 2)}\n`);
console.log(`built ${entries.map((e) => `dist/${e.out}`).join(", ")}`);
