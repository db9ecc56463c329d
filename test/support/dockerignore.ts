import fs from 'node:fs';
import path from 'node:path';

/**
 * A `.dockerignore` read the way BuildKit reads it, for the syntax this project uses: one pattern a line, `#`
 * comments, `!` to re-include, `*` and `?` within one path segment, `**` across segments, a leading `/` ignored. A
 * pattern that matches a folder matches everything under it; the last pattern that matches a path decides.
 * Character classes and escapes are refused rather than guessed.
 */
export type IgnoreRule = { readonly source: string; readonly include: boolean; readonly regex: RegExp };

export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const include = line.startsWith('!');
    const pattern = path.posix.normalize((include ? line.slice(1) : line).trim()).replace(/^\/+|\/+$/g, '');
    if (/[[\]\\]/.test(pattern)) throw new Error(`.dockerignore: unsupported syntax in ${line}`);
    rules.push({ source: line, include, regex: new RegExp(`^${toRegex(pattern)}$`) });
  }
  return rules;
}

function toRegex(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c!.replace(/[.+^${}()|]/g, '\\$&');
  }
  return out;
}

/** True when `relPath` (forward slashes, relative to the context root) is left out of the build context. */
export function isIgnored(rules: readonly IgnoreRule[], relPath: string): boolean {
  const parts = relPath.split('/');
  const selfAndParents = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) if (selfAndParents.some((p) => rule.regex.test(p))) ignored = !rule.include;
  return ignored;
}

/**
 * The files (relative paths) a build would send from `root`. Symbolic links count as files (BuildKit sends the
 * link, not its target); an ignored folder is skipped when no `!` rule could reach inside it.
 */
export function contextFiles(root: string, rules: readonly IgnoreRule[], dir = ''): string[] {
  const reachable = (rel: string) =>
    rules.some((r) => {
      if (!r.include) return false;
      const literal = r.source.slice(1).replace(/^\//, '').split(/[*?]/)[0];
      return literal!.startsWith(`${rel}/`) || `${rel}/`.startsWith(literal!);
    });
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) return isIgnored(rules, rel) && !reachable(rel) ? [] : contextFiles(root, rules, rel);
    return isIgnored(rules, rel) ? [] : [rel];
  });
}
