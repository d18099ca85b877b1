// The voice of a screen: a queue over the browser's speech synthesis.
//
// - Utterances never overlap and none is dropped: one speaks at a time, the next when
//   it ends (or errors), in the order they were asked for.
// - A long text is split at punctuation into chunks short enough that Chrome does not
//   cut it off (it stops long utterances after about 15 seconds).
// - Browsers refuse speech until someone has touched the page (unless started with
//   --autoplay-policy=no-user-gesture-required). We find out two ways: an AudioContext
//   created without a gesture stays "suspended", and a refused utterance fails with
//   "not-allowed". Either shows the one-tap "enable sound" overlay; the tap replays
//   whatever was waiting.
// - An optional chime (WebAudio, two short tones) before each announcement.
// - Where the browser cannot speak (no speechSynthesis, as in Android WebView, or no
//   voice for the language, as on most Raspberry Pi Chromiums), or the screen is set
//   to, each chunk is played as audio the server makes (`options.server`: GET
//   url?text=…&lang=…, a WAV cached by phrase), under the same rules: one at a time,
//   in order, none dropped, chime first. A browser voice that fails for want of a
//   voice ("synthesis-failed" …) moves the screen to server audio, replaying that chunk.
// - How the screen speaks ("browser", "server" or "none") is reported to
//   `options.server.report_url` for the admin's screen health.

const MAX_CHARS = 160;
const START_TIMEOUT_MS = 5000;
const VOICES_WAIT_MS = 1500;
const NO_VOICE_ERRORS = ["synthesis-failed", "synthesis-unavailable", "language-unavailable", "voice-unavailable"];

