// A table's scroll region (.app-table-scroll) is a tab stop only while it scrolls.
//
// A region that scrolls sideways must take focus, or a keyboard cannot scroll it (WCAG 2.1.1),
// so the templates write each one as a focusable region named for its table: that is what a
// browser without this script gets. Where the table fits, the stop does nothing and the region
// is one more landmark to wade through, so this takes tabindex, role and name away while the
// table fits, and gives them back when it stops fitting (a narrower window, larger text).
const regions = [...document.querySelectorAll(".app-table-scroll")];

function fit(region) {
  if (region.dataset.regionLabel === undefined) {
    region.dataset.regionLabel = region.getAttribute("aria-label") || "";
  }
  if (region.scrollWidth > region.clientWidth) {
    region.setAttribute("tabindex", "0");
    region.setAttribute("role", "region");
    region.setAttribute("aria-label", region.dataset.regionLabel);
  } else if (document.activeElement !== region) {
    // (A focused region keeps its stop until focus moves on: taking it away would lose focus.)
    region.removeAttribute("tabindex");
    region.removeAttribute("role");
    region.removeAttribute("aria-label"); // a name is not allowed on a plain <div>
  }
}

regions.forEach(fit);
if ("ResizeObserver" in window) {
  // The region and its table: either may change size without the window doing so.
  const observer = new ResizeObserver(() => regions.forEach(fit));
  regions.forEach((region) => {
    observer.observe(region);
    [...region.children].forEach((child) => observer.observe(child));
  });
} else {
  window.addEventListener("resize", () => regions.forEach(fit));
}
regions.forEach((region) => region.addEventListener("blur", () => fit(region)));
