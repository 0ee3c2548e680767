/*
 * PhotoTracking: tracks page views and photo events into the SLS logstore
 * `user_events` with @aliyun-sls/web-track-browser (global `SLS_Tracker`),
 * shaped by lib/sls/tracking-event.schema.json.
 *
 * The SDK batches by count and time but does not split a batch: a web-tracking
 * POST carries at most 4,096 logs and 3 MB, so `trackMany` splits bulk sends
 * into requests within both limits before handing them to the SDK.
 */
(function (global) {
  "use strict";

  var MAX_LOGS_PER_REQUEST = 4096;
  var MAX_BYTES_PER_REQUEST = 3 * 1024 * 1024;
  var encoder = new TextEncoder();

  function byteLength(s) {
    return encoder.encode(s).length;
  }

  function randomId(length) {
    var alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    var bytes = new Uint8Array(length);
    global.crypto.getRandomValues(bytes);
    var out = "";
    for (var i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
    return out;
  }

  function stored(storage, key, make) {
    try {
      var v = storage.getItem(key);
      if (!v) {
        v = make();
        storage.setItem(key, v);
      }
      return v;
    } catch (e) {
      return make();
    }
  }

  /* The SDK's own conversion (every value a string, objects JSON-encoded), done
     up front so sizes are measured on what is sent. */
  function toWire(obj) {
    var out = {};
    for (var k in obj) {
      if (obj[k] === undefined || obj[k] === null) continue;
      out[k] = typeof obj[k] === "object" ? JSON.stringify(obj[k]) : String(obj[k]);
    }
    return out;
  }

  /**
   * Splits logs into batches of at most `maxLogs` logs whose web-tracking body
   * (`{"__logs__":[...], "__topic__", "__source__", "__tags__"}`) is at most
   * `maxBytes`. A log that alone exceeds the limit is reported and dropped.
   */
  function splitBatches(logs, meta, maxLogs, maxBytes, onDrop) {
    var envelope = byteLength(JSON.stringify(Object.assign({ __logs__: [] }, meta)));
    var batches = [];
    var current = [];
    var size = envelope;
    logs.forEach(function (log) {
      var n = byteLength(JSON.stringify(log));
      if (envelope + n > maxBytes) {
        onDrop(log, n);
        return;
      }
      var extra = n + (current.length > 0 ? 1 : 0); // the comma
      if (current.length >= maxLogs || size + extra > maxBytes) {
        batches.push(current);
        current = [];
        size = envelope;
        extra = n;
      }
      current.push(log);
      size += extra;
    });
    if (current.length > 0) batches.push(current);
    return batches;
  }

  /**
   * @param {object} opts
   *   host, project, logstore: from the stack's `webTracking` output (see config.ts);
   *   userId (optional; an anonymous id otherwise), appVersion, platform ("web"),
   *   time (seconds between sends, default 2), count (logs per send, default 20, at most 4096),
   *   topic, source, tags: SDK options.
   */
  function PhotoTracking(opts) {
    if (!global.SLS_Tracker) throw new Error("PhotoTracking: load web-track-browser.global.js first (SLS_Tracker is missing)");
    this.opts = opts;
    this.userId = opts.userId || stored(global.localStorage, "photo-analytics.anon-id", function () {
      return "anon-" + randomId(16);
    });
    this.sessionId = stored(global.sessionStorage, "photo-analytics.session-id", function () {
      return randomId(20);
    });
    this.pageName = undefined;
    this.meta = {};
    if (opts.topic) this.meta.__topic__ = opts.topic;
    if (opts.source) this.meta.__source__ = opts.source;
    if (opts.tags) this.meta.__tags__ = opts.tags;
    var base = {
      host: opts.host,
      project: opts.project,
      logstore: opts.logstore,
      topic: opts.topic,
      source: opts.source,
      tags: opts.tags,
    };
    // Interactive events: batched by the SDK (count stays far below 4,096).
    this.tracker = new global.SLS_Tracker(Object.assign({}, base, {
      time: opts.time == null ? 2 : opts.time,
      count: Math.min(opts.count == null ? 20 : opts.count, MAX_LOGS_PER_REQUEST),
    }));
    // Bulk sends: a second tracker whose queue is always empty, fed pre-split batches.
    this.bulk = new global.SLS_Tracker(Object.assign({}, base, { time: 0, count: MAX_LOGS_PER_REQUEST }));
    this.dropped = 0;
  }

  /** Builds one event (wire form: every value a string). */
  PhotoTracking.prototype.event = function (eventName, params, pageName) {
    return toWire({
      event_name: eventName,
      user_id: this.userId,
      session_id: this.sessionId,
      page_name: pageName || this.pageName,
      client_time: Date.now(),
      platform: this.opts.platform || "web",
      app_version: this.opts.appVersion,
      page_url: global.location.origin + global.location.pathname,
      event_params: params && Object.keys(params).length > 0 ? params : undefined,
    });
  };

  /** Tracks one event. */
  PhotoTracking.prototype.track = function (eventName, params) {
    this.tracker.send(this.event(eventName, params));
  };

  /** Tracks a page view and remembers the page for the next events. */
  PhotoTracking.prototype.pageView = function (pageName, params) {
    this.pageName = pageName;
    this.tracker.send(this.event("page_view", params, pageName));
  };

  /** Sends many events now, split into requests within 4,096 logs / 3 MB. Returns the request count. */
  PhotoTracking.prototype.trackMany = function (events) {
    var self = this;
    var logs = events.map(function (e) {
      return e.user_id ? toWire(e) : self.event(e.event_name, e.params, e.page_name);
    });
    var batches = splitBatches(logs, this.meta, MAX_LOGS_PER_REQUEST, MAX_BYTES_PER_REQUEST, function (log, n) {
      self.dropped++;
      console.error("PhotoTracking: dropped one " + log.event_name + " event of " + n + " bytes (over 3 MB)");
    });
    batches.forEach(function (batch) {
      self.bulk.sendBatchLogsImmediate(batch);
    });
    return batches.length;
  };

  /** Sends what the SDK has queued now (the SDK's own unload flush). */
  PhotoTracking.prototype.flush = function () {
    if (typeof this.tracker.sendImmediateInner === "function") this.tracker.sendImmediateInner();
  };

  PhotoTracking.splitBatches = splitBatches;
  PhotoTracking.MAX_LOGS_PER_REQUEST = MAX_LOGS_PER_REQUEST;
  PhotoTracking.MAX_BYTES_PER_REQUEST = MAX_BYTES_PER_REQUEST;
  global.PhotoTracking = PhotoTracking;
})(window);
