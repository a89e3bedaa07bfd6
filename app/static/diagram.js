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
        container.textContent = (document.documentElement.lang === "en"
          ? "The diagram could not be shown: " : "Không hiển thị được sơ đồ: ") + error.message;
        container.dataset.rendered = "error";
      });
  });
})();
