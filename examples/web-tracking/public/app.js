/* The example page: three "pages" (hash routes) and photo actions, tracked. */
(function () {
  "use strict";
  var config = window.TRACKING_CONFIG;
  var params = new URLSearchParams(location.search);
  var tracking = new PhotoTracking(Object.assign({}, config, { userId: params.get("user") || undefined }));
  window.photoTracking = tracking;

  var pages = ["home", "camera", "result"];
  function show() {
    var page = (location.hash || "#home").slice(1);
    if (pages.indexOf(page) < 0) page = "home";
    pages.forEach(function (p) {
      document.getElementById("page-" + p).hidden = p !== page;
    });
    tracking.pageView(page);
  }
  window.addEventListener("hashchange", show);
  show();

  var photoCount = 0;
  document.getElementById("upload").addEventListener("click", function () {
    photoCount++;
    tracking.track("photo_upload", { photo_id: "p" + photoCount, size_kb: 512, source: "camera" });
    location.hash = "#result";
  });
  document.getElementById("share").addEventListener("click", function () {
    tracking.track("photo_share", { photo_id: "p" + photoCount, channel: "wechat" });
  });
})();
