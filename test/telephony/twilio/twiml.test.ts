import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { STREAM_TOKEN_PARAM, connectStream, dial, escapeXml, reject, sayAndHangup } from '../../../src/telephony/twilio/twiml.js';
import { readTwiml } from '../../../src/telephony/twilio/twiml-read.js';

const { VoiceResponse } = twilio.twiml;

describe('TwiML builders', () => {
  it('escapes the five XML specials and strips characters XML forbids', () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
    expect(escapeXml('bell\u0007 tab\t nl\n')).toBe('bell tab\t nl\n');
  });

  it('answers with <Connect><Stream> and the stream token as a <Parameter>', () => {
    const xml = connectStream({
      streamUrl: 'wss://sb.example.com/telephony/twilio/media',
      streamToken: 'eyJ.abc-_',
      parameters: { tenant: 'a&b "quoted" <x>' },
    });
    expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Connect>'
      + '<Stream url="wss://sb.example.com/telephony/twilio/media">'
      + `<Parameter name="${STREAM_TOKEN_PARAM}" value="eyJ.abc-_"/>`
      + '<Parameter name="tenant" value="a&amp;b &quot;quoted&quot; &lt;x&gt;"/>'
      + '</Stream></Connect></Response>');
    expect(readTwiml(xml)).toEqual({
      kind: 'stream', streamUrl: 'wss://sb.example.com/telephony/twilio/media', said: [],
      parameters: { [STREAM_TOKEN_PARAM]: 'eyJ.abc-_', tenant: 'a&b "quoted" <x>' },
    });
  });

  it('reads the same as what the official VoiceResponse builds', () => {
    const vr = new VoiceResponse();
    const stream = vr.connect().stream({ url: 'wss://h.example/telephony/twilio/media', name: 'call & co' });
    stream.parameter({ name: STREAM_TOKEN_PARAM, value: 'tok<>&"\'' });
    stream.parameter({ name: 'x', value: 'ü' });
    const ours = connectStream({
      streamUrl: 'wss://h.example/telephony/twilio/media', name: 'call & co', streamToken: 'tok<>&"\'', parameters: { x: 'ü' },
    });
    expect(readTwiml(ours)).toEqual(readTwiml(vr.toString()));
    expect(readTwiml(vr.toString()).kind).toBe('stream');
  });

  it('refuses a stream URL that is not wss', () => {
    expect(() => connectStream({ streamUrl: 'https://h/media', streamToken: 't' })).toThrow(/wss/);
    expect(() => connectStream({ streamUrl: 'not a url', streamToken: 't' })).toThrow();
  });

  it('rejects, says and hangs up, dials', () => {
    expect(reject()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Reject reason="rejected"/></Response>');
    expect(readTwiml(reject())).toEqual({ kind: 'reject', reason: 'rejected' });
    const vr = new VoiceResponse();
    vr.reject({ reason: 'rejected' });
    expect(readTwiml(vr.toString())).toEqual(readTwiml(reject()));

    const bye = sayAndHangup('Sorry <this> number & that', { voice: 'alice' });
    expect(bye).toContain('<Say voice="alice">Sorry &lt;this&gt; number &amp; that</Say><Hangup/>');
    expect(readTwiml(bye)).toEqual({ kind: 'hangup', said: ['Sorry <this> number & that'] });

    expect(dial('+15551234567', { callerId: '+15550000000' })).toContain('<Dial callerId="+15550000000">+15551234567</Dial>');
    expect(dial('sip:agent@pbx.example.com;transport=tls')).toContain('<Dial><Sip>sip:agent@pbx.example.com;transport=tls</Sip></Dial>');
    expect(dial('client:alice&bob')).toContain('<Dial><Client>alice&amp;bob</Client></Dial>');
    expect(readTwiml(dial('+15551234567'))).toEqual({ kind: 'dial', to: '+15551234567', said: [] });
  });
});
