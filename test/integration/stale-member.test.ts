import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Kafka, logLevel } from 'kafkajs';
import { StaleMemberEvictor } from '../../src/adapters/kafka/stale-member';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/observability/logger';
import { ensureStack, KAFKA_BROKER, ROOT } from '../support/stack';

/** A consumer in a child process that joins `group` with a 60 s session and prints its member id. */
const MEMBER_SCRIPT = `
const { Kafka, logLevel } = require('kafkajs');
const [broker, group, topic] = process.argv.slice(1);
const consumer = new Kafka({ brokers: [broker], logLevel: logLevel.NOTHING }).consumer({ groupId: group, sessionTimeout: 60000 });
consumer.on(consumer.events.GROUP_JOIN, (e) => console.log(e.payload.memberId));
consumer.connect().then(() => consumer.subscribe({ topic, fromBeginning: true })).then(() => consumer.run({ eachMessage: async () => {} }));
`;

describe('stale group member eviction (real broker)', function () {
  this.timeout(120_000);
  const group = `stale-member-${process.pid}-${Date.now()}`;
  const admin = new Kafka({ brokers: [KAFKA_BROKER], logLevel: logLevel.NOTHING }).admin();

  before(async () => {
    await ensureStack();
    await admin.connect();
  });
  after(async () => {
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.disconnect();
  });

  it('removes a member that died without leaving, long before its session would expire', async () => {
    const config = loadConfig({ KAFKA_BROKERS: KAFKA_BROKER });
    const child = spawn(process.execPath, ['-e', MEMBER_SCRIPT, KAFKA_BROKER, group, config.eventsTopic], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const memberId = line.toString().trim();
    child.kill('SIGKILL'); // gone without a LeaveGroup: the coordinator keeps it for its 60 s session
    await once(child, 'exit');
    const members = async () => (await admin.describeGroups([group])).groups[0]!.members.map((m) => m.memberId);
    assert.deepEqual(await members(), [memberId]);

    const logs: string[] = [];
    const evictor = new StaleMemberEvictor(
      config,
      group,
      createLogger('bridge', { level: 'info', write: (l) => logs.push(l) }),
    );
    await evictor.evict(memberId);
    assert.deepEqual(await members(), []);
    assert.ok(logs.some((l) => l.includes('removed the group member') && l.includes(memberId)));

    await evictor.evict(memberId); // unknown to the coordinator now: settles at once, logs nothing more
    assert.equal(logs.filter((l) => l.includes('removed the group member')).length, 1);
    await evictor.stop();
  });
});
