import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../src/core/text-command.ts';

describe('parseCommandText', () => {
  it('splits key:value options and free words', () => {
    expect(parseCommandText('/quiz count:3 domain:4')).toEqual({
      name: 'quiz',
      tokens: [
        { raw: 'count:3', key: 'count', value: '3' },
        { raw: 'domain:4', key: 'domain', value: '4' },
      ],
    });
    expect(parseCommandText('  /Ask   what is   skew?')?.tokens.map((t) => t.raw)).toEqual(['what', 'is', 'skew?']);
  });

  it('keeps quoted values and quoted free text together', () => {
    expect(parseCommandText('/settings timezone:"America/Mexico_City"')?.tokens).toEqual([
      { raw: 'timezone:America/Mexico_City', key: 'timezone', value: 'America/Mexico_City' },
    ]);
    expect(parseCommandText('/ask "why not TPUs?"')?.tokens).toEqual([{ raw: 'why not TPUs?', value: 'why not TPUs?' }]);
  });

  it('treats times and URLs as values, not options', () => {
    expect(parseCommandText('/daily time:07:30')?.tokens[0]).toEqual({ raw: 'time:07:30', key: 'time', value: '07:30' });
    expect(parseCommandText('/ask see https://cloud.google.com')?.tokens[1]).toEqual({ raw: 'https://cloud.google.com', value: 'https://cloud.google.com' });
    expect(parseCommandText('/ask at 12:30')?.tokens[1]).toEqual({ raw: '12:30', value: '12:30' });
  });

  it('returns undefined for text that is not a command', () => {
    expect(parseCommandText('quiz count:3')).toBeUndefined();
    expect(parseCommandText('/')).toBeUndefined();
    expect(parseCommandText('')).toBeUndefined();
  });
});
