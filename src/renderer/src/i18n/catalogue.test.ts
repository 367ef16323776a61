import { describe, expect, it } from 'vitest';
import { CATALOGUES, format, resolveLanguage } from './catalogue.ts';
import { en } from './en.ts';
import { ERROR_CODES } from '../../../shared/errors.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n catalogue', () => {
  it('has every English key in every language, non-empty, with the same placeholders', () => {
    for (const [language, catalogue] of Object.entries(CATALOGUES)) {
      expect(Object.keys(catalogue).sort(), language).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(catalogue)) {
        expect(text.trim(), `${language} ${key}`).not.toBe('');
        expect(placeholders(text), `${language} ${key}`).toEqual(
          placeholders(en[key as keyof typeof en]),
        );
      }
    }
  });

  it('has a plain-words message for every error code', () => {
    for (const code of ERROR_CODES) {
      expect(Object.keys(en)).toContain(`error.code.${code}`);
    }
  });

  it('follows a Chinese OS locale when the setting is "system"', () => {
    expect(resolveLanguage('system', 'zh-CN')).toBe('zh-CN');
    expect(resolveLanguage('system', 'zh-Hans-CN')).toBe('zh-CN');
    expect(resolveLanguage('system', 'en-US')).toBe('en');
    expect(resolveLanguage('en', 'zh-CN')).toBe('en');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format('en', 'status.version', { version: '1.2.3' })).toBe('Version 1.2.3');
    expect(format('zh-CN', 'status.version', {})).toBe('版本 {version}');
  });
});
