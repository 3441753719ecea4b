/**
 * `meshlens demo export-metrics`: the demo simulator's counters as OpenMetrics, ready for
 * `promtool tsdb create-blocks-from openmetrics FILE DATA_DIR` (backfill a real Prometheus).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Command, InvalidArgumentError, Option } from 'commander';
import { counterSetOf, writeOpenMetrics } from '@meshlens/demo';
import { createDemoSource } from '@meshlens/sources';

function number(name: string, min: number, max: number, integer = false) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) throw new InvalidArgumentError(`${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
    return n;
  };
}

/** Adds `demo` and its subcommands. */
export function addDemoCommand(root: Command, io: { out: (s: string) => void; err: (s: string) => void }): void {
  const demo = root.command('demo').description('the bundled demo mesh: export its simulated telemetry');
  demo.command('export-metrics')
    .description('write the demo simulator\'s counters as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`')
    .addOption(new Option('--hours <n>', 'hours of data, ending at --end').default(1).argParser(number('--hours', 0.05, 24 * 30)))
    .requiredOption('--out <file>', 'OpenMetrics file to write')
    .addOption(new Option('--interval <seconds>', 'seconds between samples (a scrape interval)').default(15).argParser(number('--interval', 1, 3600, true)))
    .addOption(new Option('--end <unix>', 'time of the last sample, unix seconds (default: now)').argParser(number('--end', 0, 2 ** 40, true)))
    .addOption(new Option('--seed <n>', 'seed of the demo traffic simulator').default(1).argParser(number('--seed', 0, 2 ** 31, true)))
    .action(async (opts: { hours: number; out: string; interval: number; end?: number; seed: number }) => {
      // Samples on the interval grid, so a rate at a grid time covers whole scrapes and matches the simulator exactly.
      const end = Math.floor((opts.end ?? Date.now() / 1000) / opts.interval) * opts.interval;
      const start = end - Math.round((opts.hours * 3600) / opts.interval) * opts.interval;
      const source = createDemoSource({ seed: opts.seed });
      const file = createWriteStream(opts.out);
      const failed = new Promise<never>((_, reject) => file.once('error', (e) => reject(new Error(`cannot write ${opts.out}: ${e.message}`))));
      const write = (chunk: string): Promise<void> | undefined => (file.write(chunk) ? undefined : once(file, 'drain').then(() => undefined));
      const result = await Promise.race([writeOpenMetrics(counterSetOf(source.simulator), { start, end, interval: opts.interval }, write), failed]);
      file.end();
      await Promise.race([once(file, 'finish'), failed]);
      io.out(`wrote ${result.samples} samples of ${result.series} series (${new Date(start * 1000).toISOString()} to ${new Date(end * 1000).toISOString()}, every ${opts.interval} s) to ${opts.out}\n`);
      io.out(`backfill: promtool tsdb create-blocks-from openmetrics ${opts.out} <prometheus data dir>  (start Prometheus with --storage.tsdb.retention.time covering that range)\n`);
    });
}
