// The search box: shows the languages whose names, code, topic or title contain every
// word typed ("bengali", "বাংলা", "bn", "<topic> bn"). Without JavaScript all is shown.
(function () {
  var form = document.querySelector("form.search");
  var box = document.getElementById("q");
  var found = document.getElementById("found");
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-search]"));
  var topics = Array.prototype.slice.call(document.querySelectorAll("section.topic"));
  function words(text) {
    return text.normalize("NFKC").toLowerCase().split(/\s+/).filter(Boolean);
  }
  function search() {
    var wanted = words(box.value);
    var shown = 0;
    groups.forEach(function (group) {
      var text = group.getAttribute("data-search");
      var match = wanted.every(function (word) { return text.indexOf(word) >= 0; });
      group.hidden = !match;
      if (match) shown += 1;
    });
    topics.forEach(function (topic) {
      topic.hidden = !topic.querySelector("section.lang:not([hidden])");
    });
    found.textContent = wanted.length
      ? (shown ? "Showing " + shown + " of " + groups.length + " language lists" : "Nothing found: try the language's name in English, its own name or its code")
      : "";
  }
  form.hidden = false;
  box.addEventListener("input", search);
  var asked = new URLSearchParams(location.search).get("q");
  if (asked) { box.value = asked; search(); }
})();
