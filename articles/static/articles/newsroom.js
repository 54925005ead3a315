/* Fact-check desk: progressive enhancement for the article page.
 *
 * Everything works without this file: forms post and the page reloads. With it:
 * - forms marked data-enhance are sent with fetch; the answer holds fragments that
 *   replace the elements with the same id (the item, the progress summary, the text);
 * - clicking a highlight jumps to its checklist item ("Show in text" jumps back);
 * - selecting words in the article offers to add them as a checklist item, with
 *   offsets computed against the exact body (segments carry data-start, in code points).
 */
(function () {
  "use strict";

  /* Successes go to the polite status region (#live); errors to #alerts, as alerts styled as
     errors. Each new message replaces the previous one of either kind. */
  function announce(message, isError) {
    var live = document.getElementById("live");
    var alerts = document.getElementById("alerts");
    if (!live) return;
    live.textContent = "";
    if (alerts) alerts.textContent = "";
    window.setTimeout(function () {
      var p = document.createElement("p");
      p.className = "flash-message " + (isError ? "flash-error" : "flash-success");
      p.textContent = message;
      if (isError && alerts) {
        p.setAttribute("role", "alert");
        alerts.appendChild(p);
      } else {
        live.appendChild(p);
      }
    }, 50);
  }

  /* A target inside a closed <details> (the recommended items, an item's actions) is shown first. */
  function reveal(element) {
    for (var node = element && element.parentElement; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) node.open = true;
    }
  }

  function codePoints(text) {
    return Array.from(text).length;
  }

  /* ---------- fetch-enhanced forms ---------- */

  function formData(form, submitter) {
    var data;
    try {
      data = new FormData(form, submitter || undefined);
    } catch (error) {
      data = new FormData(form);
      if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    }
    return data;
  }

  function focusKey(form, submitter) {
    var active = document.activeElement;
    var item = form.closest(".item");
    return {
      itemId: item ? item.id : null,
      action: form.getAttribute("action"),
      name: active && form.contains(active) && active.name ? active.name : submitter && submitter.name,
    };
  }

  function restoreFocus(key, focusId) {
    var target = null;
    if (focusId) target = document.getElementById(focusId);
    if (!target && key.itemId) {
      var item = document.getElementById(key.itemId);
      if (item) {
        var form = item.querySelector('form[action="' + key.action + '"]');
        if (form && key.name) {
          var field = form.querySelector('textarea[name="' + key.name + '"], input[type="text"][name="' + key.name + '"], select[name="' + key.name + '"]');
          target = field;
        }
        target = target || item;
      }
    }
    if (!target && key.action) target = document.querySelector('form[action="' + key.action + '"] textarea');
    if (target) {
      reveal(target);
      target.focus({ preventScroll: true });
      if (target.scrollIntoView) target.scrollIntoView({ block: "nearest" });
    }
  }

  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var message = "";
    var isError = false;
    var focusId = null;
    Array.prototype.slice.call(doc.body.children).forEach(function (fresh) {
      if (!fresh.id) return;
      if (fresh.id === "swap-message") {
        message = fresh.textContent.trim();
        isError = fresh.classList.contains("is-error");
        focusId = fresh.getAttribute("data-focus");
        return;
      }
      var old = document.getElementById(fresh.id);
      if (old) old.replaceWith(document.adoptNode(fresh));
    });
    return { message: message, isError: isError, focusId: focusId };
  }

  function setBusy(form, busy) {
    var scope = form.closest(".item") || form;
    scope.setAttribute("aria-busy", busy ? "true" : "false");
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (button) {
      button.disabled = busy;
    });
  }

  function submitEnhanced(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-enhance")) return;
    if (form.dataset.plain === "1") return; // fall back to a normal submission
    event.preventDefault();
    var submitter = event.submitter || null;
    var data = formData(form, submitter);
    var key = focusKey(form, submitter);
    setBusy(form, true);
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", Accept: "text/html" },
    })
      .then(function (response) {
        if (!response.headers.get("X-Newsroom-Fragment")) {
          // Signed out, or an answer that is not for the script: let the browser handle it.
          if (response.redirected) {
            // Most likely the session ended: reload, so the login page brings the reader back here.
            window.location.reload();
          } else {
            form.dataset.plain = "1";
            setBusy(form, false);
            if (form.requestSubmit) form.requestSubmit(submitter || undefined);
            else form.submit();
          }
          return null;
        }
        return response.text().then(function (html) {
          var result = swap(html);
          restoreFocus(key, result.focusId);
          if (result.message) announce(result.message, result.isError);
        });
      })
      .catch(function () {
        setBusy(form, false);
        announce("The server could not be reached; your change was not saved. Try again.", true);
      });
  }

  /* ---------- highlights and jumps ---------- */

  function flash(element) {
    if (!element) return;
    element.classList.remove("is-flashing");
    void element.offsetWidth; // restart the animation
    element.classList.add("is-flashing");
    window.setTimeout(function () {
      element.classList.remove("is-flashing");
    }, 1600);
  }

  function highlightsOf(itemId) {
    return document.querySelectorAll('#article-body mark[data-items~="' + itemId + '"]');
  }

  function onHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    if (id.indexOf("hl-") === 0) {
      Array.prototype.forEach.call(highlightsOf(id.slice(3)), flash);
      target.focus({ preventScroll: true });
      var firstMark = highlightsOf(id.slice(3))[0];
      if (firstMark) firstMark.scrollIntoView({ block: "center" });
    } else if (id.indexOf("item-") === 0) {
      reveal(target);
      flash(target);
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "nearest" });
    }
  }

  function onClick(event) {
    var mark = event.target.closest && event.target.closest("#article-body mark[data-item]");
    if (!mark) return;
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed) return; // the reader is selecting words
    var id = "item-" + mark.getAttribute("data-item");
    if (window.location.hash === "#" + id) onHash();
    else window.location.hash = id;
  }

  /* ---------- selecting words to add an item ---------- */

  function bodyOffset(body, node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      var segment = node.parentElement && node.parentElement.closest("[data-start]");
      if (segment && body.contains(segment)) {
        return Number(segment.getAttribute("data-start")) + codePoints(node.data.slice(0, offset));
      }
    }
    // An element boundary: count the characters from the start of the text.
    var range = document.createRange();
    range.setStart(body, 0);
    range.setEnd(node, offset);
    return codePoints(range.toString());
  }

  function selectionInBody(body) {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
    var range = selection.getRangeAt(0);
    if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) return null;
    var text = range.toString();
    var start = bodyOffset(body, range.startContainer, range.startOffset);
    var end = bodyOffset(body, range.endContainer, range.endOffset);
    var leading = codePoints(text) - codePoints(text.replace(/^\s+/, ""));
    var trailing = codePoints(text) - codePoints(text.replace(/\s+$/, ""));
    text = text.trim();
    if (!text) return null;
    var lines = range.getClientRects();
    return {
      text: text,
      start: start + leading,
      end: end - trailing,
      rect: range.getBoundingClientRect(),
      lastLine: lines.length ? lines[lines.length - 1] : range.getBoundingClientRect(),
    };
  }

  var addButton = null;
  var pending = null;
  var pointerDown = false;
  var selectionTimer = null;

  function hideAddButton() {
    if (!addButton) return;
    addButton.hidden = true;
    addButton.classList.remove("is-docked");
    pending = null;
  }

  function ensureAddButton() {
    if (addButton) return addButton;
    addButton = document.createElement("button");
    addButton.type = "button";
    addButton.className = "button button-primary add-from-selection";
    addButton.textContent = "Add selection to checklist";
    addButton.hidden = true;
    // Pressing the button must not clear the selection it is about.
    addButton.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    addButton.addEventListener("click", function () {
      var section = document.getElementById("manual-item");
      var form = section && section.querySelector("form[data-manual-form]");
      if (!form || !pending) return;
      form.elements.text.value = pending.text;
      form.elements.start.value = pending.start;
      form.elements.end.value = pending.end;
      hideAddButton();
      window.getSelection().removeAllRanges();
      section.scrollIntoView({ block: "nearest" });
      form.elements.kind.focus();
      announce("The selected words are in the form “Add an item the engine missed”. Choose a kind and add them.");
    });
    // Right after the text, so that Tab from the text reaches it.
    var body = document.getElementById("article-body");
    if (body && body.parentNode) body.parentNode.insertBefore(addButton, body.nextSibling);
    else document.body.appendChild(addButton);
    return addButton;
  }

  /* Below the selection when there is room in the window, else above it; never over it. When
     the selection fills the window, the button docks in a bar at the bottom of the window. */
  function placeAddButton(button, found) {
    var gap = 8;
    var viewWidth = document.documentElement.clientWidth;
    var viewHeight = window.innerHeight;
    button.classList.remove("is-docked");
    button.style.top = "0px";
    button.style.left = "0px";
    var width = button.offsetWidth;
    var height = button.offsetHeight;
    var rect = found.rect;
    var top;
    if (rect.bottom + gap + height <= viewHeight) top = rect.bottom + gap;
    else if (rect.top - gap - height >= 0) top = rect.top - gap - height;
    else {
      button.classList.add("is-docked");
      button.style.top = "";
      button.style.left = "";
      return;
    }
    // Under the start of the selection's last line, kept inside the text's column and the window.
    var column = document.getElementById("article-body").getBoundingClientRect();
    var right = Math.min(viewWidth - gap, Math.max(column.right, column.left + width));
    var left = Math.max(gap, Math.min(found.lastLine.left, right - width));
    button.style.top = window.scrollY + top + "px";
    button.style.left = window.scrollX + left + "px";
  }

  function onSelectionEnd() {
    window.clearTimeout(selectionTimer);
    var body = document.getElementById("article-body");
    if (!body || !document.getElementById("manual-item")) return;
    var found = selectionInBody(body);
    var button = ensureAddButton();
    if (!found) {
      hideAddButton();
      return;
    }
    pending = found;
    button.hidden = false;
    placeAddButton(button, found);
  }

  /* The selection changed by any means (mouse, keyboard, touch, script). Cleared: the button
     goes at once. Made or extended: the button follows once the hand is off the mouse. */
  function onSelectionChange() {
    var selection = window.getSelection();
    var body = document.getElementById("article-body");
    var empty = !selection || selection.isCollapsed || selection.rangeCount === 0 || !body ||
      !body.contains(selection.getRangeAt(0).commonAncestorContainer);
    if (empty) {
      if (addButton && document.activeElement === addButton && pending) return; // reached with Tab
      window.clearTimeout(selectionTimer);
      hideAddButton();
      return;
    }
    if (pointerDown) return; // mouseup will place it
    window.clearTimeout(selectionTimer);
    selectionTimer = window.setTimeout(onSelectionEnd, 250);
  }

  function onManualTextInput(event) {
    // Typed words lose the offsets of an earlier selection; the server finds them.
    var form = event.target.form;
    if (event.target.name === "text" && form && form.hasAttribute("data-manual-form")) {
      form.elements.start.value = "";
      form.elements.end.value = "";
    }
  }

  document.addEventListener("submit", submitEnhanced);
  document.addEventListener("click", onClick);
  document.addEventListener("pointerdown", function (event) {
    if (!addButton || event.target !== addButton) pointerDown = true;
  });
  document.addEventListener("pointercancel", function () {
    pointerDown = false;
  });
  document.addEventListener("mouseup", function (event) {
    pointerDown = false;
    if (addButton && event.target === addButton) return;
    window.setTimeout(onSelectionEnd, 0);
  });
  document.addEventListener("touchend", function () {
    pointerDown = false;
  });
  document.addEventListener("selectionchange", onSelectionChange);
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey || event.key === "Shift") onSelectionEnd();
    if (event.key === "Escape") hideAddButton();
  });
  document.addEventListener("input", onManualTextInput);
  window.addEventListener("hashchange", onHash);
  if (window.location.hash) onHash(); // arriving from "My items" or after a form post
  document.documentElement.classList.add("js");
})();
