// Puts a schema's complaints into one line of words for a BAD_INPUT message or a CLI usage error.
// Which fields failed, as data, is for the caller to add.

import type { z } from 'zod';

/** "theme: Invalid option…; language: …" — each problem named by its field path. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
