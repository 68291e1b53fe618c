// Bundles the action (dist/index.js) and the CLI (dist/cli.js) with @vercel/ncc.
// dist/ is committed: the runner executes dist/index.js as is.
// A build takes ncc tens of seconds, so it is skipped when dist/ is already what the sources build: dist/build-record.json
// (committed with dist/) holds a digest of the build's inputs (src/, package-lock.json, tsconfig.json, this script) and
// one of the dist/ they built, and both still match. A fresh clone of an up-to-date commit therefore builds nothing.
// --force always builds; .ci/run forces a build and then checks that dist/, record included, is what was committed.
import { fork } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat, writeFile, chmod } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), "..");
const dist = path.join(root, "dist");

// `chunks`: the suffix of the entry's lazily loaded chunks. Both bundles load the fal client's chunk, and webpack numbers
// its modules per bundle, so the two copies differ: each entry gets chunk files of its own.
const entries = [
  { src: "src/index.ts", out: "index.js", chunks: "index.js" },
  { src: "src/cli.ts", out: "cli.js", chunks: "cli.js", executable: true },
  // The estimate's lock thread (src/adapters/threads/lock-thread.ts), loaded from beside either bundle.
  { src: "src/lock-worker.ts", out: "lock-worker.js", chunks: "lock-worker.js" },
];

/** Points the bundle's chunk loader at its own chunk files (`942.cli.js`): ncc names every entry's chunks `N.index.js`. */
function ownChunks(code, suffix) {
  if (suffix === "index.js") return code;
  const loader = 'return "" + chunkId + ".index.js";';
  const at = code.split(loader).length - 1;
  if (at !== 1) throw new Error(`expected one chunk loader in the bundle, found ${at}: ncc's runtime changed; update ownChunks`);
  return code.replace(loader, `return "" + chunkId + ".${suffix}";`);
}

/** One bundle. ncc type-checks as it compiles, on one core, so each entry is built in its own process. */
async function bundle(src) {
  const { default: ncc } = await import("@vercel/ncc");
  const { code, assets } = await ncc(path.join(root, src), {
    minify: false,
    sourceMap: false,
    license: "licenses.txt",
    quiet: true,
    target: "es2023",
  });
  return { code, assets: Object.fromEntries(Object.entries(assets ?? {}).map(([name, asset]) => [name, asset.source.toString()])) };
}

function bundleInChild(src) {
  return new Promise((resolve, reject) => {
    const child = fork(self, ["--entry", src], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result;
    child.on("message", (m) => (result = m));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 && result ? resolve(result) : reject(new Error(`bundling ${src} failed (exit ${code})`))));
  });
}

// Inside dist/ so that it is committed, and checked by CI, with what it describes. Only portable inputs go into it
// (no Node version, no node_modules): it must come out the same from a build on any machine.
const RECORD_NAME = "build-record.json";
const RECORD = path.join(dist, RECORD_NAME);

async function filesUnder(dir) {
  const entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true });
  // "/"-separated on every system: the paths go into the committed record's digests.
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join("/")).sort();
}

/** A digest of the files' paths, executable bits and bytes. */
async function digest(files) {
  const hash = createHash("sha256");
  for (const file of files) {
    const full = path.join(root, file);
    hash.update(`${file}\0${(await stat(full)).mode & 0o111}\0`).update(await readFile(full)).update("\0");
  }
  return hash.digest("hex");
}

const inputsDigest = async () => digest([...(await filesUnder("src")), "package-lock.json", "tsconfig.json", "scripts/build.mjs"]);
const distDigest = async () => digest((await filesUnder("dist").catch(() => [])).filter((f) => f !== `dist/${RECORD_NAME}`));

async function main() {
  const inputs = await inputsDigest();
  if (!process.argv.includes("--force")) {
    const record = JSON.parse(await readFile(RECORD, "utf8").catch(() => "{}"));
    if (record.inputs === inputs && record.dist === (await distDigest())) {
      console.log(`dist/ is already built from these sources (dist/${RECORD_NAME}; node scripts/build.mjs --force rebuilds it)`);
      return;
    }
  }

  const results = await Promise.all(entries.map((e) => bundleInChild(e.src)));

  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });

  const licenses = new Map();
  const emitted = new Set();
  for (const [i, entry] of entries.entries()) {
    const { code, assets } = results[i];
    const file = path.join(dist, entry.out);
    const chunked = Object.keys(assets).some((name) => /^\d+\.index\.js$/.test(name));
    await writeFile(file, chunked ? ownChunks(code, entry.chunks) : code);
    if (entry.executable) await chmod(file, 0o755);
    for (const [name, source] of Object.entries(assets)) {
      if (name === "licenses.txt") licenses.set(entry.out, source);
      else if (name === "package.json") continue;
      else if (/^\d+\.index\.js$/.test(name)) {
        // A lazily loaded chunk (dynamic import inside a dependency): ship it beside the bundle, named per entry.
        const chunk = name.replace(/index\.js$/, entry.chunks);
        if (emitted.has(chunk)) throw new Error(`chunk ${chunk} written twice`);
        await writeFile(path.join(dist, chunk), source);
        emitted.add(chunk);
      } else throw new Error(`unexpected asset ${name} from ${entry.src}: bundle it or ship it explicitly`);
    }
  }
  // The action bundle holds every third-party package the CLI holds, so its notice file covers both.
  await writeFile(path.join(dist, "licenses.txt"), licenses.get("index.js") ?? "");
  await writeFile(path.join(dist, "package.json"), `${JSON.stringify({ type: "module" }, null, 2)}\n`);
  await writeFile(RECORD, `${JSON.stringify({ inputs, dist: await distDigest() }, null, 2)}\n`);
  console.log(`built ${entries.map((e) => `dist/${e.out}`).join(", ")}`);
}

if (process.argv[2] === "--entry") {
  const result = await bundle(process.argv[3]);
  process.send(result, () => process.exit(0));
} else {
  await main();
}
