import { createInterface } from "node:readline/promises";

/**
 * Asks a yes/no question on the terminal; anything but y/yes is no, and so is Ctrl-C or the end of input
 * (money is spent only on a clear yes).
 */
export async function confirm(question: string, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<boolean> {
  const rl = createInterface({ input, output });
  const abort = new AbortController();
  const no = new Promise<string>((resolve) => {
    rl.once("SIGINT", () => resolve(""));
    rl.once("close", () => resolve(""));
  });
  try {
    const answer = await Promise.race([rl.question(question, { signal: abort.signal }), no]);
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    abort.abort();
    rl.close();
  }
}
