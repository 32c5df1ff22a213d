// Browser test of the web dashboard against a real `powerstack twin` (run by dashboard.sh,
// which checks the tools first). The twin runs on a free loopback port with a temporary data
// directory; headless Chromium (Debian's, driven by playwright-core) loads the dashboard.
// Checks: it loads and shows live values; the charts change between two moments; phone-size
// pages have no horizontal overflow; a write without a token is refused and the page says so;
// an invalid value gets an error next to its field; a valid change persists across a twin
// restart. Screenshots are written to --work and their chart colours counted (check_png.py).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { parseArgs } from "node:util";

const { values: arg } = parseArgs({
  options: {
    powerstack: { type: "string" },
    scenario: { type: "string" },
    web: { type: "string" },
    work: { type: "string" },
    chromium: { type: "string" },
    python: { type: "string" },
    "check-png": { type: "string" },
    speed: { type: "string", default: "10" },
  },
});
for (const k of ["powerstack", "scenario", "web", "work", "chromium", "python", "check-png"]) {
  if (!arg[k]) throw new Error(`dashboard.mjs: --${k} is required (run it through dashboard.sh)`);
}
const { chromium } = createRequire(join(arg.web, "package.json"))("playwright-core");

// The chart colours of web/src/charts.js.
const COLOURS = { pv: "e67e00", vBat: "1565c0", iBat: "2e7d32", soc: "8e24aa", curve: "00897b", point: "d81b60" };
const ERROR_RED = "b00020"; // .field-error in web/src/style.css
// A drawn line of a chart at least 200 px wide gives far more than this; an empty chart 0
// (the legend's swatch outline alone is about 40 pixels).
const MIN_LINE_PIXELS = 120;
// Pixels that are not white in a full desktop screenshot: the grey page background alone
// gives most of them; a page that did not render gives none.
const MIN_PAGE_INK = 200000;
const STARTUP_TIMEOUT_MS = 30000;

const dataDir = join(arg.work, "data");
const shots = join(arg.work, "screenshots");
mkdirSync(shots, { recursive: true });

let twin = null;
let twinRuns = 0;
let browser = null;
const pageErrors = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function startTwin() {
  const port = await freePort();
  twinRuns += 1;
  const logPath = join(arg.work, `twin-${twinRuns}.log`);
  const log = createWriteStream(logPath);
  const proc = spawn(
    arg.powerstack,
    ["twin", arg.scenario, "--port", String(port), "--data-dir", dataDir, "--web-dir", join(arg.web, "dist"),
      "--speed", arg.speed],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  proc.stdout.pipe(log);
  proc.stderr.pipe(log);
  let exited = null;
  proc.on("exit", (code, signal) => {
    exited = { code, signal };
  });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      await sleep(100); // let the log be written
      throw new Error(`powerstack twin exited (${JSON.stringify(exited)}) before answering; log:\n` +
        readFileSync(logPath, "utf8").slice(-2000));
    }
    try {
      const r = await fetch(`${url}api/v1/status`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`powerstack twin did not answer on ${url} within ${STARTUP_TIMEOUT_MS} ms (log ${logPath})`);
    }
    await sleep(200);
  }
  twin = { proc, url, logPath, exited: () => exited };
  return twin;
}

async function stopTwin() {
  if (!twin) return;
  const t = twin;
  twin = null;
  if (t.exited()) return;
  const done = new Promise((r) => t.proc.once("exit", r));
  t.proc.kill("SIGTERM");
  // The server waits for its workers (idle keep-alive 1 s, I/O timeouts 2 s); 30 s leaves room
  // for a loaded CI machine while a real hang still fails.
  const timedOut = await Promise.race([done.then(() => false), sleep(30000).then(() => true)]);
  if (timedOut) {
    t.proc.kill("SIGKILL");
    await done;
    throw new Error("powerstack twin did not stop within 30 s of SIGTERM");
  }
}

async function api(path, init) {
  const r = await fetch(`${twin.url}api/v1/${path}`, init);
  return { status: r.status, body: await r.json() };
}

function token() {
  return readFileSync(join(dataDir, "token"), "utf8").trim();
}

