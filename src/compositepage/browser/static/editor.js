/* compositepage design mode.
 *
 * A classic script (Plone's resource registry does not load modules), loaded
 * only by the design view.  It never renders widgets: after every change the
 * server answers with the stored state and the fresh floor plan, which
 * replaces the canvas, so the editor always shows what is stored.
 *
 * DOM contract: slots carry data-slot, blocks data-placement-id and
 * data-widget-type, palette items data-widget-type, the live region
 * role="status".
 */
(function () {
  "use strict";

  // A form's fields, as the settings form's first one is looked for.
  const FIELDS = "input:not([type=hidden]), textarea, select";
  // Popups of fields that take Escape for themselves: TinyMCE's menus,
  // dialogs and suggestions, select lists, Plone's modals and content browser.
  const POPUPS =
    ".tox-dialog, .tox-menu, .tox-pop, .tox-autocompleter, .select2-drop-active, " +
    ".modal.show, .content-browser-position-wrapper, [aria-modal='true']";

  if (document.body && document.body.classList.contains("template-compositepage-widget-settings")) {
    settingsPage();
    return;
  }
  const editor = document.getElementById("compositepage-editor");
  if (!editor) {
    return;
  }

  // The settings form, in the dialog's frame ------------------------------

  function settingsPage() {
    const frame = window.frameElement;
    const dialog = frame && frame.closest("dialog");

    function popupOpen() {
      return Array.from(document.querySelectorAll(POPUPS)).some(function (popup) {
        return popup.getClientRects().length > 0;
      });
    }

    function closeOnEscape(event) {
      // As the dialog's own close button does (focus goes back to the
      // block); nothing typed is kept, as with Cancel.
      if (event.key !== "Escape" || event.defaultPrevented || popupOpen()) {
        return;
      }
      const button = dialog && dialog.querySelector('[data-action="close-settings"]');
      if (button) {
        event.preventDefault();
        button.click();
      }
    }

    // Escape closes the dialog from inside the form too (and from inside a
    // TinyMCE editor, whose keys stay in its own frame).
    document.addEventListener("keydown", closeOnEscape);

    // TinyMCE writes into its form field only when it loses focus, and
    // Plone's form validation keeps Save disabled while a required field is
    // empty: the first click on Save would only take the focus out of the
    // editor.  The field follows the typing instead.
    function follow(tiny) {
      const field = tiny.getElement();
      if (field.form && field.form.querySelector(FIELDS) === field) {
        // The form's first field: the editor takes the focus (the dialog
        // focused the frame when it loaded).
        if (tiny.initialized) {
          tiny.focus();
        } else {
          tiny.on("init", function () {
            tiny.focus();
          });
        }
      }
      tiny.on("input change undo redo ExecCommand", function () {
        // Only a change counts: TinyMCE runs commands of its own (focus),
        // and an untouched empty field must not be called wrong.
        const before = field.value;
        tiny.save();
        if (field.value !== before) {
          field.dispatchEvent(new Event("input", { bubbles: true }));
          field.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
      tiny.on("keydown", closeOnEscape);
    }
    let tries = 0;
    const waiting = window.setInterval(function () {
      tries += 1;
      if (window.tinymce) {
        window.clearInterval(waiting);
        window.tinymce.get().forEach(follow);
        window.tinymce.on("AddEditor", function (event) {
          follow(event.editor);
        });
      } else if (tries > 80 || !document.querySelector("textarea.pat-tinymce")) {
        window.clearInterval(waiting);
      }
    }, 250);
  }

  const messages = JSON.parse(editor.dataset.messages || "{}");
  const typeStyles = JSON.parse(editor.dataset.types || "{}");
  const canvas = editor.querySelector("#cp-canvas");
  const live = editor.querySelector(".cp-live");
  const alertBox = editor.querySelector(".cp-alert");
  const saving = editor.querySelector(".cp-saving");
  const said = editor.querySelector(".cp-said");
  const undoButton = editor.querySelector('[data-action="undo"]');
  const redoButton = editor.querySelector('[data-action="redo"]');
  const layoutSelect = editor.querySelector("#cp-layout");
  const settingsDialog = editor.querySelector(".cp-settings-dialog");
  const settingsFrame = editor.querySelector(".cp-settings-frame");
  const confirmDialog = editor.querySelector(".cp-confirm-dialog");
  const bar = editor.querySelector(".cp-bar");
  const clipboardBox = editor.querySelector(".cp-clipboard");
  const clipboardList = editor.querySelector(".cp-clipboard-items");
  let busy = false;
  let moving = null; // keyboard move in progress
  let drag = null; // pointer drag in progress
  let justDragged = false;
  let adding = null; // the type of a new widget whose settings are open

  // Text ---------------------------------------------------------------------

  function format(key, mapping) {
    let text = messages[key] || key;
    for (const [name, value] of Object.entries(mapping || {})) {
      text = text.split("${" + name + "}").join(String(value));
    }
    return text;
  }

  function announce(text, refusal) {
    // What was said stays in sight in the design bar too (a layout switch
    // says where widgets went); screen readers hear the live region.
    // What goes well next ends the alert of a refusal, which would go on
    // showing a problem that is over; a refusal (``refusal``) leaves it.
    if (!refusal) {
      showAlert("");
    }
    if (said) {
      said.textContent = text;
      said.title = text;
    }
    // Clearing first makes screen readers repeat an identical message.
    live.textContent = "";
    window.setTimeout(function () {
      live.textContent = text;
    }, 30);
  }

  function showAlert(text) {
    alertBox.textContent = text;
    alertBox.hidden = !text;
  }

  function refuse(text) {
    // The server refused a change: said, and shown until the next thing
    // said.
    showAlert(text);
    announce(text, true);
  }

  // Structure ----------------------------------------------------------------

  function slots() {
    return Array.from(canvas.querySelectorAll(".cp-slot[data-slot]"));
  }

  function blocksOf(slot, except) {
    return Array.from(slot.querySelectorAll(":scope > .cp-blocks > .cp-block")).filter(
      function (block) {
        return block !== except;
      },
    );
  }

  function slotTitle(slot) {
    return slot.getAttribute("aria-label") || slot.dataset.slot;
  }

  function typeTitle(type) {
    // A type no longer registered goes by its name.
    return typeStyles[type] ? typeStyles[type].title : type;
  }

  function accepts(slot, type, block) {
    const allowed = (slot.dataset.allowed || "").split(" ").filter(Boolean);
    if (allowed.length && !allowed.includes(type)) {
      return false;
    }
    const most = parseInt(slot.dataset.max || "", 10);
    if (!isNaN(most)) {
      const staying = block && block.closest(".cp-slot") === slot;
      if (!staying && blocksOf(slot, block).length >= most) {
        return false;
      }
    }
    return true;
  }

  // The design bar stays at the top of the window while the page scrolls:
  // the page keeps what it scrolls to below it (scroll-padding-top, for
  // the browser's own scrolling too, e.g. Tab), and the script shows a
  // focused block whole, below the bar.
  function barBottom() {
    const box = bar.getBoundingClientRect();
    return Math.max(0, box.bottom);
  }

  function followBar() {
    document.documentElement.style.setProperty(
      "--cp-bar-height",
      Math.ceil(bar.getBoundingClientRect().height) + "px",
    );
  }

  followBar();
  if (window.ResizeObserver) {
    new ResizeObserver(followBar).observe(bar);
  }

  function reveal(element) {
    const margin = 8;
    const box = element.getBoundingClientRect();
    const top = barBottom() + margin;
    const bottom = window.innerHeight - margin;
    // At once: Bootstrap makes the page's scrolling smooth, and a block
    // that moves on while the page glides would slip out of sight.
    if (box.top < top) {
      window.scrollBy({ top: box.top - top, behavior: "instant" });
    } else if (box.bottom > bottom) {
      // Down as far as it takes, never hiding its top under the bar.
      window.scrollBy({ top: Math.min(box.bottom - bottom, box.top - top), behavior: "instant" });
    }
  }

  function focusOn(element) {
    element.focus({ preventScroll: true });
    reveal(element);
  }

  function focusBlock(id) {
    const block = id && canvas.querySelector('.cp-block[data-placement-id="' + id + '"]');
    if (block) {
      focusOn(block);
    }
    return block;
  }

  function paletteItem(type) {
    return editor.querySelector('.cp-palette-item[data-widget-type="' + type + '"]');
  }

  function slotRefusal(slot, type) {
    // Why a slot does not take a widget, as the mouse and the keyboard say.
    if (typeStyles[type] && typeStyles[type].container && slot.closest(".cp-block")) {
      // A column: in the words the server refuses a paste there with.
      return format("container_in_container", { type: typeTitle(type) });
    }
    const allowed = (slot.dataset.allowed || "").split(" ").filter(Boolean);
    if (allowed.length && !allowed.includes(type)) {
      return format("not_allowed", { slot: slotTitle(slot), type: typeTitle(type) });
    }
    return format("slot_full", { slot: slotTitle(slot), max: slot.dataset.max });
  }

  function addSymbols(icons) {
    // Drawings of the icons blocks show instead of their type's, which the
    // page's sprite may lack (the server's own markup).
    const sprite = document.querySelector(".cp-sprite");
    Object.keys(icons).forEach(function (name) {
      if (sprite && !document.getElementById("cp-icon-" + name)) {
        sprite.insertAdjacentHTML("beforeend", icons[name]);
      }
    });
  }

  function label(block, mapping) {
    const title = block.querySelector(".cp-block-title");
    mapping.type = typeTitle(block.dataset.widgetType);
    mapping.title = (title && title.textContent) || mapping.type;
    block.setAttribute(
      "aria-label",
      format(mapping.slot === undefined ? "block_label_unplaced" : "block_label", mapping),
    );
  }

  function labelBlocks() {
    // Each block's label says where it is ("Text: Intro, 2 of 5 in Main"):
    // set here, so the server sends the same markup wherever a block sits.
    // Each slot's count follows what it holds while a block is moved.
    slots().forEach(function (slot) {
      const count = slot.querySelector(":scope > .cp-slot-title > .cp-slot-count");
      if (count) {
        count.textContent = blocksOf(slot).length;
      }
      const blocks = blocksOf(slot).filter(function (block) {
        return block.dataset.placementId;
      });
      const name = slotTitle(slot);
      blocks.forEach(function (block, index) {
        label(block, { position: index + 1, count: blocks.length, slot: name });
      });
    });
    canvas.querySelectorAll(".cp-tray .cp-block[data-placement-id]").forEach(function (block) {
      label(block, {});
    });
  }

  function decorate() {
    // Every block gets the buttons of the page's template (the same in each
    // block, so the server sends them once), and a label saying where it is.
    const tools = document.getElementById("cp-block-tools");
    canvas.querySelectorAll(".cp-block[data-placement-id]").forEach(function (block) {
      const head = block.querySelector(".cp-block-head");
      if (!head || !tools || head.querySelector(".cp-block-tools")) {
        return;
      }
      const copy = tools.content.cloneNode(true);
      if (block.dataset.editable !== "true") {
        // A type no longer registered can be moved or removed, not edited.
        copy.querySelector('[data-action="edit"]').remove();
      }
      if (!block.closest(".cp-slot[data-slot]")) {
        // In the tray: a copy would have no place to go.
        copy.querySelector('[data-action="duplicate"]').remove();
        copy.querySelector('[data-action="paste"]').remove();
      }
      head.appendChild(copy);
    });
    labelBlocks();
    showClipboard();
  }

  // Talking to the server ----------------------------------------------------
  //
  // Design mode writes through the REST API like any client: PATCH
  // @composition with the version it shows as If-Match, asking for the
  // floor plan's state with every answer (?expand=design).

  let idleWaiters = [];

  function setBusy(value) {
    busy = value;
    editor.classList.toggle("cp-busy", value);
    saving.hidden = !value;
    if (!value) {
      const waiting = idleWaiters;
      idleWaiters = [];
      waiting.forEach(function (resolve) {
        resolve();
      });
    }
  }

  function whenIdle() {
    // Resolves once no change is being saved.
    return busy
      ? new Promise(function (resolve) {
          idleWaiters.push(resolve);
        })
      : Promise.resolve();
  }

  function designUrl() {
    return editor.dataset.compositionUrl + "?expand=design";
  }

  function designState(data) {
    return data && data["@components"] && data["@components"].design;
  }

  function apply(data, keepFocus) {
    // The canvas is replaced: a move or drag in progress ends with it.
    if (drag && drag.active) {
      endDrag();
    }
    drag = null;
    moving = null;
    editor.dataset.version = String(data.version);
    addSymbols(data.icons || {});
    canvas.innerHTML = data.html;
    decorate();
    undoButton.disabled = !data.can_undo;
    redoButton.disabled = !data.can_redo;
    if (layoutSelect && data.layout) {
      layoutSelect.value = data.layout;
    }
    if (data.focus) {
      focusBlock(data.focus);
    } else if (keepFocus) {
      // After a removal, undo or redo: the same block, or its neighbour.
      keepFocus.find(function (id) {
        return focusBlock(id);
      });
    }
  }

  function focusCandidates() {
    const block = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest(".cp-block[data-placement-id]")
      : null;
    if (!block) {
      return null;
    }
    const ids = [block.dataset.placementId];
    [block.nextElementSibling, block.previousElementSibling].forEach(function (other) {
      if (other && other.dataset.placementId) {
        ids.push(other.dataset.placementId);
      }
    });
    return ids;
  }

  async function refresh(focus) {
    const response = await fetch(designUrl(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    });
    const data = designState(await response.json());
    data.focus = focus || null;
    apply(data);
    return data;
  }

  async function send(operation) {
    if (busy) {
      return false;
    }
    const keepFocus = focusCandidates();
    setBusy(true);
    try {
      const response = await fetch(designUrl(), {
        method: "PATCH",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "If-Match": '"' + editor.dataset.version + '"',
        },
        credentials: "same-origin",
        // Changes others made since this view are merged; only one that
        // conflicts with this operation refuses it (412, saying who and when).
        body: JSON.stringify({ operations: [operation], merge: true }),
      });
      let answer = null;
      try {
        answer = await response.json();
      } catch (error) {
        answer = null;
      }
      const data = designState(answer);
      if (!data || typeof data.html !== "string") {
        refuse(messages.failed);
        await refresh();
        return false;
      }
      apply(data, keepFocus);
      if (!response.ok) {
        refuse(data.error || messages.failed);
        return false;
      }
      announce(data.message || "");
      return true;
    } catch (error) {
      showAlert(messages.failed);
      try {
        await refresh();
      } catch (ignored) {
        // The alert already says the view may be out of date.
      }
      return false;
    } finally {
      setBusy(false);
    }
  }

  // Settings and removal -----------------------------------------------------

  let settingsReturnFocus = null;

  function openSettings(params, title) {
    const query = new URLSearchParams(params);
    query.set("version", editor.dataset.version);
    settingsReturnFocus = params.id || null;
    settingsDialog.querySelector(".cp-dialog-title").textContent = title;
    settingsDialog.setAttribute("aria-busy", "true");
    settingsFrame.src = editor.dataset.settingsUrl + "?" + query.toString();
    settingsDialog.showModal();
  }

  function fitSettingsFrame() {
    // As tall as the form (TinyMCE and other widgets may grow it), within the
    // dialog's maximum height.
    try {
      // The form's own height, not the body's: Plone's page fills its
      // window, so the body is never shorter than the frame.
      const doc = settingsFrame.contentDocument;
      const content = doc.querySelector("#portal-column-content") || doc.body;
      const bottom = content.getBoundingClientRect().bottom + doc.defaultView.scrollY;
      const height = Math.min(Math.ceil(bottom) + 24, window.innerHeight * 0.8);
      settingsFrame.style.height = Math.max(height, 240) + "px";
    } catch (error) {
      // Not loaded yet: keep the stylesheet's height.
    }
  }

  function closeSettings() {
    if (settingsDialog.open) {
      settingsDialog.close();
    }
    settingsFrame.src = "about:blank";
    // Now, not at the late close event, which a reopened dialog skips.
    removeGhost();
  }

  settingsFrame.addEventListener("load", async function () {
    settingsDialog.removeAttribute("aria-busy");
    let done = null;
    try {
      done = settingsFrame.contentDocument.getElementById("cp-settings-done");
    } catch (error) {
      done = null;
    }
    if (!done) {
      // The settings form (z3c.form names it "form"), not the site search.
      const form = settingsFrame.contentDocument && settingsFrame.contentDocument.querySelector("form#form");
      fitSettingsFrame();
      if (form && form.querySelector('[name="form.buttons.overwrite"], [name="form.buttons.readd"]')) {
        // Saving was refused because someone changed this widget: the
        // dialog keeps the input, says what happened and offers what next;
        // the floor plan behind it shows the page as it is now.
        refresh(settingsReturnFocus).catch(function () {});
      }
      if (form) {
        // The frame first: a field of a frame without focus stays unfocused.
        settingsFrame.focus();
        // Then the first field, unless a pattern draws it (TinyMCE, related
        // items): focusing the field it hides would leave it at once, and
        // Plone's validation would call an untouched form wrong.  A TinyMCE
        // editor takes the focus itself when it is ready (settingsPage).
        const first = form.querySelector(FIELDS);
        if (first && !/(^|\s)pat-/.test(first.className)) {
          first.focus();
        } else if (first && first.classList.contains("pat-tinymce")) {
          const tinymce = settingsFrame.contentWindow.tinymce;
          const tiny = tinymce && tinymce.get(first.id);
          if (tiny && tiny.initialized) {
            tiny.focus();
          }
        }
      }
      return;
    }
    const result = JSON.parse(done.dataset.result || "{}");
    closeSettings();
    removeGhost();
    if (result.saved || result.stale || result.gone) {
      // Busy until the floor plan shows what is stored now.
      setBusy(true);
      try {
        await settled(result);
      } finally {
        setBusy(false);
      }
    } else {
      settingsCancelled();
    }
  });

  async function settled(result) {
    if (result.saved) {
      await refresh(result.focus);
      announce(result.message || messages.saved || "");
    } else if (result.stale) {
      await refresh(settingsReturnFocus);
      refuse(messages.stale);
    } else if (result.gone) {
      // The widget is gone (someone removed it): said, and the floor plan
      // shows the page as it is now.
      await refresh();
      refuse(result.gone);
    }
  }

  let formWatch = null;

  settingsFrame.addEventListener("load", function () {
    // Patterns (TinyMCE, related items) finish drawing after the load event,
    // and a form grows as it is filled in (a picked image shows its
    // preview): the frame follows the form's height.
    if (formWatch) {
      formWatch.disconnect();
      formWatch = null;
    }
    try {
      const win = settingsFrame.contentWindow;
      const content = win.document.querySelector("#portal-column-content");
      if (content && win.ResizeObserver) {
        formWatch = new win.ResizeObserver(fitSettingsFrame);
        formWatch.observe(content);
      }
    } catch (error) {
      formWatch = null;
    }
    window.setTimeout(fitSettingsFrame, 600);
  });

  settingsDialog.addEventListener("close", function () {
    // Late, like the confirm dialog's (see there): if the dialog was opened
    // again meanwhile, the frame loads the new form and must not be blanked.
    if (settingsDialog.open) {
      return;
    }
    settingsFrame.src = "about:blank";
    removeGhost();
  });

  function settingsCancelled() {
    // Back to the block whose settings were open, or to the palette item
    // of a new widget that was not added (its ghost is gone: the focus
    // would be lost on the page), saying so.
    const type = adding;
    adding = null;
    if (settingsReturnFocus || !type) {
      focusBlock(settingsReturnFocus);
      return;
    }
    const item = paletteItem(type);
    if (item) {
      focusOn(item);
    }
    announce(format("add_cancelled", { type: typeTitle(type) }));
  }

  // Escape on the dialog itself (not in its form) closes it natively.
  settingsDialog.addEventListener("cancel", function () {
    removeGhost();
    window.setTimeout(settingsCancelled, 0);
  });

  let removing = null;

  let removingNeighbours = null;

  function confirmRemove(block) {
    removing = block.dataset.placementId;
    removingNeighbours = [block.nextElementSibling, block.previousElementSibling]
      .filter(function (other) {
        return other && other.dataset.placementId;
      })
      .map(function (other) {
        return other.dataset.placementId;
      });
    confirmDialog.querySelector("#cp-confirm-text").textContent = format("confirm_remove", {
      type: typeTitle(block.dataset.widgetType),
    });
    confirmDialog.showModal();
    confirmDialog.querySelector('[data-action="cancel-remove"]').focus();
  }

  confirmDialog.addEventListener("close", function () {
    // "close" comes later than close() (queued; Chromium fires it at its
    // next animation frame): a Delete right after Cancel may have opened
    // the dialog again by then, and the block it asks about must not be
    // forgotten (Remove would send no id, and the server refuse it).
    if (confirmDialog.open) {
      return;
    }
    if (removing) {
      focusBlock(removing);
    }
    removing = null;
  });

  // Keyboard moves -----------------------------------------------------------

  function position(block) {
    // Blocks in the tray of unplaced widgets are in no slot.
    const slot = block.closest(".cp-slot[data-slot]");
    if (!slot) {
      return { slot: null, index: -1, count: 0 };
    }
    const blocks = blocksOf(slot);
    return { slot: slot, index: blocks.indexOf(block), count: blocks.length };
  }

  function announcePosition(block, before, key) {
    labelBlocks();
    const where = position(block);
    if (!where.slot) {
      // Still among the widgets that are not placed: say how out.
      announce(messages.tray_hint || "");
      return;
    }
    const text = format(key || "position", {
      slot: slotTitle(where.slot),
      position: where.index + 1,
      count: where.count,
    });
    announce(before ? before + " " + text : text);
  }

  function pickUp(block) {
    moving = {
      block: block,
      type: block.dataset.widgetType,
      parent: block.parentNode,
      next: block.nextSibling,
      isNew: false,
    };
    block.classList.add("cp-picked");
    block.setAttribute("aria-pressed", "true");
    announce(format("picked", { type: typeTitle(moving.type) }));
  }

  function startPlacing(type, clip) {
    const target = slots().find(function (slot) {
      return accepts(slot, type, null);
    });
    if (!target) {
      announce(format("no_slot", { type: typeTitle(type) }), true);
      return;
    }
    const ghost = document.createElement("li");
    ghost.className = "cp-block cp-ghost cp-picked";
    ghost.tabIndex = 0;
    ghost.dataset.widgetType = type;
    if (typeStyles[type]) {
      ghost.style.setProperty("--cp-colour", typeStyles[type].colour);
    }
    const title = clip ? clipTitle(clip) : format("new_title", { type: typeTitle(type) });
    ghost.setAttribute("aria-label", title);
    ghost.textContent = title;
    target.querySelector(".cp-blocks").appendChild(ghost);
    moving = { block: ghost, type: type, parent: null, next: null, isNew: true, clip: clip || null };
    focusOn(ghost);
    announce(format(clip ? "placing_clip" : "placing", { type: typeTitle(type) }));
  }

  function removeGhost() {
    canvas.querySelectorAll(".cp-ghost").forEach(function (ghost) {
      ghost.remove();
    });
  }

  function stepWithin(direction) {
    const block = moving.block;
    // At either end of its slot, it says so (the same words again said
    // nothing).
    let end = null;
    if (direction < 0 && block.previousElementSibling) {
      block.parentNode.insertBefore(block, block.previousElementSibling);
    } else if (direction > 0 && block.nextElementSibling) {
      block.parentNode.insertBefore(block.nextElementSibling, block);
    } else {
      end = direction < 0 ? "position_first" : "position_last";
    }
    focusOn(block);
    announcePosition(block, null, end);
  }

  function stepSlot(direction) {
    const all = slots();
    const current = all.indexOf(moving.block.closest(".cp-slot"));
    // The first slot passed over that refuses the widget says why.
    let refused = null;
    for (let n = current + direction; n >= 0 && n < all.length; n += direction) {
      if (accepts(all[n], moving.type, moving.isNew ? null : moving.block)) {
        all[n].querySelector(".cp-blocks").appendChild(moving.block);
        focusOn(moving.block);
        announcePosition(moving.block, refused);
        return;
      }
      refused = refused || slotRefusal(all[n], moving.type);
    }
    if (refused) {
      announce(refused, true);
    } else {
      announcePosition(moving.block);
    }
  }

  function cancelMove() {
    const current = moving;
    moving = null;
    if (current.isNew) {
      current.block.remove();
      labelBlocks();
      const item = current.clip ? clipItem(current.clip) : paletteItem(current.type);
      if (item) {
        focusOn(item);
      }
    } else {
      current.parent.insertBefore(current.block, current.next);
      current.block.classList.remove("cp-picked");
      current.block.removeAttribute("aria-pressed");
      labelBlocks();
      focusOn(current.block);
    }
    if (current.clip) {
      announce(messages.paste_cancelled);
    } else if (current.isNew) {
      announce(format("add_cancelled", { type: typeTitle(current.type) }));
    } else {
      announce(messages.cancelled);
    }
  }

  async function drop() {
    const current = moving;
    moving = null;
    const where = position(current.block);
    if (!where.slot) {
      // Still in the tray: nothing to do.
      moving = current;
      cancelMove();
      return;
    }
    const slot = where.slot.dataset.slot;
    if (current.clip) {
      await pasteFromClipboard([current.clip], where.slot, where.index);
      removeGhost();
      return;
    }
    if (current.isNew) {
      adding = current.type;
      openSettings(
        { type: current.type, slot: slot, index: where.index },
        format("new_title", { type: typeTitle(current.type) }),
      );
      return;
    }
    current.block.classList.remove("cp-picked");
    current.block.removeAttribute("aria-pressed");
    const id = current.block.dataset.placementId;
    const ok = await send({ op: "move", id: id, slot: slot, index: where.index });
    if (!ok) {
      focusBlock(id);
    }
  }

  function onMovingKey(event) {
    const keys = {
      ArrowUp: function () {
        stepWithin(-1);
      },
      ArrowDown: function () {
        stepWithin(1);
      },
      ArrowLeft: function () {
        stepSlot(-1);
      },
      ArrowRight: function () {
        stepSlot(1);
      },
      Escape: cancelMove,
      Enter: drop,
      " ": drop,
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    } else if (event.key === "Tab") {
      event.preventDefault();
    }
  }

  function onBlockKey(event, block) {
    if (busy) {
      return;
    }
    const all = Array.from(canvas.querySelectorAll(".cp-block[data-placement-id]"));
    const at = all.indexOf(block);
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      pickUp(block);
    } else if (event.key === "e" || event.key === "E") {
      if (block.dataset.editable) {
        event.preventDefault();
        editBlock(block);
      }
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      confirmRemove(block);
    } else if (event.key === "ArrowDown" && at < all.length - 1) {
      event.preventDefault();
      focusOn(all[at + 1]);
    } else if (event.key === "ArrowUp" && at > 0) {
      event.preventDefault();
      focusOn(all[at - 1]);
    }
  }

  function editBlock(block) {
    adding = null;
    openSettings(
      { id: block.dataset.placementId },
      format("settings_title", { type: typeTitle(block.dataset.widgetType) }),
    );
  }

  // The clipboard --------------------------------------------------------------
  //
  // Kept in the browser (localStorage), so it outlives the page and serves
  // every page of the site in this browser: the page copied from (its UID)
  // and the widgets' ids there, with their types and titles to show.  The
  // server copies what a columns widget holds by itself.  A cut removes
  // the originals only when they are pasted (the paste operation does it,
  // in the same transaction); until then they stay, drawn as cut.

  const CLIPBOARD_KEY = "compositepage.clipboard";
  // Where the browser keeps no local storage (a private window may refuse
  // it), the clipboard lasts as long as this page.
  let clipboardHere = null;
  let storageRefused = false;

  function readClipboard() {
    let clip = clipboardHere;
    try {
      if (storageRefused) {
        throw new Error("no local storage");
      }
      // What the browser keeps wins: another tab may have emptied it.
      const text = window.localStorage.getItem(CLIPBOARD_KEY);
      clip = text ? JSON.parse(text) : null;
    } catch (error) {
      clip = clipboardHere;
    }
    const valid =
      clip &&
      typeof clip.source === "string" &&
      Array.isArray(clip.items) &&
      clip.items.length &&
      clip.items.every(function (item) {
        return item && typeof item.id === "string" && typeof item.type === "string";
      });
    return valid ? clip : null;
  }

  function writeClipboard(clip) {
    clipboardHere = clip;
    try {
      if (clip) {
        window.localStorage.setItem(CLIPBOARD_KEY, JSON.stringify(clip));
      } else {
        window.localStorage.removeItem(CLIPBOARD_KEY);
      }
      storageRefused = false;
    } catch (error) {
      // Kept in clipboardHere.
      storageRefused = true;
    }
    showClipboard();
  }

  function clipItem(id) {
    return Array.from(clipboardList.querySelectorAll(".cp-palette-item")).find(function (item) {
      return item.dataset.clipId === id;
    });
  }

  function clipTitle(id) {
    const item = clipItem(id);
    return item ? item.getAttribute("aria-label") : "";
  }

  function showClipboard() {
    // The palette's group of what the clipboard holds, and the blocks of
    // this page that are cut.
    const clip = readClipboard();
    canvas.querySelectorAll(".cp-cut").forEach(function (block) {
      block.classList.remove("cp-cut");
    });
    clipboardList.textContent = "";
    clipboardBox.hidden = !clip;
    // Blocks offer Paste only when there is something to paste.
    editor.classList.toggle("cp-has-clip", Boolean(clip));
    if (!clip) {
      return;
    }
    clip.items.forEach(function (entry) {
      const style = typeStyles[entry.type];
      const button = document.createElement("button");
      button.type = "button";
      button.className = "cp-palette-item";
      button.dataset.clipId = entry.id;
      button.dataset.clipType = entry.type;
      if (style) {
        button.style.setProperty("--cp-colour", style.colour);
      }
      const title = String(entry.title || typeTitle(entry.type));
      button.title = format(clip.cut ? "clip_cut_from" : "clip_from", { page: clip.page || "" });
      button.setAttribute(
        "aria-label",
        format("clip_item", { type: typeTitle(entry.type), title: title }),
      );
      const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("class", "cp-icon");
      svg.setAttribute("aria-hidden", "true");
      const use = document.createElementNS("http://www.w3.org/2000/svg", "use");
      use.setAttribute("href", "#cp-icon-" + (style ? style.icon : "question-circle"));
      svg.appendChild(use);
      const text = document.createElement("span");
      text.textContent = title;
      button.append(svg, text);
      const row = document.createElement("li");
      row.appendChild(button);
      clipboardList.appendChild(row);
      if (clip.cut && clip.source === editor.dataset.uid) {
        const block = canvas.querySelector('.cp-block[data-placement-id="' + CSS.escape(entry.id) + '"]');
        if (block) {
          block.classList.add("cp-cut");
        }
      }
    });
  }

  // Another tab of this browser changed the clipboard.
  window.addEventListener("storage", function (event) {
    if (event.key === CLIPBOARD_KEY || event.key === null) {
      showClipboard();
      cutTakenElsewhere(event.oldValue);
    }
  });

  // Widgets cut here and pasted in another tab have left this page: the
  // floor plan shows it at once, rather than blocks that are gone.
  async function cutTakenElsewhere(oldValue) {
    let old = null;
    try {
      old = JSON.parse(oldValue || "null");
    } catch (error) {
      return;
    }
    if (!old || !old.cut || old.source !== editor.dataset.uid || !Array.isArray(old.items)) {
      return;
    }
    const now = readClipboard();
    const kept =
      now && now.cut && now.source === old.source
        ? now.items.map(function (item) {
            return item.id;
          })
        : [];
    const taken = old.items.filter(function (item) {
      return !kept.includes(item.id);
    });
    if (!taken.length || busy || moving) {
      return;
    }
    await refresh();
    const gone = taken.some(function (item) {
      return !canvas.querySelector('[data-placement-id="' + CSS.escape(String(item.id)) + '"]');
    });
    if (gone) {
      announce(messages.cut_taken);
    }
  }

  function copyBlock(block, cut, add) {
    // With ``add`` (Shift), the widget joins what the clipboard holds from
    // this page (copied, or cut, as it is); otherwise it replaces it.
    const type = block.dataset.widgetType;
    const head = block.querySelector(".cp-block-title");
    const entry = {
      id: block.dataset.placementId,
      type: type,
      title: (head && head.textContent) || typeTitle(type),
    };
    let clip = readClipboard();
    if (add && clip && clip.source === editor.dataset.uid && clip.cut === cut) {
      clip.items = clip.items.filter(function (other) {
        return other.id !== entry.id;
      });
      clip.items.push(entry);
    } else {
      clip = { source: editor.dataset.uid, page: editor.dataset.title, cut: cut, items: [entry] };
    }
    writeClipboard(clip);
    if (clip.items.length > 1) {
      announce(format("clip_added", { type: typeTitle(type), count: clip.items.length }));
    } else {
      announce(format(cut ? "cut" : "copied", { type: typeTitle(type) }));
    }
  }

  async function pasteFromClipboard(ids, slot, index) {
    // ``ids``: what of the clipboard to paste (null: all of it).
    const clip = readClipboard();
    if (!clip) {
      announce(messages.clip_empty, true);
      return false;
    }
    const items = ids
      ? clip.items.filter(function (item) {
          return ids.includes(item.id);
        })
      : clip.items;
    const ok = await send({
      op: "paste",
      source: clip.source,
      ids: items.map(function (item) {
        return item.id;
      }),
      slot: slot.dataset.slot,
      index: index,
      cut: Boolean(clip.cut),
    });
    if (ok && clip.cut) {
      // The originals have left their page: they are off the clipboard.
      const now = readClipboard();
      if (now && now.cut && now.source === clip.source) {
        now.items = now.items.filter(function (item) {
          return !items.some(function (pasted) {
            return pasted.id === item.id;
          });
        });
        writeClipboard(now.items.length ? now : null);
      }
    }
    return ok;
  }

  function insertionPoint(element) {
    // Where Ctrl+V pastes: after the widget in focus, in its slot or
    // column; at the end of a slot in focus.
    if (!(element instanceof Element) || !canvas.contains(element)) {
      return null;
    }
    const block = element.closest(".cp-block[data-placement-id]");
    if (block) {
      const where = position(block);
      return where.slot ? { slot: where.slot, index: where.index + 1 } : null;
    }
    const slot = element.closest(".cp-slot[data-slot]");
    return slot ? { slot: slot, index: blocksOf(slot).length } : null;
  }

  function duplicate(block) {
    const where = position(block);
    if (!where.slot) {
      announce(messages.not_placed, true);
      return;
    }
    send({
      op: "paste",
      source: editor.dataset.uid,
      ids: [block.dataset.placementId],
      slot: where.slot.dataset.slot,
      index: where.index + 1,
      cut: false,
    });
  }

  // Ctrl+C, Ctrl+X (with Shift: add to the clipboard) and Ctrl+V, outside
  // text fields and dialogs.
  document.addEventListener("keydown", function (event) {
    const key = (event.key || "").toLowerCase();
    if (!(event.ctrlKey || event.metaKey) || event.altKey || !["c", "x", "v"].includes(key)) {
      return;
    }
    if (!keysAreOurs(event)) {
      return;
    }
    const target = event.target instanceof Element ? event.target : null;
    if (key === "v") {
      const point = insertionPoint(target);
      const clip = readClipboard();
      if (!point && !clip) {
        return;
      }
      event.preventDefault();
      if (busy) {
        return;
      }
      if (!clip) {
        announce(messages.clip_empty, true);
      } else if (!point) {
        announce(messages.paste_where, true);
      } else {
        pasteFromClipboard(null, point.slot, point.index);
      }
      return;
    }
    const block = target && canvas.contains(target) && target.closest(".cp-block[data-placement-id]");
    if (block) {
      event.preventDefault();
      copyBlock(block, key === "x", event.shiftKey);
    }
  });

  // Where the palette stands above the floor plan (a narrow editor, see
  // editor.css), the list of keys starts folded: it would push the floor
  // plan out of sight, and a finger needs no keys.
  const keys = editor.querySelector(".cp-keys");
  const rem = parseFloat(window.getComputedStyle(document.documentElement).fontSize) || 16;
  if (keys && editor.getBoundingClientRect().width < 62 * rem) {
    keys.open = false;
  }

  // The floor plan arrives as JSON beside the canvas (see the design view).
  const initial = document.getElementById("cp-state");
  if (initial) {
    apply(JSON.parse(initial.textContent));
  }

  editor.addEventListener("keydown", function (event) {
    if (drag && drag.active) {
      if (event.key === "Escape") {
        endDrag();
        drag = null;
      }
      event.preventDefault();
      return;
    }
    if (moving) {
      if (event.target === moving.block) {
        onMovingKey(event);
        return;
      }
      // The focus left the block being moved: the move is over.
      cancelMove();
    }
    const block = event.target.closest(".cp-block[data-placement-id]");
    if (block && event.target === block) {
      onBlockKey(event, block);
    }
  });

  function keysAreOurs(event) {
    // Whether a shortcut is design mode's: not where the keys undo, copy or
    // paste typing (text fields, editable content, the dialogs), nor while
    // a widget is being moved.
    const target = event.target instanceof Element ? event.target : null;
    const typing =
      target &&
      (target.isContentEditable ||
        target.closest("textarea, select, dialog, [contenteditable]") ||
        (target.closest("input") && !/^(button|checkbox|radio|submit|reset|image|file|range|color)$/.test(target.type)));
    if (event.defaultPrevented || typing || moving || (drag && drag.active)) {
      return false;
    }
    return !(settingsDialog.open || confirmDialog.open);
  }

  // Undo and redo from anywhere on the page (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y),
  // except where the keys undo typing: text fields, editable content, and
  // the dialogs.
  document.addEventListener("keydown", function (event) {
    const key = (event.key || "").toLowerCase();
    if (!(event.ctrlKey || event.metaKey) || event.altKey || (key !== "z" && key !== "y")) {
      return;
    }
    if (!keysAreOurs(event)) {
      return;
    }
    event.preventDefault();
    const redo = key === "y" || event.shiftKey;
    if (redo ? !redoButton.disabled : !undoButton.disabled) {
      send({ op: redo ? "redo" : "undo" });
    }
  });

  // Back from another page, the browser may show this one from its
  // back-forward cache as it was left: what is stored is read again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    if (settingsDialog.open) {
      closeSettings();
    }
    if (confirmDialog.open) {
      confirmDialog.close();
    }
    const active = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest(".cp-block[data-placement-id]")
      : null;
    refresh(active ? active.dataset.placementId : null).catch(function () {
      showAlert(messages.failed);
    });
  });

  // Pointer drag (mouse, pen and touch) ---------------------------------------

  const DRAG_THRESHOLD = 6;
  const EDGE = 48;

  function dropTarget(x, y) {
    const element = document.elementFromPoint(x, y);
    const slot = element && element.closest(".cp-slot[data-slot]");
    if (!slot || !canvas.contains(slot)) {
      return null;
    }
    const blocks = blocksOf(slot, drag.source);
    let index = blocks.length;
    for (let n = 0; n < blocks.length; n++) {
      const box = blocks[n].getBoundingClientRect();
      if (y < box.top + box.height / 2) {
        index = n;
        break;
      }
    }
    return {
      slot: slot,
      index: index,
      ok: accepts(slot, drag.type, drag.isNew ? null : drag.source),
      blocks: blocks,
    };
  }

  function clearIndicator() {
    canvas
      .querySelectorAll(".cp-drop-target, .cp-drop-refused, .cp-drop-before, .cp-drop-end")
      .forEach(function (element) {
        element.classList.remove("cp-drop-target", "cp-drop-refused", "cp-drop-before", "cp-drop-end");
      });
  }

  function showIndicator(target) {
    // Drawn with classes and pseudo-elements, so the floor plan does not
    // shift under the pointer while it moves.
    clearIndicator();
    if (!target) {
      return;
    }
    target.slot.classList.add(target.ok ? "cp-drop-target" : "cp-drop-refused");
    if (!target.ok) {
      return;
    }
    const before = target.blocks[target.index];
    if (before) {
      before.classList.add("cp-drop-before");
    } else {
      target.slot.querySelector(".cp-blocks").classList.add("cp-drop-end");
    }
  }

  function autoScroll() {
    if (!drag || !drag.active) {
      return;
    }
    let speed = 0;
    if (drag.y < EDGE) {
      speed = -Math.ceil((EDGE - drag.y) / 4);
    } else if (drag.y > window.innerHeight - EDGE) {
      speed = Math.ceil((drag.y - (window.innerHeight - EDGE)) / 4);
    }
    if (speed) {
      window.scrollBy(0, speed);
      drag.target = dropTarget(drag.x, drag.y);
      showIndicator(drag.target);
    }
    drag.frame = window.requestAnimationFrame(autoScroll);
  }

  // The widest a dragged block's copy under the pointer is (px).
  const AVATAR_WIDTH = 320;

  function beginDrag(event) {
    drag.active = true;
    const box = drag.source.getBoundingClientRect();
    drag.avatar = drag.source.cloneNode(true);
    drag.avatar.removeAttribute("id");
    drag.avatar.classList.add("cp-avatar");
    drag.avatar.setAttribute("aria-hidden", "true");
    // A large block (a columns widget with what it holds) is carried as its
    // head only, no wider than AVATAR_WIDTH, and under the pointer: a copy
    // of it all would cover the floor plan and run off the window.
    let width = box.width;
    if (drag.avatar.querySelector(".cp-inner") || box.width > AVATAR_WIDTH) {
      drag.avatar.querySelectorAll(".cp-inner").forEach(function (inner) {
        inner.remove();
      });
      drag.avatar.classList.add("cp-avatar-compact");
      width = Math.min(box.width, AVATAR_WIDTH);
    }
    drag.avatar.style.width = width + "px";
    drag.offsetX = Math.min(event.clientX - box.left, width - 16);
    drag.offsetY = Math.min(event.clientY - box.top, drag.avatar.classList.contains("cp-avatar-compact") ? 16 : box.height);
    document.body.appendChild(drag.avatar);
    drag.source.classList.add("cp-dragging");
    editor.classList.add("cp-is-dragging");
    drag.frame = window.requestAnimationFrame(autoScroll);
  }

  function endDrag() {
    if (drag.frame) {
      window.cancelAnimationFrame(drag.frame);
    }
    if (drag.avatar) {
      drag.avatar.remove();
    }
    clearIndicator();
    drag.source.classList.remove("cp-dragging");
    editor.classList.remove("cp-is-dragging");
  }

  editor.addEventListener("pointerdown", function (event) {
    if (busy || moving || event.button !== 0) {
      return;
    }
    if (event.target.closest(".cp-tool")) {
      return;
    }
    const source = event.target.closest(".cp-block[data-placement-id], .cp-palette-item");
    if (!source) {
      return;
    }
    drag = {
      source: source,
      type: source.dataset.widgetType || source.dataset.clipType,
      isNew: source.classList.contains("cp-palette-item"),
      clip: source.dataset.clipId || null,
      startX: event.clientX,
      startY: event.clientY,
      x: event.clientX,
      y: event.clientY,
      active: false,
      pointer: event.pointerId,
    };
    source.setPointerCapture(event.pointerId);
  });

  editor.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.pointer) {
      return;
    }
    drag.x = event.clientX;
    drag.y = event.clientY;
    if (!drag.active) {
      if (Math.hypot(drag.x - drag.startX, drag.y - drag.startY) < DRAG_THRESHOLD) {
        return;
      }
      beginDrag(event);
    }
    event.preventDefault();
    drag.avatar.style.left = drag.x - drag.offsetX + "px";
    drag.avatar.style.top = drag.y - drag.offsetY + "px";
    drag.target = dropTarget(drag.x, drag.y);
    showIndicator(drag.target);
  });

  async function finishPointer(event, cancelled) {
    if (!drag || event.pointerId !== drag.pointer) {
      return;
    }
    const current = drag;
    if (!current.active) {
      drag = null;
      return;
    }
    const target = cancelled ? null : dropTarget(event.clientX, event.clientY);
    endDrag();
    drag = null;
    justDragged = true;
    window.setTimeout(function () {
      justDragged = false;
    }, 0);
    if (!target || !target.ok) {
      if (target && !target.ok) {
        announce(slotRefusal(target.slot, current.type), true);
      }
      return;
    }
    if (current.clip) {
      await pasteFromClipboard([current.clip], target.slot, target.index);
      return;
    }
    if (current.isNew) {
      adding = current.type;
      openSettings(
        { type: current.type, slot: target.slot.dataset.slot, index: target.index },
        format("new_title", { type: typeTitle(current.type) }),
      );
      return;
    }
    const id = current.source.dataset.placementId;
    const from = position(current.source);
    if (from.slot === target.slot && from.index === target.index) {
      focusBlock(id);
      return;
    }
    await send({ op: "move", id: id, slot: target.slot.dataset.slot, index: target.index });
  }

  editor.addEventListener("pointerup", function (event) {
    finishPointer(event, false);
  });
  editor.addEventListener("pointercancel", function (event) {
    finishPointer(event, true);
  });
  editor.addEventListener("lostpointercapture", function (event) {
    // The capturing element left the page (the canvas was replaced).
    if (drag && drag.active && event.pointerId === drag.pointer && !drag.source.isConnected) {
      finishPointer(event, true);
    }
  });

  // Buttons ------------------------------------------------------------------

  // What the buttons of a block do, by their data-action.
  const blockActions = {
    edit: editBlock,
    remove: function (block) {
      // As the Delete key: not while a change is being saved.
      if (!busy) {
        confirmRemove(block);
      }
    },
    copy: function (block, event) {
      copyBlock(block, false, event.shiftKey);
    },
    cut: function (block, event) {
      copyBlock(block, true, event.shiftKey);
    },
    paste: function (block) {
      const point = insertionPoint(block);
      if (point) {
        pasteFromClipboard(null, point.slot, point.index);
      }
    },
    duplicate: duplicate,
  };

  // What the other buttons of the editor do.
  const buttonActions = {
    undo: function () {
      send({ op: "undo" });
    },
    redo: function () {
      send({ op: "redo" });
    },
    set_layout: function () {
      send({ op: "set_layout", layout: layoutSelect.value });
    },
    "clear-clipboard": function () {
      writeClipboard(null);
      const first = editor.querySelector(".cp-palette-item");
      if (first) {
        focusOn(first);
      }
      announce(messages.clip_cleared);
    },
    "confirm-remove": async function () {
      const id = removing;
      removing = null;
      confirmDialog.close();
      // A change confirmed while another is still being saved is sent
      // after it, not dropped.
      await whenIdle();
      await send({ op: "remove", id: id });
      (removingNeighbours || []).find(function (other) {
        return focusBlock(other);
      });
    },
    "cancel-remove": function () {
      confirmDialog.close();
    },
    "close-settings": function () {
      closeSettings();
      settingsCancelled();
    },
  };

  editor.addEventListener("click", function (event) {
    if (justDragged || (drag && drag.active)) {
      event.preventDefault();
      return;
    }
    if (moving && !moving.block.contains(event.target)) {
      cancelMove();
    }
    const item = event.target.closest(".cp-palette-item");
    if (item && !moving && !busy) {
      if (item.dataset.clipId) {
        startPlacing(item.dataset.clipType, item.dataset.clipId);
      } else {
        startPlacing(item.dataset.widgetType);
      }
      return;
    }
    const button = event.target.closest("[data-action]");
    if (!button) {
      return;
    }
    const block = button.closest(".cp-block");
    const action = button.dataset.action;
    if (Object.hasOwn(blockActions, action) && block) {
      blockActions[action](block, event);
    } else if (Object.hasOwn(buttonActions, action)) {
      buttonActions[action]();
    }
  });
})();
