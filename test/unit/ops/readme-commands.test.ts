import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildProgram } from '../../../src/cli/main';
import { CONFIG_KEYS } from '../../../src/config/config';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as object);

describe('README names only what exists', () => {
  it('every `npm run <script>` is a package.json script', () => {
    const named = [...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
    assert.ok(named.length > 0);
    for (const s of named) assert.ok(scripts.includes(s!), `npm run ${s}`);
  });

  it('every `kafka-pipeline` command and flag it shows exists in the CLI', () => {
    const program = buildProgram();
    const uses = [...readme.matchAll(/(?:bin\/kafka-pipeline\.js|npm start --) ([^\n`|]*)/g)].map((m) =>
      m[1]!.split('#')[0]!.trim(),
    );
    assert.ok(uses.length > 0);
    for (const use of uses) {
      const words = use.split(/\s+/).filter(Boolean);
      const isFlag = (w: string) => w.startsWith('--');
      let cmd = use.startsWith('--') ? program.commands.find((c) => c.name() === 'start')! : program;
      if (!use.startsWith('--'))
        assert.ok(
          program.commands.some((c) => c.name() === words[0]),
          `${use}: no command ${words[0]}`,
        );
      for (const w of words.filter((w) => !isFlag(w) && /^[a-z-]+$/.test(w))) {
        const sub = cmd.commands.find((c) => c.name() === w);
        if (!sub) break;
        cmd = sub;
      }
      for (const flag of words.filter(isFlag)) {
        assert.ok(
          cmd.options.some((o) => o.long === flag),
          `${use}: ${flag} is not an option of ${cmd.name()}`,
        );
      }
    }
  });

  it('every scripts/ file it names exists and is executable', () => {
    const named = [...new Set([...readme.matchAll(/scripts\/([\w.-]+\.(?:sh|ts))/g)].map((m) => m[1]))];
    assert.ok(named.length >= 3);
    for (const n of named) {
      const file = path.join(ROOT, 'scripts', n!);
      assert.ok(fs.existsSync(file), `scripts/${n}`);
      if (n!.endsWith('.sh')) assert.ok(fs.statSync(file).mode & 0o100, `scripts/${n} is not executable`);
    }
  });

  it('every configuration variable it names is a config key (or a KP_ variable the stack scripts read)', () => {
    const known = new Set(Object.values(CONFIG_KEYS).map((k) => k.env));
    const scripts = fs
      .readdirSync(path.join(ROOT, 'scripts'))
      .filter((f) => f.endsWith('.sh'))
      .map((f) => fs.readFileSync(path.join(ROOT, 'scripts', f), 'utf8'))
      .join('\n');
    const named = [...readme.matchAll(/\b([A-Z][A-Z_]{4,})=/g)]
      .map((m) => m[1]!)
      .filter((n) => n !== 'GRAFANA_ADMIN_PASSWORD');
    assert.ok(named.length > 0);
    for (const n of named) {
      if (n.startsWith('KP_')) assert.ok(scripts.includes(`\${${n}`), `${n} is read by no script in scripts/`);
      else assert.ok(known.has(n), n);
    }
  });

  it('its layout paragraph names every folder of src/', () => {
    const layout = readme.slice(readme.indexOf('Layout, in the order an event travels'));
    const folders = fs
      .readdirSync(path.join(ROOT, 'src'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    assert.ok(folders.length >= 10);
    assert.deepEqual(
      folders.filter((f) => !layout.includes(`\`src/${f}\``)),
      [],
    );
  });
});
