import { test, expect } from '@playwright/test';

test('the concord-qa package loads in a plain page and computes', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/fixtures/embed-smoke.html');
  await expect(page.locator('#result')).not.toHaveText('loading');
  const out = JSON.parse(await page.locator('#result').textContent() ?? '{}');
  expect(out.version).toMatch(/^\d+\.\d+\.\d+$/);
  // Two annotators agree on item 1, not on item 2: p_o = 0.5, p_e = (1/2·1)+(1/2·0) = 0.5 → kappa 0.
  expect(out.kappa).toBe(0);
  expect(out.violations).toBe(1);
  expect(out.error).toBe('records: no annotations');
  expect(errors).toEqual([]);
});
