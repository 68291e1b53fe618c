/** Shared between the bench parent and its measured child processes, which print one JSON line. */
export const KEY = "bench-key-0000";
export const MODEL = "bench/sleepy-model";

export interface ChildReport {
  wallMs: number;
  maxRssMb: number;
  runs?: number;
  succeeded?: number;
  bytes?: number;
}

export function report(r: ChildReport): void {
  console.log(JSON.stringify(r));
}
