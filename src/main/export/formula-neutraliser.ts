// Makes text cells inert for spreadsheets (OWASP "CSV injection"): a cell that starts with a
// character a spreadsheet reads as the start of a formula gets a leading single quote. Numbers
// are written as numbers by the CSV writer and never pass through here, so -2.5 stays -2.5.

/** = + - @ start formulas; tab and CR are stripped by some spreadsheets, exposing what follows. */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

export function neutraliseCell(text: string): string {
  const first = text[0];
  return first !== undefined && FORMULA_START.has(first) ? `'${text}` : text;
}
