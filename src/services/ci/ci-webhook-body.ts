/**
 * @module services/ci/ci-webhook-body
 * The notify step's body, validated strictly. The image is never taken from it: a body that names
 * one (image, images, digest, registry) is refused outright, so a tampered pipeline shows in the
 * audit log instead of being silently ignored.
 */
import { z } from 'zod';
import { COMMIT_SHA } from '../../domain/ci-deploy.js';
import { PROJECT_NAME_PATTERN } from '../../domain/project-name.js';

export const FOREIGN_IMAGE_KEYS = ['image', 'images', 'digest', 'registry', 'tag'];

export const CiWebhookBody = z
  .object({
    project: z.string().regex(PROJECT_NAME_PATTERN).optional(),
    repo: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/)
      .optional(),
    repo_id: z.union([z.string().regex(/^\d{1,18}$/), z.number().int().positive()]).optional(),
    sha: z.string().regex(COMMIT_SHA),
    branch: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^\s\0]+$/),
    pipeline: z.number().int().positive(),
    pipeline_url: z.url({ protocol: /^https?$/ }).max(2048),
    /**
     * `failure` from the pipeline's report-failure step: record the failed build, deploy nothing. Absent: a deploy
     * request.
     */
    status: z.enum(['success', 'failure']).optional(),
  })
  .strict()
  .refine((body) => body.project !== undefined || body.repo !== undefined, { message: 'project or repo is required' });

export type CiWebhookBody = z.infer<typeof CiWebhookBody>;
