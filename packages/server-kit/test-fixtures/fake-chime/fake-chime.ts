/**
 * A fake of the Amazon Chime SDK meetings control plane, for tests and benchmarks: an HTTP server
 * on 127.0.0.1 that `@aws-sdk/client-chime-sdk-meetings` talks to when given
 * `endpoint: fake.endpoint` and any static credentials. It speaks the REST-JSON wire format of the
 * five calls the provider makes, replays CreateMeetingWithAttendees per ClientRequestToken, limits
 * requests per second like a token bucket (429 + `x-amzn-errortype: ThrottlingException` + a JSON
 * body), ends meetings idle for `idleMs` (NotFound afterwards), and records every call.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeChimeOperation =
  | 'CreateMeetingWithAttendees'
  | 'CreateAttendee'
  | 'BatchCreateAttendee'
  | 'GetMeeting'
  | 'DeleteMeeting'
  | 'Unknown';

export interface FakeChimeOptions {
  /** Requests per second over all operations: a token bucket holding `tps` tokens. Default 10. */
  tps?: number;
  /** A meeting with no activity for this long ends, as Chime ends one nobody joined. Default 5 min. */
  idleMs?: number;
  /** Attendees one CreateMeetingWithAttendees accepts. Default 10 (AWS's throttling guide). */
  maxAttendeesPerCreate?: number;
  /** Attendees a meeting holds. Default 250. */
  maxAttendeesPerMeeting?: number;
  /** Added before each answer, as the network and the service would. Default 0. */
  latencyMs?: number;
}

/** One request the fake answered. */
export interface FakeChimeCall {
  operation: FakeChimeOperation;
  /** ms since the fake started, when the request arrived. */
  at: number;
  status: number;
  meetingId?: string;
  clientRequestToken?: string;
  externalMeetingId?: string;
  /** The attendees it asked for. */
  externalUserIds?: string[];
  /** Their capabilities, by ExternalUserId. */
  capabilities?: Record<string, Capabilities | undefined>;
  /** The access key id of the request's SigV4 signature. */
  accessKeyId?: string;
}

export interface Capabilities {
  Audio: string;
  Video: string;
  Content: string;
}

export interface FakeAttendee {
  ExternalUserId: string;
  AttendeeId: string;
  JoinToken: string;
  Capabilities?: Capabilities;
}

export interface FakeMeeting {
  MeetingId: string;
  ExternalMeetingId: string;
  MediaRegion: string;
  attendees: Map<string, FakeAttendee>;
  createdAt: number;
  lastActiveAt: number;
}

const CAPABILITY_VALUES = new Set(['SendReceive', 'Send', 'Receive', 'None']);
const RECEIVES = new Set(['SendReceive', 'Receive']);
const TOKEN = /^[-_a-zA-Z0-9]{2,64}$/;
const MEETING_ID = /^[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}$/;

class ChimeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const badRequest = (message: string) => new ChimeError(400, 'BadRequestException', message);
const notFound = (id: string) => new ChimeError(404, 'NotFoundException', `The meeting ${id} does not exist or has ended.`);

export class FakeChime {
  /** Every request, in arrival order. */
  readonly calls: FakeChimeCall[] = [];
  readonly options: Required<FakeChimeOptions>;
  private readonly meetings = new Map<string, FakeMeeting>();
  private readonly replies = new Map<string, { meetingId: string; body: unknown }>();
  private readonly startedAt = performance.now();
  private tokens: number;
  private refilledAt = performance.now();
  private failures: number[] = [];
  private lostAnswers: number[] = [];

  private constructor(
    private readonly server: Server,
    options: FakeChimeOptions,
  ) {
    this.options = {
      tps: options.tps ?? 10,
      idleMs: options.idleMs ?? 5 * 60_000,
      maxAttendeesPerCreate: options.maxAttendeesPerCreate ?? 10,
      maxAttendeesPerMeeting: options.maxAttendeesPerMeeting ?? 250,
      latencyMs: options.latencyMs ?? 0,
    };
    this.tokens = this.options.tps;
    server.on('request', (request, response) => void this.handle(request, response));
  }

