// What every chart page shares: our own copy of Apache ECharts (js/echarts.min.js, no CDN), the
// page's figures from a JSON script element (the Content Security Policy allows no inline code),
// and charts that follow the window's size. A page loads echarts.min.js, this file, then its own
// script, which calls jiesuCharts.data(...) and jiesuCharts.draw(...).
window.jiesuCharts = (function () {
  var charts = [];
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
  return {
    // The figures in the element with this id, or null when the page has none or ECharts is missing.
    data: function (id) {
      var el = document.getElementById(id);
      if (!el || !window.echarts) return null;
      return JSON.parse(el.textContent);
    },
    // Draw into the element with this id, if the page has it; data-drawn marks it done.
    draw: function (id, option) {
      var node = document.getElementById(id);
      if (!node) return;
      var chart = window.echarts.init(node);
      chart.setOption(option);
      node.setAttribute("data-drawn", "1");
      charts.push(chart);
    }
  };
})();
