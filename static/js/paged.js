/* The page numbers of a report's table of contents (<span data-page-of="id"> in a
   <div class="report" data-paged>), as the report prints on A4.

   Browsers tell no page of an element (Chromium has no target-counter()), so each page-sized
   block of the report (cover, contents, each sheet; each prints from a new page) is laid out
   once more, out of sight, in columns as high and wide as a printed page's content
   (`.paged-measure` in print.css): the browser breaks it into columns as it breaks it into
   pages, and its columns are its pages. What print repeats on every page and columns do not
   is put in by hand: a sheet's running head (each column is shorter by its height) and the
   header row of a table that runs on (copied above the row that starts a column). Done when
   the page has loaded and again before printing; the report then has data-paged="done". */
(function () {
  "use strict";

  var report = document.querySelector(".report[data-paged]");
  if (!report) {
    return;
  }
  var PAGE_HEIGHT_MM = 297 - 12 - 14; // A4 less the top and bottom margins of @page

  function millimetre() {
    var probe = document.createElement("div");
    probe.style.height = "100mm";
    document.body.appendChild(probe);
    var size = probe.getBoundingClientRect().height / 100;
    probe.remove();
    return size;
  }

  /* A copy of the header row above each row of a table that starts a new column. */
  function repeatHeaders(copy, columnOf) {
    for (var round = 0; round < 1000; round += 1) {
      var starter = null;
      copy.querySelectorAll("table.doc").forEach(function (table) {
        if (starter || !table.tHead) {
          return;
        }
        var column = columnOf(table.tHead);
        Array.prototype.some.call(table.querySelectorAll(":scope > tbody > tr, :scope > tfoot > tr"), function (row) {
          var next = columnOf(row);
          if (next > column && !row.dataset.repeated) {
            starter = [table, row];
            return true;
          }
          column = next;
          return false;
        });
      });
      if (!starter) {
        return;
      }
      Array.prototype.forEach.call(starter[0].tHead.rows, function (headerRow) {
        var repeated = headerRow.cloneNode(true);
        repeated.dataset.repeated = "yes";
        repeated.style.breakBefore = "column";
        starter[1].parentNode.insertBefore(repeated, starter[1]);
      });
      starter[1].dataset.repeated = "after";
    }
  }

  function pagesOf(block, mm) {
    var measure = document.createElement("div");
    measure.className = "report paged-measure";
    measure.setAttribute("aria-hidden", "true");
    var copy = block.cloneNode(true);
    copy.removeAttribute("id");
    measure.appendChild(copy);
    document.body.appendChild(measure);
    var height = PAGE_HEIGHT_MM * mm;
    var head = copy.querySelector(":scope > thead");
    if (head) {
      height -= head.getBoundingClientRect().height;
      head.remove();
    }
    measure.style.height = height + "px";
    var origin = measure.getBoundingClientRect().left;
    var width = measure.clientWidth;
    repeatHeaders(copy, function (element) {
      return Math.floor((element.getBoundingClientRect().left - origin + 1) / width);
    });
    var pages = Math.max(1, Math.round(measure.scrollWidth / width));
    measure.remove();
    return pages;
  }

  function number() {
    var mm = millimetre();
    var starts = {};
    var page = 1;
    Array.prototype.forEach.call(report.children, function (block) {
      if (block.id) {
        starts[block.id] = page;
      }
      page += pagesOf(block, mm);
    });
    report.querySelectorAll("[data-page-of]").forEach(function (slot) {
      slot.textContent = starts[slot.dataset.pageOf] || "";
    });
    report.dataset.paged = "done";
  }

  (document.fonts ? document.fonts.ready : Promise.resolve()).then(number);
  window.addEventListener("beforeprint", number);
})();
