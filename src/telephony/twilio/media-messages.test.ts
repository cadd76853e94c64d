import { describe, expect, it } from 'vitest';
import { MEDIA_SUFFIX, isBase64, mediaPrefix, readTwilioMessage, twilioMediaSchema } from './media-messages.js';

describe('Twilio media stream messages', () => {
  it('reads the documented examples', () => {
    const start = readTwilioMessage(JSON.stringify({
      event: 'start', sequenceNumber: '1', streamSid: 'MZ1',
      start: { streamSid: 'MZ1', accountSid: 'AC1', callSid: 'CA1', tracks: ['inbound'], customParameters: { streamToken: 't' },
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } },
    }));
    expect(start.ok && start.msg.event).toBe('start');
    const media = readTwilioMessage('{"event":"media","sequenceNumber":"3","streamSid":"MZ1","media":{"track":"inbound","chunk":"1","timestamp":"5","payload":"/w=="}}');
    expect(media).toMatchObject({ ok: true, msg: { media: { timestamp: '5', payload: '/w==' } } });
    expect(readTwilioMessage('{"event":"connected","protocol":"Call","version":"1.0.0"}').ok).toBe(true);
    expect(readTwilioMessage('{"event":"stop","sequenceNumber":"9","streamSid":"MZ1","stop":{"accountSid":"AC1","callSid":"CA1"}}').ok).toBe(true);
  });

  it('names what is wrong instead of throwing', () => {
    expect(readTwilioMessage('nope')).toEqual({ ok: false, reason: 'malformed-json' });
    expect(readTwilioMessage('null')).toEqual({ ok: false, reason: 'malformed-message' });
    expect(readTwilioMessage('{"event":"toString"}')).toEqual({ ok: false, reason: 'unknown-event' });
    expect(readTwilioMessage('{"event":"media","streamSid":"MZ1"}')).toEqual({ ok: false, reason: 'invalid-media' });
  });

  it('checks base64 strictly and builds media JSON by concatenation', () => {
    expect(isBase64('/w==')).toBe(true);
    expect(isBase64('/w=')).toBe(false);
    expect(isBase64('a b=')).toBe(false);
    expect(JSON.parse(`${mediaPrefix('MZ"1')}AAAA${MEDIA_SUFFIX}`)).toEqual({ event: 'media', streamSid: 'MZ"1', media: { payload: 'AAAA' } });
  });

  it('takes the same media decisions on the fast path as the zod schema', () => {
    const good = { event: 'media', sequenceNumber: '3', streamSid: 'MZ1', media: { track: 'inbound', chunk: '1', timestamp: '5', payload: 'AAAA' } };
    const variants: unknown[] = [
      good,
      { ...good, sequenceNumber: 3 }, { ...good, sequenceNumber: 'x'.repeat(21) }, { ...good, sequenceNumber: null },
      { ...good, streamSid: '' }, { ...good, streamSid: 'M'.repeat(65) }, { ...good, streamSid: 7 },
      { ...good, media: null }, { ...good, media: [] }, { ...good, media: { ...good.media, payload: 5 } },
      { ...good, media: { ...good.media, track: 9 } }, { ...good, media: { ...good.media, track: undefined } },
      { ...good, media: { ...good.media, chunk: 2 } }, { ...good, media: { ...good.media, chunk: {} } },
      { ...good, media: { ...good.media, timestamp: 5 } }, { ...good, media: { ...good.media, timestamp: -5 } },
      { ...good, media: { ...good.media, timestamp: 1.5 } }, { ...good, media: { ...good.media, timestamp: '1e3' } },
      { ...good, media: { ...good.media, timestamp: '' } }, { ...good, media: { ...good.media, timestamp: undefined } },
    ];
    for (const v of variants) {
      expect(readTwilioMessage(JSON.stringify(v)).ok, JSON.stringify(v)).toBe(twilioMediaSchema.safeParse(JSON.parse(JSON.stringify(v))).success);
    }
  });
});
