// feedback/report: body validation per the vendor page, recording, and the vendor-quirk answer.

import { afterEach, describe, expect, it } from 'vitest';
import { ENDPOINT_PATHS } from '../shared/api-limits.ts';
import { startSimulator, VENDOR_QUIRK_FEEDBACK_BODY, type SimulatorHandle } from './index.ts';
import { call, type RawResponse } from './test-http-client.ts';

// The vendor page's request example, verbatim (tabs and all).
const VENDOR_EXAMPLE_BODY = `{ 
	"cname":"android_video_engine_1561704454355",
	"teacher_uid":111,
	"comments":"bad network",
	"type":1,
	"action_uid":111
}`;

let now = Date.UTC(2025, 4, 14, 10, 30, 0);
let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function open(vendorQuirks?: boolean): Promise<SimulatorHandle> {
  sim = await startSimulator({
    seed: 'feedback',
    clock: () => (now += 200),
    ...(vendorQuirks === undefined ? {} : { vendorQuirks }),
  });
  return sim;
}

const post = (
  s: SimulatorHandle,
  body: string,
  params: Record<string, string> = {},
): Promise<RawResponse> => call(s, ENDPOINT_PATHS.feedbackReport, params, { method: 'POST', body });

describe('feedback/report', () => {
  it('accepts the vendor example, records it, and answers like the vendor (trailing comma) by default', async () => {
    const s = await open();
    const res = await post(s, VENDOR_EXAMPLE_BODY);
    expect(res.status).toBe(200);
    expect(res.text).toBe(VENDOR_QUIRK_FEEDBACK_BODY);
    expect(() => JSON.parse(res.text)).toThrow();
    const [report] = s.feedbackReports();
    expect(report).toMatchObject({
      customerId: s.credentials.customerId,
      appid: s.appid,
      report: {
        cname: 'android_video_engine_1561704454355',
        teacher_uid: 111,
        comments: 'bad network',
        type: 1,
        action_uid: 111,
      },
    });
    expect(s.stats().feedback_reports).toBe(1);
    expect(s.stats().endpoints.feedbackReport.accepted).toBe(1);
  });

  it('answers strict JSON when vendor quirks are off', async () => {
    const s = await open(false);
    const res = await post(
      s,
      JSON.stringify({ cname: '数学课', teacher_uid: 7, type: 3, ts: 1747218600 }),
    );
    expect(res.json()).toEqual({ code: 200, message: '' });
    expect(s.feedbackReports()[0]!.report).toEqual({
      cname: '数学课',
      teacher_uid: 7,
      type: 3,
      ts: 1747218600,
    });
  });

  it.each([
    ['cname', { teacher_uid: 1, type: 1 }],
    ['cname', { cname: 5, teacher_uid: 1, type: 1 }],
    ['teacher_uid', { cname: 'c', type: 1 }],
    ['teacher_uid', { cname: 'c', teacher_uid: '111', type: 1 }],
    ['teacher_uid', { cname: 'c', teacher_uid: 1.5, type: 1 }],
    ['action_uid', { cname: 'c', teacher_uid: 1, type: 1, action_uid: 'me' }],
    ['ts', { cname: 'c', teacher_uid: 1, type: 1, ts: '2025-05-14' }],
    ['comments', { cname: 'c', teacher_uid: 1, type: 1, comments: 42 }],
    ['type', { cname: 'c', teacher_uid: 1 }],
    ['type', { cname: 'c', teacher_uid: 1, type: 5 }],
    ['type', { cname: 'c', teacher_uid: 1, type: '1' }],
  ])('answers 400 naming %s for %j and records nothing', async (field, body) => {
    const s = await open();
    const res = await post(s, JSON.stringify(body));
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      code: 400,
      message: expect.stringMatching(new RegExp(`^${field} `)),
    });
    expect(s.feedbackReports()).toHaveLength(0);
  });

  it.each([
    ['invalid JSON', '{"cname": "c",'],
    ['an array', '[1,2]'],
    ['an empty body', ''],
  ])('answers 400 naming the body for %s', async (_name, body) => {
    const s = await open();
    const res = await post(s, body);
    expect(res.status).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/^body /);
  });

  it("answers 400 naming appid when it is missing and 403 when it is not the customer's", async () => {
    const s = await open();
    const body = JSON.stringify({ cname: 'c', teacher_uid: 1, type: 2 });
    expect((await post(s, body, { appid: '' })).status).toBe(400);
    expect((await post(s, body, { appid: 'abcdefabcdefabcdefabcdefabcdef00' })).status).toBe(403);
    expect(s.feedbackReports()).toHaveLength(0);
  });

  it('records every accepted report, in order', async () => {
    const s = await open();
    for (let type = 1; type <= 4; type++) {
      expect(
        (await post(s, JSON.stringify({ cname: `c${type}`, teacher_uid: 9, type }))).status,
      ).toBe(200);
    }
    expect(s.feedbackReports().map((r) => r.report.cname)).toEqual(['c1', 'c2', 'c3', 'c4']);
    const res = await call(s, '/__sim/feedback');
    expect(res.json<{ reports: unknown[] }>().reports).toHaveLength(4);
  });
});
