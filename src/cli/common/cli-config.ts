import { loadConfig, type Config } from '../../config/config';

let loaded: Config | undefined;

/**
 * The CLI's configuration, read from the environment once per process (the first command that needs it) and
 * shared by every command after: the one place the CLI calls loadConfig.
 */
export function cliConfig(): Config {
  loaded ??= loadConfig();
  return loaded;
}
