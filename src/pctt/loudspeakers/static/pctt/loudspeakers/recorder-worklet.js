// Audio worklet of the announcement recorder (recorder.js): hands each block of the
// microphone's first channel to the page, which keeps them until "Stop".
class PcttCapture extends AudioWorkletProcessor {
  process(inputs) {
    var input = inputs[0];
    if (input && input.length) {
      var block = new Float32Array(input[0].length);
      for (var c = 0; c < input.length; c++) {
        var channel = input[c];
        for (var i = 0; i < block.length; i++) block[i] += channel[i] / input.length;
      }
      this.port.postMessage(block, [block.buffer]);
    }
    return true;
  }
}
registerProcessor("pctt-capture", PcttCapture);
