// Small behaviours without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("change", function (event) {
  if (event.target.classList.contains("js-autosubmit")) {
    event.target.form.submit();
  }
});

// Cooperation page's table of contents: on a phone, choosing a section closes the list; the
// link of the section being read is marked (aria-current) as the page scrolls.
document.addEventListener("DOMContentLoaded", function () {
  var toc = document.querySelector(".cooperation-toc");
  if (!toc) {
    return;
  }
  var list = toc.querySelector(".collapse");
  toc.addEventListener("click", function (event) {
    var onPhone = toc.querySelector("[data-bs-toggle]").offsetParent !== null;
    if (event.target.closest(".toc-link") && onPhone && window.bootstrap) {
      window.bootstrap.Collapse.getOrCreateInstance(list).hide();
    }
  });
  if (!("IntersectionObserver" in window)) {
    return;
  }
  var links = Array.prototype.slice.call(toc.querySelectorAll(".toc-link"));
  var byTarget = new Map();
  links.forEach(function (link) {
    var target = document.getElementById(link.getAttribute("href").slice(1));
    var section = target && target.closest("section");
    if (section && !byTarget.has(section)) {
      byTarget.set(section, link);
    }
  });
  var observer = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          links.forEach(function (link) { link.removeAttribute("aria-current"); });
          byTarget.get(entry.target).setAttribute("aria-current", "location");
        }
      });
    },
    { rootMargin: "0px 0px -70% 0px" }
  );
  byTarget.forEach(function (_link, section) { observer.observe(section); });
});
