import { describe, expect, it } from 'vitest';
import { hasControlCharacters } from '../../src/domain/control-characters.js';

describe('hasControlCharacters', () => {
  it.each([
    ['plain text', 'A small web app — ünïcode too', false, false],
    ['NUL', 'a\u0000b', true, true],
    ['escape (terminal sequences)', 'red \u001b[31m', true, true],
    ['DEL', 'a\u007fb', true, true],
    ['carriage return', 'a\rb', true, true],
    ['tab', 'a\tb', true, false],
    ['line feed', 'first\nsecond', true, false],
    ['space and tilde (the printable edges)', ' ~', false, false],
  ])('%s: single-line %s, multiline %s', (_label, text, singleLine, multiline) => {
    expect(hasControlCharacters(text)).toBe(singleLine);
    expect(hasControlCharacters(text, true)).toBe(multiline);
  });
});
