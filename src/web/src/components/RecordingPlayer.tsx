import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { formatDuration } from './call-model';

const BUCKETS = 800;

/** Per-bucket peaks of each channel (caller left, agent right). */
interface Waveform { channels: Float32Array[]; durationMs: number }

async function decode(bytes: ArrayBuffer): Promise<Waveform> {
  // An offline context decodes without needing a user gesture or an audio device.
  const ctx = new OfflineAudioContext(2, 1, 16000);
  const audio = await ctx.decodeAudioData(bytes);
  const channels: Float32Array[] = [];
  for (let c = 0; c < Math.min(2, audio.numberOfChannels); c++) {
    const data = audio.getChannelData(c);
    const peaks = new Float32Array(BUCKETS);
    const per = Math.max(1, Math.floor(data.length / BUCKETS));
    for (let b = 0; b < BUCKETS; b++) {
      let max = 0;
      for (let i = b * per, end = Math.min(data.length, i + per); i < end; i++) { const v = Math.abs(data[i]!); if (v > max) max = v; }
      peaks[b] = max;
    }
    channels.push(peaks);
  }
  return { channels, durationMs: audio.duration * 1000 };
}

function draw(canvas: HTMLCanvasElement, wave: Waveform, positionMs: number): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 800;
  const height = canvas.clientHeight || 120;
  if (canvas.width !== Math.round(width * ratio)) { canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio); }
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const lanes = wave.channels.length;
  const lane = height / Math.max(1, lanes);
  const colors = ['#2450d6', '#107c41'];
  const played = wave.durationMs > 0 ? positionMs / wave.durationMs : 0;
  wave.channels.forEach((peaks, c) => {
    const mid = lane * c + lane / 2;
    for (let x = 0; x < width; x++) {
      const peak = peaks[Math.min(BUCKETS - 1, Math.floor((x / width) * BUCKETS))] ?? 0;
      const h = Math.max(1, Math.min(1, peak * 1.5) * (lane / 2 - 2));
      g.fillStyle = x / width <= played ? colors[c] ?? '#444' : '#b8c0cd';
      g.fillRect(x, mid - h, 1, h * 2);
    }
  });
  g.fillStyle = '#17202f';
  g.fillRect(Math.round(played * width), 0, 2, height);
}

export interface RecordingPlayerHandle { seek(ms: number): void }

/**
 * The recording of an ended call: fetched once with the session cookie, played from a blob URL, decoded with
 * WebAudio for the waveform (caller on top, agent below). Reports the playhead so the transcript can follow.
 */
export const RecordingPlayer = forwardRef<RecordingPlayerHandle, { url: string; callId: string; onTime(ms: number | null): void }>(
  function RecordingPlayer({ url, callId, onTime }, ref) {
    const [src, setSrc] = useState<string | null>(null);
    const [wave, setWave] = useState<Waveform | null>(null);
    const [error, setError] = useState<string | null>(null);
    const [position, setPosition] = useState(0);
    const audioRef = useRef<HTMLAudioElement | null>(null);
    const canvasRef = useRef<HTMLCanvasElement | null>(null);
    const onTimeRef = useRef(onTime);
    onTimeRef.current = onTime;

    useImperativeHandle(ref, () => ({
      seek(ms: number) { const audio = audioRef.current; if (audio) { audio.currentTime = ms / 1000; void audio.play().catch(() => undefined); } },
    }), []);

    useEffect(() => {
      const controller = new AbortController();
      let objectUrl: string | null = null;
      (async () => {
        const res = await fetch(url, { credentials: 'same-origin', signal: controller.signal });
        if (!res.ok) throw new Error(`the recording could not be loaded (${res.status})`);
        const bytes = await res.arrayBuffer();
        objectUrl = URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
        setSrc(objectUrl);
        setWave(await decode(bytes.slice(0)));
      })().catch((err: unknown) => { if (!controller.signal.aborted) setError(err instanceof Error ? err.message : String(err)); });
      return () => { controller.abort(); if (objectUrl) URL.revokeObjectURL(objectUrl); };
    }, [url]);

    // Follow the playhead smoothly while playing.
    useEffect(() => {
      const audio = audioRef.current;
      if (!audio || !src) return;
      let frame = 0;
      const tick = () => {
        const ms = audio.currentTime * 1000;
        setPosition(ms);
        onTimeRef.current(ms);
        if (!audio.paused) frame = requestAnimationFrame(tick);
      };
      const start = () => { cancelAnimationFrame(frame); frame = requestAnimationFrame(tick); };
      audio.addEventListener('play', start);
      audio.addEventListener('seeked', tick);
      audio.addEventListener('timeupdate', tick);
      return () => { cancelAnimationFrame(frame); audio.removeEventListener('play', start); audio.removeEventListener('seeked', tick); audio.removeEventListener('timeupdate', tick); };
    }, [src]);

    useEffect(() => { if (canvasRef.current && wave) draw(canvasRef.current, wave, position); }, [wave, position]);

    const seekFromCanvas = (clientX: number) => {
      const canvas = canvasRef.current;
      const audio = audioRef.current;
      if (!canvas || !audio || !wave) return;
      const rect = canvas.getBoundingClientRect();
      audio.currentTime = Math.max(0, Math.min(1, (clientX - rect.left) / rect.width)) * (wave.durationMs / 1000);
    };

    return (
      <section className="card" aria-labelledby="recording-title" data-testid="recording">
        <div className="card-head">
          <h2 id="recording-title">Recording</h2>
          <a className="button button-secondary button-small" href={url} download={`call-${callId}.wav`} data-testid="recording-download">Download WAV</a>
        </div>
        {error && <p className="alert alert-error" role="alert">{error}</p>}
        {!src && !error && <p className="muted" role="status">Loading the recording…</p>}
        {wave && (
          <>
            <canvas ref={canvasRef} className="waveform" data-testid="waveform" role="img"
              aria-label={`Waveform, ${formatDuration(wave.durationMs)}: caller on top, agent below. Click to seek.`}
              onClick={(e) => seekFromCanvas(e.clientX)} />
            <p className="muted small"><span className="legend legend-caller" /> Caller <span className="legend legend-agent" /> Agent · {formatDuration(position)} / {formatDuration(wave.durationMs)}</p>
          </>
        )}
        {src && <audio ref={audioRef} src={src} controls preload="auto" className="recording-audio" data-testid="recording-audio" aria-label="Call recording" />}
      </section>
    );
  },
);
