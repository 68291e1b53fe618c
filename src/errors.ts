/** A mistake in how the action or the CLI was called (an input, a flag, a missing key): reported as its message alone. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
