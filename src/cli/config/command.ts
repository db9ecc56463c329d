import type { Command } from 'commander';
import { configHelp, maskedConfig } from '../../config/config';
import { cliConfig } from '../common/cli-config';

/** `kafka-pipeline config check|help`. */
export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description('Inspect the configuration read from the environment');
  config
    .command('check')
    .description('Print the effective configuration as JSON; exit 2 with one line per problem if it is invalid')
    .action(() => {
      console.log(JSON.stringify(maskedConfig(cliConfig()), null, 2));
    });
  config
    .command('help')
    .description('List every configuration key with its default')
    .action(() => {
      for (const line of configHelp()) console.log(line);
    });
}
