/* The bulletin board's 打印 button: shown only where it works (with JavaScript). */
(function () {
  "use strict";
  var button = document.getElementById("board-print");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
