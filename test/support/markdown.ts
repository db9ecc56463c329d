/** GitHub-style anchors of a Markdown document's headings (lower case, punctuation dropped, spaces to dashes). */
export function anchorsOf(markdown: string): string[] {
  return [...markdown.matchAll(/^#{1,6} +(.+?) *$/gm)].map(([, title]) =>
    title!
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-'),
  );
}

/** The shell commands of a Markdown document: each line of its ```bash / ```sh blocks, continuations joined. */
export function shellCommands(markdown: string): string[] {
  const out: string[] = [];
  for (const [, body] of markdown.matchAll(/^```(?:bash|sh|shell)\n([\s\S]*?)^```/gm)) {
    let pending = '';
    for (const raw of body!.split('\n')) {
      const line = raw.trimEnd();
      if (pending === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue;
      if (line.endsWith('\\')) {
        pending += line.slice(0, -1).trim() + ' ';
        continue;
      }
      out.push((pending + line.trim()).trim());
      pending = '';
    }
  }
  return out;
}
