import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {chromium, type Page} from 'playwright-core'

/** Debian's Chromium (installed by `npm test`'s set-up and CI); playwright-core never downloads a browser. Used by the report tests and scripts/report-screenshot.js. */
export const CHROMIUM = process.env.REGLENS_CHROMIUM ?? '/usr/bin/chromium'
export const CHROMIUM_INSTALL_HINT = 'sudo apt-get update && sudo apt-get install -y chromium'

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export interface OpenedPage {
  page: Page
  /** Console messages of type error, and uncaught page errors. */
  errors: string[]
  /** Every request the page made besides loading its own file. */
  requests: string[]
  close(): Promise<void>
}

/**
 * Opens a local HTML file from file:// in headless Chromium with a fresh profile, recording console
 * errors and every request beyond the page itself. Fails (never skips) when Chromium is missing.
 */
export async function openFile(path: string, options: {colorScheme?: 'light' | 'dark'; width?: number} = {}): Promise<OpenedPage> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}; install it with: ${CHROMIUM_INSTALL_HINT}`)
  const profile = mkdtempSync(join(tmpdir(), 'reglens-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: {width: options.width ?? 1200, height: 900},
    colorScheme: options.colorScheme ?? 'light',
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const url = pathToFileURL(path).href
  const errors: string[] = []
  const requests: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  context.on('request', (request) => {
    if (request.url() !== url) requests.push(request.url())
  })
  await page.goto(url, {waitUntil: 'load'})
  return {
    page,
    errors,
    requests,
    async close() {
      await context.close()
      rmSync(profile, {recursive: true, force: true})
    },
  }
}
