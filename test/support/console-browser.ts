import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';

const ROOT = join(__dirname, '..', '..');
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'console');

/**
 * The api serves dist/console; a test run without `npm run build` builds it once here (vite, a
 * couple of seconds) so `npm test` does not depend on the order of commands. Parallel test files
 * may both find it missing: each builds into its own folder and the first rename wins.
 */
export function ensureConsoleBuilt(): void {
  const target = join(ROOT, 'dist', 'console');
  if (existsSync(join(target, 'index.html'))) return;
  const scratch = join(ROOT, 'dist', `console-build-${process.pid}`);
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'console/vite.config.mts',
      '--outDir',
      scratch,
      '--logLevel',
      'error',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    },
  );
  try {
    renameSync(scratch, target);
  } catch {
    // Another test file's build got there first.
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Debian's Chromium (apt-get install chromium), headless; CHROMIUM_PATH overrides the binary. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Every console error and uncaught page error seen so far: a test expects it empty. */
  errors: string[];
}

/** A fresh laptop-sized tab (own sessionStorage) that records console errors. */
export async function openConsole(browser: Browser, baseUrl: string): Promise<ConsolePage> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 800 },
    baseURL: baseUrl,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  page.setDefaultTimeout(15_000);
  return { context, page, errors };
}

/** Signs in through the login form and waits for the shell. */
export async function signIn(
  page: Page,
  brandSlug: string,
  email: string,
  password: string,
): Promise<void> {
  await page.goto('/console/');
  await page.getByLabel('Brand').fill(brandSlug);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
