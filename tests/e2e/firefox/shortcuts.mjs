// Keyboard shortcuts in Firefox (Debian's firefox-esr, WebDriver BiDi through puppeteer-core):
// signs in, presses Alt+N on the order list, types into the intake form, presses an unmarked
// Alt+letter, and prints what happened as JSON for tests/e2e/test_firefox_browser.py to check.
// Usage: node shortcuts.mjs BASE_URL USERNAME PASSWORD
import puppeteer from "puppeteer-core";

const [url, username, password] = process.argv.slice(2);
const executablePath = process.env.JIESU_FIREFOX || "/usr/bin/firefox-esr";
const browser = await puppeteer.launch({browser: "firefox", executablePath, headless: true, protocolTimeout: 120000});
const result = {};
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(60000);
  await page.setViewport({width: 1440, height: 900});
  result.userAgent = await page.evaluate(() => navigator.userAgent);
  await page.goto(`${url}/login/`);
  await page.type("#id_username", username);
  await page.type("#id_password", password);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  await page.goto(`${url}/orders/`);
  // Alt+N: a new intake from any page.
  await page.keyboard.down("Alt");
  await Promise.all([page.waitForNavigation(), page.keyboard.press("KeyN")]);
  await page.keyboard.up("Alt");
  result.afterAltN = new URL(page.url()).pathname;
  // The character counter follows typing (input events) in Firefox too.
  await page.click("#id_content");
  await page.keyboard.type("楼下饭馆油烟");
  result.counter = await page.$eval("#id_content-counter", (el) => el.textContent);
  // Alt+Q is no shortcut here: nothing may happen (the handler only acts on marked elements).
  await page.keyboard.down("Alt");
  await page.keyboard.press("KeyQ");
  await page.keyboard.up("Alt");
  result.afterAltQ = new URL(page.url()).pathname;
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
