// Keyboard shortcuts of the analyst console. Every element with data-shortcut="<key>" answers its
// key: a radio button is chosen, a checkbox toggled, a text field focused, a button pressed. The
// pages work the same without this file; it only saves the analyst's hands and eyes.
(function () {
  "use strict";

  var NOT_TYPING = /^(radio|checkbox|button|submit|reset|hidden)$/;

  function isTyping(element) {
    if (!element || element === document.body) {
      return false;
    }
    if (element.isContentEditable || element.tagName === "TEXTAREA" || element.tagName === "SELECT") {
      return true;
    }
    return element.tagName === "INPUT" && !NOT_TYPING.test(element.type);
  }

  function usable(element) {
    return !element.disabled && !element.closest("fieldset[disabled]");
  }

  // A media item with the focus is a scope of its own: its keys grade it, and nothing outside
  // it answers, so that grading an item never touches the page's form (and the reverse).
  function scopeOf(element) {
    return element && element.closest ? element.closest("[data-shortcut-scope]") : null;
  }

  function target(key) {
    var scope = scopeOf(document.activeElement);
    var candidates = (scope || document).querySelectorAll("[data-shortcut]");
    for (var i = 0; i < candidates.length; i += 1) {
      var candidate = candidates[i];
      if (candidate.getAttribute("data-shortcut") === key && usable(candidate) &&
          (scope || !scopeOf(candidate))) {
        return candidate;
      }
    }
    return null;
  }

  function changed(element) {
    element.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function act(element) {
    if (element.type === "radio") {
      element.checked = true;
      element.focus();
      changed(element);
    } else if (element.type === "checkbox") {
      element.checked = !element.checked;
      element.focus();
      changed(element);
    } else if (element.tagName === "TEXTAREA" || element.tagName === "INPUT") {
      element.focus();
    } else {
      element.click();
    }
  }

  function submit(form) {
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  function formFor(element) {
    if (element && element.form) {
      return element.form;
    }
    var scope = scopeOf(element);
    return scope ? scope.querySelector("form") : document.querySelector("form[data-primary]");
  }

  // A classification only belongs to a confirmed outcome: the other outcomes disable it, so that
  // its values stay on screen (nothing is lost) but are not sent.
  function syncClassification(form) {
    var fields = form.querySelector("[data-grade-fields]");
    if (!fields) {
      return;
    }
    var chosen = form.querySelector("input[name=outcome]:checked");
    fields.disabled = Boolean(chosen) && !chosen.hasAttribute("data-opens-grade");
  }

  function onKey(event) {
    if (event.defaultPrevented || event.isComposing) {
      return;
    }
    var active = document.activeElement;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      var anyForm = formFor(active);
      if (anyForm) {
        event.preventDefault();
        submit(anyForm);
      }
      return;
    }
    if (isTyping(active)) {
      if (event.key === "Escape") {
        active.blur();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.key === "Enter") {
      // Buttons and links already answer Enter themselves.
      if (active && (active.tagName === "BUTTON" || active.tagName === "A")) {
        return;
      }
      var form = formFor(active);
      if (form) {
        event.preventDefault();
        submit(form);
      }
      return;
    }
    var element = target(event.key.length === 1 ? event.key.toLowerCase() : event.key);
    if (element) {
      event.preventDefault();
      act(element);
    }
  }

  document.addEventListener("keydown", onKey);
  document.querySelectorAll("form").forEach(function (form) {
    syncClassification(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "outcome") {
        syncClassification(form);
      }
    });
  });
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
  // Tells browser tests (and styles) that the keys now work: the script is deferred.
  document.documentElement.dataset.shortcuts = "ready";
})();
