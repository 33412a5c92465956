/* A tiny self-hosted map layer: draws slippy-map tiles from the configured URL template and one
   link per learning point. No library, no CDN; the list on the page stays the primary interface. */
(function () {
  "use strict";
  var TILE = 256;
  function project(lat, lon, z) {
    var scale = TILE * Math.pow(2, z);
    var s = Math.sin(lat * Math.PI / 180);
    return { x: (lon + 180) / 360 * scale, y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * scale };
  }
  function fitZoom(points, width, height) {
    for (var z = 17; z > 2; z--) {
      var xs = [], ys = [];
      points.forEach(function (p) { var q = project(p.lat, p.lon, z); xs.push(q.x); ys.push(q.y); });
      if (Math.max.apply(null, xs) - Math.min.apply(null, xs) < width * 0.85 &&
          Math.max.apply(null, ys) - Math.min.apply(null, ys) < height * 0.85) { return z; }
    }
    return 3;
  }
  function draw(el) {
    var points = JSON.parse(el.getAttribute("data-map-points") || "[]");
    if (!points.length) { return; }
    var template = el.getAttribute("data-map-tiles");
    var width = el.clientWidth, height = el.clientHeight;
    var z = fitZoom(points, width, height);
    var lat = 0, lon = 0;
    points.forEach(function (p) { lat += p.lat; lon += p.lon; });
    var centre = project(lat / points.length, lon / points.length, z);
    var left = centre.x - width / 2, top = centre.y - height / 2;
    var max = Math.pow(2, z);
    for (var tx = Math.floor(left / TILE); tx <= Math.floor((left + width) / TILE); tx++) {
      for (var ty = Math.floor(top / TILE); ty <= Math.floor((top + height) / TILE); ty++) {
        if (ty < 0 || ty >= max) { continue; }
        var img = document.createElement("img");
        img.className = "tile"; img.alt = ""; img.loading = "lazy";
        img.src = template.replace("{z}", z).replace("{x}", ((tx % max) + max) % max).replace("{y}", ty);
        img.style.left = (tx * TILE - left) + "px"; img.style.top = (ty * TILE - top) + "px";
        el.appendChild(img);
      }
    }
    points.forEach(function (p, i) {
      var q = project(p.lat, p.lon, z);
      var a = document.createElement("a");
      a.className = "marker"; a.href = p.url; a.textContent = String(i + 1); a.title = p.name;
      a.setAttribute("aria-label", (i + 1) + " " + p.name);
      a.style.left = (q.x - left) + "px"; a.style.top = (q.y - top) + "px";
      el.appendChild(a);
    });
  }
  document.querySelectorAll("[data-map-tiles]").forEach(draw);
})();
