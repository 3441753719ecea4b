/**
 * The keys that seal token-mode session cookies: a file of base64 keys of 32 bytes, one a line, as mounted from a
 * Kubernetes Secret. The first line seals new cookies; every line opens them, so a key is rotated by putting a new
 * one first and keeping the old one below it until the old cookies have expired (`--auth-session-ttl`).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliIo } from '../cli-base.js';

/** libsodium's secretbox key size (crypto_secretbox_KEYBYTES). */
export const SESSION_KEY_BYTES = 32;
const MAX_KEY_FILE_BYTES = 64 * 1024;

export class SessionKeyError extends Error {}

/** A new key, as one line of the key file. */
export function generateSessionKey(): string {
  return randomBytes(SESSION_KEY_BYTES).toString('base64');
}

const HOW = 'each line must be the base64 of 32 random bytes (44 characters), as `meshlens session-key` prints';

/** The keys of a key file's text; blank lines and `#` comments are skipped. Errors name the file and line, never the key. */
export function parseSessionKeys(text: string, file: string): Buffer[] {
  const keys: Buffer[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const key = /^[A-Za-z0-9+/]+={0,2}$/.test(line) || /^[A-Za-z0-9_-]+$/.test(line) ? Buffer.from(line, line.includes('-') || line.includes('_') ? 'base64url' : 'base64') : undefined;
    if (!key || key.length !== SESSION_KEY_BYTES) {
      const what = key ? `${key.length} bytes, not ${SESSION_KEY_BYTES}` : `${line.length} characters that are not base64`;
      throw new SessionKeyError(`session key file ${file}, line ${i + 1}: not a session key (${what}); ${HOW}`);
    }
    if (!keys.some((k) => k.equals(key))) keys.push(key);
  }
  if (keys.length === 0) throw new SessionKeyError(`session key file ${file} holds no key; ${HOW}`);
  return keys;
}

/** Reads and parses a key file (`--session-key-file`); throws a SessionKeyError saying what to fix. */
export function readSessionKeyFile(file: string): Buffer[] {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new SessionKeyError(`session key file ${file}: cannot read it (${why}). Create it with \`meshlens session-key > ${file}\`, or mount the Secret that holds it`);
  }
  if (buf.length > MAX_KEY_FILE_BYTES) throw new SessionKeyError(`session key file ${file} is ${buf.length} bytes: a key file is a few lines of 44 characters; point --session-key-file at the right file`);
  return parseSessionKeys(buf.toString('utf8'), file);
}

/** `meshlens session-key`: prints a new key, for the key file or the Secret. */
export function addSessionKeyCommand(root: Command, io: CliIo): void {
  root.command('session-key')
    .description('print a new random key for token-mode session cookies (for --session-key-file, e.g. `kubectl create secret generic meshlens-session-keys -n meshlens --from-literal=keys="$(meshlens session-key)"`)')
    .action(() => {
      io.out(`${generateSessionKey()}\n`);
    });
}
