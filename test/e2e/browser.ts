import { chromium, type Browser } from 'playwright-core';

/** Debian's headless Chromium as the e2e tests drive it (as root, no GPU, small /dev/shm). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}
