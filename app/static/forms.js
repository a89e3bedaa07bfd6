// Progressive enhancement of the server-rendered forms (every form also works without script):
// a calendar button beside each dd/mm/yyyy date field, and "add row / remove row" in repeated groups.
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function toIso(text) {
    var m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || "");
    return m ? m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]) : "";
  }

  function toDmy(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : "";
  }

  // The typed field stays the value sent (dd/mm/yyyy); the native picker only helps to fill it.
  function enhanceDate(input) {
    if (input.dataset.enhanced) { return; }
    input.dataset.enhanced = "1";
    var picker = document.createElement("input");
    picker.type = "date";
    picker.className = "date-picker";
    picker.tabIndex = -1;
    picker.setAttribute("aria-hidden", "true");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary date-button";
    var english = document.documentElement.lang === "en";
    button.textContent = english ? "Pick date" : "Chọn ngày";
    button.setAttribute("aria-label", (english ? "Pick a date for " : "Chọn ngày cho ") +
      (input.labels && input.labels[0] ? input.labels[0].textContent.replace("*", "").trim() : ""));
    button.addEventListener("click", function () {
      picker.value = toIso(input.value);
      if (picker.showPicker) { picker.showPicker(); } else { picker.click(); }
    });
    picker.addEventListener("change", function () {
      input.value = toDmy(picker.value);
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.focus();
    });
    var wrap = document.createElement("span");
    wrap.className = "date-wrap";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(button);
    wrap.appendChild(picker);
  }

  function renumber(group) {
    var name = group.dataset.group;
    group.querySelectorAll(".group-rows > .group-row").forEach(function (row, index) {
      row.querySelectorAll("[name]").forEach(function (el) {
        var re = new RegExp("^" + name.replace(/\./g, "\\.") + "\\.(\\d+|__i__)\\.");
        var fresh = name + "." + index + ".";
        var oldId = el.id;
        el.name = el.name.replace(re, fresh);
        if (oldId) {
          el.id = "f-" + el.name.replace(/\./g, "-");
          var label = row.querySelector('label[for="' + oldId + '"]');
          if (label) { label.htmlFor = el.id; }
        }
      });
    });
  }

  function enhanceGroup(group) {
    var rows = group.querySelector(".group-rows");
    var template = group.querySelector("template.group-template");
    group.addEventListener("click", function (event) {
      var target = event.target;
      if (target.matches("[data-add-row]")) {
        rows.appendChild(template.content.cloneNode(true));
        renumber(group);
        var added = rows.lastElementChild;
        added.querySelectorAll("[data-date]").forEach(enhanceDate);
        var first = added.querySelector("input, select, textarea");
        if (first) { first.focus(); }
      } else if (target.matches("[data-remove-row]")) {
        var min = Math.max(1, +group.dataset.min || 0);
        if (rows.children.length > min) {
          target.closest(".group-row").remove();
          renumber(group);
          group.querySelector("[data-add-row]").focus();
        }
      }
    });
  }

  function addTaskRow(button) {
    var list = document.getElementById(button.dataset.target);
    var template = document.getElementById(button.dataset.template);
    var index = list.children.length;
    var html = template.innerHTML.replace(/__i__/g, String(index)).replace(/__n__/g, String(index + 1));
    list.insertAdjacentHTML("beforeend", html);
    var added = list.lastElementChild;
    added.querySelectorAll("[data-date]").forEach(enhanceDate);
    var first = added.querySelector("textarea, input, select");
    if (first) { first.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-date]").forEach(enhanceDate);
    document.querySelectorAll("fieldset.group[data-group]").forEach(enhanceGroup);
    document.querySelectorAll("[data-add-task]").forEach(function (button) {
      button.addEventListener("click", function () { addTaskRow(button); });
    });
    var errors = document.getElementById("form-errors");
    if (errors) { errors.focus && errors.setAttribute("tabindex", "-1"); errors.focus(); }
  });
})();
