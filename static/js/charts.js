/* Draws every <canvas data-chart="…"> from the JSON of the element named by data-source
   (written by Django's json_script). Kinds: compare, totals, stacked, trend, timeline.
   Amounts come already in the unit the data names (`unit`, 천원 when it names none). */
(function () {
  "use strict";

  if (typeof Chart === "undefined") {
    return;
  }

  var COLORS = {
    prior: "#9aa5b1",
    current: "#0b5cad",
    final: "#7fb2e5",
    executed: "#1b7f5a",
    rate: "#b4451f",
    contract: "#5a8ec4",
    currentContract: "#0b3d6b",
    event: "#c77800",
    today: "#b4451f",
    gap: "#b4451f",
    grid: "#e3e7ec",
    text: "#333d47"
  };
  var number = new Intl.NumberFormat("ko-KR");

  function amount(value) {
    if (value === null || value === undefined) {
      return "";
    }
    return (value < 0 ? "△" : "") + number.format(Math.abs(value));
  }

  function unitOf(data) {
    return data.unit || "천원";
  }

  function amountLabel(unit) {
    return function (item) {
      if (item.raw === null) {
        return null;
      }
      return item.dataset.label + ": " + amount(item.raw) + unit;
    };
  }

  var PALETTE = ["#0b5cad", "#1b7f5a", "#c77800", "#b4451f", "#6a4c93", "#5a8ec4",
    "#7a8b2d", "#a0527a", "#2f7f8f", "#8c6d31", "#9aa5b1", "#333d47"];

  Chart.defaults.font.family = '"Noto Sans KR", "NanumGothic", "Nanum Gothic", "Malgun Gothic", sans-serif';
  Chart.defaults.font.size = 12;
  Chart.defaults.color = COLORS.text;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;

  /* Paper shows a canvas at about twice a screen's density: print at 2x at least. Pages made
     for paper (.report) draw at that density from the start, so they print as they look. */
  var PAPER_RATIO = Math.max(window.devicePixelRatio || 1, 2);
  var paperPage = document.querySelector(".report") !== null;
  if (paperPage) {
    Chart.defaults.devicePixelRatio = PAPER_RATIO;
  }

  /* Horizontal bars need room per label: grow the box with the number of rows. */
  function fitHeight(canvas, rows, perRow, extra) {
    var box = canvas.parentNode;
    box.style.height = Math.max(180, rows * perRow + extra) + "px";
  }

  function compare(canvas, data) {
    var unit = unitOf(data);
    fitHeight(canvas, data.labels.length, 34, 70);
    return {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.prior_label, data: data.prior, backgroundColor: COLORS.prior },
          { label: data.current_label, data: data.current, backgroundColor: COLORS.current }
        ]
      },
      options: {
        indexAxis: "y",
        scales: {
          x: {
            beginAtZero: true,
            title: { display: true, text: unit },
            ticks: { callback: amount, maxTicksLimit: 6 },
            grid: { color: COLORS.grid }
          },
          y: { grid: { display: false } }
        },
        plugins: {
          legend: { position: "top", align: "start" },
          tooltip: { callbacks: { label: amountLabel(unit) } }
        }
      }
    };
  }

  /* One total per year, as vertical bars. */
  function totals(canvas, data) {
    var unit = unitOf(data);
    return {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: data.current_label, data: data.current, backgroundColor: COLORS.current }]
      },
      options: {
        scales: {
          y: {
            beginAtZero: true,
            title: { display: true, text: unit },
            ticks: { callback: amount, maxTicksLimit: 6 },
            grid: { color: COLORS.grid }
          },
          x: { grid: { display: false } }
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: amountLabel(unit) } }
        }
      }
    };
  }

  /* Parts of each year's total, stacked: one dataset per part (a category, say). */
  function stacked(canvas, data) {
    var unit = unitOf(data);
    return {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series, index) {
          return { label: series.label, data: series.values, backgroundColor: PALETTE[index % PALETTE.length] };
        })
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          y: {
            stacked: true,
            beginAtZero: true,
            title: { display: true, text: unit },
            ticks: { callback: amount, maxTicksLimit: 6 },
            grid: { color: COLORS.grid }
          },
          x: { stacked: true, grid: { display: false } }
        },
        plugins: {
          legend: { position: "top", align: "start" },
          tooltip: { callbacks: { label: amountLabel(unit) } }
        }
      }
    };
  }

  function trend(canvas, data) {
    return {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: "예산액", data: data.budget, backgroundColor: COLORS.current, yAxisID: "y", order: 2 },
          { label: "결산 최종예산", data: data.final_budget, backgroundColor: COLORS.final, yAxisID: "y", order: 2 },
          { label: "집행액", data: data.executed, backgroundColor: COLORS.executed, yAxisID: "y", order: 2 },
          {
            type: "line",
            label: "집행률(%)",
            data: data.rate,
            borderColor: COLORS.rate,
            backgroundColor: COLORS.rate,
            pointRadius: 4,
            spanGaps: true,
            yAxisID: "rate",
            order: 1
          }
        ]
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          y: {
            beginAtZero: true,
            grace: "20%",
            position: "left",
            title: { display: true, text: "천원" },
            ticks: { callback: amount, maxTicksLimit: 6 },
            grid: { color: COLORS.grid }
          },
          rate: {
            position: "right",
            min: 0,
            suggestedMax: 100,
            title: { display: true, text: "집행률(%)" },
            grid: { drawOnChartArea: false }
          },
          x: { grid: { display: false } }
        },
        plugins: {
          legend: { position: "top", align: "start" },
          tooltip: {
            callbacks: {
              label: function (item) {
                if (item.raw === null) {
                  return null;
                }
                if (item.dataset.yAxisID === "rate") {
                  return "집행률: " + item.raw.toFixed(1) + "%";
                }
                return item.dataset.label + ": " + amount(item.raw) + "천원";
              }
            }
          }
        }
      }
    };
  }

  /* The timeline's marks that Chart.js has no element for: today, the current contract's
     end, and a bracket where consecutive contracts leave a gap or overlap. */
  var timelineMarks = {
    id: "timelineMarks",
    afterDatasetsDraw: function (chart, args, options) {
      var ctx = chart.ctx;
      var area = chart.chartArea;
      var x = chart.scales.x;
      var bars = chart.getDatasetMeta(0).data;
      ctx.save();
      ctx.font = "12px " + Chart.defaults.font.family;

      options.contracts.forEach(function (contract, index) {
        if (!contract.gap || index === 0 || !bars[index]) {
          return;
        }
        var from = x.getPixelForValue(options.contracts[index - 1].end);
        var to = x.getPixelForValue(contract.start);
        var yTop = bars[index - 1].y;
        var yBottom = bars[index].y;
        ctx.strokeStyle = COLORS.gap;
        ctx.fillStyle = COLORS.gap;
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(from, yTop);
        ctx.lineTo(from, yBottom);
        ctx.lineTo(to, yBottom);
        ctx.stroke();
        ctx.textAlign = "left";
        ctx.textBaseline = "middle";
        ctx.fillText(contract.gap, Math.max(from, to) + 6, (yTop + yBottom) / 2);
      });

      if (options.currentEnd) {
        var index = options.contracts.findIndex(function (c) { return c.current; });
        var bar = bars[index];
        if (bar) {
          var endX = x.getPixelForValue(options.currentEnd.x);
          var startX = x.getPixelForValue(options.contracts[index].start);
          ctx.fillStyle = COLORS.currentContract;
          ctx.beginPath();
          ctx.arc(endX, bar.y, 5, 0, 2 * Math.PI);
          ctx.fill();
          /* On the bar's own row: after its end if there is room, else before its start
             (a row of its own, so nothing else is drawn there). */
          var text = options.currentEnd.text;
          var width = ctx.measureText(text).width;
          ctx.textBaseline = "middle";
          if (endX + 10 + width <= area.right) {
            ctx.textAlign = "left";
            ctx.fillText(text, endX + 10, bar.y);
          } else {
            ctx.textAlign = "right";
            ctx.fillText(text, Math.max(startX - 6, area.left + width), bar.y);
          }
        }
      }

      var todayX = x.getPixelForValue(options.today);
      if (todayX >= area.left && todayX <= area.right) {
        ctx.strokeStyle = COLORS.today;
        ctx.lineWidth = 2;
        ctx.setLineDash([5, 4]);
        ctx.beginPath();
        ctx.moveTo(todayX, area.top);
        ctx.lineTo(todayX, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = COLORS.today;
        ctx.textAlign = "right";
        ctx.textBaseline = "top";
        ctx.fillText(options.todayText, todayX - 4, area.top + 2);
      }
      ctx.restore();
    }
  };

  function yearTicks(scale) {
    var first = new Date(scale.min).getUTCFullYear() + 1;
    var last = new Date(scale.max).getUTCFullYear();
    var room = Math.max(2, Math.floor(scale.width / 56));
    var step = Math.max(1, Math.ceil((last - first + 1) / room));
    var ticks = [];
    for (var year = first; year <= last; year += 1) {
      if (year % step === 0) {
        ticks.push({ value: Date.UTC(year, 0, 1) });
      }
    }
    scale.ticks = ticks;
  }

  function timeline(canvas, data) {
    var rows = data.contracts.map(function (c) { return c.label; });
    if (data.events.length) {
      rows.push(data.events_label);
    }
    fitHeight(canvas, rows.length, 34, 90);
    var year = 365.25 * 86400000;
    var datasets = [];
    if (data.contracts.length) {
      datasets.push({
        label: "위탁 협약",
        data: data.contracts.map(function (c) {
          return { x: [c.start, c.end], y: c.label };
        }),
        backgroundColor: data.contracts.map(function (c) {
          return c.current ? COLORS.currentContract : COLORS.contract;
        }),
        barPercentage: 0.8,
        categoryPercentage: 0.9,
        grouped: false
      });
    }
    if (data.events.length) {
      datasets.push({
        type: "scatter",
        label: data.events_label,
        data: data.events.map(function (e) {
          return { x: e.x, y: data.events_label };
        }),
        backgroundColor: COLORS.event,
        borderColor: "#ffffff",
        pointStyle: "rectRot",
        pointRadius: 6,
        pointHoverRadius: 8
      });
    }
    return {
      type: "bar",
      data: {
        labels: rows,
        datasets: datasets
      },
      options: {
        indexAxis: "y",
        scales: {
          x: {
            type: "linear",
            min: data.min - year / 2,
            max: Math.max(data.max, data.today) + year / 2,
            afterBuildTicks: yearTicks,
            ticks: {
              autoSkip: false,
              callback: function (value) {
                return new Date(value).getUTCFullYear();
              }
            },
            grid: { color: COLORS.grid }
          },
          y: { type: "category", labels: rows, grid: { display: false } }
        },
        plugins: {
          legend: { position: "top", align: "start" },
          tooltip: {
            callbacks: {
              label: function (item) {
                if (item.dataset.type === "scatter") {
                  var event = data.events[item.dataIndex];
                  return event.date + " " + event.text;
                }
                var contract = data.contracts[item.dataIndex];
                return contract.label + ": " + contract.text + (contract.gap ? " (" + contract.gap + ")" : "");
              }
            }
          },
          timelineMarks: {
            contracts: data.contracts,
            currentEnd: data.current_end,
            today: data.today,
            todayText: data.today_text
          }
        }
      },
      plugins: [timelineMarks]
    };
  }

  var builders = { compare: compare, totals: totals, stacked: stacked, trend: trend, timeline: timeline };

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.source);
    var build = builders[canvas.dataset.chart];
    if (!source || !build) {
      return;
    }
    var chart = new Chart(canvas, build(canvas, JSON.parse(source.textContent)));
    if (paperPage) {
      toPicture(chart, canvas);
    }
  });

  /* On paper a chart is a picture. Chromium prints a canvas as drawing commands, so its
     labels and ticks would be text in the PDF, read back as rows of the tables beside it
     when the report is imported (and the drawing commands are most of a page to parse). */
  function toPicture(chart, canvas) {
    var picture = document.createElement("img");
    picture.src = chart.toBase64Image();
    picture.alt = canvas.getAttribute("aria-label");
    picture.id = canvas.id;
    picture.className = "chart-picture";
    picture.dataset.chart = canvas.dataset.chart;
    chart.destroy();
    canvas.replaceWith(picture);
  }

  /* Chart.js does not resize for print by itself: redraw every chart at its printed size and
     density before printing, and back after. With animation off (above) each redraw is
     complete at once. Chromium fires `beforeprint` and also switches `matchMedia("print")`. */
  function redraw(forPaper) {
    Object.values(Chart.instances).forEach(function (chart) {
      chart.options.devicePixelRatio = forPaper ? PAPER_RATIO : undefined;
      chart.resize();
    });
  }
  window.addEventListener("beforeprint", function () {
    redraw(true);
  });
  window.addEventListener("afterprint", function () {
    redraw(false);
  });
  window.matchMedia("print").addEventListener("change", function (event) {
    redraw(event.matches);
  });
})();
