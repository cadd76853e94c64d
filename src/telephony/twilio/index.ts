// Public API of the Twilio carrier: webhooks, signatures, TwiML, the media leg, the REST client, the simulator.
export {
  TWILIO_SIGNATURE_HEADER,
  bodySha256Hex,
  computeTwilioSignature,
  safeEqual,
  twilioUrlVariants,
  validateTwilioBodySignature,
  validateTwilioSignature,
  validateTwilioUpgrade,
} from './signature.js';
export type { TwilioParams } from './signature.js';
export {
  TWILIO_CALL_STATUSES,
  TWILIO_STATUS_EVENTS,
  accountSidSchema,
  callSidSchema,
  durationMsOf,
  isFinalStatus,
  parseFormBody,
  parseStatusCallback,
  parseVoiceWebhook,
  statusEventOf,
  twilioCallStatusSchema,
  twilioStatusCallbackSchema,
  twilioStatusEventSchema,
  twilioVoiceWebhookSchema,
  verifyTwilioWebhook,
} from './webhooks.js';
export type {
  Parsed,
  TwilioCallStatus,
  TwilioStatusCallback,
  TwilioStatusEvent,
  TwilioVoiceWebhook,
  WebhookCheck,
  WebhookRequest,
} from './webhooks.js';
export * as twiml from './twiml.js';
export { STREAM_TOKEN_PARAM, TWIML_CONTENT_TYPE } from './twiml.js';
export type { DialOptions, SayOptions, StreamAnswer } from './twiml.js';
export { TwilioMediaLeg } from './media-leg.js';
export type { TwilioMediaLegOptions } from './media-leg.js';
export { INTERNAL_MARK_PREFIX } from './media-sender.js';
export { readTwilioMessage } from './media-messages.js';
export type { TwilioInboundMessage, TwilioStreamStart } from './media-messages.js';
export { CODE_NOT_FOUND, TWILIO_API_BASE, TwilioApiError, TwilioRestClient } from './rest-client.js';
export type { CreateCallParams, TwilioCall, TwilioCallControl, TwilioRestOptions, UpdateCallParams } from './rest-client.js';
export { DEFAULT_MEDIA_PATH, DEFAULT_STATUS_PATH, DEFAULT_VOICE_PATH, mediaStreamUrl } from './paths.js';
export { TwilioCarrierClient } from './carrier-client.js';
export type { TwilioCarrierClientOptions } from './carrier-client.js';
export { TwilioCallSimulator, newSid, runInboundCall } from './simulator.js';
export type { InboundCallOptions, InboundCallResult, TwilioSimulatorOptions, WebhookAnswer } from './simulator.js';
export { FRAME_MS, TwilioStreamCaller } from './sim-stream.js';
export type { StreamCallerOptions, TimelineEvent } from './sim-stream.js';
export { ByteSink } from './sim-playout.js';
export { readTwiml } from './twiml-read.js';
export type { TwimlAnswer } from './twiml-read.js';
