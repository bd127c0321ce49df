// Media items of the case page: focus moves between them with the keyboard, and one item at a
// time is revealed with "v" (the real bytes are only requested then, from the audited endpoint)
// and hidden again with "v" or Escape. Hiding tells the server, which counts the analyst's
// exposure; leaving the page hides too. Loaded before grading.js, which skips handled keys.
(function () {
  "use strict";

  var grid = document.querySelector("[data-media-grid]");
  if (!grid) {
    return;
  }
  var NEXT = { ArrowRight: 1, ArrowDown: 1, j: 1, ArrowLeft: -1, ArrowUp: -1 };
  var revealed = null;

  function items() {
    return Array.prototype.slice.call(grid.querySelectorAll("[data-media-item]"));
  }

  function focused() {
    var active = document.activeElement;
    return active && active.closest ? active.closest("[data-media-item]") : null;
  }

  function isTyping(element) {
    if (!element) {
      return false;
    }
    var tag = element.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable ||
      (tag === "INPUT" && !/^(radio|checkbox|button|submit|reset|hidden)$/.test(element.type));
  }

  function move(step) {
    var all = items();
    var current = all.indexOf(focused());
    var next = current < 0 ? (step > 0 ? 0 : all.length - 1) : current + step;
    if (next >= 0 && next < all.length) {
      all[next].focus();
      all[next].scrollIntoView({ block: "nearest" });
    }
  }

  function tellHidden(item, useBeacon) {
    var form = new FormData();
    form.append("csrfmiddlewaretoken", grid.getAttribute("data-csrf"));
    form.append("item", item.getAttribute("data-item"));
    var url = grid.getAttribute("data-hide-url");
    if (useBeacon && navigator.sendBeacon) {
      navigator.sendBeacon(url, form);
    } else {
      fetch(url, { method: "POST", body: form, credentials: "same-origin" });
    }
  }

  // `tell` is "fetch", "beacon" (the page is going away) or "" when another item is being
  // revealed: the server ends the previous reveal itself then, and a late hide request could
  // otherwise end the new one.
  function hide(tell) {
    if (!revealed) {
      return false;
    }
    var shown = revealed.querySelector("[data-revealed]");
    if (shown) {
      shown.removeAttribute("src");
      shown.remove();
    }
    revealed.querySelector("[data-preview]").hidden = false;
    revealed.classList.remove("is-revealed");
    if (tell) {
      tellHidden(revealed, tell === "beacon");
    }
    revealed = null;
    return true;
  }

  function reveal(item) {
    hide("");
    var video = item.getAttribute("data-kind") === "video";
    var shown = document.createElement(video ? "video" : "img");
    if (video) {
      shown.controls = true;
      shown.muted = true;
      shown.preload = "none";
    } else {
      shown.alt = item.getAttribute("aria-label");
    }
    shown.className = "media-revealed";
    shown.setAttribute("data-revealed", "");
    shown.src = item.getAttribute("data-reveal-url");
    var details = item.querySelector("details");
    if (details) {
      details.open = true;
    }
    item.querySelector("[data-preview]").hidden = true;
    item.querySelector("[data-media-frame]").appendChild(shown);
    item.classList.add("is-revealed");
    revealed = item;
  }

  function onKey(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (isTyping(document.activeElement)) {
      return;
    }
    var item = focused();
    if (event.key === "Escape") {
      if (hide("fetch")) {
        event.preventDefault();
      } else if (item) {
        item.blur();
        event.preventDefault();
      }
    } else if (event.key === "v" && item) {
      if (revealed === item) {
        hide("fetch");
      } else {
        reveal(item);
      }
      event.preventDefault();
    } else if (NEXT[event.key] && (item || event.key === "j")) {
      move(NEXT[event.key]);
      event.preventDefault();
    }
  }

  document.addEventListener("keydown", onKey);
  window.addEventListener("pagehide", function () {
    hide("beacon");
  });
  var start = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  if (start && start.hasAttribute("data-media-item")) {
    start.focus();
  }
})();
