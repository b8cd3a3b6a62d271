// zhantu's only script. Draws the charts whose ECharts option the server wrote into the
// element's data-chart attribute (clicking a bar or slice opens the list it counts; the chart
// library, named by body[data-charts], is loaded only on pages with a chart, once the first
// one comes into view, so that reading the page never waits for it), and
// wires the battle map's print button and the forms that post to the JSON API. Reading pages
// work without it: every number is also a link.
(function () {
  "use strict";
  function draw() {
    if (!window.echarts) return;
    var charts = [];
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var option;
      try {
        option = JSON.parse(el.getAttribute("data-chart"));
      } catch (e) {
        return;
      }
      option.textStyle = { fontFamily: "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif" };
      option.animationDuration = 300;
      if (option.grid) option.grid.containLabel = true;
      // A chart of one row per item (the cockpit's ranking of every unit) grows with them.
      var rows = parseInt(el.getAttribute("data-rows") || "0", 10);
      if (rows > 0) el.style.height = Math.max(300, rows * 24 + 40) + "px";
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option);
      chart.on("click", function (p) {
        if (p.data && p.data.link) window.location.href = p.data.link;
      });
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) {
        c.resize();
      });
    });
    if (window.performance && performance.mark) performance.mark("zhantu:charts");
  }
  function loadCharts() {
    var els = document.querySelectorAll(".chart[data-chart]");
    var src = document.body.getAttribute("data-charts");
    if (!els.length || !src) return;
    var started = false;
    var load = function () {
      if (started) return;
      started = true;
      if (window.echarts) return draw();
      var s = document.createElement("script");
      s.src = src;
      s.async = true;
      s.onload = draw;
      document.head.appendChild(s);
    };
    if (!("IntersectionObserver" in window)) return load();
    var seen = new IntersectionObserver(
      function (entries) {
        if (
          entries.some(function (e) {
            return e.isIntersecting;
          })
        ) {
          seen.disconnect();
          load();
        }
      },
      { rootMargin: "200px" }
    );
    els.forEach(function (el) {
      seen.observe(el);
    });
  }
  var print = document.getElementById("print-map");
  if (print) {
    print.addEventListener("click", function () {
      window.print();
    });
  }
  // Printed, the battle map's whole time span fits the width of the A3 landscape page (404 mm
  // inside the margins: 1,527 CSS px); its axis is repeated on every page by the table's head.
  var bm = document.querySelector("table.bm");
  if (bm) {
    window.addEventListener("beforeprint", function () {
      bm.style.zoom = String(Math.min(1, 1527 / bm.offsetWidth));
    });
    window.addEventListener("afterprint", function () {
      bm.style.zoom = "";
    });
  }
  // PNG of the battle map: the server's SVG drawn onto a canvas (at most 16,000 px a side).
  var png = document.getElementById("png-map");
  if (png && window.fetch && window.TextEncoder) {
    png.hidden = false;
    png.addEventListener("click", function () {
      png.disabled = true;
      window
        .fetch(png.getAttribute("data-svg"), { credentials: "same-origin" })
        .then(function (r) {
          return r.text();
        })
        .then(function (svg) {
          var bytes = new TextEncoder().encode(svg);
          var bin = "";
          for (var i = 0; i < bytes.length; i += 0x8000) {
            bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
          }
          var img = new Image();
          img.onload = function () {
            var scale = Math.min(1, 16000 / img.width, 16000 / img.height);
            var canvas = document.createElement("canvas");
            canvas.width = Math.round(img.width * scale);
            canvas.height = Math.round(img.height * scale);
            var g = canvas.getContext("2d");
            g.fillStyle = "#fff";
            g.fillRect(0, 0, canvas.width, canvas.height);
            g.drawImage(img, 0, 0, canvas.width, canvas.height);
            canvas.toBlob(function (blob) {
              var a = document.createElement("a");
              a.href = URL.createObjectURL(blob);
              a.download = "battle-map.png";
              document.body.appendChild(a);
              a.click();
              a.remove();
              png.disabled = false;
            }, "image/png");
          };
          img.src = "data:image/svg+xml;base64," + window.btoa(bin);
        })
        .catch(function () {
          png.disabled = false;
        });
    });
  }
  // Forms that post to the JSON API (form[data-api]): JSON from the named fields
  // (data-type="number" / "bool" convert; "ids" makes a list of numbers: the ticked
  // checkboxes of that name, or a comma-separated value), or multipart for uploads; the
  // session's CSRF token goes in the header; data-method names another verb (PUT, DELETE).
  // Success reloads the page, or opens data-done (a page that confirms what was sent, with
  // its message); a refusal shows the API's message.
  var csrf = document.querySelector('input[name="csrf_token"]');
  document.querySelectorAll("form[data-api]").forEach(function (f) {
    f.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var err = f.querySelector(".form-error");
      var btn = f.querySelector('button[type="submit"]');
      var headers = { "X-CSRF-Token": csrf ? csrf.value : "", Accept: "application/json" };
      var body;
      if (f.getAttribute("data-enctype") === "multipart") {
        body = new FormData(f);
      } else {
        var o = {};
        f.querySelectorAll("input[name], select[name], textarea[name]").forEach(function (el) {
          if (el.disabled) return;
          var v = el.value;
          var kind = el.getAttribute("data-type");
          if (kind === "ids") {
            var list = o[el.name] || [];
            if (el.type === "checkbox") {
              if (el.checked) list.push(Number(v));
            } else {
              v.split(",").forEach(function (x) {
                if (x.trim() !== "") list.push(Number(x));
              });
            }
            o[el.name] = list;
            return;
          }
          if (kind === "number") v = Number(v);
          else if (kind === "bool") v = v === "true";
          else if (v === "" && !el.required) return;
          o[el.name] = v;
        });
        body = JSON.stringify(o);
        headers["Content-Type"] = "application/json";
      }
      if (btn) btn.disabled = true;
      window
        .fetch(f.getAttribute("data-api"), { method: f.getAttribute("data-method") || "POST", body: body, headers: headers, credentials: "same-origin" })
        .then(function (r) {
          return r
            .json()
            .catch(function () {
              return {};
            })
            .then(function (j) {
              return { ok: r.ok, status: r.status, j: j };
            });
        })
        .then(function (res) {
          if (res.ok) {
            var done = f.getAttribute("data-done");
            if (done) window.location.href = done;
            else window.location.reload();
            return;
          }
          if (err) {
            err.textContent = (res.j.error && res.j.error.message) || "HTTP " + res.status;
            err.hidden = false;
          }
          if (btn) btn.disabled = false;
        })
        .catch(function (e) {
          if (err) {
            err.textContent = String(e);
            err.hidden = false;
          }
          if (btn) btn.disabled = false;
        });
    });
  });
  // A progress report's kind sets its period's default start: a weekly one the Monday of the
  // data date's week, a monthly one the 1st; the month's investment is asked of monthly ones
  // only (a weekly report carries none).
  document.querySelectorAll("select[data-period-start]").forEach(function (kind) {
    var start = document.getElementById(kind.getAttribute("data-period-start"));
    var form = kind.form;
    var sync = function () {
      var week = kind.value === "week";
      if (start) start.value = kind.getAttribute(week ? "data-week-start" : "data-month-start");
      if (form) {
        form.querySelectorAll(".month-only").forEach(function (el) {
          el.hidden = week;
          el.querySelectorAll("input").forEach(function (i) {
            i.disabled = week;
          });
        });
      }
    };
    kind.addEventListener("change", sync);
  });
  // Pickers: a project or node chosen by name, searched as one types (input[data-pick] asks
  // its URL with the typed text; input[data-pick-nodes] lists the nodes of the project named
  // in the input it names). The answers hold names only; the form sends the name.
  function fillList(input, url, label) {
    var list = input.list;
    if (!list || !window.fetch) return;
    window
      .fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.ok ? r.json() : { items: [] };
      })
      .then(function (j) {
        list.textContent = "";
        (j.items || []).forEach(function (it) {
          var o = document.createElement("option");
          o.value = it.name;
          o.label = label(it);
          list.appendChild(o);
        });
      })
      .catch(function () {});
  }
  document.querySelectorAll("input[data-pick]").forEach(function (input) {
    var timer;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var q = input.value.trim();
        if (q === "") return;
        fillList(input, input.getAttribute("data-pick") + encodeURIComponent(q), function (it) {
          return it.unit || "";
        });
      }, 200);
    });
  });
  document.querySelectorAll("input[data-pick-nodes]").forEach(function (input) {
    var project = document.getElementById(input.getAttribute("data-pick-nodes"));
    var load = function () {
      if (!project || project.value.trim() === "") return;
      fillList(input, "/api/v1/search/nodes?project=" + encodeURIComponent(project.value.trim()), function (it) {
        return it.planned_on || "";
      });
    };
    input.addEventListener("focus", load);
    if (project) project.addEventListener("change", load);
    load();
  });
  // The battle map opens with the data date in view (three quarters across the chart).
  var map = document.getElementById("battle-map");
  if (map && map.dataset.today) {
    var names = Number(map.dataset.names) || 0;
    map.scrollLeft = Math.max(0, Number(map.dataset.today) - 0.75 * (map.clientWidth - names));
  }
  // ---- excel: batch import (/import, /import/runs/{id}) ----
  // Uploads with the CSRF header, shows the run's progress, then opens its result page.
  function pollImport(id, bar, status) {
    var tick = function () {
      window
        .fetch("/api/v1/imports/" + id, { credentials: "same-origin" })
        .then(function (r) {
          return r.json();
        })
        .then(function (j) {
          if (bar) {
            bar.hidden = false;
            bar.max = Math.max(1, j.total || 1);
            bar.value = j.done || 0;
          }
          if (status && j.total) status.textContent = (j.done || 0) + " / " + j.total;
          if (j.state === "running") window.setTimeout(tick, 400);
          else window.location.href = "/import/runs/" + id;
        })
        .catch(function () {
          window.setTimeout(tick, 1500);
        });
    };
    tick();
  }
  function startImport(url, body, csrf, bar, status) {
    window
      .fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRF-Token": csrf } })
      .then(function (r) {
        return r.json().then(function (j) {
          if (!r.ok) throw new Error((j.error && j.error.message) || r.status);
          pollImport(j.id, bar, status);
        });
      })
      .catch(function (e) {
        if (status) status.textContent = e.message;
      });
  }
  var importForm = document.getElementById("import-form");
  if (importForm && window.fetch && window.FormData) {
    importForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var status = document.getElementById("import-status");
      status.textContent = "…";
      startImport("/api/v1/imports", new FormData(importForm), importForm.dataset.csrf, document.getElementById("import-progress"), status);
    });
  }
  var importRun = document.getElementById("import-run");
  if (importRun && window.fetch) pollImport(importRun.dataset.id, document.getElementById("import-progress"), document.getElementById("import-status"));
  var importConfirm = document.getElementById("import-confirm");
  if (importConfirm && window.fetch) {
    document.getElementById("import-commit").addEventListener("click", function (ev) {
      ev.target.disabled = true;
      startImport(
        "/api/v1/imports/" + importConfirm.dataset.id + "/commit",
        null,
        importConfirm.dataset.csrf,
        document.getElementById("import-progress"),
        document.getElementById("import-status")
      );
    });
  }
  // ---- end excel ----
  loadCharts();
})();
