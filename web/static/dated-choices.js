/* Offer again the entries valid on a form's date when the date changes (progressive
   enhancement: the server already lists what is valid on the date it was given, and it
   refuses anything else with a message naming the successors). */
"use strict";
document.querySelectorAll("select[data-dated-by]").forEach(function (select) {
  var input = document.getElementById(select.dataset.datedBy);
  if (!input) { return; }
  var every = JSON.parse(select.dataset.choices);
  // The last choice made (or given by the server) comes back when its entry is valid again.
  var wanted = select.value;
  select.addEventListener("change", function () { wanted = select.value; });
  function refill() {
    // Dates are typed dd/mm/yyyy (or yyyy-mm-dd); compare them as yyyy-mm-dd.
    var day = input.value.trim(), dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(day);
    if (dmy) { day = dmy[3] + "-" + ("0" + dmy[2]).slice(-2) + "-" + ("0" + dmy[1]).slice(-2); }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) { return; }
    var blank = select.querySelector('option[value=""]');
    select.replaceChildren();
    if (blank) { select.appendChild(blank); }
    every.forEach(function (entry) {
      if ((entry[2] && day < entry[2]) || (entry[3] && day > entry[3])) { return; }
      var option = document.createElement("option");
      option.value = entry[0];
      option.textContent = entry[1];
      option.selected = entry[0] === wanted;
      select.appendChild(option);
    });
  }
  input.addEventListener("change", refill);
  input.addEventListener("input", refill);
});
