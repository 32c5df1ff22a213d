// The live page: every element with data-v="group.key" shows that status field; the live
// charts take one sample per status snapshot; the I-V curve and the cells follow.
import { getPvCurve } from "./api.js";
import { BATTERY_V_SERIES, COLOURS, PV_POWER_CHART, RollingChart, lineChart } from "./charts.js";

function lookup(status, path) {
  return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), status);
}

function formatValue(el, v) {
  if (v === undefined || v === null) return "-";
  if (typeof v === "boolean") return v ? el.dataset.on || "yes" : el.dataset.off || "no";
  if (typeof v === "number") {
    const scaled = v * Number(el.dataset.scale || 1);
    return el.dataset.d !== undefined ? scaled.toFixed(Number(el.dataset.d)) : String(scaled);
  }
  return String(v);
}

export function renderValues(status) {
  for (const el of document.querySelectorAll("[data-v]")) {
    const text = formatValue(el, lookup(status, el.dataset.v));
    if (el.textContent !== text) el.textContent = text;
  }
}

export function renderCells(cells) {
  const card = document.getElementById("card-cells");
  const list = Array.isArray(cells) ? cells : [];
  card.hidden = list.length === 0;
  if (list.length === 0) return;
  const volts = list.map((c) => c.v_v);
  const vMin = Math.min(...volts);
  const vMax = Math.max(...volts);
  // Bars show each cell's voltage from a floor just below the lowest cell, so that a few
  // millivolts of imbalance are visible; the numbers give the exact values.
  const floor = vMin - Math.max(0.05, (vMax - vMin) * 0.5);
  const span = Math.max(vMax - floor, 1e-3);
  const container = document.getElementById("cells");
  while (container.children.length > list.length) container.lastChild.remove();
  while (container.children.length < list.length) {
    const row = document.createElement("div");
    row.className = "cell";
    row.innerHTML =
      '<span class="cell-name"></span><span class="cell-bar"><span class="cell-fill"></span></span>' +
      '<span class="cell-v"></span><span class="cell-bal"></span>';
    container.append(row);
  }
  list.forEach((c, i) => {
    const row = container.children[i];
    row.querySelector(".cell-name").textContent = `#${c.index}`;
    row.querySelector(".cell-fill").style.width = `${(100 * (c.v_v - floor)) / span}%`;
    row.querySelector(".cell-v").textContent = `${c.v_v.toFixed(3)} V`;
    const bal = row.querySelector(".cell-bal");
    bal.textContent = c.balancing ? "balancing" : "";
    row.classList.toggle("balancing", !!c.balancing);
  });
  const balancing = list.filter((c) => c.balancing).length;
  document.getElementById("cells-summary").textContent =
    `${list.length} cells, ${vMin.toFixed(3)} to ${vMax.toFixed(3)} V ` +
    `(spread ${((vMax - vMin) * 1000).toFixed(0)} mV), ${balancing} balancing`;
}

export class LivePage {
  constructor() {
    this.pv = new RollingChart(document.getElementById("chart-pv"), PV_POWER_CHART);
    this.battery = new RollingChart(document.getElementById("chart-battery"), {
      series: [
        BATTERY_V_SERIES,
        { label: "battery A", colour: COLOURS.iBat, scale: "A", decimals: 2 },
      ],
      axes: [
        { scale: "V", label: "V" },
        { scale: "A", label: "A", side: 1 },
      ],
    });
    this.soc = new RollingChart(document.getElementById("chart-soc"), {
      series: [{ label: "SOC %", colour: COLOURS.soc, decimals: 1 }],
      axes: [{ scale: "y", label: "%" }],
      scales: { y: { range: [0, 100] } },
    });
    this.iv = lineChart(document.getElementById("chart-iv"), {
      xTime: false,
      xLabel: "PV voltage V",
      series: [
        { label: "I-V curve A", colour: COLOURS.curve, decimals: 2, spanGaps: true },
        {
          label: "operating point",
          colour: COLOURS.point,
          decimals: 2,
          paths: () => null,
          points: { show: true, size: 14, width: 3, fill: COLOURS.point, stroke: COLOURS.point },
        },
      ],
      axes: [{ scale: "y", label: "A" }],
      scales: { y: { range: (u, lo, hi) => [0, Math.max(hi * 1.1, 0.1)] } },
    });
    this.ivBusy = false;
  }

  onStatus(status) {
    renderValues(status);
    renderCells(status.cells);
    const t = status.t_s;
    this.pv.push(t, [status.pv.p_w]);
    this.battery.push(t, [status.battery.v_v, status.battery.i_a]);
    this.soc.push(t, [status.battery.soc * 100]);
  }

  // Polled while the live page is shown: the curve changes with irradiance and temperature.
  async refreshCurve() {
    if (this.ivBusy) return;
    this.ivBusy = true;
    const note = document.getElementById("iv-note");
    try {
      const curve = await getPvCurve();
      const pts = (curve.points || []).slice().sort((a, b) => a.v_v - b.v_v);
      const op = curve.operating_point;
      // The operating point is a series with one value at the point's own voltage.
      const xs = pts.map((p) => p.v_v);
      let opIndex = -1;
      if (op) {
        opIndex = xs.findIndex((x) => x >= op.v_v);
        if (opIndex < 0) opIndex = xs.length;
        if (xs[opIndex] !== op.v_v) xs.splice(opIndex, 0, op.v_v);
      }
      const current = xs.map((x) => {
        const p = pts.find((q) => q.v_v === x);
        return p ? p.i_a : null;
      });
      const marker = xs.map((x, i) => (i === opIndex ? op.i_a : null));
      this.iv.setData([xs, current, marker]);
      note.textContent = op
        ? `operating at ${op.v_v.toFixed(1)} V, ${op.i_a.toFixed(2)} A (${(op.v_v * op.i_a).toFixed(0)} W)`
        : "";
    } catch (e) {
      note.textContent = `I-V curve unavailable: ${e.message}`;
    } finally {
      this.ivBusy = false;
    }
  }
}
