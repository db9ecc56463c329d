import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config';
import { handleProcessWarnings, printWarning } from '../observability/process-warnings';
import { registerCodecCommand } from './codec/command';
import { registerConfigCommand } from './config/command';
import { registerDeltaCommands } from './delta/command';
import { registerDlqCommands } from './dlq/command';
import { registerLagCommand } from './lag/command';
import { registerMaintenanceCommands } from './maintenance/command';
import { registerProcessCommands } from './processes/command';
import { registerSampleCommands } from './sample/command';
import { registerStartCommand } from './start/command';
import { registerStatusCommand } from './status/command';

/**
 * The operator CLI. Each command group has a folder (./<group>/command.ts defines its commands and help) and its logic
 * in plain functions; see docs/design.md, "Where a new CLI command goes".
 */
export function buildProgram(): Command {
  const program = new Command('kafka-pipeline')
    .description('Moves claim events from Kafka into the lakehouse, orchestrated by Temporal')
    .showHelpAfterError()
    .exitOverride();
  registerStartCommand(program);
  registerProcessCommands(program);
  registerConfigCommand(program);
  registerSampleCommands(program);
  registerDeltaCommands(program);
  registerDlqCommands(program);
  registerLagCommand(program);
  registerMaintenanceCommands(program);
  registerStatusCommand(program);
  registerCodecCommand(program);
  return program;
}

/** Runs the CLI and returns the process exit code; never calls process.exit itself. */
export async function run(argv: readonly string[]): Promise<number> {
  handleProcessWarnings((warning, nodePrint) => printWarning(warning, nodePrint));
  try {
    await buildProgram().parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // Help and version exit 0; every other command-line mistake (unknown command or option, a missing required
    // option such as `dlq resolve --reason`) is a usage error: 2, like the commands' own usage errors.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof ConfigError) {
      for (const p of err.problems) console.error(`config: ${p}`);
      return 2;
    }
    console.error(`kafka-pipeline: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
