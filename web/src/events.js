// The trip/event log: the recent trips in each status snapshot plus `trip` events from the
// stream, merged without duplicates and shown newest first.
import { formatDeviceTime } from "./charts.js";

const MAX_ROWS = 200;

export class EventLog {
  constructor() {
    this.rows = new Map(); // key -> trip record
    this.body = document.getElementById("events");
    this.empty = document.getElementById("events-empty");
    this.count = document.getElementById("trip-count");
  }

  // The twin restarted: its device time starts again, so the old log no longer applies.
  reset() {
    this.rows.clear();
    this.render();
  }

  add(trips) {
    let changed = false;
    for (const trip of trips || []) {
      const key = `${trip.t_s}|${trip.reason}|${trip.tripped}`;
      if (!this.rows.has(key)) {
        this.rows.set(key, trip);
        changed = true;
      }
    }
    if (changed) this.render();
  }

  render() {
    const list = [...this.rows.values()].sort((a, b) => b.t_s - a.t_s).slice(0, MAX_ROWS);
    this.body.replaceChildren(
      ...list.map((trip) => {
        const tr = document.createElement("tr");
        tr.className = trip.tripped ? "tripped" : "released";
        for (const text of [
          formatDeviceTime(trip.t_s),
          trip.tripped ? "trip" : "release",
          trip.reason,
          Number.isFinite(trip.value) ? trip.value.toFixed(2) : "",
        ]) {
          const td = document.createElement("td");
          td.textContent = text;
          tr.append(td);
        }
        return tr;
      }),
    );
    this.empty.hidden = list.length > 0;
    const trips = list.filter((t) => t.tripped).length;
    this.count.textContent = trips > 0 ? String(trips) : "";
  }
}
