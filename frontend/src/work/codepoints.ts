/** Text anchors count Unicode code points, as Python's `str` indexes a text, so that a consumer of the data slices
 * exactly the passage the note was anchored to. The browser's strings count UTF-16 code units (an emoji or a CJK
 * extension character is two), so offsets are converted at the edges. */

/** Code points in `text`. */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The UTF-16 index at which code point `points` of `text` starts (the text's length past its end). */
export function utf16Index(text: string, points: number): number {
  let i = 0;
  for (let n = 0; n < points && i < text.length; n++) {
    const unit = text.charCodeAt(i);
    const pair = unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    i += pair ? 2 : 1;
  }
  return i;
}

/** `text` sliced by code points, as Python's `text[start:end]`. */
export function sliceCodePoints(text: string, start: number, end?: number): string {
  const from = utf16Index(text, start);
  return end === undefined ? text.slice(from) : text.slice(from, utf16Index(text, end));
}
