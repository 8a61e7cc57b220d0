// The "In" button of the printable case; a file, not an inline handler, for the security policy.
(function () {
  var button = document.querySelector("[data-print]");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
