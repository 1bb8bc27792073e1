import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#src/config/load-config.js';
import { exampleTabs } from '#src/api/http/examples.js';
import { createGateway, type Gateway } from '#src/gateway.js';

const executablePath = '/usr/bin/chromium';
/** Where screenshots of each example's answer go, to look at after a run (outside the repository when set). */
const screens = process.env.GRAPHIQL_SCREENS_DIR ?? '.tmp/graphiql-screens';
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
    // No random demo activity: the examples run against machines that stay as the page found them.
    const env = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', EMULATOR_ACTIVITY_MS: '3600000' };
    gateway = createGateway(loadConfig({ env }));
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
    const examples = exampleTabs();
    expect(await tabs.count()).toBe(examples.length);
    // Last to first, so every tab is left from another one, the first included.
    for (let i = examples.length - 1; i >= 0; i--) {
      // Real pointer events at the tab's drawn place: a script's element.click() skips the press that once moved it.
      // With many examples the tab bar scrolls sideways, as a person scrolls it to reach a tab.
      await tabs.nth(i).scrollIntoViewIfNeeded();
      const box = await tabs.nth(i).boundingBox();
      if (!box) throw new Error(`tab ${i} is not drawn`);
      await page.mouse.click(box.x + box.width / 3, box.y + box.height / 2);
      await expect.poll(() => tabs.nth(i).getAttribute('aria-selected'), { timeout: 5_000 }).toBe('true');
      await expect.poll(() => editorText(page), { timeout: 5_000 }).toContain(operationLine(examples[i].query));
    }
    await page.close();
  }, 90_000);

  it('should run every example against the demo, each opened with the mouse, when the page is used as shipped', async () => {
    mkdirSync(screens, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url, { waitUntil: 'load' });
    await page.locator('.graphiql-execute-button').waitFor({ state: 'visible', timeout: 30_000 });
    const names = exampleTabs().map((tab) => operationLine(tab.query).split(' ')[1]);
    const open = async (name: string) => {
      // locator.click() presses and releases the mouse at the tab's place, as a user does.
      await page.locator('.graphiql-tab').nth(names.indexOf(name)).click();
      await expect.poll(() => editorText(page), { timeout: 5_000 }).toContain(` ${name}`);
      // GraphiQL learns the tab's operation name a moment after showing it (a press sooner runs the old name).
      await page.waitForTimeout(1_000);
    };
    const answer = async (name: string, answered: RegExp, { stop = false } = {}) => {
      await expect.poll(() => responseText(page), { timeout: 45_000 }).toMatch(answered);
      // A subscription runs until stopped: the same button stops it, so the next tab starts clean.
      if (stop) await page.locator('.graphiql-execute-button').click();
      await page.screenshot({ path: `${screens}/${String(names.indexOf(name) + 1).padStart(2, '0')}-${name}.png` });
    };
    const run = async (name: string, answered: RegExp, options: { stop?: boolean } = {}) => {
      await open(name);
      await page.locator('.graphiql-execute-button').click();
      await answer(name, answered, options);
    };

    await run('Dashboard', /"name": "demo-[a-z]+"/);
    await run('Restart', /"__typename": "RestartMachineSuccess"[\s\S]*"reached": true/);
    // The machine Restart just brought back runs `uname -a`.
    await run('Exec', /"__typename": "ExecMachineSuccess"[\s\S]*"stdout": "Linux /);
    // The nonce from the wire: the response pane wraps long lines.
    const leaseAnswer = page.waitForResponse((response) => response.request().postData()?.includes('acquireMachineLease') ?? false);
    await run('Lease', /"__typename": "AcquireMachineLeaseSuccess"/);
    const nonce = ((await (await leaseAnswer).json()) as { data: { acquireMachineLease: { nonce: string } } }).data.acquireMachineLease
      .nonce;
    expect(nonce).toMatch(/\w/);
    // The one input a user must give: the nonce is proof of holding the lease, so no page can know it in advance.
    await open('ReleaseLease');
    const served = JSON.parse(await variablesText(page)) as Record<string, string>;
    expect(served.nonce).toMatch(/paste/);
    await replaceVariables(page, JSON.stringify({ ...served, nonce }));
    await run('ReleaseLease', /"__typename": "ReleaseMachineLeaseSuccess"/);

    await open('Watch');
    await page.locator('.graphiql-execute-button').click();
    // The first event: the demo's stopped machine starts (what the activity loop would do a few seconds later).
    const stopped = gateway.emulator!.control.listMachines('demo-web').find((m) => m.state === 'stopped')!;
    await page.waitForTimeout(1_000);
    gateway.emulator!.control.setMachineState('demo-web', stopped.id, 'started');
    await answer('Watch', new RegExp(`"machineId": "${stopped.id}"`), { stop: true });

    await run('Deploy', /"__typename": "DeployAppSuccess"/);
    // As the Deploy example says: a reload serves DeployProgress with the deployment just started.
    await page.reload({ waitUntil: 'load' });
    await page.locator('.graphiql-execute-button').waitFor({ state: 'visible', timeout: 30_000 });
    await run('DeployProgress', /"status": "SUCCEEDED"/);
    await run('LiveDashboard', /"name": "demo-[a-z]+"/, { stop: true });
    await run('Metrics', /"__typename": "AppMetrics"[\s\S]*"__typename": "MachineMetrics"/);
    await run('AppLifecycle', /"__typename": "DeleteAppSuccess"/);
    await run('VolumeSnapshot', /"__typename": "CreateVolumeSnapshotSuccess"/);
    await run('Certificate', /"hostname": "www\.demo-web\.example"[\s\S]*"dnsRecordsToAdd"/);
    await run('Postgres', /"name": "demo-pg"/);
    await run('Health', /"ok": true/);
    await page.close();
  }, 240_000);
});

/** The operation editor's visible text, with Monaco's non-breaking spaces made plain. */
function editorText(page: Page): Promise<string> {
  return page.evaluate(() => (document.querySelector('.graphiql-query-editor')?.textContent ?? '').replace(/\u00a0/g, ' '));
}

/** The response pane's visible text. */
function responseText(page: Page): Promise<string> {
  return page.evaluate(() => (document.querySelector('.graphiql-response')?.textContent ?? '').replace(/\u00a0/g, ' '));
}

/** The variables editor's text (short enough to be drawn whole). */
function variablesText(page: Page): Promise<string> {
  return page.evaluate(() =>
    (document.querySelector('.graphiql-editor-tool .graphiql-editor:not(.hidden) .view-lines')?.textContent ?? '').replace(/\u00a0/g, ' '),
  );
}

/** Replaces the variables with `text`, typed as one insertion (Monaco would close brackets typed one by one). */
async function replaceVariables(page: Page, text: string): Promise<void> {
  await page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  // As after switching tabs, GraphiQL reads the editor a moment later.
  await page.waitForTimeout(1_000);
}

/** `query Dashboard`, `mutation Restart(…`: the line that names an example's operation. */
function operationLine(query: string): string {
  const match = /^(query|mutation|subscription) \w+/m.exec(query);
  if (!match) throw new Error(`example without a named operation: ${query.slice(0, 40)}`);
  return match[0];
}
