// Public API of the Telnyx carrier (Call Control v2). The simulator is separate: `./simulator.js`.
export {
  ED25519_SPKI_PREFIX,
  TELNYX_SIGNATURE_HEADER,
  TELNYX_TIMESTAMP_HEADER,
  TELNYX_TOLERANCE_SEC,
  TelnyxWebhookVerifier,
  rawPublicKeyBase64,
  telnyxPublicKey,
  verifyTelnyxSignature,
} from './signature.js';
export type { HeaderBag, TelnyxSignatureFailure, TelnyxSignatureResult, VerifyOptions } from './signature.js';
export {
  TELNYX_HANGUP_CAUSES,
  callAnsweredSchema,
  callHangupSchema,
  callInitiatedSchema,
  decodeClientState,
  decodeClientStateJson,
  encodeClientState,
  eventCallId,
  hangupSourceOf,
  parseTelnyxWebhook,
  streamingEventSchema,
  telnyxEnvelopeSchema,
} from './events.js';
export type { CallAnswered, CallHangup, CallInitiated, ParseResult, StreamingEvent, TelnyxEvent, TelnyxEventKind } from './events.js';
export { CallPhaseTracker, InMemorySeenEvents, TelnyxWebhookGate, appliesAfterHangup, phaseOf } from './webhook-dedup.js';
export type { BoundedOptions, CallPhase, CallPhases, GateDecision, PhaseDecision, SeenEvents } from './webhook-dedup.js';
export { TelnyxMediaLeg } from './media-leg.js';
export type { TelnyxCallCommands, TelnyxMediaLegOptions, TelnyxStreamStart } from './media-leg.js';
export { TELNYX_ENCODINGS, telnyxInboundFrameSchema } from './media-frames.js';
export type { TelnyxInboundFrame, TelnyxMediaFormat } from './media-frames.js';
export { CALL_ALREADY_ENDED, TELNYX_API_BASE, TelnyxApiError, TelnyxRestClient, defaultCommandId, streamFields, telnyxCallSchema } from './rest-client.js';
export type { AnswerParams, CommandParams, DialParams, StreamParams, TelnyxCall, TelnyxRestOptions } from './rest-client.js';
