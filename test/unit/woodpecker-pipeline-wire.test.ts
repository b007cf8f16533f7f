/**
 * Woodpecker's pipeline JSON in the port's terms: steps flattened from every workflow in order, the
 * failed step's error kept, unset times as null, and log entries decoded from the base64 that Go's
 * []byte is on the wire (an integer array, as swagger.json claims, decodes too); only stdout and
 * stderr entries are text.
 */
import { describe, expect, it } from 'vitest';
import { toLogLines, toPipelineDetail } from '../../src/adapters/woodpecker/woodpecker-pipeline-wire.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('woodpecker pipeline wire', () => {
  it("flattens the workflows' steps in order and keeps unset times as null", () => {
    const detail = toPipelineDetail(
      {
        number: 4,
        status: 'failure',
        event: 'push',
        branch: 'main',
        commit: 'a'.repeat(40),
        created: 1_700_000_000,
        started: 1_700_000_001,
        finished: 0,
        errors: [{ message: 'config warning' }],
        workflows: [
          {
            name: 'woodpecker',
            children: [
              { id: 11, name: 'clone', state: 'success', exit_code: 0 },
              { id: 12, name: 'build', state: 'failure', exit_code: 1, error: 'exit code 1' },
            ],
          },
          { name: 'other', children: [{ id: 13, name: 'lint', state: 'skipped' }] },
        ],
      },
      'http://ci.test/repos/1/pipeline/4',
    );
    expect(detail).toMatchObject({
      number: 4,
      startedAt: '2023-11-14T22:13:21.000Z',
      finishedAt: null,
      errors: ['config warning'],
      webUrl: 'http://ci.test/repos/1/pipeline/4',
    });
    expect(detail.steps).toEqual([
      { id: 11, name: 'clone', state: 'success', exitCode: 0, error: null },
      { id: 12, name: 'build', state: 'failure', exitCode: 1, error: 'exit code 1' },
      { id: 13, name: 'lint', state: 'skipped', exitCode: 0, error: null },
    ]);
  });

  it('decodes base64 (and integer-array) log data, keeps stdout and stderr only, in line order', () => {
    expect(
      toLogLines([
        { line: 2, type: 1, data: b64('second\r\n') },
        { line: 0, type: 0, data: b64('first\n') },
        { line: 1, type: 0, data: [...Buffer.from('middle')] },
        { line: 3, type: 2, data: b64('1') },
        { line: 4, type: 4, data: b64('50%') },
        { line: 5, type: 0, data: null },
      ]),
    ).toEqual([
      { line: 0, text: 'first' },
      { line: 1, text: 'middle' },
      { line: 2, text: 'second' },
      { line: 5, text: '' },
    ]);
  });
});
