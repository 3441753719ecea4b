/** Debian's Chromium as the browser benchmarks launch it (playwright-core, no browser download). */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.MESHLENS_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The machine's flags, and no omnibox popup: headless Chromium 156 keeps its hidden WebUI renderer
 * (chrome://omnibox-popup.top-chrome) busy through every navigation, about one core of this 2-core machine that a
 * windowed browser does not spend; left on, it measures Chromium's chrome, not the page.
 */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
