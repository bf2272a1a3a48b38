// Editable tables (Django inline formsets, templates/cooperations/_formset_table.html): rows are
// added from the formset's empty form and removed in place, and cells copied from a spreadsheet
// (tab-separated text, one row per line) are pasted into as many rows as they fill. Without
// JavaScript the table works as a plain formset: «Añadir fila» asks the server for more rows and
// «Eliminar» marks a row to delete.
(function () {
  "use strict";

  var TRUE_WORDS = /^(s[ií]|x|true|verdadero|1|✓|✔)$/i;

  function normalise(text) {
    return (text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/\s+/g, " ")
      .trim()
      .toLowerCase();
  }

  // Spreadsheet clipboard text: cells separated by tabs, rows by line breaks; a cell holding a
  // tab, a line break or a quote comes quoted ("…", with "" for a quote).
  function parseTabSeparated(text) {
    var rows = [];
    var row = [];
    var cell = "";
    var quoted = false;
    var atCellStart = true;
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (ch === '"') {
          quoted = false;
        } else {
          cell += ch;
        }
        continue;
      }
      if (ch === '"' && atCellStart) {
        quoted = true;
        atCellStart = false;
      } else if (ch === "\t") {
        row.push(cell);
        cell = "";
        atCellStart = true;
      } else if (ch === "\n" || ch === "\r") {
        if (ch === "\r" && text[i + 1] === "\n") {
          i++;
        }
        row.push(cell);
        rows.push(row);
        row = [];
        cell = "";
        atCellStart = true;
      } else {
        cell += ch;
        atCellStart = false;
      }
    }
    if (cell !== "" || row.length) {
      row.push(cell);
      rows.push(row);
    }
    return rows;
  }

  // The option of a <select> (or the checkbox of a list) a pasted text names: its whole label,
  // the acronym in its parentheses («… (MTPE)»), or the one label that starts with or contains it.
  function bestMatch(items, text, labelOf) {
    var wanted = normalise(text);
    if (!wanted) {
      return null;
    }
    var exact = [];
    var acronym = [];
    var starts = [];
    var contains = [];
    items.forEach(function (item) {
      var label = normalise(labelOf(item));
      var inParentheses = /\(([^)]*)\)\s*$/.exec(label);
      if (label === wanted) {
        exact.push(item);
      } else if (inParentheses && inParentheses[1] === wanted) {
        acronym.push(item);
      } else if (label.indexOf(wanted) === 0) {
        starts.push(item);
      } else if (label.indexOf(wanted) > 0) {
        contains.push(item);
      }
    });
    var found = [exact, acronym, starts, contains].filter(function (list) { return list.length === 1; })[0];
    return exact[0] || acronym[0] || (found ? found[0] : null);
  }

  function isoDate(text) {
    var value = text.trim();
    var match = /^(\d{1,2})[\/.-](\d{1,2})[\/.-](\d{4})$/.exec(value);
    if (match) {
      return match[3] + "-" + ("0" + match[2]).slice(-2) + "-" + ("0" + match[1]).slice(-2);
    }
    return value;
  }

  function changed(control) {
    control.dispatchEvent(new Event("input", { bubbles: true }));
    control.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function labelText(checkbox) {
    var label = checkbox.id && checkbox.ownerDocument.querySelector('label[for="' + checkbox.id + '"]');
    return label ? label.textContent : checkbox.value;
  }

  // Put a pasted text in a cell; false when the text names no choice of the cell.
  function fillCell(cell, text) {
    var checkboxes = cell.querySelectorAll('input[type="checkbox"]');
    var control = cell.querySelector('input:not([type="hidden"]):not([type="checkbox"]), select, textarea');
    if (!control && checkboxes.length === 1) {
      checkboxes[0].checked = TRUE_WORDS.test(text.trim());
      changed(checkboxes[0]);
      return true;
    }
    if (!control && checkboxes.length > 1) {
      var all = Array.prototype.slice.call(checkboxes);
      var names = text.split(/\s*(?:[,;\/]|\sy\s|\se\s)\s*/).filter(function (name) { return name.trim(); });
      var chosen = names.map(function (name) { return bestMatch(all, name, labelText); });
      all.forEach(function (checkbox) {
        checkbox.checked = chosen.indexOf(checkbox) >= 0;
        changed(checkbox);
      });
      return chosen.indexOf(null) < 0;
    }
    if (!control) {
      return true;
    }
    if (control.tagName === "SELECT") {
      var options = Array.prototype.slice.call(control.options);
      if (!text.trim()) {
        control.value = "";
        changed(control);
        return true;
      }
      var option = bestMatch(options.filter(function (item) { return item.value; }), text, function (item) {
        return item.textContent;
      });
      if (!option) {
        return false;
      }
      control.value = option.value;
      changed(control);
      return true;
    }
    if (control.type === "date") {
      control.value = isoDate(text);
    } else if (control.type === "number") {
      control.value = text.trim().replace(",", ".");
    } else {
      control.value = control.tagName === "TEXTAREA" ? text.trim() : text.replace(/\s+/g, " ").trim();
    }
    changed(control);
    return true;
  }

  function FormsetTable(container) {
    this.container = container;
    this.prefix = container.getAttribute("data-formset");
    this.total = container.querySelector('input[name="' + this.prefix + '-TOTAL_FORMS"]');
    this.initial = parseInt(container.querySelector('input[name="' + this.prefix + '-INITIAL_FORMS"]').value, 10);
    this.body = container.querySelector("[data-formset-body]");
    this.template = container.querySelector("template[data-formset-empty]");
    this.status = container.querySelector("[data-formset-status]");
    this.reveal(container);
    this.rows().forEach(function (row) {
      var deletion = this.deletion(row);
      if (deletion && deletion.checked) {
        this.markRemoved(row, true);
      }
    }, this);
    container.addEventListener("click", this.onClick.bind(this));
    container.addEventListener("paste", this.onPaste.bind(this));
    container.addEventListener("input", this.onInput.bind(this));
  }

  FormsetTable.prototype.reveal = function (root) {
    root.querySelectorAll("[data-formset-js]").forEach(function (element) { element.hidden = false; });
    root.querySelectorAll("[data-formset-delete-column], [data-formset-nojs]").forEach(function (element) {
      element.hidden = true;
    });
  };

  FormsetTable.prototype.rows = function () {
    return Array.prototype.slice.call(this.body.querySelectorAll("tr[data-formset-row]"));
  };

  // The cells a paste fills: every column of the table except the hidden «Eliminar» and «Quitar».
  FormsetTable.prototype.cells = function (row) {
    return Array.prototype.slice.call(row.children).filter(function (cell) {
      return !cell.hasAttribute("data-formset-delete-column") && !cell.hasAttribute("data-formset-js");
    });
  };

  FormsetTable.prototype.deletion = function (row) {
    return row.querySelector('input[name$="-DELETE"]');
  };

  FormsetTable.prototype.orderInput = function (row) {
    return row.querySelector('input[name$="-order"]');
  };

  FormsetTable.prototype.addRow = function () {
    var index = parseInt(this.total.value, 10);
    var holder = document.createElement("tbody");
    holder.innerHTML = this.template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.querySelector("tr[data-formset-row]");
    this.reveal(row);
    this.body.appendChild(row);
    this.total.value = String(index + 1);
    return row;
  };

  // A row the user starts filling takes the next number in the «Orden» column, unless they
  // type one.
  FormsetTable.prototype.numberRow = function (row) {
    var order = this.orderInput(row);
    if (!order || !row.hasAttribute("data-formset-new")) {
      return;
    }
    if (!row.hasAttribute("data-formset-order-default") || order.value !== row.getAttribute("data-formset-order-default")) {
      return;
    }
    var highest = 0;
    this.rows().forEach(function (other) {
      var input = other !== row && this.orderInput(other);
      var value = input ? parseInt(input.value, 10) : NaN;
      if (!isNaN(value) && value > highest) {
        highest = value;
      }
    }, this);
    order.value = String(highest + 1);
    row.removeAttribute("data-formset-order-default");
    row.setAttribute("data-formset-numbered", "");
  };

  FormsetTable.prototype.onInput = function (event) {
    var row = event.target.closest && event.target.closest("tr[data-formset-new]");
    if (!row || row.hasAttribute("data-formset-numbered") || /-order$/.test(event.target.name || "")) {
      return;
    }
    if (event.target.type === "checkbox" && /-DELETE$/.test(event.target.name)) {
      return;
    }
    this.numberRow(row);
  };

  // New rows are numbered after the stored ones, without gaps (Django reads rows 0…TOTAL-1).
  FormsetTable.prototype.renumber = function () {
    var pattern = new RegExp("^(id_)?" + this.prefix + "-\\d+-");
    var prefix = this.prefix;
    var initial = this.initial;
    this.rows()
      .filter(function (row) { return row.hasAttribute("data-formset-new"); })
      .forEach(function (row, position) {
        var index = initial + position;
        row.querySelectorAll("[name], [id], label[for], [aria-describedby]").forEach(function (element) {
          ["name", "id", "for"].forEach(function (attribute) {
            var value = element.getAttribute(attribute);
            if (value && pattern.test(value)) {
              element.setAttribute(attribute, value.replace(pattern, "$1" + prefix + "-" + index + "-"));
            }
          });
          var described = element.getAttribute("aria-describedby");
          if (described) {
            element.setAttribute(
              "aria-describedby",
              described.split(" ").map(function (id) { return id.replace(pattern, "$1" + prefix + "-" + index + "-"); }).join(" ")
            );
          }
        });
      });
    this.total.value = String(this.rows().length);
  };

  FormsetTable.prototype.markRemoved = function (row, removed) {
    var button = row.querySelector("[data-formset-remove]");
    row.classList.toggle("formset-removed", removed);
    if (button) {
      button.textContent = removed ? button.getAttribute("data-undo-label") || "Deshacer" : button.getAttribute("data-remove-label") || "Quitar";
      button.setAttribute("aria-pressed", removed ? "true" : "false");
    }
  };

  FormsetTable.prototype.onClick = function (event) {
    var add = event.target.closest("[data-formset-add]");
    if (add && this.container.contains(add)) {
      event.preventDefault();
      var row = this.addRow();
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) {
        first.focus();
      }
      this.say(add.getAttribute("data-added-label") || "");
      return;
    }
    var remove = event.target.closest("[data-formset-remove]");
    if (!remove) {
      return;
    }
    var target = remove.closest("tr[data-formset-row]");
    if (target.hasAttribute("data-formset-new")) {
      var errors = target.nextElementSibling;
      if (errors && errors.hasAttribute("data-formset-errors")) {
        errors.remove();
      }
      target.remove();
      this.renumber();
      this.container.querySelector("[data-formset-add]").focus();
    } else {
      var deletion = this.deletion(target);
      deletion.checked = !deletion.checked;
      this.markRemoved(target, deletion.checked);
    }
  };

  FormsetTable.prototype.say = function (text) {
    if (this.status) {
      this.status.textContent = text;
    }
  };

  FormsetTable.prototype.onPaste = function (event) {
    var start = event.target.closest && event.target.closest("tr[data-formset-row] td");
    if (!start || !event.clipboardData) {
      return;
    }
    var text = event.clipboardData.getData("text/plain").replace(/(\r?\n)+$/, "");
    if (text.indexOf("\t") < 0 && !/[\r\n]/.test(text)) {
      return; // one value: the browser pastes it as usual
    }
    if (event.target.tagName === "TEXTAREA" && text.indexOf("\t") < 0) {
      return; // lines of text for one cell
    }
    event.preventDefault();
    var lines = parseTabSeparated(text);
    var row = start.parentElement;
    var column = this.cells(row).indexOf(start);
    var rows = this.rows().filter(function (each) { return !each.classList.contains("formset-removed"); });
    var position = rows.indexOf(row);
    var unknown = [];
    var filled = 0;
    lines.forEach(function (cells, offset) {
      var target = rows[position + offset] || this.addRow();
      var targetCells = this.cells(target);
      cells.forEach(function (value, shift) {
        var cell = targetCells[column + shift];
        if (cell && !fillCell(cell, value)) {
          var header = this.container.querySelectorAll("thead th")[Array.prototype.indexOf.call(target.children, cell)];
          unknown.push("«" + value.trim() + "» (" + (header ? header.textContent.trim() : "") + ")");
        }
      }, this);
      this.numberRow(target);
      filled += 1;
    }, this);
    var message = (this.status.getAttribute("data-pasted-label") || "%s").replace("%s", String(filled));
    if (unknown.length) {
      message += " " + (this.status.getAttribute("data-unknown-label") || "") + " " + unknown.join(", ");
    }
    this.say(message);
  };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset]").forEach(function (container) {
      new FormsetTable(container);
    });
  });
})();
