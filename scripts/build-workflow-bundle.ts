// Prebuilds the workflow bundle next to the compiled worker (dist/workflow-bundle.js), so a production worker
// never runs webpack at start (faster start, about 90 MB less resident memory). Run by `npm run build`.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const workflowsPath = path.join(root, 'dist', 'src', 'workflows', 'index.js');
  if (!fs.existsSync(workflowsPath)) throw new Error(`${workflowsPath} is missing: run tsc first`);
  const { code } = await bundleWorkflowCode({ workflowsPath });
  const out = path.join(root, 'dist', 'workflow-bundle.js');
  fs.writeFileSync(out, code);
  console.log(`workflow bundle: ${out} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
