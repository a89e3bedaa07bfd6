// Show the process diagram of a work item with its current step highlighted (bpmn-js viewer).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("diagram");
    if (!container || typeof BpmnJS === "undefined") { return; }
    var viewer = new BpmnJS({ container: container });
    fetch(container.dataset.src, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        var canvas = viewer.get("canvas");
        canvas.zoom("fit-viewport");
        var current = container.dataset.current;
        if (current && viewer.get("elementRegistry").get(current)) {
          canvas.addMarker(current, container.dataset.state === "open" ? "current-step" : "done-step");
        }
        container.dataset.rendered = "1";
      })
      .catch(function (error) {
        // A model deployed without diagram information has nothing to draw: say so plainly.
        container.textContent = document.documentElement.lang === "en"
          ? "This process model has no diagram to show." : "Mô hình quy trình này không có sơ đồ để hiển thị.";
        container.classList.add("diagram-missing");
        container.dataset.rendered = "error";
        container.dataset.error = error.message;
      });
  });
})();
