import assert from 'node:assert/strict';
import { refreshEvery } from '../../../src/observability/refresh-timer';
import { createLogger } from '../../../src/observability/logger';
import { until } from '../../support/poll';

const quiet = createLogger('test', { format: 'json', level: 'error' });

describe('refreshEvery (src/observability/refresh-timer.ts)', () => {
  it('stop() resolves only once the refresh in flight has ended, and no refresh starts after it', async () => {
    let started = 0;
    let ended = 0;
    let release!: () => void;
    const stop = refreshEvery(
      5,
      async () => {
        started++;
        await new Promise<void>((resolve) => (release = resolve));
        ended++;
      },
      quiet,
      'not refreshed',
    );
    await until('the first refresh runs', async () => started === 1);
    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 30)); // several intervals: none may start a refresh
    assert.equal(stopped, false, 'stop waits for the refresh in flight');
    assert.equal(started, 1, 'ticks while a refresh runs (or after stop) start none');
    release();
    await stopping;
    assert.equal(ended, 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(started, 1, 'nothing after stop');
  });

  it('logs a failure once per distinct message and keeps refreshing', async () => {
    const lines: string[] = [];
    const log = createLogger('test', { format: 'json', write: (l: string) => lines.push(l) });
    let n = 0;
    const stop = refreshEvery(
      2,
      async () => {
        n++;
        throw new Error(n < 4 ? 'broker down' : 'other');
      },
      log,
      'lag not refreshed',
    );
    await until('several refreshes', async () => n >= 6);
    await stop();
    const warned = lines.filter((l) => l.includes('lag not refreshed')).map((l) => JSON.parse(l).error);
    assert.deepEqual(warned, ['broker down', 'other']);
  });
});
