import { type Config, ConfigError, loadConfig } from '../config/config';
import { createLogger, type Logger, type LogFormatSetting, processLogger, resolveLogFormat } from './logger';

/**
 * Runs a long-lived process (bridge, worker) so that every line it writes, the fatal ones included, is a log record
 * in the chosen format: an invalid configuration is logged (exit 2), and so is the error that ends `run` (exit 1).
 */
export async function processMain(
  component: string,
  run: (config: Config, log: Logger) => Promise<void>,
): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const setting = process.env.LOG_FORMAT;
    const format = resolveLogFormat(
      setting === 'json' || setting === 'console' ? setting : ('auto' as LogFormatSetting),
    );
    createLogger(component, { format }).error('invalid configuration; not started', { problems: err.problems });
    process.exitCode = 2;
    return;
  }
  const log = processLogger(component, config);
  try {
    await run(config, log);
  } catch (err) {
    log.error(`${component} stopped by an error: ${err instanceof Error ? err.message : String(err)}`, {
      error: err instanceof Error ? { name: err.name, message: err.message } : String(err),
    });
    process.exitCode = 1;
  }
}
