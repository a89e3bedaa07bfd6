// Dashboard charts (Chart.js, bundled from npm). Data come from a JSON block in the page, so no
// inline script is needed (CSP script-src 'self'). Every chart element links to its task list.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var links = JSON.parse(document.getElementById("dashboard-links").textContent);
  var COLORS = {
    completed_on_time: "#1e6b35",
    completed_late: "#d9822b",
    in_progress_on_time: "#4f81bd",
    overdue: "#a3161a"
  };
  var pct = function (v) { return v === null || v === undefined ? "—" : (v * 100).toFixed(1).replace(".", ",") + "%"; };

  function drill(extra) {
    var params = new URLSearchParams(links.query);
    Object.keys(extra).forEach(function (k) { if (extra[k] !== null && extra[k] !== undefined) params.set(k, extra[k]); });
    window.location.href = links.tasks + "?" + params.toString();
  }
  function onClick(handler) {
    return function (event, elements) { if (elements.length) handler(elements[0]); };
  }
  Chart.defaults.font.family = '"Segoe UI", Roboto, "Noto Sans", Arial, sans-serif';
  Chart.defaults.animation = false;

  var cat = data.categories;
  new Chart(document.getElementById("chart-categories"), {
    type: "doughnut",
    data: { labels: cat.labels, datasets: [{ data: cat.values, backgroundColor: cat.keys.map(function (k) { return COLORS[k]; }) }] },
    options: {
      plugins: { legend: { position: "right" } },
      onClick: onClick(function (el) { drill({ category: cat.keys[el.index] }); })
    }
  });

  var units = data.units;
  new Chart(document.getElementById("chart-units"), {
    type: "bar",
    data: { labels: units.labels, datasets: [{ label: "Tỷ lệ đúng hạn", data: units.rates.map(function (r) { return r === null ? null : r * 100; }), backgroundColor: "#1f5fbf" }] },
    options: {
      indexAxis: "y",
      scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) { return pct(units.rates[c.dataIndex]) + " (" + units.received[c.dataIndex] + " nhiệm vụ)"; } } } },
      onClick: onClick(function (el) { drill({ row: units.ids[el.index] }); })
    }
  });

  var trend = data.trend;
  var monthLabel = function (m) { return m.slice(5) + "/" + m.slice(0, 4); };
  var trendSets = cat.keys.map(function (k, i) {
    return { type: "bar", label: cat.labels[i], data: trend.series[k], backgroundColor: COLORS[k], stack: "tasks", yAxisID: "y" };
  });
  trendSets.push({ type: "line", label: "Tỷ lệ đúng hạn (%)", data: trend.rates.map(function (r) { return r === null ? null : r * 100; }), borderColor: "#222", backgroundColor: "#222", yAxisID: "rate", spanGaps: true });
  new Chart(document.getElementById("chart-trend"), {
    data: { labels: trend.months.map(monthLabel), datasets: trendSets },
    options: {
      scales: { y: { stacked: true, title: { display: true, text: "Số nhiệm vụ" } }, x: { stacked: true }, rate: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: "%" } } },
      onClick: onClick(function (el) {
        var key = cat.keys[el.datasetIndex];
        drill({ issued_month: trend.months[el.index], category: key || null });
      })
    }
  });

  var heat = data.heatmap;
  var cells = [];
  heat.units.forEach(function (u, y) {
    heat.months.forEach(function (m, x) { cells.push({ x: monthLabel(m), y: u.name, v: heat.cells[y][x], unit: u.id, month: m }); });
  });
  var canvas = document.getElementById("chart-heatmap");
  canvas.parentNode.style.minHeight = (80 + heat.units.length * 34) + "px";
  new Chart(canvas, {
    type: "matrix",
    data: { datasets: [{
      label: "Nhiệm vụ trễ hạn",
      data: cells,
      backgroundColor: function (c) {
        var v = c.raw ? c.raw.v : 0; var a = heat.max ? v / heat.max : 0;
        return v ? "rgba(163, 22, 26, " + (0.15 + 0.85 * a).toFixed(2) + ")" : "#f1f3f6";
      },
      borderColor: "#ffffff", borderWidth: 1,
      width: function (c) { var a = c.chart.chartArea; return a ? a.width / heat.months.length - 2 : 10; },
      height: function (c) { var a = c.chart.chartArea; return a ? a.height / Math.max(heat.units.length, 1) - 2 : 10; }
    }] },
    options: {
      maintainAspectRatio: false,
      plugins: { legend: { display: false }, tooltip: { callbacks: { title: function () { return ""; }, label: function (c) { return c.raw.y + " · " + c.raw.x + ": " + c.raw.v + " nhiệm vụ trễ hạn"; } } } },
      scales: {
        x: { type: "category", labels: heat.months.map(monthLabel), offset: true, grid: { display: false } },
        y: { type: "category", labels: heat.units.map(function (u) { return u.name; }).reverse(), offset: true, grid: { display: false } }
      },
      onClick: onClick(function (el) { var raw = cells[el.index]; if (raw.v) drill({ row: raw.unit, due_month: raw.month, missed: 1 }); })
    }
  });
})();