// Counts the pixels of one colour in a screenshot; fails the test below `min` (or below
// `minInk` pixels that are not white: a blank page).
function checkColour(png, colour, min, minInk = 0) {
  const r = spawnSync(arg.python, [arg["check-png"], png, "--colour", colour, "--tolerance", "24",
    "--min-pixels", String(min), "--min-ink", String(minInk)], { encoding: "utf8" });
  assert.equal(r.status, 0, `${png}: fewer than ${min} pixels of #${colour} or a blank page: ${r.stdout}${r.stderr}`);
  console.log(`  ${png.split("/").pop()} #${colour}: ${r.stdout.trim()}`);
  return r.stdout.trim();
}

async function newPage(viewport) {
  const page = await browser.newPage(); // a persistent context's pages take no options
  await page.setViewportSize(viewport);
  page.on("pageerror", (e) => pageErrors.push(`${e.message}`));
  return page;
}

// Waits until the page has shown a status snapshot newer than `seq`.
async function waitForSeq(page, seq, timeout = 30000) {
  await page.waitForFunction((s) => Number(document.body.dataset.seq ?? -1) > s, seq, { timeout, polling: 100 });
  return Number(await page.evaluate(() => document.body.dataset.seq));
}

// A hash of a chart's canvas pixels (FNV-1a over the RGBA bytes).
function canvasHash(page, chartId) {
  return page.evaluate((id) => {
    const canvas = document.querySelector(`#${id} canvas`);
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let h = 0x811c9dc5;
    for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i], 16777619);
    return h >>> 0;
  }, chartId);
}

// Clicks Save and returns the page's message once the server's answer is shown.
async function saveSettings(page) {
  const answered = page.waitForResponse(
    (r) => r.url().endsWith("/api/v1/settings") && r.request().method() === "PUT",
    { timeout: 10000 },
  );
  await page.click("#settings-save");
  await answered;
  await page.waitForFunction(
    () => !document.getElementById("settings-save").disabled &&
      document.getElementById("settings-message").textContent !== "Saving",
    null,
    { timeout: 10000, polling: 100 },
  );
  return page.locator("#settings-message").textContent();
}

async function openSettings(page) {
  await page.goto(`${twin.url}#settings`);
  await page.waitForFunction(() => document.getElementById("setting-i_charge_max_a").value !== "", null, {
    timeout: 10000,
    polling: 100,
  });
}

async function enterToken(page) {
  await page.fill("#token", token());
  await page.click("#token-save");
  await page.waitForFunction(() => document.getElementById("token-state").textContent.startsWith("A token"), null, {
    timeout: 5000,
    polling: 100,
  });
}

before(async () => {
  await startTwin();
  const profile = join(arg.work, "profile");
  mkdirSync(profile, { recursive: true });
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: arg.chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  if (browser) await browser.close();
  await stopTwin();
});

test("the dashboard loads and shows live values", async () => {
  const page = await newPage({ width: 1280, height: 900 });
  await page.goto(twin.url);
  await waitForSeq(page, -1);
  await page.waitForFunction(() => document.getElementById("link").textContent === "live", null, { timeout: 10000, polling: 100 });
  const status = (await api("status")).body;
  for (const id of ["card-pv", "card-battery", "card-controller", "card-energy"]) {
    const text = await page.locator(`#${id}`).innerText();
    assert.doesNotMatch(text, /(^|\s)-(\s|$)/, `${id} has values missing: ${text}`);
  }
  assert.equal(await page.locator("#scenario").textContent(), status.scenario);
  assert.equal(
    await page.locator('[data-v="controller.charge_state"]').textContent(),
    (await api("status")).body.controller.charge_state,
  );
  // The per-cell view: one bar per cell when the status has cells, hidden otherwise.
  const cells = status.cells || [];
  assert.equal(await page.locator("#card-cells").isVisible(), cells.length > 0);
  assert.equal(await page.locator("#cells .cell").count(), cells.length);
  // The event log lists the status's trips (the stream may have added newer ones).
  await page.goto(`${twin.url}#events`);
  const rows = await page.locator("#events tr").count();
  assert.ok(rows >= new Set((status.trips || []).map((t) => `${t.t_s}|${t.reason}|${t.tripped}`)).size);
  assert.equal(await page.locator("#events-empty").isVisible(), rows === 0);
  assert.deepEqual(pageErrors, []);
  await page.close();
});

