import type { WebSocket } from 'ws';

/** Sends a JSON message if the socket is open; a closed socket is not an error. */
export function sendJson(socket: WebSocket, message: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

/** Parses a text frame as JSON; null for binary frames or bad JSON. */
export function parseJsonFrame(data: unknown, isBinary: boolean): unknown {
  if (isBinary) return null;
  try {
    return JSON.parse(String(data)) as unknown;
  } catch {
    return null;
  }
}
