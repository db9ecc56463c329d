import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { isKafkajsTimerWarning, printWarning } from '../../../src/observability/process-warnings';

const SRC = path.resolve(__dirname, '..', '..', '..', 'src', 'observability');

/** A node process that installs the given warning handling, then warns (and arms a negative timer). */
async function warnIn(setup: string, env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string }> {
  const script = `
    const { createLogger } = require(${JSON.stringify(path.join(SRC, 'logger.ts'))});
    const w = require(${JSON.stringify(path.join(SRC, 'process-warnings.ts'))});
    const log = createLogger('worker', { level: 'info', format: 'json' });
    ${setup};
    setTimeout(() => {}, -5);
    process.emitWarning('listener limit reached', 'MaxListenersExceededWarning');`;
  const { NODE_NO_WARNINGS: _, ...inherited } = process.env;
  return promisify(execFile)(process.execPath, ['-r', 'tsx/cjs', '-e', script], { env: { ...inherited, ...env } });
}

describe("Node's process warnings", function () {
  this.timeout(60_000);

  it('a long-lived process logs them as JSON records with their stack, nothing on stderr', async () => {
    const { stdout, stderr } = await warnIn('w.handleProcessWarnings(w.logWarning(log))');
    assert.equal(stderr, '');
    const records = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: string; msg: string; warning: { name: string; stack: string } });
    const [record, ...others] = records.filter((r) => r.warning.name === 'MaxListenersExceededWarning');
    assert.equal(others.length, 0);
    assert.equal(record!.level, 'warn');
    assert.equal(record!.msg, 'node warning: MaxListenersExceededWarning: listener limit reached');
    assert.match(record!.warning.stack, /\n\s+at /);
    // A negative timer of our own (Node 23 and later warn about it) is no kafkajs timer: still a warn record.
    for (const r of records) assert.equal(r.level, 'warn', JSON.stringify(r));
  });

  it("the CLI hands them to Node's printer, except the kafkajs request-queue timer warning", () => {
    const printed: Error[] = [];
    const kafkajs = Object.assign(new Error('-1796500343266 is a negative number.\nTimeout duration was set to 1.'), {
      name: 'TimeoutNegativeWarning',
    });
    kafkajs.stack = `TimeoutNegativeWarning: ${kafkajs.message}\n    at new Timeout (node:internal/timers:233:17)\n    at RequestQueue.scheduleCheckPendingRequests (/app/node_modules/kafkajs/src/network/requestQueue/index.js:317:38)`;
    const ours = Object.assign(new Error('-5 is a negative number.'), { name: 'TimeoutNegativeWarning' });
    assert.equal(isKafkajsTimerWarning(kafkajs), true);
    assert.equal(isKafkajsTimerWarning(ours), false);
    for (const w of [kafkajs, ours]) printWarning(w, (x) => printed.push(x));
    assert.deepEqual(printed, [ours]);
  });

  it("the CLI's handling keeps Node's own printing and its switches (NODE_NO_WARNINGS)", async () => {
    const cli = 'w.handleProcessWarnings((x, nodePrint) => w.printWarning(x, nodePrint))';
    const printed = await warnIn(cli);
    assert.match(printed.stderr, /\(node:\d+\) MaxListenersExceededWarning: listener limit reached/);
    assert.equal((await warnIn(cli, { NODE_NO_WARNINGS: '1' })).stderr, '');
  });

  it("without our handling, Node prints them on stderr (what the first test's process must not do)", async () => {
    const { stderr } = await warnIn('');
    assert.match(stderr, /MaxListenersExceededWarning: listener limit reached/);
  });
});
