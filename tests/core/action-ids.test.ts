import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction } from '../../src/core/action-ids.ts';

const SECRET = 'tenant-secret-0123456789';

describe('action ids', () => {
  it('round-trips kind and fields, and stays within Discord’s 100 characters', () => {
    const id = encodeAction(SECRET, 'discord:1', 'a', ['k3v9x2m1qa5', 19, 'B']);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(decodeAction(SECRET, 'discord:1', id, 'anyone')).toEqual({ ok: true, kind: 'a', fields: ['k3v9x2m1qa5', '19', 'B'], ownedByClicker: false });
  });

  it('binds a button to one member: others are told it is someone else’s', () => {
    const id = encodeAction(SECRET, 't', 's', ['sid', 0, 6, 'C'], 'alice');
    expect(decodeAction(SECRET, 't', id, 'alice')).toMatchObject({ ok: true, ownedByClicker: true });
    expect(decodeAction(SECRET, 't', id, 'bob')).toEqual({ ok: false, reason: 'someone-else' });
  });

  it('rejects a forged or edited id, and an id moved to another tenant', () => {
    const id = encodeAction(SECRET, 't', 'a', ['sid', 0, 'B']);
    const edited = id.replace('.B.', '.C.');
    expect(decodeAction(SECRET, 't', edited, 'alice')).toEqual({ ok: false, reason: 'forged' });
    expect(decodeAction(SECRET, 'other-tenant', id, 'alice')).toEqual({ ok: false, reason: 'forged' });
    expect(decodeAction('another-secret-xxxxxxxx', 't', id, 'alice')).toEqual({ ok: false, reason: 'forged' });
    const lastChar = id.at(-1) === 'A' ? 'B' : 'A';
    expect(decodeAction(SECRET, 't', id.slice(0, -1) + lastChar, 'alice')).toEqual({ ok: false, reason: 'forged' });
  });

  it('recognises old versions and garbage', () => {
    const id = encodeAction(SECRET, 't', 'a', ['sid', 0, 'B']);
    expect(decodeAction(SECRET, 't', `0${id.slice(1)}`, 'alice')).toEqual({ ok: false, reason: 'old-version' });
    for (const junk of ['', 'hello', '1.a', '1.a.<script>.x.-.mac', 'x'.repeat(101), '1..a.b.-.c']) {
      expect(decodeAction(SECRET, 't', junk, 'alice')).toMatchObject({ ok: false });
    }
  });

  it('refuses to make ids that would break the format or the length limit', () => {
    expect(() => encodeAction(SECRET, 't', 'a', ['has.dot'])).toThrow(/characters/);
    expect(() => encodeAction(SECRET, 't', 'a', ['x'.repeat(90)])).toThrow(/limit is 100/);
  });
});
