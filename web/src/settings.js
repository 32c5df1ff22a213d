// The settings page: the charger settings as a form. Hints here only help; the device
// validates every write (settings::validate) and its 400 answer marks the fields it rejects.
// Only changed fields are sent (PUT takes a partial object), with the session's token.
import { ApiError, describeError, getSettings, getToken, putSettings, setToken } from "./api.js";

// name: the API's field name; unit and hint are shown with the field.
const FIELDS = [
  { name: "chemistry", label: "Chemistry", kind: "select", options: ["LiFePO4", "Li-ion", "lead-acid"] },
  { name: "cells_in_series", label: "Cells in series", kind: "int", unit: "", hint: "1..24, pack at most 60 V" },
  { name: "v_absorb_cell_v", label: "Absorption voltage", unit: "V/cell", hint: "LiFePO4 3.40..3.65, Li-ion 4.00..4.20, lead-acid 2.30..2.50" },
  { name: "v_float_cell_v", label: "Float voltage", unit: "V/cell", hint: "0 = no float stage (lithium: must be 0)" },
  { name: "v_equalize_cell_v", label: "Equalisation voltage", unit: "V/cell", hint: "0 = off; lead-acid only" },
  { name: "v_recharge_cell_v", label: "Recharge below", unit: "V/cell", hint: "at least 50 mV below absorption" },
  { name: "i_charge_max_a", label: "Charge current limit", unit: "A", hint: "0.1..40 A" },
  { name: "i_tail_a", label: "Tail current", unit: "A", hint: "absorption ends below this; at most half the limit" },
  { name: "t_absorb_max_s", label: "Absorption time limit", kind: "int", unit: "s", hint: "60..86400 s" },
  { name: "i_pv_max_a", label: "PV current limit", unit: "A", hint: "0.1..40 A" },
  { name: "p_in_max_w", label: "PV power limit", unit: "W", hint: "1..2000 W" },
  { name: "t_charge_min_c", label: "Charge only above", unit: "°C", hint: "the chemistry's charge temperature window" },
  { name: "t_charge_max_c", label: "Charge only below", unit: "°C", hint: "above the lower limit" },
  { name: "v_temp_comp_mv_per_k_cell", label: "Temperature compensation", unit: "mV/K/cell", hint: "lead-acid -6..0; lithium 0" },
];

// Floats arrive as the double of a float (3.549999952...): show them as typed.
function show(value) {
  return typeof value === "number" ? String(Number(value.toPrecision(6))) : String(value ?? "");
}

export class SettingsPage {
  constructor() {
    this.form = document.getElementById("settings-form");
    this.message = document.getElementById("settings-message");
    this.loaded = {}; // field -> the string shown when loaded
    this.buildForm();
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.save();
    });
    document.getElementById("settings-reload").addEventListener("click", () => this.load());
    this.setupToken();
  }

  buildForm() {
    const container = document.getElementById("settings-fields");
    for (const f of FIELDS) {
      const row = document.createElement("div");
      row.className = "field";
      row.dataset.field = f.name;
      const id = `setting-${f.name}`;
      let input;
      if (f.kind === "select") {
        input = document.createElement("select");
        for (const o of f.options) input.append(new Option(o, o));
      } else {
        input = document.createElement("input");
        input.type = "text";
        input.inputMode = f.kind === "int" ? "numeric" : "decimal";
        input.autocomplete = "off";
      }
      input.id = id;
      input.name = f.name;
      input.setAttribute("aria-describedby", `error-${f.name}`);
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = f.label;
      const unit = document.createElement("span");
      unit.className = "unit";
      unit.textContent = f.unit || "";
      const hint = document.createElement("p");
      hint.className = "hint";
      hint.textContent = f.hint || "";
      const error = document.createElement("p");
      error.className = "field-error";
      error.id = `error-${f.name}`;
      const line = document.createElement("div");
      line.className = "input-line";
      line.append(input, unit);
      row.append(label, line, hint, error);
      container.append(row);
    }
  }

  input(name) {
    return document.getElementById(`setting-${name}`);
  }

  setFieldError(name, text) {
    const error = document.getElementById(`error-${name}`);
    const input = this.input(name);
    if (!error || !input) return false;
    error.textContent = text;
    input.classList.toggle("invalid", !!text);
    input.setAttribute("aria-invalid", text ? "true" : "false");
    return true;
  }

  clearErrors() {
    for (const f of FIELDS) this.setFieldError(f.name, "");
  }

  setMessage(text, kind) {
    this.message.textContent = text;
    this.message.className = `message ${kind || ""}`;
  }

  fill(settings) {
    this.loaded = {};
    for (const f of FIELDS) {
      const text = show(settings[f.name]);
      this.loaded[f.name] = text;
      this.input(f.name).value = text;
    }
  }

  async load() {
    try {
      this.fill(await getSettings());
      this.clearErrors();
      this.setMessage("", "");
    } catch (e) {
      this.setMessage(`Settings could not be read: ${e.message}`, "error");
    }
  }

  // The changed fields as {name: value}, or null when one is not a number at all.
  changes() {
    const out = {};
    let ok = true;
    for (const f of FIELDS) {
      const text = this.input(f.name).value.trim();
      if (text === this.loaded[f.name]) continue;
      if (f.kind === "select") {
        out[f.name] = text;
        continue;
      }
      const n = Number(text);
      if (text === "" || !Number.isFinite(n)) {
        this.setFieldError(f.name, "Enter a number.");
        ok = false;
        continue;
      }
      out[f.name] = n;
    }
    return ok ? out : null;
  }

  async save() {
    this.clearErrors();
    const changes = this.changes();
    if (changes === null) {
      this.setMessage("Not saved: fix the marked fields.", "error");
      return;
    }
    if (Object.keys(changes).length === 0) {
      this.setMessage("Nothing changed.", "");
      return;
    }
    const button = document.getElementById("settings-save");
    button.disabled = true;
    this.setMessage("Saving", "");
    try {
      const stored = await putSettings(changes);
      this.fill(stored);
      this.setMessage(`Saved ${Object.keys(changes).join(", ")}.`, "ok");
    } catch (e) {
      this.showError(e);
    } finally {
      button.disabled = false;
    }
  }

  showError(e) {
    this.setMessage(describeError(e), "error");
    if (!(e instanceof ApiError)) return;
    const stray = [];
    for (const f of e.fields) {
      const range =
        Number.isFinite(f.min) && Number.isFinite(f.max) ? ` (allowed ${show(f.min)} .. ${show(f.max)})` : "";
      const text = `${f.message || "rejected"}${range}`;
      if (!this.setFieldError(f.field, text)) stray.push(`${f.field}: ${text}`);
    }
    if (stray.length > 0) this.setMessage(`${this.message.textContent} ${stray.join("; ")}`, "error");
    if (e.status === 401 || e.status === 429) document.getElementById("token").focus();
  }

  setupToken() {
    const input = document.getElementById("token");
    const state = document.getElementById("token-state");
    const update = () => {
      state.textContent = getToken()
        ? "A token is set for this tab; saving sends it."
        : "No token: settings can be read but not saved.";
      state.className = `small ${getToken() ? "ok" : "warn"}`;
    };
    document.getElementById("token-form").addEventListener("submit", (e) => {
      e.preventDefault();
      setToken(input.value.trim());
      input.value = "";
      update();
    });
    document.getElementById("token-forget").addEventListener("click", () => {
      setToken("");
      input.value = "";
      update();
    });
    update();
  }
}
