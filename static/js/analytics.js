/* Peerdesk analytics: the thread survey answers inline (POST /api/v1/feedback) instead of
   reloading the page. Without JavaScript the same forms post normally. */
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function show(panel, step) {
    panel.querySelectorAll("[data-step]").forEach(function (section) {
      section.hidden = section.getAttribute("data-step") !== step;
    });
  }

  document.querySelectorAll("[data-survey]").forEach(function (panel) {
    var questionId = parseInt(panel.getAttribute("data-question-id"), 10);

    panel.addEventListener("submit", function (event) {
      var form = event.target;
      var button = event.submitter;
      if (!window.fetch || !button || form.getAttribute("data-plain") === "1") return;
      event.preventDefault();
      var solvedInput = form.querySelector("input[name=solved]");
      var solved = (solvedInput ? solvedInput.value : button.value) === "yes";
      var contacted = button.name === "contacted" ? button.value === "yes" : null;
      fetch("/api/v1/feedback", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ question_id: questionId, solved: solved, would_have_contacted: contacted })
      }).then(function (response) {
        if (!response.ok) throw new Error("feedback " + response.status);
        show(panel, !solved ? "sorry" : contacted === null ? "contact" : "thanks");
      }).catch(function () {
        form.setAttribute("data-plain", "1");  // fall back to the plain form post
        form.requestSubmit(button);
      });
    });

    panel.querySelectorAll("[data-survey-change]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        show(panel, "ask");
      });
    });
  });
})();
