/**
 * V8 doubles its young generation (up to 2 × 64 MB) whenever many objects
 * survive a scavenge, which is what building a plan of 100,000 runs does:
 * everything it makes lives until the report is written. The young
 * generation then holds little but costs its full size in resident memory
 * (a third of a 100,000-run estimate's peak). For such plans we stop it
 * growing further; scavenges stay cheap because what survives them is
 * promoted. V8 reads this flag each time it grows the young generation, so
 * setting it at run time takes effect (a test holds Node to that).
 */
export function stopYoungGenerationGrowth(): void {
  process.getBuiltinModule("node:v8").setFlagsFromString("--semi-space-growth-factor=1");
}
