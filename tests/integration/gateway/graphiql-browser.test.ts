import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { createGateway, type Gateway } from '../../../src/gateway.js';

const executablePath = '/usr/bin/chromium';
const haveChromium = existsSync(executablePath);
// In CI the browser is installed by .ci/run, so a missing one is a failure there, never a silent skip.
const runBrowserTest = haveChromium || process.env.CI === 'true';
if (!runBrowserTest) {
  console.warn(`GraphiQL browser test skipped: ${executablePath} not found (install Debian's "chromium" package to run it).`);
}

describe.runIf(runBrowserTest)('GraphiQL in headless Chromium', () => {
  let gateway: Gateway;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    gateway = createGateway(loadConfig({ env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' } }));
    url = (await gateway.start()).url;
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  it('should load without any off-machine request and show demo data when the example query runs', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    page.on('request', (request) => {
      const target = new URL(request.url());
      if (!['127.0.0.1', 'localhost'].includes(target.hostname) && !['blob:', 'data:'].includes(target.protocol)) {
        foreign.push(request.url());
      }
    });
    await page.goto(url, { waitUntil: 'load' });
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ state: 'visible', timeout: 30_000 });
    // The first example tab is the dashboard query; running it must show the emulator's demo apps.
    await run.click();
    await page.waitForFunction(() => document.querySelector('.graphiql-response')?.textContent?.includes('demo-'), undefined, {
      timeout: 30_000,
    });
    const response = (await page.locator('.graphiql-response').textContent()) ?? '';
    expect(response).toContain('"apps"');
    expect(response).toMatch(/demo-[a-z]+/);
    await page.screenshot({ path: '.tmp/graphiql.png' }).catch(() => undefined);
    expect(foreign).toEqual([]);
    await page.close();
  }, 90_000);
});
