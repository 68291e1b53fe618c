import * as core from "@actions/core";
import * as log from "./log.js";

/**
 * The real run's log: per-run lines (submitted, in queue, running, done) go
 * into folded groups, and progress rollups between them, so a long run reads
 * as a few lines per job at a time, with every run's detail a click away. A
 * group opens with the next per-run line after a rollup, so none is empty.
 */
export function foldedRunLog(title: string): { line(text: string): void; progress(lines: string[]): void; close(): void } {
  let open = false;
  const close = () => {
    if (open) core.endGroup();
    open = false;
  };
  return {
    line: (text) => {
      if (!open) log.startGroup(title);
      open = true;
      log.info(text);
    },
    progress: (lines) => {
      close();
      for (const text of lines) log.info(text);
    },
    close,
  };
}
