// "Thêm kiến nghị" on the intake registration page: one more empty recommendation form.
// A file, not an inline script, so that the content security policy needs no exception.
(function () {
  var button = document.getElementById("intake-add-recommendation");
  var total = document.getElementById("id_rec-TOTAL_FORMS");
  if (!button || !total) return;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = document.getElementById("intake-empty-recommendation").innerHTML;
    document.getElementById("intake-recommendations")
      .insertAdjacentHTML("beforeend", html.replace(/__prefix__/g, String(index)));
    total.value = String(index + 1);
  });
})();
