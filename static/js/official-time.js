// Keeps the official time ticking, anchored to the server's clock, not the visitor's.
(function () {
  var el = document.getElementById("hora-oficial");
  if (!el || !window.Intl) { return; }
  var offset = Number(el.dataset.serverEpoch) * 1000 - Date.now();
  var lang = document.documentElement.lang || "ca";
  var fmt = new Intl.DateTimeFormat(lang, {
    timeZone: "Europe/Madrid", weekday: "long", day: "numeric", month: "long", year: "numeric",
    hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short"
  });
  function tick() {
    var now = new Date(Date.now() + offset);
    el.textContent = fmt.format(now);
    el.setAttribute("datetime", now.toISOString());
  }
  tick();
  setInterval(tick, 1000);
})();
