import { closeSync, fdatasyncSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** Writes all of `bytes` at the fd's position (its end, for an fd opened with 'a'); a short write is continued. */
export function writeFully(fd: number, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
}

/**
 * Makes a directory entry change (create, rename) durable: without it a power cut can undo a
 * rename whose file data is already on disk. On Windows Node cannot open a directory to fsync it;
 * the rename stays atomic there and its durability rests on NTFS flushing its own log.
 */
export function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates (or replaces) `path` holding exactly `bytes`, on disk when this returns; the directory entry is not synced. */
export function writeDurableFile(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    writeFully(fd, bytes);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
