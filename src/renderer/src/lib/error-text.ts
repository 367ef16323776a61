// An error as one sentence in the UI language, from its code (the closed set); codes outside the
// set (e.g. a stored job's error) read as unexpected errors with their message.

import { isErrorCode } from '../../../shared/errors.ts';
import { t } from '../i18n/i18n.svelte.ts';
import { formatDateTimeMs } from './time-format.ts';

export function errorText(error: { code: string; message: string; retryAt?: number }): string {
  const code = isErrorCode(error.code) ? error.code : 'INTERNAL';
  return t(`error.code.${code}`, {
    message: error.message,
    retryAt: error.retryAt ? formatDateTimeMs(error.retryAt) : t('error.retryAt.later'),
  });
}
