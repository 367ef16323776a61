// Parses the API's JSON with exactly one allowance: a trailing comma before } or ] (the vendor's
// own feedback example has one). Anything else that is not JSON is refused.

/** Removes commas that are followed (after whitespace) by } or ], outside strings. */
export function stripTrailingCommas(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += text[i + 1] ?? '';
        i++;
      } else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    if (ch === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      // Only a comma that ends a value: "{,}" or "[1,,]" stay invalid.
      const before = out.trimEnd().at(-1);
      const endsValue = before !== undefined && before !== '{' && before !== '[' && before !== ',';
      if (endsValue && (text[j] === '}' || text[j] === ']')) continue;
    }
    out += ch;
  }
  return out;
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
