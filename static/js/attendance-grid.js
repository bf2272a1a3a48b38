// The attendance grid (templates/capacity_plan/attendance_grid.html), without inline scripts
// (the Content-Security-Policy forbids them):
// - «Marcar a todos como presentes» ticks «Presente» in every row still «Sin registro» (rows
//   already marked keep their mark); the button shows only when this script runs.
// - Keyboard: ↑ / ↓ move to the same mark in the row above / below; ← / → change the row's mark
//   (as every radio group does); Enter ticks the focused mark and moves to the next row (on the
//   last row, to «Guardar asistencia») instead of sending the form.
(function () {
  "use strict";

  function rowsOf(grid) {
    return Array.prototype.slice.call(grid.querySelectorAll("tbody tr[data-servant]"));
  }

  function radioIn(row, value) {
    return row.querySelector('input[type="radio"][value="' + value + '"]');
  }

  function setUp(grid) {
    var form = grid.closest("form");
    var markAll = form.querySelector("[data-mark-all]");
    if (markAll) {
      markAll.hidden = false;
      markAll.addEventListener("click", function () {
        var value = markAll.getAttribute("data-mark-all");
        var marked = 0;
        rowsOf(grid).forEach(function (row) {
          var checked = row.querySelector('input[type="radio"]:checked');
          if (!checked || checked.value === "") {
            radioIn(row, value).checked = true;
            marked += 1;
          }
        });
        var status = form.querySelector("[data-mark-all-status]");
        if (status) {
          status.textContent = (status.getAttribute("data-template") || "%s").replace("%s", String(marked));
        }
      });
    }

    grid.addEventListener("keydown", function (event) {
      var radio = event.target;
      if (!(radio instanceof HTMLInputElement) || radio.type !== "radio") {
        return;
      }
      var rows = rowsOf(grid);
      var index = rows.indexOf(radio.closest("tr"));
      if (index < 0) {
        return;
      }
      var step = { ArrowDown: 1, ArrowUp: -1, Enter: 1 }[event.key];
      if (!step) {
        return;
      }
      event.preventDefault(); // neither the radio group's own move nor sending the form
      if (event.key === "Enter") {
        radio.checked = true;
      }
      var next = rows[index + step];
      if (next) {
        radioIn(next, radio.value).focus();
      } else if (event.key === "Enter") {
        var save = form.querySelector('button[type="submit"]');
        if (save) {
          save.focus();
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-attendance-grid]").forEach(setUp);
  });
})();
