import { describe, expect, it } from 'vitest';
import { checkImage, matchesImagePattern } from '../../src/services/deploy/image-policy.js';
import { createTestApp } from '../support/test-app.js';
import { like } from '../support/matchers.js';

describe('image policy', () => {
  it('matches globs over registry/path: * within a segment, ** across', () => {
    expect(matchesImagePattern('zot.test/shared/base', 'zot.test/shared/*')).toBe(true);
    expect(matchesImagePattern('zot.test/shared/deep/base', 'zot.test/shared/*')).toBe(false);
    expect(matchesImagePattern('zot.test/shared/deep/base', 'zot.test/shared/**')).toBe(true);
    expect(matchesImagePattern('zot.test/sharedx/base', 'zot.test/shared/*')).toBe(false);
    // Dots are literal, not regular-expression wildcards.
    expect(matchesImagePattern('zotXtest/shared/base', 'zot.test/shared/*')).toBe(false);
  });

  it("accepts the project's own repository by default, and others only when the operator allows them", async () => {
    const strict = await createTestApp({ env: { REGISTRY_URL: 'http://zot.test:5000' } });
    expect(checkImage(strict, 'shop', 'zot.test:5000/threesix/shop:v1')).toMatchObject({ repository: 'threesix/shop' });
    expect(() => checkImage(strict, 'shop', 'zot.test:5000/threesix/blog:v1')).toThrow(/not project "shop"'s own/);
    expect(() => checkImage(strict, 'shop', 'zot.test:5000/shared/base:v1')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', hint: like.stringContaining('THREESIX_ALLOWED_IMAGES') }),
    );
    expect(() => checkImage(strict, 'shop', 'docker.io/library/nginx:latest')).toThrow(/not allowed/);
    const open = await createTestApp({
      env: { REGISTRY_URL: 'http://zot.test:5000', THREESIX_ALLOWED_IMAGES: 'zot.test:5000/shared/*' },
    });
    expect(checkImage(open, 'shop', 'zot.test:5000/shared/base:v1')).toMatchObject({ repository: 'shared/base' });
    // A pattern cannot reach outside REGISTRY_URL: threesix could not verify the digest there.
    const elsewhere = await createTestApp({
      env: { REGISTRY_URL: 'http://zot.test:5000', THREESIX_ALLOWED_IMAGES: 'docker.io/**' },
    });
    expect(() => checkImage(elsewhere, 'shop', 'docker.io/library/nginx:latest')).toThrow(/not allowed/);
  });
});
