// the reader's light/dark choice, remembered
(function () {
  var saved = localStorage.getItem("scheme");
  if (saved) document.documentElement.className = saved;
  addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme");
    button.hidden = false;
    button.onclick = function () {
      var next = document.documentElement.className === "dark" ? "light" : "dark";
      document.documentElement.className = next;
      localStorage.setItem("scheme", next);
    };
  });
})();
