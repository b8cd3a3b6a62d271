// zhantu's only script. Draws the charts whose ECharts option the server wrote into the
// element's data-chart attribute (clicking a bar or slice opens the list it counts), and
// wires the battle map's print button. Pages work without it: every number is also a link.
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
  }
  var print = document.getElementById("print-map");
  if (print) {
    print.addEventListener("click", function () {
      window.print();
    });
  }
  // The battle map opens with the data date in view (three quarters across the chart).
  var map = document.getElementById("battle-map");
  if (map && map.dataset.today) {
    var names = Number(map.dataset.names) || 0;
    map.scrollLeft = Math.max(0, Number(map.dataset.today) - 0.75 * (map.clientWidth - names));
  }
  draw();
})();
