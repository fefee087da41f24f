// plantwin serve: what the pages do in the browser. Plain JavaScript, no build step; every
// change goes through the JSON API (/api). Data from the server or the store goes into the
// page as text only (textContent, attributes), never as HTML.
"use strict";

const $ = (selector, root = document) => root.querySelector(selector);

/** An element with attributes (`text`: its text; `on<event>`: a listener) and children. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children);
  return node;
}

/** A call to the API: the answer's JSON, or an Error with the server's message (`detail`). */
async function api(method, path, body) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (exc) {
    throw new Error("the server cannot be reached");
  }
  const json = (response.headers.get("content-type") || "").includes("json");
  const data = json ? await response.json() : null;
  if (!response.ok) {
    const error = new Error((data && data.detail) || `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.data = data;
    throw error;
  }
  return data;
}

function say(node, text, bad = false) {
  node.textContent = text;
  node.classList.toggle("bad", bad);
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}

const number = (x, digits = 0) =>
  x === null || x === undefined
    ? ""
    : Number(x).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const percent = (x) => (x === null || x === undefined ? "" : `${(100 * x).toFixed(1)} %`);
const when = (iso) => (iso ? String(iso).replace("T", " ").slice(0, 19) : "");

/** A stored result's overrides ({set: [...], sweep: [...]}) in one line. */
function overrides(o) {
  if (!o) return "";
  return Object.entries(o)
    .map(([k, v]) => `${k}: ${[].concat(v).join(", ")}`)
    .join("; ");
}

function confirmed(question) {
  return window.confirm(question);
}

// --- the scenarios -------------------------------------------------------------------------

async function scenariosPage() {
  const body = $("#scenarios tbody");
  const status = $("#scenarios-status");
  async function load() {
    let list;
    try {
      list = await api("GET", "/api/scenarios");
    } catch (exc) {
      say(status, exc.message, true);
      return;
    }
    body.replaceChildren(
      ...list.map((s) => {
        const remove =
          s.kind === "saved"
            ? el("button", {
                type: "button",
                class: "danger",
                text: "Delete",
                "aria-label": `Delete the scenario ${s.name}`,
                onclick: async () => {
                  if (!confirmed(`Delete the saved scenario ${s.name}?`)) return;
                  try {
                    await api("DELETE", `/api/scenarios/${encodeURIComponent(s.name)}`);
                    say(status, `Deleted ${s.name}.`);
                    load();
                  } catch (exc) {
                    say(status, exc.message, true);
                  }
                },
              })
            : "";
        return el(
          "tr",
          {},
          el("td", {}, el("a", { href: `/scenarios/${encodeURIComponent(s.name)}`, text: s.name })),
          el("td", { text: s.kind === "builtin" ? "built-in" : "saved" }),
          el("td", { text: s.plant ?? "" }),
          el("td", { class: "num", text: s.format ?? "" }),
          el("td", { text: when(s.updated_at) }),
          el("td", {}, remove),
        );
      }),
    );
  }
  load();
}

// --- the editor ----------------------------------------------------------------------------

function editorPage() {
  const root = $("#editor");
  const source = $("#source");
  const gutter = $("#gutter");
  const problemsList = $("#problems");
  const validity = $("#validity");
  const origin = root.dataset.origin;
  let name = root.dataset.name;
  let marks = new Map(); // line -> messages
  let checks = 0; // answers to older checks than the last one are dropped
  let timer = null;

  function drawGutter() {
    const lines = source.value.split("\n").length;
    const rows = [];
    for (let i = 1; i <= lines; i++) {
      const row = el("div", { text: String(i) });
      if (marks.has(i)) {
        row.className = "error";
        row.title = marks.get(i).join("\n");
      }
      rows.push(row);
    }
    gutter.replaceChildren(...rows);
    gutter.scrollTop = source.scrollTop;
  }

  function goToLine(line) {
    const starts = [0];
    for (let i = 0; i < source.value.length; i++) if (source.value[i] === "\n") starts.push(i + 1);
    const start = starts[line - 1] ?? 0;
    const end = line < starts.length ? starts[line] - 1 : source.value.length;
    source.focus();
    source.setSelectionRange(start, end);
    const lineHeight = parseFloat(getComputedStyle(source).lineHeight) || 18;
    source.scrollTop = Math.max(0, (line - 5) * lineHeight);
    gutter.scrollTop = source.scrollTop;
  }

  /** The CLI's line for a problem of the API's ({line, field, message}): name:line: field: … */
  const described = (p) => `${name || origin}${p.line ? `:${p.line}` : ""}: ${p.field}: ${p.message}`;

  /** Problems at their lines (marked in the gutter) and listed below the text. */
  function showProblems(problems) {
    marks = new Map();
    for (const p of problems) if (p.line) marks.set(p.line, [...(marks.get(p.line) || []), described(p)]);
    problemsList.replaceChildren(
      ...problems.map((p) => {
        const text = described(p);
        const item = p.line
          ? el("button", { type: "button", class: "problem-text", text, title: `go to line ${p.line}`, onclick: () => goToLine(p.line) })
          : el("span", { class: "problem-text", text });
        return el("li", { "data-line": p.line ?? "" }, item);
      }),
    );
    drawGutter();
  }

  async function validate() {
    const mine = ++checks;
    let answer;
    try {
      answer = await api("POST", "/api/validate", { source: source.value, name: name || origin });
    } catch (exc) {
      if (mine !== checks) return;
      say(validity, `Cannot check the scenario: ${exc.message}`, true);
      return;
    }
    if (mine !== checks) return;
    const problems = answer.problems || [];
    if (answer.ok) say(validity, "The scenario is valid.");
    else say(validity, `${problems.length} problem${problems.length === 1 ? "" : "s"} in the scenario:`, true);
    validity.classList.toggle("ok", answer.ok);
    showProblems(problems);
  }

  source.addEventListener("input", () => {
    drawGutter();
    clearTimeout(timer);
    timer = setTimeout(validate, 400);
  });
  source.addEventListener("scroll", () => {
    gutter.scrollTop = source.scrollTop;
  });
  drawGutter();
  validate();

  // the form of the common fields: read from the text and written into it by the API
  const fields = $("#fields");
  const fieldsStatus = $("#fields-status");
  let shown = [];
  function drawFields(list) {
    shown = list;
    fields.replaceChildren(
      ...list.flatMap((f, i) => {
        const id = `field-${i}`;
        return [
          el("label", { for: id, text: f.label }),
          el("input", {
            id,
            name: f.path,
            "data-path": f.path,
            inputmode: f.kind === "number" ? "decimal" : null,
            value: f.value === null || f.value === undefined ? "" : String(f.value),
            placeholder: f.value === null || f.value === undefined ? "(the default)" : null,
          }),
        ];
      }),
    );
  }
  async function readFields() {
    try {
      const answer = await api("POST", "/api/form", { source: source.value, fields: {} });
      drawFields(answer.fields || []);
      say(fieldsStatus, "");
    } catch (exc) {
      say(fieldsStatus, `The form needs valid TOML: ${exc.message}`, true);
    }
  }
  $("#fields-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const changed = {};
    for (const f of shown) {
      const input = fields.querySelector(`input[data-path="${CSS.escape(f.path)}"]`);
      const before = f.value === null || f.value === undefined ? "" : String(f.value);
      if (input && input.value.trim() !== before) changed[f.path] = input.value.trim();
    }
    if (!Object.keys(changed).length) {
      say(fieldsStatus, "Nothing changed.");
      return;
    }
    try {
      const answer = await api("POST", "/api/form", { source: source.value, fields: changed });
      source.value = answer.source;
      drawFields(answer.fields || []);
      say(fieldsStatus, `Set ${Object.keys(changed).join(", ")} in the TOML.`);
      drawGutter();
      validate();
    } catch (exc) {
      say(fieldsStatus, exc.message, true);
      if (exc.data && exc.data.problems) showProblems(exc.data.problems);
    }
  });
  readFields();

  // save under a name; a new name opens that scenario's page
  const saveStatus = $("#save-status");
  $("#save-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const target = $("#save-name").value.trim();
    try {
      await api("PUT", `/api/scenarios/${encodeURIComponent(target)}`, { source: source.value });
    } catch (exc) {
      say(saveStatus, `Not saved: ${exc.message}`, true);
      if (exc.data && exc.data.problems) showProblems(exc.data.problems);
      return;
    }
    if (target !== name || root.dataset.kind !== "saved") {
      window.location.assign(`/scenarios/${encodeURIComponent(target)}?saved=1`);
      return;
    }
    say(saveStatus, `Saved as ${target}.`);
  });
  if (new URLSearchParams(window.location.search).has("saved")) say(saveStatus, `Saved as ${name}.`);
  const remove = $("#delete-scenario");
  if (remove) {
    remove.addEventListener("click", async () => {
      if (!confirmed(`Delete the saved scenario ${name}?`)) return;
      try {
        await api("DELETE", `/api/scenarios/${encodeURIComponent(name)}`);
        window.location.assign("/");
      } catch (exc) {
        say(saveStatus, exc.message, true);
      }
    });
  }

  // start a run or an experiment as a job, then follow it on its page
  const runForm = $("#run-form");
  const experimentOnly = $(".experiment-only", runForm);
  const kind = () => runForm.elements.kind.value;
  const showKind = () => {
    experimentOnly.hidden = kind() !== "experiment";
  };
  for (const radio of runForm.elements.kind) radio.addEventListener("change", showKind);
  showKind();
  runForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = runForm.elements;
    const request = {
      kind: kind(),
      scenario: name || origin,
      source: source.value,
      seed: Number(f.seed.value),
      horizon: f.horizon.value.trim() || null,
      sets: [],
      label: f.label.value.trim() || null,
    };
    if (request.kind === "experiment") {
      request.reps = Number(f.reps.value);
      request.sweeps = f.sweeps.value.split("\n").map((s) => s.trim()).filter(Boolean);
      request.compare = f.compare.checked;
    }
    const status = $("#run-status");
    say(status, "Starting…");
    try {
      const job = await api("POST", "/api/jobs", request);
      window.location.assign(`/jobs/${job.id}`);
    } catch (exc) {
      say(status, `Not started: ${exc.message}`, true);
      if (exc.data && exc.data.problems) showProblems(exc.data.problems);
    }
  });
}

// --- a job ---------------------------------------------------------------------------------

function jobPage() {
  const id = $("#job").dataset.id;
  const bar = $("#job-progress");
  const cancel = $("#job-cancel");
  const result = $("#job-result");
  const finished = new Set(["done", "failed", "cancelled", "interrupted"]);

  function show(job) {
    $("#job-status").textContent = job.status;
    const total = job.total || 0;
    bar.max = Math.max(total, 1);
    bar.value = job.status === "done" ? bar.max : Math.min(job.done || 0, bar.max);
    const share = total ? ` (${Math.round((100 * (job.done || 0)) / total)} %)` : "";
    $("#job-progress-text").textContent = `${job.done || 0} of ${total || "?"}${share}`;
    say($("#job-message"), job.message || "", job.status === "failed");
    cancel.hidden = finished.has(job.status);
    if (job.result_id !== null && job.result_id !== undefined) {
      result.href = `/results/${job.result_id}`;
      result.hidden = false;
    }
  }
  async function poll() {
    let job;
    try {
      job = await api("GET", `/api/jobs/${id}`);
    } catch (exc) {
      say($("#job-message"), exc.message, true);
      setTimeout(poll, 2000);
      return;
    }
    show(job);
    if (!finished.has(job.status)) setTimeout(poll, 500);
  }
  cancel.addEventListener("click", async () => {
    try {
      show(await api("POST", `/api/jobs/${id}/cancel`));
    } catch (exc) {
      say($("#job-message"), exc.message, true);
    }
  });
  poll();
}

// --- the results ---------------------------------------------------------------------------

function resultsPage() {
  const body = $("#results tbody");
  const status = $("#results-status");
  const filter = $("#filter");
  const compare = $("#compare-picked");
  const picked = () =>
    [...body.querySelectorAll("input.pick:checked")].map((c) => Number(c.value)).sort((x, y) => x - y);
  const updateCompare = () => {
    compare.disabled = picked().length !== 2;
  };
  compare.addEventListener("click", () => {
    const [a, b] = picked();
    window.location.assign(`/compare${query({ a, b })}`);
  });

  function labelCell(r) {
    const input = el("input", { value: r.label ?? "", maxlength: 200, "aria-label": `label of result ${r.id}` });
    const save = el("button", {
      type: "button",
      text: "Save",
      "aria-label": `Save the label of result ${r.id}`,
      onclick: async () => {
        try {
          await api("PATCH", `/api/results/${r.id}`, { label: input.value.trim() || null });
          say(status, `Label of result ${r.id} saved.`);
        } catch (exc) {
          say(status, exc.message, true);
        }
      },
    });
    return el("td", { class: "label" }, input, " ", save);
  }

  async function load() {
    const f = filter.elements;
    let list;
    try {
      list = await api(
        "GET",
        `/api/results${query({ kind: f.kind.value, scenario: f.scenario.value.trim(), label: f.label.value.trim() })}`,
      );
    } catch (exc) {
      say(status, exc.message, true);
      return;
    }
    list.sort((x, y) => y.id - x.id);
    body.replaceChildren(
      ...list.map((r) =>
        el(
          "tr",
          { "data-id": r.id },
          el("td", {}, el("input", { type: "checkbox", class: "pick", value: r.id, "aria-label": `pick result ${r.id} to compare`, onchange: updateCompare })),
          el("td", {}, el("a", { href: `/results/${r.id}`, text: `${r.id}` })),
          el("td", { text: r.kind }),
          el("td", { text: r.scenario }),
          labelCell(r),
          el("td", { class: "num", text: number(r.horizon_hours) }),
          el("td", { class: "num", text: r.seed }),
          el("td", { class: "num", text: r.replications ?? "" }),
          el("td", { text: overrides(r.overrides) }),
          el("td", { class: "when", text: when(r.finished_at) }),
          el("td", { class: "num", text: number(r.units_stored) }),
          el("td", { class: "num", text: percent(r.attainment) }),
          el("td", { class: "num", text: percent(r.fill_rate) }),
          el(
            "td",
            {},
            el("a", { href: `/api/results/${r.id}/report`, text: "report" }),
            " ",
            el("button", {
              type: "button",
              class: "danger",
              text: "Delete",
              "aria-label": `Delete result ${r.id}`,
              onclick: async () => {
                if (!confirmed(`Delete result ${r.id} (${r.kind} of ${r.scenario})? This cannot be undone.`)) return;
                try {
                  await api("DELETE", `/api/results/${r.id}`);
                  say(status, `Result ${r.id} deleted.`);
                  load();
                } catch (exc) {
                  say(status, exc.message, true);
                }
              },
            }),
          ),
        ),
      ),
    );
    if (!list.length) body.replaceChildren(el("tr", {}, el("td", { colspan: 14, text: "No results." })));
    say(status, `${list.length} result${list.length === 1 ? "" : "s"}.`);
    updateCompare();
  }
  filter.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  load();
}

// --- a result ------------------------------------------------------------------------------

function resultPage() {
  const id = $("#result").dataset.id;
  $("#label-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = $("#label-status");
    try {
      await api("PATCH", `/api/results/${id}`, { label: $("#label").value.trim() || null });
      say(status, "Label saved.");
    } catch (exc) {
      say(status, exc.message, true);
    }
  });
}

// --- two results side by side --------------------------------------------------------------

async function comparePage() {
  const table = $("#compare");
  const status = $("#compare-status");
  let answer;
  try {
    answer = await api("GET", `/api/compare${query({ a: table.dataset.a, b: table.dataset.b })}`);
  } catch (exc) {
    say(status, exc.message, true);
    return;
  }
  // rows: {kpi, label, unit, a, b, difference}; shares ("%") are fractions
  const rows = answer.rows.map((k) => {
    const share = k.unit === "%";
    const fmt = (x) => (x === null ? "" : share ? percent(x) : `${number(x, Math.abs(x) < 100 ? 1 : 0)} ${k.unit}`);
    // the difference of two shares is in percentage points, not a percentage
    const points = (x) => `${(100 * x).toFixed(1)} pp`;
    const diff = k.difference === null ? "" : (k.difference > 0 ? "+" : "") + (share ? points(k.difference) : fmt(k.difference));
    return el(
      "tr",
      {},
      el("th", { scope: "row", text: k.label }),
      el("td", { class: "num", text: fmt(k.a) }),
      el("td", { class: "num", text: fmt(k.b) }),
      el("td", { class: "num", text: diff }),
    );
  });
  $("tbody", table).replaceChildren(...rows);
}

const pages = {
  scenarios: scenariosPage,
  editor: editorPage,
  job: jobPage,
  results: resultsPage,
  result: resultPage,
  compare: comparePage,
};
const start = pages[document.body.dataset.page];
if (start) start();
