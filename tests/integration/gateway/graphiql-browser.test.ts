import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { exampleTabs } from '../../../src/api/http/examples.js';
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

  it('should open each example when its tab is clicked with the mouse', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url, { waitUntil: 'load' });
    await page.locator('.graphiql-execute-button').waitFor({ state: 'visible', timeout: 30_000 });
    const tabs = page.locator('.graphiql-tab');
    expect(await tabs.count()).toBe(exampleTabs.length);
    // Last to first, so every tab is left from another one, the first included.
    for (let i = exampleTabs.length - 1; i >= 0; i--) {
      // Real pointer events at the tab's drawn place: a script's element.click() skips the press that once moved it.
      const box = await tabs.nth(i).boundingBox();
      if (!box) throw new Error(`tab ${i} is not drawn`);
      await page.mouse.click(box.x + box.width / 3, box.y + box.height / 2);
      await expect.poll(() => tabs.nth(i).getAttribute('aria-selected'), { timeout: 5_000 }).toBe('true');
      await expect.poll(() => editorText(page), { timeout: 5_000 }).toContain(operationLine(exampleTabs[i].query));
    }
    await page.close();
  }, 90_000);
});

/** The operation editor's visible text, with Monaco's non-breaking spaces made plain. */
function editorText(page: Page): Promise<string> {
  return page.evaluate(() => (document.querySelector('.graphiql-query-editor')?.textContent ?? '').replace(/\u00a0/g, ' '));
}

/** `query Dashboard`, `mutation Restart(…`: the line that names an example's operation. */
function operationLine(query: string): string {
  const match = /^(query|mutation|subscription) \w+/m.exec(query);
  if (!match) throw new Error(`example without a named operation: ${query.slice(0, 40)}`);
  return match[0];
}
