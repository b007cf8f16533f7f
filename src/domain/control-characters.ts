/**
 * @module domain/control-characters
 * Free text threesix passes on (repository descriptions) must be plain text: a control character
 * (C0 or DEL) can rewrite a terminal or a log line. Tab and line feed are allowed where the text
 * may span lines.
 */

const TAB = 0x09;
const LINE_FEED = 0x0a;

/** Whether `text` holds a control character; `multiline` lets tab and line feed through. */
export function hasControlCharacters(text: string, multiline = false): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (multiline && (code === TAB || code === LINE_FEED)) continue;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
