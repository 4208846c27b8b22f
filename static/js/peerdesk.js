/* Peerdesk: a little plain JavaScript on top of pages that work without it. */
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Confirm destructive actions. */
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });

  /* Live Markdown preview (rendered and sanitized by the server). */
  document.querySelectorAll("form[data-preview]").forEach(function (form) {
    var body = form.querySelector("textarea[name=body]");
    var target = form.querySelector("[data-preview-target]");
    if (!body || !target) return;
    var update = debounce(function () {
      if (!body.value.trim()) { target.hidden = true; return; }
      var data = new URLSearchParams({ body: body.value });
      fetch("/preview", { method: "POST", body: data, headers: { "X-CSRFToken": csrf } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (json) {
          if (!json) return;
          target.hidden = false;
          target.innerHTML = '<p class="muted">Preview</p><div class="post-body">' + json.html + "</div>";
        });
    }, 400);
    body.addEventListener("input", update);
  });

  /* Similar questions while the title is typed. */
  document.querySelectorAll("form[data-similar]").forEach(function (form) {
    var title = form.querySelector("input[name=title]");
    var target = form.querySelector("[data-similar-target]");
    if (!title || !target) return;
    var last = "";
    var update = debounce(function () {
      var text = title.value.trim();
      if (text.length < 8 || text === last) return;
      last = text;
      fetch("/api/v1/similar?title=" + encodeURIComponent(text))
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (json) {
          target.textContent = "";
          if (!json.items || !json.items.length) { target.hidden = true; return; }
          target.appendChild(el("p", { "class": "similar-head" }, "These questions may already answer yours:"));
          var list = el("ul", { "class": "similar-list", "data-testid": "similar-list" });
          json.items.forEach(function (item) {
            var li = el("li");
            if (item.solved) li.appendChild(el("span", { "class": "badge badge-solved" }, "Solved"));
            li.appendChild(document.createTextNode(" "));
            li.appendChild(el("a", { href: "/questions/" + item.question_id, target: "_blank", rel: "noopener" }, item.title));
            list.appendChild(li);
          });
          target.appendChild(list);
          target.hidden = false;
        })
        .catch(function () { target.hidden = true; });
    }, 350);
    title.addEventListener("input", update);
  });

  /* Tag suggestions from existing tags. */
  document.querySelectorAll("input[name=tags]").forEach(function (input) {
    var list = document.querySelector("[data-tag-list]");
    if (!list) return;
    input.addEventListener("input", debounce(function () {
      var parts = input.value.split(/[,\s]+/);
      var prefix = parts[parts.length - 1];
      var head = parts.slice(0, -1).join(", ");
      fetch("/tags/suggest?prefix=" + encodeURIComponent(prefix))
        .then(function (r) { return r.json(); })
        .then(function (json) {
          list.textContent = "";
          json.items.forEach(function (name) {
            list.appendChild(el("option", { value: (head ? head + ", " : "") + name }));
          });
        });
    }, 200));
  });

  /* Votes without a page reload. */
  document.querySelectorAll("[data-vote-box]").forEach(function (box) {
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      var form = event.target;
      var data = new FormData(form);
      fetch(form.action, { method: "POST", body: data, headers: { "Accept": "application/json", "X-CSRFToken": csrf } })
        .then(function (r) { return r.json().then(function (json) { return { ok: r.ok, json: json }; }); })
        .then(function (res) {
          if (!res.ok) { window.alert(res.json.error ? res.json.error.message : "Vote failed"); return; }
          window.location.reload();
        });
    });
  });
})();
