/**
 * Why a journal refused to open or to write. One class with a `code` so the engine can decide by
 * kind (halt trading, ask the trader to restore a backup) without parsing messages.
 *
 * - `corrupt-middle`: a damaged line with an intact line after it. Not a torn write: refusing is the
 *   only way to lose nothing. The file is left as it was.
 * - `bad-envelope`: an intact line (its CRC matches) that is not `{seq, record|snapshot}`.
 * - `sequence`: an intact line whose seq does not follow the previous one (or a head is missing).
 * - `bad-record`: the caller's `parse` rejected an intact record: a schema change, not damage.
 * - `unserializable`: `append`/`compact` was given a value that would not read back; nothing written.
 * - `closed`: used after `close()`.
 * - `failed`: an earlier write or fsync failed in a way that leaves durability unknown; the journal
 *   takes no more records (after a failed fsync Linux may have dropped the dirty pages, so retrying
 *   could acknowledge records that are gone).
 */
export type JournalErrorCode = 'corrupt-middle' | 'bad-envelope' | 'sequence' | 'bad-record' | 'unserializable' | 'closed' | 'failed';

export class JournalError extends Error {
  override readonly name = 'JournalError';
  readonly code: JournalErrorCode;
  readonly path: string;
  /** 1-based line of the file the error is about, when it is about one. */
  readonly lineNumber: number | undefined;

  constructor(code: JournalErrorCode, path: string, message: string, options: { readonly lineNumber?: number; readonly cause?: unknown } = {}) {
    super(`journal ${path}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = path;
    this.lineNumber = options.lineNumber;
  }
}