  /** Starts a fake on 127.0.0.1 at a free port. */
  static async start(options: FakeChimeOptions = {}): Promise<FakeChime> {
    const server = createServer();
    const fake = new FakeChime(server, options);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  /** What to give the AWS SDK as `endpoint`. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Calls of an operation (every one when not given), with one status when given. */
  count(operation?: FakeChimeOperation, status?: number): number {
    return this.calls.filter((c) => (operation === undefined || c.operation === operation) && (status === undefined || c.status === status)).length;
  }

  /** Successful calls of an operation, in order. */
  succeeded(operation: FakeChimeOperation): FakeChimeCall[] {
    return this.calls.filter((c) => c.operation === operation && c.status < 300);
  }

  /** A meeting that has not ended. */
  meeting(meetingId: string): FakeMeeting | undefined {
    return this.live(meetingId);
  }

  /** The meetings that have not ended. */
  liveMeetings(): FakeMeeting[] {
    return [...this.meetings.keys()].map((id) => this.live(id)).filter((m): m is FakeMeeting => m !== undefined);
  }

  /** Ends a meeting now, as Chime ends one that sat idle: calls about it get NotFound. */
  endMeeting(meetingId: string): void {
    this.meetings.delete(meetingId);
  }

  /** Counts as activity in the meeting (an attendee connected), which keeps it from ending. */
  touch(meetingId: string): void {
    const meeting = this.live(meetingId);
    if (meeting) meeting.lastActiveAt = performance.now();
  }

  /** Answers the next requests with these statuses (e.g. `failNext(503, 500)`), before any other check. */
  failNext(...statuses: number[]): void {
    this.failures.push(...statuses);
  }

  /** Carries out the next requests that succeed, then answers them with these statuses instead, as if the answers were lost. */
  loseAnswers(...statuses: number[]): void {
    this.lostAnswers.push(...statuses);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private live(meetingId: string): FakeMeeting | undefined {
    const meeting = this.meetings.get(meetingId);
    if (meeting && performance.now() - meeting.lastActiveAt > this.options.idleMs) {
      this.meetings.delete(meetingId);
      return undefined;
    }
    return meeting;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const call: FakeChimeCall = { operation: 'Unknown', at: performance.now() - this.startedAt, status: 0 };
    this.calls.push(call);
    let status = 500;
    let body: unknown;
    let errorType: string | undefined;
    try {
      const url = new URL(request.url ?? '/', 'http://fake');
      const raw = await readBody(request);
      call.accessKeyId = /Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1];
      ({ status, body } = this.route(call, request.method ?? 'GET', url, raw));
      const lost = this.lostAnswers.shift();
      if (lost !== undefined) throw new ChimeError(lost, 'ServiceFailureException', 'The answer was lost.');
    } catch (error) {
      const failure = error instanceof ChimeError ? error : new ChimeError(500, 'ServiceFailureException', String(error));
      status = failure.status;
      errorType = failure.type;
      body = { Code: failure.type, Message: failure.message };
    }
    call.status = status;
    if (this.options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const headers: Record<string, string> = { 'x-amzn-requestid': randomUUID() };
    if (errorType) headers['x-amzn-errortype'] = errorType;
    if (body === undefined) {
      response.writeHead(status, headers).end();
      return;
    }
    response.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private route(call: FakeChimeCall, method: string, url: URL, raw: string): { status: number; body?: unknown } {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const operation = url.searchParams.get('operation');
    if (method === 'POST' && parts.length === 1 && parts[0] === 'meetings' && operation === 'create-attendees') {
      call.operation = 'CreateMeetingWithAttendees';
    } else if (method === 'POST' && parts.length === 3 && parts[0] === 'meetings' && parts[2] === 'attendees') {
      call.operation = operation === 'batch-create' ? 'BatchCreateAttendee' : operation === null ? 'CreateAttendee' : 'Unknown';
      call.meetingId = parts[1];
    } else if ((method === 'GET' || method === 'DELETE') && parts.length === 2 && parts[0] === 'meetings') {
      call.operation = method === 'GET' ? 'GetMeeting' : 'DeleteMeeting';
      call.meetingId = parts[1];
    }

    const injected = this.failures.shift();
    if (injected !== undefined) {
      throw new ChimeError(injected, injected === 503 ? 'ServiceUnavailableException' : 'ServiceFailureException', 'Injected failure.');
    }
    if (!call.accessKeyId) throw new ChimeError(403, 'ForbiddenException', 'The request is not signed (SigV4).');
    this.takeToken();
    if (call.operation === 'Unknown') throw new ChimeError(404, 'UnknownOperationException', `No operation ${method} ${url.pathname}${url.search}.`);
    const input = parseJson(raw);
    switch (call.operation) {
      case 'CreateMeetingWithAttendees':
        return { status: 201, body: this.createMeetingWithAttendees(call, input) };
      case 'CreateAttendee': {
        const meeting = this.requireMeeting(call.meetingId!);
        const item = attendeeRequest(input);
        call.externalUserIds = [item.ExternalUserId];
        call.capabilities = { [item.ExternalUserId]: item.Capabilities };
        if (meeting.attendees.size >= this.options.maxAttendeesPerMeeting && !meeting.attendees.has(item.ExternalUserId)) {
          throw new ChimeError(400, 'LimitExceededException', 'The meeting has as many attendees as it may.');
        }
        return { status: 201, body: { Attendee: this.addAttendee(meeting, item) } };
      }
      case 'BatchCreateAttendee': {
        const meeting = this.requireMeeting(call.meetingId!);
        const items = attendeeList(input, 100);
        call.externalUserIds = items.map((a) => a.ExternalUserId);
        call.capabilities = Object.fromEntries(items.map((a) => [a.ExternalUserId, a.Capabilities]));
        return { status: 200, body: this.addAttendees(meeting, items) };
      }
      case 'GetMeeting':
        return { status: 200, body: { Meeting: meetingJson(this.requireMeeting(call.meetingId!)) } };
      case 'DeleteMeeting':
        this.requireMeeting(call.meetingId!);
        this.meetings.delete(call.meetingId!);
        return { status: 204 };
    }
  }

  private createMeetingWithAttendees(call: FakeChimeCall, input: Record<string, unknown>): unknown {
    const token = input.ClientRequestToken;
    if (typeof token !== 'string' || !TOKEN.test(token)) throw badRequest('ClientRequestToken must be 2 to 64 of [-_a-zA-Z0-9].');
    call.clientRequestToken = token;
    const external = input.ExternalMeetingId;
    if (typeof external !== 'string' || external.length < 2 || external.length > 64) {
      throw badRequest('ExternalMeetingId must be 2 to 64 characters.');
    }
    call.externalMeetingId = external;
    const region = input.MediaRegion;
    if (typeof region !== 'string' || !/^[a-z0-9-]{2,64}$/.test(region)) throw badRequest('MediaRegion is not a Region.');
    const items = attendeeList(input, this.options.maxAttendeesPerCreate);
    call.externalUserIds = items.map((a) => a.ExternalUserId);
    call.capabilities = Object.fromEntries(items.map((a) => [a.ExternalUserId, a.Capabilities]));
    // Idempotent: the same token gets the same answer, whatever became of the meeting since.
    const replay = this.replies.get(token);
    if (replay) {
      call.meetingId = replay.meetingId;
      return replay.body;
    }
    const now = performance.now();
    const meeting: FakeMeeting = {
      MeetingId: randomUUID(),
      ExternalMeetingId: external,
      MediaRegion: region,
      attendees: new Map(),
      createdAt: now,
      lastActiveAt: now,
    };
    call.meetingId = meeting.MeetingId;
    this.meetings.set(meeting.MeetingId, meeting);
    const body = { Meeting: meetingJson(meeting), ...this.addAttendees(meeting, items) };
    this.replies.set(token, { meetingId: meeting.MeetingId, body });
    return body;
  }

  private addAttendees(meeting: FakeMeeting, items: AttendeeRequest[]): { Attendees: FakeAttendee[]; Errors: unknown[] } {
    const Attendees: FakeAttendee[] = [];
    const Errors: unknown[] = [];
    for (const item of items) {
      if (meeting.attendees.size >= this.options.maxAttendeesPerMeeting && !meeting.attendees.has(item.ExternalUserId)) {
        Errors.push({ ExternalUserId: item.ExternalUserId, ErrorCode: 'LimitExceeded', ErrorMessage: 'The meeting is full.' });
      } else {
        Attendees.push(this.addAttendee(meeting, item));
      }
    }
    return { Attendees, Errors };
  }

  /** Adds an attendee; Chime treats ExternalUserId as an idempotency token within a meeting. */
  private addAttendee(meeting: FakeMeeting, item: AttendeeRequest): FakeAttendee {
    let attendee = meeting.attendees.get(item.ExternalUserId);
    if (!attendee) {
      attendee = {
        ExternalUserId: item.ExternalUserId,
        AttendeeId: randomUUID(),
        JoinToken: randomBytes(63).toString('base64'),
        ...(item.Capabilities ? { Capabilities: item.Capabilities } : {}),
      };
      meeting.attendees.set(item.ExternalUserId, attendee);
    }
    meeting.lastActiveAt = performance.now();
    return attendee;
  }

  private requireMeeting(meetingId: string): FakeMeeting {
    if (!MEETING_ID.test(meetingId)) throw badRequest('MeetingId is not a GUID.');
    const meeting = this.live(meetingId);
    if (!meeting) throw notFound(meetingId);
    return meeting;
  }

  private takeToken(): void {
    const now = performance.now();
    const { tps } = this.options;
    this.tokens = Math.min(tps, this.tokens + ((now - this.refilledAt) * tps) / 1000);
    this.refilledAt = now;
    if (this.tokens < 1) throw new ChimeError(429, 'ThrottlingException', 'Rate exceeded.');
    this.tokens -= 1;
  }
}

interface AttendeeRequest {
  ExternalUserId: string;
  Capabilities?: Capabilities;
}

function attendeeList(input: Record<string, unknown>, max: number): AttendeeRequest[] {
  const list = input.Attendees;
  if (!Array.isArray(list) || list.length < 1 || list.length > max) throw badRequest(`Attendees must hold 1 to ${max} items.`);
  const items = list.map((item) => attendeeRequest(item as Record<string, unknown>));
  if (new Set(items.map((i) => i.ExternalUserId)).size !== items.length) throw badRequest('Attendees names an ExternalUserId twice.');
  return items;
}

function attendeeRequest(input: Record<string, unknown>): AttendeeRequest {
  const id = input?.ExternalUserId;
  if (typeof id !== 'string' || id.length < 2 || id.length > 64) throw badRequest('ExternalUserId must be 2 to 64 characters.');
  if (id.toLowerCase().startsWith('aws:')) throw badRequest('ExternalUserId may not start with aws:.');
  const capabilities = input.Capabilities as Record<string, unknown> | undefined;
  if (capabilities === undefined) return { ExternalUserId: id };
  const { Audio, Video, Content } = capabilities;
  for (const value of [Audio, Video, Content]) {
    if (typeof value !== 'string' || !CAPABILITY_VALUES.has(value)) {
      throw badRequest('Capabilities need Audio, Video and Content, each SendReceive, Send, Receive or None.');
    }
  }
  if (RECEIVES.has(Content as string) && !RECEIVES.has(Video as string)) {
    throw badRequest('Content may receive only when Video receives too.');
  }
  return { ExternalUserId: id, Capabilities: { Audio, Video, Content } as Capabilities };
}

function meetingJson(meeting: FakeMeeting): unknown {
  const id = meeting.MeetingId;
  const host = `fake.${meeting.MediaRegion}.chime.invalid`;
  return {
    MeetingId: id,
    ExternalMeetingId: meeting.ExternalMeetingId,
    MediaRegion: meeting.MediaRegion,
    MeetingArn: `arn:aws:chime:${meeting.MediaRegion}:111122223333:meeting/${id}`,
    MediaPlacement: {
      AudioHostUrl: `${id.slice(0, 8)}.k.${host}:3478`,
      AudioFallbackUrl: `wss://haxrp.${host}:443/calls/${id}`,
      SignalingUrl: `wss://signal.${host}/control/${id}`,
      TurnControlUrl: `https://turn.${host}/v2/turn_sessions`,
      ScreenDataUrl: `wss://bitpw.${host}:443/v2/screen/${id}`,
      ScreenViewingUrl: `wss://bitpw.${host}:443/ws/connect?passcode=null&viewer_uuid=null&X-BitHub-Call-Id=${id}`,
      ScreenSharingUrl: `wss://bitpw.${host}:443/v2/screen/${id}`,
      EventIngestionUrl: `https://data.${host}/v1/client-events`,
    },
  };
}

function parseJson(raw: string): Record<string, unknown> {
  if (!raw) return {};
  try {
    const value = JSON.parse(raw) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw badRequest('The body is not a JSON object.');
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
