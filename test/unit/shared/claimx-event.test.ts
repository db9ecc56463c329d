import assert from 'node:assert/strict';
import {
  CLAIMX_EVENT_TYPES,
  claimxEventId,
  decodeClaimxEvent,
  pythonIsoFormat,
} from '../../../src/shared/claimx-event';
import { sampleClaimxEvent } from '../../../src/domains/claimx/sample';

/** The spec's example event (§1.2). */
const EXAMPLE = {
  event_id: 'evt_5f2c1a90',
  event_type: 'PROJECT_FILE_ADDED',
  project_id: '4821937',
  ingested_at: '2025-12-27T14:05:11Z',
  media_id: '99231877',
  task_assignment_id: null,
  video_collaboration_id: null,
  master_file_name: null,
  raw_data: { projectId: 4821937, eventType: 'PROJECT_FILE_ADDED', mediaId: 99231877, fileName: 'roof_north.jpg' },
};

describe('claimx events (claimx.events.raw)', () => {
  it("recomputes the original's event id: the spec's vector", () => {
    const r = decodeClaimxEvent(JSON.stringify(EXAMPLE));
    assert.ok(r.ok);
    assert.equal(r.event.eventId, 'ee1a7158-6e7d-5268-a4b7-7767fa5877e1');
    assert.equal(r.event.producerEventId, 'evt_5f2c1a90');
    assert.equal(r.event.ingestedAt, '2025-12-27T14:05:11+00:00');
    assert.equal(r.event.rawData?.fileName, 'roof_north.jpg');
  });

  it('camelCase fields and numeric ids give the same event, and the same id', () => {
    const camel = {
      eventType: 'PROJECT_FILE_ADDED',
      projectId: 4821937,
      IngestionTime: '2025-12-27T14:05:11.000Z',
      mediaId: 99231877,
    };
    const r = decodeClaimxEvent(JSON.stringify(camel));
    assert.ok(r.ok);
    assert.equal(r.event.eventId, 'ee1a7158-6e7d-5268-a4b7-7767fa5877e1');
    assert.equal(r.event.projectId, '4821937');
    assert.equal(r.event.mediaId, '99231877');
  });

  it('task and video ids join the id in the order media, task, video (vector from Python uuid5)', () => {
    const id = claimxEventId({
      projectId: '4821937',
      eventType: 'CUSTOM_TASK_ASSIGNED',
      ingestedAt: pythonIsoFormat('2025-12-27T14:05:11.5Z')!,
      mediaId: null,
      taskAssignmentId: '777',
      videoCollaborationId: '12',
    });
    assert.equal(id, '2f70972d-b912-52ac-8c44-d49398839cbb');
  });

  it("formats times as Python's isoformat (values from datetime.fromisoformat(...).isoformat())", () => {
    const cases: [string, string][] = [
      ['2025-12-27T14:05:11Z', '2025-12-27T14:05:11+00:00'],
      ['2025-12-27T14:05:11.5Z', '2025-12-27T14:05:11.500000+00:00'],
      ['2025-12-27T14:05:11.123456789+02:00', '2025-12-27T14:05:11.123456+02:00'],
      ['2025-12-27T14:05:11.000Z', '2025-12-27T14:05:11+00:00'],
      ['2025-12-27 14:05:11+0530', '2025-12-27T14:05:11+05:30'],
      ['2025-12-27T14:05:11', '2025-12-27T14:05:11+00:00'],
    ];
    for (const [input, python] of cases) assert.equal(pythonIsoFormat(input), python, input);
    assert.equal(pythonIsoFormat('2025-13-45T99:00:00Z'), null);
    assert.equal(pythonIsoFormat('yesterday'), null);
  });

  it('a missing ingestion time takes the Kafka timestamp, so a redelivery keeps its id', () => {
    const { ingested_at: _drop, ...noTime } = EXAMPLE;
    const a = decodeClaimxEvent(JSON.stringify(noTime), '2025-12-27T14:05:11.000Z');
    const b = decodeClaimxEvent(JSON.stringify(noTime), '2025-12-27T14:05:11.000Z');
    assert.ok(a.ok && b.ok);
    assert.equal(a.event.eventId, 'ee1a7158-6e7d-5268-a4b7-7767fa5877e1');
    assert.equal(a.event.eventId, b.event.eventId);
  });

  it('says precisely why a message is not a claimx event', () => {
    const bad: [unknown, RegExp][] = [
      ['{', /^not JSON/],
      [[1], /^not a JSON object$/],
      [{ ...EXAMPLE, event_type: ' ' }, /missing event_type/],
      [{ ...EXAMPLE, project_id: 'P-12' }, /project_id .*"P-12" is not a numeric id/],
      [{ ...EXAMPLE, project_id: undefined }, /project_id .*null is not a numeric id/],
      [{ ...EXAMPLE, ingested_at: 'soon' }, /ingested_at .*"soon" is not an ISO-8601 time/],
      [{ ...EXAMPLE, media_id: { id: 1 } }, /media_id \(or mediaId\) must be a string or an integer/],
      [{ ...EXAMPLE, raw_data: [1] }, /raw_data must be a JSON object/],
      [
        JSON.stringify(EXAMPLE).replace(/}$/, `,"deep":${'['.repeat(6_000)}${']'.repeat(6_000)}}`),
        /^the message nests arrays and objects deeper than 64 levels/,
      ],
    ];
    for (const [value, reason] of bad) {
      const r = decodeClaimxEvent(typeof value === 'string' ? value : JSON.stringify(value));
      assert.ok(!r.ok, JSON.stringify(value));
      assert.match(r.reason, reason);
    }
  });
});

describe('sample claimx events (produce --domain claimx, the demo)', () => {
  it('decode, cover every enriched type and one the pipeline does not enrich, in both spellings', () => {
    const seen = new Set<string>();
    let camel = 0;
    for (let i = 0; i < 44; i++) {
      const raw = sampleClaimxEvent(i);
      if ('eventType' in raw) camel++;
      const r = decodeClaimxEvent(JSON.stringify(raw));
      assert.ok(r.ok, r.ok ? '' : r.reason);
      seen.add(r.event.eventType);
      if (r.event.eventType === 'PROJECT_FILE_ADDED') assert.ok(r.event.mediaId);
      if (r.event.eventType.startsWith('CUSTOM_TASK')) assert.ok(r.event.taskAssignmentId);
    }
    assert.deepEqual([...seen].sort(), [...CLAIMX_EVENT_TYPES, 'PROJECT_NOTE_ADDED'].sort());
    assert.equal(camel, 22);
  });
});
