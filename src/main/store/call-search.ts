// Searches the archive: text (channel name substring, call id, uid; FTS5 trigram from 3 characters,
// a scan for shorter text),
// exact channel name, uid, time range, finished, platform, has issues, archive state; keyset-paged,
// newest or oldest first.

import type { CallSearchResult, ParsedCallSearchQuery } from '../../shared/archive-types.ts';
import { AppError } from '../../shared/errors.ts';
import type { CallRow } from './call-archive-store.ts';
import { toSummary } from './call-archive-store.ts';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.ts';

export interface CallSearch {
  search(query: ParsedCallSearchQuery): CallSearchResult;
}

/**
 * The trigram tokenizer needs 3 characters; shorter text ("三年", "g3") is matched as a substring
 * of the name by a scan (instr), or as an exact call id or uid.
 */
const TRIGRAM = 3;

/** An FTS5 phrase: the text in double quotes, inner quotes doubled (no operators run). */
export function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function encodeCursor(createdTs: number, id: number): string {
  return `${createdTs}.${id}`;
}

function decodeCursor(cursor: string): [number, number] {
  const m = /^(\d{1,12})\.(\d{1,15})$/.exec(cursor);
  if (m === null)
    throw new AppError(
      'BAD_INPUT',
      'This page cursor is not valid: start again from the first page.',
    );
  return [Number(m[1]), Number(m[2])];
}

export function createCallSearch(db: Db): CallSearch {
  // One prepared statement per combination of filters, created on first use and kept.
  const statements = new Map<string, Statement<unknown[]>>();
  const prepared = (sql: string): Statement<unknown[]> => {
    let stmt = statements.get(sql);
    if (stmt === undefined) {
      stmt = db.prepare<unknown[]>(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };

  return {
    search(q) {
      const where: string[] = [];
      const params: unknown[] = [];
      const text = q.query?.trim() ?? '';
      const short = text !== '' && [...text].length < TRIGRAM;
      if (q.appid !== undefined) {
        // Short text is matched by reading every name: a plain scan of the table beats walking
        // an App ID index (and a lookup per row), unless a time range narrows the walk.
        const scan = short && q.fromTs === undefined && q.toTs === undefined;
        where.push(scan ? '+c.appid = ?' : 'c.appid = ?');
        params.push(q.appid);
      }
      if (q.fromTs !== undefined) {
        where.push('c.created_ts >= ?');
        params.push(q.fromTs);
      }
      if (q.toTs !== undefined) {
        where.push('c.created_ts <= ?');
        params.push(q.toTs);
      }
      if (q.finished !== undefined) {
        where.push('c.finished = ?');
        params.push(q.finished ? 1 : 0);
      }
      if (q.hasIssues !== undefined)
        where.push(q.hasIssues ? 'c.issue_count > 0' : 'c.issue_count = 0');
      if (q.archive !== undefined) {
        where.push('c.archive = ?');
        params.push(q.archive);
      }
      if (q.cname !== undefined) {
        where.push('c.cname = ?');
        params.push(q.cname);
      }
      if (q.callId !== undefined) {
        where.push('c.call_id = ?');
        params.push(q.callId);
      }
      if (q.uid !== undefined) {
        where.push('c.id IN (SELECT call_rowid FROM call_users WHERE uid = ?)');
        params.push(q.uid);
      }
      if (q.platform !== undefined) {
        where.push('c.id IN (SELECT call_rowid FROM call_users WHERE platform = ?)');
        params.push(q.platform);
      }
      if (text !== '') {
        if (!short) {
          where.push('c.id IN (SELECT rowid FROM call_search WHERE call_search MATCH ?)');
          params.push(ftsPhrase(text));
        } else {
          // LIKE folds ASCII case, as the trigram index does for longer text.
          const clauses = ["c.cname LIKE ? ESCAPE '\\'", 'c.call_id = ?'];
          params.push(`%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`, text);
          if (/^\d+$/.test(text)) {
            clauses.push('c.id IN (SELECT call_rowid FROM call_users WHERE uid = ?)');
            params.push(Number(text));
          }
          where.push(`(${clauses.join(' OR ')})`);
        }
      }
      const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const offset = q.cursor === undefined ? (q.offset ?? 0) : 0;
      const total =
        q.cursor === undefined && offset === 0
          ? (
              prepared(`SELECT COUNT(*) AS n FROM calls c ${filter}`).get(...params) as {
                n: number;
              }
            ).n
          : null;

      const newest = q.sort === 'newest';
      const page = [...where];
      const pageParams = [...params];
      if (q.cursor !== undefined) {
        const [ts, id] = decodeCursor(q.cursor);
        page.push(newest ? '(c.created_ts, c.id) < (?, ?)' : '(c.created_ts, c.id) > (?, ?)');
        pageParams.push(ts, id);
      }
      const dir = newest ? 'DESC' : 'ASC';
      const sql =
        `SELECT c.* FROM calls c ${page.length > 0 ? `WHERE ${page.join(' AND ')}` : ''} ` +
        `ORDER BY c.created_ts ${dir}, c.id ${dir} LIMIT ? OFFSET ?`;
      const rows = prepared(sql).all(...pageParams, q.limit + 1, offset) as CallRow[];
      const more = rows.length > q.limit;
      const shown = more ? rows.slice(0, q.limit) : rows;
      const last = shown[shown.length - 1];
      return {
        calls: shown.map(toSummary),
        total,
        nextCursor: more && last !== undefined ? encodeCursor(last.created_ts, last.id) : null,
      };
    },
  };
}
