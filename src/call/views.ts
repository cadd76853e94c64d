import { TERMINAL_CALL_STATES, type Call } from '../contracts/calls.js';
import type { PhoneNumber } from '../contracts/telephony.js';
import type { CallEventRow, TranscriptSegmentRow } from '../store/repositories/call-timeline.js';
import type { CallRow } from '../store/repositories/calls.js';
import type { PhoneNumberRow } from '../store/repositories/phone-numbers.js';

/** Database rows → API shapes. */

export function toCall(row: CallRow): Call {
  return {
    id: row.id,
    direction: row.direction as Call['direction'],
    carrier: row.carrier as Call['carrier'],
    carrierCallId: row.carrierCallId,
    from: row.fromNumber,
    to: row.toNumber,
    numberId: row.numberId,
    agentKind: row.agentKind,
    state: row.state as Call['state'],
    hangupCause: row.hangupCause,
    hangupSource: row.hangupSource as Call['hangupSource'],
    startedAt: row.startedAt.toISOString(),
    answeredAt: row.answeredAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    durationMs: row.answeredAt && row.endedAt ? Math.max(0, row.endedAt.getTime() - row.answeredAt.getTime()) : null,
    recordingUrl: row.recordingPath ? `/api/v1/calls/${row.id}/recording` : null,
    metadata: row.metadata,
    queue: row.queue,
    assigneeUserId: row.assigneeUserId,
    aiPaused: row.aiPaused,
    // An ended call waits for nobody (the column keeps what it was when it ended).
    awaitingAssignee: row.awaitingAssignee && !TERMINAL_CALL_STATES.includes(row.state as Call['state']),
  };
}

export function toTimelineEntry(row: CallEventRow) {
  return { type: row.type, at: row.at.toISOString(), data: row.data };
}

export function toTranscriptSegment(row: TranscriptSegmentRow) {
  return { speaker: row.speaker as 'caller' | 'agent' | 'human', text: row.text, startMs: row.startMs, endMs: row.endMs, createdAt: row.createdAt.toISOString() };
}

export function toPhoneNumber(row: PhoneNumberRow): PhoneNumber {
  return {
    id: row.id, number: row.number, carrier: row.carrier as PhoneNumber['carrier'], agentKind: row.agentKind, flowId: row.flowId,
    greeting: row.greeting, options: row.options, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
  };
}
