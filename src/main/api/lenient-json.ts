// Parses the API's JSON with exactly one allowance: a trailing comma before } or ] (the vendor's
// own feedback example has one). Anything else that is not JSON is refused.

const WHITESPACE = /\s/;

/**
 * Removes commas that are followed (after whitespace) by } or ], outside strings. Linear in the
 * text's length: it remembers the last significant character kept instead of looking back, and
 * copies the text between dropped commas in slices (a multi-megabyte cut-off body must not stall
 * the main process).
 */
export function stripTrailingCommas(text: string): string {
  const kept: string[] = [];
  let from = 0; // start of the slice not yet copied to `kept`
  let inString = false;
  /** The last character outside whitespace that stays in the output (strings end in '"'). */
  let last: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') {
        inString = false;
        last = '"';
      }
      continue;
    }
    if (ch === '"') {
      inString = true;
      continue;
    }
    if (ch === ',') {
      // Only a comma that ends a value: "{,}" or "[1,,]" stay invalid.
      const endsValue = last !== undefined && last !== '{' && last !== '[' && last !== ',';
      if (endsValue) {
        let j = i + 1;
        while (j < text.length && WHITESPACE.test(text[j]!)) j++;
        if (text[j] === '}' || text[j] === ']') {
          kept.push(text.slice(from, i));
          from = i + 1;
          continue; // dropped: `last` stays the value the comma followed
        }
      }
    }
    if (!WHITESPACE.test(ch)) last = ch;
  }
  if (from === 0) return text;
  kept.push(text.slice(from));
  return kept.join('');
}

/** JSON.parse, retried once without trailing commas; throws SyntaxError otherwise. */
export function parseLenientJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const repaired = stripTrailingCommas(text);
    if (repaired === text) throw error;
    return JSON.parse(repaired);
  }
}
