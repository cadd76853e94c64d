/**
 * Where the Twilio routes live on the server (suggested; the call core owns the routes). The simulator and the
 * carrier client use the same defaults, so a newcomer's first simulated call needs no flags.
 */
export const DEFAULT_VOICE_PATH = '/telephony/twilio/voice';
export const DEFAULT_STATUS_PATH = '/telephony/twilio/status';
export const DEFAULT_MEDIA_PATH = '/telephony/twilio/media';

/**
 * `wss://<host of publicUrl><path>[/<key>]`: the media URL for `<Stream url>` (wss only, and Twilio takes no query
 * string there). A `key` (e.g. our call id) lets the upgrade route find the account's Auth Token before checking the
 * signature, which covers this exact URL.
 */
export function mediaStreamUrl(publicUrl: string, key?: string, path = DEFAULT_MEDIA_PATH): string {
  return `wss://${new URL(publicUrl).host}${path}${key ? `/${encodeURIComponent(key)}` : ''}`;
}
