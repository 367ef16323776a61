import { describe, expect, it } from 'vitest';
import {
  MAX_SCROLL_HEIGHT,
  fullyVisibleRows,
  isScaled,
  listGeometry,
  offsetFromScrollTop,
  offsetShowing,
  rowAfterKey,
  rowTop,
  scrollTopFromOffset,
  visibleRows,
} from './list-window.ts';

const ROW = 44;
const VIEW = 480;
const MILLION = 1_000_000;

describe('a virtual list of 10^6 rows', () => {
  const g = listGeometry(MILLION, ROW, VIEW);

  it('asks the browser for no more than the safe height and scales its scroll position', () => {
    expect(g.scrollHeight).toBe(MAX_SCROLL_HEIGHT);
    expect(isScaled(g)).toBe(true);
    expect(g.maxOffset).toBe(MILLION * ROW - VIEW);
    expect(offsetFromScrollTop(g, 0)).toBe(0);
    expect(offsetFromScrollTop(g, g.maxScrollTop)).toBe(g.maxOffset);
  });

  it('shows the last row at the bottom when scrolled to the end', () => {
    const offset = offsetFromScrollTop(g, g.maxScrollTop);
    const rows = fullyVisibleRows(g, offset);
    expect(rows.last).toBe(MILLION);
    const lastTop = rowTop(g, MILLION - 1, offset, g.maxScrollTop);
    expect(lastTop + ROW).toBeCloseTo(g.scrollHeight, 6);
  });

  it('skips no row while scrolling through every whole-pixel scrollTop', () => {
    let shownUpTo = fullyVisibleRows(g, 0).last;
    const skipped: number[] = [];
    for (let scrollTop = 1; scrollTop <= g.maxScrollTop; scrollTop++) {
      const rows = fullyVisibleRows(g, offsetFromScrollTop(g, scrollTop));
      // The first row wholly in view now was wholly in view one pixel earlier, or is the next.
      if (rows.first > shownUpTo) skipped.push(shownUpTo);
      shownUpTo = rows.last;
    }
    expect(skipped).toEqual([]);
    expect(shownUpTo).toBe(MILLION);
  });

  it('brings any row into view, inside the scrolled content, with a scrollTop the browser can hold', () => {
    for (const index of [0, 1, 7, 399_999, 400_000, 500_123, 999_998, MILLION - 1]) {
      for (const from of [0, g.maxOffset / 2, g.maxOffset]) {
        const offset = offsetShowing(g, index, from);
        const scrollTop = scrollTopFromOffset(g, offset);
        expect(scrollTop).toBeGreaterThanOrEqual(0);
        expect(scrollTop).toBeLessThanOrEqual(g.maxScrollTop);
        const rows = fullyVisibleRows(g, offset);
        expect(index).toBeGreaterThanOrEqual(rows.first);
        expect(index).toBeLessThan(rows.last);
        const top = rowTop(g, index, offset, scrollTop);
        expect(top).toBeGreaterThanOrEqual(scrollTop - 1e-6);
        expect(top + ROW).toBeLessThanOrEqual(scrollTop + VIEW + 1e-6);
        expect(top).toBeGreaterThanOrEqual(-1e-6);
        expect(top + ROW).toBeLessThanOrEqual(g.scrollHeight + 1e-6);
        // The scroll event that follows reads the same offset back.
        expect(offsetFromScrollTop(g, scrollTop)).toBeCloseTo(offset, 3);
      }
    }
  });

  it('renders only the rows in view and the overscan, wherever it is scrolled', () => {
    for (const scrollTop of [0, 1234.5, g.maxScrollTop / 3, g.maxScrollTop]) {
      const rows = visibleRows(g, offsetFromScrollTop(g, scrollTop), 8);
      expect(rows.last - rows.first).toBeLessThanOrEqual(Math.ceil(VIEW / ROW) + 1 + 16);
      expect(rows.last).toBeLessThanOrEqual(MILLION);
    }
  });

  it('moves the focused row with Home, End, Page Up/Down and the arrows, within the list', () => {
    const page = Math.floor(VIEW / ROW) - 1;
    expect(rowAfterKey('End', 0, MILLION, page)).toBe(MILLION - 1);
    expect(rowAfterKey('Home', 654_321, MILLION, page)).toBe(0);
    expect(rowAfterKey('PageDown', MILLION - 3, MILLION, page)).toBe(MILLION - 1);
    expect(rowAfterKey('PageUp', 3, MILLION, page)).toBe(0);
    expect(rowAfterKey('PageDown', 500_000, MILLION, page)).toBe(500_000 + page);
    expect(rowAfterKey('ArrowDown', MILLION - 1, MILLION, page)).toBe(MILLION - 1);
    expect(rowAfterKey('ArrowUp', 0, MILLION, page)).toBe(0);
    expect(rowAfterKey('Enter', 5, MILLION, page)).toBeUndefined();
  });
});

describe('a virtual list short enough for one element', () => {
  it('scrolls one to one: the offset is the scrollTop', () => {
    const g = listGeometry(1000, ROW, VIEW);
    expect(isScaled(g)).toBe(false);
    expect(g.scrollHeight).toBe(1000 * ROW);
    for (const scrollTop of [0, 1, 999, g.maxScrollTop]) {
      expect(offsetFromScrollTop(g, scrollTop)).toBe(scrollTop);
      expect(scrollTopFromOffset(g, scrollTop)).toBe(scrollTop);
      expect(rowTop(g, 10, scrollTop, scrollTop)).toBe(10 * ROW);
    }
  });

  it('has nothing to scroll when every row fits', () => {
    const g = listGeometry(3, ROW, VIEW);
    expect(g.maxScrollTop).toBe(0);
    expect(offsetFromScrollTop(g, 50)).toBe(0);
    expect(fullyVisibleRows(g, 0)).toEqual({ first: 0, last: 3 });
  });
});
