import { expect, Page } from '@playwright/test';

// Steps shared by the annotator-mode suites.

/** Opens a project as a first-time user and enters the annotator's name. */
export async function start(page: Page, project: string, name = 'Ada') {
  await page.goto(`./?project=${project}`);
  await expect(page.getByTestId('annotator-prompt')).toBeVisible();
  await page.locator('#annotator-name').fill(name);
  await page.locator('#annotator-name').press('Enter');
  await expect(page.getByTestId('annotator-prompt')).toHaveCount(0);
}

/** Waits until IndexedDB has acknowledged every recorded action. */
export async function saved(page: Page, count?: number) {
  const state = page.getByTestId('save-state');
  await expect(state).toHaveText('All changes saved');
  if (count !== undefined) await expect(state).toHaveAttribute('data-saved', String(count));
}

