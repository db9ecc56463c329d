import { DefaultLogger, Runtime } from '@temporalio/worker';
import { stopStackIfStartedByTests } from './stack';

// Keep the Temporal SDK's per-worker INFO lines out of the test report; warnings and errors still show.
Runtime.install({ logger: new DefaultLogger('WARN') });

// Mocha global fixture: runs once after all test files.
export async function mochaGlobalTeardown(): Promise<void> {
  await stopStackIfStartedByTests();
}
