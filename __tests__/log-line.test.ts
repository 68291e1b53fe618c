import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { logLine } from "../src/util/log-line.js";
import { runnerCommands, runnerLines } from "./helpers/commands.js";

describe("logLine", () => {
  it("shows line breaks as escapes and keeps ordinary text as it is", () => {
    expect(logLine("thumbs[animal=cat\n::error::x]#1: submitted")).toBe("thumbs[animal=cat\\n::error::x]#1: submitted");
    expect(logLine("a\r\nb\rc")).toBe("a\\r\\nb\\rc");
    expect(logLine("hero#1: succeeded in 1.2 s, 2 file(s) — $0.025 ✅\tok")).toBe("hero#1: succeeded in 1.2 s, 2 file(s) — $0.025 ✅\tok");
  });

  it("never starts a line with a command, whatever hides before the colons", () => {
    expect(logLine("::add-mask::x")).toBe("\\::add-mask::x");
    expect(logLine("  \t::stop-commands::t")).toBe("  \t\\::stop-commands::t");
    expect(logLine("\u200b::error::x")).toBe("\\u{200b}::error::x");
    expect(logLine("\ufeff::error::x")).toBe("\\u{feff}::error::x");
    expect(logLine("x\u2028::error::y")).toBe("x\\u{2028}::error::y");
  });

  it("breaks the legacy ##[command] form anywhere in the line", () => {
    expect(logLine("owl ##[add-mask]secret")).toBe("owl ##\\[add-mask]secret");
    expect(logLine("#\u200b#[error]x")).toBe("#\\u{200b}#[error]x");
  });

  it("no input becomes more than one line, or a runner command", () => {
    const piece = fc.constantFrom("::", "##[", "\n", "\r", "\r\n", " ", "\t", "\u200b", "\ufeff", "\u2028", "\u0085", "error", "add-mask", "::error::", "stop-commands");
    const text = fc.oneof(fc.string({ unit: "binary", maxLength: 60 }), fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 12 }).map((a) => a.join("")));
    fc.assert(
      fc.property(text, (s) => {
        const line = logLine(s);
        return runnerLines(line).length === 1 && runnerCommands(line).length === 0;
      }),
      { seed: 5, numRuns: 1000 },
    );
  });
});
