// Binds the contract to handlers: validates arguments at the boundary, runs the handler, and
// returns every outcome as data ({ ok, value } or { ok: false, error }) — nothing throws across.

import {
  contract,
  isMethodName,
  type MethodName,
  type Outcome,
  type ParsedArgsOf,
  type ResultOf,
} from '../../shared/contract.ts';
import { toErrorData } from '../../shared/errors.ts';
import { describeIssues } from '../core/schema-issues.ts';

export type Handlers = {
  [M in MethodName]: (args: ParsedArgsOf<M>) => Promise<ResultOf<M>> | ResultOf<M>;
};

export interface Dispatcher {
  invoke(method: unknown, args: unknown): Promise<Outcome<unknown>>;
}

export function createDispatcher(handlers: Handlers): Dispatcher {
  return {
    async invoke(method, args) {
      if (!isMethodName(method)) {
        return {
          ok: false,
          error: { code: 'NOT_FOUND', message: `Unknown method: ${String(method)}` },
        };
      }
      const parsed = contract[method].args.safeParse(args ?? {});
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => i.path.map(String).join('.')).filter(Boolean);
        return {
          ok: false,
          error: {
            code: 'BAD_INPUT',
            message: `Invalid arguments for ${method}: ${describeIssues(parsed.error.issues)}`,
            details: { fields },
          },
        };
      }
      try {
        const handler = handlers[method] as (a: unknown) => Promise<unknown> | unknown;
        return { ok: true, value: await handler(parsed.data) };
      } catch (error) {
        return { ok: false, error: toErrorData(error) };
      }
    },
  };
}
