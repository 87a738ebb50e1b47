/** A document that cannot be turned into text; `reason` is a plain phrase a user can act on. */
export class UnreadableDocumentError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'UnreadableDocumentError';
  }
}

/** Raised by the format readers, which see bytes, not files: its message is the reason; readDocument adds the file name. */
export class ReadFailure extends Error {}
