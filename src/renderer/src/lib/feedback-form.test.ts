import { describe, expect, it } from 'vitest';
import {
  EMPTY_DRAFT,
  checkDraft,
  fieldErrorsOf,
  formInput,
  toLocalInputSec,
} from './feedback-form.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const clock = () => NOW;

describe('feedback composer form', () => {
  it('names every field that needs attention, with its catalogue message', () => {
    const checked = checkDraft({ ...EMPTY_DRAFT, teacherUid: '12.5', actingUid: 'abc' }, clock);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual({
      channel: 'feedback.invalid.channel',
      teacherUid: 'feedback.invalid.teacherUid',
      actingUid: 'feedback.invalid.actingUid',
      type: 'feedback.invalid.type',
    });
  });

  it('refuses a blank channel, a uid beyond 32 bits and a time in the future', () => {
    const future = toLocalInputSec(NOW / 1000 + 3600);
    const checked = checkDraft(
      { ...EMPTY_DRAFT, channel: '   ', teacherUid: '4294967296', problemTime: future, type: 3 },
      clock,
    );
    expect(checked.ok ? {} : checked.errors).toEqual({
      channel: 'feedback.invalid.channel',
      teacherUid: 'feedback.invalid.teacherUid',
      problemTs: 'feedback.invalid.problemTs',
    });
  });

  it('builds the contract form, leaving empty optional fields out', () => {
    const ts = NOW / 1000 - 600;
    const draft = {
      ...EMPTY_DRAFT,
      channel: ' class 42 ',
      teacherUid: ' 1001 ',
      problemTime: toLocalInputSec(ts),
      type: 4 as const,
      callId: 'c1',
    };
    expect(formInput(draft)).toEqual({
      channel: ' class 42 ',
      teacherUid: 1001,
      type: 4,
      problemTs: ts,
      callId: 'c1',
    });
    const checked = checkDraft(draft, clock);
    expect(checked.ok && checked.form).toEqual(formInput(draft));
  });

  it("maps main's BAD_INPUT field list to the same messages", () => {
    expect(fieldErrorsOf(['teacherUid', 'comments', 'nonsense'])).toEqual({
      teacherUid: 'feedback.invalid.teacherUid',
      comments: 'feedback.invalid.comments',
    });
  });
});
