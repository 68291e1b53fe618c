// The ```yaml blocks of a Markdown file (the README's workflows), each with the line its first YAML line is on.
import MarkdownIt from "markdown-it";

/**
 * A block opened with ```yaml (or yml) is a whole workflow, a fal-jobs manifest, or, when its info string says so
 * (```yaml steps), a list of steps to be read inside a job. check-workflows.mjs decides which from its content.
 * @returns {Array<{ text: string, line: number, steps: boolean }>} `line`: 1-based line in the Markdown file
 */
export function yamlBlocks(markdown) {
  const blocks = [];
  for (const token of new MarkdownIt().parse(markdown, {})) {
    if (token.type !== "fence" || !token.map) continue;
    const [lang, ...words] = token.info.trim().split(/\s+/);
    if (lang !== "yaml" && lang !== "yml") continue;
    // token.map[0] is the 0-based line of the opening fence; the YAML starts on the next line.
    blocks.push({ text: token.content, line: token.map[0] + 2, steps: words.includes("steps") });
  }
  return blocks;
}

/** Wraps a list of steps in the smallest workflow that holds it, and says how to map positions back. */
export function stepsWorkflow(text) {
  const head = ["on: push", "jobs:", "  fragment:", "    runs-on: ubuntu-latest", "    steps:"];
  const indent = "      ";
  const body = text.split("\n").map((l) => (l ? indent + l : l));
  return { text: `${[...head, ...body].join("\n")}\n`, lineOffset: -head.length, colOffset: -indent.length };
}
