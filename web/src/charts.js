// Charts (uPlot on canvas): the colours are fixed here because the browser test counts their
// pixels in screenshots (tests/e2e/dashboard.mjs). No other part of the page uses them.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export const COLOURS = {
  pv: "#e67e00", // PV power
  vBat: "#1565c0", // battery voltage
  iBat: "#2e7d32", // battery current
  soc: "#8e24aa", // state of charge
  curve: "#00897b", // the panel's I-V curve
  point: "#d81b60", // the operating point on it
};

// The PV power chart (live and history) and the battery voltage series on its "V" axis.
export const PV_POWER_CHART = {
  series: [{ label: "PV power W", colour: COLOURS.pv, decimals: 0 }],
  axes: [{ scale: "y", label: "W" }],
  scales: { y: { range: (u, lo, hi) => [0, Math.max(hi * 1.1, 1)] } },
};
export const BATTERY_V_SERIES = { label: "battery V", colour: COLOURS.vBat, scale: "V", decimals: 2 };

// Device time (seconds since the twin started) as h:mm:ss, or d h:mm for long spans.
export function formatDeviceTime(t_s) {
  const s = Math.max(0, Math.floor(t_s));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const sec = String(s % 60).padStart(2, "0");
  return d > 0 ? `${d}d ${h}:${m}` : `${h}:${m}:${sec}`;
}

function chartHeight(el) {
  return el.clientWidth < 500 ? 180 : 220;
}

// A line chart in `el`. series: [{label, colour, scale, decimals}]; scales: uPlot scale
// options by name; axes: [{scale, label, side}] for the y axes. xTime: x is device time.
export function lineChart(el, { series, scales = {}, axes = [], xTime = true, xLabel }) {
  const opts = {
    width: Math.max(el.clientWidth, 200),
    height: chartHeight(el),
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false }, ...scales },
    series: [
      { label: xLabel || "time" },
      ...series.map((s) => ({
        label: s.label,
        stroke: s.colour,
        width: 2,
        scale: s.scale || "y",
        points: s.points || { show: false },
        paths: s.paths,
        spanGaps: !!s.spanGaps,
        value: (u, v) => (v == null ? "-" : v.toFixed(s.decimals ?? 1)),
      })),
    ],
    axes: [
      {
        values: xTime ? (u, ticks) => ticks.map(formatDeviceTime) : undefined,
        label: xLabel,
        size: xLabel ? 40 : 30,
      },
      ...axes.map((a) => ({ scale: a.scale, label: a.label, side: a.side ?? 3, grid: { show: a.side !== 1 } })),
    ],
  };
  const data = [[], ...series.map(() => [])];
  const plot = new uPlot(opts, data, el);
  new ResizeObserver(() => {
    const w = Math.max(el.clientWidth, 200);
    if (w !== plot.width) plot.setSize({ width: w, height: chartHeight(el) });
  }).observe(el);
  return plot;
}

// A chart of the latest `capacity` samples, appended one at a time.
export class RollingChart {
  constructor(el, options, capacity = 600) {
    this.plot = lineChart(el, options);
    this.capacity = capacity;
    this.columns = this.plot.data.map(() => []);
  }

  // values: one number per series, in order; x must increase (older samples are dropped).
  push(x, values) {
    const last = this.columns[0][this.columns[0].length - 1];
    if (last !== undefined && x <= last) {
      // The twin restarted (device time went back): start again.
      this.columns = this.columns.map(() => []);
    }
    this.columns[0].push(x);
    values.forEach((v, i) => this.columns[i + 1].push(v));
    if (this.columns[0].length > this.capacity) this.columns.forEach((c) => c.shift());
    this.plot.setData(this.columns);
  }
}