test("the charts update from live data", async () => {
  const page = await newPage({ width: 1280, height: 900 });
  await page.goto(twin.url);
  const charts = ["chart-pv", "chart-battery", "chart-soc"];
  // A few samples first, so that every chart has a line.
  const seq0 = await waitForSeq(page, -1);
  await waitForSeq(page, seq0 + 3);
  await page.waitForFunction(() => !document.getElementById("iv-note").textContent.startsWith("I-V") &&
    document.getElementById("iv-note").textContent !== "", null, { timeout: 10000, polling: 100 });
  const first = await Promise.all(charts.map((c) => canvasHash(page, c)));
  const time1 = await page.locator("#device-time").textContent();
  const seq1 = Number(await page.evaluate(() => document.body.dataset.seq));
  await waitForSeq(page, seq1 + 3);
  const second = await Promise.all(charts.map((c) => canvasHash(page, c)));
  const time2 = await page.locator("#device-time").textContent();
  assert.notEqual(time2, time1, "the device time shown did not advance");
  charts.forEach((c, i) => assert.notEqual(second[i], first[i], `${c}: no pixel changed between two moments`));

  const desktop = join(shots, "desktop-live.png");
  await page.screenshot({ path: desktop, fullPage: true });
  // The whole page is far from blank (one decode: pure Python takes seconds for a page).
  checkColour(desktop, COLOURS.pv, MIN_LINE_PIXELS, MIN_PAGE_INK);
  const pv = join(shots, "chart-pv.png");
  await page.locator("#chart-pv").screenshot({ path: pv });
  checkColour(pv, COLOURS.pv, MIN_LINE_PIXELS);
  const battery = join(shots, "chart-battery.png");
  await page.locator("#chart-battery").screenshot({ path: battery });
  checkColour(battery, COLOURS.vBat, MIN_LINE_PIXELS);
  checkColour(battery, COLOURS.iBat, MIN_LINE_PIXELS);
  const soc = join(shots, "chart-soc.png");
  await page.locator("#chart-soc").screenshot({ path: soc });
  checkColour(soc, COLOURS.soc, MIN_LINE_PIXELS);
  const iv = join(shots, "chart-iv.png");
  await page.locator("#chart-iv").screenshot({ path: iv });
  checkColour(iv, COLOURS.curve, MIN_LINE_PIXELS);
  checkColour(iv, COLOURS.point, 60); // the operating point's dot, 14 px across
  assert.deepEqual(pageErrors, []);
  await page.close();
});

test("phone-size pages have no horizontal overflow", async () => {
  const page = await newPage({ width: 375, height: 812 });
  await page.goto(twin.url);
  await waitForSeq(page, -1);
  for (const name of ["live", "history", "events", "settings"]) {
    await page.goto(`${twin.url}#${name}`);
    await sleep(500); // layout after the page's data arrived
    const [scrollWidth, innerWidth] = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      window.innerWidth,
    ]);
    assert.equal(innerWidth, 375, "the page is not phone-sized");
    assert.ok(scrollWidth <= innerWidth, `#${name} at 375 px: content is ${scrollWidth} px wide`);
    await page.screenshot({ path: join(shots, `phone-${name}.png`), fullPage: true });
  }
  await page.goto(`${twin.url}#live`);
  await waitForSeq(page, Number(await page.evaluate(() => document.body.dataset.seq)) + 2);
  const pv = join(shots, "phone-chart-pv.png");
  await page.locator("#chart-pv").screenshot({ path: pv });
  checkColour(pv, COLOURS.pv, MIN_LINE_PIXELS / 2);
  assert.deepEqual(pageErrors, []);
  await page.close();
});