export function splitText(text, max = MAX_CHARS) {
  const clean = String(text || "").replace(/\s+/g, " ").trim();
  if (!clean) return [];
  if (clean.length <= max) return [clean];
  // Pieces end after sentence or clause punctuation, Latin or CJK.
  const pieces = clean.match(/[^,.;:!?，。；：！？、]+[,.;:!?，。；：！？、]*\s*/g) || [clean];
  const chunks = [];
  let current = "";
  for (const piece of pieces) {
    if ((current + piece).length <= max) {
      current += piece;
      continue;
    }
    if (current) chunks.push(current.trim());
    current = "";
    let rest = piece;
    while (rest.length > max) {
      let cut = rest.lastIndexOf(" ", max);
      if (cut < max / 2) cut = max;
      chunks.push(rest.slice(0, cut).trim());
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current.trim()) chunks.push(current.trim());
  return chunks;
}

export function createSpeaker(options) {
  const opts = {
    lang: "en-US",
    voice: "",
    rate: 1,
    volume: 1,
    chime: false,
    overlay: null, // element shown when speech is refused
    server: null, // {url, params, force, report_url, csrf}: server-made audio
    ...options,
  };
  const synth = window.speechSynthesis;
  const server = opts.server && opts.server.url ? opts.server : null;
  let serverFallback = false; // a browser voice failed for want of a voice
  let voicesKnown = false;
  let reported = null;
  const queue = []; // [{chunks, index, lang, chimed}]
  let busy = false;
  let blocked = false;
  let audio = null;
  let current = null;

  function audioContext() {
    if (audio) return audio;
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return null;
    try {
      audio = new Ctx();
    } catch (err) {
      audio = null;
    }
    return audio;
  }

  function chime() {
    const ctx = audioContext();
    if (!ctx || ctx.state !== "running") return Promise.resolve();
    const t = ctx.currentTime;
    [880, 1318.5].forEach((freq, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.35 * opts.volume + 0.0001, t + i * 0.18 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.18 + 0.3);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t + i * 0.18);
      osc.stop(t + i * 0.18 + 0.32);
    });
    return new Promise((resolve) => setTimeout(resolve, 550));
  }

  function pickVoice(lang) {
    if (!synth || typeof synth.getVoices !== "function") return null;
    const voices = synth.getVoices() || [];
    if (opts.voice) {
      const named = voices.find((v) => v.name === opts.voice || v.voiceURI === opts.voice);
      if (named) return named;
    }
    const prefix = lang.toLowerCase().split("-")[0];
    return (
      voices.find((v) => v.lang && v.lang.toLowerCase() === lang.toLowerCase()) ||
      voices.find((v) => v.lang && v.lang.toLowerCase().startsWith(prefix)) ||
      null
    );
  }

  function browserReady() {
    return Boolean(synth && window.SpeechSynthesisUtterance && typeof synth.speak === "function");
  }

  function voicesLoaded() {
    try {
      return (synth.getVoices() || []).length > 0;
    } catch (err) {
      return false;
    }
  }

  // The path for a language: server audio when forced, when the browser has no speech,
  // or (once its voices are known) no voice for the language.
  function pathFor(lang) {
    if (server && (server.force || serverFallback || !browserReady())) return "server";
    if (!browserReady()) return "none";
    if (server && voicesKnown && !pickVoice(lang)) return "server";
    return "browser";
  }

  function report() {
    const path = pathFor(opts.lang);
    if (!server || !server.report_url || path === reported) return;
    reported = path;
    const body = new URLSearchParams({ speech: path });
    fetch(server.report_url, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": server.csrf || "" },
      credentials: "same-origin",
    }).catch(() => {
      reported = null; // try again with the next announcement
    });
  }

  function refused() {
    blocked = true;
    busy = false;
    current = null;
    if (opts.overlay) opts.overlay.hidden = false;
    document.body.classList.add("sound-blocked");
  }

  function finishChunk(item) {
    item.index += 1;
    if (item.index >= item.chunks.length) queue.shift();
    busy = false;
    current = null;
    pump();
  }

  function playChunk(item) {
    const text = item.chunks[item.index];
    const params = new URLSearchParams({ ...(server.params || {}), text, lang: item.lang });
    const audio = new Audio(`${server.url}?${params}`);
    audio.volume = opts.volume;
    current = audio;
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      finishChunk(item);
    };
    // Neither a failed fetch nor a stalled player may stop the queue.
    const timer = setTimeout(() => {
      try {
        audio.pause();
      } catch (err) {
        /* nothing playing */
      }
      end();
    }, START_TIMEOUT_MS + 20000 + text.length * 300);
    audio.onended = end;
    audio.onerror = end;
    const playing = audio.play();
    if (playing && typeof playing.catch === "function") {
      playing.catch((err) => {
        if (done) return;
        if (err && err.name === "NotAllowedError") {
          done = true;
          clearTimeout(timer);
          refused(); // the chunk stays first in the queue: the tap replays it
          return;
        }
        end();
      });
    }
  }

  function speakChunk(item) {
    if (pathFor(item.lang) === "server") {
      playChunk(item);
      return;
    }
    const text = item.chunks[item.index];
    const Utterance = window.SpeechSynthesisUtterance;
    if (!synth || !Utterance) {
      // No speech at all and no server to ask: nothing can be said.
      queue.length = 0;
      busy = false;
      return;
    }
    const u = new Utterance(text);
    u.lang = item.lang;
    const voice = pickVoice(item.lang);
    if (voice) u.voice = voice;
    u.rate = opts.rate;
    u.volume = opts.volume;
    let started = false;
    let done = false;
    current = u;
    const end = () => {
      if (done) return;
      done = true;
      clearTimeout(startTimer);
      clearTimeout(endTimer);
      finishChunk(item);
    };
    u.onstart = () => {
      started = true;
    };
    u.onend = end;
    u.onerror = (event) => {
      if (done) return;
      const error = event && event.error;
      if (error === "not-allowed") {
        done = true;
        clearTimeout(startTimer);
        clearTimeout(endTimer);
        refused();
        return;
      }
      if (server && NO_VOICE_ERRORS.includes(error)) {
        // No voice after all: the same chunk again, as server audio.
        done = true;
        clearTimeout(startTimer);
        clearTimeout(endTimer);
        serverFallback = true;
        busy = false;
        current = null;
        report();
        pump();
        return;
      }
      end(); // a voice that failed must not stop the queue
    };
    // Never started: the browser is refusing silently.
    const startTimer = setTimeout(() => {
      if (!started && !done) {
        done = true;
        clearTimeout(endTimer);
        try {
          synth.cancel();
        } catch (err) {
          /* nothing to cancel */
        }
        refused();
      }
    }, START_TIMEOUT_MS);
    // Started but never ended (a known Chrome bug): move on.
    const endTimer = setTimeout(() => {
      if (!done) {
        try {
          synth.cancel();
        } catch (err) {
          /* nothing to cancel */
        }
        end();
      }
    }, START_TIMEOUT_MS + text.length * 250 + 5000);
    try {
      synth.speak(u);
    } catch (err) {
      done = true;
      clearTimeout(startTimer);
      clearTimeout(endTimer);
      refused();
    }
  }

  function pump() {
    if (busy || blocked || queue.length === 0 || waitingForVoices) return;
    report();
    busy = true;
    const item = queue[0];
    if (opts.chime && !item.chimed) {
      item.chimed = true;
      chime().then(() => speakChunk(item));
    } else {
      speakChunk(item);
    }
  }

  function say(text, lang) {
    const chunks = splitText(text);
    if (!chunks.length) return;
    queue.push({ chunks, index: 0, lang: lang || opts.lang, chimed: false });
    pump();
  }

  function unblock() {
    blocked = false;
    if (opts.overlay) opts.overlay.hidden = true;
    document.body.classList.remove("sound-blocked");
    const ctx = audioContext();
    if (ctx && ctx.state === "suspended") ctx.resume().catch(() => {});
    pump();
  }

  // Voices load after the page (Chrome fills the list a moment later, with
  // "voiceschanged"); until then, or VOICES_WAIT_MS, the choice of path waits.
  let waitingForVoices = Boolean(server && browserReady() && !server.force);
  function voicesSettled() {
    if (!waitingForVoices) return;
    waitingForVoices = false;
    voicesKnown = true;
    pump();
    report();
  }
  if (waitingForVoices) {
    if (voicesLoaded()) {
      waitingForVoices = false;
      voicesKnown = true;
    } else {
      if (typeof synth.addEventListener === "function") {
        synth.addEventListener("voiceschanged", () => {
          if (voicesLoaded()) voicesSettled();
        });
      }
      setTimeout(voicesSettled, VOICES_WAIT_MS);
    }
  }
  if (!waitingForVoices) report();

  if (opts.overlay) {
    opts.overlay.addEventListener("click", unblock);
  }
  // Any touch of the page counts as the gesture the browser waits for.
  document.addEventListener(
    "pointerdown",
    () => {
      if (blocked) unblock();
    },
    { capture: true },
  );

  // Detect a refusal before the first announcement: an AudioContext made without a
  // gesture stays suspended when the browser's autoplay policy wants one.
  const ctx = audioContext();
  if (ctx && ctx.state === "suspended") {
    setTimeout(() => {
      if (ctx.state === "suspended") refused();
    }, 300);
  }

  return {
    say,
    unblock,
    get pending() {
      return queue.length;
    },
    get blocked() {
      return blocked;
    },
    get path() {
      return pathFor(opts.lang);
    },
  };
}
