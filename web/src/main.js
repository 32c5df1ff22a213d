// The dashboard: one page per hash (#live, #history, #events, #settings) and one live data
// stream (server-sent events) that feeds the live page and the event log.
import "./style.css";
import { eventsUrl, getStatus } from "./api.js";
import { formatDeviceTime } from "./charts.js";
import { EventLog } from "./events.js";
import { HistoryPage } from "./history.js";
import { LivePage } from "./live.js";
import { SettingsPage } from "./settings.js";

const PAGES = ["live", "history", "events", "settings"];
const CURVE_PERIOD_MS = 2000;
const STALE_MS = 5000;

const live = new LivePage();
const history = new HistoryPage();
const events = new EventLog();
const settings = new SettingsPage();

let lastSeq = -1;
let lastStatusAt = 0;
let curveTimer = null;

function setLink(text, kind) {
  const link = document.getElementById("link");
  link.textContent = text;
  link.className = `badge badge-${kind}`;
}

function onStatus(status) {
  if (status.seq <= lastSeq) events.reset(); // a restarted twin counts from 0 again
  lastSeq = status.seq;
  lastStatusAt = Date.now();
  document.getElementById("scenario").textContent = status.scenario || "";
  document.getElementById("device-time").textContent = `t ${formatDeviceTime(status.t_s)}`;
  document.body.dataset.seq = String(status.seq);
  live.onStatus(status);
  events.add(status.trips);
}

function connect() {
  const source = new EventSource(eventsUrl);
  source.addEventListener("open", () => setLink("live", "ok"));
  source.addEventListener("error", () => setLink("reconnecting", "wait"));
  source.addEventListener("status", (e) => {
    try {
      onStatus(JSON.parse(e.data));
      setLink("live", "ok");
    } catch (err) {
      console.error("bad status event", err);
    }
  });
  source.addEventListener("trip", (e) => {
    try {
      events.add([JSON.parse(e.data)]);
    } catch (err) {
      console.error("bad trip event", err);
    }
  });
  setInterval(() => {
    if (lastStatusAt && Date.now() - lastStatusAt > STALE_MS && source.readyState !== EventSource.CLOSED) {
      setLink("no data", "wait");
    }
  }, 1000);
}

function showPage() {
  const name = PAGES.includes(location.hash.slice(1)) ? location.hash.slice(1) : "live";
  for (const p of PAGES) document.getElementById(`page-${p}`).hidden = p !== name;
  for (const a of document.querySelectorAll("#nav a")) {
    a.classList.toggle("active", a.dataset.page === name);
  }
  clearInterval(curveTimer);
  curveTimer = null;
  if (name === "live") {
    live.refreshCurve();
    curveTimer = setInterval(() => live.refreshCurve(), CURVE_PERIOD_MS);
  } else if (name === "history") {
    history.refresh();
  } else if (name === "settings") {
    settings.load();
  }
}

window.addEventListener("hashchange", showPage);
showPage();
getStatus()
  .then((status) => {
    if (lastSeq < 0) onStatus(status); // unless the stream was quicker
  })
  .catch((e) => setLink(`offline: ${e.message}`, "bad"));
connect();
