// The Calls screen's search: filters, and a paged window over the archive's matches for a virtual
// list. Pages are fetched on demand (keyset cursor when reading on, offset when jumping), never
// all at once; a new query drops them. The list scrolls through every match, however many
// (CallList scales its scroll position past what one element's height can hold).

import type { CallSearchQuery, CallSummary } from '../../../shared/archive-types.ts';
import type { ErrorData } from '../../../shared/errors.ts';
import { crystal } from './crystal.ts';
import { fromLocalInput } from './time-format.ts';

export const PAGE_SIZE = 200;

export const RANGE_PRESETS = ['1h', '24h', '3d', '7d', 'all', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
const PRESET_SECONDS: Record<Exclude<RangePreset, 'all' | 'custom'>, number> = {
  '1h': 3600,
  '24h': 24 * 3600,
  '3d': 3 * 24 * 3600,
  '7d': 7 * 24 * 3600,
};

export type TriState = 'any' | 'yes' | 'no';

export interface CallFilters {
  text: string;
  /** Exact channel name ('' = any). */
  cname: string;
  /** A uid as typed ('' = any; not a valid uid = ignored, see parseUid). */
  uid: string;
  range: RangePreset;
  /** datetime-local values, used with range 'custom'. */
  customFrom: string;
  customTo: string;
  finished: TriState;
  platform: string;
  hasIssues: TriState;
  sort: 'newest' | 'oldest';
}

export const DEFAULT_FILTERS: CallFilters = {
  text: '',
  cname: '',
  uid: '',
  range: 'all',
  customFrom: '',
  customTo: '',
  finished: 'any',
  platform: '',
  hasIssues: 'any',
  sort: 'newest',
};

/** The time span of a filter set at `nowSec` (null ends are open). */
export function rangeOf(f: CallFilters, nowSec: number): { fromTs?: number; toTs?: number } {
  if (f.range === 'all') return {};
  if (f.range === 'custom') {
    const from = fromLocalInput(f.customFrom);
    const to = fromLocalInput(f.customTo);
    return { ...(from === null ? {} : { fromTs: from }), ...(to === null ? {} : { toTs: to }) };
  }
  return { fromTs: nowSec - PRESET_SECONDS[f.range], toTs: nowSec };
}

/** uids are unsigned 32-bit integers. */
export const MAX_UID = 4_294_967_295;

/** The uid a filter field holds: a number, null when empty, or 'invalid'. */
export function parseUid(text: string): number | null | 'invalid' {
  const v = text.trim();
  if (v === '') return null;
  if (!/^\d{1,10}$/.test(v)) return 'invalid';
  const n = Number(v);
  return n <= MAX_UID ? n : 'invalid';
}

const tri = (v: TriState): boolean | undefined => (v === 'any' ? undefined : v === 'yes');

export function toQuery(f: CallFilters, nowSec: number): CallSearchQuery {
  const text = f.text.trim();
  const finished = tri(f.finished);
  const hasIssues = tri(f.hasIssues);
  const cname = f.cname.trim();
  const uid = parseUid(f.uid);
  return {
    ...(text === '' ? {} : { query: text }),
    ...(cname === '' ? {} : { cname }),
    ...(typeof uid === 'number' ? { uid } : {}),
    ...rangeOf(f, nowSec),
    ...(finished === undefined ? {} : { finished }),
    ...(hasIssues === undefined ? {} : { hasIssues }),
    ...(f.platform === '' ? {} : { platform: f.platform }),
    sort: f.sort,
  };
}

class CallSearchState {
  filters = $state<CallFilters>({ ...DEFAULT_FILTERS });
  /** Matches of the current query (from the first page), or null before it arrived. */
  total = $state<number | null>(null);
  loading = $state(false);
  error = $state<ErrorData | null>(null);
  /** Bumped when a page arrives, so rows re-read the page cache. */
  version = $state(0);
  /** The call open in the detail view, or null (the list). */
  openCallId = $state<string | null>(null);
  /** The list's scroll position (px into the rows) and focused row, kept while a call is open. */
  scrollOffset = 0;
  focusedRow = 0;
  /** Set when leaving a call, so the list focuses the row it was opened from. */
  returnFocus = false;

  rowCount = $derived(this.total ?? 0);

  #query: CallSearchQuery = {};
  #generation = 0;
  #pages = new Map<number, CallSummary[]>();
  #cursors = new Map<number, string | null>();
  #pending = new Set<number>();

  /** Runs the current filters from the first page (call after changing filters). */
  async run(): Promise<void> {
    this.#query = toQuery(this.filters, Math.floor(Date.now() / 1000));
    this.#generation++;
    this.#pages.clear();
    this.#cursors.clear();
    this.#pending.clear();
    this.scrollOffset = 0;
    this.focusedRow = 0;
    this.loading = true;
    this.error = null;
    await this.#fetch(0, this.#generation);
    this.loading = false;
  }

  /** Re-reads the current query (new data arrived), keeping the filters' time span as chosen. */
  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    const keep = this.#pages.size;
    this.#pages.clear();
    this.#cursors.clear();
    this.#pending.clear();
    await this.#fetch(0, generation);
    if (keep > 1) this.version++;
  }

  /** The call at a row, or undefined while its page loads (the request is started here). */
  row(index: number): CallSummary | undefined {
    const page = Math.floor(index / PAGE_SIZE);
    const rows = this.#pages.get(page);
    if (rows === undefined) {
      void this.#fetch(page, this.#generation);
      return undefined;
    }
    return rows[index - page * PAGE_SIZE];
  }

  async #fetch(page: number, generation: number): Promise<void> {
    if (this.#pending.has(page) || this.#pages.has(page)) return;
    this.#pending.add(page);
    const cursor = page > 0 ? this.#cursors.get(page - 1) : undefined;
    const result = await crystal.calls.search({
      ...this.#query,
      limit: PAGE_SIZE,
      ...(typeof cursor === 'string' ? { cursor } : page > 0 ? { offset: page * PAGE_SIZE } : {}),
    });
    if (generation !== this.#generation) return;
    this.#pending.delete(page);
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    this.error = null;
    this.#pages.set(page, result.value.calls);
    this.#cursors.set(page, result.value.nextCursor);
    if (page === 0) this.total = result.value.total ?? result.value.calls.length;
    this.version++;
  }
}

export const callSearch = new CallSearchState();
