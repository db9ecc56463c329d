import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { BUILD_SOURCES } from '../../../src/cli/common/ensure-compiled';
import { copies, readDockerfile } from '../../support/dockerfile';
import { ROOT, SRC, sourceFiles } from '../../support/source-files';

/** Stand-ins and sample servers: what the demo, the sample commands, tests, bench and soak run; never shipped code. */
const DEV = path.join(ROOT, 'dev');
const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join('/');

/** The relative modules a file loads, each with whether it is loaded on demand (`import()`) or at load time. */
function relativeImports(file: string): { spec: string; target: string; onDemand: boolean }[] {
  const text = fs.readFileSync(file, 'utf8');
  const at = (spec: string) => path.resolve(path.dirname(file), spec);
  return [
    ...[...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']*)'/gms)].map((m) => ({
      spec: m[1]!,
      onDemand: false,
    })),
    ...[...text.matchAll(/\brequire\(\s*'(\.[^']*)'\s*\)/g)].map((m) => ({ spec: m[1]!, onDemand: false })),
    ...[...text.matchAll(/\bimport\(\s*'(\.[^']*)'\s*\)/g)].map((m) => ({ spec: m[1]!, onDemand: true })),
  ].map((i) => ({ ...i, target: at(i.spec) }));
}

describe('test doubles live in dev/, outside src/ (issue 33)', () => {
  it('no file of src/ is a stand-in; every server of dev/ says in its name that it is one', () => {
    const named = sourceFiles(SRC).filter((f) => /stand-?in/i.test(path.basename(f)));
    assert.deepEqual(named.map(rel), []);
    const servers = sourceFiles(DEV).filter((f) => /\bcreateServer\(/.test(fs.readFileSync(f, 'utf8')));
    assert.ok(servers.length >= 2, 'the file server and the ClaimX API stand-ins are in dev/');
    for (const f of servers) assert.match(path.basename(f), /-standin\.ts$/, `${rel(f)} serves: name it a stand-in`);
  });

  it('src/ loads dev/ only on demand, and only from the CLI commands that run the demo or a stand-in', () => {
    const loads = sourceFiles(SRC).flatMap((f) =>
      relativeImports(f)
        .filter((i) => i.target === DEV || i.target.startsWith(DEV + path.sep))
        .map((i) => ({ file: rel(f), ...i })),
    );
    assert.ok(
      loads.length > 0,
      'the demo and the sample commands do load dev/ (so this test looks at the right thing)',
    );
    const wrong = loads.filter((l) => !l.onDemand || !l.file.startsWith('src/cli/'));
    assert.deepEqual(
      wrong.map((l) => `${l.file} loads ${l.spec}${l.onDemand ? '' : ' at load time'}`),
      [],
      'the worker, the bridges and the domains never load a test double',
    );
  });

  it('dev/ is compiled with src/ (the demo runs from dist/), copied into the image build, and a change rebuilds', () => {
    const file = path.join(ROOT, 'tsconfig.build.json');
    const { config } = ts.readConfigFile(file, (p) => fs.readFileSync(p, 'utf8'));
    const compiled = new Set(ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, file).fileNames.map(rel));
    const devFiles = sourceFiles(DEV).map(rel);
    assert.ok(devFiles.length > 0);
    assert.deepEqual(
      devFiles.filter((f) => !compiled.has(f)),
      [],
      'tsconfig.build.json compiles dev/',
    );
    const build = readDockerfile(ROOT)[0]!;
    assert.ok(
      copies(build).some((c) => c.from === undefined && c.sources.includes('dev')),
      'the build stage copies dev/',
    );
    assert.ok(BUILD_SOURCES.includes('dev'), 'npm start rebuilds dist/ when dev/ changes');
  });
});
