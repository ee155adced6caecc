/* The staff pages' small script. Every page works without it (all sections
   shown, links and forms as usual); with it, the library shows one clinic and
   one language at a time, the filter box narrows the languages, Copy copies,
   the handout form offers the chosen clinic's languages, and the translator
   page refreshes its pages when the catalog is saved. */
(function () {
  "use strict";

  /* The same folding as brochure/library.py's fold(): lower case, no accents. */
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().trim();
  }

  /* A language matches when a word of its names or its code starts with the
     query, or (from three letters on) when any of them contains it. */
  function matches(search, query) {
    if (!query) return true;
    var words = search.split(/\s+/);
    for (var i = 0; i < words.length; i++) {
      if (words[i].indexOf(query) === 0) return true;
    }
    return query.length >= 3 && search.indexOf(query) >= 0;
  }

  function library() {
    var clinics = Array.prototype.slice.call(document.querySelectorAll("section.clinic"));
    if (!clinics.length) return;
    document.documentElement.classList.add("js");
    var filter = document.getElementById("filter");
    var status = document.getElementById("filter-status");
    var chosen = {clinic: clinics[0].dataset.clinic, language: null};

    function show(focus) {
      var query = filter ? fold(filter.value) : "";
      var shown = 0;
      var elsewhere = [];
      clinics.forEach(function (clinic) {
        var open = clinic.dataset.clinic === chosen.clinic;
        clinic.classList.toggle("open", open);
        var visible = [];
        clinic.querySelectorAll(".languages li").forEach(function (item) {
          var ok = matches(item.dataset.search, query);
          item.hidden = !ok;
          if (ok) visible.push(item.dataset.language);
        });
        clinic.querySelector(".status.none").hidden = visible.length > 0;
        if (open) shown = visible.length;
        else if (visible.length) {
          elsewhere.push(clinic.querySelector("h2").textContent + " has " + visible.length);
        }
        clinic.querySelectorAll("section.language").forEach(function (section) {
          var language = section.dataset.language;
          var one = query && visible.length === 1 && visible[0] === language;
          var picked = open && chosen.language === language && visible.indexOf(language) >= 0;
          section.classList.toggle("open", Boolean(one || picked));
        });
        clinic.querySelectorAll(".language-choice").forEach(function (link) {
          var current = open && link.dataset.target === chosen.clinic + "-" + chosen.language;
          if (current) link.setAttribute("aria-current", "true");
          else link.removeAttribute("aria-current");
        });
      });
      document.querySelectorAll("[data-choices=clinic] .choice").forEach(function (link) {
        if (link.dataset.clinic === chosen.clinic) link.setAttribute("aria-current", "true");
        else link.removeAttribute("aria-current");
      });
      if (status) {
        var open = clinics.filter(function (clinic) { return clinic.classList.contains("open"); })[0];
        var none = elsewhere.length && clinics.length > 1 ?
          "No language of " + open.querySelector("h2").textContent + " matches; " +
          elsewhere.join("; ") + "." : "No language matches.";
        status.textContent = !query ? "" : shown === 0 ? none :
          shown === 1 ? "1 language matches." : shown + " languages match.";
      }
      if (focus) {
        var heading = document.getElementById(focus);
        if (heading) heading.focus();
      }
    }

    function fromHash() {
      var target = decodeURIComponent(location.hash.slice(1));
      clinics.forEach(function (clinic) {
        var id = clinic.dataset.clinic;
        if (target === "clinic-" + id) { chosen.clinic = id; chosen.language = null; }
        clinic.querySelectorAll("section.language").forEach(function (section) {
          if (section.id === target) { chosen.clinic = id; chosen.language = section.dataset.language; }
        });
      });
    }

    document.addEventListener("click", function (event) {
      var link = event.target.closest("a.choice");
      if (!link) return;
      if (link.dataset.clinic) {
        event.preventDefault();
        chosen = {clinic: link.dataset.clinic, language: null};
        history.replaceState(null, "", "#clinic-" + chosen.clinic);
        show("clinic-" + chosen.clinic + "-name");
      } else if (link.dataset.target) {
        event.preventDefault();
        var section = document.getElementById(link.dataset.target);
        chosen = {clinic: section.closest("section.clinic").dataset.clinic,
                  language: section.dataset.language};
        history.replaceState(null, "", "#" + link.dataset.target);
        show(link.dataset.target + "-name");
      }
    });
    if (filter) filter.addEventListener("input", function () { show(null); });
    window.addEventListener("hashchange", function () { fromHash(); show(null); });
    fromHash();
    show(null);
  }

  /* Copy buttons appear only with this script; without it the name is plain
     text to select. */
  function copyButtons() {
    document.querySelectorAll("button.copy").forEach(function (button) { button.hidden = false; });
    document.addEventListener("click", function (event) {
      var button = event.target.closest("button.copy");
      if (!button) return;
      var source = document.getElementById(button.dataset.copy);
      var label = button.firstChild;
      function done() {
        label.textContent = "Copied";
        setTimeout(function () { label.textContent = "Copy"; }, 2500);
      }
      function fallback() {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        try { if (document.execCommand("copy")) done(); } catch (error) { /* selected: Ctrl-C */ }
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.textContent).then(done, fallback);
      } else {
        fallback();
      }
    });
  }

  function handoutForm() {
    var clinic = document.getElementById("field-clinic");
    var language = document.getElementById("field-language");
    if (!clinic || !language) return;
    function offer() {
      var groups = language.querySelectorAll("optgroup");
      var keep = false;
      groups.forEach(function (group) {
        var mine = group.dataset.clinic === clinic.value;
        group.disabled = !mine;
        group.hidden = !mine;
        if (mine && language.selectedOptions[0] && language.selectedOptions[0].parentNode === group) keep = true;
      });
      if (!keep) {
        var first = language.querySelector("optgroup[data-clinic='" + CSS.escape(clinic.value) + "'] option");
        if (first) first.selected = true;
      }
    }
    clinic.addEventListener("change", offer);
    offer();
  }

  /* The handout form is sent with fetch(), not as a page: a browser keeps the
     body of a POST page in its tab history (Chrome writes it to the profile's
     session files, to restore the tab), and that body holds the patient's
     details. The PDF comes back into memory and is shown from there; the form
     is emptied first, so nothing of the patient stays on the page either.
     Without this script the form still works as an ordinary POST. */
  function handoutSubmit() {
    if (!window.fetch || !window.URL || !window.URLSearchParams) return;
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches("form.handout")) return;
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      var status = document.getElementById("handout-status");
      button.disabled = true;
      status.textContent = "Making the handout…";
      var body = new URLSearchParams(new FormData(form));
      fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
                          cache: "no-store"})
        .then(function (response) {
          var type = response.headers.get("content-type") || "";
          if (response.ok && type.indexOf("application/pdf") === 0) {
            return response.blob().then(function (pdf) {
              form.querySelectorAll("input:not([type=hidden])").forEach(function (input) {
                input.value = "";
                input.removeAttribute("value");
              });
              location.assign(URL.createObjectURL(pdf));
            });
          }
          return response.text().then(function (html) {
            var main = new DOMParser().parseFromString(html, "text/html").querySelector("main");
            if (!main) throw new Error("not a page of this app");
            document.querySelector("main").replaceWith(main);
            handoutForm();
            var problem = document.querySelector("#form-errors, #form-problem");
            if (problem) {
              problem.tabIndex = -1;
              problem.focus();
            }
          });
        })
        .catch(function () {
          status.textContent = "The app did not answer. Is it still running? Try again.";
        })
        .then(function () {
          var again = document.querySelector("form.handout button[type=submit]");
          if (again) again.disabled = false;
          body = null;
        });
    });
  }

  function translatorPage() {
    var preview = document.getElementById("preview");
    if (!preview) return;
    var status = document.getElementById("preview-status");
    var waiting = false;
    setInterval(function () {
      if (waiting || document.hidden) return;
      waiting = true;
      fetch(preview.dataset.state, {cache: "no-store", credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (state) {
          var panel = preview.querySelector(".panel");
          if (state.rendering) status.textContent = "The catalog changed: drawing the pages again…";
          if (panel && String(state.version) === panel.dataset.version) return null;
          return fetch(preview.dataset.panel, {cache: "no-store", credentials: "same-origin"})
            .then(function (response) { return response.text(); })
            .then(function (html) {
              preview.innerHTML = html;
              status.textContent = "Updated at " + new Date().toLocaleTimeString() + ".";
            });
        })
        .catch(function () { status.textContent = "The app does not answer; is it still running?"; })
        .then(function () { waiting = false; });
    }, 1000);
  }

  library();
  copyButtons();
  handoutForm();
  handoutSubmit();
  translatorPage();
}());
