/**
 * The `meshlens` executable (bin/meshlens.js) starts here. `validate` runs in CI on every push and on big cluster
 * dumps, so it loads only the engine and the file loader; every other command goes through cli.ts, which loads
 * the server, the Kubernetes client and the demo. Both register `validate` with the same addValidateCommand on the
 * same root command, so it parses, prints and exits the same way on either path.
 */
import { processIo, rootCommand, runCommand, type CliIo } from './cli-base.js';

/** Runs the CLI; resolves to the exit code for commands that finish (`serve` keeps running). */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  if (argv[2] === 'validate') {
    const { addValidateCommand } = await import('./validate-command.js');
    const root = rootCommand(io);
    addValidateCommand(root, io);
    return runCommand(root, argv, io);
  }
  const cli = await import('./cli.js');
  return cli.main(argv, io);
}
