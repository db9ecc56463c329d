import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { PROCESS_MALLOC_ENV, PROCESS_NODE_OPTIONS } from '../../../src/worker/node-options';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** `ENV K=V` lines of the Dockerfile's last stage (the image that runs). */
function imageEnv(): Record<string, string> {
  const stages = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').split(/^FROM /m);
  const env: Record<string, string> = {};
  for (const m of stages[stages.length - 1]!.matchAll(/^ENV (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!.trim();
  return env;
}

/**
 * The image's processes start with the memory settings the soak measured them with (issue 31 item 5b): glibc's
 * arenas capped (without it the worker's native memory grew by ~200 MB/h) and the V8 flags of every process.
 */
describe('process environment of the image', () => {
  it('the Dockerfile sets PROCESS_MALLOC_ENV and PROCESS_NODE_OPTIONS for every process', () => {
    const env = imageEnv();
    for (const [k, v] of Object.entries(PROCESS_MALLOC_ENV)) assert.equal(env[k], v, k);
    assert.equal(env.NODE_OPTIONS, PROCESS_NODE_OPTIONS);
  });

  it('no manifest overrides them', () => {
    const dir = path.join(ROOT, 'deploy', 'k8s', 'base');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
      for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8'))) {
        const text = JSON.stringify(doc.toJS());
        for (const k of [...Object.keys(PROCESS_MALLOC_ENV), 'NODE_OPTIONS'])
          assert.ok(!text.includes(`"name":"${k}"`), `${f} sets ${k}`);
      }
    }
  });
});
