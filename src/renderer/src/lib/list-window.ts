// The arithmetic of a virtual list with fixed-height rows, however many: which rows are in view,
// where each one goes, and how the list's scroll position maps to the browser's. Browsers cap an
// element's height (Chromium near 3.3 × 10^7 px, Firefox lower), so past MAX_SCROLL_HEIGHT the
// scrolled content keeps that height and its scrollTop is scaled to the list's virtual offset
// (rows × row height). Pure functions; the DOM is CallList's business.

/** The tallest scrolled content the list asks a browser for (every engine lays this out). */
export const MAX_SCROLL_HEIGHT = 10_000_000;

export interface ListGeometry {
  rowCount: number;
  rowHeight: number;
  viewportHeight: number;
  /** Height of the scrolled content: every row's, or MAX_SCROLL_HEIGHT when that is less. */
  scrollHeight: number;
  /** Largest virtual offset (px into the rows): the last row at the bottom of the viewport. */
  maxOffset: number;
  /** Largest scrollTop of the viewport. */
  maxScrollTop: number;
}

export interface RowRange {
  /** First row to render. */
  first: number;
  /** One past the last row to render. */
  last: number;
}

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));

export function listGeometry(
  rowCount: number,
  rowHeight: number,
  viewportHeight: number,
  maxScrollHeight: number = MAX_SCROLL_HEIGHT,
): ListGeometry {
  const total = Math.max(0, rowCount) * rowHeight;
  const scrollHeight = Math.min(total, maxScrollHeight);
  return {
    rowCount: Math.max(0, rowCount),
    rowHeight,
    viewportHeight,
    scrollHeight,
    maxOffset: Math.max(0, total - viewportHeight),
    maxScrollTop: Math.max(0, scrollHeight - viewportHeight),
  };
}

/** Whether scrollTop is scaled (the rows are taller than the scrolled content). */
export function isScaled(g: ListGeometry): boolean {
  return g.maxOffset > g.maxScrollTop;
}

/** The virtual offset a scrollTop stands for (the ends map to the ends). */
export function offsetFromScrollTop(g: ListGeometry, scrollTop: number): number {
  if (g.maxScrollTop === 0) return 0;
  if (!isScaled(g)) return clamp(scrollTop, 0, g.maxOffset);
  return clamp((scrollTop / g.maxScrollTop) * g.maxOffset, 0, g.maxOffset);
}

/** The scrollTop that shows a virtual offset. */
export function scrollTopFromOffset(g: ListGeometry, offset: number): number {
  if (g.maxOffset === 0) return 0;
  if (!isScaled(g)) return clamp(offset, 0, g.maxOffset);
  return (clamp(offset, 0, g.maxOffset) / g.maxOffset) * g.maxScrollTop;
}

export function clampOffset(g: ListGeometry, offset: number): number {
  return clamp(offset, 0, g.maxOffset);
}

/** Rows touching the viewport at `offset`, plus `overscan` rows either side. */
export function visibleRows(g: ListGeometry, offset: number, overscan = 0): RowRange {
  const first = Math.max(0, Math.floor(offset / g.rowHeight) - overscan);
  const last = Math.min(
    g.rowCount,
    Math.ceil((offset + g.viewportHeight) / g.rowHeight) + overscan,
  );
  return { first, last: Math.max(first, last) };
}

/** Rows wholly in the viewport at `offset` (empty when the viewport is shorter than a row). */
export function fullyVisibleRows(g: ListGeometry, offset: number): RowRange {
  const first = Math.ceil(offset / g.rowHeight);
  const last = Math.min(g.rowCount, Math.floor((offset + g.viewportHeight) / g.rowHeight));
  return { first, last: Math.max(first, last) };
}

/**
 * A row's top inside the scrolled content, for the viewport's actual scrollTop: the rows are laid
 * out around the part of the content in view, so a row sits where the offset says it is.
 */
export function rowTop(g: ListGeometry, index: number, offset: number, scrollTop: number): number {
  return scrollTop + index * g.rowHeight - offset;
}

/** The offset that brings a row wholly into view, moving as little as possible. */
export function offsetShowing(g: ListGeometry, index: number, offset: number): number {
  const top = index * g.rowHeight;
  const bottom = top + g.rowHeight;
  if (top < offset) return clampOffset(g, top);
  if (bottom > offset + g.viewportHeight) return clampOffset(g, bottom - g.viewportHeight);
  return clampOffset(g, offset);
}

/** The keys that move a list's focused row, and where each one moves it (undefined: not one). */
export function rowAfterKey(
  key: string,
  focused: number,
  rowCount: number,
  pageRows: number,
): number | undefined {
  const page = Math.max(1, pageRows);
  const moves: Record<string, number> = {
    ArrowDown: focused + 1,
    ArrowUp: focused - 1,
    PageDown: focused + page,
    PageUp: focused - page,
    Home: 0,
    End: rowCount - 1,
  };
  const target = moves[key];
  return target === undefined ? undefined : clamp(target, 0, Math.max(0, rowCount - 1));
}
