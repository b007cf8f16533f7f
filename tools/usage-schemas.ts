/**
 * Output schemas of a project's usage history, shared by get_project (summary) and kept in step
 * with services/usage/usage-summary.service.ts.
 */
import { z } from 'zod';

const avgPeak = (unit: string) => z.object({ avg: z.number(), peak: z.number() }).describe(unit);

const usageWindow = z
  .object({
    samples: z.number(),
    cpuMillicores: avgPeak('Summed over pods'),
    memoryBytes: avgPeak('Working set, summed over pods'),
    restarts: z.object({ latest: z.number(), added: z.number().describe('Within the window') }),
  })
  .nullable();

export const usageSummarySchema = z.object({
  sampleSeconds: z.number(),
  latestMinute: z.string().nullable().describe('Of the latest sample'),
  lastHour: usageWindow,
  lastDay: usageWindow,
});
