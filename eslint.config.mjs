import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".tools/**", "coverage/**", "bench/results/**", "bench/.build/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", Buffer: "readonly", console: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly", AbortController: "readonly", AbortSignal: "readonly", fetch: "readonly", Response: "readonly", TextEncoder: "readonly", setInterval: "readonly", clearInterval: "readonly", structuredClone: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-control-regex": "off",
    },
  },
  {
    // Plain log lines and outputs go through the seams that neutralize workflow commands and check output values.
    files: ["src/**/*.ts"],
    ignores: ["src/action/log.ts", "src/action/outputs.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[object.name='core'][property.name=/^(info|notice|startGroup|setOutput)$/]", message: "use src/action/log.ts (log lines) or src/action/outputs.ts (outputs)" },
      ],
    },
  },
);
