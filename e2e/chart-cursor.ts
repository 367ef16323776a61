// Where a call's charts show their cursor, asserted from what uPlot itself shows.

import { expect, type Locator } from '@playwright/test';
import { metricInfo } from '../src/shared/metrics.ts';

/**
 * The charts' cursor is at the issue's start: the time under uPlot's own cursor (read back from
 * the plot) in the detail's cursor line and on the issue's chart, whose legend (uPlot writes it
 * from the data point under its cursor) shows the issue's start time. The other charts follow
 * through the cursor sync (a chart whose data start later has no cursor to show).
 */
export async function expectCursorAt(detail: Locator, issue: Locator): Promise<void> {
  const fromTs = (await issue.getAttribute('data-from-ts'))!;
  // The issue's title is "start–end" in the charts' time format (hh:mm:ss).
  const startLabel = (await issue.getAttribute('title'))!.split('–')[0]!;
  const group = metricInfo(Number(await issue.getAttribute('data-mid')))!.group;
  await expect(detail.getByTestId('cursor-time')).toHaveAttribute('data-cursor-ts', fromTs);
  const own = detail.getByTestId(`chart-${group}`);
  await expect(own).toHaveAttribute('data-cursor-ts', fromTs);
  await expect(own.locator('.u-legend .u-series').first().locator('.u-value')).toHaveText(
    startLabel,
  );
  for (const chart of await detail.locator('figure[data-testid^="chart-"]').all()) {
    const at = await chart.getAttribute('data-cursor-ts');
    if (at !== null) expect(at).toBe(fromTs);
  }
}
