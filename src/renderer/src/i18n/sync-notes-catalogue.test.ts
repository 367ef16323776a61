import { describe, expect, it } from 'vitest';
import {
  SYNC_NOTE_CODES,
  SYNC_NOTE_TEXT_EN,
  syncNote,
  syncNoteDisplayParams,
  syncNoteEnglish,
} from '../../../shared/sync-notes.ts';
import { CATALOGUES, format } from './catalogue.ts';
import type { MessageKey } from './en.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('sync notes in the catalogue', () => {
  it('has every note code in every language, the English being the CLI’s', () => {
    for (const code of SYNC_NOTE_CODES) {
      const key = `sync.note.${code}` as MessageKey;
      for (const [language, catalogue] of Object.entries(CATALOGUES)) {
        expect(catalogue[key]?.trim(), `${language} ${key}`).toBeTruthy();
        expect(placeholders(catalogue[key]), `${language} ${key}`).toEqual(
          placeholders(SYNC_NOTE_TEXT_EN[code]),
        );
      }
      expect(CATALOGUES.en[key]).toBe(SYNC_NOTE_TEXT_EN[code]);
    }
  });

  it('words a note in Chinese from its code and parameters, and an old English note as it was', () => {
    const running = syncNote('runningCalls', { count: 3 });
    const time = (sec: number) => `T${sec}`;
    expect(format('zh-CN', 'sync.note.runningCalls', syncNoteDisplayParams(running, time))).toBe(
      '进行中的通话：3 个通话仍在进行；稍后再次运行同样的同步即可完整存档。',
    );
    const crowded = syncNote('crowdedSecond', { atTs: 1_790_000_000, found: 12 });
    expect(format('zh-CN', 'sync.note.crowdedSecond', syncNoteDisplayParams(crowded, time))).toBe(
      '拥挤的一秒 T1790000000：找到 12 个通话。',
    );
    const old = syncNote('legacy', { text: 'Running calls: 2 call(s) were still running.' });
    expect(format('zh-CN', 'sync.note.legacy', syncNoteDisplayParams(old, time))).toBe(
      syncNoteEnglish(old),
    );
  });
});
