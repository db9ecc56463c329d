import { DefaultLogger, Runtime } from '@temporalio/worker';
import { handleProcessWarnings, printWarning } from '../../src/observability/process-warnings';
import { stopClusterIfStartedByTests } from './cluster';
import { stopStackIfStartedByTests } from './stack';

// Keep the Temporal SDK's own lines out of the test report: many tests fail workflows on purpose, which the SDK
// logs as warnings. Errors still show.
Runtime.install({
  logger: new DefaultLogger('ERROR'),
  telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
});

// Node's warnings as the CLI prints them: the kafkajs request-queue timer warning (Node 23+) left out.
handleProcessWarnings((warning, nodePrint) => printWarning(warning, nodePrint));

// Mocha global fixture: runs once after all test files.
export async function mochaGlobalTeardown(): Promise<void> {
  await stopStackIfStartedByTests();
  await stopClusterIfStartedByTests(); // npm run test:cluster
}
