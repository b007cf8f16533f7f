/**
 * Output schemas of a project's usage history, shared by get_project (summary) and kept in step
 * with services/usage/usage-summary.service.ts.
 */
import { z } from 'zod';

const avgPeak = (unit: string) => z.object({ avg: z.number(), peak: z.number() }).describe(unit);

const usageWindow = z
  .object({
    samples: z.number(),
    cpuMillicores: avgPeak('CPU in millicores, summed over its pods'),
    memoryBytes: avgPeak('Memory working set in bytes, summed over its pods'),
    restarts: z.object({ latest: z.number(), added: z.number() }).describe('Container restarts now, and how many happened within the window'),
  })
  .nullable();

export const usageSummarySchema = z.object({
  sampleSeconds: z.number(),
  latestMinute: z.string().nullable().describe('Start of the minute of the latest sample'),
  lastHour: usageWindow,
  lastDay: usageWindow,
});
