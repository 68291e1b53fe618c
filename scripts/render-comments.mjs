#!/usr/bin/env node
// Renders the comment and job-summary snapshots (__tests__/snapshots/comments/*.md, written by
// __tests__/comment-snapshots.test.ts) to PNG in headless Chromium, at the width of a pull request's
// conversation column, to look at them as a reviewer does. Each gets two pictures: as GitHub first shows it
// (<details> closed) and with every <details> open.
//
//   node scripts/render-comments.mjs [--out DIR] [--chromium PATH] [name …]
//
// Markdown goes through markdown-it with HTML allowed (GitHub keeps <details>, <sub>, <br>); the CSS below
// is our own approximation of GitHub's comment styling, not a copy of it. Chromium is driven over the
// DevTools protocol on a pipe (--remote-debugging-pipe), so no port is opened and no extra package is needed.
import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, writeFile, rm, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import MarkdownIt from "markdown-it";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [value] = args.splice(i, 2).slice(1);
  return value;
};
const outDir = path.resolve(option("--out", path.join(root, "tmp/comment-renders")));
const chromium = option("--chromium", process.env.CHROMIUM ?? "chromium");
const only = new Set(args);
const snapshots = path.join(root, "__tests__/snapshots/comments");

/** The conversation column of a pull request is about 780 px wide at a common desktop window size. */
const COMMENT_WIDTH = 780;

const CSS = `
body { margin: 0; padding: 16px; background: #fff; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji"; color: #1f2328; }
.comment { width: ${COMMENT_WIDTH}px; border: 1px solid #d1d9e0; border-radius: 6px; }
.comment > header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; color: #59636e; border-radius: 6px 6px 0 0; }
.comment > header b { color: #1f2328; }
.body { padding: 16px; overflow-wrap: break-word; }
.body > :first-child { margin-top: 0; } .body > :last-child { margin-bottom: 0; }
h3 { font-size: 1.25em; font-weight: 600; margin: 24px 0 16px; line-height: 1.25; }
p, table, blockquote, details, ul { margin: 0 0 16px; }
table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
th { font-weight: 600; }
tr:nth-child(2n) { background: #f6f8fa; }
code { font: 85% ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, monospace; background: rgba(129,139,152,0.12); padding: .2em .4em; border-radius: 6px; }
sub { font-size: 75%; line-height: 0; }
td sub code, p sub code { font-size: 90%; }
blockquote { padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; margin-left: 0; }
summary { cursor: pointer; }
details > :not(summary) { margin-top: 8px; }
ul { padding-left: 2em; }
a { color: #0969da; text-decoration: none; }
`;

const md = new MarkdownIt({ html: true, linkify: false, breaks: false });

function page(name, markdown) {
  // GitHub hides HTML comments (the marker, stamp and figures lines); a browser does too.
  const kind = name.endsWith(".summary") ? "Job summary" : "github-actions <b>bot</b> commented";
  return `<!doctype html><meta charset="utf-8"><style>${CSS}</style><div class="comment"><header>${kind}</header><div class="body">${md.render(markdown)}</div></div>`;
}

/** Chromium over --remote-debugging-pipe: JSON messages separated by NUL bytes on fds 3 (to it) and 4 (from it). */
async function startChromium() {
  const profile = await mkdtemp(path.join(tmpdir(), "render-comments-"));
  const child = spawn(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--remote-debugging-pipe", `--user-data-dir=${profile}`, "about:blank"], {
    stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const [toChrome, fromChrome] = [child.stdio[3], child.stdio[4]];
  let nextId = 1;
  const pending = new Map();
  let buffer = "";
  fromChrome.on("data", (chunk) => {
    buffer += chunk.toString("utf8");
    let end;
    while ((end = buffer.indexOf("\0")) >= 0) {
      const msg = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      const waiter = msg.id && pending.get(msg.id);
      if (!waiter) continue;
      pending.delete(msg.id);
      if (msg.error) waiter.reject(new Error(`${waiter.method}: ${msg.error.message}`));
      else waiter.resolve(msg.result);
    }
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, method });
      toChrome.write(`${JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) })}\0`);
    });
  const close = async () => {
    await send("Browser.close").catch(() => {});
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    child.kill();
    await rm(profile, { recursive: true, force: true });
  };
  child.on("error", (err) => {
    for (const w of pending.values()) w.reject(new Error(`cannot start ${chromium}: ${err.message}${stderr ? `\n${stderr}` : ""}`));
  });
  return { send, close };
}

async function screenshot(browser, htmlFile, pngFile, openDetails) {
  const { targetId } = await browser.send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await browser.send("Target.attachToTarget", { targetId, flatten: true });
  const call = (method, params) => browser.send(method, params, sessionId);
  await call("Emulation.setDeviceMetricsOverride", { width: COMMENT_WIDTH + 34, height: 400, deviceScaleFactor: 1, mobile: false });
  await call("Page.navigate", { url: pathToFileURL(htmlFile).href });
  const evaluate = async (expression) => (await call("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true })).result.value;
  for (let i = 0; i < 100 && (await evaluate("document.readyState")) !== "complete"; i++) await new Promise((r) => setTimeout(r, 50));
  await evaluate("document.fonts.ready.then(() => true)");
  if (openDetails) await evaluate("document.querySelectorAll('details').forEach((d) => d.open = true), true");
  const [width, height] = await evaluate("(() => { const r = document.querySelector('.comment').getBoundingClientRect(); return [r.right + 16, r.bottom + 16]; })()");
  const { data } = await call("Page.captureScreenshot", { format: "png", clip: { x: 0, y: 0, width, height, scale: 1 }, captureBeyondViewport: true });
  await writeFile(pngFile, Buffer.from(data, "base64"));
  await browser.send("Target.closeTarget", { targetId });
  return { width: Math.round(width), height: Math.round(height) };
}

const names = (await readdir(snapshots)).filter((f) => f.endsWith(".md")).map((f) => f.slice(0, -3)).filter((n) => only.size === 0 || only.has(n));
if (names.length === 0) throw new Error(`no snapshots in ${snapshots}: run npx vitest run __tests__/comment-snapshots.test.ts first`);
await mkdir(outDir, { recursive: true });
const browser = await startChromium();
try {
  for (const name of names.sort()) {
    const html = path.join(outDir, `${name}.html`);
    await writeFile(html, page(name, await readFile(path.join(snapshots, `${name}.md`), "utf8")));
    const closed = await screenshot(browser, html, path.join(outDir, `${name}.png`), false);
    const open = await screenshot(browser, html, path.join(outDir, `${name}.open.png`), true);
    console.log(`${name}.png ${closed.width}×${closed.height}, ${name}.open.png ${open.width}×${open.height}`);
  }
} finally {
  await browser.close();
}
console.log(`written to ${outDir}`);
