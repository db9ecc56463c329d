import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { copies, readDockerfile } from '../../support/dockerfile';
import { contextFiles, isIgnored, parseDockerignore } from '../../support/dockerignore';
import { podTemplates, readManifests } from '../../support/k8s-manifests';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const stages = readDockerfile(ROOT);
const [build, image] = [stages[0], stages.at(-1)!];
const DOCKERIGNORE = path.join(ROOT, '.dockerignore');
const rules = fs.existsSync(DOCKERIGNORE) ? parseDockerignore(fs.readFileSync(DOCKERIGNORE, 'utf8')) : [];
const fromContext = stages.flatMap((s) => copies(s).filter((c) => c.from === undefined)).flatMap((c) => c.sources);

/** Every file under `rel` (a file or a folder of the worktree), relative to the root. */
function filesUnder(rel: string): string[] {
  const abs = path.join(ROOT, rel);
  if (!fs.statSync(abs).isDirectory()) return [rel];
  return fs.readdirSync(abs).flatMap((n) => filesUnder(`${rel}/${n}`));
}

describe('the image build (Dockerfile, .dockerignore)', () => {
  it('reads .dockerignore patterns as BuildKit does', () => {
    const r = parseDockerignore('# all but src\n*\n!src\n**/*.log\n!/keep/**\nbench/results\n');
    assert.equal(isIgnored(r, 'node_modules/kafkajs/index.js'), true, 'a folder ignores what it holds');
    assert.equal(isIgnored(r, 'src/a/b.ts'), false, '! re-includes a folder and its files');
    assert.equal(isIgnored(r, 'src/a/debug.log'), true, '**/ matches at any depth; the last match decides');
    assert.equal(isIgnored(r, 'keep/x/y'), false, 'a leading / is the context root');
    assert.equal(isIgnored(r, 'srcx'), true, '* stops at a name, ! names one path');
    assert.throws(() => parseDockerignore('[ab]\n'), /unsupported/);
  });

  it('every path the Dockerfile copies from the context is in the context', () => {
    assert.ok(rules.length > 0, 'a .dockerignore next to the Dockerfile');
    assert.ok(fromContext.includes('package.json') && fromContext.includes('src'));
    for (const source of fromContext) {
      const files = filesUnder(source);
      assert.ok(files.length > 0, `${source} is empty`);
      for (const f of files) assert.equal(isIgnored(rules, f), false, `${f} (COPY ${source}) is ignored`);
    }
  });

  it('the context holds only what the Dockerfile copies: no dependencies, outputs, state, tests or docs', () => {
    const sent = contextFiles(ROOT, rules);
    const copied = (f: string) => fromContext.some((s) => f === s || f.startsWith(`${s}/`));
    const extra = sent.filter((f) => !copied(f));
    assert.equal(extra.length, 0, `sent but never copied: ${extra.slice(0, 10).join(', ')}`);
    const gitignored = fs
      .readFileSync(path.join(ROOT, '.gitignore'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#') && !l.startsWith('!'))
      .map((l) => l.trim().replace(/\/$/, '').replace(/\*/g, 'x'));
    assert.ok(gitignored.includes('node_modules'));
    const elsewhere = ['.git', '.env', 'test', 'docs', 'packages/delta-lake/node_modules', 'packages/delta-lake/dist'];
    for (const p of [...gitignored, ...elsewhere]) {
      assert.equal(isIgnored(rules, p), true, `${p} is in the context`);
      assert.equal(isIgnored(rules, `${p}/any/file`), true, `${p}/any/file is in the context`);
    }
  });

  it('the image copies the build stage, not the context, except the launcher and the manifest', () => {
    assert.ok(stages.length >= 2 && build!.name);
    assert.deepEqual(
      copies(image)
        .filter((c) => c.from === undefined)
        .flatMap((c) => c.sources),
      ['package.json', 'bin'],
    );
    assert.ok(copies(image).some((c) => c.from === build!.name && c.sources[0] === '/app/node_modules'));
  });

  it('the image runs as a numeric non-root user (runAsNonRoot can verify it), the uid the manifests name', () => {
    const users = image.instructions.filter((i) => i.keyword === 'USER');
    assert.ok(users.length > 0, 'the image sets USER');
    const [uid, gid] = users.at(-1)!.args.split(':');
    assert.match(uid!, /^[1-9]\d*$/, `USER ${users.at(-1)!.args}`);
    assert.ok(gid === undefined || /^[1-9]\d*$/.test(gid));
    const templates = readManifests().flatMap(podTemplates);
    assert.ok(templates.length >= 3);
    for (const t of templates) {
      const runAs = t.spec.securityContext?.runAsUser;
      if (runAs !== undefined) assert.equal(String(runAs), uid, t.where);
    }
  });
});

/** The build step that drops the Temporal core-bridge binaries of other platforms (five ship, ~28 MB each). */
describe('the image carries only its own platform of @temporalio/core-bridge', () => {
  const real = path.dirname(require.resolve('@temporalio/core-bridge/package.json'));
  const common = createRequire(__filename)('@temporalio/core-bridge/common') as {
    getPrebuiltTargetName(): string;
    archAlias: Record<string, string>;
    platformMapping: Record<string, string>;
  };
  const releases = fs.readdirSync(path.join(real, 'releases'));
  const stepIndex = build!.instructions.findIndex((i) => i.keyword === 'RUN' && i.args.includes('core-bridge'));
  const step = build!.instructions[stepIndex];

  /** Runs the step in a copy of the package whose release binaries are empty files; what stays in releases/. */
  function runStep(arch?: string): string[] {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-core-bridge-'));
    try {
      const pkg = path.join(tmp, 'node_modules', '@temporalio', 'core-bridge');
      fs.mkdirSync(pkg, { recursive: true });
      for (const f of ['package.json', 'common.js']) fs.copyFileSync(path.join(real, f), path.join(pkg, f));
      for (const r of releases)
        for (const f of fs.readdirSync(path.join(real, 'releases', r))) {
          fs.mkdirSync(path.join(pkg, 'releases', r), { recursive: true });
          fs.writeFileSync(path.join(pkg, 'releases', r, f), '');
        }
      const preload = path.join(tmp, 'arch.js');
      fs.writeFileSync(preload, `require('node:os').arch = () => ${JSON.stringify(arch)};\n`);
      const env = { ...process.env, NODE_OPTIONS: arch ? `--require ${preload}` : '' };
      execFileSync('sh', ['-c', step!.args], { cwd: tmp, env, stdio: 'pipe' });
      return fs.readdirSync(path.join(pkg, 'releases'));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  it('the build stage drops them after pruning dev dependencies, before the image copies node_modules', () => {
    assert.ok(releases.length > 2, `releases: ${releases.join(', ')}`);
    assert.ok(step, 'a RUN step of the build stage names core-bridge');
    const prune = build!.instructions.findIndex((i) => i.keyword === 'RUN' && /npm prune/.test(i.args));
    assert.ok(prune >= 0 && prune < stepIndex, 'after npm prune');
  });

  it('keeps the binary of the platform it builds on (the target platform) and nothing else', () => {
    assert.deepEqual(runStep(), [common.getPrebuiltTargetName()]);
  });

  it('keeps the arm64 binary when built for linux/arm64', () => {
    assert.deepEqual(runStep('arm64'), [`${common.archAlias.arm64}-${common.platformMapping[process.platform]}`]);
  });

  it('fails the build on a platform the package has no binary for', () => {
    assert.throws(() => runStep('ia32'), /Command failed/);
  });
});
