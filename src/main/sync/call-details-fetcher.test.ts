import { describe, expect, it } from 'vitest';
import { BETA_PLAN } from '../../shared/api-limits.ts';
import { archiveAfterFetch, spanToFetch, type CallToFetch } from './call-details-fetcher.ts';

const call = (over: Partial<CallToFetch>): CallToFetch => ({
  callId: 'c',
  createdTs: 1000,
  destroyedTs: 9000,
  finished: true,
  detailsFromTs: null,
  detailsToTs: null,
  ...over,
});

describe('call details: what to fetch and when a call is archived in full', () => {
  it('is full when one fetch covers the ended call from its start to its end', () => {
    expect(archiveAfterFetch(call({}), { fromTs: 1000, toTs: 9000 })).toBe('full');
    expect(archiveAfterFetch(call({ finished: false }), { fromTs: 1000, toTs: 9000 })).toBe(
      'partial',
    );
  });

  it('is full when this fetch carries on from earlier details that began at the start', () => {
    const earlier = call({ detailsFromTs: 1000, detailsToTs: 5000 });
    expect(archiveAfterFetch(earlier, { fromTs: 4990, toTs: 9000 })).toBe('full');
  });

  it('stays partial for a call cut at the lookback edge, however often fetched again', () => {
    // The first fetch began at the edge, after the call had started.
    expect(archiveAfterFetch(call({}), { fromTs: 3000, toTs: 6000 })).toBe('partial');
    const cut = call({ detailsFromTs: 3000, detailsToTs: 6000 });
    expect(archiveAfterFetch(cut, { fromTs: 5990, toTs: 9000 })).toBe('partial');
  });

  it('stays partial when a gap opened between earlier details and this fetch', () => {
    const gap = call({ detailsFromTs: 1000, detailsToTs: 4000 });
    expect(archiveAfterFetch(gap, { fromTs: 6000, toTs: 9000 })).toBe('partial');
  });

  it('asks for nothing more once the details of an ended call reach its end', () => {
    const now = 100_000;
    const cut = call({ detailsFromTs: 3000, detailsToTs: 9000 });
    expect(spanToFetch(cut, BETA_PLAN, now, 0)).toBeNull();
    const running = call({
      finished: false,
      destroyedTs: 0,
      detailsFromTs: 1000,
      detailsToTs: 5000,
    });
    expect(spanToFetch(running, BETA_PLAN, now, 0)).toEqual({
      fromTs: 5000 - BETA_PLAN.sampleIntervalSec,
      toTs: now,
    });
  });
});
