/** A short vibration and beep on a wrong scan, where the device offers them; silent otherwise. */
let audio: AudioContext | null = null;

export function signalError(): void {
  try {
    navigator.vibrate?.([120, 60, 120]);
  } catch {
    // no vibration on this device
  }
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'square';
    osc.frequency.value = 880;
    gain.gain.value = 0.1;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.15);
  } catch {
    // no audio: the message on screen is enough
  }
}
