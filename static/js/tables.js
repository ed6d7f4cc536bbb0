/* Wide year-by-year tables (<div class="table-scroll" data-scroll-end>) open scrolled to
   their right end, where the latest years are, instead of hiding them past the edge. */
(function () {
  "use strict";
  document.querySelectorAll("[data-scroll-end]").forEach(function (box) {
    box.scrollLeft = box.scrollWidth;
  });
})();
