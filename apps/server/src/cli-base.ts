/**
 * What every `meshlens` command shares, kept light enough to load in a few milliseconds: the root command, usage
 * errors and exit codes. Exit codes: 0 success, 1 the command ran and found problems, 2 the command could not run
 * as asked (unknown option or command, missing argument, bad value, a named file or workload that does not exist).
 */
import { stat } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { VERSION } from './version.js';

export const EXIT_USAGE = 2;

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const processIo: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** A mistake in how the command was called: printed as `meshlens: <message>`, exit code 2. */
/**
 * Text from the input (object names, messages that quote it) made safe for a terminal: control characters (C0 but
 * tab, DEL, C1) are written as `\xNN` / `\uNNNN`, so an object named with an escape sequence cannot clear the
 * screen, move the cursor or retitle the window, and a newline in a name cannot forge a line of the report.
 * Bidi controls (U+061C, U+200E/F, U+202A–E, U+2066–9) and invisible zero-width characters (U+200B, U+2060, U+FEFF)
 * are escaped too, so a name cannot reorder or hide the text around it ("Trojan Source"); ZWJ/ZWNJ stay, as emoji
 * sequences and several scripts need them.
 */
export function terminalText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export class UsageError extends Error {}

/** The command ran and its output says what is wrong (findings at or above --fail-on): exit code 1, nothing more printed. */
export class CommandFailedError extends Error {
  readonly exitCode: number = 1;
}

/** The `meshlens` root command, before its subcommands are added. */
export function rootCommand(io: CliIo = processIo): Command {
  return new Command('meshlens')
    .description('Meshlens: see where the traffic of an Istio mesh goes, what fails on which edge, and which configuration is wrong and why.')
    .version(VERSION)
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError('(run `meshlens --help` for usage)');
}

/**
 * Each of `paths` (given with `option`) must exist: a file the user named and that is not there is a usage error,
 * not an empty inventory. What is inside a directory is the loader's business (a bad file there is reported).
 */
export async function requireReadablePaths(paths: readonly string[], option: string): Promise<void> {
  const missing: string[] = [];
  for (const p of paths) {
    try {
      await stat(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      missing.push(`${p} (${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message})`);
    }
  }
  if (missing.length > 0) throw new UsageError(`${option} ${missing.join(', ')}: give an existing manifest file or directory`);
}

/** Parses `argv` with `root` and turns the outcome into an exit code (set on the process when argv is process.argv). */
export async function runCommand(root: Command, argv: string[], io: CliIo = processIo): Promise<number> {
  let code = 0;
  try {
    await root.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommandFailedError) {
      code = e.exitCode;
    } else if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; commander has printed its own message.
      code = e.exitCode === 0 ? 0 : EXIT_USAGE;
    } else {
      // Usage errors, and anything else that stopped the command: one line, never a stack trace.
      io.err(`meshlens: ${terminalText((e as Error).message)}\n`);
      code = EXIT_USAGE;
    }
  }
  if (argv === process.argv && code !== 0) process.exitCode = code;
  return code;
}
