/**
 * Server-sent events read back (eventsource-parser): what the recording proxy checks as a
 * stream passes, and what a cassette and the drift check read from a recorded one.
 */
import { createParser } from 'eventsource-parser';

/** One event as received: its `event:` name (undefined when it had none) and its `data:` text. */
export interface ReceivedEvent {
  readonly event: string | undefined;
  readonly data: string;
}

/** An incremental reader: feed it the bytes as they arrive, each complete event goes to `onEvent`. */
export function eventReader(onEvent: (event: ReceivedEvent) => void): { push(bytes: Uint8Array): void } {
  const parser = createParser({ onEvent: (message) => onEvent({ event: message.event, data: message.data }) });
  const decoder = new TextDecoder();
  return { push: (bytes) => parser.feed(decoder.decode(bytes, { stream: true })) };
}

/** Every complete event of a whole stream. */
export function readEvents(text: string): ReceivedEvent[] {
  const events: ReceivedEvent[] = [];
  const parser = createParser({ onEvent: (message) => events.push({ event: message.event, data: message.data }) });
  parser.feed(text);
  return events;
}