test("a write without a token is refused and the page says so", async () => {
  const page = await newPage({ width: 1280, height: 900 });
  await openSettings(page);
  const storedBefore = (await api("settings")).body;
  await page.fill("#setting-i_charge_max_a", "12.5");
  const message = await saveSettings(page);
  assert.match(message, /401/, `the page did not say the write was refused: "${message}"`);
  assert.match(message, /token/);
  assert.deepEqual((await api("settings")).body, storedBefore, "the settings changed without a token");
  await page.screenshot({ path: join(shots, "settings-401.png"), fullPage: true });
  await page.close();
});

test("an invalid value gets an error next to its field", async () => {
  const page = await newPage({ width: 1280, height: 900 });
  await openSettings(page);
  await enterToken(page);
  const storedBefore = (await api("settings")).body;
  await page.fill("#setting-v_absorb_cell_v", "9");
  const message = await saveSettings(page);
  assert.match(message, /rejected/, `unexpected message: "${message}"`);
  const fieldError = await page.locator("#error-v_absorb_cell_v").textContent();
  assert.notEqual(fieldError, "", "no error shown next to v_absorb_cell_v");
  // The error is next to its field: inside the field's row, just below its input.
  const row = page.locator('.field[data-field="v_absorb_cell_v"]');
  assert.equal(await row.locator(".field-error").textContent(), fieldError);
  assert.equal(await page.locator("#setting-v_absorb_cell_v").getAttribute("aria-invalid"), "true");
  const otherErrors = await page.locator(".field-error").allTextContents();
  assert.equal(otherErrors.filter((t) => t !== "").length, 1, `errors on other fields: ${otherErrors}`);
  assert.deepEqual((await api("settings")).body, storedBefore, "an invalid value was stored");
  const shot = join(shots, "settings-invalid.png");
  await row.screenshot({ path: shot });
  checkColour(shot, ERROR_RED, 40);
  await page.screenshot({ path: join(shots, "settings-invalid-page.png"), fullPage: true });
  await page.close();
});

test("a valid change with the token persists across a twin restart", async () => {
  const page = await newPage({ width: 1280, height: 900 });
  await openSettings(page);
  await enterToken(page);
  const before = (await api("settings")).body;
  const wanted = before.i_charge_max_a === 15.5 ? 14.5 : 15.5;
  await page.fill("#setting-i_charge_max_a", String(wanted));
  const message = await saveSettings(page);
  assert.match(message, /^Saved/, `not saved: "${message}"`);
  assert.equal((await api("settings")).body.i_charge_max_a, wanted);
  await page.screenshot({ path: join(shots, "settings-saved.png"), fullPage: true });
  await page.close();

  await stopTwin();
  await startTwin();
  const stored = (await api("settings")).body;
  assert.equal(stored.i_charge_max_a, wanted, "the change was lost over the restart");
  assert.deepEqual(stored, { ...before, i_charge_max_a: wanted }, "other settings changed over the restart");
  const again = await newPage({ width: 1280, height: 900 });
  await openSettings(again);
  assert.equal(Number(await again.locator("#setting-i_charge_max_a").inputValue()), wanted);
  assert.deepEqual(pageErrors, []);
  await again.close();
});

// Last: it leaves this address rate-limited for a minute.
test("a wrong token is refused, then rate-limited, and the page says so", async () => {
  const page = await newPage({ width: 1280, height: 900 });
  await openSettings(page);
  await page.fill("#token", "0".repeat(64));
  await page.click("#token-save");
  const storedBefore = (await api("settings")).body;
  await page.fill("#setting-i_charge_max_a", "13");
  const messages = [];
  for (let i = 0; i < 8 && !/429/.test(messages.at(-1) ?? ""); i++) messages.push(await saveSettings(page));
  assert.match(messages[0], /401.*wrong/, `first refusal: "${messages[0]}"`);
  assert.match(messages.at(-1), /429/, `never rate-limited: ${JSON.stringify(messages)}`);
  assert.match(messages.at(-1), /Try again in \d+ s/);
  assert.deepEqual((await api("settings")).body, storedBefore, "a write with a wrong token changed the settings");
  await page.screenshot({ path: join(shots, "settings-429.png"), fullPage: true });
  await page.close();
});
