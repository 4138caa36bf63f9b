// The page's behaviour: show a figure's quote in its article, show an incident, filter the
// charts over time. The charts themselves are Plotly figures built in Python; this script only
// hands Plotly the figures and the filtered counts.
(function () {
  "use strict";
  const report = JSON.parse(document.getElementById("report-data").textContent);
  const config = report.plotly_config;

  // A figure's quote, marked inside the article text around it.
  const dialog = document.getElementById("article");
  function showStatement(id) {
    const c = report.contexts[id];
    if (!c) return;
    document.getElementById("article-title").textContent = c.title || "(untitled article)";
    const meta = [c.publisher, c.published_date].filter(Boolean).join(" · ");
    const metaNode = document.getElementById("article-meta");
    metaNode.textContent = meta;
    if (c.url) {
      const link = document.createElement("a");
      link.href = c.url;
      link.textContent = "original article";
      metaNode.append(meta ? " · " : "", link);
    }
    document.getElementById("article-figure").textContent = "Figure " + c.figure + ", " +
      (c.claimant ? "according to " + c.claimant : "in the article's own voice") + ":";
    const text = document.getElementById("article-text");
    const mark = document.createElement("mark");
    mark.textContent = c.quote;
    text.replaceChildren((c.cut_before ? "… " : "") + c.before, mark, c.after + (c.cut_after ? " …" : ""));
    dialog.showModal();
    mark.scrollIntoView({block: "center"});
  }
  document.addEventListener("click", function (event) {
    const link = event.target.closest("[data-statement]");
    if (link) {
      event.preventDefault();
      showStatement(link.dataset.statement);
    }
  });

  // An incident: its toll over time and its statements.
  const detail = document.getElementById("incident-detail");
  let chartReady = false;
  function showIncident(n) {
    const incident = report.incidents[n];
    detail.hidden = false;
    document.getElementById("incident-heading").textContent =
      "Incident " + incident.incident_id + " (" + incident.category + ")";
    document.querySelectorAll(".incident-statements").forEach(function (node) {
      node.hidden = node.dataset.incident !== String(n);
    });
    document.querySelectorAll(".incident-row").forEach(function (row) {
      row.classList.toggle("selected", row.dataset.incident === String(n));
    });
    const chart = document.getElementById("incident-chart");
    Plotly.react(chart, incident.figure.data, incident.figure.layout, config);
    if (!chartReady) {
      // A click on a point shows that statement's quote.
      chart.on("plotly_click", function (event) { showStatement(event.points[0].customdata); });
      chartReady = true;
    }
  }
  document.querySelectorAll(".incident-row").forEach(function (row) {
    row.addEventListener("click", function () { showIncident(Number(row.dataset.incident)); });
    row.addEventListener("keydown", function (event) {
      if (event.key === "Enter") showIncident(Number(row.dataset.incident));
    });
  });
  if (report.incidents.length) showIncident(0);

  // The filter: sum the cube's rows that match into the traces the charts were built with.
  const cube = report.cube;
  const col = Object.fromEntries(cube.columns.map(function (name, i) { return [name, i]; }));
  const publisher = document.getElementById("filter-publisher");
  const category = document.getElementById("filter-category");
  function perPeriod(rows, axis) {
    const sums = cube.axes[axis].map(function () { return cube.axes.period.map(function () { return 0; }); });
    rows.forEach(function (r) { if (r[col.period] >= 0) sums[r[col[axis]]][r[col.period]] += r[col.figures]; });
    return sums;
  }
  function applyFilter() {
    const p = Number(publisher.value), k = Number(category.value);
    const rows = cube.rows.filter(function (r) {
      return (p < 0 || r[col.publisher] === p) && (k < 0 || r[col.category] === k);
    });
    ["category", "claimant"].forEach(function (axis) {
      const sums = perPeriod(rows, axis);
      Plotly.restyle("chart-" + axis, {y: sums}, sums.map(function (_, i) { return i; }));
    });
    const total = rows.reduce(function (sum, r) { return sum + r[col.figures]; }, 0);
    const shares = report.quality.map(function (name) {
      const n = rows.reduce(function (sum, r) { return sum + r[col[name]]; }, 0);
      return total ? Math.round(1000 * n / total) / 10 : 0;
    });
    Plotly.restyle("chart-quality", {x: [shares], text: [shares.map(function (s) { return s.toFixed(1) + "%"; })]}, [0]);
    document.getElementById("filter-count").textContent = total.toLocaleString("en") + " figures";
  }
  publisher.addEventListener("change", applyFilter);
  category.addEventListener("change", applyFilter);
  applyFilter();
})();
