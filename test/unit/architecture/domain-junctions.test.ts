import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { domainNames } from '../../../src/domains/registry';
import { SRC, sourceFiles } from '../../support/source-files';

const DOMAINS_DIR = path.join(SRC, 'domains');

/**
 * Lines that branch on which domain a thing is: a comparison with a domain's name (as a literal or a constant), of
 * something called `…domain`, or of a workflow type with one domain's ingest workflow. Such a branch belongs in the
 * domain's folder (src/domains/<name>); shared code asks the registry instead.
 */
function domainBranches(text: string, names: readonly string[]): number[] {
  const name = `(?:${names.join('|')})`;
  const constant = `(?:${names.map((n) => n.toUpperCase()).join('|')})_DOMAIN`;
  const patterns = [
    new RegExp(`[!=]==\\s*['"\`]${name}['"\`]|['"\`]${name}['"\`]\\s*[!=]==`),
    new RegExp(`[!=]==\\s*${constant}\\b|\\b${constant}\\s*[!=]==`),
    new RegExp(`case\\s+(?:['"\`]${name}['"\`]|${constant})\\s*:`),
    /[dD]omain\b\s*[!=]==|[!=]==\s*[\w.]*[dD]omain\b/,
    /[!=]==\s*WORKFLOW_TYPES\.ingest\w+Event\b|WORKFLOW_TYPES\.ingest\w+Event\s*[!=]==/,
  ];
  return text.split('\n').flatMap((line, i) => (patterns.some((p) => p.test(line)) ? [i + 1] : []));
}

/** Every domain branch under `dir` outside src/domains, as file:line. */
function branchesOutsideDomains(dir: string, names: readonly string[]): string[] {
  return sourceFiles(dir)
    .filter((f) => !f.startsWith(DOMAINS_DIR + path.sep))
    .flatMap((f) => domainBranches(fs.readFileSync(f, 'utf8'), names).map((n) => `${path.relative(SRC, f)}:${n}`));
}

describe('domain junctions (issue 33): shared code never branches on a domain', () => {
  it('no comparison with a domain name, constant or ingest workflow type outside src/domains', () => {
    assert.deepEqual(branchesOutsideDomains(SRC, domainNames()), []);
  });

  it('finds each kind of branch when there is one', () => {
    const names = ['xact', 'claimx'];
    const planted = [
      `const t = opts.domain === 'claimx' ? a : b;`,
      `if ('xact' !== d) return;`,
      'return `${domain === XACT_DOMAIN ? X : Y}`;',
      `if (req.kind === 'event' && req.domain === CLAIMX_DOMAIN) return 1;`,
      `return config.bridgeDomain === 'claimx'`,
      `case 'xact':`,
      `if (run.workflowType !== WORKFLOW_TYPES.ingestXactEvent) throw e;`,
      `.filter((d) => d.name !== configured.domain)`,
    ];
    assert.deepEqual(
      domainBranches(planted.join('\n'), names),
      planted.map((_, i) => i + 1),
    );
    assert.deepEqual(domainBranches(`const kind = req.kind === 'event';\nif (name === other) x();`, names), []);
  });
});
