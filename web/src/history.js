// The history page: the twin's downsampled SQLite log for the last day or month.
import { getHistory } from "./api.js";
import { BATTERY_V_SERIES, COLOURS, PV_POWER_CHART, lineChart } from "./charts.js";

export class HistoryPage {
  constructor() {
    this.range = document.getElementById("history-range");
    this.state = document.getElementById("history-state");
    this.csv = document.getElementById("history-csv");
    this.pv = lineChart(document.getElementById("chart-history-pv"), PV_POWER_CHART);
    this.battery = lineChart(document.getElementById("chart-history-battery"), {
      series: [
        BATTERY_V_SERIES,
        { label: "SOC %", colour: COLOURS.soc, scale: "%", decimals: 1 },
      ],
      axes: [
        { scale: "V", label: "V" },
        { scale: "%", label: "%", side: 1 },
      ],
      scales: { "%": { range: [0, 100] } },
    });
    this.range.addEventListener("change", () => this.refresh());
    document.getElementById("history-refresh").addEventListener("click", () => this.refresh());
  }

  async refresh() {
    const range = this.range.value;
    this.csv.href = `api/v1/history.csv?range=${range}`;
    this.state.textContent = "loading";
    try {
      const h = await getHistory(range);
      const pts = (h.points || []).slice().sort((a, b) => a.t_s - b.t_s);
      const t = pts.map((p) => p.t_s);
      this.pv.setData([t, pts.map((p) => p.p_pv_w)]);
      this.battery.setData([t, pts.map((p) => p.v_bat_v), pts.map((p) => p.soc * 100)]);
      this.state.textContent = `${pts.length} points`;
    } catch (e) {
      this.state.textContent = `history unavailable: ${e.message}`;
    }
  }
}
