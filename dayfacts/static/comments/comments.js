/* Comments: post in place and reply under a comment. Without this file the form posts
   normally and the server redirects to the new comment; both paths share the server's checks. */
(function () {
  "use strict";
  var form = document.querySelector("[data-comment-form]");
  if (!form || !window.fetch || !window.FormData) return;
  var respond = document.getElementById("respond");
  var home = respond.parentNode;
  var homeNext = respond.nextSibling;
  var notice = form.querySelector("[data-comment-notice]");
  var replying = document.querySelector("[data-replying-to]");
  var parentInput = form.querySelector("input[name=parent]");
  var button = form.querySelector("button[type=submit]");

  function clearErrors() {
    form.querySelectorAll(".errorlist").forEach(function (list) { list.remove(); });
    form.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
  }

  function showErrors(errors) {
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var wrap = form.querySelector('[data-field="' + name + '"]');
      var list = document.createElement("ul");
      list.className = "errorlist";
      list.id = "comment-" + name + "_error";
      errors[name].forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = message;
        list.appendChild(item);
      });
      if (!wrap) {
        notice.after(list);
        return;
      }
      wrap.classList.add("has-error");
      var input = wrap.querySelector("input, textarea");
      if (input && input.type === "checkbox") {
        wrap.appendChild(list);
      } else {
        wrap.querySelector("label").after(list);
      }
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", list.id);
        first = first || input;
      }
    });
    if (first) first.focus();
  }

  function moveHome() {
    home.insertBefore(respond, homeNext);
    parentInput.value = "";
    if (replying) replying.hidden = true;
  }

  function insertComment(data) {
    var template = document.createElement("template");
    template.innerHTML = data.html.trim();
    var item = template.content.firstElementChild;
    var target = document.querySelector("[data-comment-list]");
    if (data.parent) {
      var parent = document.getElementById("comment-" + data.parent);
      if (parent) {
        target = parent.querySelector(":scope > ol.children");
        if (!target) {
          target = document.createElement("ol");
          target.className = "children";
          parent.appendChild(target);
        }
      }
    }
    target.appendChild(item);
    var empty = document.querySelector("[data-comments-empty]");
    if (empty) empty.remove();
    return item;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json();
    }).then(function (data) {
      clearErrors();
      notice.textContent = data.message;
      notice.hidden = false;
      notice.classList.toggle("notice-error", !data.html);
      if (data.errors) showErrors(data.errors);
      if (data.html) {
        form.querySelector("textarea").value = "";
        moveHome();
        var item = insertComment(data);
        item.scrollIntoView({ block: "center" });
        history.replaceState(null, "", "#" + data.anchor);
      }
    }).catch(function () {
      // Anything unexpected (an expired CSRF cookie, a proxy's error page): post normally.
      form.submit();
    }).finally(function () {
      button.disabled = false;
    });
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-reply-to]");
    if (link) {
      event.preventDefault();
      parentInput.value = link.getAttribute("data-reply-to");
      link.closest("article").after(respond);
      if (replying) replying.hidden = false;
      form.querySelector("textarea").focus();
      return;
    }
    if (event.target.closest("[data-cancel-reply]")) {
      event.preventDefault();
      moveHome();
    }
  });
})();
