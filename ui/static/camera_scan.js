// Camera QR scanning for the desk screen. ui/camera_scan.py opens the dialog and handles the events.
//
// The scanner reports to the server through DOM events on the <video> element:
//   "qr-decoded"    detail {text}         each new text read from a QR code
//   "camera-started"                      the video shows the camera
//   "camera-failed" detail {kind, name}   kind is insecure, no-camera, permission, busy, reader or other
"use strict";

window.biebvoucherCamera = (() => {
  const SCAN_INTERVAL_MS = 200;
  const ELEMENT_WAIT_FRAMES = 120;
  // Maximum length of a decoded text sent to the server. A voucher code is 6 digits, so a longer
  // text only needs to reach the server to be reported as not a voucher code.
  const MAX_TEXT_LENGTH = 64;
  let session = null;
  const scripts = new Map();

  function report(video, name, detail = {}) {
    video.dispatchEvent(new CustomEvent(name, { detail }));
  }

  function loadScript(url) {
    if (!scripts.has(url)) {
      scripts.set(
        url,
        new Promise((resolve, reject) => {
          const script = document.createElement("script");
          script.src = url;
          script.onload = resolve;
          script.onerror = () => reject(new Error(`failed to load ${url}`));
          document.head.appendChild(script);
        }),
      );
    }
    return scripts.get(url);
  }

  // The browser's own BarcodeDetector when it reads QR codes, otherwise the bundled zxing-wasm one.
  async function createDetector(readerUrl, wasmUrl) {
    if ("BarcodeDetector" in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) return new window.BarcodeDetector({ formats: ["qr_code"] });
      } catch (error) {
        console.warn("native BarcodeDetector unusable, using the bundled reader", error);
      }
    }
    await loadScript(readerUrl);
    const api = window.BarcodeDetectionAPI;
    // zxing-wasm 3.1.3 fetches its .wasm from the jsDelivr CDN by default, so locateFile points it at
    // our own server.
    await api.prepareZXingModule({
      overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? wasmUrl : prefix + path) },
      fireImmediately: true,
    });
    return new api.BarcodeDetector({ formats: ["qr_code"] });
  }

  function failureKind(error) {
    switch (error && error.name) {
      case "NotAllowedError":
      case "SecurityError":
        return "permission";
      case "NotFoundError":
      case "OverconstrainedError":
        return "no-camera";
      case "NotReadableError":
      case "AbortError":
        return "busy";
      default:
        return "other";
    }
  }

  async function waitForElement(id) {
    for (let frame = 0; frame < ELEMENT_WAIT_FRAMES; frame++) {
      const element = document.getElementById(id);
      if (element) return element;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    return null;
  }

  async function scanFrames(current, detector) {
    if (current.stopped) return;
    const video = current.video;
    if (video.readyState >= video.HAVE_CURRENT_DATA) {
      try {
        const barcodes = await detector.detect(video);
        const text = barcodes.length ? String(barcodes[0].rawValue).slice(0, MAX_TEXT_LENGTH) : null;
        if (text !== null && text !== current.lastText && !current.stopped) {
          current.lastText = text;
          report(video, "qr-decoded", { text });
        }
      } catch (error) {
        // A frame that cannot be read is skipped, and the next frame is tried.
        console.debug("QR detection failed on one frame", error);
      }
    }
    current.timer = setTimeout(() => scanFrames(current, detector), SCAN_INTERVAL_MS);
  }

  async function start(videoId, readerUrl, wasmUrl) {
    stop();
    const video = await waitForElement(videoId);
    if (!video) return;
    const current = { video, stream: null, timer: null, stopped: false, lastText: null };
    session = current;
    if (!window.isSecureContext) return fail(current, "insecure", "");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return fail(current, "no-camera", "");

    let detector;
    try {
      detector = await createDetector(readerUrl, wasmUrl);
    } catch (error) {
      return fail(current, "reader", error && error.name);
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" } },
        audio: false,
      });
    } catch (error) {
      return fail(current, failureKind(error), error && error.name);
    }
    if (current.stopped) {
      // The dialog closed while the browser was asking for the camera.
      stream.getTracks().forEach((track) => track.stop());
      return;
    }
    current.stream = stream;
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    try {
      await video.play();
    } catch (error) {
      return fail(current, "other", error && error.name);
    }
    report(video, "camera-started");
    scanFrames(current, detector);
  }

  function fail(current, kind, name) {
    report(current.video, "camera-failed", { kind, name: String(name || "") });
    stopSession(current);
  }

  function stopSession(current) {
    current.stopped = true;
    clearTimeout(current.timer);
    if (current.stream) current.stream.getTracks().forEach((track) => track.stop());
    current.stream = null;
    current.video.srcObject = null;
    if (session === current) session = null;
  }

  function stop() {
    if (session) stopSession(session);
  }

  // Tests read this to see that no camera track is left running.
  function isRunning() {
    return Boolean(session && session.stream && session.stream.getTracks().some((t) => t.readyState === "live"));
  }

  window.addEventListener("pagehide", stop);
  return { start, stop, isRunning };
})();
