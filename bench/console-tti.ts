import type { Browser, BrowserContextOptions } from 'playwright-core';

/** A console page and the element whose appearance means its main content is there. */
export interface PageProbe { name: string; path: string; ready: string; signedIn: boolean }

export interface PageTiming { name: string; path: string; cold: number[]; warm: number[] }

/**
 * Runs in the page before any of its scripts: records performance.now() (ms since navigation start) the first
 * time the ready selector matches a visible element.
 */
const READY_SCRIPT = (selector: string) => `(() => {
  const sel = ${JSON.stringify(selector)};
  const seen = () => { const el = document.querySelector(sel); if (!el) return false; const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const check = () => { if (window.__ready === undefined && seen()) { window.__ready = performance.now(); observer.disconnect(); } };
  const observer = new MutationObserver(check);
  const start = () => { observer.observe(document, { childList: true, subtree: true, attributes: true }); check(); };
  if (document.documentElement) start(); else document.addEventListener('readystatechange', start, { once: true });
})();`;

async function timeLoad(browser: Browser, base: string, probe: PageProbe, options: BrowserContextOptions, warm: boolean): Promise<number> {
  const context = await browser.newContext(options);
  try {
    await context.addInitScript(READY_SCRIPT(probe.ready));
    const page = await context.newPage();
    // Warm: the same context loaded the page once already, so the hashed assets come from the HTTP cache.
    if (warm) {
      await page.goto(`${base}${probe.path}`);
      await page.waitForFunction('window.__ready !== undefined', undefined, { timeout: 15_000 });
    }
    await page.goto(`${base}${probe.path}`);
    await page.waitForFunction('window.__ready !== undefined', undefined, { timeout: 15_000 });
    return Math.round(await page.evaluate('window.__ready') as number);
  } finally {
    await context.close();
  }
}

/** Each page `runs` times in a fresh browser profile (cold) and `runs` times with a warm cache. */
export async function measurePages(browser: Browser, base: string, probes: PageProbe[], signedIn: BrowserContextOptions['storageState'], runs: number): Promise<PageTiming[]> {
  const out: PageTiming[] = [];
  for (const probe of probes) {
    const options: BrowserContextOptions = { viewport: { width: 1366, height: 900 }, ...(probe.signedIn ? { storageState: signedIn } : {}) };
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) {
      cold.push(await timeLoad(browser, base, probe, options, false));
      warm.push(await timeLoad(browser, base, probe, options, true));
    }
    out.push({ name: probe.name, path: probe.path, cold, warm });
  }
  return out;
}

export const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
};
