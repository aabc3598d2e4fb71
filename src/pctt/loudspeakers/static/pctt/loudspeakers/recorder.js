// Announcement recorder: records from the phone's microphone in the page and puts a 16 kHz,
// 16-bit mono WAV into the form's file input, the format the server accepts (phones' own
// MediaRecorder gives WebM/Opus or AAC, which it refuses). Progressive enhancement: without
// JavaScript, a microphone or DataTransfer, the file input works as before.
(function () {
  "use strict";
  var RATE = 16000;
  var box = document.getElementById("announce-recorder");
  if (!box) return;
  var form = box.closest("form");
  var input = form && form.querySelector("input[type=file][name=recording_file]");
  var AudioCtx = window.AudioContext || window.webkitAudioContext;
  if (!input || !AudioCtx || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var start = document.getElementById("record-start");
  var stop = document.getElementById("record-stop");
  var status = document.getElementById("record-status");
  var level = document.getElementById("record-level");
  var preview = document.getElementById("record-preview");
  var maxSeconds = parseInt(box.dataset.maxSeconds, 10) || 300;
  var session = null;
  var attached = null; // the WAV File when DataTransfer could not put it in the input
  box.hidden = false;

  function say(text) {
    status.textContent = text || "";
  }

  function clock(seconds) {
    var s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }

  // Average the input samples that fall in each output sample's span: a box low-pass filter
  // before decimation, enough for speech on horn loudspeakers.
  function downsample(chunks, length, fromRate) {
    var ratio = fromRate / RATE;
    var out = new Float32Array(Math.floor(length / ratio));
    var chunk = 0, offset = 0, position = 0;
    for (var i = 0; i < out.length; i++) {
      var end = Math.min(length, Math.round((i + 1) * ratio));
      var sum = 0, count = 0;
      while (position < end) {
        if (offset >= chunks[chunk].length) { chunk++; offset = 0; continue; }
        sum += chunks[chunk][offset++];
        position++;
        count++;
      }
      out[i] = count ? sum / count : 0;
    }
    return out;
  }

  function wav(samples) {
    var buffer = new ArrayBuffer(44 + samples.length * 2);
    var view = new DataView(buffer);
    function text(at, value) {
      for (var i = 0; i < value.length; i++) view.setUint8(at + i, value.charCodeAt(i));
    }
    text(0, "RIFF");
    view.setUint32(4, 36 + samples.length * 2, true);
    text(8, "WAVE");
    text(12, "fmt ");
    view.setUint32(16, 16, true);
    view.setUint16(20, 1, true); // PCM
    view.setUint16(22, 1, true); // mono
    view.setUint32(24, RATE, true);
    view.setUint32(28, RATE * 2, true);
    view.setUint16(32, 2, true);
    view.setUint16(34, 16, true);
    text(36, "data");
    view.setUint32(40, samples.length * 2, true);
    for (var i = 0; i < samples.length; i++) {
      var s = Math.max(-1, Math.min(1, samples[i]));
      view.setInt16(44 + i * 2, s < 0 ? s * 32768 : s * 32767, true);
    }
    return new Blob([buffer], { type: "audio/wav" });
  }

  function keep(block) {
    if (!session) return;
    session.chunks.push(block);
    session.length += block.length;
    var sum = 0;
    for (var i = 0; i < block.length; i++) sum += block[i] * block[i];
    if (level) level.value = Math.min(1, Math.sqrt(sum / block.length) * 4);
    var seconds = session.length / session.context.sampleRate;
    if (Math.floor(seconds) !== session.shown) {
      session.shown = Math.floor(seconds);
      say(box.dataset.recording + " " + clock(seconds));
    }
    if (seconds >= maxSeconds) finish();
  }

  function capture(context, source) {
    if (context.audioWorklet && window.AudioWorkletNode) {
      return context.audioWorklet.addModule(box.dataset.worklet).then(function () {
        var node = new AudioWorkletNode(context, "pctt-capture", { numberOfOutputs: 0 });
        node.port.onmessage = function (event) { keep(event.data); };
        source.connect(node);
        return node;
      });
    }
    var processor = context.createScriptProcessor(4096, 1, 1);
    processor.onaudioprocess = function (event) {
      keep(new Float32Array(event.inputBuffer.getChannelData(0)));
    };
    source.connect(processor);
    processor.connect(context.destination); // a ScriptProcessor runs only when connected
    return Promise.resolve(processor);
  }

  function release(current) {
    current.stream.getTracks().forEach(function (track) { track.stop(); });
    if (current.node) current.node.disconnect();
    current.context.close();
  }

  function attach(blob) {
    var name = "ghi-am-" + new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "") + ".wav";
    var file = new File([blob], name, { type: "audio/wav" });
    attached = null;
    try {
      var transfer = new DataTransfer();
      transfer.items.add(file);
      input.files = transfer.files;
    } catch (error) {
      attached = file;
    }
    if (!attached && (!input.files || input.files.length !== 1)) attached = file;
    if (preview) {
      if (preview.src) URL.revokeObjectURL(preview.src);
      preview.src = URL.createObjectURL(blob);
      preview.hidden = false;
    }
  }

  function finish() {
    var current = session;
    if (!current) return;
    session = null;
    release(current);
    start.disabled = false;
    stop.disabled = true;
    if (level) level.value = 0;
    var seconds = current.length / current.context.sampleRate;
    if (seconds < 1) {
      say(box.dataset.tooShort);
      return;
    }
    attach(wav(downsample(current.chunks, current.length, current.context.sampleRate)));
    say(box.dataset.ready + " " + clock(seconds));
  }

  start.addEventListener("click", function () {
    if (session) return;
    start.disabled = true;
    say(box.dataset.asking);
    navigator.mediaDevices
      .getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } })
      .then(function (stream) {
        var context = new AudioCtx();
        var current = { stream: stream, context: context, chunks: [], length: 0, shown: -1 };
        session = current;
        return capture(context, context.createMediaStreamSource(stream)).then(function (node) {
          current.node = node;
          if (context.state === "suspended") context.resume();
          stop.disabled = false;
          say(box.dataset.recording + " 0:00");
        }, function (error) {
          session = null;
          release(current);
          throw error;
        });
      })
      .catch(function () {
        start.disabled = false;
        say(box.dataset.failed);
      });
  });

  stop.addEventListener("click", finish);

  form.addEventListener("submit", function (event) {
    if (session) finish();
    var recorded = attached || (input.files && input.files.length);
    if (recorded && !form.querySelector("input[name=clusters]:checked")) {
      // The server would refuse the form and the browser would drop the recording.
      event.preventDefault();
      say(box.dataset.noClusters);
      return;
    }
    if (!attached) return;
    // No DataTransfer (older browsers): send the form ourselves with the recording.
    event.preventDefault();
    var data = new FormData(form);
    data.set("recording_file", attached, attached.name);
    say(box.dataset.sending);
    fetch(form.action || window.location.href, {
      method: "POST", body: data, credentials: "same-origin",
    }).then(function (response) {
      if (response.redirected) {
        window.location.assign(response.url);
        return null;
      }
      return response.text().then(function (html) {
        document.open();
        document.write(html);
        document.close();
      });
    }).catch(function () {
      say(box.dataset.failedSend);
    });
  });
})();
