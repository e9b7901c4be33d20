/**
 * What every browser test of the form starts with: a loopback site already serving the widget's files
 * (`/leadkit.js`, and `/leadkit.popup.js` for popup and slide-in forms), and a Chromium to open its pages.
 */
import { type Chromium, launchChromium } from '../../../../test/chromium.js';
import { popupFile, scriptTag } from './build.js';
import { type Site, startSite } from './site.js';

export async function startWidgetSite(): Promise<{ site: Site; browser: Chromium }> {
  const site = await startSite();
  site.file('/leadkit.js', scriptTag);
  site.file('/leadkit.popup.js', popupFile);
  try {
    return { site, browser: await launchChromium() };
  } catch (error) {
    await site.close();
    throw error;
  }
}
