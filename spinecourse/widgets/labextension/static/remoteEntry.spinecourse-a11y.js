/* spinecourse-a11y: a JupyterLab 4 federated extension written by hand (no shared modules, no build).
 *
 * Why: ipywidgets 8 renders every slider with noUiSlider, whose handle (<div class="noUi-handle"
 * role="slider">) gets aria-valuenow/min/max but no accessible name: axe-core reports
 * aria-input-field-name, and a screen reader announces "slider, 3". The visible description label
 * sits next to it (.widget-label) but is not linked. This plugin links them: each unnamed handle gets
 * aria-labelledby = its slider's label (the label gets an id if it has none), so the name follows the
 * label when the description changes. A handle of a range slider also gets "lower end"/"upper end".
 *
 * Second fix: a reopened notebook whose widgets are not in the kernel (closed notebook, restarted
 * kernel, no saved widget state) shows ipywidgets' bare "Error displaying widget: model not found" in
 * every widget output. That text is replaced by a note telling the learner to run the cell again.
 * Where the widget state was saved with the notebook (saveState), the views come back from it but are
 * disconnected (ipywidgets marks them .jupyter-widgets-disconnected, a red broken-link icon): the
 * output then gets the same kind of note on top, removed again once the widget is live.
 * Nothing else is touched. Tested by tests/browser (axe-core on every lesson after Run All).
 */
(function () {
  "use strict";
  var counter = 0;

  function labelOf(slider) {
    for (var i = 0; i < slider.children.length; i++) {
      if (slider.children[i].classList.contains("widget-label")) return slider.children[i];
    }
    return null;
  }

  function nameHandles(root) {
    var handles = root.querySelectorAll(".widget-slider .noUi-handle");
    for (var i = 0; i < handles.length; i++) {
      var handle = handles[i];
      if (handle.hasAttribute("aria-label") || handle.hasAttribute("aria-labelledby")) continue;
      var slider = handle.closest(".widget-slider");
      var label = slider && labelOf(slider);
      var text = label ? (label.textContent || label.title || "").trim() : "";
      var all = slider ? slider.querySelectorAll(".noUi-handle") : [handle];
      if (all.length > 1) {
        var end = Array.prototype.indexOf.call(all, handle) === 0 ? "lower end" : "upper end";
        handle.setAttribute("aria-label", (text || "Range") + ", " + end);
      } else if (text) {
        if (!label.id) label.id = "spinecourse-slider-label-" + (++counter);
        handle.setAttribute("aria-labelledby", label.id);
      } else {
        handle.setAttribute("aria-label", "Slider");
      }
    }
  }

  var MISSING = "Error displaying widget: model not found";
  var NOTE = "This interactive widget is not running: the kernel no longer holds it (the notebook was " +
    "closed or the kernel restarted). Run this cell again, or choose Run \u25B8 Run All Cells, to bring it back.";

  function explainMissing(root) {
    var nodes = root.querySelectorAll(".jupyter-widgets");
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      if (node.children.length || (node.textContent || "").trim() !== MISSING) continue;
      var note = document.createElement("p");
      note.className = "spinecourse-widget-missing";
      note.setAttribute("role", "note");
      note.style.cssText = "border-left:4px solid #E69F00;padding:2px 8px;margin:4px 0";
      note.textContent = NOTE;
      node.textContent = "";
      node.appendChild(note);
    }
  }

  var STALE = "Saved view: this interactive widget is not connected to the kernel (the notebook was " +
    "reopened or the kernel restarted), so its controls do nothing. Run this cell again, or choose " +
    "Run \u25B8 Run All Cells, to use it.";

  function explainDisconnected(root) {
    var outputs = root.querySelectorAll(".jp-OutputArea-output");
    for (var i = 0; i < outputs.length; i++) {
      var out = outputs[i];
      var note = out.querySelector(":scope > .spinecourse-widget-stale");
      var dead = out.querySelector(".jupyter-widgets-disconnected");
      if (dead && !note) {
        note = document.createElement("p");
        note.className = "spinecourse-widget-stale";
        note.setAttribute("role", "note");
        note.style.cssText = "border-left:4px solid #E69F00;padding:2px 8px;margin:4px 0";
        note.textContent = STALE;
        out.insertBefore(note, out.firstChild);
      } else if (!dead && note) {
        note.remove();
      }
    }
  }

  var scheduled = false;
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(function () {
      scheduled = false;
      nameHandles(document.body);
      explainMissing(document.body);
      explainDisconnected(document.body);
    });
  }

  var plugin = {
    id: "spinecourse-a11y:slider-names",
    description: "Accessible names for ipywidgets slider handles (from their visible labels).",
    autoStart: true,
    activate: function () {
      nameHandles(document.body);
      explainMissing(document.body);
      explainDisconnected(document.body);
      // characterData: ipywidgets writes the "model not found" text into an existing node;
      // class: a widget view turns disconnected or live again
      new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true, characterData: true,
                                                             attributes: true, attributeFilter: ["class"] });
      window.__spinecourseA11y = { nameHandles: nameHandles, explainMissing: explainMissing,
                                   explainDisconnected: explainDisconnected };
    }
  };

  var modules = { "./extension": function () { return { __esModule: true, default: [plugin] }; } };
  var root = typeof window !== "undefined" ? window : self;
  root._JUPYTERLAB = root._JUPYTERLAB || {};
  root._JUPYTERLAB["spinecourse-a11y"] = {
    get: function (name) {
      if (!modules[name]) return Promise.reject(new Error("spinecourse-a11y has no module " + name));
      return Promise.resolve(modules[name]);
    },
    init: function () { return Promise.resolve(); }
  };
})();
