import { ScheduleOverlapPolicy } from '@temporalio/client';
import { connectTemporal } from '../../wiring/temporal';
import { ensureMaintenanceSchedules, maintenanceSchedules } from '../../maintenance/schedules';
import { maintenanceStatus } from '../../maintenance/schedule-status';
import { cliConfig } from '../common/cli-config';
import { maintenanceLines, maintenanceProblems } from './maintenance-format';

/** Runs `fn` with a Temporal client of the configuration, closing the connection afterwards. */
async function withClient<T>(fn: (client: Awaited<ReturnType<typeof connectTemporal>>['client']) => Promise<T>) {
  const { connection, client } = await connectTemporal(cliConfig());
  try {
    return await fn(client);
  } finally {
    await connection.close();
  }
}

/** `maintenance setup`: creates or updates the schedules (what the worker does at start). */
export async function runMaintenanceSetup(json: boolean): Promise<number> {
  const config = cliConfig();
  const outcomes = await withClient((client) => ensureMaintenanceSchedules(client, config));
  if (json) console.log(JSON.stringify(Object.fromEntries(outcomes), null, 2));
  else for (const [target, outcome] of outcomes) console.log(`maintenance-${target}: ${outcome}`);
  return 0;
}

/** `maintenance run [target]`: starts the schedule's run now (all targets when none is named); 2: unknown target. */
export async function runMaintenanceNow(target: string | undefined): Promise<number> {
  const config = cliConfig();
  const all = maintenanceSchedules(config);
  const chosen = target === undefined ? all : all.filter((s) => s.target === target);
  if (chosen.length === 0) {
    console.error(`maintenance run: unknown target ${JSON.stringify(target)} (${all.map((s) => s.target).join(', ')})`);
    return 2;
  }
  await withClient(async (client) => {
    for (const s of chosen) {
      // SKIP: a run already going on is not doubled.
      await client.schedule.getHandle(s.scheduleId).trigger(ScheduleOverlapPolicy.SKIP);
      console.log(`${s.scheduleId}: triggered`);
    }
  });
  return 0;
}

/** `maintenance status`: each target's schedule, newest run and last success; 1 when a target is overdue. */
export async function runMaintenanceStatus(json: boolean): Promise<number> {
  const config = cliConfig();
  const status = await withClient((client) => maintenanceStatus(client, config));
  const overdue = maintenanceProblems(status, Date.now(), true);
  if (json) console.log(JSON.stringify({ targets: status, problems: overdue }, null, 2));
  else {
    for (const line of maintenanceLines(status)) console.log(line);
    for (const p of overdue) console.log(`problem: ${p}`);
  }
  return overdue.length === 0 ? 0 : 1;
}
